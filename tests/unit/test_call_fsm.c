/* The call state machine's table: the paths a call takes, what may happen
 * in any state, and that ENDING is the end. That every row of the table is
 * taken by a real call is checked by the call-flow harness (test_callflow),
 * which runs the real call code and counts each row's hits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "b2bua/call/call_priv.h"

static void walk(enum call_state s, const enum call_event *path, const enum call_state *want,
		 unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		int next = call_fsm_next(s, path[i]);
		assert_int_equal(next, want[i]);
		s = (enum call_state)next;
	}
}

static void answered_by_an_agent(void **state)
{
	(void)state;
	const enum call_event path[] = {
		CEV_MEDIA_OFFERED, CEV_MEDIA_READY, CEV_PLAY, CEV_PLAYED, CEV_PROMPT_DONE,
		CEV_ENQUEUE, CEV_AGENT_OFFERED, CEV_LEG_MEDIA, CEV_AGENT_RINGING,
		CEV_AGENT_ANSWERED, CEV_BRIDGE_READY, CEV_CALLER_GONE,
	};
	const enum call_state want[] = {
		CALL_MEDIA, CALL_FLOW, CALL_FLOW, CALL_FLOW, CALL_FLOW, CALL_QUEUED, CALL_OFFERING,
		CALL_OFFERING, CALL_OFFERING, CALL_BRIDGED, CALL_BRIDGED, CALL_ENDING,
	};
	walk(CALL_MEDIA, path, want, sizeof path / sizeof *path);
	assert_int_equal(call_fsm_next(CALL_BRIDGED, CEV_AGENT_GONE), CALL_ENDING);
}

/* A call the B2BUA places: the first party rings, its answer's offer is
 * anchored as a caller's; not answered, the call ends. */
static void originated(void **state)
{
	(void)state;
	const enum call_event path[] = {
		CEV_ORIGINATE, CEV_ORIGIN_ANSWERED, CEV_MEDIA_OFFERED, CEV_MEDIA_READY, CEV_DIAL,
	};
	const enum call_state want[] = {
		CALL_ORIGINATING, CALL_MEDIA, CALL_MEDIA, CALL_FLOW, CALL_DIALING,
	};
	walk(CALL_MEDIA, path, want, sizeof path / sizeof *path);
	assert_int_equal(call_fsm_next(CALL_ORIGINATING, CEV_ORIGIN_FAILED), CALL_ENDING);
	assert_int_equal(call_fsm_next(CALL_ORIGINATING, CEV_RING_TIMEOUT), CALL_ENDING);
	assert_int_equal(call_fsm_next(CALL_ORIGINATING, CEV_MEDIA_READY), -1);
	assert_int_equal(call_fsm_next(CALL_FLOW, CEV_ORIGINATE), -1);
	assert_int_equal(call_fsm_next(CALL_MEDIA, CEV_ORIGIN_ANSWERED), -1);
}

static void hunting_and_giving_up(void **state)
{
	(void)state;
	/* No answer, a rejection, a lost reservation: that offer ends; the
	 * others (ring_all) go on ringing; when none is left, back in the
	 * queue. Another agent may be offered while one rings. */
	assert_int_equal(call_fsm_next(CALL_OFFERING, CEV_RING_TIMEOUT), CALL_OFFERING);
	assert_int_equal(call_fsm_next(CALL_OFFERING, CEV_AGENT_FAILED), CALL_OFFERING);
	assert_int_equal(call_fsm_next(CALL_OFFERING, CEV_OFFER_WITHDRAWN), CALL_OFFERING);
	assert_int_equal(call_fsm_next(CALL_OFFERING, CEV_OFFERS_GONE), CALL_QUEUED);
	assert_int_equal(call_fsm_next(CALL_OFFERING, CEV_AGENT_OFFERED), CALL_OFFERING);
	assert_int_equal(call_fsm_next(CALL_QUEUED, CEV_OFFERS_GONE), -1);
	/* The maximum wait, or no queue at all: back to the controller. */
	assert_int_equal(call_fsm_next(CALL_QUEUED, CEV_MAX_WAIT), CALL_FLOW);
	assert_int_equal(call_fsm_next(CALL_OFFERING, CEV_MAX_WAIT), CALL_FLOW);
	assert_int_equal(call_fsm_next(CALL_QUEUED, CEV_NO_QUEUE), CALL_FLOW);
	assert_int_equal(call_fsm_next(CALL_QUEUED, CEV_UNSTAFFED), CALL_FLOW);
	/* Announcements while waiting, and their turn while a phone rings. */
	assert_int_equal(call_fsm_next(CALL_QUEUED, CEV_ANNOUNCE_DUE), CALL_QUEUED);
	assert_int_equal(call_fsm_next(CALL_OFFERING, CEV_ANNOUNCE_DUE), CALL_OFFERING);
	assert_int_equal(call_fsm_next(CALL_OFFERING, CEV_PROMPT_DONE), CALL_OFFERING);
	/* Music while waiting and ringing. */
	assert_int_equal(call_fsm_next(CALL_QUEUED, CEV_MOH_DUE), CALL_QUEUED);
	assert_int_equal(call_fsm_next(CALL_OFFERING, CEV_MOH_DUE), CALL_OFFERING);
	/* The controller's timer and keys. */
	assert_int_equal(call_fsm_next(CALL_FLOW, CEV_FLOW_TIMER), CALL_FLOW);
	assert_int_equal(call_fsm_next(CALL_FLOW, CEV_DTMF), CALL_FLOW);
}

static void media_failures_end_the_call(void **state)
{
	(void)state;
	assert_int_equal(call_fsm_next(CALL_MEDIA, CEV_MEDIA_FAILED), CALL_ENDING);
	assert_int_equal(call_fsm_next(CALL_OFFERING, CEV_MEDIA_FAILED), CALL_ENDING);
	assert_int_equal(call_fsm_next(CALL_BRIDGED, CEV_MEDIA_FAILED), CALL_ENDING);
	/* Nothing rtpengine does while a prompt plays or the call waits ends it
	 * (a prompt that fails is only skipped). */
	assert_int_equal(call_fsm_next(CALL_FLOW, CEV_MEDIA_FAILED), -1);
	assert_int_equal(call_fsm_next(CALL_QUEUED, CEV_MEDIA_FAILED), -1);
}

static void any_state_but_ending(void **state)
{
	(void)state;
	const enum call_event any[] = { CEV_CALLER_GONE, CEV_HANGUP, CEV_TOO_LONG };
	for (int s = 0; s < CALL_STATE_COUNT; s++)
		for (unsigned i = 0; i < 3; i++)
			assert_int_equal(call_fsm_next((enum call_state)s, any[i]),
					 s == CALL_ENDING ? -1 : CALL_ENDING);
	/* Found contacts and played prompts change nothing about the state. */
	for (int s = 0; s < CALL_STATE_COUNT; s++) {
		assert_int_equal(call_fsm_next((enum call_state)s, CEV_CONTACT), s == CALL_ENDING ? -1 : s);
		assert_int_equal(call_fsm_next((enum call_state)s, CEV_PLAYED), s == CALL_ENDING ? -1 : s);
	}
}

static void ending_is_the_end(void **state)
{
	(void)state;
	for (int e = 0; e < CALL_EVENT_COUNT; e++)
		assert_int_equal(call_fsm_next(CALL_ENDING, (enum call_event)e), -1);
}

static void nothing_else_is_allowed(void **state)
{
	(void)state;
	assert_int_equal(call_fsm_next(CALL_QUEUED, CEV_AGENT_ANSWERED), -1);
	assert_int_equal(call_fsm_next(CALL_BRIDGED, CEV_AGENT_OFFERED), -1);
	assert_int_equal(call_fsm_next(CALL_BRIDGED, CEV_MAX_WAIT), -1);
	assert_int_equal(call_fsm_next(CALL_BRIDGED, CEV_ENQUEUE), -1);
	assert_int_equal(call_fsm_next(CALL_FLOW, CEV_AGENT_OFFERED), -1);
	assert_int_equal(call_fsm_next(CALL_MEDIA, CEV_AGENT_GONE), -1);
	assert_int_equal(call_fsm_next(CALL_MEDIA, CEV_PLAY), -1);
	assert_int_equal(call_fsm_next(CALL_QUEUED, CEV_PLAY), -1);
	/* A prompt that ends while the call waits is an announcement's. */
	assert_int_equal(call_fsm_next(CALL_QUEUED, CEV_PROMPT_DONE), CALL_QUEUED);
	assert_int_equal(call_fsm_next(CALL_BRIDGED, CEV_PROMPT_DONE), -1);
	assert_int_equal(call_fsm_next(CALL_BRIDGED, CEV_ANNOUNCE_DUE), -1);
	assert_int_equal(call_fsm_next(CALL_FLOW, CEV_ANNOUNCE_DUE), -1);
	assert_int_equal(call_fsm_next(CALL_QUEUED, CEV_LEG_MEDIA), -1);
	/* Every row leads somewhere known, and every state but ENDING can end. */
	int from, ev, to;
	for (size_t r = 0; r < call_fsm_rows(); r++) {
		call_fsm_hits(r, &from, &ev, &to);
		assert_true(from >= -1 && from < CALL_STATE_COUNT && from != CALL_ENDING);
		assert_true(ev >= 0 && ev < CALL_EVENT_COUNT);
		assert_true(to >= -1 && to < CALL_STATE_COUNT);
	}
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(call_state_name(CALL_QUEUED), "queued");
	assert_string_equal(call_state_name(CALL_FLOW), "flow");
	assert_string_equal(call_event_name(CEV_MAX_WAIT), "MAX_WAIT");
	assert_string_equal(call_state_name(CALL_STATE_COUNT), "?");
	assert_string_equal(call_result_name(RESULT_NO_AGENT), "no_agent");
	assert_string_equal(call_side_name(SIDE_AGENT), "agent");
	assert_string_equal(call_result_name(RESULT_NONE), "none");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answered_by_an_agent),
		cmocka_unit_test(originated),
		cmocka_unit_test(hunting_and_giving_up),
		cmocka_unit_test(media_failures_end_the_call),
		cmocka_unit_test(any_state_but_ending),
		cmocka_unit_test(ending_is_the_end),
		cmocka_unit_test(nothing_else_is_allowed),
		cmocka_unit_test(names),
	};
	return cmocka_run_group_tests_name("call_fsm", tests, NULL, NULL);
}
