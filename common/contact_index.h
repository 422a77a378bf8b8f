/* The plugin's index of the helpdesk contacts' phone numbers
 * (cc_contact_phone): each number of a contact, normalized (phone.h), with
 * the column it came from. Written by both programs: the B2BUA keeps it in
 * step with the contacts table, the web app when an agent saves a contact. */
#ifndef CC_CONTACT_INDEX_H
#define CC_CONTACT_INDEX_H

struct db;
struct manifest;
struct phone_rules;

/* Makes the index rows of contact_id again from phones: one value per
 * phone column of the manifest (in its order; NULL or unusable values are
 * skipped). phones NULL: the contact has no numbers (deleted). Run inside
 * the caller's transaction, if any. 0, or -1 on a database error. */
int contact_index_set(struct db *db, const struct manifest *mf, const struct phone_rules *rules,
		      const char *contact_id, const char *const *phones);

#endif
