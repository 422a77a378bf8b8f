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

static struct agent *agent_of(const struct avl_node *by_id)
{
	return by_id ? avl_entry(by_id, struct member, by_id)->agent : NULL;
}

/* The lowest level of q with a member available at now, or NULL. The
 * levels are few (1 to 9): looking at each is cheaper than keeping them in
 * a set of their own. */
static const struct qlevel *first_level(struct queue *q, long long now_ms)
{
	queue_index_unblock(q, now_ms);
	for (size_t i = 0; i < q->nlevels; i++)
		if (q->levels[i].available)
			return &q->levels[i];
	return NULL;
}

static int cmp_id_key(const struct avl_node *n, const void *id)
{
	return strcmp(agent_of(n)->id, id);
}

struct agent *router_pick_agent(struct queue *q, long long now_ms, unsigned rnd)
{
	const struct qlevel *l = first_level(q, now_ms);
	if (!l)
		return NULL;
	switch (q->strategy) {
	case STRATEGY_TOP_DOWN:
		return agent_of(avl_first(l->by_id));
	case STRATEGY_ROUND_ROBIN: {
		/* The first available after the last one offered, in order,
		 * wrapping round; the first when none was offered yet. */
		struct avl_node *n = q->rr_last[0] ? avl_after(l->by_id, cmp_id_key, q->rr_last) : NULL;
		return agent_of(n ? n : avl_first(l->by_id));
	}
	case STRATEGY_RANDOM:
		return agent_of(avl_at(l->by_id, rnd % l->available));
	default:
		/* Longest idle, fewest calls, least talk time (ties: longest
		 * idle, then id, so the choice is repeatable): the first by key. */
		return avl_entry(avl_first(l->by_key), struct member, by_key)->agent;
	}
}

static int cmp_idle(const void *x, const void *y)
{
	const struct agent *a = *(struct agent *const *)x, *b = *(struct agent *const *)y;
	if (a->idle_since_ms != b->idle_since_ms)
		return a->idle_since_ms < b->idle_since_ms ? -1 : 1;
	return strcmp(a->id, b->id);
}

size_t router_ring_all(struct queue *q, long long now_ms, struct agent **out, size_t max)
{
	const struct qlevel *l = first_level(q, now_ms);
	size_t n = l ? avl_count(l->by_id) : 0;
	if (n > max)
		n = max;
	for (size_t i = 0; i < n; i++)
		out[i] = agent_of(avl_at(l->by_id, (unsigned)i));
	if (n > 1)
		qsort(out, n, sizeof *out, cmp_idle);
	return n;
}

struct qentry *router_first_waiting(struct queue *q, long long now_ms)
{
	/* Entries whose preference or delay is over join the ready ones. */
	queue_line_due(q, now_ms);
	return queue_line_ready(q);
}
