/* The router: who gets the next call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
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

static void longest_idle_wins(void **state)
{
	(void)state;
	struct agent a = mk("a", AGENT_READY, true, 3000);
	struct agent b = mk("b", AGENT_READY, true, 1000);
	struct agent c = mk("c", AGENT_READY, true, 2000);
	struct agent *m[] = { &a, &b, &c };
	assert_ptr_equal(router_pick_agent(m, 3, 10000), &b);
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
	assert_ptr_equal(router_pick_agent(m, 7, 10000), &ok);
	/* Once the block is over, the longer-idle one is back in line. */
	assert_ptr_equal(router_pick_agent(m, 7, 20000), &held);
	/* An agent already reserved for a call is not offered another. */
	ok.owner = &ok;
	held.owner = &held;
	assert_null(router_pick_agent(m, 7, 20000));
	assert_null(router_pick_agent(m, 0, 0));
}

static void ties_break_by_id(void **state)
{
	(void)state;
	struct agent x = mk("x", AGENT_READY, true, 5);
	struct agent y = mk("m", AGENT_READY, true, 5);
	struct agent *m[] = { &x, &y };
	assert_ptr_equal(router_pick_agent(m, 2, 10), &y);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(longest_idle_wins),
		cmocka_unit_test(only_available_agents),
		cmocka_unit_test(ties_break_by_id),
		cmocka_unit_test(first_waiting_skips_calls_being_offered),
		cmocka_unit_test(first_waiting_skips_entries_that_declined_until_their_time),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
