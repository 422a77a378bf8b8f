/* 监控: GET /cc/admin/tasks/{id} (the page) and /cc/api/admin/tasks/{id}
 * (its snapshot, JSON). The snapshot combines the database (the task's
 * row, its targets by state, its attempts by result and cause) with what
 * the B2BUA knows now: the calls of the task (task.list: dialing,
 * ringing, answered, connected, concurrency against the maximum and the
 * pacing limit) and the group's agents by state (agent.list). A B2BUA that
 * does not answer, or does not know task.list, leaves the live part out
 * ("live": null, with "live_error"); the database part is always there.
 * The page fetches the snapshot again on each task.* event of the task
 * (task.js). Deleted tasks are monitored as any other. */
#include "tasks.h"

#include "../tmpl/page.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

static int result_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	json_t *a = arg;
	if (ncol < 3)
		return 0;
	json_array_append_new(a, json_pack("{s:s?, s:s?, s:I}", "result", v[0], "cause", v[1], "n",
					   (json_int_t)(v[2] ? atoll(v[2]) : 0)));
	return 0;
}

/* The group's agents by state, and the task's live figures. */
static void live(struct req *r, const struct tk_row *row, json_t *snap)
{
	long long group = atoll(row->skill_group_id);
	json_t *reply = web_ctl(r, "agent.list", NULL);
	if (reply && json_is_true(json_object_get(reply, "ok"))) {
		json_t *by = json_object();
		long total = 0, ready_phone = 0;
		size_t i;
		json_t *a;
		json_array_foreach(json_object_get(reply, "agents"), i, a) {
			json_t *gs = json_object_get(a, "groups");
			size_t j;
			json_t *g;
			bool in = false;
			json_array_foreach(gs, j, g)
				in = in || (json_is_integer(g) && json_integer_value(g) == group) ||
				     (json_is_string(g) && atoll(json_string_value(g)) == group);
			const char *st = json_string_value(json_object_get(a, "state"));
			if (!in || !st)
				continue;
			total++;
			json_object_set_new(by, st, json_integer(json_integer_value(
							    json_object_get(by, st)) + 1));
			if (strcmp(st, "logged_out") && json_is_true(json_object_get(a, "registered")))
				ready_phone++;
		}
		json_object_set_new(snap, "agents", json_pack("{s:I, s:I, s:o}", "total",
							      (json_int_t)total, "signed_in_registered",
							      (json_int_t)ready_phone, "by_state", by));
	} else {
		json_object_set_new(snap, "agents", json_null());
	}
	json_decref(reply);

	reply = web_ctl(r, "task.list", NULL);
	/* The reason is copied: the reply is freed below. */
	const char *err = !reply ? "b2bua_unavailable"
			: !json_is_true(json_object_get(reply, "ok"))
				? arena_strdup(r->a, json_string_value(json_object_get(reply, "error"))
								 ?: "error")
				: NULL;
	json_t *mine = NULL;
	size_t i;
	json_t *t;
	if (!err)
		json_array_foreach(json_object_get(reply, "tasks"), i, t)
			if (json_integer_value(json_object_get(t, "id")) == atoll(row->id))
				mine = json_incref(t);
	json_decref(reply);
	if (err) {
		json_object_set_new(snap, "live", json_null());
		json_object_set_new(snap, "live_error", json_string(err));
	} else {
		/* A task this node is not dialing: nothing up. */
		json_object_set_new(snap, "live", mine ? mine : json_pack("{s:i, s:i, s:i, s:i, s:i}",
			"dialing", 0, "ringing", 0, "answered", 0, "connected", 0, "concurrency", 0));
	}
}

static json_t *snapshot(struct req *r, const struct tk_row *row, const unsigned long *counts)
{
	json_t *by = json_object();
	unsigned long total = 0;
	for (int s = 0; s < TASK_TARGET_STATE_COUNT; s++) {
		json_object_set_new(by, task_target_state_name((enum task_target_state)s),
				    json_integer((json_int_t)counts[s]));
		total += counts[s];
	}
	unsigned long remaining = task_remaining(counts);
	json_t *attempts = json_array();
	if (db_query(r->thr->db, "SELECT result, cause, COUNT(*) FROM cc_task_attempt "
				 "WHERE task_id = ? GROUP BY result, cause ORDER BY result, cause",
		     result_h, attempts, "s", row->id) < 0)
		log_warn("task %s: attempts: %s", row->id, db_error(r->thr->db));
	json_t *snap = json_pack("{s:b, s:o, s:{s:I, s:I, s:I, s:o}, s:o}", "ok", 1, "task",
				 tk_row_json(row), "targets", "total", (json_int_t)total, "done",
				 (json_int_t)(total - remaining), "remaining", (json_int_t)remaining,
				 "by_state", by, "attempts", attempts);
	live(r, row, snap);
	return snap;
}

const char *task_monitor_get(struct req *r)
{
	const char *id = tk_key(r);
	if (!id)
		return "not_found";
	struct tk_row row;
	int rc = tk_db_get(r, id, &row);
	if (rc < 0)
		return "db_unavailable";
	if (rc == 0)
		return "not_found";
	unsigned long counts[TASK_TARGET_STATE_COUNT];
	if (tk_db_counts(r, id, counts) < 0)
		return "db_unavailable";
	if (r->route->kind == RK_JSON)
		return resp_json(r, 200, snapshot(r, &row, counts));
	xmlDoc *doc;
	xmlNode *e = tk_page_begin(r, "monitor", &doc);
	if (!e)
		return "internal";
	tk_row_node(r, e, &row);
	xmlNode *ts = xd_el(e, "targets");
	unsigned long total = 0;
	for (int s = 0; s < TASK_TARGET_STATE_COUNT; s++) {
		const char *name = task_target_state_name((enum task_target_state)s);
		xmlNode *c = xd_el(ts, "count");
		xd_attr(c, "state", name);
		xd_attr(c, "key", arena_printf(r->a, "task.target.%s", name));
		xd_attr_int(c, "n", (long long)counts[s]);
		total += counts[s];
	}
	xd_attr_int(ts, "total", (long long)total);
	xd_attr_int(ts, "remaining", (long long)task_remaining(counts));
	xd_attr_int(ts, "done", (long long)(total - task_remaining(counts)));
	return page_finish(r, doc, "task", 200);
}
