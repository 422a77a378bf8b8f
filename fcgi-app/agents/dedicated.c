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

static const char UNKNOWN[] = "agents.dedicated.unknown";

struct dedicate {
	const struct ag_sql *s;
	const char *id, *contact;
	bool add;
	char name[256], prev[40];
};

static const char *dedicate_body(struct req *r, void *arg)
{
	struct dedicate *t = arg;
	struct db *db = r->thr->db;
	const struct manifest *m = r->web->mf;
	*t->name = *t->prev = '\0';
	int rc = m->contacts.has_tenant
		? db_query_value(db, t->name, sizeof t->name, t->s->contact_name, "ss", t->contact,
				 m->contacts.tenant_value)
		: db_query_value(db, t->name, sizeof t->name, t->s->contact_name, "s", t->contact);
	if (rc < 0)
		return "db_unavailable";
	if (t->add && !rc)
		return UNKNOWN;
	if (db_query_value(db, t->prev, sizeof t->prev,
			   "SELECT user_id FROM cc_dedicated_agent WHERE contact_id = ? FOR UPDATE",
			   "s", t->contact) < 0)
		return "db_unavailable";
	long long n = t->add
		? db_exec(db, "INSERT INTO cc_dedicated_agent (contact_id, user_id) VALUES (?, ?) "
			      "ON DUPLICATE KEY UPDATE user_id = VALUES(user_id), created_at = NOW()",
			  "ss", t->contact, t->id)
		: db_exec(db, "DELETE FROM cc_dedicated_agent WHERE contact_id = ? AND user_id = ?",
			  "ss", t->contact, t->id);
	if (n < 0)
		return "db_unavailable";
	return audit_txn(r, "agents", t->id, t->add ? "dedicate" : "undedicate",
			 json_pack("{s:s, s:s}", "contact", t->contact, "agent", t->prev),
			 json_pack("{s:s, s:s}", "contact", t->contact, "agent",
				   t->add ? t->id : ""));
}

const char *agents_dedicated_post(struct req *r)
{
	const char *id = r->route_id, *add = req_param(r, "add"), *rm = req_param(r, "remove");
	if ((!add) == (!rm) || !id_ok(add ? add : rm))
		return "bad_request";
	struct ag_row row;
	int rc = ag_db_get(r, id, &row);
	if (rc < 0)
		return "db_unavailable";
	if (!rc)
		return "not_found";
	struct dedicate t = { .s = ag_sql(r), .id = id, .contact = add ? add : rm, .add = add != NULL };
	if (!t.s)
		return "db_unavailable";
	const char *why = web_txn(r, dedicate_body, &t);
	if (why == UNKNOWN)
		return ag_refuse(r, 404, "not_found", why);
	if (why) {
		log_err("agents: dedicated %s: %s", id, db_error(r->thr->db));
		return why;
	}
	/* The B2BUA keeps the dedicated agent with the contact's lookups. */
	contact_announce(r, t.contact, false);
	return resp_json(r, 200, json_pack("{s:b, s:s, s:s?, s:b}", "ok", 1, "contact", t.contact,
					   "name", *t.name ? t.name : NULL, "bound", t.add));
}
