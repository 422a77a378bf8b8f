/* Outbound tasks (外呼任务, docs/outbound.md): the lifecycle of a task and
 * the rules for its targets and calling hours, as pure functions. No I/O
 * and no clock: whoever applies a rule (the web app's API, the B2BUA's
 * dialer) passes the time (`now`, seconds since the epoch) and what it
 * knows of the world (agents signed in, targets left), and stores the
 * result itself with a conditional UPDATE (state = the state it read).
 *
 * Refusals are catalogue keys (templates/i18n/task.*.xml): static strings
 * the caller turns into an HTTP status, a control-protocol error or a log
 * line, and the pages into text. */
#ifndef CC_TASK_H
#define CC_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ivr_tz;

/* --- the task's states and actions ---------------------------------------------------- */

/* States (cc_task.state), each with its catalogue key. There is no separate
 * paused or completed state: the seed's 暂停 is its 停止, and a task whose
 * calls are all made goes back to 已停止. */
#define TASK_STATES(X)                                                        \
	X(INIT, "init", "task.state.init")          /* 初始化: targets loading */  \
	X(STOPPED, "stopped", "task.state.stopped") /* 已停止 */                   \
	X(RUNNING, "running", "task.state.running") /* 执行中: dialing */          \
	X(DELETED, "deleted", "task.state.deleted") /* 已删除任务: kept for analysis */

#define TASK_STATE_ENUM(name, str, key) TASK_##name,
enum task_state { TASK_STATES(TASK_STATE_ENUM) TASK_STATE_COUNT };
#undef TASK_STATE_ENUM

/* Actions: the user's buttons (start, stop, edit, delete, monitor) and what
 * the system does by itself (loaded: the targets are in; done: every target
 * has been dialed, retries included). */
#define TASK_ACTIONS(X)                                                       \
	X(START, "start", "task.action.start")       /* 开始 */                    \
	X(STOP, "stop", "task.action.stop")          /* 停止 (暂停) */             \
	X(EDIT, "edit", "task.action.edit")          /* 编辑 */                    \
	X(DELETE, "delete", "task.action.delete")    /* 删除 */                    \
	X(MONITOR, "monitor", "task.action.monitor") /* 监控 */                    \
	X(LOADED, "loaded", "task.action.loaded")    /* 初始化 finished */         \
	X(DONE, "done", "task.action.done")          /* 打完所有电话 */

#define TASK_ACTION_ENUM(name, str, key) TASK_A_##name,
enum task_action { TASK_ACTIONS(TASK_ACTION_ENUM) TASK_ACTION_COUNT };
#undef TASK_ACTION_ENUM

/* What an allowed action asks of the one who applies it, besides storing
 * the next state. */
enum task_effect {
	TASK_FX_DIAL = 1u << 0,	   /* claim and dial due targets from now on */
	TASK_FX_HALT = 1u << 1,	   /* start no new call; calls already up finish */
	TASK_FX_ARCHIVE = 1u << 2, /* leaves the list for 已删除任务, data kept */
	TASK_FX_SETTINGS = 1u << 3 /* the editable settings change (task_field_editable) */
};

/* What the caller knows when it asks (NULL: nothing, the guards pass). */
struct task_guard {
	unsigned agents_ready;	/* agents of the group signed in with a registered phone */
	unsigned long remaining;	/* targets waiting, dialing or due for a retry */
};

struct task_step {
	enum task_state next;	/* the state after the action (the same for monitor) */
	unsigned effects;	/* enum task_effect bits */
};

/* Applies action a to a task in state s. NULL with *out set when the action
 * is allowed, else the refusal's catalogue key (*out untouched). g: the
 * guards of start (an agent ready, a target left); NULL skips them (the
 * table alone, for showing buttons). */
const char *task_apply(enum task_state s, enum task_action a, const struct task_guard *g,
		       struct task_step *out);
/* Whether the table allows a in s, guards aside. */
bool task_allows(enum task_state s, enum task_action a);

const char *task_state_name(enum task_state s);
const char *task_state_key(enum task_state s);
int task_state_parse(const char *name);
const char *task_action_name(enum task_action a);
const char *task_action_key(enum task_action a);
int task_action_parse(const char *name);

/* --- settings ------------------------------------------------------------------------- */

#define TASK_PACINGS(X)                                                              \
	X(RATIO, "ratio", "task.pacing.ratio")                   /* 坐席并发比 */      \
	X(PROGRESSIVE, "progressive", "task.pacing.progressive") /* one per agent */ \
	X(PREDICTIVE, "predictive", "task.pacing.predictive")    /* abandon target */

#define TASK_PACING_ENUM(name, str, key) TASK_PACING_##name,
enum task_pacing { TASK_PACINGS(TASK_PACING_ENUM) TASK_PACING_COUNT };
#undef TASK_PACING_ENUM

const char *task_pacing_name(enum task_pacing p);
const char *task_pacing_key(enum task_pacing p);
int task_pacing_parse(const char *name);

/* A task's settings (cc_task's columns), each with whether 编辑 may change
 * it: only the maximum concurrency and the agent concurrency ratio. */
#define TASK_FIELDS(X)                                         \
	X(NAME, "name", false)                                 \
	X(SKILL_GROUP, "skill_group_id", false)                \
	X(CALLER_ID, "caller_id", false)                       \
	X(MAX_CONCURRENCY, "max_concurrency", true)            \
	X(AGENT_RATIO, "agent_ratio", true)                    \
	X(PACING, "pacing", false)                             \
	X(ABANDON_TARGET, "abandon_target", false)             \
	X(RETRY, "retry", false)                               \
	X(HOURS, "hours", false)                               \
	X(TIME_ZONE, "time_zone", false)                       \
	X(TARGETS, "targets", false)

#define TASK_FIELD_ENUM(name, str, editable) TASK_F_##name,
enum task_field { TASK_FIELDS(TASK_FIELD_ENUM) TASK_FIELD_COUNT };
#undef TASK_FIELD_ENUM

const char *task_field_name(enum task_field f);
int task_field_parse(const char *name);
bool task_field_editable(enum task_field f);
/* NULL when an edit of field f is allowed in state s, else the refusal. */
const char *task_edit_check(enum task_state s, enum task_field f);

/* Bounds. The ratio is in hundredths (150: one and a half customer calls
 * per available agent), the abandon target in tenths of a percent. */
#define TASK_NAME_MAX 64	/* bytes */
#define TASK_CONCURRENCY_MAX 500
#define TASK_RATIO_MIN 100
#define TASK_RATIO_MAX 1000
#define TASK_ABANDON_MAX 100	/* 10.0 % */
#define TASK_ABANDON_DEFAULT 30	/* 3.0 % */
#define TASK_ATTEMPTS_MAX 10
#define TASK_INTERVAL_MAX (7 * 86400)
#define TASK_HOURS_MAX 7	/* ranges */

/* Calling hours: ranges of minutes after local midnight on some weekdays
 * (bit 0: Monday .. bit 6: Sunday). from > to runs past midnight into the
 * next day (the range belongs to the day it starts on); to may be 1440. */
struct task_range {
	uint8_t days;
	int from, to;
};

struct task_hours {
	struct task_range range[TASK_HOURS_MAX];
	size_t n;		/* 0: any time */
};

/* --- targets -------------------------------------------------------------------------- */

/* An attempt's result (cc_task_target.last_result), each with whether it
 * may be retried at all: an answered call is done, an invalid number
 * stays invalid. */
#define TASK_RESULTS(X)                                                 \
	X(ANSWERED, "answered", false)	/* the customer talked to an agent */ \
	X(NO_ANSWER, "no_answer", true)	/* rang out */                         \
	X(BUSY, "busy", true)                                                  \
	X(REJECTED, "rejected", true)	/* declined by the customer */         \
	X(INVALID, "invalid", false)	/* no such number */                   \
	X(ABANDONED, "abandoned", true)	/* answered, no agent in time */       \
	X(FAILED, "failed", true)	/* the gateway or the network failed */

#define TASK_RESULT_ENUM(name, str, retryable) TASK_R_##name,
enum task_result { TASK_RESULTS(TASK_RESULT_ENUM) TASK_RESULT_COUNT };
#undef TASK_RESULT_ENUM

/* A target's states (cc_task_target.state): not yet done, or done with its
 * last result. Catalogue keys: "task.target.<name>". */
#define TASK_TARGET_STATE_ENUM(name, str, x) TASK_T_##name,
#define TASK_TARGET_STAGES(X)                                         \
	X(WAITING, "waiting", 0) /* not dialed yet */                 \
	X(DIALING, "dialing", 0) /* claimed by a node, a call up */   \
	X(RETRY, "retry", 0)     /* dialed, again from next_at */     \
	X(DNC, "dnc", 0)         /* put on the do-not-call list: never dialed */
enum task_target_state {
	TASK_TARGET_STAGES(TASK_TARGET_STATE_ENUM)
	TASK_RESULTS(TASK_TARGET_STATE_ENUM)
	TASK_TARGET_STATE_COUNT
};
#undef TASK_TARGET_STATE_ENUM

const char *task_result_name(enum task_result r);
int task_result_parse(const char *name);
bool task_result_retryable(enum task_result r);
const char *task_target_state_name(enum task_target_state s);
int task_target_state_parse(const char *name);
/* The target state an attempt's final result leaves. */
enum task_target_state task_target_state_of(enum task_result r);
/* Whether a target in state s counts as remaining (waiting, dialing, retry). */
bool task_target_open(enum task_target_state s);

/* Retry rules: at most max_attempts calls to a target (1: no retry), at
 * least min_interval_s between the end of one and the next, and only after
 * the results in `results` (bit 1 << enum task_result). */
struct task_retry {
	unsigned max_attempts;
	unsigned min_interval_s;
	unsigned results;
};

/* One target as the rules see it. */
struct task_target {
	enum task_target_state state;
	unsigned attempts;	/* calls made (the one just ended included) */
	long long next_at;	/* RETRY: not before (seconds since the epoch) */
};

/* Whether t may be claimed for a call at now (waiting, or a retry due). */
bool task_target_due(const struct task_target *t, long long now);
/* Claims t for a call: DIALING, and the attempt counts from now on (a call
 * lost with its node is an attempt made). */
void task_target_claim(struct task_target *t);
/* Records the end of an attempt at now with result r (its call was counted
 * by task_target_claim): t becomes RETRY (next_at: now + the interval, moved to the next
 * calling hours) or the final state of r. tz: the task's zone (NULL: UTC). */
void task_target_settle(struct task_target *t, enum task_result r, const struct task_retry *rule,
			const struct task_hours *h, const struct ivr_tz *tz, long long now);

/* A target still DIALING when its node starts again (the call went with
 * the node): answered when its call's record says so, else a failed
 * attempt, retried by the rules. Other states are left as they are. */
void task_target_recover(struct task_target *t, bool answered, const struct task_retry *rule,
			 const struct task_hours *h, const struct ivr_tz *tz, long long now);

/* A task is complete (DONE may be applied) when none of its targets is
 * open; counts[] holds how many targets are in each state. */
bool task_complete(const unsigned long counts[TASK_TARGET_STATE_COUNT]);
unsigned long task_remaining(const unsigned long counts[TASK_TARGET_STATE_COUNT]);

/* --- calling hours -------------------------------------------------------------------- */

/* Whether calls may start at now in zone tz (NULL: UTC). */
bool task_hours_open(const struct task_hours *h, const struct ivr_tz *tz, long long now);
/* The first second at or after now the hours are open, or -1 when they
 * never are (no weekday in any range). */
long long task_hours_next(const struct task_hours *h, const struct ivr_tz *tz, long long now);

/* --- checks of settings (NULL, or the refusal's catalogue key) ------------------------ */

const char *task_check_name(const char *name);
const char *task_check_concurrency(unsigned max_concurrency);
const char *task_check_ratio(unsigned ratio);
const char *task_check_abandon(unsigned abandon);
const char *task_check_retry(const struct task_retry *r);
const char *task_check_hours(const struct task_hours *h);
/* Parses calling hours as cc_task.hours keeps them: ranges separated by
 * commas, each weekdays as an IVR time node writes them ("mon-fri sat", a
 * range may wrap) and then from-to ("09:00-18:00", to may be "24:00"):
 * "mon-fri 09:00-12:00, mon-fri 13:30-18:00, sat 10:00-16:00". NULL with h
 * set, or the refusal's key (h untouched). An empty text: any time. */
const char *task_hours_parse(struct task_hours *h, const char *text);
/* Writes h in the form task_hours_parse reads ("" for any time). 0, or -1
 * when out is too small. */
int task_hours_format(const struct task_hours *h, char *out, size_t size);

#endif
