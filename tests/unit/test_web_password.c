/* The host's password scheme (lower-case hex md5(md5(plain))), its
 * constant-time comparison, and the sign-in throttle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "hash.h"
#include "fcgi-app/auth/auth.h"

static void scheme(void **state)
{
	(void)state;
	char h[33];
	/* the demo's users, as MySQL's MD5(MD5(...)) stores them */
	password_hash("admin1234", h);
	assert_string_equal(h, "5d80253b1cd5e5d4ca5ed539f4d72052");
	password_hash("agent1234", h);
	assert_string_equal(h, "a3200fc0555130d9db777d6f942c431d");
	password_hash("", h);
	assert_string_equal(h, "74be16979710d4c4e7c6647856088456");
	char s[65];
	hash_sha256_hex("abc", 3, s);
	assert_string_equal(s, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void checks(void **state)
{
	(void)state;
	assert_true(password_check("admin1234", "5d80253b1cd5e5d4ca5ed539f4d72052"));
	/* stored upper-case hex still matches */
	assert_true(password_check("admin1234", "5D80253B1CD5E5D4CA5ED539F4D72052"));
	assert_false(password_check("admin1235", "5d80253b1cd5e5d4ca5ed539f4d72052"));
	assert_false(password_check("Admin1234", "5d80253b1cd5e5d4ca5ed539f4d72052"));
	/* the single md5, a plain password, a truncated hash, nothing */
	assert_false(password_check("admin1234", "c93ccd78b2076528346216b3b2f701e6"));
	assert_false(password_check("admin1234", "admin1234"));
	assert_false(password_check("admin1234", "5d80253b1cd5e5d4ca5ed539f4d7205"));
	assert_false(password_check("admin1234", NULL));
	assert_false(password_check(NULL, "5d80253b1cd5e5d4ca5ed539f4d72052"));
	assert_false(password_check("", ""));
	/* an empty password whose hash is stored is still a match of hashes */
	assert_true(password_check("", "74be16979710d4c4e7c6647856088456"));
}

static void equality(void **state)
{
	(void)state;
	assert_true(hash_equal("abc", "abc"));
	assert_false(hash_equal("abc", "abd"));
	assert_false(hash_equal("abc", "ab"));
	assert_false(hash_equal("", "a"));
	assert_true(hash_equal("", ""));
	assert_false(hash_equal(NULL, "a"));
	assert_false(hash_equal("a", NULL));
}

static void throttle(void **state)
{
	(void)state;
	struct throttle *t;
	assert_int_equal(throttle_alloc(&t, 3, 600, 300), 0);
	time_t now = 1000000;
	assert_false(throttle_blocked(t, "u:agent1", now));
	throttle_fail(t, "u:agent1", now);
	throttle_fail(t, "u:agent1", now + 1);
	assert_false(throttle_blocked(t, "u:agent1", now + 2));
	throttle_fail(t, "u:agent1", now + 2);
	assert_true(throttle_blocked(t, "u:agent1", now + 3));
	assert_false(throttle_blocked(t, "u:agent2", now + 3));	/* other keys are free */
	assert_true(throttle_blocked(t, "u:agent1", now + 2 + 299));
	assert_false(throttle_blocked(t, "u:agent1", now + 2 + 300));	/* lockout over */
	/* failures spread beyond the window do not add up */
	throttle_fail(t, "a:10.0.0.1", now);
	throttle_fail(t, "a:10.0.0.1", now + 100);
	throttle_fail(t, "a:10.0.0.1", now + 700);
	assert_false(throttle_blocked(t, "a:10.0.0.1", now + 701));
	/* a success clears the key */
	throttle_fail(t, "u:x", now);
	throttle_fail(t, "u:x", now);
	throttle_clear(t, "u:x");
	throttle_fail(t, "u:x", now);
	assert_false(throttle_blocked(t, "u:x", now));
	/* a full table forgets its stalest keys, never crashes */
	char key[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "a:%d", i);
		throttle_fail(t, key, now + i);
	}
	throttle_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scheme),
		cmocka_unit_test(checks),
		cmocka_unit_test(equality),
		cmocka_unit_test(throttle),
	};
	return cmocka_run_group_tests_name("web_password", tests, NULL, NULL);
}
