/* The control socket's commands: one table, one function each. They read
 * agents, queues and calls through the modules' read-only views. */
#include "b2bua/ctl/ctl.h"

#include "b2bua/acd/acd.h"
#include "b2bua/call/call.h"
#include "b2bua/core/core.h"
#include "b2bua/db/dbq.h"
#include "b2bua/dialer/dialer.h"
#include "b2bua/dir/dir.h"
#include "b2bua/flow/flow.h"
#include "b2bua/lookup/contact.h"
#include "b2bua/media/rtpe.h"
#include "b2bua/sip/sip.h"
#include "event.h"

#include <string.h>

#define CC_VERSION "0.1.0"

/* code, message */
#define CTL_ERRORS(X)                                                   \
	X("bad_request", "malformed request or arguments")              \
	X("bad_secret", "wrong secret")                                 \
	X("locked_out", "too many wrong secrets from this address; try again later") \
	X("not_authenticated", "send auth first")                       \
	X("unknown_command", "no such command")                         \
	X("unknown_agent", "no such agent")                             \
	X("elsewhere", "another node holds the agent: ask that node (`node`)") \
	X("db_unavailable", "the database did not answer")              \
	X("not_ready", "the B2BUA has not loaded its directory yet")  \
	X("not_signed_in", "the agent is not signed in")                \
	X("on_break", "the agent is on a break (not ready)")            \
	X("busy", "the agent is on a call or in wrap-up")               \
	X("bad_number", "not a number that can be dialed")              \
	X("no_outbound_number", "no outbound number is bound to the agent's skill groups") \
	X("overloaded", "too many calls, or the media server is behind") \
	X("not_talking", "the agent is not talking on a call of this node") \
	X("on_hold", "the call is on hold already")                      \
	X("not_on_hold", "the call is not on hold")                       \
	X("muted", "the agent is muted already")                          \
	X("not_muted", "the agent is not muted")                          \
	X("not_transferable", "an agent's own outbound call cannot be transferred") \
	X("same_agent", "the agent cannot transfer a call to itself")   \
	X("agent_unavailable", "the agent named is signed out or its phone is not registered") \
	X("unknown_group", "no such skill group")                          \
	X("unknown_flow", "no such published IVR flow")                   \
	X("bad_keys", "keys are 1 to 32 of 0-9, *, #, A-D")              \
	X("consulting", "a consultation is under way already")            \
	X("agent_busy", "the agent named is on a call or in wrap-up")     \
	X("agent_on_break", "the agent named is on a break")              \
	X("not_consulting", "no consultation is under way")               \
	X("not_answered", "the consulted agent has not answered yet")     \
	X("out_of_memory", "out of memory")                             \
	X("recording_not_allowed", "the recording policy of the call's group or task does not allow it") \
	X("not_recording", "the call is not being recorded")                   \
	X("unknown_call", "no such call") \
	X("not_bridged", "the call has no agent talking to the caller") \
	X("monitored", "a supervisor is listening to the call already") \
	X("not_supported", "the media server cannot mix: only listen (docs/supervisor.md)")

const char *ctl_error_message(const char *code)
{
#define MSG(c, m) if (!strcmp(code, c)) return m;
	CTL_ERRORS(MSG)
#undef MSG
	return code;
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *agent_json(const struct agent *a)
{
	struct agent_view v;
	acd_agent_view(a, &v);
	json_t *groups = json_array();
	for (size_t i = 0; i < v.ngroups; i++)
		json_array_append_new(groups, json_integer(v.groups[i]));
	return json_pack("{s:s,s:s?,s:s?,s:s,s:o,s:I,s:b,s:o,s:o,s:o,s:I}",
			 "id", v.id, "name", v.name, "sip", v.sip,
			 "state", agent_state_name(v.state), "reason", str_or_null(v.reason),
			 "since", (json_int_t)v.since_ms, "registered", v.registered,
			 "call", str_or_null(v.call),
			 "pending", v.pending >= 0 ? json_string(agent_state_name((enum agent_state)v.pending))
						   : json_null(),
			 "groups", groups, "ver", (json_int_t)acd_agent_ver(a));
}

static json_t *call_json(const struct call *call)
{
	struct call_view v;
	call_view(call, &v);
	return json_pack("{s:s,s:s,s:s?,s:s?,s:I,s:o,s:o,s:I,s:b,s:b}", "id", v.id, "state", v.state,
			 "caller", v.caller, "callee", v.callee, "group", (json_int_t)v.group,
			 "agent", str_or_null(v.agent), "contact", str_or_null(v.contact),
			 "started", (json_int_t)v.started_ms, "held", v.held, "muted", v.muted);
}

static json_t *queue_json(const struct ctl_deps *d, const struct queue *q, long long now)
{
	struct queue_view v;
	acd_queue_view(q, now, &v);
	const struct dir_group *g = dir_group(dir_loader_current(d->dir), v.group);
	return json_pack("{s:I,s:s,s:I,s:I,s:I,s:I}", "id", (json_int_t)v.group,
			 "name", g ? g->name : "", "waiting", (json_int_t)v.waiting,
			 "oldest_wait_ms", (json_int_t)(v.oldest_enq_ms ? now - v.oldest_enq_ms : 0),
			 "agents_ready", (json_int_t)v.agents_ready,
			 "agents_signed_in", (json_int_t)v.agents_signed_in);
}

static const char *cmd_ping(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
			    json_t *reply)
{
	(void)req;
	json_object_set_new(reply, "node", json_string(ctl_node(c)));
	json_object_set_new(reply, "version", json_string(CC_VERSION));
	json_object_set_new(reply, "uptime_s", json_integer((core_now_ms() - d->started_ms) / 1000));
	json_object_set_new(reply, "calls", json_integer(calls_count(d->calls)));
	json_object_set_new(reply, "call_objects", json_integer(calls_objects(d->calls)));
	json_object_set_new(reply, "ready", json_boolean(dir_loader_current(d->dir) != NULL));
	json_object_set_new(reply, "ng_waiting", json_integer(rtpe_set_waiting(d->rtpes)));
	json_object_set_new(reply, "ng_lagging", json_integer(rtpe_set_lagging(d->rtpes)));
	json_t *rtpes = json_array();
	struct rtpe_view rv;
	for (unsigned i = 0; !rtpe_set_view(d->rtpes, i, &rv); i++)
		json_array_append_new(rtpes, json_pack("{s:s,s:b,s:I,s:I,s:I,s:o}", "address", rv.addr,
						       "up", rv.up, "calls", (json_int_t)rv.calls,
						       "ng_waiting", (json_int_t)rv.waiting,
						       "ng_lagging", (json_int_t)rv.lagging,
						       "dtmf", rv.dtmf < 0 ? json_null()
									   : json_boolean(rv.dtmf)));
	json_object_set_new(reply, "rtpengines", rtpes);
	json_object_set_new(reply, "dir_loaded", json_integer(dir_loader_ticket(d->dir)));
	json_object_set_new(reply, "sip_refused", json_integer((json_int_t)sip_refused(d->sip)));
	if (d->dbq) {
		struct dbq_stats st;
		dbq_get_stats(d->dbq, &st);
		json_object_set_new(reply, "db", json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
			"submitted", (json_int_t)st.submitted, "done", (json_int_t)st.done,
			"waiting", (json_int_t)st.waiting, "failed", (json_int_t)st.failed,
			"retried", (json_int_t)st.retried, "conflicts", (json_int_t)st.conflicts,
			"dropped", (json_int_t)st.dropped, "merged", (json_int_t)st.merged));
	}
	return NULL;
}

static const char *cmd_subscribe(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
				 json_t *reply)
{
	(void)d;
	(void)reply;
	json_t *list = json_object_get(req, "events");
	if (!json_is_array(list))
		return "bad_request";
	unsigned classes = 0;
	unsigned long long events = 0;
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		const char *s = json_string_value(v);
		int cls = ev_class_by_name(s), type = ev_type_by_name(s);
		if (s && !strcmp(s, "all"))
			classes |= EV_CLASS_ALL;
		else if (cls >= 0)
			classes |= EV_CLASS_BIT(cls);
		else if (type >= 0)
			events |= 1ull << type;
		else
			return "bad_request";
	}
	ctl_client_subscribe(c, classes, events);
	return NULL;
}

static struct agent *find_agent(const struct ctl_deps *d, json_t *req)
{
	const char *id = json_string_value(json_object_get(req, "agent"));
	struct agent *a = id ? acd_agent(d->acd, id) : NULL;
	return a && agent_present(a) ? a : NULL;
}

static const char *cmd_agent_get(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
				 json_t *reply)
{
	(void)c;
	struct agent *a = find_agent(d, req);
	if (!a)
		return "unknown_agent";
	json_object_set_new(reply, "agent", agent_json(a));
	return NULL;
}

static const char *cmd_agent_state(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
				   json_t *reply)
{
	(void)c;
	struct agent *a = find_agent(d, req);
	if (!a)
		return "unknown_agent";
	int want = agent_state_parse(json_string_value(json_object_get(req, "state")));
	const char *reason = json_string_value(json_object_get(req, "reason"));
	if (want != AGENT_READY && want != AGENT_NOT_READY && want != AGENT_LOGGED_OUT)
		return "bad_request";
	if (reason && strlen(reason) > AGENT_REASON_MAX)
		return "bad_request";
	if (want == AGENT_NOT_READY && (!reason || !*reason))
		reason = "break";
	/* Another live node holds the agent (a call there, or its last
	 * request): that node applies requests, so that a break asked during a
	 * call waits for the call's end there (docs/cluster.md). */
	const char *at = acd_agent_elsewhere(d->acd, a);
	if (at) {
		json_object_set_new(reply, "node", json_string(at));
		return "elsewhere";
	}
	const char *err = acd_agent_request(d->acd, a, (enum agent_state)want, reason);
	if (err)
		return err;
	json_object_set_new(reply, "agent", agent_json(a));
	return NULL;
}

static const char *cmd_agent_list(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
				  json_t *reply)
{
	(void)c;
	(void)req;
	json_t *list = json_array();
	for (size_t i = 0; i < acd_agent_count(d->acd); i++) {
		struct agent *a = acd_agent_at(d->acd, i);
		if (agent_present(a))
			json_array_append_new(list, agent_json(a));
	}
	json_object_set_new(reply, "agents", list);
	return NULL;
}

static const char *cmd_call_list(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
				 json_t *reply)
{
	(void)c;
	(void)req;
	json_t *list = json_array();
	for (const struct call *call = calls_first(d->calls); call; call = calls_next(call))
		json_array_append_new(list, call_json(call));
	json_object_set_new(reply, "calls", list);
	return NULL;
}

static const char *cmd_queue_list(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
				  json_t *reply)
{
	(void)c;
	(void)req;
	long long now = core_now_ms();
	json_t *list = json_array();
	for (size_t i = 0; i < acd_queue_count(d->acd); i++)
		json_array_append_new(list, queue_json(d, acd_queue_at(d->acd, i), now));
	json_object_set_new(reply, "queues", list);
	return NULL;
}

static const char *cmd_task_list(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
				 json_t *reply)
{
	(void)c;
	(void)req;
	json_t *list = json_array();
	struct dialer_task_view v;
	for (size_t i = 0; d->dialer && dialer_task_view(d->dialer, i, &v); i++) {
		unsigned long live = v.live ? v.live : 1;
		json_array_append_new(
			list,
			json_pack("{s:I,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:f,s:b}",
				  "id", (json_int_t)v.id,
				  "state", v.running ? "running" : "stopped",
				  "group", (json_int_t)v.group, "dialing", (json_int_t)v.dialing,
				  "ringing", (json_int_t)v.ringing, "answered", (json_int_t)v.answered,
				  "connected", (json_int_t)v.connected,
				  "concurrency", (json_int_t)(v.dialing + v.answered + v.connected),
				  "max_concurrency", (json_int_t)v.max_concurrency,
				  "limit", (json_int_t)v.limit,
				  "agents_available", (json_int_t)v.agents_available,
				  "placed", (json_int_t)v.placed, "abandoned", (json_int_t)v.abandoned,
				  "live", (json_int_t)v.live,
				  "abandon_rate", v.live ? (double)v.abandoned / (double)live : 0.0,
				  "hours_open", v.hours_open));
	}
	json_object_set_new(reply, "tasks", list);
	return NULL;
}

static const char *cmd_task_wake(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
				 json_t *reply)
{
	(void)c;
	(void)req;
	(void)reply;
	if (d->dialer)
		dialer_wake(d->dialer);
	return NULL;
}

static const char *cmd_reload(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
			      json_t *reply)
{
	(void)c;
	(void)req;
	/* The reload runs on a worker; the reply says it started and gives its
	 * ticket: once `ping` reports dir_loaded at or past it, the snapshot
	 * in force was read after this request. The counts are those in force
	 * now. */
	unsigned ticket = dir_loader_request(d->dir, NULL, NULL);
	if (!ticket)
		return "db_unavailable";
	const struct dir *dir = dir_loader_current(d->dir);
	json_object_set_new(reply, "ticket", json_integer(ticket));
	json_object_set_new(reply, "agents", json_integer((json_int_t)dir_agent_count(dir)));
	json_object_set_new(reply, "groups", json_integer((json_int_t)dir_group_count(dir)));
	json_object_set_new(reply, "numbers", json_integer((json_int_t)dir_number_count(dir)));
	return NULL;
}

/* --- the caller lookup's kept answers (docs/lookup.md) ------------------------ */

/* The most numbers one contact.changed names (a contact has one per phone
 * column of the manifest). */
#define CONTACT_CHANGED_PHONES 64

/* A contact was saved, deleted or rebound, or numbers may have another
 * contact now: their kept answers go, so the next call asks the database.
 * {contact: id} and/or {phones: [numbers]} (any written form), or
 * {all: true}. */
static const char *cmd_contact_changed(const struct ctl_deps *d, struct ctl_client *c,
				       json_t *req, json_t *reply)
{
	(void)c;
	json_t *id = json_object_get(req, "contact"), *phones = json_object_get(req, "phones");
	json_t *all = json_object_get(req, "all");
	if ((id && (!json_is_string(id) || !json_string_length(id) ||
		    json_string_length(id) > 64)) ||
	    (phones && (!json_is_array(phones) ||
			json_array_size(phones) > CONTACT_CHANGED_PHONES)) ||
	    (all && !json_is_boolean(all)) || (!id && !phones && !json_is_true(all)))
		return "bad_request";
	size_t i;
	json_t *v;
	json_array_foreach(phones, i, v)
		if (!json_is_string(v) || json_string_length(v) > 64)
			return "bad_request";
	if (!d->lookup)
		return "not_ready";
	size_t n = 0;
	if (json_is_true(all))
		n = lookup_forget_all(d->lookup);
	if (id)
		n += lookup_forget_contact(d->lookup, json_string_value(id));
	json_array_foreach(phones, i, v)
		n += lookup_forget_number(d->lookup, json_string_value(v));
	json_object_set_new(reply, "forgotten", json_integer((json_int_t)n));
	return NULL;
}

/* The phone index's sync now (the helpdesk changed contacts): the reply's
 * ticket is reached in contact.stats' synced once a run that started after
 * this request is over. */
static const char *cmd_contact_sync(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
				    json_t *reply)
{
	(void)c;
	(void)req;
	unsigned ticket = d->lookup ? lookup_sync_now(d->lookup) : 0;
	if (!ticket)
		return "not_ready";
	json_object_set_new(reply, "ticket", json_integer(ticket));
	return NULL;
}

static const char *cmd_contact_stats(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
				     json_t *reply)
{
	(void)c;
	(void)req;
	if (!d->lookup)
		return "not_ready";
	struct lookup_stats st;
	lookup_get_stats(d->lookup, &st);
	json_t *j = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
			      "entries", (json_int_t)st.entries, "bytes", (json_int_t)st.bytes,
			      "max_entries", (json_int_t)st.max_entries,
			      "max_bytes", (json_int_t)st.max_bytes, "hits", (json_int_t)st.hits,
			      "misses", (json_int_t)st.misses, "queries", (json_int_t)st.queries,
			      "stored", (json_int_t)st.stored, "forgotten", (json_int_t)st.forgotten,
			      "evicted", (json_int_t)st.evicted, "expired", (json_int_t)st.expired,
			      "uncached", (json_int_t)st.uncached, "synced", (json_int_t)st.synced);
	if (!j)
		return "out_of_memory";
	json_object_update(reply, j);
	json_decref(j);
	return NULL;
}

/* Click-to-dial: the agent's phone rings first, then the customer. */
static const char *cmd_call_dial(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
				 json_t *reply)
{
	(void)c;
	const char *agent = json_string_value(json_object_get(req, "agent"));
	const char *number = json_string_value(json_object_get(req, "number"));
	if (!agent || !number)
		return "bad_request";
	if (!dir_loader_current(d->dir) || !d->router)
		return "not_ready";
	if (!find_agent(d, req))
		return "unknown_agent";
	char id[40];
	const char *err = manual_dial(d->router, d->calls, agent, number, d->sip_domain, id,
				      sizeof id);
	if (err)
		return err;
	json_object_set_new(reply, "call", json_string(id));
	return NULL;
}

/* The call the request's agent talks on, or NULL (*err says why). */
static struct call *talking_call(const struct ctl_deps *d, json_t *req, const char **err)
{
	struct agent *a = find_agent(d, req);
	if (!a) {
		*err = "unknown_agent";
		return NULL;
	}
	struct agent_view v;
	acd_agent_view(a, &v);
	struct call *call = calls_find(d->calls, v.call);
	if (!call || !call_talking_agent(call, v.id)) {
		*err = "not_talking";
		return NULL;
	}
	return call;
}

/* The in-call verbs: {"agent": id} acts on the call the agent talks on. */
#define INCALL_VERBS(X)                                                 \
	X(cmd_call_hold, call_hold(call, true, "workbench"))              \
	X(cmd_call_resume, call_hold(call, false, "workbench"))           \
	X(cmd_call_mute, call_mute(call, true))                           \
	X(cmd_call_unmute, call_mute(call, false))                        \
	X(cmd_call_hangup, call_drop(call))

#define INCALL_FN(name, verb)                                                              \
	static const char *name(const struct ctl_deps *d, struct ctl_client *c, json_t *req, \
				json_t *reply)                                             \
	{                                                                                  \
		(void)c;                                                                   \
		const char *err = NULL;                                                    \
		struct call *call = talking_call(d, req, &err);                            \
		if (!call)                                                                 \
			return err;                                                        \
		json_object_set_new(reply, "call", json_string(call_id(call)));           \
		return verb;                                                               \
	}
INCALL_VERBS(INCALL_FN)
#undef INCALL_FN

/* Keys to the far end: {"agent": id, "digits": "1#"}. */
static const char *cmd_call_dtmf(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
				 json_t *reply)
{
	(void)c;
	const char *err = NULL;
	const char *keys = json_string_value(json_object_get(req, "digits"));
	struct call *call = talking_call(d, req, &err);
	if (!call)
		return err;
	json_object_set_new(reply, "call", json_string(call_id(call)));
	return call_send_dtmf(call, keys);
}

/* Consult: {"agent": id, "to": "agent:<id>"}: the agent named must be
 * signed in, ready, with its phone registered. */
static const char *cmd_call_consult(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
				    json_t *reply)
{
	(void)c;
	const char *to = json_string_value(json_object_get(req, "to"));
	const char *err = NULL;
	if (!to || strncmp(to, "agent:", 6) || strlen(to) > 80)
		return "bad_request";
	struct call *call = talking_call(d, req, &err);
	if (!call)
		return err;
	struct agent *t = acd_agent(d->acd, to + 6);
	struct agent_view v;
	if (!t || !agent_present(t))
		return "agent_unavailable";
	acd_agent_view(t, &v);
	if (!v.registered || !v.sip)
		return "agent_unavailable";
	json_object_set_new(reply, "call", json_string(call_id(call)));
	/* The ACD's reasons are about the agent consulted, not the one asking. */
	err = call_consult(call, t, v.id, v.sip);
	if (err && !strcmp(err, "busy"))
		return "agent_busy";
	if (err && !strcmp(err, "on_break"))
		return "agent_on_break";
	if (err && !strcmp(err, "not_signed_in"))
		return "agent_unavailable";
	return err;
}

/* The consultation ends: {"agent": id}. */
#define CONSULT_ENDS(X) X(cmd_call_consult_complete, true) X(cmd_call_consult_cancel, false)
#define CONSULT_END_FN(name, complete)                                                      \
	static const char *name(const struct ctl_deps *d, struct ctl_client *c, json_t *req, \
				json_t *reply)                                             \
	{                                                                                  \
		(void)c;                                                                   \
		const char *err = NULL;                                                    \
		struct call *call = talking_call(d, req, &err);                            \
		if (!call)                                                                 \
			return err;                                                        \
		json_object_set_new(reply, "call", json_string(call_id(call)));           \
		return call_consult_end(call, complete);                                   \
	}
CONSULT_ENDS(CONSULT_END_FN)
#undef CONSULT_END_FN

/* Blind transfer: {"agent": id, "to": "agent:<id>" | "group:<id>" |
 * "flow:<id>" | "number:<digits>"}. An agent taking it must be signed in
 * with its phone registered (it may be busy: the caller waits for it). */
static const char *cmd_call_transfer(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
				     json_t *reply)
{
	(void)c;
	const char *to = json_string_value(json_object_get(req, "to"));
	const char *err = NULL;
	if (!to || strlen(to) > 80)
		return "bad_request";
	if (!d->router)
		return "not_ready";
	struct call *call = talking_call(d, req, &err);
	if (!call)
		return err;
	if (!strncmp(to, "agent:", 6)) {
		struct agent *t = acd_agent(d->acd, to + 6);
		struct agent_view v;
		if (!t || !agent_present(t))
			return "agent_unavailable";
		acd_agent_view(t, &v);
		if (call_talking_agent(call, v.id))
			return "same_agent";
		if (v.state == AGENT_LOGGED_OUT || !v.registered)
			return "agent_unavailable";
	}
	err = flow_transfer(d->router, call, to, "workbench");
	if (err && !strcmp(err, "unknown_agent"))
		err = "agent_unavailable";	/* the target: the caller's agent was found */
	if (!err)
		json_object_set_new(reply, "call", json_string(call_id(call)));
	return err;
}

/* The agent's recording: start, stop, pause, resume (docs/recording.md). */
static const char *cmd_call_record(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
				   json_t *reply)
{
	(void)c;
	const char *op = json_string_value(json_object_get(req, "op"));
	const char *err = NULL, *state;
	if (!op)
		return "bad_request";
	struct call *call = talking_call(d, req, &err);
	if (!call)
		return err;
	if ((err = call_record_op(call, op, &state)))
		return err;
	json_object_set_new(reply, "call", json_string(call_id(call)));
	json_object_set_new(reply, "recording", json_string(state));
	return NULL;
}

/* A supervisor's phone listens to a bridged call: {"call", "sip": the
 * supervisor's SIP user, "mode": "listen" (default)}. */
static const char *cmd_call_monitor(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
				    json_t *reply)
{
	(void)c;
	const char *call = json_string_value(json_object_get(req, "call"));
	const char *sip = json_string_value(json_object_get(req, "sip"));
	json_t *m = json_object_get(req, "mode");
	const char *mode = json_string_value(m);
	if (!call || !sip || (m && !mode))
		return "bad_request";
	if (!d->calls)
		return "not_ready";
	const char *tag = NULL;
	const char *err = call_monitor(d->calls, call, sip, mode, &tag);
	if (err)
		return err;
	json_object_set_new(reply, "call", json_string(call));
	json_object_set_new(reply, "monitor", json_string(tag));
	return NULL;
}

/* name, handler */
#define CTL_COMMANDS(X)                         \
	X("ping", cmd_ping)                     \
	X("subscribe", cmd_subscribe)           \
	X("agent.state", cmd_agent_state)       \
	X("agent.get", cmd_agent_get)           \
	X("agent.list", cmd_agent_list)         \
	X("call.list", cmd_call_list)           \
	X("call.dial", cmd_call_dial)           \
	X("call.hold", cmd_call_hold)           \
	X("call.resume", cmd_call_resume)       \
	X("call.mute", cmd_call_mute)           \
	X("call.unmute", cmd_call_unmute)       \
	X("call.hangup", cmd_call_hangup)       \
	X("call.dtmf", cmd_call_dtmf)           \
	X("call.transfer", cmd_call_transfer)   \
	X("call.consult", cmd_call_consult)     \
	X("call.consult_complete", cmd_call_consult_complete) \
	X("call.consult_cancel", cmd_call_consult_cancel) \
	X("call.record", cmd_call_record)       \
	X("call.monitor", cmd_call_monitor)     \
	X("queue.list", cmd_queue_list)         \
	X("task.list", cmd_task_list)           \
	X("task.wake", cmd_task_wake)           \
	X("contact.changed", cmd_contact_changed) \
	X("contact.sync", cmd_contact_sync)     \
	X("contact.stats", cmd_contact_stats)   \
	X("reload", cmd_reload)

static const struct {
	const char *name;
	ctl_cmd_h *h;
} commands[] = {
#define ROW(n, h) { n, h },
	CTL_COMMANDS(ROW)
#undef ROW
};

ctl_cmd_h *ctl_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (!strcmp(commands[i].name, name))
			return commands[i].h;
	return NULL;
}
