/* The callers' lookups kept in memory: see cache.h.
 *
 * Each answer is one allocation (the entry, its fields, then its strings).
 * Two chained hash tables find it, by number and by contact id (found
 * answers only); a doubly linked list keeps the order of use, most recent
 * first. The tables double when they hold more entries than buckets and
 * never shrink but on lookup_cache_forget_all(). */
#include "b2bua/lookup/cache.h"

#include "hash.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS_MIN 64

struct entry {
	struct entry *newer, *older;	/* order of use */
	struct entry *next_num;		/* same bucket of the number table */
	struct entry *next_id;		/* same bucket of the id table */
	unsigned num_hash, id_hash;
	long long expires_ms;
	size_t size;			/* of this allocation */
	const char *norm;
	struct lookup_answer a;
	struct lookup_field fields[];	/* then the strings */
};

struct lookup_cache {
	struct entry **by_num, **by_id;
	size_t nbuckets;		/* of each table; a power of two */
	struct entry *newest, *oldest;
	struct lookup_cache_stats st;
};

static size_t buckets_bytes(size_t nbuckets)
{
	return 2 * nbuckets * sizeof(struct entry *);
}

/* New empty tables of n buckets in place of the old ones (the entries are
 * linked again by the caller). 0 or ENOMEM (then the old ones stay). */
static int tables_alloc(struct lookup_cache *c, size_t n)
{
	struct entry **num = calloc(n, sizeof *num), **id = calloc(n, sizeof *id);
	if (!num || !id) {
		free(num);
		free(id);
		return ENOMEM;
	}
	free(c->by_num);
	free(c->by_id);
	c->st.bytes = c->st.bytes - buckets_bytes(c->nbuckets) + buckets_bytes(n);
	c->by_num = num;
	c->by_id = id;
	c->nbuckets = n;
	return 0;
}

int lookup_cache_alloc(struct lookup_cache **cp)
{
	if (!cp)
		return EINVAL;
	struct lookup_cache *c = calloc(1, sizeof *c);
	if (!c)
		return ENOMEM;
	if (tables_alloc(c, BUCKETS_MIN)) {
		free(c);
		return ENOMEM;
	}
	*cp = c;
	return 0;
}

static void link_tables(struct lookup_cache *c, struct entry *e)
{
	size_t mask = c->nbuckets - 1;
	e->next_num = c->by_num[e->num_hash & mask];
	c->by_num[e->num_hash & mask] = e;
	if (e->a.id) {
		e->next_id = c->by_id[e->id_hash & mask];
		c->by_id[e->id_hash & mask] = e;
	}
}

static void unlink_tables(struct lookup_cache *c, struct entry *e)
{
	size_t mask = c->nbuckets - 1;
	struct entry **p = &c->by_num[e->num_hash & mask];
	while (*p && *p != e)
		p = &(*p)->next_num;
	if (*p)
		*p = e->next_num;
	if (!e->a.id)
		return;
	for (p = &c->by_id[e->id_hash & mask]; *p && *p != e; p = &(*p)->next_id)
		;
	if (*p)
		*p = e->next_id;
}

static void unlink_use(struct lookup_cache *c, struct entry *e)
{
	if (e->newer)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void link_newest(struct lookup_cache *c, struct entry *e)
{
	e->older = c->newest;
	e->newer = NULL;
	if (c->newest)
		c->newest->newer = e;
	else
		c->oldest = e;
	c->newest = e;
}

static void drop(struct lookup_cache *c, struct entry *e)
{
	unlink_tables(c, e);
	unlink_use(c, e);
	c->st.entries--;
	c->st.bytes -= e->size;
	free(e);
}

void lookup_cache_free(struct lookup_cache *c)
{
	if (!c)
		return;
	for (struct entry *e = c->newest, *next; e; e = next) {
		next = e->older;
		free(e);
	}
	free(c->by_num);
	free(c->by_id);
	free(c);
}

static struct entry *find(const struct lookup_cache *c, const char *norm, unsigned h)
{
	for (struct entry *e = c->by_num[h & (c->nbuckets - 1)]; e; e = e->next_num)
		if (e->num_hash == h && !strcmp(e->norm, norm))
			return e;
	return NULL;
}

const struct lookup_answer *lookup_cache_get(struct lookup_cache *c, const char *norm,
					     long long now_ms)
{
	struct entry *e = norm ? find(c, norm, hash_fnv1a(norm)) : NULL;
	if (e && now_ms >= e->expires_ms) {
		drop(c, e);
		c->st.expired++;
		e = NULL;
	}
	if (!e) {
		c->st.misses++;
		return NULL;
	}
	c->st.hits++;
	unlink_use(c, e);
	link_newest(c, e);
	return &e->a;
}

/* Doubles the tables once they hold more entries than buckets (a failed
 * growth only makes the chains longer). */
static void grow(struct lookup_cache *c)
{
	if (c->st.entries < c->nbuckets || tables_alloc(c, c->nbuckets * 2))
		return;
	for (struct entry *e = c->newest; e; e = e->older)
		link_tables(c, e);
}

static bool within(const struct lookup_cache *c, const struct lookup_cache_limits *lim)
{
	return c->st.entries <= lim->max_entries && c->st.bytes <= lim->max_bytes;
}

void lookup_cache_trim(struct lookup_cache *c, const struct lookup_cache_limits *lim)
{
	while (c->oldest && !within(c, lim)) {
		drop(c, c->oldest);
		c->st.evicted++;
	}
}

static size_t len0(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Copies s into the entry's string space at *pos; NULL stays NULL. */
static const char *put_str(char **pos, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = memcpy(*pos, s, n);
	*pos += n;
	return d;
}

int lookup_cache_put(struct lookup_cache *c, const char *norm, const struct lookup_answer *a,
		     long long expires_ms, const struct lookup_cache_limits *lim)
{
	if (!c || !norm || !a || !lim)
		return EINVAL;
	unsigned h = hash_fnv1a(norm);
	struct entry *old = find(c, norm, h);
	if (old)
		drop(c, old);
	bool found = a->id != NULL;
	size_t nfields = found ? a->nfields : 0;
	size_t size = sizeof(struct entry) + nfields * sizeof(struct lookup_field) + len0(norm);
	if (found) {
		size += len0(a->id) + len0(a->name) + len0(a->agent);
		for (size_t i = 0; i < nfields; i++)
			size += len0(a->fields[i].value ? a->fields[i].value : "");
	}
	if (!lim->max_entries || size + buckets_bytes(c->nbuckets) > lim->max_bytes)
		return E2BIG;
	struct entry *e = calloc(1, size);
	if (!e)
		return ENOMEM;
	char *pos = (char *)&e->fields[nfields];
	e->size = size;
	e->expires_ms = expires_ms;
	e->num_hash = h;
	e->norm = put_str(&pos, norm);
	if (found) {
		e->a.id = put_str(&pos, a->id);
		e->a.name = put_str(&pos, a->name);
		e->a.agent = put_str(&pos, a->agent);
		e->id_hash = hash_fnv1a(a->id);
		for (size_t i = 0; i < nfields; i++) {
			e->fields[i].column = a->fields[i].column;
			e->fields[i].value = put_str(&pos, a->fields[i].value ? a->fields[i].value : "");
		}
		e->a.fields = e->fields;
		e->a.nfields = nfields;
	}
	link_tables(c, e);
	link_newest(c, e);
	c->st.entries++;
	c->st.bytes += size;
	c->st.stored++;
	grow(c);
	lookup_cache_trim(c, lim);
	return 0;
}

size_t lookup_cache_forget_number(struct lookup_cache *c, const char *norm)
{
	struct entry *e = norm ? find(c, norm, hash_fnv1a(norm)) : NULL;
	if (!e)
		return 0;
	drop(c, e);
	c->st.forgotten++;
	return 1;
}

size_t lookup_cache_forget_contact(struct lookup_cache *c, const char *id)
{
	if (!id)
		return 0;
	unsigned h = hash_fnv1a(id);
	size_t n = 0;
	struct entry *e = c->by_id[h & (c->nbuckets - 1)];
	while (e) {
		struct entry *next = e->next_id;
		if (e->id_hash == h && !strcmp(e->a.id, id)) {
			drop(c, e);
			n++;
		}
		e = next;
	}
	c->st.forgotten += n;
	return n;
}

size_t lookup_cache_forget_all(struct lookup_cache *c)
{
	size_t n = c->st.entries;
	for (struct entry *e = c->newest, *next; e; e = next) {
		next = e->older;
		free(e);
	}
	c->newest = c->oldest = NULL;
	c->st.entries = 0;
	c->st.bytes = buckets_bytes(c->nbuckets);
	c->st.forgotten += n;
	/* Back to the first size; if that fails, the tables are emptied. */
	if (c->nbuckets == BUCKETS_MIN || tables_alloc(c, BUCKETS_MIN)) {
		memset(c->by_num, 0, c->nbuckets * sizeof *c->by_num);
		memset(c->by_id, 0, c->nbuckets * sizeof *c->by_id);
	}
	return n;
}

void lookup_cache_get_stats(const struct lookup_cache *c, struct lookup_cache_stats *st)
{
	*st = c->st;
}
