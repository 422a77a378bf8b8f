/* Agents' live state in the database: see agent_store.h. */
#include "b2bua/acd/agent_store.h"

#include "b2bua/acd/acd.h"
#include "b2bua/call/call.h"
#include "b2bua/core/app.h"
#include "b2bua/db/dbq.h"
#include "db.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

struct state_job {
	struct app *app;
	char agent[33];
	char call[33];
	char node[65];
	char state[16];
	char reason[AGENT_REASON_MAX + 1];
	long long since_ms, idle_ms;
	int reserve;		/* conditional write */
	int taken;		/* reserve: the row was ours */
};

static int write_state(struct db *db, void *arg)
{
	struct state_job *j = arg;
	const char *call = j->call[0] ? j->call : NULL;
	const char *reason = j->reason[0] ? j->reason : NULL;
	long long n;
	if (j->reserve) {
		n = db_exec(db,
			    "UPDATE cc_agent SET state = 'reserved', reason = NULL, "
			    "state_since = FROM_UNIXTIME(? / 1000), call_id = ? "
			    "WHERE user_id = ? AND node = ? AND state = 'ready'",
			    "isss", j->since_ms, call, j->agent, j->node);
		if (n < 0) {
			/* Without the database this node decides alone. */
			log_warn("agent %s: reservation not recorded: %s", j->agent, db_error(db));
			j->taken = 1;
			return 0;
		}
		j->taken = n > 0;
		if (!j->taken)
			return 0;	/* another node's agent: nothing happened here */
	} else {
		n = db_exec(db,
			    "INSERT INTO cc_agent (user_id, state, reason, state_since, idle_since, "
			    "node, call_id) VALUES (?, ?, ?, FROM_UNIXTIME(? / 1000), "
			    "FROM_UNIXTIME(? / 1000), ?, ?) ON DUPLICATE KEY UPDATE "
			    "state = VALUES(state), reason = VALUES(reason), "
			    "state_since = VALUES(state_since), idle_since = VALUES(idle_since), "
			    "node = VALUES(node), call_id = VALUES(call_id)",
			    "sssiiss", j->agent, j->state, reason, j->since_ms, j->idle_ms, j->node,
			    call);
		if (n < 0)
			return -1;
	}
	if (db_exec(db,
		    "INSERT INTO cc_agent_state_log (agent_id, at, state, reason, call_id) "
		    "VALUES (?, FROM_UNIXTIME(? / 1000), ?, ?, ?)",
		    "sisss", j->agent, j->since_ms, j->state, reason, call) < 0)
		return j->reserve ? 0 : -1;
	return 0;
}

static void state_written(int rc, void *arg)
{
	struct state_job *j = arg;
	(void)rc;
	if (j->reserve && !j->taken)
		acd_reservation_lost(j->app, j->agent, j->call);
	free(j);
}

void agent_store_state(struct app *app, const struct agent *a)
{
	if (a->row_elsewhere)
		return;
	struct state_job *j = calloc(1, sizeof *j);
	if (!j)
		return;
	j->app = app;
	snprintf(j->agent, sizeof j->agent, "%s", a->id);
	snprintf(j->node, sizeof j->node, "%s", app->conf.node_id);
	snprintf(j->state, sizeof j->state, "%s", agent_state_name(a->sm.state));
	snprintf(j->reason, sizeof j->reason, "%s", a->sm.reason);
	if (a->call)
		snprintf(j->call, sizeof j->call, "%s", call_id(a->call));
	j->since_ms = a->since_ms;
	j->idle_ms = a->idle_since_ms;
	j->reserve = a->sm.state == AGENT_RESERVED;
	if (dbq_submit(app->dbq, DBQ_WRITE, dbq_key(a->id), write_state,
		       j->reserve ? state_written : NULL, j)) {
		log_err("agent %s: state %s not recorded: database queue full", a->id, j->state);
		free(j);
	}
}

void acd_reservation_lost(struct app *app, const char *agent_id, const char *call)
{
	struct agent *a = acd_agent(app->acd, agent_id);
	if (!a || !a->call || strcmp(call_id(a->call), call))
		return;
	log_warn("agent %s is held by another node; call %s goes to someone else", agent_id, call);
	/* Skip this agent for a while; the next registration poll or sign-in
	 * brings it back. */
	a->blocked_until_ms = app_now_ms() + 10000;
	/* The release that follows changes only this node's view: the row
	 * says what the other node does with the agent. */
	a->row_elsewhere = true;
	call_withdraw_offer(a->call, a);
	a->row_elsewhere = false;
}
