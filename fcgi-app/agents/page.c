/* What the agents' pages and answers share: the console page's start, an
 * agent as an element, field errors and refusals as JSON. */
#include "agents.h"

#include "../resource/resource.h"
#include "../tmpl/page.h"

/* Catalogue keys agents.js reads. */
static const char *const js_strings[] = {
	"agents.saved", "agents.created", "agents.deleted", "agents.disabled", "agents.enabled_done",
	"agents.confirm_delete", "agents.confirm_disable", "agents.confirm_reset",
	"agents.password_once", "agents.failed", "agents.import.running", "agents.import.done",
	"agents.import.failed", "agents.import.summary", "agents.dedicated.none",
	"agents.dedicated.remove", "agents.users.none", "agents.contacts.none", "agents.yes",
	"agents.no", "state.ready", "state.not_ready", "state.logged_out", "state.reserved",
	"state.on_call", "state.wrap_up", "state.unknown", "agents.registered",
	"agents.unregistered", "agents.level", "agents.enable", "agents.disable",
	"agents.import.line", "agents.import.too_large", "agents.dedicated.add",
	"agents.col.username", "agents.col.name", "agents.col.extension", "agents.col.password",
	"agents.col.groups", "agents.col.user_id",
};

const char *ag_t(struct req *r, const char *key)
{
	return web_t(r, key);
}

xmlNode *ag_page_begin(struct req *r, const char *view, xmlDoc **docp)
{
	xmlNode *root = page_begin(r, "admin", docp);
	if (!root)
		return NULL;
	res_doc_side(root, "agents");
	page_strings(root, js_strings, sizeof js_strings / sizeof *js_strings);
	xmlNode *e = xd_el(root, "agents");
	xd_attr(e, "view", view);
	return e;
}

xmlNode *ag_row_node(struct req *r, xmlNode *parent, const struct ag_row *row)
{
	xmlNode *e = xd_el(parent, "agent");
	xd_attr(e, "id", row->id);
	xd_attr(e, "username", row->username);
	xd_attr(e, "name", row->name);
	xd_attr(e, "ext", row->ext);
	xd_attr(e, "has-sip", row->has_sip ? "1" : "0");
	xd_attr(e, "enabled", row->has_sip && row->enabled ? "1" : "0");
	xd_attr(e, "state", row->state);
	xd_attr(e, "reason", row->reason);
	xd_attr(e, "registered", row->registered ? "1" : "0");
	xd_attr(e, "href", arena_printf(r->a, "/cc/admin/agents/%s", row->id));
	for (size_t i = 0; i < row->ngroups; i++) {
		xmlNode *g = xd_el(e, "group");
		xd_attr_int(g, "id", row->groups[i].id);
		xd_attr_int(g, "level", row->groups[i].level);
		xd_attr(g, "name", row->groups[i].name);
		if (row->groups[i].dept)
			xd_attr(g, "department", "1");
	}
	return e;
}

const char *ag_invalid(struct req *r, json_t *errs)
{
	json_t *msgs = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(errs, k, v)
		json_object_set_new(msgs, k, json_string(web_t(r, json_string_value(v))));
	json_decref(errs);
	return resp_json(r, 422, json_pack("{s:b, s:s, s:s, s:o}", "ok", 0, "error", "invalid",
					   "message", web_t(r, "agents.invalid"), "errors", msgs));
}

const char *ag_refuse(struct req *r, int status, const char *error, const char *key)
{
	return resp_json(r, status, json_pack("{s:b, s:s, s:s}", "ok", 0, "error", error, "message",
					      web_t(r, key)));
}
