/* The workbench's conversation list (会话列表): the signed-in agent's calls
 * of today, newest first, for the page; and GET /cc/api/workbench/calls/{id},
 * one of them reopened as its screen pop, with what the agent recorded
 * about it ({ok:true, pop:{…}, note:{intent, note}, ended, direction}), so
 * that the form can be edited and saved after the call. A call of another
 * agent is answered as one that does not exist (404), except to an admin. */
#include "../contacts/contact.h"
#include "db.h"
#include "log.h"
#include "manifest.h"
#include "../route.h"
#include "../sse/hub.h"
#include "agent.h"

#include <stdlib.h>
#include <string.h>

/* The columns of conv_sql, in order. */
static const char *const conv_attrs[] = {
	"id", "time", "direction", "number", "name", "contact", "online", "task", "intent", NULL,
};

static int conv_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	return !xd_row(arg, "conv", conv_attrs, ncol, v);
}

void workbench_convs(struct req *r, xmlNode *parent)
{
	const typeof(r->web->mf->contacts) *c = &r->web->mf->contacts;
	xmlNode *convs = xd_el(parent, "convs");
	/* agent_idx (agent_id, started_at) serves the day's range. */
	const char *sql = arena_printf(r->a,
		"SELECT k.id, DATE_FORMAT(k.started_at, '%%H:%%i'), k.direction, "
		"IF(k.direction = 'outbound', k.callee, k.caller), c.`%s`, k.contact_id, "
		"IF(k.ended_at IS NULL AND k.answered_at IS NOT NULL, 1, 0), COALESCE(k.task_id, 0), "
		"n.intent FROM cc_call k LEFT JOIN `%s` c ON c.`%s` = k.contact_id "
		"LEFT JOIN cc_call_note n ON n.call_id = k.id "
		"WHERE k.agent_id = ? AND k.started_at >= CURDATE() "
		"ORDER BY k.started_at DESC LIMIT 100",
		c->display_name, c->table, c->id);
	if (!sql || db_query(r->thr->db, sql, conv_row, convs, "s", r->sess->user_id) < 0)
		log_err("workbench conversations: %s", db_error(r->thr->db));
}

/* The columns of the item's query, in order. */
enum { C_AGENT, C_DIR, C_CALLER, C_NORM, C_CALLEE, C_CONTACT, C_TASK, C_TARGET, C_DATA,
       C_TASK_NAME, C_INTENT, C_NOTE, C_ENDED, C_N };

struct item {
	struct arena *a;
	char *v[C_N];
	bool found;
};

static int item_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct item *it = arg;
	(void)lens;
	if (ncol < C_N)
		return 1;
	it->found = true;
	for (int i = 0; i < C_N; i++)
		it->v[i] = v[i] ? arena_strdup(it->a, v[i]) : NULL;
	return 1;
}

/* The target's data with the task's name first, as the dialer sends it in
 * call.answered: a JSON object's text (malloc'd), or NULL. */
static char *task_data(const char *data, const char *task_name)
{
	json_t *o = json_object();
	json_object_set_new(o, "task_name", json_string(task_name ? task_name : ""));
	json_t *d = data ? json_loads(data, 0, NULL) : NULL;
	if (json_is_object(d))
		json_object_update_missing(o, d);
	json_decref(d);
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

const char *workbench_call_get(struct req *r)
{
	struct db *db = r->thr->db;
	struct item it = { .a = r->a };
	if (db_query(db,
		     "SELECT k.agent_id, k.direction, k.caller, k.caller_norm, k.callee, k.contact_id, "
		     "COALESCE(k.task_id, 0), COALESCE(k.target_id, 0), t.data, s.name, n.intent, "
		     "n.note, IF(k.ended_at IS NULL, 0, 1) FROM cc_call k "
		     "LEFT JOIN cc_task_target t ON t.id = k.target_id AND t.task_id = k.task_id "
		     "LEFT JOIN cc_task s ON s.id = k.task_id "
		     "LEFT JOIN cc_call_note n ON n.call_id = k.id WHERE k.id = ?",
		     item_row, &it, "s", r->route_id) < 0) {
		log_err("workbench call %s: %s", r->route_id, db_error(db));
		return "db_unavailable";
	}
	if (!it.found || (!r->sess->admin && (!it.v[C_AGENT] ||
					      strcmp(it.v[C_AGENT], r->sess->user_id))))
		return "not_found";
	bool outbound = it.v[C_DIR] && !strcmp(it.v[C_DIR], "outbound");
	const char *number = outbound ? it.v[C_CALLEE] : it.v[C_CALLER];
	const char *norm = it.v[C_NORM];
	char buf[40];
	if (outbound) {
		norm = phone_normalize(&r->web->phone, number ? number : "", buf, sizeof buf) ==
			PHONE_INVALID ? NULL : buf;
	}
	long long task = it.v[C_TASK] ? atoll(it.v[C_TASK]) : 0;
	long long target = it.v[C_TARGET] ? atoll(it.v[C_TARGET]) : 0;
	char *data = task ? task_data(it.v[C_DATA], it.v[C_TASK_NAME]) : NULL;
	json_t *ev = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:I, s:I}", "call", r->route_id,
			       "agent", r->sess->user_id, "caller", number, "caller_norm", norm,
			       "contact", it.v[C_CONTACT], "data", data, "task", (json_int_t)task,
			       "target", (json_int_t)target);
	free(data);
	json_t *pop = ev ? pop_build(r->web, db, ev) : NULL;
	json_decref(ev);
	if (!pop)
		return "internal";
	return resp_json(r, 200, json_pack("{s:b, s:o, s:{s:s?, s:s?}, s:b, s:s?}", "ok", 1,
					   "pop", pop, "note", "intent", it.v[C_INTENT], "note",
					   it.v[C_NOTE], "ended", it.v[C_ENDED] && atoi(it.v[C_ENDED]),
					   "direction", it.v[C_DIR]));
}
