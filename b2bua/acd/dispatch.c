/* Dispatch: pairs waiting entries with available agents, from the loop
 * (acd_kick), never inside the frame of whoever made an agent or an entry
 * available. See acd.h. */
#include "b2bua/acd/acd_priv.h"

#include "b2bua/core/core.h"
#include "b2bua/core/tmr.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* An entry whose owner could not take an offer waits this long before it is
 * offered again, so that an owner failing every time cannot spin the loop. */
#define DECLINED_RETRY_MS 200

static void kick_due(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct acd *acd = arg;
	(void)magic;
	(void)t;
	acd->kicked = false;
	acd_dispatch(acd);
}

void acd_kick(struct acd *acd)
{
	if (acd->kicked)
		return;
	if (tmr_once(acd->core->root, &acd->kick_timer, 0, kick_due, acd)) {
		log_err("ACD: cannot schedule a dispatch (out of memory)");
		return;
	}
	acd->kicked = true;
}

/* The queue whose first waiting entry has waited longest, among those not
 * yet found without an agent in this round. */
static struct queue *oldest_queue(struct acd *acd, const bool *skip, long long now)
{
	struct queue *best = NULL;
	long long best_ms = 0;
	for (size_t i = 0; i < acd->nqueues; i++) {
		if (skip[i])
			continue;
		struct qentry *e = router_first_waiting(acd->queues[i], now);
		if (e && (!best || e->enq_ms < best_ms)) {
			best = acd->queues[i];
			best_ms = e->enq_ms;
		}
	}
	return best;
}

static void retry_due(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)magic;
	(void)t;
	acd_kick(arg);
}

/* A new day (local time): the day's counts start again. The next
 * midnight is worked out once a day, not at every dispatch. */
static void new_day(struct acd *acd)
{
	time_t t = time(NULL);
	if (t < acd->next_day)
		return;
	if (acd->next_day) {
		for (size_t i = 0; i < acd->nagents; i++) {
			acd->agents[i]->calls_today = 0;
			acd->agents[i]->talk_s_today = 0;
		}
		/* Once a day: every key of fewest_calls and least_talk_time. */
		acd_index_rebuild(acd);
	}
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_mday++;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	acd->next_day = mktime(&tm);
}

static void prefer_due(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)magic;
	(void)t;
	acd_kick(arg);
}

/* The owner could not take what it was offered: the entry waits (not
 * forever: it is offered again after a short pause). */
static void declined(struct acd *acd, struct qentry *e, long long now)
{
	log_warn("ACD: %s could not take its offer; offering it again in %d ms",
		 e->owner_id ? e->owner_id : "an entry", DECLINED_RETRY_MS);
	e->offering = false;
	e->not_before_ms = now + DECLINED_RETRY_MS;
	if (e->queue)	/* (its owner may have left the queue meanwhile) */
		queue_line_file(e->queue, e, now);
	if (tmr_once(acd->core->root, &acd->retry_timer, DECLINED_RETRY_MS, retry_due, acd))
		log_err("ACD: cannot schedule a retry (out of memory)");
}

/* Reserves a for e and offers it to e's owner. True when the owner took
 * it; else the agent is free again. */
static bool offer(struct acd *acd, struct agent *a, struct qentry *e, long long now)
{
	enum agent_state prev = a->sm.state;
	long long prev_ver = a->ver;
	agent_sm_apply(&a->sm, AEV_RESERVE, NULL, false);
	a->owner = e->owner;
	a->offer_group = e->queue->group;
	if (e->prefer_id && !strcmp(e->prefer_id, a->id))
		e->prefer_offered = true;
	if (e->queue->strategy == STRATEGY_ROUND_ROBIN)
		snprintf(e->queue->rr_last, sizeof e->queue->rr_last, "%s", a->id);
	snprintf(a->call_id, sizeof a->call_id, "%s", e->owner_id ? e->owner_id : "");
	e->offering = true;
	queue_line_file(e->queue, e, now);
	if (acd_shared(acd)) {
		/* Between nodes the phone rings once the agent's row is this
		 * node's: two nodes never offer one agent two calls at once. */
		a->confirming = e;
		e->confirming++;
		a->ver = agent_next_ver(a, now);
		acd_index_update(acd, a);
		acd_store_reserve(acd, a, prev, prev_ver);
		return true;
	}
	acd_changed(acd, a, prev);
	if (!acd->ops.offer(e->owner, a))
		return true;
	log_warn("ACD: %s could not take agent %s", e->owner_id ? e->owner_id : "an entry", a->id);
	acd_agent_event(acd, a, AEV_RELEASE, 0);
	return false;
}

/* ring_all: e offered to every available agent of q's first level at once.
 * False when nobody is available. */
static bool offer_all(struct acd *acd, struct queue *q, struct qentry *e, long long now)
{
	struct agent *agents[ACD_RING_ALL_MAX];
	size_t n = router_ring_all(q, now, agents, ACD_RING_ALL_MAX);
	size_t taken = 0;
	for (size_t i = 0; i < n; i++)
		taken += offer(acd, agents[i], e, now);
	if (n && !taken)
		declined(acd, e, now);
	return n > 0;
}

void acd_dispatch(struct acd *acd)
{
	if (acd->dispatching) {
		/* Marked: owners never call in (see acd.h); kept as a guard. */
		log_err("ACD: dispatch re-entered; ignored");
		return;
	}
	acd->dispatching = true;
	bool *skip = calloc(acd->nqueues ? acd->nqueues : 1, sizeof *skip);
	if (!skip) {
		acd->dispatching = false;
		acd_kick(acd);
		return;
	}
	long long now = core_now_ms();
	new_day(acd);
	/* Entries waiting for their dedicated agent: that agent, if ready.
	 * Only those entries are looked at, in line; the walk goes by place
	 * in line, as an offer changes the set it walks. */
	long long next_end = 0;
	for (size_t i = 0; i < acd->nqueues; i++) {
		struct queue *q = acd->queues[i];
		struct line_key k;
		queue_line_due(q, now);
		for (struct qentry *e = queue_preferring_after(q, NULL); e;
		     e = queue_preferring_after(q, &k)) {
			k = (struct line_key){ e->enq_ms, e->seq };
			struct agent *a = acd_agent(acd, e->prefer_id);
			if (a && agent_available(a, now)) {
				if (!offer(acd, a, e, now))
					declined(acd, e, now);
			} else if (!e->prefer_only && (!next_end || e->prefer_until_ms < next_end)) {
				next_end = e->prefer_until_ms;
			}
		}
	}
	/* The earliest end of a dedicated agent's wait: the group's turn. */
	if (next_end && tmr_once(acd->core->root, &acd->prefer_timer, next_end - now, prefer_due, acd))
		log_err("ACD: cannot schedule the end of a dedicated agent's wait");
	struct queue *q;
	while ((q = oldest_queue(acd, skip, now))) {
		struct qentry *e = router_first_waiting(q, now);
		bool offered;
		if (q->strategy == STRATEGY_RING_ALL) {
			offered = offer_all(acd, q, e, now);
		} else {
			struct agent *a = router_pick_agent(q, now, (unsigned)rand());
			offered = a != NULL;
			if (a && !offer(acd, a, e, now))
				declined(acd, e, now);
		}
		if (!offered)
			for (size_t i = 0; i < acd->nqueues; i++)
				if (acd->queues[i] == q)
					skip[i] = true;
	}
	free(skip);
	acd->dispatching = false;
}
