/* GET /cc/records (the 通话记录 page) and GET /cc/api/records (JSON): the
 * calls the user may see, newest first, filtered as records.h says, a page
 * of `limit` (50) at a time, the next page by the last row's cursor. A bad
 * filter is 400 naming the parameter: JSON {ok:false, error:"bad_request",
 * field, message}; the page shows the form with the message. */
#include "records.h"

#include "../clock.h"
#include "../resource/resource.h"
#include "../tmpl/page.h"

#include <stdlib.h>
#include <string.h>

static const char *bad_filter(struct req *r, bool json, const char *field, xmlNode *el,
			      xmlDoc *doc)
{
	const char *msg = web_t(r, arena_printf(r->a, "records.bad.%s", field));
	if (json) {
		return resp_json(r, 400, json_pack("{s:b, s:s, s:s, s:s}", "ok", 0, "error",
						   "bad_request", "field", field, "message", msg));
	}
	xmlNode *e = xd_text(el, "error", msg);
	xd_attr(e, "field", field);
	return page_finish(r, doc, "records", 400);
}

static void choices(struct req *r, xmlNode *f, const char *what, const char *el)
{
	const char **pairs = NULL;
	size_t n = 0;
	if (rec_db_choices(r, what, &pairs, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		xd_attr(xd_text(f, el, pairs[2 * i + 1]), "id", pairs[2 * i]);
}

/* The form's values as typed, and the range the list covers. */
static void filter_doc(struct req *r, xmlNode *el, const struct rec_query *q)
{
	xmlNode *f = xd_el(el, "filter");
#define RAW(name) xd_attr(f, #name, kv_get(&r->query, #name));
	REC_FILTERS(RAW)
#undef RAW
	char buf[24];
	clock_format(r->web->tz, q->from, buf, sizeof buf);
	xd_attr(f, "range_from", buf);
	if (q->to) {
		clock_format(r->web->tz, q->to, buf, sizeof buf);
		xd_attr(f, "range_to", buf);
	}
	choices(r, f, "groups", "group");
	choices(r, f, "numbers", "number");
	if (r->sess->admin)
		choices(r, f, "agents", "agent");
}

static void row_doc(struct req *r, xmlNode *list, const struct rec_row *w)
{
	json_t *o = rec_row_json(r, w);
	xmlNode *c = xd_el(list, "call");
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		if (json_is_string(v))
			xd_attr(c, key, json_string_value(v));
		else if (json_is_integer(v))
			xd_attr_int(c, key, json_integer_value(v));
	}
	json_decref(o);
}

const char *records_list_get(struct req *r)
{
	const char *why = rec_allowed(r);
	if (why)
		return why;
	bool json = r->route->kind == RK_JSON;
	struct rec_query q;
	const char *bad = rec_parse(r->a, &r->query, r->web->tz, &r->web->phone,
				    web_wall_ms() / 1000, &q);
	/* Another agent's calls are not a non-admin's to read: refused, not
	 * quietly replaced by their own. */
	if (!bad && q.agent && !r->sess->admin && strcmp(q.agent, r->sess->user_id))
		return "forbidden";

	xmlDoc *doc = NULL;
	xmlNode *el = NULL;
	if (!json) {
		xmlNode *root = page_begin(r, "records", &doc);
		if (!root)
			return "internal";
		if (r->sess->admin)
			res_doc_side(root, "records");
		el = xd_el(root, "records");
		filter_doc(r, el, &q);
	}
	if (bad)
		return bad_filter(r, json, bad, el, doc);

	struct rec_row *rows = NULL;
	size_t n = 0;
	bool more = false;
	if (rec_db_list(r, &q, &rows, &n, &more) < 0) {
		if (doc)
			xmlFreeDoc(doc);
		return "db_unavailable";
	}
	const char *next = more && n ? rec_cursor(r->a, rows[n - 1].started, rows[n - 1].id) : NULL;
	if (json) {
		json_t *items = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(items, rec_row_json(r, &rows[i]));
		return resp_json(r, 200, json_pack("{s:b, s:o, s:s?, s:I}", "ok", 1, "items", items,
						   "next", next, "limit", (json_int_t)q.limit));
	}
	xmlNode *list = xd_el(el, "calls");
	xd_attr_int(list, "count", (long long)n);
	for (size_t i = 0; i < n; i++)
		row_doc(r, list, &rows[i]);
	if (next)
		xd_attr(list, "next", rec_href(r->a, "/cc/records", &q, next));
	if (q.after)
		xd_attr(list, "first", rec_href(r->a, "/cc/records", &q, NULL));
	return page_finish(r, doc, "records", 200);
}
