/* GET /cc/api/contacts/{id}: a contact visible to the signed-in agent, with
 * the customer's recent calls: {ok:true, contact:{…}, recent:[…]}. A
 * contact the agent may not see is answered exactly as one that does not
 * exist (404). */
#include "contact.h"
#include "../route.h"

const char *contact_get(struct req *r)
{
	bool dberr;
	json_t *c = contact_load(r->thr->db, r->web, r->route_id, r->sess->user_id, r->lang, &dberr);
	if (!c)
		return dberr ? "db_unavailable" : "not_found";
	json_t *recent = contact_recent(r->thr->db, r->web, r->route_id, NULL, NULL,
				       r->sess->user_id);
	return resp_json(r, 200, json_pack("{s:b, s:o, s:o}", "ok", 1, "contact", c, "recent",
					   recent ? recent : json_array()));
}
