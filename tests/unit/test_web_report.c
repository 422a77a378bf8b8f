/* The reports' definitions (fcgi-app/report/fold.c, docs/reports.md): each
 * figure on a small hand-made log with known answers, including calls and
 * states that cross an hour and midnight, a day with a DST change, calls
 * abandoned in the IVR, in the queue and while ringing, an overflow, a
 * call a dead node left, and an outbound task's calls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "fcgi-app/report/report.h"
#include "report_day.h"

static long long H(int h)
{
	return T(h, 0, 0) / 1000;
}

static struct rep_fold *fold_day(void)
{
	struct rep_fold *f = rep_fold_new(sh, T(0, 0, 0), T(24, 0, 0));
	assert_non_null(f);
	return f;
}

static long long v(const struct rep_fold *f, enum rep_dim dim, const char *key, long long hour,
		   enum rep_col c)
{
	const struct rep_bucket *b = rep_fold_find(f, dim, key, hour);
	return b ? b->v[c] : 0;
}

#define CENTER(f, h, c) v(f, REP_CENTER, "", H(h), RC_##c)
#define GROUP(f, g, h, c) v(f, REP_GROUP, g, H(h), RC_##c)
#define AGENT(f, a, h, c) v(f, REP_AGENT, a, H(h), RC_##c)

/* Arrives 10:00:00 on number 7, IVR 5 s, queued in group 1, A1's phone
 * rings 4 s, talk 5 min. */
static void answered_call(void **state)
{
	(void)state;
	struct rep_fold *f = fold_day();
	const struct rep_event ev[] = {
		{ "start", T(10, 0, 0), 0, NULL, "13800138000" },
		{ "enqueue", T(10, 0, 5), 1, NULL, NULL },
		{ "offer", T(10, 0, 8), 1, A1, "1001" },
		{ "ringing", T(10, 0, 8), 1, A1, NULL },
		{ "answer", T(10, 0, 12), 1, A1, NULL },
		{ "end", T(10, 5, 12), 1, A1, "answered" },
	};
	const struct rep_call c = { .id = "c1", .t_start = T(10, 0, 0), .t_enqueue = T(10, 0, 5),
				    .t_answer = T(10, 0, 12), .t_end = T(10, 5, 12),
				    .result = "answered", .end_state = "bridged", .number = 7,
				    .group = 1, .agent = A1, .ev = ev, .nev = 6 };
	assert_int_equal(rep_fold_call(f, &c), 0);
	assert_int_equal(CENTER(f, 10, offered), 1);
	assert_int_equal(CENTER(f, 10, queued), 1);
	assert_int_equal(CENTER(f, 10, handled), 1);
	assert_int_equal(CENTER(f, 10, abandoned), 0);
	assert_int_equal(CENTER(f, 10, wait_n), 1);
	assert_int_equal(CENTER(f, 10, wait_ms), 7000);
	assert_int_equal(CENTER(f, 10, asa_ms), 7000);
	assert_int_equal(CENTER(f, 10, ans_5), 0);
	assert_int_equal(CENTER(f, 10, ans_10), 1);
	assert_int_equal(CENTER(f, 10, ans_120), 1);
	assert_int_equal(CENTER(f, 10, ring_n), 1);
	assert_int_equal(CENTER(f, 10, ring_ms), 4000);
	assert_int_equal(CENTER(f, 10, talk_n), 1);
	assert_int_equal(CENTER(f, 10, talk_ms), 300000);
	assert_int_equal(CENTER(f, 10, talk_max), 300000);
	assert_int_equal(v(f, REP_NUMBER, "7", H(10), RC_handled), 1);
	assert_int_equal(GROUP(f, "1", 10, offered), 1);
	assert_int_equal(GROUP(f, "1", 10, handled), 1);
	assert_int_equal(GROUP(f, "1", 10, asa_ms), 7000);
	assert_int_equal(AGENT(f, A1, 10, offered), 1);
	assert_int_equal(AGENT(f, A1, 10, handled), 1);
	assert_int_equal(AGENT(f, A1, 10, ring_max), 4000);
	assert_int_equal(AGENT(f, A1, 10, talk_ms), 300000);
	/* Nothing in another hour. */
	assert_int_equal(CENTER(f, 11, offered), 0);
	rep_fold_free(f);
}

/* Three calls lost at three stages, each counted once at its stage. */
static void abandoned_by_stage(void **state)
{
	(void)state;
	struct rep_fold *f = fold_day();
	const struct rep_event ivr[] = {
		{ "start", T(9, 0, 0), 0, NULL, NULL },
		{ "ivr", T(9, 0, 0), 0, NULL, "21 start  " },
		{ "ivr", T(9, 0, 3), 0, NULL, "21 start next " },
		{ "ivr", T(9, 0, 3), 0, NULL, "21 menu  " },
		{ "dtmf", T(9, 0, 6), 0, NULL, "9" },
		{ "end", T(9, 0, 9), 0, NULL, "abandoned" },
	};
	const struct rep_call c1 = { .id = "c1", .t_start = T(9, 0, 0), .t_end = T(9, 0, 9),
				     .result = "abandoned", .end_state = "flow", .ev = ivr, .nev = 6 };
	const struct rep_event queue[] = {
		{ "start", T(9, 10, 0), 0, NULL, NULL },
		{ "enqueue", T(9, 10, 1), 2, NULL, NULL },
		{ "end", T(9, 10, 41), 2, NULL, "abandoned" },
	};
	const struct rep_call c2 = { .id = "c2", .t_start = T(9, 10, 0), .t_enqueue = T(9, 10, 1),
				     .t_end = T(9, 10, 41), .result = "abandoned",
				     .end_state = "queued", .group = 2, .ev = queue, .nev = 3 };
	const struct rep_event ring[] = {
		{ "start", T(9, 20, 0), 0, NULL, NULL },
		{ "enqueue", T(9, 20, 1), 2, NULL, NULL },
		{ "offer", T(9, 20, 2), 2, A2, "1002" },
		{ "ringing", T(9, 20, 2), 2, A2, NULL },
		{ "offer_failed", T(9, 20, 9), 2, A2, "caller_gone" },
		{ "end", T(9, 20, 9), 2, NULL, "abandoned" },
	};
	const struct rep_call c3 = { .id = "c3", .t_start = T(9, 20, 0), .t_enqueue = T(9, 20, 1),
				     .t_end = T(9, 20, 9), .result = "abandoned",
				     .end_state = "offering", .group = 2, .ev = ring, .nev = 6 };
	assert_int_equal(rep_fold_call(f, &c1), 0);
	assert_int_equal(rep_fold_call(f, &c2), 0);
	assert_int_equal(rep_fold_call(f, &c3), 0);
	assert_int_equal(CENTER(f, 9, offered), 3);
	assert_int_equal(CENTER(f, 9, queued), 2);
	assert_int_equal(CENTER(f, 9, abandoned), 3);
	assert_int_equal(CENTER(f, 9, abandoned_ivr), 1);
	assert_int_equal(CENTER(f, 9, abandoned_queue), 1);
	assert_int_equal(CENTER(f, 9, abandoned_ring), 1);
	assert_int_equal(CENTER(f, 9, handled), 0);
	/* The queue's waits: 40 s and 8 s, counted in the service level's
	 * denominator (queued) but in no ans_N. */
	assert_int_equal(CENTER(f, 9, wait_ms), 48000);
	assert_int_equal(CENTER(f, 9, wait_max), 40000);
	assert_int_equal(CENTER(f, 9, ans_120), 0);
	assert_int_equal(GROUP(f, "2", 9, abandoned_queue), 1);
	assert_int_equal(GROUP(f, "2", 9, abandoned_ring), 1);
	assert_int_equal(AGENT(f, A2, 9, abandoned_ring), 1);
	assert_int_equal(AGENT(f, A2, 9, ring_ms), 7000);
	/* The IVR: two nodes entered, the caller left in the menu. */
	assert_int_equal(v(f, REP_NODE, "21/start", H(9), RC_offered), 1);
	assert_int_equal(v(f, REP_NODE, "21/menu", H(9), RC_offered), 1);
	assert_int_equal(v(f, REP_NODE, "21/menu", H(9), RC_abandoned_ivr), 1);
	assert_int_equal(v(f, REP_NODE, "21/start", H(9), RC_abandoned), 0);
	rep_fold_free(f);
}

/* 30 s in group 1, then overflow to group 2 answered 10 s later. */
static void overflow(void **state)
{
	(void)state;
	struct rep_fold *f = fold_day();
	const struct rep_event ev[] = {
		{ "start", T(14, 0, 0), 0, NULL, NULL },
		{ "enqueue", T(14, 0, 0), 1, NULL, NULL },
		{ "enqueue", T(14, 0, 30), 2, NULL, NULL },
		{ "offer", T(14, 0, 35), 2, A2, "1002" },
		{ "answer", T(14, 0, 40), 2, A2, NULL },
		{ "end", T(14, 1, 40), 2, A2, "answered" },
	};
	const struct rep_call c = { .id = "c", .t_start = T(14, 0, 0), .t_enqueue = T(14, 0, 30),
				    .t_answer = T(14, 0, 40), .t_end = T(14, 1, 40),
				    .result = "answered", .end_state = "bridged", .group = 2,
				    .agent = A2, .ev = ev, .nev = 6 };
	assert_int_equal(rep_fold_call(f, &c), 0);
	assert_int_equal(CENTER(f, 14, overflowed), 1);
	assert_int_equal(CENTER(f, 14, asa_ms), 40000);
	assert_int_equal(CENTER(f, 14, ans_30), 0);
	assert_int_equal(CENTER(f, 14, ans_45), 1);
	assert_int_equal(GROUP(f, "1", 14, offered), 1);
	assert_int_equal(GROUP(f, "1", 14, overflowed), 1);
	assert_int_equal(GROUP(f, "1", 14, handled), 0);
	assert_int_equal(GROUP(f, "1", 14, wait_ms), 30000);
	assert_int_equal(GROUP(f, "2", 14, offered), 1);
	assert_int_equal(GROUP(f, "2", 14, handled), 1);
	assert_int_equal(GROUP(f, "2", 14, asa_ms), 10000);
	assert_int_equal(GROUP(f, "2", 14, ans_10), 1);
	rep_fold_free(f);
}

/* A call that crosses the hour counts in the hour it arrived; its agent's
 * talk state is split between the hours. A call still going, and one that
 * arrived outside the range, count nowhere. */
static void across_the_hour(void **state)
{
	(void)state;
	struct rep_fold *f = fold_day();
	const struct rep_event ev[] = {
		{ "enqueue", T(10, 59, 40), 1, NULL, NULL },
		{ "offer", T(10, 59, 45), 1, A1, NULL },
		{ "answer", T(10, 59, 50), 1, A1, NULL },
	};
	const struct rep_call c = { .id = "cx", .t_start = T(10, 59, 30), .t_enqueue = T(10, 59, 40),
				    .t_answer = T(10, 59, 50), .t_end = T(11, 10, 0),
				    .result = "answered", .end_state = "bridged", .group = 1,
				    .agent = A1, .ev = ev, .nev = 3 };
	struct rep_call open = c, early = c;
	open.id = "open";
	open.t_end = 0;
	early.id = "early";
	early.t_start = T(-1, 0, 0);
	early.t_end = T(-1, 5, 0);
	assert_int_equal(rep_fold_call(f, &c), 0);
	assert_int_equal(rep_fold_call(f, &open), 0);
	assert_int_equal(rep_fold_call(f, &early), 0);
	assert_int_equal(CENTER(f, 10, handled), 1);
	assert_int_equal(CENTER(f, 11, handled), 0);
	assert_int_equal(CENTER(f, 10, talk_ms), 610000);
	const struct rep_state st[] = {
		{ A1, T(10, 0, 0), "ready", NULL, NULL },
		{ A1, T(10, 59, 45), "reserved", NULL, "cx" },
		{ A1, T(10, 59, 50), "on_call", NULL, "cx" },
		{ A1, T(11, 10, 0), "wrap_up", NULL, "cx" },
		{ A1, T(11, 10, 30), "ready", NULL, NULL },
	};
	assert_int_equal(rep_fold_states(f, st, 5, T(12, 0, 0)), 0);
	assert_int_equal(AGENT(f, A1, 10, st_ready), (59 * 60 + 45) * 1000);
	assert_int_equal(AGENT(f, A1, 10, st_ringing), 5000);
	assert_int_equal(AGENT(f, A1, 10, st_talk), 10000);
	assert_int_equal(AGENT(f, A1, 11, st_talk), 600000);
	assert_int_equal(AGENT(f, A1, 11, st_wrap), 30000);
	assert_int_equal(AGENT(f, A1, 11, st_ready), (49 * 60 + 30) * 1000);
	assert_int_equal(AGENT(f, A1, 10, st_signed_in), 3600000);
	assert_int_equal(AGENT(f, A1, 11, st_signed_in), 3600000);
	/* The wrap-up is the call's: its group's, counted where it began. */
	assert_int_equal(AGENT(f, A1, 11, wrap_n), 1);
	assert_int_equal(AGENT(f, A1, 11, wrap_ms), 30000);
	assert_int_equal(GROUP(f, "1", 11, wrap_ms), 30000);
	assert_int_equal(CENTER(f, 11, wrap_max), 30000);
	rep_fold_free(f);
}

/* Break time by reason, and state time across midnight into the next
 * day's first hour, cut at the range's end. */
static void breaks_and_midnight(void **state)
{
	(void)state;
	struct rep_fold *f = rep_fold_new(sh, T(0, 0, 0), T(48, 0, 0));
	const struct rep_state st[] = {
		{ A2, T(-2, 0, 0), "ready", NULL, NULL },	/* before the range */
		{ A2, T(23, 30, 0), "not_ready", "lunch", NULL },
		{ A2, T(23, 50, 0), "not_ready", "meeting", NULL },
		{ A2, T(24, 20, 0), "logged_out", NULL, NULL },
	};
	assert_int_equal(rep_fold_states(f, st, 4, T(30, 0, 0)), 0);
	assert_int_equal(AGENT(f, A2, 0, st_ready), 3600000);
	assert_int_equal(AGENT(f, A2, 23, st_ready), 30 * 60000);
	assert_int_equal(AGENT(f, A2, 23, st_break), 30 * 60000);
	assert_int_equal(AGENT(f, A2, 24, st_break), 20 * 60000);
	assert_int_equal(AGENT(f, A2, 24, st_signed_in), 20 * 60000);
	assert_int_equal(AGENT(f, A2, 25, st_signed_in), 0);
	size_t n;
	const struct rep_break *b = rep_fold_breaks(f, &n);
	long long lunch = 0, meeting = 0, center = 0;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(b[i].agent, A2) && !strcmp(b[i].reason, "lunch"))
			lunch += b[i].ms;
		if (!strcmp(b[i].agent, A2) && !strcmp(b[i].reason, "meeting"))
			meeting += b[i].ms;
		if (!*b[i].agent)
			center += b[i].ms;
	}
	assert_int_equal(lunch, 20 * 60000);
	assert_int_equal(meeting, 30 * 60000);
	assert_int_equal(center, 50 * 60000);
	/* The day's first hour started at local midnight. */
	char buf[32];
	clock_format(sh, H(24), buf, sizeof buf);
	assert_string_equal(buf, "2026-12-05 00:00:00");
	rep_fold_free(f);
}

/* Europe/Berlin, 2026-10-25: 02:00-03:00 happens twice. A state from 01:30
 * to 03:30 local spans three real hours in four buckets, and two calls at
 * 02:10 CEST and 02:10 CET land in different buckets. */
static void dst_day(void **state)
{
	(void)state;
	struct ivr_tz *be;
	assert_int_equal(clock_load(&be, "Europe/Berlin"), 0);
	long long d0, d1, t130, t230a;
	clock_parse(be, "2026-10-25", &d0);
	clock_parse(be, "2026-10-26", &d1);
	clock_parse(be, "2026-10-25 01:30", &t130);
	clock_parse(be, "2026-10-25 02:30", &t230a);	/* the first, CEST */
	struct rep_fold *f = rep_fold_new(be, d0 * 1000, d1 * 1000);
	const struct rep_state st[] = {
		{ A1, t130 * 1000, "ready", NULL, NULL },
		{ A1, (t130 + 3 * 3600) * 1000, "logged_out", NULL, NULL },
	};
	assert_int_equal(rep_fold_states(f, st, 2, d1 * 1000), 0);
	long long h1 = t130 - 1800, h2a = h1 + 3600, h2b = h1 + 7200, h3 = h1 + 10800;
	assert_int_equal(v(f, REP_AGENT, A1, h1, RC_st_ready), 1800000);
	assert_int_equal(v(f, REP_AGENT, A1, h2a, RC_st_ready), 3600000);
	assert_int_equal(v(f, REP_AGENT, A1, h2b, RC_st_ready), 3600000);
	assert_int_equal(v(f, REP_AGENT, A1, h3, RC_st_ready), 1800000);
	char a[32], b[32];
	clock_format(be, h2a, a, sizeof a);
	clock_format(be, h2b, b, sizeof b);
	assert_string_equal(a, "2026-10-25 02:00:00");
	assert_string_equal(b, "2026-10-25 02:00:00");
	const struct rep_event ev[] = { { "end", 0, 0, NULL, "no_agent" } };
	struct rep_call c = { .id = "d1", .t_start = (t230a - 1200) * 1000, .result = "no_agent",
			      .end_state = "flow", .ev = ev, .nev = 1 };
	c.t_end = c.t_start + 1000;
	assert_int_equal(rep_fold_call(f, &c), 0);
	c.id = "d2";
	c.t_start += 3600 * 1000;
	c.t_end += 3600 * 1000;
	assert_int_equal(rep_fold_call(f, &c), 0);
	assert_int_equal(v(f, REP_CENTER, "", h2a, RC_no_agent), 1);
	assert_int_equal(v(f, REP_CENTER, "", h2b, RC_no_agent), 1);
	rep_fold_free(f);
	ivr_tz_free(be);
}

/* A call a dead node left: no end_state. Closed as failed it counts as
 * failed; one abandoned while its log shows a phone ringing counts as lost
 * while ringing. A repeat caller counts under repeat_24h. */
static void left_by_a_dead_node(void **state)
{
	(void)state;
	struct rep_fold *f = fold_day();
	const struct rep_event ev[] = {
		{ "enqueue", T(16, 0, 1), 3, NULL, NULL },
		{ "offer", T(16, 0, 2), 3, A1, NULL },
	};
	struct rep_call c = { .id = "lost", .t_start = T(16, 0, 0), .t_end = T(16, 2, 0),
			      .result = "failed", .group = 3, .ev = ev, .nev = 2, .repeat = true };
	assert_int_equal(rep_fold_call(f, &c), 0);
	c.id = "lost2";
	c.result = "abandoned";
	c.repeat = false;
	assert_int_equal(rep_fold_call(f, &c), 0);
	assert_int_equal(CENTER(f, 16, failed), 1);
	assert_int_equal(CENTER(f, 16, abandoned_ring), 1);
	assert_int_equal(CENTER(f, 16, repeat_24h), 1);
	assert_int_equal(GROUP(f, "3", 16, offered), 2);
	assert_int_equal(AGENT(f, A1, 16, abandoned_ring), 1);
	rep_fold_free(f);
}

/* An outbound task's attempts: the outcome from the task's log line, the
 * connected one with its talk time; an agent's own call. */
static void outbound(void **state)
{
	(void)state;
	struct rep_fold *f = fold_day();
	const struct rep_event busy[] = { { "task", T(11, 0, 5), 4, NULL, "9 100 1 ended busy" } };
	const struct rep_call c1 = { .id = "t1", .outbound = true, .task = 9, .group = 4,
				     .t_start = T(11, 0, 0), .t_end = T(11, 0, 5),
				     .result = "failed", .ev = busy, .nev = 1 };
	const struct rep_event ok[] = {
		{ "task", T(11, 1, 5), 4, NULL, "9 101 1 answered " },
		{ "answer", T(11, 1, 8), 4, A1, NULL },
		{ "task", T(11, 3, 8), 4, NULL, "9 101 1 ended answered" },
	};
	const struct rep_call c2 = { .id = "t2", .outbound = true, .task = 9, .group = 4,
				     .t_start = T(11, 1, 0), .t_answer = T(11, 1, 8),
				     .t_end = T(11, 3, 8), .result = "answered", .agent = A1,
				     .ev = ok, .nev = 3 };
	const struct rep_call c3 = { .id = "m1", .outbound = true, .t_start = T(11, 5, 0),
				     .t_answer = T(11, 5, 10), .t_end = T(11, 6, 10),
				     .result = "answered", .agent = A2 };
	assert_int_equal(rep_fold_call(f, &c1), 0);
	assert_int_equal(rep_fold_call(f, &c2), 0);
	assert_int_equal(rep_fold_call(f, &c3), 0);
	assert_int_equal(v(f, REP_TASK, "9", H(11), RC_out_placed), 2);
	assert_int_equal(v(f, REP_TASK, "9", H(11), RC_out_busy), 1);
	assert_int_equal(v(f, REP_TASK, "9", H(11), RC_out_answered), 1);
	assert_int_equal(v(f, REP_TASK, "9", H(11), RC_out_connected), 1);
	assert_int_equal(v(f, REP_TASK, "9", H(11), RC_talk_ms), 120000);
	assert_int_equal(CENTER(f, 11, out_placed), 3);
	assert_int_equal(CENTER(f, 11, out_connected), 2);
	/* Outbound calls are not offered inbound calls. */
	assert_int_equal(CENTER(f, 11, offered), 0);
	assert_int_equal(AGENT(f, A2, 11, talk_ms), 60000);
	rep_fold_free(f);
}

/* Two answered calls with a survey key each, one without: responses by
 * key, and satisfaction as key 1's share. */
static void survey(void **state)
{
	(void)state;
	struct rep_fold *f = fold_day();
	const struct rep_event ev[] = { { "enqueue", T(15, 0, 1), 1, NULL, NULL },
					{ "answer", T(15, 0, 3), 1, A1, NULL } };
	struct rep_call c = { .id = "s1", .t_start = T(15, 0, 0), .t_enqueue = T(15, 0, 1),
			      .t_answer = T(15, 0, 3), .t_end = T(15, 2, 0), .result = "answered",
			      .end_state = "bridged", .group = 1, .agent = A1, .ev = ev, .nev = 2,
			      .survey = '1' };
	assert_int_equal(rep_fold_call(f, &c), 0);
	c.id = "s2";
	c.survey = '2';
	assert_int_equal(rep_fold_call(f, &c), 0);
	c.id = "s3";
	c.survey = 0;
	assert_int_equal(rep_fold_call(f, &c), 0);
	assert_int_equal(CENTER(f, 15, survey_n), 2);
	assert_int_equal(AGENT(f, A1, 15, survey_1), 1);
	assert_int_equal(GROUP(f, "1", 15, survey_2), 1);
	double x;
	const struct rep_bucket *b = rep_fold_find(f, REP_CENTER, "", H(15));
	assert_true(rep_metric_value(RM_satisfaction, b->v, 20, &x));
	assert_true(x > 49.9 && x < 50.1);
	rep_fold_free(f);
}

/* Arrives 14:00:00 on number 7, waits 5 s in group 1; A1 answers at
 * 14:00:10, holds 30 s, holds again 20 s and transfers the held caller to
 * A2 (in group 2's line) at 14:02:20; A2 answers at 14:02:25 and talks
 * until 14:04:25. */
static void hold_and_transfer(void **state)
{
	(void)state;
	struct rep_fold *f = fold_day();
	const struct rep_event ev[] = {
		{ "start", T(14, 0, 0), 0, NULL, "13800138000" },
		{ "enqueue", T(14, 0, 5), 1, NULL, NULL },
		{ "offer", T(14, 0, 6), 1, A1, "1001" },
		{ "answer", T(14, 0, 10), 1, A1, NULL },
		{ "hold", T(14, 1, 0), 1, A1, "workbench" },
		{ "resume", T(14, 1, 30), 1, A1, "workbench 30000 ms" },
		{ "mute", T(14, 1, 40), 1, A1, NULL },
		{ "unmute", T(14, 1, 45), 1, A1, NULL },
		{ "hold", T(14, 2, 0), 1, A1, "phone" },
		{ "resume", T(14, 2, 20), 1, A1, "transfer 20000 ms" },
		{ "transfer", T(14, 2, 20), 1, A1, "agent:" A2 " workbench" },
		{ "enqueue", T(14, 2, 20), 2, NULL, NULL },
		{ "offer", T(14, 2, 21), 2, A2, "1002" },
		{ "answer", T(14, 2, 25), 2, A2, NULL },
		{ "end", T(14, 4, 25), 2, A2, "answered" },
	};
	const struct rep_call c = { .id = "x1", .t_start = T(14, 0, 0), .t_enqueue = T(14, 0, 5),
				    .t_answer = T(14, 0, 10), .t_end = T(14, 4, 25),
				    .result = "answered", .end_state = "bridged", .number = 7,
				    .group = 2, .agent = A2, .ev = ev,
				    .nev = sizeof ev / sizeof *ev };
	assert_int_equal(rep_fold_call(f, &c), 0);
	/* The center: one call, two holds, talk = A1's 130 s less 50 s held
	 * + A2's 120 s; one transfer out, one answer after it. */
	assert_int_equal(CENTER(f, 14, offered), 1);
	assert_int_equal(CENTER(f, 14, handled), 1);
	assert_int_equal(CENTER(f, 14, hold_n), 2);
	assert_int_equal(CENTER(f, 14, hold_ms), 50000);
	assert_int_equal(CENTER(f, 14, hold_max), 30000);
	assert_int_equal(CENTER(f, 14, talk_n), 1);
	assert_int_equal(CENTER(f, 14, talk_ms), 200000);
	assert_int_equal(CENTER(f, 14, xfer_out), 1);
	assert_int_equal(CENTER(f, 14, xfer_in), 1);
	/* The transfer's line is not a second wait, nor an overflow. */
	assert_int_equal(CENTER(f, 14, queued), 1);
	assert_int_equal(CENTER(f, 14, wait_ms), 5000);
	assert_int_equal(CENTER(f, 14, overflowed), 0);
	assert_int_equal(CENTER(f, 14, asa_ms), 5000);
	assert_int_equal(v(f, REP_NUMBER, "7", H(14), RC_hold_ms), 50000);
	assert_int_equal(v(f, REP_NUMBER, "7", H(14), RC_xfer_out), 1);
	/* The group that answered it first: its ASA's handled call. */
	assert_int_equal(GROUP(f, "1", 14, handled), 1);
	assert_int_equal(GROUP(f, "1", 14, hold_n), 2);
	assert_int_equal(GROUP(f, "1", 14, xfer_out), 1);
	assert_int_equal(GROUP(f, "1", 14, overflowed), 0);
	assert_int_equal(GROUP(f, "2", 14, offered), 0);
	assert_int_equal(GROUP(f, "2", 14, handled), 0);
	/* A1: its answer to its transfer, less its holds. */
	assert_int_equal(AGENT(f, A1, 14, handled), 1);
	assert_int_equal(AGENT(f, A1, 14, talk_n), 1);
	assert_int_equal(AGENT(f, A1, 14, talk_ms), 80000);
	assert_int_equal(AGENT(f, A1, 14, hold_n), 2);
	assert_int_equal(AGENT(f, A1, 14, hold_ms), 50000);
	assert_int_equal(AGENT(f, A1, 14, hold_max), 30000);
	assert_int_equal(AGENT(f, A1, 14, xfer_out), 1);
	assert_int_equal(AGENT(f, A1, 14, xfer_in), 0);
	/* A2: its answer to the end; rung 4 s. */
	assert_int_equal(AGENT(f, A2, 14, handled), 1);
	assert_int_equal(AGENT(f, A2, 14, talk_ms), 120000);
	assert_int_equal(AGENT(f, A2, 14, hold_n), 0);
	assert_int_equal(AGENT(f, A2, 14, xfer_in), 1);
	assert_int_equal(AGENT(f, A2, 14, xfer_out), 0);
	assert_int_equal(AGENT(f, A2, 14, ring_ms), 4000);
	/* AHT = (talk + hold + wrap-up) ÷ calls talked: 250 s for the one
	 * call; 130 s for A1. */
	double x;
	assert_true(rep_metric_value(RM_aht, rep_fold_find(f, REP_CENTER, "", H(14))->v, 20, &x));
	assert_true(x > 249.9 && x < 250.1);
	assert_true(rep_metric_value(RM_aht, rep_fold_find(f, REP_AGENT, A1, H(14))->v, 20, &x));
	assert_true(x > 129.9 && x < 130.1);
	assert_true(rep_metric_value(RM_xfer_in, rep_fold_find(f, REP_AGENT, A2, H(14))->v, 20, &x));
	assert_true(x > 0.9 && x < 1.1);
	rep_fold_free(f);
}

/* A log from before answer rows were written: the call's agent from the
 * call's answer to its end, as it always was. */
static void without_answer_rows(void **state)
{
	(void)state;
	struct rep_fold *f = fold_day();
	const struct rep_event ev[] = { { "enqueue", T(15, 0, 5), 1, NULL, NULL },
					{ "end", T(15, 5, 10), 1, A1, "answered" } };
	const struct rep_call c = { .id = "o1", .t_start = T(15, 0, 0), .t_enqueue = T(15, 0, 5),
				    .t_answer = T(15, 0, 10), .t_end = T(15, 5, 10),
				    .result = "answered", .end_state = "bridged", .group = 1,
				    .agent = A1, .ev = ev, .nev = 2 };
	assert_int_equal(rep_fold_call(f, &c), 0);
	assert_int_equal(CENTER(f, 15, handled), 1);
	assert_int_equal(CENTER(f, 15, talk_ms), 300000);
	assert_int_equal(GROUP(f, "1", 15, talk_ms), 300000);
	assert_int_equal(AGENT(f, A1, 15, handled), 1);
	assert_int_equal(AGENT(f, A1, 15, talk_n), 1);
	assert_int_equal(AGENT(f, A1, 15, talk_ms), 300000);
	assert_int_equal(CENTER(f, 15, hold_n), 0);
	assert_int_equal(CENTER(f, 15, xfer_in), 0);
	rep_fold_free(f);
}

/* An agent's own outbound call held 30 s: hold for the center and the
 * agent, talk without it; a hold still on at the end ends with the call. */
static void outbound_hold(void **state)
{
	(void)state;
	struct rep_fold *f = fold_day();
	const struct rep_event ev[] = {
		{ "hold", T(16, 0, 20), 0, A2, "workbench" },
		{ "resume", T(16, 0, 50), 0, A2, "workbench 30000 ms" },
		{ "hold", T(16, 1, 0), 0, A2, "phone" },
	};
	const struct rep_call c = { .id = "m2", .outbound = true, .t_start = T(16, 0, 0),
				    .t_answer = T(16, 0, 10), .t_end = T(16, 1, 10),
				    .result = "answered", .agent = A2, .ev = ev, .nev = 3 };
	assert_int_equal(rep_fold_call(f, &c), 0);
	assert_int_equal(CENTER(f, 16, hold_n), 2);
	assert_int_equal(CENTER(f, 16, hold_ms), 40000);
	assert_int_equal(AGENT(f, A2, 16, hold_max), 30000);
	assert_int_equal(AGENT(f, A2, 16, talk_ms), 20000);
	assert_int_equal(CENTER(f, 16, talk_ms), 20000);
	rep_fold_free(f);
}

/* The figures from summed columns, and one with nothing to divide by. */
static void metric_values(void **state)
{
	(void)state;
	long long v[REP_NCOLS] = { 0 };
	double x;
	char buf[32];
	assert_false(rep_metric_value(RM_sl, v, 20, &x));
	rep_metric_format(RM_sl, v, 20, buf, sizeof buf);
	assert_string_equal(buf, "");
	v[RC_queued] = 4;
	v[RC_ans_20] = 3;
	v[RC_ans_10] = 1;
	assert_true(rep_metric_value(RM_sl, v, 20, &x));
	rep_metric_format(RM_sl, v, 20, buf, sizeof buf);
	assert_string_equal(buf, "75.0");
	rep_metric_format(RM_sl, v, 10, buf, sizeof buf);
	assert_string_equal(buf, "25.0");
	v[RC_handled] = 3;
	v[RC_asa_ms] = 4500;
	rep_metric_format(RM_asa, v, 20, buf, sizeof buf);
	assert_string_equal(buf, "1.5");
	v[RC_talk_n] = 2;
	v[RC_talk_ms] = 100000;
	v[RC_wrap_ms] = 20000;
	rep_metric_format(RM_aht, v, 20, buf, sizeof buf);
	assert_string_equal(buf, "60.0");
	v[RC_st_talk] = 3600000;
	v[RC_st_ready] = 3600000;
	rep_metric_format(RM_occupancy, v, 20, buf, sizeof buf);
	assert_string_equal(buf, "50.0");
	rep_metric_format(RM_queued, v, 20, buf, sizeof buf);
	assert_string_equal(buf, "4");
	assert_true(rep_sl_valid(20));
	assert_false(rep_sl_valid(7));
}

/* Every rollup column is a column of the migrations' tables: 015 made
 * them, 018 added the transfers. */
static void migration_has_every_column(void **state)
{
	(void)state;
	static const char *const files[] = { "sql/migrations/015_reports.sql",
					     "sql/migrations/018_report_transfers.sql" };
	static char sql[32768];
	size_t n = 0;
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		FILE *fp = fopen(files[i], "r");
		assert_non_null(fp);
		n += fread(sql + n, 1, sizeof sql - 1 - n, fp);
		fclose(fp);
		assert_true(n < sizeof sql - 1);
	}
	sql[n] = '\0';
	for (int c = 0; c < REP_NCOLS; c++) {
		char want[64];
		snprintf(want, sizeof want, " %s BIGINT NOT NULL", rep_col_name((enum rep_col)c));
		const char *first = strstr(sql, want);
		assert_non_null(first);
		/* in both tables: the hours' and the days' */
		assert_non_null(strstr(first + 1, want));
	}
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(rep_col_name(RC_ans_20), "ans_20");
	assert_true(rep_col_is_max(RC_talk_max));
	assert_false(rep_col_is_max(RC_talk_ms));
	assert_int_equal(rep_dim_parse("group"), REP_GROUP);
	assert_int_equal(rep_dim_parse("groups"), -1);
	assert_int_equal(rep_dim_parse(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answered_call),    cmocka_unit_test(abandoned_by_stage),
		cmocka_unit_test(overflow),	    cmocka_unit_test(across_the_hour),
		cmocka_unit_test(breaks_and_midnight), cmocka_unit_test(dst_day),
		cmocka_unit_test(left_by_a_dead_node), cmocka_unit_test(outbound),
		cmocka_unit_test(survey),	    cmocka_unit_test(hold_and_transfer),
		cmocka_unit_test(without_answer_rows), cmocka_unit_test(outbound_hold),
		cmocka_unit_test(metric_values),
		cmocka_unit_test(migration_has_every_column), cmocka_unit_test(names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
