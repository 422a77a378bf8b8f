/* POST /cc/api/missed/{id}/outcome {outcome, note}: the callback's result
 * (已回拨接通 reached, 未接通 no_answer, 号码错误 wrong_number, 无需回拨
 * not_needed) and an optional note. It closes every open missed call of
 * the number in the group (one callback covers them all: missed.h) and
 * ends the claim. Any user who sees the call may set it unless another
 * holds a live claim on the number (409 missed.claimed); a call done
 * already is 409 missed.done. Audited ("missed", the call's id, "outcome",
 * with the calls it closed). */
#include "missed.h"

#include "../audit/audit.h"

#include "log.h"

#include <string.h>

const char *missed_outcome_check(const char *outcome, const char *note, const char **field)
{
	static const char *const names[] = {
#define MISSED_OUTCOME_NAME(o) #o,
		MISSED_OUTCOMES(MISSED_OUTCOME_NAME)
#undef MISSED_OUTCOME_NAME
	};
	bool known = false;
	for (size_t i = 0; outcome && i < sizeof names / sizeof *names; i++)
		known = known || !strcmp(outcome, names[i]);
	*field = "outcome";
	if (!known)
		return "missed.outcome_required";
	*field = "note";
	long chars = note ? utf8_chars(note) : 0;
	if (chars < 0 || (note && text_has_controls(note, true)))
		return "missed.note_bad";
	if (chars > MISSED_NOTE_MAX)
		return "missed.note_long";
	*field = NULL;
	return NULL;
}

static const char *invalid(struct req *r, const char *field, const char *message)
{
	json_t *errs = json_pack("{s:s}", field, message);
	return resp_json(r, 422, json_pack("{s:b, s:s, s:s, s:o}", "ok", 0, "error", "invalid",
					   "message", message, "errors", errs));
}

/* The open missed calls of the number in the group, done with this outcome
 * (calls done already are left as they are). Affected rows or -1. */
static long long close_calls(struct req *r, const struct missed *m, const char *outcome,
			     const char *note, const char *name)
{
	bool grouped = m->caller_norm && *m->caller_norm;
	return db_exec(r->thr->db,
		       "INSERT IGNORE INTO cc_missed (call_id, skill_group_id, number, outcome, "
		       "outcome_note, done_by, done_name, done_at) "
		       "SELECT o.id, o.skill_group_id, ?, ?, ?, ?, ?, NOW(3) FROM cc_call o "
		       "WHERE o.skill_group_id = ? AND (o.id = ? OR o.caller_norm = ?) "
		       "AND o.direction = 'inbound' AND (o.result = 'no_agent' OR "
		       "(o.result = 'abandoned' AND o.end_state IN ('queued', 'offering')))",
		       "ssssssss", m->number, outcome, note, r->sess->user_id, name, m->group_id,
		       m->id, grouped ? m->caller_norm : NULL);
}

/* Who closed call id (a locking read): 1 with *by set, 0 none, -1. */
static int done_by(struct req *r, const char *id, char *by, size_t n)
{
	return db_query_value(r->thr->db, by, n,
			      "SELECT done_by FROM cc_missed WHERE call_id = ? LOCK IN SHARE MODE",
			      "s", id);
}

static const char *outcome_body(struct req *r, struct missed_act *t)
{
	const struct missed *m = &t->m;
	/* The number's claim first (the lock a claim takes): then the calls. */
	if (missed_holder_get(r, m, &t->h) < 0)
		return "db_unavailable";
	if (t->h.found && t->h.live && strcmp(t->h.by, r->sess->user_id))
		return MISSED_CLAIMED;
	const char *name = r->sess->name && *r->sess->name ? r->sess->name : r->sess->username;
	char by[40];
	int rc;
	if (db_exec(r->thr->db, "DELETE FROM cc_missed_claim WHERE skill_group_id = ? AND "
				"number = ?", "ss", m->group_id, m->number) < 0 ||
	    (t->n = close_calls(r, m, t->outcome, t->note, name)) < 0 ||
	    (rc = done_by(r, m->id, by, sizeof by)) < 0)
		return "db_unavailable";
	/* Another request closed it between our read and our write. */
	if (rc == 0 || t->n == 0 || strcmp(by, r->sess->user_id))
		return MISSED_DONE;
	return audit_txn(r, "missed", m->id, "outcome", missed_json(r, m),
			 json_pack("{s:s, s:s, s:s?, s:I}", "state", "done", "outcome", t->outcome,
				   "outcome_note", t->note, "calls", (json_int_t)t->n));
}

const char *missed_outcome_post(struct req *r)
{
	const char *why = missed_allowed(r);
	if (why)
		return why;
	const char *outcome = req_param(r, "outcome");
	const char *note = req_param(r, "note"), *field;
	note = note ? text_trim(r->a, note) : NULL;
	if (note && !*note)
		note = NULL;
	const char *bad = missed_outcome_check(outcome, note, &field);
	if (bad)
		return invalid(r, field, web_t(r, bad));

	struct missed_act t = { .body = outcome_body, .outcome = outcome, .note = note };
	if ((why = missed_act(r, &t, "outcome")))
		return missed_act_refused(r, &t, why);
	struct missed m;
	int rc = missed_db_get(r, t.m.id, &m);
	json_t *out = json_pack("{s:b, s:I}", "ok", 1, "calls", (json_int_t)t.n);
	if (rc > 0)
		json_object_set_new(out, "item", missed_json(r, &m));
	return resp_json(r, 200, out);
}
