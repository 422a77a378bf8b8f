/* A call's recording (docs/recording.md): rtpengine records the packets it
 * receives from both parties into pcaps; this file says when.
 *
 * The policy is the queue's (the skill group's, or the outbound task's):
 * `all` starts the recording when the agent's media is bridged, `on_demand`
 * waits for the agent (call.record on the control socket). rtpengine 10.5
 * has no "pause recording" (it answers "Unrecognized command"), so a pause
 * is a `stop recording` and a resume a `start recording`: each start makes
 * a new pcap (a segment) and the time between is not in any, which is what
 * keeps a card number read out during a pause out of every file. When the
 * call ends, the recording is stopped and its row (cc_recording, state
 * pending) written through the database queue's write lane, keyed by the
 * call like its record; cc-web converts it. Nothing here waits: ng
 * requests are sent and their replies only logged. */
#include "b2bua/call/call_priv.h"

#include "b2bua/core/core.h"
#include "b2bua/db/dbq.h"
#include "b2bua/media/ng.h"
#include "db.h"
#include "log.h"
#include "rec_policy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* X(id, name, doc) */
#define RECORDING_STATES(X)                                        \
	X(OFF, "off", "not recording (never started, or stopped)")  \
	X(ON, "on", "rtpengine writes a segment")                   \
	X(PAUSED, "paused", "stopped by a pause; a resume starts a new segment")

#define RECORDING_STATE_ENUM(id, name, doc) RS_##id,
enum recording_state { RECORDING_STATES(RECORDING_STATE_ENUM) };
#undef RECORDING_STATE_ENUM

struct call_recording {
	enum rec_policy policy;
	enum recording_state state;
	unsigned segments;	/* starts sent to rtpengine */
	char agent[33];		/* who talked when it started */
};

/* --- rtpengine ----------------------------------------------------------------------- */

static void replied(const struct benc *reply, const char *err, void *arg)
{
	(void)reply;
	struct call *call = arg;
	if (err)
		log_err("call %s: rtpengine recording request failed: %s", call->id, err);
	call_unref(call);
}

static void send_ng(struct call *call, enum ng_cmd cmd)
{
	struct ng_params p = { .call_id = call->id };
	call_ref(call);
	if (ng_request(call_ng(call), cmd, &p, replied, call, NULL)) {
		log_err("call %s: rtpengine %s not sent", call->id, ng_cmd_name(cmd));
		call_unref(call);
	}
}

static void publish(struct call *call, const char *what)
{
	struct ev e = { .type = EV_CALL_RECORDING, .agent = call->recording->agent,
			.recording = what };
	call_publish(call, &e);
}

/* Moves the recording to state to, telling rtpengine and the bus. */
static void set_state(struct call *call, enum recording_state to, const char *what)
{
	struct call_recording *r = call->recording;
	if (to == RS_ON) {
		send_ng(call, NG_START_RECORDING);
		r->segments++;
	} else if (r->state == RS_ON) {
		send_ng(call, NG_STOP_RECORDING);
	}
	r->state = to;
	log_info("call %s: recording %s (segment %u)", call->id, what, r->segments);
	publish(call, what);
}

/* --- the row ------------------------------------------------------------------------- */

struct rec_job {
	char call_id[33];
	char agent[33];
	unsigned segments;
};

/* Runs again whole when retried: one row per call. */
static int write_row(struct db *db, void *arg)
{
	const struct rec_job *j = arg;
	long long n = db_exec(db,
			      "INSERT INTO cc_recording (call_id, agent_id, segments, state, created_at) "
			      "VALUES (?, NULLIF(?, ''), ?, 'pending', NOW(3)) "
			      "ON DUPLICATE KEY UPDATE segments = VALUES(segments)",
			      "ssi", j->call_id, j->agent, (long long)j->segments);
	return n < 0 ? -1 : 0;
}

static void submit_row(struct call *call)
{
	struct rec_job *j = calloc(1, sizeof *j);
	int rc = j ? 0 : ENOMEM;
	if (j) {
		memcpy(j->call_id, call->id, sizeof j->call_id);
		memcpy(j->agent, call->recording->agent, sizeof j->agent);
		j->segments = call->recording->segments;
		rc = dbq_submit(call->env->dbq, DBQ_WRITE, dbq_key(call->id), write_row, NULL, j);
	}
	if (rc) {
		log_err("call %s: its recording is not in the database (cc_recording): %s",
			call->id, strerror(rc));
		free(j);
	}
}

/* --- what the call and the agent do ---------------------------------------------------- */

void recording_bridged(struct call *call)
{
	if (call->recording || !call->agent_leg || !call->agent_id)
		return;
	enum rec_policy p = call->queue ? (enum rec_policy)call->queue->recording : REC_NONE;
	if (p == REC_NONE)
		return;
	struct call_recording *r = call_mem(call, sizeof *r);
	if (!r) {
		log_err("call %s: not recorded: out of memory", call->id);
		return;
	}
	r->policy = p;
	snprintf(r->agent, sizeof r->agent, "%s", call->agent_id);
	call->recording = r;
	if (p == REC_ALL)
		set_state(call, RS_ON, "started");
}

void recording_end(struct call *call)
{
	struct call_recording *r = call->recording;
	if (!r)
		return;
	/* rtpengine's delete would end the segment too (RTPENGINE.md); the
	 * stop says so first and the bus hears it. */
	if (r->state == RS_ON)
		set_state(call, RS_OFF, "stopped");
	if (r->segments)
		submit_row(call);
}

/* X(id, name) */
#define RECORDING_OPS(X) X(START, "start") X(STOP, "stop") X(PAUSE, "pause") X(RESUME, "resume")

#define RECORDING_OP_ENUM(id, name) OP_##id,
enum recording_op { RECORDING_OPS(RECORDING_OP_ENUM) OP_COUNT };
#undef RECORDING_OP_ENUM

static int op_parse(const char *s)
{
	static const char *const names[] = {
#define RECORDING_OP_NAME(id, name) name,
		RECORDING_OPS(RECORDING_OP_NAME)
#undef RECORDING_OP_NAME
	};
	for (int i = 0; i < OP_COUNT; i++)
		if (s && !strcmp(s, names[i]))
			return i;
	return -1;
}

/* What op does to r: the state it leads to, or why not (a CTL_ERRORS code).
 * Asking for the state already in force is no error. */
static const char *op_check(const struct call_recording *r, enum recording_op op,
			    enum recording_state *to)
{
	switch (op) {
	case OP_START:
		if (r->policy != REC_ON_DEMAND && r->state != RS_ON)
			return "recording_not_allowed";
		*to = r->state == RS_PAUSED ? RS_PAUSED : RS_ON;
		return NULL;
	case OP_STOP:
		if (r->policy != REC_ON_DEMAND)
			return "recording_not_allowed";
		*to = RS_OFF;
		return NULL;
	case OP_PAUSE:
		if (r->state == RS_OFF)
			return "not_recording";
		*to = RS_PAUSED;
		return NULL;
	case OP_RESUME:
		if (r->state == RS_OFF)
			return "not_recording";
		*to = RS_ON;
		return NULL;
	default:
		return "bad_request";
	}
}

const char *call_record_op(struct call *call, const char *op_name, const char **state)
{
	int op = op_parse(op_name);
	if (op < 0)
		return "bad_request";
	struct call_recording *r = call->recording;
	if (!r)
		return "recording_not_allowed";
	enum recording_state to;
	const char *err = op_check(r, (enum recording_op)op, &to);
	if (err)
		return err;
	static const char *const what[] = { [RS_OFF] = "stopped", [RS_ON] = "started",
					    [RS_PAUSED] = "paused" };
	if (to != r->state)
		set_state(call, to, to == RS_ON && r->state == RS_PAUSED ? "resumed" : what[to]);
	static const char *const names[] = {
#define RECORDING_STATE_NAME(id, name, doc) name,
		RECORDING_STATES(RECORDING_STATE_NAME)
#undef RECORDING_STATE_NAME
	};
	*state = names[r->state];
	return NULL;
}
