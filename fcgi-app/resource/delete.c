/* POST /cc/admin/<name>/{id}/delete and POST /cc/api/admin/<name>/{id}/delete:
 * deletes the row (a GET there is 405: nothing is deleted by a link), then
 * asks the B2BUA to reload. The page goes back to the list, which says so. */
#include "resource.h"

const char *res_delete_post(struct req *r)
{
	const struct resource *res = res_of(r);
	const char *key = res_key(r);
	int rc = key ? res_db_delete(r, res, key) : 0;
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
