/* The SQL of a resource, made from its description alone: identifiers are
 * the description's (checked by res_valid, quoted with backticks), every
 * value is a '?' parameter. The list's sort column is chosen by index, so
 * nothing a request sends ever becomes SQL text.
 *
 * Rows read the table as t and each reference column i as r<i> (a LEFT
 * JOIN: a row whose reference is gone still lists, without a label). */
#include "resource.h"

#include <stdio.h>
#include <string.h>

/* Appends printf output to *s (NULL on an earlier failure stays NULL). */
#define CAT(a, s, fmt, ...) \
	do { if (s) (s) = arena_printf(a, "%s" fmt, s, ##__VA_ARGS__); } while (0)

int res_label_pos(const struct resource *res, size_t i)
{
	int pos = 1 + (int)res->ncols;
	for (size_t k = 0; k < i; k++)
		if (res->cols[k].type == RES_REF)
			pos++;
	return pos;
}

/* The expression a column is shown, searched and sorted by. */
static char *shown(struct arena *a, const struct resource *res, size_t i)
{
	const struct res_col *c = &res->cols[i];
	if (c->type == RES_REF)
		return arena_printf(a, "r%zu.`%s`", i, c->ref.label);
	return arena_printf(a, "t.`%s`", c->name);
}

/* SELECT … FROM the table and its references. */
static char *select_from(struct arena *a, const struct resource *res)
{
	char *s = arena_printf(a, "SELECT t.`%s`", res->key);
	for (size_t i = 0; i < res->ncols; i++)
		CAT(a, s, ", t.`%s`", res->cols[i].name);
	for (size_t i = 0; i < res->ncols; i++)
		if (res->cols[i].type == RES_REF)
			CAT(a, s, ", r%zu.`%s`", i, res->cols[i].ref.label);
	CAT(a, s, " FROM `%s` t", res->table);
	for (size_t i = 0; i < res->ncols; i++) {
		const struct res_col *c = &res->cols[i];
		if (c->type == RES_REF)
			CAT(a, s, " LEFT JOIN `%s` r%zu ON r%zu.`%s` = t.`%s`", c->ref.table, i, i,
			    c->ref.key, c->name);
	}
	return s;
}

/* The search: one parameter (the LIKE pattern) read by every searchable
 * column through a one-row derived table, so the statement has the same
 * parameters whatever the number of columns. Nothing without a search. */
static char *search(struct arena *a, const struct resource *res, const struct res_query *q)
{
	if (!q->q || !*q->q)
		return arena_strdup(a, "");
	char *s = arena_strdup(a, " CROSS JOIN (SELECT ? AS q) s WHERE (");
	bool any = false;
	for (size_t i = 0; i < res->ncols; i++) {
		if (!(res->cols[i].show & RES_SEARCH))
			continue;
		char *e = shown(a, res, i);
		CAT(a, s, "%s%s LIKE s.q ESCAPE '!'", any ? " OR " : "", e ? e : "");
		any = true;
	}
	CAT(a, s, "%s)", any ? "" : "0");
	return s;
}

char *res_sql_list(struct arena *a, const struct resource *res, const struct res_query *q)
{
	const char *dir = q->desc ? "DESC" : "ASC";
	char *order;
	if (q->sort >= 0 && (size_t)q->sort < res->ncols)
		order = arena_printf(a, "%s %s, t.`%s` %s", shown(a, res, (size_t)q->sort), dir,
				     res->key, dir);
	else
		order = arena_printf(a, "t.`%s` %s", res->key, dir);
	char *from = select_from(a, res), *where = search(a, res, q);
	if (!from || !where || !order)
		return NULL;
	return arena_printf(a, "%s%s ORDER BY %s LIMIT ? OFFSET ?", from, where, order);
}

char *res_sql_count(struct arena *a, const struct resource *res, const struct res_query *q)
{
	char *s = arena_printf(a, "SELECT COUNT(*) FROM `%s` t", res->table);
	/* The joins matter only when a reference's label is searched. */
	for (size_t i = 0; q->q && *q->q && i < res->ncols; i++) {
		const struct res_col *c = &res->cols[i];
		if (c->type == RES_REF && (c->show & RES_SEARCH))
			CAT(a, s, " LEFT JOIN `%s` r%zu ON r%zu.`%s` = t.`%s`", c->ref.table, i, i,
			    c->ref.key, c->name);
	}
	char *where = search(a, res, q);
	return s && where ? arena_printf(a, "%s%s", s, where) : NULL;
}

char *res_sql_get(struct arena *a, const struct resource *res)
{
	char *s = select_from(a, res);
	return s ? arena_printf(a, "%s WHERE t.`%s` = ?", s, res->key) : NULL;
}

char *res_sql_insert(struct arena *a, const struct resource *res, const bool *sent)
{
	char *cols = arena_strdup(a, ""), *marks = arena_strdup(a, "");
	for (size_t i = 0; i < res->ncols; i++) {
		if (!sent[i])
			continue;
		CAT(a, cols, "%s`%s`", *cols ? ", " : "", res->cols[i].name);
		CAT(a, marks, "%s?", *marks ? ", " : "");
	}
	if (!cols || !marks)
		return NULL;
	return arena_printf(a, "INSERT INTO `%s` (%s) VALUES (%s)", res->table, cols, marks);
}

char *res_sql_update(struct arena *a, const struct resource *res, const bool *sent)
{
	char *set = arena_strdup(a, "");
	for (size_t i = 0; i < res->ncols; i++)
		if (sent[i])
			CAT(a, set, "%s`%s` = ?", *set ? ", " : "", res->cols[i].name);
	/* Nothing sent: a statement that only finds the row. */
	if (set && !*set)
		set = arena_printf(a, "`%s` = `%s`", res->key, res->key);
	if (!set)
		return NULL;
	return arena_printf(a, "UPDATE `%s` SET %s WHERE `%s` = ?", res->table, set, res->key);
}

char *res_sql_delete(struct arena *a, const struct resource *res)
{
	return arena_printf(a, "DELETE FROM `%s` WHERE `%s` = ?", res->table, res->key);
}

char *res_sql_unique(struct arena *a, const struct resource *res, const struct res_col *c)
{
	return arena_printf(a, "SELECT COUNT(*) FROM `%s` WHERE `%s` = ? AND `%s` <> ?", res->table,
			    c->name, res->key);
}

/* " WHERE <cond>" of a reference's rows (alias o), or "". */
static const char *ref_where(const struct res_ref *ref, const char *and)
{
	return ref->cond ? and : "";
}

char *res_sql_options(struct arena *a, const struct res_ref *ref)
{
	return arena_printf(a, "SELECT o.`%s`, o.`%s` FROM `%s` o%s%s ORDER BY o.`%s`, o.`%s` LIMIT %d",
			    ref->key, ref->label, ref->table, ref_where(ref, " WHERE "),
			    ref->cond ? ref->cond : "", ref->label, ref->key, RES_OPTIONS_MAX);
}

char *res_sql_ref_exists(struct arena *a, const struct res_ref *ref)
{
	return arena_printf(a, "SELECT COUNT(*) FROM `%s` o WHERE o.`%s` = ?%s%s LOCK IN SHARE MODE",
			    ref->table, ref->key, ref_where(ref, " AND "), ref->cond ? ref->cond : "");
}

char *res_sql_users(struct arena *a, const struct res_user *u)
{
	return arena_printf(a, "SELECT `%s`, `%s` FROM `%s` WHERE `%s` = ? ORDER BY `%s`, `%s` LIMIT 50",
			    u->key, u->label, u->table, u->column, u->label, u->key);
}

char *res_sql_link_get(struct arena *a, const struct res_link *l)
{
	char *lv = l->level ? arena_printf(a, ", k.`%s`", l->level) : arena_strdup(a, "");
	if (!lv)
		return NULL;
	return arena_printf(a, "SELECT k.`%s`, o.`%s`%s FROM `%s` k LEFT JOIN `%s` o ON o.`%s` = k.`%s` "
			    "WHERE k.`%s` = ? ORDER BY o.`%s`, k.`%s`",
			    l->other, l->ref.label, lv, l->table, l->ref.table, l->ref.key, l->other,
			    l->self, l->ref.label, l->other);
}

char *res_sql_link_delete(struct arena *a, const struct res_link *l)
{
	return arena_printf(a, "DELETE FROM `%s` WHERE `%s` = ?", l->table, l->self);
}

char *res_sql_link_insert(struct arena *a, const struct res_link *l)
{
	if (l->level)
		return arena_printf(a, "INSERT INTO `%s` (`%s`, `%s`, `%s`) VALUES (?, ?, ?)", l->table,
				    l->self, l->other, l->level);
	return arena_printf(a, "INSERT INTO `%s` (`%s`, `%s`) VALUES (?, ?)", l->table, l->self,
			    l->other);
}

char *res_like(struct arena *a, const char *q)
{
	size_t n = strlen(q);
	char *out = arena_alloc(a, 2 * n + 3), *o = out;
	if (!out)
		return NULL;
	*o++ = '%';
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '!')
			*o++ = '!';
		*o++ = *p;
	}
	*o++ = '%';
	*o = '\0';
	return out;
}
