/* POST /cc/admin/<name>/{id}/delete and POST /cc/api/admin/<name>/{id}/delete:
 * deletes the row (a GET there is 405: nothing is deleted by a link), then
 * asks the B2BUA to reload. The page goes back to the list, which says so.
 * The row as it was goes to the audit log in the delete's transaction. */
#include "resource.h"

#include "../audit/audit.h"

/* 1 deleted, 0 not there, -1 database error (nothing deleted). */
static int delete_audited(struct req *r, const struct resource *res, const char *key)
{
	struct db *db = r->thr->db;
	struct res_row row;
	if (db_begin(db) < 0)
		return -1;
	int rc = res_db_get(r, res, key, &row);
	if (rc > 0)
		rc = res_db_delete(r, res, key);
	if (rc > 0) {
		json_t *b = res_json_row(res, &row);
		if (audit_write(r, res->name, key, "delete", b, NULL) < 0)
			rc = -1;
		json_decref(b);
	}
	if (rc <= 0 || db_commit(db) < 0) {
		db_rollback(db);
		return rc < 0 ? -1 : rc == 0 ? 0 : -1;
	}
	return 1;
}

const char *res_delete_post(struct req *r)
{
	const struct resource *res = res_of(r);
	const char *key = res_key(r);
	int rc = key ? delete_audited(r, res, key) : 0;
	if (rc < 0)
		return "db_unavailable";
	if (rc == 0)
		return "not_found";
	bool reloaded = res_reload(r, res);
	if (r->route->kind == RK_JSON)
		return resp_json(r, 200, json_pack("{s:b, s:b}", "ok", 1, "reloaded", reloaded));
	resp_redirect(r, arena_printf(r->a, "/cc/admin/%s?done=deleted%s", res->name,
				      reloaded ? "" : "&pending=1"));
	return NULL;
}
