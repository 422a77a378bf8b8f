/* A voicemail: the caller's audio recorded into a WAV of the voicemail
 * folder, and its cc_voicemail row.
 *
 * The recording is a branch of the caller's rtpengine call, like an
 * agent's: an offer from the caller's tag on a via-branch of its own
 * ("vm1", "vm2", ...), answered with the SDP of a socket of the B2BUA
 * (media/rtp_sink.h) as that branch's party, so rtpengine sends the
 * caller's audio there. It ends at its length (the sink says so), at
 * call_record_stop (the caller's #), when rtpengine refuses the branch,
 * or when the call ends. Nothing is said to rtpengine at the end: the
 * sink's socket is closed, the branch stays until the call is deleted or
 * an agent's branch is answered (RTPENGINE.md: deleting a branch deletes
 * the whole call), and prompts are still played to the caller from its
 * own tag. The row is written through the database queue's ordered write
 * lane, keyed by the call; a failed recording leaves no file and no row. */
#include "b2bua/call/call_priv.h"

#include "b2bua/core/core.h"
#include "b2bua/db/dbq.h"
#include "b2bua/media/ng.h"
#include "b2bua/media/rtp_sink.h"
#include "db.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FILE_MAX 96

struct call_rec {
	struct rtp_sink *sink;	/* holds a reference on the call while open */
	unsigned seq;
	unsigned group;
	char branch[8];		/* rtpengine via-branch and to-tag */
	char file[FILE_MAX];	/* the name in voicemail_dir */
	char *path;
};

/* An ng request's context: which recording it belongs to. */
struct rec_req {
	struct call *call;
	unsigned seq;
};

static const char *const port_latching[] = { "port latching", NULL };
static const char *const replace_origin[] = { "origin", "session-connection", NULL };

/* --- the row ------------------------------------------------------------------------ */

struct vm_job {
	char call_id[33];
	unsigned group;
	unsigned duration_ms;
	char caller[65];
	char file[FILE_MAX];
};

/* Runs again whole when retried: the file's name is unique. */
static int write_row(struct db *db, void *arg)
{
	const struct vm_job *j = arg;
	long long n = db_exec(db,
			      "INSERT INTO cc_voicemail (group_id, caller, file, duration_ms, call_id) "
			      "VALUES (?, ?, ?, ?, ?) "
			      "ON DUPLICATE KEY UPDATE duration_ms = VALUES(duration_ms)",
			      "issis", (long long)j->group, j->caller, j->file,
			      (long long)j->duration_ms, j->call_id);
	return n < 0 ? -1 : 0;
}

static void submit_row(struct call *call, const struct call_rec *r, unsigned duration_ms)
{
	struct vm_job *j = calloc(1, sizeof *j);
	if (!j) {
		log_err("call %s: voicemail %s not recorded in the database: out of memory",
			call->id, r->file);
		return;
	}
	memcpy(j->call_id, call->id, sizeof j->call_id);
	j->group = r->group;
	j->duration_ms = duration_ms;
	snprintf(j->caller, sizeof j->caller, "%s",
		 call->caller_norm && *call->caller_norm ? call->caller_norm
		 : call->caller_num			 ? call->caller_num
							 : "");
	snprintf(j->file, sizeof j->file, "%s", r->file);
	int rc = dbq_submit(call->env->dbq, DBQ_WRITE, dbq_key(call->id), write_row, NULL, j);
	if (rc) {
		log_err("call %s: voicemail %s not recorded in the database: %s", call->id, r->file,
			strerror(rc));
		free(j);
	}
}

/* --- the recording ------------------------------------------------------------------ */

static void tell_recorded(struct call *call)
{
	if (call->ctrl && call->ctrl->signal)
		call->ctrl->signal(call, call->ctrl_state, CSIG_RECORDED, 0);
}

/* Ends the recording: the file completed (or removed when failed is set,
 * or when nothing was recorded), the row written, the sink's reference on
 * the call let go. */
static void finish(struct call *call, const char *failed)
{
	struct call_rec *r = call->rec;
	if (!r)
		return;
	call->rec = NULL;
	struct rtp_sink_stats st = { 0 };
	enum rtp_sink_reason why = RTP_SINK_ERROR;
	if (r->sink) {
		why = rtp_sink_close(r->sink, &st);
		r->sink = NULL;
		call_unref(call);
	}
	if (why == RTP_SINK_ERROR && !failed)
		failed = "the file could not be written";
	if (failed) {
		log_err("call %s: voicemail %s failed: %s", call->id, r->file, failed);
		if (r->path)
			unlink(r->path);
	} else {
		log_info("call %s: voicemail %s for group %u: %u ms (%s, %lu packets)", call->id,
			 r->file, r->group, st.duration_ms, rtp_sink_reason_name(why), st.packets);
		submit_row(call, r, st.duration_ms);
	}
	free(r->path);
	free(r);
}

void record_finish(struct call *call)
{
	finish(call, NULL);
}

bool record_stats(const struct call *call, struct rtp_sink_stats *st)
{
	if (!call->rec || !call->rec->sink)
		return false;
	rtp_sink_stats(call->rec->sink, st);
	return true;
}

static void sink_done(enum rtp_sink_reason reason, const struct rtp_sink_stats *st, void *arg)
{
	struct call *call = arg;
	(void)st;
	if (!call->rec)
		return;
	struct cev_arg a = { .seq = call->rec->seq,
			     .text = reason == RTP_SINK_ERROR ? "the file could not be written" : NULL };
	call_event(call, CEV_RECORD_DONE, &a);
}

/* A reply of rtpengine about recording seq: ok raised with the SDP, or
 * RECORD_DONE with the failure. Drops the request's reference. */
static void reply_to(struct rec_req *q, const struct benc *reply, const char *err,
		     enum call_event ok, const char *what)
{
	struct call *call = q->call;
	const struct benc *sdp = err ? NULL : benc_get(reply, "sdp");
	struct cev_arg a = { .seq = q->seq };
	if (err) {
		log_err("call %s: rtpengine %s for the voicemail failed: %s", call->id, what, err);
		a.text = "media unavailable";
		call_event(call, CEV_RECORD_DONE, &a);
	} else {
		if (sdp && sdp->type == BENC_STR)
			a.text = call_strndup(call, sdp->str, sdp->len);
		call_event(call, ok, &a);
	}
	free(q);
	call_unref(call);
}

static void offered(const struct benc *reply, const char *err, void *arg)
{
	reply_to(arg, reply, err, CEV_RECORD_MEDIA, "offer");
}

static void answered(const struct benc *reply, const char *err, void *arg)
{
	struct rec_req *q = arg;
	struct call *call = q->call;
	if (err) {
		reply_to(q, reply, err, CEV_RECORD_DONE, "answer");
		return;
	}
	/* Nothing more to do: rtpengine sends the caller's audio to the sink. */
	log_debug("call %s: voicemail branch answered", call->id);
	free(q);
	call_unref(call);
}

/* Sends a request about the recording under way; false when it could not
 * be sent. */
static bool request(struct call *call, enum ng_cmd cmd, const struct ng_params *p, ng_reply_h *h)
{
	struct rec_req *q = malloc(sizeof *q);
	if (!q)
		return false;
	*q = (struct rec_req){ call, call->rec->seq };
	call_ref(call);
	if (ng_request(call_ng(call), cmd, p, h, q, NULL)) {
		call_unref(call);
		free(q);
		return false;
	}
	return true;
}

/* The offer of the caller's media on the recording's branch, in the
 * caller's codec only (and telephone-event). */
static bool offer(struct call *call)
{
	int keep[2] = { call->codec.pt, call->te_pt };
	size_t len = strlen(call->sdp_caller) + 1;
	char *reduced = malloc(len);
	bool sent = false;
	if (reduced &&
	    sdp_reduce(call->sdp_caller, len - 1, keep, call->te_pt >= 0 ? 2 : 1, reduced, len) >= 0) {
		struct ng_params p = {
			.call_id = call->id, .from_tag = call->caller.tag,
			.via_branch = call->rec->branch, .sdp = reduced, .flags = port_latching,
			.replace = replace_origin, .ice = "remove",
		};
		sent = request(call, NG_OFFER, &p, offered);
	}
	free(reduced);
	return sent;
}

void act_record(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	const struct b2bua_conf *conf = call->env->core->conf;
	if (call->rec) {
		log_warn("call %s: a voicemail is being recorded already", call->id);
		return;
	}
	struct call_rec *r = calloc(1, sizeof *r);
	if (!r) {
		log_err("call %s: voicemail not recorded: out of memory", call->id);
		tell_recorded(call);
		return;
	}
	r->seq = ++call->rec_seq;
	r->group = arg->group;
	snprintf(r->branch, sizeof r->branch, "vm%u", r->seq % 100000);
	snprintf(r->file, sizeof r->file, "%s-%u.wav", call->id, r->seq);
	call->rec = r;
	unsigned max_s = arg->ms ? arg->ms : 1;
	int rc = asprintf(&r->path, "%s/%s", conf->voicemail_dir, r->file) < 0 ? ENOMEM : 0;
	if (!rc)
		rc = rtp_sink_open(&r->sink, call->env->core->root, conf->record_addr,
				   (unsigned)conf->record_port_min, (unsigned)conf->record_port_max,
				   r->path, max_s, sink_done, call);
	if (rc) {
		r->sink = NULL;
		log_err("call %s: no socket or file for the voicemail (%s): %s", call->id,
			r->path ? r->path : r->file, strerror(rc));
		free(r->path);
		r->path = NULL;	/* nothing was made: nothing to remove */
		finish(call, "not started");
		tell_recorded(call);
		return;
	}
	call_ref(call);	/* the sink's */
	if (!offer(call)) {
		finish(call, "media unavailable");
		tell_recorded(call);
	}
}

void act_record_answer(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	struct call_rec *r = call->rec;
	if (!r || r->seq != arg->seq)
		return;
	char sdp[512];
	struct ng_params p = {
		.call_id = call->id, .from_tag = call->caller.tag, .to_tag = r->branch,
		.via_branch = r->branch, .sdp = sdp, .flags = port_latching,
		.replace = replace_origin, .ice = "remove",
	};
	if (rtp_sink_sdp(r->sink, sdp, sizeof sdp, (unsigned long long)call->t_start) < 0 ||
	    !request(call, NG_ANSWER, &p, answered)) {
		finish(call, "media unavailable");
		tell_recorded(call);
	}
}

void act_record_done(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	if (!call->rec || call->rec->seq != arg->seq)
		return;
	finish(call, arg->text);
	tell_recorded(call);
}

void act_record_stop(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	(void)arg;
	if (!call->rec)
		return;
	finish(call, NULL);
	tell_recorded(call);
}

/* --- the verbs ---------------------------------------------------------------------- */

void call_record(struct call *call, unsigned group, unsigned max_s)
{
	struct cev_arg a = { .group = group, .ms = max_s };
	call_event(call, CEV_RECORD, &a);
}

void call_record_stop(struct call *call)
{
	call_event(call, CEV_RECORD_STOP, NULL);
}
