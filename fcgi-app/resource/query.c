/* The list's search, sort and page from the query string. A sort names a
 * listed, sortable column (anything else: the resource's default); the
 * search is cut to RES_Q_MAX characters and loses control characters; a
 * page below 1 is 1 (one past the last is clamped by list.c). */
#include "resource.h"

#include <stdlib.h>
#include <string.h>

void res_query_parse(const struct req *r, const struct resource *res, bool json,
		     struct res_query *q)
{
	q->q = text_search(r->a, req_query(r, "q"), RES_Q_MAX);
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
	q->page = text_number(req_query(r, "page"), 1, 1, 1000000);
	q->per_page = json ? text_number(req_query(r, "per_page"), RES_PER_PAGE, 1, RES_PER_PAGE_MAX)
			   : RES_PER_PAGE;
}
