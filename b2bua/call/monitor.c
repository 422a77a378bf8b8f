/* A supervisor listening to a bridged call (docs/supervisor.md).
 *
 * The supervisor's phone is called like an agent's (sip:USER@domain through
 * Kamailio) with the SDP of an rtpengine subscription to the caller and the
 * talking party: `subscribe request` with from-tags [caller, agN], to-tag
 * supN. That offer has two sendonly audio sections, the caller's and the
 * agent's; the phone's answer goes to `subscribe answer`. Nothing the
 * supervisor sends reaches anyone. The leg ends when the supervisor hangs
 * up (`unsubscribe`), or with the call, or when the agent leaves and the
 * caller goes back to the flow.
 *
 * rtpengine 10.5 cannot mix: whisper and barge would give the agent (and the
 * caller) two RTP sources on one stream, which phones do not play as one
 * voice, so only listen is offered (call_monitor answers "not_supported"
 * for the others).
 *
 * One supervisor at a time per call (call->monitor). The leg's memory is the
 * call's; its nua handle holds a reference on the call as every leg's does. */
#include "b2bua/call/call_priv.h"

#include "b2bua/core/core.h"
#include "b2bua/media/ng.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

/* --- rtpengine ------------------------------------------------------------------ */

static void subscribed(struct call *call, void *arg, const char *sdp, const char *err)
{
	struct leg *leg = arg;
	struct cev_arg a = { .leg = leg };
	if (sdp) {
		a.text = sdp;
		call_event(call, CEV_MONITOR_MEDIA, &a);
	} else {
		log_err("call %s: rtpengine subscribe request for %s failed: %s", call->id, leg->tag,
			err ? err : "no SDP");
		a.text = "media";
		call_event(call, CEV_MONITOR_FAILED, &a);
	}
}

static void answered(struct call *call, void *arg, const char *sdp, const char *err)
{
	struct leg *leg = arg;
	(void)sdp;
	if (err) {
		log_err("call %s: rtpengine subscribe answer for %s failed: %s", call->id, leg->tag,
			err);
		struct cev_arg a = { .leg = leg, .text = "media" };
		call_event(call, CEV_MONITOR_FAILED, &a);
	}
}

/* `subscribe request`: the supervisor's leg gets the caller and the agent. */
static bool subscribe(struct leg *leg, const char *agent_tag)
{
	const char *from_tags[] = { leg->call->caller.tag, agent_tag, NULL };
	return media_subscribe(leg->call, from_tags, leg->tag, subscribed, leg);
}

static void subscribe_answer(struct leg *leg, const char *sdp)
{
	if (!media_subscribe_answer(leg->call, leg->tag, sdp, answered, leg)) {
		struct cev_arg a = { .leg = leg, .text = "media" };
		call_event(leg->call, CEV_MONITOR_FAILED, &a);
	}
}

/* --- the control socket's door ---------------------------------------------------- */

/* A SIP user part: letters, digits and . - _ only. */
static bool sip_user_ok(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' || *s == '_'))
			return false;
	return n > 0 && n <= 64;
}

const char *call_monitor(struct calls *c, const char *call_id, const char *sip_user,
			 const char *mode, const char **tag)
{
	if (!call_id || !sip_user_ok(sip_user))
		return "bad_request";
	if (mode && strcmp(mode, "listen")) {
		if (!strcmp(mode, "whisper") || !strcmp(mode, "barge"))
			return "not_supported";
		return "bad_request";
	}
	struct call *call = calls_find(c, call_id);
	if (!call)
		return "unknown_call";
	if (call->monitor)
		return "monitored";
	struct cev_arg a = { .text = sip_user };
	if (!call_event(call, CEV_MONITOR, &a))
		return "not_bridged";
	if (!call->monitor)
		return "out_of_memory";
	if (tag)
		*tag = call->monitor->tag;
	return NULL;
}

/* --- the table's actions ------------------------------------------------------------ */

/* The monitoring is over: rtpengine and the phone told, the event published.
 * The leg stays in the call's memory until the call is freed. */
static void finish(struct call *call, struct leg *leg, const char *why)
{
	if (call->monitor != leg)
		return;
	call->monitor = NULL;
	/* At the call's end its delete takes the subscription with it. */
	if (call->media_up && leg->answered && call->state != CALL_ENDING)
		media_unsubscribe(call, leg->tag);
	leg_hangup(leg, 0);
	log_info("call %s: supervisor %s no longer listens: %s", call->id, leg->number, why);
	struct ev e = { .type = EV_CALL_MONITOR_ENDED, .sip = leg->number, .reason = why };
	call_publish(call, &e);
}

void act_monitor(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	struct leg *talking = call->agent_leg;
	struct leg *leg = talking ? call_mem(call, sizeof *leg) : NULL;
	if (!leg)
		return;
	leg_init(leg, call, LEG_MONITOR, ++call->monitors);
	leg->number = call_strdup(call, arg->text);
	if (!leg->number)
		return;
	call->monitor = leg;
	log_info("call %s: supervisor %s listens to %s and %s", call->id, leg->number,
		 call->caller.tag, talking->tag);
	struct ev e = { .type = EV_CALL_MONITOR, .sip = leg->number, .mode = "listen" };
	call_publish(call, &e);
	if (!subscribe(leg, talking->tag))
		finish(call, leg, "media");
}

void act_monitor_invite(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	struct leg *leg = arg->leg;
	if (call->monitor != leg || leg->gone)
		return;
	char target[160];
	snprintf(target, sizeof target, "sip:%s@%s", leg->number,
		 call->env->core->conf->sip_domain);
	/* The supervisor's phone shows whose call it is: the caller's number. */
	if (leg_dial(leg, target, call->caller_num, call->caller_num, arg->text))
		finish(call, leg, "unreachable");
}

void act_monitor_answered(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	struct leg *leg = arg->leg;
	if (call->monitor != leg)
		return;
	log_info("call %s: supervisor %s answered", call->id, leg->number);
	struct ev e = { .type = EV_CALL_MONITOR_ANSWERED, .sip = leg->number, .mode = "listen" };
	call_publish(call, &e);
	if (!arg->text) {
		finish(call, leg, "media");
		return;
	}
	subscribe_answer(leg, arg->text);
}

void act_monitor_end(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	finish(call, arg->leg, arg->text ? arg->text : "hangup");
}

void monitor_stop(struct call *call, const char *why)
{
	if (call->monitor)
		finish(call, call->monitor, why);
}

void monitor_response(struct leg *leg, int status, const char *phrase, const sip_t *sip)
{
	struct call *call = leg->call;
	if (status < 200)
		return;
	if (status < 300) {
		leg->answered = true;
		const char *body = sip && sip->sip_payload ? sip->sip_payload->pl_data : NULL;
		struct cev_arg a = { .leg = leg };
		a.text = body ? call_strndup(call, body, sip->sip_payload->pl_len) : NULL;
		if (leg->gone || call->monitor != leg || !call_event(call, CEV_MONITOR_ANSWERED, &a)) {
			log_info("call %s: late answer from supervisor %s, hanging it up", call->id,
				 leg->number);
			leg->gone = true;
			nua_bye(leg->nh, TAG_END());
		}
		return;
	}
	if (leg->gone || leg->answered)
		return;
	log_info("call %s: supervisor %s answered %d %s", call->id, leg->number, status,
		 phrase ? phrase : "");
	leg->gone = true;
	struct cev_arg a = { .leg = leg };
	a.text = status == 486 || status == 600 || status == 603 ? "rejected"
		 : status == 408 || status == 480 ? "no_answer"
		 : "unreachable";
	call_event(call, CEV_MONITOR_FAILED, &a);
}
