/* Reading tasks (see tasks.h, db.c part). */
#include "tasks.h"

#include "../audit/audit.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

#define TK_SELECT \
	"SELECT t.id, t.name, t.skill_group_id, g.name, t.caller_id_number_id, t.caller_id, " \
	"t.max_concurrency, t.agent_ratio, t.pacing, t.abandon_target, t.max_attempts, " \
	"t.min_interval_s, t.retry_results, t.hours, t.time_zone, t.state, t.rows_total, " \
	"t.rows_read, t.rows_bad, t.rows_duplicate, t.rows_dnc, t.targets_total, " \
	"t.targets_done, t.calls_total, t.calls_answered, t.calls_abandoned, t.created_by, " \
	"DATE_FORMAT(t.created_at, '%Y-%m-%d %H:%i:%s'), t.updated_by, " \
	"DATE_FORMAT(t.updated_at, '%Y-%m-%d %H:%i:%s'), " \
	"DATE_FORMAT(t.started_at, '%Y-%m-%d %H:%i:%s'), " \
	"DATE_FORMAT(t.stopped_at, '%Y-%m-%d %H:%i:%s'), t.deleted_by, " \
	"DATE_FORMAT(t.deleted_at, '%Y-%m-%d %H:%i:%s'), t.recording, " \
	"(SELECT COUNT(*) FROM cc_task_target o WHERE o.task_id = t.id " \
	"AND o.state IN ('waiting','dialing','retry')) " \
	"FROM cc_task t LEFT JOIN cc_skill_group g ON g.id = t.skill_group_id "

enum { TK_NCOLS = 36 };

struct rows {
	struct arena *a;
	struct tk_row *v;
	size_t n, cap;
	bool failed;
};

static int row_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct rows *rs = arg;
	if (ncol < TK_NCOLS)
		return 1;
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 16;
		struct tk_row *p = arena_alloc(rs->a, cap * sizeof *p);
		if (!p) {
			rs->failed = true;
			return 1;
		}
		if (rs->n)
			memcpy(p, rs->v, rs->n * sizeof *p);
		rs->v = p;
		rs->cap = cap;
	}
	struct tk_row *row = &rs->v[rs->n++];
	int i = 0;
#define TK_ROW_SET(c) row->c = v[i] ? arena_strdup(rs->a, v[i]) : NULL; i++;
	TK_ROW_COLS(TK_ROW_SET)
#undef TK_ROW_SET
	row->open = v[i] ? strtoul(v[i], NULL, 10) : 0;
	return 0;
}

static int stale_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct rows *rs = arg;
	if (ncol < 1 || !v[0] || rs->n >= 64)
		return 1;
	if (!rs->v && !(rs->v = arena_alloc(rs->a, 64 * sizeof *rs->v))) {
		rs->failed = true;
		return 1;
	}
	rs->v[rs->n++].id = arena_strdup(rs->a, v[0]);
	return 0;
}

struct sweep {
	const char *id;
	long long gone;
};

static const char *sweep_body(struct req *r, void *arg)
{
	struct sweep *t = arg;
	struct db *db = r->thr->db;
	/* The condition again, under the row's lock: a load that moved
	 * since is not touched. */
	t->gone = db_exec(db, "DELETE FROM cc_task WHERE id = ? AND state = 'init' "
			      "AND COALESCE(updated_at, created_at) < NOW(3) - INTERVAL ? SECOND",
			  "si", t->id, (long long)TK_STALE_S);
	if (t->gone < 0 ||
	    (t->gone && (db_exec(db, "DELETE FROM cc_task_target WHERE task_id = ?", "s", t->id) < 0 ||
			 db_exec(db, "DELETE FROM cc_dnc WHERE task_id = ?", "s", t->id) < 0 ||
			 audit_write(r, "task", t->id, "load_lost", NULL, NULL) < 0)))
		return "db_unavailable";
	return NULL;
}

int tk_db_sweep(struct req *r)
{
	struct db *db = r->thr->db;
	struct rows rs = { .a = r->a };
	if (db_query(db, "SELECT id FROM cc_task WHERE state = 'init' "
			 "AND COALESCE(updated_at, created_at) < NOW(3) - INTERVAL ? SECOND",
		     stale_h, &rs, "i", (long long)TK_STALE_S) < 0 || rs.failed)
		return -1;
	int n = 0;
	for (size_t i = 0; i < rs.n; i++) {
		struct sweep t = { rs.v[i].id, 0 };
		if (!t.id || web_txn(r, sweep_body, &t))
			return -1;
		if (t.gone) {
			log_warn("task %s: its load stopped moving %d s ago; removed", t.id,
				 TK_STALE_S);
			n++;
		}
	}
	return n;
}

int tk_db_get(struct req *r, const char *id, struct tk_row *out)
{
	struct rows rs = { .a = r->a };
	int n = db_query(r->thr->db, TK_SELECT "WHERE t.id = ?", row_h, &rs, "s", id);
	if (n < 0 || rs.failed) {
		log_err("task %s: %s", id, db_error(r->thr->db));
		return -1;
	}
	if (!rs.n)
		return 0;
	*out = rs.v[0];
	return 1;
}

int tk_db_list(struct req *r, bool deleted, struct tk_row **rowsp, size_t *np)
{
	struct rows rs = { .a = r->a };
	int n = db_query(r->thr->db,
			 deleted ? TK_SELECT "WHERE t.state = 'deleted' ORDER BY t.id DESC LIMIT ?"
				 : TK_SELECT "WHERE t.state <> 'deleted' ORDER BY t.id DESC LIMIT ?",
			 row_h, &rs, "i", (long long)TK_LIST_MAX);
	if (n < 0 || rs.failed) {
		log_err("tasks: %s", db_error(r->thr->db));
		return -1;
	}
	*rowsp = rs.v;
	*np = rs.n;
	return 0;
}

static int count_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	unsigned long *counts = arg;
	if (ncol < 2 || !v[0])
		return 0;
	int s = task_target_state_parse(v[0]);
	if (s >= 0)
		counts[s] = v[1] ? strtoul(v[1], NULL, 10) : 0;
	return 0;
}

int tk_db_counts(struct req *r, const char *id, unsigned long counts[TASK_TARGET_STATE_COUNT])
{
	memset(counts, 0, TASK_TARGET_STATE_COUNT * sizeof *counts);
	if (db_query(r->thr->db, "SELECT state, COUNT(*) FROM cc_task_target WHERE task_id = ? "
				 "GROUP BY state", count_h, counts, "s", id) < 0) {
		log_err("task %s: counts: %s", id, db_error(r->thr->db));
		return -1;
	}
	return 0;
}

/* Columns that are numbers in JSON. */
static bool numeric(const char *col)
{
	static const char *const text[] = { "name", "group_name", "caller_id", "pacing",
					    "retry_results", "hours", "time_zone", "state",
					    "created_by", "created_at", "updated_by", "updated_at",
					    "started_at", "stopped_at", "deleted_by", "deleted_at",
					    "recording" };
	for (size_t i = 0; i < sizeof text / sizeof *text; i++)
		if (!strcmp(col, text[i]))
			return false;
	return true;
}

json_t *tk_row_json(const struct tk_row *row)
{
	json_t *o = json_object();
#define TK_ROW_JSON(c) \
	json_object_set_new(o, #c, !row->c ? json_null() \
				   : numeric(#c) ? json_integer(strtoll(row->c, NULL, 10)) \
				   : json_string(row->c));
	TK_ROW_COLS(TK_ROW_JSON)
#undef TK_ROW_JSON
	json_object_set_new(o, "open", json_integer((json_int_t)row->open));
	json_t *allows = json_array();
	int st = task_state_parse(row->state ? row->state : "");
	for (int a = 0; st >= 0 && a < TASK_ACTION_COUNT; a++)
		if (a != TASK_A_LOADED && a != TASK_A_DONE &&
		    task_allows((enum task_state)st, (enum task_action)a))
			json_array_append_new(allows, json_string(task_action_name((enum task_action)a)));
	json_object_set_new(o, "actions", allows);
	return o;
}
