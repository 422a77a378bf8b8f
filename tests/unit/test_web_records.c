/* Call records (fcgi-app/records/): the list's filters read from a query
 * string (defaults, the center's zone, numbers normalized: a whole number
 * exactly, a part as a substring; each bad value
 * refused with its parameter's name) and the keyset cursor written and
 * read back (anything else refused). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi-app/clock.h"
#include "fcgi-app/records/records.h"
#include "ivr_run.h"

static struct arena *a;
static struct ivr_tz *tz;
/* 2026-12-04 10:00:00 in Shanghai (UTC+8). */
#define NOW 1796349600ll
#define DAY 1796313600ll	/* 2026-12-04 00:00 in Shanghai */

static int setup(void **state)
{
	(void)state;
	a = arena_new();
	return a && clock_load(&tz, "Asia/Shanghai") == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(a);
	ivr_tz_free(tz);
	return 0;
}

/* Parses "k=v&k=v" as a query string. */
static const char *parse(const char *qs, struct rec_query *q)
{
	struct kvlist l = { 0 };
	assert_int_equal(url_parse_form(a, qs, strlen(qs), &l), 0);
	return rec_parse(a, &l, tz, &phone_rules_cn, NOW, q);
}

static void defaults_are_today_from_local_midnight(void **state)
{
	(void)state;
	struct rec_query q;
	assert_null(parse("", &q));
	assert_int_equal(q.from, DAY);
	assert_int_equal(q.to, 0);
	assert_int_equal(q.limit, REC_LIMIT);
	assert_int_equal(q.sl, REC_SL_DEFAULT);
	assert_null(q.agent);
	assert_null(q.result);
	assert_null(q.after_id);
	assert_false(q.sl_missed);
	/* Blank fields, as a GET form sends them, are absent. */
	assert_null(parse("from=&to=&number=&agent=&group=&result=&stage=&after=", &q));
	assert_int_equal(q.from, DAY);
	assert_null(q.number);
}

static void dates_are_local_and_to_is_exclusive(void **state)
{
	(void)state;
	struct rec_query q;
	assert_null(parse("from=2026-12-01&to=2026-12-03T08:30", &q));
	assert_int_equal(q.from, DAY - 3 * 86400);
	assert_int_equal(q.to, DAY - 86400 + 8 * 3600 + 1800);
	/* Only an end: the day that holds it. */
	assert_null(parse("to=2026-12-03", &q));
	assert_int_equal(q.from, DAY - 2 * 86400);
	assert_int_equal(q.to, DAY - 86400);
	assert_string_equal(parse("from=2026-12-04&to=2026-12-04", &q), "to");
	assert_string_equal(parse("from=2026-12-05&to=2026-12-04", &q), "to");
	assert_string_equal(parse("from=yesterday", &q), "from");
	assert_string_equal(parse("from=2026-02-30", &q), "from");
	assert_string_equal(parse("to=2026-12-04T25:00", &q), "to");
}

static void numbers_match_normalized_or_in_part(void **state)
{
	(void)state;
	struct rec_query q;
	assert_null(parse("number=%2B86+138+0013+8000", &q));
	assert_string_equal(q.number_norm, "+8613800138000");
	assert_string_equal(q.number_like, "%13800138000%");
	assert_true(q.number_exact);
	assert_null(parse("number=010-12345678", &q));
	assert_string_equal(q.number_norm, "+861012345678");
	assert_string_equal(q.number_like, "%1012345678%");
	assert_true(q.number_exact);
	assert_null(parse("number=13800138000", &q));
	assert_true(q.number_exact);
	/* A part of a number: its digits as typed. */
	assert_null(parse("number=0013", &q));
	assert_string_equal(q.number_like, "%0013%");
	assert_false(q.number_exact);
	assert_null(parse("number=13800138", &q));
	assert_false(q.number_exact);
	assert_null(parse("number=4001", &q));
	assert_string_equal(q.number_like, "%4001%");
	assert_false(q.number_exact);
	assert_string_equal(parse("number=12", &q), "number");
	assert_string_equal(parse("number=138%25", &q), "number");
	assert_string_equal(parse("number=abc123", &q), "number");
	assert_string_equal(parse("number=123456789012345678901234567890123", &q), "number");
}

static void ids_and_choices_are_checked(void **state)
{
	(void)state;
	struct rec_query q;
	assert_null(parse("agent=u-1_A&group=3&number_id=4&task=5&direction=outbound&result=failed",
			  &q));
	assert_string_equal(q.agent, "u-1_A");
	assert_int_equal(q.group, 3);
	assert_int_equal(q.number_id, 4);
	assert_int_equal(q.task, 5);
	assert_string_equal(q.direction, "outbound");
	assert_string_equal(q.result, "failed");
	assert_string_equal(parse("agent=a'b", &q), "agent");
	assert_string_equal(parse("agent=123456789012345678901234567890123", &q), "agent");
	assert_string_equal(parse("group=0", &q), "group");
	assert_string_equal(parse("group=x", &q), "group");
	assert_string_equal(parse("group=-1", &q), "group");
	assert_string_equal(parse("number_id=4294967296", &q), "number_id");
	assert_string_equal(parse("task=1.5", &q), "task");
	assert_string_equal(parse("direction=in", &q), "direction");
	assert_string_equal(parse("result=ANSWERED", &q), "result");
}

static void stage_means_abandoned_and_sl_means_answered(void **state)
{
	(void)state;
	struct rec_query q;
	assert_null(parse("stage=queue", &q));
	assert_string_equal(q.result, "abandoned");
	assert_string_equal(q.stage, "queue");
	assert_null(parse("result=abandoned&stage=ringing", &q));
	assert_string_equal(q.stage, "ringing");
	assert_string_equal(parse("result=answered&stage=ivr", &q), "stage");
	assert_string_equal(parse("stage=menu", &q), "stage");
	assert_null(parse("sl_missed=1&sl=30", &q));
	assert_true(q.sl_missed);
	assert_int_equal(q.sl, 30);
	assert_null(parse("result=answered&sl_missed=1", &q));
	assert_int_equal(q.sl, REC_SL_DEFAULT);
	assert_null(parse("sl_missed=0&result=failed", &q));
	assert_false(q.sl_missed);
	assert_string_equal(parse("result=abandoned&sl_missed=1", &q), "sl_missed");
	assert_string_equal(parse("sl_missed=yes", &q), "sl_missed");
	assert_string_equal(parse("sl=0", &q), "sl");
	assert_string_equal(parse("sl=3601", &q), "sl");
}

static void limit_is_bounded(void **state)
{
	(void)state;
	struct rec_query q;
	assert_null(parse("limit=1", &q));
	assert_int_equal(q.limit, 1);
	assert_null(parse("limit=200", &q));
	assert_int_equal(q.limit, 200);
	assert_string_equal(parse("limit=0", &q), "limit");
	assert_string_equal(parse("limit=201", &q), "limit");
	assert_string_equal(parse("limit=ten", &q), "limit");
}

static void cursors_round_trip(void **state)
{
	(void)state;
	const char *c = rec_cursor(a, 1764813600123ll, "0123456789abcdef0123456789abcdef");
	assert_non_null(c);
	long long ms;
	const char *id;
	assert_true(rec_cursor_read(a, c, &ms, &id));
	assert_int_equal(ms, 1764813600123ll);
	assert_string_equal(id, "0123456789abcdef0123456789abcdef");
	struct rec_query q;
	assert_null(parse(arena_printf(a, "after=%s", c), &q));
	assert_int_equal(q.after_ms, 1764813600123ll);
	assert_string_equal(q.after_id, "0123456789abcdef0123456789abcdef");
	assert_null(rec_cursor(a, 1, "a.b"));
	assert_null(rec_cursor(a, -1, "ab"));
}

static void bad_cursors_are_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"x", "c1.", "c1.123", "c1.123.", "c1..abc", "c2.123.abc", "c1.12a.abc",
		"c1.123.ab'c", "c1.123.a.b", "c1.1234567890123456.abc",
		"c1.1.0123456789abcdef0123456789abcdef0",
	};
	long long ms;
	const char *id;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_false(rec_cursor_read(a, bad[i], &ms, &id));
		struct rec_query q;
		assert_string_equal(parse(arena_printf(a, "after=%s", url_encode(a, bad[i])), &q),
				    "after");
	}
}

static void instants_read_to_the_millisecond(void **state)
{
	(void)state;
	assert_int_equal(rec_ms("1764813600.123"), 1764813600123ll);
	assert_int_equal(rec_ms("1764813600.1"), 1764813600100ll);
	assert_int_equal(rec_ms("1764813600"), 1764813600000ll);
	assert_int_equal(rec_ms("1764813600.123456"), 1764813600123ll);
	assert_int_equal(rec_ms(NULL), -1);
	assert_int_equal(rec_ms("-5"), -1);
	assert_int_equal(rec_ms("12.x"), -1);
	assert_int_equal(rec_secs(1000, 3600), 3);
	assert_int_equal(rec_secs(-1, 3600), -1);
	assert_int_equal(rec_secs(5000, 3000), -1);
	assert_string_equal(rec_stage_of("abandoned", "flow"), "ivr");
	assert_string_equal(rec_stage_of("abandoned", "queued"), "queue");
	assert_string_equal(rec_stage_of("abandoned", "offering"), "ringing");
	assert_null(rec_stage_of("answered", "queued"));
	assert_null(rec_stage_of("abandoned", NULL));
}

static void links_keep_the_filters(void **state)
{
	(void)state;
	struct rec_query q;
	assert_null(parse("from=2026-12-01&number=138+0013&stage=queue&limit=50&sl=30", &q));
	assert_string_equal(rec_href(a, "/cc/records", &q, NULL),
			    "/cc/records?from=2026-12-01&number=138%200013&stage=queue&sl=30");
	assert_string_equal(rec_href(a, "/cc/records", &q, "c1.5.ab"),
			    "/cc/records?from=2026-12-01&number=138%200013&stage=queue&sl=30"
			    "&after=c1.5.ab");
	assert_null(parse("", &q));
	assert_string_equal(rec_href(a, "/cc/records", &q, NULL), "/cc/records");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_today_from_local_midnight),
		cmocka_unit_test(dates_are_local_and_to_is_exclusive),
		cmocka_unit_test(numbers_match_normalized_or_in_part),
		cmocka_unit_test(ids_and_choices_are_checked),
		cmocka_unit_test(stage_means_abandoned_and_sl_means_answered),
		cmocka_unit_test(limit_is_bounded),
		cmocka_unit_test(cursors_round_trip),
		cmocka_unit_test(bad_cursors_are_refused),
		cmocka_unit_test(instants_read_to_the_millisecond),
		cmocka_unit_test(links_keep_the_filters),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
