/* GET /cc/admin/tasks (外呼系统 > 任务列表) and /cc/admin/tasks/deleted
 * (已删除任务), pages and JSON; and what the other handlers share. The
 * pages' buttons call the JSON API (task.js) with the page's CSRF token. */
#include "tasks.h"

#include "../resource/resource.h"
#include "../tmpl/page.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

const char *tk_key(const struct req *r)
{
	const char *s = r->route_id;
	if (!s || !*s || strlen(s) > 10)
		return NULL;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return NULL;
	return *s == '0' ? NULL : s;
}

xmlNode *tk_page_begin(struct req *r, const char *view, xmlDoc **docp)
{
	xmlNode *root = page_begin(r, "tasks", docp);
	if (!root)
		return NULL;
	/* The console's side navigation links admin pages: for admins only. */
	if (r->sess->admin)
		res_doc_side(root, "tasks");
	static const char *const strings[] = {
		"task.confirm_delete", "task.failed", "task.done.start", "task.done.stop",
		"task.done.edit", "task.done.delete", "task.load.loading", "task.load.done",
		"task.state.init", "task.state.stopped", "task.state.running", "task.state.deleted",
		"task.monitor.b2bua_down", "task.load.too_big", "state.logged_out", "state.ready", "state.not_ready",
		"state.reserved", "state.on_call", "state.wrap_up", "task.target.answered",
		"task.target.no_answer", "task.target.busy", "task.target.rejected",
		"task.target.invalid", "task.target.abandoned", "task.target.failed",
	};
	page_strings(root, strings, sizeof strings / sizeof *strings);
	xmlNode *e = xd_el(root, "tasks");
	xd_attr(e, "view", view);
	return e;
}

xmlNode *tk_row_node(struct req *r, xmlNode *parent, const struct tk_row *row)
{
	xmlNode *t = xd_el(parent, "task");
#define TK_ROW_ATTR(c) xd_attr(t, #c, row->c);
	TK_ROW_COLS(TK_ROW_ATTR)
#undef TK_ROW_ATTR
	xd_attr_int(t, "open", (long long)row->open);
	int st = task_state_parse(row->state ? row->state : "");
	if (st >= 0)
		xd_attr(t, "state-key", task_state_key((enum task_state)st));
	int pacing = task_pacing_parse(row->pacing ? row->pacing : "");
	if (pacing >= 0)
		xd_attr(t, "pacing-key", task_pacing_key((enum task_pacing)pacing));
	unsigned ratio = row->agent_ratio ? (unsigned)atoi(row->agent_ratio) : 100;
	xd_attr(t, "ratio", arena_printf(r->a, "%u.%02u", ratio / 100, ratio % 100));
	unsigned ab = row->abandon_target ? (unsigned)atoi(row->abandon_target) : 30;
	xd_attr(t, "abandon", arena_printf(r->a, "%u.%u", ab / 10, ab % 10));
	long long total = row->targets_total ? atoll(row->targets_total) : 0;
	long long done = total - (long long)row->open;
	xd_attr_int(t, "done", done < 0 ? 0 : done);
	xd_attr_int(t, "percent", total > 0 ? (done * 100) / total : 0);
	long long rt = row->rows_total ? atoll(row->rows_total) : 0;
	long long rr = row->rows_read ? atoll(row->rows_read) : 0;
	xd_attr_int(t, "load-percent", rt > 0 ? (rr * 100) / rt : 0);
	xd_attr(t, "href", arena_printf(r->a, "/cc/admin/tasks/%s", row->id));
	for (int a = 0; st >= 0 && a < TASK_ACTION_COUNT; a++)
		if (a != TASK_A_LOADED && a != TASK_A_DONE &&
		    task_allows((enum task_state)st, (enum task_action)a)) {
			xmlNode *b = xd_el(t, "action");
			xd_attr(b, "name", task_action_name((enum task_action)a));
			xd_attr(b, "key", task_action_key((enum task_action)a));
		}
	return t;
}

const char *tk_refuse(struct req *r, int status, const char *error, const char *key)
{
	return resp_json(r, status, json_pack("{s:b, s:s, s:s}", "ok", 0, "error", error,
					      "message", web_t(r, key)));
}

static const char *list(struct req *r, bool deleted)
{
	struct tk_row *rows = NULL;
	size_t n = 0;
	if (!deleted && tk_db_sweep(r) < 0)
		log_warn("tasks: sweeping lost loads: %s", db_error(r->thr->db));
	if (tk_db_list(r, deleted, &rows, &n) < 0)
		return "db_unavailable";
	if (r->route->kind == RK_JSON) {
		json_t *items = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(items, tk_row_json(&rows[i]));
		return resp_json(r, 200, json_pack("{s:b, s:o, s:I}", "ok", 1, "tasks", items,
						   "total", (json_int_t)n));
	}
	xmlDoc *doc;
	xmlNode *e = tk_page_begin(r, deleted ? "deleted" : "list", &doc);
	if (!e)
		return "internal";
	xd_attr_int(e, "total", (long long)n);
	for (size_t i = 0; i < n; i++)
		tk_row_node(r, e, &rows[i]);
	return page_finish(r, doc, "task", 200);
}

const char *task_list_get(struct req *r)
{
	return list(r, false);
}

const char *task_deleted_get(struct req *r)
{
	return list(r, true);
}
