/* POST /cc/admin/<name>/new, POST /cc/admin/<name>/{id} (the form) and
 * POST /cc/api/admin/<name>, POST /cc/api/admin/<name>/{id} (JSON):
 * create and update.
 *
 * Every value is checked (check.c, then what only the database knows:
 * referenced rows, unique values) before anything is written; with any
 * error nothing is written and each field gets its message: the form comes
 * back with what was typed (422), JSON gets {ok:false, errors:{column:
 * message}} (422). A database error writes nothing and loses nothing: the
 * form comes back as typed with a banner (503). After a write the B2BUA
 * reloads (reload.c); the page goes to the list saying what was done. The
 * write and its audit record (audit/audit.h) are one transaction.
 *
 * A form sends every column; a checkbox left unticked sends nothing and
 * means "no". JSON may send some members: on create the others take their
 * defaults, on update they stay as they are. */
#include "resource.h"

#include "../audit/audit.h"

#include "log.h"

#include <string.h>

struct edit {
	const char *key;	/* NULL: a new row */
	const char **vals;	/* what to store, per column; NULL: not sent */
	const char **typed;	/* what was sent, to show again */
	const char **errs;	/* catalogue keys */
	bool any_error;
};

static const char *read_values(struct req *r, const struct resource *res, struct edit *e)
{
	bool form = r->route->kind == RK_PAGE;
	for (size_t i = 0; i < res->ncols; i++) {
		const struct res_col *c = &res->cols[i];
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
		e->any_error |= e->errs[i] != NULL;
	}
	/* Also with other errors: every field gets its message at once. */
	if (res_db_check(r, res, e->key, e->vals, e->errs) < 0)
		return "db_unavailable";
	for (size_t i = 0; i < res->ncols; i++)
		e->any_error |= e->errs[i] != NULL;
	return NULL;
}

/* The messages of e's errors, per column (NULL where none). */
static const char **messages(struct req *r, const struct resource *res, const struct edit *e)
{
	const char **m = arena_alloc(r->a, res->ncols * sizeof *m);
	for (size_t i = 0; m && i < res->ncols; i++)
		m[i] = e->errs[i] ? res_message(r->a, web_t(r, e->errs[i]), &res->cols[i]) : NULL;
	return m;
}

/* The values the form shows again: what was typed, else the row's. */
static const char **shown(struct req *r, const struct resource *res, const struct edit *e,
			  const struct res_row *row)
{
	const char **v = arena_alloc(r->a, res->ncols * sizeof *v);
	for (size_t i = 0; v && i < res->ncols; i++)
		v[i] = e->typed[i] ? e->typed[i] : row ? row->vals[i] : NULL;
	return v;
}

static const char *refused(struct req *r, const struct resource *res, const struct edit *e,
			   const struct res_row *row)
{
	const char **m = messages(r, res, e);
	if (!m)
		return "internal";
	if (r->route->kind == RK_JSON) {
		json_t *errors = json_object();
		for (size_t i = 0; i < res->ncols; i++)
			if (m[i])
				json_object_set_new(errors, res->cols[i].name, json_string(m[i]));
		return resp_json(r, 422, json_pack("{s:b, s:s, s:s, s:o}", "ok", 0, "error", "invalid",
						   "message", web_t(r, "res.invalid"), "errors", errors));
	}
	return res_form_page(r, res, e->key, shown(r, res, e, row), m, "res.invalid", 422);
}

/* The database failed: nothing was written. The form keeps what was typed. */
static const char *db_failed(struct req *r, const struct resource *res, const struct edit *e,
			     const struct res_row *row)
{
	if (r->route->kind == RK_JSON)
		return "db_unavailable";
	return res_form_page(r, res, e->key, shown(r, res, e, row), NULL, "res.db_error", 503);
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
	int rc = res_db_get(r, res, key, &row);
	if (rc < 0)
		return "db_unavailable";
	if (rc == 0)
		return "not_found";	/* deleted meanwhile */
	return resp_json(r, created ? 201 : 200, json_pack("{s:b, s:o, s:b}", "ok", 1, "item",
							   res_json_row(res, &row), "reloaded",
							   reloaded));
}

/* The audit record of a write: the row before (NULL: created) and after. */
static int audited(struct req *r, const struct resource *res, const char *key,
		   const struct res_row *before)
{
	struct res_row after;
	if (res_db_get(r, res, key, &after) <= 0)
		return -1;
	json_t *b = before ? res_json_row(res, before) : NULL, *a = res_json_row(res, &after);
	int rc = audit_write(r, res->name, key, before ? "update" : "create", b, a);
	json_decref(b);
	json_decref(a);
	return rc;
}

static const char *save(struct req *r, const char *key)
{
	const struct resource *res = res_of(r);
	struct res_row row, *rowp = NULL;
	if (key) {
		int rc = res_db_get(r, res, key, &row);
		if (rc < 0)
			return "db_unavailable";
		if (rc == 0)
			return "not_found";
		rowp = &row;
	}
	struct edit e = {
		.key = key,
		.vals = arena_alloc(r->a, res->ncols * sizeof *e.vals),
		.typed = arena_alloc(r->a, res->ncols * sizeof *e.typed),
		.errs = arena_alloc(r->a, res->ncols * sizeof *e.errs),
	};
	if (!e.vals || !e.typed || !e.errs)
		return "internal";
	const char *why = read_values(r, res, &e);
	if (why)
		return db_failed(r, res, &e, rowp);
	if (e.any_error)
		return refused(r, res, &e, rowp);
	/* The change and its audit record, together or not at all. */
	struct db *db = r->thr->db;
	const char *newkey = NULL;
	if (db_begin(db) < 0)
		return db_failed(r, res, &e, rowp);
	int rc = res_db_write(r, res, key, e.vals, &newkey);
	if (rc == -2) {
		db_rollback(db);
		blame_unique(r, res, &e);
		return refused(r, res, &e, rowp);
	}
	if (rc < 0 || audited(r, res, key ? key : newkey, rowp) < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return db_failed(r, res, &e, rowp);
	}
	log_info("%s %s %s by %s", res->name, key ? key : newkey, key ? "updated" : "created",
		 r->sess->user_id);
	return saved(r, res, key ? key : newkey, !key);
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
