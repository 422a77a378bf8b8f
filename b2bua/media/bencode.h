/* bencode, the encoding of rtpengine's ng protocol.
 *
 * Decoding builds a tree of nodes in an arena; strings point into the
 * decoded buffer (not NUL-terminated), so the buffer must outlive the tree.
 * Encoding appends to a growable buffer; an allocation failure is sticky
 * (e->err) and checked once at the end. */
#ifndef B2BUA_BENCODE_H
#define B2BUA_BENCODE_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

enum benc_type { BENC_STR, BENC_INT, BENC_LIST, BENC_DICT };

struct benc {
	enum benc_type type;
	const char *key;	/* set on the values of a dict */
	size_t key_len;
	const char *str;	/* BENC_STR */
	size_t len;
	long long num;		/* BENC_INT */
	struct benc *child;	/* BENC_LIST, BENC_DICT: first element */
	struct benc *next;	/* next element of the parent */
};

/* Parses one value filling all of buf[0..len). Returns the root, or NULL with
 * *err set to a static reason ("truncated", "bad integer", "nesting too
 * deep", "trailing bytes", "out of memory", ...). Nesting is limited to 32. */
struct benc *benc_decode(struct arena *a, const char *buf, size_t len, const char **err);
/* The same for a stream (rtpengine's TCP ng port): parses the one value
 * at the start of buf[0..len) and writes its length to *used; the bytes
 * after it are not looked at. When the value is not complete yet, *err is
 * "truncated" (benc_truncated()): read more and try again. */
struct benc *benc_decode_prefix(struct arena *a, const char *buf, size_t len, size_t *used,
				const char **err);
bool benc_truncated(const char *err);
/* The value of key in dict, or NULL (also when dict is not a dict). */
const struct benc *benc_get(const struct benc *dict, const char *key);
/* True when node is a string equal to s. */
bool benc_is(const struct benc *node, const char *s);
/* A NUL-terminated copy of a string node in the arena; NULL if not a string. */
char *benc_strdup(struct arena *a, const struct benc *node);

struct benc_enc {
	char *buf;
	size_t len, cap;
	int err;		/* 0 or ENOMEM */
	int depth;
};

void benc_enc_init(struct benc_enc *e);
void benc_enc_free(struct benc_enc *e);
void benc_dict(struct benc_enc *e);
void benc_list(struct benc_enc *e);
void benc_end(struct benc_enc *e);
void benc_str(struct benc_enc *e, const char *s);
void benc_strn(struct benc_enc *e, const char *s, size_t n);
void benc_int(struct benc_enc *e, long long v);
/* key then string value; nothing when value is NULL */
void benc_kv(struct benc_enc *e, const char *key, const char *value);
/* key then integer value */
void benc_kint(struct benc_enc *e, const char *key, long long v);
/* key then a list of strings from a NULL-terminated array; nothing when
 * list is NULL or empty */
void benc_klist(struct benc_enc *e, const char *key, const char *const *list);

#endif
