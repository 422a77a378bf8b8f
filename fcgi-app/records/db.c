/* The records as the signed-in user may read them (see records.h). The
 * statements name the helpdesk's users and contacts through the manifest
 * (checked identifiers, quoted); every value is a parameter. */
#include "records.h"

#include "../clock.h"
#include "log.h"
#include "manifest.h"

#include <stdlib.h>
#include <string.h>

const char *rec_allowed(const struct req *r)
{
	return r->sess && (r->sess->admin || r->sess->agent) ? NULL : "forbidden";
}

/* The columns a list row is read with, in order, then the detail's. */
#define ROW_COLS \
	"c.id, UNIX_TIMESTAMP(c.started_at), c.direction, c.caller, c.callee, c.number_id, " \
	"n.name, c.skill_group_id, g.name, c.agent_id, u.`%s`, c.contact_id, ct.`%s`, c.result, " \
	"c.end_state, c.hangup_side, c.task_id, UNIX_TIMESTAMP(c.enqueued_at), " \
	"UNIX_TIMESTAMP(c.answered_at), UNIX_TIMESTAMP(c.ended_at)"
enum { R_ID, R_STARTED, R_DIR, R_CALLER, R_CALLEE, R_NUMBER, R_NUMBER_NAME, R_GROUP,
       R_GROUP_NAME, R_AGENT, R_AGENT_NAME, R_CONTACT, R_CONTACT_NAME, R_RESULT, R_END_STATE,
       R_SIDE, R_TASK, R_ENQUEUED, R_ANSWERED, R_ENDED, R_N };

#define ROW_FROM \
	" FROM cc_call c LEFT JOIN cc_number n ON n.id = c.number_id " \
	"LEFT JOIN cc_skill_group g ON g.id = c.skill_group_id " \
	"LEFT JOIN `%s` u ON u.`%s` = c.agent_id LEFT JOIN `%s` ct ON ct.`%s` = c.contact_id"

/* Each filter is off when its first parameter is NULL or 0; MariaDB folds
 * the parameters before it plans, so the statement reads the index of the
 * filters given (agent_idx, group_idx, number_idx, task_idx, caller_idx,
 * else started_idx), newest first from the cursor (docs/reports.md). */
#define LIST_WHERE \
	" WHERE c.started_at >= FROM_UNIXTIME(?)" \
	" AND (? = 0 OR c.started_at < FROM_UNIXTIME(?))" \
	" AND (? = 1 OR c.agent_id = ?)" \
	" AND (? IS NULL OR c.agent_id = ?)" \
	" AND (? = 0 OR c.skill_group_id = ?)" \
	" AND (? = 0 OR c.number_id = ?)" \
	" AND (? = 0 OR c.task_id = ?)" \
	" AND (? IS NULL OR c.direction = ?)" \
	" AND (? IS NULL OR c.result = ?)" \
	" AND (? IS NULL OR (? = 'ivr' AND c.end_state IN ('media', 'flow', 'originating'))" \
	" OR (? = 'queue' AND c.end_state = 'queued') OR (? = 'ringing' AND c.end_state = 'offering'))" \
	" AND (? = 0 OR (c.answered_at IS NOT NULL AND c.enqueued_at IS NOT NULL" \
	" AND c.answered_at > c.enqueued_at + INTERVAL ? SECOND))" \
	" AND (? IS NULL OR c.caller_norm = ?)" \
	" AND (? IS NULL OR c.caller_norm = ? OR c.caller LIKE ? OR c.callee LIKE ?)" \
	" AND (? = 0 OR c.started_at < FROM_UNIXTIME(? / 1000)" \
	" OR (c.started_at = FROM_UNIXTIME(? / 1000) AND c.id < ?))" \
	" ORDER BY c.started_at DESC, c.id DESC LIMIT ?"
#define LIST_FMT "iiiisssiiiiiissssssssiissssssiiisi"

static const char *dup(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

static long long num(const char *s)
{
	return s ? atoll(s) : 0;
}

static void fill_row(struct arena *a, char **v, struct rec_row *w)
{
	*w = (struct rec_row){
		.id = dup(a, v[R_ID]), .direction = dup(a, v[R_DIR]), .caller = dup(a, v[R_CALLER]),
		.callee = dup(a, v[R_CALLEE]), .number_name = dup(a, v[R_NUMBER_NAME]),
		.group_name = dup(a, v[R_GROUP_NAME]), .agent_id = dup(a, v[R_AGENT]),
		.agent_name = dup(a, v[R_AGENT_NAME]), .contact_id = dup(a, v[R_CONTACT]),
		.contact_name = dup(a, v[R_CONTACT_NAME]), .result = dup(a, v[R_RESULT]),
		.end_state = dup(a, v[R_END_STATE]), .hangup_side = dup(a, v[R_SIDE]),
		.number_id = num(v[R_NUMBER]), .group_id = num(v[R_GROUP]), .task_id = num(v[R_TASK]),
		.started = rec_ms(v[R_STARTED]), .enqueued = rec_ms(v[R_ENQUEUED]),
		.answered = rec_ms(v[R_ANSWERED]), .ended = rec_ms(v[R_ENDED]),
	};
}

struct rows {
	struct arena *a;
	struct rec_row *v;
	size_t n, cap;
	bool failed;
};

static int row_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct rows *rs = arg;
	(void)lens;
	if (ncol < R_N || !v[R_ID] || arena_grow(rs->a, &rs->v, rs->n, &rs->cap, sizeof *rs->v)) {
		rs->failed = true;
		return 1;
	}
	fill_row(rs->a, v, &rs->v[rs->n++]);
	return 0;
}

/* SELECT the row's columns, more columns, FROM the call and its names, tail. */
static const char *row_sql(struct req *r, const char *more, const char *tail)
{
	const struct manifest *m = r->web->mf;
	const char *cols = arena_printf(r->a, ROW_COLS, m->users.display_name,
					m->contacts.display_name);
	const char *from = arena_printf(r->a, ROW_FROM, m->users.table, m->users.id,
					m->contacts.table, m->contacts.id);
	return cols && from && more && tail
		? arena_printf(r->a, "SELECT %s%s%s%s", cols, more, from, tail) : NULL;
}

int rec_db_list(struct req *r, const struct rec_query *q, struct rec_row **rows, size_t *n,
		bool *more)
{
	struct db *db = r->thr->db;
	struct rows rs = { .a = r->a };
	const char *sql = row_sql(r, "", LIST_WHERE);
	if (!sql)
		return -1;
	/* A whole number by caller_norm alone, a part in the caller or callee. */
	const char *exact = q->number_exact ? q->number_norm : NULL;
	const char *part = q->number_exact ? NULL : q->number_like;
	if (db_query(db, sql, row_h, &rs, LIST_FMT,
		     q->from, q->to, q->to,
		     (long long)r->sess->admin, r->sess->user_id,
		     q->agent, q->agent,
		     q->group, q->group,
		     q->number_id, q->number_id,
		     q->task, q->task,
		     q->direction, q->direction,
		     q->result, q->result,
		     q->stage, q->stage, q->stage, q->stage,
		     (long long)q->sl_missed, q->sl,
		     exact, exact,
		     part, q->number_norm, q->number_like, q->number_like,
		     (long long)(q->after_id != NULL), q->after_ms, q->after_ms, q->after_id,
		     q->limit + 1) < 0 || rs.failed) {
		log_err("records: %s", db_error(db));
		return -1;
	}
	*more = rs.n > (size_t)q->limit;
	*rows = rs.v;
	*n = *more ? (size_t)q->limit : rs.n;
	return 0;
}

struct pairs {
	struct arena *a;
	const char **v;
	size_t n, cap;
	bool failed;
};

static int pair_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct pairs *p = arg;
	(void)lens;
	if (ncol < 2 || !v[0] || arena_grow(p->a, &p->v, p->n, &p->cap, 2 * sizeof *p->v)) {
		p->failed = true;
		return 1;
	}
	p->v[2 * p->n] = arena_strdup(p->a, v[0]);
	p->v[2 * p->n + 1] = arena_strdup(p->a, v[1] ? v[1] : v[0]);
	p->n++;
	return 0;
}

int rec_db_choices(struct req *r, const char *what, const char ***pairs, size_t *n)
{
	struct pairs p = { .a = r->a };
	const char *sql;
	if (!strcmp(what, "groups")) {
		sql = "SELECT id, name FROM cc_skill_group ORDER BY name LIMIT 500";
	} else if (!strcmp(what, "numbers")) {
		sql = "SELECT id, IF(name = '', number, CONCAT(name, ' ', number)) FROM cc_number "
		      "ORDER BY name, number LIMIT 500";
	} else {
		const typeof(r->web->mf->users) *u = &r->web->mf->users;
		char role[512];
		if (manifest_flags_sql(u->agent_flags, u->nagent, "u", role, sizeof role))
			return -1;
		sql = arena_printf(r->a, "SELECT u.`%s`, u.`%s` FROM `%s` u WHERE %s AND "
				   "COALESCE(u.`%s`, 0) = 0 ORDER BY u.`%s` LIMIT 500",
				   u->id, u->display_name, u->table, role, u->deleted,
				   u->display_name);
		if (!sql)
			return -1;
	}
	if (db_query(r->thr->db, sql, pair_h, &p, "") < 0 || p.failed) {
		log_err("records: %s", db_error(r->thr->db));
		return -1;
	}
	*pairs = p.v;
	*n = p.n;
	return 0;
}

/* --- one call ------------------------------------------------------------------- */

#define CALL_MORE \
	", c.cause, c.survey_key, c.ivr_vars, c.caller_norm, t.name, c.target_id, tt.number, " \
	"UNIX_TIMESTAMP(c.offered_at), c.offers, nt.intent, nt.note, nt.saved_by, su.`%s`, " \
	"UNIX_TIMESTAMP(nt.saved_at), (SELECT v.id FROM cc_voicemail v WHERE v.call_id = c.id " \
	"ORDER BY v.id LIMIT 1), (SELECT v.duration_ms FROM cc_voicemail v WHERE v.call_id = c.id " \
	"ORDER BY v.id LIMIT 1), rc.state, rc.duration_ms, rc.error"
enum { D_CAUSE = R_N, D_SURVEY, D_VARS, D_NORM, D_TASK_NAME, D_TARGET, D_TARGET_NUMBER,
       D_OFFERED, D_OFFERS, D_INTENT, D_NOTE, D_SAVED_BY, D_SAVED_NAME, D_SAVED_AT, D_VM,
       D_VM_MS, D_REC_STATE, D_REC_MS, D_REC_ERROR, D_N };

struct one {
	struct arena *a;
	struct rec_call *c;
	bool found, failed;
};

static int call_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct one *o = arg;
	struct arena *a = o->a;
	struct rec_call *c = o->c;
	(void)lens;
	if (ncol < D_N || !v[R_ID]) {
		o->failed = true;
		return 1;
	}
	fill_row(a, v, &c->row);
	c->cause = dup(a, v[D_CAUSE]);
	c->survey_key = dup(a, v[D_SURVEY]);
	c->ivr_vars = dup(a, v[D_VARS]);
	c->caller_norm = dup(a, v[D_NORM]);
	c->task_name = dup(a, v[D_TASK_NAME]);
	c->target_id = num(v[D_TARGET]);
	c->target_number = dup(a, v[D_TARGET_NUMBER]);
	c->offered = rec_ms(v[D_OFFERED]);
	c->offers = num(v[D_OFFERS]);
	c->note_intent = dup(a, v[D_INTENT]);
	c->note_text = dup(a, v[D_NOTE]);
	c->note_agent = dup(a, v[D_SAVED_BY]);
	c->note_agent_name = dup(a, v[D_SAVED_NAME]);
	c->note_saved = rec_ms(v[D_SAVED_AT]);
	c->vm_id = dup(a, v[D_VM]);
	c->vm_ms = v[D_VM_MS] ? num(v[D_VM_MS]) : -1;
	c->rec_state = dup(a, v[D_REC_STATE]);
	c->rec_ms = v[D_REC_MS] ? num(v[D_REC_MS]) : -1;
	c->rec_error = dup(a, v[D_REC_ERROR]);
	o->found = true;
	return 1;
}

int rec_db_call(struct req *r, const char *id, struct rec_call *c)
{
	if (!id || !*id || strlen(id) > REC_ID_MAX)
		return 0;
	const typeof(r->web->mf->users) *u = &r->web->mf->users;
	const char *more = arena_printf(r->a, CALL_MORE, u->display_name);
	const char *tail = more ? arena_printf(r->a,
		" LEFT JOIN cc_task t ON t.id = c.task_id "
		"LEFT JOIN cc_task_target tt ON tt.id = c.target_id AND tt.task_id = c.task_id "
		"LEFT JOIN cc_call_note nt ON nt.call_id = c.id "
		"LEFT JOIN cc_recording rc ON rc.call_id = c.id "
		"LEFT JOIN `%s` su ON su.`%s` = nt.saved_by "
		"WHERE c.id = ? AND (? = 1 OR c.agent_id = ?)", u->table, u->id) : NULL;
	const char *sql = row_sql(r, more, tail);
	if (!sql)
		return -1;
	*c = (struct rec_call){ 0 };
	struct one o = { .a = r->a, .c = c };
	if (db_query(r->thr->db, sql, call_h, &o, "sis", id, (long long)r->sess->admin,
		     r->sess->user_id) < 0 || o.failed) {
		log_err("records: call %s: %s", id, db_error(r->thr->db));
		return -1;
	}
	return o.found ? 1 : 0;
}

struct events {
	struct arena *a;
	struct rec_event *v;
	size_t n, cap;
	bool failed;
};

static int event_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct events *es = arg;
	(void)lens;
	if (ncol < 7 || !v[1] || arena_grow(es->a, &es->v, es->n, &es->cap, sizeof *es->v)) {
		es->failed = true;
		return 1;
	}
	es->v[es->n++] = (struct rec_event){
		.at = rec_ms(v[0]), .event = dup(es->a, v[1]), .detail = dup(es->a, v[2]),
		.group_id = num(v[3]), .group_name = dup(es->a, v[4]),
		.agent_id = dup(es->a, v[5]), .agent_name = dup(es->a, v[6]),
	};
	return 0;
}

int rec_db_events(struct req *r, const char *id, struct rec_event **ev, size_t *n)
{
	const typeof(r->web->mf->users) *u = &r->web->mf->users;
	struct events es = { .a = r->a };
	/* call_at_idx (call_id, at, id) gives the order. */
	const char *sql = arena_printf(r->a,
		"SELECT UNIX_TIMESTAMP(e.at), e.event, e.detail, e.skill_group_id, g.name, "
		"e.agent_id, u.`%s` FROM cc_call_event e "
		"LEFT JOIN cc_skill_group g ON g.id = e.skill_group_id "
		"LEFT JOIN `%s` u ON u.`%s` = e.agent_id "
		"WHERE e.call_id = ? ORDER BY e.at, e.id LIMIT %d",
		u->display_name, u->table, u->id, REC_EVENTS_MAX);
	if (!sql || db_query(r->thr->db, sql, event_h, &es, "s", id) < 0 || es.failed) {
		log_err("records: events of %s: %s", id, db_error(r->thr->db));
		return -1;
	}
	*ev = es.v;
	*n = es.n;
	return 0;
}

/* --- shared by the list and the detail --------------------------------------------- */

const char *rec_stage_of(const char *result, const char *end_state)
{
	if (!result || strcmp(result, "abandoned") || !end_state)
		return NULL;
	if (!strcmp(end_state, "media") || !strcmp(end_state, "flow") ||
	    !strcmp(end_state, "originating"))
		return "ivr";
	if (!strcmp(end_state, "queued"))
		return "queue";
	if (!strcmp(end_state, "offering"))
		return "ringing";
	return NULL;
}

long long rec_secs(long long from_ms, long long to_ms)
{
	if (from_ms < 0 || to_ms < 0 || to_ms < from_ms)
		return -1;
	return (to_ms - from_ms + 500) / 1000;
}

static json_t *opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *opt_int(long long v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

json_t *rec_row_json(struct req *r, const struct rec_row *w)
{
	char at[24] = "";
	if (w->started >= 0)
		clock_format(r->web->tz, w->started / 1000, at, sizeof at);
	/* The queue's wait ends at the answer, else at the end. */
	long long wait = w->enqueued >= 0
		? rec_secs(w->enqueued, w->answered >= 0 ? w->answered : w->ended) : -1;
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(w->id));
	json_object_set_new(o, "started_at", json_string(at));
	json_object_set_new(o, "started_ms", json_integer(w->started));
	json_object_set_new(o, "direction", opt_str(w->direction));
	json_object_set_new(o, "caller", opt_str(w->caller));
	json_object_set_new(o, "callee", opt_str(w->callee));
	json_object_set_new(o, "number_id", w->number_id ? json_integer(w->number_id) : json_null());
	json_object_set_new(o, "number_name", opt_str(w->number_name));
	json_object_set_new(o, "group_id", w->group_id ? json_integer(w->group_id) : json_null());
	json_object_set_new(o, "group_name", opt_str(w->group_name));
	json_object_set_new(o, "agent_id", opt_str(w->agent_id));
	json_object_set_new(o, "agent_name", opt_str(w->agent_name));
	json_object_set_new(o, "contact_id", opt_str(w->contact_id));
	json_object_set_new(o, "contact_name", opt_str(w->contact_name));
	json_object_set_new(o, "task_id", w->task_id ? json_integer(w->task_id) : json_null());
	json_object_set_new(o, "wait_s", opt_int(wait));
	json_object_set_new(o, "talk_s", opt_int(rec_secs(w->answered, w->ended)));
	json_object_set_new(o, "result", opt_str(w->result));
	json_object_set_new(o, "stage", opt_str(rec_stage_of(w->result, w->end_state)));
	json_object_set_new(o, "end_state", opt_str(w->end_state));
	json_object_set_new(o, "hangup_side", opt_str(w->hangup_side));
	json_object_set_new(o, "href", json_sprintf("/cc/records/%s", w->id));
	return o;
}

const char *rec_route_call(struct req *r, struct rec_call *c)
{
	const char *why = rec_allowed(r);
	if (why)
		return why;
	int rc = rec_db_call(r, r->route_id, c);
	return rc < 0 ? "db_unavailable" : rc == 0 ? "not_found" : NULL;
}
