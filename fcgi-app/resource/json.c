/* A resource's row as the JSON API gives it: the key and each column typed
 * (integers and references as numbers, booleans as true/false, NULL as
 * null), and the labels references are shown by. */
#include "resource.h"

#include <stdlib.h>

static json_t *value(const struct res_col *c, const char *v)
{
	if (!v)
		return json_null();
	switch (c->type) {
	case RES_REF:
		if (c->ref.text_key)
			break;
		return json_integer(atoll(v));
	case RES_INT:
		return json_integer(atoll(v));
	case RES_BOOL:
		return json_boolean(atoi(v) != 0);
	case RES_TEXT:
	case RES_CHOICE:
	case RES_PHONE:
		break;
	}
	return json_string(v);
}

json_t *res_json_row(const struct resource *res, const struct res_row *row)
{
	json_t *o = json_object(), *labels = json_object();
	json_object_set_new(o, res->key, json_integer(atoll(row->key)));
	for (size_t i = 0; i < res->ncols; i++) {
		const struct res_col *c = &res->cols[i];
		json_object_set_new(o, c->name, value(c, row->vals[i]));
		if (c->type == RES_REF)
			json_object_set_new(labels, c->name,
					    row->labels[i] ? json_string(row->labels[i]) : json_null());
	}
	json_object_set_new(o, "labels", labels);
	return o;
}

json_t *res_json_item(const struct resource *res, const struct res_row *row,
		      const struct res_links *ls)
{
	json_t *o = res_json_row(res, row);
	for (size_t i = 0; ls && i < res->nlinks; i++) {
		const struct res_link *l = &res->links[i];
		json_t *arr = json_array();
		for (size_t k = 0; k < ls[i].n; k++) {
			const struct res_linked *e = &ls[i].v[k];
			json_t *it = json_pack("{s:o, s:s?}", "id",
					       l->ref.text_key ? json_string(e->key)
							       : json_integer(atoll(e->key)),
					       "label", e->label);
			if (l->level)
				json_object_set_new(it, "level", json_integer(e->level ? atoll(e->level)
										 : l->level_def));
			json_array_append_new(arr, it);
		}
		json_object_set_new(o, l->name, arr);
	}
	return o;
}
