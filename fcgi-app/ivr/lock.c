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

const char IVR_LOCKED[] = "ivr.locked";

const char *ivr_txn_flow(struct req *r, const char *id, struct ivr_row *row, const char **draftp)
{
	int rc = ivr_db_get(r, id, true, row, draftp, NULL);
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : "not_found";
	if (ivr_lock_holder(row->lock_user, row->lock_live, r->sess->user_id) == 2)
		return IVR_LOCKED;
	return NULL;
}

struct lock {
	const char *id;
	bool renewal;
	struct ivr_row row;
	bool released;
};

static const char *lock_body(struct req *r, void *arg)
{
	struct lock *l = arg;
	int rc = ivr_db_lock(r, l->id, &l->row);
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : IVR_LOCKED;
	if (l->renewal)
		return NULL;
	return audit_txn(r, "ivr", l->id, "lock", NULL,
			 json_pack("{s:o}", "lock", ivr_lock_json(&l->row)));
}

const char *ivr_lock_post(struct req *r)
{
	const char *id = ivr_key(r);
	struct ivr_row before;
	int rc = id ? ivr_db_get(r, id, false, &before, NULL, NULL) : 0;
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : "not_found";
	struct lock l = {
		.id = id,
		.renewal = ivr_lock_holder(before.lock_user, before.lock_live, r->sess->user_id) == 1,
	};
	const char *why = web_txn(r, lock_body, &l);
	if (why == IVR_LOCKED)
		return ivr_locked_by_other(r, &l.row);
	if (why)
		return why;
	if (!l.renewal)
		log_info("ivr %s: locked by %s", id, r->sess->user_id);
	return resp_json(r, 200, json_pack("{s:b, s:o, s:i}", "ok", 1, "lock", ivr_lock_json(&l.row),
					   "seconds", IVR_LOCK_S));
}

static const char *unlock_body(struct req *r, void *arg)
{
	struct lock *l = arg;
	int rc = ivr_db_unlock(r, l->id);
	l->released = rc > 0;
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : NULL;
	return audit_txn(r, "ivr", l->id, "unlock", NULL, NULL);
}

const char *ivr_unlock_post(struct req *r)
{
	const char *id = ivr_key(r);
	struct ivr_row row;
	int rc = id ? ivr_db_get(r, id, false, &row, NULL, NULL) : 0;
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : "not_found";
	struct lock l = { .id = id };
	const char *why = web_txn(r, unlock_body, &l);
	if (why)
		return why;
	return resp_json(r, 200, json_pack("{s:b, s:b}", "ok", 1, "released", l.released));
}
