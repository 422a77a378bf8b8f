/* The contacts' phone index: see contact_index.h. */
#include "contact_index.h"

#include "db.h"
#include "manifest.h"
#include "phone.h"

int contact_index_set(struct db *db, const struct manifest *mf, const struct phone_rules *rules,
		      const char *contact_id, const char *const *phones)
{
	if (db_exec(db, "DELETE FROM cc_contact_phone WHERE contact_id = ?", "s", contact_id) < 0)
		return -1;
	for (size_t i = 0; phones && i < mf->contacts.nphones; i++) {
		char norm[40];
		if (!phones[i] || !phones[i][0] ||
		    phone_normalize(rules, phones[i], norm, sizeof norm) == PHONE_INVALID)
			continue;
		/* Two columns may hold the same number: the first one names it. */
		if (db_exec(db, "INSERT IGNORE INTO cc_contact_phone (phone, contact_id, source_column) "
				"VALUES (?, ?, ?)",
			    "sss", norm, contact_id, mf->contacts.phones[i]) < 0)
			return -1;
	}
	return 0;
}
