/* GET /cc/ (to the user's home by role) and GET /cc/health. */
#include "db.h"
#include "log.h"
#include "../route.h"

const char *home_get(struct req *r)
{
	if (!r->sess) {
		resp_redirect(r, "/cc/login");
		return NULL;
	}
	if (r->sess->agent)
		resp_redirect(r, "/cc/workbench");
	else if (r->sess->admin)
		resp_redirect(r, "/cc/admin");
	else
		return "no_role";
	return NULL;
}

const char *health_get(struct req *r)
{
	if (db_ping(r->thr->db)) {
		log_warn("health: %s", db_error(r->thr->db));
		resp_text(r, 503, "text/plain; charset=utf-8", "database unavailable\n");
		return NULL;
	}
	resp_text(r, 200, "text/plain; charset=utf-8", "ok\n");
	return NULL;
}
