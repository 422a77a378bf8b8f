/* The agent's in-call controls on the workbench (docs/incall.md):
 *
 *   POST /cc/api/agent/call/hold, resume, mute, unmute, hangup   {}
 *   POST /cc/api/agent/call/dtmf       {digits: keys to send to the far end}
 *   POST /cc/api/agent/call/consult    {to: "agent:<id>"}, then
 *        /cc/api/agent/call/consult/complete or /consult/cancel
 *   POST /cc/api/agent/call/transfer   {to: "agent:<id>" | "group:<id>" |
 *                                        "flow:<id>" | "number:<digits>"}
 *   GET  /cc/api/agent/transfer-targets
 *
 * Each acts on the call the signed-in agent talks on: the agent is always
 * the session's user, nothing in the request can name another agent's
 * call. Replies {ok:true, call} (the call's events follow on the event
 * stream) or {ok:false, error, message} with the B2BUA's reason: 409 when
 * the call's state does not allow it (not talking, already held, ...), 400
 * for a target that is not one, 404 for one that does not exist, 503 when
 * the B2BUA cannot act. */
#include "../route.h"
#include "../sqlq.h"

#include <stdlib.h>
#include <string.h>

static int refusal_status(const char *code)
{
	if (!strcmp(code, "bad_request") || !strcmp(code, "bad_number") || !strcmp(code, "bad_keys"))
		return 400;
	if (!strcmp(code, "unknown_group") || !strcmp(code, "unknown_flow"))
		return 404;
	if (!strcmp(code, "not_ready") || !strcmp(code, "out_of_memory"))
		return 503;
	return 409;
}

/* The B2BUA's reply (NULL: not reached) as the route's answer. */
static const char *answer(struct req *r, json_t *reply)
{
	const char *ret;
	if (web_ctl_refused(r, reply, refusal_status, &ret))
		return ret;
	const char *call = json_string_value(json_object_get(reply, "call"));
	json_t *out = json_pack("{s:b, s:s}", "ok", 1, "call", call ? call : "");
	json_decref(reply);
	return resp_json(r, 200, out);
}

/* Sends cmd for the session's agent (with to, when not NULL) and answers. */
static const char *act(struct req *r, const char *cmd, const char *to)
{
	return answer(r, to ? web_ctl(r, cmd, "s:s, s:s", "agent", r->sess->user_id, "to", to)
			    : web_ctl(r, cmd, "s:s", "agent", r->sess->user_id));
}

/* path's last segment, command */
#define INCALL_ACTIONS(X)                        \
	X(agent_call_consult_complete_post, "call.consult_complete") \
	X(agent_call_consult_cancel_post, "call.consult_cancel") \
	X(agent_call_hold_post, "call.hold")     \
	X(agent_call_resume_post, "call.resume") \
	X(agent_call_mute_post, "call.mute")     \
	X(agent_call_unmute_post, "call.unmute") \
	X(agent_call_hangup_post, "call.hangup")

#define ACTION_FN(name, cmd)                \
	const char *name(struct req *r)     \
	{                                   \
		return act(r, cmd, NULL);   \
	}
INCALL_ACTIONS(ACTION_FN)
#undef ACTION_FN

/* A target as the B2BUA takes it: kind:value, value an id of the host
 * (agent), a number (group, flow), or digits to dial (number). NULL when
 * it is none of these. */
static const char *target(struct req *r, const char *in)
{
	static const char *const kinds[] = { "agent:", "group:", "flow:", "number:" };
	if (!in || strlen(in) > 80)
		return NULL;
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		size_t n = strlen(kinds[k]);
		if (strncmp(in, kinds[k], n))
			continue;
		const char *v = in + n;
		size_t len = strlen(v);
		if (!len)
			return NULL;
		for (size_t i = 0; i < len; i++) {
			char c = v[i];
			bool digit = c >= '0' && c <= '9';
			bool ok = k == 0 ? digit || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
						   c == '-' || c == '_'
				  : k == 3 ? digit || (c == '+' && i == 0)
					   : digit;
			if (!ok)
				return NULL;
		}
		return arena_strdup(r->a, in);
	}
	return NULL;
}

/* POST /cc/api/agent/call/dtmf {digits}: keys to the far end. */
const char *agent_call_dtmf_post(struct req *r)
{
	const char *keys = req_param(r, "digits");
	size_t n = keys ? strlen(keys) : 0;
	if (!n || n > 32 || strspn(keys, "0123456789*#ABCD") != n)
		return web_refused(r, 400, "bad_keys");
	json_t *reply = web_ctl(r, "call.dtmf", "s:s, s:s", "agent", r->sess->user_id, "digits", keys);
	return answer(r, reply);
}

/* POST /cc/api/agent/call/consult {to: "agent:<id>"}. */
const char *agent_call_consult_post(struct req *r)
{
	const char *to = target(r, req_param(r, "to"));
	if (!to || strncmp(to, "agent:", 6))
		return web_refused(r, 400, "bad_target");
	return act(r, "call.consult", to);
}

const char *agent_call_transfer_post(struct req *r)
{
	const char *to = target(r, req_param(r, "to"));
	if (!to)
		return web_refused(r, 400, "bad_target");
	return act(r, "call.transfer", to);
}

/* --- whom a call can be handed to ------------------------------------------------------ */

#define TARGET_COLS(X) X(id) X(name)
#define TARGET_MEMBER(c) const char *c;
struct target_row {
	TARGET_COLS(TARGET_MEMBER)
};
#undef TARGET_MEMBER
TEXT_ROWS_FIT(struct target_row, 2);

static json_t *rows_json(struct req *r, const char *sql, bool *failed)
{
	struct text_rows rs = { .a = r->a, .ncols = 2 };
	json_t *list = json_array();
	if (db_query(r->thr->db, sql, text_rows_h, &rs, "") < 0 || rs.failed) {
		*failed = true;
		return list;
	}
	const struct target_row *row = rs.v;
	for (size_t i = 0; i < rs.n; i++)
		json_array_append_new(list, json_pack("{s:I, s:s}", "id",
						      (json_int_t)strtoll(row[i].id, NULL, 10),
						      "name", row[i].name ? row[i].name : ""));
	return list;
}

/* The agents signed in (but the session's own), with their state; the
 * enabled skill groups; the published IVR flows. */
const char *agent_transfer_targets_get(struct req *r)
{
	json_t *reply = web_ctl(r, "agent.list", NULL);
	if (!reply)
		return "b2bua_unavailable";
	json_t *agents = json_array(), *list = json_object_get(reply, "agents");
	size_t i;
	json_t *a;
	json_array_foreach(list, i, a) {
		const char *id = json_string_value(json_object_get(a, "id"));
		const char *state = json_string_value(json_object_get(a, "state"));
		if (!id || !state || !strcmp(state, "logged_out") || !strcmp(id, r->sess->user_id))
			continue;
		json_array_append_new(
			agents, json_pack("{s:s, s:O?, s:s, s:O?}", "id", id, "name",
					  json_object_get(a, "name"), "state", state, "registered",
					  json_object_get(a, "registered")));
	}
	json_decref(reply);
	bool failed = false;
	json_t *groups = rows_json(r, "SELECT id, name FROM cc_skill_group WHERE enabled = 1 "
				      "ORDER BY name, id", &failed);
	json_t *flows = rows_json(r, "SELECT id, name FROM cc_ivr_flow WHERE published_version IS "
				     "NOT NULL ORDER BY name, id", &failed);
	if (failed) {
		json_decref(agents);
		json_decref(groups);
		json_decref(flows);
		return "db_unavailable";
	}
	return resp_json(r, 200, json_pack("{s:b, s:o, s:o, s:o}", "ok", 1, "agents", agents,
					   "groups", groups, "flows", flows));
}
