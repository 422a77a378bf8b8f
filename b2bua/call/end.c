/* The end of a call: every leg hung up as its state needs, the agent
 * released (or into wrap-up), rtpengine told, the call.ended event (from
 * which the record is written), and the call out of the table. */
#include "b2bua/call/call_priv.h"

#include "b2bua/core/core.h"
#include "log.h"

#include <string.h>

/* The final response to a caller not answered yet. */
static int final_status(const char *cause)
{
	if (!cause)
		return 480;
	if (!strcmp(cause, "no such number"))
		return 404;
	if (!strcmp(cause, "media unavailable") || !strcmp(cause, "overloaded") ||
	    !strcmp(cause, "shutting down"))
		return 503;
	if (!strcmp(cause, "bad offer"))
		return 488;
	/* An agent's own call refused (own.c, the manual controller). */
	if (!strcmp(cause, "not_signed_in") || !strcmp(cause, "on_break") ||
	    !strcmp(cause, "no_outbound_number") || !strcmp(cause, "unknown_agent"))
		return 403;
	if (!strcmp(cause, "busy"))
		return 486;
	if (!strcmp(cause, "bad_number"))
		return 484;
	return 480;
}

/* An agent's leg at the end: hung up, its agent released (or into
 * wrap-up). */
void call_end_agent_leg(struct call *call, struct leg *ag, enum hangup_side side)
{
	leg_hangup(ag, 0);
	struct agent *a = ag->agent;
	ag->agent = NULL;
	if (a && !ag->answered) {
		struct ev e = { .type = EV_CALL_OFFER_FAILED, .agent = ag->agent_id,
				.reason = side == SIDE_CALLER ? "caller_gone" : "call_ended" };
		call_publish(call, &e);
	}
	/* Ringing when the call ended is not the agent's fault. */
	if (a)
		acd_agent_event(call->env->acd, a, ag->answered ? AEV_HANGUP : AEV_RELEASE,
				call->queue->wrapup_s);
}

void call_end(struct call *call, enum call_result result, enum hangup_side side,
	      const char *cause)
{
	/* A call an agent answered is answered, however it ends after (the
	 * caller back in the flow for a survey hangs up, or the flow ends it). */
	if (call->agent_id && result != RESULT_FAILED)
		result = RESULT_ANSWERED;
	call->t_end = core_now_ms();
	call->result = result;
	if (call->ctrl && call->ctrl->record)
		call->record = call->ctrl->record(call, call->ctrl_state);
	call->side = side;
	call->cause = cause;
	/* A call that ends held was held until now. */
	if (call->end_from == CALL_HELD)
		call->hold_ms += call->t_end - call->held_at;
	for (unsigned t = 0; t < TMR_COUNT; t++)
		call_timer_stop(call, (enum call_timer)t);
	acd_dequeue(call->env->acd, &call->qe);
	record_finish(call);

	/* Phones still ringing, then the agent who answered. */
	while (call->offered) {
		struct leg *l = call->offered;
		call->offered = l->next;
		l->next = NULL;
		call_end_agent_leg(call, l, side);
	}
	if (call->agent_leg)
		call_end_agent_leg(call, call->agent_leg, side);
	monitor_stop(call, "call_ended");
	consult_stop(call);
	own_end(call);
	leg_hangup(&call->caller, final_status(cause));
	recording_end(call);
	media_delete(call);
	log_info("call %s ended: %s, hangup by %s%s%s", call->id, call_result_name(result),
		 call_side_name(side), cause ? ", " : "", cause ? cause : "");
	struct ev e = { .type = EV_CALL_ENDED, .ts = call->t_end, .agent = call->agent_id,
			.result = call_result_name(result), .hangup_side = call_side_name(side),
			.cause = cause };
	call_publish(call, &e);
	calls_remove(call->calls, call);
	call_unref(call);	/* the table's reference */
}

/* What a call that is cut off now ends as. */
static enum call_result result_now(const struct call *call, enum call_state from)
{
	if (from == CALL_BRIDGED || from == CALL_HELD)
		return RESULT_ANSWERED;
	if (call->outcome != RESULT_NONE)
		return call->outcome;
	return from == CALL_MEDIA ? RESULT_FAILED : RESULT_ABANDONED;
}

void act_media_failed(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	call_end(call, RESULT_FAILED, SIDE_SYSTEM, arg->text ? arg->text : "media unavailable");
}

void act_caller_gone(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	if (from == CALL_BRIDGED || from == CALL_HELD) {
		call_end(call, RESULT_ANSWERED, SIDE_CALLER, arg->text);
		return;
	}
	/* Leaving before an agent answered is abandoning the call, unless the
	 * queue had given up on it already; a dialog lost while media was
	 * still being set up is a failure. */
	enum call_result r = call->outcome != RESULT_NONE ? call->outcome
			     : from == CALL_MEDIA && arg->lost ? RESULT_FAILED
							       : RESULT_ABANDONED;
	call_end(call, r, SIDE_CALLER, arg->text ? arg->text : "caller hung up");
}

void act_agent_gone(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	call_end(call, RESULT_ANSWERED,
	    arg->leg && arg->leg->role == LEG_EXTERNAL ? SIDE_EXTERNAL : SIDE_AGENT, arg->text);
}

enum call_event call_agent_gone_event(const struct call *call)
{
	return call->after && (call->state == CALL_BRIDGED || call->state == CALL_HELD)
		       ? CEV_AGENT_LEFT
		       : CEV_AGENT_GONE;
}

/* The agent hung up and the caller is the controller's again: the agent
 * released (into wrap-up), the call stays answered for its record. */
void act_agent_left(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	struct leg *ag = call->agent_leg;
	if (from == CALL_HELD)
		call_hold_end(call);
	call->muted = false;
	call->agent_leg = NULL;
	call->after = false;
	monitor_stop(call, "agent_left");
	if (ag)
		call_end_agent_leg(call, ag, SIDE_AGENT);
	log_info("call %s: the agent hung up%s%s; the caller goes back to the flow", call->id,
		 arg->text ? ": " : "", arg->text ? arg->text : "");
	call_tell(call, CSIG_AFTER, 0);
}

void act_hangup(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	enum call_result r = arg->result != RESULT_NONE ? (enum call_result)arg->result
			     : from == CALL_BRIDGED || from == CALL_HELD ? RESULT_ANSWERED
									   : RESULT_FAILED;

	call_end(call, r, SIDE_SYSTEM, arg->text);
}

void act_too_long(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)arg;
	log_warn("call %s: longer than %ld s, hanging up", call->id, call->env->core->conf->max_call_s);
	call_end(call, result_now(call, from), SIDE_SYSTEM, "maximum call length");
}
