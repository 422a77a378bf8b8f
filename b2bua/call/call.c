/* The call object: its memory and references, its timers, publishing, and
 * the verbs controllers drive it with. See call.h. */
#include "b2bua/call/call_priv.h"

#include "b2bua/core/bus.h"
#include "b2bua/core/core.h"
#include "b2bua/core/tmr.h"
#include "log.h"

#include <string.h>

#define RESULT_NAME(name, str) str,
static const char *const result_names[] = { NULL, CALL_RESULTS(RESULT_NAME) };
#undef RESULT_NAME
#define SIDE_NAME(name, str) str,
static const char *const side_names[] = { NULL, HANGUP_SIDES(SIDE_NAME) };
#undef SIDE_NAME

const char *call_result_name(enum call_result r)
{
	return r > RESULT_NONE && r <= RESULT_FAILED ? result_names[r] : "none";
}

const char *call_side_name(enum hangup_side s)
{
	return s > SIDE_NONE && s <= SIDE_EXTERNAL ? side_names[s] : "none";
}

struct call *call_ref(struct call *call)
{
	return su_home_ref(call->home);
}

void call_unref(struct call *call)
{
	su_home_unref(call->home);
}

const char *call_id(const struct call *call)
{
	return call->id;
}

const char *call_caller(const struct call *call)
{
	return call->caller_num;
}

/* Small pieces that live as long as the call (ids, numbers, names, file
 * paths, the event log's strings) come from chunks of the call's home, so
 * that the home tracks one block per chunk instead of one per string: a
 * home's table of blocks grows by doubling with their number, and that
 * table was a good part of a call's memory. Larger pieces (SDP bodies) are
 * blocks of their own. */
#define CALL_CHUNK 512
#define CALL_SMALL 64

void *call_mem(struct call *call, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if (n > CALL_SMALL)
		return su_zalloc(call->home, n);
	if (call->chunk_left < n) {
		char *c = su_zalloc(call->home, CALL_CHUNK);
		if (!c)
			return NULL;
		call->chunk = c;
		call->chunk_left = CALL_CHUNK;
	}
	void *p = call->chunk;
	call->chunk += n;
	call->chunk_left -= n;
	return p;
}

char *call_strndup(struct call *call, const char *s, size_t len)
{
	if (!s)
		return NULL;
	char *d = call_mem(call, len + 1);
	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

char *call_strdup(struct call *call, const char *s)
{
	return s ? call_strndup(call, s, strlen(s)) : NULL;
}

void call_set_number(struct call *call, unsigned number_id, unsigned group_id)
{
	call->number_id = number_id;
	call->group_id = group_id;
}

void call_set_controller(struct call *call, const struct call_ctrl *ctrl, void *state)
{
	call->ctrl = ctrl;
	call->ctrl_state = state;
}

void call_publish(struct call *call, struct ev *ev)
{
	ev->call = call->id;
	ev->subject = call;
	ev->task = call->task_id;
	ev->target = (long long)call->target_id;
	bus_publish(call->env->core->bus, ev);
}

void call_publish_pop(struct call *call, enum ev_type type, const char *agent, long long ts)
{
	struct ev e = {
		.type = type, .ts = ts, .agent = agent, .group = call->group_id,
		.caller = call->caller_num, .caller_norm = call->caller_norm,
		.contact = call->contact_id, .contact_name = call->contact_name,
		.data = call->attached, .transfers = call->transfers,
	};
	call_publish(call, &e);
}

void call_raise(struct call *call, enum call_event ev, const char *text)
{
	struct cev_arg a = { .text = text };
	call_event(call, ev, &a);
}

/* --- timers ------------------------------------------------------------------------ */

/* What each timer raises when it is up. */
static const enum call_event timer_event[TMR_COUNT] = {
	[TMR_PROMPT] = CEV_PROMPT_DONE, [TMR_MOH] = CEV_MOH_DUE, [TMR_MAX_WAIT] = CEV_MAX_WAIT,
	[TMR_RING] = CEV_RING_TIMEOUT, [TMR_LIMIT] = CEV_TOO_LONG, [TMR_FLOW] = CEV_FLOW_TIMER,
	[TMR_ANNOUNCE] = CEV_ANNOUNCE_DUE, [TMR_DTMF] = CEV_DTMF_TONE,
};

static void timer_due(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct call *call = arg;
	(void)magic;
	for (unsigned i = 0; i < TMR_COUNT; i++)
		if (call->timers[i] == t) {
			call_ref(call);
			call_event(call, timer_event[i], NULL);
			/* A timer not armed again goes: a call keeps only the
			 * timers that run (a one-shot timer may be destroyed in
			 * its own callback: sofia-sip no longer touches it). */
			if (call->timers[i] == t && !su_timer_is_set(t))
				tmr_free(&call->timers[i]);
			call_unref(call);
			return;
		}
}

void call_timer_set(struct call *call, enum call_timer t, long ms)
{
	if (tmr_once(call->env->core->root, &call->timers[t], ms, timer_due, call))
		log_err("call %s: no timer (out of memory)", call->id);
}

void call_timer_stop(struct call *call, enum call_timer t)
{
	tmr_free(&call->timers[t]);
}

/* --- the verbs --------------------------------------------------------------------- */

void call_play(struct call *call, const char *file)
{
	call_raise(call, CEV_PLAY, file);
}

void call_after(struct call *call, bool back)
{
	call->after = back;
}

void call_prefer_agent(struct call *call, const char *agent)
{
	if (!call->dedicated && agent && *agent)
		call->dedicated = call_strdup(call, agent);
}

bool call_contact_pending(const struct call *call)
{
	return call->looking_up;
}

const char *call_caller_norm(const struct call *call)
{
	return call->caller_norm ? call->caller_norm : "";
}

void call_attach(struct call *call, const char *json)
{
	call->attached = json ? call_strdup(call, json) : NULL;
}

void call_set_task(struct call *call, unsigned task, unsigned long long target)
{
	call->task_id = task;
	call->target_id = target;
}

void call_set_contact(struct call *call, const char *id, const char *name)
{
	if (!id || !*id)
		return;
	struct cev_arg a = { .text = call_strdup(call, id), .name = call_strdup(call, name) };
	call_event(call, CEV_CONTACT, &a);
}

void call_survey(struct call *call, char key)
{
	call->survey = key;
}

void call_stop_prompt(struct call *call)
{
	call_event(call, CEV_STOP_PROMPT, NULL);
}

void call_timer_cancel(struct call *call)
{
	call_timer_stop(call, TMR_FLOW);
}

void call_note_step(struct call *call, unsigned flow, const char *node, const char *exit,
		    const char *digits)
{
	struct ev e = { .type = EV_CALL_IVR, .flow = flow, .node = node, .exit = exit,
			.digits = digits };
	call_publish(call, &e);
}

void call_enqueue(struct call *call, const struct call_queue *q)
{
	struct cev_arg a = { .queue = q };
	call_event(call, CEV_ENQUEUE, &a);
}

void call_dial(struct call *call, const char *number, const char *caller_id)
{
	struct cev_arg a = { .text = call_strdup(call, number ? number : ""),
			     .name = call_strdup(call, caller_id) };
	call_event(call, CEV_DIAL, &a);
}

void call_hangup(struct call *call, enum call_result result, const char *cause)
{
	struct cev_arg a = { .result = (unsigned char)result, .text = cause };
	call_event(call, CEV_HANGUP, &a);
}

void call_timer(struct call *call, long ms)
{
	call_timer_set(call, TMR_FLOW, ms);
}
