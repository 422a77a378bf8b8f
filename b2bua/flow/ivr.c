/* A published IVR flow as a call's controller: the interpreter of
 * common/ivr_run.h stepped by the call's signals, its ops done with the
 * call's verbs. What the interpreter asks for is done at once or reported
 * back later, never from inside the op (events that come while it steps
 * wait in a small queue). The call keeps its program (and the directory's
 * book, for its queues' settings) until it is freed: a flow published
 * while the call is inside it leaves the call on its version.
 *
 * Prompts: a file of the audio library is played from the directory in
 * force; a text is played from the speech made for it when the flow was
 * published (ivr_tts_file); a text with no speech made is not played (as
 * any file rtpengine cannot play: logged, and the prompt ends). A dial node calls out (call_dial): answered, the call is the far
 * end's; not reached, its next exit. A transfer to an agent waits in the
 * line of the agent's first skill group for that agent alone.
 *
 * Voicemail: the node's prompts play (no key stops them), then the caller
 * is recorded (call_record) until the node's max-s, the caller's # (which
 * ends it at once; other keys are recorded as they are), or the caller
 * hanging up (the recording is kept; the call ends). */
#include "b2bua/flow/flow.h"

#include "b2bua/dir/dir.h"
#include "b2bua/http/http.h"
#include "b2bua/lookup/contact.h"
#include "ivr_run.h"
#include "log.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Events the interpreter is given after the step under way (an op's
 * immediate outcome, a signal raised by a verb of an op). */
#define PENDING_MAX 8
/* How long the agent who served the caller last is waited for, when the
 * group sets no dedicated agent's wait. */
#define FAMILIAR_WAIT_S 20
/* How long a flow waits for the caller's contact before it starts
 * without it (the lookup answers in milliseconds when the database does). */
#define CONTACT_WAIT_MS 1000

struct ivr_ctl {
	struct call *call;
	struct flow_router *router;
	struct flow_book *book;
	struct ivr_call *ic;
	struct ivr_prog *prog;	/* the flow it started on (the call holds it) */
	struct http_req *http;
	const struct call_queue *queued;	/* waiting for the familiar agent's lookup */
	char **files;		/* the prompts being played, and the one playing */
	size_t nfiles, at;
	bool playing;
	bool record_next;	/* the prompts playing lead to a recording */
	bool recording;
	unsigned rec_group, rec_max_s;
	bool stepping;
	bool start_waiting;	/* answered; the contact's lookup not back yet */
	enum ivr_event_type pending[PENDING_MAX];
	char pending_digit[PENDING_MAX];
	unsigned npending;
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void feed(struct ivr_ctl *c, const struct ivr_event *ev);

/* An event for after the step under way (or at once when none is). */
static void later(struct ivr_ctl *c, enum ivr_event_type t, char digit)
{
	if (!c->stepping) {
		struct ivr_event ev = { .type = t, .now = now_ms(), .digit = digit };
		feed(c, &ev);
		return;
	}
	if (c->npending == PENDING_MAX) {
		log_err("call %s: IVR event %s dropped (too many at once)", call_id(c->call),
			ivr_event_name(t));
		return;
	}
	c->pending_digit[c->npending] = digit;
	c->pending[c->npending++] = t;
}

static void feed(struct ivr_ctl *c, const struct ivr_event *ev)
{
	c->stepping = true;
	ivr_call_event(c->ic, ev);
	for (unsigned i = 0; i < c->npending; i++) {
		struct ivr_event e = { .type = c->pending[i], .now = now_ms(),
				       .digit = c->pending_digit[i] };
		ivr_call_event(c->ic, &e);
	}
	c->npending = 0;
	c->stepping = false;
}

static void drop_files(struct ivr_ctl *c)
{
	for (size_t i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	c->files = NULL;
	c->nfiles = c->at = 0;
}

/* --- ops ------------------------------------------------------------------------- */

static char *prompt_file(struct ivr_ctl *c, const struct ivr_prompt *p)
{
	const struct dir *dir = flow_router_dir(c->router);
	if (p->audio) {
		const struct dir_audio *a = dir_audio(dir, p->audio);
		if (!a) {
			log_warn("call %s: audio %u is gone; prompt left out", call_id(c->call),
				 p->audio);
			return NULL;
		}
		return strdup(a->path);
	}
	/* Not looked for here (no file system on the loop): a speech never
	 * made is a file rtpengine cannot play, logged, and the prompt ends. */
	char name[64], *path = NULL;
	if (ivr_tts_file(p->voice, p->text, name, sizeof name) ||
	    asprintf(&path, "%s/%s", dir_audio_dir(dir), name) < 0)
		return NULL;
	return path;
}

static void op_play(void *arg, const struct ivr_prompt *prompts, size_t n, bool interruptible)
{
	struct ivr_ctl *c = arg;
	(void)interruptible;	/* the interpreter stops it on a key */
	drop_files(c);
	c->files = calloc(n ? n : 1, sizeof *c->files);
	for (size_t i = 0; c->files && i < n; i++) {
		char *f = prompt_file(c, &prompts[i]);
		if (f)
			c->files[c->nfiles++] = f;
	}
	if (!c->nfiles) {
		c->playing = false;
		later(c, IVR_EV_PROMPT_DONE, 0);
		return;
	}
	c->playing = true;
	call_play(c->call, c->files[0]);
}

static void op_stop(void *arg)
{
	struct ivr_ctl *c = arg;
	if (c->playing) {
		c->playing = false;
		call_stop_prompt(c->call);
	}
}

static void op_timer(void *arg, unsigned ms)
{
	struct ivr_ctl *c = arg;
	call_timer(c->call, (long)ms);
}

static void op_cancel(void *arg)
{
	struct ivr_ctl *c = arg;
	call_timer_cancel(c->call);
}

static void http_done(const struct http_reply *reply, void *arg)
{
	struct ivr_ctl *c = arg;
	c->http = NULL;
	struct ivr_event ev = { .now = now_ms() };
	if (reply->result == HTTP_TIMEOUT) {
		ev.type = IVR_EV_HTTP_TIMEOUT;
	} else if (reply->result == HTTP_OK || reply->status > 0) {
		ev.type = IVR_EV_HTTP_REPLY;
		ev.status = (int)reply->status;
		ev.body = reply->body;
		ev.body_len = reply->len;
	} else {
		log_info("call %s: IVR HTTP request failed: %s", call_id(c->call),
			 reply->error ? reply->error : "?");
		ev.type = IVR_EV_HTTP_ERROR;
	}
	feed(c, &ev);
}

static void op_http(void *arg, const struct ivr_http_req *req)
{
	struct ivr_ctl *c = arg;
	struct http_client *h = flow_router_http(c->router);
	char **headers = calloc(req->nheaders + 1, sizeof *headers);
	bool ok = h && headers;
	for (size_t i = 0; ok && i < req->nheaders; i++)
		ok = asprintf(&headers[i], "%s: %s", req->headers[i].name,
			      req->headers[i].value) >= 0;
	if (ok)
		ok = !http_request(h, req->method, req->url, (const char *const *)headers, req->body,
				   req->body ? strlen(req->body) : 0, req->timeout_ms, http_done, c,
				   &c->http);
	for (size_t i = 0; headers && i < req->nheaders; i++)
		free(headers[i]);
	free(headers);
	if (!ok) {
		log_err("call %s: IVR HTTP request to %s not sent", call_id(c->call), req->url);
		later(c, IVR_EV_HTTP_ERROR, 0);
	}
}

/* The node's variables for the agent's screen pop. */
static void attach(struct call *call, const struct ivr_queue_req *q)
{
	json_t *o = q->nattached ? json_object() : NULL;
	for (size_t i = 0; o && i < q->nattached; i++)
		json_object_set_new(o, q->attached[i].name, json_string(q->attached[i].value));
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	call_attach(call, s);
	free(s);
}

static void familiar_found(void *arg, const char *agent)
{
	struct ivr_ctl *c = arg;
	struct call *call = c->call;
	if (agent)
		log_info("call %s: agent %s served the caller last", call_id(call), agent);
	call_prefer_agent(call, agent);
	/* A caller who hung up meanwhile: the call's state ignores it. */
	call_enqueue(call, c->queued);
	c->queued = NULL;
	call_unref(call);
}

static void op_enqueue(void *arg, const struct ivr_queue_req *q)
{
	struct ivr_ctl *c = arg;
	const struct call_queue *g = flow_book_queue(c->book, q->group);
	struct call_queue *mine = g ? call_mem(c->call, sizeof *mine) : NULL;
	if (!mine) {
		/* No such group in force (disabled since): the queue says so. */
		static const struct call_queue none;
		call_enqueue(c->call, &none);
		return;
	}
	*mine = *g;
	if (q->max_wait_s)
		mine->max_wait_s = q->max_wait_s;
	mine->priority = q->priority;
	call_after(c->call, q->after);
	attach(c->call, q);
	if (q->familiar && *call_caller_norm(c->call)) {
		/* The agent who served the caller last, asked before the call
		 * joins the line so that no other agent is offered it first. */
		if (!mine->dedicated_wait_s)
			mine->dedicated_wait_s = FAMILIAR_WAIT_S;
		c->queued = mine;
		call_ref(c->call);
		if (!lookup_last_agent(flow_router_lookup(c->router), call_caller_norm(c->call),
				       familiar_found, c))
			return;
		call_unref(c->call);
		c->queued = NULL;
	}
	call_enqueue(c->call, mine);
}

/* Transfer to an agent: the call waits in the line of the agent's first
 * skill group (its ring time, maximum wait, music and wrap-up), offered to
 * that agent alone. */
static void op_to_agent(void *arg, const char *agent, bool after)
{
	struct ivr_ctl *c = arg;
	const struct dir *dir = flow_router_dir(c->router);
	const struct dir_agent *a = NULL;
	for (size_t i = 0; !a && i < dir_agent_count(dir); i++)
		if (!strcmp(dir_agent_at(dir, i)->id, agent))
			a = dir_agent_at(dir, i);
	const struct call_queue *g = a && a->ngroups ? flow_book_queue(c->book, a->groups[0]) : NULL;
	struct call_queue *mine = g ? call_mem(c->call, sizeof *mine) : NULL;
	if (mine)
		*mine = *g;
	if (!mine || !(mine->agent = call_strdup(c->call, agent))) {
		log_info("call %s: agent %s is no agent of a skill group; not reached",
			 call_id(c->call), agent);
		later(c, IVR_EV_NEXT, 0);
		return;
	}
	call_after(c->call, after);
	call_enqueue(c->call, mine);
}

/* The node's caller ID must be a number of the plugin's for calling out
 * (usage outbound or both); another is not shown: the number the caller
 * dialed is. */
static void op_dial(void *arg, const char *number, const char *caller_id)
{
	struct ivr_ctl *c = arg;
	if (caller_id && *caller_id && !dir_caller_id(flow_router_dir(c->router), caller_id)) {
		log_warn("call %s: caller ID %s is not an outbound number; the number dialed is "
			 "shown instead", call_id(c->call), caller_id);
		caller_id = NULL;
	}
	call_dial(c->call, number, caller_id);
}

static void record_now(struct ivr_ctl *c)
{
	c->record_next = false;
	c->recording = true;
	call_record(c->call, c->rec_group, c->rec_max_s);
}

static void op_record(void *arg, unsigned group, unsigned max_s, const struct ivr_prompt *prompts,
		      size_t n)
{
	struct ivr_ctl *c = arg;
	c->rec_group = group;
	c->rec_max_s = max_s;
	drop_files(c);
	c->files = calloc(n ? n : 1, sizeof *c->files);
	for (size_t i = 0; c->files && i < n; i++) {
		char *f = prompt_file(c, &prompts[i]);
		if (f)
			c->files[c->nfiles++] = f;
	}
	if (!c->nfiles) {
		record_now(c);
		return;
	}
	c->record_next = true;
	c->playing = true;
	call_play(c->call, c->files[0]);
}

static void op_survey(void *arg, char key)
{
	struct ivr_ctl *c = arg;
	call_survey(c->call, key);
}

static void op_hangup(void *arg, const char *cause)
{
	struct ivr_ctl *c = arg;
	/* A call the flow ends served itself (or was told to call again): no
	 * agent took it. */
	call_hangup(c->call, RESULT_NO_AGENT,
		    cause && *cause ? call_strdup(c->call, cause) : "flow hung up");
}

static void op_end(void *arg)
{
	struct ivr_ctl *c = arg;
	call_hangup(c->call, RESULT_NO_AGENT, "flow ended");
}

static void op_step(void *arg, const struct ivr_step *s)
{
	struct ivr_ctl *c = arg;
	call_note_step(c->call, s->flow, s->node, s->exit, s->digits);
}

static struct ivr_prog *op_lookup(void *arg, unsigned flow_id)
{
	struct ivr_ctl *c = arg;
	struct ivr_prog *p = dir_prog(flow_router_dir(c->router), flow_id);
	return p ? ivr_prog_ref(p) : NULL;
}

static const struct ivr_ops ops = {
	.play = op_play, .stop = op_stop, .timer = op_timer, .cancel = op_cancel,
	.http = op_http, .enqueue = op_enqueue, .to_agent = op_to_agent, .dial = op_dial,
	.record = op_record, .survey_result = op_survey, .hangup = op_hangup, .end = op_end, .step = op_step,
	.lookup = op_lookup,
};

/* --- the controller ------------------------------------------------------------ */

static void set(struct ivr_ctl *c, const char *name, const char *value)
{
	ivr_call_set(c->ic, name, value ? value : "");
}

static void start(struct call *call, void *state)
{
	struct ivr_ctl *c = state;
	struct call_view v;
	call_view(call, &v);
	set(c, "call_id", v.id);
	if (call_contact_pending(call)) {
		/* Variables of the caller's record first (contact_*). */
		c->start_waiting = true;
		call_timer(call, CONTACT_WAIT_MS);
		return;
	}
	later(c, IVR_EV_START, 0);
}

/* The caller's record: contact_id, contact_name, and contact_<column> for
 * each field the manifest maps (a column whose name makes no variable name
 * is left out). */
static void contact(struct call *call, void *state, const char *id, const char *name,
		    const struct lookup_field *fields, size_t nfields)
{
	struct ivr_ctl *c = state;
	if (id) {
		set(c, "contact_id", id);
		set(c, "contact_name", name);
	}
	for (size_t i = 0; id && i < nfields; i++) {
		char var[40];
		int n = snprintf(var, sizeof var, "contact_%s", fields[i].column);
		if (n > 0 && n <= 32 && strspn(var, "abcdefghijklmnopqrstuvwxyz0123456789_") == (size_t)n)
			set(c, var, fields[i].value);
	}
	if (c->start_waiting) {
		c->start_waiting = false;
		call_timer_cancel(call);
		later(c, IVR_EV_START, 0);
	}
}

static void on_signal(struct call *call, void *state, enum call_signal sig, char digit)
{
	struct ivr_ctl *c = state;
	(void)call;
	switch (sig) {
	case CSIG_PROMPT_DONE:
		if (!c->playing)
			break;
		if (++c->at < c->nfiles) {
			call_play(c->call, c->files[c->at]);
			break;
		}
		c->playing = false;
		if (c->record_next)
			record_now(c);
		else
			later(c, IVR_EV_PROMPT_DONE, 0);
		break;
	case CSIG_DTMF:
		if (c->recording || c->record_next) {
			if (c->recording && digit == '#')
				call_record_stop(c->call);
			break;
		}
		later(c, IVR_EV_DIGIT, digit);
		break;
	case CSIG_RECORDED:
		c->recording = false;
		later(c, IVR_EV_RECORDED, 0);
		break;
	case CSIG_TIMER:
		if (c->start_waiting) {
			c->start_waiting = false;
			log_warn("call %s: the caller's contact is not known after %d ms; the flow "
				 "starts without it", call_id(call), CONTACT_WAIT_MS);
			later(c, IVR_EV_START, 0);
			break;
		}
		later(c, IVR_EV_TIMER, 0);
		break;
	case CSIG_QUEUE_TIMEOUT:
	case CSIG_NO_QUEUE:
	case CSIG_NO_AGENTS:
	case CSIG_NOT_REACHED:
		later(c, IVR_EV_NEXT, 0);
		break;
	case CSIG_AFTER:
		later(c, IVR_EV_AFTER, 0);
		break;
	default:
		break;
	}
}

static void release(void *state)
{
	struct ivr_ctl *c = state;
	if (c->http)
		http_cancel(c->http);
	ivr_call_free(c->ic);
	drop_files(c);
	flow_book_unref(c->book);
}

static void add_var(void *arg, const char *name, const char *value)
{
	json_object_set_new(arg, name, json_string(value));
}

/* The flow and its variables when the call ends, for the call's record. */
static const char *record(struct call *call, void *state)
{
	struct ivr_ctl *c = state;
	json_t *o = json_object(), *vars = json_object();
	if (!o || !vars) {
		json_decref(o);
		json_decref(vars);
		return NULL;
	}
	ivr_call_vars(c->ic, add_var, vars);
	json_object_set_new(o, "flow", json_integer(ivr_prog_flow(c->prog)));
	json_object_set_new(o, "vars", vars);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	const char *kept = s ? call_strdup(call, s) : NULL;
	free(s);
	return kept;
}

static const struct call_ctrl ivr_ctrl = { "ivr", start, on_signal, release, record, contact };

/* The controller's state for prog on call (num: the number it came in on,
 * or NULL), or NULL when out of memory. */
static struct ivr_ctl *ctl_new(struct flow_router *r, struct call *call, struct ivr_prog *prog,
			       const struct dir_number *num)
{
	struct ivr_ctl *c = call_mem(call, sizeof *c);
	if (!c || ivr_call_alloc(&c->ic, prog, &ops, c))
		return NULL;
	c->call = call;
	c->prog = prog;
	c->router = r;
	c->book = flow_book_ref(flow_router_book(r));
	struct call_view v;
	call_view(call, &v);
	set(c, "caller", v.caller_norm && *v.caller_norm ? v.caller_norm : v.caller);
	set(c, "callee", v.callee);
	set(c, "number_name", num ? num->name : "");
	return c;
}

int ivr_flow_run(struct flow_router *r, struct call *call, struct ivr_prog *prog,
		 const struct dir_number *num)
{
	struct ivr_ctl *c = ctl_new(r, call, prog, num);
	if (!c)
		return -1;
	call_set_controller(call, &ivr_ctrl, c);
	return 0;
}

const char *ivr_flow_transfer(struct flow_router *r, struct call *call, struct ivr_prog *prog,
			      const struct dir_number *num, const char *to, const char *by)
{
	struct ivr_ctl *c = ctl_new(r, call, prog, num);
	if (!c)
		return "out_of_memory";
	const char *err = call_transfer(call, to, by, &ivr_ctrl, c);
	if (err)
		release(c);
	return err;
}
