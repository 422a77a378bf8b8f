/* An agent's blind transfer: the caller is handed to a skill group's
 * queue, to one agent (in the line of the agent's first group, for that
 * agent alone), to an external number, or to a published IVR flow from its
 * first node. The transfer is the caller's controller from then on (an IVR
 * flow is its own): when the target does not take the call, the caller
 * waits in the call's own group once more, and the call ends when that
 * fails too. The controller the call had before keeps the call's record
 * (an IVR's variables) and its survey: an agent's hang-up that sends the
 * caller back (CSIG_AFTER) is handed to it. */
#include "b2bua/flow/flow.h"

#include "b2bua/dir/dir.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum xfer_kind { XF_GROUP, XF_AGENT, XF_NUMBER };

struct xfer {
	struct flow_book *book;		/* a reference while the call lives */
	enum xfer_kind kind;
	unsigned group;			/* XF_GROUP; XF_AGENT: the agent's first group */
	unsigned home;			/* the group the call waited in before */
	const char *agent;		/* XF_AGENT (the call's copy) */
	const char *number;		/* XF_NUMBER (the call's copy) */
	bool fell_back;			/* waiting in the call's own group again */
};

/* The call waits in group's line (for agent alone when set). false when
 * the group is not in force. */
static bool enqueue(struct call *call, struct xfer *x, unsigned group, const char *agent)
{
	const struct call_queue *g = flow_book_queue(x->book, group);
	struct call_queue *q = g ? call_mem(call, sizeof *q) : NULL;
	if (!q)
		return false;
	*q = *g;
	q->agent = agent;
	/* A transfer joins the line now: its first wait is over. */
	q->keep_wait = false;
	call_enqueue(call, q);
	return true;
}

static void start(struct call *call, void *state)
{
	struct xfer *x = state;
	switch (x->kind) {
	case XF_GROUP:
	case XF_AGENT:
		if (enqueue(call, x, x->group, x->agent))
			return;
		break;
	case XF_NUMBER:
		call_dial(call, x->number, NULL);
		return;
	}
	log_warn("call %s: transfer target no longer in force", call_id(call));
	x->fell_back = true;
	if (!x->home || !enqueue(call, x, x->home, NULL))
		call_hangup(call, RESULT_NO_AGENT, "transfer failed");
}

/* The target did not take the caller: its own group once, then the end. */
static void not_taken(struct call *call, struct xfer *x)
{
	if (!x->fell_back && x->home) {
		x->fell_back = true;
		log_info("call %s: the transfer's target did not take the caller; back to group %u",
			 call_id(call), x->home);
		if (enqueue(call, x, x->home, NULL))
			return;
	}
	call_hangup(call, RESULT_NO_AGENT, "transfer not taken");
}

static void on_signal(struct call *call, void *state, enum call_signal sig, char digit)
{
	struct xfer *x = state;
	void *prev_state;
	const struct call_ctrl *prev;
	switch (sig) {
	case CSIG_QUEUE_TIMEOUT:
	case CSIG_NO_QUEUE:
	case CSIG_NO_AGENTS:
	case CSIG_NOT_REACHED:
		not_taken(call, x);
		break;
	case CSIG_AFTER:
		/* The flow the caller came from asked for it back (a survey). */
		prev = call_prev_controller(call, &prev_state);
		if (prev && prev->signal)
			prev->signal(call, prev_state, sig, digit);
		else
			call_hangup(call, RESULT_ANSWERED, "agent hung up");
		break;
	default:
		break;
	}
}

static void release(void *state)
{
	struct xfer *x = state;
	flow_book_unref(x->book);
}

static const char *record(struct call *call, void *state)
{
	(void)state;
	void *prev_state;
	const struct call_ctrl *prev = call_prev_controller(call, &prev_state);
	return prev && prev->record ? prev->record(call, prev_state) : NULL;
}

static const struct call_ctrl xfer_ctrl = { "transfer", start, on_signal, release, record, NULL };

/* "kind:value" split; value NULL when target has no ':' or nothing after. */
static const char *value_of(const char *target, const char *kind)
{
	size_t n = strlen(kind);
	return !strncmp(target, kind, n) && target[n] == ':' && target[n + 1] ? target + n + 1
									      : NULL;
}

static bool parse_id(const char *s, unsigned *out)
{
	char *end;
	unsigned long v = s ? strtoul(s, &end, 10) : 0;
	if (!s || *s < '0' || *s > '9' || *end || !v || v > 0xffffffffUL)
		return false;
	*out = (unsigned)v;
	return true;
}

const char *flow_transfer(struct flow_router *r, struct call *call, const char *target,
			  const char *by)
{
	const struct dir *dir = flow_router_dir(r);
	const char *v;
	unsigned id;
	if (!dir || !target)
		return "bad_request";
	if ((v = value_of(target, "flow"))) {
		struct ivr_prog *prog = parse_id(v, &id) ? dir_prog(dir, id) : NULL;
		if (!prog)
			return "unknown_flow";
		const struct dir_number *num = NULL;
		for (size_t i = 0; !num && i < dir_number_count(dir); i++)
			if (dir_number_at(dir, i)->id == call_number(call))
				num = dir_number_at(dir, i);
		return ivr_flow_transfer(r, call, prog, num, target, by);
	}
	struct xfer *x = call_mem(call, sizeof *x);
	if (!x)
		return "out_of_memory";
	x->home = call_group(call);
	if ((v = value_of(target, "group"))) {
		if (!parse_id(v, &id) || !dir_group(dir, id) || !flow_book_queue(flow_router_book(r), id))
			return "unknown_group";
		x->kind = XF_GROUP;
		x->group = id;
	} else if ((v = value_of(target, "agent"))) {
		const struct dir_agent *a = NULL;
		for (size_t i = 0; !a && i < dir_agent_count(dir); i++)
			if (!strcmp(dir_agent_at(dir, i)->id, v))
				a = dir_agent_at(dir, i);
		if (!a || !a->ngroups)
			return "unknown_agent";
		x->kind = XF_AGENT;
		x->group = a->groups[0];
		x->agent = call_strdup(call, v);
	} else if ((v = value_of(target, "number"))) {
		if (!call_dialable(v))
			return "bad_number";
		x->kind = XF_NUMBER;
		x->number = call_strdup(call, v);
	} else {
		return "bad_request";
	}
	if ((x->agent == NULL && x->kind == XF_AGENT) || (!x->number && x->kind == XF_NUMBER))
		return "out_of_memory";
	x->book = flow_book_ref(flow_router_book(r));
	const char *err = call_transfer(call, target, by, &xfer_ctrl, x);
	if (err)
		flow_book_unref(x->book);
	return err;
}

/* --- a phone's REFER -------------------------------------------------------------------- */

static const char *refer_target(void *arg, struct call *call, const char *user, char *buf,
				size_t n)
{
	struct flow_router *r = arg;
	const struct dir *dir = flow_router_dir(r);
	if (!dir || !user || !*user)
		return "unknown_target";
	for (size_t i = 0; i < dir_agent_count(dir); i++) {
		const struct dir_agent *a = dir_agent_at(dir, i);
		if (!a->sip || strcmp(a->sip, user))
			continue;
		if (call_talking_agent(call, a->id))
			return "same_agent";
		snprintf(buf, n, "agent:%s", a->id);
		return NULL;
	}
	const struct dir_number *num = flow_router_number(r, user);
	if (num && num->flow && dir_prog(dir, num->flow))
		snprintf(buf, n, "flow:%u", num->flow);
	else if (num && num->group)
		snprintf(buf, n, "group:%u", num->group);
	else if (call_dialable(user))
		snprintf(buf, n, "number:%s", user);
	else
		return "unknown_target";
	return NULL;
}

static const char *refer_transfer(void *arg, struct call *call, const char *target,
				  const char *by)
{
	return flow_transfer(arg, call, target, by);
}

const struct call_refer_ops flow_refer_ops = { refer_target, refer_transfer };
