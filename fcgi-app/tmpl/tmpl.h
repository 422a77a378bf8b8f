/* Page templates: XSLT stylesheets compiled once at start and applied from
 * any thread (each render has its own transform context), the i18n
 * catalogues, and helpers to build the XML data documents pages are made
 * from. Text goes into documents as data (text nodes, attribute values) and
 * the HTML output escapes it: no markup is ever pasted together. */
#ifndef WEB_TMPL_H
#define WEB_TMPL_H

#include <libxml/tree.h>
#include <stddef.h>

/* The page stylesheets, templates/<name>.xsl (each imports layout.xsl). */
#define WEB_TEMPLATES(X) X(login) X(workbench) X(admin) X(list) X(form) X(error) X(audit) \
	X(agents) X(audio) X(ivr) X(ivr_editor) X(voicemail) X(task) X(reports) \
	X(records) X(wallboard) X(missed)

/* Namespace of the XSLT extension function t('key'): the catalogue text of
 * key in the page's language. */
#define I18N_NS "urn:cc:i18n"

struct tmpl;

/* Loads dir/<name>.xsl for each template and dir/i18n/<lang>.xml for each
 * language. On failure writes the reason (with file and line) to err. */
int tmpl_load(struct tmpl **tp, const char *dir, char *err, size_t errlen);
void tmpl_free(struct tmpl *t);
/* Renders data with the named stylesheet in lang. Returns "<!DOCTYPE html>"
 * and the page, malloc'd (the caller frees), or NULL. */
char *tmpl_render(const struct tmpl *t, const char *name, xmlDoc *data, const char *lang,
		  size_t *lenp);
/* The catalogue text of key in lang, else in zh-CN, else key itself. */
const char *tmpl_t(const struct tmpl *t, const char *lang, const char *key);

/* --- xdoc.c: data documents ------------------------------------------------
 * Strings are copied; invalid UTF-8 becomes U+FFFD and control characters
 * other than tab and line breaks are dropped, so any text from a database
 * or a request is safe to add. NULL text adds nothing (xd_text: an empty
 * element). */
xmlDoc *xd_new(const char *root_name, xmlNode **rootp);
xmlNode *xd_el(xmlNode *parent, const char *name);
xmlNode *xd_text(xmlNode *parent, const char *name, const char *text);
void xd_attr(xmlNode *n, const char *name, const char *value);
void xd_attr_int(xmlNode *n, const char *name, long long value);
/* A database row as an element: <name attrs[0]="v[0]" ...>, one attribute
 * per name in attrs (NULL-terminated); NULL values are left out. Returns
 * the element, or NULL when the row has fewer columns than names. */
xmlNode *xd_row(xmlNode *parent, const char *name, const char *const *attrs, int ncol, char **v);
/* A copy of s fixed as above (malloc'd); NULL for NULL. */
char *xd_clean(const char *s);

#endif
