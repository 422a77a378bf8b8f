/* An agent's own call: the agent dialed a customer from its phone (a
 * manual outbound call), or the B2BUA rang the agent's phone first
 * (click-to-dial, originate.c). The caller's leg is the agent; the number
 * the controller dials (call_dial) is the customer. The agent is reserved
 * in the ACD for the call as for a queue's offer, so no inbound call is
 * offered to it meanwhile; the customer's record is looked up by the
 * number dialed and the screen pop goes out when the customer answers. */
#include "b2bua/call/call_priv.h"

#include "b2bua/core/core.h"
#include "b2bua/lookup/contact.h"
#include "log.h"
#include "phone.h"

#include <string.h>

const char *call_agent_out(const struct call *call)
{
	return call->agent_out;
}

const char *call_take_agent(struct call *call, const char *agent_id, const char *caller_id,
			    unsigned wrapup_s)
{
	struct acd *acd = call->env->acd;
	struct agent *a = agent_id ? acd_agent(acd, agent_id) : NULL;
	if (call->own_agent)
		return "busy";
	const char *why = acd_take_agent(acd, a, call, call->id);
	if (why)
		return why;
	call->own_agent = a;
	call->own_agent_id = call_strdup(call, agent_id);
	call->own_wrapup_s = wrapup_s;
	call->outbound = true;
	if (caller_id) {
		char norm[40];
		phone_normalize(call->env->phone, caller_id, norm, sizeof norm);
		call->caller_num = call_strdup(call, caller_id);
		call->caller_norm = call_strdup(call, norm);
	}
	log_info("call %s: agent %s's own call", call->id, agent_id);
	/* An agent's INVITE: its phone is up already. */
	if (!call->caller.outgoing)
		own_agent_talking(call);
	return NULL;
}

void own_agent_talking(struct call *call)
{
	if (!call->own_agent || call->own_talking)
		return;
	call->own_talking = true;
	acd_agent_event(call->env->acd, call->own_agent, AEV_ANSWER, 0);
}

void own_lookup(struct call *call, const char *number)
{
	char norm[40];
	phone_normalize(call->env->phone, number, norm, sizeof norm);
	call->dialed_norm = call_strdup(call, norm);
	if (call->contact_id || call->looking_up || !call->env->lookup || !*norm)
		return;
	if (!lookup_contact(call->env->lookup, call->dialed_norm, call_contact_found, call)) {
		call_ref(call);		/* the lookup's */
		call->looking_up = true;
	}
}

void own_customer_answered(struct call *call, struct leg *leg)
{
	call->agent_id = call->own_agent_id;
	/* The pop: the customer is the one the agent talks with. */
	struct ev e = {
		.type = EV_CALL_ANSWERED, .ts = call->t_answer, .agent = call->own_agent_id,
		.group = call->group_id, .caller = leg->number,
		.caller_norm = call->dialed_norm ? call->dialed_norm : "",
		.contact = call->contact_id, .contact_name = call->contact_name,
		.data = call->attached,
	};
	call_publish(call, &e);
}

/* The ACD withdrew the agent reserved for the call (another node holds
 * it): its phone stops ringing and the call ends. */
void act_own_withdrawn(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	log_warn("call %s: agent %s is held by another node", call->id,
		 arg->agent ? agent_id(arg->agent) : "?");
	call_end(call, RESULT_FAILED, SIDE_SYSTEM, "busy");
}

void own_end(struct call *call)
{
	struct agent *a = call->own_agent;
	if (!a)
		return;
	call->own_agent = NULL;
	/* Wrap-up after a conversation; a customer not reached leaves the
	 * agent as it was before the call. */
	if (call->own_talking)
		acd_agent_event(call->env->acd, a, AEV_HANGUP, call->agent_id ? call->own_wrapup_s : 0);
	else
		acd_agent_event(call->env->acd, a, AEV_RELEASE, 0);
}
