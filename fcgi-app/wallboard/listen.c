/* POST /cc/api/wallboard/calls/{id}/listen: a supervisor listens to a live
 * call (docs/supervisor.md): the B2BUA calls the signed-in user's own phone
 * (its SIP account, cc_sip_account) and forks the caller's and the agent's
 * audio to it (call.monitor, mode listen); nothing the supervisor says
 * reaches anyone. Admins; the phone must be registered like an agent's.
 * Replies {ok:true, call, monitor} (call.monitor* events follow), or
 * {ok:false, error, message}: 409 no_phone (the user has no SIP account),
 * monitored (someone listens already), not_bridged (the call is not
 * talking); 404 unknown_call; 503 when the B2BUA cannot be reached. */
#include "wallboard.h"

#include "db.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

static int sip_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	if (ncol >= 1 && v[0])
		snprintf(arg, 65, "%s", v[0]);
	return 0;
}

static int refusal_status(const char *code)
{
	return !strcmp(code, "unknown_call") ? 404 : 409;
}

const char *wallboard_listen_post(struct req *r)
{
	char sip[65] = "";
	if (db_query(r->thr->db,
		     "SELECT username FROM cc_sip_account WHERE user_id = ? AND enabled = 1", sip_row,
		     sip, "s", r->sess->user_id) < 0) {
		log_err("wallboard listen: %s", db_error(r->thr->db));
		return "db_unavailable";
	}
	if (!*sip)
		return web_refused(r, 409, "no_phone");
	json_t *reply = web_ctl(r, "call.monitor", "s:s, s:s, s:s", "call", r->route_id, "sip", sip,
				"mode", "listen");
	const char *ret;
	if (web_ctl_refused(r, reply, refusal_status, &ret))
		return ret;
	json_t *out = json_pack("{s:b, s:s, s:O?}", "ok", 1, "call", r->route_id, "monitor",
				json_object_get(reply, "monitor"));
	json_decref(reply);
	return out ? resp_json(r, 200, out) : "internal";
}
