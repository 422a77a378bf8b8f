/* GET /cc/admin/<name>/new (a blank form with the defaults), GET
 * /cc/admin/<name>/{id} (the edit form) and GET /cc/api/admin/<name>/{id}
 * (the row and its links as JSON); and the form page itself, which save.c
 * shows again with what was typed and what is wrong, and delete.c with the
 * rows that keep a row from being deleted. */
#include "resource.h"

#include "../tmpl/page.h"

#include <string.h>

/* When the database cannot list a reference's choices, the field keeps the
 * value it has (shown by its key), so that nothing typed is lost. */
static void keep_value(xmlNode *field, const char *v)
{
	if (!v || !*v)
		return;
	xmlNode *o = xd_el(field, "option");
	xd_attr(o, "value", v);
	xd_attr(o, "label", v);
}

/* The <field> of column name among the form's children. */
static xmlNode *field_of(xmlNode *form, const char *name)
{
	for (xmlNode *f = form->children; f; f = f->next) {
		if (f->type != XML_ELEMENT_NODE || strcmp((const char *)f->name, "field"))
			continue;
		xmlChar *n = xmlGetProp(f, (const xmlChar *)"name");
		bool same = n && !strcmp((const char *)n, name);
		xmlFree(n);
		if (same)
			return f;
	}
	return NULL;
}

const char *const *res_form_vals(struct req *r, const struct resource *res,
				 const struct res_row *row)
{
	const char **v = arena_alloc(r->a, res->ncols * sizeof *v);
	for (size_t i = 0; v && i < res->ncols; i++) {
		const struct res_col *c = &res->cols[i];
		int d = c->type == RES_PHONE && c->display ? res_col_index(res, c->display) : -1;
		v[i] = d >= 0 && row->vals[d] && *row->vals[d] ? row->vals[d] : row->vals[i];
	}
	return v;
}

const char *res_form_page(struct req *r, const struct resource *res, const char *key,
			  const char *const *vals, const char *const *errs,
			  const struct res_links *ls, const char *const *lerrs, const char *banner,
			  int status, bool in_use)
{
	xmlDoc *doc;
	xmlNode *el = res_page_begin(r, res, "form", &doc);
	if (!el)
		return "internal";
	xmlNode *form = res_doc_form(r, el, res, key, vals, errs);
	bool failed = false;
	for (size_t i = 0; form && i < res->ncols; i++) {
		xmlNode *f = res->cols[i].type == RES_REF ? field_of(form, res->cols[i].name) : NULL;
		if (!f || res_db_options(r, &res->cols[i].ref, f) == 0)
			continue;
		keep_value(f, vals ? vals[i] : NULL);
		failed = true;
	}
	if (form && res->nlinks) {
		struct res_links *own = NULL;
		if (!ls && key) {
			own = arena_alloc(r->a, res->nlinks * sizeof *own);
			if (!own || res_links_load(r, res, key, own) < 0)
				failed = true;
			else
				ls = own;
		}
		if (res_links_doc(r, form, res, ls, lerrs) < 0)
			failed = true;
	}
	if (form && in_use && key) {
		xmlNode *users = xd_el(form, "users");
		if (res_db_users(r, res, key, users) < 0)
			failed = true;
	}
	if (failed) {
		if (!banner)
			banner = "res.db_error";
		if (status < 500)
			status = 503;
	}
	xd_attr(form, "banner", banner);
	return page_finish(r, doc, "form", status);
}

const char *res_new_get(struct req *r)
{
	const struct resource *res = res_of(r);
	const char **vals = res ? arena_alloc(r->a, res->ncols * sizeof *vals) : NULL;
	if (!vals)
		return "internal";
	for (size_t i = 0; i < res->ncols; i++)
		vals[i] = res->cols[i].def;
	return res_form_page(r, res, NULL, vals, NULL, NULL, NULL, NULL, 200, false);
}

const char *res_item_get(struct req *r)
{
	const struct resource *res = res_of(r);
	if (!res)
		return "internal";
	const char *key = res_key(r);
	struct res_row row;
	int rc = key ? res_db_get(r, res, key, &row) : 0;
	if (rc < 0)
		return "db_unavailable";
	if (rc == 0)
		return "not_found";
	if (r->route->kind == RK_JSON) {
		struct res_links *ls = res->nlinks ? arena_alloc(r->a, res->nlinks * sizeof *ls) : NULL;
		if (res->nlinks && (!ls || res_links_load(r, res, key, ls) < 0))
			return "db_unavailable";
		return resp_json(r, 200, json_pack("{s:b, s:o}", "ok", 1, "item",
						   res_json_item(res, &row, ls)));
	}
	return res_form_page(r, res, row.key, res_form_vals(r, res, &row), NULL, NULL, NULL, NULL,
			     200, false);
}
