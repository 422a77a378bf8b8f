/* The router's choices made the plain way: a look at every member of a
 * queue (sorted by level, then id) and at every entry from the head. This
 * is what the ACD did before its index; it stays here, outside the B2BUA, as
 * the reference the index must agree with (tests/unit/test_router.c) and
 * the figure it is measured against (bench/acd_bench.c). Header-only. */
#ifndef TEST_ACD_SCAN_H
#define TEST_ACD_SCAN_H

#include <stdlib.h>
#include <string.h>

#include "b2bua/acd/acd_priv.h"

/* True when a is a better choice than best by q's strategy (same level). */
static inline bool scan_better(const struct queue *q, const struct agent *a,
			       const struct agent *best)
{
	switch (q->strategy) {
	case STRATEGY_FEWEST_CALLS:
		if (a->calls_today != best->calls_today)
			return a->calls_today < best->calls_today;
		break;
	case STRATEGY_LEAST_TALK_TIME:
		if (a->talk_s_today != best->talk_s_today)
			return a->talk_s_today < best->talk_s_today;
		break;
	default:
		break;
	}
	if (a->idle_since_ms != best->idle_since_ms)
		return a->idle_since_ms < best->idle_since_ms;
	return strcmp(a->id, best->id) < 0;
}

static inline struct agent *scan_pick_agent(const struct queue *q, long long now_ms, unsigned rnd)
{
	size_t first = q->nmembers;
	for (size_t i = 0; i < q->nmembers; i++)
		if (agent_available(q->members[i].agent, now_ms)) {
			first = i;
			break;
		}
	if (first == q->nmembers)
		return NULL;
	unsigned level = q->members[first].level;
	size_t end = first;
	while (end < q->nmembers && q->members[end].level == level)
		end++;
	switch (q->strategy) {
	case STRATEGY_TOP_DOWN:
		return q->members[first].agent;
	case STRATEGY_ROUND_ROBIN: {
		struct agent *wrap = NULL;
		for (size_t i = first; i < end; i++) {
			struct agent *a = q->members[i].agent;
			if (!agent_available(a, now_ms))
				continue;
			if (!q->rr_last[0] || strcmp(a->id, q->rr_last) > 0)
				return a;
			if (!wrap)
				wrap = a;
		}
		return wrap;
	}
	case STRATEGY_RANDOM: {
		size_t n = 0;
		for (size_t i = first; i < end; i++)
			n += agent_available(q->members[i].agent, now_ms);
		size_t k = rnd % n;
		for (size_t i = first; i < end; i++)
			if (agent_available(q->members[i].agent, now_ms) && k-- == 0)
				return q->members[i].agent;
		return NULL;
	}
	default: {
		struct agent *best = NULL;
		for (size_t i = first; i < end; i++) {
			struct agent *a = q->members[i].agent;
			if (agent_available(a, now_ms) && (!best || scan_better(q, a, best)))
				best = a;
		}
		return best;
	}
	}
}

static inline int scan_cmp_idle(const void *x, const void *y)
{
	const struct agent *a = *(struct agent *const *)x, *b = *(struct agent *const *)y;
	if (a->idle_since_ms != b->idle_since_ms)
		return a->idle_since_ms < b->idle_since_ms ? -1 : 1;
	return strcmp(a->id, b->id);
}

static inline size_t scan_ring_all(const struct queue *q, long long now_ms, struct agent **out,
				   size_t max)
{
	size_t n = 0;
	int level = -1;
	for (size_t i = 0; i < q->nmembers; i++) {
		struct agent *a = q->members[i].agent;
		if (!agent_available(a, now_ms))
			continue;
		if (level < 0)
			level = q->members[i].level;
		if (q->members[i].level != level)
			break;
		bool dup = false;
		for (size_t k = 0; k < n; k++)
			dup |= out[k] == a;
		if (!dup && n < max)
			out[n++] = a;
	}
	qsort(out, n, sizeof *out, scan_cmp_idle);
	return n;
}

static inline struct qentry *scan_first_waiting(const struct queue *q, long long now_ms)
{
	for (struct qentry *e = q->head; e; e = e->next)
		if (!e->offering && e->not_before_ms <= now_ms &&
		    (!e->prefer_id || e->prefer_until_ms <= now_ms))
			return e;
	return NULL;
}

#endif
