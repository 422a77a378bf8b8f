/* The caller lookup's private parts, shared by its files: contact.c (the
 * lookup and its cache), sync.c (the phone index's upkeep), cache.c (the
 * kept answers). */
#ifndef B2BUA_LOOKUP_PRIV_H
#define B2BUA_LOOKUP_PRIV_H

#include "contact_index.h"
#include "phone.h"

#include <sofia-sip/su_wait.h>
#include <stdbool.h>

#define SYNC_BATCH 500
#define MAX_PHONES CONTACT_INDEX_PHONES
/* Past this many changed contacts in one run, the sync forgets every kept
 * answer rather than each of theirs (the first run indexes them all). */
#define SYNC_FORGET_MAX 5000

struct core;
struct lookup_cache;
struct lookup_job;

/* What a sync run saw change, for the loop to forget once the run is over:
 * the contacts' ids and their numbers now (a number a contact lost is
 * forgotten through the contact's id). */
struct sync_forget {
	char (*ids)[65];
	char (*numbers)[CONTACT_INDEX_NUMBER];
	size_t nids, nnumbers, capids, capnumbers;
	bool all;		/* too many, or out of memory: forget everything */
};

struct sync_job {
	struct lookup *lk;
	char since[32];		/* watermark: contacts changed at or after it */
	char after[65];		/* id of the last contact seen at that time */
	unsigned indexed;
	unsigned seq;		/* this run's ticket (lookup_sync_now) */
	struct sync_forget forget;
	bool busy;
	bool again;		/* asked for while running: run once more after */
};

struct lookup {
	struct core *core;	/* the loop, and the cache's bounds (run-time keys) */
	struct dbq *dbq;
	struct manifest *mf;
	struct phone_rules rules;
	char *sql_lookup;	/* phone [, tenant] -> contact id, name */
	char *sql_changed;	/* contacts changed since a time, after an id */
	bool has_tenant;	/* the tenant is bound to sql_lookup */
	struct sync_job sync;
	unsigned sync_seq;	/* tickets given */
	unsigned synced;	/* the last ticket whose run succeeded */

	struct lookup_cache *cache;
	/* Bumped by every forget: an answer read from the database before it
	 * may be stale, so a lookup started under an older generation is
	 * answered but not kept. */
	unsigned long gen;
	/* Answers from the cache, delivered on the next turn of the loop (a
	 * caller never hears back from inside lookup_contact). */
	struct lookup_job *hits, *hits_tail;
	su_timer_t *t_hits;
	unsigned long queries, uncached;
};

/* sync.c: applies what the finished run saw change (on the loop). */
void lookup_forget_synced(struct lookup *lk, struct sync_forget *f);

#endif
