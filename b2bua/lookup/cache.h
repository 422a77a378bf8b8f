/* The callers' lookups kept in memory (docs/lookup.md): the answer for a
 * normalized number, a contact or "none holds it", so that the next call
 * from that number needs no database. Bounded in entries and bytes (the
 * least recently used answer goes first) and in time (each answer has an
 * expiry). Answers are forgotten by number, by contact id, or all at once.
 *
 * Plain data on the loop's thread, no locks: the caller gives the clock and
 * the bounds, so that the bounds follow the config at run time and a test
 * drives the clock. */
#ifndef B2BUA_LOOKUP_CACHE_H
#define B2BUA_LOOKUP_CACHE_H

#include "b2bua/lookup/contact.h"

#include <stddef.h>

struct lookup_cache;

/* A kept answer. id NULL: no contact holds the number (name, agent NULL,
 * no fields). Field columns point at the manifest's names (they outlive
 * the cache); the rest is the cache's own. */
struct lookup_answer {
	const char *id, *name, *agent;
	const struct lookup_field *fields;
	size_t nfields;
};

struct lookup_cache_limits {
	size_t max_entries;	/* 0: nothing is kept */
	size_t max_bytes;	/* the entries and the tables' buckets */
};

struct lookup_cache_stats {
	size_t entries, bytes;
	unsigned long hits, misses;	/* lookup_cache_get() */
	unsigned long stored;		/* answers kept */
	unsigned long forgotten;	/* dropped by lookup_cache_forget_*() */
	unsigned long evicted;		/* dropped for room */
	unsigned long expired;		/* dropped past their time */
};

int lookup_cache_alloc(struct lookup_cache **cp);
void lookup_cache_free(struct lookup_cache *c);

/* The answer kept for norm, or NULL: none, or one past its expiry at now_ms
 * (which goes). A hit becomes the most recently used. The answer is valid
 * until the next call that changes the cache. */
const struct lookup_answer *lookup_cache_get(struct lookup_cache *c, const char *norm,
					     long long now_ms);

/* Keeps a copy of a for norm (replacing what norm had) until expires_ms,
 * then drops the least recently used answers until lim holds. 0, ENOMEM,
 * or E2BIG (an answer bigger than lim allows alone is not kept; then
 * norm's old answer is gone too). */
int lookup_cache_put(struct lookup_cache *c, const char *norm, const struct lookup_answer *a,
		     long long expires_ms, const struct lookup_cache_limits *lim);

/* Drops the least recently used answers until lim holds (the bounds were
 * lowered). */
void lookup_cache_trim(struct lookup_cache *c, const struct lookup_cache_limits *lim);

/* Each returns how many answers went. */
size_t lookup_cache_forget_number(struct lookup_cache *c, const char *norm);
/* Every number's answer naming contact id. */
size_t lookup_cache_forget_contact(struct lookup_cache *c, const char *id);
size_t lookup_cache_forget_all(struct lookup_cache *c);

void lookup_cache_get_stats(const struct lookup_cache *c, struct lookup_cache_stats *st);

#endif
