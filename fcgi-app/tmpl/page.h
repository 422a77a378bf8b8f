/* What every page has: the data document's common part (language, user,
 * navigation, CSRF token, strings for the page's script) and rendering. */
#ifndef WEB_PAGE_H
#define WEB_PAGE_H

#include "tmpl.h"
#include "../web.h"

/* Starts the data document <page name=…> for r; NULL when out of memory. */
xmlNode *page_begin(struct req *r, const char *name, xmlDoc **docp);
/* Adds <strings><s k="…"/></strings>: catalogue keys the page's script
 * reads (the template puts their text in data attributes). */
void page_strings(xmlNode *root, const char *const *keys, size_t n);
/* Renders doc with the template, sets the response, frees doc. */
const char *page_finish(struct req *r, xmlDoc *doc, const char *tmpl_name, int status);

#endif
