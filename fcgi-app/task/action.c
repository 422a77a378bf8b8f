/* POST /cc/api/admin/tasks/{id}/start | stop | edit | delete: one action
 * of the lifecycle (common/task.h). Each reads the task, asks task_apply
 * (with start's guards: an agent of the group signed in with a registered
 * phone, as the B2BUA knows it; a target still open), and stores the next
 * state with one UPDATE conditional on the state read, in a transaction
 * with its audit record. When the UPDATE changes no row another request
 * or the dialer moved the task first: read it again and apply again. A
 * refusal is 409 with the catalogue's text. */
#include "tasks.h"

#include "../audit/audit.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

#define TK_TRIES 3

/* The refusal of key ("task.refuse.x"): 409 with error "x". */
static const char *refused(struct req *r, const char *key)
{
	const char *dot = strrchr(key, '.');
	return tk_refuse(r, 409, dot ? dot + 1 : key, key);
}

static bool in_group(json_t *groups, long long group)
{
	size_t i;
	json_t *g;
	json_array_foreach(groups, i, g) {
		if ((json_is_integer(g) && json_integer_value(g) == group) ||
		    (json_is_string(g) && atoll(json_string_value(g)) == group))
			return true;
	}
	return false;
}

/* Agents of group signed in (not logged_out) with a registered phone, as
 * the B2BUA says; -1 when it does not answer. */
static long agents_ready(struct req *r, long long group)
{
	json_t *reply = web_ctl(r, "agent.list", NULL);
	if (!reply || !json_is_true(json_object_get(reply, "ok"))) {
		json_decref(reply);
		return -1;
	}
	long n = 0;
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(reply, "agents"), i, a) {
		const char *st = json_string_value(json_object_get(a, "state"));
		if (st && strcmp(st, "logged_out") && json_is_true(json_object_get(a, "registered")) &&
		    in_group(json_object_get(a, "groups"), group))
			n++;
	}
	json_decref(reply);
	return n;
}

/* The edit's new values: only the editable fields may be sent. NULL, or
 * a reply already made (*done). */
struct edit {
	unsigned max_concurrency, agent_ratio;
	bool has_max, has_ratio;
};

static const char *edit_read(struct req *r, enum task_state st, struct edit *ed, bool *done)
{
	*done = true;
	const char *names[64];
	size_t n = 0;
	for (size_t i = 0; i < r->form.n && n < 64; i++)
		names[n++] = r->form.v[i].k;
	const char *k;
	json_t *v;
	if (r->json)
		json_object_foreach(r->json, k, v)
			if (n < 64)
				names[n++] = k;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(names[i], "_csrf"))
			continue;
		int f = task_field_parse(names[i]);
		if (f < 0)
			return tk_refuse(r, 422, "unknown_field", "task.invalid.field");
		const char *e = task_edit_check(st, (enum task_field)f);
		if (e)
			return refused(r, e);
	}
	const char *mc = req_param(r, "max_concurrency");
	const char *ra = req_param(r, "agent_ratio");
	json_t *jr = r->json ? json_object_get(r->json, "agent_ratio") : NULL;
	if (!ra && json_is_real(jr))
		ra = arena_printf(r->a, "%.4g", json_real_value(jr));
	if (mc) {
		char *end;
		unsigned long x = strtoul(mc, &end, 10);
		if (!*mc || *end || x > 100000 || task_check_concurrency((unsigned)x))
			return tk_refuse(r, 422, "invalid", "task.invalid.concurrency");
		ed->max_concurrency = (unsigned)x;
		ed->has_max = true;
	}
	if (ra) {
		if (tk_decimal(ra, 2, &ed->agent_ratio) || task_check_ratio(ed->agent_ratio))
			return tk_refuse(r, 422, "invalid", "task.invalid.ratio");
		ed->has_ratio = true;
	}
	if (!ed->has_max && !ed->has_ratio)
		return tk_refuse(r, 422, "invalid", "task.invalid.nothing");
	*done = false;
	return NULL;
}

static long long stored(struct req *r, enum task_action a, const struct tk_row *row,
			const struct task_step *step, const struct edit *ed)
{
	struct db *db = r->thr->db;
	const char *user = r->sess->user_id;
	const char *next = task_state_name(step->next);
	switch (a) {
	case TASK_A_START:
		return db_exec(db, "UPDATE cc_task SET state = ?, started_at = NOW(3), updated_by = ?, "
				   "updated_at = NOW(3) WHERE id = ? AND state = ?",
			       "ssss", next, user, row->id, row->state);
	case TASK_A_STOP:
		return db_exec(db, "UPDATE cc_task SET state = ?, stopped_at = NOW(3), updated_by = ?, "
				   "updated_at = NOW(3) WHERE id = ? AND state = ?",
			       "ssss", next, user, row->id, row->state);
	case TASK_A_EDIT:
		return db_exec(db, "UPDATE cc_task SET max_concurrency = ?, agent_ratio = ?, "
				   "updated_by = ?, updated_at = NOW(3) WHERE id = ? AND state = ?",
			       "iisss",
			       ed->has_max ? (long long)ed->max_concurrency : atoll(row->max_concurrency),
			       ed->has_ratio ? (long long)ed->agent_ratio : atoll(row->agent_ratio),
			       user, row->id, row->state);
	case TASK_A_DELETE:
		/* A running task is stopped first (HALT), in the same UPDATE;
		 * stopped_at comes first, while state is still the old one
		 * (MariaDB assigns left to right). */
		return db_exec(db, "UPDATE cc_task SET stopped_at = IF(state = 'running', NOW(3), "
				   "stopped_at), state = ?, deleted_by = ?, deleted_at = NOW(3) "
				   "WHERE id = ? AND state = ?",
			       "ssss", next, user, row->id, row->state);
	default:
		return -1;
	}
}

/* The task moved by someone else since it was read: read it again. */
static const char MOVED[] = "moved";

struct act {
	enum task_action a;
	const struct tk_row *row;
	const struct task_step *step;
	const struct edit *ed;
};

/* The change, if the task is still as read, and its audit record. */
static const char *act_body(struct req *r, void *arg)
{
	const struct act *t = arg;
	const struct tk_row *row = t->row;
	long long n = stored(r, t->a, row, t->step, t->ed);
	if (n <= 0)
		return n < 0 ? "db_unavailable" : MOVED;
	json_t *before = json_pack("{s:s}", "state", row->state);
	json_t *after = json_pack("{s:s}", "state", task_state_name(t->step->next));
	if (t->a == TASK_A_EDIT) {
		const struct edit *ed = t->ed;
		json_object_set_new(before, "max_concurrency",
				    json_integer(atoll(row->max_concurrency)));
		json_object_set_new(before, "agent_ratio", json_integer(atoll(row->agent_ratio)));
		json_object_set_new(after, "max_concurrency",
				    json_integer(ed->has_max ? ed->max_concurrency
							     : atoll(row->max_concurrency)));
		json_object_set_new(after, "agent_ratio",
				    json_integer(ed->has_ratio ? ed->agent_ratio
							       : atoll(row->agent_ratio)));
	}
	return audit_txn(r, "task", row->id, task_action_name(t->a), before, after);
}

static const char *act(struct req *r, enum task_action a)
{
	const char *id = tk_key(r);
	if (!id)
		return "not_found";
	for (int tries = 0; tries < TK_TRIES; tries++) {
		struct tk_row row;
		int rc = tk_db_get(r, id, &row);
		if (rc < 0)
			return "db_unavailable";
		if (rc == 0)
			return "not_found";
		int st = task_state_parse(row.state);
		if (st < 0)
			return refused(r, "task.refuse.unknown");
		struct task_guard g = { 0, row.open }, *gp = NULL;
		if (a == TASK_A_START && task_allows((enum task_state)st, a)) {
			long n = agents_ready(r, atoll(row.skill_group_id));
			if (n < 0)
				return tk_refuse(r, 503, "b2bua_unavailable", "task.refuse.b2bua");
			g.agents_ready = (unsigned)n;
			gp = &g;
		}
		struct task_step step;
		const char *e = task_apply((enum task_state)st, a, gp, &step);
		if (e)
			return refused(r, e);
		struct edit ed = { 0 };
		if (a == TASK_A_EDIT) {
			bool done;
			const char *why = edit_read(r, (enum task_state)st, &ed, &done);
			if (done)
				return why;
		}
		struct act t = { a, &row, &step, &ed };
		const char *why = web_txn(r, act_body, &t);
		if (why == MOVED)
			continue;
		if (why) {
			log_err("task %s: %s: %s", id, task_action_name(a), db_error(r->thr->db));
			return "db_unavailable";
		}
		log_info("task %s: %s by %s: %s -> %s", id, task_action_name(a), r->sess->user_id,
			 row.state, task_state_name(step.next));
		if (step.effects & TASK_FX_DIAL) {
			/* The dialer reads running tasks every second; a wake only
			 * saves that wait, and an older B2BUA does not know it. */
			json_t *w = web_ctl(r, "task.wake", "s:i", "task", atoi(id));
			json_decref(w);
		}
		struct tk_row now;
		json_t *j = json_pack("{s:b, s:s, s:s, s:s}", "ok", 1, "action", task_action_name(a),
				      "prev", row.state, "state", task_state_name(step.next));
		if (tk_db_get(r, id, &now) == 1)
			json_object_set_new(j, "task", tk_row_json(&now));
		return resp_json(r, 200, j);
	}
	log_warn("task %s: %s: the state kept changing", id, task_action_name(a));
	return tk_refuse(r, 409, "busy", "task.refuse.busy");
}

const char *task_start_post(struct req *r)
{
	return act(r, TASK_A_START);
}

const char *task_stop_post(struct req *r)
{
	return act(r, TASK_A_STOP);
}

const char *task_edit_post(struct req *r)
{
	return act(r, TASK_A_EDIT);
}

const char *task_delete_post(struct req *r)
{
	return act(r, TASK_A_DELETE);
}
