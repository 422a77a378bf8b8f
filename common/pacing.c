/* The pacing of an outbound task (common/pacing.h, docs/outbound.md's
 * "Pacing"): ratio, progressive and predictive, with predictive's sliding
 * windows and gain. Pure: no clock but the caller's, no allocation. */
#include <math.h>
#include <string.h>

#include "common/pacing.h"

#define MILLION 1000000UL

void pacer_init(struct pacer *p, unsigned abandon_target, long long now_ms)
{
	memset(p, 0, sizeof *p);
	p->target = abandon_target ? abandon_target : TASK_ABANDON_DEFAULT;
	if (p->target > TASK_ABANDON_MAX)
		p->target = TASK_ABANDON_MAX;
	p->gain = PACER_GAIN_START * 1000UL;
	p->turn_ms = now_ms;
}

/* --- the windows -------------------------------------------------------------------- */

/* Puts v into a ring of PACER_WINDOW values; returns the value it replaces
 * (0 while the ring fills). */
static unsigned ring_put32(uint32_t *ring, unsigned *n, unsigned *at, uint32_t v)
{
	uint32_t old = *n == PACER_WINDOW ? ring[*at] : 0;
	ring[*at] = v;
	*at = (*at + 1) % PACER_WINDOW;
	if (*n < PACER_WINDOW)
		(*n)++;
	return old;
}

static unsigned ring_put8(uint8_t *ring, unsigned *n, unsigned *at, uint8_t v)
{
	uint8_t old = *n == PACER_WINDOW ? ring[*at] : 0;
	ring[*at] = v;
	*at = (*at + 1) % PACER_WINDOW;
	if (*n < PACER_WINDOW)
		(*n)++;
	return old;
}

static void settle(struct pacer *p, int answered)
{
	p->att_answered -= ring_put8(p->att, &p->att_n, &p->att_at, (uint8_t)answered);
	p->att_answered += (unsigned)answered;
}

/* The gain moves by PACER_ETA * (aim - x) on each live answer, x = 1 when
 * it was abandoned: a stochastic approximation whose rest point is an
 * abandon rate equal to the aim. */
static unsigned long aim_ppm(const struct pacer *p)
{
	/* target in tenths of a percent: millionths = target * 1000 */
	return (unsigned long)p->target * 1000UL * PACER_AIM / 100;
}

static void live(struct pacer *p, int abandoned)
{
	p->live_abandoned -= ring_put8(p->live, &p->live_n, &p->live_at, (uint8_t)abandoned);
	p->live_abandoned += (unsigned)abandoned;
	p->total_live++;
	p->total_abandoned += (unsigned)abandoned;

	unsigned long aim = aim_ppm(p);
	unsigned long step;
	if (abandoned) {
		step = (unsigned long)PACER_ETA * (MILLION - aim) / 1000;
		p->gain = p->gain > PACER_GAIN_MIN * 1000UL + step ? p->gain - step
								    : PACER_GAIN_MIN * 1000UL;
	} else if (!p->bound) {
		/* Held by max_concurrency, more gain would change nothing now
		 * and overshoot when the bound lifts. */
		step = (unsigned long)PACER_ETA * aim / 1000;
		p->gain = p->gain + step < PACER_GAIN_MAX * 1000UL ? p->gain + step
								   : PACER_GAIN_MAX * 1000UL;
	}
}

void pacer_placed(struct pacer *p)
{
	p->placed++;
}

void pacer_answered(struct pacer *p, unsigned ring_ms)
{
	settle(p, 1);
	p->ring_sum -= ring_put32(p->ring, &p->ring_n, &p->ring_at, ring_ms);
	p->ring_sum += ring_ms;
}

void pacer_unanswered(struct pacer *p)
{
	settle(p, 0);
}

void pacer_connected(struct pacer *p)
{
	live(p, 0);
}

void pacer_abandoned(struct pacer *p)
{
	live(p, 1);
}

void pacer_freed(struct pacer *p, unsigned talk_ms, unsigned wrap_ms)
{
	uint32_t c = talk_ms + wrap_ms < talk_ms ? UINT32_MAX : talk_ms + wrap_ms;
	p->cycle_sum -= ring_put32(p->cycle, &p->cycle_n, &p->cycle_at, c);
	p->cycle_sum += c;
}

/* --- estimates ---------------------------------------------------------------------- */

unsigned pacer_abandon_window(const struct pacer *p)
{
	return p->live_n ? (unsigned)((p->live_abandoned * 1000UL + p->live_n / 2) / p->live_n) : 0;
}

unsigned pacer_abandon_total(const struct pacer *p)
{
	return p->total_live ? (unsigned)((p->total_abandoned * 1000UL + p->total_live / 2) /
					  p->total_live)
			     : 0;
}

unsigned pacer_answer_rate(const struct pacer *p)
{
	/* The prior counts as answered: a new task dials as if every call
	 * were answered (progressive) until attempts say otherwise. */
	return (unsigned)((p->att_answered + PACER_PRIOR_N) * 1000UL / (p->att_n + PACER_PRIOR_N));
}

unsigned pacer_gain(const struct pacer *p)
{
	return (unsigned)(p->gain / 1000);
}

/* --- the decision ------------------------------------------------------------------- */

/* The expected answers beyond cap per expected answer when n calls ring,
 * each answered with probability q: E[max(0, X - cap)] / E[X], X ~ B(n, q). */
static double excess(unsigned n, double q, double cap)
{
	if (n == 0)
		return 0;
	double pk = pow(1 - q, n), over = 0;
	for (unsigned k = 0; k <= n; k++) {
		if ((double)k > cap)
			over += ((double)k - cap) * pk;
		pk = pk * (double)(n - k) / (double)(k + 1) * q / (1 - q);
	}
	return over / ((double)n * q);
}

/* Predictive: the agents that will take the calls dialed now are those
 * available plus the busy ones freeing within the time a call takes to be
 * answered (each with probability ring / cycle: the mean time to answer
 * over the mean talk + wrap-up), less the customers already waiting. The
 * calls ringing and the new ones are answered at the measured rate; the
 * most calls whose expected answers beyond those agents stay within the
 * allowed share of all answers (the aim times the gain) is what rings. */
static unsigned long predictive(const struct pacer *p, const struct pacer_in *in,
				unsigned long room)
{
	double q = pacer_answer_rate(p) / 1000.0;
	if (q < 0.001)
		q = 0.001;
	if (q > 0.99)
		q = 0.99;
	double ring = p->ring_n ? (double)p->ring_sum / p->ring_n : PACER_RING_DEFAULT_MS;
	double gain = (double)p->gain / MILLION;
	double cap = in->agents_available;
	if (p->cycle_n && in->agents_busy) {
		/* Counting on agents yet to free up is the bet that abandons:
		 * a gain under 1 takes it back first. */
		double cycle = (double)p->cycle_sum / p->cycle_n;
		cap += in->agents_busy * (cycle > ring ? ring / cycle : 1.0) * (gain < 1 ? gain : 1);
	}
	cap -= in->waiting;
	double allowed = (double)aim_ppm(p) / MILLION * gain;
	unsigned long n = 0;
	while (n < room && excess(in->dialing + (unsigned)n + 1, q, cap) <= allowed)
		n++;
	return n;
}

unsigned pacer_calls(struct pacer *p, const struct pacer_in *in, long long now_ms)
{
	if (now_ms - p->turn_ms > PACER_IDLE_MS && p->gain > PACER_GAIN_START * 1000UL)
		p->gain = PACER_GAIN_START * 1000UL;
	p->turn_ms = now_ms;

	unsigned long up = (unsigned long)in->dialing + in->waiting + in->connected;
	unsigned long pending = (unsigned long)in->dialing + in->waiting;
	unsigned long room = in->max_concurrency > up ? in->max_concurrency - up : 0;
	unsigned long want = 0;

	if (in->agents_available + in->agents_busy == 0) {
		p->bound = 0;
		return 0;
	}
	switch (in->mode) {
	case TASK_PACING_RATIO: {
		unsigned long cap = (unsigned long)in->agents_available * in->agent_ratio / 100;
		want = cap > pending ? cap - pending : 0;
		break;
	}
	case TASK_PACING_PROGRESSIVE:
		want = in->agents_available > pending ? in->agents_available - pending : 0;
		break;
	case TASK_PACING_PREDICTIVE:
		/* room + 1: whether max_concurrency holds it back */
		want = predictive(p, in, room + 1);
		break;
	default:
		want = 0;
		break;
	}
	p->bound = want > room;
	return (unsigned)(want > room ? room : want);
}
