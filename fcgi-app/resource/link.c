/* Many-to-many links edited on a row's page (struct res_link): a skill
 * group's agents with their levels, its outbound numbers; a number's groups.
 *
 * The form shows every row the link may name (the ref's options, at most
 * RES_OPTIONS_MAX) as a checkbox, with a level when the link has one; the
 * section carries a hidden _link=<name>, so that a form without any box
 * ticked still says "none" while a request that does not know the section
 * changes nothing. JSON sends an array (keys, or {"id", "level"}); a member
 * not sent leaves the links as they are. The links are written in the
 * row's transaction (save.c): all of them replaced at once. */
#include "resource.h"

#include "db.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

#define ID_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"

struct acc {
	struct arena *a;
	struct res_links *ls;
	size_t cap;
	bool failed;
};

static int push(struct acc *ac, const char *key, const char *label, const char *level)
{
	struct res_links *ls = ac->ls;
	if (arena_grow(ac->a, &ls->v, ls->n, &ac->cap, sizeof *ls->v))
		return -1;
	struct res_linked *e = &ls->v[ls->n++];
	e->key = arena_strdup(ac->a, key ? key : "");
	e->label = label ? arena_strdup(ac->a, label) : NULL;
	e->level = level ? arena_strdup(ac->a, level) : NULL;
	return 0;
}

static int linked_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct acc *ac = arg;
	(void)lens;
	if (ncol < 2 || push(ac, v[0], v[1], ncol > 2 ? v[2] : NULL) < 0) {
		ac->failed = true;
		return 1;
	}
	return 0;
}

int res_links_load(struct req *r, const struct resource *res, const char *key,
		   struct res_links *ls)
{
	for (size_t i = 0; i < res->nlinks; i++) {
		const struct res_link *l = &res->links[i];
		ls[i] = (struct res_links){ 0 };
		if (!key)
			continue;
		struct acc ac = { .a = r->a, .ls = &ls[i] };
		char *sql = res_sql_link_get(r->a, l);
		if (!sql || db_query(r->thr->db, sql, linked_h, &ac, "i", atoll(key)) < 0 || ac.failed) {
			log_err("%s %s: %s", res->name, l->name, db_error(r->thr->db));
			return -1;
		}
	}
	return 0;
}

static bool key_ok(const struct res_link *l, const char *k)
{
	size_t n = strlen(k);
	if (!n || n > 64)
		return false;
	if (l->ref.text_key)
		return strspn(k, ID_CHARS) == n;
	return strspn(k, "0123456789") == n && *k != '0' && n <= 18;
}

/* A level as sent: NULL with *out the level (NULL: the default), or the
 * catalogue key of what is wrong. */
static const char *level_ok(const struct res_link *l, const char *v, const char **out)
{
	*out = NULL;
	if (!l->level || !v || !*v)
		return NULL;
	if (strspn(v, "0123456789") != strlen(v) || strlen(v) > 9)
		return "v.int";
	long long n = atoll(v);
	if (n < l->level_min || n > l->level_max)
		return "v.range";
	*out = v;
	return NULL;
}

static bool has(const struct res_links *ls, const char *k)
{
	for (size_t i = 0; i < ls->n; i++)
		if (!strcmp(ls->v[i].key, k))
			return true;
	return false;
}

static void add_sent(struct req *r, const struct res_link *l, struct acc *ac, const char *k,
		     const char *level)
{
	struct res_links *ls = ac->ls;
	const char *lv;
	if (!key_ok(l, k)) {
		ls->err = "v.ref";
		return;
	}
	const char *why = level_ok(l, level, &lv);
	if (why) {
		ls->err = why;
		return;
	}
	if (has(ls, k))
		return;
	if (ls->n >= RES_OPTIONS_MAX) {
		ls->err = "v.too_many";
		return;
	}
	if (push(ac, k, NULL, l->level ? lv ? lv : arena_printf(r->a, "%lld", l->level_def) : NULL))
		ls->err = "v.invalid";
}

static void read_form(struct req *r, const struct res_link *l, struct acc *ac)
{
	bool section = false;
	for (size_t i = 0; i < r->form.n; i++)
		section |= !strcmp(r->form.v[i].k, "_link") && !strcmp(r->form.v[i].v, l->name);
	if (!section)
		return;
	ac->ls->sent = true;
	for (size_t i = 0; i < r->form.n; i++) {
		if (strcmp(r->form.v[i].k, l->name))
			continue;
		const char *k = r->form.v[i].v;
		const char *lv = l->level ? kv_get(&r->form, arena_printf(r->a, "%s.level.%s", l->name, k))
					  : NULL;
		add_sent(r, l, ac, k, lv);
	}
}

/* A JSON key or level: a string or an integer. */
static const char *scalar(struct req *r, json_t *j)
{
	if (json_is_string(j))
		return json_string_value(j);
	if (json_is_integer(j))
		return arena_printf(r->a, "%lld", (long long)json_integer_value(j));
	return NULL;
}

static void read_json(struct req *r, const struct res_link *l, struct acc *ac)
{
	json_t *arr = json_object_get(r->json, l->name);
	if (!arr)
		return;
	ac->ls->sent = true;
	if (json_is_null(arr))
		return;
	if (!json_is_array(arr)) {
		ac->ls->err = "v.invalid";
		return;
	}
	size_t i;
	json_t *it;
	json_array_foreach(arr, i, it) {
		const char *k = NULL, *lv = NULL;
		if (json_is_object(it)) {
			k = scalar(r, json_object_get(it, "id"));
			json_t *jl = json_object_get(it, "level");
			if (jl && !json_is_null(jl) && !(lv = scalar(r, jl))) {
				ac->ls->err = "v.int";
				return;
			}
		} else {
			k = scalar(r, it);
		}
		if (!k) {
			ac->ls->err = "v.invalid";
			return;
		}
		add_sent(r, l, ac, k, lv);
	}
}

void res_links_read(struct req *r, const struct res_link *l, struct res_links *ls)
{
	*ls = (struct res_links){ 0 };
	struct acc ac = { .a = r->a, .ls = ls };
	if (r->json)
		read_json(r, l, &ac);
	else
		read_form(r, l, &ac);
}

/* The options of a link, as a list (key, label). */
static int options(struct req *r, const struct res_link *l, struct res_links *out)
{
	*out = (struct res_links){ 0 };
	struct acc ac = { .a = r->a, .ls = out };
	char *sql = res_sql_options(r->a, &l->ref);
	if (!sql || db_query(r->thr->db, sql, linked_h, &ac, NULL) < 0 || ac.failed) {
		log_err("%s options: %s", l->ref.table, db_error(r->thr->db));
		return -1;
	}
	return 0;
}

int res_links_check(struct req *r, const struct res_link *l, struct res_links *ls)
{
	if (!ls->sent || ls->err || !ls->n)
		return 0;
	struct res_links opts;
	if (options(r, l, &opts) < 0)
		return -1;
	for (size_t i = 0; i < ls->n; i++) {
		size_t k;
		for (k = 0; k < opts.n && strcmp(opts.v[k].key, ls->v[i].key); k++)
			;
		if (k == opts.n) {
			ls->err = "v.ref";
			return 0;
		}
		ls->v[i].label = opts.v[k].label;
	}
	return 0;
}

int res_links_write(struct req *r, const struct resource *res, const char *key,
		    const struct res_links *ls)
{
	struct db *db = r->thr->db;
	for (size_t i = 0; i < res->nlinks; i++) {
		const struct res_link *l = &res->links[i];
		if (!ls[i].sent)
			continue;
		char *del = res_sql_link_delete(r->a, l), *ins = res_sql_link_insert(r->a, l);
		if (!del || !ins || db_exec(db, del, "i", atoll(key)) < 0)
			goto fail;
		for (size_t k = 0; k < ls[i].n; k++) {
			const struct res_linked *e = &ls[i].v[k];
			long long n = l->level ? db_exec(db, ins, "sss", key, e->key, e->level)
					       : db_exec(db, ins, "ss", key, e->key);
			if (n < 0)
				goto fail;
		}
		continue;
fail:
		log_err("%s %s %s: %s", res->name, key, l->name, db_error(db));
		return -1;
	}
	return 0;
}

static const struct res_linked *find(const struct res_links *ls, const char *k)
{
	for (size_t i = 0; ls && i < ls->n; i++)
		if (!strcmp(ls->v[i].key, k))
			return &ls->v[i];
	return NULL;
}

int res_links_doc(struct req *r, xmlNode *form, const struct resource *res,
		  const struct res_links *ls, const char *const *errs)
{
	int rc = 0;
	for (size_t i = 0; i < res->nlinks; i++) {
		const struct res_link *l = &res->links[i];
		const struct res_links *cur = ls ? &ls[i] : NULL;
		xmlNode *e = xd_el(form, "link");
		xd_attr(e, "name", l->name);
		xd_attr(e, "label", l->label);
		xd_attr(e, "hint", l->hint);
		xd_attr(e, "error", errs ? errs[i] : NULL);
		if (l->level) {
			xd_attr(e, "level-label", l->level_label);
			xd_attr_int(e, "level-min", l->level_min);
			xd_attr_int(e, "level-max", l->level_max);
		}
		struct res_links opts;
		if (options(r, l, &opts) < 0) {
			opts.n = 0;
			rc = -1;
		}
		/* Rows linked but no longer offered stay, ticked: nothing is lost. */
		for (size_t k = 0; cur && k < cur->n; k++)
			if (!find(&opts, cur->v[k].key)) {
				struct acc ac = { .a = r->a, .ls = &opts, .cap = opts.n };
				push(&ac, cur->v[k].key, cur->v[k].label ? cur->v[k].label : cur->v[k].key,
				     NULL);
			}
		for (size_t k = 0; k < opts.n; k++) {
			const struct res_linked *on = find(cur, opts.v[k].key);
			xmlNode *o = xd_el(e, "option");
			xd_attr(o, "value", opts.v[k].key);
			xd_attr(o, "label", opts.v[k].label ? opts.v[k].label : opts.v[k].key);
			if (on)
				xd_attr(o, "checked", "1");
			if (l->level)
				xd_attr(o, "level", on && on->level ? on->level
						    : arena_printf(r->a, "%lld", l->level_def));
			if (l->res)
				xd_attr(o, "href", arena_printf(r->a, "/cc/admin/%s/%s", l->res,
								 opts.v[k].key));
		}
	}
	return rc;
}
