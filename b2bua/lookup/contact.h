/* Customer lookup: the caller's number, normalized, against the plugin's
 * index of the helpdesk contacts' phone numbers (cc_contact_phone), and the
 * upkeep of that index from the contacts table. */
#ifndef B2BUA_CONTACT_H
#define B2BUA_CONTACT_H

struct app;
struct call;
struct manifest;

/* SQL on the contacts table, built once from the manifest (after
 * manifest_detect). 0 or -1. */
int contact_sql_init(const struct manifest *mf);

/* Looks the call's caller up; when found, sets call->contact_id/name,
 * records it, and the call's later events carry it. Never delays the call. */
void contact_lookup(struct call *call);

/* Brings the phone index up to date with contacts created or changed since
 * the last run (all of them the first time). Runs on a worker; the loop
 * calls it every contact_sync_s. */
void contact_sync(struct app *app);

#endif
