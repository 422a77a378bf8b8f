/* What disabling or deleting an agent does outside its rows: refused while
 * the agent is on a call; otherwise the B2BUA logs the agent out first (no
 * call is offered while the change is made), the web sessions end, the
 * phone's registration is dropped at Kamailio, and the B2BUA re-reads its
 * directory. */
#include "agents.h"

#include "../kamrpc.h"
#include "../sse/hub.h"
#include "log.h"

#include <string.h>

/* The B2BUA's view: true when its agent object shows a call, a reserved
 * or on-call state, or a state kept pending for after a call. */
static bool b2bua_busy(json_t *reply)
{
	json_t *a = json_object_get(reply, "agent");
	if (!json_is_object(a))
		return false;
	json_t *call = json_object_get(a, "call");
	return (call && !json_is_null(call)) ||
	       ag_state_busy(json_string_value(json_object_get(a, "state")));
}

const char *ag_hold_for_change(struct req *r, const char *id)
{
	char state[32];
	int rc = db_query_value(r->thr->db, state, sizeof state,
				"SELECT state FROM cc_agent WHERE user_id = ?", "s", id);
	if (rc < 0)
		return "db_unavailable";
	if (rc && ag_state_busy(state))
		return "agents.busy";
	json_t *got = web_ctl(r, "agent.get", "s:s", "agent", id);
	bool busy = b2bua_busy(got);
	json_decref(got);
	if (busy)
		return "agents.busy";
	json_t *out = web_ctl(r, "agent.state", "s:s, s:s", "agent", id, "state", "logged_out");
	/* A call offered between the look and the log-out: the state is kept
	 * pending by the B2BUA and the change is refused. */
	json_t *a = json_object_get(out, "agent");
	json_t *pending = json_object_get(a, "pending");
	busy = b2bua_busy(out) || (pending && !json_is_null(pending));
	json_decref(out);
	return busy ? "agents.busy" : NULL;
}

/* Session tokens collected for ending their streams. */
#define TOKENS_MAX 64
struct tokens {
	char (*t)[65];
	size_t n;
};

static int token_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct tokens *c = arg;
	if (ncol < 1 || !v[0] || strlen(v[0]) != 64)
		return 0;
	memcpy(c->t[c->n++], v[0], 65);
	return c->n == TOKENS_MAX;
}

int ag_sessions_delete(struct req *r, const char *id, char (**tokens)[65], size_t *n)
{
	struct db *db = r->thr->db;
	*tokens = NULL;
	*n = 0;
	struct tokens c = { arena_alloc(r->a, TOKENS_MAX * sizeof *c.t), 0 };
	if (!c.t)
		return -1;
	if (db_query(db, "SELECT token_hash FROM cc_session WHERE user_id = ? LIMIT 64", token_h,
		     &c, "s", id) < 0 ||
	    db_exec(db, "DELETE FROM cc_session WHERE user_id = ?", "s", id) < 0)
		return -1;
	*tokens = c.t;
	*n = c.n;
	return 0;
}

void ag_end_streams(struct req *r, char (*tokens)[65], size_t n)
{
	for (size_t i = 0; i < n; i++)
		hub_end_session(r->web->hub, tokens[i], "signed_out");
}

bool ag_drop_registration(struct req *r, const char *ext)
{
	if (!ext || !*ext)
		return true;
	bool done = false;
	const char *sock = r->web->conf.kamailio_rpc;
	if (sock && *sock) {
		char err[256] = "";
		json_t *params = json_pack("[s, s]", "cc_location", ext), *res = NULL;
		int rc = kamrpc_call(sock, (unsigned)r->web->conf.ctl_timeout_ms, "ul.rm", params,
				     &res, err, sizeof err);
		json_decref(params);
		json_decref(res);
		/* 404: no contact registered, nothing to drop. */
		done = rc == 0 || rc == 404;
		if (!done)
			log_warn("agents: Kamailio ul.rm %s: %s", ext, err);
	}
	/* Kamailio writes through (db_mode 1): its row is gone with ul.rm. Without
	 * Kamailio's answer, the row goes here, so that the B2BUA stops seeing
	 * the phone; Kamailio forgets it when it expires or re-registers (and
	 * auth_db refuses that). */
	if (db_exec(r->thr->db, "DELETE FROM cc_location WHERE username = ?", "s", ext) < 0)
		log_warn("agents: cc_location %s: %s", ext, db_error(r->thr->db));
	return done;
}

bool ag_reload(struct req *r)
{
	json_t *rep = web_ctl(r, "reload", NULL);
	bool ok = rep && json_is_true(json_object_get(rep, "ok"));
	json_decref(rep);
	return ok;
}
