/* 免打扰号码 (fcgi-app/task/dnc.c): the numbers typed one a line, read as
 * targets are (the web app's phone rules), bad lines with their line
 * numbers and reason, blank lines skipped, repeats counted once, the
 * whole text refused when it holds no number or too many lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi-app/task/tasks.h"

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

static const char *parse(const char *text, struct tk_dnc_lines *out)
{
	return tk_dnc_parse(a, text, &phone_rules_cn, out);
}

static void numbers_in_common_forms(void **state)
{
	(void)state;
	struct tk_dnc_lines l;
	assert_null(parse("138 0013 8000\r\n  +86 139-0000-0001\t\n(021) 6000 0001\n95588", &l));
	assert_int_equal(l.lines, 4);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.bad, 0);
	assert_int_equal(l.duplicate, 0);
	assert_string_equal(l.number[0], "+8613800138000");
	assert_string_equal(l.number[1], "+8613900000001");
	assert_string_equal(l.number[2], "+862160000001");
	assert_string_equal(l.number[3], "95588");
}

static void bad_lines_by_line(void **state)
{
	(void)state;
	struct tk_dnc_lines l;
	assert_null(parse("13800138000\n\n   \nabc\n13900000001\n1234567890123456789012345678901234567\n", &l));
	assert_int_equal(l.lines, 4);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.bad, 2);
	assert_int_equal(l.nerrors, 2);
	assert_int_equal(l.errors[0].line, 4);
	assert_string_equal(l.errors[0].key, "task.dnc.bad_number");
	assert_int_equal(l.errors[1].line, 6);
	assert_string_equal(l.number[1], "+8613900000001");
}

static void repeats_once(void **state)
{
	(void)state;
	struct tk_dnc_lines l;
	assert_null(parse("13800138000\n+86 138 0013 8000\n8613800138000\n13800138000\n", &l));
	assert_int_equal(l.n, 1);
	assert_int_equal(l.lines, 4);
	assert_int_equal(l.duplicate, 3);
}

static void only_bad_lines_are_read(void **state)
{
	(void)state;
	struct tk_dnc_lines l;
	/* Not refused whole: the caller answers with the lines and stores nothing. */
	assert_null(parse("x\ny\n", &l));
	assert_int_equal(l.n, 0);
	assert_int_equal(l.bad, 2);
}

static void refused_whole(void **state)
{
	(void)state;
	struct tk_dnc_lines l;
	assert_string_equal(parse("", &l), "task.dnc.empty");
	assert_string_equal(parse(" \r\n\n\t\n", &l), "task.dnc.empty");
	assert_string_equal(parse(NULL, &l), "task.dnc.empty");
	size_t n = TK_DNC_MAX + 1;
	char *big = malloc(n * 13 + 1), *p = big;
	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "139%08zu\n", i);
	assert_string_equal(parse(big, &l), "task.dnc.too_many");
	/* Exactly the maximum is read, blank lines aside. */
	big[(n - 1) * 12] = '\0';
	char *text = malloc(strlen(big) + 8);
	assert_non_null(text);
	sprintf(text, "\n\n%s\n\n", big);
	assert_null(parse(text, &l));
	assert_int_equal(l.n, TK_DNC_MAX);
	assert_int_equal(l.lines, TK_DNC_MAX);
	free(text);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(numbers_in_common_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_lines_by_line, setup, teardown),
		cmocka_unit_test_setup_teardown(repeats_once, setup, teardown),
		cmocka_unit_test_setup_teardown(only_bad_lines_are_read, setup, teardown),
		cmocka_unit_test_setup_teardown(refused_whole, setup, teardown),
	};
	return cmocka_run_group_tests_name("web_task_dnc", tests, NULL, NULL);
}
