/* POST /cc/voicemail/{id}/handle (the page's form: back to the list) and
 * POST /cc/api/voicemail/{id}/handle (JSON): marks a message handled by
 * the signed-in user, an admin or an agent of its group; audited
 * ("voicemail", id, "handle"). A message handled already stays as it was
 * (409 voicemail.handled). */
#include "voicemail.h"

#include "../audit/audit.h"

#include "log.h"

const char *voicemail_handle_post(struct req *r)
{
	const char *why = vm_allowed(r);
	if (why)
		return why;
	bool json = r->route->kind == RK_JSON;
	struct db *db = r->thr->db;
	struct vm v;
	if (db_begin(db) < 0)
		return "db_unavailable";
	int rc = vm_db_get(r, r->route_id, &v);
	if (rc <= 0) {
		db_rollback(db);
		return rc < 0 ? "db_unavailable" : "not_found";
	}
	if (v.handled_at) {
		db_rollback(db);
		if (json)
			return resp_json(r, 409, json_pack("{s:b, s:s, s:s}", "ok", 0, "error",
							   "voicemail.handled", "message",
							   web_t(r, "voicemail.already_handled")));
		resp_redirect(r, "/cc/voicemail");
		return NULL;
	}
	json_t *before = vm_json(&v);
	long long n = db_exec(db,
			      "UPDATE cc_voicemail SET handled_by = ?, handled_name = ?, "
			      "handled_at = NOW(3) WHERE id = ? AND handled_at IS NULL",
			      "sss", r->sess->user_id, r->sess->name ? r->sess->name : r->sess->username,
			      v.id);
	json_t *after = json_pack("{s:b, s:s}", "handled", 1, "handled_by", r->sess->user_id);
	json_object_set_new(before, "handled_by", json_null());
	bool ok = n == 1 && audit_write(r, "voicemail", v.id, "handle", before, after) == 0 &&
		  db_commit(db) == 0;
	json_decref(before);
	json_decref(after);
	if (!ok) {
		db_rollback(db);
		log_err("voicemail %s: not marked handled: %s", v.id, db_error(db));
		return "db_unavailable";
	}
	if (json)
		return resp_json(r, 200, json_pack("{s:b}", "ok", 1));
	resp_redirect(r, "/cc/voicemail?done=handled");
	return NULL;
}
