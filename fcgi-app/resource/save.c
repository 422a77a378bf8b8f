/* POST /cc/admin/<name>/new, POST /cc/admin/<name>/{id} (the form) and
 * POST /cc/api/admin/<name>, POST /cc/api/admin/<name>/{id} (JSON):
 * create and update.
 *
 * Every value is checked (check.c, then what only the database knows:
 * referenced rows, unique values, then the resource's cross-field rules
 * over the row as it would be stored) before anything is written; with any
 * error nothing is written and each field gets its message: the form comes
 * back with what was typed (422), JSON gets {ok:false, errors:{column:
 * message}} (422). A database error writes nothing and loses nothing: the
 * form comes back as typed with a banner (503). After a write the B2BUA
 * reloads (reload.c); the page goes to the list saying what was done. The
 * write, the row's links (link.c) and its audit record (audit/audit.h) are
 * one transaction.
 *
 * A form sends every column; a checkbox left unticked sends nothing and
 * means "no". JSON may send some members: on create the others take their
 * defaults, on update they stay as they are. A phone column (RES_PHONE) is
 * stored normalized, and what was typed goes to its display column. */
#include "resource.h"

#include "../audit/audit.h"

#include "log.h"

#include <string.h>

struct edit {
	const char *key;	/* NULL: a new row */
	const char **vals;	/* what to store, per column; NULL: not sent */
	const char **typed;	/* what was sent, to show again */
	const char **errs;	/* catalogue keys */
	struct res_links *links;	/* sent links, per res->links */
	const char **lerrs;	/* catalogue keys, per link */
	bool any_error;
};

/* A phone column's stored form; its display column gets what was typed. */
static void phone(struct req *r, const struct resource *res, size_t i, struct edit *e)
{
	const struct res_col *c = &res->cols[i];
	const char *typed = e->vals[i], *norm;
	if (!typed)
		return;
	e->errs[i] = res_phone(r->a, &r->web->phone, typed, &norm);
	e->vals[i] = norm;
	int d = c->display ? res_col_index(res, c->display) : -1;
	if (d >= 0 && !e->errs[i])
		e->vals[d] = typed;
}

static void read_columns(struct req *r, const struct resource *res, struct edit *e)
{
	bool form = r->route->kind == RK_PAGE;
	for (size_t i = 0; i < res->ncols; i++) {
		const struct res_col *c = &res->cols[i];
		if (c->derived)
			continue;
		bool bad;
		const char *v = res_param(r, c, &bad);
		if (!v && form && c->type == RES_BOOL)
			v = "0";
		if (!v && !e->key && !bad)
			v = c->def;
		e->typed[i] = v;
		if (bad)
			e->errs[i] = "v.invalid";
		else if (!v && !e->key && c->required)
			e->errs[i] = "v.required";
		else
			e->errs[i] = res_check(r->a, c, v, &e->vals[i]);
		if (!e->errs[i] && c->type == RES_PHONE)
			phone(r, res, i, e);
	}
}

/* The row as it would be stored: what was sent over what is stored. */
static const char **merged(struct req *r, const struct resource *res, const struct edit *e,
			   const struct res_row *row)
{
	const char **m = arena_alloc(r->a, res->ncols * sizeof *m);
	for (size_t i = 0; m && i < res->ncols; i++)
		m[i] = e->vals[i] ? e->vals[i] : e->typed[i] ? e->typed[i]
		     : row ? row->vals[i] : NULL;
	return m;
}

/* A link allowed only for some values of a column (a number's groups, for
 * outbound numbers) must be empty otherwise: the links as they would be
 * stored, sent or kept. */
static void link_rules(const struct resource *res, struct edit *e, const char *const *m,
		       const struct res_links *stored)
{
	for (size_t i = 0; i < res->nlinks; i++) {
		const struct res_link *l = &res->links[i];
		if (!l->when || e->lerrs[i])
			continue;
		const char *v = m[res_col_index(res, l->when)];
		size_t n = e->links[i].sent ? e->links[i].n : stored ? stored[i].n : 0;
		if (n && !res_in(l->when_in, sizeof l->when_in / sizeof *l->when_in, v))
			e->lerrs[i] = "v.link_when";
	}
}

static const char *read_values(struct req *r, const struct resource *res, struct edit *e,
			       const struct res_row *row, const struct res_links *stored)
{
	read_columns(r, res, e);
	for (size_t i = 0; i < res->nlinks; i++) {
		res_links_read(r, &res->links[i], &e->links[i]);
		if (res_links_check(r, &res->links[i], &e->links[i]) < 0)
			return "db_unavailable";
		e->lerrs[i] = e->links[i].err;
	}
	/* Also with other errors: every field gets its message at once. */
	if (res_db_check(r, res, e->key, e->vals, e->errs) < 0)
		return "db_unavailable";
	const char **m = merged(r, res, e, row);
	if (!m)
		return "internal";
	if (res->check)
		res->check(res, e->key, m, e->errs);
	link_rules(res, e, m, stored);
	for (size_t i = 0; i < res->ncols; i++)
		e->any_error |= e->errs[i] != NULL;
	for (size_t i = 0; i < res->nlinks; i++)
		e->any_error |= e->lerrs[i] != NULL;
	return NULL;
}

/* The message of a link's error: a level's bounds fill {min} and {max}. */
static const char *link_message(struct req *r, const struct res_link *l, const char *key)
{
	struct res_col c = { .type = RES_INT, .min = l->level_min, .max_int = l->level_max };
	return res_message(r->a, web_t(r, key), &c);
}

/* The messages of e's errors, per column (NULL where none); links' in *lm. */
static const char **messages(struct req *r, const struct resource *res, const struct edit *e,
			     const char ***lm)
{
	const char **m = arena_alloc(r->a, res->ncols * sizeof *m);
	*lm = res->nlinks ? arena_alloc(r->a, res->nlinks * sizeof **lm) : NULL;
	for (size_t i = 0; m && i < res->ncols; i++)
		m[i] = e->errs[i] ? res_message(r->a, web_t(r, e->errs[i]), &res->cols[i]) : NULL;
	for (size_t i = 0; *lm && i < res->nlinks; i++)
		(*lm)[i] = e->lerrs[i] ? link_message(r, &res->links[i], e->lerrs[i]) : NULL;
	return m;
}

/* The values the form shows again: what was typed, else the row's. */
static const char **shown(struct req *r, const struct resource *res, const struct edit *e,
			  const struct res_row *row)
{
	const char *const *base = row ? res_form_vals(r, res, row) : NULL;
	const char **v = arena_alloc(r->a, res->ncols * sizeof *v);
	for (size_t i = 0; v && i < res->ncols; i++)
		v[i] = e->typed[i] ? e->typed[i] : base ? base[i] : NULL;
	return v;
}

/* The links the form shows again: those sent, else the stored ones. */
static struct res_links *links_shown(struct req *r, const struct resource *res,
				     const struct edit *e, const struct res_links *stored)
{
	struct res_links *ls = res->nlinks ? arena_alloc(r->a, res->nlinks * sizeof *ls) : NULL;
	for (size_t i = 0; ls && i < res->nlinks; i++)
		ls[i] = e->links[i].sent ? e->links[i] : stored ? stored[i] : (struct res_links){ 0 };
	return ls;
}

static const char *refused(struct req *r, const struct resource *res, const struct edit *e,
			   const struct res_row *row, const struct res_links *stored)
{
	const char **lm;
	const char **m = messages(r, res, e, &lm);
	if (!m || (res->nlinks && !lm))
		return "internal";
	if (r->route->kind == RK_JSON) {
		json_t *errors = json_object();
		for (size_t i = 0; i < res->ncols; i++)
			if (m[i])
				json_object_set_new(errors, res->cols[i].name, json_string(m[i]));
		for (size_t i = 0; i < res->nlinks; i++)
			if (lm[i])
				json_object_set_new(errors, res->links[i].name, json_string(lm[i]));
		return resp_json(r, 422, json_pack("{s:b, s:s, s:s, s:o}", "ok", 0, "error", "invalid",
						   "message", web_t(r, "res.invalid"), "errors", errors));
	}
	return res_form_page(r, res, e->key, shown(r, res, e, row), m,
			     links_shown(r, res, e, stored), lm, "res.invalid", 422, false);
}

/* The database failed: nothing was written. The form keeps what was typed. */
static const char *db_failed(struct req *r, const struct resource *res, const struct edit *e,
			     const struct res_row *row, const struct res_links *stored)
{
	if (r->route->kind == RK_JSON)
		return "db_unavailable";
	return res_form_page(r, res, e->key, shown(r, res, e, row), NULL,
			     links_shown(r, res, e, stored), NULL, "res.db_error", 503, false);
}

/* A unique value was taken between the check and the write: a fresh check
 * names the column; if it cannot, the first unique column sent. */
static void blame_unique(struct req *r, const struct resource *res, struct edit *e)
{
	bool found = false;
	if (res_db_check(r, res, e->key, e->vals, e->errs) == 0)
		for (size_t i = 0; i < res->ncols; i++)
			found |= e->errs[i] != NULL;
	for (size_t i = 0; !found && i < res->ncols; i++)
		if (res->cols[i].unique && e->vals[i]) {
			e->errs[i] = "v.unique";
			found = true;
		}
}

static const char *saved(struct req *r, const struct resource *res, const char *key, bool created)
{
	bool reloaded = res_reload(r, res);
	if (r->route->kind == RK_PAGE) {
		resp_redirect(r, arena_printf(r->a, "/cc/admin/%s?done=%s%s", res->name,
					      created ? "created" : "updated",
					      reloaded ? "" : "&pending=1"));
		return NULL;
	}
	struct res_row row;
	struct res_links *ls = res->nlinks ? arena_alloc(r->a, res->nlinks * sizeof *ls) : NULL;
	int rc = res_db_get(r, res, key, &row);
	if (rc < 0 || (res->nlinks && (!ls || res_links_load(r, res, key, ls) < 0)))
		return "db_unavailable";
	if (rc == 0)
		return "not_found";	/* deleted meanwhile */
	return resp_json(r, created ? 201 : 200, json_pack("{s:b, s:o, s:b}", "ok", 1, "item",
							   res_json_item(res, &row, ls), "reloaded",
							   reloaded));
}

/* The audit record of a write: the row and its links before (NULL:
 * created) and after. */
static int audited(struct req *r, const struct resource *res, const char *key,
		   const struct res_row *before, const struct res_links *lbefore)
{
	struct res_row after;
	struct res_links *lafter = res->nlinks ? arena_alloc(r->a, res->nlinks * sizeof *lafter)
					       : NULL;
	if (res_db_get(r, res, key, &after) <= 0 ||
	    (res->nlinks && (!lafter || res_links_load(r, res, key, lafter) < 0)))
		return -1;
	json_t *b = before ? res_json_item(res, before, lbefore) : NULL;
	json_t *a = res_json_item(res, &after, lafter);
	int rc = audit_write(r, res->name, key, before ? "update" : "create", b, a);
	json_decref(b);
	json_decref(a);
	return rc;
}

/* The checks, the change, its links and its audit record in one
 * transaction (db_txn: run again whole when it loses a conflict): a
 * referenced row is read with a shared lock, so that a delete cannot take
 * it between the check and the write (delete.c locks the row it deletes
 * and then looks for its users). */
struct save_txn {
	struct req *r;
	const struct resource *res;
	const char *key;
	struct edit *e;
	const struct res_row *rowp;
	const struct res_links *stored;
	const char *newkey;
	const char *why;
};

enum { SAVE_REFUSED = 1, SAVE_UNIQUE = 2 };

static int save_body(struct db *db, void *arg)
{
	struct save_txn *t = arg;
	(void)db;
	/* A run again starts afresh: what the last one found is stale. */
	t->newkey = NULL;
	t->e->any_error = false;
	memset(t->e->errs, 0, t->res->ncols * sizeof *t->e->errs);
	if (t->res->nlinks)
		memset(t->e->lerrs, 0, t->res->nlinks * sizeof *t->e->lerrs);
	t->why = read_values(t->r, t->res, t->e, t->rowp, t->stored);
	if (t->why)
		return -1;
	if (t->e->any_error)
		return SAVE_REFUSED;
	int rc = res_db_write(t->r, t->res, t->key, t->e->vals, &t->newkey);
	if (rc == -2)
		return SAVE_UNIQUE;
	const char *k = t->key ? t->key : t->newkey;
	if (rc < 0 || res_links_write(t->r, t->res, k, t->e->links) < 0 ||
	    audited(t->r, t->res, k, t->rowp, t->stored) < 0)
		return -1;
	return 0;
}

static const char *save(struct req *r, const char *key)
{
	const struct resource *res = res_of(r);
	if (!res)
		return "internal";
	struct res_row row, *rowp = NULL;
	struct res_links *stored = res->nlinks ? arena_alloc(r->a, res->nlinks * sizeof *stored)
					       : NULL;
	if (res->nlinks && !stored)
		return "internal";
	if (key) {
		int rc = res_db_get(r, res, key, &row);
		if (rc < 0)
			return "db_unavailable";
		if (rc == 0)
			return "not_found";
		rowp = &row;
		if (res_links_load(r, res, key, stored) < 0)
			return "db_unavailable";
	} else if (stored) {
		memset(stored, 0, res->nlinks * sizeof *stored);
	}
	struct edit e = {
		.key = key,
		.vals = arena_alloc(r->a, res->ncols * sizeof *e.vals),
		.typed = arena_alloc(r->a, res->ncols * sizeof *e.typed),
		.errs = arena_alloc(r->a, res->ncols * sizeof *e.errs),
		.links = res->nlinks ? arena_alloc(r->a, res->nlinks * sizeof *e.links) : NULL,
		.lerrs = res->nlinks ? arena_alloc(r->a, res->nlinks * sizeof *e.lerrs) : NULL,
	};
	if (!e.vals || !e.typed || !e.errs || (res->nlinks && (!e.links || !e.lerrs)))
		return "internal";
	struct save_txn t = { r, res, key, &e, rowp, stored, NULL, NULL };
	int rc = db_txn(r->thr->db, save_body, &t);
	if (rc == SAVE_REFUSED)
		return refused(r, res, &e, rowp, stored);
	if (rc == SAVE_UNIQUE) {
		blame_unique(r, res, &e);
		return refused(r, res, &e, rowp, stored);
	}
	if (rc)
		return db_failed(r, res, &e, rowp, stored);
	const char *k = key ? key : t.newkey;
	log_info("%s %s %s by %s", res->name, k, key ? "updated" : "created", r->sess->user_id);
	return saved(r, res, k, !key);
}

const char *res_create_post(struct req *r)
{
	return save(r, NULL);
}

const char *res_update_post(struct req *r)
{
	const char *key = res_key(r);
	return key ? save(r, key) : "not_found";
}
