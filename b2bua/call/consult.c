/* Consult (attended) transfer: the caller waits on hold with its music,
 * the talking agent's phone talks to a second agent's, then the caller goes
 * to the second agent (complete: the first one leaves into wrap-up) or back
 * to the first (cancelled, or the second did not answer or hung up).
 *
 * Media by rtpengine subscriptions alone, as measured on 10.5
 * (tests/integration/t_rtp_monitor.sh, docs/incall.md): every phone keeps
 * its port, nobody is re-INVITEd. The second phone is offered the first
 * agent's media (`subscribe request` [agN] -> csN, made sendrecv for the
 * INVITE); when it answers the first agent hears it ([csN] -> agN) and the
 * caller hears no one but its music (`unsubscribe` caller, the caller's
 * media blocked). Complete links the caller and the second agent; back
 * links the caller and the first again. rtpengine cannot mix: no three-way
 * stage. */
#include "b2bua/call/call_priv.h"

#include "b2bua/core/core.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The talking agent's leg, or NULL (an agent's own call, an external
 * number: no consult). */
static struct leg *talking_agent(struct call *call)
{
	return !call->own_agent_id && call->agent_leg && call->agent_leg->role == LEG_AGENT
		       ? call->agent_leg
		       : NULL;
}

/* --- the verbs ----------------------------------------------------------------------- */

const char *call_consult(struct call *call, struct agent *a, const char *agent_id,
			 const char *sip_user)
{
	if (call->state == CALL_CONSULT)
		return "consulting";
	if ((call->state != CALL_BRIDGED && call->state != CALL_HELD) || !talking_agent(call))
		return call->own_agent_id ? "not_transferable" : "not_talking";
	if (call_talking_agent(call, agent_id))
		return "same_agent";
	const char *why = acd_take_agent(call->env->acd, a, call, call->id);
	if (why)
		return why;
	struct cev_arg arg = { .agent = a, .name = call_strdup(call, agent_id),
			       .text = call_strdup(call, sip_user) };
	call_event(call, CEV_CONSULT, &arg);
	return NULL;
}

const char *call_consult_end(struct call *call, bool complete)
{
	if (call->state != CALL_CONSULT || !call->consult)
		return "not_consulting";
	if (complete && !call->consult->answered)
		return "not_answered";
	call_raise(call, complete ? CEV_CONSULT_COMPLETE : CEV_CONSULT_CANCEL, NULL);
	return NULL;
}

/* --- media --------------------------------------------------------------------------- */

static void offered(struct call *call, void *arg, const char *sdp, const char *err)
{
	struct leg *leg = arg;
	/* A consultation over by now (cancelled, the call ended) hears no
	 * more of rtpengine: its failure must not end the next one. */
	if (leg != call->consult || leg->gone)
		return;
	struct cev_arg a = { .leg = leg, .agent = leg->agent, .aev = AEV_RELEASE };
	size_t cap = sdp ? strlen(sdp) + 32 : 0;
	char *two_way = cap ? call_mem(call, cap) : NULL;
	/* rtpengine offers the subscription sendonly; the phone is to talk. */
	if (two_way && sdp_set_dir(sdp, cap - 32, SDP_SENDRECV, two_way, cap) > 0) {
		a.text = two_way;
		call_event(call, CEV_CONSULT_MEDIA, &a);
		return;
	}
	log_err("call %s: rtpengine subscribe request for %s failed: %s", call->id, leg->tag,
		err ? err : "no usable SDP");
	a.text = "media";
	call_event(call, CEV_CONSULT_FAILED, &a);
}

/* The consultation is over: the consulted phone hung up (unless it stays:
 * complete), its agent released, the caller's music stopped and its media
 * unblocked, the hold time counted. */
static void finish(struct call *call, struct leg *cs, const char *why, bool keep)
{
	call->consult = NULL;
	call_timer_stop(call, TMR_RING);
	long long held = core_now_ms() - call->held_at;
	call->hold_ms += held;
	struct ev r = { .type = EV_CALL_RESUME, .agent = call->agent_id, .by = "consult",
			.ms = held };
	call_publish(call, &r);
	if (!keep) {
		leg_hangup(cs, 0);
		if (cs->agent)
			acd_agent_event(call->env->acd, cs->agent,
					cs->answered ? AEV_HANGUP : AEV_RELEASE, 0);
		cs->agent = NULL;
	}
	/* The caller's music stops and it is heard again. */
	media_stop(call);
	media_mute(call, &call->caller, false);
	struct ev e = { .type = EV_CALL_CONSULT_ENDED, .agent = call->agent_id, .to = cs->agent_id,
			.reason = why };
	call_publish(call, &e);
}

/* --- the table's actions ------------------------------------------------------------- */

void act_consult(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	struct leg *ag = talking_agent(call);
	struct leg *cs = ag ? call_mem(call, sizeof *cs) : NULL;
	if (!cs) {
		acd_agent_event(call->env->acd, arg->agent, AEV_RELEASE, 0);
		call_hangup(call, RESULT_ANSWERED, "out of memory");
		return;
	}
	leg_init(cs, call, LEG_CONSULT, ++call->consults);
	cs->agent = arg->agent;
	cs->agent_id = arg->name;
	cs->number = arg->text;
	call->consult = cs;
	if (from == CALL_HELD) {
		/* Held already (music, both sides blocked): the agent is to be
		 * heard by the consulted one. */
		if (!call->muted)
			media_mute(call, ag, false);
	} else {
		/* The caller waits with the hold's music; nobody hears it. */
		call->held_at = core_now_ms();
		call->holds++;
		struct ev h = { .type = EV_CALL_HOLD, .agent = ag->agent_id, .by = "consult" };
		call_publish(call, &h);
		media_mute(call, &call->caller, true);
		media_music_to(call, &call->caller, call_hold_music(call));
	}
	media_unsubscribe(call, call->caller.tag);
	log_info("call %s: agent %s consults agent %s", call->id, ag->agent_id, cs->agent_id);
	struct ev e = { .type = EV_CALL_CONSULT, .agent = ag->agent_id,
			.to = call_strdup(call, cs->agent_id) };
	call_publish(call, &e);
	const char *from_tags[] = { ag->tag, NULL };
	if (!media_subscribe(call, from_tags, cs->tag, offered, cs)) {
		struct cev_arg a = { .leg = cs, .text = "media", .aev = AEV_RELEASE };
		call_event(call, CEV_CONSULT_FAILED, &a);
	}
}

void act_consult_invite(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	struct leg *cs = arg->leg;
	if (cs != call->consult || cs->gone)
		return;
	char target[160];
	snprintf(target, sizeof target, "sip:%s@%s", cs->number, call->env->core->conf->sip_domain);
	/* The consulted phone shows who calls: the consulting agent's call's
	 * customer. */
	const char *display = call->contact_name && *call->contact_name ? call->contact_name
									 : call->caller_num;
	if (leg_dial(cs, target, display, call->caller_num, arg->text)) {
		struct cev_arg a = { .leg = cs, .text = "unreachable", .aev = AEV_RELEASE };
		call_event(call, CEV_CONSULT_FAILED, &a);
		return;
	}
	unsigned ring_s = call->queue->ring_timeout_s ? call->queue->ring_timeout_s
						      : (unsigned)call->env->core->conf->dial_ring_timeout_s;
	call_timer_set(call, TMR_RING, (long)ring_s * 1000);
}

void consult_response(struct leg *leg, int status, const char *phrase, const sip_t *sip)
{
	struct call *call = leg->call;
	(void)phrase;
	if (status < 200 || leg->gone)
		return;
	struct cev_arg a = { .leg = leg, .agent = leg->agent };
	if (status < 300) {
		leg->answered = true;
		const char *body = sip && sip->sip_payload ? sip->sip_payload->pl_data : NULL;
		a.text = body ? call_strndup(call, body, sip->sip_payload->pl_len) : NULL;
		if (!call_event(call, CEV_CONSULT_ANSWERED, &a) || call->consult != leg) {
			log_info("call %s: late answer from %s, hanging it up", call->id, leg->tag);
			leg->gone = true;
			nua_bye(leg->nh, TAG_END());
		}
		return;
	}
	leg_failure(status, &a);
	call_event(call, CEV_CONSULT_FAILED, &a);
}

void act_consult_answered(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	struct leg *cs = arg->leg, *ag = talking_agent(call);
	if (cs != call->consult || !ag)
		return;
	call_timer_stop(call, TMR_RING);
	struct sdp_audio check;
	if (!arg->text || sdp_parse(arg->text, strlen(arg->text), &check)) {
		struct cev_arg a = { .leg = cs, .text = "bad answer", .aev = AEV_RELEASE };
		call_event(call, CEV_CONSULT_FAILED, &a);
		return;
	}
	cs->sdp = arg->text;
	if (cs->agent)
		acd_agent_event(call->env->acd, cs->agent, AEV_ANSWER, 0);
	log_info("call %s: agent %s answers the consultation", call->id, cs->agent_id);
	struct ev e = { .type = EV_CALL_CONSULT_ANSWERED, .agent = ag->agent_id, .to = cs->agent_id };
	call_publish(call, &e);
	const char *from_cs[] = { cs->tag, NULL };
	media_subscribe_answer(call, cs->tag, cs->sdp, NULL, NULL);
	media_subscribe(call, from_cs, ag->tag, NULL, NULL);
	media_subscribe_answer(call, ag->tag, ag->sdp, NULL, NULL);
}

/* Back to the caller: cancelled, or the consulted phone failed or hung up. */
void act_consult_back(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	struct leg *cs = call->consult, *ag = talking_agent(call);
	if (!cs || (arg->leg && arg->leg != cs))
		return;
	const char *why = arg->text ? arg->text : "cancelled";
	if (arg->leg && !cs->answered && arg->aev && cs->agent) {
		/* Its phone's fault (no answer, rejected): as for an offer. */
		acd_agent_event(call->env->acd, cs->agent, (enum agent_event)arg->aev, 0);
		cs->agent = NULL;
	}
	if (cs->answered)
		media_unsubscribe(call, cs->tag);
	log_info("call %s: back to the caller (%s)", call->id, why);
	finish(call, cs, why, false);
	if (ag)
		media_link(call, &call->caller, call->sdp_caller, ag, ag->sdp);
	if (ag && call->muted)
		media_mute(call, ag, true);
}

/* The consulted phone rang out. */
void act_consult_no_answer(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)arg;
	struct cev_arg a = { .leg = call->consult, .text = "no_answer", .aev = AEV_NO_ANSWER };
	act_consult_back(call, from, &a);
}

/* The caller goes to the consulted agent; the consulting one leaves. */
static void complete(struct call *call)
{
	struct leg *cs = call->consult, *ag = talking_agent(call);
	if (!cs || !ag)
		return;
	media_link(call, &call->caller, call->sdp_caller, cs, cs->sdp);
	media_unsubscribe(call, ag->tag);
	finish(call, cs, "completed", true);
	call->transfers++;
	call->muted = false;
	char to[80];
	snprintf(to, sizeof to, "agent:%s", cs->agent_id);
	struct ev t = { .type = EV_CALL_TRANSFER, .agent = ag->agent_id, .by = "consult",
			.to = call_strdup(call, to) };
	call_publish(call, &t);
	log_info("call %s: agent %s hands the caller to agent %s", call->id, ag->agent_id,
		 cs->agent_id);
	call->agent_leg = cs;
	cs->role = LEG_AGENT;
	call_end_agent_leg(call, ag, SIDE_AGENT);
	call->agent_id = call_strdup(call, cs->agent_id);
	/* The pop for the agent who has the caller now, and the record's
	 * agent. */
	call_publish_pop(call, EV_CALL_ANSWERED, cs->agent_id, 0);
}

void act_consult_complete(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	(void)arg;
	complete(call);
}

/* The consulting agent hung up: with the consulted one talking, that hands
 * the caller over (as most phones do); while it still rings, the call
 * ends. The table's next event does either. */
void act_consult_agent_gone(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	(void)arg;
	struct leg *cs = call->consult;
	if (cs && cs->answered) {
		call_raise(call, CEV_CONSULT_COMPLETE, NULL);
		return;
	}
	call_raise(call, CEV_DROP, "agent hung up while consulting");
}

void consult_stop(struct call *call)
{
	if (call->consult)
		finish(call, call->consult, "call_ended", false);
}
