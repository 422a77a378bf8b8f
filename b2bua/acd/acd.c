/* Automatic call distribution: the registry of agents and queues, state
 * changes with their side effects (records, events, wrap-up timers), and
 * dispatch. See acd.h. */
#include "b2bua/acd/acd.h"

#include "b2bua/acd/agent_store.h"
#include "b2bua/call/call.h"
#include "b2bua/core/app.h"
#include "b2bua/ctl/events.h"
#include "b2bua/dir/dir.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct acd {
	struct app *app;
	struct agent **agents;
	size_t nagents, cap;
	struct queue **queues;
	size_t nqueues;
	bool dispatching, again;
};

int acd_alloc(struct acd **ap, struct app *app)
{
	struct acd *acd = calloc(1, sizeof *acd);
	if (!acd)
		return ENOMEM;
	acd->app = app;
	*ap = acd;
	return 0;
}

static void agent_free(struct agent *a)
{
	if (a->wrapup_timer)
		su_timer_destroy(a->wrapup_timer);
	free(a->id);
	free(a->name);
	free(a->login);
	free(a->sip);
	free(a->dept);
	free(a->groups);
	free(a);
}

static void queue_free(struct queue *q)
{
	free(q->members);
	free(q);
}

void acd_free(struct acd *acd)
{
	if (!acd)
		return;
	for (size_t i = 0; i < acd->nagents; i++)
		agent_free(acd->agents[i]);
	for (size_t i = 0; i < acd->nqueues; i++)
		queue_free(acd->queues[i]);
	free(acd->agents);
	free(acd->queues);
	free(acd);
}

struct agent *acd_agent(const struct acd *acd, const char *id)
{
	for (size_t i = 0; id && i < acd->nagents; i++)
		if (!strcmp(acd->agents[i]->id, id))
			return acd->agents[i];
	return NULL;
}

struct agent *acd_agent_by_sip(const struct acd *acd, const char *sip)
{
	for (size_t i = 0; sip && i < acd->nagents; i++)
		if (acd->agents[i]->present && !strcmp(acd->agents[i]->sip, sip))
			return acd->agents[i];
	return NULL;
}

size_t acd_agent_count(const struct acd *acd)
{
	return acd->nagents;
}

struct agent *acd_agent_at(const struct acd *acd, size_t i)
{
	return acd->agents[i];
}

size_t acd_queue_count(const struct acd *acd)
{
	return acd->nqueues;
}

struct queue *acd_queue_at(const struct acd *acd, size_t i)
{
	return acd->queues[i];
}

struct queue *acd_queue(const struct acd *acd, unsigned group)
{
	for (size_t i = 0; i < acd->nqueues; i++)
		if (acd->queues[i]->group == group)
			return acd->queues[i];
	return NULL;
}

static int replace_str(char **slot, const char *value)
{
	if (*slot && value && !strcmp(*slot, value))
		return 0;
	char *copy = value ? strdup(value) : NULL;
	if (value && !copy)
		return ENOMEM;
	free(*slot);
	*slot = copy;
	return 0;
}

/* Restores the state an agent had before this node restarted: signed-in
 * agents stay signed in; a call that was in progress is gone. */
static void restore(struct acd *acd, struct agent *a, const struct dir_agent *d)
{
	if (!d->stored_state || (d->stored_node && strcmp(d->stored_node, acd->app->conf.node_id)))
		return;
	int s = agent_state_parse(d->stored_state);
	if (s == AGENT_NOT_READY) {
		agent_sm_apply(&a->sm, AEV_BREAK, d->stored_reason, false);
	} else if (s == AGENT_READY || s == AGENT_RESERVED || s == AGENT_ON_CALL ||
		   s == AGENT_WRAP_UP) {
		agent_sm_apply(&a->sm, AEV_SIGN_IN, NULL, false);
	}
}

static struct agent *agent_new(struct acd *acd, const struct dir_agent *d, long long now)
{
	struct agent *a = calloc(1, sizeof *a);
	if (!a || !(a->id = strdup(d->id))) {
		free(a);
		return NULL;
	}
	a->acd = acd;
	agent_sm_init(&a->sm);
	restore(acd, a, d);
	a->since_ms = a->idle_since_ms = now;
	return a;
}

static int update_agent(struct agent *a, const struct dir_agent *d)
{
	int err = replace_str(&a->name, d->name) || replace_str(&a->login, d->login) ||
		  replace_str(&a->sip, d->sip) || replace_str(&a->dept, d->dept);
	unsigned *g = d->ngroups ? malloc(d->ngroups * sizeof *g) : NULL;
	if (err || (d->ngroups && !g)) {
		free(g);
		return ENOMEM;
	}
	if (d->ngroups)
		memcpy(g, d->groups, d->ngroups * sizeof *g);
	free(a->groups);
	a->groups = g;
	a->ngroups = d->ngroups;
	a->present = true;
	return 0;
}

/* The queue for group in the old array, taken out of it (so what is left
 * there afterwards is what the new directory no longer has). */
static struct queue *take_queue(struct queue **old, size_t n, unsigned group)
{
	for (size_t i = 0; i < n; i++) {
		if (old[i] && old[i]->group == group) {
			struct queue *q = old[i];
			old[i] = NULL;
			return q;
		}
	}
	return NULL;
}

static void rebuild_queues(struct acd *acd, const struct dir *dir)
{
	size_t ng = dir_group_count(dir), nold = acd->nqueues, n = 0;
	struct queue **old = acd->queues;
	struct queue **qs = calloc(ng + nold + 1, sizeof *qs);
	if (!qs) {
		log_err("directory: out of memory building queues");
		return;
	}
	for (size_t i = 0; i < ng; i++) {
		unsigned id = dir_group_at(dir, i)->id;
		/* A group that stays keeps its queue and its waiting calls. */
		struct queue *q = take_queue(old, nold, id);
		if (!q && !(q = calloc(1, sizeof *q)))
			continue;
		q->group = id;
		qs[n++] = q;
	}
	/* A group that went away keeps its queue while calls wait in it: they
	 * time out there. */
	for (size_t j = 0; j < nold; j++) {
		if (!old[j])
			continue;
		if (old[j]->head)
			qs[n++] = old[j];
		else
			queue_free(old[j]);
	}
	free(old);
	acd->queues = qs;
	acd->nqueues = n;
	for (size_t i = 0; i < n; i++) {
		free(qs[i]->members);
		qs[i]->members = NULL;
		qs[i]->nmembers = 0;
	}
	/* Members, from the agents' groups. */
	for (size_t i = 0; i < acd->nagents; i++) {
		struct agent *a = acd->agents[i];
		if (!a->present)
			continue;
		for (size_t k = 0; k < a->ngroups; k++) {
			struct queue *q = acd_queue(acd, a->groups[k]);
			if (!q)
				continue;
			struct agent **m = realloc(q->members, (q->nmembers + 1) * sizeof *m);
			if (!m)
				continue;
			q->members = m;
			m[q->nmembers++] = a;
		}
	}
}

void acd_merge(struct acd *acd, const struct dir *dir)
{
	long long now = app_now_ms();
	for (size_t i = 0; i < acd->nagents; i++)
		acd->agents[i]->present = false;
	for (size_t i = 0; i < dir_agent_count(dir); i++) {
		const struct dir_agent *d = dir_agent_at(dir, i);
		struct agent *a = acd_agent(acd, d->id);
		if (!a) {
			if (acd->nagents == acd->cap) {
				size_t nc = acd->cap ? acd->cap * 2 : 64;
				struct agent **grown = realloc(acd->agents, nc * sizeof *grown);
				if (!grown)
					break;
				acd->agents = grown;
				acd->cap = nc;
			}
			if (!(a = agent_new(acd, d, now)))
				break;
			acd->agents[acd->nagents++] = a;
		}
		if (update_agent(a, d))
			log_err("agent %s: out of memory", d->id);
	}
	/* Agents no longer in the directory go, unless a call still holds them. */
	size_t kept = 0;
	for (size_t i = 0; i < acd->nagents; i++) {
		struct agent *a = acd->agents[i];
		if (!a->present && !a->call) {
			log_info("agent %s left the directory", a->id);
			agent_free(a);
			continue;
		}
		acd->agents[kept++] = a;
	}
	acd->nagents = kept;
	rebuild_queues(acd, dir);
	acd_dispatch(acd);
}

/* Records and publishes a state change. */
static void changed(struct acd *acd, struct agent *a, enum agent_state prev)
{
	long long now = app_now_ms();
	a->since_ms = now;
	if (a->sm.state == AGENT_READY)
		a->idle_since_ms = now;
	if (a->sm.state != AGENT_WRAP_UP && a->wrapup_timer)
		su_timer_reset(a->wrapup_timer);
	log_info("agent %s (%s): %s -> %s%s%s", a->id, a->sip ? a->sip : "-",
		 agent_state_name(prev), agent_state_name(a->sm.state), a->sm.reason[0] ? " " : "",
		 a->sm.reason);
	agent_store_state(acd->app, a);
	ev_agent_state(acd->app, a, prev);
}

const char *acd_agent_request(struct acd *acd, struct agent *a, enum agent_state want,
			      const char *reason)
{
	enum agent_event ev;
	switch (want) {
	case AGENT_READY: ev = AEV_SIGN_IN; break;
	case AGENT_NOT_READY: ev = AEV_BREAK; break;
	case AGENT_LOGGED_OUT: ev = AEV_SIGN_OUT; break;
	default: return "bad_request";
	}
	if (!a->present)
		return "unknown_agent";
	enum agent_state prev = a->sm.state;
	enum agent_sm_result r = agent_sm_apply(&a->sm, ev, reason, false);
	if (r == AGENT_SM_INVALID)
		return "bad_request";
	if (r == AGENT_SM_CHANGED) {
		changed(acd, a, prev);
		if (a->sm.state == AGENT_READY)
			acd_dispatch(acd);
	} else if (r == AGENT_SM_PENDING) {
		ev_agent_state(acd->app, a, prev);
	}
	return NULL;
}

void acd_set_registered(struct acd *acd, struct agent *a, bool registered)
{
	if (a->registered == registered)
		return;
	a->registered = registered;
	log_info("agent %s: phone %s %s", a->id, a->sip, registered ? "registered" : "unregistered");
	ev_agent_registration(acd->app, a);
	if (registered)
		acd_dispatch(acd);
}

static void wrapup_over(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct agent *a = arg;
	(void)magic;
	(void)t;
	acd_agent_event(a->acd, a, AEV_WRAPUP_END, 0);
}

void acd_agent_event(struct acd *acd, struct agent *a, enum agent_event ev, unsigned wrapup_s)
{
	enum agent_state prev = a->sm.state;
	enum agent_sm_result r = agent_sm_apply(&a->sm, ev, NULL, wrapup_s > 0);
	if (r == AGENT_SM_INVALID) {
		log_warn("agent %s: %s in state %s ignored", a->id, agent_event_name(ev),
			 agent_state_name(prev));
		return;
	}
	if (ev == AEV_NO_ANSWER || ev == AEV_REJECT || ev == AEV_RELEASE || ev == AEV_HANGUP)
		a->call = NULL;
	if (a->sm.state == AGENT_WRAP_UP) {
		a->wrapup_s = wrapup_s;
		if (!a->wrapup_timer)
			a->wrapup_timer = su_timer_create(su_root_task(acd->app->root), 1000);
		if (a->wrapup_timer)
			su_timer_set_interval(a->wrapup_timer, wrapup_over, a, wrapup_s * 1000);
	}
	if (r == AGENT_SM_CHANGED)
		changed(acd, a, prev);
	if (a->sm.state == AGENT_READY)
		acd_dispatch(acd);
}

int acd_enqueue(struct acd *acd, struct call *call, struct qentry *qe, unsigned group,
		long long now_ms)
{
	struct queue *q = acd_queue(acd, group);
	if (!q)
		return ENOENT;
	memset(qe, 0, sizeof *qe);
	qe->call = call;
	qe->queue = q;
	qe->enq_ms = now_ms;
	qe->prev = q->tail;
	if (q->tail)
		q->tail->next = qe;
	else
		q->head = qe;
	q->tail = qe;
	q->waiting++;
	acd_dispatch(acd);
	return 0;
}

void acd_requeue(struct acd *acd, struct qentry *qe)
{
	if (!qe->queue)
		return;
	qe->offering = false;
	acd_dispatch(acd);
}

void acd_dequeue(struct acd *acd, struct qentry *qe)
{
	(void)acd;
	struct queue *q = qe->queue;
	if (!q)
		return;
	if (qe->prev)
		qe->prev->next = qe->next;
	else
		q->head = qe->next;
	if (qe->next)
		qe->next->prev = qe->prev;
	else
		q->tail = qe->prev;
	q->waiting--;
	qe->prev = qe->next = NULL;
	qe->queue = NULL;
	qe->offering = false;
}

/* The queue whose first waiting call has waited longest, among those not
 * yet found without an agent in this round. */
static struct queue *oldest_queue(struct acd *acd, const bool *skip)
{
	struct queue *best = NULL;
	long long best_ms = 0;
	for (size_t i = 0; i < acd->nqueues; i++) {
		if (skip[i])
			continue;
		struct qentry *e = router_first_waiting(acd->queues[i]);
		if (e && (!best || e->enq_ms < best_ms)) {
			best = acd->queues[i];
			best_ms = e->enq_ms;
		}
	}
	return best;
}

void acd_dispatch(struct acd *acd)
{
	if (acd->dispatching) {
		acd->again = true;
		return;
	}
	acd->dispatching = true;
	bool *skip = calloc(acd->nqueues ? acd->nqueues : 1, sizeof *skip);
	if (!skip) {
		acd->dispatching = false;
		return;
	}
	do {
		acd->again = false;
		memset(skip, 0, (acd->nqueues ? acd->nqueues : 1) * sizeof *skip);
		long long now = app_now_ms();
		struct queue *q;
		while ((q = oldest_queue(acd, skip))) {
			struct agent *a = router_pick_agent(q->members, q->nmembers, now);
			if (!a) {
				for (size_t i = 0; i < acd->nqueues; i++)
					if (acd->queues[i] == q)
						skip[i] = true;
				continue;
			}
			struct qentry *e = router_first_waiting(q);
			enum agent_state prev = a->sm.state;
			agent_sm_apply(&a->sm, AEV_RESERVE, NULL, false);
			a->call = e->call;
			e->offering = true;
			changed(acd, a, prev);
			call_offer(e->call, a);
		}
	} while (acd->again);
	free(skip);
	acd->dispatching = false;
}
