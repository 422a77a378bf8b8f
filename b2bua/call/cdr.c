/* Call records: the cc_call row of each call and its cc_call_event log,
 * written from the events the call publishes (a subscriber of the bus, so
 * the log holds exactly what the control socket sent out). Each write copies
 * what it needs from the call (the call may be gone when the write runs)
 * and goes through the database queue's ordered write lane, keyed by the
 * call, so a call's rows are written in order and retried while the
 * database is away. The row is written, whole, as the call stands, when
 * the call arrives (call.new), when the contact is found (call.contact),
 * when an agent answers (call.answered: the web app links a contact to the
 * agent's live call), when an external number answers (call.dial_answered)
 * and when it joins a queue (call.queued: a node that dies while the call
 * waits leaves its queue time behind) and when it ends (call.ended). The
 * event log rows gathered since the last write go with each write; between
 * those, an event that comes CDR_LOG_FLUSH_MS or more after the last write
 * takes the rows gathered so far on its own (an IVR caller's path while the
 * call is in the flow). The log of a call in progress is thus in the
 * database up to about a second ago, so a crashed node's calls and today's
 * reports are complete. Rows and log lines are row sets (db.h): the writes
 * of every call committed together share one statement per table. */
#include "b2bua/call/call_priv.h"

#include "b2bua/core/bus.h"
#include "b2bua/core/core.h"
#include "b2bua/db/dbq.h"
#include "db.h"
#include "log.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum cdr_op { OP_START, OP_CONTACT, OP_QUEUED, OP_ANSWERED, OP_TRANSFERRED, OP_LOG, OP_FINISH };

/* The longest a call's log rows wait for a write of their own. */
#define CDR_LOG_FLUSH_MS 1000

struct cdr {
	struct core *core;
	struct dbq *dbq;
};

/* An event log line copied into a job. */
struct ev_row {
	const char *event;
	long long at;
	const char *agent, *detail;
};

/* A snapshot of what one write needs, in one allocation: the struct, the
 * event rows, then the strings. */
struct cdr_job {
	enum cdr_op op;
	char id[33];
	long long t_start, t_enqueue, t_offer, t_answer, t_end;
	unsigned number_id, group_id, offers, task_id;
	unsigned holds, transfers;
	long long hold_ms;
	unsigned long long target_id;
	const char *result, *side;	/* static */
	char *cause;			/* a copy: a flow's cause lives in its call */
	const char *direction;			/* static */
	const char *end_state;			/* static: the state the call ended in */
	char survey[2];
	char *sip_call_id, *node, *caller, *caller_norm, *callee, *agent, *contact, *record;
	char *transfer_to;
	struct ev_row *events;
	unsigned nevents;
	_Alignas(max_align_t) char text[];	/* events first: aligned */
};

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

static size_t len0(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Copies s into the pool at *p. */
static char *pool_copy(char **p, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = memcpy(*p, s, n);
	*p += n;
	return d;
}

/* Copies what the op needs from the call; the final row takes the event
 * log along. */
/* Takes the event log rows not yet written: they go with this job. */
static struct cdr_job *job_new(const struct cdr *c, struct call *call, enum cdr_op op,
			       const char *agent)
{
	unsigned first = call->nlog_written, nev = call->nlog - first;
	/* The record reads calling party -> called party: a task's call is
	 * the center's caller ID calling the customer (whose leg is the call's
	 * first). caller_norm is the customer's number whichever way: an
	 * agent's own call knows it once the agent's number is dialed (the
	 * final row writes it). */
	const char *caller = call->task_id ? call->callee : call->caller_num;
	const char *callee = call->task_id ? call->caller_num : call->callee;
	const char *norm = call->dialed_norm && *call->dialed_norm ? call->dialed_norm
								     : call->caller_norm;
	const char *src[10] = {
		call->sip_call_id, c->core->conf->node_id, caller, norm,
		callee, agent, call->contact_id, op == OP_FINISH ? call->record : NULL,
		op == OP_FINISH ? call->cause : NULL, call->transfer_to,
	};
	size_t len = nev * sizeof(struct ev_row);
	for (int i = 0; i < 10; i++)
		len += len0(src[i]);
	for (unsigned i = 0; i < nev; i++)
		len += len0(call->log[first + i].agent) + len0(call->log[first + i].detail);
	struct cdr_job *j = calloc(1, sizeof *j + len);
	if (!j)
		return NULL;
	j->events = (struct ev_row *)(void *)j->text;
	j->nevents = nev;
	char *p = j->text + nev * sizeof(struct ev_row);
	char **dst[10] = {
		&j->sip_call_id, &j->node, &j->caller, &j->caller_norm, &j->callee, &j->agent,
		&j->contact, &j->record, &j->cause, &j->transfer_to,
	};
	for (int i = 0; i < 10; i++)
		*dst[i] = pool_copy(&p, src[i]);
	for (unsigned i = 0; i < nev; i++) {
		const struct cdr_row *r = &call->log[first + i];
		j->events[i].event = r->event;
		j->events[i].at = r->at;
		j->events[i].agent = pool_copy(&p, r->agent);
		j->events[i].detail = pool_copy(&p, r->detail);
	}
	call->nlog_written = call->nlog;
	call->log_written_ms = core_now_ms();
	j->op = op;
	j->direction = call->outbound ? "outbound" : "inbound";
	memcpy(j->id, call->id, sizeof j->id);
	j->t_start = call->t_start;
	j->t_enqueue = call->t_enqueue;
	j->t_offer = call->t_offer;
	j->t_answer = call->t_answer;
	j->t_end = call->t_end;
	j->number_id = call->number_id;
	j->group_id = call->group_id;
	j->offers = call->offers;
	j->holds = call->holds;
	j->hold_ms = call->hold_ms;
	j->transfers = call->transfers;
	j->task_id = call->task_id;
	j->target_id = call->target_id;
	j->result = call->result != RESULT_NONE ? call_result_name(call->result) : NULL;
	j->side = call->side != SIDE_NONE ? call_side_name(call->side) : NULL;
	j->survey[0] = call->survey;
	j->end_state = op == OP_FINISH ? call_state_name(call->end_from) : NULL;
	return j;
}

/* The event log: one row per line; the rows of every call in a batch of
 * writes go to the server as one INSERT. */
static const struct db_rowset event_rows = {
	.head = "INSERT INTO cc_call_event (call_id, at, event, skill_group_id, agent_id, detail) "
		"VALUES ",
	.row = "(?, FROM_UNIXTIME(? / 1000), ?, NULLIF(?, 0), ?, ?)",
	.tail = "",
	.fmt = "sisiss",
};

/* The call's row: every write is the whole row as the call stands (an
 * insert the first time, an update after), so the writes of many calls
 * share one statement. What another writer may have set is kept: the web
 * app links a contact to a live call (contact_id), and values a later
 * write does not know (NULL) never erase earlier ones (agent, transfer,
 * normalized number). Times are milliseconds, 0 for not yet. */
#define MS_TS "FROM_UNIXTIME(NULLIF(?, 0) / 1000)"
#define CALL_FMT "sssssssiisiiisiiiiissssssiiis"
#define CALL_MERGE "kkkkkckknckkkfnnnnnnnnnnnnnnc"
static const struct db_rowset call_rows = {
	.head = "INSERT INTO cc_call (id, sip_call_id, node, direction, caller, caller_norm, "
		"callee, number_id, skill_group_id, agent_id, task_id, target_id, started_at, "
		"contact_id, offers, enqueued_at, offered_at, answered_at, ended_at, result, "
		"hangup_side, cause, end_state, survey_key, ivr_vars, holds, hold_ms, transfers, "
		"transfer_to) VALUES ",
	.row = "(?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, NULLIF(?, 0), NULLIF(?, 0), "
	       "FROM_UNIXTIME(? / 1000), ?, ?, " MS_TS ", " MS_TS ", " MS_TS ", " MS_TS
	       ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	.tail = " ON DUPLICATE KEY UPDATE skill_group_id = VALUES(skill_group_id), "
		"agent_id = COALESCE(VALUES(agent_id), agent_id), "
		"contact_id = COALESCE(contact_id, VALUES(contact_id)), offers = VALUES(offers), "
		"enqueued_at = VALUES(enqueued_at), offered_at = VALUES(offered_at), "
		"answered_at = VALUES(answered_at), ended_at = VALUES(ended_at), "
		"result = VALUES(result), hangup_side = VALUES(hangup_side), "
		"cause = VALUES(cause), end_state = VALUES(end_state), "
		"survey_key = VALUES(survey_key), ivr_vars = VALUES(ivr_vars), "
		"holds = VALUES(holds), hold_ms = VALUES(hold_ms), transfers = VALUES(transfers), "
		"transfer_to = COALESCE(VALUES(transfer_to), transfer_to), "
		"caller_norm = COALESCE(VALUES(caller_norm), caller_norm)",
	.fmt = CALL_FMT,
	/* Two writes of one call in a batch (the insert and the queueing, a
	 * few milliseconds apart) go as one row: what the tail keeps from the
	 * first write is kept (k), what it coalesces is coalesced the same
	 * way (c, f), the rest is the later write's (n). */
	.merge = CALL_MERGE,
};
_Static_assert(sizeof CALL_FMT == sizeof CALL_MERGE, "one merge rule per value");

static int add_call_row(struct db *db, const struct cdr_job *j)
{
	const union db_val v[] = {
		{ .s = j->id },
		{ .s = j->sip_call_id ? j->sip_call_id : "" },
		{ .s = j->node },
		{ .s = j->direction },
		{ .s = j->caller ? j->caller : "" },
		{ .s = or_null(j->caller_norm) },
		{ .s = j->callee ? j->callee : "" },
		{ .i = j->number_id },
		{ .i = j->group_id },
		{ .s = or_null(j->agent) },
		{ .i = j->task_id },
		{ .i = (long long)j->target_id },
		{ .i = j->t_start },
		{ .s = or_null(j->contact) },
		{ .i = j->offers },
		{ .i = j->t_enqueue },
		{ .i = j->t_offer },
		{ .i = j->t_answer },
		{ .i = j->t_end },
		{ .s = j->result },
		{ .s = j->side },
		{ .s = j->cause },
		{ .s = j->end_state },
		{ .s = or_null(j->survey) },
		{ .s = j->record },
		{ .i = j->holds },
		{ .i = j->hold_ms },
		{ .i = j->transfers },
		{ .s = or_null(j->transfer_to) },
	};
	_Static_assert(sizeof v / sizeof *v == sizeof CALL_FMT - 1, "one value per type");
	return db_rows_add(db, &call_rows, j->id, v);
}

static int write_cdr(struct db *db, void *arg)
{
	struct cdr_job *j = arg;
	int rc = j->op == OP_LOG ? 0 : add_call_row(db, j);
	for (unsigned i = 0; !rc && i < j->nevents; i++) {
		const struct ev_row *e = &j->events[i];
		const union db_val v[] = {
			{ .s = j->id }, { .i = e->at },	   { .s = e->event },
			{ .i = j->group_id }, { .s = e->agent }, { .s = e->detail },
		};
		rc = db_rows_add(db, &event_rows, j->id, v);
	}
	if (rc) {
		log_warn("call %s: record write failed: %s", j->id, db_error(db));
		return -1;
	}
	return 0;
}

static void submit(const struct cdr *c, const struct call *call, struct cdr_job *j)
{
	if (!j) {
		log_err("call %s: call record not written: out of memory", call->id);
		return;
	}
	if (!c->dbq || dbq_submit(c->dbq, DBQ_WRITE, dbq_key(call->id), write_cdr, NULL, j)) {
		log_err("call %s: call record not written: database queue full", call->id);
		free(j);
	}
}

/* One row of the call's event log, kept until the call's next write. */
static void log_row(struct call *call, const struct ev *ev, const char *name)
{
	if (call->nlog == call->log_cap) {
		unsigned cap = call->log_cap ? call->log_cap * 2 : 8;
		struct cdr_row *rows = su_realloc(call->home, call->log, cap * sizeof *rows);
		if (!rows) {
			log_err("call %s: event %s not recorded: out of memory", call->id, name);
			return;
		}
		call->log = rows;
		call->log_cap = cap;
	}
	char detail[256];
	bool has_detail = ev_detail(ev, detail, sizeof detail);
	struct cdr_row *r = &call->log[call->nlog++];
	r->event = name;
	r->at = ev->ts;
	r->agent = ev->agent && *ev->agent ? call_strdup(call, ev->agent) : NULL;
	r->detail = has_detail ? call_strdup(call, detail) : NULL;
}

static void on_event(const struct ev *ev, void *arg)
{
	const struct cdr *c = arg;
	struct call *call = (struct call *)ev->subject;
	const struct ev_def *d = ev_def(ev->type);
	if (!call || !d)
		return;
	if (d->log)
		log_row(call, ev, d->log);
	switch (ev->type) {
	case EV_CALL_NEW: submit(c, call, job_new(c, call, OP_START, call->own_agent_id)); break;
	case EV_CALL_CONTACT: submit(c, call, job_new(c, call, OP_CONTACT, NULL)); break;
	case EV_CALL_QUEUED: submit(c, call, job_new(c, call, OP_QUEUED, NULL)); break;
	case EV_CALL_ANSWERED: submit(c, call, job_new(c, call, OP_ANSWERED, call->agent_id)); break;
	case EV_CALL_DIAL_ANSWERED:
		submit(c, call, job_new(c, call, OP_TRANSFERRED, NULL));
		break;
	case EV_CALL_ENDED: submit(c, call, job_new(c, call, OP_FINISH, call->agent_id)); break;
	default:
		if (call->nlog > call->nlog_written &&
		    core_now_ms() - call->log_written_ms >= CDR_LOG_FLUSH_MS)
			submit(c, call, job_new(c, call, OP_LOG, NULL));
		break;
	}
}

/* --- records a killed process left open ---------------------------------------------- */

struct close_job {
	struct calls_closed_cb cb;
	char node[65];
	long long before_ms;
	long long closed;
};

/* The rows of this node started before before_ms and never ended: the
 * process that had the calls died (a clean stop writes every final row).
 * Each gets its end as this start sees it (docs/design-notes.md, "After a
 * restart"): the event log's "end" line first, for rows that have none,
 * then the row, so a second run (the batch rolled back and retried) finds
 * the same rows and writes nothing twice. */
static int write_close(struct db *db, void *arg)
{
	struct close_job *j = arg;
	if (db_exec(db,
		    "INSERT INTO cc_call_event (call_id, at, event, skill_group_id, agent_id, detail) "
		    "SELECT c.id, FROM_UNIXTIME(? / 1000), 'end', c.skill_group_id, c.agent_id, "
		    "IF(c.answered_at IS NULL, 'failed', 'answered') FROM cc_call c "
		    "WHERE c.node = ? AND c.ended_at IS NULL AND c.started_at < FROM_UNIXTIME(? / 1000) "
		    "AND NOT EXISTS (SELECT 1 FROM cc_call_event e WHERE e.call_id = c.id "
		    "AND e.event = 'end')",
		    "isi", j->before_ms, j->node, j->before_ms) < 0)
		goto fail;
	j->closed = db_exec(db,
			    "UPDATE cc_call SET ended_at = FROM_UNIXTIME(? / 1000), "
			    "result = IF(answered_at IS NULL, 'failed', 'answered'), "
			    "hangup_side = 'system', cause = 'node restarted' "
			    "WHERE node = ? AND ended_at IS NULL AND started_at < FROM_UNIXTIME(? / 1000)",
			    "isi", j->before_ms, j->node, j->before_ms);
	if (j->closed >= 0)
		return 0;
fail:
	log_warn("open call records of node %s not closed: %s", j->node, db_error(db));
	return -1;
}

static void close_done(int rc, void *arg)
{
	struct close_job *j = arg;
	if (rc == 0 && j->closed > 0)
		log_warn("%lld call record(s) left open by this node's last run closed: "
			 "node restarted", j->closed);
	if (j->cb.done)
		j->cb.done(j->cb.arg, rc);
	free(j);
}

int cdr_close_lost(struct cdr *c, long long before_ms, const struct calls_closed_cb *cb)
{
	if (!c->dbq)
		return EINVAL;
	struct close_job *j = calloc(1, sizeof *j);
	if (!j)
		return ENOMEM;
	if (cb)
		j->cb = *cb;
	snprintf(j->node, sizeof j->node, "%s", c->core->conf->node_id);
	j->before_ms = before_ms;
	int err = dbq_submit(c->dbq, DBQ_WRITE, dbq_key(j->node), write_close, close_done, j);
	if (err)
		free(j);
	return err;
}

int cdr_alloc(struct cdr **cp, struct core *core, struct dbq *dbq)
{
	struct cdr *c = calloc(1, sizeof *c);
	if (!c)
		return ENOMEM;
	c->core = core;
	c->dbq = dbq;
	if (bus_subscribe(core->bus, EV_CLASS_BIT(EVC_call) | EV_CLASS_BIT(EVC_queue) |
						   EV_CLASS_BIT(EVC_task),
			  on_event, c)) {
		free(c);
		return ENOMEM;
	}
	*cp = c;
	return 0;
}

void cdr_free(struct cdr *c)
{
	if (!c)
		return;
	bus_unsubscribe(c->core->bus, on_event, c);
	free(c);
}
