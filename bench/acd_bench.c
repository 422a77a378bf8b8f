/* acd-bench: the ACD's choice of an agent, measured (`make bench`, part
 * "acd"). The B2BUA's own ACD (b2bua/acd/) runs alone, on a loop that is
 * never stepped, without database or SIP: N agents in four skill groups and
 * 1,000 calls waiting, each with an agent's phone ringing.
 *
 *   acd-bench [--short] [--agents N[,N...]] [--section FILE] [--glance FILE]
 *
 * For each number of agents (2,000 and 10,000 unless --agents says):
 * - pick: router_pick_agent() timed alone (clock_gettime around the call),
 *   each pick followed by that agent's reservation and release, so that the
 *   state moves as it does under calls; the scan it replaced
 *   (tests/unit/acd_scan.h: a look at every member) timed on the same
 *   states, and required to choose the same agent every time;
 * - first entry: router_first_waiting() against the walk from the head;
 * - turn: the CPU time (CLOCK_THREAD_CPUTIME_ID) of a call's whole turn
 *   through the ACD: its entry joins, the dispatch picks, reserves and
 *   offers an agent, the agent is released and the entry leaves; in blocks
 *   that take turns between the numbers of agents (all set up at once), the
 *   median block for each, so that other processes on the machine weigh on
 *   each number alike.
 * Prints one key=value line per number of agents; --section writes
 * BENCHMARKS.md's section, --glance its line at a glance. --short: 2,000
 * agents and fewer rounds (the lint test t_acd_bench). Exit status 1 when
 * the index and the scan disagree. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "b2bua/acd/acd_priv.h"
#include "b2bua/core/bus.h"
#include "b2bua/core/core.h"
#include "b2bua/dir/dir.h"
#include "log.h"
#include "tests/unit/acd_scan.h"

#define GROUPS 4
#define WAITING 1000
#define MAX_RUNS 8

static const char *const strategies[GROUPS] = { "longest_idle", "fewest_calls", "round_robin",
						 "random" };

/* An entry's owner: it takes every offer. */
struct owner {
	struct qentry qe;
	char id[16];
	struct agent *agent;
};

static int on_offer(void *arg, struct agent *a)
{
	((struct owner *)arg)->agent = a;
	return 0;
}

static void on_withdraw(void *arg, struct agent *a)
{
	(void)arg;
	(void)a;
}

static const struct acd_owner_ops ops = { on_offer, on_withdraw };

struct figures {
	unsigned agents, members, waiting;
	double pick[3], scan[3];	/* p50, p99, max (µs) */
	double first[3], walk[3];
	double cycle_us;		/* CPU per call's turn (median block) */
};

static long long ns_now(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* p50, p99 and max of n durations in ns, in µs (sorts them). */
static void percentiles(long long *ns, size_t n, double out[3])
{
	qsort(ns, n, sizeof *ns, cmp_ll);
	out[0] = (double)ns[n / 2] / 1000;
	out[1] = (double)ns[n * 99 / 100] / 1000;
	out[2] = (double)ns[n - 1] / 1000;
}

/* The directory: n agents with ids as the bench data's (32 characters,
 * "0b" and the number), each a member of two groups: its own at level 1 or
 * 2, the next one at level 3. */
static struct dir *directory(unsigned n)
{
	struct dir *d = dir_new("/audio");
	char id[40], sip[16];
	for (unsigned g = 0; g < GROUPS; g++) {
		struct dir_group grp = { .id = g + 1, .name = "bench", .ring_timeout_s = 15,
					 .max_wait_s = 60, .strategy = strategies[g] };
		dir_add_group(d, &grp);
	}
	for (unsigned i = 0; i < n; i++) {
		snprintf(id, sizeof id, "0b%030u", 5000 + i);
		snprintf(sip, sizeof sip, "%u", 5000 + i);
		struct dir_agent a = { .id = id, .name = id, .login = id, .sip = sip,
				       .calls_today = (unsigned)rand() % 40,
				       .talk_s_today = (unsigned long)(rand() % 7200) };
		dir_add_agent(d, &a);
		dir_add_member(d, 1 + i % GROUPS, id, 1 + (i / GROUPS) % 2);
		dir_add_member(d, 1 + (i + 1) % GROUPS, id, 3);
	}
	return dir_done(d);
}

/* The ACD of one run, with its own loop, bus and configuration. */
struct bench {
	struct b2bua_conf conf;
	struct core core;
	struct acd *acd;
	struct dir *dir;
	struct owner owners[WAITING + 1];	/* the calls waiting, and one more for the turns */
	struct figures f;
	double *turn_us;			/* CPU per turn, block by block */
};

/* b: an ACD with n agents and the calls waiting. 0 or -1. */
static int bench_init(struct bench *b, unsigned n)
{
	b->core.conf = &b->conf;
	srand(n);
	if (b2bua_conf_defaults(&b->conf) || !(b->core.root = su_root_create(NULL)) ||
	    bus_alloc(&b->core.bus) || acd_alloc(&b->acd, &b->core, NULL, &ops) ||
	    !(b->dir = directory(n))) {
		fprintf(stderr, "acd-bench: setup failed\n");
		return -1;
	}
	struct acd *acd = b->acd;
	acd_merge(acd, b->dir);
	/* 85 % ready (idle for up to an hour), 10 % on a break, 5 % signed
	 * out; every phone registered. */
	long long now = core_now_ms();
	for (size_t i = 0; i < acd_agent_count(acd); i++) {
		struct agent *a = acd_agent_at(acd, i);
		unsigned r = (unsigned)rand() % 100;
		acd_set_registered(acd, a, true);
		if (r < 95)
			acd_agent_request(acd, a, r < 85 ? AGENT_READY : AGENT_NOT_READY, "lunch");
		a->idle_since_ms = now - rand() % 3600000;
		acd_index_update(acd, a);
	}
	/* The calls waiting, each offered to an agent whose phone rings. */
	for (unsigned i = 0; i < WAITING; i++) {
		struct owner *o = &b->owners[i];
		snprintf(o->id, sizeof o->id, "wait-%u", i);
		acd_enqueue(acd, &o->qe, 1 + i % GROUPS, o, o->id, now - WAITING + i);
	}
	acd_dispatch(acd);
	b->f.agents = n;
	for (unsigned g = 1; g <= GROUPS; g++)
		b->f.members += (unsigned)acd_queue(acd, g)->nmembers;
	for (unsigned i = 0; i < WAITING; i++)
		b->f.waiting += b->owners[i].qe.offering;
	snprintf(b->owners[WAITING].id, sizeof b->owners[WAITING].id, "turn");
	return 0;
}

static void bench_free(struct bench *b)
{
	if (b->acd) {
		for (unsigned i = 0; i < WAITING + 1; i++)
			acd_dequeue(b->acd, &b->owners[i].qe);
		acd_free(b->acd);
	}
	dir_free(b->dir);
	if (b->core.bus)
		bus_free(b->core.bus);
	if (b->core.root)
		su_root_destroy(b->core.root);
	b2bua_conf_free(&b->conf);
	free(b->turn_us);
}

/* Pick time with the index and with the scan, on the same states; the
 * first entry to offer, with the line and with the walk. -1 when they
 * disagree. t_new, t_old: room for picks durations. */
static int bench_picks(struct bench *b, unsigned picks, long long *t_new, long long *t_old)
{
	struct acd *acd = b->acd;
	int token;
	for (unsigned i = 0; i < picks; i++) {
		struct queue *q = acd_queue(acd, 1 + i % GROUPS);
		unsigned r = (unsigned)rand();
		long long t = core_now_ms(), t0, t1, t2;
		struct agent *a, *s;
		/* Each first in turn: neither always finds the caches warm. */
		if (i % 2) {
			t0 = ns_now(CLOCK_MONOTONIC);
			a = router_pick_agent(q, t, r);
			t1 = ns_now(CLOCK_MONOTONIC);
			s = scan_pick_agent(q, t, r);
			t2 = ns_now(CLOCK_MONOTONIC);
			t_new[i] = t1 - t0;
			t_old[i] = t2 - t1;
		} else {
			t0 = ns_now(CLOCK_MONOTONIC);
			s = scan_pick_agent(q, t, r);
			t1 = ns_now(CLOCK_MONOTONIC);
			a = router_pick_agent(q, t, r);
			t2 = ns_now(CLOCK_MONOTONIC);
			t_old[i] = t1 - t0;
			t_new[i] = t2 - t1;
		}
		if (a != s) {
			fprintf(stderr, "acd-bench: group %u: the index chose %s, the scan %s\n",
				q->group, a ? a->id : "nobody", s ? s->id : "nobody");
			return -1;
		}
		if (!a)
			continue;
		/* As an offer does: reserved (round robin remembers it), then
		 * free again, the most recently idle. */
		acd_take_agent(acd, a, &token, "bench");
		if (q->strategy == STRATEGY_ROUND_ROBIN)
			snprintf(q->rr_last, sizeof q->rr_last, "%s", a->id);
		acd_agent_event(acd, a, AEV_RELEASE, 0);
	}
	percentiles(t_new, picks, b->f.pick);
	percentiles(t_old, picks, b->f.scan);

	/* The first entry to offer: every waiting call is being offered. */
	unsigned firsts = picks / 4;
	for (unsigned i = 0; i < firsts; i++) {
		struct queue *q = acd_queue(acd, 1 + i % GROUPS);
		long long t = core_now_ms();
		long long t0 = ns_now(CLOCK_MONOTONIC);
		struct qentry *x = router_first_waiting(q, t);
		long long t1 = ns_now(CLOCK_MONOTONIC);
		struct qentry *y = scan_first_waiting(q, t);
		long long t2 = ns_now(CLOCK_MONOTONIC);
		if (x != y) {
			fprintf(stderr, "acd-bench: group %u: the line and the walk differ\n", q->group);
			return -1;
		}
		t_new[i] = t1 - t0;
		t_old[i] = t2 - t1;
	}
	percentiles(t_new, firsts, b->f.first);
	percentiles(t_old, firsts, b->f.walk);
	return 0;
}

/* count turns of a call through the ACD: its entry joins, the dispatch
 * picks, reserves and offers an agent, the agent is released, the entry
 * leaves. The CPU time per turn (µs), or -1 when a call got no agent. */
static double bench_turns(struct bench *b, unsigned count)
{
	struct acd *acd = b->acd;
	struct owner *o = &b->owners[WAITING];
	long long c0 = ns_now(CLOCK_THREAD_CPUTIME_ID);
	for (unsigned i = 0; i < count; i++) {
		o->agent = NULL;
		acd_enqueue(acd, &o->qe, 1 + i % GROUPS, o, o->id, core_now_ms());
		acd_dispatch(acd);
		if (!o->agent) {
			fprintf(stderr, "acd-bench: a call got no agent\n");
			return -1;
		}
		acd_agent_event(acd, o->agent, AEV_RELEASE, 0);
		acd_dequeue(acd, &o->qe);
	}
	return (double)(ns_now(CLOCK_THREAD_CPUTIME_ID) - c0) / 1000 / count;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The figures of every run: picks one run after the other; the turns in
 * blocks taking turns between the runs, each run's figure the median of
 * its blocks, so that a busy moment of the machine weighs on every run
 * alike. 0, or -1 (the index and the scan disagreed, or a setup failed). */
static int measure(struct bench *b, unsigned nb, unsigned picks, unsigned blocks,
		   unsigned per_block)
{
	long long *t_new = calloc(picks, sizeof *t_new), *t_old = calloc(picks, sizeof *t_old);
	int rc = -1;
	if (!t_new || !t_old)
		goto out;
	for (unsigned i = 0; i < nb; i++)
		if (!(b[i].turn_us = calloc(blocks, sizeof *b[i].turn_us)) ||
		    bench_picks(&b[i], picks, t_new, t_old))
			goto out;
	for (unsigned k = 0; k < blocks; k++)
		for (unsigned j = 0; j < nb; j++) {
			struct bench *x = &b[(j + k) % nb];
			if ((x->turn_us[k] = bench_turns(x, per_block)) < 0)
				goto out;
		}
	for (unsigned i = 0; i < nb; i++) {
		qsort(b[i].turn_us, blocks, sizeof *b[i].turn_us, cmp_double);
		b[i].f.cycle_us = b[i].turn_us[blocks / 2];
	}
	rc = 0;
out:
	free(t_new);
	free(t_old);
	return rc;
}

static void section(FILE *f, const struct figures *r, size_t nr, unsigned picks, unsigned blocks,
		    unsigned per_block)
{
	fprintf(f,
		"## 12. Choosing an agent (ACD micro-benchmark)\n\n"
		"`build/bin/acd-bench` (bench/acd_bench.c) runs the B2BUA's ACD (b2bua/acd/)\n"
		"alone, without database or SIP: the agents (ids of 32 characters, as the\n"
		"bench data's) in four skill groups (longest_idle, fewest_calls, round_robin,\n"
		"random), each agent a member of two of them (levels 1 to 3); 85 %% ready,\n"
		"10 %% on a break, 5 %% signed out; %u calls waiting, each offered to an agent\n"
		"whose phone rings. **Pick**: `router_pick_agent()` timed alone (clock_gettime),\n"
		"%u times over the four groups, each pick followed by that agent's\n"
		"reservation and release; **scan**: the look at every member it replaced\n"
		"(tests/unit/acd_scan.h), timed on the same states, which chose the same\n"
		"agent every time. **First entry**: the first call not yet offered\n"
		"(`router_first_waiting()`) against the walk from the head past the calls\n"
		"being offered. **CPU per call**: one call's turn through the ACD (its entry\n"
		"joins, the dispatch picks, reserves and offers an agent, the agent is\n"
		"released, the entry leaves), CPU time per turn, the median of %u blocks of\n"
		"%u turns taking turns between the numbers of agents. Wall-clock times on\n"
		"a shared 2-core machine: a max is often a preemption, not the code.\n\n",
		WAITING, picks, blocks, per_block);
	fprintf(f, "| agents (members) | pick p50 / p99 / max | scan p50 / p99 / max | "
		   "first entry p50 / p99 (walk p50 / p99) | CPU per call |\n");
	fprintf(f, "| --- | --- | --- | --- | --- |\n");
	for (size_t i = 0; i < nr; i++)
		fprintf(f,
			"| %u (%u) | %.2f / %.2f / %.1f µs | %.1f / %.1f / %.1f µs | "
			"%.2f / %.2f µs (%.1f / %.1f µs) | %.2f µs |\n",
			r[i].agents, r[i].members, r[i].pick[0], r[i].pick[1], r[i].pick[2],
			r[i].scan[0], r[i].scan[1], r[i].scan[2], r[i].first[0], r[i].first[1],
			r[i].walk[0], r[i].walk[1], r[i].cycle_us);
	fprintf(f, "\nThe scan grows with the members of the group's first level with someone\n"
		   "ready; the index's pick and the CPU per call only with the logarithm of\n"
		   "the members (and the cache misses of larger sets): docs/queues.md, \"The\n"
		   "availability index\".\n");
}

int main(int argc, char **argv)
{
	const char *sec = NULL, *glance = NULL;
	unsigned counts[MAX_RUNS] = { 2000, 10000 }, nc = 2, picks = 20000, blocks = 40,
		 per_block = 5000;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--short")) {
			counts[0] = 2000;
			nc = 1;
			picks = 2000;
			blocks = 4;
			per_block = 500;
		} else if (!strcmp(argv[i], "--agents") && i + 1 < argc) {
			nc = 0;
			for (char *s = argv[++i], *end; *s && nc < MAX_RUNS; s = *end ? end + 1 : end) {
				unsigned long v = strtoul(s, &end, 10);
				if (end == s || v < 2000 || v > 100000 || (*end && *end != ',')) {
					fprintf(stderr, "acd-bench: --agents: numbers from 2000 (the "
							"calls waiting take 1000 agents) to 100000\n");
					return 2;
				}
				counts[nc++] = (unsigned)v;
			}
		} else if (!strcmp(argv[i], "--section") && i + 1 < argc) {
			sec = argv[++i];
		} else if (!strcmp(argv[i], "--glance") && i + 1 < argc) {
			glance = argv[++i];
		} else {
			fprintf(stderr, "usage: acd-bench [--short] [--agents N[,N...]] "
					"[--section FILE] [--glance FILE]\n");
			return 2;
		}
	}
	log_set_level(LOG_WARN);
	if (su_init()) {
		fprintf(stderr, "acd-bench: su_init failed\n");
		return 1;
	}
	static struct bench b[MAX_RUNS];
	struct figures r[MAX_RUNS];
	int rc = 0;
	for (unsigned i = 0; i < nc && !rc; i++)
		rc = bench_init(&b[i], counts[i]);
	if (!rc)
		rc = measure(b, nc, picks, blocks, per_block);
	for (unsigned i = 0; i < nc; i++) {
		r[i] = b[i].f;
		bench_free(&b[i]);
	}
	if (rc) {
		su_deinit();
		return 1;
	}
	for (unsigned i = 0; i < nc; i++)
		printf("agents=%u members=%u waiting=%u pick_p50_us=%.2f pick_p99_us=%.2f "
		       "pick_max_us=%.1f scan_p50_us=%.1f scan_p99_us=%.1f scan_max_us=%.1f "
		       "first_p50_us=%.2f first_p99_us=%.2f walk_p50_us=%.1f walk_p99_us=%.1f "
		       "cpu_per_call_us=%.2f\n",
		       r[i].agents, r[i].members, r[i].waiting, r[i].pick[0], r[i].pick[1],
		       r[i].pick[2], r[i].scan[0], r[i].scan[1], r[i].scan[2], r[i].first[0],
		       r[i].first[1], r[i].walk[0], r[i].walk[1], r[i].cycle_us);
	su_deinit();
	FILE *f = sec ? fopen(sec, "w") : NULL;
	if (sec && !f) {
		fprintf(stderr, "acd-bench: %s: %s\n", sec, strerror(errno));
		return 1;
	}
	if (f) {
		section(f, r, nc, picks, blocks, per_block);
		fclose(f);
	}
	if (glance) {
		FILE *g = fopen(glance, "w");
		if (!g) {
			fprintf(stderr, "acd-bench: %s: %s\n", glance, strerror(errno));
			return 1;
		}
		const struct figures *lo = &r[0], *hi = &r[nc - 1];
		fprintf(g,
			"| ACD: choosing an agent (%u agents, %u calls waiting): pick p50 / p99 / max; "
			"CPU per call, %u against %u agents | %.2f / %.2f / %.1f µs (the scan it "
			"replaced: p99 %.1f µs); %.2f against %.2f µs | pick p99 at most 10 µs; CPU "
			"per call not growing with the agents |\n",
			hi->agents, WAITING, lo->agents, hi->agents, hi->pick[0], hi->pick[1],
			hi->pick[2], hi->scan[1], lo->cycle_us, hi->cycle_us);
		fclose(g);
	}
	return 0;
}
