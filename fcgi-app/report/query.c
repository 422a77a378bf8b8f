/* A report: the rollup rows of one dimension summed over a range of the
 * center's hours, by key and period (hour, day, week from Monday, month, or
 * the whole range); the keys' names; break time by reason. */
#include "query.h"

#include "../clock.h"
#include "../web.h"
#include "db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PERIOD_NAME(id, name, expr) [RP_##id] = name,
static const char *const period_names[RP_NPERIODS] = { REP_PERIODS(PERIOD_NAME) };
#undef PERIOD_NAME

const char *rep_period_name(enum rep_period p)
{
	return p < RP_NPERIODS ? period_names[p] : NULL;
}

int rep_period_parse(const char *s)
{
	for (int p = 0; s && p < RP_NPERIODS; p++)
		if (!strcmp(s, period_names[p]))
			return p;
	return -1;
}

static pthread_once_t sql_once = PTHREAD_ONCE_INIT;
static char sums_sql[RP_NPERIODS][2][2][4096];	/* period, by day, one key */
static char break_sql[RP_NPERIODS][2][512];	/* period, the center's only */

static void build_sql(void)
{
	static const char *const expr[RP_NPERIODS] = {
#define PERIOD_EXPR(id, name, e) [RP_##id] = e,
		REP_PERIODS(PERIOD_EXPR)
#undef PERIOD_EXPR
	};
	char cols[2048] = "";
	size_t cl = 0;
#define COL_SUM(name, agg) \
	cl += (size_t)snprintf(cols + cl, sizeof cols - cl, ", " #agg "(" #name ")");
	REP_COLS(COL_SUM)
#undef COL_SUM
	for (int p = 0; p < RP_NPERIODS; p++) {
		for (int d = 0; d < 2; d++)
			for (int k = 0; k < 2; k++)
				snprintf(sums_sql[p][d][k], sizeof sums_sql[p][d][k],
					 "SELECT dim_key, %s, MIN(%s)%s FROM %s "
					 "WHERE dim = ? AND %s >= ? AND %s < ?%s "
					 "GROUP BY dim_key, 2 ORDER BY 3, dim_key",
					 expr[p], d ? "day_start" : "hour_start", cols,
					 d ? "cc_report_day" : "cc_report_hour",
					 d ? "day_start" : "hour_start", d ? "day_start" : "hour_start",
					 k ? " AND dim_key = ?" : "");
		for (int c = 0; c < 2; c++)
			snprintf(break_sql[p][c], sizeof break_sql[p][c],
				 "SELECT agent_id, %s, reason, SUM(ms) FROM cc_report_break "
				 "WHERE %s hour_start >= ? AND hour_start < ? "
				 "GROUP BY agent_id, 2, reason",
				 expr[p], c ? "agent_id = '' AND" : "agent_id <> '' AND");
	}
}

struct sum_load {
	struct arena *a;
	struct rep_row *rows;
	size_t n, cap;
	bool oom;
};

static int sum_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct sum_load *l = arg;
	if (ncol != 3 + REP_NCOLS)
		return -1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct rep_row *p = realloc(l->rows, cap * sizeof *p);
		if (!p) {
			l->oom = true;
			return -1;
		}
		l->rows = p;
		l->cap = cap;
	}
	struct rep_row *r = &l->rows[l->n++];
	memset(r, 0, sizeof *r);
	r->key = arena_strdup(l->a, v[0] ? v[0] : "");
	r->period = arena_strdup(l->a, v[1] ? v[1] : "");
	r->first_hour = v[2] ? atoll(v[2]) : 0;
	for (int c = 0; c < REP_NCOLS; c++)
		r->v[c] = v[3 + c] ? atoll(v[3 + c]) : 0;
	return 0;
}

/* Where a period begins and ends, within the query's range. */
static void period_range(const struct ivr_tz *tz, const struct rep_query *q, struct rep_row *r)
{
	long long t = r->first_hour, a, b;
	switch (q->period) {
	case RP_HOUR: a = t; b = clock_hour_start(tz, t + 3600); break;
	case RP_DAY: a = clock_day_start(tz, t); b = clock_day_start(tz, a + 86400 + 7200); break;
	case RP_WEEK:
		a = clock_week_start(tz, t);
		b = clock_week_start(tz, a + 7 * 86400 + 7200);
		break;
	case RP_MONTH:
		a = clock_month_start(tz, t);
		b = clock_month_start(tz, a + 32 * 86400);
		break;
	default: a = q->from; b = q->to; break;
	}
	r->from = a > q->from ? a : q->from;
	r->to = b < q->to ? b : q->to;
}

struct name_load {
	struct arena *a;
	struct rep_row *rows;
	size_t n;
};

static int name_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct name_load *l = arg;
	if (ncol < 2 || !v[0])
		return 0;
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->rows[i].key, v[0]))
			l->rows[i].name = arena_strdup(l->a, v[1] ? v[1] : "");
	return 0;
}

struct break_load {
	struct arena *a;
	struct rep_result *res;
	struct rep_row **by_key;	/* the rows sorted by key, then period */
};

static int key_period_cmp(const void *a, const void *b)
{
	const struct rep_row *x = *(struct rep_row *const *)a, *y = *(struct rep_row *const *)b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->period, y->period);
}

static int break_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct break_load *l = arg;
	struct rep_result *res = l->res;
	if (ncol != 4 || !v[0] || !v[1] || !v[2])
		return 0;
	int reason = -1;
	for (size_t i = 0; i < res->nreasons; i++)
		if (!strcmp(res->reasons[i], v[2]))
			reason = (int)i;
	if (reason < 0) {
		if (res->nreasons == REP_MAX_REASONS)
			return 0;
		res->reasons[res->nreasons] = arena_strdup(l->a, v[2]);
		reason = (int)res->nreasons++;
	}
	/* The center's rows have the key "" too: the center's break rows. */
	struct rep_row probe = { .key = v[0], .period = v[1] }, *pp = &probe;
	struct rep_row **hit = bsearch(&pp, l->by_key, res->nrows, sizeof *l->by_key, key_period_cmp);
	if (hit)
		(*hit)->breaks[reason] += atoll(v[3] ? v[3] : "0");
	return 0;
}

int rep_query_run(struct req *r, const struct rep_query *q, struct rep_result *res)
{
	pthread_once(&sql_once, build_sql);
	struct db *db = r->thr->db;
	memset(res, 0, sizeof *res);
	res->dim = q->dim;
	struct sum_load l = { .a = r->a };
	/* Whole days by day or longer: the daily rows, 24 times fewer. */
	const struct ivr_tz *tz = r->web->tz;
	int by_day = q->period != RP_HOUR && clock_day_start(tz, q->from) == q->from &&
		     clock_day_start(tz, q->to) == q->to;
	int n = q->key && *q->key
			? db_query(db, sums_sql[q->period][by_day][1], sum_row, &l, "siis",
				   rep_dim_name(q->dim), q->from, q->to, q->key)
			: db_query(db, sums_sql[q->period][by_day][0], sum_row, &l, "sii",
				   rep_dim_name(q->dim), q->from, q->to);
	if (n < 0 || l.oom) {
		free(l.rows);
		return -1;
	}
	/* The rows into the request's arena: the caller frees nothing. */
	res->rows = arena_alloc(r->a, (l.n ? l.n : 1) * sizeof *res->rows);
	if (!res->rows) {
		free(l.rows);
		return -1;
	}
	memcpy(res->rows, l.rows, l.n * sizeof *l.rows);
	res->nrows = l.n;
	free(l.rows);
	for (size_t i = 0; i < res->nrows; i++) {
		period_range(r->web->tz, q, &res->rows[i]);
		res->rows[i].name = res->rows[i].key;
		for (int c = 0; c < REP_NCOLS; c++)
			if (rep_col_is_max((enum rep_col)c)) {
				if (res->rows[i].v[c] > res->total[c])
					res->total[c] = res->rows[i].v[c];
			} else {
				res->total[c] += res->rows[i].v[c];
			}
	}
	struct name_load nl = { r->a, res->rows, res->nrows };
	const char *names = NULL;
	switch (q->dim) {
	case REP_GROUP: names = "SELECT id, name FROM cc_skill_group"; break;
	case REP_NUMBER: names = "SELECT id, CONCAT(number, ' ', name) FROM cc_number"; break;
	case REP_TASK: names = "SELECT id, name FROM cc_task"; break;
	case REP_NODE:
		names = "SELECT CONCAT(f.id, '/', h.dim_key_node), CONCAT(f.name, ' › ', "
			"h.dim_key_node) FROM cc_ivr_flow f JOIN (SELECT DISTINCT "
			"SUBSTRING_INDEX(dim_key, '/', 1) flow, SUBSTRING(dim_key, "
			"LOCATE('/', dim_key) + 1) dim_key_node FROM cc_report_day WHERE dim = 'node' "
			"AND day_start >= ? AND day_start < ?) h ON h.flow = f.id";
		break;
	case REP_AGENT: names = r->web->sql.report_agents; break;
	default: break;
	}
	if (names && q->dim == REP_NODE) {
		if (db_query(db, names, name_row, &nl, "ii", clock_day_start(tz, q->from), q->to) < 0)
			return -1;
	} else if (names && q->dim == REP_AGENT) {
		if (db_query(db, names, name_row, &nl, "ii", clock_day_start(tz, q->from), q->to) < 0)
			return -1;
	} else if (names && db_query(db, names, name_row, &nl, "") < 0) {
		return -1;
	}
	if (q->dim == REP_AGENT || q->dim == REP_CENTER) {
		struct break_load bl = { r->a, res, arena_alloc(r->a, (res->nrows + 1) * sizeof *bl.by_key) };
		if (!bl.by_key)
			return -1;
		for (size_t i = 0; i < res->nrows; i++)
			bl.by_key[i] = &res->rows[i];
		qsort(bl.by_key, res->nrows, sizeof *bl.by_key, key_period_cmp);
		if (db_query(db, break_sql[q->period][q->dim == REP_CENTER], break_row, &bl, "ii",
			     q->from, q->to) < 0)
			return -1;
	}
	return 0;
}
