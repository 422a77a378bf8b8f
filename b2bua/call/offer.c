/* The agent's side of a call: the offer (rtpengine offer on a branch of
 * the caller's call, INVITE through Kamailio to the agent's phone), ringing,
 * no answer, rejection, the answer that bridges media, and hang-up. */
#include "b2bua/call/call.h"

#include "b2bua/call/cdr.h"
#include "b2bua/ctl/events.h"
#include "b2bua/media/ng.h"
#include "log.h"

#include <stdio.h>
#include <string.h>
#include <sofia-sip/sip_status.h>

static const char *const port_latching[] = { "port latching", NULL };
static const char *const replace_origin[] = { "origin", "session-connection", NULL };

static void ring_timeout(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct leg *leg = arg;
	(void)magic;
	(void)t;
	if (leg->gone || leg->answered || leg != leg->call->agent_leg)
		return;
	log_info("call %s: agent %s did not answer within %u s", leg->call->id,
		 leg->agent ? leg->agent->id : "?", leg->call->ring_timeout_s);
	call_agent_failed(leg->call, leg, AEV_NO_ANSWER, "no_answer");
}

/* Something to show on the agent's phone: the contact's name or the number,
 * without characters that would break a quoted string. */
static void display_name(const struct call *call, char *out, size_t n)
{
	const char *src = call->contact_name && *call->contact_name ? call->contact_name
								    : call->caller_num;
	size_t j = 0;
	for (size_t i = 0; src && src[i] && j + 1 < n; i++)
		if (src[i] != '"' && src[i] != '\\' && (unsigned char)src[i] >= 0x20)
			out[j++] = src[i];
	out[j] = '\0';
}

/* A user part safe to put in a URI: digits, '+', '*', '#' and letters only. */
static const char *uri_user(const char *s)
{
	if (!s || !*s)
		return "anonymous";
	for (const char *p = s; *p; p++)
		if (!(*p == '+' || *p == '*' || (*p >= '0' && *p <= '9') ||
		      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			return "anonymous";
	return s;
}

static void agent_offered(const struct benc *reply, const char *err, void *arg)
{
	struct leg *leg = arg;
	struct call *call = leg->call;
	struct app *app = call->app;
	const struct benc *sdp = benc_get(reply, "sdp");
	if (leg->withdrawn || leg->gone || call->state != CALL_OFFERING || leg != call->agent_leg) {
		call_unref(call);
		return;
	}
	if (err || !sdp || sdp->type != BENC_STR) {
		log_err("call %s: rtpengine offer for agent failed: %s", call->id, err ? err : "no SDP");
		leg->gone = true;
		call_step(call, CEV_MEDIA_FAILED);
		call_end(call, RESULT_FAILED, SIDE_SYSTEM, "media unavailable");
		call_unref(call);
		return;
	}
	struct agent *a = leg->agent;
	char name[128], to[300], from[400], target[256], hdr[96];
	display_name(call, name, sizeof name);
	snprintf(target, sizeof target, "sip:%s@%s", a->sip, app->conf.sip_domain);
	snprintf(to, sizeof to, "<%s>", target);
	snprintf(from, sizeof from, "\"%s\" <sip:%s@%s>", name, uri_user(call->caller_num),
		 app->conf.sip_domain);
	snprintf(hdr, sizeof hdr, "X-CC-Call: %s", call->id);
	char *body = su_strndup(call->home, sdp->str, sdp->len);
	leg->nh = nua_handle(app->nua, leg, SIPTAG_TO_STR(to), SIPTAG_FROM_STR(from),
			     NUTAG_INITIAL_ROUTE_STR(app->proxy_route), TAG_END());
	if (!leg->nh) {
		call_agent_failed(call, leg, AEV_RELEASE, "out of memory");
		call_unref(call);
		return;
	}
	/* The handle keeps the reference taken for this reply. */
	nua_invite(leg->nh, NUTAG_URL(target), SIPTAG_CONTENT_TYPE_STR("application/sdp"),
		   SIPTAG_PAYLOAD_STR(body), SIPTAG_HEADER_STR(hdr), TAG_END());
	if (!leg->ring_timer)
		leg->ring_timer = su_timer_create(su_root_task(app->root), 0);
	if (leg->ring_timer)
		su_timer_set_interval(leg->ring_timer, ring_timeout, leg,
				      (su_duration_t)call->ring_timeout_s * 1000);
}

void call_offer(struct call *call, struct agent *a)
{
	struct app *app = call->app;
	if (!call_step(call, CEV_AGENT_OFFERED)) {
		acd_agent_event(app->acd, a, AEV_RELEASE, 0);
		return;
	}
	struct leg *leg = su_zalloc(call->home, sizeof *leg);
	if (!leg) {
		call_step(call, CEV_AGENT_FAILED);
		acd_agent_event(app->acd, a, AEV_RELEASE, 0);
		return;
	}
	call->offers++;
	leg->call = call;
	leg->role = LEG_AGENT;
	leg->agent = a;
	snprintf(leg->tag, sizeof leg->tag, "ag%u", call->offers);
	snprintf(leg->branch, sizeof leg->branch, "br%u", call->offers);
	call->agent_leg = leg;
	if (!call->t_offer)
		call->t_offer = app_now_ms();
	log_info("call %s: offered to agent %s (%s)", call->id, a->id, a->sip);
	cdr_event(call, "offer", a->id, a->sip);

	/* The agent is offered the caller's codec only (and telephone-event). */
	int keep[2] = { call->codec.pt, call->te_pt };
	size_t len = strlen(call->sdp_caller) + 1;
	char *reduced = su_alloc(call->home, len);
	if (!reduced ||
	    sdp_reduce(call->sdp_caller, len - 1, keep, call->te_pt >= 0 ? 2 : 1, reduced, len) < 0) {
		/* The same would happen with every agent: end the call, do not
		 * hand it to the next one. */
		log_err("call %s: cannot make an offer for agents from the caller's SDP", call->id);
		call_end(call, RESULT_FAILED, SIDE_SYSTEM, "bad offer");
		return;
	}
	struct ng_params p = {
		.call_id = call->id, .from_tag = call->caller.tag, .via_branch = leg->branch,
		.sdp = reduced, .flags = port_latching, .replace = replace_origin, .ice = "remove",
	};
	if (ng_request(app->ng, NG_OFFER, &p, agent_offered, leg, NULL)) {
		call_end(call, RESULT_FAILED, SIDE_SYSTEM, "media unavailable");
		return;
	}
	call_ref(call);
}

void call_withdraw_offer(struct call *call, struct agent *a)
{
	struct leg *leg = call->agent_leg;
	if (!leg || leg->agent != a || leg->answered)
		return;
	call_agent_failed(call, leg, AEV_RELEASE, "reservation lost");
}

void call_agent_failed(struct call *call, struct leg *leg, enum agent_event why, const char *reason)
{
	struct app *app = call->app;
	if (leg->ring_timer) {
		su_timer_destroy(leg->ring_timer);
		leg->ring_timer = NULL;
	}
	if (!leg->gone && leg->nh && !leg->answered) {
		/* Stop the phone ringing; its 487 is ignored. */
		leg->withdrawn = true;
		nua_cancel(leg->nh, TAG_END());
	}
	leg->gone = true;
	struct agent *a = leg->agent;
	leg->agent = NULL;
	if (leg == call->agent_leg)
		call->agent_leg = NULL;
	if (a) {
		cdr_event(call, "offer_failed", a->id, reason);
		ev_call_offer_failed(app, call, a, reason);
		acd_agent_event(app->acd, a, why, call->wrapup_s);
	}
	if (call_step(call, CEV_AGENT_FAILED)) {
		call_hold_music(call);
		acd_requeue(app->acd, &call->qe);
	}
}

static void bridged(const struct benc *reply, const char *err, void *arg)
{
	struct leg *leg = arg;
	struct call *call = leg->call;
	(void)reply;
	if (call->state == CALL_BRIDGED && leg == call->agent_leg) {
		if (err) {
			log_err("call %s: rtpengine answer for agent failed: %s", call->id, err);
			call_step(call, CEV_MEDIA_FAILED);
			call_end(call, RESULT_FAILED, SIDE_SYSTEM, "media unavailable");
		} else if (call->moh_on) {
			/* Music stops only now, so the caller never hears silence. */
			call_stop_media(call);
		} else if (call->timer) {
			su_timer_reset(call->timer);	/* music that was due */
		}
	}
	call_unref(call);
}

static void answered(struct leg *leg, const sip_t *sip)
{
	struct call *call = leg->call;
	struct app *app = call->app;
	struct agent *a = leg->agent;

	if (leg->ring_timer)
		su_timer_reset(leg->ring_timer);
	leg->answered = true;
	call->t_answer = app_now_ms();
	call->agent_id = su_strdup(call->home, a->id);
	/* The screen pop goes first: nothing the agent sees waits for media. */
	ev_call_answered(app, call, a, call->t_answer);
	acd_agent_event(app->acd, a, AEV_ANSWER, 0);
	call_step(call, CEV_AGENT_ANSWERED);
	acd_dequeue(app->acd, &call->qe);
	if (call->maxwait_timer)
		su_timer_reset(call->maxwait_timer);
	log_info("call %s: answered by agent %s", call->id, a->id);
	cdr_event(call, "answer", a->id, NULL);
	cdr_answered(call);

	const char *body = sip && sip->sip_payload ? sip->sip_payload->pl_data : NULL;
	struct sdp_audio check;
	if (!body || sdp_parse(body, sip->sip_payload->pl_len, &check)) {
		log_err("call %s: agent %s answered without a usable SDP", call->id, a->id);
		call_end(call, RESULT_FAILED, SIDE_SYSTEM, "bad answer");
		return;
	}
	struct ng_params p = {
		.call_id = call->id, .from_tag = call->caller.tag, .to_tag = leg->tag,
		.via_branch = leg->branch, .flags = port_latching, .replace = replace_origin,
		.ice = "remove",
		.sdp = su_strndup(call->home, body, sip->sip_payload->pl_len),
	};
	if (ng_request(app->ng, NG_ANSWER, &p, bridged, leg, NULL)) {
		call_step(call, CEV_MEDIA_FAILED);
		call_end(call, RESULT_FAILED, SIDE_SYSTEM, "media unavailable");
		return;
	}
	call_ref(call);
}

void call_leg_response(struct leg *leg, int status, const char *phrase, const sip_t *sip)
{
	struct call *call = leg->call;
	if (leg->role != LEG_AGENT)
		return;
	if (status < 200) {
		if ((status == 180 || status == 183) && !leg->ringing && !leg->gone && leg->agent) {
			leg->ringing = true;
			ev_call_ringing(call->app, call, leg->agent);
			cdr_event(call, "ringing", leg->agent->id, NULL);
		}
		return;
	}
	if (status < 300) {
		if (leg->gone || leg->withdrawn || leg != call->agent_leg ||
		    call->state != CALL_OFFERING || !leg->agent) {
			/* Answered after we gave up on it: hang that call up. */
			log_info("call %s: late answer from %s, hanging it up", call->id, leg->tag);
			nua_bye(leg->nh, TAG_END());
			return;
		}
		answered(leg, sip);
		return;
	}
	if (leg->gone || leg->withdrawn || leg->answered || !leg->agent)
		return;
	log_info("call %s: agent %s answered %d %s", call->id, leg->agent->id, status,
		 phrase ? phrase : "");
	if (status == 486 || status == 600 || status == 603) {
		call_agent_failed(call, leg, AEV_REJECT, "rejected");
	} else if (status == 408) {
		call_agent_failed(call, leg, AEV_NO_ANSWER, "no_answer");
	} else {
		/* Not reachable (not registered, gone): not the agent's fault, but
		 * its phone is not to be tried again until it registers anew. */
		leg->agent->registered = false;
		call_agent_failed(call, leg, AEV_RELEASE, "unreachable");
	}
}
