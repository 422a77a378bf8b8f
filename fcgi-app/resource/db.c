/* Running a resource's statements on the request thread's connection (see
 * resource.h). Errors are logged here, once, with the resource's name. */
#include "resource.h"

#include "../tmpl/page.h"

#include "db.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

struct rows {
	struct arena *a;
	const struct resource *res;
	struct res_row *v;
	size_t n, cap;
	bool failed;
};

static int row_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct rows *rs = arg;
	const struct resource *res = rs->res;
	(void)lens;
	if (ncol < res_label_pos(res, res->ncols)) {
		rs->failed = true;
		return 1;
	}
	if (arena_grow(rs->a, &rs->v, rs->n, &rs->cap, sizeof *rs->v)) {
		rs->failed = true;
		return 1;
	}
	struct res_row *row = &rs->v[rs->n];
	row->key = arena_strdup(rs->a, v[0] ? v[0] : "");
	row->vals = arena_alloc(rs->a, res->ncols * sizeof *row->vals);
	row->labels = arena_alloc(rs->a, res->ncols * sizeof *row->labels);
	if (!row->key || !row->vals || !row->labels) {
		rs->failed = true;
		return 1;
	}
	for (size_t i = 0; i < res->ncols; i++) {
		row->vals[i] = v[1 + i] ? arena_strdup(rs->a, v[1 + i]) : NULL;
		int lp = res_label_pos(res, i);
		row->labels[i] = res->cols[i].type == RES_REF && v[lp] ? arena_strdup(rs->a, v[lp])
								       : NULL;
	}
	rs->n++;
	return 0;
}

static int failed(struct req *r, const struct resource *res, const char *what)
{
	log_err("%s %s: %s", res->name, what, db_error(r->thr->db));
	return -1;
}

int res_db_list(struct req *r, const struct resource *res, struct res_query *q,
		struct res_row **rowsp, size_t *nrowsp, long long *totalp)
{
	struct db *db = r->thr->db;
	const char *like = q->q ? res_like(r->a, q->q) : NULL;
	char *count = res_sql_count(r->a, res, q), *list = res_sql_list(r->a, res, q);
	char n[32] = "0";
	if (!count || !list || (q->q && !like))
		return -1;
	if ((like ? db_query_value(db, n, sizeof n, count, "s", like)
		  : db_query_value(db, n, sizeof n, count, "")) < 0)
		return failed(r, res, "count");
	long long total = atoll(n);
	long long pages = page_count(total, q->per_page);
	if (q->page > pages)
		q->page = pages;
	long long offset = (q->page - 1) * q->per_page;
	struct rows rs = { .a = r->a, .res = res };
	int rc = like ? db_query(db, list, row_h, &rs, "sii", like, q->per_page, offset)
		      : db_query(db, list, row_h, &rs, "ii", q->per_page, offset);
	if (rc < 0)
		return failed(r, res, "list");
	if (rs.failed)
		return -1;
	*rowsp = rs.v;
	*nrowsp = rs.n;
	*totalp = total;
	return 0;
}

int res_db_get(struct req *r, const struct resource *res, const char *key, struct res_row *row)
{
	char *sql = res_sql_get(r->a, res);
	struct rows rs = { .a = r->a, .res = res };
	if (!sql)
		return -1;
	if (db_query(r->thr->db, sql, row_h, &rs, "i", atoll(key)) < 0)
		return failed(r, res, "read");
	if (rs.failed)
		return -1;
	if (!rs.n)
		return 0;
	*row = rs.v[0];
	return 1;
}

static int option_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	if (ncol < 2)
		return 1;
	xmlNode *o = xd_el(arg, "option");
	xd_attr(o, "value", v[0]);
	xd_attr(o, "label", v[1] ? v[1] : v[0]);
	return 0;
}

int res_db_options(struct req *r, const struct res_ref *ref, xmlNode *parent)
{
	char *sql = res_sql_options(r->a, ref);
	if (!sql || db_query(r->thr->db, sql, option_h, parent, NULL) < 0) {
		log_err("%s options: %s", ref->table, db_error(r->thr->db));
		return -1;
	}
	return 0;
}

int res_db_ref_exists(struct req *r, const struct res_ref *ref, const char *key)
{
	char n[32];
	char *sql = res_sql_ref_exists(r->a, ref);
	int rc = !sql ? -1
	       : ref->text_key ? db_query_value(r->thr->db, n, sizeof n, sql, "s", key)
			       : db_query_value(r->thr->db, n, sizeof n, sql, "i", atoll(key));
	if (rc < 0) {
		log_err("%s exists: %s", ref->table, db_error(r->thr->db));
		return -1;
	}
	return rc > 0 && atoll(n) > 0;
}

/* The count a statement answers with, or -1. */
static long long count_of(struct db *db, const char *sql, const char *fmt, const char *s,
			  long long i)
{
	char n[32];
	if (!sql)
		return -1;
	int rc = fmt[0] == 's' ? db_query_value(db, n, sizeof n, sql, fmt, s, i)
			       : db_query_value(db, n, sizeof n, sql, fmt, i);
	return rc < 0 ? -1 : rc ? atoll(n) : 0;
}

int res_db_check(struct req *r, const struct resource *res, const char *key,
		 const char *const *vals, const char **errs)
{
	struct db *db = r->thr->db;
	for (size_t i = 0; i < res->ncols; i++) {
		const struct res_col *c = &res->cols[i];
		if (errs[i] || !vals[i] || !*vals[i])
			continue;
		long long n;
		if (c->type == RES_REF) {
			if (c->not_self && key && !strcmp(key, vals[i])) {
				errs[i] = "v.self";
				continue;
			}
			int ok = res_db_ref_exists(r, &c->ref, vals[i]);
			if (ok < 0)
				return -1;
			if (!ok)
				errs[i] = c->ref.missing ? c->ref.missing : "v.ref";
		}
		if (c->unique && !errs[i]) {
			/* Keys start at 1: 0 is no row, for a new one. */
			n = count_of(db, res_sql_unique(r->a, res, c), "si", vals[i],
				     key ? atoll(key) : 0);
			if (n < 0)
				return failed(r, res, c->name);
			if (n > 0)
				errs[i] = "v.unique";
		}
	}
	return 0;
}

/* The rows using a row, as <user> elements. */
struct users {
	struct req *r;
	const struct res_user *u;
	xmlNode *parent;
};

static int user_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct users *us = arg;
	(void)lens;
	if (ncol < 2 || !us->parent)
		return 0;
	xmlNode *e = xd_el(us->parent, "user");
	xd_attr(e, "item", us->u->item);
	xd_attr(e, "key", v[0]);
	xd_attr(e, "label", v[1] && *v[1] ? v[1] : v[0]);
	if (us->u->res && v[0])
		xd_attr(e, "href", arena_printf(us->r->a, "/cc/admin/%s/%s", us->u->res, v[0]));
	return 0;
}

long long res_db_users(struct req *r, const struct resource *res, const char *key,
		       xmlNode *parent)
{
	long long total = 0;
	for (size_t i = 0; i < res->nused_by; i++) {
		struct users us = { r, &res->used_by[i], parent };
		char *sql = res_sql_users(r->a, us.u);
		int n = sql ? db_query(r->thr->db, sql, user_h, &us, "s", key) : -1;
		if (n < 0)
			return failed(r, res, "users");
		total += n;
	}
	return total;
}

int res_db_write(struct req *r, const struct resource *res, const char *key,
		 const char *const *vals, const char **newkey)
{
	struct db *db = r->thr->db;
	bool *sent = arena_alloc(r->a, res->ncols * sizeof *sent);
	union db_val *v = arena_alloc(r->a, (res->ncols + 1) * sizeof *v);
	char *fmt = arena_alloc(r->a, res->ncols + 2);
	if (!sent || !v || !fmt)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < res->ncols; i++) {
		sent[i] = vals[i] != NULL;
		if (!sent[i])
			continue;
		const struct res_col *c = &res->cols[i];
		bool number = c->type == RES_INT || c->type == RES_BOOL ||
			      (c->type == RES_REF && !c->ref.text_key);
		if (number && *vals[i]) {
			fmt[n] = 'i';
			v[n++].i = atoll(vals[i]);
		} else {
			/* An emptied optional column is NULL, or '' for a NOT NULL one. */
			fmt[n] = 's';
			v[n++].s = *vals[i] || c->blank ? vals[i] : NULL;
		}
	}
	char *sql = key ? res_sql_update(r->a, res, sent) : res_sql_insert(r->a, res, sent);
	if (key) {
		fmt[n] = 'i';
		v[n++].i = atoll(key);
	}
	fmt[n] = '\0';
	if (!sql)
		return -1;
	if (db_execa(db, sql, fmt, v) < 0) {
		/* Another request took a unique value between the check and now. */
		if (strstr(db_error(db), "Duplicate entry")) {
			log_info("%s: a unique value was taken meanwhile", res->name);
			return -2;
		}
		return failed(r, res, key ? "update" : "insert");
	}
	if (!key)
		*newkey = arena_printf(r->a, "%llu", db_insert_id(db));
	return 1;
}

int res_db_delete(struct req *r, const struct resource *res, const char *key)
{
	char *sql = res_sql_delete(r->a, res);
	long long n = sql ? db_exec(r->thr->db, sql, "i", atoll(key)) : -1;
	if (n < 0)
		return failed(r, res, "delete");
	return n > 0;
}
