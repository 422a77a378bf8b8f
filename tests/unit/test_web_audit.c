/* The audit log's record of a change (fcgi-app/audit/): an update keeps
 * only what changed, on both sides; secrets are masked, also when they are
 * all that changed; a create and a delete keep the whole row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fcgi-app/audit/audit.h"

static char *dumped(json_t *o)
{
	return json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
}

static void assert_json(json_t *o, const char *want)
{
	char *s = dumped(o);
	assert_string_equal(s, want);
	free(s);
}

static void update_keeps_only_what_changed(void **state)
{
	(void)state;
	json_t *b = json_pack("{s:i, s:s, s:i, s:b}", "id", 3, "name", "Sales", "ring", 20, "on", 1);
	json_t *a = json_pack("{s:i, s:s, s:i, s:b}", "id", 3, "name", "Sales", "ring", 30, "on", 0);
	json_t *bo, *ao;
	audit_diff(b, a, &bo, &ao);
	assert_json(bo, "{\"on\":true,\"ring\":20}");
	assert_json(ao, "{\"on\":false,\"ring\":30}");
	json_decref(bo), json_decref(ao), json_decref(b), json_decref(a);
}

static void members_that_appear_or_vanish_are_kept(void **state)
{
	(void)state;
	json_t *b = json_pack("{s:s}", "old", "x");
	json_t *a = json_pack("{s:s}", "new", "y");
	json_t *bo, *ao;
	audit_diff(b, a, &bo, &ao);
	assert_json(bo, "{\"new\":null,\"old\":\"x\"}");
	assert_json(ao, "{\"new\":\"y\",\"old\":null}");
	json_decref(bo), json_decref(ao), json_decref(b), json_decref(a);
}

static void secrets_are_masked_but_their_change_kept(void **state)
{
	(void)state;
	json_t *b = json_pack("{s:s, s:s}", "sip_password", "old-secret", "name", "a");
	json_t *a = json_pack("{s:s, s:s}", "sip_password", "new-secret", "name", "a");
	json_t *bo, *ao;
	audit_diff(b, a, &bo, &ao);
	char *bs = dumped(bo), *as = dumped(ao);
	assert_null(strstr(bs, "secret"));
	assert_null(strstr(as, "secret"));
	assert_string_equal(as, "{\"sip_password\":\"***\"}");
	free(bs), free(as);
	json_decref(bo), json_decref(ao), json_decref(b), json_decref(a);

	json_t *row = json_pack("{s:s, s:n, s:s}", "password", "p", "secret", "ha1", "x");
	json_t *m = audit_masked(row);
	assert_json(m, "{\"ha1\":\"***\",\"password\":\"***\",\"secret\":null}");
	assert_string_equal(json_string_value(json_object_get(row, "password")), "p");
	json_decref(m), json_decref(row);
	assert_null(audit_masked(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(update_keeps_only_what_changed),
		cmocka_unit_test(members_that_appear_or_vanish_are_kept),
		cmocka_unit_test(secrets_are_masked_but_their_change_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
