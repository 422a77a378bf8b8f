/* The list's search, sort and page from the query string. A sort names a
 * listed, sortable column (anything else: the resource's default); the
 * search is cut to RES_Q_MAX characters and loses control characters; a
 * page below 1 is 1 (one past the last is clamped by list.c). */
#include "resource.h"

#include <stdlib.h>
#include <string.h>

static long long number(const char *s, long long dflt, long long lo, long long hi)
{
	if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
		return dflt;
	long long v = atoll(s);
	return v < lo ? lo : v > hi ? hi : v;
}

/* The search text: trimmed, no control characters, at most RES_Q_MAX
 * characters; NULL when empty or not UTF-8. */
static const char *search_text(struct arena *a, const char *q)
{
	if (!q || utf8_chars(q) < 0)
		return NULL;
	char *s = arena_strdup(a, q), *o = s;
	if (!s)
		return NULL;
	long chars = 0;
	for (const unsigned char *p = (const unsigned char *)q; *p && chars < RES_Q_MAX; chars++) {
		size_t len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : 4;
		if (len == 1 && (*p < 0x20 || *p == 0x7f)) {
			p++;
			continue;
		}
		memcpy(o, p, len);
		o += len;
		p += len;
	}
	*o = '\0';
	while (*s == ' ')
		s++;
	while (o > s && o[-1] == ' ')
		*--o = '\0';
	return *s ? s : NULL;
}

void res_query_parse(const struct req *r, const struct resource *res, bool json,
		     struct res_query *q)
{
	q->q = search_text(r->a, req_query(r, "q"));
	int s = res_col_index(res, req_query(r, "sort"));
	if (s < 0 || !(res->cols[s].show & RES_SORT)) {
		s = res_col_index(res, res->sort);
		q->desc = res->desc;
	} else {
		q->desc = false;
	}
	q->sort = s;
	const char *dir = req_query(r, "dir");
	if (dir && !strcmp(dir, "desc"))
		q->desc = true;
	else if (dir && !strcmp(dir, "asc"))
		q->desc = false;
	q->page = number(req_query(r, "page"), 1, 1, 1000000);
	q->per_page = json ? number(req_query(r, "per_page"), RES_PER_PAGE, 1, RES_PER_PAGE_MAX)
			   : RES_PER_PAGE;
}
