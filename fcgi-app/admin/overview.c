/* GET /cc/admin: the first admin console page (overview): agents with
 * their live state and phone registration (agent.list), queues
 * (queue.list), the last 50 calls (cc_call). admin.js keeps the agents and
 * queues current from the event stream, and GET /cc/api/admin/overview
 * (overview_api.c) gives the same data as JSON. */
#include "db.h"
#include "log.h"
#include "../resource/resource.h"
#include "../route.h"
#include "../workbench/agent.h"
#include "../tmpl/page.h"

#include <stdlib.h>

static const char *const js_strings[] = {
	"state.ready", "state.not_ready", "state.logged_out", "state.reserved",
	"state.on_call", "state.wrap_up", "state.unknown", "wb.registered",
	"wb.unregistered", "wb.b2bua_down", "wb.b2bua_up", "reason.rest", "reason.meal",
	"reason.meeting", "reason.training", "reason.other", "wb.expired", "wb.signed_out",
};

/* The columns of sql.admin_calls, in order. */
static const char *const call_attrs[] = {
	"time", "direction", "caller", "callee", "agent", "result", "wait", "talk", "id", NULL,
};

static int call_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	return !xd_row(arg, "call", call_attrs, ncol, v);
}

/* The B2BUA nodes of ctl_address as their event links see them:
 * <nodes><node n="1" name="node1" address="…" up="1"/>…</nodes>. */
static void admin_nodes_xml(struct req *r, xmlNode *ad)
{
	struct ctl_node_info v[CTL_NODES_MAX];
	size_t n = ctl_nodes_get(r->web->nodes, v);
	xmlNode *ns = xd_el(ad, "nodes");
	for (size_t i = 0; i < n; i++) {
		xmlNode *e = xd_el(ns, "node");
		xd_attr_int(e, "n", (long long)i + 1);
		xd_attr(e, "name", v[i].name[0] ? v[i].name : "?");
		xd_attr(e, "address", v[i].addr);
		xd_attr(e, "up", v[i].up ? "1" : "0");
	}
}

const char *admin_get(struct req *r)
{
	xmlDoc *doc;
	xmlNode *root = page_begin(r, "admin", &doc);
	if (!root)
		return "internal";
	res_doc_side(root, "overview");
	xmlNode *ad = xd_el(root, "admin");
	json_t *agents = web_ctl(r, "agent.list", NULL);
	json_t *queues = agents ? web_ctl(r, "queue.list", NULL) : NULL;
	xd_attr(ad, "b2bua", agents && queues ? "up" : "down");
	xmlNode *an = xd_el(ad, "agents");
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(agents, "agents"), i, a) {
		xmlNode *n = agent_node(an, a);
		json_t *since = json_object_get(a, "since");
		if (json_is_integer(since) && json_integer_value(since) > 0)
			xd_attr(n, "since-clock", clock_of_ms(r, (long long)json_integer_value(since)));
	}
	xmlNode *qn = xd_el(ad, "queues");
	json_array_foreach(json_object_get(queues, "queues"), i, a) {
		xmlNode *q = xd_el(qn, "queue");
		json_t *id = json_object_get(a, "id");
		if (json_is_integer(id))
			xd_attr_int(q, "id", (long long)json_integer_value(id));
		else
			xd_attr(q, "id", json_string_value(id));
		xd_attr(q, "name", json_string_value(json_object_get(a, "name")));
		xd_attr_int(q, "waiting", (long long)json_integer_value(json_object_get(a, "waiting")));
		xd_attr_int(q, "oldest", (long long)json_integer_value(json_object_get(a, "oldest_wait_ms")) / 1000);
		xd_attr_int(q, "ready", (long long)json_integer_value(json_object_get(a, "agents_ready")));
		xd_attr_int(q, "signed-in",
			    (long long)json_integer_value(json_object_get(a, "agents_signed_in")));
	}
	json_decref(agents);
	json_decref(queues);
	admin_nodes_xml(r, ad);
	xmlNode *calls = xd_el(ad, "calls");
	if (db_query(r->thr->db, r->web->sql.admin_calls, call_row, calls, NULL) < 0) {
		log_err("admin calls: %s", db_error(r->thr->db));
		xd_attr(calls, "error", "1");
	}
	page_strings(root, js_strings, sizeof js_strings / sizeof *js_strings);
	return page_finish(r, doc, "admin", 200);
}
