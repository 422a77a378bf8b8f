/* The router: who gets the next call, by each strategy, levels first; and
 * which entry is next. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "b2bua/acd/acd_priv.h"

static struct agent mk(const char *id, enum agent_state s, bool reg, long long idle)
{
	struct agent a;
	memset(&a, 0, sizeof a);
	a.id = (char *)id;
	agent_sm_init(&a.sm);
	a.sm.state = s;
	a.registered = reg;
	a.present = true;
	a.idle_since_ms = idle;
	return a;
}

/* A queue of the agents given, all at level 1 unless levels says. */
static struct queue queue_of(struct member *m, struct agent **agents, const unsigned char *levels,
			     size_t n, enum acd_strategy st)
{
	for (size_t i = 0; i < n; i++)
		m[i] = (struct member){ agents[i], levels ? levels[i] : 1 };
	struct queue q = { .members = m, .nmembers = n, .strategy = st };
	router_sort_members(&q);
	return q;
}

static struct agent *pick(struct agent **agents, const unsigned char *levels, size_t n,
			  enum acd_strategy st, long long now, unsigned rnd)
{
	struct member m[16];
	struct queue q = queue_of(m, agents, levels, n, st);
	return router_pick_agent(&q, now, rnd);
}

static void longest_idle_wins(void **state)
{
	(void)state;
	struct agent a = mk("a", AGENT_READY, true, 3000);
	struct agent b = mk("b", AGENT_READY, true, 1000);
	struct agent c = mk("c", AGENT_READY, true, 2000);
	struct agent *m[] = { &a, &b, &c };
	assert_ptr_equal(pick(m, NULL, 3, STRATEGY_LONGEST_IDLE, 10000, 0), &b);
}

static void only_available_agents(void **state)
{
	(void)state;
	struct agent busy = mk("a", AGENT_ON_CALL, true, 0);
	struct agent unreg = mk("b", AGENT_READY, false, 1);
	struct agent brk = mk("c", AGENT_NOT_READY, true, 2);
	struct agent wrap = mk("d", AGENT_WRAP_UP, true, 3);
	struct agent gone = mk("e", AGENT_READY, true, 4);
	gone.present = false;
	struct agent held = mk("f", AGENT_READY, true, 5);
	held.blocked_until_ms = 20000;
	struct agent ok = mk("g", AGENT_READY, true, 9000);
	struct agent *m[] = { &busy, &unreg, &brk, &wrap, &gone, &held, &ok };
	for (int st = 0; st < ACD_STRATEGY_COUNT; st++) {
		assert_ptr_equal(pick(m, NULL, 7, st, 10000, 12345), &ok);
		/* An agent already reserved for a call is not offered another. */
		ok.owner = &ok;
		assert_null(pick(m, NULL, 7, st, 10000, 7));
		ok.owner = NULL;
	}
	/* Once the block is over, the longer-idle one is back in line. */
	assert_ptr_equal(pick(m, NULL, 7, STRATEGY_LONGEST_IDLE, 20000, 0), &held);
	assert_null(pick(m, NULL, 0, STRATEGY_LONGEST_IDLE, 0, 0));
}

static void ties_break_by_id(void **state)
{
	(void)state;
	struct agent x = mk("x", AGENT_READY, true, 5);
	struct agent y = mk("m", AGENT_READY, true, 5);
	struct agent *m[] = { &x, &y };
	assert_ptr_equal(pick(m, NULL, 2, STRATEGY_LONGEST_IDLE, 10, 0), &y);
}

static void a_lower_level_goes_first_with_every_strategy(void **state)
{
	(void)state;
	/* b is level 2 and idle longest, with no calls: still a (level 1). */
	struct agent a = mk("a", AGENT_READY, true, 5000);
	struct agent b = mk("b", AGENT_READY, true, 1);
	a.calls_today = 50;
	a.talk_s_today = 9000;
	struct agent *m[] = { &b, &a };
	const unsigned char levels[] = { 2, 1 };
	for (int st = 0; st < ACD_STRATEGY_COUNT; st++)
		for (unsigned r = 0; r < 4; r++)
			assert_ptr_equal(pick(m, levels, 2, st, 10000, r), &a);
	/* With a busy, level 2 gets it. */
	a.sm.state = AGENT_ON_CALL;
	for (int st = 0; st < ACD_STRATEGY_COUNT; st++)
		assert_ptr_equal(pick(m, levels, 2, st, 10000, 3), &b);
}

static void top_down_takes_the_first_in_order(void **state)
{
	(void)state;
	struct agent a = mk("a", AGENT_READY, true, 9000);
	struct agent b = mk("b", AGENT_READY, true, 1);
	struct agent *m[] = { &b, &a };
	assert_ptr_equal(pick(m, NULL, 2, STRATEGY_TOP_DOWN, 10000, 0), &a);
	assert_ptr_equal(pick(m, NULL, 2, STRATEGY_LONGEST_IDLE, 10000, 0), &b);
}

static void round_robin_goes_round(void **state)
{
	(void)state;
	struct agent a = mk("a", AGENT_READY, true, 1), b = mk("b", AGENT_READY, true, 1),
		     c = mk("c", AGENT_READY, true, 1);
	struct agent *agents[] = { &c, &a, &b };
	struct member m[3];
	struct queue q = queue_of(m, agents, NULL, 3, STRATEGY_ROUND_ROBIN);
	const char *order[] = { "a", "b", "c", "a", "b" };
	for (size_t i = 0; i < 5; i++) {
		struct agent *p = router_pick_agent(&q, 10, 0);
		assert_string_equal(p->id, order[i]);
		snprintf(q.rr_last, sizeof q.rr_last, "%s", p->id);
	}
	/* b busy: after a comes c. */
	snprintf(q.rr_last, sizeof q.rr_last, "a");
	b.sm.state = AGENT_ON_CALL;
	assert_ptr_equal(router_pick_agent(&q, 10, 0), &c);
	/* Only a free: it wraps round to a. */
	c.sm.state = AGENT_ON_CALL;
	assert_ptr_equal(router_pick_agent(&q, 10, 0), &a);
}

static void fewest_calls_and_least_talk_time(void **state)
{
	(void)state;
	struct agent a = mk("a", AGENT_READY, true, 1), b = mk("b", AGENT_READY, true, 2),
		     c = mk("c", AGENT_READY, true, 3);
	a.calls_today = 9, a.talk_s_today = 100;
	b.calls_today = 2, b.talk_s_today = 900;
	c.calls_today = 5, c.talk_s_today = 50;
	struct agent *m[] = { &a, &b, &c };
	assert_ptr_equal(pick(m, NULL, 3, STRATEGY_FEWEST_CALLS, 10, 0), &b);
	assert_ptr_equal(pick(m, NULL, 3, STRATEGY_LEAST_TALK_TIME, 10, 0), &c);
	/* Equal counts: the longest idle of them. */
	c.calls_today = 2;
	assert_ptr_equal(pick(m, NULL, 3, STRATEGY_FEWEST_CALLS, 10, 0), &b);
}

static void random_chooses_among_the_available_of_the_level(void **state)
{
	(void)state;
	struct agent a = mk("a", AGENT_READY, true, 1), b = mk("b", AGENT_ON_CALL, true, 1),
		     c = mk("c", AGENT_READY, true, 1), d = mk("d", AGENT_READY, true, 1);
	struct agent *m[] = { &a, &b, &c, &d };
	const unsigned char levels[] = { 1, 1, 1, 2 };
	int seen[4] = { 0 };
	for (unsigned r = 0; r < 10; r++) {
		struct agent *p = pick(m, levels, 4, STRATEGY_RANDOM, 10, r);
		assert_non_null(p);
		seen[p->id[0] - 'a']++;
	}
	assert_int_equal(seen[0], 5);	/* a and c, alternately */
	assert_int_equal(seen[2], 5);
	assert_int_equal(seen[1] + seen[3], 0);
}

static void ring_all_takes_every_available_agent_of_the_level(void **state)
{
	(void)state;
	struct agent a = mk("a", AGENT_READY, true, 300), b = mk("b", AGENT_ON_CALL, true, 1),
		     c = mk("c", AGENT_READY, true, 100), d = mk("d", AGENT_READY, true, 1);
	struct agent *agents[] = { &a, &b, &c, &d };
	const unsigned char levels[] = { 1, 1, 1, 2 };
	struct member m[4];
	struct queue q = queue_of(m, agents, levels, 4, STRATEGY_RING_ALL);
	struct agent *out[4];
	/* a and c (level 1, available), longest idle first; not d (level 2). */
	assert_int_equal(router_ring_all(&q, 1000, out, 4), 2);
	assert_ptr_equal(out[0], &c);
	assert_ptr_equal(out[1], &a);
	/* At most max. */
	assert_int_equal(router_ring_all(&q, 1000, out, 1), 1);
	/* Level 1 all busy: level 2. */
	a.sm.state = c.sm.state = AGENT_ON_CALL;
	assert_int_equal(router_ring_all(&q, 1000, out, 4), 1);
	assert_ptr_equal(out[0], &d);
	d.owner = &d;
	assert_int_equal(router_ring_all(&q, 1000, out, 4), 0);
}

static void strategy_names(void **state)
{
	(void)state;
	for (int st = 0; st < ACD_STRATEGY_COUNT; st++)
		assert_int_equal(acd_strategy_parse(acd_strategy_name(st)), st);
	assert_int_equal(acd_strategy_parse("ring_everyone"), -1);
	assert_int_equal(acd_strategy_parse(NULL), -1);
}

static void first_waiting_skips_calls_being_offered(void **state)
{
	(void)state;
	struct qentry e1 = { 0 }, e2 = { 0 }, e3 = { 0 };
	e1.next = &e2;
	e2.prev = &e1;
	e2.next = &e3;
	e3.prev = &e2;
	struct queue q = { .head = &e1, .tail = &e3, .waiting = 3 };
	assert_ptr_equal(router_first_waiting(&q, 100), &e1);
	e1.offering = true;
	assert_ptr_equal(router_first_waiting(&q, 100), &e2);
	e2.offering = e3.offering = true;
	assert_null(router_first_waiting(&q, 100));
}

static void first_waiting_skips_entries_that_declined_until_their_time(void **state)
{
	(void)state;
	struct qentry e1 = { .not_before_ms = 500 }, e2 = { 0 };
	e1.next = &e2;
	e2.prev = &e1;
	struct queue q = { .head = &e1, .tail = &e2, .waiting = 2 };
	assert_ptr_equal(router_first_waiting(&q, 100), &e2);
	assert_ptr_equal(router_first_waiting(&q, 500), &e1);
}

static void first_waiting_leaves_entries_to_their_dedicated_agent(void **state)
{
	(void)state;
	struct qentry e1 = { .prefer_id = "a", .prefer_until_ms = 1000 }, e2 = { 0 };
	e1.next = &e2;
	e2.prev = &e1;
	struct queue q = { .head = &e1, .tail = &e2, .waiting = 2 };
	assert_ptr_equal(router_first_waiting(&q, 100), &e2);
	assert_ptr_equal(router_first_waiting(&q, 1000), &e1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(longest_idle_wins),
		cmocka_unit_test(only_available_agents),
		cmocka_unit_test(ties_break_by_id),
		cmocka_unit_test(a_lower_level_goes_first_with_every_strategy),
		cmocka_unit_test(top_down_takes_the_first_in_order),
		cmocka_unit_test(round_robin_goes_round),
		cmocka_unit_test(fewest_calls_and_least_talk_time),
		cmocka_unit_test(random_chooses_among_the_available_of_the_level),
		cmocka_unit_test(ring_all_takes_every_available_agent_of_the_level),
		cmocka_unit_test(strategy_names),
		cmocka_unit_test(first_waiting_skips_calls_being_offered),
		cmocka_unit_test(first_waiting_skips_entries_that_declined_until_their_time),
		cmocka_unit_test(first_waiting_leaves_entries_to_their_dedicated_agent),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
