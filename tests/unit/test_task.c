/* The outbound task's lifecycle (common/task.h), rule by rule of the seed
 * (docs/outbound.md): every state and action, allowed or refused with its
 * reason; targets' retries; calling hours in two zones; completion. The
 * clock is the tests' own: every time is a fixed instant. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ivr_run.h"
#include "common/task.h"

/* 2024-03-04 00:00:00 UTC, a Monday. */
#define MON_UTC 1709510400LL
#define H 3600LL
#define DAY 86400LL

/* What each state and action must give, written out from the seed apart
 * from the table in task.c: the next state and effects, or the refusal. */
struct expect {
	enum task_state s;
	enum task_action a;
	const char *refuse;
	enum task_state next;
	unsigned effects;
};

static const struct expect expected[] = {
	/* "初始化"的呼叫计划不能"删除"，不能"开始"，也不能"暂停"；自动转移到"已停止" */
	{ TASK_INIT, TASK_A_START, "task.refuse.init_start", 0, 0 },
	{ TASK_INIT, TASK_A_STOP, "task.refuse.init_stop", 0, 0 },
	{ TASK_INIT, TASK_A_EDIT, "task.refuse.init_edit", 0, 0 },
	{ TASK_INIT, TASK_A_DELETE, "task.refuse.init_delete", 0, 0 },
	{ TASK_INIT, TASK_A_MONITOR, NULL, TASK_INIT, 0 },
	{ TASK_INIT, TASK_A_LOADED, NULL, TASK_STOPPED, 0 },
	{ TASK_INIT, TASK_A_DONE, "task.refuse.not_running", 0, 0 },
	/* 开始; 只有已停止的任务才可以编辑; 删除之后进入已删除任务 */
	{ TASK_STOPPED, TASK_A_START, NULL, TASK_RUNNING, TASK_FX_DIAL },
	{ TASK_STOPPED, TASK_A_STOP, "task.refuse.already_stopped", 0, 0 },
	{ TASK_STOPPED, TASK_A_EDIT, NULL, TASK_STOPPED, TASK_FX_SETTINGS },
	{ TASK_STOPPED, TASK_A_DELETE, NULL, TASK_DELETED, TASK_FX_ARCHIVE },
	{ TASK_STOPPED, TASK_A_MONITOR, NULL, TASK_STOPPED, 0 },
	{ TASK_STOPPED, TASK_A_LOADED, "task.refuse.not_init", 0, 0 },
	{ TASK_STOPPED, TASK_A_DONE, "task.refuse.not_running", 0, 0 },
	/* 已经开始了任务，此按钮将不能再被触发; 执行中不能编辑; 执行中的计划会先停止，再删除;
	 * 打完所有电话后，自动转移到已停止 */
	{ TASK_RUNNING, TASK_A_START, "task.refuse.already_running", 0, 0 },
	{ TASK_RUNNING, TASK_A_STOP, NULL, TASK_STOPPED, TASK_FX_HALT },
	{ TASK_RUNNING, TASK_A_EDIT, "task.refuse.running_edit", 0, 0 },
	{ TASK_RUNNING, TASK_A_DELETE, NULL, TASK_DELETED, TASK_FX_HALT | TASK_FX_ARCHIVE },
	{ TASK_RUNNING, TASK_A_MONITOR, NULL, TASK_RUNNING, 0 },
	{ TASK_RUNNING, TASK_A_LOADED, "task.refuse.not_init", 0, 0 },
	{ TASK_RUNNING, TASK_A_DONE, NULL, TASK_STOPPED, TASK_FX_HALT },
	/* 已删除任务: kept for analysis, nothing but viewing */
	{ TASK_DELETED, TASK_A_START, "task.refuse.deleted", 0, 0 },
	{ TASK_DELETED, TASK_A_STOP, "task.refuse.deleted", 0, 0 },
	{ TASK_DELETED, TASK_A_EDIT, "task.refuse.deleted", 0, 0 },
	{ TASK_DELETED, TASK_A_DELETE, "task.refuse.deleted", 0, 0 },
	{ TASK_DELETED, TASK_A_MONITOR, NULL, TASK_DELETED, 0 },
	{ TASK_DELETED, TASK_A_LOADED, "task.refuse.deleted", 0, 0 },
	{ TASK_DELETED, TASK_A_DONE, "task.refuse.deleted", 0, 0 },
};

static const struct task_guard ready = { .agents_ready = 2, .remaining = 10 };

static void every_state_and_action(void **state)
{
	(void)state;
	bool seen[TASK_STATE_COUNT][TASK_ACTION_COUNT] = { { false } };
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		const struct expect *e = &expected[i];
		seen[e->s][e->a] = true;
		struct task_step step = { .next = TASK_STATE_COUNT, .effects = 0xdead };
		const char *why = task_apply(e->s, e->a, &ready, &step);
		if (e->refuse) {
			if (!why || strcmp(why, e->refuse))
				fail_msg("%s in %s: want %s, got %s", task_action_name(e->a),
					 task_state_name(e->s), e->refuse, why ? why : "allowed");
			/* A refusal leaves the step alone. */
			assert_int_equal(step.next, TASK_STATE_COUNT);
			assert_int_equal(step.effects, 0xdead);
			assert_false(task_allows(e->s, e->a));
		} else {
			if (why)
				fail_msg("%s in %s refused: %s", task_action_name(e->a),
					 task_state_name(e->s), why);
			assert_int_equal(step.next, e->next);
			assert_int_equal(step.effects, e->effects);
			assert_true(task_allows(e->s, e->a));
		}
	}
	/* The list above covers the whole table. */
	for (int s = 0; s < TASK_STATE_COUNT; s++)
		for (int a = 0; a < TASK_ACTION_COUNT; a++)
			if (!seen[s][a])
				fail_msg("no expectation for %s in %s",
					 task_action_name((enum task_action)a),
					 task_state_name((enum task_state)s));
	/* Out of range: refused, never read past the table. */
	struct task_step step;
	assert_string_equal(task_apply(TASK_STATE_COUNT, TASK_A_START, NULL, &step),
			    "task.refuse.unknown");
	assert_string_equal(task_apply(TASK_STOPPED, TASK_ACTION_COUNT, NULL, &step),
			    "task.refuse.unknown");
	assert_false(task_allows(TASK_STATE_COUNT, TASK_A_MONITOR));
}

/* 初始化: cannot be deleted, started or paused; moves to 已停止 by itself. */
static void initializing_then_stopped(void **state)
{
	(void)state;
	struct task_step step;
	assert_non_null(task_apply(TASK_INIT, TASK_A_DELETE, &ready, &step));
	assert_non_null(task_apply(TASK_INIT, TASK_A_START, &ready, &step));
	assert_non_null(task_apply(TASK_INIT, TASK_A_STOP, &ready, &step));
	assert_null(task_apply(TASK_INIT, TASK_A_LOADED, NULL, &step));
	assert_int_equal(step.next, TASK_STOPPED);
	/* Then it may start. */
	assert_null(task_apply(step.next, TASK_A_START, &ready, &step));
	assert_int_equal(step.next, TASK_RUNNING);
}

/* 开始 cannot be triggered on a started task; it needs an agent signed in
 * with a phone and a target left. */
static void start_and_its_guards(void **state)
{
	(void)state;
	struct task_step step;
	struct task_guard g = { .agents_ready = 0, .remaining = 5 };
	assert_string_equal(task_apply(TASK_STOPPED, TASK_A_START, &g, &step),
			    "task.refuse.no_agent");
	g.agents_ready = 1;
	g.remaining = 0;
	assert_string_equal(task_apply(TASK_STOPPED, TASK_A_START, &g, &step),
			    "task.refuse.nothing_left");
	g.remaining = 1;
	assert_null(task_apply(TASK_STOPPED, TASK_A_START, &g, &step));
	assert_int_equal(step.next, TASK_RUNNING);
	assert_true(step.effects & TASK_FX_DIAL);
	/* The state's refusal comes before the guards'. */
	g.agents_ready = 0;
	assert_string_equal(task_apply(TASK_RUNNING, TASK_A_START, &g, &step),
			    "task.refuse.already_running");
	assert_string_equal(task_apply(TASK_INIT, TASK_A_START, &g, &step),
			    "task.refuse.init_start");
	/* Guards concern start only: stop needs no agent. */
	assert_null(task_apply(TASK_RUNNING, TASK_A_STOP, &g, &step));
}

/* 停止 stops a running task (calls up finish, no new ones), then cannot be
 * triggered again. */
static void stop_then_not_again(void **state)
{
	(void)state;
	struct task_step step;
	assert_null(task_apply(TASK_RUNNING, TASK_A_STOP, &ready, &step));
	assert_int_equal(step.next, TASK_STOPPED);
	assert_int_equal(step.effects, TASK_FX_HALT);
	assert_string_equal(task_apply(step.next, TASK_A_STOP, &ready, &step),
			    "task.refuse.already_stopped");
}

/* 编辑: only a stopped task, only 最大并发数 and 坐席并发比; never the numbers
 * or the skill group. */
static void edit_two_fields_of_a_stopped_task(void **state)
{
	(void)state;
	for (int f = 0; f < TASK_FIELD_COUNT; f++) {
		const char *why = task_edit_check(TASK_STOPPED, (enum task_field)f);
		bool may = f == TASK_F_MAX_CONCURRENCY || f == TASK_F_AGENT_RATIO;
		if (may)
			assert_null(why);
		else
			assert_string_equal(why, "task.refuse.field_fixed");
		assert_int_equal(task_field_editable((enum task_field)f), may);
		assert_string_equal(task_edit_check(TASK_RUNNING, (enum task_field)f),
				    "task.refuse.running_edit");
		assert_string_equal(task_edit_check(TASK_INIT, (enum task_field)f),
				    "task.refuse.init_edit");
		assert_string_equal(task_edit_check(TASK_DELETED, (enum task_field)f),
				    "task.refuse.deleted");
	}
	assert_string_equal(task_edit_check(TASK_STOPPED, TASK_F_TARGETS), "task.refuse.field_fixed");
	assert_string_equal(task_edit_check(TASK_STOPPED, TASK_F_SKILL_GROUP),
			    "task.refuse.field_fixed");
	assert_int_equal(task_field_parse("max_concurrency"), TASK_F_MAX_CONCURRENCY);
	assert_int_equal(task_field_parse("agent_ratio"), TASK_F_AGENT_RATIO);
	assert_int_equal(task_field_parse("phone"), -1);
	assert_false(task_field_editable(TASK_FIELD_COUNT));
}

/* 删除: any state but 初始化; a running task is stopped first; the task goes
 * to 已删除任务 with its data. */
static void delete_stops_first_and_archives(void **state)
{
	(void)state;
	struct task_step step;
	assert_null(task_apply(TASK_RUNNING, TASK_A_DELETE, &ready, &step));
	assert_int_equal(step.next, TASK_DELETED);
	assert_true(step.effects & TASK_FX_HALT);
	assert_true(step.effects & TASK_FX_ARCHIVE);
	assert_null(task_apply(TASK_STOPPED, TASK_A_DELETE, &ready, &step));
	assert_int_equal(step.effects, TASK_FX_ARCHIVE);
	assert_string_equal(task_apply(TASK_INIT, TASK_A_DELETE, &ready, &step),
			    "task.refuse.init_delete");
	/* Deleted: still monitored (analysis), nothing else. */
	assert_true(task_allows(TASK_DELETED, TASK_A_MONITOR));
	for (int a = 0; a < TASK_ACTION_COUNT; a++)
		if (a != TASK_A_MONITOR)
			assert_false(task_allows(TASK_DELETED, (enum task_action)a));
}

/* 监控: every task, in every state, without changing it. */
static void monitor_everywhere(void **state)
{
	(void)state;
	for (int s = 0; s < TASK_STATE_COUNT; s++) {
		struct task_step step;
		assert_null(task_apply((enum task_state)s, TASK_A_MONITOR, NULL, &step));
		assert_int_equal(step.next, s);
		assert_int_equal(step.effects, 0);
	}
}

/* 执行中 moves to 已停止 once every target has been dialed, retries included. */
static void complete_when_no_target_is_open(void **state)
{
	(void)state;
	unsigned long counts[TASK_TARGET_STATE_COUNT] = { 0 };
	counts[TASK_T_ANSWERED] = 7;
	counts[TASK_T_BUSY] = 2;
	counts[TASK_T_DNC] = 1;
	counts[TASK_T_RETRY] = 1;
	assert_false(task_complete(counts));
	assert_int_equal(task_remaining(counts), 1);
	counts[TASK_T_RETRY] = 0;
	counts[TASK_T_DIALING] = 1;	/* a call still up */
	assert_false(task_complete(counts));
	counts[TASK_T_DIALING] = 0;
	counts[TASK_T_WAITING] = 3;
	assert_false(task_complete(counts));
	assert_int_equal(task_remaining(counts), 3);
	counts[TASK_T_WAITING] = 0;
	assert_true(task_complete(counts));
	struct task_step step;
	assert_null(task_apply(TASK_RUNNING, TASK_A_DONE, NULL, &step));
	assert_int_equal(step.next, TASK_STOPPED);
	/* A stopped task that is complete does not start again. */
	struct task_guard g = { .agents_ready = 3, .remaining = task_remaining(counts) };
	assert_string_equal(task_apply(TASK_STOPPED, TASK_A_START, &g, &step),
			    "task.refuse.nothing_left");
	for (int s = 0; s < TASK_TARGET_STATE_COUNT; s++)
		assert_int_equal(task_target_open((enum task_target_state)s),
				 s == TASK_T_WAITING || s == TASK_T_DIALING || s == TASK_T_RETRY);
}

static void names_and_keys(void **state)
{
	(void)state;
	for (int s = 0; s < TASK_STATE_COUNT; s++) {
		assert_int_equal(task_state_parse(task_state_name((enum task_state)s)), s);
		char want[64];
		snprintf(want, sizeof want, "task.state.%s", task_state_name((enum task_state)s));
		assert_string_equal(task_state_key((enum task_state)s), want);
	}
	for (int a = 0; a < TASK_ACTION_COUNT; a++) {
		assert_int_equal(task_action_parse(task_action_name((enum task_action)a)), a);
		char want[64];
		snprintf(want, sizeof want, "task.action.%s", task_action_name((enum task_action)a));
		assert_string_equal(task_action_key((enum task_action)a), want);
	}
	for (int r = 0; r < TASK_RESULT_COUNT; r++) {
		assert_int_equal(task_result_parse(task_result_name((enum task_result)r)), r);
		/* A result's final target state has the result's name. */
		assert_string_equal(task_target_state_name(task_target_state_of((enum task_result)r)),
				    task_result_name((enum task_result)r));
	}
	for (int t = 0; t < TASK_TARGET_STATE_COUNT; t++)
		assert_int_equal(task_target_state_parse(task_target_state_name(
					 (enum task_target_state)t)), t);
	assert_string_equal(task_state_name(TASK_RUNNING), "running");
	assert_int_equal(task_state_parse("paused"), -1);
	assert_int_equal(task_state_parse(NULL), -1);
	assert_string_equal(task_state_name(TASK_STATE_COUNT), "?");
	assert_string_equal(task_target_state_name(TASK_TARGET_STATE_COUNT), "?");
}

/* The two catalogues' text, read once for the run. */
static char *catalogue[2];

static int read_catalogues(void **state)
{
	(void)state;
	static const char *const files[2] = { "templates/i18n/task.zh-CN.xml",
					      "templates/i18n/task.en.xml" };
	for (int i = 0; i < 2; i++) {
		FILE *f = fopen(files[i], "r");
		if (!f)
			return -1;
		catalogue[i] = calloc(1, 1 << 16);
		size_t n = catalogue[i] ? fread(catalogue[i], 1, (1 << 16) - 1, f) : 0;
		fclose(f);
		if (!n)
			return -1;
	}
	return 0;
}

static int free_catalogues(void **state)
{
	(void)state;
	free(catalogue[0]);
	free(catalogue[1]);
	return 0;
}

/* Whether both catalogues have key k. */
static bool in_catalogues(const char *k)
{
	char needle[96];
	snprintf(needle, sizeof needle, "k=\"%s\"", k);
	return strstr(catalogue[0], needle) && strstr(catalogue[1], needle);
}

/* Every key the rules give has its text in both languages. */
static void keys_in_the_catalogues(void **state)
{
	(void)state;
	char k[96];
	for (int s = 0; s < TASK_STATE_COUNT; s++)
		assert_true(in_catalogues(task_state_key((enum task_state)s)));
	for (int a = 0; a < TASK_ACTION_COUNT; a++)
		assert_true(in_catalogues(task_action_key((enum task_action)a)));
	for (int s = 0; s < TASK_STATE_COUNT; s++)
		for (int a = 0; a < TASK_ACTION_COUNT; a++) {
			struct task_step step;
			const char *why = task_apply((enum task_state)s, (enum task_action)a, NULL, &step);
			if (why && !in_catalogues(why))
				fail_msg("%s is in no catalogue", why);
		}
	for (int t = 0; t < TASK_TARGET_STATE_COUNT; t++) {
		snprintf(k, sizeof k, "task.target.%s", task_target_state_name((enum task_target_state)t));
		assert_true(in_catalogues(k));
	}
	static const char *const pacings[] = { "ratio", "progressive", "predictive" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(k, sizeof k, "task.pacing.%s", pacings[i]);
		assert_true(in_catalogues(k));
		assert_int_equal(task_pacing_parse(pacings[i]), (int)i);
		assert_string_equal(task_pacing_name((enum task_pacing)i), pacings[i]);
		assert_string_equal(task_pacing_key((enum task_pacing)i), k);
	}
	assert_int_equal(task_pacing_parse("turbo"), -1);
	static const char *const others[] = {
		"task.refuse.no_agent", "task.refuse.nothing_left", "task.refuse.field_fixed",
		"task.refuse.unknown", "task.invalid.name", "task.invalid.concurrency",
		"task.invalid.ratio", "task.invalid.abandon", "task.invalid.attempts",
		"task.invalid.interval", "task.invalid.retry_result", "task.invalid.hours",
		"task.invalid.too_many_hours",
	};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		if (!in_catalogues(others[i]))
			fail_msg("%s is in no catalogue", others[i]);
}

/* --- targets ------------------------------------------------------------------------- */

#define BIT(r) (1u << TASK_R_##r)

static const struct task_retry three_tries = {
	.max_attempts = 3, .min_interval_s = 600, .results = BIT(NO_ANSWER) | BIT(BUSY),
};

static void retries_follow_the_rules(void **state)
{
	(void)state;
	struct task_hours any = { .n = 0 };
	long long now = MON_UTC + 10 * H;
	struct task_target t = { .state = TASK_T_WAITING };
	assert_true(task_target_due(&t, now));
	task_target_claim(&t);
	assert_int_equal(t.state, TASK_T_DIALING);
	assert_int_equal(t.attempts, 1);
	assert_false(task_target_due(&t, now));
	/* No answer: again in ten minutes, not before. */
	task_target_settle(&t, TASK_R_NO_ANSWER, &three_tries, &any, NULL, now);
	assert_int_equal(t.state, TASK_T_RETRY);
	assert_int_equal(t.next_at, now + 600);
	assert_false(task_target_due(&t, now + 599));
	assert_true(task_target_due(&t, now + 600));
	/* Busy the second time: once more. */
	now += 600;
	task_target_claim(&t);
	task_target_settle(&t, TASK_R_BUSY, &three_tries, &any, NULL, now);
	assert_int_equal(t.state, TASK_T_RETRY);
	assert_int_equal(t.attempts, 2);
	/* The third attempt is the last: its result is final. */
	now += 600;
	task_target_claim(&t);
	task_target_settle(&t, TASK_R_NO_ANSWER, &three_tries, &any, NULL, now);
	assert_int_equal(t.state, TASK_T_NO_ANSWER);
	assert_int_equal(t.attempts, 3);
	assert_false(task_target_due(&t, now + DAY));
}

static void results_not_retried(void **state)
{
	(void)state;
	struct task_hours any = { .n = 0 };
	long long now = MON_UTC;
	/* A result the task does not retry is final at once. */
	static const enum task_result finals[] = { TASK_R_ANSWERED, TASK_R_REJECTED,
						   TASK_R_INVALID, TASK_R_ABANDONED, TASK_R_FAILED };
	for (size_t i = 0; i < sizeof finals / sizeof finals[0]; i++) {
		struct task_target t = { .state = TASK_T_WAITING };
		task_target_claim(&t);
		task_target_settle(&t, finals[i], &three_tries, &any, NULL, now);
		assert_int_equal(t.state, task_target_state_of(finals[i]));
	}
	/* Answered and invalid are never retried, whatever the mask says. */
	struct task_retry all = { .max_attempts = 5, .min_interval_s = 60, .results = ~0u };
	struct task_target t = { .state = TASK_T_WAITING };
	task_target_claim(&t);
	task_target_settle(&t, TASK_R_ANSWERED, &all, &any, NULL, now);
	assert_int_equal(t.state, TASK_T_ANSWERED);
	t = (struct task_target){ .state = TASK_T_WAITING };
	task_target_claim(&t);
	task_target_settle(&t, TASK_R_INVALID, &all, &any, NULL, now);
	assert_int_equal(t.state, TASK_T_INVALID);
	t = (struct task_target){ .state = TASK_T_WAITING };
	task_target_claim(&t);
	task_target_settle(&t, TASK_R_ABANDONED, &all, &any, NULL, now);
	assert_int_equal(t.state, TASK_T_RETRY);
	/* One attempt allowed: no retry. */
	struct task_retry once = { .max_attempts = 1, .results = BIT(NO_ANSWER) };
	t = (struct task_target){ .state = TASK_T_WAITING };
	task_target_claim(&t);
	task_target_settle(&t, TASK_R_NO_ANSWER, &once, &any, NULL, now);
	assert_int_equal(t.state, TASK_T_NO_ANSWER);
	/* Do-not-call targets are never due. */
	t = (struct task_target){ .state = TASK_T_DNC };
	assert_false(task_target_due(&t, now + 365 * DAY));
}

/* A retry whose interval ends outside the calling hours waits for them. */
static void retry_waits_for_calling_hours(void **state)
{
	(void)state;
	struct ivr_tz *sh;
	assert_int_equal(ivr_tz_load(&sh, NULL, "Asia/Shanghai"), 0);
	struct task_hours h;
	assert_null(task_hours_parse(&h, "mon-fri 09:00-18:00"));
	/* Friday 17:55 in Shanghai (09:55 UTC), ten minutes: Monday 09:00. */
	long long fri_1755 = MON_UTC + 4 * DAY + 9 * H + 55 * 60;
	struct task_target t = { .state = TASK_T_WAITING };
	task_target_claim(&t);
	task_target_settle(&t, TASK_R_BUSY, &three_tries, &h, sh, fri_1755);
	assert_int_equal(t.state, TASK_T_RETRY);
	assert_int_equal(t.next_at, MON_UTC + 7 * DAY + 1 * H);	/* 09:00 +08:00 */
	/* Hours that never open: the result is final. */
	struct task_hours never = { .n = 1, .range = { { .days = 0, .from = 0, .to = 60 } } };
	t = (struct task_target){ .state = TASK_T_WAITING };
	task_target_claim(&t);
	task_target_settle(&t, TASK_R_BUSY, &three_tries, &never, sh, fri_1755);
	assert_int_equal(t.state, TASK_T_BUSY);
	ivr_tz_free(sh);
}

/* After a restart: a target left dialing is answered if its call says so,
 * else a failed attempt retried by the rules; done targets stay done. */
static void recovery_after_a_restart(void **state)
{
	(void)state;
	struct task_hours any = { .n = 0 };
	struct task_retry r = { .max_attempts = 2, .min_interval_s = 60, .results = BIT(FAILED) };
	struct task_target t = { .state = TASK_T_WAITING };
	task_target_claim(&t);
	task_target_recover(&t, false, &r, &any, NULL, MON_UTC);
	assert_int_equal(t.state, TASK_T_RETRY);
	assert_int_equal(t.next_at, MON_UTC + 60);
	task_target_claim(&t);
	task_target_recover(&t, true, &r, &any, NULL, MON_UTC + 120);
	assert_int_equal(t.state, TASK_T_ANSWERED);
	assert_int_equal(t.attempts, 2);
	/* Nothing finished is touched again. */
	task_target_recover(&t, false, &r, &any, NULL, MON_UTC + 180);
	assert_int_equal(t.state, TASK_T_ANSWERED);
	t = (struct task_target){ .state = TASK_T_WAITING };
	task_target_recover(&t, false, &r, &any, NULL, MON_UTC);
	assert_int_equal(t.state, TASK_T_WAITING);
	assert_int_equal(t.attempts, 0);
}

/* --- calling hours ------------------------------------------------------------------- */

/* Both sides of the window, in Shanghai (+08:00) and New York (-05:00 in
 * winter, -04:00 in summer). */
static void hours_in_two_zones(void **state)
{
	(void)state;
	struct ivr_tz *sh, *ny;
	assert_int_equal(ivr_tz_load(&sh, NULL, "Asia/Shanghai"), 0);
	assert_int_equal(ivr_tz_load(&ny, NULL, "America/New_York"), 0);
	struct task_hours h;
	assert_null(task_hours_parse(&h, "mon-fri 09:00-18:00"));
	/* Monday 09:00 Shanghai is 01:00 UTC. */
	assert_false(task_hours_open(&h, sh, MON_UTC + 1 * H - 1));
	assert_true(task_hours_open(&h, sh, MON_UTC + 1 * H));
	assert_true(task_hours_open(&h, sh, MON_UTC + 10 * H - 1));	/* 17:59:59 */
	assert_false(task_hours_open(&h, sh, MON_UTC + 10 * H));	/* 18:00 */
	/* Monday 09:00 New York (EST) is 14:00 UTC; the same instant is closed
	 * in Shanghai (22:00). */
	assert_false(task_hours_open(&h, ny, MON_UTC + 14 * H - 1));
	assert_true(task_hours_open(&h, ny, MON_UTC + 14 * H));
	assert_false(task_hours_open(&h, sh, MON_UTC + 14 * H));
	assert_true(task_hours_open(&h, ny, MON_UTC + 23 * H - 1));
	assert_false(task_hours_open(&h, ny, MON_UTC + 23 * H));
	/* Without a zone: UTC. */
	assert_true(task_hours_open(&h, NULL, MON_UTC + 9 * H));
	assert_false(task_hours_open(&h, NULL, MON_UTC + 8 * H));
	/* Saturday: closed all day. */
	assert_false(task_hours_open(&h, sh, MON_UTC + 5 * DAY + 4 * H));
	/* The next opening: Saturday noon in Shanghai -> Monday 09:00. */
	assert_int_equal(task_hours_next(&h, sh, MON_UTC + 5 * DAY + 4 * H), MON_UTC + 7 * DAY + 1 * H);
	/* Open now: now. */
	assert_int_equal(task_hours_next(&h, sh, MON_UTC + 2 * H), MON_UTC + 2 * H);
	/* After 18:00 on Monday: Tuesday 09:00. */
	assert_int_equal(task_hours_next(&h, sh, MON_UTC + 11 * H), MON_UTC + DAY + 1 * H);
	/* Across the change to summer time (2024-03-10, New York): Friday
	 * 20:00 EST -> Monday 2024-03-11 09:00 EDT = 13:00 UTC. */
	long long fri_8pm_est = MON_UTC + 4 * DAY + 25 * H;
	assert_int_equal(task_hours_next(&h, ny, fri_8pm_est), MON_UTC + 7 * DAY + 13 * H);
	assert_true(task_hours_open(&h, ny, MON_UTC + 7 * DAY + 13 * H));
	assert_false(task_hours_open(&h, ny, MON_UTC + 7 * DAY + 13 * H - 1));
	/* Any time. */
	struct task_hours any = { .n = 0 };
	assert_true(task_hours_open(&any, ny, MON_UTC + 5 * DAY));
	assert_int_equal(task_hours_next(&any, ny, 12345), 12345);
	ivr_tz_free(sh);
	ivr_tz_free(ny);
}

/* A range past midnight belongs to the day it starts on. */
static void hours_past_midnight(void **state)
{
	(void)state;
	struct task_hours h;
	assert_null(task_hours_parse(&h, "fri 22:00-02:00"));
	long long fri = MON_UTC + 4 * DAY;
	assert_false(task_hours_open(&h, NULL, fri + 22 * H - 1));
	assert_true(task_hours_open(&h, NULL, fri + 22 * H));
	assert_true(task_hours_open(&h, NULL, fri + DAY + 1 * H));	/* Saturday 01:00 */
	assert_false(task_hours_open(&h, NULL, fri + DAY + 2 * H));
	assert_false(task_hours_open(&h, NULL, MON_UTC + 1 * H));	/* Monday 01:00 */
	assert_int_equal(task_hours_next(&h, NULL, fri + DAY + 2 * H), fri + 7 * DAY + 22 * H);
	assert_null(task_hours_parse(&h, "sat-sun 00:00-24:00"));
	assert_true(task_hours_open(&h, NULL, fri + DAY));
	assert_true(task_hours_open(&h, NULL, fri + 3 * DAY - 1));
	assert_false(task_hours_open(&h, NULL, fri + 3 * DAY));
}

static bool same_hours(const struct task_hours *a, const struct task_hours *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (a->range[i].days != b->range[i].days || a->range[i].from != b->range[i].from ||
		    a->range[i].to != b->range[i].to)
			return false;
	return true;
}

static void hours_text(void **state)
{
	(void)state;
	struct task_hours h;
	assert_null(task_hours_parse(&h, "mon-fri 09:00-12:00, Mon-Fri 13:30-18:00, sat sun 10:00-16:00"));
	assert_int_equal(h.n, 3);
	assert_int_equal(h.range[0].days, 0x1f);
	assert_int_equal(h.range[1].from, 13 * 60 + 30);
	assert_int_equal(h.range[2].days, 0x60);
	char out[256];
	assert_int_equal(task_hours_format(&h, out, sizeof out), 0);
	assert_string_equal(out, "mon-fri 09:00-12:00, mon-fri 13:30-18:00, sat-sun 10:00-16:00");
	struct task_hours again;
	assert_null(task_hours_parse(&again, out));
	assert_true(same_hours(&again, &h));
	/* A wrapping day range. */
	assert_null(task_hours_parse(&h, "fri-mon 08:00-20:00"));
	assert_int_equal(h.range[0].days, 0x71);
	assert_int_equal(task_hours_format(&h, out, sizeof out), 0);
	assert_string_equal(out, "mon fri-sun 08:00-20:00");
	assert_int_equal(task_hours_format(&h, out, 8), -1);
	/* Empty: any time. */
	assert_null(task_hours_parse(&h, ""));
	assert_int_equal(h.n, 0);
	assert_int_equal(task_hours_format(&h, out, sizeof out), 0);
	assert_string_equal(out, "");
	/* Bad text is refused and h is left alone. */
	struct task_hours keep;
	assert_null(task_hours_parse(&keep, "tue 10:00-11:00"));
	static const char *const bad[] = {
		"09:00-18:00", "mon", "mon 9:00-18:00", "mon 09:00-24:01", "mon 24:00-01:00",
		"mon 10:00-10:00", "mon 09:60-10:00", "xyz 09:00-10:00", "mon-xyz 09:00-10:00",
		"mon 09:00-10:00,", "mon 09:00 10:00", "monday 09:00-10:00", "mon,tue 09:00-10:00",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct task_hours t = keep;
		const char *why = task_hours_parse(&t, bad[i]);
		if (!why || strcmp(why, "task.invalid.hours"))
			fail_msg("\"%s\": %s", bad[i], why ? why : "accepted");
		assert_true(same_hours(&t, &keep));
	}
	assert_string_equal(task_hours_parse(&h, "mon 01:00-02:00, mon 02:00-03:00, mon 03:00-04:00, "
					      "mon 04:00-05:00, mon 05:00-06:00, mon 06:00-07:00, "
					      "mon 07:00-08:00, mon 08:00-09:00"),
			    "task.invalid.too_many_hours");
}

static void settings_are_checked(void **state)
{
	(void)state;
	assert_null(task_check_name("回访 2024 春"));
	assert_string_equal(task_check_name(""), "task.invalid.name");
	assert_string_equal(task_check_name("   "), "task.invalid.name");
	assert_string_equal(task_check_name(NULL), "task.invalid.name");
	assert_string_equal(task_check_name("a\nb"), "task.invalid.name");
	char longname[TASK_NAME_MAX + 2];
	memset(longname, 'x', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	assert_string_equal(task_check_name(longname), "task.invalid.name");
	longname[TASK_NAME_MAX] = '\0';
	assert_null(task_check_name(longname));

	assert_string_equal(task_check_concurrency(0), "task.invalid.concurrency");
	assert_null(task_check_concurrency(1));
	assert_null(task_check_concurrency(TASK_CONCURRENCY_MAX));
	assert_string_equal(task_check_concurrency(TASK_CONCURRENCY_MAX + 1),
			    "task.invalid.concurrency");
	assert_string_equal(task_check_ratio(99), "task.invalid.ratio");
	assert_null(task_check_ratio(100));
	assert_null(task_check_ratio(1000));
	assert_string_equal(task_check_ratio(1001), "task.invalid.ratio");
	assert_string_equal(task_check_abandon(0), "task.invalid.abandon");
	assert_null(task_check_abandon(TASK_ABANDON_DEFAULT));
	assert_string_equal(task_check_abandon(TASK_ABANDON_MAX + 1), "task.invalid.abandon");

	struct task_retry r = three_tries;
	assert_null(task_check_retry(&r));
	r.max_attempts = 0;
	assert_string_equal(task_check_retry(&r), "task.invalid.attempts");
	r.max_attempts = TASK_ATTEMPTS_MAX + 1;
	assert_string_equal(task_check_retry(&r), "task.invalid.attempts");
	r = three_tries;
	r.min_interval_s = TASK_INTERVAL_MAX + 1;
	assert_string_equal(task_check_retry(&r), "task.invalid.interval");
	r = three_tries;
	r.results |= BIT(ANSWERED);
	assert_string_equal(task_check_retry(&r), "task.invalid.retry_result");
	r.results = BIT(INVALID);
	assert_string_equal(task_check_retry(&r), "task.invalid.retry_result");
	r.results = 1u << TASK_RESULT_COUNT;
	assert_string_equal(task_check_retry(&r), "task.invalid.retry_result");

	struct task_hours h = { .n = 1, .range = { { .days = 0x1f, .from = 540, .to = 1080 } } };
	assert_null(task_check_hours(&h));
	h.range[0].days = 0;
	assert_string_equal(task_check_hours(&h), "task.invalid.hours");
	h.range[0].days = 0x1f;
	h.range[0].to = 1441;
	assert_string_equal(task_check_hours(&h), "task.invalid.hours");
	h.n = TASK_HOURS_MAX + 1;
	assert_string_equal(task_check_hours(&h), "task.invalid.too_many_hours");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_state_and_action),
		cmocka_unit_test(initializing_then_stopped),
		cmocka_unit_test(start_and_its_guards),
		cmocka_unit_test(stop_then_not_again),
		cmocka_unit_test(edit_two_fields_of_a_stopped_task),
		cmocka_unit_test(delete_stops_first_and_archives),
		cmocka_unit_test(monitor_everywhere),
		cmocka_unit_test(complete_when_no_target_is_open),
		cmocka_unit_test(names_and_keys),
		cmocka_unit_test(keys_in_the_catalogues),
		cmocka_unit_test(retries_follow_the_rules),
		cmocka_unit_test(results_not_retried),
		cmocka_unit_test(retry_waits_for_calling_hours),
		cmocka_unit_test(recovery_after_a_restart),
		cmocka_unit_test(hours_in_two_zones),
		cmocka_unit_test(hours_past_midnight),
		cmocka_unit_test(hours_text),
		cmocka_unit_test(settings_are_checked),
	};
	return cmocka_run_group_tests(tests, read_catalogues, free_catalogues);
}
