/* Customer lookup: the caller's number, normalized, against the plugin's
 * index of the helpdesk contacts' phone numbers (cc_contact_phone), and the
 * upkeep of that index from the contacts table. Knows nothing of calls: a
 * lookup's answer goes to a callback on the loop. */
#ifndef B2BUA_CONTACT_H
#define B2BUA_CONTACT_H

#include <stddef.h>

struct db;
struct dbq;
struct manifest;
struct phone_rules;
struct lookup;

int lookup_alloc(struct lookup **lp, struct dbq *dbq, struct manifest *mf,
		 const struct phone_rules *rules);
void lookup_free(struct lookup *lk);

/* Worker thread, before the first lookup: learns what the manifest leaves
 * open (manifest_detect) and builds the SQL on the contacts table. 0 or -1. */
int lookup_prepare(struct lookup *lk, struct db *db);

/* On the loop: the contact holding norm, or id and name NULL when none was
 * found (or the database did not answer); agent: the contact's dedicated
 * agent (cc_dedicated_agent), or NULL. */
/* A field of the contact's record (a column the manifest maps), for IVR
 * flows' contact_<column> variables. */
struct lookup_field {
	const char *column;	/* the manifest's */
	const char *value;	/* "" when NULL */
};
#define LOOKUP_FIELDS_MAX 16
/* fields: the first LOOKUP_FIELDS_MAX of the manifest's, when found;
 * valid during the call only. */
typedef void (lookup_h)(void *arg, const char *id, const char *name, const char *agent,
			const struct lookup_field *fields, size_t nfields);
/* Looks norm up on a query worker. 0 when h will be called, or -1 (then it
 * will not: nothing to look up, or the queue is full). */
int lookup_contact(struct lookup *lk, const char *norm, lookup_h *h, void *arg);

/* On the loop: the agent who last answered a call from norm (cc_call), or
 * NULL when none did (or the database did not answer). */
typedef void (lookup_agent_h)(void *arg, const char *agent);
/* Looks it up on a query worker. 0 when h will be called, or -1. */
int lookup_last_agent(struct lookup *lk, const char *norm, lookup_agent_h *h, void *arg);

/* Brings the phone index up to date with contacts created or changed since
 * the last run (all of them the first time). Runs on a worker; one at a
 * time (a call while one runs does nothing). */
void lookup_sync(struct lookup *lk);

#endif
