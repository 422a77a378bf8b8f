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
	long long since_ms, idle_ms, ver;
	int reserve;		/* conditional write */
	int confirm;		/* reserve: the owner is offered the agent only if taken */
	int taken;		/* reserve: the row was ours */
	enum agent_state prev;	/* confirm: the state to go back to */
	long long prev_ver;
};

/* The agents' rows and their log: the writes of many agents share one
 * statement each (rows of a set keep their order, so an agent's last
 * state wins). Between nodes a row is replaced only by a newer change
 * (ver), and a row reserved, on a call or in wrap-up only by the node that
 * holds it while that node is alive (heard from in the last 10 s): a
 * request another node applied in the same instant as this node's
 * reservation does not undo it (docs/cluster.md). @cc_keep is worked out
 * from the row as it was, before any column changes. */
static const struct db_rowset agent_rows = {
	.head = "INSERT INTO cc_agent (user_id, state, reason, state_since, idle_since, node, "
		"call_id, ver) VALUES ",
	.row = "(?, ?, ?, FROM_UNIXTIME(? / 1000), FROM_UNIXTIME(? / 1000), ?, ?, ?)",
	.tail = " ON DUPLICATE KEY UPDATE "
		"state = IF(@cc_keep := (ver > VALUES(ver) OR (state IN ('reserved', 'on_call', "
		"'wrap_up') AND NOT node <=> VALUES(node) AND EXISTS (SELECT 1 FROM cc_node n "
		"WHERE n.name = cc_agent.node AND n.seen_at > NOW(3) - INTERVAL 10 SECOND))), "
		"state, VALUES(state)), "
		"reason = IF(@cc_keep, reason, VALUES(reason)), "
		"state_since = IF(@cc_keep, state_since, VALUES(state_since)), "
		"idle_since = IF(@cc_keep, idle_since, VALUES(idle_since)), "
		"call_id = IF(@cc_keep, call_id, VALUES(call_id)), "
		"ver = IF(@cc_keep, ver, VALUES(ver)), "
		"node = IF(@cc_keep, node, VALUES(node))",
	.fmt = "sssiissi",
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
				    "state_since = FROM_UNIXTIME(? / 1000), call_id = ?, node = ?, ver = ? "
				    "WHERE user_id = ? AND state = 'ready' AND ver < ?",
				    "issisi", j->since_ms, call, j->node, j->ver, j->agent, j->ver);
		if (n < 0) {
			/* Without the database a node alone decides alone; between
			 * nodes the agent is not offered (another node may have
			 * it), and the entry waits. */
			log_warn("agent %s: reservation not recorded: %s", j->agent, db_error(db));
			j->taken = !j->confirm;
			return 0;
		}
		j->taken = n > 0;
		if (!j->taken)
			return 0;	/* another node's agent: nothing happened here */
	} else {
		const union db_val v[] = {
			{ .s = j->agent }, { .s = j->state }, { .s = reason }, { .i = j->since_ms },
			{ .i = j->idle_ms }, { .s = j->node }, { .s = call }, { .i = j->ver },
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

static void confirmed(struct acd *acd, struct state_job *j);

static void state_written(int rc, void *arg)
{
	struct state_job *j = arg;
	(void)rc;
	if (j->confirm)
		confirmed(j->acd, j);
	else if (j->reserve && !j->taken)
		acd_reservation_lost(j->acd, j->agent, j->call);
	free(j);
}

static struct state_job *state_job(struct acd *acd, const struct agent *a)
{
	struct state_job *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->acd = acd;
	snprintf(j->agent, sizeof j->agent, "%s", a->id);
	snprintf(j->node, sizeof j->node, "%s", acd->core->conf->node_id);
	snprintf(j->state, sizeof j->state, "%s", agent_state_name(a->sm.state));
	snprintf(j->reason, sizeof j->reason, "%s", a->sm.reason);
	snprintf(j->call, sizeof j->call, "%s", a->call_id);
	j->since_ms = a->since_ms;
	j->idle_ms = a->idle_since_ms;
	j->ver = a->ver;
	return j;
}

void acd_store_state(struct acd *acd, struct agent *a)
{
	if (a->row_written) {
		a->row_written = false;	/* acd_confirmed wrote it */
		return;
	}
	if (a->row_elsewhere) {
		/* The agent leaves the reservation another node's row refused:
		 * the row says what that node does with it. */
		if (a->sm.state != AGENT_RESERVED)
			a->row_elsewhere = false;
		return;
	}
	if (!acd->dbq)
		return;	/* no database (unit tests) */
	struct state_job *j = state_job(acd, a);
	if (!j)
		return;
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

void acd_store_reserve(struct acd *acd, struct agent *a, enum agent_state prev, long long prev_ver)
{
	struct state_job *j = acd->dbq ? state_job(acd, a) : NULL;
	if (j) {
		j->reserve = j->confirm = 1;
		j->prev = prev;
		j->prev_ver = prev_ver;
		j->since_ms = core_now_ms();
		if (!dbq_submit(acd->dbq, DBQ_WRITE, dbq_key(a->id), write_state, state_written, j))
			return;
		log_err("agent %s: reservation not asked: database queue full", a->id);
		free(j);
	}
	/* Not asked: as if refused. */
	struct state_job no = { .acd = acd, .prev = prev, .prev_ver = prev_ver };
	snprintf(no.agent, sizeof no.agent, "%s", a->id);
	snprintf(no.call, sizeof no.call, "%s", a->call_id);
	confirmed(acd, &no);
}

/* The database's answer to a reservation between nodes: the phone rings,
 * or the agent is as it was (the row says where it is; the next sync
 * brings it here) and the entry waits for the next dispatch. */
static void confirmed(struct acd *acd, struct state_job *j)
{
	struct agent *a = acd_agent(acd, j->agent);
	if (!a || strcmp(a->call_id, j->call) || (!a->confirming && !a->confirm_orphan))
		return;
	struct qentry *e = a->confirming;
	if (e)
		e->confirming--;
	a->confirming = NULL;
	bool orphan = a->confirm_orphan;
	a->confirm_orphan = false;
	if (a->sm.state != AGENT_RESERVED)
		return;
	if (j->taken) {
		enum agent_state prev = j->prev;
		a->row_written = true;
		acd_changed(acd, a, prev);
		if (orphan || acd->ops.offer(e->owner, a)) {
			log_warn("ACD: %s: the entry for agent %s is gone or could not take it", j->call,
				 a->id);
			if (e) {
				e->offering = false;
				if (e->queue)
					queue_line_file(e->queue, e, core_now_ms());
			}
			acd_agent_event(acd, a, AEV_RELEASE, 0);
			acd_kick(acd);
		}
		return;
	}
	log_info("agent %s is taken at another node; %s waits for someone else", a->id, j->call);
	a->sm.state = j->prev;
	a->ver = j->prev_ver;
	a->owner = NULL;
	a->call_id[0] = '\0';
	a->blocked_until_ms = core_now_ms() + 1000;	/* until the next sync says where it is */
	acd->full_read_ms = 0;
	acd_index_update(acd, a);
	if (e) {
		e->offering = false;
		if (e->queue)
			queue_line_file(e->queue, e, core_now_ms());
	}
	acd_kick(acd);
}
