/* POST /cc/api/agent/call/record {op}: the signed-in agent starts, stops,
 * pauses or resumes the recording of the call they talk on, as its group's
 * or task's policy allows (docs/recording.md). The agent is always the
 * session's user; nothing in the request can name another. Replies {ok:true,
 * call, recording} (on, paused, off; call.recording follows on the event
 * stream), or {ok:false, error, message}: 400 for an unknown op, 409 when
 * the B2BUA refuses (not_talking, recording_not_allowed, not_recording),
 * 503 when it cannot be reached. */
#include "recording.h"

#include "../route.h"

#include <string.h>

static int refusal_status(const char *code)
{
	return !strcmp(code, "bad_request") ? 400 : 409;
}

const char *agent_recording_post(struct req *r)
{
	const char *op = req_param(r, "op");
	static const char *const ops[] = { "start", "stop", "pause", "resume" };
	bool known = false;
	for (size_t i = 0; op && i < sizeof ops / sizeof *ops; i++)
		known = known || !strcmp(op, ops[i]);
	if (!known)
		return web_refused(r, 400, "bad_request");
	json_t *reply = web_ctl(r, "call.record", "s:s, s:s", "agent", r->sess->user_id, "op", op);
	const char *ret;
	if (web_ctl_refused(r, reply, refusal_status, &ret))
		return ret;
	json_t *out = json_pack("{s:b, s:O, s:O}", "ok", 1, "call", json_object_get(reply, "call"),
				"recording", json_object_get(reply, "recording"));
	json_decref(reply);
	return out ? resp_json(r, 200, out) : "internal";
}
