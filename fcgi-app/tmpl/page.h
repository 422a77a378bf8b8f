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
/* The link of page n of a list (arg: the list's own query). */
typedef char *(page_href_h)(struct req *r, const void *arg, long long n);
/* <pager prev next><page n href current/><gap/>…</pager> under parent:
 * the first and last pages and two either side of page (of pages). */
void page_pager(struct req *r, xmlNode *parent, long long page, long long pages,
		page_href_h *href, const void *arg);
/* Pages of per_page rows that total rows take (1 when none). */
long long page_count(long long total, long long per_page);
/* Renders doc with the template, sets the response, frees doc. */
const char *page_finish(struct req *r, xmlDoc *doc, const char *tmpl_name, int status);

#endif
