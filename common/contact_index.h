/* The plugin's index of the helpdesk contacts' phone numbers
 * (cc_contact_phone): each number of a contact, normalized (phone.h), with
 * the column it came from and the contact's rank (when it was last touched
 * and updated: the caller lookup's order, docs/lookup.md). Written by both
 * programs: the B2BUA keeps it in step with the contacts table, the web app
 * when an agent saves a contact. */
#ifndef CC_CONTACT_INDEX_H
#define CC_CONTACT_INDEX_H

#include <stddef.h>

struct db;
struct manifest;
struct phone_rules;

/* Room for one normalized number (cc_contact_phone.phone is shorter). */
#define CONTACT_INDEX_NUMBER 40
/* The most numbers a contact has: one per phone column of the manifest. */
#define CONTACT_INDEX_PHONES 16

/* The contact's touched and updated times as the contacts table gives them
 * (text, NULL for NULL), stored with each of its numbers: the lookup reads
 * the index in that order and needs no sort. */
struct contact_rank {
	const char *touched, *updated;
};

/* The distinct normalized forms of phones (one value per phone column of
 * the manifest, in its order; NULL or unusable values are skipped), first
 * column first, into out. Returns how many (at most max). */
size_t contact_index_numbers(const struct manifest *mf, const struct phone_rules *rules,
			     const char *const *phones, char (*out)[CONTACT_INDEX_NUMBER],
			     size_t max);

/* Makes the index rows of contact_id again from phones (as above; a number
 * two columns hold is named by the first). phones NULL: the contact has no
 * numbers (deleted). rank may be NULL (no times). Run inside the caller's
 * transaction, if any. 0, or -1 on a database error. */
int contact_index_set(struct db *db, const struct manifest *mf, const struct phone_rules *rules,
		      const char *contact_id, const char *const *phones,
		      const struct contact_rank *rank);

#endif
