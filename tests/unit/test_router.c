/* The router: who gets the next call, by each strategy, levels first; and
 * which entry is next. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acd_scan.h"
#include "b2bua/acd/acd_priv.h"

static struct agent mk(const char *id, enum agent_state s, bool reg, long long idle)
{
	struct agent a;
	memset(&a, 0, sizeof a);
	a.id = (char *)id;
	agent_sm_init(&a.sm);
	a.sm.state = s;
	a.registered = reg;
	a.present = true;
	a.idle_since_ms = idle;
	return a;
}

/* q: a queue of the agents given (in no other queue), all at level 1
 * unless levels says, its index built at now. Free with queue_done. */
static void queue_of(struct queue *q, struct member *m, struct agent **agents,
		     const unsigned char *levels, size_t n, enum acd_strategy st, long long now)
{
	for (size_t i = 0; i < n; i++) {
		agents[i]->memberships = NULL;
		m[i] = (struct member){ .agent = agents[i], .level = levels ? levels[i] : 1 };
	}
	*q = (struct queue){ .members = m, .nmembers = n, .strategy = st };
	queue_index_build(q, now);
}

static void queue_done(struct queue *q)
{
	free(q->levels);
	q->levels = NULL;
}

static struct agent *pick(struct agent **agents, const unsigned char *levels, size_t n,
			  enum acd_strategy st, long long now, unsigned rnd)
{
	struct member m[16];
	struct queue q;
	queue_of(&q, m, agents, levels, n, st, now);
	struct agent *a = router_pick_agent(&q, now, rnd);
	/* The scan the index replaced agrees. */
	assert_ptr_equal(a, scan_pick_agent(&q, now, rnd));
	queue_done(&q);
	return a;
}

static void longest_idle_wins(void **state)
{
	(void)state;
	struct agent a = mk("a", AGENT_READY, true, 3000);
	struct agent b = mk("b", AGENT_READY, true, 1000);
	struct agent c = mk("c", AGENT_READY, true, 2000);
	struct agent *m[] = { &a, &b, &c };
	assert_ptr_equal(pick(m, NULL, 3, STRATEGY_LONGEST_IDLE, 10000, 0), &b);
}

static void only_available_agents(void **state)
{
	(void)state;
	struct agent busy = mk("a", AGENT_ON_CALL, true, 0);
	struct agent unreg = mk("b", AGENT_READY, false, 1);
	struct agent brk = mk("c", AGENT_NOT_READY, true, 2);
	struct agent wrap = mk("d", AGENT_WRAP_UP, true, 3);
	struct agent gone = mk("e", AGENT_READY, true, 4);
	gone.present = false;
	struct agent held = mk("f", AGENT_READY, true, 5);
	held.blocked_until_ms = 20000;
	struct agent ok = mk("g", AGENT_READY, true, 9000);
	struct agent *m[] = { &busy, &unreg, &brk, &wrap, &gone, &held, &ok };
	for (int st = 0; st < ACD_STRATEGY_COUNT; st++) {
		assert_ptr_equal(pick(m, NULL, 7, st, 10000, 12345), &ok);
		/* An agent already reserved for a call is not offered another. */
		ok.owner = &ok;
		assert_null(pick(m, NULL, 7, st, 10000, 7));
		ok.owner = NULL;
	}
	/* Once the block is over, the longer-idle one is back in line. */
	assert_ptr_equal(pick(m, NULL, 7, STRATEGY_LONGEST_IDLE, 20000, 0), &held);
	assert_null(pick(m, NULL, 0, STRATEGY_LONGEST_IDLE, 0, 0));
}

static void ties_break_by_id(void **state)
{
	(void)state;
	struct agent x = mk("x", AGENT_READY, true, 5);
	struct agent y = mk("m", AGENT_READY, true, 5);
	struct agent *m[] = { &x, &y };
	assert_ptr_equal(pick(m, NULL, 2, STRATEGY_LONGEST_IDLE, 10, 0), &y);
}

static void a_lower_level_goes_first_with_every_strategy(void **state)
{
	(void)state;
	/* b is level 2 and idle longest, with no calls: still a (level 1). */
	struct agent a = mk("a", AGENT_READY, true, 5000);
	struct agent b = mk("b", AGENT_READY, true, 1);
	a.calls_today = 50;
	a.talk_s_today = 9000;
	struct agent *m[] = { &b, &a };
	const unsigned char levels[] = { 2, 1 };
	for (int st = 0; st < ACD_STRATEGY_COUNT; st++)
		for (unsigned r = 0; r < 4; r++)
			assert_ptr_equal(pick(m, levels, 2, st, 10000, r), &a);
	/* With a busy, level 2 gets it. */
	a.sm.state = AGENT_ON_CALL;
	for (int st = 0; st < ACD_STRATEGY_COUNT; st++)
		assert_ptr_equal(pick(m, levels, 2, st, 10000, 3), &b);
}

static void top_down_takes_the_first_in_order(void **state)
{
	(void)state;
	struct agent a = mk("a", AGENT_READY, true, 9000);
	struct agent b = mk("b", AGENT_READY, true, 1);
	struct agent *m[] = { &b, &a };
	assert_ptr_equal(pick(m, NULL, 2, STRATEGY_TOP_DOWN, 10000, 0), &a);
	assert_ptr_equal(pick(m, NULL, 2, STRATEGY_LONGEST_IDLE, 10000, 0), &b);
}

static void round_robin_goes_round(void **state)
{
	(void)state;
	struct agent a = mk("a", AGENT_READY, true, 1), b = mk("b", AGENT_READY, true, 1),
		     c = mk("c", AGENT_READY, true, 1);
	struct agent *agents[] = { &c, &a, &b };
	struct member m[3];
	struct queue q;
	queue_of(&q, m, agents, NULL, 3, STRATEGY_ROUND_ROBIN, 10);
	const char *order[] = { "a", "b", "c", "a", "b" };
	for (size_t i = 0; i < 5; i++) {
		struct agent *p = router_pick_agent(&q, 10, 0);
		assert_string_equal(p->id, order[i]);
		snprintf(q.rr_last, sizeof q.rr_last, "%s", p->id);
	}
	/* b busy: after a comes c. */
	snprintf(q.rr_last, sizeof q.rr_last, "a");
	b.sm.state = AGENT_ON_CALL;
	index_file_agent(&b, 10);
	assert_ptr_equal(router_pick_agent(&q, 10, 0), &c);
	/* Only a free: it wraps round to a. */
	c.sm.state = AGENT_ON_CALL;
	index_file_agent(&c, 10);
	assert_ptr_equal(router_pick_agent(&q, 10, 0), &a);
	queue_done(&q);
}

static void fewest_calls_and_least_talk_time(void **state)
{
	(void)state;
	struct agent a = mk("a", AGENT_READY, true, 1), b = mk("b", AGENT_READY, true, 2),
		     c = mk("c", AGENT_READY, true, 3);
	a.calls_today = 9, a.talk_s_today = 100;
	b.calls_today = 2, b.talk_s_today = 900;
	c.calls_today = 5, c.talk_s_today = 50;
	struct agent *m[] = { &a, &b, &c };
	assert_ptr_equal(pick(m, NULL, 3, STRATEGY_FEWEST_CALLS, 10, 0), &b);
	assert_ptr_equal(pick(m, NULL, 3, STRATEGY_LEAST_TALK_TIME, 10, 0), &c);
	/* Equal counts: the longest idle of them. */
	c.calls_today = 2;
	assert_ptr_equal(pick(m, NULL, 3, STRATEGY_FEWEST_CALLS, 10, 0), &b);
}

static void random_chooses_among_the_available_of_the_level(void **state)
{
	(void)state;
	struct agent a = mk("a", AGENT_READY, true, 1), b = mk("b", AGENT_ON_CALL, true, 1),
		     c = mk("c", AGENT_READY, true, 1), d = mk("d", AGENT_READY, true, 1);
	struct agent *m[] = { &a, &b, &c, &d };
	const unsigned char levels[] = { 1, 1, 1, 2 };
	int seen[4] = { 0 };
	for (unsigned r = 0; r < 10; r++) {
		struct agent *p = pick(m, levels, 4, STRATEGY_RANDOM, 10, r);
		assert_non_null(p);
		seen[p->id[0] - 'a']++;
	}
	assert_int_equal(seen[0], 5);	/* a and c, alternately */
	assert_int_equal(seen[2], 5);
	assert_int_equal(seen[1] + seen[3], 0);
}

static void ring_all_takes_every_available_agent_of_the_level(void **state)
{
	(void)state;
	struct agent a = mk("a", AGENT_READY, true, 300), b = mk("b", AGENT_ON_CALL, true, 1),
		     c = mk("c", AGENT_READY, true, 100), d = mk("d", AGENT_READY, true, 1);
	struct agent *agents[] = { &a, &b, &c, &d };
	const unsigned char levels[] = { 1, 1, 1, 2 };
	struct member m[4];
	struct queue q;
	queue_of(&q, m, agents, levels, 4, STRATEGY_RING_ALL, 1000);
	struct agent *out[4];
	/* a and c (level 1, available), longest idle first; not d (level 2). */
	assert_int_equal(router_ring_all(&q, 1000, out, 4), 2);
	assert_ptr_equal(out[0], &c);
	assert_ptr_equal(out[1], &a);
	/* At most max. */
	assert_int_equal(router_ring_all(&q, 1000, out, 1), 1);
	/* Level 1 all busy: level 2. */
	a.sm.state = c.sm.state = AGENT_ON_CALL;
	index_file_agent(&a, 1000);
	index_file_agent(&c, 1000);
	assert_int_equal(router_ring_all(&q, 1000, out, 4), 1);
	assert_ptr_equal(out[0], &d);
	d.owner = &d;
	index_file_agent(&d, 1000);
	assert_int_equal(router_ring_all(&q, 1000, out, 4), 0);
	queue_done(&q);
}

static void strategy_names(void **state)
{
	(void)state;
	for (int st = 0; st < ACD_STRATEGY_COUNT; st++)
		assert_int_equal(acd_strategy_parse(acd_strategy_name(st)), st);
	assert_int_equal(acd_strategy_parse("ring_everyone"), -1);
	assert_int_equal(acd_strategy_parse(NULL), -1);
}

/* q: a queue of the entries given, in that order, filed at now. */
static void line_of(struct queue *q, struct qentry **e, size_t n, long long now)
{
	memset(q, 0, sizeof *q);
	for (size_t i = 0; i < n; i++)
		queue_line_add(q, e[i], now);
}

static void first_waiting_skips_calls_being_offered(void **state)
{
	(void)state;
	struct qentry e1 = { 0 }, e2 = { 0 }, e3 = { 0 };
	struct qentry *e[] = { &e1, &e2, &e3 };
	struct queue q;
	line_of(&q, e, 3, 100);
	assert_ptr_equal(router_first_waiting(&q, 100), &e1);
	e1.offering = true;
	queue_line_file(&q, &e1, 100);
	assert_ptr_equal(router_first_waiting(&q, 100), &e2);
	e2.offering = e3.offering = true;
	queue_line_file(&q, &e2, 100);
	queue_line_file(&q, &e3, 100);
	assert_null(router_first_waiting(&q, 100));
}

static void first_waiting_skips_entries_that_declined_until_their_time(void **state)
{
	(void)state;
	struct qentry e1 = { .not_before_ms = 500 }, e2 = { 0 };
	struct qentry *e[] = { &e1, &e2 };
	struct queue q;
	line_of(&q, e, 2, 100);
	assert_ptr_equal(router_first_waiting(&q, 100), &e2);
	assert_ptr_equal(router_first_waiting(&q, 500), &e1);
}

static void first_waiting_leaves_entries_to_their_dedicated_agent(void **state)
{
	(void)state;
	struct qentry e1 = { .prefer_id = "a", .prefer_until_ms = 1000 }, e2 = { 0 };
	struct qentry *e[] = { &e1, &e2 };
	struct queue q;
	line_of(&q, e, 2, 100);
	assert_ptr_equal(router_first_waiting(&q, 100), &e2);
	assert_ptr_equal(router_first_waiting(&q, 1000), &e1);
}

/* --- the index against the scan, on random states ------------------------------- */

#define P_AGENTS 70
#define P_QUEUES (ACD_STRATEGY_COUNT + 1)

struct world {
	struct agent agents[P_AGENTS];
	char ids[P_AGENTS][16];
	struct member members[P_QUEUES][P_AGENTS];
	struct queue queues[P_QUEUES];
	long long now;
	unsigned seed;
};

static unsigned rnd(struct world *w, unsigned n)
{
	w->seed = w->seed * 1103515245u + 12345u;
	return (w->seed >> 8) % n;
}

/* A random value of each input of availability and of the keys, in small
 * ranges so that ties (same idle time, same count) are frequent. */
static void randomize(struct world *w, struct agent *a, unsigned field)
{
	static const void *const owners[] = { NULL, NULL, NULL, "x" };
	switch (field) {
	case 0: a->sm.state = (enum agent_state)rnd(w, AGENT_STATE_COUNT); break;
	case 1: a->sm.state = AGENT_READY; break;	/* most often ready */
	case 2: a->registered = rnd(w, 4) != 0; break;
	case 3: a->owner = (void *)owners[rnd(w, 4)]; break;
	case 4: a->present = rnd(w, 8) != 0; break;
	case 5: a->idle_since_ms = w->now - (long long)rnd(w, 6); break;
	case 6: a->calls_today = rnd(w, 4); break;
	case 7: a->talk_s_today = rnd(w, 4); break;
	default: a->blocked_until_ms = rnd(w, 2) ? 0 : w->now + (long long)rnd(w, 12) - 4; break;
	}
}

/* Every queue built again, each agent of each queue at most once. */
static void build_world(struct world *w)
{
	for (int i = 0; i < P_AGENTS; i++)
		w->agents[i].memberships = NULL;
	for (int k = 0; k < P_QUEUES; k++) {
		struct queue *q = &w->queues[k];
		free(q->levels);
		size_t n = 0;
		for (int i = 0; i < P_AGENTS; i++)
			if (rnd(w, 10) < 7)
				w->members[k][n++] = (struct member){ .agent = &w->agents[i],
								      .level = (unsigned char)(1 + rnd(w, 3)) };
		*q = (struct queue){ .members = w->members[k], .nmembers = n,
				     .strategy = (enum acd_strategy)(k % ACD_STRATEGY_COUNT) };
		queue_index_build(q, w->now);
	}
}

/* Every choice of every queue is the scan's, and so are the counts. */
static void agree(struct world *w)
{
	for (int k = 0; k < P_QUEUES; k++) {
		struct queue *q = &w->queues[k];
		unsigned r = rnd(w, 1000);
		/* The scan first: the router lets blocked members in as it goes. */
		struct agent *want = scan_pick_agent(q, w->now, r);
		assert_ptr_equal(router_pick_agent(q, w->now, r), want);
		size_t max = 1 + rnd(w, 20);
		struct agent *a[24], *b[24];
		if (q->strategy == STRATEGY_RING_ALL) {
			size_t n = scan_ring_all(q, w->now, a, max);
			assert_int_equal(router_ring_all(q, w->now, b, max), n);
			for (size_t i = 0; i < n; i++)
				assert_ptr_equal(a[i], b[i]);
		}
		unsigned ready = 0, in = 0;
		unsigned long calls = 0, talk = 0;
		for (size_t i = 0; i < q->nmembers; i++) {
			const struct agent *x = q->members[i].agent;
			ready += agent_available(x, w->now);
			in += x->present && x->sm.state != AGENT_LOGGED_OUT;
			calls += x->calls_today;
			talk += x->talk_s_today;
		}
		assert_int_equal(queue_index_available(q, w->now), ready);
		assert_int_equal(q->signed_in, in);
		assert_int_equal(q->calls_today, calls);
		assert_int_equal(q->talk_s_today, talk);
	}
}

static void index_agrees_with_the_scan_on_random_states(void **state)
{
	(void)state;
	static struct world w;
	for (unsigned seed = 1; seed <= 4; seed++) {
		memset(&w, 0, sizeof w);
		w.seed = seed;
		w.now = 100000;
		for (int i = 0; i < P_AGENTS; i++) {
			/* Ids of different lengths: their order is strcmp's. */
			snprintf(w.ids[i], sizeof w.ids[i], "%c%u", 'a' + (int)rnd(&w, 5), rnd(&w, 300));
			for (int j = 0; j < i; j++)
				if (!strcmp(w.ids[i], w.ids[j]))
					snprintf(w.ids[i], sizeof w.ids[i], "z%d", i);
			w.agents[i] = mk(w.ids[i], AGENT_READY, true, w.now);
			for (unsigned f = 0; f < 9; f++)
				randomize(&w, &w.agents[i], f);
		}
		build_world(&w);
		agree(&w);
		for (int step = 0; step < 6000; step++) {
			unsigned op = rnd(&w, 100);
			if (op < 80) {
				struct agent *a = &w.agents[rnd(&w, P_AGENTS)];
				randomize(&w, a, rnd(&w, 10));
				index_file_agent(a, w.now);
			} else if (op < 92) {
				w.now += rnd(&w, 4);
			} else if (op < 99) {
				struct queue *q = &w.queues[rnd(&w, P_QUEUES)];
				snprintf(q->rr_last, sizeof q->rr_last, "%s",
					 rnd(&w, 4) ? w.ids[rnd(&w, P_AGENTS)] : rnd(&w, 2) ? "" : "c150");
			} else {
				build_world(&w);
			}
			agree(&w);
		}
		for (int k = 0; k < P_QUEUES; k++)
			free(w.queues[k].levels);
	}
}

#define P_ENTRIES 40

/* The line against the list the ACD kept before (each entry after every one
 * that joined with an enq_ms as early or earlier, walked from the head):
 * the same order, the same first entry to offer, the same positions, and
 * the preferring set is the list's entries waiting for their agent. */
static void line_agrees_with_the_walk_on_random_states(void **state)
{
	(void)state;
	static struct qentry e[P_ENTRIES];
	static struct world w;
	w.seed = 11;
	w.now = 1000;
	bool in[P_ENTRIES] = { false };
	int order[P_ENTRIES], n = 0;	/* the list as the old insertion made it */
	struct queue q;
	memset(&q, 0, sizeof q);
	for (int step = 0; step < 30000; step++) {
		int i = (int)rnd(&w, P_ENTRIES);
		unsigned op = rnd(&w, 100);
		if (!in[i]) {
			memset(&e[i], 0, sizeof e[i]);
			e[i].enq_ms = 900 + rnd(&w, 30);
			if (op < 20)
				e[i].not_before_ms = w.now + rnd(&w, 6);
			int at = n;
			while (at > 0 && e[order[at - 1]].enq_ms > e[i].enq_ms)
				at--;
			memmove(&order[at + 1], &order[at], (size_t)(n - at) * sizeof *order);
			order[at] = i;
			n++;
			queue_line_add(&q, &e[i], w.now);
			in[i] = true;
		} else if (op < 15) {
			queue_line_remove(&q, &e[i]);
			int at = 0;
			while (order[at] != i)
				at++;
			memmove(&order[at], &order[at + 1], (size_t)(n - at - 1) * sizeof *order);
			n--;
			in[i] = false;
		} else if (op < 35) {
			e[i].offering = !e[i].offering;
		} else if (op < 50) {
			e[i].not_before_ms = w.now + (long long)rnd(&w, 10) - 3;
		} else if (op < 62) {
			e[i].prefer_id = "a";
			e[i].prefer_until_ms = rnd(&w, 5) ? w.now + (long long)rnd(&w, 10) - 3 : LLONG_MAX;
		} else if (op < 67) {
			e[i].prefer_id = NULL;
		} else {
			w.now += rnd(&w, 3);
		}
		if (in[i])
			queue_line_file(&q, &e[i], w.now);
		/* The walk first: router_first_waiting files what became due. */
		struct qentry *want = scan_first_waiting(&q, w.now);
		assert_ptr_equal(router_first_waiting(&q, w.now), want);
		assert_int_equal(q.waiting, n);
		const struct qentry *x = q.head;
		for (int k = 0; k < n; k++, x = x->next) {
			assert_ptr_equal(x, &e[order[k]]);
			assert_int_equal(queue_line_position(&q, x), k + 1);
		}
		assert_null(x);
		assert_ptr_equal(q.tail, n ? &e[order[n - 1]] : NULL);
		struct line_key key;
		const struct qentry *p = queue_preferring_after(&q, NULL);
		for (x = q.head; x; x = x->next) {
			if (!x->prefer_id || x->offering || x->prefer_until_ms <= w.now)
				continue;
			assert_ptr_equal(p, x);
			key = (struct line_key){ x->enq_ms, x->seq };
			p = queue_preferring_after(&q, &key);
		}
		assert_null(p);
	}
}

/* An agent listed twice in a group (its department and as a member) is one
 * agent: counted once, offered at its lower level, picked with the weight
 * of one. */
static void an_agent_in_a_group_twice_counts_once(void **state)
{
	(void)state;
	struct agent a = mk("a", AGENT_READY, true, 1), b = mk("b", AGENT_READY, true, 2);
	a.calls_today = 4;
	struct agent *agents[] = { &a, &b, &a };
	const unsigned char levels[] = { 1, 1, 1 };
	struct member m[3];
	struct queue q;
	queue_of(&q, m, agents, levels, 3, STRATEGY_RANDOM, 10);
	assert_int_equal(queue_index_available(&q, 10), 2);
	assert_int_equal(q.signed_in, 2);
	assert_int_equal(q.calls_today, 4);
	int seen[2] = { 0 };
	for (unsigned r = 0; r < 10; r++)
		seen[router_pick_agent(&q, 10, r) == &b]++;
	assert_int_equal(seen[0], 5);
	assert_int_equal(seen[1], 5);
	a.sm.state = AGENT_NOT_READY;
	index_file_agent(&a, 10);
	assert_int_equal(queue_index_available(&q, 10), 1);
	assert_ptr_equal(router_pick_agent(&q, 10, 0), &b);
	queue_done(&q);
	/* ring_all rings it once. */
	a.sm.state = AGENT_READY;
	queue_of(&q, m, agents, levels, 3, STRATEGY_RING_ALL, 10);
	struct agent *out[4];
	assert_int_equal(router_ring_all(&q, 10, out, 4), 2);
	queue_done(&q);
}

/* A queue whose levels could not be allocated at its build offers nobody,
 * and its counts still follow its members. */
static void a_queue_without_its_levels_offers_nobody(void **state)
{
	(void)state;
	struct agent a = mk("a", AGENT_READY, true, 1), b = mk("b", AGENT_NOT_READY, true, 2);
	struct agent *agents[] = { &a, &b };
	struct member m[2];
	struct queue q;
	queue_of(&q, m, agents, NULL, 2, STRATEGY_LONGEST_IDLE, 10);
	/* As after a failed allocation in queue_index_build. */
	queue_done(&q);
	q.nlevels = 0;
	q.blocked = NULL;
	for (int i = 0; i < 2; i++)
		m[i].filed = MEMBER_OUT;
	b.sm.state = AGENT_LOGGED_OUT;
	index_file_agent(&b, 10);
	index_file_agent(&a, 10);
	assert_null(router_pick_agent(&q, 10, 0));
	assert_int_equal(queue_index_available(&q, 10), 0);
	assert_int_equal(q.signed_in, 1);
}

/* A member held by another node is out until its block is over, then back
 * without anyone filing it again. */
static void a_block_ends_by_itself(void **state)
{
	(void)state;
	struct agent a = mk("a", AGENT_READY, true, 1), b = mk("b", AGENT_READY, true, 2);
	a.blocked_until_ms = 50;
	struct agent *agents[] = { &a, &b };
	struct member m[2];
	struct queue q;
	queue_of(&q, m, agents, NULL, 2, STRATEGY_LONGEST_IDLE, 10);
	assert_ptr_equal(router_pick_agent(&q, 10, 0), &b);
	assert_int_equal(queue_index_available(&q, 49), 1);
	assert_int_equal(queue_index_available(&q, 50), 2);
	assert_ptr_equal(router_pick_agent(&q, 50, 0), &a);
	queue_done(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(longest_idle_wins),
		cmocka_unit_test(only_available_agents),
		cmocka_unit_test(ties_break_by_id),
		cmocka_unit_test(a_lower_level_goes_first_with_every_strategy),
		cmocka_unit_test(top_down_takes_the_first_in_order),
		cmocka_unit_test(round_robin_goes_round),
		cmocka_unit_test(fewest_calls_and_least_talk_time),
		cmocka_unit_test(random_chooses_among_the_available_of_the_level),
		cmocka_unit_test(ring_all_takes_every_available_agent_of_the_level),
		cmocka_unit_test(strategy_names),
		cmocka_unit_test(first_waiting_skips_calls_being_offered),
		cmocka_unit_test(first_waiting_skips_entries_that_declined_until_their_time),
		cmocka_unit_test(first_waiting_leaves_entries_to_their_dedicated_agent),
		cmocka_unit_test(index_agrees_with_the_scan_on_random_states),
		cmocka_unit_test(line_agrees_with_the_walk_on_random_states),
		cmocka_unit_test(an_agent_in_a_group_twice_counts_once),
		cmocka_unit_test(a_block_ends_by_itself),
		cmocka_unit_test(a_queue_without_its_levels_offers_nobody),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
