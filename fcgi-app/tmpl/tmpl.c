/* Stylesheets, catalogues and rendering (see tmpl.h). */
#include "tmpl.h"

#include "log.h"
#include "../web.h"

#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/xpathInternals.h>
#include <libxslt/extensions.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
#define TEMPLATE_ENUM(name) TMPL_##name,
	WEB_TEMPLATES(TEMPLATE_ENUM)
#undef TEMPLATE_ENUM
	TMPL_COUNT
};

static const char *const template_names[] = {
#define TEMPLATE_NAME(name) #name,
	WEB_TEMPLATES(TEMPLATE_NAME)
#undef TEMPLATE_NAME
};

static const char *const lang_codes[] = {
#define LANG_CODE(id, code) code,
	WEB_LANGS(LANG_CODE)
#undef LANG_CODE
};
#define NLANGS (sizeof lang_codes / sizeof *lang_codes)

struct tmpl {
	xsltStylesheetPtr style[TMPL_COUNT];
	xmlHashTablePtr cat[NLANGS];
};

/* What the t() extension function needs, hung on the transform context. */
struct render {
	const struct tmpl *t;
	const char *lang;
};

static int lang_index(const char *lang)
{
	for (size_t i = 0; i < NLANGS; i++)
		if (lang && !strcmp(lang, lang_codes[i]))
			return (int)i;
	return 0;
}

const char *tmpl_t(const struct tmpl *t, const char *lang, const char *key)
{
	if (!t || !key)
		return key ? key : "";
	const char *v = xmlHashLookup(t->cat[lang_index(lang)], (const xmlChar *)key);
	if (!v)
		v = xmlHashLookup(t->cat[0], (const xmlChar *)key);
	return v ? v : key;
}

static void xpath_t(xmlXPathParserContextPtr ctxt, int nargs)
{
	if (nargs != 1) {
		xmlXPathSetArityError(ctxt);
		return;
	}
	xmlChar *key = xmlXPathPopString(ctxt);
	xsltTransformContextPtr tc = xsltXPathGetTransformContext(ctxt);
	const struct render *rc = tc ? tc->_private : NULL;
	const char *v = rc ? tmpl_t(rc->t, rc->lang, (const char *)key) : (const char *)key;
	valuePush(ctxt, xmlXPathNewString((const xmlChar *)(v ? v : "")));
	xmlFree(key);
}

static void free_entry(void *payload, const xmlChar *name)
{
	(void)name;
	xmlFree(payload);
}

/* <catalog><s k="key">text</s>…</catalog>, added to *hp (created when NULL).
 * A key already there, from this file or another, is an error. */
static int load_catalog(xmlHashTablePtr *hp, const char *path, char *err, size_t errlen)
{
	xmlDoc *doc = xmlReadFile(path, "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		snprintf(err, errlen, "%s:%d: %s", path, e ? e->line : 0,
			 e && e->message ? e->message : "cannot read");
		return -1;
	}
	xmlHashTablePtr h = *hp ? *hp : xmlHashCreate(512);
	xmlNode *root = xmlDocGetRootElement(doc);
	for (xmlNode *n = root ? root->children : NULL; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "s"))
			continue;
		xmlChar *k = xmlGetProp(n, (const xmlChar *)"k");
		xmlChar *v = xmlNodeGetContent(n);
		if (!k || !v || xmlHashAddEntry(h, k, v)) {
			snprintf(err, errlen, "%s:%ld: string without k, or k used twice", path,
				 xmlGetLineNo(n));
			xmlFree(k);
			xmlFree(v);
			if (!*hp)
				xmlHashFree(h, free_entry);
			xmlFreeDoc(doc);
			return -1;
		}
		xmlFree(k);
	}
	xmlFreeDoc(doc);
	*hp = h;
	return 0;
}

static int registered;

int tmpl_load(struct tmpl **tp, const char *dir, char *err, size_t errlen)
{
	struct tmpl *t = calloc(1, sizeof *t);
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!registered) {
		xsltRegisterExtModuleFunction((const xmlChar *)"t", (const xmlChar *)I18N_NS, xpath_t);
		/* Templates are ours, still: no file writes, no network. */
		xsltSecurityPrefsPtr sec = xsltNewSecurityPrefs();
		xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid);
		xsltSetSecurityPrefs(sec, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid);
		xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid);
		xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid);
		xsltSetDefaultSecurityPrefs(sec);
		registered = 1;
	}
	char path[4096];
	for (size_t i = 0; i < NLANGS; i++) {
		snprintf(path, sizeof path, "%s/i18n/%s.xml", dir, lang_codes[i]);
		if (load_catalog(&t->cat[i], path, err, errlen))
			goto fail;
		/* A feature's own strings: i18n/<feature>.<lang>.xml. */
		glob_t g;
		snprintf(path, sizeof path, "%s/i18n/*.%s.xml", dir, lang_codes[i]);
		int grc = glob(path, 0, NULL, &g);
		for (size_t j = 0; grc == 0 && j < g.gl_pathc; j++)
			if (load_catalog(&t->cat[i], g.gl_pathv[j], err, errlen)) {
				globfree(&g);
				goto fail;
			}
		if (grc == 0)
			globfree(&g);
	}
	for (int i = 0; i < TMPL_COUNT; i++) {
		snprintf(path, sizeof path, "%s/%s.xsl", dir, template_names[i]);
		xmlDoc *sd = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
		if (!sd) {
			const xmlError *e = xmlGetLastError();
			snprintf(err, errlen, "%s:%d: %s", path, e ? e->line : 0,
				 e && e->message ? e->message : "cannot read");
			goto fail;
		}
		t->style[i] = xsltParseStylesheetDoc(sd);
		if (!t->style[i] || t->style[i]->errors) {
			if (!t->style[i])
				xmlFreeDoc(sd);
			snprintf(err, errlen, "%s: not a valid stylesheet (see the messages above)", path);
			goto fail;
		}
	}
	*tp = t;
	return 0;
fail:
	{
		char *nl = strchr(err, '\n');
		if (nl)
			*nl = '\0';
	}
	tmpl_free(t);
	return -1;
}

void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	for (int i = 0; i < TMPL_COUNT; i++)
		if (t->style[i])
			xsltFreeStylesheet(t->style[i]);
	for (size_t i = 0; i < NLANGS; i++)
		if (t->cat[i])
			xmlHashFree(t->cat[i], free_entry);
	free(t);
}

char *tmpl_render(const struct tmpl *t, const char *name, xmlDoc *data, const char *lang,
		  size_t *lenp)
{
	int which = -1;
	for (int i = 0; i < TMPL_COUNT; i++)
		if (!strcmp(template_names[i], name))
			which = i;
	if (which < 0 || !t->style[which])
		return NULL;
	xsltStylesheetPtr style = t->style[which];
	xsltTransformContextPtr tc = xsltNewTransformContext(style, data);
	if (!tc)
		return NULL;
	struct render rc = { t, lang };
	tc->_private = &rc;
	xmlDoc *res = xsltApplyStylesheetUser(style, data, NULL, NULL, NULL, tc);
	bool ok = res && tc->state == XSLT_STATE_OK;
	xsltFreeTransformContext(tc);
	char *out = NULL;
	xmlChar *html = NULL;
	int len = 0;
	if (ok && xsltSaveResultToString(&html, &len, res, style) == 0 && html) {
		static const char doctype[] = "<!DOCTYPE html>\n";
		size_t dl = sizeof doctype - 1;
		out = malloc(dl + (size_t)len + 1);
		if (out) {
			memcpy(out, doctype, dl);
			memcpy(out + dl, html, (size_t)len);
			out[dl + (size_t)len] = '\0';
			if (lenp)
				*lenp = dl + (size_t)len;
		}
	} else {
		log_err("template %s failed to render", name);
	}
	xmlFree(html);
	xmlFreeDoc(res);
	return out;
}
