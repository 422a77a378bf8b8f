/* GET /cc/api/admin/overview: the B2BUA's agents and queues as JSON,
 * {ok, agents, queues}, what admin.js refreshes the overview from. */
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
	json_t *out = json_pack("{s:b, s:O, s:O}", "ok", 1, "agents",
				json_object_get(agents, "agents") ?: json_array(), "queues",
				json_object_get(queues, "queues") ?: json_array());
	json_decref(agents);
	json_decref(queues);
	return resp_json(r, 200, out);
}
