/* E: the selected record (account, contact, opportunity, activity) in
 * $EDITOR as flat YAML (kam/record_yaml.h). The terminal is handed to the
 * editor and taken back with a full repaint; a file that does not parse or
 * validate reopens with the error as a comment at the top (and in the
 * status line) until it is valid, emptied or left unchanged. The save is one
 * write txn carrying the version read, with the form's role check; a
 * conflicting change by another user reopens the editor on their version
 * with the user's edits re-applied, never overwriting silently. */
#include "tui_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kam/access.h"
#include "kam/err.h"
#include "kam/record_yaml.h"
#include "kam/text.h"
#include "kam/util.h"

int tui_selected_record(struct tui *t, const struct entity **e, uint64_t *id)
{
	*e = NULL;
	*id = 0;
	if (t->help)
		return -1;
	if (t->pipe_open) {
		if (!t->pipe.ncols || !t->pipe.cols[t->pipe_col].n)
			return -1;
		*e = ENTITY(opportunity);
		*id = t->pipe.cols[t->pipe_col].cards[t->pipe_row[t->pipe_col]].id;
		return 0;
	}
	if (t->gv.kind) {
		if (!t->gv.n)
			return -1;
		int i = t->gvl.pos.cur;
		if (t->gv.rec && t->gv.rec[i]) {
			int opp = t->gv.kind == VLIST_OPPS || (t->gv.sub && t->gv.sub[i] == DETAIL_OPPS);
			*e = opp ? ENTITY(opportunity) : ENTITY(contact);
			*id = t->gv.rec[i];
		} else if (t->gv.acct[i]) {
			*e = ENTITY(account);
			*id = t->gv.acct[i];
		}
		return *id ? 0 : -1;
	}
	if (t->focus && t->det.account) {
		if (t->det_stale)
			return 1; /* keys typed ahead of the detail's rebuild */
		if (t->det.nlines && t->detl.pos.cur < t->det.nlines && t->det.lines[t->detl.pos.cur].ent) {
			*e = t->det.lines[t->detl.pos.cur].ent;
			*id = t->det.lines[t->detl.pos.cur].id;
		} else {
			*e = ENTITY(account);
			*id = t->det.account;
		}
		return 0;
	}
	const struct record *r = tui_current_account(t);
	if (!r)
		return -1;
	*e = ENTITY(account);
	*id = r->id;
	return 0;
}

/* Run the editor on path with the terminal; returns its exit status, or -1
 * when it could not be started. */
static int run_editor(const char *path)
{
	const char *ed = getenv("EDITOR");
	char *script = xasprintf("%s \"$1\"", ed && *ed ? ed : "vi");
	struct sigaction ign, old_int, old_quit, old_tstp;
	memset(&ign, 0, sizeof ign);
	sigemptyset(&ign.sa_mask);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	/* While the editor runs kam has no terminal state of its own: a
	 * Ctrl-Z in the editor may stop kam with it. */
	ign.sa_handler = SIG_DFL;
	sigaction(SIGTSTP, &ign, &old_tstp);
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		execl("/bin/sh", "sh", "-c", script, "sh", path, (char *)NULL);
		_exit(127);
	}
	int status = -1;
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigaction(SIGTSTP, &old_tstp, NULL);
	free(script);
	return status;
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	size_t n = strlen(text), off = 0;
	while (off < n) {
		ssize_t w = write(fd, text + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	return close(fd);
}

static char *format_record(struct tui *t, const struct record *r, const char *note)
{
	struct txn *txn = NULL;
	struct buf b = {0};
	if (store_begin(t->st, 0, &txn) != 0)
		txn = NULL;
	record_yaml_format(txn, r, note, t->det.redact, &b);
	store_abort(txn);
	return buf_steal(&b);
}

static int load(struct tui *t, const struct entity *e, uint64_t id, struct record **out)
{
	struct txn *txn = NULL;
	int rc = store_begin(t->st, 0, &txn);
	if (!rc)
		rc = store_get(txn, e, id, out);
	store_abort(txn);
	return rc;
}

/* One write txn with the version read; *denied when the role forbids it. */
static int save(struct tui *t, struct record *r, int *denied, char **cause)
{
	struct txn *txn = NULL;
	int rc = store_begin(t->st, 1, &txn);
	if (rc)
		return rc;
	char *cmd = xasprintf("tui edit %s %llu", r->ent->name, (unsigned long long)r->id);
	store_txn_set_command(txn, cmd);
	free(cmd);
	rc = access_check(t->st, store_user(t->st), ACCESS_WRITE, r, cause);
	*denied = rc == KAM_EINVAL;
	if (!rc)
		rc = store_update(txn, r, cause);
	if (!rc)
		return store_commit(txn, cause);
	store_abort(txn);
	return rc;
}

/* After a conflict: their version with the fields the user changed in
 * mine (relative to base) on top; *changed lists them. */
static struct record *reapply(const struct record *base, const struct record *mine, const struct record *theirs,
			      struct buf *changed)
{
	struct record *r = record_dup(theirs);
	int *diff = NULL;
	record_diff(base, mine, &diff);
	struct buf v = {0};
	for (int k = 0; diff && diff[k] >= 0; k++) {
		buf_reset(&v);
		buf_adds(&v, "");
		record_format_field(mine, diff[k], &v);
		char *cause = NULL;
		record_parse_field(r, diff[k], v.p, &cause);
		free(cause);
		buf_addf(changed, "%s%s", changed->len ? " " : "", mine->ent->fields[diff[k]].name);
	}
	buf_free(&v);
	free(diff);
	return r;
}

static char *conflict_note(const struct record *base, const struct record *theirs, const char *changed)
{
	int *diff = NULL;
	struct buf b = {0};
	record_diff(base, theirs, &diff);
	buf_addf(&b, "conflict: %s changed this %s meanwhile (version %u -> %u):",
		 theirs->updated_by ? theirs->updated_by : "someone", theirs->ent->name, base->version,
		 theirs->version);
	for (int k = 0; diff && diff[k] >= 0; k++)
		buf_addf(&b, " %s", theirs->ent->fields[diff[k]].name);
	buf_addf(&b,
		 ". Below: version %u with your edits (%s) re-applied: save and quit to store them, empty "
		 "the file to cancel.",
		 theirs->version, changed);
	free(diff);
	return buf_steal(&b);
}

static void after_save(struct tui *t, const struct record *r)
{
	tui_saved(t, r);
	t->det_stale = 1;
	tui_message(t, 0, "saved %s %llu (version %u)", r->ent->name, (unsigned long long)r->id, r->version);
}

/* Save mine (parsed from the user's file, based on *base). Returns 2 when
 * the editor opens again on *text (a conflict: their version with the
 * user's edits re-applied becomes the base), else 0 with the outcome in the
 * status line. */
static int try_save(struct tui *t, struct record **base, struct record *mine, char **text)
{
	int *diff = NULL;
	int n = record_diff(*base, mine, &diff);
	free(diff);
	if (!n) {
		tui_message(t, 0, "no changes");
		return 0;
	}
	char *why = NULL;
	int again = 0, denied = 0;
	int rc = save(t, mine, &denied, &why);
	if (denied) {
		tui_message(t, 1, "not saved: permission denied: %s", why ? why : "");
	} else if (rc == KAM_ECONFLICT) {
		struct record *theirs = NULL;
		if (load(t, (*base)->ent, (*base)->id, &theirs) != 0) {
			tui_message(t, 1, "conflict: the %s was deleted meanwhile: nothing saved", (*base)->ent->name);
		} else {
			struct buf changed = {0};
			buf_adds(&changed, "");
			struct record *merged = reapply(*base, mine, theirs, &changed);
			char *note = conflict_note(*base, theirs, changed.p);
			tui_message(t, 1, "%s", note);
			free(*text);
			*text = format_record(t, merged, note);
			free(note);
			buf_free(&changed);
			record_free(merged);
			record_free(*base);
			*base = theirs; /* saves now carry their version */
			again = 2;
		}
	} else if (rc) {
		tui_message(t, 1, "not saved: %s", why ? why : kam_strerror(rc));
	} else {
		after_save(t, mine);
	}
	free(why);
	return again;
}

/* The rounds of editing, with the terminal given to the editor. */
static void edit_rounds(struct tui *t, struct record **base, const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *text = format_record(t, *base, NULL);
	for (int round = 0, again = 1; again; round++) {
		/* After a conflict the text holds the user's edits already:
		 * saving it unchanged stores them. */
		int conflict = again == 2;
		again = 0;
		if (write_text(path, text) != 0) {
			tui_message(t, 1, "cannot write %s: %s", path, strerror(errno));
			break;
		}
		int st = run_editor(path);
		if (st != 0) {
			if (st == 127 || st < 0)
				tui_message(t, 1, "cannot run the editor (set EDITOR): nothing saved");
			else
				tui_message(t, 1, "the editor exited with status %d: nothing saved", st);
			break;
		}
		struct buf in = {0};
		if (buf_read_file(&in, path, 1u << 20) != 0) {
			tui_message(t, 1, "cannot read %s: %s", name,
				    errno == EFBIG ? "larger than 1 MiB" : strerror(errno));
			buf_free(&in);
			break;
		}
		buf_adds(&in, "");
		if (!conflict && in.len == strlen(text) && memcmp(in.p, text, in.len) == 0) {
			tui_message(t, 0, "%s", round ? "edit cancelled: nothing saved" : "no changes");
			buf_free(&in);
			break;
		}
		/* Positions refer to the file as it reopens: the user's text
		 * under one note line. */
		size_t off = record_yaml_note_len(in.p, in.len);
		struct record *mine = record_dup(*base);
		char *cause = NULL;
		struct txn *txn = NULL;
		if (store_begin(t->st, 0, &txn) != 0)
			txn = NULL;
		int rc = record_yaml_parse(name, in.p + off, in.len - off, 1, txn, mine, &cause);
		store_abort(txn);
		if (rc == RECORD_YAML_EMPTY) {
			tui_message(t, 0, "edit cancelled (empty file): nothing saved");
		} else if (rc) {
			char *msg = text_sanitize(cause ? cause : "invalid");
			tui_message(t, 1, "%s", msg);
			free(text);
			text = xasprintf("%s%s\n%s", RECORD_YAML_NOTE, msg, in.p + off);
			free(msg);
			again = 1;
		} else {
			again = try_save(t, base, mine, &text);
		}
		free(cause);
		buf_free(&in);
		record_free(mine);
	}
	unlink(path);
	free(path);
	free(text);
}

void edit_in_editor(struct tui *t)
{
	const struct entity *e;
	uint64_t id;
	if (t->read_only) {
		tui_message(t, 1, "read-only: kam was opened with --read-only, edits are refused");
		return;
	}
	int sel = tui_selected_record(t, &e, &id);
	if (sel) {
		tui_message(t, 1, "%s",
			    sel > 0 ? "the detail was still being rebuilt: press E again" : "no record to edit here");
		return;
	}
	struct record *base = NULL;
	int rc = load(t, e, id, &base);
	if (rc) {
		tui_message(t, 1, "%s %llu: %s", e->name, (unsigned long long)id, kam_strerror(rc));
		return;
	}
	char *cause = NULL;
	if (access_check(t->st, store_user(t->st), ACCESS_WRITE, base, &cause) == KAM_EINVAL) {
		tui_message(t, 1, "permission denied: %s", cause ? cause : "");
		free(cause);
		record_free(base);
		return;
	}
	free(cause);
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/kam-edit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		tui_message(t, 1, "cannot create a temporary directory: %s", strerror(errno));
		free(dir);
		record_free(base);
		return;
	}
	char *name = xasprintf("%s-%llu.yaml", e->name, (unsigned long long)id);
	endwin();
	edit_rounds(t, &base, dir, name);
	rmdir(dir);
	/* Take the terminal back: everything is sent again. */
	reset_prog_mode();
	clearok(curscr, TRUE);
	t->navl.drawn_valid = t->detl.drawn_valid = t->gvl.drawn_valid = t->helpl.drawn_valid = 0;
	t->pipe_drawn_valid = 0;
	t->dirty = D_ALL;
	free(name);
	free(dir);
	record_free(base);
}
