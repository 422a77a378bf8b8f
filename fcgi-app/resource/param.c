/* What a request sends for a resource: column values from a form or a JSON
 * object, and the row's key from the path. */
#include "resource.h"

#include <string.h>

const char *res_param(const struct req *r, const struct res_col *c, bool *bad)
{
	*bad = false;
	const char *v = kv_get(&r->form, c->name);
	if (v || !r->json)
		return v;
	json_t *j = json_object_get(r->json, c->name);
	if (!j)
		return NULL;
	if (json_is_string(j))
		return json_string_value(j);
	if (json_is_integer(j))
		return arena_printf(r->a, "%lld", (long long)json_integer_value(j));
	if (json_is_boolean(j))
		return json_is_true(j) ? "1" : "0";
	if (json_is_null(j))
		return "";
	*bad = true;
	return NULL;
}

const char *res_key(const struct req *r)
{
	const char *id = r->route_id;
	if (!id || !*id || strlen(id) > 18 || strspn(id, "0123456789") != strlen(id) || *id == '0')
		return NULL;
	return id;
}
