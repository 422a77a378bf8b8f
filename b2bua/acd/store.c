/* Agents' rows in the database: see acd_priv.h. */
#include "b2bua/acd/acd_priv.h"

#include "b2bua/core/core.h"
#include "b2bua/db/dbq.h"
#include "db.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How long an agent another node holds is skipped; the next registration
 * poll or sign-in brings it back. */
#define HELD_ELSEWHERE_MS 10000

struct state_job {
	struct acd *acd;
	char agent[33];
	char call[33];
	char node[65];
	char state[16];
	char reason[AGENT_REASON_MAX + 1];
	long long since_ms, idle_ms;
	int reserve;		/* conditional write */
	int taken;		/* reserve: the row was ours */
};

/* The agents' rows and their log: the writes of many agents share one
 * statement each (rows of a set keep their order, so an agent's last
 * state wins). */
static const struct db_rowset agent_rows = {
	.head = "INSERT INTO cc_agent (user_id, state, reason, state_since, idle_since, node, "
		"call_id) VALUES ",
	.row = "(?, ?, ?, FROM_UNIXTIME(? / 1000), FROM_UNIXTIME(? / 1000), ?, ?)",
	.tail = " ON DUPLICATE KEY UPDATE state = VALUES(state), reason = VALUES(reason), "
		"state_since = VALUES(state_since), idle_since = VALUES(idle_since), "
		"node = VALUES(node), call_id = VALUES(call_id)",
	.fmt = "sssiiss",
};

static const struct db_rowset log_rows = {
	.head = "INSERT INTO cc_agent_state_log (agent_id, at, state, reason, call_id) VALUES ",
	.row = "(?, FROM_UNIXTIME(? / 1000), ?, ?, ?)",
	.tail = "",
	.fmt = "sisss",
};

static int write_state(struct db *db, void *arg)
{
	struct state_job *j = arg;
	const char *call = j->call[0] ? j->call : NULL;
	const char *reason = j->reason[0] ? j->reason : NULL;
	if (j->reserve) {
		/* The guard between nodes: it must see this agent's rows still
		 * kept in the batch, and its answer is this job's alone. */
		long long n = db_rows_flush(db, &agent_rows, j->agent);
		if (!n)
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
		const union db_val v[] = {
			{ .s = j->agent }, { .s = j->state }, { .s = reason }, { .i = j->since_ms },
			{ .i = j->idle_ms }, { .s = j->node }, { .s = call },
		};
		if (db_rows_add(db, &agent_rows, j->agent, v))
			return -1;
	}
	const union db_val v[] = {
		{ .s = j->agent }, { .i = j->since_ms }, { .s = j->state }, { .s = reason }, { .s = call },
	};
	if (db_rows_add(db, &log_rows, j->agent, v))
		return j->reserve ? 0 : -1;
	return 0;
}

static void state_written(int rc, void *arg)
{
	struct state_job *j = arg;
	(void)rc;
	if (j->reserve && !j->taken)
		acd_reservation_lost(j->acd, j->agent, j->call);
	free(j);
}

void acd_store_state(struct acd *acd, struct agent *a)
{
	if (a->row_elsewhere) {
		/* The agent leaves the reservation another node's row refused:
		 * the row says what that node does with it. */
		if (a->sm.state != AGENT_RESERVED)
			a->row_elsewhere = false;
		return;
	}
	if (!acd->dbq)
		return;	/* no database (unit tests) */
	struct state_job *j = calloc(1, sizeof *j);
	if (!j)
		return;
	j->acd = acd;
	snprintf(j->agent, sizeof j->agent, "%s", a->id);
	snprintf(j->node, sizeof j->node, "%s", acd->core->conf->node_id);
	snprintf(j->state, sizeof j->state, "%s", agent_state_name(a->sm.state));
	snprintf(j->reason, sizeof j->reason, "%s", a->sm.reason);
	snprintf(j->call, sizeof j->call, "%s", a->call_id);
	j->since_ms = a->since_ms;
	j->idle_ms = a->idle_since_ms;
	j->reserve = a->sm.state == AGENT_RESERVED;
	if (dbq_submit(acd->dbq, DBQ_WRITE, dbq_key(a->id), write_state,
				    j->reserve ? state_written : NULL, j)) {
		log_err("agent %s: state %s not recorded: database queue full", a->id, j->state);
		free(j);
	}
}

void acd_reservation_lost(struct acd *acd, const char *agent_id, const char *call)
{
	struct agent *a = acd_agent(acd, agent_id);
	if (!a || !a->owner || strcmp(a->call_id, call) || a->sm.state != AGENT_RESERVED)
		return;
	log_warn("agent %s is held by another node; call %s goes to someone else", agent_id, call);
	a->blocked_until_ms = core_now_ms() + HELD_ELSEWHERE_MS;
	a->row_elsewhere = true;
	acd->ops.withdraw(a->owner, a);
}
