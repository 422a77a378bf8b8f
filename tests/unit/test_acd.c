/* The ACD on its own, with a fake owner of queue entries (the ACD knows no
 * calls): dispatch pairs the longest-waiting entry with the longest-idle
 * agent, runs from the loop and never inside the caller's frame, an owner
 * that cannot take an offer gets it again, a lost reservation is withdrawn;
 * and queues follow directory snapshots across reloads; after a restart the
 * agents come back as their rows say, without the last run's calls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acd_scan.h"
#include "b2bua/acd/acd_priv.h"
#include "b2bua/dir/dir.h"
#include "log.h"
#include "support.h"

/* A fake owner: one entry, what it was offered, and whether it takes it. */
struct owner {
	struct qentry qe;
	char id[33];
	unsigned offers, withdrawn;
	unsigned decline;	/* offers to refuse, from the first */
	struct agent *agent;	/* the last one offered */
	struct acd *acd;
	bool enqueue_more;	/* the callback itself adds another entry */
	struct owner *more;
};

/* How deep offers nest: an owner's callback must never run inside another. */
static int depth, max_depth;

static int on_offer(void *arg, struct agent *a)
{
	struct owner *o = arg;
	if (++depth > max_depth)
		max_depth = depth;
	o->offers++;
	o->agent = a;
	if (o->enqueue_more && o->more)
		acd_enqueue(o->acd, &o->more->qe, 1, o->more, o->more->id, core_now_ms());
	depth--;
	if (o->decline) {
		o->decline--;
		return -1;
	}
	return 0;
}

static void on_withdraw(void *arg, struct agent *a)
{
	struct owner *o = arg;
	o->withdrawn++;
	/* What a call does: the offer stops and the agent is released. */
	acd_agent_event(o->acd, a, AEV_RELEASE, 0);
	acd_requeue(o->acd, &o->qe);
}

static const struct acd_owner_ops ops = { on_offer, on_withdraw };

struct env {
	struct t_core t;
	struct acd *acd;
};

static struct dir *snapshot(const unsigned *groups, size_t ngroups, const char *const *members)
{
	struct dir *d = dir_new("/audio");
	for (size_t i = 0; i < ngroups; i++) {
		struct dir_group g = { .id = groups[i], .name = "g", .ring_timeout_s = 10,
				       .max_wait_s = 60 };
		assert_int_equal(dir_add_group(d, &g), 0);
	}
	static const char *const ids[] = { "a1", "a2", "a3" };
	static const char *const sips[] = { "1001", "1002", "1003" };
	for (int i = 0; i < 3; i++) {
		struct dir_agent a = { .id = ids[i], .name = ids[i], .login = ids[i], .sip = sips[i] };
		assert_int_equal(dir_add_agent(d, &a), 0);
	}
	/* members: "agent:group" pairs */
	for (size_t i = 0; members && members[i]; i++) {
		char id[8];
		unsigned g;
		assert_int_equal(sscanf(members[i], "%7[^:]:%u", id, &g), 2);
		assert_int_equal(dir_add_member(d, g, id, 1), 0);
	}
	return dir_done(d);
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	if (!e || t_core_init(&e->t) || acd_alloc(&e->acd, &e->t.core, NULL, &ops))
		return -1;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	acd_free(e->acd);
	t_core_free(&e->t);
	free(e);
	return 0;
}

/* a1 alone in group 1, registered and ready. */
static struct dir *one_agent_ready(struct env *e, struct agent **a1)
{
	const unsigned groups[] = { 1 };
	const char *const m[] = { "a1:1", NULL };
	struct dir *d = snapshot(groups, 1, m);
	acd_merge(e->acd, d);
	*a1 = acd_agent(e->acd, "a1");
	acd_set_registered(e->acd, *a1, true);
	assert_null(acd_agent_request(e->acd, *a1, AGENT_READY, NULL));
	return d;
}

static void owner_init(struct owner *o, struct acd *acd, const char *id)
{
	memset(o, 0, sizeof *o);
	o->acd = acd;
	snprintf(o->id, sizeof o->id, "%s", id);
}

/* Agents a1..a3 in group 1 (a3 also in 2), signed in and registered, idle
 * since a1 < a2 < a3 (a1 longest). */
static struct dir *ready_agents(struct env *e)
{
	const unsigned groups[] = { 1, 2 };
	const char *const m[] = { "a1:1", "a2:1", "a3:1", "a3:2", NULL };
	struct dir *d = snapshot(groups, 2, m);
	acd_merge(e->acd, d);
	const char *const ids[] = { "a1", "a2", "a3" };
	for (int i = 0; i < 3; i++) {
		struct agent *a = acd_agent(e->acd, ids[i]);
		assert_non_null(a);
		acd_set_registered(e->acd, a, true);
		assert_null(acd_agent_request(e->acd, a, AGENT_READY, NULL));
		a->idle_since_ms = 1000 + i;
		acd_index_update(e->acd, a);
	}
	return d;
}

/* Group 2's entry waited longest; a3 (the only member of group 2, and of
 * group 1) goes there even though group 1 has an entry too; group 1's
 * entry gets the longest idle of the others. Reservations are published. */
static void dispatch_serves_the_longest_wait_first(void **state)
{
	struct env *e = *state;
	struct dir *d = ready_agents(e);
	struct owner g1, g2;
	owner_init(&g1, e->acd, "call-1");
	owner_init(&g2, e->acd, "call-2");
	assert_int_equal(acd_enqueue(e->acd, &g1.qe, 1, &g1, g1.id, 2000), 0);
	assert_int_equal(acd_enqueue(e->acd, &g2.qe, 2, &g2, g2.id, 1000), 0);
	/* Nothing is offered from inside the caller's frame. */
	assert_int_equal(g1.offers + g2.offers, 0);
	acd_dispatch(e->acd);
	assert_int_equal(g2.offers, 1);
	assert_string_equal(agent_id(g2.agent), "a3");
	assert_int_equal(g1.offers, 1);
	assert_string_equal(agent_id(g1.agent), "a1");
	assert_true(g1.qe.offering && g2.qe.offering);
	struct agent_view v;
	acd_agent_view(acd_agent(e->acd, "a3"), &v);
	assert_int_equal(v.state, AGENT_RESERVED);
	assert_string_equal(v.call, "call-2");
	unsigned n = e->t.events.n;
	assert_true(n >= 2);
	assert_int_equal(e->t.events.ev[n - 1].type, EV_AGENT_STATE);
	assert_string_equal(e->t.events.ev[n - 1].state, "reserved");
	/* Nobody is left to offer: a second dispatch does nothing. */
	acd_dispatch(e->acd);
	assert_int_equal(g1.offers + g2.offers, 2);
	dir_free(d);
}

/* First come, first served: the first entry to join gets the agent idle
 * longest. */
static void oldest_first(void **state)
{
	struct env *e = *state;
	struct dir *d = ready_agents(e);
	struct owner old, young;
	owner_init(&old, e->acd, "old");
	owner_init(&young, e->acd, "young");
	acd_enqueue(e->acd, &old.qe, 1, &old, old.id, 1000);
	acd_enqueue(e->acd, &young.qe, 1, &young, young.id, 2000);
	acd_dispatch(e->acd);
	assert_string_equal(agent_id(old.agent), "a1");
	assert_string_equal(agent_id(young.agent), "a2");
	dir_free(d);
}

static void dispatch_runs_from_the_loop(void **state)
{
	struct env *e = *state;
	struct owner o;
	owner_init(&o, e->acd, "call-1");
	struct agent *a1;
	struct dir *d = one_agent_ready(e, &a1);
	acd_enqueue(e->acd, &o.qe, 1, &o, o.id, 1000);
	/* A reload with the agent ready and the entry waiting rings nobody
	 * from inside the reload... */
	acd_merge(e->acd, d);
	assert_int_equal(o.offers, 0);
	/* ...the loop does, at once. */
	assert_true(LOOP_UNTIL(e->t.core.root, o.offers == 1, T_DEADLINE_MS));
	dir_free(d);
}

/* The owner of an entry could not take the agent it was offered (a call
 * that failed to start its offer): the agent is free again at once, and
 * the entry is offered again, not left waiting until its maximum wait. */
static void declined_offer_is_offered_again(void **state)
{
	struct env *e = *state;
	struct owner o;
	owner_init(&o, e->acd, "call-1");
	o.decline = 1;
	struct agent *a1;
	struct dir *d = one_agent_ready(e, &a1);
	acd_enqueue(e->acd, &o.qe, 1, &o, o.id, 1000);
	acd_dispatch(e->acd);
	assert_int_equal(o.offers, 1);
	struct agent_view v;
	acd_agent_view(a1, &v);
	assert_int_equal(v.state, AGENT_READY);
	assert_null(v.call);
	assert_false(o.qe.offering);
	assert_true(LOOP_UNTIL(e->t.core.root, o.offers == 2, T_DEADLINE_MS));
	acd_agent_view(a1, &v);
	assert_int_equal(v.state, AGENT_RESERVED);
	assert_string_equal(v.call, "call-1");
	assert_true(o.qe.offering);
	dir_free(d);
}

/* An owner's offer callback may touch the ACD (here: another entry joins):
 * no offer ever runs inside another; the new entry is offered after. */
static void owner_callbacks_do_not_reenter_dispatch(void **state)
{
	struct env *e = *state;
	struct dir *d = ready_agents(e);
	struct owner o, more;
	owner_init(&o, e->acd, "first");
	owner_init(&more, e->acd, "more");
	o.enqueue_more = true;
	o.more = &more;
	depth = max_depth = 0;
	acd_enqueue(e->acd, &o.qe, 2, &o, o.id, 1000);
	acd_dispatch(e->acd);
	assert_int_equal(o.offers, 1);
	assert_string_equal(agent_id(o.agent), "a3");
	assert_true(LOOP_UNTIL(e->t.core.root, more.offers == 1, T_DEADLINE_MS));
	assert_string_equal(agent_id(more.agent), "a1");
	assert_int_equal(max_depth, 1);
	dir_free(d);
}

static void lost_reservation_is_withdrawn(void **state)
{
	struct env *e = *state;
	struct dir *d = ready_agents(e);
	struct owner o;
	owner_init(&o, e->acd, "call-1");
	acd_enqueue(e->acd, &o.qe, 1, &o, o.id, 1000);
	acd_dispatch(e->acd);
	struct agent *a1 = acd_agent(e->acd, "a1");
	assert_ptr_equal(o.agent, a1);
	/* Another node's row said no: the owner is told, the agent is skipped
	 * for a while, and the entry goes to the next agent. */
	acd_reservation_lost(e->acd, "a1", "call-1");
	assert_int_equal(o.withdrawn, 1);
	assert_false(a1->row_elsewhere);
	assert_true(a1->blocked_until_ms > core_now_ms());
	assert_true(LOOP_UNTIL(e->t.core.root, o.offers == 2, T_DEADLINE_MS));
	assert_string_equal(agent_id(o.agent), "a2");
	/* A late answer for a call the agent no longer has changes nothing. */
	acd_reservation_lost(e->acd, "a2", "another-call");
	assert_int_equal(o.withdrawn, 1);
	dir_free(d);
}

static void wrapup_then_ready_again(void **state)
{
	struct env *e = *state;
	struct dir *d = ready_agents(e);
	struct owner o;
	owner_init(&o, e->acd, "call-1");
	acd_enqueue(e->acd, &o.qe, 1, &o, o.id, 1000);
	acd_dispatch(e->acd);
	struct agent *a = o.agent;
	acd_agent_event(e->acd, a, AEV_ANSWER, 0);
	acd_dequeue(e->acd, &o.qe);
	acd_agent_event(e->acd, a, AEV_HANGUP, 1);
	struct agent_view v;
	acd_agent_view(a, &v);
	assert_int_equal(v.state, AGENT_WRAP_UP);
	assert_null(v.call);
	assert_true(LOOP_UNTIL(e->t.core.root, a->sm.state == AGENT_READY, T_DEADLINE_MS));
	dir_free(d);
}

/* An agent's own call, outside any queue: taken only when ready; the ACD
 * offers it nothing meanwhile; wrap-up after the talk, then ready. */
static void agent_taken_for_its_own_call(void **state)
{
	struct env *e = *state;
	struct dir *d = ready_agents(e);
	struct agent *a1 = acd_agent(e->acd, "a1"), *a2 = acd_agent(e->acd, "a2");
	int mine;
	assert_null(acd_take_agent(e->acd, a1, &mine, "own-1"));
	struct agent_view v;
	acd_agent_view(a1, &v);
	assert_int_equal(v.state, AGENT_RESERVED);
	assert_string_equal(v.call, "own-1");
	assert_string_equal(acd_take_agent(e->acd, a1, &mine, "own-2"), "busy");
	assert_null(acd_agent_request(e->acd, a2, AGENT_NOT_READY, "rest"));
	assert_string_equal(acd_take_agent(e->acd, a2, &mine, "own-3"), "on_break");
	assert_null(acd_agent_request(e->acd, a2, AGENT_LOGGED_OUT, NULL));
	assert_string_equal(acd_take_agent(e->acd, a2, &mine, "own-3"), "not_signed_in");
	assert_string_equal(acd_take_agent(e->acd, NULL, &mine, "own-3"), "unknown_agent");
	/* A caller waiting in group 1 gets a3, never a1. */
	acd_agent_event(e->acd, a1, AEV_ANSWER, 0);
	struct owner o;
	owner_init(&o, e->acd, "call-1");
	acd_enqueue(e->acd, &o.qe, 1, &o, o.id, 1000);
	acd_dispatch(e->acd);
	assert_int_equal(o.offers, 1);
	assert_ptr_equal(o.agent, acd_agent(e->acd, "a3"));
	acd_agent_event(e->acd, a1, AEV_HANGUP, 1);
	acd_agent_view(a1, &v);
	assert_int_equal(v.state, AGENT_WRAP_UP);
	assert_true(LOOP_UNTIL(e->t.core.root, a1->sm.state == AGENT_READY, T_DEADLINE_MS));
	acd_dequeue(e->acd, &o.qe);
	dir_free(d);
}

/* Group 1 with a1..a3 as members at the levels given, settings from g. */
static struct dir *group_of(struct env *e, const struct dir_group *g, const unsigned *levels)
{
	struct dir *d = dir_new("/audio");
	assert_int_equal(dir_add_group(d, g), 0);
	static const char *const ids[] = { "a1", "a2", "a3" };
	static const char *const sips[] = { "1001", "1002", "1003" };
	for (int i = 0; i < 3; i++) {
		struct dir_agent a = { .id = ids[i], .name = ids[i], .login = ids[i], .sip = sips[i],
				       .calls_today = 10u - (unsigned)i };
		assert_int_equal(dir_add_agent(d, &a), 0);
		assert_int_equal(dir_add_member(d, g->id, ids[i], levels ? levels[i] : 1), 0);
	}
	d = dir_done(d);
	acd_merge(e->acd, d);
	for (int i = 0; i < 3; i++) {
		struct agent *a = acd_agent(e->acd, ids[i]);
		acd_set_registered(e->acd, a, true);
		assert_null(acd_agent_request(e->acd, a, AGENT_READY, NULL));
		a->idle_since_ms = 1000 + i;
		acd_index_update(e->acd, a);
	}
	return d;
}

/* The levels and the strategy of the directory are the router's: a2 (level
 * 1) before a1 (level 2, idle longest); with fewest_calls, a3 (fewest today
 * as the directory counted them). */
static void levels_and_strategy_come_from_the_directory(void **state)
{
	struct env *e = *state;
	const unsigned levels[] = { 2, 1, 1 };
	struct dir_group g = { .id = 1, .name = "g", .strategy = "longest_idle", .max_wait_s = 60 };
	struct dir *d = group_of(e, &g, levels);
	struct owner o;
	owner_init(&o, e->acd, "c1");
	acd_enqueue(e->acd, &o.qe, 1, &o, o.id, 1000);
	acd_dispatch(e->acd);
	assert_string_equal(agent_id(o.agent), "a2");
	acd_agent_event(e->acd, o.agent, AEV_RELEASE, 0);
	acd_dequeue(e->acd, &o.qe);
	dir_free(d);

	g.strategy = "fewest_calls";
	d = group_of(e, &g, NULL);
	owner_init(&o, e->acd, "c2");
	acd_enqueue(e->acd, &o.qe, 1, &o, o.id, 1000);
	acd_dispatch(e->acd);
	assert_string_equal(agent_id(o.agent), "a3");
	/* Its answered call counts: 8 + 1. */
	acd_agent_event(e->acd, o.agent, AEV_ANSWER, 0);
	assert_int_equal(o.agent->calls_today, 9);
	dir_free(d);
}

/* An agent who lets no_answer_break offers in a row ring out goes on break
 * (reason no_answer); one answered offer between starts the count again. */
static void offers_let_ring_out_put_the_agent_on_break(void **state)
{
	struct env *e = *state;
	struct dir_group g = { .id = 1, .name = "g", .max_wait_s = 60, .no_answer_break = 2 };
	struct dir *d = group_of(e, &g, NULL);
	struct agent *a1 = acd_agent(e->acd, "a1");
	struct owner o;
	owner_init(&o, e->acd, "c1");
	acd_enqueue(e->acd, &o.qe, 1, &o, o.id, 1000);
	acd_dispatch(e->acd);
	assert_ptr_equal(o.agent, a1);
	acd_agent_event(e->acd, a1, AEV_NO_ANSWER, 0);
	assert_int_equal(a1->sm.state, AGENT_READY);
	/* Answered once: the count starts again. */
	a1->owner = &o;
	a1->sm.state = AGENT_RESERVED;
	acd_agent_event(e->acd, a1, AEV_ANSWER, 0);
	acd_agent_event(e->acd, a1, AEV_HANGUP, 0);
	assert_int_equal(a1->sm.state, AGENT_READY);
	for (int i = 0; i < 2; i++) {
		a1->owner = &o;
		a1->offer_group = 1;
		a1->sm.state = AGENT_RESERVED;
		acd_agent_event(e->acd, a1, AEV_NO_ANSWER, 0);
	}
	assert_int_equal(a1->sm.state, AGENT_NOT_READY);
	assert_string_equal(a1->sm.reason, "no_answer");
	assert_null(a1->owner);
	unsigned n = e->t.events.n;
	assert_string_equal(e->t.events.ev[n - 1].state, "not_ready");
	assert_string_equal(e->t.events.ev[n - 1].reason, "no_answer");
	dir_free(d);
}

/* Owner o (id) waits in group 1 with agent pref as its dedicated agent for
 * ms. */
static void waits_for(struct env *e, struct owner *o, const char *id, const char *pref,
		      long long ms)
{
	owner_init(o, e->acd, id);
	acd_enqueue(e->acd, &o->qe, 1, o, o->id, 1000);
	assert_true(acd_prefer(e->acd, &o->qe, pref, ms));
}

/* A caller with a dedicated agent: that agent first even when others idle
 * longer; when it is busy the entry waits for it, then goes to the group. */
static void dedicated_agent_first_then_the_group(void **state)
{
	struct env *e = *state;
	struct dir_group g = { .id = 1, .name = "g", .max_wait_s = 60 };
	struct dir *d = group_of(e, &g, NULL);
	struct owner o;
	waits_for(e, &o, "c1", "a3", 5000);
	acd_dispatch(e->acd);
	assert_string_equal(agent_id(o.agent), "a3");

	/* a3 is busy with that one; a second caller of a3's waits for it... */
	struct owner p;
	waits_for(e, &p, "c2", "a3", 150);
	acd_dispatch(e->acd);
	assert_int_equal(p.offers, 0);
	/* ...then the group takes it (a1, idle longest), from the loop. */
	assert_true(LOOP_UNTIL(e->t.core.root, p.offers == 1, T_DEADLINE_MS));
	assert_string_equal(agent_id(p.agent), "a1");
	/* No preference for an unknown agent or one signed out. */
	struct owner q;
	owner_init(&q, e->acd, "c3");
	acd_enqueue(e->acd, &q.qe, 1, &q, q.id, 1000);
	assert_false(acd_prefer(e->acd, &q.qe, "nobody", 5000));
	assert_null(acd_agent_request(e->acd, acd_agent(e->acd, "a2"), AGENT_LOGGED_OUT, NULL));
	assert_false(acd_prefer(e->acd, &q.qe, "a2", 5000));
	dir_free(d);
}

/* The preferred agent lets it ring out: the group's turn at once. */
static void dedicated_agent_not_answering_ends_the_preference(void **state)
{
	struct env *e = *state;
	struct dir_group g = { .id = 1, .name = "g", .max_wait_s = 60 };
	struct dir *d = group_of(e, &g, NULL);
	struct owner o;
	waits_for(e, &o, "c1", "a3", 60000);
	acd_dispatch(e->acd);
	struct agent *a3 = o.agent;
	assert_string_equal(agent_id(a3), "a3");
	acd_agent_event(e->acd, a3, AEV_NO_ANSWER, 0);
	acd_requeue(e->acd, &o.qe);
	assert_null(o.qe.prefer_id);
	assert_true(LOOP_UNTIL(e->t.core.root, o.offers == 2, T_DEADLINE_MS));
	assert_string_equal(agent_id(o.agent), "a1");
	dir_free(d);
}

/* An entry for one agent alone (a transfer to an agent): never offered to
 * the group, however long it waits; offered again to that agent after an
 * offer it let ring out; refused for an agent signed out. */
static void entry_for_one_agent_alone(void **state)
{
	struct env *e = *state;
	struct dir_group g = { .id = 1, .name = "g", .max_wait_s = 60 };
	struct dir *d = group_of(e, &g, NULL);
	struct owner o;
	owner_init(&o, e->acd, "c1");
	acd_enqueue(e->acd, &o.qe, 1, &o, o.id, 1000);
	assert_true(acd_prefer_only(e->acd, &o.qe, "a3"));
	acd_dispatch(e->acd);
	struct agent *a3 = o.agent;
	assert_string_equal(agent_id(a3), "a3");
	/* a3 lets it ring out and goes on break: the entry waits for a3,
	 * while a1 and a2 are ready. */
	acd_agent_event(e->acd, a3, AEV_NO_ANSWER, 0);
	assert_null(acd_agent_request(e->acd, a3, AGENT_NOT_READY, "break"));
	acd_requeue(e->acd, &o.qe);
	assert_string_equal(o.qe.prefer_id, "a3");
	acd_dispatch(e->acd);
	assert_int_equal(o.offers, 1);
	/* Back from the break: offered to a3 again. */
	assert_null(acd_agent_request(e->acd, a3, AGENT_READY, NULL));
	assert_true(LOOP_UNTIL(e->t.core.root, o.offers == 2, T_DEADLINE_MS));
	assert_string_equal(agent_id(o.agent), "a3");
	struct owner q;
	owner_init(&q, e->acd, "c2");
	acd_enqueue(e->acd, &q.qe, 1, &q, q.id, 1000);
	assert_null(acd_agent_request(e->acd, acd_agent(e->acd, "a2"), AGENT_LOGGED_OUT, NULL));
	assert_false(acd_prefer_only(e->acd, &q.qe, "a2"));
	assert_false(q.qe.prefer_only);
	dir_free(d);
}

/* An entry that comes with the time it has waited (an overflow) takes its
 * place in line by that time; position and estimated wait follow. */
static void entries_keep_their_place_by_waiting_time(void **state)
{
	struct env *e = *state;
	struct dir_group g = { .id = 1, .name = "g", .max_wait_s = 60 };
	struct dir *d = group_of(e, &g, NULL);
	for (int i = 0; i < 3; i++)
		assert_null(acd_agent_request(e->acd, acd_agent(e->acd, i == 0 ? "a1" : i == 1 ? "a2" : "a3"),
					      AGENT_NOT_READY, "lunch"));
	struct owner a, b, c;
	owner_init(&a, e->acd, "a");
	owner_init(&b, e->acd, "b");
	owner_init(&c, e->acd, "c");
	acd_enqueue_at(e->acd, &a.qe, 1, &a, a.id, 1000);
	acd_enqueue_at(e->acd, &b.qe, 1, &b, b.id, 3000);
	acd_enqueue_at(e->acd, &c.qe, 1, &c, c.id, 2000);
	struct queue *q = acd_queue(e->acd, 1);
	assert_ptr_equal(q->head, &a.qe);
	assert_ptr_equal(q->head->next, &c.qe);
	assert_ptr_equal(q->tail, &b.qe);
	unsigned pos, wait;
	acd_entry_position(e->acd, &b.qe, &pos, &wait);
	assert_int_equal(pos, 3);
	/* No talk time yet: 180 s a call, 3 agents signed in: 3 x 180 / 3. */
	assert_int_equal(wait, 180);
	acd_entry_position(e->acd, &a.qe, &pos, &wait);
	assert_int_equal(pos, 1);
	assert_int_equal(wait, 60);
	assert_true(acd_group_staffed(e->acd, 1));
	for (int i = 0; i < 3; i++)
		assert_null(acd_agent_request(e->acd, acd_agent(e->acd, i == 0 ? "a1" : i == 1 ? "a2" : "a3"),
					      AGENT_LOGGED_OUT, NULL));
	assert_false(acd_group_staffed(e->acd, 1));
	assert_false(acd_group_staffed(e->acd, 99));
	dir_free(d);
}

static size_t members_of(struct acd *acd, unsigned group)
{
	struct queue *q = acd_queue(acd, group);
	return q ? q->nmembers : (size_t)-1;
}

static void queues_follow_reloads(void **state)
{
	struct env *e = *state;
	struct acd *acd = e->acd;

	const unsigned two[] = { 1, 2 };
	const char *const m1[] = { "a1:1", "a2:1", "a2:2", "a3:2", NULL };
	struct dir *d1 = snapshot(two, 2, m1);
	acd_merge(acd, d1);
	assert_int_equal(acd_queue_count(acd), 2);
	assert_int_equal(members_of(acd, 1), 2);
	assert_int_equal(members_of(acd, 2), 2);
	assert_int_equal(acd_agent_count(acd), 3);
	assert_int_equal(acd_agent_at(acd, 1)->ngroups, 2);

	/* An entry waits in group 1; an agent is on break. */
	struct owner o;
	owner_init(&o, acd, "call-1");
	assert_int_equal(acd_enqueue(acd, &o.qe, 1, &o, o.id, 1000), 0);
	assert_int_equal(acd_queue(acd, 1)->waiting, 1);
	struct agent *a3 = acd_agent(acd, "a3");
	assert_null(acd_agent_request(acd, a3, AGENT_NOT_READY, "meal"));

	/* Reload with the same two groups and a third: nothing is lost. */
	const unsigned three[] = { 2, 1, 3 };
	const char *const m2[] = { "a1:1", "a2:2", "a3:3", "a3:2", NULL };
	struct dir *d2 = snapshot(three, 3, m2);
	acd_merge(acd, d2);
	assert_int_equal(acd_queue_count(acd), 3);
	assert_int_equal(members_of(acd, 1), 1);
	assert_int_equal(members_of(acd, 2), 2);
	assert_int_equal(members_of(acd, 3), 1);
	assert_ptr_equal(acd_queue(acd, 1)->head, &o.qe);
	assert_ptr_equal(acd_agent(acd, "a3"), a3);
	assert_int_equal(a3->sm.state, AGENT_NOT_READY);
	assert_string_equal(a3->sm.reason, "meal");

	/* Group 1 goes away while its entry waits: its queue stays until the
	 * entry leaves; a group that goes away empty is dropped. */
	const unsigned one[] = { 2 };
	const char *const m3[] = { "a2:2", NULL };
	struct dir *d3 = snapshot(one, 1, m3);
	acd_merge(acd, d3);
	assert_int_equal(acd_queue_count(acd), 2);
	assert_non_null(acd_queue(acd, 1));
	assert_null(acd_queue(acd, 3));
	assert_int_equal(members_of(acd, 1), 0);
	assert_int_equal(members_of(acd, 2), 1);
	acd_dequeue(acd, &o.qe);
	assert_int_equal(acd_queue(acd, 1)->waiting, 0);
	acd_merge(acd, d3);
	assert_int_equal(acd_queue_count(acd), 1);
	assert_null(acd_queue(acd, 1));

	dir_free(d1);
	dir_free(d2);
	dir_free(d3);
}

/* Agents are found by id however many there are; those a reload drops are
 * not found any more, the others still are. */
static void agents_found_by_id_across_reloads(void **state)
{
	struct env *e = *state;
	char ids[300][16];
	struct dir *d = dir_new("/audio");
	for (int i = 0; i < 300; i++) {
		snprintf(ids[i], sizeof ids[i], "x%d", i);
		struct dir_agent a = { .id = ids[i], .sip = ids[i] };
		assert_int_equal(dir_add_agent(d, &a), 0);
	}
	d = dir_done(d);
	acd_merge(e->acd, d);
	assert_int_equal(acd_agent_count(e->acd), 300);
	for (int i = 0; i < 300; i++)
		assert_string_equal(agent_id(acd_agent(e->acd, ids[i])), ids[i]);
	assert_null(acd_agent(e->acd, "x300"));
	assert_null(acd_agent(e->acd, NULL));
	struct dir *half = dir_new("/audio");
	for (int i = 0; i < 300; i += 2) {
		struct dir_agent a = { .id = ids[i], .sip = ids[i] };
		assert_int_equal(dir_add_agent(half, &a), 0);
	}
	half = dir_done(half);
	acd_merge(e->acd, half);
	assert_int_equal(acd_agent_count(e->acd), 150);
	for (int i = 0; i < 300; i++) {
		struct agent *a = acd_agent(e->acd, ids[i]);
		if (i % 2)
			assert_null(a);
		else
			assert_string_equal(agent_id(a), ids[i]);
	}
	dir_free(d);
	dir_free(half);
}

/* --- the index follows every change the ACD makes -------------------------------- */

#define R_AGENTS 30
#define R_GROUPS 4
#define R_OWNERS 24

static const char *const r_strategies[R_GROUPS] = { "longest_idle", "fewest_calls",
						     "round_robin", "ring_all" };

static unsigned r_next(unsigned *seed, unsigned n)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 8) % n;
}

/* The agents' ids, to name a dedicated agent with (an entry's dedicated
 * agent's id is its owner's, and outlives a reload). */
static char r_ids[R_AGENTS][16];

/* A directory of R_AGENTS agents, each in random groups at random levels. */
static struct dir *random_directory(unsigned *seed)
{
	static char sips[R_AGENTS][16];
	struct dir *d = dir_new("/audio");
	for (unsigned g = 1; g <= R_GROUPS; g++) {
		struct dir_group grp = { .id = g, .name = "g", .ring_timeout_s = 10, .max_wait_s = 60,
					 .strategy = r_strategies[g - 1] };
		assert_int_equal(dir_add_group(d, &grp), 0);
	}
	for (int i = 0; i < R_AGENTS; i++) {
		snprintf(r_ids[i], sizeof r_ids[i], "r%02d", i);
		snprintf(sips[i], sizeof sips[i], "%d", 2000 + i);
		struct dir_agent a = { .id = r_ids[i], .name = r_ids[i], .login = r_ids[i], .sip = sips[i],
				       .calls_today = r_next(seed, 3), .talk_s_today = r_next(seed, 3) };
		/* A few agents leave at a reload. */
		if (r_next(seed, 12) == 0)
			continue;
		assert_int_equal(dir_add_agent(d, &a), 0);
		for (unsigned g = 1; g <= R_GROUPS; g++)
			if (r_next(seed, 3))
				assert_int_equal(dir_add_member(d, g, r_ids[i], 1 + r_next(seed, 2)), 0);
	}
	return dir_done(d);
}

/* Every queue's index says what a look at every member and entry says. */
static void index_matches_scan(struct acd *acd, unsigned *seed)
{
	long long now = core_now_ms();
	for (size_t i = 0; i < acd_queue_count(acd); i++) {
		struct queue *q = acd_queue_at(acd, i);
		unsigned r = r_next(seed, 1000);
		struct agent *want = scan_pick_agent(q, now, r);
		assert_ptr_equal(router_pick_agent(q, now, r), want);
		struct agent *a[ACD_RING_ALL_MAX], *b[ACD_RING_ALL_MAX];
		if (q->strategy == STRATEGY_RING_ALL) {
			size_t n = scan_ring_all(q, now, a, ACD_RING_ALL_MAX);
			assert_int_equal(router_ring_all(q, now, b, ACD_RING_ALL_MAX), n);
			for (size_t k = 0; k < n; k++)
				assert_ptr_equal(a[k], b[k]);
		}
		struct qentry *first = scan_first_waiting(q, now);
		assert_ptr_equal(router_first_waiting(q, now), first);
		unsigned ready = 0, in = 0;
		for (size_t k = 0; k < q->nmembers; k++) {
			ready += agent_available(q->members[k].agent, now);
			in += q->members[k].agent->sm.state != AGENT_LOGGED_OUT;
		}
		struct queue_view v;
		acd_queue_view(q, now, &v);
		assert_int_equal(v.agents_ready, ready);
		assert_int_equal(v.agents_signed_in, in);
		assert_int_equal(acd_group_staffed(acd, q->group), in > 0);
	}
}

/* What a call does when it is done with an entry: its agents are released. */
static void release_agents_of(struct acd *acd, struct owner *o)
{
	for (size_t i = 0; i < acd_agent_count(acd); i++) {
		struct agent *a = acd_agent_at(acd, i);
		if (a->owner == o)
			acd_agent_event(acd, a, AEV_RELEASE, 0);
	}
}

/* Random requests, registrations, offers, answers, hang-ups, lost
 * reservations, blocks lifted, entries joining and leaving with and
 * without a dedicated agent, reloads and new days, through the ACD's own
 * functions: after each, the index agrees with the scan. */
static void index_follows_every_change(void **state)
{
	struct env *e = *state;
	struct acd *acd = e->acd;
	unsigned seed = 5;
	static struct owner owners[R_OWNERS];
	log_set_level(LOG_WARN);
	struct dir *d = random_directory(&seed);
	acd_merge(acd, d);
	for (int i = 0; i < R_OWNERS; i++)
		owner_init(&owners[i], acd, "");
	for (int step = 0; step < 4000; step++) {
		struct agent *a = acd_agent_at(acd, r_next(&seed, (unsigned)acd_agent_count(acd)));
		struct owner *o = &owners[r_next(&seed, R_OWNERS)];
		unsigned op = r_next(&seed, 100);
		static const enum agent_state wants[] = { AGENT_READY, AGENT_READY, AGENT_NOT_READY,
							  AGENT_LOGGED_OUT };
		static const enum agent_event evs[] = { AEV_ANSWER, AEV_NO_ANSWER, AEV_REJECT,
							AEV_RELEASE, AEV_HANGUP, AEV_WRAPUP_END };
		if (op < 20) {
			acd_agent_request(acd, a, wants[r_next(&seed, 4)], "rest");
		} else if (op < 28) {
			acd_set_registered(acd, a, r_next(&seed, 5) != 0);
		} else if (op < 31) {
			acd_take_agent(acd, a, &owners[0], "own");
		} else if (op < 45) {
			if (a->owner || a->sm.state == AGENT_ON_CALL || a->sm.state == AGENT_WRAP_UP)
				acd_agent_event(acd, a, evs[r_next(&seed, 6)], r_next(&seed, 2) * 60);
		} else if (op < 60) {
			if (!o->qe.queue) {
				char id[33];
				snprintf(id, sizeof id, "c%d", step);
				owner_init(o, acd, id);
				o->decline = r_next(&seed, 6) == 0;
				acd_enqueue_at(acd, &o->qe, 1 + r_next(&seed, R_GROUPS), o, o->id,
					       core_now_ms() - r_next(&seed, 3000));
				const char *pref = r_ids[r_next(&seed, R_AGENTS)];
				if (r_next(&seed, 3) == 0)
					acd_prefer(acd, &o->qe, pref, 1 + r_next(&seed, 5));
				else if (r_next(&seed, 8) == 0)
					acd_prefer_only(acd, &o->qe, pref);
			}
		} else if (op < 72) {
			acd_dispatch(acd);
		} else if (op < 80) {
			if (o->qe.queue) {
				release_agents_of(acd, o);
				if (r_next(&seed, 2))
					acd_dequeue(acd, &o->qe);
				else
					acd_requeue(acd, &o->qe);
			}
		} else if (op < 84) {
			if (a->owner && a->sm.state == AGENT_RESERVED)
				acd_reservation_lost(acd, agent_id(a), a->call_id);
		} else if (op < 88) {
			a->blocked_until_ms = 0;	/* as if its block were over */
		} else if (op < 90) {
			struct dir *next = random_directory(&seed);
			acd_merge(acd, next);
			dir_free(d);
			d = next;
		} else if (op < 91) {
			acd->next_day = 1;	/* midnight has passed */
			acd_dispatch(acd);
		} else if (op < 93) {
			/* A moment passes: preferences and delays end. */
			loop_for(e->t.core.root, 2);
		}
		index_matches_scan(acd, &seed);
	}
	for (int i = 0; i < R_OWNERS; i++) {
		release_agents_of(acd, &owners[i]);
		acd_dequeue(acd, &owners[i].qe);
	}
	dir_free(d);
	log_set_level(LOG_INFO);
}

/* After a restart: the agents' stored states come back; an agent whose row
 * named a call of the last run (reserved, on_call, wrap_up) is ready and its
 * state is published (and written) once; the others are left as their rows
 * say, and another node's agent is not taken. */
static void restart_restores_agents_and_clears_lost_calls(void **state)
{
	struct env *e = *state;
	const char *node = e->t.conf.node_id;
	struct dir *d = dir_new("/audio");
	const struct dir_agent rows[] = {
		{ .id = "a1", .sip = "1001", .stored_state = "on_call", .stored_node = node },
		{ .id = "a2", .sip = "1002", .stored_state = "reserved", .stored_node = node },
		{ .id = "a3", .sip = "1003", .stored_state = "not_ready", .stored_reason = "lunch",
		  .stored_node = node },
		{ .id = "a4", .sip = "1004", .stored_state = "ready", .stored_node = node },
		{ .id = "a5", .sip = "1005", .stored_state = "on_call", .stored_node = "elsewhere" },
		{ .id = "a6", .sip = "1006", .stored_state = "wrap_up", .stored_node = node },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_int_equal(dir_add_agent(d, &rows[i]), 0);
	d = dir_done(d);
	acd_merge(e->acd, d);
	const char *const want[] = { "ready", "ready", "not_ready", "ready", "logged_out", "ready" };
	const char *const ids[] = { "a1", "a2", "a3", "a4", "a5", "a6" };
	for (int i = 0; i < 6; i++)
		assert_string_equal(agent_state_name(acd_agent(e->acd, ids[i])->sm.state), want[i]);
	assert_string_equal(acd_agent(e->acd, "a3")->sm.reason, "lunch");
	const unsigned published[] = { 1, 1, 0, 0, 0, 1 };
	for (int i = 0; i < 6; i++)
		assert_int_equal(t_events_count(&e->t.events, EV_AGENT_STATE, ids[i]), published[i]);
	/* A reload brings the same rows again: nothing more is written. */
	unsigned n = e->t.events.n;
	acd_merge(e->acd, d);
	assert_int_equal(e->t.events.n, n);
	dir_free(d);
}

static void directory_lookups(void **state)
{
	(void)state;
	struct dir *d = dir_new("/srv/audio");
	struct dir_number n1 = { .id = 1, .number = "4002", .group = 1 };
	struct dir_number n2 = { .id = 2, .number = "4001", .group = 1, .welcome_audio = 7 };
	assert_int_equal(dir_add_number(d, &n1), 0);
	assert_int_equal(dir_add_number(d, &n2), 0);
	assert_int_equal(dir_add_audio(d, 7, "welcome", "welcome.wav"), 0);
	/* Names that would leave the audio folder are refused. */
	assert_int_equal(dir_add_audio(d, 8, "x", "../etc/passwd"), 0);
	assert_int_equal(dir_add_audio(d, 9, "x", ".hidden"), 0);
	d = dir_done(d);
	assert_non_null(d);
	assert_int_equal(dir_number(d, "4001")->welcome_audio, 7);
	assert_int_equal(dir_number(d, "4002")->id, 1);
	assert_null(dir_number(d, "4003"));
	assert_string_equal(dir_audio(d, 7)->path, "/srv/audio/welcome.wav");
	assert_null(dir_audio(d, 8));
	assert_null(dir_audio(d, 9));
	assert_null(dir_audio(d, 0));
	dir_free(d);

	/* The first outbound number bound to a group is its agents' caller ID. */
	d = dir_new("/a");
	assert_int_equal(dir_add_group_caller_id(d, 2, "4310"), 0);
	assert_int_equal(dir_add_group_caller_id(d, 2, "4311"), 0);
	assert_int_equal(dir_add_group_caller_id(d, 3, ""), 0);
	d = dir_done(d);
	assert_string_equal(dir_group_caller_id(d, 2), "4310");
	assert_null(dir_group_caller_id(d, 3));
	assert_null(dir_group_caller_id(d, 1));
	dir_free(d);

	/* An empty directory answers lookups with nothing. */
	struct dir *empty = dir_done(dir_new("/a"));
	assert_null(dir_number(empty, "4001"));
	assert_null(dir_group(empty, 1));
	dir_free(empty);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(dispatch_serves_the_longest_wait_first, setup, teardown),
		cmocka_unit_test_setup_teardown(oldest_first, setup, teardown),
		cmocka_unit_test_setup_teardown(dispatch_runs_from_the_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(declined_offer_is_offered_again, setup, teardown),
		cmocka_unit_test_setup_teardown(owner_callbacks_do_not_reenter_dispatch, setup, teardown),
		cmocka_unit_test_setup_teardown(lost_reservation_is_withdrawn, setup, teardown),
		cmocka_unit_test_setup_teardown(wrapup_then_ready_again, setup, teardown),
		cmocka_unit_test_setup_teardown(agent_taken_for_its_own_call, setup, teardown),
		cmocka_unit_test_setup_teardown(queues_follow_reloads, setup, teardown),
		cmocka_unit_test_setup_teardown(levels_and_strategy_come_from_the_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(offers_let_ring_out_put_the_agent_on_break, setup, teardown),
		cmocka_unit_test_setup_teardown(dedicated_agent_first_then_the_group, setup, teardown),
		cmocka_unit_test_setup_teardown(dedicated_agent_not_answering_ends_the_preference, setup, teardown),
		cmocka_unit_test_setup_teardown(entries_keep_their_place_by_waiting_time, setup, teardown),
		cmocka_unit_test_setup_teardown(entry_for_one_agent_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(agents_found_by_id_across_reloads, setup, teardown),
		cmocka_unit_test_setup_teardown(index_follows_every_change, setup, teardown),
		cmocka_unit_test_setup_teardown(restart_restores_agents_and_clears_lost_calls, setup,
						teardown),
		cmocka_unit_test(directory_lookups),
	};
	return cmocka_run_group_tests_name("acd", tests, NULL, NULL);
}
