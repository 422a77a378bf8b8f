/* 数据报表 (reports): figures of calls and agents by skill group, agent,
 * number, IVR node and outbound task, per hour, day, week or month of the
 * center's time zone (docs/reports.md has every definition).
 *
 *   fold.c     what one call and one agent's state log add to hourly
 *              buckets: the definitions, pure (tests/unit/test_web_report.c)
 *   rollup.c   the hourly rollup table (cc_report_hour) kept from cc_call,
 *              cc_call_event and cc_agent_state_log by a thread of its own
 *   load.c     reading those rows for it
 *   window.c   the current hours' fold it keeps between runs, so a run
 *              folds only what was written since the last
 *   query.c    a report: sums of the rollup rows over a range, by period
 *   page.c     GET the page, the JSON, the CSV and the Excel file;
 *              POST refresh
 *   xlsx.c     a minimal Office Open XML workbook (one sheet)
 *
 * A call counts in the hour it arrived, once it has ended; agent state time
 * counts in the hours it was spent. */
#ifndef WEB_REPORT_H
#define WEB_REPORT_H

#include <stdbool.h>
#include <stddef.h>

struct ivr_tz;
struct db;

/* The rollup's columns: X(name, agg), agg SUM or MAX. Times are in ms.
 * cc_report_hour and cc_report_day have one column of each name
 * (migrations 015 and 018). */
#define REP_COLS(X) \
	X(offered, SUM) X(queued, SUM) X(handled, SUM) X(overflowed, SUM) \
	X(abandoned, SUM) X(abandoned_ivr, SUM) X(abandoned_queue, SUM) X(abandoned_ring, SUM) \
	X(no_agent, SUM) X(failed, SUM) \
	X(ans_5, SUM) X(ans_10, SUM) X(ans_15, SUM) X(ans_20, SUM) X(ans_30, SUM) \
	X(ans_45, SUM) X(ans_60, SUM) X(ans_90, SUM) X(ans_120, SUM) \
	X(wait_n, SUM) X(wait_ms, SUM) X(wait_max, MAX) X(asa_ms, SUM) \
	X(ring_n, SUM) X(ring_ms, SUM) X(ring_max, MAX) \
	X(talk_n, SUM) X(talk_ms, SUM) X(talk_max, MAX) \
	X(hold_n, SUM) X(hold_ms, SUM) X(hold_max, MAX) \
	X(wrap_n, SUM) X(wrap_ms, SUM) X(wrap_max, MAX) \
	X(xfer_out, SUM) X(xfer_in, SUM) \
	X(repeat_24h, SUM) \
	X(survey_n, SUM) X(survey_1, SUM) X(survey_2, SUM) X(survey_3, SUM) X(survey_4, SUM) \
	X(survey_5, SUM) \
	X(out_placed, SUM) X(out_answered, SUM) X(out_connected, SUM) X(out_no_answer, SUM) \
	X(out_busy, SUM) X(out_rejected, SUM) X(out_invalid, SUM) X(out_abandoned, SUM) \
	X(out_failed, SUM) \
	X(st_signed_in, SUM) X(st_ready, SUM) X(st_break, SUM) X(st_ringing, SUM) \
	X(st_talk, SUM) X(st_wrap, SUM)

#define REP_COL_ENUM(name, agg) RC_##name,
enum rep_col { REP_COLS(REP_COL_ENUM) REP_NCOLS };
#undef REP_COL_ENUM

/* The service level's thresholds a report may choose, in seconds: the
 * ans_N columns. */
#define REP_SL_STEPS(X) X(5) X(10) X(15) X(20) X(30) X(45) X(60) X(90) X(120)

/* What a report is by: X(id, name). */
#define REP_DIMS(X) \
	X(CENTER, "center") X(GROUP, "group") X(AGENT, "agent") X(NUMBER, "number") \
	X(NODE, "node") X(TASK, "task")

#define REP_DIM_ENUM(id, name) REP_##id,
enum rep_dim { REP_DIMS(REP_DIM_ENUM) REP_NDIMS };
#undef REP_DIM_ENUM

const char *rep_col_name(enum rep_col c);
bool rep_col_is_max(enum rep_col c);
const char *rep_dim_name(enum rep_dim d);
/* A dimension by name, or -1. */
int rep_dim_parse(const char *name);

/* --- fold.c: the definitions ------------------------------------------------------- */

/* One row of a call's event log (cc_call_event). */
struct rep_event {
	const char *event;	/* "start", "enqueue", "offer", ... (common/event.h's log names) */
	long long at;		/* ms */
	unsigned group;
	const char *agent, *detail;	/* or NULL */
};

/* One ended call (cc_call) with its log in order. */
struct rep_call {
	const char *id;
	bool outbound;
	long long t_start, t_enqueue, t_answer, t_end;	/* ms; 0: never */
	const char *result;	/* answered, abandoned, no_agent, failed */
	const char *end_state;	/* the call's state when it began to end, or NULL */
	unsigned number, group, task;
	const char *agent;	/* who answered, or NULL */
	bool repeat;		/* the caller called within the 24 h before */
	char survey;		/* the survey's key ('0'-'9', '*', '#'), or 0 */
	const struct rep_event *ev;
	size_t nev;
};

/* One row of an agent's state log (cc_agent_state_log). */
struct rep_state {
	const char *agent;
	long long at;		/* ms */
	const char *state;	/* logged_out, ready, not_ready, reserved, on_call, wrap_up */
	const char *reason;	/* a break's reason, or NULL */
	const char *call;	/* the call a reserved/on_call/wrap_up row is for, or NULL */
};

/* Makes room for element n of the array *p of size-byte elements (*cap
 * allocated), doubling it: false when out of memory (*p left as it was). */
bool rep_room(void **p, size_t *cap, size_t n, size_t size);

/* Hourly buckets being filled. */
struct rep_fold;

/* Buckets whose hours are the center's (tz). Calls count only when they
 * arrived in [from, to) and state time only inside it (ms). NULL when out
 * of memory. */
struct rep_fold *rep_fold_new(const struct ivr_tz *tz, long long from_ms, long long to_ms);
void rep_fold_free(struct rep_fold *f);
/* Adds a call; -1 when out of memory. */
int rep_fold_call(struct rep_fold *f, const struct rep_call *c);
/* Adds one agent's state log, in time order (rows[0] may be before from:
 * the state the agent was in then), up to until_ms (the time the log is
 * known up to: now, or the range's end). The group of a wrap-up is its
 * call's, when that call was folded before. -1 when out of memory. */
int rep_fold_states(struct rep_fold *f, const struct rep_state *rows, size_t n, long long until_ms);
/* The same without the wrap-ups' wrap time: state time alone. */
int rep_fold_state_time(struct rep_fold *f, const struct rep_state *rows, size_t n,
			long long until_ms);
/* The wrap time of one wrap-up row r that lasted until next_ms (nothing for
 * another state, or a row outside the fold's range): what rep_fold_states
 * adds for it besides state time. -1 when out of memory. */
int rep_fold_wrap(struct rep_fold *f, const struct rep_state *r, long long next_ms);
/* Whether an answered call of that id was folded (so a wrap-up after it
 * has its group, or has none for good). */
bool rep_fold_has_call(const struct rep_fold *f, const char *id);
/* A copy of f's buckets whose wrap-ups take the groups of f's calls: for
 * adding what is still going on without changing f. Calls are not folded
 * into a copy. NULL when out of memory; free it before f. */
struct rep_fold *rep_fold_copy(const struct rep_fold *f);

/* One bucket: a dimension's key in one hour. */
struct rep_bucket {
	enum rep_dim dim;
	char key[72];		/* "" for the center; an id; "flow/node" for a node */
	long long hour;		/* the local hour's start, seconds since the epoch */
	long long v[REP_NCOLS];
};

/* Break time by reason: one agent (or "" for the center) in one hour. */
struct rep_break {
	char agent[40];
	char reason[72];
	long long hour;
	long long ms;
};

/* The buckets filled, in no order; valid until the fold is freed. */
const struct rep_bucket *rep_fold_buckets(const struct rep_fold *f, size_t *n);
const struct rep_break *rep_fold_breaks(const struct rep_fold *f, size_t *n);
/* The bucket (dim, key, hour), or NULL: for tests. */
const struct rep_bucket *rep_fold_find(const struct rep_fold *f, enum rep_dim dim,
				       const char *key, long long hour);

/* --- metrics.c: what a report shows ----------------------------------------------- */

/* Which dimensions a figure is shown for. */
#define RDM(d) (1u << REP_##d)
#define RD_CALLS (RDM(CENTER) | RDM(GROUP) | RDM(NUMBER))
#define RD_ALL ((1u << REP_NDIMS) - 1)

/* X(id, kind, dims, drill): kind N (a count), S (seconds, averaged or a
 * maximum), H (hours of state time), P (a percentage); drill: the call
 * records' filter (docs/reports.md) behind a count, or NULL. The label and
 * the definition are the catalogue's report.m.<id> and report.d.<id>. */
#define REP_METRICS(X) \
	X(offered, N, RD_CALLS | RDM(AGENT) | RDM(NODE), "") \
	X(queued, N, RD_CALLS, "") \
	X(handled, N, RD_CALLS | RDM(AGENT), "result=answered") \
	X(overflowed, N, RDM(CENTER) | RDM(GROUP), NULL) \
	X(abandoned, N, RD_CALLS | RDM(NODE), "result=abandoned") \
	X(abandoned_ivr, N, RDM(CENTER) | RDM(NUMBER) | RDM(NODE), "result=abandoned&stage=ivr") \
	X(abandoned_queue, N, RD_CALLS, "result=abandoned&stage=queue") \
	X(abandoned_ring, N, RD_CALLS | RDM(AGENT), "result=abandoned&stage=ringing") \
	X(no_agent, N, RD_CALLS, "result=no_agent") \
	X(abandon_rate, P, RD_CALLS, "result=abandoned") \
	X(sl, P, RD_CALLS, "result=answered&sl_missed=1") \
	X(asa, S, RD_CALLS, "result=answered") \
	X(avg_wait, S, RD_CALLS, "") \
	X(max_wait, S, RD_CALLS, "") \
	X(avg_ring, S, RD_CALLS | RDM(AGENT), "") \
	X(max_ring, S, RD_CALLS | RDM(AGENT), "") \
	X(avg_talk, S, RD_CALLS | RDM(AGENT) | RDM(TASK), "result=answered") \
	X(max_talk, S, RD_CALLS | RDM(AGENT) | RDM(TASK), "result=answered") \
	X(avg_hold, S, RD_CALLS | RDM(AGENT), "result=answered") \
	X(max_hold, S, RD_CALLS | RDM(AGENT), "result=answered") \
	X(avg_wrap, S, RDM(CENTER) | RDM(GROUP) | RDM(AGENT), "result=answered") \
	X(max_wrap, S, RDM(CENTER) | RDM(GROUP) | RDM(AGENT), "result=answered") \
	X(aht, S, RDM(CENTER) | RDM(GROUP) | RDM(AGENT), "result=answered") \
	X(xfer_out, N, RD_CALLS | RDM(AGENT), NULL) \
	X(xfer_in, N, RD_CALLS | RDM(AGENT), NULL) \
	X(repeat_24h, N, RD_CALLS, "") \
	X(survey_n, N, RD_CALLS | RDM(AGENT), "result=answered") \
	X(satisfaction, P, RD_CALLS | RDM(AGENT), NULL) \
	X(survey_1, N, RD_CALLS | RDM(AGENT), NULL) \
	X(survey_2, N, RD_CALLS | RDM(AGENT), NULL) \
	X(survey_3, N, RD_CALLS | RDM(AGENT), NULL) \
	X(survey_4, N, RD_CALLS | RDM(AGENT), NULL) \
	X(survey_5, N, RD_CALLS | RDM(AGENT), NULL) \
	X(out_placed, N, RDM(CENTER) | RDM(GROUP) | RDM(AGENT) | RDM(TASK), "direction=outbound") \
	X(out_answered, N, RDM(CENTER) | RDM(TASK), "direction=outbound&result=answered") \
	X(out_connected, N, RDM(CENTER) | RDM(GROUP) | RDM(AGENT) | RDM(TASK), "direction=outbound&result=answered") \
	X(out_no_answer, N, RDM(TASK), NULL) \
	X(out_busy, N, RDM(TASK), NULL) \
	X(out_rejected, N, RDM(TASK), NULL) \
	X(out_invalid, N, RDM(TASK), NULL) \
	X(out_abandoned, N, RDM(TASK), NULL) \
	X(out_failed, N, RDM(TASK), NULL) \
	X(st_signed_in, H, RDM(CENTER) | RDM(AGENT), NULL) \
	X(st_ready, H, RDM(CENTER) | RDM(AGENT), NULL) \
	X(st_break, H, RDM(CENTER) | RDM(AGENT), NULL) \
	X(st_talk, H, RDM(CENTER) | RDM(AGENT), NULL) \
	X(st_wrap, H, RDM(CENTER) | RDM(AGENT), NULL) \
	X(occupancy, P, RDM(CENTER) | RDM(AGENT), NULL)

#define REP_METRIC_ENUM(id, kind, dims, drill) RM_##id,
enum rep_metric { REP_METRICS(REP_METRIC_ENUM) REP_NMETRICS };
#undef REP_METRIC_ENUM

struct rep_metric_def {
	const char *id;
	char kind;		/* 'N', 'S', 'H' or 'P' */
	unsigned dims;
	const char *drill;
};

const struct rep_metric_def *rep_metric(enum rep_metric m);
/* A figure of summed rollup columns v, with the service level's threshold
 * sl_s (one of REP_SL_STEPS). false when it has no value (nothing to
 * divide by). */
bool rep_metric_value(enum rep_metric m, const long long *v, int sl_s, double *out);
/* The figure as the page, the CSV and the workbook show it: counts whole,
 * seconds and hours with one decimal, percentages with one decimal; "" when
 * it has no value. buf needs 32 bytes. */
void rep_metric_format(enum rep_metric m, const long long *v, int sl_s, char *buf, size_t n);
/* Whether s seconds is a threshold of REP_SL_STEPS. */
bool rep_sl_valid(int s);

#endif
