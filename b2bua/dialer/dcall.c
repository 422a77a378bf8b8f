/* A task's calls: placing the call to a customer (a late-offer INVITE
 * through Kamailio's outbound gateway, the task's caller ID shown), the
 * controller that queues the answered customer at the front of the group's
 * queue, the abandon message, and the attempt's result when the call ends. */
#include "b2bua/dialer/dialer_priv.h"

#include "b2bua/core/bus.h"
#include "b2bua/core/core.h"
#include "b2bua/dir/dir.h"
#include "event.h"
#include "log.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ahead of every inbound caller of the group (call_queue.priority). */
#define TASK_PRIORITY 9

void dcall_publish(const struct dcall *c, const char *step, const char *outcome,
		   const char *cause)
{
	struct ev e = {
		.type = EV_TASK_CALL, .task = c->task->id, .target = (long long)c->target,
		.attempt = c->attempt, .callee = c->number, .group = c->task->group, .step = step,
		.outcome = outcome, .cause = cause, .subject = c->call,
		.call = c->call ? call_id(c->call) : NULL,
	};
	bus_publish(c->d->env.core->bus, &e);
}

/* --- the controller ------------------------------------------------------------------- */

/* The customer answered and media is up: an agent now, or the message. */
static void ctrl_start(struct call *call, void *state)
{
	struct dcall *c = state;
	struct dtask *t = c->task;
	c->answered = true;
	c->t_answered = core_now_ms();
	if (c->ringing)
		t->ringing--;
	t->dialing--;
	t->answered++;
	t->live++;
	pacer_answered(&t->pacer, (unsigned)(c->t_answered - c->t_placed));
	dcall_publish(c, "answered", NULL, NULL);
	if (c->data)
		call_attach(call, c->data);
	call_enqueue(call, &c->queue);
}

static void abandon(struct call *call, struct dcall *c)
{
	if (c->abandoning)
		return;
	c->abandoning = true;
	log_info("call %s: task %u: no agent within %u s of the answer: abandoned", call_id(call),
		 c->task->id, TASK_ABANDON_S);
	const char *folder = c->d->dir ? dir_audio_dir(c->d->dir) : NULL;
	if (!folder) {
		call_hangup(call, RESULT_ABANDONED, "no agent in time");
		return;
	}
	char path[512];
	snprintf(path, sizeof path, "%s/sys-task-abandon.wav", folder);
	call_play(call, call_strdup(call, path));
}

static void ctrl_signal(struct call *call, void *state, enum call_signal sig, char digit)
{
	struct dcall *c = state;
	(void)digit;
	switch (sig) {
	case CSIG_RINGING:
		if (!c->ringing && !c->answered) {
			c->ringing = true;
			c->t_ringing = core_now_ms();
			c->task->ringing++;
			dcall_publish(c, "ringing", NULL, NULL);
		}
		break;
	case CSIG_QUEUE_TIMEOUT:
	case CSIG_NO_AGENTS:
	case CSIG_NO_QUEUE:
		abandon(call, c);
		break;
	case CSIG_PROMPT_DONE:
		if (c->abandoning)
			call_hangup(call, RESULT_ABANDONED, "no agent in time");
		break;
	default:
		break;
	}
}

static const char *ctrl_record(struct call *call, void *state)
{
	struct dcall *c = state;
	char buf[96];
	snprintf(buf, sizeof buf, "{\"task\":%u,\"target\":%llu,\"attempt\":%u}", c->task->id,
		 c->target, c->attempt);
	return call_strdup(call, buf);
}

static const struct call_ctrl dialer_ctrl = {
	.name = "dialer", .start = ctrl_start, .signal = ctrl_signal, .record = ctrl_record,
};

/* --- placing ------------------------------------------------------------------------ */

/* The screen pop's data: the target's columns and the task's name. */
static char *pop_data(const struct dtask *t, const char *data)
{
	json_t *o = data ? json_loads(data, 0, NULL) : NULL;
	if (!json_is_object(o)) {
		json_decref(o);
		o = json_object();
	}
	json_object_set_new(o, "task_name", json_string(t->name));
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

void dcall_place(struct dialer *d, struct dtask *t, struct claimed *cl)
{
	const struct core *core = d->env.core;
	char target[128];
	snprintf(target, sizeof target, "sip:%s@%s;user=phone", cl->number, core->conf->sip_domain);
	struct call_origin o = {
		.target = target, .from_user = t->caller_id, .caller = cl->number,
		.callee = t->caller_id,
	};
	struct call *call = NULL;
	int rc = calls_originate(d->env.calls, &o, &call);
	if (rc) {
		log_warn("task %u: target %llu (%s) not called now (%s): given back", t->id, cl->id,
			 cl->number, rc == EAGAIN ? "not accepting calls" : "cannot place the call");
		store_unclaim(d, cl->id);
		return;
	}
	struct dcall *c = call_mem(call, sizeof *c);
	char *data = pop_data(t, cl->data);
	if (!c) {
		free(data);
		call_hangup(call, RESULT_FAILED, "out of memory");
		store_unclaim(d, cl->id);
		return;
	}
	c->d = d;
	c->task = t;
	c->call = call;
	c->target = cl->id;
	c->attempt = cl->attempts;
	memcpy(c->number, cl->number, sizeof c->number);
	memcpy(c->contact, cl->contact, sizeof c->contact);
	c->data = data ? call_strdup(call, data) : NULL;
	free(data);
	const struct dir_group *g = d->dir ? dir_group(d->dir, t->group) : NULL;
	c->queue = (struct call_queue){
		.group = t->group, .max_wait_s = TASK_ABANDON_S,
		.ring_timeout_s = g && g->ring_timeout_s ? g->ring_timeout_s : 15,
		.wrapup_s = g ? g->wrapup_s : 0, .leave_unstaffed = true,
		.priority = TASK_PRIORITY, .recording = t->recording,
	};
	c->t_placed = core_now_ms();
	call_set_controller(call, &dialer_ctrl, c);
	call_set_number(call, 0, t->group);
	call_set_task(call, t->id, cl->id);
	c->next = t->calls;
	t->calls = c;
	t->dialing++;
	t->placed++;
	pacer_placed(&t->pacer);
	call_place(call);
	if (c->contact[0])
		call_set_contact(call, c->contact, NULL);
	else
		call_lookup_contact(call);
	store_placed(d, c);
	dcall_publish(c, "dialing", NULL, NULL);
}

/* --- what the calls say (the bus) ------------------------------------------------------ */

static struct dcall *find(struct dialer *d, const struct ev *ev)
{
	struct dtask *t = ev->task ? dialer_task(d, (unsigned)ev->task) : NULL;
	for (struct dcall *c = t ? t->calls : NULL; c; c = c->next)
		if (c->call == ev->subject)
			return c;
	return NULL;
}

/* The result of an attempt that reached no agent, from how it ended. */
static enum task_result result_of(const struct dcall *c, const char *cause)
{
	if (c->connected)
		return TASK_R_ANSWERED;
	if (c->answered)
		return TASK_R_ABANDONED;
	if (!cause)
		return TASK_R_FAILED;
	int r = task_result_parse(cause);
	if (r >= 0 && r != TASK_R_ANSWERED && r != TASK_R_ABANDONED)
		return (enum task_result)r;
	return TASK_R_FAILED;
}

static void ended(struct dialer *d, struct dcall *c, const struct ev *ev)
{
	struct dtask *t = c->task;
	long long now = core_now_ms();
	enum task_result r = result_of(c, ev->cause);
	if (c->connected)
		t->connected--;
	else if (c->answered)
		t->answered--;
	else {
		t->dialing--;
		if (c->ringing)
			t->ringing--;
	}
	if (r == TASK_R_ABANDONED) {
		t->abandoned++;
		pacer_abandoned(&t->pacer);
	} else if (!c->answered) {
		pacer_unanswered(&t->pacer);
	} else if (c->connected) {
		pacer_freed(&t->pacer, (unsigned)(now - c->t_connected), c->queue.wrapup_s * 1000);
	}
	struct task_target st = { .state = TASK_T_DIALING, .attempts = c->attempt };
	task_target_settle(&st, r, &t->retry, &t->hours, t->tz, now / 1000);
	c->settled = true;
	store_settle(d, c, r, &st, ev->cause, now);
	log_info("call %s: task %u target %llu attempt %u: %s -> %s", call_id(c->call), t->id,
		 c->target, c->attempt, task_result_name(r), task_target_state_name(st.state));
	dcall_publish(c, "ended", task_result_name(r), ev->cause);
	for (struct dcall **p = &t->calls; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	c->call = NULL;
	dialer_pace(d, t);
	dialer_drop_idle(d, t);
}

void dcall_on_event(const struct ev *ev, void *arg)
{
	struct dialer *d = arg;
	if (ev->type == EV_AGENT_STATE) {
		/* An agent freed: the tasks may start more. */
		if (ev->state && !strcmp(ev->state, "ready"))
			for (struct dtask *t = d->tasks; t; t = t->next)
				dialer_pace(d, t);
		return;
	}
	if (!ev->task)
		return;
	struct dcall *c = find(d, ev);
	if (!c)
		return;
	switch (ev->type) {
	case EV_CALL_ANSWERED:
		if (!c->connected && c->answered) {
			c->connected = true;
			c->t_connected = ev->ts ? ev->ts : core_now_ms();
			c->task->answered--;
			c->task->connected++;
			pacer_connected(&c->task->pacer);
			dcall_publish(c, "connected", NULL, NULL);
		}
		break;
	case EV_CALL_ENDED:
		ended(d, c, ev);
		break;
	default:
		break;
	}
}
