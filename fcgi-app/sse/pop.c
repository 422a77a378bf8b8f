/* The screen pop loader: a thread with its own database connection.
 *
 * On call.ringing it loads what the agent's screen will show (the contact,
 * the customer's recent calls) into a small cache, while the phone rings.
 * On call.answered it sends the agent's streams a `pop` event at once from
 * the cache (or loads it then, when the ringing was missed). Jobs run in
 * order, so an answered call always finds what its ringing loaded. */
#include "hub.h"

#include "../contacts/contact.h"
#include "db.h"
#include "log.h"
#include "manifest.h"
#include "../web.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CACHE 64

struct job {
	struct job *next;
	json_t *ev;
};

struct pop {
	struct web *web;
	struct hub *hub;
	struct db *db;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *head, *tail;
	bool stop;
	struct {
		char call[64];
		json_t *pop;
	} cache[CACHE];
	unsigned next_slot;
};

int pop_alloc(struct pop **pp, struct web *w, struct hub *h)
{
	struct pop *p = calloc(1, sizeof *p);
	if (!p)
		return -1;
	struct db_conf dc = {
		.host = w->conf.db_host, .port = (unsigned)w->conf.db_port,
		.socket = w->conf.db_socket, .user = w->conf.db_user,
		.password = w->db_password, .name = w->conf.db_name,
	};
	if (db_alloc(&p->db, &dc)) {
		free(p);
		return -1;
	}
	p->web = w;
	p->hub = h;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	*pp = p;
	return 0;
}

void pop_free(struct pop *p)
{
	if (!p)
		return;
	while (p->head) {
		struct job *j = p->head;
		p->head = j->next;
		json_decref(j->ev);
		free(j);
	}
	for (int i = 0; i < CACHE; i++)
		json_decref(p->cache[i].pop);
	db_free(p->db);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

void pop_feed(struct pop *p, json_t *ev)
{
	if (!p)
		return;
	struct job *j = malloc(sizeof *j);
	if (!j)
		return;
	j->ev = json_incref(ev);
	j->next = NULL;
	pthread_mutex_lock(&p->mu);
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void pop_stop(struct pop *p)
{
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static const char *str(json_t *ev, const char *k)
{
	return json_string_value(json_object_get(ev, k));
}

/* What the agent's screen shows for the call of ev. */
static json_t *build(struct pop *p, json_t *ev)
{
	struct web *w = p->web;
	const char *call = str(ev, "call"), *agent = str(ev, "agent");
	const char *caller = str(ev, "caller"), *norm = str(ev, "caller_norm");
	const char *cid = str(ev, "contact");
	json_t *contact = NULL;
	bool dberr = false;
	if (cid)
		contact = contact_load(p->db, w, cid, agent, w->conf.default_lang, &dberr);
	char found[33];
	if (!contact && !dberr && norm && *norm &&
	    contact_find_by_phone(p->db, w, norm, agent, found) == 1)
		contact = contact_load(p->db, w, found, agent, w->conf.default_lang, &dberr);
	const char *contact_id = contact ? json_string_value(json_object_get(contact, "id")) : NULL;
	json_t *recent = contact_recent(p->db, w, contact_id, norm, call);
	json_t *prefill = json_null();
	if (!contact) {
		/* An unknown caller: a blank form with the number in the first
		 * phone field. */
		contact = contact_shape(w->mf, NULL, NULL, w->conf.default_lang);
		for (size_t i = 0; i < w->mf->contacts.nfields; i++)
			if (w->mf->contacts.fields[i].type == MF_PHONE) {
				json_decref(prefill);
				prefill = json_pack("{s:s, s:s}", "column",
						    w->mf->contacts.fields[i].column, "value",
						    caller ? caller : "");
				break;
			}
	}
	return json_pack("{s:s?, s:s?, s:s?, s:s?, s:b, s:o, s:o, s:o, s:b}", "call", call,
			 "agent", agent, "caller", caller, "caller_norm", norm, "known",
			 contact_id != NULL, "contact", contact, "prefill", prefill, "recent",
			 recent ? recent : json_array(), "db_error", dberr || !recent);
}

static json_t *cached(struct pop *p, const char *call, bool take)
{
	for (int i = 0; i < CACHE; i++) {
		if (!p->cache[i].pop || strcmp(p->cache[i].call, call))
			continue;
		json_t *v = p->cache[i].pop;
		if (take) {
			p->cache[i].pop = NULL;
			p->cache[i].call[0] = '\0';
		}
		return v;
	}
	return NULL;
}

static void run(struct pop *p, json_t *ev)
{
	const char *name = str(ev, "event"), *call = str(ev, "call"), *agent = str(ev, "agent");
	if (!name || !call || !agent)
		return;
	long long t0 = web_now_ms();
	if (!strcmp(name, "call.ringing")) {
		if (cached(p, call, false))
			return;
		json_t *v = build(p, ev);
		unsigned slot = p->next_slot++ % CACHE;
		json_decref(p->cache[slot].pop);
		p->cache[slot].pop = v;
		snprintf(p->cache[slot].call, sizeof p->cache[slot].call, "%s", call);
		log_debug("pop for call %s preloaded in %lld ms", call, web_now_ms() - t0);
		return;
	}
	json_t *v = cached(p, call, true);
	if (!v)
		v = build(p, ev);
	if (!v)
		return;
	json_object_set(v, "ts", json_object_get(ev, "ts"));
	hub_send_user(p->hub, agent, "pop", v);
	log_debug("pop for call %s sent in %lld ms", call, web_now_ms() - t0);
	json_decref(v);
}

void *pop_main(void *arg)
{
	struct pop *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->head && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		struct job *j = p->head;
		p->head = j->next;
		if (!p->head)
			p->tail = NULL;
		pthread_mutex_unlock(&p->mu);
		run(p, j->ev);
		json_decref(j->ev);
		free(j);
	}
	return NULL;
}
