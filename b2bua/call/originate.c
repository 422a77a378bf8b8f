/* Calls the B2BUA places: the first party (an agent's phone for
 * click-to-dial, a customer for an outbound task) is called with a late
 * offer, an INVITE without SDP. Its 200 carries the offer, which is
 * anchored in rtpengine exactly as a caller's INVITE offer is (MEDIA, then
 * FLOW); the answer rtpengine gives goes in the ACK (leg_answer). Not
 * answered, the call ends before its controller ever starts. */
#include "b2bua/call/call_priv.h"

#include "b2bua/core/core.h"
#include "b2bua/media/rtpe.h"
#include "log.h"
#include "phone.h"

#include <errno.h>
#include <string.h>

int calls_originate(struct calls *c, const struct call_origin *o, struct call **callp)
{
	if (!c || !o || !o->target || !*o->target || !callp)
		return EINVAL;
	const struct calls_env *env = NULL;
	struct call *call = call_alloc(c);
	if (!call)
		return ENOMEM;
	env = call->env;
	const struct b2bua_conf *conf = env->core->conf;
	/* The same limits as a call that comes in. */
	if (!calls_accepting(c) || calls_count(c) >= (unsigned)conf->max_calls || !call->rtpe) {
		su_home_unref(call->home);
		return EAGAIN;
	}
	call->outbound = true;
	call->t_start = core_now_ms();
	call->origin_target = call_strdup(call, o->target);
	call->origin_display = o->display ? call_strdup(call, o->display) : NULL;
	call->caller.from_user = call_strdup(call, o->from_user ? o->from_user : "");
	call->caller_num = call_strdup(call, o->caller ? o->caller : "");
	call->callee = call_strdup(call, o->callee ? o->callee : "");
	char norm[40];
	phone_normalize(env->phone, call->caller_num, norm, sizeof norm);
	call->caller_norm = call_strdup(call, norm);
	call->origin_ring_s = o->ring_timeout_s ? o->ring_timeout_s
						: (unsigned)conf->dial_ring_timeout_s;
	call->caller.outgoing = true;
	if (!call->origin_target || !call->caller.from_user || !call->caller_num ||
	    !call->callee || !call->caller_norm) {
		su_home_unref(call->home);
		return ENOMEM;
	}
	calls_add(c, call);	/* the table keeps the reference call_alloc gave */
	call_timer_set(call, TMR_LIMIT, conf->max_call_s * 1000);
	*callp = call;
	return 0;
}

void call_place(struct call *call)
{
	call_event(call, CEV_ORIGINATE, NULL);
}

void act_originate(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	(void)arg;
	struct ev e = { .type = EV_CALL_NEW, .ts = call->t_start, .direction = "outbound",
			.caller = call->caller_num, .callee = call->callee,
			.agent = call->own_agent_id };
	call_publish(call, &e);
	log_info("call %s: calling %s as %s, rtpengine %s", call->id, call->origin_target,
		 call->caller.from_user, rtpe_addr(call->rtpe));
	if (leg_originate(&call->caller, call->origin_target, call->origin_display,
			  call->caller.from_user)) {
		call->caller.gone = true;
		struct cev_arg a = { .text = "out of memory" };
		call_event(call, CEV_ORIGIN_FAILED, &a);
		return;
	}
	call_timer_set(call, TMR_RING, (long)call->origin_ring_s * 1000);
}

void act_origin_answered(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	call_timer_stop(call, TMR_RING);
	const char *why = call_keep_offer(call, arg->text, arg->text ? strlen(arg->text) : 0);
	if (why) {
		log_warn("call %s: %s answered without a usable offer: %s", call->id,
			 call->origin_target, why);
		call_hangup(call, RESULT_FAILED, "bad offer");
		return;
	}
	log_info("call %s: %s answered", call->id, call->origin_target);
	own_agent_talking(call);
	/* The first party's media from here is a caller's (the caller's
	 * contact, if any, is looked up by the controller's number). */
	media_anchor(call);
}

void act_origin_failed(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	const char *why = arg->text ? arg->text : "no_answer";
	log_info("call %s: %s not reached: %s", call->id, call->origin_target, why);
	/* Rung out: the phone stops ringing (the end cancels it); a refusal
	 * is the called party's. */
	call_end(call, RESULT_FAILED, arg->text ? SIDE_CALLER : SIDE_SYSTEM, why);
}
