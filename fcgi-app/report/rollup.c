/* The hourly rollups (cc_report_hour, cc_report_break, and the days'
 * cc_report_day rows), kept by a thread of their own with their own
 * database connection:
 *
 *   every report_rollup_s  the current and previous hour from the fold of
 *                          them the thread keeps (window.c): only the calls
 *                          that ended and the agents' state rows logged
 *                          since the last run are read and folded in, and
 *                          the hours' rows written again (agents' state time
 *                          runs on to now); a call that arrived before them
 *                          has its hours rebuilt whole;
 *   every report_full_s    the last report_full_hours hours rebuilt (a write
 *                          that came later still, after a database outage);
 *   at start               everything, when the rollups were made in another
 *                          time zone or never (cc_setting report_zone).
 *
 * Late commits: a run reads again what ended or was logged from two minutes
 * before its last read (LOOK_BACK_MS), and the window knows the ids of what
 * it folded in that span, so a row that commits up to two minutes after its
 * time is counted once; a state row older than its agent's last folded
 * cannot be placed and has the window rebuilt; one later still waits for
 * report_full_s.
 *
 * A rebuild reads an hour's calls, events and state rows again, folds them
 * (fold.c) and replaces its rows in one transaction, so a run may be
 * repeated or interrupted at any point. The window is rebuilt so, in one
 * transaction with its reads, when it cannot be trusted: the first run, an
 * hour's start, a zone change, a failed run, the report_full_s pass, a late
 * state row, and a write by another cc-web. Several cc-web processes take
 * turns through GET_LOCK, and each write of the rollups counts itself in
 * cc_setting report_gen: a run's write checks that the count is the one it
 * left (on a Galera cluster GET_LOCK is a node's, the count is not). */
#include "load.h"
#include "report.h"
#include "rollup.h"
#include "window.h"

#include "../clock.h"
#include "../web.h"
#include "db.h"
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROLLUP_DB_TIMEOUT_S 300

struct rollup {
	struct web *w;
	pthread_t thr;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned long asked, done;	/* runs asked for by rollup_now, and done */
	bool stop, last_ok;
	bool rebuild;			/* the next run rebuilds everything */
	long long rolled_at;		/* ms: the start of the last run that succeeded */
	/* The thread's own: the current hours' rollup kept from the last run. */
	struct rep_window *win;		/* NULL: the next run rebuilds them */
	long long win_from, win_to;	/* s: its hours */
	long long read_at;		/* ms: when the run that last read for it began */
	char gen[24];			/* cc_setting report_gen as that run left it */
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* --- writing ------------------------------------------------------------------------ */

#define HOUR_KEYS 5	/* dim, dim_key, hour_start, day, lhour */
#define HOUR_ROWS 2	/* rows per INSERT: (5 + REP_NCOLS) values each, within DB_MAX_PARAMS */
#define BREAK_ROWS 20

_Static_assert(HOUR_ROWS * (HOUR_KEYS + REP_NCOLS) <= DB_MAX_PARAMS, "rows per insert");

static pthread_once_t sql_once = PTHREAD_ONCE_INIT;
static char hour_sql[HOUR_ROWS + 1][4096];
static char break_sql[BREAK_ROWS + 1][1024];

static void build_sql(void)
{
	char cols[1024] = "", marks[512] = "";
	size_t cl = 0, ml = 0;
#define COL_TEXT(name, agg)                                                               \
	cl += (size_t)snprintf(cols + cl, sizeof cols - cl, ", " #name);                  \
	ml += (size_t)snprintf(marks + ml, sizeof marks - ml, ", ?");
	REP_COLS(COL_TEXT)
#undef COL_TEXT
	for (int n = 1; n <= HOUR_ROWS; n++) {
		int off = snprintf(hour_sql[n], sizeof hour_sql[n],
				   "INSERT INTO cc_report_hour (dim, dim_key, hour_start, day, lhour%s) "
				   "VALUES ", cols);
		for (int i = 0; i < n; i++)
			off += snprintf(hour_sql[n] + off, sizeof hour_sql[n] - (size_t)off,
					"%s(?, ?, ?, ?, ?%s)", i ? ", " : "", marks);
	}
	for (int n = 1; n <= BREAK_ROWS; n++) {
		int off = snprintf(break_sql[n], sizeof break_sql[n],
				   "INSERT INTO cc_report_break (agent_id, reason, hour_start, day, ms) "
				   "VALUES ");
		for (int i = 0; i < n; i++)
			off += snprintf(break_sql[n] + off, sizeof break_sql[n] - (size_t)off,
					"%s(?, ?, ?, ?, ?)", i ? ", " : "");
	}
}

static void local_day(const struct ivr_tz *tz, long long hour, char day[11], int *lhour)
{
	struct clock_tm lt;
	clock_split(tz, hour, &lt);
	snprintf(day, 11, "%04d-%02d-%02d", lt.year, lt.mon, lt.day);
	*lhour = lt.hour;
}

static int write_hours(struct db *db, const struct ivr_tz *tz, const struct rep_fold *f)
{
	size_t n;
	const struct rep_bucket *b = rep_fold_buckets(f, &n);
	for (size_t start = 0; start < n; start += HOUR_ROWS) {
		size_t rows = n - start < HOUR_ROWS ? n - start : HOUR_ROWS;
		union db_val v[HOUR_ROWS * (HOUR_KEYS + REP_NCOLS)];
		char fmt[HOUR_ROWS * (HOUR_KEYS + REP_NCOLS) + 1], days[HOUR_ROWS][11];
		size_t k = 0;
		for (size_t i = 0; i < rows; i++) {
			const struct rep_bucket *r = &b[start + i];
			int lhour;
			local_day(tz, r->hour, days[i], &lhour);
			memcpy(fmt + k, "ssisi", HOUR_KEYS);
			v[k++] = (union db_val){ .s = rep_dim_name(r->dim) };
			v[k++] = (union db_val){ .s = r->key };
			v[k++] = (union db_val){ .i = r->hour };
			v[k++] = (union db_val){ .s = days[i] };
			v[k++] = (union db_val){ .i = lhour };
			for (int c = 0; c < REP_NCOLS; c++) {
				fmt[k] = 'i';
				v[k++] = (union db_val){ .i = r->v[c] };
			}
		}
		fmt[k] = '\0';
		if (db_execa(db, hour_sql[rows], fmt, v) < 0)
			return -1;
	}
	const struct rep_break *br = rep_fold_breaks(f, &n);
	for (size_t start = 0; start < n; start += BREAK_ROWS) {
		size_t rows = n - start < BREAK_ROWS ? n - start : BREAK_ROWS;
		union db_val v[BREAK_ROWS * 5];
		char fmt[BREAK_ROWS * 5 + 1], days[BREAK_ROWS][11];
		for (size_t i = 0; i < rows; i++) {
			const struct rep_break *r = &br[start + i];
			int lhour;
			local_day(tz, r->hour, days[i], &lhour);
			memcpy(fmt + i * 5, "ssisi", 5);
			v[i * 5] = (union db_val){ .s = r->agent };
			v[i * 5 + 1] = (union db_val){ .s = r->reason };
			v[i * 5 + 2] = (union db_val){ .i = r->hour };
			v[i * 5 + 3] = (union db_val){ .s = days[i] };
			v[i * 5 + 4] = (union db_val){ .i = r->ms };
		}
		fmt[rows * 5] = '\0';
		if (db_execa(db, break_sql[rows], fmt, v) < 0)
			return -1;
	}
	return 0;
}

static pthread_once_t day_once = PTHREAD_ONCE_INIT;
static char day_sql[4096];

static void build_day_sql(void)
{
	char cols[1024] = "", sums[2048] = "";
	size_t cl = 0, sl = 0;
#define DAY_COL(name, agg)                                                           \
	cl += (size_t)snprintf(cols + cl, sizeof cols - cl, ", " #name);            \
	sl += (size_t)snprintf(sums + sl, sizeof sums - sl, ", " #agg "(" #name ")");
	REP_COLS(DAY_COL)
#undef DAY_COL
	snprintf(day_sql, sizeof day_sql,
		 "INSERT INTO cc_report_day (dim, dim_key, day_start, day%s) "
		 "SELECT dim, dim_key, ?, ?%s FROM cc_report_hour "
		 "WHERE hour_start >= ? AND hour_start < ? GROUP BY dim, dim_key",
		 cols, sums);
}

/* The days that hold [from, to): their rows of cc_report_day again, from
 * their hours. */
static int write_days(struct db *db, const struct ivr_tz *tz, long long from, long long to)
{
	pthread_once(&day_once, build_day_sql);
	for (long long d = clock_day_start(tz, from); d < to;) {
		long long next = clock_day_start(tz, d + 86400 + 7200);
		char day[11];
		int lhour;
		local_day(tz, d, day, &lhour);
		if (db_exec(db, "DELETE FROM cc_report_day WHERE day_start = ?", "i", d) < 0 ||
		    db_exec(db, day_sql, "isii", d, day, d, next) < 0)
			return -1;
		d = next;
	}
	return 0;
}

/* Counts a write of the rollups in cc_setting report_gen, inside the
 * writer's transaction, and puts the new count in gen. With expect, only
 * if the count is still expect (no other cc-web wrote since): 1 if not.
 * 0, or -1. */
static int gen_next(struct db *db, const char *expect, char gen[24])
{
	long long n = expect ? db_exec(db,
				       "UPDATE cc_setting SET value = value + 1 "
				       "WHERE name = 'report_gen' AND value = ?", "s", expect)
			     : db_exec(db,
				       "INSERT INTO cc_setting (name, value) VALUES ('report_gen', '1') "
				       "ON DUPLICATE KEY UPDATE value = value + 1", "");
	if (n < 0)
		return -1;
	if (expect && n == 0)
		return 1;
	return db_query_value(db, gen, 24, "SELECT value FROM cc_setting WHERE name = 'report_gen'",
			      "") == 1 ? 0 : -1;
}

/* Replaces the rows of the hours [from, to) (and of the days that hold
 * them) with f's, inside the caller's transaction. */
static int replace_rows(struct db *db, const struct ivr_tz *tz, long long from, long long to,
			const struct rep_fold *f)
{
	pthread_once(&sql_once, build_sql);
	if (db_exec(db, "DELETE FROM cc_report_hour WHERE hour_start >= ? AND hour_start < ?", "ii",
		    from, to) < 0 ||
	    db_exec(db, "DELETE FROM cc_report_break WHERE hour_start >= ? AND hour_start < ?", "ii",
		    from, to) < 0)
		return -1;
	return write_hours(db, tz, f) || write_days(db, tz, from, to) ? -1 : 0;
}

/* replace_rows and gen_next in one transaction (db_txn: run again whole
 * when it loses a conflict). 0, 1 when another cc-web wrote since expect,
 * or -1; the new count in next. */
struct write_txn {
	const struct ivr_tz *tz;
	long long from, to;
	const struct rep_fold *f;
	const char *expect;
	char next[24];
};

static int write_body(struct db *db, void *arg)
{
	struct write_txn *t = arg;
	int g = gen_next(db, t->expect, t->next);
	return g ? g : replace_rows(db, t->tz, t->from, t->to, t->f);
}

/* One chunk: read, fold, replace its rows in one transaction. With gen,
 * only when no other cc-web wrote since (else 1), gen then updated. */
static int rollup_chunk(struct db *db, const struct ivr_tz *tz, long long from, long long to,
			long long now, char gen[24])
{
	struct loaded l = { 0 };
	struct rep_fold *f = NULL;
	int rc = -1;
	if (load_hours(db, from, to, &l) || load_attach(&l))
		goto out;
	if (!(f = rep_fold_new(tz, from * 1000, to * 1000)))
		goto out;
	for (size_t i = 0; i < l.ncalls; i++)
		if (rep_fold_call(f, &l.calls[i]))
			goto out;
	long long until = now < to * 1000 ? now : to * 1000;
	for (size_t i = 0, j; i < l.nst; i = j) {
		for (j = i + 1; j < l.nst && !strcmp(l.st[j].agent, l.st[i].agent); j++)
			;
		if (rep_fold_states(f, &l.st[i], j - i, until))
			goto out;
	}
	struct write_txn t = { .tz = tz, .from = from, .to = to, .f = f, .expect = gen };
	if ((rc = db_txn(db, write_body, &t)))
		goto out;
	if (gen)
		memcpy(gen, t.next, sizeof t.next);
out:
	if (rc && l.oom)
		log_err("reports: out of memory rolling up %lld..%lld", from, to);
	rep_fold_free(f);
	load_free(&l);
	return rc;
}

/* rollup_range's work; with gen, as rollup_chunk's. */
static int rollup_hours(struct db *db, const struct ivr_tz *tz, long long from, long long to,
			long long now, char gen[24])
{
	pthread_once(&sql_once, build_sql);
	from = clock_hour_start(tz, from);
	for (long long a = from; a < to;) {
		long long b = clock_hour_start(tz, a + 86400);
		if (b > to)
			b = to;
		int rc = rollup_chunk(db, tz, a, b, now, gen);
		if (rc) {
			if (rc < 0)
				log_warn("reports: rollup of %lld..%lld failed: %s", a, b,
					 db_error(db));
			return rc;
		}
		a = b;
	}
	return 0;
}

int rollup_range(struct db *db, const struct ivr_tz *tz, long long from, long long to,
		 long long now)
{
	return rollup_hours(db, tz, from, to, now, NULL);
}

/* --- the current hours, kept between runs ------------------------------------------ */

/* How far before its last read a run reads again the calls that ended and
 * the state rows logged: a row that commits up to this long after its time
 * is still counted by the next run (one later still, by the report_full_s
 * pass). The ids of what was folded in this span are kept (window.c), so
 * none is counted twice. */
#define LOOK_BACK_MS (120 * 1000)

static long long look_from(long long read_at)
{
	return (read_at - LOOK_BACK_MS) / 1000 * 1000;
}

static void window_drop(struct rollup *r)
{
	rep_window_free(r->win);
	r->win = NULL;
}

/* The current hours [from, to) rebuilt whole, their fold kept in r->win.
 * Read and written in one transaction: its reads see one snapshot, so the
 * window remembers as folded exactly the calls and rows it wrote. The
 * transaction is run again whole when it loses a conflict (db_txn), from
 * a new window. */
struct build {
	struct rollup *r;
	long long from, to, now;
	struct rep_window *win;
	struct loaded l;
	struct rep_fold *f;
	bool oom;		/* the last run ran out of memory */
};

static void build_free(struct build *b)
{
	rep_fold_free(b->f);
	rep_window_free(b->win);
	load_free(&b->l);
	b->f = NULL;
	b->win = NULL;
	b->l = (struct loaded){ 0 };
}

static int build_body(struct db *db, void *arg)
{
	struct build *b = arg;
	build_free(b);
	b->oom = true;
	if (!(b->win = rep_window_new(b->r->w->tz, b->from * 1000, b->to * 1000)))
		return -1;
	b->oom = false;
	rep_window_forget(b->win, look_from(b->now));
	if (load_hours(db, b->from, b->to, &b->l) || load_attach(&b->l)) {
		b->oom = b->l.oom;
		return -1;
	}
	b->oom = true;
	for (size_t i = 0; i < b->l.ncalls; i++)
		if (rep_window_call(b->win, &b->l.calls[i]))
			return -1;
	for (size_t i = 0; i < b->l.nst; i++)
		if (rep_window_state(b->win, &b->l.st[i], b->l.stid[i]))
			return -1;	/* read in order: only out of memory */
	if (!(b->f = rep_window_fold(b->win, b->now)))
		return -1;
	b->oom = false;
	if (replace_rows(db, b->r->w->tz, b->from, b->to, b->f))
		return -1;
	return gen_next(db, NULL, b->r->gen) ? -1 : 0;
}

static int window_build(struct rollup *r, struct db *db, long long from, long long to,
			long long now)
{
	window_drop(r);
	struct build b = { .r = r, .from = from, .to = to, .now = now };
	int rc = db_txn(db, build_body, &b) ? -1 : 0;
	if (rc == 0) {
		r->win = b.win;
		r->win_from = from;
		r->win_to = to;
		r->read_at = now;
		b.win = NULL;
	} else {
		log_warn("reports: rollup of %lld..%lld failed: %s", from, to,
			 b.oom ? "out of memory" : db_error(db));
	}
	build_free(&b);
	return rc;
}

/* The ids of the calls that ended since the look-back and are not folded. */
struct new_ids {
	const struct rep_window *win;
	char (*id)[33];
	size_t n, cap;
	bool oom;
};

static int new_id_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)ncol;
	(void)lens;
	struct new_ids *ids = arg;
	if (!v[0] || strlen(v[0]) >= sizeof *ids->id || rep_window_has_call(ids->win, v[0]))
		return 0;
	if (!rep_room((void **)&ids->id, &ids->cap, ids->n, sizeof *ids->id)) {
		ids->oom = true;
		return -1;
	}
	snprintf(ids->id[ids->n++], sizeof *ids->id, "%s", v[0]);
	return 0;
}

/* A run that folds into r->win only what was written since the last: the
 * calls that ended and the agents' state rows logged since its look-back,
 * found by ended_idx and at_idx. A call that arrived before the window
 * (longer than an hour) has its hours rebuilt whole. 0; 1 when the window
 * cannot be trusted (another cc-web wrote the rollups, or a state row came
 * late): rebuild it; -1. */
static int window_step(struct rollup *r, struct db *db, long long now)
{
	struct rep_window *win = r->win;
	long long from = r->win_from, to = r->win_to;
	long long since = look_from(r->read_at), before = 0;
	struct new_ids ids = { .win = win };
	struct loaded l = { 0 };
	struct rep_fold *f = NULL;
	int rc = -1;
	if (db_query(db, "SELECT id FROM cc_call WHERE ended_at >= FROM_UNIXTIME(?)", new_id_row,
		     &ids, "i", since / 1000) < 0 ||
	    load_calls(db, (const char(*)[33])ids.id, ids.n, &l) || load_attach(&l))
		goto out;
	for (size_t i = 0; i < l.ncalls; i++) {
		const struct rep_call *c = &l.calls[i];
		if (c->t_start < from * 1000) {
			if (!before || c->t_start < before)
				before = c->t_start;
		} else if (c->t_start < to * 1000 && rep_window_call(win, c)) {
			goto out;
		}
	}
	if (before) {
		/* rollup_hours logged its failure */
		if ((rc = rollup_hours(db, r->w->tz, before / 1000, from, now, r->gen)))
			goto done;
		rc = -1;
		for (size_t i = 0; i < l.ncalls; i++)
			if (l.calls[i].t_start < from * 1000 &&
			    rep_window_mark_call(win, l.calls[i].id, l.calls[i].t_end))
				goto out;
	}
	size_t nst = l.nst;
	if (load_states(db, (since > from * 1000 ? since : from * 1000) / 1000, to, &l))
		goto out;
	for (size_t i = nst; i < l.nst; i++) {
		if (rep_window_has_state(win, l.stid[i]))
			continue;
		int st = rep_window_state(win, &l.st[i], l.stid[i]);
		if (st) {
			rc = st;
			goto out;
		}
	}
	if (!(f = rep_window_fold(win, now)))
		goto out;
	struct write_txn t = { .tz = r->w->tz, .from = from, .to = to, .f = f, .expect = r->gen };
	if ((rc = db_txn(db, write_body, &t)))
		goto out;
	snprintf(r->gen, sizeof r->gen, "%s", t.next);
	rep_window_forget(win, look_from(now));
	r->read_at = now;
	rc = 0;
out:
	if (rc < 0 && (ids.oom || l.oom))
		log_err("reports: out of memory rolling up %lld..%lld", from, to);
	else if (rc < 0)
		log_warn("reports: rollup of %lld..%lld failed: %s", from, to, db_error(db));
done:
	rep_fold_free(f);
	free(ids.id);
	load_free(&l);
	return rc;
}

/* --- the thread --------------------------------------------------------------------- */

static const char *zone_name(const struct web *w)
{
	return *w->conf.time_zone ? w->conf.time_zone : "localtime";
}

/* One run: everything when the zone changed or nothing was ever built,
 * else (full: the last report_full_hours) the hours since the last run:
 * the current and previous hour by their window when it can be trusted
 * (window_step), else read again whole (window_build). */
static int run(struct rollup *r, struct db *db, long long since_ms, bool full, bool all)
{
	struct web *w = r->w;
	char got[8] = "", zone[80] = "";
	if (db_query_value(db, got, sizeof got, "SELECT GET_LOCK('cc_report_rollup', 0)", "") < 0)
		return -1;
	if (strcmp(got, "1"))
		return 0;	/* another cc-web is at it */
	long long now = now_ms(), to = clock_hour_start(w->tz, now / 1000 + 3600), from;
	long long win_from = clock_hour_start(w->tz, now / 1000 - 3600);
	int rc = db_query_value(db, zone, sizeof zone,
				"SELECT value FROM cc_setting WHERE name = 'report_zone'", "");
	bool rebuild = all || rc == 0 || (rc > 0 && strcmp(zone, zone_name(w)));
	if (rc < 0)
		goto out;
	rc = -1;
	if (!rebuild && !full && r->win && r->win_from == win_from) {
		int st = window_step(r, db, now);
		if (st <= 0) {
			rc = st;
			goto out;
		}
		log_info("reports: the current hours' rollup is read again (written by another "
			 "cc-web, or a state row came late)");
		window_drop(r);
	}
	if (rebuild) {
		char first[32] = "";
		if (db_query_value(db, first, sizeof first,
				   "SELECT LEAST(COALESCE((SELECT UNIX_TIMESTAMP(MIN(started_at)) "
				   "FROM cc_call), UNIX_TIMESTAMP()), COALESCE((SELECT "
				   "UNIX_TIMESTAMP(MIN(at)) FROM cc_agent_state_log), UNIX_TIMESTAMP()))",
				   "") < 0)
			goto out;
		from = atoll(first);
		log_info("reports: building the hourly rollups from %lld (zone %s)", from,
			 zone_name(w));
	} else if (full) {
		from = now / 1000 - (long long)w->conf.report_full_hours * 3600;
	} else {
		char first[32] = "";
		if (db_query_value(db, first, sizeof first,
				   "SELECT UNIX_TIMESTAMP(MIN(started_at)) FROM cc_call "
				   "WHERE ended_at >= FROM_UNIXTIME(?)", "i",
				   look_from(since_ms) / 1000) < 0)
			goto out;
		from = win_from;
		if (*first && atoll(first) < from)
			from = atoll(first);
	}
	if (from < win_from && rollup_range(db, w->tz, from, win_from, now))
		goto out;
	if (window_build(r, db, win_from, to, now))
		goto out;
	if (rebuild && db_exec(db,
			       "REPLACE INTO cc_setting (name, value) VALUES ('report_zone', ?)", "s",
			       zone_name(w)) < 0)
		goto out;
	rc = 0;
out:
	if (rc)
		window_drop(r);
	db_exec(db, "DO RELEASE_LOCK('cc_report_rollup')", "");
	return rc;
}

static void *rollup_main(void *arg)
{
	struct rollup *r = arg;
	struct web *w = r->w;
	struct db *db = NULL;
	/* A day of a busy center is a few hundred thousand rows to read and
	 * sort: more than a page's db_timeout_s may allow. */
	struct db_conf dbc = w->dbc;
	if (dbc.timeout_s < ROLLUP_DB_TIMEOUT_S)
		dbc.timeout_s = ROLLUP_DB_TIMEOUT_S;
	if (db_alloc(&db, &dbc)) {
		log_err("reports: out of memory");
		return NULL;
	}
	long long last = 0, last_full = now_ms();
	pthread_mutex_lock(&r->mu);
	while (!r->stop) {
		unsigned long asked = r->asked;
		bool all = r->rebuild;
		r->rebuild = false;
		pthread_mutex_unlock(&r->mu);
		long long start = now_ms();
		bool full = start - last_full >= (long long)w->conf.report_full_s * 1000;
		bool ok = run(r, db, last ? last : start - 3600 * 1000, full, all) == 0;
		if (ok) {
			last = start;
			if (full)
				last_full = start;
		}
		pthread_mutex_lock(&r->mu);
		r->done = asked;
		r->last_ok = ok;
		if (ok)
			r->rolled_at = start;
		pthread_cond_broadcast(&r->cv);
		if (r->stop || r->asked != asked)
			continue;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)w->conf.report_rollup_s;
		while (!r->stop && r->asked == asked &&
		       pthread_cond_timedwait(&r->cv, &r->mu, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&r->mu);
	db_free(db);
	return NULL;
}

int rollup_alloc(struct rollup **out, struct web *w)
{
	struct rollup *r = calloc(1, sizeof *r);
	if (!r)
		return ENOMEM;
	r->w = w;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	*out = r;
	return 0;
}

int rollup_start(struct rollup *r)
{
	int err = pthread_create(&r->thr, NULL, rollup_main, r);
	r->started = !err;
	return err;
}

void rollup_free(struct rollup *r)
{
	if (!r)
		return;
	if (r->started) {
		pthread_mutex_lock(&r->mu);
		r->stop = true;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
		pthread_join(r->thr, NULL);
	}
	rep_window_free(r->win);
	pthread_cond_destroy(&r->cv);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

int rollup_now(struct rollup *r, int timeout_ms, bool all, long long *rolled_at)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&r->mu);
	unsigned long want = ++r->asked;
	if (all)
		r->rebuild = true;
	pthread_cond_broadcast(&r->cv);
	int rc = 0;
	while (r->started && !r->stop && r->done < want && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&r->cv, &r->mu, &until);
	int out = r->done < want ? 1 : r->last_ok ? 0 : -1;
	if (rolled_at)
		*rolled_at = r->rolled_at;
	pthread_mutex_unlock(&r->mu);
	return out;
}

long long rollup_rolled_at(struct rollup *r)
{
	pthread_mutex_lock(&r->mu);
	long long t = r->rolled_at;
	pthread_mutex_unlock(&r->mu);
	return t;
}
