/* Export as CSV or JSONL: every field in schema order after the record
 * header, records in id order, references as kam ids, so that the output
 * imports back unchanged. */
#include "kam/io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kam/csv.h"
#include "kam/err.h"
#include "kam/json.h"

static const char *const meta_columns[] = {"id", "version", "created", "updated", "updated_by", "ext_id"};
#define NMETA (sizeof meta_columns / sizeof meta_columns[0])

static int field_exported(const struct field *fd, unsigned flags)
{
	return !(fd->flags & FF_SENS) || flags & EXPORT_SENSITIVE;
}

void export_csv_header(const struct entity *e, unsigned flags, struct buf *out)
{
	for (size_t i = 0; i < NMETA; i++)
		buf_addf(out, "%s%s", i ? "," : "", meta_columns[i]);
	for (int f = 0; f < e->nfields; f++)
		if (field_exported(&e->fields[f], flags))
			buf_addf(out, ",%s", e->fields[f].name);
	buf_addc(out, '\n');
}

void export_csv_row(const struct record *r, unsigned flags, struct buf *out)
{
	int raw = flags & EXPORT_RAW;
	struct buf cell = {0};
	buf_addf(out, "%llu,%u,%lld,%lld,", (unsigned long long)r->id, r->version, (long long)r->created,
		 (long long)r->updated);
	csv_write_cell(out, r->updated_by ? r->updated_by : "", raw);
	buf_addc(out, ',');
	csv_write_cell(out, r->ext_id ? r->ext_id : "", raw);
	for (int f = 0; f < r->ent->nfields; f++) {
		if (!field_exported(&r->ent->fields[f], flags))
			continue;
		buf_reset(&cell);
		record_format_field(r, f, &cell);
		buf_addc(out, ',');
		csv_write_cell(out, cell.p ? cell.p : "", raw);
	}
	buf_addc(out, '\n');
	buf_free(&cell);
}

void export_jsonl_row(const struct record *r, unsigned flags, struct buf *out)
{
	size_t start = out->len;
	record_to_json(r, JSON_META | (flags & EXPORT_SENSITIVE ? JSON_SENSITIVE : 0), out);
	if (flags & EXPORT_TAGGED) { /* {"entity":"account",...} for a file of every type */
		char *rest = xstrdup(out->p + start + 1);
		out->len = start;
		buf_adds(out, "{\"entity\":");
		json_add_string(out, r->ent->name);
		buf_addc(out, ',');
		buf_adds(out, rest);
		free(rest);
	}
	buf_addc(out, '\n');
}

struct export_ctx {
	enum io_format fmt;
	unsigned flags;
	FILE *out;
	struct buf b;
	int err;
};

static int export_one(const struct record *r, void *arg)
{
	struct export_ctx *x = arg;
	if (x->fmt == IO_JSONL)
		export_jsonl_row(r, x->flags, &x->b);
	else
		export_csv_row(r, x->flags, &x->b);
	if (x->b.len >= 1 << 16) { /* write in blocks: exports can be large */
		if (fwrite(x->b.p, 1, x->b.len, x->out) != x->b.len)
			return x->err = errno ? errno : EIO, KAM_ESTORE;
		buf_reset(&x->b);
	}
	return 0;
}

int export_entity(struct txn *t, const struct entity *e, enum io_format fmt, unsigned flags, FILE *out, char **cause)
{
	struct export_ctx x = {fmt == IO_AUTO ? IO_CSV : fmt, flags, out, {0}, 0};
	if (x.fmt == IO_CSV)
		export_csv_header(e, flags, &x.b);
	int rc = store_scan(t, e, export_one, &x);
	if (!rc && x.b.len && fwrite(x.b.p, 1, x.b.len, out) != x.b.len)
		x.err = errno ? errno : EIO, rc = KAM_ESTORE;
	buf_free(&x.b);
	if (x.err)
		return set_cause(cause, KAM_ESTORE, "cannot write: %s", strerror(x.err));
	if (rc)
		return set_cause(cause, rc, "cannot read %s: %s", e->plural, kam_strerror(rc));
	return 0;
}
