#ifndef KAM_MODEL_H
#define KAM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "kam/schema.def"
#include "kam/util.h"

/* The data model is one table (kam/schema.def). Records are generic: an
 * entity descriptor plus one value per field, addressed by the field's enum
 * constant (rec->v[ACCOUNT_NAME].s). One codec, one validator, one parser
 * and one formatter serve every entity, the CLI, import and export. */

enum ftype {
	FT_TEXT,  /* UTF-8 string, s */
	FT_INT,   /* i */
	FT_MONEY, /* i, in cents: "1,234.50" <-> 123450 */
	FT_PCT,   /* i, whole percent 0..100 */
	FT_DATE,  /* i, yyyymmdd */
	FT_TIME,  /* i, minutes since midnight */
	FT_BOOL,  /* i, 0 or 1: "true"/"false" (also yes/no, 1/0 on input) */
	FT_ENUM,  /* s, one of field->enums */
	FT_REF,   /* i, id of a record of entity field->ref */
	FT_REFS   /* s, ids separated by ';' ("3;17") */
};

enum fflag {
	FF_NONE = 0,
	FF_REQ = 1 << 0,  /* required */
	FF_NAME = 1 << 1, /* the record's display name */
	FF_SENS = 1 << 2, /* sensitive: hidden from viewers, not exported by default */
	FF_COMP = 1 << 3  /* computed by kam: ignored on input */
};

struct field {
	const char *name;
	enum ftype type;
	unsigned flags;
	const char *const *enums; /* FT_ENUM: NULL-terminated codes */
	const char *ref;          /* FT_REF/FT_REFS: target entity name */
	const char *help;
};

enum index_kind { IX_PLAIN, IX_FOLD };

struct index_def {
	const char *name; /* for REF auto-indexes: the field name */
	enum index_kind kind;
	int fields[2];
	int nfields;
	int dbi_slot; /* filled by the store */
};

struct entity {
	int code; /* stable on-disk prefix */
	const char *name;
	const char *plural;
	const char *help;
	const struct field *fields;
	int nfields;
	int name_field; /* FF_NAME field or -1 */
	struct index_def *indexes;
	int nindexes;
};

#define KAM_ENTITY_ENUM(id, code, name, plural, help) ENT_##id,
enum entity_id { KAM_ENTITIES(KAM_ENTITY_ENUM) ENT__COUNT };
#undef KAM_ENTITY_ENUM

#define KAM_FIELD_ENUM(ID, name, type, flags, enums, ref, help) ID,
#define KAM_FIELD_ENUMS(id, code, name, plural, help) enum id##_field{KAM_FIELDS_##id(KAM_FIELD_ENUM) id##__NFIELDS};
KAM_ENTITIES(KAM_FIELD_ENUMS)
#undef KAM_FIELD_ENUMS
#undef KAM_FIELD_ENUM

#define KAM_ENUM_DECL(name, ...) extern const char *const kam_enum_##name[];
KAM_ENUMS(KAM_ENUM_DECL)
#undef KAM_ENUM_DECL

extern const struct entity *const kam_entities[ENT__COUNT];
#define ENTITY(id) (kam_entities[ENT_##id])

struct value {
	int64_t i;
	char *s;
	unsigned char set;
};

struct record {
	const struct entity *ent;
	uint64_t id;      /* 0 until stored */
	uint32_t version; /* bumped on every update; optimistic concurrency */
	int64_t created;  /* unix seconds */
	int64_t updated;
	char *updated_by; /* login */
	char *ext_id;     /* external id from an import, or NULL */
	struct value *v;  /* ent->nfields values */
};

/* Entities and fields */
const struct entity *entity_by_name(const char *name);      /* name or plural */
int entity_field(const struct entity *e, const char *name); /* index or -1 */
/* Message "unknown field 'x' of account (did you mean 'y'?)" */
char *entity_unknown_field_msg(const struct entity *e, const char *name);
const struct entity *field_ref_entity(const struct field *f);
int enum_index(const char *const *list, const char *code); /* -1 if absent */

/* Records */
struct record *record_new(const struct entity *e);
void record_free(struct record *r);
struct record *record_dup(const struct record *r);
void record_set_text(struct record *r, int f, const char *s); /* NULL clears */
void record_set_int(struct record *r, int f, int64_t i);
void record_clear(struct record *r, int f);
int record_has(const struct record *r, int f);
const char *record_name(const struct record *r); /* display name or "" */
/* Parse text for field f into r (empty string clears). KAM_EINVAL + cause. */
int record_parse_field(struct record *r, int f, const char *text, char **cause);
/* Append the canonical text of field f (empty if unset). */
void record_format_field(const struct record *r, int f, struct buf *out);
/* Required fields, computed fields (activity budget), entity rules (A != B ...). */
int record_validate(struct record *r, char **cause);
/* Fields that differ: returns their count and a -1-terminated list of
 * field indexes in *out (caller frees). */
int record_diff(const struct record *a, const struct record *b, int **out);

/* Codec: header (format, version, times, updated_by, ext_id) + tagged fields. */
#define RECORD_FORMAT 1
void record_encode(const struct record *r, struct buf *out);
int record_decode(const struct entity *e, uint64_t id, const void *data, size_t len, struct record **out);
/* Decode only the fields whose bit (1ull << f) is set in field_mask into an
 * existing record r of the same entity (from record_new), for whole-table
 * scans. Masked fields are reset first, so afterwards they hold exactly this
 * row's values (unset: set 0, i 0, s NULL, as after record_decode); other
 * fields are skipped without allocation and left as they were; updated_by
 * and ext_id are not copied. Text buffers of masked fields are owned by r
 * and reused from row to row (reallocated only when too small): a value
 * read through r is valid until the next decode into r, so callers copy
 * what they keep. record_free(r) releases everything. KAM_ESTORE when
 * corrupt (r's masked fields are then unspecified). */
#define FIELD_BIT(f) (1ull << (f))
int record_decode_fields(struct record *r, uint64_t id, const void *data, size_t len, uint64_t field_mask);
#define FIELD_MASK_ALL (~0ull)
/* record_decode_fields for rows whose numeric field match_field is set and
 * equals match_value: returns 1 (r's masked fields then unspecified) as
 * soon as the row is seen not to match, without reading the rest of it
 * (filters such as "opportunities of the plan year" touch a fraction of the
 * bytes). KAM_EINVAL when match_field is not a numeric field of r. */
int record_decode_fields_if(struct record *r, uint64_t id, const void *data, size_t len, uint64_t field_mask,
			    int match_field, int64_t match_value);
/* record_decode into an existing record r of the same entity, reusing its
 * buffers: every field, updated_by and ext_id, exactly as record_decode
 * would give them, but without allocating once the buffers are big enough.
 * Values read through r are valid until the next decode into r. */
int record_decode_into(struct record *r, uint64_t id, const void *data, size_t len);

/* JSON object of a record: {"id":1,"version":2,...,fields}. Unset fields are
 * omitted; flags select header fields and sensitive ones. */
enum { JSON_META = 1, JSON_SENSITIVE = 2 };
void record_to_json(const struct record *r, unsigned flags, struct buf *out);

/* Money/percent/date display helpers shared by CLI and TUI. */
void format_money(int64_t cents, struct buf *out);       /* 1234567.5 -> "1,234,567.50" */
void format_money_short(int64_t cents, struct buf *out); /* "2,100.0M", "87.0K" */
void format_date(int64_t yyyymmdd, struct buf *out);     /* "2027-03-31" */

#endif
