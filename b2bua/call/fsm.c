/* The call state machine: every (state, event) pair that means something,
 * the state it leads to and what is done, and the engine that applies it.
 * Nothing else changes a call's state. Rows from CALL_ANY apply in every
 * state but ENDING, after the state's own rows; a row to CALL_ANY leaves
 * the state as it is. */
#include "b2bua/call/call_priv.h"

#include "log.h"

#include <stdlib.h>

#define CALL_ANY CALL_STATE_COUNT

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

static const struct row {
	enum call_state from;
	enum call_event ev;
	enum call_state to;
	call_action_h *action;
} table[] = {
	/* Anchoring the caller's media, then the controller's turn. */
	{ CALL_MEDIA, CEV_MEDIA_OFFERED, CALL_MEDIA, act_answer_as_ivr },
	{ CALL_MEDIA, CEV_MEDIA_READY, CALL_FLOW, act_begin_flow },
	{ CALL_MEDIA, CEV_MEDIA_FAILED, CALL_ENDING, act_media_failed },

	{ CALL_FLOW, CEV_PLAY, CALL_FLOW, act_play },
	{ CALL_FLOW, CEV_STOP_PROMPT, CALL_FLOW, act_stop_prompt },
	{ CALL_FLOW, CEV_PROMPT_DONE, CALL_FLOW, act_prompt_done },
	{ CALL_FLOW, CEV_DTMF, CALL_FLOW, act_dtmf },
	{ CALL_FLOW, CEV_FLOW_TIMER, CALL_FLOW, act_flow_timer },
	{ CALL_FLOW, CEV_ENQUEUE, CALL_QUEUED, act_enqueue },
	{ CALL_FLOW, CEV_RECORD, CALL_FLOW, act_record },
	{ CALL_FLOW, CEV_RECORD_MEDIA, CALL_FLOW, act_record_answer },
	{ CALL_FLOW, CEV_RECORD_DONE, CALL_FLOW, act_record_done },
	{ CALL_FLOW, CEV_RECORD_STOP, CALL_FLOW, act_record_stop },
	{ CALL_FLOW, CEV_DIAL, CALL_DIALING, act_dial_out },

	/* Waiting for an agent. */
	{ CALL_QUEUED, CEV_NO_QUEUE, CALL_FLOW, act_no_queue },
	{ CALL_QUEUED, CEV_UNSTAFFED, CALL_FLOW, act_unstaffed },
	{ CALL_QUEUED, CEV_AGENT_OFFERED, CALL_OFFERING, act_offer },
	{ CALL_QUEUED, CEV_MOH_DUE, CALL_QUEUED, act_music },
	{ CALL_QUEUED, CEV_ANNOUNCE_DUE, CALL_QUEUED, act_announce },
	{ CALL_QUEUED, CEV_PROMPT_DONE, CALL_QUEUED, act_announce_next },
	{ CALL_QUEUED, CEV_MAX_WAIT, CALL_FLOW, act_queue_timeout },

	/* An agent's phone rings. */
	{ CALL_OFFERING, CEV_LEG_MEDIA, CALL_OFFERING, act_dial },
	{ CALL_OFFERING, CEV_AGENT_RINGING, CALL_OFFERING, act_ringing },
	{ CALL_OFFERING, CEV_AGENT_ANSWERED, CALL_BRIDGED, act_bridge },
	{ CALL_OFFERING, CEV_AGENT_OFFERED, CALL_OFFERING, act_offer },
	{ CALL_OFFERING, CEV_AGENT_FAILED, CALL_OFFERING, act_agent_failed },
	{ CALL_OFFERING, CEV_RING_TIMEOUT, CALL_OFFERING, act_no_answer },
	{ CALL_OFFERING, CEV_OFFER_WITHDRAWN, CALL_OFFERING, act_withdrawn },
	{ CALL_OFFERING, CEV_OFFERS_GONE, CALL_QUEUED, act_offers_gone },
	{ CALL_OFFERING, CEV_MOH_DUE, CALL_OFFERING, act_music },
	{ CALL_OFFERING, CEV_ANNOUNCE_DUE, CALL_OFFERING, act_announce },
	{ CALL_OFFERING, CEV_PROMPT_DONE, CALL_OFFERING, act_announce_next },
	{ CALL_OFFERING, CEV_MAX_WAIT, CALL_FLOW, act_queue_timeout },
	{ CALL_OFFERING, CEV_MEDIA_FAILED, CALL_ENDING, act_media_failed },

	/* An external number rings; not reached, the controller has the call
	 * again. */
	{ CALL_DIALING, CEV_LEG_MEDIA, CALL_DIALING, act_dial_invite },
	{ CALL_DIALING, CEV_AGENT_ANSWERED, CALL_BRIDGED, act_dial_answered },
	{ CALL_DIALING, CEV_AGENT_FAILED, CALL_FLOW, act_dial_failed },
	{ CALL_DIALING, CEV_RING_TIMEOUT, CALL_FLOW, act_dial_failed },
	{ CALL_DIALING, CEV_MEDIA_FAILED, CALL_ENDING, act_media_failed },

	/* Talking. */
	{ CALL_BRIDGED, CEV_BRIDGE_READY, CALL_BRIDGED, act_bridged },
	{ CALL_BRIDGED, CEV_AGENT_GONE, CALL_ENDING, act_agent_gone },
	{ CALL_BRIDGED, CEV_AGENT_LEFT, CALL_FLOW, act_agent_left },
	{ CALL_BRIDGED, CEV_MEDIA_FAILED, CALL_ENDING, act_media_failed },
	{ CALL_BRIDGED, CEV_HOLD, CALL_HELD, act_hold },
	{ CALL_BRIDGED, CEV_MUTE, CALL_BRIDGED, act_mute },
	{ CALL_BRIDGED, CEV_UNMUTE, CALL_BRIDGED, act_unmute },
	{ CALL_BRIDGED, CEV_REINVITE, CALL_BRIDGED, act_reinvite },
	{ CALL_BRIDGED, CEV_TRANSFER, CALL_FLOW, act_transfer },
	{ CALL_BRIDGED, CEV_DROP, CALL_ENDING, act_drop },
	{ CALL_BRIDGED, CEV_DTMF_SEND, CALL_BRIDGED, act_dtmf_send },
	{ CALL_BRIDGED, CEV_DTMF_TONE, CALL_BRIDGED, act_dtmf_tone },

	/* The agent holds the caller (incall.c). */
	{ CALL_HELD, CEV_RESUME, CALL_BRIDGED, act_resume },
	{ CALL_HELD, CEV_MUTE, CALL_HELD, act_mute },
	{ CALL_HELD, CEV_UNMUTE, CALL_HELD, act_unmute },
	{ CALL_HELD, CEV_REINVITE, CALL_HELD, act_reinvite },
	{ CALL_HELD, CEV_TRANSFER, CALL_FLOW, act_transfer },
	{ CALL_HELD, CEV_DROP, CALL_ENDING, act_drop },
	{ CALL_HELD, CEV_AGENT_GONE, CALL_ENDING, act_agent_gone },
	{ CALL_HELD, CEV_AGENT_LEFT, CALL_FLOW, act_agent_left },
	{ CALL_BRIDGED, CEV_CONSULT, CALL_CONSULT, act_consult },
	{ CALL_HELD, CEV_CONSULT, CALL_CONSULT, act_consult },

	/* The agent consults another, the caller waiting (consult.c). */
	{ CALL_CONSULT, CEV_CONSULT_MEDIA, CALL_CONSULT, act_consult_invite },
	{ CALL_CONSULT, CEV_CONSULT_ANSWERED, CALL_CONSULT, act_consult_answered },
	{ CALL_CONSULT, CEV_CONSULT_FAILED, CALL_BRIDGED, act_consult_back },
	{ CALL_CONSULT, CEV_RING_TIMEOUT, CALL_BRIDGED, act_consult_no_answer },
	{ CALL_CONSULT, CEV_CONSULT_GONE, CALL_BRIDGED, act_consult_back },
	{ CALL_CONSULT, CEV_CONSULT_CANCEL, CALL_BRIDGED, act_consult_back },
	{ CALL_CONSULT, CEV_CONSULT_COMPLETE, CALL_BRIDGED, act_consult_complete },
	{ CALL_CONSULT, CEV_AGENT_GONE, CALL_ANY, act_consult_agent_gone },
	{ CALL_CONSULT, CEV_DROP, CALL_ENDING, act_drop },

	/* A call the B2BUA places: the first party rings; answered, its offer
	 * is anchored as a caller's (then FLOW as any call). */
	{ CALL_MEDIA, CEV_ORIGINATE, CALL_ORIGINATING, act_originate },
	{ CALL_ORIGINATING, CEV_ORIGIN_ANSWERED, CALL_MEDIA, act_origin_answered },
	{ CALL_ORIGINATING, CEV_ORIGIN_FAILED, CALL_ENDING, act_origin_failed },
	{ CALL_ORIGINATING, CEV_RING_TIMEOUT, CALL_ENDING, act_origin_failed },
	/* The agent whose phone rings (click-to-dial) is held by another node. */
	{ CALL_ORIGINATING, CEV_OFFER_WITHDRAWN, CALL_ENDING, act_own_withdrawn },

	/* A supervisor listens (monitor.c): started while bridged; its leg
	 * goes on until the supervisor or the call hangs up. */
	{ CALL_BRIDGED, CEV_MONITOR, CALL_BRIDGED, act_monitor },
	{ CALL_ANY, CEV_MONITOR_MEDIA, CALL_ANY, act_monitor_invite },
	{ CALL_ANY, CEV_MONITOR_ANSWERED, CALL_ANY, act_monitor_answered },
	{ CALL_ANY, CEV_MONITOR_FAILED, CALL_ANY, act_monitor_end },
	{ CALL_ANY, CEV_MONITOR_GONE, CALL_ANY, act_monitor_end },

	/* Whatever the state (but ENDING). */
	{ CALL_ANY, CEV_PLAYED, CALL_ANY, act_played },
	{ CALL_ANY, CEV_CONTACT, CALL_ANY, act_contact },
	{ CALL_ANY, CEV_CALLER_GONE, CALL_ENDING, act_caller_gone },
	{ CALL_ANY, CEV_HANGUP, CALL_ENDING, act_hangup },
	{ CALL_ANY, CEV_TOO_LONG, CALL_ENDING, act_too_long },
};

#define NROWS (sizeof table / sizeof *table)

static unsigned long hits[NROWS];

static const struct row *find(enum call_state s, enum call_event ev)
{
	for (size_t i = 0; i < NROWS; i++)
		if (table[i].from == s && table[i].ev == ev)
			return &table[i];
	if (s == CALL_ENDING)
		return NULL;
	for (size_t i = 0; i < NROWS; i++)
		if (table[i].from == CALL_ANY && table[i].ev == ev)
			return &table[i];
	return NULL;
}

static enum call_state next_state(const struct row *r, enum call_state s)
{
	return r->to == CALL_ANY ? s : r->to;
}

int call_fsm_next(enum call_state s, enum call_event ev)
{
	const struct row *r = s < CALL_STATE_COUNT ? find(s, ev) : NULL;
	return r ? (int)next_state(r, s) : -1;
}

size_t call_fsm_rows(void)
{
	return NROWS;
}

unsigned long call_fsm_hits(size_t row, int *from, int *ev, int *to)
{
	if (row >= NROWS)
		return 0;
	*from = table[row].from == CALL_ANY ? -1 : (int)table[row].from;
	*ev = (int)table[row].ev;
	*to = table[row].to == CALL_ANY ? -1 : (int)table[row].to;
	return hits[row];
}

static void apply(struct call *call, enum call_event ev, const struct cev_arg *arg)
{
	const struct row *r = find(call->state, ev);
	if (!r) {
		log_debug("call %s: %s in state %s ignored", call->id, call_event_name(ev),
			  call_state_name(call->state));
		return;
	}
	enum call_state from = call->state, to = next_state(r, from);
	hits[r - table]++;
	if (from != to)
		log_debug("call %s: %s -> %s (%s)", call->id, call_state_name(from),
			  call_state_name(to), call_event_name(ev));
	call->state = to;
	if (to == CALL_ENDING && from != CALL_ENDING)
		call->end_from = from;
	r->action(call, from, arg);
}

/* Keeps ev for after the event being handled. false when out of memory. */
static bool defer(struct call *call, enum call_event ev, const struct cev_arg *arg)
{
	struct cev_pending *p = malloc(sizeof *p);
	if (!p)
		return false;
	*p = (struct cev_pending){ NULL, ev, *arg };
	if (!call->pending)
		call->pending_tail = &call->pending;
	*call->pending_tail = p;
	call->pending_tail = &p->next;
	return true;
}

/* The next event kept, in the order they were raised; false when none. */
static bool next_deferred(struct call *call, enum call_event *ev, struct cev_arg *arg)
{
	struct cev_pending *p = call->pending;
	if (!p)
		return false;
	*ev = p->ev;
	*arg = p->arg;
	call->pending = p->next;
	free(p);
	return true;
}

bool call_event(struct call *call, enum call_event ev, const struct cev_arg *arg)
{
	static const struct cev_arg none;
	if (!arg)
		arg = &none;
	if (call->handling) {
		/* Run to completion: the action under way finishes first. Whether
		 * the event means anything is known only when its turn comes. */
		if (defer(call, ev, arg))
			return true;
		log_err("call %s: %s dropped: out of memory", call->id, call_event_name(ev));
		return false;
	}
	bool known = find(call->state, ev) != NULL;
	/* An action may end the call and drop the table's reference. */
	call_ref(call);
	call->handling = true;
	apply(call, ev, arg);
	enum call_event next;
	struct cev_arg a;
	while (next_deferred(call, &next, &a))
		apply(call, next, &a);
	call->handling = false;
	call_unref(call);
	return known;
}
