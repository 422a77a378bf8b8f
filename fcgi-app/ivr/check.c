/* A flow document read and checked for the console: well-formedness and
 * size (a draft is saved even when its checks fail), the schema and the
 * graph (common/ivr.h) with references answered from the database, and the
 * problems as JSON with their messages in the admin's language. */
#include "ivr.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

const char *ivr_schema_path(struct req *r)
{
	/* The flow language's schema is shipped beside the manifest's. */
	const char *m = r->web->conf.manifest_schema;
	const char *slash = strrchr(m, '/');
	if (!slash)
		return "ivr-flow.rng";
	return arena_printf(r->a, "%.*s/ivr-flow.rng", (int)(slash - m), m);
}

int ivr_check_document(struct req *r, const char *doc, size_t len, const char *self,
		       struct ivr_problems *p)
{
	const char *schema = ivr_schema_path(r);
	struct ivr_flow *f = NULL;
	if (!schema)
		return -1;
	if (ivr_parse(doc, len, schema, &f, p))
		return 0;
	struct ivr_exists_ctx ctx = { .r = r, .self = self };
	ivr_check(f, ivr_db_exists, &ctx, p);
	ivr_free(f);
	return ctx.failed ? -1 : 0;
}

/* text with every "{k}" replaced by v (in the arena). */
static const char *fill(struct req *r, const char *text, const char *k, const char *v)
{
	const char *at;
	const char *out = text;
	size_t klen = strlen(k);
	while (out && (at = strstr(out, k)))
		out = arena_printf(r->a, "%.*s%s%s", (int)(at - out), out, v, at + klen);
	return out ? out : text;
}

const char *ivr_problem_message(struct req *r, const char *code, const char *node,
				const char *detail)
{
	const char *text = web_t(r, code);
	text = fill(r, text, "{node}", node ? node : "");
	return fill(r, text, "{detail}", detail ? detail : "");
}

json_t *ivr_problems_json(struct req *r, const struct ivr_problems *p)
{
	json_t *a = json_array();
	for (size_t i = 0; p && i < p->n; i++) {
		const struct ivr_problem *pr = &p->v[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:i, s:s, s:s}", "code", pr->code,
						   "node", pr->node, "line", pr->line, "detail",
						   pr->detail, "message",
						   ivr_problem_message(r, pr->code, pr->node,
								       pr->detail)));
	}
	return a;
}

const char *ivr_well_formed(const char *doc, size_t len)
{
	if (!doc || !len)
		return "ivr.err.document_required";
	if (len > IVR_DOC_MAX)
		return "ivr.err.too_large";
	if (memchr(doc, '\0', len) || utf8_chars(doc) < 0)
		return "ivr.err.not_utf8";
	xmlDoc *d = xmlReadMemory(doc, (int)len, NULL, "UTF-8",
				  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!d)
		return "ivr.err.not_xml";
	xmlFreeDoc(d);
	return NULL;
}

char *ivr_new_document(const char *name)
{
	xmlDoc *d = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *flow = d ? xmlNewNode(NULL, (const xmlChar *)"flow") : NULL;
	if (!flow) {
		xmlFreeDoc(d);
		return NULL;
	}
	xmlDocSetRootElement(d, flow);
	xmlNs *ns = xmlNewNs(flow, (const xmlChar *)"urn:cc:ivr-flow:1", NULL);
	xmlSetNs(flow, ns);
	xmlNewProp(flow, (const xmlChar *)"name", (const xmlChar *)name);
	xmlNode *start = xmlNewChild(flow, ns, (const xmlChar *)"start", NULL);
	xmlNewProp(start, (const xmlChar *)"id", (const xmlChar *)"start");
	xmlNewProp(start, (const xmlChar *)"next", (const xmlChar *)"hangup");
	xmlNewProp(start, (const xmlChar *)"x", (const xmlChar *)"80");
	xmlNewProp(start, (const xmlChar *)"y", (const xmlChar *)"160");
	xmlNode *end = xmlNewChild(flow, ns, (const xmlChar *)"hangup", NULL);
	xmlNewProp(end, (const xmlChar *)"id", (const xmlChar *)"hangup");
	xmlNewProp(end, (const xmlChar *)"x", (const xmlChar *)"360");
	xmlNewProp(end, (const xmlChar *)"y", (const xmlChar *)"160");
	xmlChar *out = NULL;
	int n = 0;
	xmlDocDumpFormatMemoryEnc(d, &out, &n, "UTF-8", 1);
	xmlFreeDoc(d);
	char *s = out ? strndup((const char *)out, (size_t)n) : NULL;
	xmlFree(out);
	return s;
}
