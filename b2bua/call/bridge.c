/* An agent answered: the screen pop goes out at once, rtpengine bridges
 * the agent's branch to the caller (no re-INVITE to the caller), and the
 * music stops once media flows. */
#include "b2bua/call/call_priv.h"

#include "b2bua/core/core.h"
#include "log.h"

#include <string.h>

void act_bridge(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	struct leg *leg = arg->leg;
	struct agent *a = leg->agent;
	/* The one who answered talks; every other phone offered the call
	 * (ring_all) stops ringing, through no fault of its agent. */
	call_take_offer(call, leg);
	call->agent_leg = leg;
	call_timer_stop(call, TMR_RING);
	call_timer_stop(call, TMR_MAX_WAIT);
	call_timer_stop(call, TMR_MOH);
	long long now = core_now_ms();
	/* A transferred call was answered when its first agent answered. */
	if (!call->t_answer)
		call->t_answer = now;
	call->agent_id = call_strdup(call, leg->agent_id);
	leg->sdp = arg->text;
	/* The screen pop goes first: nothing the agent sees waits for media. */
	call_publish_pop(call, EV_CALL_ANSWERED, leg->agent_id, now);
	if (a)
		acd_agent_event(call->env->acd, a, AEV_ANSWER, 0);
	acd_dequeue(call->env->acd, &call->qe);
	log_info("call %s: answered by agent %s", call->id, leg->agent_id);
	struct sdp_audio check;
	if (!arg->text || sdp_parse(arg->text, strlen(arg->text), &check)) {
		log_err("call %s: agent %s answered without a usable SDP", call->id, leg->agent_id);
		call_hangup(call, RESULT_FAILED, "bad answer");
		return;
	}
	media_bridge(call, leg, arg->text);
}

void act_bridged(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	(void)arg;
	/* Music (or an announcement) stops only now, so the caller never
	 * hears silence. */
	if (call->moh_on || call->announcing)
		media_stop(call);
	call->announcing = false;
	call_timer_stop(call, TMR_ANNOUNCE);
	recording_bridged(call);
}
