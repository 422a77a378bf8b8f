/* bencode for rtpengine's ng protocol: see bencode.h.
 *
 * The decoder is strict where a lenient one would hide a broken peer
 * (leading zeros, "-0", overflow, bytes after the value) and lenient where
 * rtpengine itself is: dict keys need not be sorted. */
#include "bencode.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define BENC_MAX_DEPTH 32

struct dec {
	struct arena *a;
	const char *p, *end;
	const char *err;
};

static struct benc *dec_value(struct dec *d, int depth);

/* Reads a non-negative decimal of at most max up to the byte stop. The
 * digits must not have leading zeros ("0" itself is fine). */
static int dec_digits(struct dec *d, char stop, unsigned long long max, unsigned long long *out,
		      const char *bad)
{
	const char *start = d->p;
	unsigned long long v = 0;
	while (d->p < d->end && *d->p >= '0' && *d->p <= '9') {
		unsigned digit = (unsigned)(*d->p - '0');
		if (v > (max - digit) / 10) {
			d->err = bad;
			return -1;
		}
		v = v * 10 + digit;
		d->p++;
	}
	if (d->p == d->end) {
		d->err = "truncated";
		return -1;
	}
	if (d->p == start || *d->p != stop || (*start == '0' && d->p - start > 1)) {
		d->err = bad;
		return -1;
	}
	d->p++;
	*out = v;
	return 0;
}

static struct benc *new_node(struct dec *d, enum benc_type type)
{
	struct benc *n = arena_alloc(d->a, sizeof *n);
	if (!n) {
		d->err = "out of memory";
		return NULL;
	}
	n->type = type;
	return n;
}

static struct benc *dec_int(struct dec *d)
{
	d->p++; /* 'i' */
	int neg = 0;
	if (d->p < d->end && *d->p == '-') {
		neg = 1;
		d->p++;
	}
	/* The magnitude of LLONG_MIN is one more than LLONG_MAX. */
	unsigned long long max = neg ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;
	unsigned long long v;
	if (dec_digits(d, 'e', max, &v, "bad integer"))
		return NULL;
	if (neg && v == 0) {
		d->err = "bad integer";
		return NULL;
	}
	struct benc *n = new_node(d, BENC_INT);
	if (!n)
		return NULL;
	n->num = neg ? (long long)(0 - v) : (long long)v;
	return n;
}

/* A string's length and bytes; the node is made by the caller because a dict
 * key is not a node of its own. */
static int dec_bytes(struct dec *d, const char **s, size_t *len)
{
	unsigned long long n;
	if (dec_digits(d, ':', SIZE_MAX, &n, "bad string length"))
		return -1;
	if (n > (unsigned long long)(d->end - d->p)) {
		d->err = "truncated";
		return -1;
	}
	*s = d->p;
	*len = (size_t)n;
	d->p += n;
	return 0;
}

static struct benc *dec_str(struct dec *d)
{
	const char *s;
	size_t len;
	if (dec_bytes(d, &s, &len))
		return NULL;
	struct benc *n = new_node(d, BENC_STR);
	if (!n)
		return NULL;
	n->str = s;
	n->len = len;
	return n;
}

static struct benc *dec_container(struct dec *d, enum benc_type type, int depth)
{
	if (depth >= BENC_MAX_DEPTH) {
		d->err = "nesting too deep";
		return NULL;
	}
	d->p++; /* 'l' or 'd' */
	struct benc *n = new_node(d, type);
	if (!n)
		return NULL;
	struct benc **tail = &n->child;
	for (;;) {
		if (d->p == d->end) {
			d->err = "truncated";
			return NULL;
		}
		if (*d->p == 'e') {
			d->p++;
			return n;
		}
		const char *key = NULL;
		size_t key_len = 0;
		if (type == BENC_DICT) {
			if (*d->p < '0' || *d->p > '9') {
				d->err = "dict key not a string";
				return NULL;
			}
			if (dec_bytes(d, &key, &key_len))
				return NULL;
			if (d->p == d->end) {
				d->err = "truncated";
				return NULL;
			}
		}
		struct benc *v = dec_value(d, depth + 1);
		if (!v)
			return NULL;
		v->key = key;
		v->key_len = key_len;
		*tail = v;
		tail = &v->next;
	}
}

static struct benc *dec_value(struct dec *d, int depth)
{
	switch (*d->p) {
	case 'i':
		return dec_int(d);
	case 'l':
		return dec_container(d, BENC_LIST, depth);
	case 'd':
		return dec_container(d, BENC_DICT, depth);
	default:
		if (*d->p >= '0' && *d->p <= '9')
			return dec_str(d);
		d->err = "unexpected byte";
		return NULL;
	}
}

struct benc *benc_decode(struct arena *a, const char *buf, size_t len, const char **err)
{
	struct dec d = { .a = a, .p = buf, .end = buf + len };
	struct benc *root = NULL;
	if (!a || !buf || !len)
		d.err = "empty";
	else if ((root = dec_value(&d, 0)) && d.p != d.end) {
		d.err = "trailing bytes";
		root = NULL;
	}
	if (!root && err)
		*err = d.err;
	return root;
}

struct benc *benc_decode_prefix(struct arena *a, const char *buf, size_t len, size_t *used,
				const char **err)
{
	struct dec d = { .a = a, .p = buf, .end = buf + len };
	struct benc *root = NULL;
	if (!a || !buf || !len || !used)
		d.err = a && buf && used ? "truncated" : "empty";
	else if ((root = dec_value(&d, 0)))
		*used = (size_t)(d.p - buf);
	if (!root && err)
		*err = d.err;
	return root;
}

bool benc_truncated(const char *err)
{
	return err && !strcmp(err, "truncated");
}

const struct benc *benc_get(const struct benc *dict, const char *key)
{
	if (!dict || dict->type != BENC_DICT || !key)
		return NULL;
	size_t n = strlen(key);
	for (const struct benc *v = dict->child; v; v = v->next)
		if (v->key_len == n && !memcmp(v->key, key, n))
			return v;
	return NULL;
}

bool benc_is(const struct benc *node, const char *s)
{
	return node && node->type == BENC_STR && s && node->len == strlen(s) &&
	       !memcmp(node->str, s, node->len);
}

char *benc_strdup(struct arena *a, const struct benc *node)
{
	if (!node || node->type != BENC_STR)
		return NULL;
	return arena_strndup(a, node->str, node->len);
}

/* --- encoding ----------------------------------------------------------- */

void benc_enc_init(struct benc_enc *e)
{
	memset(e, 0, sizeof *e);
}

void benc_enc_free(struct benc_enc *e)
{
	free(e->buf);
	benc_enc_init(e);
}

/* Keeps one byte past len for a NUL, so buf is always a C string too (handy
 * for logs and the command-line tool). */
static void put(struct benc_enc *e, const void *p, size_t n)
{
	if (e->err)
		return;
	if (n >= e->cap - e->len || !e->buf) {
		size_t cap = e->cap ? e->cap : 256;
		while (cap - e->len <= n) {
			if (cap > SIZE_MAX / 2) {
				e->err = ENOMEM;
				return;
			}
			cap *= 2;
		}
		char *b = realloc(e->buf, cap);
		if (!b) {
			e->err = ENOMEM;
			return;
		}
		e->buf = b;
		e->cap = cap;
	}
	memcpy(e->buf + e->len, p, n);
	e->len += n;
	e->buf[e->len] = '\0';
}

void benc_dict(struct benc_enc *e)
{
	put(e, "d", 1);
	e->depth++;
}

void benc_list(struct benc_enc *e)
{
	put(e, "l", 1);
	e->depth++;
}

void benc_end(struct benc_enc *e)
{
	put(e, "e", 1);
	e->depth--;
}

void benc_strn(struct benc_enc *e, const char *s, size_t n)
{
	char head[24];
	int h = snprintf(head, sizeof head, "%zu:", s ? n : 0);
	put(e, head, (size_t)h);
	if (s)
		put(e, s, n);
}

void benc_str(struct benc_enc *e, const char *s)
{
	benc_strn(e, s, s ? strlen(s) : 0);
}

void benc_int(struct benc_enc *e, long long v)
{
	char b[32];
	int n = snprintf(b, sizeof b, "i%llde", v);
	put(e, b, (size_t)n);
}

void benc_kv(struct benc_enc *e, const char *key, const char *value)
{
	if (!value)
		return;
	benc_str(e, key);
	benc_str(e, value);
}

void benc_kint(struct benc_enc *e, const char *key, long long v)
{
	benc_str(e, key);
	benc_int(e, v);
}

void benc_klist(struct benc_enc *e, const char *key, const char *const *list)
{
	if (!list || !list[0])
		return;
	benc_str(e, key);
	benc_list(e);
	for (; *list; list++)
		benc_str(e, *list);
	benc_end(e);
}
