/* POST: create (or enable an existing user), update, enable/disable,
 * delete, reset the SIP password. Each is one transaction with its audit
 * record; what happens outside the database (Kamailio, the B2BUA, event
 * streams) comes after the commit (effects.c). The SIP password made is in
 * the answer once and nowhere else. */
#include "agents.h"

#include "../audit/audit.h"
#include "log.h"

#include <string.h>

/* A field from a form or JSON; JSON true/false as "1"/"0"; JSON groups
 * as [{id, level}] become "id:level,...". */
static const char *param(struct req *r, const char *name)
{
	json_t *j = r->json ? json_object_get(r->json, name) : NULL;
	if (json_is_boolean(j))
		return json_is_true(j) ? "1" : "0";
	if (json_is_null(j))
		return "";
	if (json_is_array(j) && !strcmp(name, "groups")) {
		char *s = arena_strdup(r->a, "");
		size_t i;
		json_t *g;
		json_array_foreach(j, i, g) {
			json_t *id = json_object_get(g, "id"), *lv = json_object_get(g, "level");
			if (!json_is_integer(id) || (lv && !json_is_integer(lv)))
				return "bad";
			s = arena_printf(r->a, "%s%s%lld:%lld", s, i ? "," : "",
					 (long long)json_integer_value(id),
					 lv ? (long long)json_integer_value(lv) : 1LL);
		}
		return s;
	}
	return req_param(r, name);
}

static const char *trimmed(struct req *r, const char *name)
{
	const char *v = param(r, name);
	return v ? text_trim(r->a, v) : NULL;
}

/* The answer after a change: the agent as it is now. */
static json_t *agent_now(struct req *r, const char *id)
{
	struct ag_row row;
	return ag_db_get(r, id, &row) == 1 ? ag_json(&row) : json_null();
}

const char *agents_create_post(struct req *r)
{
	struct ag_input in = {
		.user_id = trimmed(r, "user_id"),
		.username = trimmed(r, "username"),
		.name = trimmed(r, "name"),
		.password = param(r, "password"),
		.extension = trimmed(r, "extension"),
		.groups = param(r, "groups"),
	};
	struct db *db = r->thr->db;
	json_t *errs = json_object();
	struct ag_write w = { 0 };
	int rc = ag_txn_create(r, db, &in, false, errs, &w);
	if (rc <= 0) {
		if (rc == 0)
			return ag_invalid(r, errs);
		json_decref(errs);
		log_err("agents: create: %s", db_error(db));
		return "db_unavailable";
	}
	json_decref(errs);
	bool reloaded = ag_reload(r);
	json_t *j = json_pack("{s:b, s:o, s:s, s:s, s:b, s:b}", "ok", 1, "agent",
			      agent_now(r, w.user_id), "sip_password", w.sip_password, "extension",
			      w.extension, "new_user", w.created_user, "reloaded", reloaded);
	memset(w.sip_password, 0, sizeof w.sip_password);
	return resp_json(r, 201, j);
}

const char *agents_update_post(struct req *r)
{
	const char *id = r->route_id;
	struct ag_input in = {
		.name = trimmed(r, "name"),
		.extension = trimmed(r, "extension"),
		.groups = param(r, "groups"),
	};
	struct db *db = r->thr->db;
	json_t *errs = json_object();
	struct ag_write w = { 0 };
	int rc = ag_txn_update(r, db, id, &in, errs, &w);
	if (rc <= 0) {
		if (rc == 0 && json_object_size(errs))
			return ag_invalid(r, errs);
		json_decref(errs);
		if (rc == 0)
			return "not_found";
		log_err("agents: update: %s", db_error(db));
		return "db_unavailable";
	}
	json_decref(errs);
	if (w.old_extension)
		ag_drop_registration(r, w.old_extension);
	bool reloaded = ag_reload(r);
	json_t *j = json_pack("{s:b, s:o, s:b}", "ok", 1, "agent", agent_now(r, id), "reloaded",
			      reloaded);
	if (w.sip_password[0])
		json_object_set_new(j, "sip_password", json_string(w.sip_password));
	memset(w.sip_password, 0, sizeof w.sip_password);
	return resp_json(r, 200, j);
}

/* Disabling and deleting share the refusal and the effects. */
static const char *take_away(struct req *r, bool delete)
{
	const char *id = r->route_id;
	struct db *db = r->thr->db;
	struct ag_row row;
	int rc = ag_db_get(r, id, &row);
	if (rc < 0)
		return "db_unavailable";
	if (!rc)
		return "not_found";
	const char *why = ag_hold_for_change(r, id);
	if (why && !strcmp(why, "agents.busy"))
		return ag_refuse(r, 409, "busy", delete ? "agents.busy_delete" : "agents.busy_disable");
	if (why)
		return why;
	const struct ag_sql *s = ag_sql(r);
	char (*tokens)[65] = NULL;
	size_t ntokens = 0;
	json_t *before = ag_json(&row);
	if (!s || db_begin(db))
		goto fail;
	if (delete) {
		if ((s->user_revoke && db_exec(db, s->user_revoke, "s", id) < 0) ||
		    db_exec(db, "DELETE FROM cc_sip_account WHERE user_id = ?", "s", id) < 0 ||
		    db_exec(db, "DELETE FROM cc_skill_group_member WHERE user_id = ?", "s", id) < 0 ||
		    db_exec(db, "DELETE FROM cc_dedicated_agent WHERE user_id = ?", "s", id) < 0)
			goto rollback;
	} else if (db_exec(db, "UPDATE cc_sip_account SET enabled = 0 WHERE user_id = ?", "s",
			   id) < 0) {
		goto rollback;
	}
	json_t *after = delete ? NULL : json_pack("{s:b}", "enabled", 0);
	json_t *b = delete ? before : json_pack("{s:b}", "enabled", row.enabled);
	rc = ag_sessions_delete(r, id, &tokens, &ntokens) ||
	     audit_write(r, "agents", id, delete ? "delete" : "disable", b, after);
	json_decref(after);
	if (b != before)
		json_decref(b);
	if (rc || db_commit(db))
		goto rollback;
	json_decref(before);
	ag_end_streams(r, tokens, ntokens);
	bool dropped = ag_drop_registration(r, row.ext);
	bool reloaded = ag_reload(r);
	return resp_json(r, 200, json_pack("{s:b, s:b, s:b, s:o}", "ok", 1, "reloaded", reloaded,
					   "unregistered", dropped, "agent",
					   delete ? json_null() : agent_now(r, id)));
rollback:
	log_err("agents: %s %s: %s", delete ? "delete" : "disable", id, db_error(db));
	db_rollback(db);
fail:
	json_decref(before);
	return "db_unavailable";
}

const char *agents_delete_post(struct req *r)
{
	return take_away(r, true);
}

const char *agents_enabled_post(struct req *r)
{
	const char *v = param(r, "enabled");
	if (!v || (strcmp(v, "0") && strcmp(v, "1")))
		return "bad_request";
	if (!strcmp(v, "0"))
		return take_away(r, false);
	const char *id = r->route_id;
	struct db *db = r->thr->db;
	struct ag_row row;
	int rc = ag_db_get(r, id, &row);
	if (rc < 0)
		return "db_unavailable";
	if (!rc || !row.has_sip)
		return "not_found";
	if (db_begin(db))
		return "db_unavailable";
	json_t *b = json_pack("{s:b}", "enabled", row.enabled), *a = json_pack("{s:b}", "enabled", 1);
	rc = db_exec(db, "UPDATE cc_sip_account SET enabled = 1 WHERE user_id = ?", "s", id) < 0 ||
	     audit_write(r, "agents", id, "enable", b, a) || db_commit(db);
	json_decref(b);
	json_decref(a);
	if (rc) {
		log_err("agents: enable %s: %s", id, db_error(db));
		db_rollback(db);
		return "db_unavailable";
	}
	bool reloaded = ag_reload(r);
	return resp_json(r, 200, json_pack("{s:b, s:b, s:o}", "ok", 1, "reloaded", reloaded, "agent",
					   agent_now(r, id)));
}

const char *agents_password_post(struct req *r)
{
	const char *id = r->route_id;
	struct db *db = r->thr->db;
	struct ag_row row;
	int rc = ag_db_get(r, id, &row);
	if (rc < 0)
		return "db_unavailable";
	if (!rc || !row.has_sip)
		return "not_found";
	struct ag_write w = { 0 };
	if (db_begin(db))
		return "db_unavailable";
	if (ag_db_reset_sip(r, db, &row, &w) < 0 || db_commit(db)) {
		log_err("agents: reset password %s: %s", id, db_error(db));
		db_rollback(db);
		return "db_unavailable";
	}
	/* The phone registered with the old password is dropped: it has to
	 * register again, with the new one. */
	ag_drop_registration(r, row.ext);
	json_t *j = json_pack("{s:b, s:s, s:s}", "ok", 1, "sip_password", w.sip_password,
			      "extension", row.ext);
	memset(w.sip_password, 0, sizeof w.sip_password);
	return resp_json(r, 200, j);
}
