/* The router's choices, kept free of I/O so they are unit-tested alone. */
#include "b2bua/acd/acd_priv.h"

#include <string.h>

bool agent_available(const struct agent *a, long long now_ms)
{
	return a->present && a->registered && !a->owner && a->sm.state == AGENT_READY &&
	       a->blocked_until_ms <= now_ms;
}

struct agent *router_pick_agent(struct agent *const *members, size_t n, long long now_ms)
{
	struct agent *best = NULL;
	for (size_t i = 0; i < n; i++) {
		struct agent *a = members[i];
		if (!agent_available(a, now_ms))
			continue;
		/* Longest idle first; ties by id, so the choice is repeatable. */
		if (!best || a->idle_since_ms < best->idle_since_ms ||
		    (a->idle_since_ms == best->idle_since_ms && strcmp(a->id, best->id) < 0))
			best = a;
	}
	return best;
}

struct qentry *router_first_waiting(const struct queue *q, long long now_ms)
{
	for (struct qentry *e = q->head; e; e = e->next)
		if (!e->offering && e->not_before_ms <= now_ms)
			return e;
	return NULL;
}
