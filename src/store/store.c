/* The LMDB environment: open/close, transactions, meta, schema version,
 * statistics and backups. Records, indexes and the audit log live in
 * store_rec.c, store_index.c and store_audit.c. */
#include "kam/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "impl.h"
#include "kam/err.h"

/* CONVENTIONS section 5: identical in every process. */
#define STORE_MAPSIZE ((size_t)64 << 30)
#define STORE_MAPSIZE_MIN ((size_t)1 << 30)
#define STORE_MAXREADERS 4096
#define STORE_MAXDBS 64
#define STORE_READER_CHECK_SECONDS 60
#define STORE_MIB ((size_t)1 << 20)

/* The map size of this process's environment (one per process, section 5),
 * for the "database is full" message. */
static size_t store_map_bytes = STORE_MAPSIZE;

int store_mdb_err(int rc, char **cause, const char *what)
{
	switch (rc) {
	case 0:
		return 0;
	case MDB_NOTFOUND:
		return KAM_ENOTFOUND;
	case MDB_MAP_FULL:
		return set_cause(cause, KAM_EFULL,
				 "%s: the database is full (map size %.*f MiB); nothing of this command was written "
				 "(KAM_MAP_SIZE sets a larger map)",
				 what, store_map_bytes % STORE_MIB ? 1 : 0, (double)store_map_bytes / STORE_MIB);
	case ENOSPC:
	case EDQUOT:
		return set_cause(cause, KAM_EFULL, "%s: no space left on the disk; nothing was written", what);
	case EACCES:
	case EPERM:
	case EROFS:
		return set_cause(cause, KAM_ELOCKED, "%s: %s", what, strerror(rc));
	case EAGAIN:
	case EBUSY:
		return set_cause(cause, KAM_ELOCKED, "%s: database is busy", what);
	default:
		return set_cause(cause, KAM_ESTORE, "%s: %s", what, mdb_strerror(rc));
	}
}

/* LMDB may be handed fd 0-2 for data.mdb if they are closed; a later write to
 * "stderr" would then corrupt the database. */
static void store_guard_stdio(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		int n = open("/dev/null", O_RDWR);
		if (n >= 0 && n != fd) {
			dup2(n, fd);
			close(n);
		}
	}
}

/* mkdir -p; the last component gets mode under umask 007. */
static int store_mkdirs(const char *dir, mode_t mode)
{
	char *p = xstrdup(dir);
	int rc = 0;
	for (char *s = p + 1; *s && !rc; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0777) && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	/* The database directory itself is shared with the group. */
	mode_t old = umask(007);
	if (!rc && mkdir(p, mode) && errno != EEXIST)
		rc = -1;
	umask(old);
	free(p);
	return rc;
}

/* The login whose role applies (kam(1) ACCESS). $KAM_USER may name
 * somebody else only for root and for the owner of the database directory
 * (a test, a demo, one person's database), who could change the files
 * anyway; on a shared database everybody else is their Unix login. A
 * setgid or setuid kam ignores it (secure_getenv). */
static char *store_default_user(const char *dir)
{
	const char *u = secure_getenv("KAM_USER");
	struct stat sb;
	if (u && *u && (getuid() == 0 || (stat(dir, &sb) == 0 && sb.st_uid == getuid())))
		return xstrdup(u);
	struct passwd *pw = getpwuid(getuid());
	if (pw && pw->pw_name)
		return xstrdup(pw->pw_name);
	return xasprintf("uid%ld", (long)getuid());
}

static int store_check_dir(const char *dir, unsigned flags, char **cause)
{
	struct stat sb;
	if (stat(dir, &sb)) {
		if (errno != ENOENT)
			return set_cause(cause, errno == EACCES ? KAM_ELOCKED : KAM_ESTORE, "cannot use %s: %s", dir,
					 strerror(errno));
		if (!(flags & STORE_CREATE))
			return set_cause(cause, KAM_ENOTFOUND, "no kam database in %s (create one with kam init)", dir);
		if (store_mkdirs(dir, 0770))
			return set_cause(cause, KAM_ESTORE, "cannot create %s: %s", dir, strerror(errno));
		return 0;
	}
	if (!S_ISDIR(sb.st_mode))
		return set_cause(cause, KAM_ESTORE, "%s is not a directory", dir);
	/* Anyone could replace data.mdb or lock.mdb there, or (sticky, as in
	 * /tmp) plant them before kam creates them. */
	if (sb.st_mode & S_IWOTH)
		return set_cause(cause, KAM_ESTORE, "%s is writable by every user: refusing to use it (chmod o-w %s)",
				 dir, dir);
	if (!(flags & STORE_CREATE)) {
		char *data = xasprintf("%s/data.mdb", dir);
		int missing = stat(data, &sb) != 0;
		free(data);
		if (missing)
			return set_cause(cause, KAM_ENOTFOUND, "no kam database in %s (create one with kam init)", dir);
	}
	return 0;
}

/* One attempt at a given map size; the env is closed again on failure. */
static int store_env_try(struct store *st, unsigned flags, size_t mapsize)
{
	int rc = mdb_env_create(&st->env);
	if (rc)
		return rc;
	mdb_env_set_mapsize(st->env, mapsize);
	mdb_env_set_maxreaders(st->env, STORE_MAXREADERS);
	mdb_env_set_maxdbs(st->env, STORE_MAXDBS);
	/* Group members share the database: files 0660, nothing for others. */
	mode_t old = umask(007);
	rc = mdb_env_open(st->env, st->path, MDB_NOTLS | (flags & STORE_RDONLY ? MDB_RDONLY : 0), 0660);
	umask(old);
	if (rc) {
		mdb_env_close(st->env);
		st->env = NULL;
	}
	return rc;
}

/* KAM_MAP_SIZE: the map in MiB (1 to 65536) instead of 64 GiB, for tests
 * and hosts with little address space; 0 when unset. A setgid or setuid kam
 * ignores it (secure_getenv). */
static int store_map_env(size_t *mib, char **cause)
{
	const char *env = secure_getenv("KAM_MAP_SIZE");
	*mib = 0;
	if (!env || !*env)
		return 0;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(env, &end, 10);
	if (errno || *end || *env < '0' || *env > '9' || v < 1 || v > (STORE_MAPSIZE >> 20))
		return set_cause(cause, KAM_EUSAGE, "KAM_MAP_SIZE is '%s'; expected MiB from 1 to %zu", env,
				 STORE_MAPSIZE >> 20);
	*mib = (size_t)v;
	return 0;
}

/* The map size, once open: what this process asked for, at least the data
 * already there; after MDB_MAP_RESIZED, the size of the process that grew
 * the data beyond our map. kam never grows a map by itself: a command that
 * does not fit fails whole (KAM_EFULL) and can run again with a larger
 * KAM_MAP_SIZE. */
static void store_note_mapsize(struct store *st)
{
	MDB_envinfo info;
	if (mdb_env_info(st->env, &info) == 0)
		store_map_bytes = info.me_mapsize;
}

static int store_env_open(struct store *st, unsigned flags, char **cause)
{
	store_guard_stdio();
	size_t mib;
	int rc = store_map_env(&mib, cause);
	if (rc)
		return rc;
	/* 64 GiB of address space is refused under a small `ulimit -v` and under
	 * valgrind: fall back to smaller maps rather than not running. */
	size_t mapsize = mib ? mib * STORE_MIB : STORE_MAPSIZE;
	while ((rc = store_env_try(st, flags, mapsize)) && (rc == ENOMEM || rc == EINVAL) &&
	       mapsize > STORE_MAPSIZE_MIN)
		mapsize /= 4;
	if (rc) {
		char *what = xasprintf("cannot open the database in %s", st->path);
		rc = store_mdb_err(rc, cause, what);
		free(what);
		return rc;
	}
	store_note_mapsize(st);
	/* Reader slots of killed processes would pin old pages forever. */
	int dead = 0;
	mdb_reader_check(st->env, &dead);
	st->reader_check = (int64_t)time(NULL);
	return 0;
}

/* Internal result of the read-only first pass of store_open. */
#define STORE_NEED_WRITE 1

/* Ordered migrations: migrations[v - 1] brings version v to v + 1;
 * STORE_SCHEMA_VERSION and this table grow together. */
typedef int (*store_migration_fn)(struct txn *t, char **cause);

/* Version 2 keeps per-account facts on every write. The table itself is
 * built by store_facts_open in the same txn; the version number is what
 * matters: a kam of version 1 refuses the database instead of writing
 * records whose facts it does not maintain. */
static int store_migrate_facts(struct txn *t, char **cause)
{
	return 0;
}

/* Oldest version this kam reads without upgrading (a read-only open). */
#define STORE_SCHEMA_READABLE 1

static const store_migration_fn store_migrations[STORE_SCHEMA_VERSION - 1] = {store_migrate_facts};

static int store_open_dbi(struct store *st, struct txn *t, const char *name, MDB_dbi *dbi, int *created, char **cause);

/* An index missing in a read-only store: noted, not fatal. */
static int store_open_index(struct store *st, struct txn *t, const char *name, int slot, int *created, char **cause)
{
	st->ix_missing[slot] = 0;
	if (st->rdonly && mdb_dbi_open(t->txn, name, 0, &st->ix[slot]) == MDB_NOTFOUND) {
		st->ix_missing[slot] = 1;
		*created = 0;
		return 0;
	}
	return store_open_dbi(st, t, name, &st->ix[slot], created, cause);
}

static int store_open_dbi(struct store *st, struct txn *t, const char *name, MDB_dbi *dbi, int *created, char **cause)
{
	int rc = mdb_dbi_open(t->txn, name, 0, dbi);
	*created = 0;
	if (rc == MDB_NOTFOUND && !st->rdonly && !t->write)
		return STORE_NEED_WRITE;
	if (rc == MDB_NOTFOUND && !st->rdonly) {
		rc = mdb_dbi_open(t->txn, name, MDB_CREATE, dbi);
		*created = 1;
	}
	if (rc == MDB_NOTFOUND)
		return set_cause(cause, KAM_ESTORE,
				 "%s: table '%s' is missing; open the database once read-write to upgrade it", st->path,
				 name);
	if (rc) {
		char *what = xasprintf("%s: cannot open table '%s'", st->path, name);
		rc = store_mdb_err(rc, cause, what);
		free(what);
	}
	return rc;
}

static int store_open_refs(struct store *st, struct txn *t, int fresh, char **cause)
{
	store_refs_init();
	for (int i = 0; i < store_nrefs; i++) {
		struct store_refs *r = &store_refs[i];
		int created, rc;
		if (st->nix == STORE_MAX_INDEXES)
			return set_cause(cause, KAM_ESTORE, "too many indexes (raise STORE_MAX_INDEXES)");
		r->ix.dbi_slot = st->nix++;
		char *name = xasprintf("%s.%s", r->e->name, r->ix.name);
		rc = store_open_index(st, t, name, r->ix.dbi_slot, &created, cause);
		free(name);
		if (!rc && created && !fresh)
			rc = store_index_build(t, r->e, &r->ix);
		if (rc)
			return rc;
	}
	return 0;
}

/* Opens every DBI; an index created now on existing records is filled. */
static int store_open_dbis(struct store *st, struct txn *t, int *fresh, char **cause)
{
	int created, rc;
	static const struct {
		const char *name;
		size_t off;
	} fixed[] = {{"meta", offsetof(struct store, meta)},
		     {"ext", offsetof(struct store, ext)},
		     {"audit", offsetof(struct store, audit)},
		     {"audit.record", offsetof(struct store, audit_rec)},
		     {"kv", offsetof(struct store, kv)}};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		if ((rc =
			 store_open_dbi(st, t, fixed[i].name, (MDB_dbi *)((char *)st + fixed[i].off), &created, cause)))
			return rc;
		if (i == 0)
			*fresh = created; /* a new meta means a new database */
	}
	st->nix = 0;
	for (int i = 0; i < ENT__COUNT; i++) {
		const struct entity *e = kam_entities[i];
		if ((rc = store_open_dbi(st, t, e->name, &st->ent[i], &created, cause)))
			return rc;
		for (int x = 0; x < e->nindexes; x++) {
			struct index_def *ix = &e->indexes[x];
			if (st->nix == STORE_MAX_INDEXES)
				return set_cause(cause, KAM_ESTORE, "too many indexes (raise STORE_MAX_INDEXES)");
			/* Slots are assigned in schema order, so every store handle
			 * in the process agrees on them. */
			ix->dbi_slot = st->nix++;
			char *name = xasprintf("%s.%s", e->name, ix->name);
			rc = store_open_index(st, t, name, ix->dbi_slot, &created, cause);
			free(name);
			if (!rc && created && !*fresh)
				rc = store_index_build(t, e, ix);
			if (rc)
				return rc;
		}
	}
	return store_open_refs(st, t, *fresh, cause);
}

static int store_check_schema(struct store *st, struct txn *t, int fresh, char **cause)
{
	uint64_t v;
	int rc = store_meta_get(t, "schema_version", &v);
	if (!t->write && !st->rdonly && (rc == KAM_ENOTFOUND || (!rc && v < STORE_SCHEMA_VERSION)))
		return STORE_NEED_WRITE;
	if (rc == KAM_ENOTFOUND && !st->rdonly && fresh) {
		st->schema_version = STORE_SCHEMA_VERSION;
		return store_meta_put(t, "schema_version", STORE_SCHEMA_VERSION);
	}
	if (rc)
		return set_cause(cause, KAM_ESTORE, "%s: the database has no schema version", st->path);
	if (v > STORE_SCHEMA_VERSION)
		return set_cause(cause, KAM_ESTORE,
				 "%s has schema version %llu but this kam understands up to version %d: "
				 "use a newer kam",
				 st->path, (unsigned long long)v, STORE_SCHEMA_VERSION);
	if (v < STORE_SCHEMA_VERSION && st->rdonly && v >= STORE_SCHEMA_READABLE) {
		st->schema_version = (int)v; /* what is missing (the facts) is read from the records */
		return 0;
	}
	if (v < STORE_SCHEMA_VERSION && st->rdonly)
		return set_cause(cause, KAM_ESTORE,
				 "%s has schema version %llu and needs an upgrade to %d: open it read-write once",
				 st->path, (unsigned long long)v, STORE_SCHEMA_VERSION);
	for (; v < STORE_SCHEMA_VERSION; v++) {
		if (!store_migrations[v - 1])
			return set_cause(cause, KAM_ESTORE, "no migration from schema version %llu",
					 (unsigned long long)v);
		if ((rc = store_migrations[v - 1](t, cause)) || (rc = store_meta_put(t, "schema_version", v + 1)))
			return rc;
	}
	st->schema_version = (int)v;
	return 0;
}

/* Stores open in this process. LMDB allows one env per file and process:
 * closing a second one would drop the first one's locks. */
static struct store *store_open_list;

static int store_register(struct store *st, char **cause)
{
	char *data = xasprintf("%s/data.mdb", st->path);
	struct stat sb;
	int exists = stat(data, &sb) == 0;
	free(data);
	if (!exists)
		return 0; /* created now: nobody can have it open yet */
	for (struct store *o = store_open_list; o; o = o->next_open)
		if (o->dev == sb.st_dev && o->ino == sb.st_ino)
			return set_cause(cause, KAM_ESTORE, "%s is already open in this process (as %s)", st->path,
					 o->path);
	return 0;
}

static void store_remember(struct store *st)
{
	char *data = xasprintf("%s/data.mdb", st->path);
	struct stat sb;
	if (!stat(data, &sb)) {
		st->dev = sb.st_dev;
		st->ino = sb.st_ino;
		st->next_open = store_open_list;
		store_open_list = st;
	}
	free(data);
}

static void store_forget(struct store *st)
{
	for (struct store **p = &store_open_list; *p; p = &(*p)->next_open)
		if (*p == st) {
			*p = st->next_open;
			return;
		}
}

int store_open(struct store **out, const char *dir, unsigned flags, char **cause)
{
	*out = NULL;
	int rc = store_check_dir(dir, flags, cause);
	if (rc)
		return rc;
	struct store *st = xcalloc(1, sizeof *st);
	st->path = xstrdup(dir);
	st->user = store_default_user(dir);
	st->rdonly = (flags & STORE_RDONLY) != 0;
	if ((rc = store_register(st, cause)) || (rc = store_env_open(st, flags, cause))) {
		store_close(st);
		return rc;
	}
	/* A read txn when everything is in place (the usual case: no writer
	 * lock at start-up, no txn id bump); a write txn to create tables,
	 * build a new index or migrate. */
	for (int write = 0; write < 2; write++) {
		struct txn *t;
		int fresh = 0;
		if ((rc = store_begin(st, write, &t))) {
			rc = set_cause(cause, rc, "%s: cannot start a transaction", dir);
			break;
		}
		if (!(rc = store_open_dbis(st, t, &fresh, cause)) && !(rc = store_check_schema(st, t, fresh, cause)))
			rc = store_facts_open(st, t, fresh, cause); /* 1: STORE_NEED_WRITE */
		if (rc == STORE_NEED_WRITE) {
			store_abort(t);
			continue;
		}
		if (!rc)
			rc = store_commit(t, cause);
		else
			store_abort(t);
		break;
	}
	if (rc) {
		store_close(st);
		return rc;
	}
	store_remember(st);
	*out = st;
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	store_forget(st);
	if (st->env)
		mdb_env_close(st->env);
	free(st->path);
	free(st->user);
	free(st);
}

const char *store_path(const struct store *st)
{
	return st->path;
}

void store_set_user(struct store *st, const char *login)
{
	free(st->user);
	st->user = xstrdup(login && *login ? login : "unknown");
}

const char *store_user(const struct store *st)
{
	return st->user;
}

uint64_t store_last_txnid(struct store *st)
{
	MDB_envinfo info;
	if (mdb_env_info(st->env, &info))
		return 0;
	return (uint64_t)info.me_last_txnid;
}

/* Begin, clearing stale readers and following a map grown by another
 * process (CONVENTIONS section 5). */
static int store_txn_begin(struct store *st, unsigned flags, MDB_txn **txn)
{
	int rc = 0;
	for (int attempt = 0; attempt < 3; attempt++) {
		rc = mdb_txn_begin(st->env, NULL, flags, txn);
		if (rc == MDB_READERS_FULL) {
			int dead = 0;
			mdb_reader_check(st->env, &dead);
		} else if (rc == MDB_MAP_RESIZED) {
			mdb_env_set_mapsize(st->env, 0);
			store_note_mapsize(st);
		} else {
			break;
		}
	}
	return rc;
}

int store_begin(struct store *st, int write, struct txn **out)
{
	MDB_txn *txn;
	*out = NULL;
	if (write && (st->rdonly || st->writing))
		return KAM_ELOCKED;
	int64_t now = (int64_t)time(NULL);
	if (now - st->reader_check >= STORE_READER_CHECK_SECONDS) { /* long-running TUIs */
		int dead = 0;
		mdb_reader_check(st->env, &dead);
		st->reader_check = now;
	}
	int rc = store_txn_begin(st, write ? 0 : MDB_RDONLY, &txn);
	if (rc)
		return store_mdb_err(rc, NULL, "begin");
	struct txn *t = xcalloc(1, sizeof *t);
	t->st = st;
	t->txn = txn;
	t->write = write;
	st->writing |= write;
	t->audit_detail = 1;
	t->now = now;
	*out = t;
	return 0;
}

static void store_txn_free(struct txn *t)
{
	if (t->write)
		t->st->writing = 0;
	for (int i = 0; i < ENT__COUNT; i++)
		if (t->get_cur[i])
			mdb_cursor_close(t->get_cur[i]);
	free(t->cmd);
	free(t->facts_dirty);
	buf_free(&t->k);
	buf_free(&t->v);
	buf_free(&t->k2);
	buf_free(&t->a);
	free(t);
}

/* LMDB reports a short write of data.mdb as EIO (mdb_page_flush), and a
 * write that runs out of disk is usually short: with (almost) nothing left
 * on the database's file system, call it what it is, so that the message
 * says "no space left" instead of "Input/output error". */
#define STORE_FULL_SLACK ((uint64_t)1 << 20)
static int store_commit_errno(const char *path, int rc)
{
	struct statvfs sv;
	if (rc == EIO && statvfs(path, &sv) == 0 && (uint64_t)sv.f_bavail * sv.f_frsize < STORE_FULL_SLACK)
		return ENOSPC;
	return rc;
}

int store_commit(struct txn *t, char **cause)
{
	int rc = 0;
	if (t->broken) {
		store_abort(t);
		return set_cause(cause, KAM_ESTORE,
				 "an earlier error left the transaction unusable; nothing was written");
	}
	/* The facts of the accounts this txn touched, each once. */
	if (t->write && (rc = store_facts_flush(t, cause))) {
		store_abort(t);
		return rc;
	}
	if (t->write && ((rc = store_audit_flush(t)) || (rc = store_counters_flush(t)))) {
		store_abort(t);
		return store_mdb_err(rc, cause, "commit");
	}
	const char *path = t->st->path;
	rc = mdb_txn_commit(t->txn);
	store_txn_free(t);
	return rc ? store_mdb_err(store_commit_errno(path, rc), cause, "commit") : 0;
}

void store_abort(struct txn *t)
{
	if (!t)
		return;
	mdb_txn_abort(t->txn);
	store_txn_free(t);
}

void store_txn_set_command(struct txn *t, const char *cmd)
{
	free(t->cmd);
	t->cmd = cmd ? xstrdup(cmd) : NULL;
}

int store_meta_get(struct txn *t, const char *key, uint64_t *val)
{
	MDB_val k = {strlen(key), (void *)key}, v;
	int rc = mdb_get(t->txn, t->st->meta, &k, &v);
	if (rc)
		return store_mdb_err(rc, NULL, "meta");
	if (v.mv_size != 8)
		return KAM_ESTORE;
	*val = key_get_u64(v.mv_data);
	return 0;
}

int store_meta_put(struct txn *t, const char *key, uint64_t val)
{
	unsigned char b[8];
	for (int i = 7; i >= 0; i--, val >>= 8)
		b[i] = (unsigned char)val;
	MDB_val k = {strlen(key), (void *)key}, v = {8, b};
	int rc = mdb_put(t->txn, t->st->meta, &k, &v, 0);
	if (rc)
		t->broken = 1;
	return rc ? store_mdb_err(rc, NULL, "meta") : 0;
}

int store_counters_flush(struct txn *t)
{
	for (int i = 0; i < ENT__COUNT; i++) {
		if (!t->next_dirty[i])
			continue;
		char key[64];
		snprintf(key, sizeof key, "next.%s", kam_entities[i]->name);
		int rc = store_meta_put(t, key, t->next_id[i]);
		if (rc)
			return rc;
		t->next_dirty[i] = 0;
	}
	return 0;
}

int store_stats(struct store *st, struct store_stats *out)
{
	struct txn *t;
	memset(out, 0, sizeof *out);
	int rc = store_begin(st, 0, &t);
	if (rc)
		return rc;
	MDB_stat ms;
	for (int i = 0; i < ENT__COUNT; i++)
		if (!mdb_stat(t->txn, st->ent[i], &ms))
			out->records[i] = ms.ms_entries;
	if (!mdb_stat(t->txn, st->audit, &ms))
		out->audit_entries = ms.ms_entries;
	MDB_envinfo info;
	MDB_stat es;
	if (!mdb_env_info(st->env, &info) && !mdb_env_stat(st->env, &es)) {
		out->used_bytes = ((uint64_t)info.me_last_pgno + 1) * es.ms_psize;
		out->last_txnid = info.me_last_txnid;
	}
	char *data = xasprintf("%s/data.mdb", st->path);
	struct stat sb;
	if (!stat(data, &sb))
		out->file_bytes = (uint64_t)sb.st_size;
	free(data);
	out->schema_version = st->schema_version;
	store_abort(t);
	return 0;
}

static int store_dir_empty(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *de;
	int empty = 1;
	while (empty && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

int store_backup(struct store *st, const char *dir, char **cause)
{
	if (store_mkdirs(dir, 0770))
		return set_cause(cause, KAM_ESTORE, "cannot create %s: %s", dir, strerror(errno));
	if (!store_dir_empty(dir))
		return set_cause(cause, KAM_EEXIST, "%s is not empty: a backup needs a new or empty directory", dir);
	mode_t old = umask(007);
	int rc = mdb_env_copy2(st->env, dir, MDB_CP_COMPACT);
	umask(old);
	if (rc) {
		char *what = xasprintf("backup to %s", dir);
		rc = store_mdb_err(rc, cause, what);
		free(what);
	}
	return rc;
}
