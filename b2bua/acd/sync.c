/* Several nodes, one view of every agent (docs/cluster.md): this node says
 * it is alive (cc_node), learns which other nodes are, reads the agents'
 * rows the others changed (cc_agent.ver) into its own agents, and makes
 * ready again the agents a dead node held in a call. One job at a time, on
 * a query worker; the answers are applied on the loop. */
#include "b2bua/acd/acd_priv.h"

#include "b2bua/core/core.h"
#include "b2bua/core/tmr.h"
#include "b2bua/db/dbq.h"
#include "db.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How often this node says it is alive. */
#define HEARTBEAT_MS 1000
/* Rows are read again from this far before the newest change seen: a
 * write that was gathered, or retried, commits a little after it was
 * stamped. */
#define LOOKBACK_MS 2000
/* Every row is read at least this often, whatever was missed. */
#define FULL_READ_MS 10000

struct row {
	char id[AGENT_ID_MAX + 1];
	char state[16];
	char reason[AGENT_REASON_MAX + 1];
	char node[NODE_NAME_MAX + 1];
	long long ver;
};

struct sync_job {
	struct acd *acd;
	char self[NODE_NAME_MAX + 1];
	long long started_ms;
	unsigned dead_s;
	bool beat;		/* say this node is alive and read the others */
	bool read_agents;	/* read the agents' rows ... */
	long long from_ver;	/* ... changed at or after this */
	/* Answers. */
	int others_alive;	/* -1: not read */
	char alive[16][NODE_NAME_MAX + 1];
	unsigned freed;		/* agents of dead nodes made ready */
	struct row *rows;
	size_t nrows, cap;
	bool oom;
};

static int keep_node(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct sync_job *j = arg;
	(void)ncol;
	(void)lens;
	long long silent_ms = v[1] ? atoll(v[1]) : 0;
	if (silent_ms < (long long)j->dead_s * 1000 && v[0] &&
	    (size_t)j->others_alive < sizeof j->alive / sizeof *j->alive)
		snprintf(j->alive[j->others_alive++], sizeof j->alive[0], "%s", v[0]);
	return 0;
}

struct dead_list {
	char names[16][NODE_NAME_MAX + 1];
	size_t n;
};

static int keep_dead(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct dead_list *d = arg;
	(void)ncol;
	(void)lens;
	if (d->n < sizeof d->names / sizeof *d->names && v[0])
		snprintf(d->names[d->n++], sizeof d->names[0], "%s", v[0]);
	return 0;
}

/* The agents a dead node held in a call are nobody's and ready (with a
 * line in their state log): the node's calls are gone with it. */
static int free_dead_agents(struct db *db, struct sync_job *j, const char *dead)
{
	long long now = core_now_ms();
	if (db_begin(db))
		return -1;
	if (db_exec(db,
		    "INSERT INTO cc_agent_state_log (agent_id, at, state, reason, call_id) "
		    "SELECT user_id, FROM_UNIXTIME(? / 1000), 'ready', 'node lost', NULL "
		    "FROM cc_agent WHERE node = ? AND state IN ('reserved', 'on_call', 'wrap_up')",
		    "is", now, dead) < 0)
		goto fail;
	long long n = db_exec(db,
			      "UPDATE cc_agent SET state = 'ready', reason = NULL, call_id = NULL, "
			      "node = NULL, state_since = FROM_UNIXTIME(? / 1000), "
			      "idle_since = FROM_UNIXTIME(? / 1000), ver = GREATEST(ver + 1, ?) "
			      "WHERE node = ? AND state IN ('reserved', 'on_call', 'wrap_up')",
			      "iiis", now, now, now, dead);
	if (n < 0 || db_commit(db))
		goto fail;
	if (n > 0)
		log_warn("node %s is silent: its %lld agents in a call are ready again", dead, n);
	j->freed += (unsigned)n;
	return 0;
fail:
	log_warn("agents of the dead node %s not freed: %s", dead, db_error(db));
	db_rollback(db);
	return -1;
}

static int heartbeat(struct db *db, struct sync_job *j)
{
	if (db_exec(db,
		    "INSERT INTO cc_node (name, started_at, seen_at) "
		    "VALUES (?, FROM_UNIXTIME(? / 1000), NOW(3)) "
		    "ON DUPLICATE KEY UPDATE started_at = VALUES(started_at), seen_at = NOW(3)",
		    "si", j->self, j->started_ms) < 0)
		return -1;
	j->others_alive = 0;
	if (db_query(db,
		     "SELECT name, TIMESTAMPDIFF(MICROSECOND, seen_at, NOW(3)) DIV 1000 "
		     "FROM cc_node WHERE name <> ?",
		     keep_node, j, "s", j->self) < 0)
		return -1;
	/* Only silent nodes that still hold an agent in a call: once freed, a
	 * dead node costs nothing more. */
	struct dead_list dead = { .n = 0 };
	if (db_query(db,
		     "SELECT DISTINCT n.name FROM cc_node n JOIN cc_agent a ON a.node = n.name "
		     "WHERE n.name <> ? AND n.seen_at < NOW(3) - INTERVAL ? SECOND "
		     "AND a.state IN ('reserved', 'on_call', 'wrap_up')",
		     keep_dead, &dead, "si", j->self, (long long)j->dead_s) < 0)
		return -1;
	for (size_t i = 0; i < dead.n; i++)
		free_dead_agents(db, j, dead.names[i]);
	return 0;
}

static int keep_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct sync_job *j = arg;
	(void)ncol;
	(void)lens;
	if (j->nrows == j->cap) {
		size_t nc = j->cap ? j->cap * 2 : 64;
		struct row *p = realloc(j->rows, nc * sizeof *p);
		if (!p) {
			j->oom = true;
			return 1;
		}
		j->rows = p;
		j->cap = nc;
	}
	struct row *r = &j->rows[j->nrows++];
	snprintf(r->id, sizeof r->id, "%s", v[0] ? v[0] : "");
	snprintf(r->state, sizeof r->state, "%s", v[1] ? v[1] : "");
	snprintf(r->reason, sizeof r->reason, "%s", v[2] ? v[2] : "");
	snprintf(r->node, sizeof r->node, "%s", v[3] ? v[3] : "");
	r->ver = v[4] ? atoll(v[4]) : 0;
	return 0;
}

static int run_sync(struct db *db, void *arg)
{
	struct sync_job *j = arg;
	if (j->beat && heartbeat(db, j)) {
		log_warn("nodes not read: %s", db_error(db));
		j->others_alive = -1;
	}
	if (j->freed) {
		/* What was freed is read at once, alone or not. */
		j->read_agents = true;
		j->from_ver = 0;
	}
	if (!j->read_agents)
		return 0;
	if (db_query(db,
		     "SELECT user_id, state, reason, node, ver FROM cc_agent WHERE ver >= ?",
		     keep_row, j, "i", j->from_ver) < 0 || j->oom) {
		log_warn("agents' rows not read: %s", j->oom ? "out of memory" : db_error(db));
		j->nrows = 0;
		return -1;
	}
	return 0;
}

/* A row another node wrote, newer than what this node knows of a: a
 * follows it. An agent this node has reserved or on a call is this node's
 * (its own writes are what the row will say). */
static void adopt(struct acd *acd, struct agent *a, const struct row *r)
{
	if (r->ver <= a->ver || a->owner || !strcmp(r->node, acd->core->conf->node_id))
		return;
	int s = agent_state_parse(r->state);
	if (s < 0)
		return;
	enum agent_state prev = a->sm.state;
	a->ver = r->ver;
	snprintf(a->holder, sizeof a->holder, "%s", r->node);
	a->sm.state = (enum agent_state)s;
	snprintf(a->sm.reason, sizeof a->sm.reason, "%s", r->reason);
	a->sm.pending = -1;
	a->row_elsewhere = false;
	a->blocked_until_ms = 0;
	if (prev != a->sm.state) {
		a->since_ms = core_now_ms();
		if (a->sm.state == AGENT_READY)
			a->idle_since_ms = a->since_ms;
		tmr_stop(a->wrapup_timer);
		log_info("agent %s (%s): %s -> %s at node %s", a->id, a->sip ? a->sip : "-",
			 agent_state_name(prev), agent_state_name(a->sm.state),
			 r->node[0] ? r->node : "(none)");
	}
	acd_index_update(acd, a);
	if (a->sm.state == AGENT_READY)
		acd_kick(acd);
}

static void sync_done(int rc, void *arg)
{
	struct sync_job *j = arg;
	struct acd *acd = j->acd;
	acd->syncing = false;
	long long now = core_now_ms();
	if (j->others_alive >= 0) {
		bool alive = j->others_alive > 0;
		if (alive != acd->others_alive)
			log_info("%s", alive ? "other nodes are alive: agents are shared through the database"
					     : "no other node is alive: this node decides alone");
		acd->others_alive = alive;
		acd->nalive = (size_t)j->others_alive;
		memcpy(acd->alive, j->alive, sizeof acd->alive);
		acd->beat_ms = now;
	}
	if (j->read_agents && !rc) {
		long long newest = acd->seen_ver;
		for (size_t i = 0; i < j->nrows; i++) {
			const struct row *r = &j->rows[i];
			if (r->ver > newest)
				newest = r->ver;
			struct agent *a = acd_agent(acd, r->id);
			if (a)
				adopt(acd, a, r);
		}
		acd->seen_ver = newest;
		if (!j->from_ver)
			acd->full_read_ms = now;
	}
	free(j->rows);
	free(j);
}

void acd_sync(struct acd *acd)
{
	if (acd->syncing || !acd->dbq)
		return;
	const struct b2bua_conf *conf = acd->core->conf;
	long long now = core_now_ms();
	struct sync_job *j = calloc(1, sizeof *j);
	if (!j)
		return;
	j->acd = acd;
	snprintf(j->self, sizeof j->self, "%s", conf->node_id);
	j->started_ms = acd->started_ms;
	j->dead_s = (unsigned)conf->node_dead_s;
	j->others_alive = -1;
	j->beat = now - acd->beat_ms >= HEARTBEAT_MS;
	/* Alone, there is nothing to read: this node wrote every row. */
	j->read_agents = acd->others_alive;
	if (j->read_agents)
		j->from_ver = now - acd->full_read_ms >= FULL_READ_MS || !acd->seen_ver
				      ? 0 : acd->seen_ver - LOOKBACK_MS;
	if (!j->beat && !j->read_agents) {
		free(j);
		return;
	}
	acd->syncing = true;
	if (dbq_submit(acd->dbq, DBQ_QUERY, 0, run_sync, sync_done, j)) {
		acd->syncing = false;
		free(j);
	}
}

bool acd_shared(const struct acd *acd)
{
	return acd->others_alive;
}

bool acd_node_alive(const struct acd *acd, const char *node)
{
	for (size_t i = 0; i < acd->nalive; i++)
		if (!strcmp(acd->alive[i], node))
			return true;
	return false;
}

const char *acd_agent_elsewhere(const struct acd *acd, const struct agent *a)
{
	bool busy = a->sm.state == AGENT_RESERVED || a->sm.state == AGENT_ON_CALL ||
		    a->sm.state == AGENT_WRAP_UP;
	if (!busy || a->owner || !a->holder[0] || !strcmp(a->holder, acd->core->conf->node_id) ||
	    !acd_node_alive(acd, a->holder))
		return NULL;
	return a->holder;
}

long long acd_agent_ver(const struct agent *a)
{
	return a->ver;
}

long long agent_next_ver(const struct agent *a, long long now_ms)
{
	return now_ms > a->ver ? now_ms : a->ver + 1;
}
