/* The router's choices, kept free of I/O so they are unit-tested alone. */
#include "b2bua/acd/acd_priv.h"

#include <stdlib.h>
#include <string.h>

#define STRATEGY_NAME(name, str) str,
static const char *const strategy_names[] = { ACD_STRATEGIES(STRATEGY_NAME) };
#undef STRATEGY_NAME

int acd_strategy_parse(const char *name)
{
	for (int i = 0; name && i < ACD_STRATEGY_COUNT; i++)
		if (!strcmp(name, strategy_names[i]))
			return i;
	return -1;
}

const char *acd_strategy_name(enum acd_strategy s)
{
	return (unsigned)s < ACD_STRATEGY_COUNT ? strategy_names[s] : "?";
}

bool agent_available(const struct agent *a, long long now_ms)
{
	return a->present && a->registered && !a->owner && a->sm.state == AGENT_READY &&
	       a->blocked_until_ms <= now_ms;
}

static int cmp_member(const void *x, const void *y)
{
	const struct member *a = x, *b = y;
	if (a->level != b->level)
		return a->level < b->level ? -1 : 1;
	return strcmp(a->agent->id, b->agent->id);
}

void router_sort_members(struct queue *q)
{
	if (q->nmembers > 1)
		qsort(q->members, q->nmembers, sizeof *q->members, cmp_member);
}

/* True when a is a better choice than best by q's strategy (same level). */
static bool better(const struct queue *q, const struct agent *a, const struct agent *best)
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
	/* Longest idle, also to break the ties above; then by id, so the
	 * choice is repeatable. */
	if (a->idle_since_ms != best->idle_since_ms)
		return a->idle_since_ms < best->idle_since_ms;
	return strcmp(a->id, best->id) < 0;
}

struct agent *router_pick_agent(const struct queue *q, long long now_ms, unsigned rnd)
{
	/* The members are sorted by level: the first available one gives the
	 * level to choose in. */
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
		/* The first available after the last one offered, in order,
		 * wrapping round; the first when none was offered yet. */
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
			if (agent_available(a, now_ms) && (!best || better(q, a, best)))
				best = a;
		}
		return best;
	}
	}
}

static int cmp_idle(const void *x, const void *y)
{
	const struct agent *a = *(struct agent *const *)x, *b = *(struct agent *const *)y;
	if (a->idle_since_ms != b->idle_since_ms)
		return a->idle_since_ms < b->idle_since_ms ? -1 : 1;
	return strcmp(a->id, b->id);
}

size_t router_ring_all(const struct queue *q, long long now_ms, struct agent **out, size_t max)
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
		/* An agent of the group twice (department and member) once. */
		bool dup = false;
		for (size_t k = 0; k < n; k++)
			dup |= out[k] == a;
		if (!dup && n < max)
			out[n++] = a;
	}
	qsort(out, n, sizeof *out, cmp_idle);
	return n;
}

struct qentry *router_first_waiting(const struct queue *q, long long now_ms)
{
	for (struct qentry *e = q->head; e; e = e->next)
		if (!e->offering && e->not_before_ms <= now_ms &&
		    (!e->prefer_id || e->prefer_until_ms <= now_ms))
			return e;
	return NULL;
}
