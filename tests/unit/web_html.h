/* For the web tests that render pages: XPath over a parsed HTML page.
 * Include after cmocka.h. */
#ifndef TEST_WEB_HTML_H
#define TEST_WEB_HTML_H

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>

/* The string value of expr on h (malloc'd; the caller frees). */
static inline char *xp(htmlDocPtr h, const char *expr)
{
	xmlXPathContextPtr x = xmlXPathNewContext(h);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, x);
	char *s = strdup(o && o->stringval ? (const char *)o->stringval : "");
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(x);
	return s;
}

/* Fails the test unless expr's string value on h is want. */
static inline void expect_xp(htmlDocPtr h, const char *expr, const char *want)
{
	char *got = xp(h, expr);
	if (strcmp(got, want))
		fail_msg("%s: got '%s', want '%s'", expr, got, want);
	free(got);
}

#endif
