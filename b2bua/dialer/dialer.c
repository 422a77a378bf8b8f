/* The dialer: the tasks it knows (read every poll), how many calls each
 * may start now (pacing), and what the control socket sees of them. */
#include "b2bua/dialer/dialer_priv.h"

#include "b2bua/acd/acd.h"
#include "b2bua/core/bus.h"
#include "b2bua/core/core.h"
#include "b2bua/core/tmr.h"
#include "event.h"
#include "ivr_run.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

int dialer_alloc(struct dialer **dp, const struct dialer_env *env)
{
	struct dialer *d = calloc(1, sizeof *d);
	if (!d)
		return -1;
	d->env = *env;
	if (bus_subscribe(env->core->bus, EV_CLASS_BIT(EVC_call) | EV_CLASS_BIT(EVC_agent),
			  dcall_on_event, d)) {
		free(d);
		return -1;
	}
	*dp = d;
	return 0;
}

static void task_free(struct dtask *t)
{
	ivr_tz_free(t->tz);
	free(t);
}

void dialer_free(struct dialer *d)
{
	if (!d)
		return;
	bus_unsubscribe(d->env.core->bus, dcall_on_event, d);
	tmr_free(&d->t_poll);
	while (d->tasks) {
		struct dtask *t = d->tasks;
		d->tasks = t->next;
		while (t->calls) {
			struct dcall *c = t->calls;
			t->calls = c->next;
			free(c->data);
			free(c);
		}
		task_free(t);
	}
	free(d);
}

void dialer_set_dir(struct dialer *d, const struct dir *dir)
{
	d->dir = dir;
}

struct dtask *dialer_task(struct dialer *d, unsigned id)
{
	for (struct dtask *t = d->tasks; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

void dialer_drop_idle(struct dialer *d, struct dtask *t)
{
	if (t->running || t->calls || t->claiming || t->checking)
		return;
	for (struct dtask **p = &d->tasks; *p; p = &(*p)->next)
		if (*p == t) {
			*p = t->next;
			task_free(t);
			return;
		}
}

void dialer_publish_state(struct dialer *d, unsigned task, const char *state, const char *prev,
			  const char *reason)
{
	struct ev e = { .type = EV_TASK_STATE, .task = task, .task_state = state, .prev = prev,
			.reason = reason };
	bus_publish(d->env.core->bus, &e);
}

/* --- pacing ----------------------------------------------------------------------------- */

/* Agents of the group free to take a call now, and those signed in. */
static unsigned agents_available(const struct dialer *d, unsigned group, unsigned *signed_in)
{
	struct queue *q = acd_queue(d->env.acd, group);
	if (signed_in)
		*signed_in = 0;
	if (!q)
		return 0;
	struct queue_view v;
	acd_queue_view(q, core_now_ms(), &v);
	if (signed_in)
		*signed_in = v.agents_signed_in;
	return v.agents_ready;
}

void dialer_pace(struct dialer *d, struct dtask *t)
{
	if (!d->started || d->stopping || !t->running || t->claiming)
		return;
	long long now = core_now_ms();
	if (!task_hours_open(&t->hours, t->tz, now / 1000)) {
		t->limit = 0;
		return;
	}
	unsigned signed_in;
	t->agents_available = agents_available(d, t->group, &signed_in);
	struct pacer_in in = {
		.mode = t->pacing, .max_concurrency = t->max_concurrency, .agent_ratio = t->ratio,
		.agents_available = t->agents_available,
		.agents_busy = signed_in > t->agents_available ? signed_in - t->agents_available : 0,
		.dialing = t->dialing, .waiting = t->answered, .connected = t->connected,
	};
	unsigned n = pacer_calls(&t->pacer, &in, now);
	t->limit = n;
	if (n > 0) {
		if (store_claim(d, t, n))
			log_err("task %u: cannot claim targets (database queue full)", t->id);
	} else if (t->claim_empty && !t->dialing && !t->answered && !t->connected) {
		store_check_done(d, t);
	}
}

/* --- reading the tasks --------------------------------------------------------------- */

static void polled(struct dialer *d, struct task_row *rows, size_t n)
{
	d->polling = false;
	if (!rows && n == 0 && d->generation == 0)
		log_debug("outbound tasks: none read");
	if (!rows) {
		/* The database did not answer: the tasks go on as they were. */
		for (struct dtask *t = d->tasks; t; t = t->next)
			dialer_pace(d, t);
		return;
	}
	unsigned gen = ++d->generation;
	for (size_t i = 0; i < n; i++) {
		struct dtask *src = &rows[i].t;
		struct dtask *t = dialer_task(d, src->id);
		if (!t && rows[i].tz_kept)
			continue;	/* it left while this read was out: its zone at the next */
		if (!t) {
			t = calloc(1, sizeof *t);
			if (!t) {
				ivr_tz_free(src->tz);
				continue;
			}
			t->id = src->id;
			pacer_init(&t->pacer, src->abandon_target, core_now_ms());
			t->next = d->tasks;
			d->tasks = t;
			log_info("task %u (%s): dialing, group %u, caller ID %s, pacing %s", src->id,
				 src->name, src->group, src->caller_id, task_pacing_name(src->pacing));
		}
		/* Settings may have been edited while it was stopped. */
		memcpy(t->name, src->name, sizeof t->name);
		memcpy(t->caller_id, src->caller_id, sizeof t->caller_id);
		t->group = src->group;
		t->max_concurrency = src->max_concurrency;
		t->ratio = src->ratio;
		t->abandon_target = src->abandon_target;
		t->pacing = src->pacing;
		t->recording = src->recording;
		t->retry = src->retry;
		t->hours = src->hours;
		if (!rows[i].tz_kept) {
			ivr_tz_free(t->tz);
			t->tz = src->tz;
			memcpy(t->tz_name, src->tz_name, sizeof t->tz_name);
		}
		if (!t->running)
			t->claim_empty = false;
		t->running = true;
		t->seen = gen;
	}
	for (struct dtask *t = d->tasks, *next; t; t = next) {
		next = t->next;
		if (t->seen != gen && t->running) {
			log_info("task %u: no longer running: no new call", t->id);
			t->running = false;
		}
		dialer_pace(d, t);
		dialer_drop_idle(d, t);
	}
}

static void poll_now(struct dialer *d)
{
	if (d->polling || !d->started || d->stopping)
		return;
	d->polling = true;
	if (store_poll(d, polled)) {
		d->polling = false;
		log_err("outbound tasks not read: database queue full");
	}
}

static void tick(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)magic;
	(void)t;
	poll_now(arg);
}

static void recovered(struct dialer *d, int rc)
{
	(void)rc;
	d->recovering = false;
	if (d->stopping)
		return;
	d->started = true;
	if (tmr_every(d->env.core->root, &d->t_poll, d->poll_ms, tick, d))
		log_err("outbound: cannot arm the dialer's timer");
	poll_now(d);
}

void dialer_start(struct dialer *d, unsigned poll_ms)
{
	if (d->started || d->recovering)
		return;
	d->poll_ms = poll_ms ? poll_ms : 1000;
	d->recovering = true;
	if (store_recover(d, recovered)) {
		log_err("outbound: recovery not started (database queue full)");
		recovered(d, -1);
	}
}

void dialer_stop(struct dialer *d)
{
	d->stopping = true;
	tmr_free(&d->t_poll);
}

void dialer_wake(struct dialer *d)
{
	poll_now(d);
}

/* --- views ----------------------------------------------------------------------------- */

size_t dialer_task_count(const struct dialer *d)
{
	size_t n = 0;
	for (const struct dtask *t = d->tasks; t; t = t->next)
		n++;
	return n;
}

bool dialer_task_view(const struct dialer *d, size_t i, struct dialer_task_view *v)
{
	const struct dtask *t = d->tasks;
	while (t && i--)
		t = t->next;
	if (!t)
		return false;
	*v = (struct dialer_task_view){
		.id = t->id, .group = t->group, .running = t->running,
		.dialing = t->dialing, .ringing = t->ringing, .answered = t->answered,
		.connected = t->connected, .max_concurrency = t->max_concurrency,
		.limit = t->limit, .agents_available = agents_available(d, t->group, NULL),
		.placed = t->placed, .abandoned = t->abandoned, .live = t->live,
		.hours_open = task_hours_open(&t->hours, t->tz, core_now_ms() / 1000),
	};
	return true;
}
