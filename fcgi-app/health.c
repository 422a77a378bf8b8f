/* GET /cc/health: 200 when the database answers, 503 otherwise; no session
 * lookup (dispatch.c skips it for this handler). */
#include "db.h"
#include "log.h"
#include "route.h"

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
