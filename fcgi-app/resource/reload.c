/* After a change to a resource the B2BUA holds in its directory (numbers,
 * skill groups, agents, audio): the control socket's `reload`. The change
 * is already saved; a B2BUA that cannot be reached reads it at its next
 * reload (every reload_s, or at its start), and the page says so. */
#include "resource.h"

#include "log.h"

bool res_reload(struct req *r, const struct resource *res)
{
	if (!res->reload)
		return true;
	json_t *reply = web_ctl(r, "reload", NULL);
	bool ok = reply && json_is_true(json_object_get(reply, "ok"));
	if (reply && !ok)
		log_warn("%s: the B2BUA refused to reload: %s", res->name,
			 json_string_value(json_object_get(reply, "error")) ?: "?");
	json_decref(reply);
	return ok;
}
