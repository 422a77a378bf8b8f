/* The center's time zone: local times to instants and back, the starts of
 * hours, days, weeks and months, across DST changes and in a zone that is
 * not a whole number of hours off UTC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "fcgi-app/clock.h"
#include "ivr_run.h"

static struct ivr_tz *zone(const char *name)
{
	struct ivr_tz *tz = NULL;
	assert_int_equal(clock_load(&tz, name), 0);
	return tz;
}

static void fmt_is(const struct ivr_tz *tz, long long t, const char *want)
{
	char buf[32];
	clock_format(tz, t, buf, sizeof buf);
	assert_string_equal(buf, want);
}

static void shanghai(void **state)
{
	(void)state;
	struct ivr_tz *tz = zone("Asia/Shanghai");
	long long t;
	/* 2026-12-04 00:00 in Shanghai is 2026-12-03 16:00 UTC */
	assert_true(clock_parse(tz, "2026-12-04", &t));
	assert_int_equal(t, 1796313600LL);
	fmt_is(tz, t, "2026-12-04 00:00:00");
	assert_true(clock_parse(tz, "2026-12-04T09:30", &t));
	fmt_is(tz, t, "2026-12-04 09:30:00");
	assert_true(clock_parse(tz, "2026-12-04 09:30:15", &t));
	fmt_is(tz, t, "2026-12-04 09:30:15");
	assert_int_equal(clock_day_start(tz, t), 1796313600LL);
	fmt_is(tz, clock_hour_start(tz, t), "2026-12-04 09:00:00");
	/* 2026-12-04 is a Friday: its ISO week began on Monday the 30th */
	fmt_is(tz, clock_week_start(tz, t), "2026-11-30 00:00:00");
	fmt_is(tz, clock_month_start(tz, t), "2026-12-01 00:00:00");
	ivr_tz_free(tz);
}

static void refuses_bad_dates(void **state)
{
	(void)state;
	struct ivr_tz *tz = zone("UTC");
	long long t = 7;
	const char *bad[] = { "", "2026-13-01", "2026-02-29", "2026-12-04 24:00", "2026-12-4",
			      "2026-12-04X10:00", "2026-12-04 10:00:00:00", "2026-12-04 10:0",
			      "yesterday", "1969-12-31" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_false(clock_parse(tz, bad[i], &t));
	assert_int_equal(t, 7);
	assert_true(clock_parse(tz, "2028-02-29", &t));
	ivr_tz_free(tz);
}

/* Europe/Berlin: 2026-03-29 02:00 CET jumps to 03:00 CEST; 2026-10-25 03:00
 * CEST goes back to 02:00 CET. */
static void dst_days(void **state)
{
	(void)state;
	struct ivr_tz *tz = zone("Europe/Berlin");
	long long a, b;
	assert_true(clock_parse(tz, "2026-03-29", &a));
	assert_true(clock_parse(tz, "2026-03-30", &b));
	assert_int_equal(b - a, 23 * 3600);
	assert_true(clock_parse(tz, "2026-10-25", &a));
	assert_true(clock_parse(tz, "2026-10-26", &b));
	assert_int_equal(b - a, 25 * 3600);
	/* the repeated 02:30 is read as the first one (CEST, UTC+2) */
	assert_true(clock_parse(tz, "2026-10-25 02:30", &a));
	assert_int_equal(a, 1792888200LL);
	/* an hour later it is 02:30 again, in the same local hour's second run */
	fmt_is(tz, a + 3600, "2026-10-25 02:30:00");
	assert_int_equal(clock_hour_start(tz, a + 3600), a + 3600 - 1800);
	assert_int_equal(clock_day_start(tz, a + 3600), clock_day_start(tz, a));
	/* the skipped 02:30 counts from the offset before (CET): 03:30 CEST */
	assert_true(clock_parse(tz, "2026-03-29 02:30", &a));
	fmt_is(tz, a, "2026-03-29 03:30:00");
	ivr_tz_free(tz);
}

static void half_hour_zone(void **state)
{
	(void)state;
	struct ivr_tz *tz = zone("Asia/Kolkata");
	long long t;
	assert_true(clock_parse(tz, "2026-12-04 10:20", &t));
	long long h = clock_hour_start(tz, t);
	fmt_is(tz, h, "2026-12-04 10:00:00");
	assert_int_equal(h % 3600, 1800);	/* 04:30 UTC */
	ivr_tz_free(tz);
}

static void machine_zone(void **state)
{
	(void)state;
	struct ivr_tz *tz = NULL;
	assert_int_equal(clock_load(&tz, ""), 0);
	ivr_tz_free(tz);
	assert_int_equal(clock_load(&tz, "No/Such_Zone"), -1);
	assert_int_equal(clock_load(&tz, "../etc/passwd"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shanghai),	    cmocka_unit_test(refuses_bad_dates),
		cmocka_unit_test(dst_days),	    cmocka_unit_test(half_hour_zone),
		cmocka_unit_test(machine_zone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
