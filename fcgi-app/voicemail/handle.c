/* POST /cc/voicemail/{id}/handle (the page's form: back to the list) and
 * POST /cc/api/voicemail/{id}/handle (JSON): marks a message handled by
 * the signed-in user, an admin or an agent of its group; audited
 * ("voicemail", id, "handle"). A message handled already stays as it was
 * (409 voicemail.handled). */
#include "voicemail.h"

#include "../audit/audit.h"

#include "log.h"

#include <string.h>

static const char HANDLED[] = "voicemail.handled";

struct handle {
	const char *id;
	struct vm v;
};

static const char *handle_body(struct req *r, void *arg)
{
	struct handle *t = arg;
	int rc = vm_db_get(r, t->id, &t->v);
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : "not_found";
	if (t->v.handled_at)
		return HANDLED;
	if (db_exec(r->thr->db,
		    "UPDATE cc_voicemail SET handled_by = ?, handled_name = ?, "
		    "handled_at = NOW(3) WHERE id = ? AND handled_at IS NULL",
		    "sss", r->sess->user_id, r->sess->name ? r->sess->name : r->sess->username,
		    t->v.id) != 1)
		return "db_unavailable";
	json_t *before = vm_json(&t->v);
	json_object_set_new(before, "handled_by", json_null());
	return audit_txn(r, "voicemail", t->v.id, "handle", before,
			 json_pack("{s:b, s:s}", "handled", 1, "handled_by", r->sess->user_id));
}

const char *voicemail_handle_post(struct req *r)
{
	const char *why = vm_allowed(r);
	if (why)
		return why;
	bool json = r->route->kind == RK_JSON;
	struct handle t = { .id = r->route_id };
	why = web_txn(r, handle_body, &t);
	if (why == HANDLED) {
		if (json)
			return resp_json(r, 409, json_pack("{s:b, s:s, s:s}", "ok", 0, "error",
							   "voicemail.handled", "message",
							   web_t(r, "voicemail.already_handled")));
		resp_redirect(r, "/cc/voicemail");
		return NULL;
	}
	if (why) {
		if (!strcmp(why, "db_unavailable"))
			log_err("voicemail %s: not marked handled: %s", t.id,
				db_error(r->thr->db));
		return why;
	}
	if (json)
		return resp_json(r, 200, json_pack("{s:b}", "ok", 1));
	resp_redirect(r, "/cc/voicemail?done=handled");
	return NULL;
}
