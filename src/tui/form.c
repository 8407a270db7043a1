/* The edit forms of accounts, contacts (with their role in the account),
 * opportunities and activities: typed fields validated by the model, saved
 * in one write txn that carries the versions read; a conflicting change by
 * another user is shown, never overwritten. */
#include "tui_impl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kam/access.h"
#include "kam/err.h"
#include "kam/text.h"
#include "kam/util.h"

#define MAXFIELDS 16
#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A field of the form: of the record itself (rec 0) or, for a contact, of
 * its role in the account (rec 1, an account_contact). */
struct form_field {
	int rec, f;
};

static const struct form_field account_form[] = {
    {0, ACCOUNT_NAME},      {0, ACCOUNT_SHORT_NAME}, {0, ACCOUNT_INDUSTRY},    {0, ACCOUNT_PROVINCE},
    {0, ACCOUNT_CITY},      {0, ACCOUNT_POSITION},   {0, ACCOUNT_PROCUREMENT}, {0, ACCOUNT_STAGE},
    {0, ACCOUNT_LIFECYCLE}, {0, ACCOUNT_KEY},        {0, ACCOUNT_STRATEGIC},   {0, ACCOUNT_NOTES}};
static const struct form_field contact_form[] = {
    {1, AC_ACCOUNT},    {0, CONTACT_NAME},       {0, CONTACT_TITLE},   {0, CONTACT_DEPARTMENT}, {0, CONTACT_PHONE},
    {0, CONTACT_EMAIL}, {0, CONTACT_REPORTS_TO}, {1, AC_ROLE},         {1, AC_INFLUENCE},       {1, AC_ATTITUDE},
    {1, AC_OWNER_A},    {1, AC_OWNER_B},         {0, CONTACT_CADENCE}, {0, CONTACT_NOTES}};
/* A contact edited where it has no role in an account (none left): its own fields. */
static const struct form_field contact_own_form[] = {{0, CONTACT_NAME},    {0, CONTACT_TITLE}, {0, CONTACT_DEPARTMENT},
						     {0, CONTACT_PHONE},   {0, CONTACT_EMAIL}, {0, CONTACT_REPORTS_TO},
						     {0, CONTACT_CADENCE}, {0, CONTACT_NOTES}};
static const struct form_field opp_form[] = {
    {0, OPP_ACCOUNT},     {0, OPP_YEAR},     {0, OPP_TITLE},     {0, OPP_OFFERING},    {0, OPP_AMOUNT}, {0, OPP_STAGE},
    {0, OPP_PROBABILITY}, {0, OPP_DECISION}, {0, OPP_STRATEGIC}, {0, OPP_COMPETITORS}, {0, OPP_OWNER},  {0, OPP_NOTES}};
static const struct form_field act_form[] = {{0, ACT_ACCOUNT},
					     {0, ACT_TYPE},
					     {0, ACT_TITLE},
					     {0, ACT_DATE},
					     {0, ACT_TIME},
					     {0, ACT_OPPORTUNITY},
					     {0, ACT_CONTACTS},
					     {0, ACT_STAFF},
					     {0, ACT_GUESTS},
					     {0, ACT_DAYS},
					     {0, ACT_COST_PER_GUEST_DAY},
					     {0, ACT_STATUS},
					     {0, ACT_OUTCOME}};

struct form {
	struct record *orig; /* as read: its version goes with the save */
	struct record *link; /* a new contact: its account_contact, else NULL */
	const struct form_field *fields;
	int nfields;
	struct lineedit le[MAXFIELDS];
	char *start[MAXFIELDS]; /* text when the form opened (or was reloaded) */
	char *err[MAXFIELDS];
	int cur;
	int confirm_cancel;
	int conflict;
	char *note;                /* conflict or save problem, shown under the fields */
	int cy, cx;                /* where the terminal cursor goes */
	int is_new;                /* a (add): the record is inserted, not updated */
	struct pick *pick;         /* Ctrl-P / F4: the current field's choices */
	char *ref_text[MAXFIELDS]; /* a reference field's text ... */
	char *ref_name[MAXFIELDS]; /* ... and the name of the record it points to */
};

/* The form of a kind of record; a contact's with or without its role. */
static const struct form_field *fields_of(const struct entity *e, int with_link, int *n)
{
	if (e == ENTITY(contact) && with_link)
		return *n = N(contact_form), contact_form;
	if (e == ENTITY(contact))
		return *n = N(contact_own_form), contact_own_form;
	if (e == ENTITY(opportunity))
		return *n = N(opp_form), opp_form;
	if (e == ENTITY(activity))
		return *n = N(act_form), act_form;
	return *n = N(account_form), account_form;
}

static int has_form(const struct entity *e)
{
	return e == ENTITY(account) || e == ENTITY(contact) || e == ENTITY(opportunity) || e == ENTITY(activity);
}

static struct record *form_rec(const struct form *fm, int i)
{
	return fm->fields[i].rec ? fm->link : fm->orig;
}

static const struct field *form_field_def(const struct form *fm, int i)
{
	return &form_rec(fm, i)->ent->fields[fm->fields[i].f];
}

static char *field_text(const struct record *r, int f)
{
	struct buf b = {0};
	buf_adds(&b, "");
	record_format_field(r, f, &b);
	return buf_steal(&b);
}

/* r: the record of rec-0 fields (the link keeps its own values). */
static void form_fill(struct form *fm, const struct record *r, char **keep)
{
	for (int i = 0; i < fm->nfields; i++) {
		free(fm->start[i]);
		fm->start[i] = field_text(fm->fields[i].rec ? fm->link : r, fm->fields[i].f);
		le_init(&fm->le[i], keep && keep[i] ? keep[i] : fm->start[i]);
		free(fm->err[i]);
		fm->err[i] = NULL;
	}
}

static struct form *form_new(struct record *r, struct record *link, int is_new)
{
	struct form *fm = xcalloc(1, sizeof *fm);
	fm->orig = r;
	fm->link = link;
	fm->is_new = is_new;
	fm->fields = fields_of(r->ent, link != NULL, &fm->nfields);
	return fm;
}

static int first_id(uint64_t id, void *arg)
{
	*(uint64_t *)arg = id;
	return 1; /* one is enough */
}

/* The record (and a contact's role in account acct) as stored now. */
static int form_load(struct tui *t, const struct entity *e, uint64_t id, uint64_t acct, struct record **r,
		     struct record **link)
{
	struct txn *txn = NULL;
	*r = *link = NULL;
	int rc = store_begin(t->st, 0, &txn);
	if (!rc)
		rc = store_get(txn, e, id, r);
	if (!rc && e == ENTITY(contact) && acct) {
		struct value v[2] = {{(int64_t)acct, NULL, 1}, {(int64_t)id, NULL, 1}};
		uint64_t lid = 0;
		int lrc = store_index_ids(txn, ENTITY(account_contact), "account_contact", v, 2, first_id, &lid);
		if (lid && (lrc == 0 || lrc == 1))
			rc = store_get(txn, ENTITY(account_contact), lid, link);
	}
	store_abort(txn);
	if (rc) {
		record_free(*r);
		*r = NULL;
	}
	return rc;
}

/* e: the record the current list shows at its cursor, in its form. */
void form_open(struct tui *t)
{
	if (t->read_only) {
		tui_message(t, 1, "read-only: kam was opened with --read-only, edits are refused");
		return;
	}
	const struct entity *e;
	uint64_t id;
	int sel = tui_selected_record(t, &e, &id);
	if (sel) {
		tui_message(t, 1, "%s",
			    sel > 0 ? "the detail was still being rebuilt: press e again" : "no record to edit here");
		return;
	}
	if (!has_form(e)) {
		tui_message(t, 1, "no form for %s records: E edits one in $EDITOR", e->name);
		return;
	}
	uint64_t acct = t->gv.kind ? (t->gv.n ? t->gv.acct[t->gvl.pos.cur] : 0) : t->det.account;
	struct record *r, *link;
	int rc = form_load(t, e, id, acct, &r, &link);
	if (rc) {
		tui_message(t, 1, "%s %llu: %s", e->name, (unsigned long long)id, kam_strerror(rc));
		return;
	}
	struct form *fm = form_new(r, link, 0);
	form_fill(fm, r, NULL);
	t->form = fm;
	t->dirty = D_ALL;
}

/* a: a form for a new record of entity e (account, contact, opportunity,
 * activity), saved by form_insert(). acct: the account the new record
 * belongs to (pre-filled), year: an opportunity's plan year. */
void form_open_new(struct tui *t, const struct entity *e, uint64_t acct, int year)
{
	if (t->read_only) {
		tui_message(t, 1, "read-only: kam was opened with --read-only, edits are refused");
		return;
	}
	struct record *r = record_new(e), *link = NULL;
	if (e == ENTITY(contact)) {
		link = record_new(ENTITY(account_contact));
		record_set_int(link, AC_ACCOUNT, (int64_t)acct);
	} else if (e == ENTITY(opportunity)) {
		record_set_int(r, OPP_ACCOUNT, (int64_t)acct);
		record_set_int(r, OPP_YEAR, year);
	} else if (e == ENTITY(activity)) {
		record_set_int(r, ACT_ACCOUNT, (int64_t)acct);
	}
	struct form *fm = form_new(r, link, 1);
	form_fill(fm, fm->orig, NULL);
	/* The cursor starts on the first field that is not pre-filled. */
	while (fm->cur + 1 < fm->nfields && *fm->start[fm->cur])
		fm->cur++;
	t->form = fm;
	t->dirty = D_ALL;
}

/* a: a record of the kind the current list shows, for the account it
 * belongs to: contacts, opportunities (of the year shown) and activities in
 * their sub-views when the detail has the keyboard, in the global Contacts
 * and Opportunities views and the Pipeline (the row's account); an account
 * elsewhere. */
void form_open_add(struct tui *t)
{
	const struct entity *e = ENTITY(account);
	uint64_t acct = 0;
	int year = t->plan_year;
	if (t->help)
		return;
	if (t->pipe_open) {
		const struct pipe_col *c = t->pipe.ncols ? &t->pipe.cols[t->pipe_col] : NULL;
		if (!c || !c->n) {
			tui_message(t, 1, "no account here: add the opportunity from its account (3, a)");
			return;
		}
		e = ENTITY(opportunity);
		acct = c->cards[t->pipe_row[t->pipe_col]].acct;
		year = t->pipe.year;
	} else if (t->gv.kind == VLIST_CONTACTS || t->gv.kind == VLIST_OPPS) {
		e = t->gv.kind == VLIST_CONTACTS ? ENTITY(contact) : ENTITY(opportunity);
		acct = t->gv.n ? t->gv.acct[t->gvl.pos.cur] : 0;
		if (!acct) {
			tui_message(t, 1, "no account for this row: add the %s from its account", e->name);
			return;
		}
	} else if (t->gv.kind) {
		tui_message(t, 1, "add: nothing to add in this view");
		return;
	} else if (t->focus && t->det.account &&
		   (t->det.sub == DETAIL_CONTACTS || t->det.sub == DETAIL_OPPS || t->det.sub == DETAIL_ACTS)) {
		if (t->det_stale) {
			tui_message(t, 1, "the detail was still being rebuilt: press a again");
			return;
		}
		e = t->det.sub == DETAIL_CONTACTS ? ENTITY(contact)
		    : t->det.sub == DETAIL_OPPS   ? ENTITY(opportunity)
						  : ENTITY(activity);
		acct = t->det.account;
		year = t->det.year;
	}
	form_open_new(t, e, acct, year);
}

void form_close(struct tui *t)
{
	struct form *fm = t->form;
	if (!fm)
		return;
	for (int i = 0; i < fm->nfields; i++) {
		le_free(&fm->le[i]);
		free(fm->start[i]);
		free(fm->err[i]);
	}
	record_free(fm->orig);
	record_free(fm->link);
	pick_free(fm->pick);
	for (int i = 0; i < MAXFIELDS; i++) {
		free(fm->ref_text[i]);
		free(fm->ref_name[i]);
	}
	free(fm->note);
	free(fm);
	t->form = NULL;
	curs_set(0);
	t->navl.drawn_valid = t->detl.drawn_valid = t->gvl.drawn_valid = t->pipe_drawn_valid = 0;
	t->dirty = D_ALL;
}

static int form_changed(const struct form *fm, int i)
{
	char *now = le_text(&fm->le[i]);
	int changed = strcmp(now, fm->start[i]) != 0;
	free(now);
	return changed;
}

static int form_any_changed(const struct form *fm)
{
	for (int i = 0; i < fm->nfields; i++)
		if (form_changed(fm, i))
			return 1;
	return 0;
}

static void set_note(struct form *fm, char *note)
{
	free(fm->note);
	fm->note = note;
}

/* Apply the edited fields to a copy of the record read (and of the link);
 * 0 when all parse. */
static int form_apply(struct form *fm, struct record *r, struct record *link)
{
	int bad = 0;
	for (int i = 0; i < fm->nfields; i++) {
		free(fm->err[i]);
		fm->err[i] = NULL;
		if (!form_changed(fm, i))
			continue;
		char *text = le_text(&fm->le[i]);
		char *cause = NULL;
		if (record_parse_field(fm->fields[i].rec ? link : r, fm->fields[i].f, text, &cause) != 0) {
			fm->err[i] = cause ? cause : xstrdup("invalid value");
			if (!bad)
				fm->cur = i;
			bad = 1;
		} else {
			free(cause);
		}
		free(text);
	}
	if (!bad) {
		char *cause = NULL;
		if (record_validate(r, &cause) != 0) {
			set_note(fm, xasprintf("not saved: %s", cause ? cause : "invalid record"));
			bad = 1;
		}
		free(cause);
	}
	return bad ? -1 : 0;
}

/* Which of the form's records (0: the record, 1: a contact's role) has
 * edited fields. */
static int rec_changed(const struct form *fm, int which)
{
	for (int i = 0; i < fm->nfields; i++)
		if (fm->fields[i].rec == which && form_changed(fm, i))
			return 1;
	return 0;
}

static void conflict_note(struct tui *t, struct form *fm)
{
	struct txn *txn = NULL;
	struct record *theirs = NULL;
	struct buf b = {0};
	/* The record, or a contact's role when the contact itself is unchanged. */
	const struct record *mine = fm->orig;
	int rc = store_begin(t->st, 0, &txn);
	if (!rc && !(rc = store_get(txn, mine->ent, mine->id, &theirs)) && theirs->version == mine->version &&
	    fm->link) {
		record_free(theirs);
		theirs = NULL;
		mine = fm->link;
		rc = store_get(txn, mine->ent, mine->id, &theirs);
	}
	if (!rc) {
		int *diff = NULL;
		record_diff(mine, theirs, &diff);
		buf_addf(&b, "conflict: %s changed this %s (version %u -> %u):",
			 theirs->updated_by ? theirs->updated_by : "someone", mine->ent->name, mine->version,
			 theirs->version);
		for (int k = 0; diff && diff[k] >= 0; k++)
			buf_addf(&b, " %s", theirs->ent->fields[diff[k]].name);
		buf_adds(&b, ". Ctrl-R reloads theirs and re-applies your edits; Esc cancels.");
		free(diff);
	} else {
		buf_addf(&b, "conflict: the %s was changed or deleted meanwhile; Esc cancels.", mine->ent->name);
	}
	store_abort(txn);
	record_free(theirs);
	char *clean = text_sanitize(b.p);
	set_note(fm, clean);
	buf_free(&b);
}

/* Insert the new record r (and a new contact's role in its account, link)
 * in one write txn; the navigator shows a new account, the detail the
 * others. */
static void form_insert(struct tui *t, struct record *r, struct record *link)
{
	struct form *fm = t->form;
	struct txn *txn = NULL;
	char *cause = NULL;
	int rc = store_begin(t->st, 1, &txn);
	if (!rc) {
		char *cmd = xasprintf("tui add %s", r->ent->name);
		store_txn_set_command(txn, cmd);
		free(cmd);
		/* A new contact belongs to the account of its role there. */
		rc = access_check(t->st, store_user(t->st), ACCESS_WRITE, link ? link : r, &cause);
		if (rc == KAM_EINVAL)
			tui_message(t, 1, "permission denied: %s", cause);
		if (!rc)
			rc = store_insert(txn, r, &cause);
		if (!rc && link) {
			record_set_int(link, AC_CONTACT, (int64_t)r->id);
			rc = store_insert(txn, link, &cause);
		}
		if (!rc)
			rc = store_commit(txn, &cause);
		else
			store_abort(txn);
	}
	if (rc) {
		set_note(fm, xasprintf("not saved: %s", cause ? cause : kam_strerror(rc)));
	} else if (r->ent == ENTITY(account)) {
		char id[24];
		snprintf(id, sizeof id, "%llu", (unsigned long long)r->id);
		form_close(t);
		tui_reload(t);
		tui_run_action(t, DO_GOTO, id);
		tui_message(t, 0, "added account %s", id);
	} else {
		form_close(t);
		tui_saved(t, r);
		t->det_stale = 1;
		tui_message(t, 0, "added %s %llu", r->ent->name, (unsigned long long)r->id);
	}
	free(cause);
	t->dirty |= D_NAV | D_STATUS;
}

static void form_save(struct tui *t)
{
	struct form *fm = t->form;
	if (!form_any_changed(fm)) {
		form_close(t);
		tui_message(t, 0, "no changes");
		return;
	}
	struct record *r = record_dup(fm->orig);
	struct record *link = fm->link ? record_dup(fm->link) : NULL;
	if (form_apply(fm, r, link) != 0) {
		record_free(r);
		record_free(link);
		t->dirty |= D_NAV;
		return;
	}
	if (fm->is_new) {
		form_insert(t, r, link);
		record_free(r);
		record_free(link);
		return;
	}
	struct txn *txn = NULL;
	char *cause = NULL;
	int denied = 0;
	int rc = store_begin(t->st, 1, &txn);
	if (!rc) {
		char *cmd = xasprintf("tui set %s %llu", r->ent->name, (unsigned long long)r->id);
		store_txn_set_command(txn, cmd);
		free(cmd);
		/* A contact is written by those who may write its account. */
		rc = access_check(t->st, store_user(t->st), ACCESS_WRITE, link ? link : r, &cause);
		denied = rc == KAM_EINVAL;
		if (!rc && rec_changed(fm, 0))
			rc = store_update(txn, r, &cause);
		if (!rc && link && rec_changed(fm, 1))
			rc = store_update(txn, link, &cause);
		if (!rc)
			rc = store_commit(txn, &cause);
		else
			store_abort(txn);
	}
	if (denied) {
		tui_message(t, 1, "permission denied: %s", cause);
		set_note(fm, xstrdup("not saved: permission denied (see the status line); Esc cancels."));
	} else if (rc == KAM_ECONFLICT) {
		fm->conflict = 1;
		conflict_note(t, fm);
	} else if (rc) {
		set_note(fm, xasprintf("not saved: %s", cause ? cause : kam_strerror(rc)));
	} else {
		const struct entity *e = r->ent;
		uint64_t id = r->id;
		uint32_t v = r->version;
		form_close(t);
		tui_saved(t, r);
		t->det_stale = 1;
		tui_message(t, 0, "saved %s %llu (version %u)", e->name, (unsigned long long)id, v);
	}
	free(cause);
	record_free(r);
	record_free(link);
	t->dirty |= D_NAV | D_STATUS;
}

/* After a conflict: take the stored record as the new base and keep the
 * user's edits on top of it. */
static void form_reload(struct tui *t)
{
	struct form *fm = t->form;
	struct txn *txn = NULL;
	struct record *theirs = NULL, *their_link = NULL;
	int rc = store_begin(t->st, 0, &txn);
	if (!rc)
		rc = store_get(txn, fm->orig->ent, fm->orig->id, &theirs);
	if (!rc && fm->link)
		rc = store_get(txn, fm->link->ent, fm->link->id, &their_link);
	store_abort(txn);
	if (rc) {
		record_free(theirs);
		set_note(fm, xasprintf("cannot reload: %s", kam_strerror(rc)));
		return;
	}
	char *keep[MAXFIELDS] = {0};
	for (int i = 0; i < fm->nfields; i++)
		if (form_changed(fm, i))
			keep[i] = le_text(&fm->le[i]);
	record_free(fm->orig);
	fm->orig = theirs;
	if (their_link) {
		record_free(fm->link);
		fm->link = their_link;
	}
	form_fill(fm, theirs, keep);
	for (int i = 0; i < fm->nfields; i++)
		free(keep[i]);
	fm->conflict = 0;
	set_note(fm, xasprintf("reloaded version %u; your edits are re-applied: Ctrl-S saves", theirs->version));
}

/* Enter in the pick list: the choice goes into the field (a reference
 * list gets the id appended). */
static void form_pick_put(struct form *fm, const char *value)
{
	struct lineedit *le = &fm->le[fm->cur];
	char *now = le_text(le);
	char *text = NULL;
	if (form_field_def(fm, fm->cur)->type == FT_REFS && *now) {
		int dup = 0;
		for (char *p = now; *p;) {
			size_t n = strcspn(p, ";");
			if (n == strlen(value) && strncmp(p, value, n) == 0)
				dup = 1;
			p += n + (p[n] == ';');
		}
		text = dup ? xstrdup(now) : xasprintf("%s;%s", now, value);
	} else {
		text = xstrdup(value);
	}
	le_init(le, text);
	free(text);
	free(now);
	free(fm->err[fm->cur]);
	fm->err[fm->cur] = NULL;
}

static int is_pick_key(int is_keycode, wint_t ch)
{
	int key = (int)ch;
	const struct action *a = &tui_actions[DO_PICK];
	(void)is_keycode;
	return key && (key == a->key || key == a->key2);
}

void form_key(struct tui *t, int is_keycode, wint_t ch)
{
	struct form *fm = t->form;
	t->dirty |= D_NAV;
	if (fm->pick) {
		char *value = NULL;
		int rc = pick_key(fm->pick, is_keycode, ch, &value);
		if (rc != 1) {
			if (rc == 2)
				form_pick_put(fm, value);
			free(value);
			pick_free(fm->pick);
			fm->pick = NULL;
		}
		return;
	}
	if (!fm->confirm_cancel && is_pick_key(is_keycode, ch)) {
		fm->pick = pick_open(t, form_field_def(fm, fm->cur), t->h - 7);
		return;
	}
	if (fm->confirm_cancel) {
		if (!is_keycode && (ch == 'y' || ch == 'Y'))
			form_close(t);
		else
			fm->confirm_cancel = 0;
		return;
	}
	if (!is_keycode && ch == 27) {
		if (form_any_changed(fm))
			fm->confirm_cancel = 1;
		else
			form_close(t);
		return;
	}
	int enter = (!is_keycode && (ch == '\r' || ch == '\n')) || (is_keycode && ch == KEY_ENTER);
	if ((!is_keycode && ch == CTRL('s')) || (enter && fm->cur == fm->nfields - 1)) {
		form_save(t);
		return;
	}
	if (!is_keycode && ch == CTRL('r') && fm->conflict) {
		form_reload(t);
		return;
	}
	if (enter || (!is_keycode && ch == '\t') || (is_keycode && ch == KEY_DOWN)) {
		fm->cur = (fm->cur + 1) % fm->nfields;
		return;
	}
	if ((is_keycode && (ch == KEY_UP || ch == KEY_BTAB))) {
		fm->cur = (fm->cur + fm->nfields - 1) % fm->nfields;
		return;
	}
	le_key(&fm->le[fm->cur], is_keycode, ch);
}

/* The name of the record a reference field's text points to, looked up
 * when the text changes. */
static const char *ref_name_of(struct tui *t, struct form *fm, int i, const struct field *f)
{
	char *text = le_text(&fm->le[i]);
	if (fm->ref_text[i] && strcmp(fm->ref_text[i], text) == 0) {
		free(text);
		return fm->ref_name[i];
	}
	free(fm->ref_text[i]);
	free(fm->ref_name[i]);
	fm->ref_text[i] = text;
	fm->ref_name[i] = NULL;
	const struct entity *e = field_ref_entity(f);
	struct buf b = {0};
	struct txn *txn = NULL;
	if (e && *text && store_begin(t->st, 0, &txn) == 0) {
		for (const char *p = text; *p;) {
			size_t n = strcspn(p, ";");
			char *one = xstrndup(p, n);
			int64_t id;
			struct record *r = NULL;
			if (b.len)
				buf_adds(&b, ", ");
			if (parse_int64(one[0] == '#' ? one + 1 : one, &id) == 0 && id > 0 &&
			    store_get(txn, e, (uint64_t)id, &r) == 0)
				buf_adds(&b, record_name(r));
			else
				buf_addf(&b, "%s: no such %s", one, e->name);
			record_free(r);
			free(one);
			p += n + (p[n] == ';');
		}
		store_abort(txn);
	}
	fm->ref_name[i] = b.p ? text_sanitize(b.p) : NULL;
	buf_free(&b);
	return fm->ref_name[i];
}

static void hint_for(const struct field *f, struct buf *b)
{
	int pickable = (f->type == FT_ENUM && f->enums) || f->type == FT_REF || f->type == FT_REFS;
	if (pickable && tui_actions[DO_PICK].key) {
		char k[24];
		tui_key_label(tui_actions[DO_PICK].key, k, sizeof k);
		buf_addf(b, "%s pick  ", k);
	}
	if (f->type == FT_ENUM && f->enums) {
		buf_adds(b, "one of:");
		for (int k = 0; f->enums[k]; k++)
			buf_addf(b, " %s", f->enums[k]);
	} else if (f->type == FT_BOOL) {
		buf_adds(b, "true or false");
	} else {
		buf_adds(b, f->help);
	}
}

static void put_row(int y, const char *s, int width, attr_t attr)
{
	char *f = text_fit(s, width, TEXT_LEFT);
	attrset(attr);
	mvaddstr(y, 0, f);
	attrset(A_NORMAL);
	free(f);
}

void form_draw(struct tui *t)
{
	struct form *fm = t->form;
	int w = t->w, y = 2;
	char *title = fm->is_new ? xasprintf(" New %s   Tab/Up/Down move  Ctrl-S save  Esc cancel", fm->orig->ent->name)
				 : xasprintf(" Edit %s %llu (version %u)   Tab/Up/Down move  Ctrl-S save  Esc cancel",
					     fm->orig->ent->name, (unsigned long long)fm->orig->id, fm->orig->version);
	put_row(y++, title, w, theme_head);
	free(title);
	put_row(y++, "", w, A_NORMAL);
	int labelw = 16, valw = w / 2 - labelw;
	for (int i = 0; i < fm->nfields; i++, y++) {
		const struct field *f = form_field_def(fm, i);
		char *label = xasprintf("%s %s", i == fm->cur ? ">" : " ", f->name);
		put_row(y, label, labelw, i == fm->cur ? A_BOLD : A_NORMAL);
		free(label);
		attrset(i == fm->cur ? A_UNDERLINE : A_NORMAL);
		int cx = le_draw(&fm->le[i], y, labelw, valw);
		attrset(A_NORMAL);
		if (i == fm->cur) {
			fm->cy = y;
			fm->cx = cx;
		}
		struct buf b = {0};
		const char *ref = f->type == FT_REF || f->type == FT_REFS ? ref_name_of(t, fm, i, f) : NULL;
		if (fm->err[i]) {
			buf_addf(&b, " ! %s", fm->err[i]);
		} else if (i == fm->cur) {
			buf_adds(&b, "  ");
			if (ref)
				buf_addf(&b, "= %s  ", ref);
			hint_for(f, &b);
		} else if (ref) {
			buf_addf(&b, "  = %s", ref);
		}
		char *s = text_sanitize(b.p ? b.p : "");
		char *fit = text_fit(s, w - labelw - valw, TEXT_LEFT);
		attrset(fm->err[i] ? theme_warn : A_NORMAL);
		mvaddstr(y, labelw + valw, fit);
		attrset(A_NORMAL);
		free(s);
		free(fit);
		buf_free(&b);
	}
	put_row(y++, "", w, A_NORMAL);
	const char *note = fm->confirm_cancel ? " discard your changes? y/n" : fm->note ? fm->note : "";
	char *n = xasprintf(" %s", note);
	put_row(y++, n, w, fm->conflict || fm->confirm_cancel ? theme_warn : A_NORMAL);
	free(n);
	while (y < t->h - 1)
		put_row(y++, "", w, A_NORMAL);
	if (fm->pick) {
		int x = labelw + valw;
		fm->cx = pick_draw(fm->pick, 4, x, w - x, t->h - 5, t->arrow);
		fm->cy = 5;
	}
}

void form_place_cursor(struct tui *t)
{
	if (!t->form || t->prompting)
		return;
	move(t->form->cy, t->form->cx);
	curs_set(1);
}

/* --- drafts: a form left open when the connection dropped (SIGHUP) ------------ */

static char *drafts_dir(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	if (state && *state)
		return xasprintf("%s/kam/drafts", state);
	return home && *home ? xasprintf("%s/.local/state/kam/drafts", home) : NULL;
}

static int mkdirs(const char *dir)
{
	char *p = xstrdup(dir);
	int rc = 0;
	for (char *s = p + 1; *s && !rc; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (!rc && mkdir(p, 0700) && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

static char *draft_path(const char *dir, const struct entity *e, uint64_t id)
{
	return id ? xasprintf("%s/%s-%llu.draft", dir, e->name, (unsigned long long)id)
		  : xasprintf("%s/%s-new.draft", dir, e->name);
}

/* Called on SIGHUP with the form open: the changed fields go to a file
 * that the next start offers (:draft). Best effort, no terminal output.
 * "kam draft 1", "db PATH", "ENTITY ID VERSION [ROLE-ID ROLE-VERSION]",
 * then "FIELD VALUE" lines (tab-separated; a new record has id 0 and keeps
 * its account in its fields). */
void form_save_draft(struct tui *t)
{
	struct form *fm = t->form;
	char *dir = fm ? drafts_dir() : NULL;
	if (!fm || !dir || !form_any_changed(fm) || mkdirs(dir) != 0) {
		free(dir);
		return;
	}
	char *path = draft_path(dir, fm->orig->ent, fm->orig->id);
	char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600); /* edits may be private */
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (fd >= 0 && !f)
		close(fd);
	if (f) {
		fprintf(f, "kam draft 1\ndb\t%s\n%s\t%llu\t%u", store_path(t->st), fm->orig->ent->name,
			(unsigned long long)fm->orig->id, fm->orig->version);
		if (fm->link && fm->link->id)
			fprintf(f, "\t%llu\t%u", (unsigned long long)fm->link->id, fm->link->version);
		fputc('\n', f);
		for (int i = 0; i < fm->nfields; i++) {
			if (!form_changed(fm, i))
				continue;
			char *text = le_text(&fm->le[i]);
			for (char *c = text; *c; c++)
				if (*c == '\n' || *c == '\t')
					*c = ' ';
			fprintf(f, "%s\t%s\n", form_field_def(fm, i)->name, text);
			free(text);
		}
		if (fclose(f) == 0)
			rename(tmp, path);
		else
			unlink(tmp);
	}
	free(tmp);
	free(path);
	free(dir);
}

struct draft {
	char *path;
	const struct entity *e;
	uint64_t id, link_id;
	char *name[MAXFIELDS]; /* field name and value, as saved */
	char *val[MAXFIELDS];
	int n;
};

static void draft_free(struct draft *d)
{
	free(d->path);
	for (int i = 0; i < d->n; i++) {
		free(d->name[i]);
		free(d->val[i]);
	}
	memset(d, 0, sizeof *d);
}

/* "ENTITY ID VERSION [ROLE-ID ROLE-VERSION]": 0 when it reads. */
static int draft_head(const char *line, struct draft *d)
{
	char ent[32];
	unsigned long long id = 0, lid = 0;
	unsigned version = 0, lversion = 0;
	int n = sscanf(line, "%31[a-z_]\t%llu\t%u\t%llu\t%u", ent, &id, &version, &lid, &lversion);
	d->e = n >= 3 ? entity_by_name(ent) : NULL;
	d->id = id;
	d->link_id = n == 5 ? lid : 0;
	return d->e && has_form(d->e) ? 0 : -1;
}

/* The first draft of this database, or 0. */
static int draft_find(struct tui *t, struct draft *out)
{
	memset(out, 0, sizeof *out);
	char *dir = drafts_dir();
	DIR *dh = dir ? opendir(dir) : NULL;
	struct dirent *de;
	int found = 0;
	while (dh && !found && (de = readdir(dh)) != NULL) {
		size_t n = strlen(de->d_name);
		if (n < 7 || strcmp(de->d_name + n - 6, ".draft") != 0)
			continue;
		char *path = xasprintf("%s/%s", dir, de->d_name);
		FILE *f = fopen(path, "r");
		char line[4096];
		int ok = f && fgets(line, sizeof line, f) && strcmp(line, "kam draft 1\n") == 0;
		if (ok && fgets(line, sizeof line, f)) {
			line[strcspn(line, "\n")] = '\0';
			ok = strncmp(line, "db\t", 3) == 0 && strcmp(line + 3, store_path(t->st)) == 0;
		}
		if (ok && fgets(line, sizeof line, f))
			ok = draft_head(line, out) == 0;
		while (ok && out->n < MAXFIELDS && fgets(line, sizeof line, f)) {
			line[strcspn(line, "\n")] = '\0';
			char *tab = strchr(line, '\t');
			if (!tab)
				continue;
			*tab = '\0';
			out->name[out->n] = xstrdup(line);
			out->val[out->n++] = xstrdup(tab + 1);
		}
		if (f)
			fclose(f);
		if (ok) {
			out->path = path;
			found = 1;
		} else {
			free(path);
			draft_free(out);
		}
	}
	if (dh)
		closedir(dh);
	free(dir);
	return found;
}

int form_draft_pending(struct tui *t)
{
	struct draft d;
	int found = draft_find(t, &d);
	draft_free(&d);
	return found;
}

/* The draft's records as stored now (a new one: empty, its role too). */
static int draft_records(struct tui *t, const struct draft *d, struct record **r, struct record **link)
{
	*r = *link = NULL;
	if (!d->id) {
		*r = record_new(d->e);
		if (d->e == ENTITY(contact))
			*link = record_new(ENTITY(account_contact));
		return 0;
	}
	struct txn *txn = NULL;
	int rc = store_begin(t->st, 0, &txn);
	if (!rc)
		rc = store_get(txn, d->e, d->id, r);
	if (!rc && d->link_id)
		rc = store_get(txn, ENTITY(account_contact), d->link_id, link);
	store_abort(txn);
	if (rc) {
		record_free(*r);
		*r = NULL;
	}
	return rc;
}

/* :draft: reopen the form with the draft's edits on the stored record. */
void form_open_draft(struct tui *t)
{
	struct draft d;
	if (t->read_only) {
		tui_message(t, 1, "read-only: kam was opened with --read-only, edits are refused");
		return;
	}
	if (!draft_find(t, &d)) {
		tui_message(t, 1, "no draft to restore");
		return;
	}
	struct record *r, *link;
	int rc = draft_records(t, &d, &r, &link);
	if (rc) {
		tui_message(t, 1, "draft of %s %llu: %s; draft kept in %s", d.e->name, (unsigned long long)d.id,
			    kam_strerror(rc), d.path);
		draft_free(&d);
		return;
	}
	form_close(t);
	struct form *fm = form_new(r, link, d.id == 0);
	char *keep[MAXFIELDS] = {0};
	for (int i = 0; i < fm->nfields; i++)
		for (int k = 0; k < d.n; k++)
			if (strcmp(form_field_def(fm, i)->name, d.name[k]) == 0)
				keep[i] = d.val[k];
	form_fill(fm, r, keep);
	set_note(fm, xstrdup("draft restored (the connection dropped): Ctrl-S saves, Esc discards"));
	t->form = fm;
	t->dirty = D_ALL;
	unlink(d.path);
	draft_free(&d);
}
