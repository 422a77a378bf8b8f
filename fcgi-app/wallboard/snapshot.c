/* GET /cc/api/wallboard (?group=ID): the state the wallboard starts from
 * (docs/wallboard.md, "The snapshot"). Agents come from the B2BUA (who is
 * signed in, in which state since when, in which groups); calls in
 * progress, today's counts and the calls that ended lately from cc_call.
 * Instants are ms since the epoch, read as UNIX_TIMESTAMP so that the
 * database's zone never matters; "today" is the center's (clock.h). */
#include "wallboard.h"

#include "../clock.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

#define MS(col) "CAST(ROUND(UNIX_TIMESTAMP(" col ") * 1000) AS SIGNED)"

/* A call left open longer than this is not shown (a node that died with it
 * closes it when it comes back). */
#define OPEN_MAX_S 86400
/* Calls ended this recently are listed, so that their events, still on
 * their way to the browser, are not counted twice. */
#define ENDED_S 600

static json_t *int_or_null(const char *v)
{
	return v ? json_integer(strtoll(v, NULL, 10)) : json_null();
}

static int call_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	if (ncol < 8)
		return 1;
	json_t *c = json_pack("{s:s, s:s, s:s?, s:I, s:s?, s:o, s:o, s:o}", "id", v[0], "direction",
			      v[1] ? v[1] : "inbound", "caller", v[2], "group",
			      (json_int_t)strtoll(v[3] ? v[3] : "0", NULL, 10), "agent", v[4],
			      "started", int_or_null(v[5]), "enqueued", int_or_null(v[6]),
			      "answered", int_or_null(v[7]));
	json_array_append_new(arg, c);
	return 0;
}

static int group_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	if (ncol < 2 || !v[0])
		return 1;
	json_array_append_new(arg, json_pack("{s:I, s:s, s:i, s:i, s:i, s:i, s:i}", "id",
					     (json_int_t)strtoll(v[0], NULL, 10), "name",
					     v[1] ? v[1] : "", "total", 0, "answered", 0,
					     "abandoned", 0, "no_agent", 0, "sl_in", 0));
	return 0;
}

static json_t *group_in(json_t *groups, long long id)
{
	size_t i;
	json_t *g;
	json_array_foreach(groups, i, g)
		if (json_integer_value(json_object_get(g, "id")) == id)
			return g;
	return NULL;
}

static int stat_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	if (ncol < 6 || !v[0])
		return 1;
	json_t *g = group_in(arg, strtoll(v[0], NULL, 10));
	if (!g)
		return 0;	/* a group deleted today */
	static const char *const keys[] = { "total", "answered", "abandoned", "no_agent", "sl_in" };
	for (int i = 0; i < 5; i++)
		json_object_set_new(g, keys[i], json_integer(v[i + 1] ? strtoll(v[i + 1], NULL, 10) : 0));
	return 0;
}

static int id_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	if (ncol >= 1 && v[0])
		json_array_append_new(arg, json_string(v[0]));
	return 0;
}

long long wb_group_of(struct req *r)
{
	const char *g = req_query(r, "group");
	if (!g || !*g)
		return 0;
	long long id = text_number(g, -1, -1, 4294967295ll);
	if (id <= 0)
		return -1;
	char name[8];
	int rc = db_query_value(r->thr->db, name, sizeof name,
				"SELECT 1 FROM cc_skill_group WHERE id = ?", "i", id);
	return rc == 1 ? id : rc < 0 ? -2 : -1;
}

/* The signed-in agents the board shows: of group, or all (group 0). */
static json_t *agents_of(struct req *r, long long group, bool *up)
{
	json_t *out = json_array();
	json_t *list = web_ctl(r, "agent.list", NULL);
	*up = list && json_is_array(json_object_get(list, "agents"));
	size_t i, j;
	json_t *a, *g;
	json_array_foreach(json_object_get(list, "agents"), i, a) {
		const char *state = json_string_value(json_object_get(a, "state"));
		if (!state || !strcmp(state, "logged_out"))
			continue;
		bool in = group == 0;
		json_array_foreach(json_object_get(a, "groups"), j, g)
			in = in || json_integer_value(g) == group;
		if (!in)
			continue;
		json_array_append_new(out, json_pack("{s:O, s:O, s:s, s:O, s:O, s:O, s:O}", "id",
						     json_object_get(a, "id"), "name",
						     json_object_get(a, "name") ?: json_null(), "state", state,
						     "reason", json_object_get(a, "reason") ?: json_null(),
						     "since", json_object_get(a, "since") ?: json_null(),
						     "call", json_object_get(a, "call") ?: json_null(),
						     "groups", json_object_get(a, "groups") ?: json_array()));
	}
	json_decref(list);
	return out;
}

json_t *wb_snapshot(struct req *r, long long group, const char **why)
{
	struct db *db = r->thr->db;
	struct wb_settings s;
	if (wb_settings_read(r, &s) < 0) {
		*why = "db_unavailable";
		return NULL;
	}
	long long now_ms = web_wall_ms(), now = now_ms / 1000;
	long long day = clock_day_start(r->web->tz, now);
	json_t *groups = json_array(), *calls = json_array(), *ended = json_array();
	bool ok = db_query(db, "SELECT id, name FROM cc_skill_group WHERE ? = 0 OR id = ? ORDER BY name, id",
			   group_row, groups, "ii", group, group) >= 0 &&
		  db_query(db,
			   "SELECT COALESCE(skill_group_id, 0), COUNT(*), SUM(result = 'answered'), "
			   "SUM(result = 'abandoned'), SUM(result = 'no_agent'), "
			   "SUM(result = 'answered' AND answered_at IS NOT NULL AND "
			   "TIMESTAMPDIFF(MICROSECOND, enqueued_at, answered_at) <= ? * 1000000) "
			   "FROM cc_call WHERE started_at >= FROM_UNIXTIME(?) AND enqueued_at >= FROM_UNIXTIME(?) "
			   "AND ended_at IS NOT NULL AND (? = 0 OR skill_group_id = ?) "
			   "GROUP BY COALESCE(skill_group_id, 0)",
			   stat_row, groups, "iiiii", s.v[WB_sl_target_s], day - OPEN_MAX_S, day, group,
			   group) >= 0 &&
		  db_query(db,
			   "SELECT id, direction, caller, COALESCE(skill_group_id, 0), agent_id, "
			   MS("started_at") ", " MS("enqueued_at") ", " MS("answered_at") " "
			   "FROM cc_call WHERE ended_at IS NULL AND started_at >= FROM_UNIXTIME(?) "
			   "AND (? = 0 OR skill_group_id = ?) ORDER BY started_at",
			   call_row, calls, "iii", now - OPEN_MAX_S, group, group) >= 0 &&
		  db_query(db, "SELECT id FROM cc_call WHERE ended_at >= FROM_UNIXTIME(?)", id_row, ended,
			   "i", now - ENDED_S) >= 0;
	if (!ok) {
		log_err("wallboard snapshot: %s", db_error(db));
		json_decref(groups);
		json_decref(calls);
		json_decref(ended);
		*why = "db_unavailable";
		return NULL;
	}
	bool up = false;
	json_t *agents = agents_of(r, group, &up);
	return json_pack("{s:b, s:I, s:I, s:I, s:b, s:o, s:o, s:o, s:o, s:o}", "ok", 1, "at",
			 (json_int_t)now_ms, "day_start", (json_int_t)day * 1000, "group",
			 (json_int_t)group, "b2bua", up, "settings", wb_settings_json(&s), "groups",
			 groups, "agents", agents, "calls", calls, "ended", ended);
}

const char *wallboard_api_get(struct req *r)
{
	long long group = wb_group_of(r);
	if (group == -2)
		return "db_unavailable";
	if (group < 0)
		return "not_found";
	const char *why = NULL;
	json_t *snap = wb_snapshot(r, group, &why);
	return snap ? resp_json(r, 200, snap) : why;
}
