/* Order-preserving key encoding of the store, and small hooks for tests and
 * maintenance tools. No LMDB types here: only src/store includes <lmdb.h>.
 *
 * Every key compares with memcmp in the order of the values it encodes:
 *   id            8 bytes big-endian
 *   integer       8 bytes big-endian with the sign bit flipped, so negative
 *                 numbers sort before positive ones; unset = INT64_MIN
 *   text          the bytes (at most KEY_TEXT_MAX, cut at a UTF-8 boundary)
 *                 followed by 0x00, so "ab" < "abc" < "b" and a prefix scan
 *                 that leaves the terminator out matches every extension;
 *                 unset = empty
 *   FOLD text     the same over text_fold() of the value
 *   index key     the fields' encodings concatenated, then the record id. */
#ifndef KAM_STORE_KEYS_H
#define KAM_STORE_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "kam/model.h"
#include "kam/store.h"
#include "kam/util.h"

/* Longest text kept in a key: two text fields + id stay below LMDB's 511. */
#define KEY_TEXT_MAX 200

void key_put_u64(struct buf *b, uint64_t v);
uint64_t key_get_u64(const void *p);
void key_put_i64(struct buf *b, int64_t v);
int64_t key_get_i64(const void *p);
/* prefix: leave the terminator out (prefix scans). */
void key_put_text(struct buf *b, const char *s, int fold, int prefix);

/* The key of record r in index ix (fields || id). */
void key_index_record(struct buf *b, const struct index_def *ix, const struct record *r);
/* The scan prefix for the first nvals values of ix. A FOLD text as the last
 * value is a prefix of the stored text, every other value matches exactly. */
void key_index_prefix(struct buf *b, const struct entity *e, const struct index_def *ix, const struct value *vals,
		      int nvals);

/* Meta values (8-byte big-endian numbers in the "meta" DBI), for tests and
 * maintenance. get returns KAM_ENOTFOUND when absent. */
int store_meta_get(struct txn *t, const char *key, uint64_t *val);
int store_meta_put(struct txn *t, const char *key, uint64_t val);

/* Rebuild every index of e from its records (repair, e.g. kam fsck). */
int store_index_rebuild(struct txn *t, const struct entity *e);

#endif
