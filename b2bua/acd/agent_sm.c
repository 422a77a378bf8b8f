/* The agent state machine: pure, so the whole table is unit-tested. */
#include "b2bua/acd/acd.h"

#include <string.h>

#define STATE_NAME(name, str) str,
static const char *const state_names[] = { AGENT_STATES(STATE_NAME) };
#undef STATE_NAME
#define EVENT_NAME(name) #name,
static const char *const event_names[] = { AGENT_EVENTS(EVENT_NAME) };
#undef EVENT_NAME

const char *agent_state_name(enum agent_state s)
{
	return s < AGENT_STATE_COUNT ? state_names[s] : "?";
}

int agent_state_parse(const char *name)
{
	for (int i = 0; name && i < AGENT_STATE_COUNT; i++)
		if (!strcmp(state_names[i], name))
			return i;
	return -1;
}

const char *agent_event_name(enum agent_event ev)
{
	return ev < AGENT_EVENT_COUNT ? event_names[ev] : "?";
}

void agent_sm_init(struct agent_sm *sm)
{
	memset(sm, 0, sizeof *sm);
	sm->state = AGENT_LOGGED_OUT;
	sm->pending = -1;
}

static void set(struct agent_sm *sm, enum agent_state s, const char *reason)
{
	sm->state = s;
	strncpy(sm->reason, reason ? reason : "", AGENT_REASON_MAX);
	sm->reason[AGENT_REASON_MAX] = '\0';
}

/* After a call (or a withdrawn offer): what the agent asked for meanwhile,
 * else ready. */
static enum agent_sm_result settle(struct agent_sm *sm)
{
	if (sm->pending >= 0) {
		set(sm, (enum agent_state)sm->pending, sm->pending_reason);
		sm->pending = -1;
		sm->pending_reason[0] = '\0';
	} else {
		set(sm, AGENT_READY, NULL);
	}
	return AGENT_SM_CHANGED;
}

static bool busy(enum agent_state s)
{
	return s == AGENT_RESERVED || s == AGENT_ON_CALL || s == AGENT_WRAP_UP;
}

static enum agent_sm_result keep_pending(struct agent_sm *sm, int want, const char *reason)
{
	sm->pending = want;
	strncpy(sm->pending_reason, reason ? reason : "", AGENT_REASON_MAX);
	sm->pending_reason[AGENT_REASON_MAX] = '\0';
	return AGENT_SM_PENDING;
}

enum agent_sm_result agent_sm_apply(struct agent_sm *sm, enum agent_event ev, const char *reason,
				    bool with_wrapup)
{
	enum agent_state s = sm->state;
	switch (ev) {
	case AEV_SIGN_IN:
		if (s == AGENT_READY)
			return AGENT_SM_SAME;
		if (s == AGENT_LOGGED_OUT || s == AGENT_NOT_READY || s == AGENT_WRAP_UP) {
			/* Ready during wrap-up ends the wrap-up now. */
			sm->pending = -1;
			sm->pending_reason[0] = '\0';
			set(sm, AGENT_READY, NULL);
			return AGENT_SM_CHANGED;
		}
		/* On a call: drop a pending break or sign-out. */
		if (sm->pending < 0)
			return AGENT_SM_SAME;
		return keep_pending(sm, -1, NULL);
	case AEV_BREAK:
		if (busy(s))
			return keep_pending(sm, AGENT_NOT_READY, reason);
		if (s == AGENT_NOT_READY && !strncmp(sm->reason, reason ? reason : "", AGENT_REASON_MAX))
			return AGENT_SM_SAME;
		set(sm, AGENT_NOT_READY, reason);
		return AGENT_SM_CHANGED;
	case AEV_SIGN_OUT:
		if (busy(s))
			return keep_pending(sm, AGENT_LOGGED_OUT, NULL);
		if (s == AGENT_LOGGED_OUT)
			return AGENT_SM_SAME;
		set(sm, AGENT_LOGGED_OUT, NULL);
		return AGENT_SM_CHANGED;
	case AEV_RESERVE:
		if (s != AGENT_READY)
			return AGENT_SM_INVALID;
		set(sm, AGENT_RESERVED, NULL);
		return AGENT_SM_CHANGED;
	case AEV_ANSWER:
		if (s != AGENT_RESERVED)
			return AGENT_SM_INVALID;
		set(sm, AGENT_ON_CALL, NULL);
		return AGENT_SM_CHANGED;
	case AEV_NO_ANSWER:
	case AEV_REJECT:
		if (s != AGENT_RESERVED)
			return AGENT_SM_INVALID;
		/* A sign-out asked for while ringing wins over the penalty; an
		 * offer let ring out is no penalty until the group's count of
		 * them says so (reason "no_answer": the ACD's no_answer_break). */
		if (sm->pending == AGENT_LOGGED_OUT || (ev == AEV_NO_ANSWER && !reason))
			return settle(sm);
		sm->pending = -1;
		sm->pending_reason[0] = '\0';
		set(sm, AGENT_NOT_READY, ev == AEV_NO_ANSWER ? "no_answer" : "rejected");
		return AGENT_SM_CHANGED;
	case AEV_RELEASE:
		if (s != AGENT_RESERVED)
			return AGENT_SM_INVALID;
		return settle(sm);
	case AEV_HANGUP:
		if (s != AGENT_ON_CALL)
			return AGENT_SM_INVALID;
		if (with_wrapup) {
			set(sm, AGENT_WRAP_UP, NULL);
			return AGENT_SM_CHANGED;
		}
		return settle(sm);
	case AEV_WRAPUP_END:
		if (s != AGENT_WRAP_UP)
			return AGENT_SM_INVALID;
		return settle(sm);
	default:
		return AGENT_SM_INVALID;
	}
}
