/* The contacts' phone index: see contact_index.h. */
#include "contact_index.h"

#include "db.h"
#include "manifest.h"
#include "phone.h"

#include <string.h>

/* Normalizes the phone columns' values; col[i] is the column number i came
 * from. */
static size_t numbers(const struct manifest *mf, const struct phone_rules *rules,
		      const char *const *phones, char (*out)[CONTACT_INDEX_NUMBER], size_t *col,
		      size_t max)
{
	size_t n = 0;
	for (size_t i = 0; phones && i < mf->contacts.nphones && n < max; i++) {
		if (!phones[i] || !phones[i][0] ||
		    phone_normalize(rules, phones[i], out[n], CONTACT_INDEX_NUMBER) == PHONE_INVALID)
			continue;
		bool seen = false;
		for (size_t k = 0; k < n && !seen; k++)
			seen = !strcmp(out[k], out[n]);
		if (seen)
			continue;
		if (col)
			col[n] = i;
		n++;
	}
	return n;
}

size_t contact_index_numbers(const struct manifest *mf, const struct phone_rules *rules,
			     const char *const *phones, char (*out)[CONTACT_INDEX_NUMBER],
			     size_t max)
{
	return numbers(mf, rules, phones, out, NULL, max);
}

int contact_index_set(struct db *db, const struct manifest *mf, const struct phone_rules *rules,
		      const char *contact_id, const char *const *phones,
		      const struct contact_rank *rank)
{
	if (db_exec(db, "DELETE FROM cc_contact_phone WHERE contact_id = ?", "s", contact_id) < 0)
		return -1;
	char norm[CONTACT_INDEX_PHONES][CONTACT_INDEX_NUMBER];
	size_t col[CONTACT_INDEX_PHONES];
	size_t n = numbers(mf, rules, phones, norm, col, CONTACT_INDEX_PHONES);
	const char *touched = rank ? rank->touched : NULL, *updated = rank ? rank->updated : NULL;
	for (size_t i = 0; i < n; i++)
		if (db_exec(db, "INSERT IGNORE INTO cc_contact_phone "
				"(phone, contact_id, source_column, touched, updated) "
				"VALUES (?, ?, ?, ?, ?)",
			    "sssss", norm[i], contact_id, mf->contacts.phones[col[i]], touched,
			    updated) < 0)
			return -1;
	return 0;
}
