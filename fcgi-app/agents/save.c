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

struct take_away {
	const char *id;
	bool delete;
	const struct ag_sql *s;
	const struct ag_row *row;
	json_t *before;
	char (*tokens)[65];
	size_t ntokens;
};

static const char *take_away_body(struct req *r, void *arg)
{
	struct take_away *t = arg;
	struct db *db = r->thr->db;
	const char *id = t->id;
	t->tokens = NULL;
	t->ntokens = 0;
	if (t->delete) {
		if ((t->s->user_revoke && db_exec(db, t->s->user_revoke, "s", id) < 0) ||
		    db_exec(db, "DELETE FROM cc_sip_account WHERE user_id = ?", "s", id) < 0 ||
		    db_exec(db, "DELETE FROM cc_skill_group_member WHERE user_id = ?", "s", id) < 0 ||
		    db_exec(db, "DELETE FROM cc_dedicated_agent WHERE user_id = ?", "s", id) < 0)
			return "db_unavailable";
	} else if (db_exec(db, "UPDATE cc_sip_account SET enabled = 0 WHERE user_id = ?", "s",
			   id) < 0) {
		return "db_unavailable";
	}
	json_t *after = t->delete ? NULL : json_pack("{s:b}", "enabled", 0);
	json_t *b = t->delete ? t->before : json_pack("{s:b}", "enabled", t->row->enabled);
	int rc = ag_sessions_delete(r, id, &t->tokens, &t->ntokens) ||
		 audit_write(r, "agents", id, t->delete ? "delete" : "disable", b, after);
	json_decref(after);
	if (b != t->before)
		json_decref(b);
	return rc ? "db_unavailable" : NULL;
}

/* Disabling and deleting share the refusal and the effects. */
static const char *take_away(struct req *r, bool delete)
{
	const char *id = r->route_id;
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
	struct take_away t = { .id = id, .delete = delete, .s = ag_sql(r), .row = &row };
	if (!t.s)
		return "db_unavailable";
	t.before = ag_json(&row);
	why = web_txn(r, take_away_body, &t);
	json_decref(t.before);
	if (why) {
		log_err("agents: %s %s: %s", delete ? "delete" : "disable", id,
			db_error(r->thr->db));
		return "db_unavailable";
	}
	ag_end_streams(r, t.tokens, t.ntokens);
	bool dropped = ag_drop_registration(r, row.ext);
	bool reloaded = ag_reload(r);
	return resp_json(r, 200, json_pack("{s:b, s:b, s:b, s:o}", "ok", 1, "reloaded", reloaded,
					   "unregistered", dropped, "agent",
					   delete ? json_null() : agent_now(r, id)));
}

const char *agents_delete_post(struct req *r)
{
	return take_away(r, true);
}

static const char *enable_body(struct req *r, void *arg)
{
	const struct ag_row *row = arg;
	if (db_exec(r->thr->db, "UPDATE cc_sip_account SET enabled = 1 WHERE user_id = ?", "s",
		    row->id) < 0)
		return "db_unavailable";
	return audit_txn(r, "agents", row->id, "enable", json_pack("{s:b}", "enabled", row->enabled),
			 json_pack("{s:b}", "enabled", 1));
}

const char *agents_enabled_post(struct req *r)
{
	const char *v = param(r, "enabled");
	if (!v || (strcmp(v, "0") && strcmp(v, "1")))
		return "bad_request";
	if (!strcmp(v, "0"))
		return take_away(r, false);
	const char *id = r->route_id;
	struct ag_row row;
	int rc = ag_db_get(r, id, &row);
	if (rc < 0)
		return "db_unavailable";
	if (!rc || !row.has_sip)
		return "not_found";
	if (web_txn(r, enable_body, &row)) {
		log_err("agents: enable %s: %s", id, db_error(r->thr->db));
		return "db_unavailable";
	}
	bool reloaded = ag_reload(r);
	return resp_json(r, 200, json_pack("{s:b, s:b, s:o}", "ok", 1, "reloaded", reloaded, "agent",
					   agent_now(r, id)));
}

struct reset {
	const struct ag_row *row;
	struct ag_write w;
};

static const char *reset_body(struct req *r, void *arg)
{
	struct reset *t = arg;
	t->w = (struct ag_write){ 0 };
	return ag_db_reset_sip(r, r->thr->db, t->row, &t->w) < 0 ? "db_unavailable" : NULL;
}

const char *agents_password_post(struct req *r)
{
	const char *id = r->route_id;
	struct ag_row row;
	int rc = ag_db_get(r, id, &row);
	if (rc < 0)
		return "db_unavailable";
	if (!rc || !row.has_sip)
		return "not_found";
	struct reset t = { .row = &row };
	if (web_txn(r, reset_body, &t)) {
		log_err("agents: reset password %s: %s", id, db_error(r->thr->db));
		memset(t.w.sip_password, 0, sizeof t.w.sip_password);
		return "db_unavailable";
	}
	/* The phone registered with the old password is dropped: it has to
	 * register again, with the new one. */
	ag_drop_registration(r, row.ext);
	json_t *j = json_pack("{s:b, s:s, s:s}", "ok", 1, "sip_password", t.w.sip_password,
			      "extension", row.ext);
	memset(t.w.sip_password, 0, sizeof t.w.sip_password);
	return resp_json(r, 200, j);
}
