/* POST /cc/api/agent/state {state, reason}: the signed-in agent asks the
 * B2BUA for a new state. The agent is always the session's user; nothing in
 * the request can name another. Replies {ok:true, agent:{…}} with the state
 * the B2BUA now reports, or {ok:false, error, message}. */
#include "../route.h"
#include "agent.h"

#include <string.h>

static bool state_ok(const char *s)
{
	return s && (!strcmp(s, "ready") || !strcmp(s, "not_ready") || !strcmp(s, "logged_out"));
}

static int refusal_status(const char *code)
{
	return !strcmp(code, "db_unavailable") ? 503 : 409;
}

const char *agent_state_post(struct req *r)
{
	const char *state = req_param(r, "state");
	const char *reason = req_param(r, "reason");
	if (!state_ok(state))
		return "bad_request";
	if (!strcmp(state, "not_ready")) {
		if (!reason || !*reason)
			reason = "other";
		if (!break_reason_ok(reason))
			return "bad_request";
	} else {
		reason = NULL;
	}
	json_t *reply = reason
		? web_ctl(r, "agent.state", "s:s, s:s, s:s", "agent", r->sess->user_id, "state",
			  state, "reason", reason)
		: web_ctl(r, "agent.state", "s:s, s:s", "agent", r->sess->user_id, "state", state);
	const char *ret;
	if (web_ctl_refused(r, reply, refusal_status, &ret))
		return ret;
	json_t *out = json_pack("{s:b, s:O}", "ok", 1, "agent",
				json_object_get(reply, "agent") ?: json_null());
	json_decref(reply);
	return resp_json(r, 200, out);
}
