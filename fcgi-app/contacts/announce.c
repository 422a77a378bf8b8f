/* Telling the B2BUA that a contact changed (docs/lookup.md, "Invalidation"):
 * the caller lookups it keeps for the contact and for its numbers go, so
 * the next call from those numbers pops what was just saved. Best effort
 * and after the commit: a B2BUA that is down keeps nothing when it starts
 * again, and its index sync forgets the contact within contact_sync_s
 * whatever happens here. */
#include "contact.h"

#include "db.h"
#include "log.h"

static int number_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)ncol;
	(void)lens;
	if (v[0])
		json_array_append_new(arg, json_string(v[0]));
	return 0;
}

void contact_announce(struct req *r, const char *id, bool numbers)
{
	json_t *phones = json_array();
	if (!phones)
		return;
	/* The numbers as the index holds them now (a new number may be kept
	 * as unknown, or as another contact's); those it lost go with the
	 * contact's id. */
	if (numbers && db_query(r->thr->db, "SELECT phone FROM cc_contact_phone WHERE contact_id = ?",
				number_row, phones, "s", id) < 0)
		log_warn("contact %s: its numbers for the B2BUA: %s", id, db_error(r->thr->db));
	json_t *rep = web_ctl(r, "contact.changed", "s:s, s:o", "contact", id, "phones", phones);
	const char *err = json_string_value(json_object_get(rep, "error"));
	if (rep && !json_is_true(json_object_get(rep, "ok")))
		log_warn("B2BUA contact.changed for %s: %s", id, err ? err : "refused");
	json_decref(rep);
}
