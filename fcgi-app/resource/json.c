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
	case RES_INT:
	case RES_REF:
		return json_integer(atoll(v));
	case RES_BOOL:
		return json_boolean(atoi(v) != 0);
	case RES_TEXT:
	case RES_CHOICE:
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
