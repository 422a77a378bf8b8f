/* Automatic call distribution: the registry of agents and queues, and
 * state changes with their side effects (rows, events, wrap-up timers).
 * Queue entries are in entry.c, dispatch in dispatch.c. See acd.h. */
#include "b2bua/acd/acd_priv.h"

#include "b2bua/core/bus.h"
#include "b2bua/core/core.h"
#include "b2bua/core/tmr.h"
#include "b2bua/dir/dir.h"
#include "log.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int acd_alloc(struct acd **ap, struct core *core, struct dbq *dbq,
	      const struct acd_owner_ops *ops)
{
	if (!ap || !core || !ops || !ops->offer || !ops->withdraw)
		return EINVAL;
	struct acd *acd = calloc(1, sizeof *acd);
	if (!acd)
		return ENOMEM;
	acd->core = core;
	acd->dbq = dbq;
	acd->ops = *ops;
	acd->started_ms = core_now_ms();
	*ap = acd;
	return 0;
}

static void agent_free(struct agent *a)
{
	tmr_free(&a->wrapup_timer);
	free(a->id);
	free(a->name);
	free(a->login);
	free(a->sip);
	free(a->dept);
	free(a->groups);
	free(a->levels);
	free(a);
}

static void queue_free(struct queue *q)
{
	free(q->members);
	free(q->levels);
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
	tmr_free(&acd->kick_timer);
	tmr_free(&acd->retry_timer);
	tmr_free(&acd->prefer_timer);
	free(acd->agents);
	free(acd->by_id);
	free(acd->queues);
	free(acd);
}

/* The agents by id: an open-addressing table (linear probing) kept at
 * most half full, so that finding an agent (a dedicated agent, a control
 * request, each agent of a directory read) costs the same with 10 agents
 * or 10,000. */
static size_t id_hash(const char *id)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 32));
}

static void by_id_put(struct agent **t, size_t cap, struct agent *a)
{
	size_t i = id_hash(a->id) & (cap - 1);
	while (t[i])
		i = (i + 1) & (cap - 1);
	t[i] = a;
}

/* The table again for the agents there are, with room for n of them.
 * ENOMEM leaves the old one. */
static int by_id_rebuild(struct acd *acd, size_t n)
{
	size_t cap = 64;
	while (cap < 2 * n)
		cap *= 2;
	struct agent **t = calloc(cap, sizeof *t);
	if (!t)
		return ENOMEM;
	for (size_t i = 0; i < acd->nagents; i++)
		by_id_put(t, cap, acd->agents[i]);
	free(acd->by_id);
	acd->by_id = t;
	acd->by_id_cap = cap;
	return 0;
}

struct agent *acd_agent(const struct acd *acd, const char *id)
{
	if (!id || !acd->by_id_cap)
		return NULL;
	size_t mask = acd->by_id_cap - 1;
	for (size_t i = id_hash(id) & mask; acd->by_id[i]; i = (i + 1) & mask)
		if (!strcmp(acd->by_id[i]->id, id))
			return acd->by_id[i];
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

const char *agent_id(const struct agent *a)
{
	return a->id;
}

const char *agent_sip(const struct agent *a)
{
	return a->sip;
}

bool agent_present(const struct agent *a)
{
	return a->present;
}

void acd_agent_view(const struct agent *a, struct agent_view *v)
{
	*v = (struct agent_view){
		.id = a->id, .name = a->name, .sip = a->sip, .state = a->sm.state,
		.reason = a->sm.reason, .pending = a->sm.pending, .since_ms = a->since_ms,
		.registered = a->registered, .call = a->call_id[0] ? a->call_id : NULL,
		.groups = a->groups, .ngroups = a->ngroups,
	};
}

void acd_queue_view(const struct queue *q, long long now_ms, struct queue_view *v)
{
	*v = (struct queue_view){ .group = q->group, .waiting = q->waiting };
	if (q->head)
		v->oldest_enq_ms = q->head->enq_ms;
	v->agents_signed_in = q->signed_in;
	v->agents_ready = queue_index_available(q, now_ms);
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
 * agents stay signed in; a call that was in progress is gone. Returns true
 * when the row said otherwise (reserved, on_call, wrap_up for a call of the
 * last run): the row is then rewritten, or it would name a call nobody has. */
static bool restore(struct acd *acd, struct agent *a, const struct dir_agent *d)
{
	if (!d->stored_state || (d->stored_node && strcmp(d->stored_node, acd->core->conf->node_id)))
		return false;
	int s = agent_state_parse(d->stored_state);
	if (s == AGENT_NOT_READY) {
		agent_sm_apply(&a->sm, AEV_BREAK, d->stored_reason, false);
	} else if (s == AGENT_READY || s == AGENT_RESERVED || s == AGENT_ON_CALL ||
		   s == AGENT_WRAP_UP) {
		agent_sm_apply(&a->sm, AEV_SIGN_IN, NULL, false);
	}
	return s >= 0 && (enum agent_state)s != a->sm.state;
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
	a->stale_row = restore(acd, a, d);
	a->since_ms = a->idle_since_ms = now;
	return a;
}

static int update_agent(struct agent *a, const struct dir_agent *d)
{
	int err = replace_str(&a->name, d->name) || replace_str(&a->login, d->login) ||
		  replace_str(&a->sip, d->sip) || replace_str(&a->dept, d->dept);
	unsigned *g = d->ngroups ? malloc(d->ngroups * sizeof *g) : NULL;
	unsigned char *l = d->ngroups ? malloc(d->ngroups) : NULL;
	if (err || (d->ngroups && (!g || !l))) {
		free(g);
		free(l);
		return ENOMEM;
	}
	if (d->ngroups) {
		memcpy(g, d->groups, d->ngroups * sizeof *g);
		if (d->levels)
			memcpy(l, d->levels, d->ngroups);
		else
			memset(l, 1, d->ngroups);
	}
	free(a->groups);
	free(a->levels);
	a->groups = g;
	a->levels = l;
	a->ngroups = d->ngroups;
	/* Today's counts as the database has them, all nodes: this node's
	 * own calls since are added as they happen. */
	a->calls_today = d->calls_today;
	a->talk_s_today = d->talk_s_today;
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

/* The queues of the directory's groups, in place of acd->queues (without
 * memory, the old ones stay). */
static void rebuild_queue_list(struct acd *acd, const struct dir *dir)
{
	size_t ng = dir_group_count(dir), nold = acd->nqueues, n = 0;
	struct queue **old = acd->queues;
	struct queue **qs = calloc(ng + nold + 1, sizeof *qs);
	if (!qs) {
		log_err("directory: out of memory building queues; the groups stay as they were");
		return;
	}
	for (size_t i = 0; i < ng; i++) {
		const struct dir_group *g = dir_group_at(dir, i);
		/* A group that stays keeps its queue and its waiting entries. */
		struct queue *q = take_queue(old, nold, g->id);
		if (!q && !(q = calloc(1, sizeof *q)))
			continue;
		q->group = g->id;
		int st = acd_strategy_parse(g->strategy);
		if (st < 0)
			log_warn("skill group %u: strategy '%s' unknown here; longest_idle instead",
				 g->id, g->strategy ? g->strategy : "");
		q->strategy = st < 0 ? STRATEGY_LONGEST_IDLE : (enum acd_strategy)st;
		q->no_answer_break = g->no_answer_break;
		qs[n++] = q;
	}
	/* A group that went away keeps its queue while entries wait in it:
	 * they time out there. */
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
}

/* The queues and their members from the directory, and their indexes. */
static void rebuild_queues(struct acd *acd, const struct dir *dir)
{
	rebuild_queue_list(acd, dir);
	/* Members, from the agents' groups: counted, then placed, so that
	 * each queue's array is allocated once. */
	for (size_t i = 0; i < acd->nqueues; i++) {
		free(acd->queues[i]->members);
		acd->queues[i]->members = NULL;
		acd->queues[i]->nmembers = 0;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < acd->nagents; i++) {
			struct agent *a = acd->agents[i];
			for (size_t k = 0; a->present && k < a->ngroups; k++) {
				struct queue *q = acd_queue(acd, a->groups[k]);
				if (!q)
					continue;
				if (!pass)
					q->nmembers++;
				else if (q->members)
					q->members[q->nmembers++] = (struct member){
						.agent = a, .level = a->levels ? a->levels[k] : 1 };
			}
		}
		for (size_t i = 0; !pass && i < acd->nqueues; i++) {
			struct queue *q = acd->queues[i];
			if (q->nmembers && !(q->members = calloc(q->nmembers, sizeof *q->members)))
				log_err("skill group %u: out of memory for its %zu members", q->group,
					q->nmembers);
			q->nmembers = 0;
		}
	}
	acd_index_rebuild(acd);
}

void acd_merge(struct acd *acd, const struct dir *dir)
{
	long long now = core_now_ms();
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
			if (2 * (acd->nagents + 1) > acd->by_id_cap &&
			    by_id_rebuild(acd, acd->nagents + 1))
				break;
			if (!(a = agent_new(acd, d, now)))
				break;
			acd->agents[acd->nagents++] = a;
			by_id_put(acd->by_id, acd->by_id_cap, a);
		}
		if (update_agent(a, d))
			log_err("agent %s: out of memory", d->id);
		if (a->stale_row) {
			a->stale_row = false;
			int was = agent_state_parse(d->stored_state);
			acd_changed(acd, a, was < 0 ? a->sm.state : (enum agent_state)was);
		}
	}
	/* Agents no longer in the directory go, unless an entry still holds them. */
	size_t kept = 0;
	for (size_t i = 0; i < acd->nagents; i++) {
		struct agent *a = acd->agents[i];
		if (!a->present && !a->owner) {
			log_info("agent %s left the directory", a->id);
			agent_free(a);
			continue;
		}
		acd->agents[kept++] = a;
	}
	if (kept < acd->nagents) {
		acd->nagents = kept;
		/* Without memory for a new table the old one is cleared in place:
		 * a freed agent must not be found. */
		if (by_id_rebuild(acd, kept)) {
			memset(acd->by_id, 0, acd->by_id_cap * sizeof *acd->by_id);
			for (size_t i = 0; i < kept; i++)
				by_id_put(acd->by_id, acd->by_id_cap, acd->agents[i]);
		}
	}
	rebuild_queues(acd, dir);
	acd_kick(acd);
}

/* Records and publishes a state change: see acd_priv.h. */
void acd_changed(struct acd *acd, struct agent *a, enum agent_state prev)
{
	long long now = core_now_ms();
	if (!a->row_written)
		a->ver = agent_next_ver(a, now);
	snprintf(a->holder, sizeof a->holder, "%s", acd->core->conf->node_id);
	a->since_ms = now;
	if (a->sm.state == AGENT_READY)
		a->idle_since_ms = now;
	if (a->sm.state != AGENT_WRAP_UP)
		tmr_stop(a->wrapup_timer);
	/* Before the event: a subscriber may ask the queues at once. */
	acd_index_update(acd, a);
	log_info("agent %s (%s): %s -> %s%s%s", a->id, a->sip ? a->sip : "-",
		 agent_state_name(prev), agent_state_name(a->sm.state), a->sm.reason[0] ? " " : "",
		 a->sm.reason);
	acd_store_state(acd, a);
	struct ev e = {
		.type = EV_AGENT_STATE, .ts = now, .agent = a->id,
		.state = agent_state_name(a->sm.state), .prev = agent_state_name(prev),
		.reason = a->sm.reason, .call = a->call_id,
		.pending = a->sm.pending >= 0 ? agent_state_name((enum agent_state)a->sm.pending) : NULL,
		.ver = a->ver,
	};
	bus_publish(acd->core->bus, &e);
}

/* The agent's pending request changed, not its state: only the event. */
static void pending_changed(struct acd *acd, struct agent *a)
{
	a->ver = agent_next_ver(a, core_now_ms());
	struct ev e = {
		.type = EV_AGENT_STATE, .agent = a->id, .state = agent_state_name(a->sm.state),
		.prev = agent_state_name(a->sm.state), .reason = a->sm.reason, .call = a->call_id,
		.pending = a->sm.pending >= 0 ? agent_state_name((enum agent_state)a->sm.pending) : NULL,
		.ver = a->ver,
	};
	bus_publish(acd->core->bus, &e);
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
		acd_changed(acd, a, prev);
		if (a->sm.state == AGENT_READY)
			acd_kick(acd);
	} else if (r == AGENT_SM_PENDING) {
		pending_changed(acd, a);
	}
	return NULL;
}

void acd_set_registered(struct acd *acd, struct agent *a, bool registered)
{
	if (a->registered == registered)
		return;
	a->registered = registered;
	acd_index_update(acd, a);
	log_info("agent %s: phone %s %s", a->id, a->sip, registered ? "registered" : "unregistered");
	struct ev e = { .type = EV_AGENT_REGISTRATION, .agent = a->id, .registered = registered };
	bus_publish(acd->core->bus, &e);
	if (registered)
		acd_kick(acd);
}

static void wrapup_over(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct agent *a = arg;
	(void)magic;
	(void)t;
	acd_agent_event(a->acd, a, AEV_WRAPUP_END, 0);
}

/* The day's counts of a, after ev. */
static void count(struct agent *a, enum agent_event ev)
{
	long long now = core_now_ms();
	if (ev == AEV_ANSWER) {
		a->calls_today++;
		a->answered_ms = now;
		a->no_answers = 0;
	} else if (ev == AEV_HANGUP) {
		if (a->answered_ms)
			a->talk_s_today += (unsigned long)((now - a->answered_ms) / 1000);
		a->answered_ms = 0;
	}
}

/* True when this offer let ring out is one too many in a row for the
 * group's no_answer_break: the agent goes on break. */
static bool no_answer_break(struct acd *acd, struct agent *a)
{
	const struct queue *q = acd_queue(acd, a->offer_group);
	a->no_answers++;
	if (!q || !q->no_answer_break || a->no_answers < q->no_answer_break)
		return false;
	log_info("agent %s: %u offers of group %u let ring out in a row: on break", a->id,
		 a->no_answers, q->group);
	a->no_answers = 0;
	return true;
}

void acd_agent_event(struct acd *acd, struct agent *a, enum agent_event ev, unsigned wrapup_s)
{
	enum agent_state prev = a->sm.state;
	const char *why = ev == AEV_NO_ANSWER && prev == AGENT_RESERVED && no_answer_break(acd, a)
				  ? "no_answer" : NULL;
	enum agent_sm_result r = agent_sm_apply(&a->sm, ev, why, wrapup_s > 0);
	if (r == AGENT_SM_INVALID) {
		log_warn("agent %s: %s in state %s ignored", a->id, agent_event_name(ev),
			 agent_state_name(prev));
		return;
	}
	count(a, ev);
	if (ev == AEV_NO_ANSWER || ev == AEV_REJECT || ev == AEV_RELEASE || ev == AEV_HANGUP) {
		a->owner = NULL;
		a->call_id[0] = '\0';
	}
	if (a->sm.state == AGENT_WRAP_UP) {
		a->wrapup_s = wrapup_s;
		if (tmr_once(acd->core->root, &a->wrapup_timer, (long)wrapup_s * 1000, wrapup_over, a))
			log_err("agent %s: no wrap-up timer (out of memory)", a->id);
	}
	if (r == AGENT_SM_CHANGED)
		acd_changed(acd, a, prev);
	else	/* Marked: every valid event changes the state; the owner and
		 * the counts above still must not be left out of the index. */
		acd_index_update(acd, a);
	if (a->sm.state == AGENT_READY)
		acd_kick(acd);
}

const char *acd_take_agent(struct acd *acd, struct agent *a, void *owner, const char *owner_id)
{
	if (!a || !a->present)
		return "unknown_agent";
	if (a->sm.state == AGENT_LOGGED_OUT)
		return "not_signed_in";
	if (a->sm.state == AGENT_NOT_READY)
		return "on_break";
	if (a->sm.state != AGENT_READY)
		return "busy";
	enum agent_state prev = a->sm.state;
	agent_sm_apply(&a->sm, AEV_RESERVE, NULL, false);
	a->owner = owner;
	a->offer_group = 0;	/* no group's offer: no no-answer count */
	snprintf(a->call_id, sizeof a->call_id, "%s", owner_id ? owner_id : "");
	acd_changed(acd, a, prev);
	return NULL;
}
