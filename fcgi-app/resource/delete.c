/* POST /cc/admin/<name>/{id}/delete and POST /cc/api/admin/<name>/{id}/delete:
 * deletes the row (a GET there is 405: nothing is deleted by a link), then
 * asks the B2BUA to reload. The page goes back to the list, which says so.
 *
 * A row still used by others (res->used_by: a group a number sends its
 * calls to, another group's overflow) is not deleted: 409, the page shows
 * the row's form with the list of its users (what each is, its name, a
 * link), JSON {ok:false, error:"in_use", users:[{item, key, label}]}. The
 * check runs inside the delete's transaction with the row locked. The row's
 * links go with it; the row as it was (links included) goes to the audit
 * log in the same transaction. */
#include "resource.h"

#include "../audit/audit.h"

#include <stdlib.h>

static const char IN_USE[] = "in_use";

struct del {
	const struct resource *res;
	const char *key;
	struct res_links *ls;
};

static const char *delete_body(struct req *r, void *arg)
{
	struct del *t = arg;
	const struct resource *res = t->res;
	const char *key = t->key;
	struct res_row row;
	char *lock = arena_printf(r->a, "SELECT `%s` FROM `%s` WHERE `%s` = ? FOR UPDATE", res->key,
				  res->table, res->key);
	char one[32];
	int rc = lock ? db_query_value(r->thr->db, one, sizeof one, lock, "i", atoll(key)) : -1;
	if (rc > 0)
		rc = res_db_get(r, res, key, &row);
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : "not_found";
	if (res->nused_by) {
		long long n = res_db_users(r, res, key, NULL);
		if (n)
			return n < 0 ? "db_unavailable" : IN_USE;
	}
	if (res->nlinks && res_links_load(r, res, key, t->ls) < 0)
		return "db_unavailable";
	for (size_t i = 0; i < res->nlinks; i++) {
		char *sql = res_sql_link_delete(r->a, &res->links[i]);
		if (!sql || db_exec(r->thr->db, sql, "i", atoll(key)) < 0)
			return "db_unavailable";
	}
	rc = res_db_delete(r, res, key);
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : "not_found";
	return audit_txn(r, res->name, key, "delete", res_json_item(res, &row, t->ls), NULL);
}

/* The row, its links and its audit record in one transaction: NULL,
 * "not_found", IN_USE (nothing deleted) or "db_unavailable". */
static const char *delete_audited(struct req *r, const struct resource *res, const char *key)
{
	struct del t = { res, key, NULL };
	if (res->nlinks && !(t.ls = arena_alloc(r->a, res->nlinks * sizeof *t.ls)))
		return "db_unavailable";
	return web_txn(r, delete_body, &t);
}

/* The refusal: who uses the row. */
static const char *in_use(struct req *r, const struct resource *res, const char *key)
{
	if (r->route->kind == RK_JSON) {
		xmlDoc *doc;
		xmlNode *root;
		doc = xd_new("users", &root);
		if (!doc || res_db_users(r, res, key, root) < 0) {
			xmlFreeDoc(doc);
			return "db_unavailable";
		}
		json_t *users = json_array();
		for (xmlNode *u = root->children; u; u = u->next) {
			xmlChar *item = xmlGetProp(u, (const xmlChar *)"item");
			xmlChar *k = xmlGetProp(u, (const xmlChar *)"key");
			xmlChar *label = xmlGetProp(u, (const xmlChar *)"label");
			xmlChar *href = xmlGetProp(u, (const xmlChar *)"href");
			json_array_append_new(users, json_pack("{s:s, s:s, s:s, s:s?, s:s?}",
				"type", web_t(r, (const char *)item), "item", (const char *)item,
				"key", (const char *)k, "label", (const char *)label,
				"href", (const char *)href));
			xmlFree(item);
			xmlFree(k);
			xmlFree(label);
			xmlFree(href);
		}
		xmlFreeDoc(doc);
		return resp_json(r, 409, json_pack("{s:b, s:s, s:s, s:o}", "ok", 0, "error", "in_use",
						   "message", web_t(r, "res.in_use"), "users", users));
	}
	struct res_row row;
	int rc = res_db_get(r, res, key, &row);
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : "not_found";
	return res_form_page(r, res, key, res_form_vals(r, res, &row), NULL, NULL, NULL,
			     "res.in_use", 409, true);
}

const char *res_delete_post(struct req *r)
{
	const struct resource *res = res_of(r);
	if (!res)
		return "internal";
	const char *key = res_key(r);
	const char *why = key ? delete_audited(r, res, key) : "not_found";
	if (why == IN_USE)
		return in_use(r, res, key);
	if (why)
		return why;
	bool reloaded = res_reload(r, res);
	if (r->route->kind == RK_JSON)
		return resp_json(r, 200, json_pack("{s:b, s:b}", "ok", 1, "reloaded", reloaded));
	resp_redirect(r, arena_printf(r->a, "/cc/admin/%s?done=deleted%s", res->name,
				      reloaded ? "" : "&pending=1"));
	return NULL;
}
