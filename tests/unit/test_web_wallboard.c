/* The wallboard's settings read from a request (fcgi-app/wallboard/
 * settings.c): a member not sent keeps its value; each value must be a
 * whole number within its bounds (text of a form, a JSON string or
 * integer; a JSON fraction, boolean or null is refused); a red level on
 * the wrong side of its amber one is refused with the red field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi-app/wallboard/wallboard.h"

static struct arena *a;

static int setup(void **state)
{
	(void)state;
	a = arena_new();
	return a ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(a);
	return 0;
}

/* The defaults, as the table has them. */
static struct wb_settings defaults(void)
{
	struct wb_settings s;
#define WB_DEFAULT(n, lo, hi, d, doc) s.v[WB_##n] = d;
	WB_SETTINGS(WB_DEFAULT)
#undef WB_DEFAULT
	return s;
}

/* Parses form fields k=v (NULL-terminated pairs) over the defaults. */
static const char *form(struct wb_settings *s, const char **why, ...)
{
	struct req r = { .a = a };
	va_list ap;
	va_start(ap, why);
	const char *k;
	while ((k = va_arg(ap, const char *)))
		kv_add(a, &r.form, k, va_arg(ap, const char *));
	va_end(ap);
	*s = defaults();
	return wb_settings_parse(&r, s, why);
}

static const char *json(struct wb_settings *s, const char **why, const char *text)
{
	struct req r = { .a = a, .json = json_loads(text, 0, NULL) };
	assert_non_null(r.json);
	*s = defaults();
	const char *f = wb_settings_parse(&r, s, why);
	json_decref(r.json);
	return f;
}

static void kept_and_set(void **state)
{
	(void)state;
	struct wb_settings s;
	const char *why = NULL;
	assert_null(form(&s, &why, NULL));
	assert_int_equal(s.v[WB_sl_target_s], 20);
	assert_int_equal(s.v[WB_wait_amber_s], 30);
	assert_int_equal(s.v[WB_sl_red], 60);
	assert_null(form(&s, &why, "wait_amber_s", "10", "sl_target_s", "600", "sl_red", "0", NULL));
	assert_int_equal(s.v[WB_wait_amber_s], 10);
	assert_int_equal(s.v[WB_sl_target_s], 600);
	assert_int_equal(s.v[WB_sl_red], 0);
	assert_int_equal(s.v[WB_wait_red_s], 60);	/* not sent: kept */
	assert_null(json(&s, &why, "{\"waiting_amber\": 2, \"waiting_red\": \"4\"}"));
	assert_int_equal(s.v[WB_waiting_amber], 2);
	assert_int_equal(s.v[WB_waiting_red], 4);
	assert_string_equal(wb_setting_name(WB_sl_amber), "sl_amber");
	assert_null(wb_setting_name(WB_NSETTINGS));
}

static void refused(void **state)
{
	(void)state;
	struct wb_settings s;
	const char *why = NULL;
	assert_string_equal(form(&s, &why, "sl_target_s", "0", NULL), "sl_target_s");
	assert_string_equal(why, "wallboard.v.range");
	assert_string_equal(form(&s, &why, "sl_target_s", "601", NULL), "sl_target_s");
	assert_string_equal(form(&s, &why, "sl_amber", "abc", NULL), "sl_amber");
	assert_string_equal(form(&s, &why, "sl_amber", "", NULL), "sl_amber");
	assert_string_equal(form(&s, &why, "sl_amber", "8 0", NULL), "sl_amber");
	assert_string_equal(form(&s, &why, "wait_amber_s", "2.5", NULL), "wait_amber_s");
	assert_string_equal(form(&s, &why, "waiting_red", "-1", NULL), "waiting_red");
	assert_string_equal(form(&s, &why, "waiting_red", "99999999999999999999", NULL), "waiting_red");
	assert_string_equal(json(&s, &why, "{\"sl_red\": 2.5}"), "sl_red");
	assert_string_equal(json(&s, &why, "{\"sl_red\": true}"), "sl_red");
	assert_string_equal(json(&s, &why, "{\"sl_red\": null}"), "sl_red");
	assert_string_equal(json(&s, &why, "{\"sl_red\": [1]}"), "sl_red");
}

static void levels_in_order(void **state)
{
	(void)state;
	struct wb_settings s;
	const char *why = NULL;
	assert_string_equal(form(&s, &why, "wait_red_s", "29", NULL), "wait_red_s");
	assert_string_equal(why, "wallboard.v.red_wait");
	assert_null(form(&s, &why, "wait_red_s", "30", NULL));	/* equal: red at once */
	assert_string_equal(form(&s, &why, "waiting_amber", "7", NULL), "waiting_red");
	assert_string_equal(why, "wallboard.v.red_waiting");
	assert_string_equal(form(&s, &why, "sl_red", "81", NULL), "sl_red");
	assert_string_equal(why, "wallboard.v.red_sl");
	assert_null(form(&s, &why, "sl_red", "90", "sl_amber", "95", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(kept_and_set, setup, teardown),
		cmocka_unit_test_setup_teardown(refused, setup, teardown),
		cmocka_unit_test_setup_teardown(levels_in_order, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
