/* Call records: see cdr.h. */
#include "b2bua/call/cdr.h"

#include "b2bua/db/dbq.h"
#include "db.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

enum cdr_op { OP_START, OP_CONTACT, OP_ANSWERED, OP_FINISH, OP_EVENT };

/* A snapshot of what one write needs. Strings are copied into text[]. */
struct cdr_job {
	enum cdr_op op;
	char id[33];
	long long t_start, t_enqueue, t_offer, t_answer, t_end, at;
	unsigned number_id, group_id, offers;
	const char *result, *side, *cause, *event;	/* static */
	char *sip_call_id, *node, *caller, *caller_norm, *callee, *agent, *contact, *detail;
	char text[];
};

#define RESULT_NAME(name, str) str,
static const char *const result_names[] = { NULL, CALL_RESULTS(RESULT_NAME) };
#undef RESULT_NAME

const char *cdr_result_name(enum call_result r)
{
	return r <= RESULT_FAILED && r != RESULT_NONE ? result_names[r] : "none";
}

const char *cdr_side_name(enum hangup_side s)
{
	static const char *const names[] = { NULL, "caller", "agent", "system" };
	return s != SIDE_NONE && s <= SIDE_SYSTEM ? names[s] : "none";
}

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

/* Copies the strings the op needs after the struct, in one allocation. */
static struct cdr_job *job_new(struct call *call, enum cdr_op op, const char *agent,
			       const char *detail)
{
	const char *src[8] = {
		call->sip_call_id, call->app->conf.node_id, call->caller_num, call->caller_norm,
		call->callee, agent, call->contact_id, detail,
	};
	size_t len = 0;
	for (int i = 0; i < 8; i++)
		len += src[i] ? strlen(src[i]) + 1 : 0;
	struct cdr_job *j = calloc(1, sizeof *j + len);
	if (!j)
		return NULL;
	char *p = j->text;
	char **dst[8] = {
		&j->sip_call_id, &j->node, &j->caller, &j->caller_norm,
		&j->callee, &j->agent, &j->contact, &j->detail,
	};
	for (int i = 0; i < 8; i++) {
		if (!src[i])
			continue;
		size_t n = strlen(src[i]) + 1;
		memcpy(p, src[i], n);
		*dst[i] = p;
		p += n;
	}
	j->op = op;
	memcpy(j->id, call->id, sizeof j->id);
	j->t_start = call->t_start;
	j->t_enqueue = call->t_enqueue;
	j->t_offer = call->t_offer;
	j->t_answer = call->t_answer;
	j->t_end = call->t_end;
	j->number_id = call->number_id;
	j->group_id = call->group_id;
	j->offers = call->offers;
	j->result = call->result != RESULT_NONE ? cdr_result_name(call->result) : NULL;
	j->side = call->side != SIDE_NONE ? cdr_side_name(call->side) : NULL;
	j->cause = call->cause;
	return j;
}

/* DATETIME(3) from milliseconds, or NULL for 0. */
#define MS_TS "IF(? = 0, NULL, FROM_UNIXTIME(? / 1000))"

static int write_cdr(struct db *db, void *arg)
{
	struct cdr_job *j = arg;
	long long n = 0;
	switch (j->op) {
	case OP_START:
		n = db_exec(db,
			    "INSERT IGNORE INTO cc_call (id, sip_call_id, node, direction, caller, "
			    "caller_norm, callee, number_id, skill_group_id, started_at) "
			    "VALUES (?, ?, ?, 'inbound', ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), "
			    "FROM_UNIXTIME(? / 1000))",
			    "ssssssiii", j->id, j->sip_call_id ? j->sip_call_id : "", j->node,
			    j->caller ? j->caller : "", or_null(j->caller_norm),
			    j->callee ? j->callee : "", (long long)j->number_id,
			    (long long)j->group_id, j->t_start);
		break;
	case OP_CONTACT:
		n = db_exec(db, "UPDATE cc_call SET contact_id = ? WHERE id = ? AND contact_id IS NULL",
			    "ss", j->contact, j->id);
		break;
	case OP_ANSWERED:
		n = db_exec(db,
			    "UPDATE cc_call SET agent_id = ?, offers = ?, "
			    "enqueued_at = " MS_TS ", offered_at = " MS_TS ", answered_at = " MS_TS
			    " WHERE id = ?",
			    "siiiiiiis", j->agent, (long long)j->offers, j->t_enqueue,
			    j->t_enqueue, j->t_offer, j->t_offer, j->t_answer, j->t_answer, j->id);
		break;
	case OP_FINISH:
		n = db_exec(db,
			    "UPDATE cc_call SET agent_id = COALESCE(?, agent_id), "
			    "contact_id = COALESCE(contact_id, ?), offers = ?, "
			    "skill_group_id = NULLIF(?, 0), "
			    "enqueued_at = " MS_TS ", offered_at = " MS_TS ", answered_at = " MS_TS ", "
			    "ended_at = FROM_UNIXTIME(? / 1000), result = ?, hangup_side = ?, cause = ? "
			    "WHERE id = ?",
			    "ssiiiiiiiiissss", j->agent, j->contact, (long long)j->offers,
			    (long long)j->group_id, j->t_enqueue, j->t_enqueue, j->t_offer, j->t_offer,
			    j->t_answer, j->t_answer, j->t_end, j->result, j->side, j->cause, j->id);
		break;
	case OP_EVENT:
		n = db_exec(db,
			    "INSERT INTO cc_call_event (call_id, at, event, skill_group_id, agent_id, "
			    "detail) VALUES (?, FROM_UNIXTIME(? / 1000), ?, NULLIF(?, 0), ?, ?)",
			    "sisiss", j->id, j->at, j->event, (long long)j->group_id, j->agent,
			    j->detail);
		break;
	}
	if (n < 0) {
		log_warn("call %s: record write failed: %s", j->id, db_error(db));
		return -1;
	}
	return 0;
}

static void submit(struct call *call, struct cdr_job *j)
{
	if (!j) {
		log_err("call %s: call record not written: out of memory", call->id);
		return;
	}
	if (dbq_submit(call->app->dbq, DBQ_WRITE, dbq_key(call->id), write_cdr, NULL, j)) {
		log_err("call %s: call record not written: database queue full", call->id);
		free(j);
	}
}

void cdr_start(struct call *call)
{
	call->recorded = true;
	submit(call, job_new(call, OP_START, NULL, NULL));
}

void cdr_contact(struct call *call)
{
	if (call->recorded && call->contact_id)
		submit(call, job_new(call, OP_CONTACT, NULL, NULL));
}

void cdr_answered(struct call *call)
{
	if (call->recorded)
		submit(call, job_new(call, OP_ANSWERED, call->agent_id, NULL));
}

void cdr_finish(struct call *call)
{
	if (!call->recorded)
		cdr_start(call);
	submit(call, job_new(call, OP_FINISH, call->agent_id, NULL));
}

void cdr_event(struct call *call, const char *event, const char *agent, const char *detail)
{
	struct cdr_job *j = job_new(call, OP_EVENT, agent, detail);
	if (j) {
		j->event = event;
		j->at = app_now_ms();
	}
	submit(call, j);
}
