/* Growable lists of name/value pairs and byte buffers, in a request's arena. */
#include "../web.h"

#include <string.h>

int kv_add(struct arena *a, struct kvlist *l, const char *k, const char *v)
{
	if (arena_grow(a, &l->v, l->n, &l->cap, sizeof *l->v))
		return -1;
	l->v[l->n].k = k;
	l->v[l->n].v = v;
	l->n++;
	return 0;
}

const char *kv_get(const struct kvlist *l, const char *k)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].k, k))
			return l->v[i].v;
	return NULL;
}

int buf_append(struct arena *a, struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *np = arena_alloc(a, cap);
		if (!np)
			return -1;
		if (b->len)
			memcpy(np, b->p, b->len);
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int buf_puts(struct arena *a, struct buf *b, const char *s)
{
	return buf_append(a, b, s, strlen(s));
}
