/* The common part of every page (see page.h). */
#include "page.h"

#include <stdlib.h>
#include <string.h>

/* The console's sections; a new section is one row here and one route. */
#define NAV(X) \
	X("workbench", "/cc/workbench", "nav.workbench", agent) \
	X("voicemail", "/cc/voicemail", "voicemail.title", agent) \
	X("records", "/cc/records", "records.title", agent) \
	X("missed", "/cc/missed", "missed.title", agent) \
	X("admin", "/cc/admin", "nav.admin", admin) \
	X("tasks", "/cc/admin/tasks", "task.nav", outbound) \
	X("wallboard", "/cc/wallboard", "wallboard.title", monitor)

xmlNode *page_begin(struct req *r, const char *name, xmlDoc **docp)
{
	xmlNode *root;
	xmlDoc *doc = xd_new("page", &root);
	if (!doc)
		return NULL;
	xd_attr(root, "name", name);
	xd_attr(root, "lang", r->lang);
	xd_attr(root, "other-lang", strcmp(r->lang, "en") ? "en" : "zh-CN");
	xd_attr(root, "path", r->path);
	if (r->sess) {
		const struct session *s = r->sess;
		xd_attr(root, "csrf", s->csrf);
		xmlNode *u = xd_el(root, "user");
		xd_attr(u, "id", s->user_id);
		xd_attr(u, "username", s->username);
		xd_attr(u, "name", s->name);
		xd_attr(u, "admin", s->admin ? "1" : "0");
		xd_attr(u, "agent", s->agent ? "1" : "0");
		xmlNode *nav = xd_el(root, "nav");
#define NAV_ITEM(id, href, key, role) \
		if (s->role) { \
			xmlNode *it = xd_el(nav, "item"); \
			xd_attr(it, "id", id); \
			xd_attr(it, "href", href); \
			xd_attr(it, "key", key); \
			if (!strcmp(name, id)) \
				xd_attr(it, "current", "1"); \
		}
		NAV(NAV_ITEM)
#undef NAV_ITEM
	}
	*docp = doc;
	return root;
}

void page_strings(xmlNode *root, const char *const *keys, size_t n)
{
	xmlNode *s = xd_el(root, "strings");
	for (size_t i = 0; i < n; i++)
		xd_attr(xd_el(s, "s"), "k", keys[i]);
}

const char *page_finish(struct req *r, xmlDoc *doc, const char *tmpl_name, int status)
{
	size_t len = 0;
	char *html = tmpl_render(r->web->tmpl, tmpl_name, doc, r->lang, &len);
	xmlFreeDoc(doc);
	if (!html)
		return "internal";
	r->resp.status = status;
	r->resp.ctype = "text/html; charset=utf-8";
	r->resp.body.len = 0;
	int rc = buf_append(r->a, &r->resp.body, html, len);
	free(html);
	return rc ? "internal" : NULL;
}

long long page_count(long long total, long long per_page)
{
	return total > 0 && per_page > 0 ? (total + per_page - 1) / per_page : 1;
}

void page_pager(struct req *r, xmlNode *parent, long long page, long long pages,
		page_href_h *href, const void *arg)
{
	xmlNode *p = xd_el(parent, "pager");
	if (page > 1)
		xd_attr(p, "prev", href(r, arg, page - 1));
	if (page < pages)
		xd_attr(p, "next", href(r, arg, page + 1));
	long long last_shown = 0;
	for (long long n = 1; n <= pages; n++) {
		if (n != 1 && n != pages && (n < page - 2 || n > page + 2))
			continue;
		if (last_shown && n > last_shown + 1)
			xd_el(p, "gap");
		xmlNode *e = xd_el(p, "page");
		xd_attr_int(e, "n", n);
		xd_attr(e, "href", href(r, arg, n));
		if (n == page)
			xd_attr(e, "current", "1");
		last_shown = n;
	}
}
