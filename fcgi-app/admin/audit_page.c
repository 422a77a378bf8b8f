/* 审计日志: GET /cc/admin/audit (the page) and GET /cc/api/admin/audit
 * (JSON): the console's audit log (cc_audit_log, audit/audit.h), newest
 * first, read-only. Filters from the query string: user (a username or user
 * id), resource, action, item (an item id), from and to (dates YYYY-MM-DD,
 * both days included); page (and per_page for JSON, 1..100). Each record
 * shows its fields one by one, before and after: a reference with the name
 * it had, a choice by its label, a boolean as yes/no, links as their names
 * (with levels); the page escapes everything (XSLT). */
#include "../resource/resource.h"
#include "../tmpl/page.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

#define AUDIT_PER_PAGE 20
#define AUDIT_PER_PAGE_MAX 100

struct filter {
	const char *user, *resource, *action, *item, *from, *to;
	bool bad_from, bad_to;
	long long page, per_page;
};

/* One parameter: trimmed, at most max bytes of printable text, else NULL. */
static const char *param(const struct req *r, const char *name, size_t max)
{
	const char *v = req_query(r, name);
	if (!v)
		return NULL;
	while (*v == ' ')
		v++;
	size_t n = strlen(v);
	while (n && v[n - 1] == ' ')
		n--;
	if (!n || n > max || utf8_chars(v) < 0 || text_has_controls(v, false))
		return NULL;
	return arena_strndup(r->a, v, n);
}

/* YYYY-MM-DD with a month 01..12 and a day 01..31 (MariaDB rejects the rest
 * of the impossible dates by giving NULL: no row matches). */
static bool date_ok(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	int m = atoi(s + 5), d = atoi(s + 8);
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static void parse(const struct req *r, bool json, struct filter *f)
{
	f->user = param(r, "user", 64);
	f->resource = param(r, "resource", 32);
	f->action = param(r, "action", 24);
	f->item = param(r, "item", 64);
	f->from = param(r, "from", 10);
	f->to = param(r, "to", 10);
	f->bad_from = req_query(r, "from") && *req_query(r, "from") && (!f->from || !date_ok(f->from));
	f->bad_to = req_query(r, "to") && *req_query(r, "to") && (!f->to || !date_ok(f->to));
	if (f->bad_from)
		f->from = NULL;
	if (f->bad_to)
		f->to = NULL;
	f->page = text_number(req_query(r, "page"), 1, 1, 1000000);
	f->per_page = json ? text_number(req_query(r, "per_page"), AUDIT_PER_PAGE, 1, AUDIT_PER_PAGE_MAX)
			   : AUDIT_PER_PAGE;
}

/* Every filter is one pair of parameters: (NULL: no filter). */
#define WHERE \
	" WHERE (? IS NULL OR username = ? OR user_id = ?) AND (? IS NULL OR resource = ?)" \
	" AND (? IS NULL OR action = ?) AND (? IS NULL OR item_id = ?)" \
	" AND (? IS NULL OR at >= ?) AND (? IS NULL OR at < ? + INTERVAL 1 DAY)"
#define WHERE_FMT "sssssssssssss"
#define WHERE_ARGS(f) (f)->user, (f)->user, (f)->user, (f)->resource, (f)->resource, \
	(f)->action, (f)->action, (f)->item, (f)->item, (f)->from, (f)->from, (f)->to, (f)->to

struct entry {
	const char *id, *at, *user_id, *username, *addr, *resource, *item, *action;
	json_t *before, *after;
};

struct entries {
	struct arena *a;
	struct entry *v;
	size_t n, cap;
	bool failed;
};

static int entry_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct entries *es = arg;
	(void)lens;
	if (ncol < 10) {
		es->failed = true;
		return 1;
	}
	if (arena_grow(es->a, &es->v, es->n, &es->cap, sizeof *es->v)) {
		es->failed = true;
		return 1;
	}
	struct entry *e = &es->v[es->n++];
	const char **s[] = { &e->id, &e->at, &e->user_id, &e->username, &e->addr, &e->resource,
			     &e->item, &e->action };
	for (size_t i = 0; i < sizeof s / sizeof *s; i++)
		*s[i] = arena_strdup(es->a, v[i] ? v[i] : "");
	e->before = v[8] ? json_loads(v[8], 0, NULL) : NULL;
	e->after = v[9] ? json_loads(v[9], 0, NULL) : NULL;
	return 0;
}

static void entries_free(struct entries *es)
{
	for (size_t i = 0; i < es->n; i++) {
		json_decref(es->v[i].before);
		json_decref(es->v[i].after);
	}
}

static int load(struct req *r, struct filter *f, struct entries *es, long long *total)
{
	struct db *db = r->thr->db;
	char n[32] = "0";
	if (db_query_value(db, n, sizeof n, "SELECT COUNT(*) FROM cc_audit_log" WHERE, WHERE_FMT,
			   WHERE_ARGS(f)) < 0)
		goto fail;
	*total = atoll(n);
	long long pages = page_count(*total, f->per_page);
	if (f->page > pages)
		f->page = pages;
	if (db_query(db, "SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s'), user_id, username, addr, "
			 "resource, item_id, action, before_json, after_json FROM cc_audit_log" WHERE
			 " ORDER BY id DESC LIMIT ? OFFSET ?", entry_h, es, WHERE_FMT "ii",
		     WHERE_ARGS(f), f->per_page, (f->page - 1) * f->per_page) < 0 || es->failed)
		goto fail;
	return 0;
fail:
	log_err("audit log: %s", db_error(db));
	return -1;
}

/* --- a record's changes, field by field --------------------------------------- */

static const struct resource *resource_named(const char *name)
{
	for (size_t i = 0; i < web_nresources; i++)
		if (!strcmp(web_resources[i]->name, name))
			return web_resources[i];
	return NULL;
}

/* The catalogue key of a field's label, or NULL. */
static const char *field_label(const struct resource *res, const char *field)
{
	if (!res)
		return NULL;
	int i = res_col_index(res, field);
	if (i >= 0)
		return res->cols[i].label;
	for (size_t k = 0; k < res->nlinks; k++)
		if (!strcmp(res->links[k].name, field))
			return res->links[k].label;
	return NULL;
}

/* A value as text, with what the record knows about it: a reference's
 * label, a choice's label, links' names and levels. *kind: "null",
 * "bool" (text "1"/"0") or "text". */
static const char *value_text(struct req *r, const struct resource *res, const char *field,
			      json_t *v, json_t *labels, const char **kind)
{
	*kind = "text";
	if (!v || json_is_null(v)) {
		*kind = "null";
		return "";
	}
	if (json_is_boolean(v)) {
		*kind = "bool";
		return json_is_true(v) ? "1" : "0";
	}
	const char *label = json_string_value(json_object_get(labels, field));
	if (json_is_integer(v)) {
		long long n = (long long)json_integer_value(v);
		return label ? arena_printf(r->a, "%s (#%lld)", label, n) : arena_printf(r->a, "%lld", n);
	}
	if (json_is_string(v)) {
		int i = res ? res_col_index(res, field) : -1;
		const char *s = json_string_value(v);
		for (size_t k = 0; i >= 0 && k < res->cols[i].nchoices; k++)
			if (!strcmp(res->cols[i].choices[k].value, s))
				return web_t(r, res->cols[i].choices[k].label);
		return label ? arena_printf(r->a, "%s (%s)", label, s) : s;
	}
	if (json_is_array(v)) {
		char *s = arena_strdup(r->a, "");
		size_t i;
		json_t *it;
		json_array_foreach(v, i, it) {
			const char *name = json_string_value(json_object_get(it, "label"));
			json_t *id = json_object_get(it, "id"), *level = json_object_get(it, "level");
			char idbuf[80];
			if (json_is_integer(id))
				snprintf(idbuf, sizeof idbuf, "%lld", (long long)json_integer_value(id));
			else
				snprintf(idbuf, sizeof idbuf, "%s", json_string_value(id) ?: "?");
			const char *one = name ? name : idbuf;
			if (json_is_integer(level))
				one = arena_printf(r->a, "%s (%s %lld)", one, web_t(r, "audit.level"),
						   (long long)json_integer_value(level));
			s = s ? arena_printf(r->a, "%s%s%s", s, i ? ", " : "", one) : NULL;
		}
		if (s && !*s)
			*kind = "null";
		return s ? s : "";
	}
	char *d = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	const char *out = arena_strdup(r->a, d ? d : "");
	free(d);
	return out;
}

struct change {
	const char *field, *label, *before, *after, *bkind, *akind;
};

static void add_change(struct req *r, const struct resource *res, const struct entry *e,
		       const char *field, struct change *ch)
{
	json_t *bl = json_object_get(e->before, "labels"), *al = json_object_get(e->after, "labels");
	ch->field = arena_strdup(r->a, field);
	ch->label = field_label(res, field);
	ch->before = e->before ? value_text(r, res, field, json_object_get(e->before, field), bl,
					    &ch->bkind) : NULL;
	ch->after = e->after ? value_text(r, res, field, json_object_get(e->after, field), al,
					  &ch->akind) : NULL;
}

/* The fields a record changed (for an update the members it kept, those
 * that differ; for a create or delete every member), in the order of the
 * resource's description, then any other. */
static size_t changes(struct req *r, const struct entry *e, struct change **out)
{
	const struct resource *res = resource_named(e->resource);
	json_t *keys = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(e->before, k, v)
		json_object_set_new(keys, k, json_true());
	json_object_foreach(e->after, k, v)
		json_object_set_new(keys, k, json_true());
	json_object_del(keys, "labels");
	if (res)
		json_object_del(keys, res->key);	/* the record names its item */
	size_t n = 0, cap = json_object_size(keys);
	struct change *c = cap ? arena_alloc(r->a, cap * sizeof *c) : NULL;
	for (size_t i = 0; c && res && i < res->ncols + res->nlinks; i++) {
		const char *name = i < res->ncols ? res->cols[i].name : res->links[i - res->ncols].name;
		if (!json_object_get(keys, name))
			continue;
		add_change(r, res, e, name, &c[n++]);
		json_object_del(keys, name);
	}
	json_object_foreach(keys, k, v)
		if (c)
			add_change(r, res, e, k, &c[n++]);
	json_decref(keys);
	*out = c;
	return n;
}

/* --- answers -------------------------------------------------------------------- */

/* A value as JSON shows it: null for none, yes/no in the request's language. */
static const char *shown(struct req *r, const char *v, const char *kind)
{
	if (!v || !strcmp(kind, "null"))
		return NULL;
	if (!strcmp(kind, "bool"))
		return web_t(r, strcmp(v, "1") ? "res.no" : "res.yes");
	return v;
}

static const char *answer_json(struct req *r, const struct filter *f, struct entries *es,
			       long long total)
{
	if (f->bad_from || f->bad_to) {
		json_t *errors = json_object();
		if (f->bad_from)
			json_object_set_new(errors, "from", json_string(web_t(r, "audit.bad_date")));
		if (f->bad_to)
			json_object_set_new(errors, "to", json_string(web_t(r, "audit.bad_date")));
		return resp_json(r, 422, json_pack("{s:b, s:s, s:s, s:o}", "ok", 0, "error", "invalid",
						   "message", web_t(r, "audit.bad_date"), "errors", errors));
	}
	json_t *items = json_array();
	for (size_t i = 0; i < es->n; i++) {
		const struct entry *e = &es->v[i];
		struct change *c;
		size_t n = changes(r, e, &c);
		json_t *cj = json_array();
		for (size_t k = 0; k < n; k++)
			json_array_append_new(cj, json_pack("{s:s, s:s?, s:s?, s:s?}", "field", c[k].field,
				"label", c[k].label ? web_t(r, c[k].label) : NULL,
				"before", shown(r, c[k].before, c[k].bkind),
				"after", shown(r, c[k].after, c[k].akind)));
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
			"s:O?, s:O?, s:o}", "id", (json_int_t)atoll(e->id), "at", e->at,
			"user_id", e->user_id, "username", e->username, "addr", e->addr,
			"resource", e->resource, "item_id", e->item, "action", e->action,
			"before", e->before, "after", e->after, "changes", cj));
	}
	long long pages = page_count(total, f->per_page);
	return resp_json(r, 200, json_pack("{s:b, s:o, s:I, s:I, s:I, s:I}", "ok", 1, "items", items,
		"total", (json_int_t)total, "page", (json_int_t)f->page, "pages", (json_int_t)pages,
		"per_page", (json_int_t)f->per_page));
}

/* The page's URL with the filters and page n. */
static char *href(struct req *r, const struct filter *f, long long n)
{
	const char *names[] = { "user", "resource", "action", "item", "from", "to" };
	const char *vals[] = { f->user, f->resource, f->action, f->item, f->from, f->to };
	char *s = arena_strdup(r->a, "/cc/admin/audit?");
	for (size_t i = 0; s && i < 6; i++)
		if (vals[i])
			s = arena_printf(r->a, "%s%s=%s&", s, names[i], url_encode(r->a, vals[i]));
	return s ? arena_printf(r->a, "%spage=%lld", s, n) : NULL;
}

static void add_entry(struct req *r, xmlNode *list, const struct entry *e)
{
	xmlNode *x = xd_el(list, "entry");
	xd_attr(x, "id", e->id);
	xd_attr(x, "at", e->at);
	xd_attr(x, "user-id", e->user_id);
	xd_attr(x, "username", e->username);
	xd_attr(x, "addr", e->addr);
	xd_attr(x, "resource", e->resource);
	const struct resource *res = resource_named(e->resource);
	if (res) {
		xd_attr(x, "resource-key", res->title);
		if (strcmp(e->action, "delete"))
			xd_attr(x, "href", arena_printf(r->a, "/cc/admin/%s/%s", res->name, e->item));
	}
	xd_attr(x, "item", e->item);
	xd_attr(x, "action", e->action);
	struct change *c;
	size_t n = changes(r, e, &c);
	for (size_t k = 0; k < n; k++) {
		xmlNode *ch = xd_el(x, "change");
		xd_attr(ch, "field", c[k].field);
		xd_attr(ch, "label", c[k].label);
		if (c[k].before) {
			xmlNode *b = xd_text(ch, "before", c[k].before);
			xd_attr(b, "kind", c[k].bkind);
		}
		if (c[k].after) {
			xmlNode *a = xd_text(ch, "after", c[k].after);
			xd_attr(a, "kind", c[k].akind);
		}
	}
}

static const char *answer_page(struct req *r, const struct filter *f, struct entries *es,
			       long long total)
{
	xmlDoc *doc;
	xmlNode *root = page_begin(r, "admin", &doc);
	if (!root)
		return "internal";
	res_doc_side(root, "audit");
	xmlNode *au = xd_el(root, "audit");
	xmlNode *fl = xd_el(au, "filter");
	xd_attr(fl, "user", f->user);
	xd_attr(fl, "resource", f->resource);
	xd_attr(fl, "action", f->action);
	xd_attr(fl, "item", f->item);
	xd_attr(fl, "from", f->bad_from ? req_query(r, "from") : f->from);
	xd_attr(fl, "to", f->bad_to ? req_query(r, "to") : f->to);
	if (f->bad_from)
		xd_attr(fl, "bad-from", "1");
	if (f->bad_to)
		xd_attr(fl, "bad-to", "1");
	for (size_t i = 0; i < web_nresources; i++) {
		xmlNode *o = xd_el(fl, "resource");
		xd_attr(o, "name", web_resources[i]->name);
		xd_attr(o, "key", web_resources[i]->title);
	}
	static const char *const actions[] = { "create", "update", "delete" };
	for (size_t i = 0; i < sizeof actions / sizeof *actions; i++)
		xd_attr(xd_el(fl, "action"), "name", actions[i]);
	long long pages = page_count(total, f->per_page);
	xmlNode *list = xd_el(au, "entries");
	xd_attr_int(list, "total", total);
	xd_attr_int(list, "page", f->page);
	xd_attr_int(list, "pages", pages);
	for (size_t i = 0; i < es->n; i++)
		add_entry(r, list, &es->v[i]);
	xmlNode *p = xd_el(au, "pager");
	if (f->page > 1)
		xd_attr(p, "prev", href(r, f, f->page - 1));
	if (f->page < pages)
		xd_attr(p, "next", href(r, f, f->page + 1));
	return page_finish(r, doc, "audit", 200);
}

const char *audit_page_get(struct req *r)
{
	bool json = r->route->kind == RK_JSON;
	struct filter f;
	parse(r, json, &f);
	struct entries es = { .a = r->a };
	long long total = 0;
	if (json && (f.bad_from || f.bad_to))
		return answer_json(r, &f, &es, 0);
	if (load(r, &f, &es, &total) < 0) {
		entries_free(&es);
		return "db_unavailable";
	}
	const char *why = json ? answer_json(r, &f, &es, total) : answer_page(r, &f, &es, total);
	entries_free(&es);
	return why;
}
