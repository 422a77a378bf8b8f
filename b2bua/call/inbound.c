/* The caller's side of an inbound call: the INVITE, media anchored in
 * rtpengine with the IVR answer, the welcome prompt, the queue with music,
 * the maximum wait and the closing prompt, and the caller hanging up. */
#include "b2bua/call/call.h"

#include "b2bua/call/cdr.h"
#include "b2bua/ctl/events.h"
#include "b2bua/dir/dir.h"
#include "b2bua/lookup/contact.h"
#include "b2bua/media/ng.h"
#include "log.h"
#include "rnd.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sofia-sip/sip_status.h>

struct call *call_new(struct app *app);
void calls_add(struct calls *c, struct call *call);

static const char *const port_latching[] = { "port latching", NULL };
static const char *const replace_origin[] = { "origin", "session-connection", NULL };

static void refuse(nua_handle_t *nh, int status, const char *why, const sip_t *sip)
{
	log_warn("INVITE %s refused with %d: %s", sip && sip->sip_call_id ? sip->sip_call_id->i_id : "?",
		 status, why);
	/* The handle goes when nua reports it terminated (sip.c). */
	nua_respond(nh, status, sip_status_phrase(status), TAG_END());
}

static void welcome_done(struct call *call)
{
	if (call_step(call, CEV_PROMPT_DONE))
		call_enqueue(call);
}

static void media_answered(const struct benc *reply, const char *err, void *arg)
{
	struct call *call = arg;
	if (call->state == CALL_MEDIA) {
		const struct benc *sdp = benc_get(reply, "sdp");
		if (err || !sdp || sdp->type != BENC_STR) {
			log_err("call %s: rtpengine answer failed: %s", call->id, err ? err : "no SDP");
			call_step(call, CEV_MEDIA_FAILED);
			call_end(call, RESULT_FAILED, SIDE_SYSTEM, "media unavailable");
		} else {
			char *body = su_strndup(call->home, sdp->str, sdp->len);
			nua_respond(call->caller.nh, 200, sip_status_phrase(200),
				    SIPTAG_CONTENT_TYPE_STR("application/sdp"), SIPTAG_PAYLOAD_STR(body),
				    TAG_END());
			call->caller.answered = true;
			call_step(call, CEV_MEDIA_READY);
			if (call->welcome_file)
				call_play(call, call->welcome_file, 0, welcome_done);
			else
				welcome_done(call);
		}
	}
	call_unref(call);
}

/* rtpengine has the caller's offer: answer it as the IVR, with a placeholder
 * SDP in the caller's codec; what comes back is the SDP for the 200 OK. */
static void media_offered(const struct benc *reply, const char *err, void *arg)
{
	struct call *call = arg;
	if (call->state == CALL_MEDIA) {
		char dummy[512];
		if (err) {
			log_err("call %s: rtpengine offer failed: %s", call->id, err);
			call_step(call, CEV_MEDIA_FAILED);
			call_end(call, RESULT_FAILED, SIDE_SYSTEM, "media unavailable");
		} else if (sdp_write(dummy, sizeof dummy, call->app->sip_host, 9, &call->codec,
				     call->te_pt, (unsigned long long)call->t_start) < 0) {
			call_end(call, RESULT_FAILED, SIDE_SYSTEM, "media unavailable");
		} else {
			struct ng_params p = {
				.call_id = call->id, .from_tag = call->caller.tag, .to_tag = "ivr",
				.sdp = dummy, .flags = port_latching, .replace = replace_origin,
			};
			if (ng_request(call->app->ng, NG_ANSWER, &p, media_answered, call_ref(call), NULL)) {
				call_unref(call);
				call_end(call, RESULT_FAILED, SIDE_SYSTEM, "media unavailable");
			}
		}
	}
	(void)reply;
	call_unref(call);
}

static void max_wait_over(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg);

void call_enqueue(struct call *call)
{
	struct app *app = call->app;
	call->t_enqueue = app_now_ms();
	cdr_event(call, "enqueue", NULL, NULL);
	ev_call_queued(app, call);
	call_hold_music(call);
	if (!call->maxwait_timer)
		call->maxwait_timer = su_timer_create(su_root_task(app->root), 0);
	if (call->maxwait_timer)
		su_timer_set_interval(call->maxwait_timer, max_wait_over, call,
				      (su_duration_t)call->max_wait_s * 1000);
	if (!call->group_id || acd_enqueue(app->acd, call, &call->qe, call->group_id, call->t_enqueue)) {
		/* No queue to wait in: straight to the closing prompt. */
		max_wait_over(NULL, NULL, call);
	}
}

static void no_agent_done(struct call *call)
{
	if (call_step(call, CEV_PROMPT_DONE))
		call_end(call, RESULT_NO_AGENT, SIDE_SYSTEM, "no agent");
}

static void max_wait_over(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct call *call = arg;
	(void)magic;
	(void)t;
	if (!call_step(call, CEV_MAX_WAIT))
		return;
	acd_dequeue(call->app->acd, &call->qe);
	if (call->agent_leg && !call->agent_leg->answered)
		call_agent_failed(call, call->agent_leg, AEV_RELEASE, "queue timeout");
	cdr_event(call, "no_agent", NULL, NULL);
	log_info("call %s: no agent within %u s", call->id, call->max_wait_s);
	if (call->noagent_file)
		call_play(call, call->noagent_file, 0, no_agent_done);
	else
		no_agent_done(call);
}

void call_leg_cancel(struct leg *leg)
{
	struct call *call = leg->call;
	leg->gone = true;
	if (leg->role == LEG_CALLER && call->state != CALL_ENDING)
		call_end(call, call->state == CALL_NO_AGENT ? RESULT_NO_AGENT : RESULT_ABANDONED,
			 SIDE_CALLER, "caller cancelled");
}

void call_leg_bye(struct leg *leg)
{
	struct call *call = leg->call;
	leg->gone = true;
	if (call->state == CALL_ENDING)
		return;
	if (leg->role == LEG_CALLER) {
		if (call->state == CALL_BRIDGED)
			call_end(call, RESULT_ANSWERED, SIDE_CALLER, NULL);
		else
			call_end(call, call->state == CALL_NO_AGENT ? RESULT_NO_AGENT : RESULT_ABANDONED,
				 SIDE_CALLER, "caller hung up");
	} else if (leg == call->agent_leg && call->state == CALL_BRIDGED) {
		call_end(call, RESULT_ANSWERED, SIDE_AGENT, NULL);
	}
}

/* Picks the caller's codec (the first it offered) and checks the offer. */
static const char *take_offer(struct call *call, const sip_t *sip)
{
	if (!sip->sip_payload || !sip->sip_payload->pl_len)
		return "no SDP offer (late offer is not supported)";
	if (sip->sip_content_type && sip->sip_content_type->c_type &&
	    strcasecmp(sip->sip_content_type->c_type, "application/sdp"))
		return "body is not SDP";
	struct sdp_audio a;
	const char *why = sdp_parse(sip->sip_payload->pl_data, sip->sip_payload->pl_len, &a);
	if (why)
		return why;
	const struct sdp_codec *c = sdp_first_codec(&a);
	if (!c)
		return "no audio codec";
	call->codec = *c;
	call->te_pt = a.te_pt;
	call->sdp_caller = su_strndup(call->home, sip->sip_payload->pl_data,
				      sip->sip_payload->pl_len);
	return NULL;
}

static char *audio_path(struct call *call, const struct dir *dir, unsigned id)
{
	const struct dir_audio *a = dir_audio(dir, id);
	return a ? su_strdup(call->home, a->path) : NULL;
}

void call_incoming(struct app *app, nua_handle_t *nh, const sip_t *sip)
{
	if (app->stopping) {
		refuse(nh, 503, "shutting down", sip);
		return;
	}
	if (!app->dir) {
		refuse(nh, 503, "directory not loaded yet", sip);
		return;
	}
	if (calls_count(app->calls) >= (unsigned)app->conf.max_calls) {
		refuse(nh, 503, "too many calls", sip);
		return;
	}
	/* rtpengine behind: a new call would only add to its backlog and
	 * wait seconds for media; a quick 503 lets the gateway go elsewhere
	 * and the calls already up keep their media. */
	if (ng_lagging(app->ng) > (unsigned)app->conf.max_ng_lagging) {
		refuse(nh, 503, "media server overloaded", sip);
		return;
	}
	if (!sip->sip_request || !sip->sip_from || !sip->sip_call_id) {
		refuse(nh, 400, "malformed request", sip);
		return;
	}

	struct call *call = call_new(app);
	if (!call || rnd_uuid32(call->id)) {
		if (call)
			call_unref(call);
		refuse(nh, 500, "out of memory", sip);
		return;
	}
	call->t_start = app_now_ms();
	call->caller.nh = nh;
	nua_handle_bind(nh, &call->caller);
	call_ref(call);		/* the handle's */
	calls_add(app->calls, call);
	call_limit_start(call);

	const url_t *from = sip->sip_from->a_url;
	call->sip_call_id = su_strdup(call->home, sip->sip_call_id->i_id);
	call->caller_num = su_strdup(call->home, from->url_user ? from->url_user : "anonymous");
	call->caller_name = su_strdup(call->home, sip->sip_from->a_display);
	call->callee = su_strdup(call->home, sip->sip_request->rq_url->url_user
						   ? sip->sip_request->rq_url->url_user : "");
	char norm[40];
	phone_normalize(&app->phone, call->caller_num, norm, sizeof norm);
	call->caller_norm = su_strdup(call->home, norm);
	log_info("call %s: INVITE %s from %s to %s", call->id, call->sip_call_id, call->caller_num,
		 call->callee);

	const struct dir_number *num = dir_number(app->dir, call->callee);
	if (!num) {
		cdr_start(call);
		cdr_event(call, "start", NULL, call->caller_num);
		call_end(call, RESULT_FAILED, SIDE_SYSTEM, "no such number");
		return;
	}
	call->number_id = num->id;
	call->group_id = num->group;
	const struct dir_group *g = dir_group(app->dir, num->group);
	if (g) {
		call->ring_timeout_s = g->ring_timeout_s;
		call->max_wait_s = g->max_wait_s;
		call->wrapup_s = g->wrapup_s;
		call->moh_file = audio_path(call, app->dir, g->moh_audio);
		call->noagent_file = audio_path(call, app->dir, g->noagent_audio);
	} else {
		call->group_id = 0;
	}
	call->welcome_file = audio_path(call, app->dir, num->welcome_audio);
	cdr_start(call);
	cdr_event(call, "start", NULL, call->caller_num);
	ev_call_new(app, call);

	const char *why = take_offer(call, sip);
	if (why) {
		log_warn("call %s: %s", call->id, why);
		call_end(call, RESULT_FAILED, SIDE_SYSTEM, "bad offer");
		return;
	}
	contact_lookup(call);

	struct ng_params p = {
		.call_id = call->id, .from_tag = call->caller.tag, .sdp = call->sdp_caller,
		.flags = port_latching, .replace = replace_origin, .ice = "remove",
	};
	call->media_up = true;
	if (ng_request(app->ng, NG_OFFER, &p, media_offered, call_ref(call), NULL)) {
		call_unref(call);
		call_end(call, RESULT_FAILED, SIDE_SYSTEM, "media unavailable");
	}
}
