/* GET /cc/api/softphone: what the workbench's browser phone (static/
 * softphone.js, docs/softphone.md) registers with, for the signed-in agent
 * only: {ok, uri, user, realm, ha1, display, ws}. The agent never types a
 * SIP password: the digest's HA1 (all Kamailio stores, the same secret as
 * far as SIP is concerned) goes to the agent's own session and nowhere
 * else, never cached (every response is Cache-Control: no-store). Nothing
 * in the request names the agent. 404 when the agent has no enabled SIP
 * account. */
#include "../route.h"
#include "log.h"

#include <string.h>

struct account {
	struct arena *a;
	const char *user, *domain, *ha1;
};

static int account_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct account *acc = arg;
	(void)lens;
	if (ncol >= 3 && v[0] && v[2]) {
		acc->user = arena_strdup(acc->a, v[0]);
		acc->domain = arena_strdup(acc->a, v[1] ? v[1] : "");
		acc->ha1 = arena_strdup(acc->a, v[2]);
	}
	return 1;
}

const char *softphone_get(struct req *r)
{
	struct db *db = r->thr->db;
	struct account acc = { r->a, NULL, NULL, NULL };
	if (db_query(db, "SELECT username, domain, ha1 FROM cc_sip_account WHERE user_id = ? "
			 "AND enabled = 1 ORDER BY username LIMIT 1", account_row, &acc, "s",
		     r->sess->user_id) < 0) {
		log_err("softphone: %s", db_error(db));
		return "db_unavailable";
	}
	if (!acc.user)
		return "not_found";
	const char *realm = r->web->conf.sip_realm;
	/* The realm is a domain of Kamailio's (alias): sip:user@realm reaches
	 * the agent whatever domain the account row names. */
	json_t *out = json_pack("{s:b, s:s, s:s, s:s, s:s, s:s, s:s}", "ok", 1,
				"uri", arena_printf(r->a, "sip:%s@%s", acc.user, realm),
				"user", acc.user, "realm", realm, "ha1", acc.ha1,
				"display", r->sess->name ? r->sess->name : "",
				"ws", r->web->conf.softphone_ws);
	if (!out)
		return "internal";
	return resp_json(r, 200, out);
}
