/* An agent's own outbound calls: a number dialed from the agent's
 * registered phone (manual outbound, 手动外呼), and click-to-dial (the
 * B2BUA rings the agent's phone first, then the customer). Either way the
 * agent must be signed in and ready, and its skill group must have an
 * outbound number bound (cc_skill_group_number): the customer sees that
 * number. The controller dials the customer once the agent's leg is up;
 * not reached, the call ends (the agent hears it end). */
#include "b2bua/flow/flow.h"

#include "b2bua/dir/dir.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct manual {
	const char *number;	/* the customer's, as dialed */
	const char *caller_id;	/* the group's outbound number */
};

static void manual_start(struct call *call, void *state)
{
	struct manual *m = state;
	call_dial(call, m->number, m->caller_id);
}

static void manual_signal(struct call *call, void *state, enum call_signal sig, char digit)
{
	(void)state;
	(void)digit;
	if (sig == CSIG_NOT_REACHED)
		call_hangup(call, RESULT_FAILED, "not reached");
}

static const struct call_ctrl manual_ctrl = { "manual", manual_start, manual_signal };

static const struct dir_agent *agent_by(const struct dir *d, const char *id, const char *sip)
{
	for (size_t i = 0; d && i < dir_agent_count(d); i++) {
		const struct dir_agent *a = dir_agent_at(d, i);
		if ((id && a->id && !strcmp(a->id, id)) || (sip && a->sip && !strcmp(a->sip, sip)))
			return a;
	}
	return NULL;
}

/* The first of the agent's groups with an outbound number: its id and the
 * number, or 0. */
static unsigned outbound_group(const struct dir *d, const struct dir_agent *a,
			       const char **number)
{
	for (size_t i = 0; i < a->ngroups; i++) {
		*number = dir_group_caller_id(d, a->groups[i]);
		if (*number)
			return a->groups[i];
	}
	return 0;
}

/* Makes call agent a's own call to number. NULL, or why not. */
static const char *take(const struct dir *d, struct call *call, const struct dir_agent *a,
			const char *number)
{
	/* Agents do not call each other: an agent's SIP user is no customer. */
	if (!call_dialable(number) || agent_by(d, NULL, number))
		return "bad_number";
	const char *caller_id = NULL;
	unsigned group = outbound_group(d, a, &caller_id);
	if (!group) {
		log_warn("call %s: agent %s (%s) has no outbound number: none is bound to its "
			 "skill groups", call_id(call), a->id, a->sip ? a->sip : "-");
		return "no_outbound_number";
	}
	struct manual *m = call_mem(call, sizeof *m);
	if (!m || !(m->number = call_strdup(call, number)) ||
	    !(m->caller_id = call_strdup(call, caller_id)))
		return "out_of_memory";
	const struct dir_group *g = dir_group(d, group);
	call_set_number(call, 0, group);
	call_set_controller(call, &manual_ctrl, m);
	const char *why = call_take_agent(call, a->id, caller_id, g ? g->wrapup_s : 0);
	if (why) {
		log_warn("call %s: agent %s (%s) may not call out: %s", call_id(call), a->id,
			 a->sip ? a->sip : "-", why);
		return why;
	}
	log_info("call %s: agent %s calls %s as %s", call_id(call), a->id, number, caller_id);
	return NULL;
}

const char *manual_route(struct flow_router *r, struct call *call, const char *callee)
{
	const char *sip = call_agent_out(call);
	const struct dir *d = flow_router_dir(r);
	const struct dir_agent *a = agent_by(d, NULL, sip);
	if (!a) {
		log_warn("call %s: %s is no agent of the directory", call_id(call), sip);
		return "unknown_agent";
	}
	return take(d, call, a, callee);
}

const char *manual_dial(struct flow_router *r, struct calls *calls, const char *agent_id,
			const char *number, const char *domain, char *call_out, size_t n)
{
	const struct dir *d = flow_router_dir(r);
	const struct dir_agent *a = agent_by(d, agent_id, NULL);
	if (!a || !a->sip || !*a->sip)
		return "unknown_agent";
	if (!call_dialable(number))
		return "bad_number";
	char target[160];
	snprintf(target, sizeof target, "sip:%s@%s", a->sip, domain);
	/* The agent's phone shows the customer it is about to call. */
	struct call_origin o = { .target = target, .from_user = number, .display = number,
				 .caller = NULL, .callee = number };
	struct call *call = NULL;
	int err = calls_originate(calls, &o, &call);
	if (err)
		return err == EAGAIN ? "overloaded" : "out_of_memory";
	const char *why = take(d, call, a, number);
	if (why) {
		call_hangup(call, RESULT_FAILED, why);
		return why;
	}
	if (call_out)
		snprintf(call_out, n, "%s", call_id(call));
	call_place(call);
	return NULL;
}
