/* GET /cc/wallboard: the wallboard page (?group=ID: one skill group, none:
 * the center; ?kiosk=1: the wall screen's layout, big type on a dark
 * background, without the console's navigation). The page holds the
 * groups to choose from, the settings and, for admins, their form; the
 * figures are drawn by wallboard.js from the snapshot
 * (/cc/api/wallboard) and the event stream. */
#include "wallboard.h"

#include "../resource/resource.h"
#include "../tmpl/page.h"

#include <stdlib.h>
#include <string.h>

static const char *const js_strings[] = {
	"state.ready", "state.not_ready", "state.reserved", "state.on_call", "state.wrap_up",
	"state.unknown", "reason.rest", "reason.meal", "reason.meeting", "reason.training",
	"reason.other", "wallboard.call.ivr", "wallboard.call.waiting", "wallboard.call.ringing",
	"wallboard.call.talking", "wallboard.call.held", "wallboard.dir.inbound", "wallboard.dir.outbound",
	"wallboard.no_agents", "wallboard.no_calls", "wallboard.b2bua_down", "wallboard.stale",
	"wallboard.stream_replaced", "wallboard.listen", "wallboard.listening",
	"wallboard.listen_ringing", "wallboard.listen_calling", "wallboard.listen_failed",
	"b2bua.no_phone", "b2bua.monitored", "b2bua.not_bridged", "b2bua.unknown_call",
};

static int group_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	if (ncol < 2 || !v[0])
		return 1;
	xmlNode *g = xd_text(arg, "group", v[1] ? v[1] : "");
	xd_attr(g, "id", v[0]);
	return 0;
}

const char *wallboard_get(struct req *r)
{
	long long group = wb_group_of(r);
	if (group == -2)
		return "db_unavailable";
	if (group < 0)
		return "not_found";
	struct wb_settings s;
	if (wb_settings_read(r, &s) < 0)
		return "db_unavailable";
	const char *k = req_query(r, "kiosk");
	bool kiosk = k && !strcmp(k, "1");
	xmlDoc *doc;
	xmlNode *root = page_begin(r, "wallboard", &doc);
	if (!root)
		return "internal";
	if (!kiosk)
		res_doc_side(root, "wallboard");
	page_strings(root, js_strings, sizeof js_strings / sizeof *js_strings);
	xmlNode *wb = xd_el(root, "wallboard");
	xd_attr_int(wb, "group", group);
	if (kiosk)
		xd_attr(wb, "kiosk", "1");
	const char *saved = req_query(r, "saved");
	if (saved && !strcmp(saved, "1"))
		xd_attr(wb, "saved", "1");
	const char *bad = req_query(r, "settings_error");
	for (size_t i = 0; bad && i < WB_NSETTINGS; i++)
		if (!strcmp(bad, wb_setting_name((enum wb_setting)i)))
			xd_attr(wb, "settings-error", bad);
	xmlNode *gs = xd_el(wb, "groups");
	if (db_query(r->thr->db, "SELECT id, name FROM cc_skill_group ORDER BY name, id", group_row, gs,
		     NULL) < 0) {
		xmlFreeDoc(doc);
		return "db_unavailable";
	}
	for (xmlNode *g = gs->children; g; g = g->next) {
		xmlChar *id = xmlGetProp(g, (const xmlChar *)"id");
		if (id && strtoll((const char *)id, NULL, 10) == group) {
			xd_attr(g, "current", "1");
			xmlChar *name = xmlNodeGetContent(g);
			xd_attr(wb, "group-name", (const char *)name);
			xmlFree(name);
		}
		xmlFree(id);
	}
	xmlNode *sn = xd_el(wb, "settings");
	for (size_t i = 0; i < WB_NSETTINGS; i++) {
		xmlNode *e = xd_el(sn, "setting");
		xd_attr(e, "name", wb_setting_name((enum wb_setting)i));
		xd_attr_int(e, "value", s.v[i]);
		long long lo, hi;
		wb_setting_bounds((enum wb_setting)i, &lo, &hi);
		xd_attr_int(e, "min", lo);
		xd_attr_int(e, "max", hi);
	}
	return page_finish(r, doc, "wallboard", 200);
}
