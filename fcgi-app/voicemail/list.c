/* GET /cc/voicemail (the 留言 page) and GET /cc/api/voicemail (JSON): the
 * messages the user may see, newest first, 20 a page; filters ?group=ID
 * and ?handled=0|1. Each row: caller, group, time, length, handled or not
 * and by whom, an <audio> fed by play.c, a download, and "mark handled". */
#include "voicemail.h"

#include "../resource/resource.h"
#include "../tmpl/page.h"

#include <stdlib.h>
#include <string.h>

static void parse(const struct req *r, bool json, struct vm_query *q)
{
	*q = (struct vm_query){ .handled = -1, .page = 1, .per_page = VM_PER_PAGE };
	q->group = (unsigned)text_number(req_query(r, "group"), 0, 0, 4294967295ll);
	const char *h = req_query(r, "handled");
	if (h && !strcmp(h, "0"))
		q->handled = 0;
	else if (h && !strcmp(h, "1"))
		q->handled = 1;
	q->page = text_number(req_query(r, "page"), 1, 1, 1000000);
	if (json)
		q->per_page = text_number(req_query(r, "per_page"), VM_PER_PAGE, 1, 100);
}

static char *page_href(struct req *r, const void *arg, long long n)
{
	const struct vm_query *q = arg;
	char *s = arena_strdup(r->a, "/cc/voicemail?");
	if (q->group)
		s = arena_printf(r->a, "%sgroup=%u&", s, q->group);
	if (q->handled >= 0)
		s = arena_printf(r->a, "%shandled=%d&", s, q->handled);
	return arena_printf(r->a, "%spage=%lld", s, n);
}

const char *voicemail_list_get(struct req *r)
{
	const char *why = vm_allowed(r);
	if (why)
		return why;
	bool json = r->route->kind == RK_JSON;
	struct vm_query q;
	parse(r, json, &q);
	struct vm *rows = NULL;
	size_t n = 0, ngroups = 0;
	const char **groups = NULL;
	long long total = 0;
	if (vm_db_list(r, &q, &rows, &n, &total) < 0 || vm_db_groups(r, &groups, &ngroups) < 0)
		return "db_unavailable";
	long long pages = page_count(total, q.per_page);
	if (json) {
		json_t *list = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(list, vm_json(&rows[i]));
		return resp_json(r, 200, json_pack("{s:b, s:o, s:I, s:I, s:I}", "ok", 1, "voicemail",
						   list, "total", total, "page", q.page, "pages",
						   pages));
	}
	xmlDoc *doc;
	xmlNode *root = page_begin(r, "voicemail", &doc);
	if (!root)
		return "internal";
	if (r->sess->admin)
		res_doc_side(root, "voicemail");
	static const char *const strings[] = { "voicemail.handle_failed" };
	page_strings(root, strings, 1);
	xmlNode *el = xd_el(root, "voicemail");
	xmlNode *f = xd_el(el, "filter");
	if (q.group)
		xd_attr_int(f, "group", q.group);
	if (q.handled >= 0)
		xd_attr_int(f, "handled", q.handled);
	for (size_t i = 0; i < ngroups; i++) {
		xmlNode *g = xd_text(f, "group", groups[2 * i + 1]);
		xd_attr(g, "id", groups[2 * i]);
	}
	const char *d = req_query(r, "done");
	if (d && !strcmp(d, "handled"))
		xd_attr(el, "done", "handled");
	xmlNode *list = xd_el(el, "messages");
	xd_attr_int(list, "total", total);
	for (size_t i = 0; i < n; i++) {
		const struct vm *v = &rows[i];
		xmlNode *m = xd_el(list, "message");
#define VM_ATTR(c) xd_attr(m, #c, v->c);
		VM_COLS(VM_ATTR)
#undef VM_ATTR
		xd_attr(m, "audio", arena_printf(r->a, "/cc/voicemail/%s/play", v->id));
		xd_attr(m, "download", arena_printf(r->a, "/cc/voicemail/%s/download", v->id));
		xd_attr(m, "handle", arena_printf(r->a, "/cc/voicemail/%s/handle", v->id));
		xd_attr_int(m, "seconds", (atoll(v->duration_ms) + 500) / 1000);
	}
	page_pager(r, el, q.page, pages, page_href, &q);
	return page_finish(r, doc, "voicemail", 200);
}
