/* The agent state machine: every request and call event in every state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "b2bua/acd/acd.h"

static struct agent_sm in(enum agent_state s, const char *reason)
{
	struct agent_sm sm;
	agent_sm_init(&sm);
	sm.state = s;
	if (reason)
		strcpy(sm.reason, reason);
	return sm;
}

static void sign_in_and_out(void **state)
{
	(void)state;
	struct agent_sm sm = in(AGENT_LOGGED_OUT, NULL);
	assert_int_equal(agent_sm_apply(&sm, AEV_SIGN_IN, NULL, false), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_READY);
	assert_int_equal(agent_sm_apply(&sm, AEV_SIGN_IN, NULL, false), AGENT_SM_SAME);
	assert_int_equal(agent_sm_apply(&sm, AEV_SIGN_OUT, NULL, false), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_LOGGED_OUT);
	assert_int_equal(agent_sm_apply(&sm, AEV_SIGN_OUT, NULL, false), AGENT_SM_SAME);
}

static void breaks_carry_a_reason(void **state)
{
	(void)state;
	struct agent_sm sm = in(AGENT_READY, NULL);
	assert_int_equal(agent_sm_apply(&sm, AEV_BREAK, "meal", false), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_NOT_READY);
	assert_string_equal(sm.reason, "meal");
	assert_int_equal(agent_sm_apply(&sm, AEV_BREAK, "meal", false), AGENT_SM_SAME);
	assert_int_equal(agent_sm_apply(&sm, AEV_BREAK, "meeting", false), AGENT_SM_CHANGED);
	assert_string_equal(sm.reason, "meeting");
	assert_int_equal(agent_sm_apply(&sm, AEV_SIGN_IN, NULL, false), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_READY);
	assert_string_equal(sm.reason, "");
	/* Signing in straight into a break. */
	sm = in(AGENT_LOGGED_OUT, NULL);
	assert_int_equal(agent_sm_apply(&sm, AEV_BREAK, "training", false), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_NOT_READY);
	/* Over-long reasons are cut, never overflow. */
	char longr[200];
	memset(longr, 'x', sizeof longr - 1);
	longr[sizeof longr - 1] = '\0';
	assert_int_equal(agent_sm_apply(&sm, AEV_BREAK, longr, false), AGENT_SM_CHANGED);
	assert_int_equal(strlen(sm.reason), AGENT_REASON_MAX);
}

static void a_call_from_ready_to_wrap_up(void **state)
{
	(void)state;
	struct agent_sm sm = in(AGENT_READY, NULL);
	assert_int_equal(agent_sm_apply(&sm, AEV_RESERVE, NULL, false), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_RESERVED);
	assert_int_equal(agent_sm_apply(&sm, AEV_RESERVE, NULL, false), AGENT_SM_INVALID);
	assert_int_equal(agent_sm_apply(&sm, AEV_ANSWER, NULL, false), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_ON_CALL);
	assert_int_equal(agent_sm_apply(&sm, AEV_HANGUP, NULL, true), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_WRAP_UP);
	assert_int_equal(agent_sm_apply(&sm, AEV_WRAPUP_END, NULL, false), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_READY);
	/* Without wrap-up time, straight back to ready. */
	sm = in(AGENT_ON_CALL, NULL);
	assert_int_equal(agent_sm_apply(&sm, AEV_HANGUP, NULL, false), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_READY);
}

static void no_answer_and_reject_are_not_ready_with_a_reason(void **state)
{
	(void)state;
	struct agent_sm sm = in(AGENT_RESERVED, NULL);
	assert_int_equal(agent_sm_apply(&sm, AEV_NO_ANSWER, "no_answer", false), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_NOT_READY);
	assert_string_equal(sm.reason, "no_answer");
	/* An offer let ring out without the penalty (the group's count not
	 * reached): ready again. */
	sm = in(AGENT_RESERVED, NULL);
	assert_int_equal(agent_sm_apply(&sm, AEV_NO_ANSWER, NULL, false), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_READY);
	sm = in(AGENT_RESERVED, NULL);
	assert_int_equal(agent_sm_apply(&sm, AEV_REJECT, NULL, false), AGENT_SM_CHANGED);
	assert_string_equal(sm.reason, "rejected");
	/* A withdrawn offer is not the agent's fault. */
	sm = in(AGENT_RESERVED, NULL);
	assert_int_equal(agent_sm_apply(&sm, AEV_RELEASE, NULL, false), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_READY);
	/* Call events make no sense outside a call. */
	sm = in(AGENT_READY, NULL);
	assert_int_equal(agent_sm_apply(&sm, AEV_NO_ANSWER, NULL, false), AGENT_SM_INVALID);
	assert_int_equal(agent_sm_apply(&sm, AEV_ANSWER, NULL, false), AGENT_SM_INVALID);
	assert_int_equal(agent_sm_apply(&sm, AEV_HANGUP, NULL, false), AGENT_SM_INVALID);
	assert_int_equal(agent_sm_apply(&sm, AEV_WRAPUP_END, NULL, false), AGENT_SM_INVALID);
	assert_int_equal(sm.state, AGENT_READY);
}

static void requests_during_a_call_wait_for_its_end(void **state)
{
	(void)state;
	struct agent_sm sm = in(AGENT_ON_CALL, NULL);
	assert_int_equal(agent_sm_apply(&sm, AEV_BREAK, "meal", false), AGENT_SM_PENDING);
	assert_int_equal(sm.state, AGENT_ON_CALL);
	assert_int_equal(sm.pending, AGENT_NOT_READY);
	assert_int_equal(agent_sm_apply(&sm, AEV_HANGUP, NULL, true), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_WRAP_UP);
	assert_int_equal(agent_sm_apply(&sm, AEV_WRAPUP_END, NULL, false), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_NOT_READY);
	assert_string_equal(sm.reason, "meal");
	assert_int_equal(sm.pending, -1);

	/* Ready during the call drops a pending break. */
	sm = in(AGENT_ON_CALL, NULL);
	agent_sm_apply(&sm, AEV_SIGN_OUT, NULL, false);
	assert_int_equal(sm.pending, AGENT_LOGGED_OUT);
	assert_int_equal(agent_sm_apply(&sm, AEV_SIGN_IN, NULL, false), AGENT_SM_PENDING);
	assert_int_equal(sm.pending, -1);
	assert_int_equal(agent_sm_apply(&sm, AEV_HANGUP, NULL, false), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_READY);

	/* Ready during wrap-up ends the wrap-up now. */
	sm = in(AGENT_WRAP_UP, NULL);
	assert_int_equal(agent_sm_apply(&sm, AEV_SIGN_IN, NULL, false), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_READY);

	/* A sign-out asked for while ringing wins over the no-answer penalty. */
	sm = in(AGENT_RESERVED, NULL);
	agent_sm_apply(&sm, AEV_SIGN_OUT, NULL, false);
	assert_int_equal(agent_sm_apply(&sm, AEV_NO_ANSWER, NULL, false), AGENT_SM_CHANGED);
	assert_int_equal(sm.state, AGENT_LOGGED_OUT);
	/* ...but a pending break does not hide the penalty reason. */
	sm = in(AGENT_RESERVED, NULL);
	agent_sm_apply(&sm, AEV_BREAK, "meal", false);
	agent_sm_apply(&sm, AEV_NO_ANSWER, "no_answer", false);
	assert_int_equal(sm.state, AGENT_NOT_READY);
	assert_string_equal(sm.reason, "no_answer");
}

static void names(void **state)
{
	(void)state;
	for (int s = 0; s < AGENT_STATE_COUNT; s++)
		assert_int_equal(agent_state_parse(agent_state_name((enum agent_state)s)), s);
	assert_int_equal(agent_state_parse("busy"), -1);
	assert_int_equal(agent_state_parse(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sign_in_and_out),
		cmocka_unit_test(breaks_carry_a_reason),
		cmocka_unit_test(a_call_from_ready_to_wrap_up),
		cmocka_unit_test(no_answer_and_reject_are_not_ready_with_a_reason),
		cmocka_unit_test(requests_during_a_call_wait_for_its_end),
		cmocka_unit_test(names),
	};
	return cmocka_run_group_tests_name("agent_sm", tests, NULL, NULL);
}
