/* The call state machine as a table: every (state, event) pair that means
 * something, and nothing else. Pure, unit-tested whole. */
#include "b2bua/call/call.h"

#define STATE_NAME(name, str) str,
static const char *const state_names[] = { CALL_STATES(STATE_NAME) };
#undef STATE_NAME
#define EVENT_NAME(name) #name,
static const char *const event_names[] = { CALL_EVENTS(EVENT_NAME) };
#undef EVENT_NAME

const char *call_state_name(enum call_state s)
{
	return s < CALL_STATE_COUNT ? state_names[s] : "?";
}

const char *call_event_name(enum call_event ev)
{
	return ev < CALL_EVENT_COUNT ? event_names[ev] : "?";
}

static const struct {
	enum call_state from;
	enum call_event ev;
	enum call_state to;
} table[] = {
	{ CALL_MEDIA, CEV_MEDIA_READY, CALL_WELCOME },
	{ CALL_MEDIA, CEV_MEDIA_FAILED, CALL_ENDING },
	{ CALL_MEDIA, CEV_CALLER_GONE, CALL_ENDING },

	{ CALL_WELCOME, CEV_PROMPT_DONE, CALL_QUEUED },
	{ CALL_WELCOME, CEV_MEDIA_FAILED, CALL_ENDING },
	{ CALL_WELCOME, CEV_CALLER_GONE, CALL_ENDING },

	{ CALL_QUEUED, CEV_AGENT_OFFERED, CALL_OFFERING },
	{ CALL_QUEUED, CEV_MAX_WAIT, CALL_NO_AGENT },
	{ CALL_QUEUED, CEV_MEDIA_FAILED, CALL_ENDING },
	{ CALL_QUEUED, CEV_CALLER_GONE, CALL_ENDING },

	{ CALL_OFFERING, CEV_AGENT_ANSWERED, CALL_BRIDGED },
	{ CALL_OFFERING, CEV_AGENT_FAILED, CALL_QUEUED },
	{ CALL_OFFERING, CEV_MAX_WAIT, CALL_NO_AGENT },
	{ CALL_OFFERING, CEV_MEDIA_FAILED, CALL_ENDING },
	{ CALL_OFFERING, CEV_CALLER_GONE, CALL_ENDING },

	{ CALL_BRIDGED, CEV_CALLER_GONE, CALL_ENDING },
	{ CALL_BRIDGED, CEV_AGENT_GONE, CALL_ENDING },
	{ CALL_BRIDGED, CEV_MEDIA_FAILED, CALL_ENDING },

	{ CALL_NO_AGENT, CEV_PROMPT_DONE, CALL_ENDING },
	{ CALL_NO_AGENT, CEV_MEDIA_FAILED, CALL_ENDING },
	{ CALL_NO_AGENT, CEV_CALLER_GONE, CALL_ENDING },
};

int call_fsm_next(enum call_state s, enum call_event ev)
{
	for (unsigned i = 0; i < sizeof table / sizeof *table; i++)
		if (table[i].from == s && table[i].ev == ev)
			return (int)table[i].to;
	return -1;
}
