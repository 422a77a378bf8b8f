/* The pacing of an outbound task (docs/outbound.md, "Pacing"): how many new
 * calls the dialer starts now, as pure functions with an injected clock
 * (milliseconds, any origin). No I/O, no allocation: a `struct pacer` is
 * fixed in size and lives in whatever holds the task (one per task).
 *
 * The dialer, at each of its turns (about once a second):
 *
 *     struct pacer_in in = { .mode = ..., .agents_available = ..., ... };
 *     unsigned n = pacer_calls(&task->pacer, &in, now_ms);
 *     (start at most n new calls, fewer when fewer targets are due)
 *
 * and, as its calls move on, tells the pacer what happened (pacer_placed,
 * pacer_answered, pacer_connected, pacer_abandoned, pacer_unanswered,
 * pacer_freed) so that predictive pacing learns the answer rate, the time
 * to answer, the agents' talk and wrap-up times and the abandon rate over a
 * sliding window. Ratio and progressive pacing use only `struct pacer_in`.
 *
 * Whatever the mode, calls in progress never exceed max_concurrency, and no
 * agent signed in means no call. */
#ifndef CC_PACING_H
#define CC_PACING_H

#include <stdint.h>

#include "common/task.h"

/* What the dialer knows now. Calls are this task's; agents are its skill
 * group's. */
struct pacer_in {
	enum task_pacing mode;
	unsigned max_concurrency;	/* 最大并发数: calls of the task up at once */
	unsigned agent_ratio;		/* 坐席并发比, hundredths (ratio mode) */
	unsigned agents_available;	/* signed in, ready, phone registered, not on a call */
	unsigned agents_busy;		/* signed in, on a call (any) or in wrap-up */
	unsigned dialing;		/* placed or ringing, the customer has not answered */
	unsigned waiting;		/* answered by the customer, no agent yet */
	unsigned connected;		/* the customer talks to an agent */
};

/* The sliding windows: the last PACER_WINDOW settled attempts (answered
 * or not) and live-answered calls (connected or abandoned), the last
 * PACER_WINDOW agents' talk + wrap-up times. */
#define PACER_WINDOW 128

/* Predictive pacing's parameters (docs/outbound.md). */
#define PACER_GAIN_START 1000	/* thousandths: abandons allowed = aim x gain */
#define PACER_GAIN_MIN 100
#define PACER_GAIN_MAX 5000
#define PACER_ETA 100		/* thousandths: the gain's step on a live answer */
#define PACER_AIM 70		/* percent of the abandon target the gain aims at */
#define PACER_RING_DEFAULT_MS 15000	/* time to answer before any is measured */
#define PACER_IDLE_MS 60000	/* a turn after this long without one: the gain
				   starts again no higher than PACER_GAIN_START */

/* A task's pacing estimates. The fields are the pacer's own; read them
 * only through the functions below. */
struct pacer {
	/* settled attempts: bit 0 answered by the customer */
	uint8_t att[PACER_WINDOW];
	unsigned att_n, att_at, att_answered;
	/* live-answered calls: 1 abandoned, 0 connected */
	uint8_t live[PACER_WINDOW];
	unsigned live_n, live_at, live_abandoned;
	/* time from placing to the customer's answer, answered calls (ms) */
	uint32_t ring[PACER_WINDOW];
	unsigned ring_n, ring_at;
	uint64_t ring_sum;
	/* an agent's talk + wrap-up on this task's calls (ms) */
	uint32_t cycle[PACER_WINDOW];
	unsigned cycle_n, cycle_at;
	uint64_t cycle_sum;
	/* the whole task's live answers and abandoned calls */
	unsigned long total_live, total_abandoned;
	unsigned long placed;
	unsigned long gain;		/* millionths: answers sought per agent free soon */
	unsigned target;		/* the abandon target, tenths of a percent */
	int bound;			/* the last turn was held by max_concurrency */
	long long turn_ms;		/* the last pacer_calls */
};

/* Starts a pacer with no history (the gain at PACER_GAIN_START) for a task
 * whose abandon target is abandon_target (cc_task.abandon_target, tenths of
 * a percent; 0: TASK_ABANDON_DEFAULT). */
void pacer_init(struct pacer *p, unsigned abandon_target, long long now_ms);

/* How many new calls to start now. Never more than max_concurrency minus
 * the calls in progress (dialing + waiting + connected); zero when no agent
 * is signed in (available + busy). By mode:
 *   ratio        dialing + waiting <= agents_available * agent_ratio / 100
 *   progressive  dialing + waiting <= agents_available
 *   predictive   the most calls whose expected answers beyond the agents
 *                available and freeing soon stay within aim x gain of all
 *                answers, at the measured answer rate (docs/outbound.md). */
unsigned pacer_calls(struct pacer *p, const struct pacer_in *in, long long now_ms);

/* Feedback, as calls move on. Durations in milliseconds. */
void pacer_placed(struct pacer *p);
/* The customer answered ring_ms after the call was placed. */
void pacer_answered(struct pacer *p, unsigned ring_ms);
/* An answered call reached an agent (a live answer, not abandoned): the
 * gain rises by PACER_ETA * aim. */
void pacer_connected(struct pacer *p);
/* An answered call found no agent in time (a live answer, abandoned): the
 * gain falls by PACER_ETA * (1 - aim). On average the gain stays put when
 * the abandon rate is the aim (PACER_AIM % of the target). */
void pacer_abandoned(struct pacer *p);
/* The call ended unanswered: no answer, busy, rejected, invalid, failed. */
void pacer_unanswered(struct pacer *p);
/* An agent who talked talk_ms to this task's customer and then wrapped up
 * for wrap_ms is free again. */
void pacer_freed(struct pacer *p, unsigned talk_ms, unsigned wrap_ms);

/* Estimates, for the monitor and the tests. */
/* Abandoned / live answers over the window, in tenths of a percent. */
unsigned pacer_abandon_window(const struct pacer *p);
/* The same over the whole task. */
unsigned pacer_abandon_total(const struct pacer *p);
/* Answered / settled attempts over the window, thousandths (with a prior
 * of PACER_PRIOR_N answered attempts while the window fills). */
#define PACER_PRIOR_N 4
unsigned pacer_answer_rate(const struct pacer *p);
/* Predictive's current gain, thousandths. */
unsigned pacer_gain(const struct pacer *p);

#endif
