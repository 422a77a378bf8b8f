/* Outbound tasks in the console (fcgi-app/task/): a targets file read
 * (the number column found or refused, numbers normalized as contacts
 * are, bad rows with their lines and reasons, duplicates and do-not-call
 * numbers dropped and counted, the other columns kept as JSON data, the
 * whole file refused when it is not UTF-8, empty, malformed or too big)
 * and a new task's settings read from a request (defaults, bounds, each
 * refusal with its field). */
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

static const char *load(const char *text, const struct tk_set *dnc, struct tk_load *out,
			size_t *line)
{
	return tk_csv_load(a, text, strlen(text), &phone_rules_cn, dnc, out, line);
}

static void header_names_the_number_column(void **state)
{
	(void)state;
	struct tk_load l;
	size_t line;
	assert_null(load("姓名,电话,订单号\r\n陈小明,138 0013 8000,A-1\r\n\"王, 大\",+86 139-0000-0001,\r\n",
			 NULL, &l, &line));
	assert_int_equal(l.rows, 2);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.t[0].number, "+8613800138000");
	assert_int_equal(l.t[0].line, 2);
	assert_string_equal(l.t[0].data, "{\"姓名\":\"陈小明\",\"订单号\":\"A-1\"}");
	assert_string_equal(l.t[1].number, "+8613900000001");
	assert_string_equal(l.t[1].data, "{\"姓名\":\"王, 大\"}");
	/* English names, any case; a BOM is skipped. */
	assert_null(load("\xEF\xBB\xBFName,NUMBER\nx,13900000002\n", NULL, &l, &line));
	assert_int_equal(l.n, 1);
	assert_string_equal(l.t[0].number, "+8613900000002");
	assert_string_equal(l.t[0].data, "{\"Name\":\"x\"}");
}

static void without_header_the_first_column(void **state)
{
	(void)state;
	struct tk_load l;
	size_t line;
	assert_null(load("13800138000,甲\n13900000001\n", NULL, &l, &line));
	assert_int_equal(l.n, 2);
	assert_int_equal(l.t[0].line, 1);
	assert_string_equal(l.t[0].data, "{\"col2\":\"甲\"}");
	assert_null(l.t[1].data);
	/* A short service number keeps its digits, as contacts do. */
	assert_null(load("95588\n", NULL, &l, &line));
	assert_string_equal(l.t[0].number, "95588");
}

/* Excel in China saves CSV as GBK: read as the agents' import reads it. */
static void gbk_files_read(void **state)
{
	(void)state;
	struct tk_load l;
	size_t line;
	/* 电话,姓名 / 13900000001,张三 in GBK */
	assert_null(load("\xb5\xe7\xbb\xb0,\xd0\xd5\xc3\xfb\r\n13900000001,\xd5\xc5\xc8\xfd\r\n", NULL,
			 &l, &line));
	assert_int_equal(l.n, 1);
	assert_string_equal(l.t[0].number, "+8613900000001");
	assert_string_equal(l.t[0].data, "{\"姓名\":\"张三\"}");
}

static void bad_rows_counted_with_lines(void **state)
{
	(void)state;
	struct tk_load l;
	size_t line;
	struct tk_set *dnc = tk_set_new(a, 4);
	assert_int_equal(tk_set_add(dnc, "+8613900000003"), 1);
	assert_int_equal(tk_set_add(dnc, "+8613900000003"), 0);
	assert_null(load("number,name\n"
			 "13900000001,a\n"	/* 2 */
			 "abc,b\n"		/* 3 bad number */
			 ",c\n"			/* 4 empty */
			 "\n"			/* blank: skipped */
			 "139 0000 0001,d\n"	/* 6 duplicate */
			 "13900000003,e\n"	/* 7 do-not-call */
			 "13900000004,f,g\n"	/* 8 more cells than the header */
			 "13900000005,\"line\nbreak\"\n"	/* 9 a control character */
			 "13900000006,ok\n",	/* 11 */
			 dnc, &l, &line));
	assert_int_equal(l.rows, 8);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.bad, 4);
	assert_int_equal(l.duplicate, 1);
	assert_int_equal(l.dnc, 1);
	assert_int_equal(l.nerrors, 4);
	size_t lines[] = { 3, 4, 8, 9 };
	const char *keys[] = { "task.load.bad_number", "task.load.bad_empty", "task.load.bad_cells",
			       "task.load.bad_cell" };
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(l.errors[i].line, lines[i]);
		assert_string_equal(l.errors[i].key, keys[i]);
	}
	assert_int_equal(l.t[1].line, 11);
}

static void whole_file_refused(void **state)
{
	(void)state;
	struct tk_load l;
	size_t line;
	assert_string_equal(load("", NULL, &l, &line), "task.load.empty");
	assert_string_equal(load("\n\r\n", NULL, &l, &line), "task.load.empty");
	assert_string_equal(load("number\n", NULL, &l, &line), "task.load.empty");
	/* Bytes neither UTF-8 nor GBK: refused with their line. */
	assert_string_equal(load("number\n13900000001\n\x81\x01\n", NULL, &l, &line),
			    "task.load.encoding");
	assert_int_equal(line, 3);
	assert_string_equal(load("姓名,城市\n张三,北京\n", NULL, &l, &line), "task.load.no_number");
	assert_int_equal(line, 1);
	assert_string_equal(load("number\n13900000001\n\"13900000002\n", NULL, &l, &line),
			    "task.load.malformed");
	assert_int_equal(line, 3);
	/* More rows than allowed: refused whole. */
	size_t n = (size_t)TK_ROWS_MAX + 1;
	char *big = malloc(n * 3 + 1);
	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		memcpy(big + i * 3, "1,\n", 3);
	big[n * 3] = '\0';
	assert_string_equal(tk_csv_load(a, big, n * 3, &phone_rules_cn, NULL, &l, &line),
			    "task.load.too_many");
	free(big);
}

static void many_targets_deduplicated(void **state)
{
	(void)state;
	size_t n = 20000;
	char *text = malloc(n * 2 * 14 + 16);
	assert_non_null(text);
	size_t len = (size_t)sprintf(text, "number\n");
	for (size_t i = 0; i < n * 2; i++)	/* every number twice */
		len += (size_t)sprintf(text + len, "1390%07zu\n", i % n);
	struct tk_load l;
	size_t line;
	assert_null(tk_csv_load(a, text, len, &phone_rules_cn, NULL, &l, &line));
	free(text);
	assert_int_equal(l.n, n);
	assert_int_equal(l.duplicate, n);
	assert_string_equal(l.t[n - 1].number, "+8613900019999");
}

/* --- settings ------------------------------------------------------------------ */

struct params {
	const char *k[16], *v[16];
};

static const char *get(void *arg, const char *name)
{
	struct params *p = arg;
	for (size_t i = 0; i < 16 && p->k[i]; i++)
		if (!strcmp(p->k[i], name))
			return p->v[i];
	return NULL;
}

static const char *read_with(const char *k, const char *v, struct tk_input *in, const char **field)
{
	struct params p = { { "name", "skill_group_id", "caller_id_number_id", k },
			    { "任务一", "1", "7", v } };
	return tk_input_read(get, &p, in, field);
}

static void settings_defaults(void **state)
{
	(void)state;
	struct tk_input in;
	const char *field = NULL;
	assert_null(read_with(NULL, NULL, &in, &field));
	assert_string_equal(in.name, "任务一");
	assert_int_equal(in.group_id, 1);
	assert_int_equal(in.number_id, 7);
	assert_int_equal(in.max_concurrency, 10);
	assert_int_equal(in.agent_ratio, 100);
	assert_int_equal(in.pacing, TASK_PACING_RATIO);
	assert_int_equal(in.abandon_target, TASK_ABANDON_DEFAULT);
	assert_int_equal(in.retry.max_attempts, 3);
	assert_int_equal(in.retry.min_interval_s, 1800);
	char r[64];
	tk_results_format(in.retry.results, r, sizeof r);
	assert_string_equal(r, "no_answer,busy,failed");
	assert_string_equal(in.hours, "");
	assert_string_equal(in.time_zone, "Asia/Shanghai");
	assert_string_equal(in.source, "csv");
}

static void settings_values(void **state)
{
	(void)state;
	struct tk_input in;
	const char *field;
	assert_null(read_with("agent_ratio", "1.5", &in, &field));
	assert_int_equal(in.agent_ratio, 150);
	assert_null(read_with("abandon_target", "2.5", &in, &field));
	assert_int_equal(in.abandon_target, 25);
	assert_null(read_with("pacing", "predictive", &in, &field));
	assert_int_equal(in.pacing, TASK_PACING_PREDICTIVE);
	assert_null(read_with("retry_results", "busy, rejected", &in, &field));
	assert_int_equal(in.retry.results, (1u << TASK_R_BUSY) | (1u << TASK_R_REJECTED));
	assert_null(read_with("hours", "mon-fri 09:00-18:00, sat 10:00-16:00", &in, &field));
	assert_null(read_with("source", "contacts", &in, &field));
}

static void settings_refused(void **state)
{
	(void)state;
	static const struct {
		const char *k, *v, *field, *key;
	} cases[] = {
		{ "max_concurrency", "0", "max_concurrency", "task.invalid.concurrency" },
		{ "max_concurrency", "501", "max_concurrency", "task.invalid.concurrency" },
		{ "max_concurrency", "1e3", "max_concurrency", "task.invalid.concurrency" },
		{ "agent_ratio", "0.99", "agent_ratio", "task.invalid.ratio" },
		{ "agent_ratio", "1.005", "agent_ratio", "task.invalid.ratio" },
		{ "agent_ratio", "10.01", "agent_ratio", "task.invalid.ratio" },
		{ "agent_ratio", "-1", "agent_ratio", "task.invalid.ratio" },
		{ "abandon_target", "0", "abandon_target", "task.invalid.abandon" },
		{ "abandon_target", "10.5", "abandon_target", "task.invalid.abandon" },
		{ "pacing", "fast", "pacing", "task.invalid.pacing" },
		{ "max_attempts", "0", "max_attempts", "task.invalid.attempts" },
		{ "max_attempts", "11", "max_attempts", "task.invalid.attempts" },
		{ "min_interval_s", "604801", "min_interval_s", "task.invalid.interval" },
		{ "retry_results", "answered", "retry_results", "task.invalid.retry_result" },
		{ "retry_results", "busy,later", "retry_results", "task.invalid.retry_result" },
		{ "hours", "mon 25:00-26:00", "hours", "task.invalid.hours" },
		{ "source", "ftp", "source", "task.invalid.source" },
		{ "skill_group_id", "x", "skill_group_id", "task.invalid.group" },
		{ "caller_id_number_id", "0", "caller_id_number_id", "task.invalid.caller_id" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct tk_input in;
		const char *field = NULL;
		/* A later parameter of the same name is not read: put it first. */
		struct params p = { { cases[i].k, "name", "skill_group_id", "caller_id_number_id" },
				    { cases[i].v, "任务一", "1", "7" } };
		const char *e = tk_input_read(get, &p, &in, &field);
		if (!e || strcmp(e, cases[i].key) || strcmp(field, cases[i].field))
			fail_msg("%s=%s: got %s (%s), want %s (%s)", cases[i].k, cases[i].v,
				 e ? e : "NULL", field ? field : "-", cases[i].key, cases[i].field);
	}
	struct params p = { { "skill_group_id", "caller_id_number_id" }, { "1", "7" } };
	struct tk_input in;
	const char *field;
	assert_string_equal(tk_input_read(get, &p, &in, &field), "task.invalid.name");
	assert_string_equal(field, "name");
}

static void decimals(void **state)
{
	(void)state;
	unsigned v;
	assert_int_equal(tk_decimal("1", 2, &v), 0);
	assert_int_equal(v, 100);
	assert_int_equal(tk_decimal("2.25", 2, &v), 0);
	assert_int_equal(v, 225);
	assert_int_equal(tk_decimal("3.5", 1, &v), 0);
	assert_int_equal(v, 35);
	assert_int_equal(tk_decimal("1.", 2, &v), -1);
	assert_int_equal(tk_decimal(".5", 2, &v), -1);
	assert_int_equal(tk_decimal("1.5x", 2, &v), -1);
	assert_int_equal(tk_decimal("", 2, &v), -1);
	assert_int_equal(tk_decimal(NULL, 2, &v), -1);
	assert_int_equal(tk_decimal("99999999999", 2, &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_names_the_number_column),
		cmocka_unit_test(without_header_the_first_column),
		cmocka_unit_test(gbk_files_read),
		cmocka_unit_test(bad_rows_counted_with_lines),
		cmocka_unit_test(whole_file_refused),
		cmocka_unit_test(many_targets_deduplicated),
		cmocka_unit_test(settings_defaults),
		cmocka_unit_test(settings_values),
		cmocka_unit_test(settings_refused),
		cmocka_unit_test(decimals),
	};
	return cmocka_run_group_tests_name("web_task", tests, setup, teardown);
}
