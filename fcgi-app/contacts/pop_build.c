/* What an agent's screen shows when a call pops (docs/web.md, "The screen
 * pop"): the contact the B2BUA named, or the newest visible contact with
 * the caller's number, or a blank form with the number filled in; and the
 * customer's recent calls; what an IVR flow attached to the call. Run by the pop loaders (pop.c). */
#include "../sse/hub.h"

#include "contact.h"
#include "manifest.h"
#include "../web.h"

static const char *str(json_t *ev, const char *k)
{
	return json_string_value(json_object_get(ev, k));
}

json_t *pop_build(struct web *w, struct db *db, json_t *ev)
{
	const char *call = str(ev, "call"), *agent = str(ev, "agent");
	const char *caller = str(ev, "caller"), *norm = str(ev, "caller_norm");
	const char *cid = str(ev, "contact");
	json_t *contact = NULL;
	bool dberr = false;
	if (cid)
		contact = contact_load(db, w, cid, agent, w->conf.default_lang, &dberr);
	char found[33];
	if (!contact && !dberr && norm && *norm &&
	    contact_find_by_phone(db, w, norm, agent, found) == 1)
		contact = contact_load(db, w, found, agent, w->conf.default_lang, &dberr);
	const char *contact_id = contact ? json_string_value(json_object_get(contact, "id")) : NULL;
	json_t *recent = contact_recent(db, w, contact_id, norm, call);
	json_t *prefill = json_null();
	if (!contact) {
		/* An unknown caller: a blank form with the number in the first
		 * phone field. */
		contact = contact_shape(w->mf, NULL, NULL, w->conf.default_lang);
		for (size_t i = 0; i < w->mf->contacts.nfields; i++)
			if (w->mf->contacts.fields[i].type == MF_PHONE) {
				json_decref(prefill);
				prefill = json_pack("{s:s, s:s}", "column",
						    w->mf->contacts.fields[i].column, "value",
						    caller ? caller : "");
				break;
			}
	}
	return json_pack("{s:s?, s:s?, s:s?, s:s?, s:b, s:o, s:o, s:o, s:o, s:b}", "call", call,
			 "agent", agent, "caller", caller, "caller_norm", norm, "known",
			 contact_id != NULL, "contact", contact, "prefill", prefill, "recent",
			 recent ? recent : json_array(), "data", pop_data(str(ev, "data")),
			 "db_error", dberr || !recent);
}
