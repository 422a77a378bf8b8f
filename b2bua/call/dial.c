/* An external number (call_dial): a leg through Kamailio's outbound
 * gateway, offered and bridged like an agent's (an rtpengine branch of the
 * caller's media, then an INVITE), with no agent and no queue. Answered,
 * the call is BRIDGED and ends when either side hangs up; failed, busy or
 * rung out, the controller has the caller again (CSIG_NOT_REACHED). */
#include "b2bua/call/call_priv.h"

#include "b2bua/core/core.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

bool call_dialable(const char *s)
{
	size_t n = 0;
	if (s && *s == '+')
		s++;
	for (; s && *s; s++, n++)
		if (*s < '0' || *s > '9')
			return false;
	return n >= 3 && n <= 32;
}

/* The external leg did not take the call (reason: static text). */
static void not_reached(struct call *call, struct leg *leg, const char *reason)
{
	struct cev_arg a = { .leg = leg, .text = reason };
	call_event(call, CEV_AGENT_FAILED, &a);
}

void act_dial_out(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	struct leg *leg = call_mem(call, sizeof *leg);
	if (!leg) {
		not_reached(call, NULL, "out of memory");
		return;
	}
	leg_init(leg, call, LEG_EXTERNAL, ++call->dials);
	leg->number = arg->text ? arg->text : "";
	/* Without a caller ID of its own, the caller sees the number the
	 * customer dialed: the call center's. */
	leg->from_user = arg->name && *arg->name ? arg->name : call->callee;
	leg->next = call->offered;
	call->offered = leg;
	struct ev e = { .type = EV_CALL_DIAL, .callee = leg->number, .caller = leg->from_user };
	call_publish(call, &e);
	if (!call_dialable(leg->number)) {
		log_warn("call %s: \"%s\" is not a number that can be dialed", call->id, leg->number);
		not_reached(call, leg, "bad number");
		return;
	}
	log_info("call %s: dialing %s as %s", call->id, leg->number, leg->from_user);
	if (call->own_agent_id)
		own_lookup(call, leg->number);
	/* The caller hears ringback (the system prompt ringback.wav) until the
	 * far end answers: the bridge stops it as it stops music. */
	if (call->media_up && !call->moh_on) {
		char path[512];
		snprintf(path, sizeof path, "%s/ringback.wav", call->env->core->conf->audio_dir);
		call->moh_on = true;
		media_play(call, call_strdup(call, path), call->env->core->conf->moh_repeat);
	}
	if (!media_offer_leg(call, leg)) {
		log_err("call %s: cannot make an offer for %s from the caller's SDP", call->id,
			leg->number);
		not_reached(call, leg, "bad offer");
	}
}

void act_dial_invite(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	struct leg *leg = arg->leg;
	if (!call_offered(call, leg) || leg->gone)
		return;
	/* user=phone: a telephone number, which Kamailio sends to the
	 * outbound gateway (an agent is user@domain without it). */
	char target[256];
	snprintf(target, sizeof target, "sip:%s@%s;user=phone", leg->number,
		 call->env->core->conf->sip_domain);
	if (leg_dial(leg, target, NULL, leg->from_user, arg->text)) {
		not_reached(call, leg, "out of memory");
		return;
	}
	call_timer_set(call, TMR_RING, call->env->core->conf->dial_ring_timeout_s * 1000);
}

void act_dial_answered(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	struct leg *leg = arg->leg;
	call_unlink_offer(call, leg);
	call->agent_leg = leg;
	call_timer_stop(call, TMR_RING);
	long long now = core_now_ms();
	/* A call an agent transferred out was answered by that agent. */
	if (!call->t_answer)
		call->t_answer = now;
	leg->sdp = arg->text;
	call->transfer_to = call_strdup(call, leg->number);
	struct ev e = { .type = EV_CALL_DIAL_ANSWERED, .ts = now, .callee = leg->number };
	call_publish(call, &e);
	if (call->own_agent_id)
		own_customer_answered(call, leg);
	log_info("call %s: %s answered", call->id, leg->number);
	struct sdp_audio check;
	if (!arg->text || sdp_parse(arg->text, strlen(arg->text), &check)) {
		log_err("call %s: %s answered without a usable SDP", call->id, leg->number);
		call_hangup(call, RESULT_FAILED, "bad answer");
		return;
	}
	media_bridge(call, leg, arg->text);
}

void act_dial_failed(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	/* A failure names its leg; the ring time's end is the one ringing. */
	struct leg *leg = arg->leg ? arg->leg : call->offered;
	const char *why = arg->text ? arg->text : "no_answer";
	call_timer_stop(call, TMR_RING);
	if (call->moh_on)
		media_stop(call);	/* the ringback */
	if (leg) {
		leg_hangup(leg, 0);
		call_unlink_offer(call, leg);
	}
	const char *number = leg ? leg->number : NULL;
	log_info("call %s: %s not reached: %s", call->id, number ? number : "?", why);
	struct ev e = { .type = EV_CALL_DIAL_FAILED, .callee = number, .reason = why };
	call_publish(call, &e);
	if (call->ctrl && call->ctrl->signal)
		call->ctrl->signal(call, call->ctrl_state, CSIG_NOT_REACHED, 0);
}
