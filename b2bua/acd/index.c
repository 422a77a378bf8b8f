/* The availability index: see acd_priv.h. Each membership is filed by
 * member_file(), the one place that decides from the agent's fields where
 * it goes, so the sets cannot drift from agent_available() as long as every
 * change of those fields is followed by a filing. */
#include "b2bua/acd/acd_priv.h"

#include "b2bua/core/core.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

static const struct member *of_id(const struct avl_node *n)
{
	return avl_entry(n, struct member, by_id);
}

static const struct member *of_key(const struct avl_node *n)
{
	return avl_entry(n, struct member, by_key);
}

/* Members of a level are in the queue's array sorted by (level, id): their
 * places there are the order of their ids, compared without strcmp. */
static int cmp_place(const struct member *x, const struct member *y)
{
	return (x > y) - (x < y);
}

static int cmp_by_id(const struct avl_node *a, const struct avl_node *b)
{
	return cmp_place(of_id(a), of_id(b));
}

/* The order longest_idle, fewest_calls and least_talk_time choose by: the
 * strategy's count first (0 for the strategies without one), then idle
 * since, then id. On the keys filed with the member, not the agent's
 * fields, which may have changed already when the member is taken out. */
static int cmp_by_key(const struct avl_node *a, const struct avl_node *b)
{
	const struct member *x = of_key(a), *y = of_key(b);
	if (x->key_count != y->key_count)
		return x->key_count < y->key_count ? -1 : 1;
	if (x->key_idle != y->key_idle)
		return x->key_idle < y->key_idle ? -1 : 1;
	return cmp_place(x, y);
}

static unsigned long key_count(const struct queue *q, const struct agent *a)
{
	switch (q->strategy) {
	case STRATEGY_FEWEST_CALLS: return a->calls_today;
	case STRATEGY_LEAST_TALK_TIME: return a->talk_s_today;
	default: return 0;
	}
}

/* The orders the router reads for a strategy (router.c): a change of an
 * agent costs only the trees its queues read. */
static bool by_id_read(enum acd_strategy s)
{
	return s == STRATEGY_TOP_DOWN || s == STRATEGY_ROUND_ROBIN || s == STRATEGY_RANDOM ||
	       s == STRATEGY_RING_ALL;
}

static bool by_key_read(enum acd_strategy s)
{
	return s != STRATEGY_TOP_DOWN && s != STRATEGY_ROUND_ROBIN && s != STRATEGY_RANDOM;
}

static void unfile(struct member *m)
{
	struct queue *q = m->queue;
	struct qlevel *l = &q->levels[m->slot];
	if (m->filed == MEMBER_AVAILABLE) {
		if (by_id_read(q->strategy))
			avl_remove(&l->by_id, &m->by_id, cmp_by_id);
		if (by_key_read(q->strategy))
			avl_remove(&l->by_key, &m->by_key, cmp_by_key);
		l->available--;
	} else if (m->filed == MEMBER_BLOCKED) {
		if (m->blocked_prev)
			m->blocked_prev->blocked_next = m->blocked_next;
		else
			q->blocked = m->blocked_next;
		if (m->blocked_next)
			m->blocked_next->blocked_prev = m->blocked_prev;
		m->blocked_prev = m->blocked_next = NULL;
	}
	m->filed = MEMBER_OUT;
}

/* The queue's counts of its members, with m as its agent is now. */
static void count(struct member *m)
{
	struct queue *q = m->queue;
	const struct agent *a = m->agent;
	bool in = a->present && a->sm.state != AGENT_LOGGED_OUT;
	q->signed_in = q->signed_in - m->counted_in + in;
	q->calls_today = q->calls_today - m->counted_calls + a->calls_today;
	q->talk_s_today = q->talk_s_today - m->counted_talk_s + a->talk_s_today;
	m->counted_in = in;
	m->counted_calls = a->calls_today;
	m->counted_talk_s = a->talk_s_today;
}

static void member_file(struct member *m, long long now_ms)
{
	if (m->twice)
		return;
	count(m);
	struct queue *q = m->queue;
	const struct agent *a = m->agent;
	if (!q->levels)
		return;	/* Marked: no memory for the levels at the build (logged then):
			 * nobody is offered, the counts still hold (test_router) */
	/* agent_available(), with the block apart: a block ends by itself. */
	enum member_filed want = MEMBER_OUT;
	if (a->present && a->registered && !a->owner && a->sm.state == AGENT_READY)
		want = a->blocked_until_ms > now_ms ? MEMBER_BLOCKED : MEMBER_AVAILABLE;
	if (want == m->filed &&
	    (want != MEMBER_AVAILABLE || !by_key_read(q->strategy) ||
	     (m->key_idle == a->idle_since_ms && m->key_count == key_count(q, a))))
		return;
	unfile(m);
	if (want == MEMBER_AVAILABLE) {
		struct qlevel *l = &q->levels[m->slot];
		m->key_idle = a->idle_since_ms;
		m->key_count = key_count(q, a);
		if (by_id_read(q->strategy))
			avl_insert(&l->by_id, &m->by_id, cmp_by_id);
		if (by_key_read(q->strategy))
			avl_insert(&l->by_key, &m->by_key, cmp_by_key);
		l->available++;
	} else if (want == MEMBER_BLOCKED) {
		m->blocked_prev = NULL;
		m->blocked_next = q->blocked;
		if (q->blocked)
			q->blocked->blocked_prev = m;
		q->blocked = m;
	}
	m->filed = want;
}

static int cmp_member(const void *x, const void *y)
{
	const struct member *a = x, *b = y;
	if (a->level != b->level)
		return a->level < b->level ? -1 : 1;
	return strcmp(a->agent->id, b->agent->id);
}

void queue_index_build(struct queue *q, long long now_ms)
{
	if (q->nmembers > 1)
		qsort(q->members, q->nmembers, sizeof *q->members, cmp_member);
	free(q->levels);
	q->levels = NULL;
	q->nlevels = 0;
	q->blocked = NULL;
	q->signed_in = 0;
	q->calls_today = q->talk_s_today = 0;
	size_t nlevels = 0;
	for (size_t i = 0; i < q->nmembers; i++) {
		nlevels += !i || q->members[i].level != q->members[i - 1].level;
		q->members[i].agent->seen = NULL;
	}
	if (nlevels && !(q->levels = calloc(nlevels, sizeof *q->levels)))
		log_err("skill group %u: out of memory for its index; nobody is offered its calls "
			"until the next directory read", q->group);
	for (size_t i = 0; i < q->nmembers; i++) {
		struct member *m = &q->members[i];
		if (q->levels && (!i || m->level != q->members[i - 1].level))
			q->levels[q->nlevels++].level = m->level;
		/* Sorted by level: an agent met again is a member at a level no
		 * lower; the lowest is the one the router would ever choose. */
		struct agent *a = m->agent;
		m->twice = a->seen == q;
		a->seen = q;
		m->queue = q;
		m->slot = (unsigned short)(q->nlevels ? q->nlevels - 1 : 0);
		m->filed = MEMBER_OUT;
		m->blocked_prev = m->blocked_next = NULL;
		m->counted_in = false;
		m->counted_calls = 0;
		m->counted_talk_s = 0;
		m->next = a->memberships;
		a->memberships = m;
		member_file(m, now_ms);
	}
}

void index_file_agent(struct agent *a, long long now_ms)
{
	for (struct member *m = a->memberships; m; m = m->next)
		member_file(m, now_ms);
}

void queue_index_unblock(struct queue *q, long long now_ms)
{
	struct member *m = q->blocked, *next;
	for (; m; m = next) {
		next = m->blocked_next;
		if (m->agent->blocked_until_ms <= now_ms)
			member_file(m, now_ms);
	}
}

unsigned queue_index_available(const struct queue *q, long long now_ms)
{
	unsigned n = 0;
	for (size_t i = 0; i < q->nlevels; i++)
		n += q->levels[i].available;
	for (const struct member *m = q->blocked; m; m = m->blocked_next)
		n += m->agent->blocked_until_ms <= now_ms;
	return n;
}

void acd_index_update(struct acd *acd, struct agent *a)
{
	(void)acd;
	index_file_agent(a, core_now_ms());
}

void acd_index_rebuild(struct acd *acd)
{
	long long now = core_now_ms();
	for (size_t i = 0; i < acd->nagents; i++)
		acd->agents[i]->memberships = NULL;
	for (size_t i = 0; i < acd->nqueues; i++)
		queue_index_build(acd->queues[i], now);
}
