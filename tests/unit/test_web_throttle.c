/* The sign-in throttle: a key is refused after max failures within the
 * window, until the lockout ends; and a locked key stays locked whatever
 * else is tried (failures under thousands of fresh names never evict it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "fcgi-app/auth/auth.h"

#define T0 1800000000

static void locks_after_max(void **state)
{
	(void)state;
	struct throttle *t;
	assert_int_equal(throttle_alloc(&t, 5, 600, 900), 0);
	for (int i = 0; i < 4; i++)
		throttle_fail(t, "u:agent1", T0 + i);
	assert_false(throttle_blocked(t, "u:agent1", T0 + 4));
	throttle_fail(t, "u:agent1", T0 + 4);
	assert_true(throttle_blocked(t, "u:agent1", T0 + 5));
	assert_false(throttle_blocked(t, "u:agent2", T0 + 5));
	/* the lockout ends */
	assert_true(throttle_blocked(t, "u:agent1", T0 + 4 + 899));
	assert_false(throttle_blocked(t, "u:agent1", T0 + 4 + 900));
	/* failures older than the window are forgotten */
	for (int i = 0; i < 4; i++)
		throttle_fail(t, "u:agent3", T0 + i);
	throttle_fail(t, "u:agent3", T0 + 700);
	assert_false(throttle_blocked(t, "u:agent3", T0 + 700));
	/* a success clears the count */
	throttle_clear(t, "u:agent3");
	for (int i = 0; i < 4; i++)
		throttle_fail(t, "u:agent3", T0 + 701);
	assert_false(throttle_blocked(t, "u:agent3", T0 + 701));
	throttle_free(t);
}

/* The finding: 2,100 failures under fresh names unlocked a locked account. */
static void lock_survives_fresh_names(void **state)
{
	(void)state;
	struct throttle *t;
	assert_int_equal(throttle_alloc(&t, 5, 600, 900), 0);
	for (int i = 0; i < 5; i++)
		throttle_fail(t, "i:victim", T0);
	assert_true(throttle_blocked(t, "i:victim", T0));
	char key[32];
	for (int i = 0; i < THROTTLE_SLOTS + 1000; i++) {
		snprintf(key, sizeof key, "u:fresh%d", i);
		throttle_fail(t, key, T0 + 1 + i / 100);
	}
	assert_true(throttle_blocked(t, "i:victim", T0 + 60));
	/* unlocked keys made room for each other: the newest still counts */
	assert_false(throttle_blocked(t, key, T0 + 60));
	for (int i = 0; i < 4; i++)
		throttle_fail(t, key, T0 + 60);
	assert_true(throttle_blocked(t, key, T0 + 60));
	throttle_free(t);
}

/* Every slot locked: new keys share the overflow entry; no lock is evicted. */
static void full_of_locks(void **state)
{
	(void)state;
	struct throttle *t;
	assert_int_equal(throttle_alloc(&t, 1, 600, 900), 0);
	char key[32];
	for (int i = 0; i < THROTTLE_SLOTS; i++) {
		snprintf(key, sizeof key, "u:lock%d", i);
		throttle_fail(t, key, T0);
	}
	assert_true(throttle_blocked(t, "u:lock0", T0 + 1));
	assert_false(throttle_blocked(t, "u:newcomer", T0 + 1));
	throttle_fail(t, "u:newcomer", T0 + 1);	/* counted under the overflow entry */
	for (int i = 0; i < THROTTLE_SLOTS; i++) {
		snprintf(key, sizeof key, "u:lock%d", i);
		if (!throttle_blocked(t, key, T0 + 2))
			fail_msg("%s was evicted", key);
	}
	/* the overflow entry is locked: keys without a slot are refused */
	assert_true(throttle_blocked(t, "u:newcomer", T0 + 2));
	assert_true(throttle_blocked(t, "u:another", T0 + 2));
	/* when the locks end, slots are free again */
	assert_false(throttle_blocked(t, "u:lock0", T0 + 1000));
	throttle_fail(t, "u:later", T0 + 1000);
	assert_true(throttle_blocked(t, "u:later", T0 + 1000));	/* max is 1 */
	assert_false(throttle_blocked(t, "u:another", T0 + 1000));
	throttle_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(locks_after_max),
		cmocka_unit_test(lock_survives_fresh_names),
		cmocka_unit_test(full_of_locks),
	};
	return cmocka_run_group_tests_name("web_throttle", tests, NULL, NULL);
}
