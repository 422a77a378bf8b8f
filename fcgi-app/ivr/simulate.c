/* POST /cc/api/admin/ivr/flows/{id}/simulate {document, events, now?,
 * auto_prompts?}: a test call through a draft (see simulate.h and
 * docs/ivr.md, "Test calls"). The document is read, checked (the graph:
 * its problems come back with the path) and compiled; a fresh call starts
 * at `now` (the server's clock when not given) and replays the events in
 * order. The ops record each node entered, the exit it left by, what it
 * played (audio names from cc_audio, or the spoken text) and what it did
 * instead of the telephone (enqueue, dial, ...). Nothing is saved. */
#include "simulate.h"

#include "../route.h"
#include "log.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The document's size limit, as a saved draft's. */
#define SIM_DOC_MAX (1024 * 1024)
/* Prompts finished for the caller after one event: more means a loop of
 * plays, which the steps limit also stops. */
#define SIM_AUTO_MAX 100

struct sim {
	const struct ivr_sim_env *env;
	json_t *steps;
	bool truncated;
};

/* The last step of node (in flow) not left yet: where an exit or an action
 * goes. */
static json_t *open_step(struct sim *s, unsigned flow, const char *node)
{
	for (size_t i = json_array_size(s->steps); i-- > 0;) {
		json_t *st = json_array_get(s->steps, i);
		if (json_is_null(json_object_get(st, "exit")) &&
		    json_integer_value(json_object_get(st, "flow")) == (json_int_t)flow &&
		    !strcmp(json_string_value(json_object_get(st, "node")), node))
			return st;
	}
	return NULL;
}

static json_t *last_step(struct sim *s)
{
	size_t n = json_array_size(s->steps);
	return n ? json_array_get(s->steps, n - 1) : NULL;
}

static void action(struct sim *s, const char *what, json_t *detail)
{
	json_t *st = last_step(s);
	if (st) {
		json_object_set_new(st, "action", json_string(what));
		if (detail)
			json_object_set(st, "detail", detail);
	}
	json_decref(detail);
}

static json_t *prompt_names(struct sim *s, const struct ivr_prompt *p, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		if (!p[i].audio) {
			json_array_append_new(a, json_string(p[i].text ? p[i].text : ""));
			continue;
		}
		const char *name = s->env->audio_name ? s->env->audio_name(s->env->arg, p[i].audio)
						      : NULL;
		char fallback[24];
		snprintf(fallback, sizeof fallback, "#%u", p[i].audio);
		json_array_append_new(a, json_string(name ? name : fallback));
	}
	return a;
}

static void add_prompts(struct sim *s, const struct ivr_prompt *p, size_t n)
{
	json_t *st = last_step(s);
	if (!st)
		return;
	json_t *have = json_object_get(st, "prompts"), *more = prompt_names(s, p, n);
	json_array_extend(have, more);
	json_decref(more);
}

static void op_play(void *arg, const struct ivr_prompt *p, size_t n, bool interruptible)
{
	struct sim *s = arg;
	add_prompts(s, p, n);
	action(s, "play", json_pack("{s:b}", "interruptible", interruptible));
}

static void op_http(void *arg, const struct ivr_http_req *r)
{
	json_t *h = json_object();
	for (size_t i = 0; i < r->nheaders; i++)
		json_object_set_new(h, r->headers[i].name, json_string(r->headers[i].value));
	action(arg, "http", json_pack("{s:s, s:s, s:o, s:s?, s:i}", "method", r->method, "url",
				      r->url, "headers", h, "body", r->body, "timeout_ms",
				      (json_int_t)r->timeout_ms));
}

static void op_enqueue(void *arg, const struct ivr_queue_req *q)
{
	json_t *att = json_object();
	for (size_t i = 0; i < q->nattached; i++)
		json_object_set_new(att, q->attached[i].name, json_string(q->attached[i].value));
	action(arg, "enqueue", json_pack("{s:i, s:i, s:i, s:b, s:o}", "group", (json_int_t)q->group,
					 "priority", (json_int_t)q->priority, "max_wait_s",
					 (json_int_t)q->max_wait_s, "familiar", q->familiar,
					 "attached", att));
}

static void op_agent(void *arg, const char *agent, bool after)
{
	(void)after;
	action(arg, "to_agent", json_pack("{s:s}", "agent", agent));
}

static void op_dial(void *arg, const char *number, const char *caller_id)
{
	action(arg, "dial", json_pack("{s:s, s:s?}", "number", number, "caller_id", caller_id));
}

static void op_record(void *arg, unsigned group, unsigned max_s, const struct ivr_prompt *p,
		      size_t n)
{
	struct sim *s = arg;
	add_prompts(s, p, n);
	action(s, "record", json_pack("{s:i, s:i}", "group", (json_int_t)group, "max_s",
				      (json_int_t)max_s));
}

static void op_survey(void *arg, char key)
{
	char k[2] = { key, '\0' };
	action(arg, "survey_result", json_pack("{s:s}", "key", k));
}

static void op_hangup(void *arg, const char *cause)
{
	action(arg, "hangup", json_pack("{s:s}", "cause", cause));
}

static void op_end(void *arg)
{
	action(arg, "end", NULL);
}

static void op_step(void *arg, const struct ivr_step *st)
{
	struct sim *s = arg;
	if (st->exit) {
		json_t *o = open_step(s, st->flow, st->node);
		if (o) {
			json_object_set_new(o, "exit", json_string(st->exit));
			json_object_set_new(o, "digits", st->digits ? json_string(st->digits) : json_null());
		}
		return;
	}
	if (json_array_size(s->steps) >= IVR_SIM_STEPS_MAX) {
		s->truncated = true;
		return;
	}
	json_array_append_new(s->steps,
			      json_pack("{s:i, s:s, s:s, s:n, s:[], s:n, s:n}", "flow",
					(json_int_t)st->flow, "node", st->node, "type",
					ivr_node_type_name(st->type), "exit", "prompts", "action",
					"digits"));
}

static struct ivr_prog *op_lookup(void *arg, unsigned flow_id)
{
	struct sim *s = arg;
	return s->env->lookup ? s->env->lookup(s->env->arg, flow_id) : NULL;
}

static const struct ivr_ops sim_ops = {
	.play = op_play, .http = op_http, .enqueue = op_enqueue, .to_agent = op_agent,
	.dial = op_dial, .record = op_record, .survey_result = op_survey, .hangup = op_hangup,
	.end = op_end, .step = op_step, .lookup = op_lookup,
};

/* One event of the request: 0, or -1 when it is not one. */
static int read_event(const json_t *j, struct ivr_event *ev, long long now)
{
	memset(ev, 0, sizeof *ev);
	ev->now = now;
	const char *type = json_string_value(json_object_get(j, "type"));
	const char *result = json_string_value(json_object_get(j, "result"));
	if (!type)
		return -1;
	if (!strcmp(type, "digit")) {
		const char *d = json_string_value(json_object_get(j, "digit"));
		if (!d || strlen(d) != 1 || !strchr("0123456789*#ABCD", d[0]))
			return -1;
		ev->type = IVR_EV_DIGIT;
		ev->digit = d[0];
	} else if (!strcmp(type, "timeout") || !strcmp(type, "timer")) {
		ev->type = IVR_EV_TIMER;
	} else if (!strcmp(type, "http")) {
		if (!result)
			return -1;
		if (!strcmp(result, "ok")) {
			json_t *st = json_object_get(j, "status");
			const char *body = json_string_value(json_object_get(j, "body"));
			ev->type = IVR_EV_HTTP_REPLY;
			ev->status = st ? (int)json_integer_value(st) : 200;
			ev->body = body ? body : "{}";
			ev->body_len = strlen(ev->body);
		} else if (!strcmp(result, "error")) {
			ev->type = IVR_EV_HTTP_ERROR;
		} else if (!strcmp(result, "timeout")) {
			ev->type = IVR_EV_HTTP_TIMEOUT;
		} else {
			return -1;
		}
	} else if (!strcmp(type, "queue") || !strcmp(type, "agent") || !strcmp(type, "dial")) {
		if (!result || (strcmp(result, "next") && strcmp(result, "after")))
			return -1;
		ev->type = strcmp(result, "next") ? IVR_EV_AFTER : IVR_EV_NEXT;
	} else if (!strcmp(type, "hangup")) {
		ev->type = IVR_EV_GONE;
	} else {
		int t = ivr_event_parse(type);	/* prompt_done, recorded, next, after, ... */
		if (t < 0 || t == IVR_EV_START || t == IVR_EV_DIGIT || t == IVR_EV_HTTP_REPLY)
			return -1;
		ev->type = (enum ivr_event_type)t;
	}
	return 0;
}

static json_t *problems_json(const struct ivr_problems *p)
{
	json_t *a = json_array();
	for (size_t i = 0; i < p->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:i, s:s}", "code", p->v[i].code,
						   "node", p->v[i].node, "line", p->v[i].line,
						   "detail", p->v[i].detail));
	return a;
}

/* Finishes the prompts the call waits for, when the client lets them. */
static void auto_finish(const struct ivr_sim_env *env, struct ivr_call *c, struct sim *s)
{
	struct ivr_event done = { .type = IVR_EV_PROMPT_DONE, .now = env->now };
	for (int i = 0; env->auto_prompts && i < SIM_AUTO_MAX && !s->truncated &&
			ivr_call_waiting(c) == IVR_WAIT_PROMPT;
	     i++)
		ivr_call_event(c, &done);
}

json_t *ivr_simulate(const struct ivr_sim_env *env, const char *doc, size_t len,
		     const json_t *events, const char **err)
{
	*err = NULL;
	size_t nev = json_array_size(events);
	if (!json_is_array(events) || nev > IVR_SIM_EVENTS_MAX) {
		*err = "bad_request";
		return NULL;
	}
	struct ivr_event *evs = calloc(nev + 1, sizeof *evs);
	if (!evs) {
		*err = "internal";
		return NULL;
	}
	for (size_t i = 0; i < nev; i++)
		if (read_event(json_array_get(events, i), &evs[i], env->now)) {
			free(evs);
			*err = "bad_request";
			return NULL;
		}
	struct ivr_problems p = { 0 };
	struct ivr_flow *f = NULL;
	struct ivr_prog *prog = NULL;
	struct ivr_call *c = NULL;
	struct sim s = { .env = env, .steps = json_array() };
	json_t *out = NULL;
	if (!ivr_parse(doc, len, env->schema, &f, &p)) {
		ivr_check(f, NULL, NULL, &p);
		if (ivr_prog_build(&prog, f, env->flow_id, env->zoneinfo, &p))
			prog = NULL;
	}
	if (prog && ivr_call_alloc(&c, prog, &sim_ops, &s)) {
		*err = "internal";
		goto out;
	}
	if (c) {
		/* What a real call sets: a test caller calling the flow. */
		char id[32];
		snprintf(id, sizeof id, "test-%u", env->flow_id);
		ivr_call_set(c, "caller", "10000000000");
		ivr_call_set(c, "callee", "4000000000");
		ivr_call_set(c, "call_id", id);
		ivr_call_set(c, "number_name", "test");
		ivr_call_set(c, "contact_id", "");
		ivr_call_set(c, "contact_name", "");
		struct ivr_event start = { .type = IVR_EV_START, .now = env->now };
		ivr_call_event(c, &start);
		auto_finish(env, c, &s);
		for (size_t i = 0; i < nev && !ivr_call_ended(c) && !s.truncated; i++) {
			ivr_call_event(c, &evs[i]);
			auto_finish(env, c, &s);
		}
	}
	enum ivr_wait w = c ? ivr_call_waiting(c) : IVR_WAIT_NONE;
	out = json_pack("{s:O, s:o, s:b, s:b, s:o}", "steps", s.steps, "waiting",
			w == IVR_WAIT_NONE ? json_null() : json_string(ivr_wait_name(w)), "ended",
			c && ivr_call_ended(c), "truncated", s.truncated, "problems",
			problems_json(&p));
	if (!out)
		*err = "internal";
out:
	ivr_call_free(c);
	ivr_prog_unref(prog);
	ivr_free(f);
	ivr_problems_free(&p);
	json_decref(s.steps);
	free(evs);
	return out;
}

/* --- the route ------------------------------------------------------------------------ */

struct names {
	struct req *r;
	unsigned id[64];
	const char *name[64];
	size_t n;
	struct ivr_prog *progs[IVR_DEPTH_MAX * 2];
	size_t nprogs;
	const char *schema;
};

static int first_col(void *arg, int ncol, char **vals, unsigned long *lens)
{
	(void)lens;
	const char **out = arg;
	*out = ncol > 0 && vals[0] ? vals[0] : NULL;
	return 1;
}

/* An audio file's name, looked up once per id. */
static const char *audio_name(void *arg, unsigned id)
{
	struct names *nm = arg;
	for (size_t i = 0; i < nm->n; i++)
		if (nm->id[i] == id)
			return nm->name[i];
	char name[256];
	int rc = db_query_value(nm->r->thr->db, name, sizeof name,
				"SELECT name FROM cc_audio WHERE id = ?", "i", (long long)id);
	const char *v = rc == 1 ? arena_strdup(nm->r->a, name) : NULL;
	if (nm->n < sizeof nm->id / sizeof *nm->id) {
		nm->id[nm->n] = id;
		nm->name[nm->n++] = v;
	}
	return v;
}

struct doc_row {
	struct arena *a;
	const char *doc;
	size_t len;
};

static int doc_row(void *arg, int ncol, char **vals, unsigned long *lens)
{
	struct doc_row *d = arg;
	if (ncol > 0 && vals[0]) {
		d->doc = arena_strndup(d->a, vals[0], lens[0]);
		d->len = lens[0];
	}
	return 1;
}

/* The published version of a sub-flow, compiled (kept until the request
 * ends). */
static struct ivr_prog *lookup(void *arg, unsigned flow_id)
{
	struct names *nm = arg;
	for (size_t i = 0; i < nm->nprogs; i++)
		if (ivr_prog_flow(nm->progs[i]) == flow_id)
			return ivr_prog_ref(nm->progs[i]);
	if (nm->nprogs == sizeof nm->progs / sizeof *nm->progs)
		return NULL;
	struct doc_row d = { .a = nm->r->a };
	if (db_query(nm->r->thr->db,
		     "SELECT v.document FROM cc_ivr_flow f JOIN cc_ivr_version v "
		     "ON v.flow_id = f.id AND v.version = f.published_version WHERE f.id = ?",
		     doc_row, &d, "i", (long long)flow_id) < 0 || !d.doc)
		return NULL;
	struct ivr_problems p = { 0 };
	struct ivr_flow *f = NULL;
	struct ivr_prog *prog = NULL;
	if (!ivr_parse(d.doc, d.len, nm->schema, &f, &p) &&
	    ivr_prog_build(&prog, f, flow_id, NULL, &p))
		prog = NULL;
	ivr_free(f);
	ivr_problems_free(&p);
	if (!prog)
		return NULL;
	nm->progs[nm->nprogs++] = prog;
	return ivr_prog_ref(prog);
}

/* ivr-flow.rng beside the manifest's schema (both in schemas/). */
static const char *schema_path(struct req *r)
{
	const char *m = r->web->conf.manifest_schema;
	const char *slash = strrchr(m, '/');
	return slash ? arena_printf(r->a, "%.*s/ivr-flow.rng", (int)(slash - m), m)
		     : "ivr-flow.rng";
}

const char *ivr_simulate_post(struct req *r)
{
	const char *id = r->route_id;
	if (!id || !*id || strspn(id, "0123456789") != strlen(id) || strlen(id) > 9)
		return "not_found";
	const char *exists = NULL;
	if (db_query(r->thr->db, "SELECT id FROM cc_ivr_flow WHERE id = ?", first_col, &exists,
		     "i", atoll(id)) < 0)
		return "db_unavailable";
	if (!exists)
		return "not_found";
	const char *doc = json_string_value(json_object_get(r->json, "document"));
	json_t *events = json_object_get(r->json, "events");
	json_t *now = json_object_get(r->json, "now");
	json_t *autop = json_object_get(r->json, "auto_prompts");
	if (!doc || strlen(doc) > SIM_DOC_MAX || (events && !json_is_array(events)) ||
	    (now && !json_is_integer(now)) || (autop && !json_is_boolean(autop)))
		return "bad_request";
	struct names nm = { .r = r, .schema = schema_path(r) };
	json_t *none = json_array();
	struct ivr_sim_env env = {
		.schema = nm.schema,
		.flow_id = (unsigned)atoll(id),
		.now = now ? (long long)json_integer_value(now) : web_wall_ms(),
		.auto_prompts = !autop || json_is_true(autop),
		.audio_name = audio_name,
		.lookup = lookup,
		.arg = &nm,
	};
	const char *err = NULL;
	json_t *out = ivr_simulate(&env, doc, strlen(doc), events ? events : none, &err);
	json_decref(none);
	for (size_t i = 0; i < nm.nprogs; i++)
		ivr_prog_unref(nm.progs[i]);
	if (!out)
		return err ? err : "internal";
	/* Each problem's message in the admin's language. */
	json_t *pr = json_object_get(out, "problems");
	for (size_t i = 0; i < json_array_size(pr); i++) {
		json_t *o = json_array_get(pr, i);
		json_object_set_new(o, "message",
				    json_string(web_t(r, json_string_value(json_object_get(o, "code")))));
	}
	json_object_set_new(out, "ok", json_true());
	return resp_json(r, 200, out);
}
