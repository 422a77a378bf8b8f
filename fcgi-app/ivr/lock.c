/* POST /cc/api/admin/ivr/flows/{id}/lock: takes or renews the edit lock
 * for IVR_LOCK_S seconds (the editor renews it every minute); 409
 * ivr.locked with the holder while another admin's lock is live. POST
 * .../unlock gives it back. Taking and giving back are audited (who edited
 * a flow, and when); a renewal is not (one a minute would drown the log). */
#include "ivr.h"

#include "../audit/audit.h"

#include "db.h"
#include "log.h"

#include <string.h>

/* 409 ivr.locked naming the holder. */
const char *ivr_locked_by_other(struct req *r, const struct ivr_row *row)
{
	const char *who = row->lock_name ? row->lock_name : row->lock_user;
	const char *text = web_t(r, "ivr.locked");
	const char *at = strstr(text, "{user}");
	const char *msg = at ? arena_printf(r->a, "%.*s%s%s", (int)(at - text), text, who, at + 6)
			     : text;
	return ivr_refuse(r, 409, "ivr.locked", msg ? msg : text,
			  json_pack("{s:o}", "lock", ivr_lock_json(row)));
}

const char *ivr_lock_post(struct req *r)
{
	const char *id = ivr_key(r);
	struct ivr_row before, row;
	struct db *db = r->thr->db;
	int rc = id ? ivr_db_get(r, id, false, &before, NULL, NULL) : 0;
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : "not_found";
	bool renewal = ivr_lock_holder(before.lock_user, before.lock_live, r->sess->user_id) == 1;
	if (db_begin(db) < 0)
		return "db_unavailable";
	rc = ivr_db_lock(r, id, &row);
	if (rc < 0) {
		db_rollback(db);
		return "db_unavailable";
	}
	if (rc == 0) {
		db_rollback(db);
		return ivr_locked_by_other(r, &row);
	}
	if (!renewal) {
		json_t *after = json_pack("{s:o}", "lock", ivr_lock_json(&row));
		int arc = audit_write(r, "ivr", id, "lock", NULL, after);
		json_decref(after);
		if (arc < 0) {
			db_rollback(db);
			return "db_unavailable";
		}
	}
	if (db_commit(db) < 0) {
		db_rollback(db);
		return "db_unavailable";
	}
	if (!renewal)
		log_info("ivr %s: locked by %s", id, r->sess->user_id);
	return resp_json(r, 200, json_pack("{s:b, s:o, s:i}", "ok", 1, "lock", ivr_lock_json(&row),
					   "seconds", IVR_LOCK_S));
}

const char *ivr_unlock_post(struct req *r)
{
	const char *id = ivr_key(r);
	struct ivr_row row;
	struct db *db = r->thr->db;
	int rc = id ? ivr_db_get(r, id, false, &row, NULL, NULL) : 0;
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : "not_found";
	if (db_begin(db) < 0)
		return "db_unavailable";
	rc = ivr_db_unlock(r, id);
	if (rc > 0 && audit_write(r, "ivr", id, "unlock", NULL, NULL) < 0)
		rc = -1;
	if (rc < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return "db_unavailable";
	}
	return resp_json(r, 200, json_pack("{s:b, s:b}", "ok", 1, "released", rc > 0));
}
