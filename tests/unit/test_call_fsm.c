/* The call state machine: the table's every allowed step, and that nothing
 * else is allowed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "b2bua/call/call.h"

static void the_happy_path(void **state)
{
	(void)state;
	enum call_state s = CALL_MEDIA;
	const enum call_event path[] = { CEV_MEDIA_READY, CEV_PROMPT_DONE, CEV_AGENT_OFFERED,
					 CEV_AGENT_ANSWERED, CEV_CALLER_GONE };
	const enum call_state want[] = { CALL_WELCOME, CALL_QUEUED, CALL_OFFERING, CALL_BRIDGED,
					 CALL_ENDING };
	for (unsigned i = 0; i < 5; i++) {
		int next = call_fsm_next(s, path[i]);
		assert_int_equal(next, want[i]);
		s = (enum call_state)next;
	}
}

static void hunting_and_timeouts(void **state)
{
	(void)state;
	assert_int_equal(call_fsm_next(CALL_OFFERING, CEV_AGENT_FAILED), CALL_QUEUED);
	assert_int_equal(call_fsm_next(CALL_QUEUED, CEV_MAX_WAIT), CALL_NO_AGENT);
	assert_int_equal(call_fsm_next(CALL_OFFERING, CEV_MAX_WAIT), CALL_NO_AGENT);
	assert_int_equal(call_fsm_next(CALL_NO_AGENT, CEV_PROMPT_DONE), CALL_ENDING);
	assert_int_equal(call_fsm_next(CALL_BRIDGED, CEV_AGENT_GONE), CALL_ENDING);
	assert_int_equal(call_fsm_next(CALL_MEDIA, CEV_MEDIA_FAILED), CALL_ENDING);
}

static void the_caller_can_leave_any_time(void **state)
{
	(void)state;
	for (int s = 0; s < CALL_STATE_COUNT; s++) {
		if (s == CALL_ENDING)
			assert_int_equal(call_fsm_next((enum call_state)s, CEV_CALLER_GONE), -1);
		else
			assert_int_equal(call_fsm_next((enum call_state)s, CEV_CALLER_GONE), CALL_ENDING);
	}
}

static void nothing_else_is_allowed(void **state)
{
	(void)state;
	/* Count the allowed pairs: a new row in the table must come with a test. */
	int allowed = 0;
	for (int s = 0; s < CALL_STATE_COUNT; s++)
		for (int e = 0; e < CALL_EVENT_COUNT; e++)
			if (call_fsm_next((enum call_state)s, (enum call_event)e) >= 0)
				allowed++;
	assert_int_equal(allowed, 21);
	/* A few that must never happen. */
	assert_int_equal(call_fsm_next(CALL_QUEUED, CEV_AGENT_ANSWERED), -1);
	assert_int_equal(call_fsm_next(CALL_BRIDGED, CEV_AGENT_OFFERED), -1);
	assert_int_equal(call_fsm_next(CALL_BRIDGED, CEV_MAX_WAIT), -1);
	assert_int_equal(call_fsm_next(CALL_WELCOME, CEV_AGENT_OFFERED), -1);
	assert_int_equal(call_fsm_next(CALL_ENDING, CEV_MEDIA_READY), -1);
	assert_int_equal(call_fsm_next(CALL_MEDIA, CEV_AGENT_GONE), -1);
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(call_state_name(CALL_QUEUED), "queued");
	assert_string_equal(call_event_name(CEV_MAX_WAIT), "MAX_WAIT");
	assert_string_equal(call_state_name(CALL_STATE_COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_happy_path),
		cmocka_unit_test(hunting_and_timeouts),
		cmocka_unit_test(the_caller_can_leave_any_time),
		cmocka_unit_test(nothing_else_is_allowed),
		cmocka_unit_test(names),
	};
	return cmocka_run_group_tests_name("call_fsm", tests, NULL, NULL);
}
