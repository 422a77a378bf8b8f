/* GET /cc/admin/<name>/new (a blank form with the defaults), GET
 * /cc/admin/<name>/{id} (the edit form) and GET /cc/api/admin/<name>/{id}
 * (the row as JSON); and the form page itself, which save.c shows again
 * with what was typed and what is wrong. */
#include "resource.h"

#include "../tmpl/page.h"

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

const char *res_form_page(struct req *r, const struct resource *res, const char *key,
			  const char *const *vals, const char *const *errs, const char *banner,
			  int status)
{
	xmlDoc *doc;
	xmlNode *el = res_page_begin(r, res, "form", &doc);
	if (!el)
		return "internal";
	xmlNode *form = res_doc_form(r, el, res, key, vals, errs);
	xmlNode *f = form ? form->children : NULL;
	for (size_t i = 0; i < res->ncols && f; i++, f = f->next) {
		if (res->cols[i].type != RES_REF || res_db_options(r, &res->cols[i], f) == 0)
			continue;
		keep_value(f, vals ? vals[i] : NULL);
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
	const char **vals = arena_alloc(r->a, res->ncols * sizeof *vals);
	if (!vals)
		return "internal";
	for (size_t i = 0; i < res->ncols; i++)
		vals[i] = res->cols[i].def;
	return res_form_page(r, res, NULL, vals, NULL, NULL, 200);
}

const char *res_item_get(struct req *r)
{
	const struct resource *res = res_of(r);
	const char *key = res_key(r);
	struct res_row row;
	int rc = key ? res_db_get(r, res, key, &row) : 0;
	if (rc < 0)
		return "db_unavailable";
	if (rc == 0)
		return "not_found";
	if (r->route->kind == RK_JSON)
		return resp_json(r, 200, json_pack("{s:b, s:o}", "ok", 1, "item",
						   res_json_row(res, &row)));
	return res_form_page(r, res, row.key, row.vals, NULL, NULL, 200);
}
