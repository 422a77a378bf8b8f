/* 未接来电 (fcgi-app/missed/): what a row says of itself (its state, where
 * the call was lost, how long the caller waited) and the outcome's checks
 * (one of MISSED_OUTCOMES, a note of at most MISSED_NOTE_MAX characters of
 * text). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi-app/missed/missed.h"

static void states(void **state)
{
	(void)state;
	struct missed m = { .id = "c1" };
	assert_string_equal(missed_state(&m), "open");
	/* A claim row that expired is open again. */
	m.claimed_by = "u1", m.claim_live = "0";
	assert_string_equal(missed_state(&m), "open");
	m.claim_live = "1";
	assert_string_equal(missed_state(&m), "claimed");
	/* An outcome wins over a claim. */
	m.outcome = "reached";
	assert_string_equal(missed_state(&m), "done");
}

static void stages(void **state)
{
	(void)state;
	struct missed m = { .result = "abandoned", .end_state = "queued" };
	assert_string_equal(missed_stage(&m), "queue");
	m.end_state = "offering";
	assert_string_equal(missed_stage(&m), "ringing");
	m.result = "no_agent", m.end_state = "queued";
	assert_string_equal(missed_stage(&m), "no_agent");
}

static void waited(void **state)
{
	(void)state;
	struct missed m = { .enqueued = "1795259500", .ended = "1795259545" };
	assert_int_equal(missed_waited(&m), 45);
	/* Clocks of two nodes a little apart: never negative. */
	m.ended = "1795259499";
	assert_int_equal(missed_waited(&m), 0);
	m.enqueued = NULL;
	assert_int_equal(missed_waited(&m), -1);
}

static void outcomes(void **state)
{
	(void)state;
	const char *field = "x";
#define OUTCOME_OK(o) assert_null(missed_outcome_check(#o, NULL, &field));
	MISSED_OUTCOMES(OUTCOME_OK)
#undef OUTCOME_OK
	assert_null(field);
	assert_string_equal(missed_outcome_check(NULL, NULL, &field), "missed.outcome_required");
	assert_string_equal(field, "outcome");
	assert_string_equal(missed_outcome_check("", NULL, &field), "missed.outcome_required");
	assert_string_equal(missed_outcome_check("Reached", NULL, &field), "missed.outcome_required");
	assert_string_equal(missed_outcome_check("已回拨接通", NULL, &field), "missed.outcome_required");
	assert_null(missed_outcome_check("reached", "已回电\n客户已下单", &field));
	char *note = malloc(MISSED_NOTE_MAX * 3 + 4);
	assert_non_null(note);
	note[0] = '\0';
	for (int i = 0; i < MISSED_NOTE_MAX; i++)
		strcat(note, "回");
	assert_null(missed_outcome_check("no_answer", note, &field));
	strcat(note, "a");
	assert_string_equal(missed_outcome_check("no_answer", note, &field), "missed.note_long");
	assert_string_equal(field, "note");
	free(note);
	assert_string_equal(missed_outcome_check("reached", "bell\a", &field), "missed.note_bad");
	assert_string_equal(missed_outcome_check("reached", "bad \xff", &field), "missed.note_bad");
	/* The outcome is checked first. */
	assert_string_equal(missed_outcome_check("maybe", "bell\a", &field), "missed.outcome_required");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(states),
		cmocka_unit_test(stages),
		cmocka_unit_test(waited),
		cmocka_unit_test(outcomes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
