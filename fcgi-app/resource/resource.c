/* A resource's description: its check at start, and finding its parts. */
#include "resource.h"

#include <string.h>

/* Identifiers go into SQL text quoted with backticks: only letters, digits
 * and '_' (the helpdesk's tables have upper-case columns such as
 * uk_organ.NAME), so no quoting can be broken. */
static bool ident_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 64 || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

/* Values of a filter are quoted as SQL literals: plain identifiers only. */
static bool list_ok(const char *const *list, size_t n)
{
	for (size_t i = 0; i < n && list[i]; i++)
		if (!ident_ok(list[i]))
			return false;
	return n && list[0];
}

static const char *ref_valid(const struct res_ref *r)
{
	if (r->host != RES_HOST_NONE) {
		if (r->table || r->key || r->label || !r->text_key)
			return "a reference to a host table names its table itself or has integer keys";
	} else if (!ident_ok(r->table) || !ident_ok(r->key) || !ident_ok(r->label)) {
		return "a reference's table, key or label is not a plain identifier";
	}
	if (r->only && (!ident_ok(r->only) || !list_ok(r->in, sizeof r->in / sizeof *r->in)))
		return "a reference's filter is not a plain identifier with plain values";
	if (r->set && !ident_ok(r->set))
		return "a reference's set filter is not a plain identifier";
	if (r->cond)
		return "a description sets a reference's cond (bind.c does)";
	return NULL;
}

static const char *link_valid(const struct resource *res, const struct res_link *l)
{
	if (!ident_ok(l->name) || !l->label || !ident_ok(l->table) || !ident_ok(l->self) ||
	    !ident_ok(l->other))
		return "a link's name, label, table or columns are not plain identifiers";
	if (ref_valid(&l->ref))
		return ref_valid(&l->ref);
	if (l->level && (!ident_ok(l->level) || !l->level_label || l->level_min > l->level_max ||
			 l->level_def < l->level_min || l->level_def > l->level_max))
		return "a link's level has no label or bounds in order around its default";
	if (l->when && (res_col_index(res, l->when) < 0 ||
			!list_ok(l->when_in, sizeof l->when_in / sizeof *l->when_in)))
		return "a link's condition names no column or no values";
	if (l->res && !ident_ok(l->res))
		return "a link's resource is not a plain identifier";
	if (res_col_index(res, l->name) >= 0 || !strcmp(l->name, "labels"))
		return "a link is named like a column or \"labels\"";
	return NULL;
}

static const char *user_valid(const struct res_user *u)
{
	if (!ident_ok(u->table) || !ident_ok(u->column) || !ident_ok(u->key) ||
	    !ident_ok(u->label) || !u->item || (u->res && !ident_ok(u->res)))
		return "a used_by entry is not plain identifiers with an item";
	return NULL;
}

static const char *col_valid(const struct res_col *c)
{
	if (!ident_ok(c->name))
		return "a column name is not a plain identifier";
	if (!c->label)
		return "a column has no label";
	switch (c->type) {
	case RES_TEXT:
		if (!c->max)
			return "a text column has no max";
		break;
	case RES_INT:
		if (c->min > c->max_int)
			return "an integer column's min is above its max";
		break;
	case RES_CHOICE:
		if (!c->nchoices)
			return "a choice column has no choices";
		for (size_t i = 0; i < c->nchoices; i++)
			if (!c->choices[i].value || !c->choices[i].label)
				return "a choice has no value or label";
		break;
	case RES_REF:
		if (ref_valid(&c->ref))
			return ref_valid(&c->ref);
		break;
	case RES_PHONE:
		if (!c->max)
			return "a phone column has no max";
		break;
	case RES_BOOL:
		break;
	}
	if (c->not_self && c->type != RES_REF)
		return "not_self on a column that is not a reference";
	if ((c->show & (RES_SEARCH | RES_SORT)) && !(c->show & RES_LIST))
		return "a searched or sorted column is not listed";
	return NULL;
}

const char *res_valid(const struct resource *res)
{
	if (!ident_ok(res->name) || !ident_ok(res->table) || !ident_ok(res->key))
		return "name, table or key is not a plain identifier";
	if (!res->title || !res->item || !res->ncols)
		return "no title, item or columns";
	for (size_t i = 0; i < res->ncols; i++) {
		const char *why = col_valid(&res->cols[i]);
		if (why)
			return why;
		if (!strcmp(res->cols[i].name, res->key) || !strcmp(res->cols[i].name, "labels"))
			return "a column is named like the key or \"labels\" (the JSON row has both)";
		for (size_t k = 0; k < i; k++)
			if (!strcmp(res->cols[i].name, res->cols[k].name))
				return "two columns have the same name";
	}
	for (size_t i = 0; i < res->ncols; i++) {
		const struct res_col *c = &res->cols[i];
		if (c->type == RES_PHONE) {
			int d = c->display ? res_col_index(res, c->display) : -2;
			if (d == -1 || (d >= 0 && (res->cols[d].type != RES_TEXT || !res->cols[d].derived)))
				return "a phone's display column is not a derived text column";
		}
		if (c->derived && c->required)
			return "a derived column is required";
	}
	for (size_t i = 0; i < res->nlinks; i++) {
		const char *why = link_valid(res, &res->links[i]);
		if (why)
			return why;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(res->links[i].name, res->links[k].name))
				return "two links have the same name";
	}
	for (size_t i = 0; i < res->nused_by; i++)
		if (user_valid(&res->used_by[i]))
			return user_valid(&res->used_by[i]);
	if (res->sort) {
		int s = res_col_index(res, res->sort);
		if (s < 0 || !(res->cols[s].show & RES_SORT))
			return "the default sort column is not a sortable column";
	}
	return NULL;
}

const struct resource *res_of(const struct req *r)
{
	/* The request's arena is writable through a const request. */
	return r->route ? res_bind((struct req *)r, r->route->res) : NULL;
}

int res_col_index(const struct resource *res, const char *name)
{
	for (size_t i = 0; name && i < res->ncols; i++)
		if (!strcmp(res->cols[i].name, name))
			return (int)i;
	return -1;
}

bool res_in(const char *const *list, size_t n, const char *v)
{
	for (size_t i = 0; v && i < n && list[i]; i++)
		if (!strcmp(list[i], v))
			return true;
	return false;
}
