/* pacing-sim: the outbound pacing (common/pacing.c, the dialer's own code)
 * driven on simulated time, to compare ratio, progressive and predictive
 * pacing on the same scenarios (docs/outbound.md, "Pacing"; `make bench`,
 * part "pacing").
 *
 *   pacing-sim [--short] [--section FILE] [--glance FILE]
 *
 * Each scenario is a working day of a skill group's agents calling an
 * endless list: customers answer with a probability after a ring time,
 * else the call ends as no answer (the 30 s ring timeout), busy, rejected
 * or invalid, each after its own delay; talk times have the scenario's
 * mean (a gamma distribution of shape 2), wrap-up is fixed. As the dialer
 * does, the pacer is asked once a simulated second how many calls to start.
 * A customer who answers goes to a free agent at once; with none free
 * within 2 s the call is abandoned. Randomness is a fixed-seed generator,
 * the same draws for every mode: the figures are the same on every run and
 * every machine, and nothing depends on how fast this one is.
 *
 * Prints the table and one key=value line per run; --section writes
 * BENCHMARKS.md's section, --glance its line at a glance. --short runs the
 * standard scenario for one simulated hour only (the lint test). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/pacing.h"

#define SEC 1000LL
#define ABANDON_MS 2000		/* the 2 s rule */
#define NO_ANSWER_MS 30000	/* the gateway's ring timeout */
#define MAX_CALLS 1024		/* calls up at once (max_concurrency <= 500) */
#define MAX_AGENTS 256
#define HEAP_MAX (4 * MAX_CALLS + 2 * MAX_AGENTS + 16)

struct scenario {
	const char *name;
	unsigned agents;
	unsigned answer_pm;	/* customers answering, per mille */
	unsigned talk_s;	/* mean talk time */
	unsigned wrap_s;
	unsigned hours;
	unsigned max_concurrency;
};

struct mode {
	const char *label;
	enum task_pacing pacing;
	unsigned ratio;		/* hundredths (ratio mode) */
};

static const struct scenario scenarios[] = {
	{ "standard", 20, 300, 180, 10, 8, 200 },
	{ "small, low answer", 5, 150, 120, 15, 8, 60 },
	{ "large, high answer", 50, 600, 240, 20, 8, 300 },
};
static const struct scenario short_scenario = { "standard, 1 h", 20, 300, 180, 10, 1, 200 };

static const struct mode modes[] = {
	{ "ratio 1.50", TASK_PACING_RATIO, 150 },
	{ "ratio 3.00", TASK_PACING_RATIO, 300 },
	{ "progressive", TASK_PACING_PROGRESSIVE, 100 },
	{ "predictive", TASK_PACING_PREDICTIVE, 100 },
};

/* --- randomness: splitmix64, a fixed seed --------------------------------------------- */

struct rng {
	unsigned long long s;
};

static unsigned long long rng_next(struct rng *r)
{
	unsigned long long z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in (0, 1) */
static double rng_unit(struct rng *r)
{
	return ((double)(rng_next(r) >> 11) + 0.5) / 9007199254740992.0;
}

static long long rng_between(struct rng *r, long long lo, long long hi)
{
	return lo + (long long)(rng_unit(r) * (double)(hi - lo));
}

static long long rng_exp(struct rng *r, double mean)
{
	return (long long)(-mean * log(rng_unit(r)));
}

/* --- events ----------------------------------------------------------------------------- */

enum ev_kind { EV_TICK, EV_ANSWER, EV_FAIL, EV_ABANDON, EV_HANGUP, EV_FREE };

struct ev {
	long long t;
	unsigned long seq;	/* ties in order of scheduling */
	enum ev_kind kind;
	int id;			/* a call or an agent */
};

struct sim {
	const struct scenario *sc;
	const struct mode *mode;
	struct rng rng;
	struct pacer pacer;
	struct ev heap[HEAP_MAX];
	size_t nheap;
	unsigned long seq;
	long long end;
	/* calls */
	struct {
		int used;
		int state;	/* 0 dialing, 1 waiting, 2 connected */
		long long placed, answered;
		int agent;
	} call[MAX_CALLS];
	int waitq[MAX_CALLS];	/* waiting calls, oldest first */
	size_t wq_head, wq_n;
	unsigned dialing, waiting, connected;
	/* agents */
	int free_agents[MAX_AGENTS];
	unsigned nfree;
	long long talk_from[MAX_AGENTS], talk_ms[MAX_AGENTS];
	/* figures */
	unsigned long placed, answered, conn, abandoned;
	long long talk_total, wrap_total;
	unsigned max_up;
};

static void push(struct sim *s, long long t, enum ev_kind k, int id)
{
	if (s->nheap == HEAP_MAX) {
		fprintf(stderr, "pacing-sim: event heap full\n");
		exit(1);
	}
	size_t i = s->nheap++;
	struct ev e = { t, s->seq++, k, id };
	while (i > 0) {
		size_t up = (i - 1) / 2;
		struct ev *u = &s->heap[up];
		if (u->t < e.t || (u->t == e.t && u->seq < e.seq))
			break;
		s->heap[i] = *u;
		i = up;
	}
	s->heap[i] = e;
}

static struct ev pop(struct sim *s)
{
	struct ev top = s->heap[0];
	struct ev last = s->heap[--s->nheap];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= s->nheap)
			break;
		if (c + 1 < s->nheap &&
		    (s->heap[c + 1].t < s->heap[c].t ||
		     (s->heap[c + 1].t == s->heap[c].t && s->heap[c + 1].seq < s->heap[c].seq)))
			c++;
		if (last.t < s->heap[c].t || (last.t == s->heap[c].t && last.seq < s->heap[c].seq))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	s->heap[i] = last;
	return top;
}

/* --- the call center ---------------------------------------------------------------- */

static long long clip(const struct sim *s, long long from, long long to)
{
	if (to > s->end)
		to = s->end;
	return to > from ? to - from : 0;
}

static void connect_call(struct sim *s, int c, long long now)
{
	int a = s->free_agents[--s->nfree];
	s->call[c].state = 2;
	s->call[c].agent = a;
	s->connected++;
	s->conn++;
	pacer_connected(&s->pacer);
	/* gamma of shape 2: the sum of two exponentials of half the mean */
	double half = s->sc->talk_s * 500.0;
	long long talk = rng_exp(&s->rng, half) + rng_exp(&s->rng, half);
	if (talk < SEC)
		talk = SEC;
	s->talk_from[a] = now;
	s->talk_ms[a] = talk;
	push(s, now + talk, EV_HANGUP, c);
}

static void place_call(struct sim *s, long long now)
{
	int c;
	for (c = 0; c < MAX_CALLS && s->call[c].used; c++)
		;
	if (c == MAX_CALLS) {
		fprintf(stderr, "pacing-sim: too many calls\n");
		exit(1);
	}
	s->call[c].used = 1;
	s->call[c].state = 0;
	s->call[c].placed = now;
	s->dialing++;
	s->placed++;
	pacer_placed(&s->pacer);
	/* Every draw is made whatever the outcome, so that each call of a run
	 * sees the same numbers in every mode. */
	double u = rng_unit(&s->rng), v = rng_unit(&s->rng);
	long long ring = 3 * SEC + rng_exp(&s->rng, 7 * SEC);
	long long fail_fast = rng_between(&s->rng, SEC / 2, 4 * SEC);
	if (ring > NO_ANSWER_MS - SEC)
		ring = NO_ANSWER_MS - SEC;
	if (u * 1000 < s->sc->answer_pm)
		push(s, now + ring, EV_ANSWER, c);
	else if (v < 0.6)
		push(s, now + NO_ANSWER_MS, EV_FAIL, c); /* no answer */
	else if (v < 0.85)
		push(s, now + fail_fast, EV_FAIL, c); /* busy */
	else if (v < 0.95)
		push(s, now + ring, EV_FAIL, c); /* rejected */
	else
		push(s, now + fail_fast / 2, EV_FAIL, c); /* invalid */
}

static void end_call(struct sim *s, int c)
{
	s->call[c].used = 0;
}

static void turn(struct sim *s, long long now)
{
	unsigned up = s->dialing + s->waiting + s->connected;
	if (up > s->max_up)
		s->max_up = up;
	if (now >= s->end)
		return;
	struct pacer_in in = {
		.mode = s->mode->pacing,
		.max_concurrency = s->sc->max_concurrency,
		.agent_ratio = s->mode->ratio,
		.agents_available = s->nfree,
		.agents_busy = s->sc->agents - s->nfree,
		.dialing = s->dialing,
		.waiting = s->waiting,
		.connected = s->connected,
	};
	unsigned n = pacer_calls(&s->pacer, &in, now);
	for (unsigned i = 0; i < n; i++)
		place_call(s, now);
	up = s->dialing + s->waiting + s->connected;
	if (up > s->max_up)
		s->max_up = up;
	push(s, now + SEC, EV_TICK, 0);
}

static void handle(struct sim *s, const struct ev *e)
{
	int c = e->id;
	switch (e->kind) {
	case EV_TICK:
		turn(s, e->t);
		break;
	case EV_ANSWER:
		s->dialing--;
		s->answered++;
		pacer_answered(&s->pacer, (unsigned)(e->t - s->call[c].placed));
		s->call[c].answered = e->t;
		if (s->nfree) {
			connect_call(s, c, e->t);
		} else {
			s->call[c].state = 1;
			s->waiting++;
			s->waitq[(s->wq_head + s->wq_n++) % MAX_CALLS] = c;
			push(s, e->t + ABANDON_MS, EV_ABANDON, c);
		}
		break;
	case EV_FAIL:
		s->dialing--;
		pacer_unanswered(&s->pacer);
		end_call(s, c);
		break;
	case EV_ABANDON:
		/* a call connected in time, or its slot taken by a later call */
		if (!s->call[c].used || s->call[c].state != 1 ||
		    s->call[c].answered + ABANDON_MS != e->t)
			break;
		/* the oldest waiting call is always the first to time out */
		s->wq_head = (s->wq_head + 1) % MAX_CALLS;
		s->wq_n--;
		s->waiting--;
		s->abandoned++;
		pacer_abandoned(&s->pacer);
		end_call(s, c);
		break;
	case EV_HANGUP: {
		int a = s->call[c].agent;
		s->connected--;
		s->talk_total += clip(s, s->talk_from[a], e->t);
		s->wrap_total += clip(s, e->t, e->t + s->sc->wrap_s * SEC);
		end_call(s, c);
		push(s, e->t + s->sc->wrap_s * SEC, EV_FREE, a);
		break;
	}
	case EV_FREE: {
		int a = e->id;
		pacer_freed(&s->pacer, (unsigned)s->talk_ms[a], s->sc->wrap_s * 1000);
		s->free_agents[s->nfree++] = a;
		if (s->wq_n) {
			int w = s->waitq[s->wq_head];
			s->wq_head = (s->wq_head + 1) % MAX_CALLS;
			s->wq_n--;
			s->waiting--;
			connect_call(s, w, e->t);
		}
		break;
	}
	}
}

struct result {
	double occupancy;	/* percent: talk + wrap-up over agents' time */
	double talk_per_hour;	/* talk minutes per agent-hour */
	double abandon;		/* percent of live answers */
	double calls_per_hour;	/* calls connected to an agent per agent-hour */
	double dials_per_hour;	/* calls placed per agent-hour */
	unsigned max_up;
	unsigned gain;		/* predictive's final gain, thousandths */
};

static void run(struct sim *s, const struct scenario *sc, const struct mode *m, struct result *r)
{
	memset(s, 0, sizeof *s);
	s->sc = sc;
	s->mode = m;
	s->rng.s = 20240901ULL + sc->agents * 1000ULL + sc->answer_pm;
	s->end = sc->hours * 3600 * SEC;
	pacer_init(&s->pacer, TASK_ABANDON_DEFAULT, 0);
	for (unsigned a = 0; a < sc->agents; a++)
		s->free_agents[s->nfree++] = (int)(sc->agents - 1 - a);
	push(s, 0, EV_TICK, 0);
	while (s->nheap) {
		struct ev e = pop(s);
		handle(s, &e);
	}
	double agent_h = (double)sc->agents * sc->hours;
	r->occupancy = 100.0 * (double)(s->talk_total + s->wrap_total) / (agent_h * 3600.0 * SEC);
	r->talk_per_hour = (double)s->talk_total / 60000.0 / agent_h;
	r->abandon = s->answered ? 100.0 * (double)s->abandoned / (double)s->answered : 0;
	r->calls_per_hour = (double)s->conn / agent_h;
	r->dials_per_hour = (double)s->placed / agent_h;
	r->max_up = s->max_up;
	r->gain = pacer_gain(&s->pacer);
}

static void describe(char *out, size_t size, const struct scenario *sc)
{
	snprintf(out, size, "%u agents, %u %% answer, %u:%02u talk, %u s wrap-up, %u h, max %u calls",
		 sc->agents, sc->answer_pm / 10, sc->talk_s / 60, sc->talk_s % 60, sc->wrap_s,
		 sc->hours, sc->max_concurrency);
}

int main(int argc, char **argv)
{
	const char *section = NULL, *glance = NULL;
	int shortrun = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--short"))
			shortrun = 1;
		else if (!strcmp(argv[i], "--section") && i + 1 < argc)
			section = argv[++i];
		else if (!strcmp(argv[i], "--glance") && i + 1 < argc)
			glance = argv[++i];
		else {
			fprintf(stderr, "usage: pacing-sim [--short] [--section FILE] [--glance FILE]\n");
			return 2;
		}
	}
	const struct scenario *list = shortrun ? &short_scenario : scenarios;
	size_t nsc = shortrun ? 1 : sizeof scenarios / sizeof scenarios[0];
	size_t nm = sizeof modes / sizeof modes[0];
	static struct sim sim;
	struct result res[3][4];

	for (size_t i = 0; i < nsc; i++)
		for (size_t j = 0; j < nm; j++) {
			struct result *r = &res[i][j];
			run(&sim, &list[i], &modes[j], r);
			printf("scenario=\"%s\" mode=\"%s\" occupancy=%.1f talk_min_per_agent_h=%.1f "
			       "abandon_pct=%.2f calls_per_agent_h=%.1f dials_per_agent_h=%.1f "
			       "max_up=%u max_concurrency=%u gain=%u\n",
			       list[i].name, modes[j].label, r->occupancy, r->talk_per_hour, r->abandon,
			       r->calls_per_hour, r->dials_per_hour, r->max_up,
			       list[i].max_concurrency, r->gain);
		}

	FILE *f = section ? fopen(section, "w") : NULL;
	if (section && !f) {
		fprintf(stderr, "pacing-sim: %s: %s\n", section, strerror(errno));
		return 1;
	}
	if (f) {
		fprintf(f, "## 7. Outbound pacing (simulated)\n\n"
			   "`build/bin/pacing-sim` (bench/pacing_sim.c) drives the dialer's pacing code\n"
			   "(common/pacing.c) on simulated time: a fixed seed, the same customers for\n"
			   "every mode, the pacer asked once a simulated second, a customer with no free\n"
			   "agent 2 s after answering abandoned. Customers answer after 3 s + an\n"
			   "exponential of mean 7 s; the others end as no answer (30 s), busy (0.5-4 s),\n"
			   "rejected or invalid. Talk times are gamma-distributed (shape 2) with the\n"
			   "scenario's mean; wrap-up is fixed. Predictive aims at %d %% of a 3 %% abandon\n"
			   "target. Occupancy: talk + wrap-up over the agents' time; calls: connected to\n"
			   "an agent; abandon: abandoned over live answers (docs/outbound.md, \"Pacing\").\n\n",
			PACER_AIM);
		for (size_t i = 0; i < nsc; i++) {
			char d[160];
			describe(d, sizeof d, &list[i]);
			fprintf(f, "**%s** (%s)\n\n", list[i].name, d);
			fprintf(f, "| pacing | occupancy | talk min / agent-hour | abandon | calls / agent-hour | dials / agent-hour | most calls up |\n");
			fprintf(f, "| --- | --- | --- | --- | --- | --- | --- |\n");
			for (size_t j = 0; j < nm; j++) {
				const struct result *r = &res[i][j];
				fprintf(f, "| %s | %.1f %% | %.1f | %.2f %% | %.1f | %.1f | %u |\n",
					modes[j].label, r->occupancy, r->talk_per_hour, r->abandon,
					r->calls_per_hour, r->dials_per_hour, r->max_up);
			}
			fprintf(f, "\n");
		}
		fclose(f);
	}
	/* the standard scenario's predictive row, against the goal */
	const struct result *p = &res[0][3];
	if (glance) {
		FILE *g = fopen(glance, "w");
		if (!g) {
			fprintf(stderr, "pacing-sim: %s: %s\n", glance, strerror(errno));
			return 1;
		}
		fprintf(g, "| predictive pacing, %s scenario (simulated): talk minutes per agent-hour, abandon rate | %.1f min, %.2f %% | at least 50 min, at most 3 %% |\n",
			list[0].name, p->talk_per_hour, p->abandon);
		fclose(g);
	}
	printf("\n%-20s %-12s %9s %9s %8s %9s %9s %7s\n", "scenario", "pacing", "occupancy",
	       "talk/a-h", "abandon", "calls/a-h", "dials/a-h", "max up");
	for (size_t i = 0; i < nsc; i++)
		for (size_t j = 0; j < nm; j++) {
			const struct result *r = &res[i][j];
			printf("%-20s %-12s %8.1f%% %9.1f %7.2f%% %9.1f %9.1f %7u\n", list[i].name,
			       modes[j].label, r->occupancy, r->talk_per_hour, r->abandon,
			       r->calls_per_hour, r->dials_per_hour, r->max_up);
		}
	return 0;
}
