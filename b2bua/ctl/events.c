/* Events on the control socket: see events.h. */
#include "b2bua/ctl/events.h"

#include "b2bua/call/call.h"
#include "b2bua/call/cdr.h"
#include "b2bua/core/app.h"
#include "b2bua/ctl/ctl.h"
#include "b2bua/dir/dir.h"

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *ev_agent_json(const struct agent *a)
{
	json_t *groups = json_array();
	for (size_t i = 0; i < a->ngroups; i++)
		json_array_append_new(groups, json_integer(a->groups[i]));
	return json_pack("{s:s,s:s?,s:s?,s:s,s:o,s:I,s:b,s:o,s:o,s:o}",
			 "id", a->id, "name", a->name, "sip", a->sip,
			 "state", agent_state_name(a->sm.state), "reason", str_or_null(a->sm.reason),
			 "since", (json_int_t)a->since_ms, "registered", a->registered,
			 "call", a->call ? json_string(call_id(a->call)) : json_null(),
			 "pending", a->sm.pending >= 0
					    ? json_string(agent_state_name((enum agent_state)a->sm.pending))
					    : json_null(),
			 "groups", groups);
}

json_t *ev_call_json(const struct call *call)
{
	const struct leg *l = call->agent_leg;
	return json_pack("{s:s,s:s,s:s?,s:s?,s:I,s:o,s:o,s:I}", "id", call->id,
			 "state", call_state_name(call->state), "caller", call->caller_num,
			 "callee", call->callee, "group", (json_int_t)call->group_id,
			 "agent", l && l->agent ? json_string(l->agent->id) : json_null(),
			 "contact", str_or_null(call->contact_id), "started", (json_int_t)call->t_start);
}

json_t *ev_queue_json(struct app *app, const struct queue *q)
{
	const struct dir_group *g = dir_group(app->dir, q->group);
	long long now = app_now_ms(), oldest = 0;
	if (q->head)
		oldest = now - q->head->enq_ms;
	unsigned ready = 0, signed_in = 0;
	for (size_t i = 0; i < q->nmembers; i++) {
		const struct agent *a = q->members[i];
		if (a->sm.state != AGENT_LOGGED_OUT)
			signed_in++;
		if (agent_available(a, now))
			ready++;
	}
	return json_pack("{s:I,s:s,s:I,s:I,s:I,s:I}", "id", (json_int_t)q->group,
			 "name", g ? g->name : "", "waiting", (json_int_t)q->waiting,
			 "oldest_wait_ms", (json_int_t)oldest, "agents_ready", (json_int_t)ready,
			 "agents_signed_in", (json_int_t)signed_in);
}

static json_t *event(const char *name, long long ts)
{
	return json_pack("{s:s,s:I}", "event", name, "ts", (json_int_t)ts);
}

void ev_agent_state(struct app *app, const struct agent *a, enum agent_state prev)
{
	json_t *e = event("agent.state", app_now_ms());
	json_object_set_new(e, "agent", json_string(a->id));
	json_object_set_new(e, "state", json_string(agent_state_name(a->sm.state)));
	json_object_set_new(e, "prev", json_string(agent_state_name(prev)));
	json_object_set_new(e, "reason", str_or_null(a->sm.reason));
	json_object_set_new(e, "call", a->call ? json_string(call_id(a->call)) : json_null());
	json_object_set_new(e, "pending",
			    a->sm.pending >= 0 ? json_string(agent_state_name((enum agent_state)a->sm.pending))
					       : json_null());
	ctl_publish(app->ctl, CTL_AGENT, e);
}

void ev_agent_registration(struct app *app, const struct agent *a)
{
	json_t *e = event("agent.registration", app_now_ms());
	json_object_set_new(e, "agent", json_string(a->id));
	json_object_set_new(e, "registered", json_boolean(a->registered));
	ctl_publish(app->ctl, CTL_AGENT, e);
}

void ev_call_new(struct app *app, const struct call *call)
{
	json_t *e = event("call.new", call->t_start);
	json_object_set_new(e, "call", json_string(call->id));
	json_object_set_new(e, "direction", json_string("inbound"));
	json_object_set_new(e, "caller", json_string(call->caller_num));
	json_object_set_new(e, "callee", json_string(call->callee));
	ctl_publish(app->ctl, CTL_CALL, e);
}

void ev_call_queued(struct app *app, const struct call *call)
{
	json_t *e = event("call.queued", call->t_enqueue);
	json_object_set_new(e, "call", json_string(call->id));
	json_object_set_new(e, "group", json_integer(call->group_id));
	json_object_set_new(e, "caller", json_string(call->caller_num));
	ctl_publish(app->ctl, CTL_QUEUE, e);
}

static json_t *agent_call_event(const char *name, long long ts, const struct call *call,
				const struct agent *a)
{
	json_t *e = event(name, ts);
	json_object_set_new(e, "call", json_string(call->id));
	json_object_set_new(e, "agent", json_string(a->id));
	json_object_set_new(e, "group", json_integer(call->group_id));
	json_object_set_new(e, "caller", json_string(call->caller_num));
	json_object_set_new(e, "caller_norm", str_or_null(call->caller_norm));
	json_object_set_new(e, "contact", str_or_null(call->contact_id));
	json_object_set_new(e, "contact_name", str_or_null(call->contact_name));
	return e;
}

void ev_call_ringing(struct app *app, const struct call *call, const struct agent *a)
{
	ctl_publish(app->ctl, CTL_CALL, agent_call_event("call.ringing", app_now_ms(), call, a));
}

void ev_call_answered(struct app *app, const struct call *call, const struct agent *a, long long ts)
{
	ctl_publish(app->ctl, CTL_CALL, agent_call_event("call.answered", ts, call, a));
}

void ev_call_offer_failed(struct app *app, const struct call *call, const struct agent *a,
			  const char *reason)
{
	json_t *e = event("call.offer_failed", app_now_ms());
	json_object_set_new(e, "call", json_string(call->id));
	json_object_set_new(e, "agent", json_string(a->id));
	json_object_set_new(e, "reason", json_string(reason));
	ctl_publish(app->ctl, CTL_CALL, e);
}

void ev_call_ended(struct app *app, const struct call *call)
{
	json_t *e = event("call.ended", call->t_end);
	json_object_set_new(e, "call", json_string(call->id));
	json_object_set_new(e, "agent", str_or_null(call->agent_id));
	json_object_set_new(e, "result", json_string(cdr_result_name(call->result)));
	json_object_set_new(e, "hangup_side", json_string(cdr_side_name(call->side)));
	json_object_set_new(e, "cause", str_or_null(call->cause));
	ctl_publish(app->ctl, CTL_CALL, e);
}
