/* A resource's pages as data for templates/list.xsl and form.xsl, and the
 * admin console's side navigation. Links (sorting, pages) are made here,
 * with the search text URL-encoded; the templates escape everything. */
#include "resource.h"

#include "../tmpl/page.h"

#include <stdio.h>
#include <string.h>

static const char *const type_names[] = {
	[RES_TEXT] = "text", [RES_INT] = "int", [RES_BOOL] = "bool",
	[RES_CHOICE] = "choice", [RES_REF] = "ref", [RES_PHONE] = "phone",
};

/* The admin console's side navigation, in the order a center is set up
 * (the seed's: agents, skill groups, audio, flows, numbers), one row each.
 * A row without href is the resource of that name: its link and title come
 * from its description. A resource of WEB_RESOURCES not listed here comes
 * at the end, so a new one is never left out. */
static const struct side_page {
	const char *id, *href, *key;
} side_pages[] = {
	{ "overview", "/cc/admin", "admin.overview" },
	{ "wallboard", "/cc/wallboard", "wallboard.nav" },
	{ "agents", "/cc/admin/agents", "agents.title" },
	{ "groups", NULL, NULL },
	{ "audio", "/cc/admin/audio", "audio.nav" },
	{ "ivr", "/cc/admin/ivr", "ivr.nav" },
	{ "voicemail", "/cc/voicemail", "voicemail.nav" },
	{ "missed", "/cc/missed", "missed.nav" },
	{ "tasks", "/cc/admin/tasks", "task.nav" },
	{ "records", "/cc/records", "records.nav" },
	{ "numbers", NULL, NULL },
	{ "reports", "/cc/admin/reports", "report.nav" },
	{ "audit", "/cc/admin/audit", "audit.title" },
};
#define NSIDE (sizeof side_pages / sizeof *side_pages)

static void side_item(xmlNode *side, const char *id, const char *href, const char *key,
		      const char *current)
{
	xmlNode *it = xd_el(side, "item");
	xd_attr(it, "id", id);
	xd_attr(it, "href", href);
	xd_attr(it, "key", key);
	if (current && !strcmp(id, current))
		xd_attr(it, "current", "1");
}

static void side_resource(xmlNode *side, const struct resource *res, const char *current)
{
	char href[128];
	snprintf(href, sizeof href, "/cc/admin/%s", res->name);
	side_item(side, res->name, href, res->title, current);
}

static const struct resource *resource_named(const char *name)
{
	for (size_t i = 0; i < web_nresources; i++)
		if (!strcmp(web_resources[i]->name, name))
			return web_resources[i];
	return NULL;
}

static bool listed(const char *name)
{
	for (size_t i = 0; i < NSIDE; i++)
		if (!side_pages[i].href && !strcmp(side_pages[i].id, name))
			return true;
	return false;
}

void res_doc_side(xmlNode *root, const char *current)
{
	xmlNode *side = xd_el(root, "side");
	for (size_t i = 0; i < NSIDE; i++) {
		const struct side_page *p = &side_pages[i];
		const struct resource *res = p->href ? NULL : resource_named(p->id);
		if (p->href)
			side_item(side, p->id, p->href, p->key, current);
		else if (res)
			side_resource(side, res, current);
	}
	for (size_t i = 0; i < web_nresources; i++)
		if (!listed(web_resources[i]->name))
			side_resource(side, web_resources[i], current);
}

xmlNode *res_doc_res(xmlNode *root, const struct resource *res, const char *view)
{
	char base[128];
	snprintf(base, sizeof base, "/cc/admin/%s", res->name);
	xmlNode *e = xd_el(root, "res");
	xd_attr(e, "name", res->name);
	xd_attr(e, "view", view);
	xd_attr(e, "title", res->title);
	xd_attr(e, "item", res->item);
	xd_attr(e, "base", base);
	return e;
}

xmlNode *res_page_begin(struct req *r, const struct resource *res, const char *view,
			xmlDoc **docp)
{
	xmlNode *root = page_begin(r, "admin", docp);
	if (!root)
		return NULL;
	res_doc_side(root, res->name);
	return res_doc_res(root, res, view);
}

/* The list's URL with q, sort, dir and page. */
static char *list_href(struct req *r, const struct resource *res, const struct res_query *q,
		       int sort, bool desc, long long page)
{
	char *s = arena_printf(r->a, "/cc/admin/%s?", res->name);
	if (q->q)
		s = arena_printf(r->a, "%sq=%s&", s, url_encode(r->a, q->q));
	if (sort >= 0)
		s = arena_printf(r->a, "%ssort=%s&", s, res->cols[sort].name);
	return arena_printf(r->a, "%sdir=%s&page=%lld", s, desc ? "desc" : "asc", page);
}

static void add_cols(struct req *r, xmlNode *parent, const struct resource *res,
		     const struct res_query *q)
{
	xmlNode *cols = xd_el(parent, "cols");
	for (size_t i = 0; i < res->ncols; i++) {
		const struct res_col *c = &res->cols[i];
		if (!(c->show & RES_LIST))
			continue;
		xmlNode *col = xd_el(cols, "col");
		xd_attr(col, "name", c->name);
		xd_attr(col, "label", c->label);
		xd_attr(col, "type", type_names[c->type]);
		if (!(c->show & RES_SORT))
			continue;
		bool current = q->sort == (int)i;
		/* The current column turns around; another starts ascending. */
		xd_attr(col, "sort-href", list_href(r, res, q, (int)i, current && !q->desc, 1));
		if (current)
			xd_attr(col, "sorted", q->desc ? "desc" : "asc");
	}
}

static const char *choice_label(const struct res_col *c, const char *v)
{
	for (size_t i = 0; v && i < c->nchoices; i++)
		if (!strcmp(c->choices[i].value, v))
			return c->choices[i].label;
	return NULL;
}

static void add_row(struct req *r, xmlNode *parent, const struct resource *res,
		    const struct res_row *row)
{
	xmlNode *e = xd_el(parent, "row");
	xd_attr(e, "key", row->key);
	xd_attr(e, "href", arena_printf(r->a, "/cc/admin/%s/%s", res->name, row->key));
	xd_attr(e, "delete", arena_printf(r->a, "/cc/admin/%s/%s/delete", res->name, row->key));
	for (size_t i = 0; i < res->ncols; i++) {
		const struct res_col *c = &res->cols[i];
		if (!(c->show & RES_LIST))
			continue;
		const char *v = row->vals[i];
		xmlNode *cell = c->type == RES_REF ? xd_text(e, "cell", row->labels[i])
			      : c->type == RES_TEXT || c->type == RES_INT || c->type == RES_PHONE
				? xd_text(e, "cell", v)
			      : xd_el(e, "cell");
		xd_attr(cell, "name", c->name);
		xd_attr(cell, "type", type_names[c->type]);
		xd_attr(cell, "value", v);
		if (c->type == RES_CHOICE)
			xd_attr(cell, "key", choice_label(c, v));
	}
}

struct page_arg {
	const struct resource *res;
	const struct res_query *q;
};

static char *page_href(struct req *r, const void *arg, long long n)
{
	const struct page_arg *p = arg;
	return list_href(r, p->res, p->q, p->q->sort, p->q->desc, n);
}

void res_doc_list(struct req *r, xmlNode *res_el, const struct resource *res,
		  const struct res_query *q, const struct res_row *rows, size_t nrows,
		  long long total)
{
	long long pages = page_count(total, q->per_page);
	xmlNode *search = xd_el(res_el, "search");
	xd_attr(search, "q", q->q);
	xd_attr(search, "sort", q->sort >= 0 ? res->cols[q->sort].name : NULL);
	xd_attr(search, "dir", q->desc ? "desc" : "asc");
	add_cols(r, res_el, res, q);
	xmlNode *list = xd_el(res_el, "rows");
	xd_attr_int(list, "total", total);
	xd_attr_int(list, "page", q->page);
	xd_attr_int(list, "pages", pages);
	xd_attr_int(list, "first", nrows ? (q->page - 1) * q->per_page + 1 : 0);
	xd_attr_int(list, "last", (q->page - 1) * q->per_page + (long long)nrows);
	for (size_t i = 0; i < nrows; i++)
		add_row(r, list, res, &rows[i]);
	page_pager(r, res_el, q->page, pages, page_href, &(struct page_arg){ res, q });
}

xmlNode *res_doc_form(struct req *r, xmlNode *res_el, const struct resource *res,
		      const char *key, const char *const *vals, const char *const *errs)
{
	xmlNode *form = xd_el(res_el, "form");
	xd_attr(form, "mode", key ? "edit" : "new");
	xd_attr(form, "key", key);
	xd_attr(form, "action", key ? arena_printf(r->a, "/cc/admin/%s/%s", res->name, key)
				    : arena_printf(r->a, "/cc/admin/%s/new", res->name));
	if (key)
		xd_attr(form, "delete", arena_printf(r->a, "/cc/admin/%s/%s/delete", res->name, key));
	for (size_t i = 0; i < res->ncols; i++) {
		const struct res_col *c = &res->cols[i];
		if (c->derived)
			continue;
		xmlNode *f = xd_el(form, "field");
		xd_attr(f, "name", c->name);
		xd_attr(f, "type", type_names[c->type]);
		xd_attr(f, "label", c->label);
		xd_attr(f, "hint", c->hint);
		if (c->type == RES_TEXT || c->type == RES_PHONE)
			xd_attr_int(f, "max", c->max);
		if (c->type == RES_INT) {
			xd_attr_int(f, "min", c->min);
			xd_attr_int(f, "max", c->max_int);
		}
		if (c->required)
			xd_attr(f, "required", "1");
		xd_attr(f, "value", vals ? vals[i] : NULL);
		xd_attr(f, "error", errs ? errs[i] : NULL);
		for (size_t k = 0; k < c->nchoices; k++) {
			xmlNode *o = xd_el(f, "option");
			xd_attr(o, "value", c->choices[k].value);
			xd_attr(o, "key", c->choices[k].label);
			xd_attr(o, "hint", c->choices[k].hint);
		}
	}
	return form;
}
