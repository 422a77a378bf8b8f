/* The outbound pacing (common/pacing.h, docs/outbound.md "Pacing"): the
 * bounds of each mode, and predictive's gain following the abandon rate
 * over live answers, down on a burst of abandons and back up after it.
 * The clock is the tests' own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "common/pacing.h"

#define T0 1000000LL

static struct pacer_in in_of(enum task_pacing mode, unsigned max, unsigned ratio, unsigned avail,
			     unsigned busy, unsigned dialing, unsigned waiting, unsigned connected)
{
	struct pacer_in in = {
		.mode = mode,
		.max_concurrency = max,
		.agent_ratio = ratio,
		.agents_available = avail,
		.agents_busy = busy,
		.dialing = dialing,
		.waiting = waiting,
		.connected = connected,
	};
	return in;
}

/* A pacer that has seen `answered` of `attempts` answered after ring_ms,
 * and agents' cycles of cycle_ms, with no live answer yet. */
static void history(struct pacer *p, unsigned attempts, unsigned answered, unsigned ring_ms,
		    unsigned cycle_ms)
{
	for (unsigned i = 0; i < attempts; i++) {
		pacer_placed(p);
		/* spread evenly: exactly `answered` of them */
		if ((i + 1) * answered / attempts != i * answered / attempts) {
			pacer_answered(p, ring_ms);
		} else {
			pacer_unanswered(p);
		}
	}
	for (unsigned i = 0; i < 20; i++)
		pacer_freed(p, cycle_ms - 10000, 10000);
}

static void ratio_bounds(void **state)
{
	(void)state;
	struct pacer p;
	pacer_init(&p, 0, T0);
	struct pacer_in in = in_of(TASK_PACING_RATIO, 100, 150, 4, 0, 0, 0, 0);
	assert_int_equal(pacer_calls(&p, &in, T0), 6); /* 4 agents x 1.5 */
	in.dialing = 2;
	assert_int_equal(pacer_calls(&p, &in, T0), 4);
	in.waiting = 3; /* answered, waiting for an agent, count as in progress */
	assert_int_equal(pacer_calls(&p, &in, T0), 1);
	in.dialing = 5;
	assert_int_equal(pacer_calls(&p, &in, T0), 0);
	/* max_concurrency: connected calls count against it */
	in = in_of(TASK_PACING_RATIO, 5, 300, 4, 2, 1, 0, 2);
	assert_int_equal(pacer_calls(&p, &in, T0), 2);
	in.connected = 4;
	assert_int_equal(pacer_calls(&p, &in, T0), 0);
	in.connected = 9; /* already over (edited down): still zero, not negative */
	assert_int_equal(pacer_calls(&p, &in, T0), 0);

	/* Every combination: calls not yet with an agent stay within available
	 * x ratio, all calls within max_concurrency. */
	for (unsigned ratio = 100; ratio <= 1000; ratio += 75)
		for (unsigned avail = 0; avail <= 12; avail++)
			for (unsigned pend = 0; pend <= 40; pend += 3)
				for (unsigned conn = 0; conn <= 20; conn += 4) {
					in = in_of(TASK_PACING_RATIO, 30, ratio, avail, conn, pend, 0, conn);
					unsigned n = pacer_calls(&p, &in, T0);
					unsigned long cap = (unsigned long)avail * ratio / 100;
					if (n > 0) {
						assert_true(pend + n <= cap);
						assert_true(pend + conn + n <= 30);
					}
					if (pend < cap && pend + conn < 30)
						assert_int_not_equal(n, 0);
				}
}

static void progressive_one_per_agent(void **state)
{
	(void)state;
	struct pacer p;
	pacer_init(&p, 0, T0);
	/* agent_ratio is ratio mode's: progressive ignores it */
	struct pacer_in in = in_of(TASK_PACING_PROGRESSIVE, 100, 500, 3, 4, 0, 0, 4);
	assert_int_equal(pacer_calls(&p, &in, T0), 3);
	in.dialing = 1;
	in.waiting = 1;
	assert_int_equal(pacer_calls(&p, &in, T0), 1);
	in.dialing = 3;
	assert_int_equal(pacer_calls(&p, &in, T0), 0);
	in = in_of(TASK_PACING_PROGRESSIVE, 2, 100, 5, 0, 0, 0, 0);
	assert_int_equal(pacer_calls(&p, &in, T0), 2);
	in = in_of(TASK_PACING_PROGRESSIVE, 100, 100, 0, 6, 0, 0, 6);
	assert_int_equal(pacer_calls(&p, &in, T0), 0);
}

static void no_agent_no_call(void **state)
{
	(void)state;
	for (int mode = 0; mode < TASK_PACING_COUNT; mode++) {
		struct pacer p;
		pacer_init(&p, 0, T0);
		history(&p, 100, 30, 10000, 190000);
		struct pacer_in in = in_of((enum task_pacing)mode, 500, 1000, 0, 0, 0, 0, 0);
		assert_int_equal(pacer_calls(&p, &in, T0), 0);
		in.dialing = 3; /* calls up from before the agents left */
		assert_int_equal(pacer_calls(&p, &in, T0), 0);
	}
	/* agents all busy: ratio and progressive wait for one to be free */
	struct pacer p;
	pacer_init(&p, 0, T0);
	struct pacer_in in = in_of(TASK_PACING_RATIO, 500, 1000, 0, 10, 0, 0, 10);
	assert_int_equal(pacer_calls(&p, &in, T0), 0);
}

static void predictive_over_dials_within_bounds(void **state)
{
	(void)state;
	struct pacer p;
	pacer_init(&p, 30, T0);
	/* A new task: the prior says every call is answered, one per agent. */
	struct pacer_in in = in_of(TASK_PACING_PREDICTIVE, 200, 100, 10, 0, 0, 0, 0);
	assert_int_equal(pacer_answer_rate(&p), 1000);
	unsigned first = pacer_calls(&p, &in, T0);
	assert_true(first >= 1 && first <= 10);

	/* 30 % answered: more lines than agents, fewer than agents / rate. */
	history(&p, 120, 36, 10000, 190000);
	unsigned rate = pacer_answer_rate(&p);
	assert_in_range(rate, 290, 340);
	unsigned n = pacer_calls(&p, &in, T0);
	assert_true(n > 10);
	assert_true(n <= 10 * 1000 / rate);
	/* calls ringing are counted: the same agents, fewer new calls */
	in.dialing = n / 2;
	unsigned m = pacer_calls(&p, &in, T0);
	assert_true(m < n);
	assert_true(m + in.dialing <= n + 1);
	/* never beyond max_concurrency */
	in = in_of(TASK_PACING_PREDICTIVE, 12, 100, 10, 5, 0, 0, 5);
	assert_int_equal(pacer_calls(&p, &in, T0), 7);
	in.connected = 12;
	assert_int_equal(pacer_calls(&p, &in, T0), 0);
	/* all agents busy: it dials ahead for those freeing soon, fewer than
	 * for the same number free */
	in = in_of(TASK_PACING_PREDICTIVE, 200, 100, 0, 20, 0, 0, 20);
	unsigned ahead = pacer_calls(&p, &in, T0);
	assert_true(ahead >= 1);
	in = in_of(TASK_PACING_PREDICTIVE, 200, 100, 20, 0, 0, 0, 0);
	assert_true(ahead < pacer_calls(&p, &in, T0));
	/* customers already waiting take agents first */
	in = in_of(TASK_PACING_PREDICTIVE, 200, 100, 2, 18, 0, 2, 18);
	assert_true(pacer_calls(&p, &in, T0) < ahead + 2);
}

static void predictive_follows_the_abandon_rate(void **state)
{
	(void)state;
	struct pacer p;
	pacer_init(&p, 30, T0);
	history(&p, 120, 36, 10000, 190000);
	struct pacer_in in = in_of(TASK_PACING_PREDICTIVE, 500, 100, 4, 16, 0, 0, 16);
	unsigned base = pacer_calls(&p, &in, T0);

	/* well under the target (none abandoned): the gain rises, more calls */
	for (int i = 0; i < 600; i++)
		pacer_connected(&p);
	assert_true(pacer_gain(&p) > PACER_GAIN_START);
	assert_int_equal(pacer_abandon_window(&p), 0);
	unsigned up = pacer_calls(&p, &in, T0);
	assert_true(up > base);

	/* over the target: it falls, fewer calls than at the start */
	for (int i = 0; i < 60; i++) {
		pacer_abandoned(&p);
		for (int j = 0; j < 9; j++)
			pacer_connected(&p);
	}
	assert_true(pacer_abandon_window(&p) > 30);
	assert_true(pacer_gain(&p) < PACER_GAIN_START / 4);
	unsigned down = pacer_calls(&p, &in, T0);
	assert_true(down < base);
}

static void predictive_recovers_after_a_burst(void **state)
{
	(void)state;
	struct pacer p;
	pacer_init(&p, 30, T0);
	history(&p, 120, 36, 10000, 190000);
	struct pacer_in in = in_of(TASK_PACING_PREDICTIVE, 500, 100, 4, 16, 0, 0, 16);
	unsigned base = pacer_calls(&p, &in, T0);
	for (int i = 0; i < 100; i++)
		pacer_connected(&p);
	for (int i = 0; i < 12; i++)
		pacer_abandoned(&p);
	assert_int_equal(pacer_gain(&p), PACER_GAIN_MIN);
	assert_true(pacer_calls(&p, &in, T0) < base);
	/* calls connected after the burst bring it back, and the window forgets */
	for (int i = 0; i < 2000; i++)
		pacer_connected(&p);
	assert_int_equal(pacer_abandon_window(&p), 0);
	assert_in_range(pacer_abandon_total(&p), 1, 30);
	assert_true(pacer_gain(&p) >= PACER_GAIN_START);
	assert_true(pacer_calls(&p, &in, T0) >= base);
}

static void gain_held_while_bound(void **state)
{
	(void)state;
	struct pacer p;
	pacer_init(&p, 30, T0);
	history(&p, 120, 36, 10000, 190000);
	/* max_concurrency holds the calls back: connected calls do not push the
	 * gain up, so it does not overshoot when the bound is lifted */
	struct pacer_in in = in_of(TASK_PACING_PREDICTIVE, 3, 100, 10, 0, 0, 0, 0);
	assert_int_equal(pacer_calls(&p, &in, T0), 3);
	for (int i = 0; i < 500; i++)
		pacer_connected(&p);
	assert_int_equal(pacer_gain(&p), PACER_GAIN_START);
	in.max_concurrency = 500;
	pacer_calls(&p, &in, T0 + 1000);
	for (int i = 0; i < 500; i++)
		pacer_connected(&p);
	assert_true(pacer_gain(&p) > PACER_GAIN_START);
}

static void idle_task_starts_again_conservatively(void **state)
{
	(void)state;
	struct pacer p;
	pacer_init(&p, 30, T0);
	for (int i = 0; i < 2000; i++)
		pacer_connected(&p);
	assert_true(pacer_gain(&p) > PACER_GAIN_START);
	struct pacer_in in = in_of(TASK_PACING_PREDICTIVE, 500, 100, 4, 0, 0, 0, 0);
	pacer_calls(&p, &in, T0 + PACER_IDLE_MS / 2);
	assert_true(pacer_gain(&p) > PACER_GAIN_START);
	pacer_calls(&p, &in, T0 + PACER_IDLE_MS / 2 + PACER_IDLE_MS + 1);
	assert_int_equal(pacer_gain(&p), PACER_GAIN_START);
}

static void windows_slide(void **state)
{
	(void)state;
	struct pacer p;
	pacer_init(&p, 0, T0);
	assert_int_equal(p.target, TASK_ABANDON_DEFAULT);
	for (int i = 0; i < 64; i++)
		pacer_answered(&p, 8000);
	for (int i = 0; i < 64; i++)
		pacer_unanswered(&p);
	assert_int_equal(pacer_answer_rate(&p), (64 + PACER_PRIOR_N) * 1000 / (128 + PACER_PRIOR_N));
	/* the answered ones slide out */
	for (int i = 0; i < PACER_WINDOW; i++)
		pacer_unanswered(&p);
	assert_int_equal(pacer_answer_rate(&p), PACER_PRIOR_N * 1000 / (PACER_WINDOW + PACER_PRIOR_N));
	/* abandoned over live answers, in tenths of a percent */
	for (int i = 0; i < 3; i++)
		pacer_abandoned(&p);
	for (int i = 0; i < 97; i++)
		pacer_connected(&p);
	assert_int_equal(pacer_abandon_window(&p), 30);
	assert_int_equal(pacer_abandon_total(&p), 30);
	for (int i = 0; i < PACER_WINDOW; i++)
		pacer_connected(&p);
	assert_int_equal(pacer_abandon_window(&p), 0);
	assert_int_equal(pacer_abandon_total(&p), 13); /* 3 of 228 */
	/* an unknown target is the default; one out of bounds is held to them */
	pacer_init(&p, 5000, T0);
	assert_int_equal(p.target, TASK_ABANDON_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ratio_bounds),
		cmocka_unit_test(progressive_one_per_agent),
		cmocka_unit_test(no_agent_no_call),
		cmocka_unit_test(predictive_over_dials_within_bounds),
		cmocka_unit_test(predictive_follows_the_abandon_rate),
		cmocka_unit_test(predictive_recovers_after_a_burst),
		cmocka_unit_test(gain_held_while_bound),
		cmocka_unit_test(idle_task_starts_again_conservatively),
		cmocka_unit_test(windows_slide),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
