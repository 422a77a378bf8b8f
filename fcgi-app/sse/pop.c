/* The screen pop loaders: pop_threads threads, each with its own database
 * connection, building what an agent's screen shows (contacts/pop_build.c).
 *
 * Work is kept per call and agent (a call offered to another agent after a
 * no-answer is another pop: what a contact shows depends on who looks):
 *   - call.ringing for an agent with an open event stream queues a preload;
 *     agents without one cost nothing;
 *   - call.answered sends the preloaded pop at once (from the link thread).
 *     A preload still waiting moves to the urgent queue, one being built is
 *     sent by its loader the moment it is done, and a call never preloaded
 *     is built urgently. Urgent work goes first, and preloads may occupy
 *     all loaders but one, so an answered call waits for no other agent's
 *     preload;
 *   - call.offer_failed and call.ended forget what was not answered.
 * At most MAX_ENTRIES calls are remembered; beyond that the oldest preload
 * is forgotten (its answer then builds the pop on the spot).
 *
 * One mutex guards the table and the queues; no database or hub call is
 * made under it. */
#include "hub.h"

#include "db.h"
#include "hash.h"
#include "log.h"
#include "../web.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 256
#define MAX_ENTRIES 4096

enum entry_state { QUEUED, LOADING, READY };

struct entry;

/* A FIFO of entries: the urgent queue, the preload queue, the ready pops
 * (oldest first, for eviction). */
struct elist {
	struct entry *head, *tail;
};

struct entry {
	struct entry *hnext;		/* hash chain */
	struct entry *prev, *next;	/* in `in` */
	struct elist *in;		/* NULL while loading */
	enum entry_state st;
	bool dead;			/* forgotten while loading: its loader frees it */
	char call[64], agent[64];
	json_t *ev;			/* what the pop is built from */
	json_t *answered;		/* the call.answered event, once it came */
	long long answered_ms;
	json_t *pop;
};

struct loader {
	struct pop *p;
	struct db *db;
	pthread_t thr;
	bool started;
};

struct pop {
	struct web *web;
	struct hub *hub;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct entry *table[BUCKETS];
	size_t nentries;
	struct elist urgent, preload, ready;
	unsigned preloading, max_preloading;
	bool stop;
	unsigned nloaders;
	struct loader *loaders;
};

static void list_push(struct elist *l, struct entry *e)
{
	e->in = l;
	e->next = NULL;
	e->prev = l->tail;
	if (l->tail)
		l->tail->next = e;
	else
		l->head = e;
	l->tail = e;
}

static void list_remove(struct entry *e)
{
	struct elist *l = e->in;
	if (!l)
		return;
	if (e->prev)
		e->prev->next = e->next;
	else
		l->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		l->tail = e->prev;
	e->in = NULL;
	e->prev = e->next = NULL;
}

static unsigned bucket(const char *call)
{
	return hash_fnv1a(call) % BUCKETS;
}

static struct entry *find(struct pop *p, const char *call, const char *agent)
{
	for (struct entry *e = p->table[bucket(call)]; e; e = e->hnext)
		if (!strcmp(e->call, call) && !strcmp(e->agent, agent))
			return e;
	return NULL;
}

static void entry_free(struct entry *e)
{
	json_decref(e->ev);
	json_decref(e->answered);
	json_decref(e->pop);
	free(e);
}

static void unhash(struct pop *p, struct entry *e)
{
	for (struct entry **pp = &p->table[bucket(e->call)]; *pp; pp = &(*pp)->hnext)
		if (*pp == e) {
			*pp = e->hnext;
			p->nentries--;
			return;
		}
}

/* Under the lock: a new entry for ev's call and agent, in the table. */
static struct entry *entry_new(struct pop *p, json_t *ev, const char *call, const char *agent)
{
	struct entry *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	snprintf(e->call, sizeof e->call, "%s", call);
	snprintf(e->agent, sizeof e->agent, "%s", agent);
	e->ev = json_incref(ev);
	unsigned b = bucket(e->call);
	e->hnext = p->table[b];
	p->table[b] = e;
	p->nentries++;
	return e;
}

/* Under the lock: drops e, or marks it for its loader to drop. */
static void forget(struct pop *p, struct entry *e)
{
	unhash(p, e);
	if (e->st == LOADING) {
		e->dead = true;
		return;
	}
	list_remove(e);
	entry_free(e);
}

/* Under the lock: forgets the oldest pop not asked for yet (ready, else
 * queued for preloading). false when there is none. */
static bool evict_oldest(struct pop *p)
{
	struct entry *e = p->ready.head ? p->ready.head : p->preload.head;
	if (!e)
		return false;
	forget(p, e);
	return true;
}

/* Sends e's pop (not under the lock); e is out of the table. */
static void send_pop(struct pop *p, struct entry *e)
{
	if (!e->pop)
		return;	/* out of memory when it was built */
	json_object_set(e->pop, "ts", json_object_get(e->answered, "ts"));
	hub_send_user(p->hub, e->agent, "pop", e->pop);
	log_debug("pop for call %s sent %lld ms after call.answered", e->call,
		  web_now_ms() - e->answered_ms);
}

static const char *str(json_t *ev, const char *k)
{
	return json_string_value(json_object_get(ev, k));
}

static void on_ringing(struct pop *p, json_t *ev, const char *call, const char *agent)
{
	if (!hub_has_agent(p->hub, agent))
		return;	/* nobody would see it */
	pthread_mutex_lock(&p->mu);
	if (!p->stop && !find(p, call, agent) &&
	    (p->nentries < MAX_ENTRIES || evict_oldest(p))) {
		struct entry *e = entry_new(p, ev, call, agent);
		if (e) {
			e->st = QUEUED;
			list_push(&p->preload, e);
			pthread_cond_signal(&p->cv);
		}
	}
	pthread_mutex_unlock(&p->mu);
}

static void on_answered(struct pop *p, json_t *ev, const char *call, const char *agent)
{
	bool streaming = hub_has_agent(p->hub, agent);
	pthread_mutex_lock(&p->mu);
	struct entry *e = find(p, call, agent);
	if (p->stop || !streaming || (e && e->answered)) {
		if (e && !e->answered)
			forget(p, e);
		pthread_mutex_unlock(&p->mu);
		return;
	}
	if (!e) {
		/* Never preloaded (the ringing was missed, the browser opened
		 * since, or it was evicted): built now, before any preload.
		 * The table's bound is not applied: answered calls are few. */
		if ((e = entry_new(p, ev, call, agent))) {
			e->answered = json_incref(ev);
			e->answered_ms = web_now_ms();
			e->st = QUEUED;
			list_push(&p->urgent, e);
			pthread_cond_signal(&p->cv);
		}
		pthread_mutex_unlock(&p->mu);
		return;
	}
	e->answered = json_incref(ev);
	e->answered_ms = web_now_ms();
	if (e->st == READY) {
		list_remove(e);
		unhash(p, e);
		pthread_mutex_unlock(&p->mu);
		send_pop(p, e);
		entry_free(e);
		return;
	}
	if (e->st == QUEUED && e->in == &p->preload) {
		list_remove(e);
		list_push(&p->urgent, e);
		pthread_cond_signal(&p->cv);
	}
	/* LOADING: its loader sends it when done. */
	pthread_mutex_unlock(&p->mu);
}

/* The call is over for agent (NULL: for everyone): what was not answered
 * will not be. */
static void on_done(struct pop *p, const char *call, const char *agent)
{
	pthread_mutex_lock(&p->mu);
	for (struct entry *e = p->table[bucket(call)], *next; e; e = next) {
		next = e->hnext;
		if (!strcmp(e->call, call) && (!agent || !strcmp(e->agent, agent)) && !e->answered)
			forget(p, e);
	}
	pthread_mutex_unlock(&p->mu);
}

void pop_feed(struct pop *p, json_t *ev)
{
	const char *name = str(ev, "event"), *call = str(ev, "call"), *agent = str(ev, "agent");
	if (!p || !name || !call)
		return;
	if (!strcmp(name, "call.ringing") && agent)
		on_ringing(p, ev, call, agent);
	else if (!strcmp(name, "call.answered") && agent)
		on_answered(p, ev, call, agent);
	else if (!strcmp(name, "call.offer_failed") || !strcmp(name, "call.ended"))
		on_done(p, call, agent);
}

static void *loader_main(void *arg)
{
	struct loader *l = arg;
	struct pop *p = l->p;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && !p->urgent.head &&
		       !(p->preload.head && p->preloading < p->max_preloading))
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop)
			break;
		bool pre = !p->urgent.head;
		struct entry *e = pre ? p->preload.head : p->urgent.head;
		list_remove(e);
		e->st = LOADING;
		if (pre)
			p->preloading++;
		json_t *ev = json_incref(e->ev);
		pthread_mutex_unlock(&p->mu);

		/* A loading entry is freed by this thread only; call and agent
		 * never change. */
		long long t0 = web_now_ms();
		bool skip = pre && !hub_has_agent(p->hub, e->agent);	/* the browser went */
		json_t *v = skip ? NULL : pop_build(p->web, l->db, ev);
		json_decref(ev);
		if (!skip)
			log_debug("pop for call %s %s in %lld ms", e->call,
				  pre ? "preloaded" : "loaded", web_now_ms() - t0);

		pthread_mutex_lock(&p->mu);
		if (pre) {
			p->preloading--;
			pthread_cond_signal(&p->cv);
		}
		if (e->dead) {
			json_decref(v);
			entry_free(e);
		} else if (skip && e->answered) {
			/* answered meanwhile, by a browser opened since */
			e->st = QUEUED;
			list_push(&p->urgent, e);
		} else if (e->answered) {
			e->pop = v;
			unhash(p, e);
			pthread_mutex_unlock(&p->mu);
			send_pop(p, e);
			entry_free(e);
			pthread_mutex_lock(&p->mu);
		} else if (!v) {
			/* the browser went, or out of memory */
			unhash(p, e);
			entry_free(e);
		} else {
			e->pop = v;
			e->st = READY;
			list_push(&p->ready, e);
		}
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int pop_alloc(struct pop **pp, struct web *w, struct hub *h, unsigned nloaders)
{
	if (!pp || !w || !h)
		return EINVAL;
	struct pop *p = calloc(1, sizeof *p);
	if (!p)
		return ENOMEM;
	p->web = w;
	p->hub = h;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->nloaders = nloaders ? nloaders : 1;
	/* One loader stays free for answered calls when there are two. */
	p->max_preloading = p->nloaders > 1 ? p->nloaders - 1 : 1;
	if (!(p->loaders = calloc(p->nloaders, sizeof *p->loaders)))
		goto out;
	for (unsigned i = 0; i < p->nloaders; i++) {
		p->loaders[i].p = p;
		if (db_alloc(&p->loaders[i].db, &w->dbc))
			goto out;
	}
	*pp = p;
	return 0;
out:
	pop_free(p);
	return ENOMEM;
}

int pop_start(struct pop *p)
{
	for (unsigned i = 0; i < p->nloaders; i++) {
		int err = pthread_create(&p->loaders[i].thr, NULL, loader_main, &p->loaders[i]);
		if (err) {
			pop_stop(p);
			return err;
		}
		p->loaders[i].started = true;
	}
	return 0;
}

void pop_stop(struct pop *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; p->loaders && i < p->nloaders; i++)
		if (p->loaders[i].started) {
			pthread_join(p->loaders[i].thr, NULL);
			p->loaders[i].started = false;
		}
}

void pop_free(struct pop *p)
{
	if (!p)
		return;
	pop_stop(p);
	for (unsigned b = 0; b < BUCKETS; b++)
		while (p->table[b]) {
			struct entry *e = p->table[b];
			p->table[b] = e->hnext;
			entry_free(e);
		}
	for (unsigned i = 0; p->loaders && i < p->nloaders; i++)
		db_free(p->loaders[i].db);
	free(p->loaders);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
