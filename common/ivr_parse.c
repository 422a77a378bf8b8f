/* Reading a flow document into its graph (see ivr.h). */
#include "ivr.h"

#include "arena.h"

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NODE_NAME(name, el, waits, ends) el,
static const char *const node_names[] = { IVR_NODE_TYPES(NODE_NAME) };
#undef NODE_NAME
#define REF_NAME(name, str) str,
static const char *const ref_names[] = { IVR_REF_KINDS(REF_NAME) };
#undef REF_NAME

const char *ivr_node_type_name(enum ivr_node_type t)
{
	return (unsigned)t < IVR_NODE_TYPE_COUNT ? node_names[t] : "?";
}

const char *ivr_ref_kind_name(enum ivr_ref_kind k)
{
	return (unsigned)k < IVR_REF_KIND_COUNT ? ref_names[k] : "?";
}

int ivr_node_type_parse(const char *element)
{
	for (int i = 0; element && i < IVR_NODE_TYPE_COUNT; i++)
		if (!strcmp(element, node_names[i]))
			return i;
	return -1;
}

static void vproblem(struct ivr_problems *p, const char *code, const char *node, int line,
		     const char *fmt, va_list ap)
{
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 16;
		struct ivr_problem *v = realloc(p->v, nc * sizeof *v);
		if (!v)
			return;
		p->v = v;
		p->cap = nc;
	}
	struct ivr_problem *e = &p->v[p->n++];
	e->code = code;
	snprintf(e->node, sizeof e->node, "%s", node ? node : "");
	e->line = line;
	e->detail[0] = '\0';
	if (fmt)
		vsnprintf(e->detail, sizeof e->detail, fmt, ap);
}

void ivr_problem(struct ivr_problems *p, const char *code, const char *node, int line,
		 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vproblem(p, code, node, line, fmt, ap);
	va_end(ap);
}

void ivr_problems_free(struct ivr_problems *p)
{
	free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}

/* --- the schema ------------------------------------------------------------------- */

struct schema_errors {
	struct ivr_problems *p;
};

static void schema_error(void *ctx, const xmlError *e)
{
	struct schema_errors *s = ctx;
	if (!e)
		return;
	int line = e->line;
	if (!line && e->node)
		line = (int)xmlGetLineNo((xmlNode *)e->node);
	char msg[160];
	snprintf(msg, sizeof msg, "%s", e->message ? e->message : "invalid");
	char *nl = strchr(msg, '\n');
	if (nl)
		*nl = '\0';
	/* The node whose element holds the offending one: the child of <flow>
	 * it is in, when it has an id. */
	xmlChar *id = NULL;
	/* An error of <flow> itself is reported on its first child: no node. */
	size_t ml = strlen(msg);
	bool of_flow = strstr(msg, "Element flow ") ||
		       (ml >= 13 && !strcmp(msg + ml - 13, " element flow"));
	for (xmlNode *n = of_flow ? NULL : e->node; n && n->type != XML_DOCUMENT_NODE; n = n->parent)
		if (n->type == XML_ELEMENT_NODE && n->parent && n->parent->type == XML_ELEMENT_NODE &&
		    n->parent->parent && n->parent->parent->type == XML_DOCUMENT_NODE) {
			id = xmlGetProp(n, (const xmlChar *)"id");
			break;
		}
	ivr_problem(s->p, "ivr.schema", (const char *)id, line, "%s", msg);
	xmlFree(id);
}

/* The document against the schema; its problems added. 0 when valid. */
static int validate(xmlDoc *doc, const char *schema, struct ivr_problems *p)
{
	if (!schema)
		return 0;
	size_t before = p->n;
	xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(schema);
	xmlRelaxNGPtr rng = pc ? xmlRelaxNGParse(pc) : NULL;
	xmlRelaxNGValidCtxtPtr vc = rng ? xmlRelaxNGNewValidCtxt(rng) : NULL;
	int rc = -1;
	if (!vc) {
		ivr_problem(p, "ivr.schema", NULL, 0, "the schema %s cannot be read", schema);
	} else {
		struct schema_errors s = { p };
		xmlRelaxNGSetValidStructuredErrors(vc, (xmlStructuredErrorFunc)schema_error, &s);
		rc = xmlRelaxNGValidateDoc(vc, doc);
		/* libxml2 adds a line-less summary ("Element key failed to
		 * validate attributes") beside the errors that have a line:
		 * those say it better. */
		bool placed = false;
		for (size_t i = before; i < p->n; i++)
			placed |= p->v[i].line > 0;
		size_t k = before;
		for (size_t i = before; i < p->n; i++)
			if (!placed || p->v[i].line > 0 || p->v[i].node[0])
				p->v[k++] = p->v[i];
		p->n = k;
		if (rc && p->n == before)
			ivr_problem(p, "ivr.schema", NULL, 0, "the document does not match the schema");
	}
	xmlRelaxNGFreeValidCtxt(vc);
	xmlRelaxNGFree(rng);
	xmlRelaxNGFreeParserCtxt(pc);
	return rc ? -1 : 0;
}

/* --- the graph --------------------------------------------------------------------- */

struct reader {
	struct arena *a;
	struct ivr_problems *p;
	bool failed;		/* out of memory */
};

/* An attribute's value in the arena, or NULL. */
static const char *attr(struct reader *r, xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	char *s = arena_strdup(r->a, (const char *)v);
	xmlFree(v);
	if (!s)
		r->failed = true;
	return s;
}

static bool is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* Growing arrays in the arena: small (a node's exits, reads, refs). */
#define PUSH(r, arr, n, cap, val)                                                       \
	do {                                                                            \
		if ((n) == (cap)) {                                                     \
			size_t nc_ = (cap) ? (cap) * 2 : 4;                             \
			void *p_ = arena_alloc((r)->a, nc_ * sizeof *(arr));            \
			if (!p_) {                                                      \
				(r)->failed = true;                                     \
				break;                                                  \
			}                                                               \
			if (n)                                                          \
				memcpy(p_, (arr), (n) * sizeof *(arr));                 \
			(arr) = p_;                                                     \
			(cap) = nc_;                                                    \
		}                                                                       \
		(arr)[(n)++] = (val);                                                   \
	} while (0)

struct building {
	struct ivr_node *node;
	size_t exits_cap, reads_cap, refs_cap;
};

/* A required exit not given is kept with no target (ivr_check reports it:
 * a drawing may leave exits unconnected); an optional one is left out. */
static void add_exit_of(struct reader *r, struct building *b, const char *name,
			const char *target, const char *defines, const char *const *list,
			bool optional)
{
	if (!target && optional)
		return;
	struct ivr_exit e = { .name = name, .target = target, .to = -1, .defines = defines,
			      .defines_list = list };
	PUSH(r, b->node->exits, b->node->nexits, b->exits_cap, e);
}

static void add_exit(struct reader *r, struct building *b, const char *name, const char *target,
		     const char *defines, const char *const *list)
{
	add_exit_of(r, b, name, target, defines, list, false);
}

static void add_read(struct reader *r, struct building *b, const char *var)
{
	for (size_t i = 0; i < b->node->nreads; i++)
		if (!strcmp(b->node->reads[i], var))
			return;
	PUSH(r, b->node->reads, b->node->nreads, b->reads_cap, var);
}

/* The variables a template reads: every ${name}; anything else is text. */
static void add_template(struct reader *r, struct building *b, const char *t)
{
	for (const char *s = t ? strstr(t, "${") : NULL; s; s = strstr(s + 2, "${")) {
		const char *n = s + 2;
		size_t len = strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_");
		if (len && len <= 32 && n[len] == '}' && !(n[0] >= '0' && n[0] <= '9')) {
			char *v = arena_strndup(r->a, n, len);
			if (!v)
				r->failed = true;
			else
				add_read(r, b, v);
		}
	}
}

static void add_ref(struct reader *r, struct building *b, enum ivr_ref_kind kind, const char *key,
		    int line)
{
	if (!key)
		return;
	struct ivr_ref ref = { kind, key, line };
	PUSH(r, b->node->refs, b->node->nrefs, b->refs_cap, ref);
}

/* <prompt audio|tts>: its file or its text's variables. */
static void prompts(struct reader *r, struct building *b, xmlNode *n)
{
	for (xmlNode *c = n->children; c; c = c->next) {
		if (!is(c, "prompt"))
			continue;
		add_ref(r, b, IVR_REF_AUDIO, attr(r, c, "audio"), (int)xmlGetLineNo(c));
		add_template(r, b, attr(r, c, "tts"));
	}
}

/* The exits, reads and references of node n of type t. */
static void read_node(struct reader *r, struct building *b, xmlNode *n, enum ivr_node_type t)
{
	int line = (int)xmlGetLineNo(n);
	switch (t) {
	case IVR_START:
		add_exit(r, b, "next", attr(r, n, "next"), NULL, NULL);
		for (xmlNode *c = n->children; c; c = c->next)
			if (is(c, "param"))
				add_template(r, b, attr(r, c, "default"));
		break;
	case IVR_PLAY:
		prompts(r, b, n);
		add_exit(r, b, "next", attr(r, n, "next"), NULL, NULL);
		break;
	case IVR_MENU:
		prompts(r, b, n);
		add_ref(r, b, IVR_REF_AUDIO, attr(r, n, "invalid-audio"), line);
		add_ref(r, b, IVR_REF_AUDIO, attr(r, n, "timeout-audio"), line);
		for (xmlNode *c = n->children; c; c = c->next)
			if (is(c, "key")) {
				const char *d = attr(r, c, "digit");
				add_exit(r, b, arena_printf(r->a, "key %s", d ? d : "?"),
					 attr(r, c, "next"), NULL, NULL);
			}
		add_exit(r, b, "fallback", attr(r, n, "fallback"), NULL, NULL);
		break;
	case IVR_COLLECT:
		prompts(r, b, n);
		add_exit(r, b, "next", attr(r, n, "next"), attr(r, n, "var"), NULL);
		add_exit(r, b, "fail", attr(r, n, "fail"), NULL, NULL);
		break;
	case IVR_BRANCH: {
		unsigned k = 0;
		for (xmlNode *c = n->children; c; c = c->next) {
			if (!is(c, "case"))
				continue;
			k++;
			for (xmlNode *i = c->children; i; i = i->next)
				if (is(i, "if")) {
					const char *v = attr(r, i, "var");
					if (v)
						add_read(r, b, v);
					add_template(r, b, attr(r, i, "value"));
				}
			add_exit(r, b, arena_printf(r->a, "case %u", k), attr(r, c, "next"), NULL, NULL);
		}
		add_exit(r, b, "else", attr(r, n, "else"), NULL, NULL);
		break;
	}
	case IVR_TIME:
		add_exit(r, b, "open", attr(r, n, "open"), NULL, NULL);
		add_exit(r, b, "closed", attr(r, n, "closed"), NULL, NULL);
		break;
	case IVR_SET:
		add_template(r, b, attr(r, n, "value"));
		add_exit(r, b, "next", attr(r, n, "next"), attr(r, n, "var"), NULL);
		break;
	case IVR_HTTP: {
		add_template(r, b, attr(r, n, "url"));
		size_t nres = 0;
		for (xmlNode *c = n->children; c; c = c->next) {
			if (is(c, "header"))
				add_template(r, b, attr(r, c, "value"));
			if (is(c, "body")) {
				xmlChar *t = xmlNodeGetContent(c);
				char *s = t ? arena_strdup(r->a, (const char *)t) : NULL;
				xmlFree(t);
				add_template(r, b, s);
			}
			nres += is(c, "result");
		}
		const char **res = arena_alloc(r->a, (nres + 1) * sizeof *res);
		size_t k = 0;
		for (xmlNode *c = n->children; res && c; c = c->next)
			if (is(c, "result"))
				res[k++] = attr(r, c, "var");
		if (res)
			res[k] = NULL;
		else
			r->failed = true;
		add_exit(r, b, "ok", attr(r, n, "ok"), NULL, res);
		add_exit(r, b, "error", attr(r, n, "error"), NULL, NULL);
		add_exit(r, b, "timeout", attr(r, n, "timeout"), NULL, NULL);
		break;
	}
	case IVR_QUEUE:
		add_ref(r, b, IVR_REF_GROUP, attr(r, n, "group"), line);
		for (xmlNode *c = n->children; c; c = c->next)
			if (is(c, "attach")) {
				const char *v = attr(r, c, "var");
				if (v)
					add_read(r, b, v);
			}
		add_exit(r, b, "next", attr(r, n, "next"), NULL, NULL);
		add_exit_of(r, b, "after", attr(r, n, "after"), NULL, NULL, true);
		break;
	case IVR_AGENT:
		add_ref(r, b, IVR_REF_AGENT, attr(r, n, "agent"), line);
		add_exit(r, b, "next", attr(r, n, "next"), NULL, NULL);
		add_exit_of(r, b, "after", attr(r, n, "after"), NULL, NULL, true);
		break;
	case IVR_DIAL:
		add_template(r, b, attr(r, n, "number"));
		add_template(r, b, attr(r, n, "caller-id"));
		add_exit(r, b, "next", attr(r, n, "next"), NULL, NULL);
		break;
	case IVR_VOICEMAIL:
		prompts(r, b, n);
		add_ref(r, b, IVR_REF_GROUP, attr(r, n, "group"), line);
		add_exit(r, b, "next", attr(r, n, "next"), NULL, NULL);
		break;
	case IVR_SURVEY:
		prompts(r, b, n);
		add_exit(r, b, "next", attr(r, n, "next"), NULL, NULL);
		break;
	case IVR_SUBFLOW:
		add_ref(r, b, IVR_REF_FLOW, attr(r, n, "flow"), line);
		add_exit(r, b, "next", attr(r, n, "next"), NULL, NULL);
		break;
	case IVR_HANGUP:
	case IVR_END:
	case IVR_NODE_TYPE_COUNT:
		break;
	}
}

static int build(struct ivr_flow *f, xmlNode *root, struct ivr_problems *p)
{
	struct reader r = { .a = f->arena, .p = p };
	size_t count = 0;
	for (xmlNode *n = root->children; n; n = n->next)
		count += n->type == XML_ELEMENT_NODE;
	f->nodes = arena_alloc(f->arena, (count ? count : 1) * sizeof *f->nodes);
	if (!f->nodes)
		return -1;
	memset(f->nodes, 0, (count ? count : 1) * sizeof *f->nodes);
	f->name = attr(&r, root, "name");
	size_t before = p->n;
	for (xmlNode *n = root->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		int t = ivr_node_type_parse((const char *)n->name);
		if (t < 0)
			continue;	/* the schema said so already */
		struct ivr_node *node = &f->nodes[f->n++];
		node->type = (enum ivr_node_type)t;
		node->id = attr(&r, n, "id");
		node->line = (int)xmlGetLineNo(n);
		node->xml = n;
		for (size_t i = 0; i + 1 < f->n; i++)
			if (node->id && f->nodes[i].id && !strcmp(node->id, f->nodes[i].id))
				ivr_problem(p, "ivr.duplicate_id", node->id, node->line, "%s", node->id);
		struct building b = { .node = node };
		read_node(&r, &b, n, node->type);
		if (t == IVR_START) {
			size_t cap = 0;
			for (xmlNode *c = n->children; c; c = c->next)
				if (is(c, "param")) {
					const char *name = attr(&r, c, "name");
					if (name)
						PUSH(&r, f->params, f->nparams, cap, name);
				}
		}
	}
	if (r.failed) {
		ivr_problem(p, "ivr.internal", NULL, 0, "out of memory");
		return -1;
	}
	/* Exits to node indexes. */
	for (size_t i = 0; i < f->n; i++)
		for (size_t k = 0; k < f->nodes[i].nexits; k++) {
			struct ivr_exit *e = &f->nodes[i].exits[k];
			for (size_t j = 0; e->target && j < f->n; j++)
				if (f->nodes[j].id && !strcmp(f->nodes[j].id, e->target))
					e->to = (int)j;
		}
	return p->n == before ? 0 : -1;
}

int ivr_parse(const char *xml, size_t len, const char *schema, struct ivr_flow **out,
	      struct ivr_problems *p)
{
	*out = NULL;
	if (len > INT32_MAX) {
		ivr_problem(p, "ivr.schema", NULL, 0, "the document is too large");
		return -1;
	}
	/* No network, no entities expanded, no DTD loaded. */
	xmlDoc *doc = xmlReadMemory(xml, (int)len, "flow.xml", "UTF-8",
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		char msg[160];
		snprintf(msg, sizeof msg, "%s", e && e->message ? e->message : "not XML");
		char *nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		ivr_problem(p, "ivr.schema", NULL, e ? e->line : 0, "%s", msg);
		return -1;
	}
	if (validate(doc, schema, p)) {
		xmlFreeDoc(doc);
		return -1;
	}
	struct ivr_flow *f = calloc(1, sizeof *f);
	if (!f || !(f->arena = arena_new())) {
		free(f);
		xmlFreeDoc(doc);
		ivr_problem(p, "ivr.internal", NULL, 0, "out of memory");
		return -1;
	}
	f->doc = doc;
	/* The schema puts the start first. */
	if (build(f, xmlDocGetRootElement(doc), p)) {
		ivr_free(f);
		return -1;
	}
	*out = f;
	return 0;
}

void ivr_free(struct ivr_flow *f)
{
	if (!f)
		return;
	xmlFreeDoc(f->doc);
	arena_free(f->arena);
	free(f);
}
