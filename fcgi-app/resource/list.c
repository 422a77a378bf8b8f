/* GET /cc/admin/<name> (the list page) and GET /cc/api/admin/<name> (the
 * same rows as JSON): search, sort by a listed column, one page of rows.
 * After a change the page shows what was done (?done=created|updated|
 * deleted) and whether it waits for the B2BUA's next reload (&pending=1). */
#include "resource.h"

#include "../tmpl/page.h"

#include <string.h>

static void add_notice(struct req *r, xmlNode *res_el)
{
	static const char *const done[] = { "created", "updated", "deleted" };
	const char *d = req_query(r, "done");
	for (size_t i = 0; d && i < sizeof done / sizeof *done; i++) {
		if (strcmp(d, done[i]))
			continue;
		xmlNode *n = xd_el(res_el, "notice");
		xd_attr(n, "done", done[i]);
		const char *p = req_query(r, "pending");
		if (p && !strcmp(p, "1"))
			xd_attr(n, "pending", "1");
	}
}

static const char *json_list(struct req *r, const struct resource *res, const struct res_query *q,
			     const struct res_row *rows, size_t n, long long total)
{
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, res_json_row(res, &rows[i]));
	long long pages = page_count(total, q->per_page);
	return resp_json(r, 200, json_pack("{s:b, s:o, s:I, s:I, s:I, s:I, s:s?, s:s, s:s?}",
		"ok", 1, "items", items, "total", (json_int_t)total, "page", (json_int_t)q->page,
		"pages", (json_int_t)pages, "per_page", (json_int_t)q->per_page,
		"sort", q->sort >= 0 ? res->cols[q->sort].name : NULL,
		"dir", q->desc ? "desc" : "asc", "q", q->q));
}

const char *res_list_get(struct req *r)
{
	const struct resource *res = res_of(r);
	if (!res)
		return "internal";
	bool json = r->route->kind == RK_JSON;
	struct res_query q;
	res_query_parse(r, res, json, &q);
	struct res_row *rows = NULL;
	size_t n = 0;
	long long total = 0;
	if (res_db_list(r, res, &q, &rows, &n, &total) < 0)
		return "db_unavailable";
	if (json)
		return json_list(r, res, &q, rows, n, total);
	xmlDoc *doc;
	xmlNode *el = res_page_begin(r, res, "list", &doc);
	if (!el)
		return "internal";
	add_notice(r, el);
	res_doc_list(r, el, res, &q, rows, n, total);
	return page_finish(r, doc, "list", 200);
}
