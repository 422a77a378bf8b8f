/* Data documents for the templates (see tmpl.h). */
#include "tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t len;
	unsigned min;
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) {
		len = 2;
		min = 0x80;
		c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		min = 0x800;
		c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4;
		min = 0x10000;
		c &= 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) || c == 0xfffe || c == 0xffff)
		return 0;
	return len;
}

char *xd_clean(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *out = malloc(3 * n + 1), *o = out;
	if (!out)
		return NULL;
	const unsigned char *p = (const unsigned char *)s;
	while (n) {
		size_t l = utf8_len(p, n);
		if (!l) {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
			n--;
			continue;
		}
		if (l == 1 && (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')) {
			p++;
			n--;
			continue;
		}
		if (l == 1 && *p == 0x7f) {
			p++;
			n--;
			continue;
		}
		memcpy(o, p, l);
		o += l;
		p += l;
		n -= l;
	}
	*o = '\0';
	return out;
}

xmlDoc *xd_new(const char *root_name, xmlNode **rootp)
{
	xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
	if (!doc)
		return NULL;
	xmlNode *root = xmlNewNode(NULL, (const xmlChar *)root_name);
	if (!root) {
		xmlFreeDoc(doc);
		return NULL;
	}
	xmlDocSetRootElement(doc, root);
	*rootp = root;
	return doc;
}

xmlNode *xd_el(xmlNode *parent, const char *name)
{
	return parent ? xmlNewChild(parent, NULL, (const xmlChar *)name, NULL) : NULL;
}

xmlNode *xd_text(xmlNode *parent, const char *name, const char *text)
{
	if (!parent)
		return NULL;
	char *c = xd_clean(text);
	/* xmlNewTextChild stores content as text (xmlNewChild would parse
	 * entity references in it). */
	xmlNode *n = xmlNewTextChild(parent, NULL, (const xmlChar *)name, (const xmlChar *)c);
	free(c);
	return n;
}

void xd_attr(xmlNode *n, const char *name, const char *value)
{
	if (!n || !value)
		return;
	char *c = xd_clean(value);
	if (c)
		xmlNewProp(n, (const xmlChar *)name, (const xmlChar *)c);
	free(c);
}

xmlNode *xd_row(xmlNode *parent, const char *name, const char *const *attrs, int ncol, char **v)
{
	int n = 0;
	while (attrs[n])
		n++;
	if (ncol < n)
		return NULL;
	xmlNode *e = xd_el(parent, name);
	for (int i = 0; i < n; i++)
		xd_attr(e, attrs[i], v[i]);
	return e;
}

void xd_attr_int(xmlNode *n, const char *name, long long value)
{
	char b[32];
	snprintf(b, sizeof b, "%lld", value);
	xd_attr(n, name, b);
}
