/* A report's query (query.c) and its handlers (page.c). */
#ifndef WEB_REPORT_QUERY_H
#define WEB_REPORT_QUERY_H

#include "report.h"

#include "../route.h"

/* X(id, name, SQL of the period's label from a rollup row). */
#define REP_PERIODS(X) \
	X(HOUR, "hour", "hour_start") \
	X(DAY, "day", "DATE_FORMAT(day, '%Y-%m-%d')") \
	X(WEEK, "week", "DATE_FORMAT(day - INTERVAL WEEKDAY(day) DAY, '%Y-%m-%d')") \
	X(MONTH, "month", "DATE_FORMAT(day, '%Y-%m')") \
	X(TOTAL, "total", "''")

#define REP_PERIOD_ENUM(id, name, expr) RP_##id,
enum rep_period { REP_PERIODS(REP_PERIOD_ENUM) RP_NPERIODS };
#undef REP_PERIOD_ENUM

const char *rep_period_name(enum rep_period p);
int rep_period_parse(const char *s);

struct rep_query {
	enum rep_dim dim;
	enum rep_period period;
	long long from, to;	/* seconds, starts of local hours; to excluded */
	int sl;			/* the service level's threshold, s (REP_SL_STEPS) */
	const char *key;	/* one key of the dimension, or NULL for all */
};

#define REP_MAX_REASONS 16

struct rep_row {
	const char *key, *name;	/* the dimension's key and what it is called */
	const char *period;	/* the period's label (an hour: its start, seconds) */
	long long first_hour;	/* the first hour with figures */
	long long from, to;	/* the period within the query's range, seconds */
	long long v[REP_NCOLS];
	long long breaks[REP_MAX_REASONS];	/* ms on break for each of the result's reasons */
};

struct rep_result {
	enum rep_dim dim;
	struct rep_row *rows;	/* in the request's arena, by period then key */
	size_t nrows;
	long long total[REP_NCOLS];	/* of every row */
	const char *reasons[REP_MAX_REASONS];	/* break reasons seen, for agents and the center */
	size_t nreasons;
};

/* 0, or -1 when the database failed. */
int rep_query_run(struct req *r, const struct rep_query *q, struct rep_result *res);

#endif
