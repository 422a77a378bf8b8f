/* POST /cc/api/agent/dial {number}: click-to-dial. The B2BUA rings the
 * signed-in agent's phone first, then calls number showing the outbound
 * number of the agent's skill group (docs/outbound.md, "Manual outbound and
 * click-to-dial"). The agent is always the session's user; nothing in the
 * request can name another. Replies {ok:true, call} (the call's id: its
 * events follow on the event stream), or {ok:false, error, message} with
 * the B2BUA's reason: 400 for a number that cannot be dialed, 409 when the
 * agent may not call now (not signed in, on a break, busy, no outbound
 * number), 503 when the B2BUA cannot take a call. */
#include "../route.h"

#include <string.h>

/* A number as a carrier takes it: an optional '+', 3 to 32 digits; spaces
 * and '-' people type between digits are dropped. NULL when it is not one. */
static const char *dialable(struct req *r, const char *in)
{
	if (!in)
		return NULL;
	size_t n = strlen(in), digits = 0, j = 0;
	if (n > 64)
		return NULL;
	char *out = arena_alloc(r->a, n + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (c == '+' && j == 0)
			out[j++] = c;
		else if (c >= '0' && c <= '9')
			out[j++] = c, digits++;
		else if (c != ' ' && c != '-')
			return NULL;
	}
	out[j] = '\0';
	return digits >= 3 && digits <= 32 ? out : NULL;
}

/* The status of a refusal by the B2BUA. */
static int refusal_status(const char *code)
{
	if (!strcmp(code, "bad_number") || !strcmp(code, "bad_request"))
		return 400;
	if (!strcmp(code, "overloaded") || !strcmp(code, "not_ready") ||
	    !strcmp(code, "out_of_memory") || !strcmp(code, "db_unavailable"))
		return 503;
	return 409;
}

const char *agent_dial_post(struct req *r)
{
	const char *number = dialable(r, req_param(r, "number"));
	if (!number)
		return web_refused(r, 400, "bad_number");
	json_t *reply = web_ctl(r, "call.dial", "s:s, s:s", "agent", r->sess->user_id, "number",
				number);
	const char *ret;
	if (web_ctl_refused(r, reply, refusal_status, &ret))
		return ret;
	const char *call = json_string_value(json_object_get(reply, "call"));
	json_t *out = json_pack("{s:b, s:s, s:s}", "ok", 1, "call", call ? call : "", "number",
				number);
	json_decref(reply);
	return resp_json(r, 200, out);
}
