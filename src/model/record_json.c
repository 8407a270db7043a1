/* A record as one JSON object: the form of exports, the audit log and
 * `--format json`. Numbers stay numbers; money is a decimal number. */
#include "kam/model.h"

#include "kam/json.h"

static int is_numeric_json(enum ftype t)
{
	return t == FT_INT || t == FT_MONEY || t == FT_PCT || t == FT_REF;
}

void record_to_json(const struct record *r, unsigned flags, struct buf *out)
{
	int first = 1;
	struct buf tmp = {0};
	buf_addc(out, '{');
	if (flags & JSON_META) {
		buf_addf(out, "\"id\":%llu,\"version\":%u,\"created\":%lld,\"updated\":%lld", (unsigned long long)r->id,
			 r->version, (long long)r->created, (long long)r->updated);
		buf_adds(out, ",\"updated_by\":");
		json_add_string(out, r->updated_by ? r->updated_by : "");
		if (r->ext_id) {
			buf_adds(out, ",\"ext_id\":");
			json_add_string(out, r->ext_id);
		}
		first = 0;
	}
	for (int f = 0; f < r->ent->nfields; f++) {
		const struct field *fd = &r->ent->fields[f];
		if (!r->v[f].set || (fd->flags & FF_SENS && !(flags & JSON_SENSITIVE)))
			continue;
		if (!first)
			buf_addc(out, ',');
		first = 0;
		json_add_string(out, fd->name);
		buf_addc(out, ':');
		buf_reset(&tmp);
		record_format_field(r, f, &tmp);
		if (fd->type == FT_BOOL || is_numeric_json(fd->type))
			buf_adds(out, tmp.p ? tmp.p : "0");
		else
			json_add_string(out, tmp.p ? tmp.p : "");
	}
	buf_addc(out, '}');
	buf_free(&tmp);
}
