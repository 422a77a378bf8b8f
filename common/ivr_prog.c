/* Building a flow's program (see ivr_run.h): each node's settings read from
 * its element once, with the schema's defaults, into plain structs. */
#include "ivr_run_int.h"

#include "arena.h"

#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Defaults of the attributes the schema leaves optional (docs/ivr.md). */
#define MENU_TIMEOUT_S 5
#define MENU_RETRIES 2
#define COLLECT_FIRST_S 5
#define COLLECT_INTER_S 3
#define COLLECT_RETRIES 2
#define HTTP_TIMEOUT_MS 5000
#define VOICEMAIL_MAX_S 60
#define SURVEY_TIMEOUT_S 10
#define TIME_ZONE "Asia/Shanghai"
#define HANGUP_CAUSE "normal"

#define RX_NAME(name, str) str,
static const char *const rx_names[] = { RX_KINDS(RX_NAME) };
#undef RX_NAME
#define ROP_NAME(name, str) str,
static const char *const rop_names[] = { ROPS(ROP_NAME) };
#undef ROP_NAME

const char *rx_name(enum rx k)
{
	return (unsigned)k < RX_COUNT ? rx_names[k] : "?";
}

struct builder {
	struct ivr_prog *prog;
	const struct ivr_flow *f;
	const char *zoneinfo;
	struct ivr_problems *p;
	bool failed;
	size_t subcap;
};

static bool is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static const char *attr(struct builder *b, xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	char *s = arena_strdup(b->prog->a, (const char *)v);
	xmlFree(v);
	if (!s)
		b->failed = true;
	return s;
}

/* A number attribute (the schema bounds it), or dflt. */
static unsigned num(xmlNode *n, const char *name, unsigned dflt)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (!v)
		return dflt;
	unsigned long x = strtoul((const char *)v, NULL, 10);
	xmlFree(v);
	return x > 0xffffffffUL ? dflt : (unsigned)x;
}

static bool flag(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	bool on = v && (!strcmp((const char *)v, "true") || !strcmp((const char *)v, "1"));
	xmlFree(v);
	return on;
}

static void *alloc(struct builder *b, size_t n, size_t size)
{
	void *p = arena_alloc(b->prog->a, (n ? n : 1) * size);
	if (!p)
		b->failed = true;
	return p;
}

static size_t count(xmlNode *n, const char *name)
{
	size_t k = 0;
	for (xmlNode *c = n->children; c; c = c->next)
		k += is(c, name);
	return k;
}

static void prompts(struct builder *b, struct rnode *r, xmlNode *n)
{
	r->nprompts = 0;
	r->prompts = alloc(b, count(n, "prompt"), sizeof *r->prompts);
	for (xmlNode *c = n->children; r->prompts && c; c = c->next) {
		if (!is(c, "prompt"))
			continue;
		struct rprompt *p = &r->prompts[r->nprompts++];
		p->audio = num(c, "audio", 0);
		p->tts = attr(b, c, "tts");
		p->voice = attr(b, c, "voice");
		if (!p->voice)
			p->voice = "cmn";
	}
}

/* The exit of node fn named name: its index, -1 when connected to nothing,
 * RX_NONE when the node has none. */
static int exit_to(const struct ivr_node *fn, const char *name)
{
	for (size_t k = 0; k < fn->nexits; k++)
		if (!strcmp(fn->exits[k].name, name))
			return fn->exits[k].to;
	return RX_NONE;
}

/* "mon-fri sat" into bits (Monday first); a range may wrap (fri-mon). */
static uint8_t days_of(const char *s)
{
	static const char *const names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	uint8_t bits = 0;
	while (s && *s) {
		int from = -1, to = -1;
		for (int i = 0; i < 7; i++)
			if (!strncmp(s, names[i], 3))
				from = to = i;
		if (from < 0)
			break;
		s += 3;
		if (*s == '-') {
			for (int i = 0; i < 7; i++)
				if (!strncmp(s + 1, names[i], 3))
					to = i;
			s += 4;
		}
		for (int d = from;; d = (d + 1) % 7) {
			bits |= (uint8_t)(1u << d);
			if (d == to)
				break;
		}
		while (*s == ' ')
			s++;
	}
	return bits;
}

static int minutes_of(const char *s)
{
	return s && strlen(s) == 5 ? ((s[0] - '0') * 10 + (s[1] - '0')) * 60 +
					     (s[3] - '0') * 10 + (s[4] - '0')
				   : 0;
}

/* Days since the epoch of "YYYY-MM-DD" (the schema's xs:date). */
static long long date_of(const char *s)
{
	int y = 0, m = 0, d = 0;
	if (!s || sscanf(s, "%d-%d-%d", &y, &m, &d) != 3)
		return -1;
	long long yy = y - (m <= 2);
	long long era = (yy >= 0 ? yy : yy - 399) / 400;
	long long yoe = yy - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void build_time(struct builder *b, struct rnode *r, xmlNode *n)
{
	const char *tz = attr(b, n, "tz");
	if (!tz)
		tz = TIME_ZONE;
	if (ivr_tz_load(&r->tz, b->zoneinfo, tz))
		ivr_problem(b->p, "ivr.time_zone", r->id, (int)xmlGetLineNo(n), "%s", tz);
	r->hours = alloc(b, count(n, "hours"), sizeof *r->hours);
	r->holidays = alloc(b, count(n, "holiday"), sizeof *r->holidays);
	for (xmlNode *c = n->children; r->hours && r->holidays && c; c = c->next) {
		if (is(c, "hours")) {
			struct rhours *h = &r->hours[r->nhours++];
			h->days = days_of(attr(b, c, "days"));
			h->from = minutes_of(attr(b, c, "from"));
			h->to = minutes_of(attr(b, c, "to"));
		} else if (is(c, "holiday")) {
			r->holidays[r->nholidays++] = date_of(attr(b, c, "date"));
		}
	}
}

static void build_branch(struct builder *b, struct rnode *r, const struct ivr_node *fn, xmlNode *n)
{
	r->cases = alloc(b, count(n, "case"), sizeof *r->cases);
	for (xmlNode *c = n->children; r->cases && c; c = c->next) {
		if (!is(c, "case"))
			continue;
		struct rcase *k = &r->cases[r->ncases++];
		k->name = arena_printf(b->prog->a, "case %zu", r->ncases);
		k->to = k->name ? exit_to(fn, k->name) : -1;
		const char *match = attr(b, c, "match");
		k->any = match && !strcmp(match, "any");
		k->conds = alloc(b, count(c, "if"), sizeof *k->conds);
		for (xmlNode *i = c->children; k->conds && i; i = i->next) {
			if (!is(i, "if"))
				continue;
			struct rcond *cond = &k->conds[k->nconds++];
			cond->var = attr(b, i, "var");
			const char *op = attr(b, i, "op");
			for (int o = 0; op && o < ROP_COUNT; o++)
				if (!strcmp(op, rop_names[o]))
					cond->op = (enum rop)o;
			cond->value = attr(b, i, "value");
			if (!cond->value)
				cond->value = "";
		}
	}
}

/* A body whose Content-Type names JSON, or (none given) that starts like
 * JSON, has its values escaped as JSON; any other as a form. */
static bool body_is_json(const struct rnode *r)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (!strcasecmp(r->headers[i].name, "Content-Type"))
			return strstr(r->headers[i].value, "json") != NULL;
	const char *s = r->body;
	while (s && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t'))
		s++;
	return s && (*s == '{' || *s == '[');
}

static void build_http(struct builder *b, struct rnode *r, xmlNode *n)
{
	r->method = attr(b, n, "method");
	if (!r->method)
		r->method = "GET";
	r->url = attr(b, n, "url");
	r->timeout_ms = num(n, "timeout-ms", HTTP_TIMEOUT_MS);
	r->headers = alloc(b, count(n, "header"), sizeof *r->headers);
	r->results = alloc(b, count(n, "result"), sizeof *r->results);
	for (xmlNode *c = n->children; r->headers && r->results && c; c = c->next) {
		if (is(c, "header")) {
			r->headers[r->nheaders].name = attr(b, c, "name");
			r->headers[r->nheaders++].value = attr(b, c, "value");
		} else if (is(c, "result")) {
			r->results[r->nresults].name = attr(b, c, "var");
			r->results[r->nresults++].value = attr(b, c, "path");
		} else if (is(c, "body")) {
			xmlChar *t = xmlNodeGetContent(c);
			r->body = arena_strdup(b->prog->a, t ? (const char *)t : "");
			xmlFree(t);
			if (!r->body)
				b->failed = true;
		}
	}
	for (size_t i = 0; i < r->nheaders; i++)
		if (!r->headers[i].name || !r->headers[i].value)
			b->failed = true;
	if (!b->failed)
		r->body_json = body_is_json(r);
}

static void add_subflow(struct builder *b, unsigned id)
{
	struct ivr_prog *p = b->prog;
	for (size_t i = 0; i < p->nsubflows; i++)
		if (p->subflows[i] == id)
			return;
	if (p->nsubflows == b->subcap) {
		size_t nc = b->subcap ? b->subcap * 2 : 4;
		unsigned *v = alloc(b, nc, sizeof *v);
		if (!v)
			return;
		if (p->nsubflows)
			memcpy(v, p->subflows, p->nsubflows * sizeof *v);
		p->subflows = v;
		b->subcap = nc;
	}
	p->subflows[p->nsubflows++] = id;
}

static void build_node(struct builder *b, struct rnode *r, const struct ivr_node *fn)
{
	xmlNode *n = fn->xml;
	r->type = fn->type;
	r->id = arena_strdup(b->prog->a, fn->id ? fn->id : "");
	for (int k = 0; k < RX_COUNT; k++)
		r->to[k] = exit_to(fn, rx_names[k]);
	switch (fn->type) {
	case IVR_START: {
		b->prog->params = alloc(b, count(n, "param"), sizeof *b->prog->params);
		for (xmlNode *c = n->children; b->prog->params && c; c = c->next)
			if (is(c, "param")) {
				struct ivr_kv *kv = &b->prog->params[b->prog->nparams++];
				kv->name = attr(b, c, "name");
				kv->value = attr(b, c, "default");
			}
		break;
	}
	case IVR_PLAY:
		prompts(b, r, n);
		r->interruptible = flag(n, "interruptible");
		break;
	case IVR_MENU:
		prompts(b, r, n);
		r->timeout_ms = num(n, "timeout-s", MENU_TIMEOUT_S) * 1000;
		r->retries = num(n, "retries", MENU_RETRIES);
		r->invalid_audio = num(n, "invalid-audio", 0);
		r->timeout_audio = num(n, "timeout-audio", 0);
		r->keys = alloc(b, count(n, "key"), sizeof *r->keys);
		for (xmlNode *c = n->children; r->keys && c; c = c->next) {
			if (!is(c, "key"))
				continue;
			const char *d = attr(b, c, "digit");
			struct rkey *k = &r->keys[r->nkeys++];
			k->digit = d ? d[0] : '?';
			k->name = arena_printf(b->prog->a, "key %c", k->digit);
			k->to = k->name ? exit_to(fn, k->name) : -1;
		}
		break;
	case IVR_COLLECT:
		prompts(b, r, n);
		r->var = attr(b, n, "var");
		r->min = num(n, "min", 1);
		r->max = num(n, "max", IVR_DIGITS_MAX);
		if (r->max > IVR_DIGITS_MAX)
			r->max = IVR_DIGITS_MAX;
		if (r->min > r->max)
			r->min = r->max;
		{
			const char *t = attr(b, n, "terminator");
			r->terminator = t ? t[0] : 0;
		}
		r->timeout_ms = num(n, "first-timeout-s", COLLECT_FIRST_S) * 1000;
		r->inter_ms = num(n, "inter-timeout-s", COLLECT_INTER_S) * 1000;
		r->retries = num(n, "retries", COLLECT_RETRIES);
		r->confirm = flag(n, "confirm");
		break;
	case IVR_BRANCH:
		build_branch(b, r, fn, n);
		break;
	case IVR_TIME:
		build_time(b, r, n);
		break;
	case IVR_SET:
		r->var = attr(b, n, "var");
		r->value = attr(b, n, "value");
		break;
	case IVR_HTTP:
		build_http(b, r, n);
		break;
	case IVR_QUEUE:
		r->group = num(n, "group", 0);
		r->priority = num(n, "priority", 0);
		r->max_wait_s = num(n, "max-wait-s", 0);
		r->familiar = flag(n, "familiar");
		r->attach = alloc(b, count(n, "attach"), sizeof *r->attach);
		for (xmlNode *c = n->children; r->attach && c; c = c->next)
			if (is(c, "attach"))
				r->attach[r->nattach++] = attr(b, c, "var");
		break;
	case IVR_AGENT:
		r->agent = attr(b, n, "agent");
		break;
	case IVR_DIAL:
		r->number = attr(b, n, "number");
		r->caller_id = attr(b, n, "caller-id");
		break;
	case IVR_VOICEMAIL:
		prompts(b, r, n);
		r->group = num(n, "group", 0);
		r->max_s = num(n, "max-s", VOICEMAIL_MAX_S);
		break;
	case IVR_SURVEY:
		prompts(b, r, n);
		r->keys_str = attr(b, n, "keys");
		r->timeout_ms = num(n, "timeout-s", SURVEY_TIMEOUT_S) * 1000;
		break;
	case IVR_SUBFLOW:
		r->flow = num(n, "flow", 0);
		add_subflow(b, r->flow);
		break;
	case IVR_HANGUP:
		r->cause = attr(b, n, "cause");
		if (!r->cause)
			r->cause = HANGUP_CAUSE;
		break;
	case IVR_END:
	case IVR_NODE_TYPE_COUNT:
		break;
	}
}

static void prog_free(struct ivr_prog *prog)
{
	for (size_t i = 0; prog->nodes && i < prog->n; i++)
		ivr_tz_free(prog->nodes[i].tz);
	arena_free(prog->a);
	free(prog);
}

int ivr_prog_build(struct ivr_prog **pp, const struct ivr_flow *f, unsigned flow_id,
		   const char *zoneinfo, struct ivr_problems *p)
{
	*pp = NULL;
	if (!f || !f->n || f->nodes[0].type != IVR_START) {
		ivr_problem(p, "ivr.no_start", NULL, 0, NULL);
		return -1;
	}
	struct ivr_prog *prog = calloc(1, sizeof *prog);
	if (!prog || !(prog->a = arena_new())) {
		free(prog);
		ivr_problem(p, "ivr.internal", NULL, 0, "out of memory");
		return -1;
	}
	atomic_init(&prog->refs, 1);
	prog->flow = flow_id;
	size_t before = p->n;
	struct builder b = { .prog = prog, .f = f, .zoneinfo = zoneinfo, .p = p };
	prog->nodes = alloc(&b, f->n, sizeof *prog->nodes);
	for (size_t i = 0; prog->nodes && i < f->n; i++) {
		build_node(&b, &prog->nodes[i], &f->nodes[i]);
		prog->n = i + 1;
	}
	if (b.failed)
		ivr_problem(p, "ivr.internal", NULL, 0, "out of memory");
	if (p->n != before) {
		prog_free(prog);
		return -1;
	}
	*pp = prog;
	return 0;
}

struct ivr_prog *ivr_prog_ref(struct ivr_prog *prog)
{
	if (prog)
		atomic_fetch_add(&prog->refs, 1);
	return prog;
}

void ivr_prog_unref(struct ivr_prog *prog)
{
	if (prog && atomic_fetch_sub(&prog->refs, 1) == 1)
		prog_free(prog);
}

unsigned ivr_prog_flow(const struct ivr_prog *prog)
{
	return prog->flow;
}

size_t ivr_prog_subflows(const struct ivr_prog *prog, const unsigned **ids)
{
	*ids = prog->subflows;
	return prog->nsubflows;
}
