/* GET /cc/api/admin/overview: the B2BUA's agents and queues as JSON,
 * {ok, agents, queues, nodes}, what admin.js refreshes the overview from;
 * nodes: each B2BUA node of ctl_address, {name, address, up} (its event
 * link is up). */
#include "../route.h"

const char *admin_overview_get(struct req *r)
{
	json_t *agents = web_ctl(r, "agent.list", NULL);
	json_t *queues = agents ? web_ctl(r, "queue.list", NULL) : NULL;
	if (!agents || !queues) {
		json_decref(agents);
		json_decref(queues);
		return "b2bua_unavailable";
	}
	struct ctl_node_info v[CTL_NODES_MAX];
	size_t n = ctl_nodes_get(r->web->nodes, v);
	json_t *nodes = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(nodes, json_pack("{s:s?, s:s, s:b}", "name",
						       v[i].name[0] ? v[i].name : NULL, "address",
						       v[i].addr, "up", v[i].up));
	json_t *out = json_pack("{s:b, s:O, s:O, s:o}", "ok", 1, "agents",
				json_object_get(agents, "agents") ?: json_array(), "queues",
				json_object_get(queues, "queues") ?: json_array(), "nodes", nodes);
	json_decref(agents);
	json_decref(queues);
	return resp_json(r, 200, out);
}
