/* Stepping a call through its program (see ivr_run.h; the semantics of each
 * node in docs/ivr.md, "The interpreter"). One event enters the current
 * node's handler; taking an exit enters the next node, and so on until a
 * node waits (a prompt, a key, a reply, the other side) or the call ends. */
#include "ivr_run_int.h"
#include "hash.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the current node is doing. */
enum phase {
	PH_ENTER,		/* not entered yet */
	PH_PROMPT,		/* its prompts play */
	PH_WAIT,		/* waiting for a key, with the timer */
	PH_CONFIRM_PROMPT,	/* collect: the digits read back */
	PH_CONFIRM_WAIT,
	PH_HANDED,		/* an HTTP request, a transfer or a recording under way */
};

struct frame {
	struct ivr_prog *prog;
	int node;		/* its sub-flow node */
};

struct ivr_call {
	const struct ivr_ops *ops;
	void *arg;
	struct ivr_prog *prog;	/* a reference */
	int node;
	struct frame stack[IVR_DEPTH_MAX];	/* the calling flows (references) */
	unsigned depth;
	enum phase phase;
	enum ivr_wait wait;
	unsigned retries;	/* asks left at this node */
	bool playing, timing, started, ended;
	char pending;		/* a key that stopped an interruptible play */
	char digits[IVR_DIGITS_MAX + 1];
	unsigned ndigits;
	long long now;
	/* Variables: "name\0value\0" one after another. */
	char *vars;
	size_t vlen, vcap;
	unsigned nvars;
};

#define EV_NAME(name, str) str,
static const char *const event_names[] = { IVR_EVENT_TYPES(EV_NAME) };
#undef EV_NAME
#define WAIT_NAME(name, str) str,
static const char *const wait_names[] = { IVR_WAITS(WAIT_NAME) };
#undef WAIT_NAME

const char *ivr_event_name(enum ivr_event_type t)
{
	return (unsigned)t < IVR_EVENT_TYPE_COUNT ? event_names[t] : "?";
}

int ivr_event_parse(const char *name)
{
	for (int i = 0; name && i < IVR_EVENT_TYPE_COUNT; i++)
		if (!strcmp(name, event_names[i]))
			return i;
	return -1;
}

const char *ivr_wait_name(enum ivr_wait w)
{
	return (unsigned)w < IVR_WAIT_COUNT ? wait_names[w] : "?";
}

/* --- variables ----------------------------------------------------------------------- */

static bool var_name_ok(const char *s)
{
	size_t len = strlen(s);
	if (!len || len > 32 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == len;
}

/* The entry of name: its offset, or -1. */
static long var_find(const struct ivr_call *c, const char *name)
{
	for (size_t off = 0; off < c->vlen;) {
		const char *n = c->vars + off, *v = n + strlen(n) + 1;
		if (!strcmp(n, name))
			return (long)off;
		off = (size_t)(v - c->vars) + strlen(v) + 1;
	}
	return -1;
}

const char *ivr_call_get(const struct ivr_call *c, const char *name)
{
	long off = var_find(c, name);
	if (off < 0)
		return NULL;
	const char *n = c->vars + off;
	return n + strlen(n) + 1;
}

int ivr_call_set(struct ivr_call *c, const char *name, const char *value)
{
	if (!name || !var_name_ok(name))
		return -1;
	if (!value)
		value = "";
	size_t vl = strlen(value);
	if (vl > IVR_VALUE_MAX) {
		vl = IVR_VALUE_MAX;
		while (vl && ((unsigned char)value[vl] & 0xc0) == 0x80)
			vl--;	/* not inside a character */
	}
	long off = var_find(c, name);
	if (off >= 0) {
		size_t nl = strlen(c->vars + off) + 1;
		size_t el = nl + strlen(c->vars + off + nl) + 1;
		memmove(c->vars + off, c->vars + off + el, c->vlen - (size_t)off - el);
		c->vlen -= el;
		c->nvars--;
	} else if (c->nvars >= IVR_MAX_VARS) {
		return -1;
	}
	size_t nl = strlen(name) + 1, need = c->vlen + nl + vl + 1;
	if (need > c->vcap) {
		size_t nc = c->vcap ? c->vcap : 256;
		while (nc < need)
			nc *= 2;
		char *p = realloc(c->vars, nc);
		if (!p)
			return -1;
		c->vars = p;
		c->vcap = nc;
	}
	memcpy(c->vars + c->vlen, name, nl);
	memcpy(c->vars + c->vlen + nl, value, vl);
	c->vars[c->vlen + nl + vl] = '\0';
	c->vlen = need;
	c->nvars++;
	return 0;
}

void ivr_call_vars(const struct ivr_call *c, void (*h)(void *arg, const char *name,
						       const char *value), void *arg)
{
	for (size_t off = 0; off < c->vlen;) {
		const char *n = c->vars + off, *v = n + strlen(n) + 1;
		h(arg, n, v);
		off = (size_t)(v - c->vars) + strlen(v) + 1;
	}
}

static const char *get_var(const void *arg, const char *name)
{
	return ivr_call_get(arg, name);
}

static char *expand(const struct ivr_call *c, const char *t, enum esc esc)
{
	return ivr_expand(t, esc, get_var, c);
}

/* --- actions ------------------------------------------------------------------------- */

static const struct rnode *cur(const struct ivr_call *c)
{
	return &c->prog->nodes[c->node];
}

static void report(struct ivr_call *c, const char *exit, const char *digits)
{
	const struct rnode *r = cur(c);
	struct ivr_step s = { .flow = c->prog->flow, .node = r->id, .type = r->type, .exit = exit,
			      .digits = digits };
	c->ops->step(c->arg, &s);
}

/* Stops what the node left running. */
static void quiet(struct ivr_call *c)
{
	if (c->playing && c->ops->stop)
		c->ops->stop(c->arg);
	if (c->timing && c->ops->cancel)
		c->ops->cancel(c->arg);
	c->playing = c->timing = false;
}

static void set_timer(struct ivr_call *c, unsigned ms)
{
	if (c->ops->timer)
		c->ops->timer(c->arg, ms);
	c->timing = true;
	c->phase = PH_WAIT;
	c->wait = IVR_WAIT_DIGIT;
}

/* The node's prompts, after one more file (a menu's invalid-key or
 * timeout prompt) or text when given, their text expanded. The array and
 * its strings are freed with free_prompts. */
static struct ivr_prompt *make_prompts(const struct ivr_call *c, const struct rnode *r,
				       unsigned first_audio, const char *first_text, size_t *n)
{
	size_t extra = first_audio || first_text ? 1 : 0, k = 0;
	struct ivr_prompt *v = calloc(r->nprompts + extra + 1, sizeof *v);
	if (!v)
		return NULL;
	if (first_audio) {
		v[k++].audio = first_audio;
	} else if (first_text) {
		v[k].text = strdup(first_text);
		v[k++].voice = r->nprompts && r->prompts[0].voice ? r->prompts[0].voice : "cmn";
	}
	for (size_t i = 0; !first_text && i < r->nprompts; i++, k++) {
		v[k].audio = r->prompts[i].audio;
		v[k].voice = r->prompts[i].voice;
		if (!v[k].audio)
			v[k].text = expand(c, r->prompts[i].tts, ESC_NONE);
	}
	*n = k;
	return v;
}

static void free_prompts(struct ivr_prompt *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free((char *)v[i].text);
	free(v);
}

static void play(struct ivr_call *c, unsigned first_audio, const char *first_text,
		 bool interruptible)
{
	size_t n = 0;
	struct ivr_prompt *v = make_prompts(c, cur(c), first_audio, first_text, &n);
	if (c->ops->play)
		c->ops->play(c->arg, v, v ? n : 0, interruptible);
	free_prompts(v, n);
	c->playing = true;
	c->phase = PH_PROMPT;
	c->wait = IVR_WAIT_PROMPT;
}

static void finish(struct ivr_call *c);

/* Leaves the current node by an exit: reported, what it left running
 * stopped, and the node it leads to made current (entered by run). An exit
 * to nothing ends the flow. */
static void take(struct ivr_call *c, int to, const char *exit, const char *digits)
{
	report(c, exit, digits);
	quiet(c);
	c->phase = PH_ENTER;
	c->wait = IVR_WAIT_NONE;
	if (to < 0 || (size_t)to >= c->prog->n) {
		finish(c);
		return;
	}
	c->node = to;
}

static void end_call(struct ivr_call *c)
{
	quiet(c);
	if (c->ops->end)
		c->ops->end(c->arg);
	c->ended = true;
	c->wait = IVR_WAIT_NONE;
}

/* The end of the running flow: back to the sub-flow node that called it
 * (its next exit), or the end of the call. */
static void finish(struct ivr_call *c)
{
	if (!c->depth) {
		end_call(c);
		return;
	}
	struct frame f = c->stack[--c->depth];
	ivr_prog_unref(c->prog);
	c->prog = f.prog;
	c->node = f.node;
	take(c, cur(c)->to[RX_NEXT], "next", NULL);
}

/* --- nodes that decide at once ------------------------------------------------------ */

/* A number when the whole string is one. */
static bool number(const char *s, double *out)
{
	if (!*s)
		return false;
	char *end;
	errno = 0;
	*out = strtod(s, &end);
	return !*end && !errno;
}

static bool cond_holds(const struct ivr_call *c, const struct rcond *k)
{
	const char *v = k->var ? ivr_call_get(c, k->var) : NULL;
	if (k->op == ROP_EMPTY)
		return !v || !*v;
	if (k->op == ROP_SET)
		return v && *v;
	char *want = expand(c, k->value, ESC_NONE);
	if (!want)
		return false;
	const char *a = v ? v : "";
	double x, y;
	int cmp = number(a, &x) && number(want, &y) ? (x > y) - (x < y) : strcmp(a, want);
	bool r = false;
	switch (k->op) {
	case ROP_EQ: r = cmp == 0; break;
	case ROP_NE: r = cmp != 0; break;
	case ROP_LT: r = cmp < 0; break;
	case ROP_LE: r = cmp <= 0; break;
	case ROP_GT: r = cmp > 0; break;
	case ROP_GE: r = cmp >= 0; break;
	case ROP_PREFIX: r = !strncmp(a, want, strlen(want)); break;
	case ROP_CONTAINS: r = strstr(a, want) != NULL; break;
	case ROP_EMPTY:
	case ROP_SET:
	case ROP_COUNT: break;
	}
	free(want);
	return r;
}

static void do_branch(struct ivr_call *c, const struct rnode *r)
{
	for (size_t i = 0; i < r->ncases; i++) {
		const struct rcase *k = &r->cases[i];
		bool any = false, all = true;
		for (size_t j = 0; j < k->nconds; j++) {
			bool h = cond_holds(c, &k->conds[j]);
			any |= h;
			all &= h;
		}
		if (k->nconds && (k->any ? any : all)) {
			take(c, k->to, k->name, NULL);
			return;
		}
	}
	take(c, r->to[RX_ELSE], "else", NULL);
}

/* Open at c->now in the node's zone: within any hours, unless a holiday. */
static bool is_open(const struct ivr_call *c, const struct rnode *r)
{
	long long t = c->now / 1000 - (c->now % 1000 < 0);
	long long local = t + (r->tz ? ivr_tz_offset(r->tz, t) : 0);
	long long day = local / 86400 - (local % 86400 < 0);
	int minute = (int)((local - day * 86400) / 60);
	int wd = (int)(((day + 3) % 7 + 7) % 7);	/* 1970-01-01: a Thursday; Monday is 0 */
	for (size_t i = 0; i < r->nholidays; i++)
		if (r->holidays[i] == day)
			return false;
	for (size_t i = 0; i < r->nhours; i++) {
		const struct rhours *h = &r->hours[i];
		bool today = h->days & (1u << wd), yesterday = h->days & (1u << ((wd + 6) % 7));
		if (h->from < h->to ? today && minute >= h->from && minute < h->to
				    : (today && minute >= h->from) || (yesterday && minute < h->to))
			return true;
	}
	return false;
}

/* --- entering a node ------------------------------------------------------------------ */

static void do_http(struct ivr_call *c, const struct rnode *r)
{
	struct ivr_http_req req;
	if (ivr_http_make(r, get_var, c, &req)) {
		take(c, r->to[RX_ERROR], "error", NULL);	/* out of memory */
		return;
	}
	if (c->ops->http)
		c->ops->http(c->arg, &req);
	ivr_http_req_free(&req);
	c->phase = PH_HANDED;
	c->wait = IVR_WAIT_HTTP;
}

static void set_var(void *arg, const char *name, const char *value)
{
	ivr_call_set(arg, name, value);
}

/* ok: a 2xx reply, and when results are wanted, a JSON one (its values
 * set); error: any other reply or none; timeout. */
static void on_http(struct ivr_call *c, const struct rnode *r, const struct ivr_event *ev)
{
	char status[16];
	snprintf(status, sizeof status, "%d", ev->status);
	if (ev->type == IVR_EV_HTTP_TIMEOUT)
		take(c, r->to[RX_TIMEOUT], "timeout", NULL);
	else if (ev->type == IVR_EV_HTTP_ERROR)
		take(c, r->to[RX_ERROR], "error", NULL);
	else if (ev->type != IVR_EV_HTTP_REPLY)
		return;
	else if (ev->status < 200 || ev->status > 299 ||
		 ivr_http_results(r, ev->body, ev->body_len, set_var, c))
		take(c, r->to[RX_ERROR], "error", status);
	else
		take(c, r->to[RX_OK], "ok", status);
}

/* A node that waits keeps no key from an interruptible play but a menu
 * and a collect node, which take it as their first. */
static bool drops_key(enum ivr_node_type t)
{
	return t == IVR_PLAY || t == IVR_HTTP || t == IVR_QUEUE || t == IVR_AGENT ||
	       t == IVR_DIAL || t == IVR_VOICEMAIL || t == IVR_SURVEY || t == IVR_HANGUP;
}

static void collect_digit(struct ivr_call *c, const struct rnode *r, char d);
static void menu_key(struct ivr_call *c, const struct rnode *r, char d);

static void enter(struct ivr_call *c)
{
	const struct rnode *r = cur(c);
	report(c, NULL, NULL);
	if (drops_key(r->type))
		c->pending = 0;
	switch (r->type) {
	case IVR_START:
		for (size_t i = 0; i < c->prog->nparams; i++) {
			const struct ivr_kv *p = &c->prog->params[i];
			if (ivr_call_get(c, p->name))
				continue;	/* a sub-flow's parameter the caller set */
			char *v = expand(c, p->value, ESC_NONE);
			ivr_call_set(c, p->name, v ? v : "");
			free(v);
		}
		take(c, r->to[RX_NEXT], "next", NULL);
		break;
	case IVR_PLAY:
		play(c, 0, NULL, r->interruptible);
		break;
	case IVR_MENU:
		c->retries = r->retries;
		if (c->pending) {
			char d = c->pending;
			c->pending = 0;
			c->phase = PH_WAIT;
			menu_key(c, r, d);
		} else {
			play(c, 0, NULL, true);
		}
		break;
	case IVR_COLLECT:
		c->retries = r->retries;
		c->ndigits = 0;
		c->digits[0] = '\0';
		if (c->pending) {
			char d = c->pending;
			c->pending = 0;
			c->phase = PH_WAIT;
			collect_digit(c, r, d);
		} else {
			play(c, 0, NULL, true);
		}
		break;
	case IVR_BRANCH:
		do_branch(c, r);
		break;
	case IVR_TIME:
		if (is_open(c, r))
			take(c, r->to[RX_OPEN], "open", NULL);
		else
			take(c, r->to[RX_CLOSED], "closed", NULL);
		break;
	case IVR_SET: {
		char *v = expand(c, r->value, ESC_NONE);
		ivr_call_set(c, r->var, v ? v : "");
		free(v);
		take(c, r->to[RX_NEXT], "next", NULL);
		break;
	}
	case IVR_HTTP:
		do_http(c, r);
		break;
	case IVR_QUEUE: {
		struct ivr_kv *att = calloc(r->nattach + 1, sizeof *att);
		size_t n = 0;
		for (size_t i = 0; att && i < r->nattach; i++) {
			const char *v = ivr_call_get(c, r->attach[i]);
			att[n].name = r->attach[i];
			att[n++].value = v ? v : "";
		}
		struct ivr_queue_req q = { .group = r->group, .priority = r->priority,
					   .max_wait_s = r->max_wait_s, .familiar = r->familiar,
					   .attached = att, .nattached = n,
					   .after = r->to[RX_AFTER] != RX_NONE };
		if (c->ops->enqueue)
			c->ops->enqueue(c->arg, &q);
		free(att);
		c->phase = PH_HANDED;
		c->wait = IVR_WAIT_QUEUE;
		break;
	}
	case IVR_AGENT:
		if (c->ops->to_agent)
			c->ops->to_agent(c->arg, r->agent, r->to[RX_AFTER] != RX_NONE);
		c->phase = PH_HANDED;
		c->wait = IVR_WAIT_QUEUE;
		break;
	case IVR_DIAL: {
		char *num = expand(c, r->number, ESC_NONE);
		char *cid = r->caller_id ? expand(c, r->caller_id, ESC_NONE) : NULL;
		if (c->ops->dial)
			c->ops->dial(c->arg, num ? num : "", cid && *cid ? cid : NULL);
		free(num);
		free(cid);
		c->phase = PH_HANDED;
		c->wait = IVR_WAIT_QUEUE;
		break;
	}
	case IVR_VOICEMAIL: {
		size_t n = 0;
		struct ivr_prompt *v = make_prompts(c, r, 0, NULL, &n);
		if (c->ops->record)
			c->ops->record(c->arg, r->group, r->max_s, v, v ? n : 0);
		free_prompts(v, n);
		c->phase = PH_HANDED;
		c->wait = IVR_WAIT_RECORD;
		break;
	}
	case IVR_SURVEY:
		play(c, 0, NULL, true);
		break;
	case IVR_SUBFLOW: {
		struct ivr_prog *sub = c->depth < IVR_DEPTH_MAX && c->ops->lookup
					       ? c->ops->lookup(c->arg, r->flow)
					       : NULL;
		if (!sub || !sub->n) {
			/* Not published (any more), or nested too deep: the call
			 * goes on after the node rather than stopping. */
			ivr_prog_unref(sub);
			take(c, r->to[RX_NEXT], "next", NULL);
			break;
		}
		c->stack[c->depth].prog = c->prog;
		c->stack[c->depth++].node = c->node;
		c->prog = sub;
		c->node = 0;
		c->phase = PH_ENTER;
		break;
	}
	case IVR_HANGUP:
		quiet(c);
		if (c->ops->hangup)
			c->ops->hangup(c->arg, r->cause);
		c->ended = true;
		c->wait = IVR_WAIT_NONE;
		break;
	case IVR_END:
		finish(c);
		break;
	case IVR_NODE_TYPE_COUNT:
		end_call(c);
		break;
	}
}

/* Enters nodes until one waits or the call ends; at most IVR_SPIN_MAX
 * without waiting (the checks refuse loops that never wait; a flow read
 * without them must not hold the event loop). */
static void run(struct ivr_call *c)
{
	for (unsigned spins = 0; !c->ended && c->wait == IVR_WAIT_NONE; spins++) {
		if (spins == IVR_SPIN_MAX) {
			quiet(c);
			if (c->ops->hangup)
				c->ops->hangup(c->arg, "ivr_loop");
			c->ended = true;
			return;
		}
		enter(c);
	}
}

/* --- the nodes that wait ------------------------------------------------------------- */

static void menu_retry(struct ivr_call *c, const struct rnode *r, unsigned audio,
		       const char *digits)
{
	quiet(c);
	if (!c->retries) {
		take(c, r->to[RX_FALLBACK], "fallback", digits);
		return;
	}
	c->retries--;
	play(c, audio, NULL, true);
}

static void menu_key(struct ivr_call *c, const struct rnode *r, char d)
{
	char key[2] = { d, '\0' };
	for (size_t i = 0; i < r->nkeys; i++)
		if (r->keys[i].digit == d) {
			ivr_call_set(c, "digits", key);
			take(c, r->keys[i].to, r->keys[i].name, key);
			return;
		}
	menu_retry(c, r, r->invalid_audio, key);
}

static void collect_retry(struct ivr_call *c, const struct rnode *r)
{
	quiet(c);
	if (!c->retries) {
		take(c, r->to[RX_FAIL], "fail", c->digits);
		return;
	}
	c->retries--;
	c->ndigits = 0;
	c->digits[0] = '\0';
	play(c, 0, NULL, true);
}

static void collect_accept(struct ivr_call *c, const struct rnode *r)
{
	ivr_call_set(c, r->var, c->digits);
	take(c, r->to[RX_NEXT], "next", c->digits);
}

/* Enough digits: read back for confirming, or taken. */
static void collect_done(struct ivr_call *c, const struct rnode *r)
{
	if (!r->confirm) {
		collect_accept(c, r);
		return;
	}
	quiet(c);
	bool en = r->nprompts && r->prompts[0].voice && !strcmp(r->prompts[0].voice, "en");
	struct sbuf b = { 0 };
	sbuf_add(&b, en ? "You entered" : "您输入的是", strlen(en ? "You entered" : "您输入的是"));
	for (unsigned i = 0; i < c->ndigits; i++) {
		char s[3] = { ' ', c->digits[i], '\0' };
		sbuf_add(&b, s, 2);
	}
	const char *tail = en ? ". Press 1 to confirm, 2 to enter again." : "，确认请按1，重新输入请按2";
	sbuf_add(&b, tail, strlen(tail));
	play(c, 0, b.failed ? "" : b.p, true);
	sbuf_free(&b);
	c->phase = PH_CONFIRM_PROMPT;
}

static void collect_digit(struct ivr_call *c, const struct rnode *r, char d)
{
	quiet(c);
	if (r->terminator && d == r->terminator) {
		if (c->ndigits && c->ndigits >= r->min)
			collect_done(c, r);
		else
			collect_retry(c, r);
		return;
	}
	c->digits[c->ndigits++] = d;
	c->digits[c->ndigits] = '\0';
	if (c->ndigits >= r->max) {
		collect_done(c, r);
		return;
	}
	set_timer(c, r->inter_ms);
}

static void on_collect(struct ivr_call *c, const struct rnode *r, const struct ivr_event *ev)
{
	switch (c->phase) {
	case PH_PROMPT:
	case PH_WAIT:
		if (ev->type == IVR_EV_DIGIT) {
			collect_digit(c, r, ev->digit);
		} else if (ev->type == IVR_EV_PROMPT_DONE && c->phase == PH_PROMPT) {
			c->playing = false;
			set_timer(c, c->ndigits ? r->inter_ms : r->timeout_ms);
		} else if (ev->type == IVR_EV_TIMER && c->phase == PH_WAIT) {
			c->timing = false;
			if (c->ndigits && c->ndigits >= r->min)
				collect_done(c, r);
			else
				collect_retry(c, r);
		}
		break;
	case PH_CONFIRM_PROMPT:
	case PH_CONFIRM_WAIT:
		if (ev->type == IVR_EV_DIGIT) {
			quiet(c);
			if (ev->digit == '1')
				collect_accept(c, r);
			else
				collect_retry(c, r);
		} else if (ev->type == IVR_EV_PROMPT_DONE && c->phase == PH_CONFIRM_PROMPT) {
			c->playing = false;
			set_timer(c, r->timeout_ms);
			c->phase = PH_CONFIRM_WAIT;
		} else if (ev->type == IVR_EV_TIMER && c->phase == PH_CONFIRM_WAIT) {
			c->timing = false;
			collect_retry(c, r);
		}
		break;
	case PH_ENTER:
	case PH_HANDED:
		break;
	}
}

static void on_event(struct ivr_call *c, const struct ivr_event *ev)
{
	const struct rnode *r = cur(c);
	bool prompt = c->phase == PH_PROMPT, waiting = c->phase == PH_WAIT;
	char key[2] = { ev->digit, '\0' };
	switch (r->type) {
	case IVR_PLAY:
		if (ev->type == IVR_EV_PROMPT_DONE && prompt) {
			c->playing = false;
			take(c, r->to[RX_NEXT], "next", NULL);
		} else if (ev->type == IVR_EV_DIGIT && prompt && r->interruptible) {
			c->pending = ev->digit;
			take(c, r->to[RX_NEXT], "next", key);
		}
		break;
	case IVR_MENU:
		if (ev->type == IVR_EV_DIGIT && (prompt || waiting)) {
			quiet(c);
			menu_key(c, r, ev->digit);
		} else if (ev->type == IVR_EV_PROMPT_DONE && prompt) {
			c->playing = false;
			set_timer(c, r->timeout_ms);
		} else if (ev->type == IVR_EV_TIMER && waiting) {
			c->timing = false;
			menu_retry(c, r, r->timeout_audio, NULL);
		}
		break;
	case IVR_COLLECT:
		on_collect(c, r, ev);
		break;
	case IVR_HTTP:
		if (c->phase == PH_HANDED)
			on_http(c, r, ev);
		break;
	case IVR_QUEUE:
	case IVR_AGENT:
	case IVR_DIAL:
		if (c->phase != PH_HANDED)
			break;
		if (ev->type == IVR_EV_NEXT)
			take(c, r->to[RX_NEXT], "next", NULL);
		else if (ev->type == IVR_EV_AFTER && r->to[RX_AFTER] != RX_NONE)
			take(c, r->to[RX_AFTER], "after", NULL);
		else if (ev->type == IVR_EV_AFTER)
			end_call(c);	/* connected, and nothing to do after */
		break;
	case IVR_VOICEMAIL:
		if (ev->type == IVR_EV_RECORDED && c->phase == PH_HANDED)
			take(c, r->to[RX_NEXT], "next", NULL);
		break;
	case IVR_SURVEY:
		if (ev->type == IVR_EV_DIGIT && (prompt || waiting) && r->keys_str &&
		    ev->digit && strchr(r->keys_str, ev->digit)) {
			if (c->ops->survey_result)
				c->ops->survey_result(c->arg, ev->digit);
			take(c, r->to[RX_NEXT], "next", key);
		} else if (ev->type == IVR_EV_PROMPT_DONE && prompt) {
			c->playing = false;
			set_timer(c, r->timeout_ms);
		} else if (ev->type == IVR_EV_TIMER && waiting) {
			c->timing = false;
			take(c, r->to[RX_NEXT], "next", NULL);
		}
		break;
	default:
		break;
	}
}

/* --- a call -------------------------------------------------------------------------- */

int ivr_call_alloc(struct ivr_call **cp, struct ivr_prog *prog, const struct ivr_ops *ops,
		   void *arg)
{
	if (!cp || !prog || !prog->n || !ops || !ops->step)
		return EINVAL;
	struct ivr_call *c = calloc(1, sizeof *c);
	if (!c)
		return ENOMEM;
	c->ops = ops;
	c->arg = arg;
	c->prog = ivr_prog_ref(prog);
	*cp = c;
	return 0;
}

void ivr_call_free(struct ivr_call *c)
{
	if (!c)
		return;
	ivr_prog_unref(c->prog);
	for (unsigned i = 0; i < c->depth; i++)
		ivr_prog_unref(c->stack[i].prog);
	free(c->vars);
	free(c);
}

void ivr_call_event(struct ivr_call *c, const struct ivr_event *ev)
{
	if (c->ended)
		return;
	c->now = ev->now;
	if (ev->type == IVR_EV_GONE) {
		quiet(c);
		c->ended = true;
		c->wait = IVR_WAIT_NONE;
		return;
	}
	if (ev->type == IVR_EV_START) {
		if (c->started)
			return;
		c->started = true;
		c->node = 0;
	} else if (!c->started) {
		return;
	} else {
		on_event(c, ev);
	}
	run(c);
}

enum ivr_wait ivr_call_waiting(const struct ivr_call *c)
{
	return c->ended ? IVR_WAIT_NONE : c->wait;
}

bool ivr_call_ended(const struct ivr_call *c)
{
	return c->ended;
}

int ivr_tts_file(const char *voice, const char *text, char *out, size_t size)
{
	char hex[65], *key = NULL;
	int n = asprintf(&key, "%s\n%s", voice ? voice : "cmn", text ? text : "");
	if (n < 0)
		return -1;
	hash_sha256_hex(key, (size_t)n, hex);
	free(key);
	hex[32] = '\0';
	n = snprintf(out, size, "tts-%s.wav", hex);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}
