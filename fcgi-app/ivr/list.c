/* GET /cc/admin/ivr (流程管理 > IVR流程, the list page) and GET
 * /cc/api/admin/ivr/flows (JSON): every flow with its state, published
 * version, the numbers using it and who edits it. The page's buttons (new,
 * copy, delete, import) post forms to the same handlers as the API and
 * come back here with ?done= or with the refusal above the list. Also the
 * helpers the other handlers share. */
#include "ivr.h"

#include "../resource/resource.h"
#include "../tmpl/page.h"

#include "log.h"

#include <string.h>

const char *ivr_key(const struct req *r)
{
	return ivr_key_ok(r->route_id) ? r->route_id : NULL;
}

bool ivr_reload(struct req *r)
{
	json_t *reply = web_ctl(r, "reload", NULL);
	bool ok = reply && json_is_true(json_object_get(reply, "ok"));
	if (reply && !ok)
		log_warn("ivr: the B2BUA refused to reload: %s",
			 json_string_value(json_object_get(reply, "error")) ?: "?");
	json_decref(reply);
	return ok;
}

static const char *check_text(struct req *r, const char **v, long max, bool required)
{
	*v = text_trim(r->a, *v ? *v : "");
	if (!*v)
		return "ivr.err.internal";
	long n = utf8_chars(*v);
	if (n < 0 || text_has_controls(*v, false))
		return "ivr.err.text";
	if (required && n == 0)
		return "ivr.err.name_required";
	if (n > max)
		return max == IVR_NAME_MAX ? "ivr.err.name_long" : "ivr.err.desc_long";
	return NULL;
}

const char *ivr_check_name(struct req *r, const char **name, const char *id)
{
	const char *why = check_text(r, name, IVR_NAME_MAX, true);
	if (why)
		return why;
	int taken = ivr_db_name_taken(r, *name, id);
	if (taken < 0)
		return "ivr.err.db";
	return taken ? "ivr.err.name_taken" : NULL;
}

const char *ivr_check_description(struct req *r, const char **d)
{
	return check_text(r, d, IVR_DESC_MAX, false);
}

const char *ivr_field_message(struct req *r, const char *key)
{
	const char *text = web_t(r, key);
	const char *at = strstr(text, "{max}");
	if (!at)
		return text;
	long max = !strcmp(key, "ivr.err.name_long") ? IVR_NAME_MAX : IVR_DESC_MAX;
	return arena_printf(r->a, "%.*s%ld%s", (int)(at - text), text, max, at + 5);
}

json_t *ivr_numbers_json(const struct ivr_number *v, size_t n, const char *flow_id)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		if (!flow_id || !strcmp(v[i].flow_id, flow_id))
			json_array_append_new(a, json_pack("{s:I, s:s, s:s}", "id",
							   (json_int_t)atoll(v[i].id), "number",
							   v[i].number, "name", v[i].name));
	return a;
}

const char *ivr_refuse(struct req *r, int status, const char *error, const char *message,
		       json_t *extra)
{
	if (r->route->kind == RK_JSON) {
		json_t *j = json_pack("{s:b, s:s, s:s}", "ok", 0, "error", error, "message", message);
		if (extra)
			json_object_update(j, extra);
		json_decref(extra);
		return resp_json(r, status, j);
	}
	json_decref(extra);
	return ivr_list_page(r, status, NULL, message);
}

const char *ivr_done(struct req *r, int status, json_t *reply, const char *done)
{
	if (r->route->kind == RK_JSON) {
		json_t *j = json_pack("{s:b}", "ok", 1);
		if (reply)
			json_object_update(j, reply);
		json_decref(reply);
		return resp_json(r, status, j);
	}
	json_decref(reply);
	resp_redirect(r, arena_printf(r->a, "/cc/admin/ivr?done=%s", done));
	return NULL;
}

static void add_notice(struct req *r, xmlNode *el)
{
	static const char *const done[] = { "created", "copied", "imported", "deleted" };
	const char *d = req_query(r, "done");
	for (size_t i = 0; d && i < sizeof done / sizeof *done; i++)
		if (!strcmp(d, done[i]))
			xd_attr(xd_el(el, "notice"), "done", done[i]);
}

static void add_flow(struct req *r, xmlNode *parent, const struct ivr_row *row,
		     const struct ivr_number *nums, size_t nnums)
{
	enum ivr_state st = ivr_state_of(row->published_version, row->draft_rev, row->published_rev,
					 row->publish_failed);
	xmlNode *f = xd_el(parent, "flow");
#define FLOW_ATTR(c) xd_attr(f, #c, row->c);
	IVR_ROW_COLS(FLOW_ATTR)
#undef FLOW_ATTR
	xd_attr(f, "state", ivr_state_name(st));
	xd_attr(f, "state-key", ivr_state_key(st));
	if (ivr_lock_holder(row->lock_user, row->lock_live, NULL) == 0) {
		/* An expired lock is nobody's: the page says so. */
		xmlUnsetProp(f, (const xmlChar *)"lock_user");
		xmlUnsetProp(f, (const xmlChar *)"lock_name");
		xmlUnsetProp(f, (const xmlChar *)"lock_until");
	} else if (!row->lock_name) {
		xd_attr(f, "lock_name", row->lock_user);
	}
	const char *base = arena_printf(r->a, "/cc/admin/ivr/%s", row->id);
	const char *api = arena_printf(r->a, "/cc/api/admin/ivr/flows/%s", row->id);
	xd_attr(f, "href", base);
	xd_attr(f, "copy", arena_printf(r->a, "%s/copy", base));
	xd_attr(f, "delete", arena_printf(r->a, "%s/delete", base));
	xd_attr(f, "export", arena_printf(r->a, "%s/export", api));
	if (row->published_version)
		xd_attr(f, "export-version", arena_printf(r->a, "%s/export?version=%s", api,
							  row->published_version));
	long long n = 0;
	for (size_t i = 0; i < nnums; i++) {
		if (strcmp(nums[i].flow_id, row->id))
			continue;
		xmlNode *e = xd_text(f, "number", nums[i].number);
		xd_attr(e, "id", nums[i].id);
		xd_attr(e, "name", nums[i].name);
		xd_attr(e, "href", arena_printf(r->a, "/cc/admin/numbers/%s", nums[i].id));
		n++;
	}
	xd_attr_int(f, "numbers", n);
}

const char *ivr_list_page(struct req *r, int status, const char *banner, const char *detail)
{
	struct ivr_row *rows = NULL;
	struct ivr_number *nums = NULL;
	size_t n = 0, nnums = 0;
	bool db_ok = ivr_db_list(r, &rows, &n) == 0 && ivr_db_numbers(r, NULL, false, &nums, &nnums) == 0;
	if (!db_ok && status == 200)
		return "db_unavailable";
	xmlDoc *doc;
	xmlNode *root = page_begin(r, "admin", &doc);
	if (!root)
		return "internal";
	res_doc_side(root, "ivr");
	static const char *const strings[] = { "ivr.confirm_delete" };
	page_strings(root, strings, sizeof strings / sizeof *strings);
	xmlNode *el = xd_el(root, "ivr");
	xd_attr(el, "view", "list");
	xd_attr(el, "base", "/cc/admin/ivr");
	xd_attr_int(el, "name-max", IVR_NAME_MAX);
	xd_attr_int(el, "desc-max", IVR_DESC_MAX);
	add_notice(r, el);
	if (banner || detail) {
		xmlNode *b = xd_text(el, "banner", detail);
		xd_attr(b, "key", banner);
	}
	xmlNode *flows = xd_el(el, "flows");
	xd_attr_int(flows, "total", (long long)n);
	for (size_t i = 0; db_ok && i < n; i++)
		add_flow(r, flows, &rows[i], nums, nnums);
	return page_finish(r, doc, "ivr", status);
}

const char *ivr_list_get(struct req *r)
{
	if (r->route->kind != RK_JSON)
		return ivr_list_page(r, 200, NULL, NULL);
	struct ivr_row *rows = NULL;
	struct ivr_number *nums = NULL;
	size_t n = 0, nnums = 0;
	if (ivr_db_list(r, &rows, &n) < 0 || ivr_db_numbers(r, NULL, false, &nums, &nnums) < 0)
		return "db_unavailable";
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = ivr_row_json(&rows[i]);
		json_object_set_new(o, "numbers", ivr_numbers_json(nums, nnums, rows[i].id));
		json_array_append_new(items, o);
	}
	return resp_json(r, 200, json_pack("{s:b, s:o, s:I}", "ok", 1, "flows", items, "total",
					   (json_int_t)n));
}
