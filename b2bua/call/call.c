/* Calls: the object, its references, the table of calls in progress,
 * prompts, and the end of a call. See call.h. */
#include "b2bua/call/call.h"

#include "b2bua/call/cdr.h"
#include "b2bua/ctl/events.h"
#include "b2bua/media/ng.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sofia-sip/sip_status.h>

#define BUCKETS 8192

struct calls {
	struct call *first;
	struct call *buckets[BUCKETS];
	unsigned count;
};

static unsigned bucket(const char *id)
{
	unsigned h = 2166136261u;
	while (*id)
		h = (h ^ (unsigned char)*id++) * 16777619u;
	return h % BUCKETS;
}

int calls_alloc(struct calls **cp)
{
	struct calls *c = calloc(1, sizeof *c);
	if (!c)
		return ENOMEM;
	*cp = c;
	return 0;
}

void calls_free(struct calls *c)
{
	free(c);
}

unsigned calls_count(const struct calls *c)
{
	return c->count;
}

struct call *calls_first(const struct calls *c)
{
	return c->first;
}

struct call *calls_find(const struct calls *c, const char *id)
{
	for (struct call *call = c->buckets[bucket(id)]; call; call = call->next_in_bucket)
		if (!strcmp(call->id, id))
			return call;
	return NULL;
}

void calls_add(struct calls *c, struct call *call)
{
	call->next_in_table = c->first;
	call->prev_in_table = NULL;
	if (c->first)
		c->first->prev_in_table = call;
	c->first = call;
	unsigned b = bucket(call->id);
	call->next_in_bucket = c->buckets[b];
	c->buckets[b] = call;
	c->count++;
}

static void calls_remove(struct calls *c, struct call *call)
{
	if (call->prev_in_table)
		call->prev_in_table->next_in_table = call->next_in_table;
	else if (c->first == call)
		c->first = call->next_in_table;
	else
		return;	/* not in the table */
	if (call->next_in_table)
		call->next_in_table->prev_in_table = call->prev_in_table;
	struct call **p = &c->buckets[bucket(call->id)];
	while (*p && *p != call)
		p = &(*p)->next_in_bucket;
	if (*p)
		*p = call->next_in_bucket;
	call->next_in_table = call->prev_in_table = call->next_in_bucket = NULL;
	c->count--;
}

const char *call_id(const struct call *call)
{
	return call->id;
}

struct call *call_ref(struct call *call)
{
	return su_home_ref(call->home);
}

void call_unref(struct call *call)
{
	su_home_unref(call->home);
}

static void destroy_timer(su_timer_t **t)
{
	if (*t) {
		su_timer_destroy(*t);
		*t = NULL;
	}
}

/* The last reference went: everything not in the home. */
static void call_destructor(void *arg)
{
	struct call *call = arg;
	destroy_timer(&call->timer);
	destroy_timer(&call->maxwait_timer);
	destroy_timer(&call->limit_timer);
	if (call->agent_leg)
		destroy_timer(&call->agent_leg->ring_timer);
	log_debug("call %s freed", call->id);
}

struct call *call_new(struct app *app)
{
	struct call *call = su_home_new(sizeof *call);
	if (!call)
		return NULL;
	su_home_destructor(call->home, call_destructor);
	call->app = app;
	call->caller.call = call;
	call->caller.role = LEG_CALLER;
	strcpy(call->caller.tag, "caller");
	call->te_pt = -1;
	return call;
}

bool call_step(struct call *call, enum call_event ev)
{
	int next = call_fsm_next(call->state, ev);
	if (next < 0) {
		log_debug("call %s: %s in state %s ignored", call->id, call_event_name(ev),
			  call_state_name(call->state));
		return false;
	}
	log_debug("call %s: %s -> %s (%s)", call->id, call_state_name(call->state),
		  call_state_name((enum call_state)next), call_event_name(ev));
	call->state = (enum call_state)next;
	return true;
}

/* --- prompts -------------------------------------------------------------- */

struct play_ctx {
	struct call *call;
	unsigned seq;
	const char *file;	/* the call's copy */
};

static void prompt_over(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct call *call = arg;
	(void)magic;
	(void)t;
	void (*done)(struct call *) = call->prompt_done;
	call->prompt_done = NULL;
	if (done && call->state != CALL_ENDING)
		done(call);
}

/* The event log says what the caller heard: file name and length. */
static void record_prompt(struct call *call, const char *file, long long ms)
{
	char detail[160];
	const char *base = strrchr(file, '/');
	snprintf(detail, sizeof detail, "%s %lld ms", base ? base + 1 : file, ms);
	cdr_event(call, "prompt", NULL, detail);
}

static void played(const struct benc *reply, const char *err, void *arg)
{
	struct play_ctx *ctx = arg;
	struct call *call = ctx->call;
	if (!err && !call->prompt_done && ctx->seq == call->prompt_seq)
		record_prompt(call, ctx->file, 0);	/* music: looped, no end */
	if (ctx->seq == call->prompt_seq && call->state != CALL_ENDING && call->prompt_done) {
		const struct benc *d = benc_get(reply, "duration");
		long long ms = !err && d && d->type == BENC_INT ? d->num : 0;
		if (err)
			log_warn("call %s: prompt not played: %s", call->id, err);
		else
			record_prompt(call, ctx->file, ms);
		if (!call->timer)
			call->timer = su_timer_create(su_root_task(call->app->root), 0);
		/* A little slack so the prompt's last packets are out. */
		if (call->timer)
			su_timer_set_interval(call->timer, prompt_over, call,
					      (su_duration_t)(ms > 0 ? ms + 200 : 0));
	}
	free(ctx);
	call_unref(call);
}

void call_play(struct call *call, const char *file, long repeat, void (*done)(struct call *call))
{
	struct play_ctx *ctx = malloc(sizeof *ctx);
	call->prompt_seq++;
	call->prompt_done = done;
	if (call->timer)
		su_timer_reset(call->timer);
	struct ng_params p = {
		.call_id = call->id, .from_tag = call->caller.tag, .file = file,
		.repeat_times = repeat,
	};
	if (!ctx) {
		log_err("call %s: out of memory", call->id);
		if (done)
			done(call);
		return;
	}
	ctx->call = call_ref(call);
	ctx->seq = call->prompt_seq;
	ctx->file = file;
	if (ng_request(call->app->ng, NG_PLAY_MEDIA, &p, played, ctx, NULL)) {
		log_warn("call %s: cannot ask rtpengine to play %s", call->id, file);
		free(ctx);
		call_unref(call);
		call->prompt_done = NULL;
		if (done)
			done(call);
	}
}

static void dropped(const struct benc *reply, const char *err, void *arg)
{
	struct call *call = arg;
	(void)reply;
	if (err)
		log_debug("call %s: rtpengine: %s", call->id, err);
	call_unref(call);
}

/* Fire-and-forget media commands for this call. */
static void media_cmd(struct call *call, enum ng_cmd cmd, const char *from_tag)
{
	struct ng_params p = { .call_id = call->id, .from_tag = from_tag };
	if (ng_request(call->app->ng, cmd, &p, dropped, call_ref(call), NULL))
		call_unref(call);
}

void call_stop_media(struct call *call)
{
	call->moh_on = false;
	call->prompt_seq++;
	call->prompt_done = NULL;
	if (call->timer)
		su_timer_reset(call->timer);
	media_cmd(call, NG_STOP_MEDIA, call->caller.tag);
}

static void music_due(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct call *call = arg;
	(void)magic;
	(void)t;
	if ((call->state == CALL_QUEUED || call->state == CALL_OFFERING) && !call->moh_on) {
		call->moh_on = true;
		call_play(call, call->moh_file, call->app->conf.moh_repeat, NULL);
	}
}

void call_hold_music(struct call *call)
{
	if (!call->moh_file || call->moh_on)
		return;
	if (!call->timer)
		call->timer = su_timer_create(su_root_task(call->app->root), 0);
	/* An agent who answers within the delay spares the caller the music and
	 * rtpengine two commands. */
	if (call->timer)
		su_timer_set_interval(call->timer, music_due, call,
				      (su_duration_t)call->app->conf.moh_delay_ms);
}

/* --- the end of a call ------------------------------------------------------ */

static int final_status(const char *cause)
{
	if (!cause)
		return 480;
	if (!strcmp(cause, "no such number"))
		return 404;
	if (!strcmp(cause, "media unavailable") || !strcmp(cause, "overloaded") ||
	    !strcmp(cause, "not ready") || !strcmp(cause, "shutting down"))
		return 503;
	if (!strcmp(cause, "bad offer"))
		return 488;
	return 480;
}

void call_end(struct call *call, enum call_result result, enum hangup_side side, const char *cause)
{
	struct app *app = call->app;
	if (call->t_end)
		return;
	call->state = CALL_ENDING;
	call->t_end = app_now_ms();
	call->result = result;
	call->side = side;
	call->cause = cause;
	call->prompt_done = NULL;
	if (call->timer)
		su_timer_reset(call->timer);
	if (call->maxwait_timer)
		su_timer_reset(call->maxwait_timer);
	if (call->limit_timer)
		su_timer_reset(call->limit_timer);
	acd_dequeue(app->acd, &call->qe);

	struct leg *ag = call->agent_leg;
	if (ag) {
		if (ag->ring_timer)
			su_timer_reset(ag->ring_timer);
		if (!ag->gone && ag->nh) {
			if (ag->answered)
				nua_bye(ag->nh, TAG_END());
			else {
				ag->withdrawn = true;
				nua_cancel(ag->nh, TAG_END());
			}
		}
		ag->gone = true;
		if (ag->agent && !ag->answered)
			ev_call_offer_failed(app, call, ag->agent, "caller_gone");
		if (ag->agent) {
			/* Ringing when the caller left is not the agent's fault. */
			acd_agent_event(app->acd, ag->agent, ag->answered ? AEV_HANGUP : AEV_RELEASE,
					call->wrapup_s);
			ag->agent = NULL;
		}
	}
	struct leg *cl = &call->caller;
	if (!cl->gone && cl->nh) {
		if (cl->answered) {
			nua_bye(cl->nh, TAG_END());
		} else {
			int st = final_status(cause);
			nua_respond(cl->nh, st, sip_status_phrase(st), TAG_END());
		}
	}
	cl->gone = true;
	if (call->media_up)
		media_cmd(call, NG_DELETE, NULL);
	log_info("call %s ended: %s, hangup by %s%s%s", call->id, cdr_result_name(result),
		 cdr_side_name(side), cause ? ", " : "", cause ? cause : "");
	cdr_event(call, "end", call->agent_id, cdr_result_name(result));
	cdr_finish(call);
	ev_call_ended(app, call);
	calls_remove(app->calls, call);
	call_unref(call);	/* the table's reference */
}

/* What a call that loses a leg without a BYE ends as. */
static enum call_result result_now(const struct call *call)
{
	switch (call->state) {
	case CALL_BRIDGED: return RESULT_ANSWERED;
	case CALL_NO_AGENT: return RESULT_NO_AGENT;
	case CALL_MEDIA: return RESULT_FAILED;
	default: return RESULT_ABANDONED;
	}
}

static void too_long(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct call *call = arg;
	(void)magic;
	(void)t;
	log_warn("call %s: longer than %ld s, hanging up", call->id, call->app->conf.max_call_s);
	call_end(call, result_now(call), SIDE_SYSTEM, "maximum call length");
}

void call_limit_start(struct call *call)
{
	call->limit_timer = su_timer_create(su_root_task(call->app->root), 0);
	if (call->limit_timer)
		su_timer_set_interval(call->limit_timer, too_long, call,
				      (su_duration_t)call->app->conf.max_call_s * 1000);
}

void call_leg_terminated(struct leg *leg)
{
	struct call *call = leg->call;
	if (!leg->nh)
		return;
	/* A dialog can end without a BYE: the caller never ACKed our 200, a
	 * request timed out, the stack gave up. The call must not outlive it. */
	if (!leg->gone && call->state != CALL_ENDING) {
		leg->gone = true;
		if (leg->role == LEG_CALLER) {
			log_warn("call %s: the caller's dialog ended without a BYE", call->id);
			call_end(call, result_now(call), SIDE_CALLER, "caller dialog lost");
		} else if (leg == call->agent_leg && leg->answered) {
			log_warn("call %s: the agent's dialog ended without a BYE", call->id);
			call_end(call, RESULT_ANSWERED, SIDE_AGENT, "agent dialog lost");
		} else if (leg == call->agent_leg) {
			call_agent_failed(call, leg, AEV_RELEASE, "unreachable");
		}
	}
	nua_handle_bind(leg->nh, NULL);
	nua_handle_destroy(leg->nh);
	leg->nh = NULL;
	call_unref(call);	/* the handle's reference */
}
