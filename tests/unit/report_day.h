/* For the reports' tests (test_web_report.c, test_web_report_window.c): the
 * center's zone, loaded by setup and freed by teardown (a cmocka group's),
 * the test's day and two agents. Include after cmocka.h. */
#ifndef TEST_REPORT_DAY_H
#define TEST_REPORT_DAY_H

#include "fcgi-app/clock.h"
#include "ivr_run.h"

#define A1 "0u000000000000000000000000000001"
#define A2 "0u000000000000000000000000000002"

static struct ivr_tz *sh;	/* Asia/Shanghai */
#define DAY0 1796313600LL	/* 2026-12-04 00:00 there, in s (setup checks it) */

/* ms of h:m:s on the test's day (h may pass 24: the next day, or be
 * negative): a constant, for tables of calls and rows. */
#define T(h, m, s) ((DAY0 + ((h) * 60LL + (m)) * 60 + (s)) * 1000)

static int setup(void **state)
{
	(void)state;
	long long t;
	if (clock_load(&sh, "Asia/Shanghai") || !clock_parse(sh, "2026-12-04", &t))
		return -1;
	return t == DAY0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ivr_tz_free(sh);
	return 0;
}

#endif
