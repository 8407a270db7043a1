/* The entity tables, generated from kam/schema.def. */
#include "kam/model.h"

#include <string.h>

#define KAM_ENUM_DEF(name, ...) const char *const kam_enum_##name[] = {__VA_ARGS__, NULL};
KAM_ENUMS(KAM_ENUM_DEF)
#undef KAM_ENUM_DEF

#define TEXT FT_TEXT
#define INT FT_INT
#define MONEY FT_MONEY
#define PCT FT_PCT
#define DATE FT_DATE
#define TIME FT_TIME
#define BOOL FT_BOOL
#define ENUM FT_ENUM
#define REF FT_REF
#define REFS FT_REFS
#define REQ FF_REQ
#define NAME FF_NAME
#define SENS FF_SENS
#define COMP FF_COMP
#define NONE FF_NONE

#define FIELD_DEF(ID, name, type, flags, enums, ref, help) {name, type, flags, enums, ref, help},
#define FIELDS_DEF(id, code, name, plural, help) static const struct field id##_fields[] = {KAM_FIELDS_##id(FIELD_DEF)};
KAM_ENTITIES(FIELDS_DEF)
#undef FIELDS_DEF
#undef FIELD_DEF

/* Index tables: explicit composite indexes first, then one per REF field.
 * Sized generously; counted at first use. */
#define MAX_INDEXES 12
#define INDEX_ARRAY(id, code, name, plural, help) static struct index_def id##_indexes[MAX_INDEXES];
KAM_ENTITIES(INDEX_ARRAY)
#undef INDEX_ARRAY

#define ENTITY_DEF(id, code, name, plural, help)                                                                       \
	static struct entity id##_entity = {code, name,         plural,                                                \
					    help, id##_fields,  (int)(sizeof id##_fields / sizeof id##_fields[0]),     \
					    -1,   id##_indexes, 0};
KAM_ENTITIES(ENTITY_DEF)
#undef ENTITY_DEF

#define ENTITY_PTR(id, code, name, plural, help) &id##_entity,
const struct entity *const kam_entities[ENT__COUNT] = {KAM_ENTITIES(ENTITY_PTR)};
#undef ENTITY_PTR

#define PLAIN IX_PLAIN
#define FOLD IX_FOLD
static void add_index(struct entity *e, const char *name, enum index_kind kind, int f1, int f2)
{
	struct index_def *ix = &e->indexes[e->nindexes++];
	ix->name = name;
	ix->kind = kind;
	ix->fields[0] = f1;
	ix->fields[1] = f2;
	ix->nfields = f2 < 0 ? 1 : 2;
	ix->dbi_slot = -1;
}

/* Runs before main: the tables are complete before any code looks at them. */
__attribute__((constructor)) static void schema_init(void)
{
#define EXPLICIT(id, name, kind, f1, f2) add_index(&id##_entity, name, kind, f1, f2);
	KAM_INDEXES(EXPLICIT)
#undef EXPLICIT
	for (int i = 0; i < ENT__COUNT; i++) {
		struct entity *e = (struct entity *)kam_entities[i];
		for (int f = 0; f < e->nfields; f++) {
			if (e->fields[f].flags & FF_NAME && e->name_field < 0)
				e->name_field = f;
			if (e->fields[f].type == FT_REF)
				add_index(e, e->fields[f].name, IX_PLAIN, f, -1);
		}
	}
}

const struct entity *entity_by_name(const char *name)
{
	for (int i = 0; i < ENT__COUNT; i++)
		if (!strcmp(kam_entities[i]->name, name) || !strcmp(kam_entities[i]->plural, name))
			return kam_entities[i];
	return NULL;
}

int entity_field(const struct entity *e, const char *name)
{
	for (int f = 0; f < e->nfields; f++)
		if (!strcmp(e->fields[f].name, name))
			return f;
	return -1;
}

char *entity_unknown_field_msg(const struct entity *e, const char *name)
{
	const char *names[64];
	int n = 0;
	for (int f = 0; f < e->nfields && n < 63; f++)
		names[n++] = e->fields[f].name;
	names[n] = NULL;
	const char *near = nearest_word(name, names);
	if (near)
		return xasprintf("unknown field '%s' of %s (did you mean '%s'?)", name, e->name, near);
	return xasprintf("unknown field '%s' of %s", name, e->name);
}

const struct entity *field_ref_entity(const struct field *f)
{
	return f->ref ? entity_by_name(f->ref) : NULL;
}

int enum_index(const char *const *list, const char *code)
{
	for (int i = 0; list && list[i]; i++)
		if (!strcmp(list[i], code))
			return i;
	return -1;
}
