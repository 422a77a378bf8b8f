/* GET /cc/health: 200 when the database answers, 503 otherwise; no session
 * lookup (dispatch.c skips it for this handler). The body's first line is
 * `ok` (or why not); then one line per B2BUA node of ctl_address, in its
 * order, from a `ping` sent to each now:
 *   b2bua 1 node1 up calls=3
 *   b2bua 2 node2 down
 * (the name is the node's node_id, "?" while it was never reached). The
 * nodes do not change the status: the pages work on the nodes that are
 * up, and a load balancer's check must not fail over a web app because a
 * B2BUA restarts. */
#include "db.h"
#include "log.h"
#include "route.h"

#include <stdio.h>

static void node_lines(struct req *r, struct buf *b)
{
	json_t *rep = web_ctl(r, "ping", NULL);
	size_t i;
	json_t *n;
	json_array_foreach(json_object_get(rep, "nodes"), i, n) {
		const char *name = json_string_value(json_object_get(n, "node"));
		bool up = json_is_true(json_object_get(n, "ok"));
		char line[160];
		int len = up ? snprintf(line, sizeof line, "b2bua %zu %s up calls=%lld\n", i + 1,
					name && *name ? name : "?",
					(long long)json_integer_value(json_object_get(n, "calls")))
			     : snprintf(line, sizeof line, "b2bua %zu %s down\n", i + 1,
					name && *name ? name : "?");
		if (len > 0)
			buf_puts(r->a, b, line);
	}
	json_decref(rep);
}

const char *health_get(struct req *r)
{
	struct buf b = { 0 };
	bool db_ok = db_ping(r->thr->db) == 0;
	if (!db_ok)
		log_warn("health: %s", db_error(r->thr->db));
	const char *head = db_ok ? "ok\n" : "database unavailable\n";
	buf_puts(r->a, &b, head);
	node_lines(r, &b);
	resp_text(r, db_ok ? 200 : 503, "text/plain; charset=utf-8", b.p ? b.p : head);
	return NULL;
}
