/* POST /cc/api/admin/agents/{id}/dedicated: binds a helpdesk contact to
 * the agent (专属坐席: its calls go to this agent first) or unbinds it:
 * {add: contact id} or {remove: contact id}. A contact has at most one
 * dedicated agent: binding it to another agent moves it. The B2BUA's
 * routing reads cc_dedicated_agent (and keeps it with the contact's caller
 * lookups: it is told, docs/lookup.md). */
#include "agents.h"

#include "../audit/audit.h"
#include "../contacts/contact.h"
#include "manifest.h"
#include "log.h"

#include <string.h>

static bool id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	return n && n <= 32 && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					 "0123456789-_") == n;
}

const char *agents_dedicated_post(struct req *r)
{
	const char *id = r->route_id, *add = req_param(r, "add"), *rm = req_param(r, "remove");
	if ((!add) == (!rm) || !id_ok(add ? add : rm))
		return "bad_request";
	struct db *db = r->thr->db;
	struct ag_row row;
	int rc = ag_db_get(r, id, &row);
	if (rc < 0)
		return "db_unavailable";
	if (!rc)
		return "not_found";
	const struct ag_sql *s = ag_sql(r);
	const struct manifest *m = r->web->mf;
	const char *contact = add ? add : rm;
	char name[256] = "", prev[40] = "";
	if (!s || db_begin(db))
		return "db_unavailable";
	rc = m->contacts.has_tenant
		? db_query_value(db, name, sizeof name, s->contact_name, "ss", contact,
				 m->contacts.tenant_value)
		: db_query_value(db, name, sizeof name, s->contact_name, "s", contact);
	if (rc < 0)
		goto fail;
	if (add && !rc) {
		db_rollback(db);
		return ag_refuse(r, 404, "not_found", "agents.dedicated.unknown");
	}
	if (db_query_value(db, prev, sizeof prev,
			   "SELECT user_id FROM cc_dedicated_agent WHERE contact_id = ? FOR UPDATE",
			   "s", contact) < 0)
		goto fail;
	long long n = add
		? db_exec(db, "INSERT INTO cc_dedicated_agent (contact_id, user_id) VALUES (?, ?) "
			      "ON DUPLICATE KEY UPDATE user_id = VALUES(user_id), created_at = NOW()",
			  "ss", contact, id)
		: db_exec(db, "DELETE FROM cc_dedicated_agent WHERE contact_id = ? AND user_id = ?",
			  "ss", contact, id);
	if (n < 0)
		goto fail;
	json_t *before = json_pack("{s:s, s:s}", "contact", contact, "agent", prev);
	json_t *after = json_pack("{s:s, s:s}", "contact", contact, "agent", add ? id : "");
	rc = audit_write(r, "agents", id, add ? "dedicate" : "undedicate", before, after);
	json_decref(before);
	json_decref(after);
	if (rc || db_commit(db))
		goto fail;
	/* The B2BUA keeps the dedicated agent with the contact's lookups. */
	contact_announce(r, contact, false);
	return resp_json(r, 200, json_pack("{s:b, s:s, s:s?, s:b}", "ok", 1, "contact", contact,
					   "name", *name ? name : NULL, "bound", add != NULL));
fail:
	log_err("agents: dedicated %s: %s", id, db_error(db));
	db_rollback(db);
	return "db_unavailable";
}
