/* Customer lookup: the caller's number, normalized, against the plugin's
 * index of the helpdesk contacts' phone numbers (cc_contact_phone), and the
 * upkeep of that index from the contacts table. Answers are kept in memory
 * by number (cache.h) until the contact changes (docs/lookup.md). Knows
 * nothing of calls: a lookup's answer goes to a callback on the loop. */
#ifndef B2BUA_CONTACT_H
#define B2BUA_CONTACT_H

#include <stddef.h>

struct core;
struct db;
struct dbq;
struct manifest;
struct phone_rules;
struct lookup;

/* core: the loop, and the config whose contact_cache_* keys bound the
 * cache (read at each use: they change at run time). */
int lookup_alloc(struct lookup **lp, struct core *core, struct dbq *dbq, struct manifest *mf,
		 const struct phone_rules *rules);
/* Answers from the cache not yet delivered are dropped: call lookup_flush
 * first. */
void lookup_free(struct lookup *lk);

/* Worker thread, before the first lookup: learns what the manifest leaves
 * open (manifest_detect) and builds the SQL on the contacts table. 0 or -1. */
int lookup_prepare(struct lookup *lk, struct db *db);

/* A field of the contact's record (a column the manifest maps), for IVR
 * flows' contact_<column> variables. */
struct lookup_field {
	const char *column;	/* the manifest's */
	const char *value;	/* "" when NULL */
};
#define LOOKUP_FIELDS_MAX 16
/* On the loop: the contact holding norm, or id and name NULL when none was
 * found (or the database did not answer); agent: the contact's dedicated
 * agent (cc_dedicated_agent), or NULL. fields: the first LOOKUP_FIELDS_MAX
 * of the manifest's, when found; valid during the call only. */
typedef void (lookup_h)(void *arg, const char *id, const char *name, const char *agent,
			const struct lookup_field *fields, size_t nfields);
/* Looks norm up: from the cache when it holds norm (h is then called on the
 * loop's next turn, no database), else on a query worker. 0 when h will be
 * called (never from inside this call), or -1 (then it will not: nothing to
 * look up, or the queue is full). */
int lookup_contact(struct lookup *lk, const char *norm, lookup_h *h, void *arg);
/* Delivers now the answers from the cache still waiting for the loop's next
 * turn (at shutdown, before the loop stops and the database queue is
 * freed). lk may be NULL (a start that failed before it was made). */
void lookup_flush(struct lookup *lk);

/* Forgetting kept answers (docs/lookup.md, "Invalidation"), on the loop.
 * Each returns how many answers went; a lookup running meanwhile is
 * answered but its answer is not kept. */
/* Every number's answer naming contact id (saved, deleted, rebound). */
size_t lookup_forget_contact(struct lookup *lk, const char *id);
/* number's answer (it may have a contact now, or another): normalized
 * here, so any written form does. */
size_t lookup_forget_number(struct lookup *lk, const char *number);
size_t lookup_forget_all(struct lookup *lk);

/* On the loop: the agent who last answered a call from norm (cc_call), or
 * NULL when none did (or the database did not answer). Never kept: it
 * changes with every answered call. */
typedef void (lookup_agent_h)(void *arg, const char *agent);
/* Looks it up on a query worker. 0 when h will be called, or -1. */
int lookup_last_agent(struct lookup *lk, const char *norm, lookup_agent_h *h, void *arg);

/* Brings the phone index up to date with contacts created, changed or
 * touched since the last run (all of them the first time), then forgets the
 * kept answers of those contacts and of their numbers. Runs on a worker;
 * one at a time (a call while one runs does nothing). */
void lookup_sync(struct lookup *lk);
/* The same, now, or right after the run under way (which may have read the
 * contacts before the change the caller knows of). Returns the run's
 * ticket: that run is over, and succeeded, once lookup_get_stats() reports
 * synced at or past it. 0: it could not be queued. */
unsigned lookup_sync_now(struct lookup *lk);

struct lookup_stats {
	size_t entries, bytes;		/* kept now */
	size_t max_entries, max_bytes;	/* the bounds in force */
	unsigned long hits, misses;	/* lookups answered from memory, or not */
	unsigned long queries;		/* lookups sent to the database */
	unsigned long stored, forgotten, evicted, expired;
	unsigned long uncached;		/* answers not kept: a forget came meanwhile */
	unsigned synced;		/* the ticket of the last successful sync */
};
void lookup_get_stats(const struct lookup *lk, struct lookup_stats *st);

#endif
