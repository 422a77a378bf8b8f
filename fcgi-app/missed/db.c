/* The worklist's rows as the signed-in user may see them: see missed.h. */
#include "missed.h"

#include "../clock.h"
#include "../sqlq.h"
#include "log.h"
#include "manifest.h"

#include <stdlib.h>
#include <string.h>

/* Who sees a call: an admin every one, an agent those of their groups. Two
 * values: the admin flag and the user's id. */
#define VISIBLE " (? = 1 OR c.skill_group_id IN (SELECT skill_group_id FROM " \
		"cc_skill_group_member WHERE user_id = ?))"
#define VISIBLE_FMT "is"
#define VISIBLE_ARGS(r) (long long)(r)->sess->admin, (r)->sess->user_id

/* A missed call (missed.h): lost in the queue, while ringing, or with no agent. */
#define IS_MISSED(c) " " c ".direction = 'inbound' AND " c ".skill_group_id IS NOT NULL AND (" \
	c ".result = 'no_agent' OR (" c ".result = 'abandoned' AND " c ".end_state IN " \
	"('queued', 'offering')))"

/* The number a claim and an outcome are keyed by (cc_missed_claim.number). */
#define NUMBER_OF(c) "COALESCE(NULLIF(" c ".caller_norm, ''), CONCAT('call:', " c ".id))"

/* The claim counts while younger than missed_claim_minutes (one value). */
#define LIVE "(k.claimed_at IS NOT NULL AND k.claimed_at >= NOW(3) - INTERVAL ? MINUTE)"

/* The joins every query of the list needs: group, outcome, the claim (only
 * of a call not done), and the first answered call with the same number
 * after this one (caller_idx; outbound calls keep the customer's number in
 * caller_norm too). The contact's name comes from the manifest's table. */
#define JOINS \
	"FROM cc_call c LEFT JOIN cc_skill_group g ON g.id = c.skill_group_id " \
	"LEFT JOIN cc_missed m ON m.call_id = c.id " \
	"LEFT JOIN cc_missed_claim k ON m.call_id IS NULL AND k.skill_group_id = c.skill_group_id " \
	"AND k.number = " NUMBER_OF("c") " " \
	"LEFT JOIN cc_call b ON b.id = (SELECT b2.id FROM cc_call b2 WHERE c.caller_norm <> '' " \
	"AND b2.caller_norm = c.caller_norm AND b2.started_at > c.started_at " \
	"AND b2.result = 'answered' ORDER BY b2.started_at LIMIT 1) "

#define COLUMNS \
	"SELECT c.id, c.skill_group_id, COALESCE(g.name, ''), c.caller, c.caller_norm, " \
	NUMBER_OF("c") ", c.contact_id, ct.`%s`, c.result, c.end_state, " \
	"UNIX_TIMESTAMP(c.started_at), UNIX_TIMESTAMP(c.enqueued_at), UNIX_TIMESTAMP(c.ended_at), " \
	"k.claimed_by, k.claimed_name, UNIX_TIMESTAMP(k.claimed_at), IF(" LIVE ", 1, 0), " \
	"m.outcome, m.outcome_note, m.done_by, m.done_name, UNIX_TIMESTAMP(m.done_at), " \
	"b.id, UNIX_TIMESTAMP(b.started_at), b.direction, " \
	"IF(COALESCE(c.caller_norm, '') = '', 1, (SELECT COUNT(*) FROM cc_call o " \
	"LEFT JOIN cc_missed om ON om.call_id = o.id WHERE o.caller_norm = c.caller_norm " \
	"AND o.skill_group_id = c.skill_group_id AND om.call_id IS NULL AND" IS_MISSED("o") ")) "

#define NCOLS 26

/* The SELECT with the contact's join, in the request's arena (the manifest
 * names the contacts' table and columns; they were validated at start). A
 * deleted contact's name is not shown. */
static const char *select_sql(struct req *r)
{
	const typeof(r->web->mf->contacts) *ct = &r->web->mf->contacts;
	return arena_printf(r->a, COLUMNS JOINS "LEFT JOIN `%s` ct ON ct.`%s` = c.contact_id "
			    "AND COALESCE(ct.`%s`, 0) <> 1 ",
			    ct->display_name, ct->table, ct->id, ct->deleted);
}

const char *missed_allowed(const struct req *r)
{
	return r->sess && (r->sess->admin || r->sess->agent) ? NULL : "forbidden";
}

TEXT_ROWS_FIT(struct missed, NCOLS);

static long long claim_minutes(const struct req *r)
{
	return r->web->conf.missed_claim_minutes;
}

int missed_db_get(struct req *r, const char *id, struct missed *m)
{
	struct text_rows rs = { .a = r->a, .ncols = NCOLS };
	const char *sql = select_sql(r);
	if (!id || !*id || strlen(id) > 32)
		return 0;
	if (!sql)
		return -1;
	sql = arena_printf(r->a, "%sWHERE c.id = ? AND" IS_MISSED("c") " AND" VISIBLE, sql);
	if (!sql || db_query(r->thr->db, sql, text_rows_h, &rs, "is" VISIBLE_FMT, claim_minutes(r), id,
			     VISIBLE_ARGS(r)) < 0 || rs.failed) {
		log_err("missed: %s", db_error(r->thr->db));
		return -1;
	}
	if (!rs.n)
		return 0;
	*m = ((struct missed *)rs.v)[0];
	return 1;
}

/* The list's filter. State codes: 0 open and claimed, 1 open, 2 claimed,
 * 3 done, 4 all. */
#define FILTER " WHERE" IS_MISSED("c") " AND" VISIBLE " AND (? = 0 OR c.skill_group_id = ?) " \
	"AND c.started_at >= FROM_UNIXTIME(?) AND c.started_at < FROM_UNIXTIME(?) " \
	"AND (? = 4 OR (? = 3 AND m.call_id IS NOT NULL) OR (? < 3 AND m.call_id IS NULL " \
	"AND (? = 0 OR (? = 2) = " LIVE "))) " \
	"AND (? = 1 OR m.call_id IS NOT NULL OR b.id IS NULL)"
#define FILTER_FMT VISIBLE_FMT "iiiiiiiiiii"
#define FILTER_ARGS(q, r, s) VISIBLE_ARGS(r), (long long)(q)->group, (long long)(q)->group, \
	(q)->from, (q)->to, s, s, s, s, s, claim_minutes(r), (long long)(q)->back

static long long state_code(const char *s)
{
	static const char *const names[] = { "", "open", "claimed", "done", "all" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (s && !strcmp(s, names[i]))
			return (long long)i;
	return 0;
}

int missed_db_list(struct req *r, const struct missed_query *q, struct missed **rows,
		   size_t *n, long long *total)
{
	struct db *db = r->thr->db;
	char count[32] = "0";
	struct text_rows rs = { .a = r->a, .ncols = NCOLS };
	long long s = state_code(q->state);
	const char *sql = select_sql(r);
	if (!sql)
		return -1;
	sql = arena_printf(r->a, "%s" FILTER " ORDER BY c.started_at DESC, c.id LIMIT ? OFFSET ?",
			   sql);
	if (db_query_value(db, count, sizeof count, "SELECT COUNT(*) " JOINS FILTER, FILTER_FMT,
			   FILTER_ARGS(q, r, s)) < 0)
		goto fail;
	*total = atoll(count);
	if (!sql || db_query(db, sql, text_rows_h, &rs, "i" FILTER_FMT "ii", claim_minutes(r),
			     FILTER_ARGS(q, r, s), q->per_page, (q->page - 1) * q->per_page) < 0 ||
	    rs.failed)
		goto fail;
	*rows = rs.v;
	*n = rs.n;
	return 0;
fail:
	log_err("missed: %s", db_error(db));
	return -1;
}

int missed_db_groups(struct req *r, const char ***pairs, size_t *n)
{
	struct text_rows p = { .a = r->a, .ncols = 2 };
	if (db_query(r->thr->db,
		     "SELECT c.id, c.name FROM cc_skill_group c WHERE (? = 1 OR c.id IN "
		     "(SELECT skill_group_id FROM cc_skill_group_member WHERE user_id = ?)) "
		     "ORDER BY c.name",
		     text_rows_h, &p, VISIBLE_FMT, VISIBLE_ARGS(r)) < 0 || p.failed) {
		log_err("missed: %s", db_error(r->thr->db));
		return -1;
	}
	*pairs = p.v;
	*n = p.n;
	return 0;
}

const char *missed_state(const struct missed *m)
{
	if (m->outcome)
		return "done";
	return m->claim_live && !strcmp(m->claim_live, "1") ? "claimed" : "open";
}

long long missed_waited(const struct missed *m)
{
	if (!m->enqueued || !m->ended)
		return -1;
	long long s = atoll(m->ended) - atoll(m->enqueued);
	return s < 0 ? 0 : s;
}

const char *missed_stage(const struct missed *m)
{
	if (m->result && !strcmp(m->result, "no_agent"))
		return "no_agent";
	return m->end_state && !strcmp(m->end_state, "offering") ? "ringing" : "queue";
}

const char *missed_time(struct req *r, const char *unix_ts)
{
	if (!unix_ts)
		return NULL;
	char buf[24];
	clock_format(r->web->tz, atoll(unix_ts), buf, sizeof buf);
	return arena_strdup(r->a, buf);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *missed_json(struct req *r, const struct missed *m)
{
	bool claimed = !strcmp(missed_state(m), "claimed");
	long long waited = missed_waited(m);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(m->id));
	json_object_set_new(o, "group_id", json_integer(atoll(m->group_id)));
	json_object_set_new(o, "group_name", json_string(m->group_name));
	json_object_set_new(o, "caller", json_string(m->caller ? m->caller : ""));
	json_object_set_new(o, "caller_norm", str_or_null(m->caller_norm));
	json_object_set_new(o, "contact_id", str_or_null(m->contact_id));
	json_object_set_new(o, "contact_name", str_or_null(m->contact_name));
	json_object_set_new(o, "at", str_or_null(missed_time(r, m->started)));
	json_object_set_new(o, "ts", json_integer(m->started ? atoll(m->started) : 0));
	json_object_set_new(o, "waited_s", waited < 0 ? json_null() : json_integer(waited));
	json_object_set_new(o, "stage", json_string(missed_stage(m)));
	json_object_set_new(o, "same_number", json_integer(m->same ? atoll(m->same) : 1));
	json_object_set_new(o, "state", json_string(missed_state(m)));
	json_object_set_new(o, "claimed_by", claimed ? json_string(m->claimed_by) : json_null());
	json_object_set_new(o, "claimed_name", claimed ? json_string(m->claimed_name) : json_null());
	json_object_set_new(o, "claimed_at",
			    claimed ? str_or_null(missed_time(r, m->claimed_at)) : json_null());
	json_object_set_new(o, "mine", json_boolean(claimed && !strcmp(m->claimed_by,
									 r->sess->user_id)));
	json_object_set_new(o, "outcome", str_or_null(m->outcome));
	json_object_set_new(o, "outcome_note", str_or_null(m->outcome_note));
	json_object_set_new(o, "done_by", str_or_null(m->done_by));
	json_object_set_new(o, "done_name", str_or_null(m->done_name));
	json_object_set_new(o, "done_at", str_or_null(missed_time(r, m->done_at)));
	json_object_set_new(o, "called_back",
			    m->back_call ? json_pack("{s:s, s:s?, s:s?}", "call", m->back_call,
						     "at", missed_time(r, m->back_at),
						     "direction", m->back_dir)
					 : json_null());
	return o;
}

const char *missed_refuse(struct req *r, int status, const char *error, const char *message)
{
	return resp_json(r, status, json_pack("{s:b, s:s, s:s}", "ok", 0, "error", error,
					      "message", message));
}
