/* The rollup thread's window (fcgi-app/report/window.c): after each of
 * several runs, each fed only what became visible since the last (and the
 * look-back's rows again), its buckets are those of a fold of everything
 * visible then, at the same moment: a call that committed after the
 * wrap-up that followed it, a call that arrived before the window, agents'
 * states still open (running on to now), a break, and a state row that
 * comes late (the window says it cannot count it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "fcgi-app/report/report.h"
#include "fcgi-app/report/window.h"
#include "report_day.h"

#define A3 "0u000000000000000000000000000003"

/* What the database holds, in the order it committed: run is the first
 * run that sees it. */
struct item {
	int run;
	const struct rep_call *call;
	struct rep_state st;
	unsigned long long id;
};

#define EV(name, at, g, agent) { name, at, g, agent, NULL }

static const struct rep_event ev1[] = { EV("enqueue", T(10, 5, 0), 1, NULL),
					EV("offer", T(10, 5, 0), 1, A1),
					EV("answer", T(10, 5, 5), 1, A1) };
static const struct rep_event ev2[] = { EV("enqueue", T(10, 50, 0), 2, NULL),
					EV("offer", T(10, 50, 0), 2, A2),
					EV("answer", T(10, 50, 5), 2, A2) };
static const struct rep_event ev3[] = { EV("enqueue", T(11, 0, 10), 1, NULL) };
static const struct rep_event ev5[] = { EV("enqueue", T(11, 20, 0), 1, NULL),
					EV("offer", T(11, 20, 0), 1, A1),
					EV("answer", T(11, 20, 5), 1, A1) };

static const struct rep_call c1 = { .id = "c1", .t_start = T(10, 4, 50), .t_enqueue = T(10, 5, 0),
				    .t_answer = T(10, 5, 5), .t_end = T(10, 20, 0),
				    .result = "answered", .end_state = "bridged", .number = 7,
				    .group = 1, .agent = A1, .ev = ev1, .nev = 3 };
static const struct rep_call c2 = { .id = "c2", .t_start = T(10, 49, 50), .t_enqueue = T(10, 50, 0),
				    .t_answer = T(10, 50, 5), .t_end = T(11, 10, 0),
				    .result = "answered", .end_state = "bridged", .number = 7,
				    .group = 2, .agent = A2, .ev = ev2, .nev = 3 };
static const struct rep_call c3 = { .id = "c3", .t_start = T(11, 0, 0), .t_enqueue = T(11, 0, 10),
				    .t_end = T(11, 2, 0), .result = "abandoned",
				    .end_state = "queued", .number = 7, .group = 1, .ev = ev3,
				    .nev = 1 };
static const struct rep_call c4 = { .id = "c4", .t_start = T(9, 30, 0), .t_end = T(10, 40, 0),
				    .result = "failed", .end_state = "media" };
static const struct rep_call c5 = { .id = "c5", .t_start = T(11, 19, 50), .t_enqueue = T(11, 20, 0),
				    .t_answer = T(11, 20, 5), .t_end = T(11, 30, 0),
				    .result = "answered", .end_state = "bridged", .number = 7,
				    .group = 1, .agent = A1, .ev = ev5, .nev = 3 };

#define ST(run, agent, at, state, reason, call, id) \
	{ run, NULL, { agent, at, state, reason, call }, id }
#define CALL(run, c) { run, &c, { 0 }, 0 }

static const struct item items[] = {
	ST(1, A1, T(9, 0, 0), "ready", NULL, NULL, 1),
	ST(1, A3, T(9, 30, 0), "ready", NULL, NULL, 2),
	ST(1, A1, T(10, 5, 0), "reserved", NULL, "c1", 3),
	ST(1, A1, T(10, 5, 5), "on_call", NULL, "c1", 4),
	CALL(1, c1),
	ST(1, A1, T(10, 20, 0), "wrap_up", NULL, "c1", 5),
	ST(2, A1, T(10, 21, 0), "ready", NULL, NULL, 6),
	ST(2, A2, T(10, 30, 0), "not_ready", "lunch", NULL, 7),
	CALL(2, c4),
	ST(3, A2, T(10, 50, 0), "reserved", NULL, "c2", 8),
	ST(3, A2, T(10, 50, 5), "on_call", NULL, "c2", 9),
	ST(3, A2, T(11, 10, 0), "wrap_up", NULL, "c2", 10),
	CALL(3, c3),
	ST(3, A2, T(11, 11, 0), "ready", NULL, NULL, 11),
	/* c2's row commits after the wrap-up that followed it ended. */
	CALL(4, c2),
	ST(4, A1, T(11, 20, 0), "reserved", NULL, "c5", 12),
	ST(4, A1, T(11, 20, 5), "on_call", NULL, "c5", 13),
	ST(5, A1, T(11, 30, 0), "wrap_up", NULL, "c5", 14),
	CALL(5, c5),
};
#define NITEMS (sizeof items / sizeof *items)

/* When each run reads. */
static const long long run_at[] = { 0, T(10, 20, 30), T(10, 45, 0), T(11, 12, 0), T(11, 25, 0),
				    T(11, 31, 0) };
#define NRUNS 5
#define LOOK_BACK (120 * 1000)

/* A fold of everything that run sees, at its time: the calls, then each
 * agent's rows in order (the way rollup.c rebuilds an hour). */
static struct rep_fold *fold_all(int run)
{
	struct rep_fold *f = rep_fold_new(sh, T(10, 0, 0), T(12, 0, 0));
	assert_non_null(f);
	for (size_t i = 0; i < NITEMS; i++)
		if (items[i].run <= run && items[i].call)
			assert_int_equal(rep_fold_call(f, items[i].call), 0);
	const char *agents[] = { A1, A2, A3 };
	for (size_t a = 0; a < 3; a++) {
		struct rep_state rows[NITEMS];
		size_t n = 0;
		for (size_t i = 0; i < NITEMS; i++)
			if (items[i].run <= run && !items[i].call &&
			    !strcmp(items[i].st.agent, agents[a]))
				rows[n++] = items[i].st;
		assert_int_equal(rep_fold_states(f, rows, n, run_at[run]), 0);
	}
	return f;
}

/* Every bucket and break of a in b and the same, and as many. */
static void assert_same(const struct rep_fold *a, const struct rep_fold *b, int run)
{
	size_t na, nb;
	const struct rep_bucket *ba = rep_fold_buckets(a, &na);
	rep_fold_buckets(b, &nb);
	for (size_t i = 0; i < na; i++) {
		const struct rep_bucket *o = rep_fold_find(b, ba[i].dim, ba[i].key, ba[i].hour);
		if (!o)
			fail_msg("run %d: no bucket %s '%s' %lld", run, rep_dim_name(ba[i].dim),
				 ba[i].key, ba[i].hour);
		for (int c = 0; c < REP_NCOLS; c++)
			if (ba[i].v[c] != o->v[c])
				fail_msg("run %d: %s '%s' %lld %s: %lld, a full fold %lld", run,
					 rep_dim_name(ba[i].dim), ba[i].key, ba[i].hour,
					 rep_col_name((enum rep_col)c), ba[i].v[c], o->v[c]);
	}
	assert_int_equal(na, nb);
	const struct rep_break *ra = rep_fold_breaks(a, &na), *rb = rep_fold_breaks(b, &nb);
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		size_t j = 0;
		while (j < nb && (ra[i].hour != rb[j].hour || strcmp(ra[i].agent, rb[j].agent) ||
				  strcmp(ra[i].reason, rb[j].reason)))
			j++;
		assert_true(j < nb);
		assert_int_equal(ra[i].ms, rb[j].ms);
	}
}

static void runs_equal_a_full_fold(void **state)
{
	(void)state;
	struct rep_window *w = rep_window_new(sh, T(10, 0, 0), T(12, 0, 0));
	assert_non_null(w);
	for (int run = 1; run <= NRUNS; run++) {
		/* A run reads what ended or was logged since its look-back
		 * before the last run's read: what the last saw too, which
		 * the window folds not twice, and what committed late. */
		long long since = run > 1 ? run_at[run - 1] - LOOK_BACK : 0;
		for (size_t i = 0; i < NITEMS; i++) {
			const struct item *it = &items[i];
			long long t = it->call ? it->call->t_end : it->st.at;
			if (it->run == run)
				assert_true(t >= since);	/* the test's own check */
			if (it->run > run || t < since)
				continue;
			if (it->call && !rep_window_has_call(w, it->call->id))
				assert_int_equal(rep_window_call(w, it->call), 0);
			else if (!it->call && !rep_window_has_state(w, it->id))
				assert_int_equal(rep_window_state(w, &it->st, it->id), 0);
		}
		struct rep_fold *got = rep_window_fold(w, run_at[run]), *want = fold_all(run);
		assert_non_null(got);
		assert_same(got, want, run);
		assert_same(want, got, run);
		rep_fold_free(got);
		rep_fold_free(want);
		rep_window_forget(w, run_at[run] - LOOK_BACK);
	}
	/* A1's wrap-up still runs at the last run: its state and wrap time
	 * so far, with its call's group. */
	struct rep_fold *f = rep_window_fold(w, T(11, 31, 0));
	const struct rep_bucket *g = rep_fold_find(f, REP_GROUP, "1", T(11, 0, 0) / 1000);
	assert_non_null(g);
	assert_int_equal(g->v[RC_wrap_ms], 60000);
	rep_fold_free(f);
	rep_window_free(w);
}

/* A row older than the agent's last folded: the window cannot place it. */
static void a_late_state_row(void **state)
{
	(void)state;
	struct rep_window *w = rep_window_new(sh, T(10, 0, 0), T(12, 0, 0));
	const struct rep_state a = { A1, T(10, 10, 0), "ready", NULL, NULL };
	const struct rep_state b = { A1, T(10, 5, 0), "not_ready", "lunch", NULL };
	assert_int_equal(rep_window_state(w, &a, 20), 0);
	assert_int_equal(rep_window_state(w, &b, 21), 1);
	const struct rep_state same_time = { A1, T(10, 10, 0), "not_ready", NULL, NULL };
	assert_int_equal(rep_window_state(w, &same_time, 19), 1);
	assert_int_equal(rep_window_state(w, &same_time, 22), 0);
	rep_window_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(runs_equal_a_full_fold),
		cmocka_unit_test(a_late_state_row),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
