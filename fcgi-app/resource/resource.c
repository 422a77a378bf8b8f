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
		if (!ident_ok(c->ref.table) || !ident_ok(c->ref.key) || !ident_ok(c->ref.label))
			return "a reference's table, key or label is not a plain identifier";
		break;
	case RES_BOOL:
		break;
	}
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
	if (res->sort) {
		int s = res_col_index(res, res->sort);
		if (s < 0 || !(res->cols[s].show & RES_SORT))
			return "the default sort column is not a sortable column";
	}
	return NULL;
}

const struct resource *res_of(const struct req *r)
{
	return r->route ? r->route->res : NULL;
}

int res_col_index(const struct resource *res, const char *name)
{
	for (size_t i = 0; name && i < res->ncols; i++)
		if (!strcmp(res->cols[i].name, name))
			return (int)i;
	return -1;
}
