/* GET the agents' list: the page (/cc/admin/agents) and JSON
 * (/cc/api/admin/agents), with search, filters, sorting and pages; and the
 * export of every agent as CSV (UTF-8 with BOM for Excel, cells safe from
 * formula injection). */
#include "agents.h"

#include "../tmpl/page.h"
#include "log.h"

#include <string.h>

static const char *const sorts[] = {
#define AG_SORT_NAME(n) #n,
	AG_SORTS(AG_SORT_NAME)
#undef AG_SORT_NAME
};

/* The list's URL with the query's filters, sort and page. */
static char *list_href(struct req *r, const struct ag_query *q, int sort, bool desc,
		       long long page)
{
	char *s = arena_strdup(r->a, "/cc/admin/agents?");
	if (q->q)
		s = arena_printf(r->a, "%sq=%s&", s, url_encode(r->a, q->q));
	if (q->state)
		s = arena_printf(r->a, "%sstate=%s&", s, q->state);
	if (q->reg)
		s = arena_printf(r->a, "%sreg=%s&", s, q->reg);
	if (q->group)
		s = arena_printf(r->a, "%sgroup=%s&", s, q->group);
	if (q->enabled)
		s = arena_printf(r->a, "%senabled=%s&", s, q->enabled);
	return arena_printf(r->a, "%ssort=%s&dir=%s&page=%lld", s, sorts[sort],
			    desc ? "desc" : "asc", page);
}

static char *page_href(struct req *r, const void *arg, long long n)
{
	const struct ag_query *q = arg;
	return list_href(r, q, q->sort, q->desc, n);
}

static const char *list_page(struct req *r, struct ag_query *q, const struct ag_row *rows,
			     size_t n, long long total)
{
	xmlDoc *doc;
	xmlNode *e = ag_page_begin(r, "list", &doc);
	if (!e)
		return "internal";
	xd_attr(e, "q", q->q);
	xd_attr(e, "state", q->state);
	xd_attr(e, "reg", q->reg);
	xd_attr(e, "group", q->group);
	xd_attr(e, "enabled", q->enabled);
	xd_attr(e, "sort", sorts[q->sort]);
	xd_attr(e, "dir", q->desc ? "desc" : "asc");
	const char *done = req_query(r, "done");
	if (done && (!strcmp(done, "deleted") || !strcmp(done, "imported")))
		xd_attr(e, "done", done);
	if (ag_db_groups(r, xd_el(e, "groups")) < 0) {
		xmlFreeDoc(doc);
		return "db_unavailable";
	}
	xmlNode *ss = xd_el(e, "sorts");
	for (size_t i = 0; i < sizeof sorts / sizeof *sorts; i++) {
		xmlNode *s = xd_el(ss, "sort");
		bool cur = q->sort == (int)i;
		xd_attr(s, "name", sorts[i]);
		/* The current column turns around; another starts ascending. */
		xd_attr(s, "href", list_href(r, q, (int)i, cur && !q->desc, 1));
		if (cur)
			xd_attr(s, "sorted", q->desc ? "desc" : "asc");
	}
	long long pages = page_count(total, q->per_page);
	xmlNode *list = xd_el(e, "rows");
	xd_attr_int(list, "total", total);
	xd_attr_int(list, "page", q->page);
	xd_attr_int(list, "pages", pages);
	for (size_t i = 0; i < n; i++)
		ag_row_node(r, list, &rows[i]);
	page_pager(r, e, q->page, pages, page_href, q);
	return page_finish(r, doc, "agents", 200);
}

const char *agents_list_get(struct req *r)
{
	bool json = r->route->kind == RK_JSON;
	struct ag_query q;
	ag_query_parse(r, json, &q);
	struct ag_row *rows = NULL;
	size_t n = 0;
	long long total = 0;
	if (ag_db_list(r, &q, &rows, &n, &total) < 0)
		return "db_unavailable";
	if (!json)
		return list_page(r, &q, rows, n, total);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, ag_json(&rows[i]));
	long long pages = page_count(total, q.per_page);
	return resp_json(r, 200, json_pack("{s:b, s:o, s:I, s:I, s:I, s:I, s:s, s:s}", "ok", 1,
					   "items", items, "total", (json_int_t)total, "page",
					   (json_int_t)q.page, "pages", (json_int_t)pages,
					   "per_page", (json_int_t)q.per_page, "sort",
					   sorts[q.sort], "dir", q.desc ? "desc" : "asc"));
}

/* Header of the export and of the template: the import reads the same. */
#define AG_CSV_HEADER "用户名,姓名,分机,登录密码,技能组\r\n"

static void csv_response(struct req *r, const char *filename)
{
	r->resp.status = 200;
	r->resp.ctype = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"%s\"", filename));
	r->resp.body.len = 0;
	buf_puts(r->a, &r->resp.body, "\xef\xbb\xbf" AG_CSV_HEADER);
}

const char *agents_export_get(struct req *r)
{
	struct ag_row *rows = NULL;
	size_t n = 0;
	if (ag_db_all(r, &rows, &n) < 0)
		return "db_unavailable";
	csv_response(r, "agents.csv");
	for (size_t i = 0; i < n; i++) {
		const struct ag_row *a = &rows[i];
		char *groups = arena_strdup(r->a, "");
		for (size_t k = 0; k < a->ngroups; k++)
			groups = arena_printf(r->a, "%s%s%s:%d", groups, k ? ";" : "",
					      a->groups[k].name, a->groups[k].level);
		/* The password column stays empty: it is never kept in clear. */
		char *line = arena_printf(r->a, "%s,%s,%s,,%s\r\n", csv_cell(r->a, a->username),
					  csv_cell(r->a, a->name), csv_cell(r->a, a->ext),
					  csv_cell(r->a, groups));
		if (!line || buf_puts(r->a, &r->resp.body, line))
			return "internal";
	}
	return NULL;
}

const char *agents_template_get(struct req *r)
{
	csv_response(r, "agents-template.csv");
	buf_puts(r->a, &r->resp.body, "zhangsan,张三,1101,Passw0rd1,客服一组:1\r\n"
				      "lisi,李四,,Passw0rd2,客服一组:1;客服二组:2\r\n");
	return NULL;
}
