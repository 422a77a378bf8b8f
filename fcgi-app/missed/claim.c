/* POST /cc/api/missed/{id}/claim and /release: an agent takes a missed
 * call's number to call it back, so that no two agents call the same
 * customer; an admin (or the holder) gives it back. Audited ("missed", the
 * call's id, "claim" / "release").
 *
 * The claim is on (group, number) (missed.h) and is taken in one
 * conditional write on that key: an INSERT IGNORE of a new row, else an
 * UPDATE of a row that is the user's own or expired. Two agents at once:
 * the second waits on the first's row lock, then finds it taken and gets
 * 409 {error:"missed.claimed", message:"已被 X 领取", claimed_by,
 * claimed_name}. The outcome (outcome.c) takes the same row lock first,
 * so a claim and an outcome of one number are one after the other. */
#include "missed.h"

#include "../audit/audit.h"

#include "log.h"

#include <string.h>

const char *missed_fill(struct req *r, const char *key, const char *value)
{
	const char *t = web_t(r, key), *p = strstr(t, "{}");
	if (!p)
		return t;
	return arena_printf(r->a, "%.*s%s%s", (int)(p - t), t, value ? value : "", p + 2);
}

static int holder_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct missed_holder *h = arg;
	(void)lens;
	if (ncol < 3)
		return 1;
	h->found = true;
	h->by = arena_strdup(h->a, v[0] ? v[0] : "");
	h->name = arena_strdup(h->a, v[1] ? v[1] : "");
	h->live = v[2] && !strcmp(v[2], "1");
	return 1;
}

int missed_holder_get(struct req *r, const struct missed *m, struct missed_holder *h)
{
	*h = (struct missed_holder){ .a = r->a };
	return db_query(r->thr->db,
			"SELECT claimed_by, claimed_name, "
			"IF(claimed_at >= NOW(3) - INTERVAL ? MINUTE, 1, 0) FROM cc_missed_claim "
			"WHERE skill_group_id = ? AND number = ? FOR UPDATE",
			holder_row, h, "iss", (long long)r->web->conf.missed_claim_minutes,
			m->group_id, m->number) < 0 ? -1 : 0;
}

const char *missed_claimed_refusal(struct req *r, const struct missed_holder *h)
{
	json_t *o = json_pack("{s:b, s:s, s:s, s:s, s:s}", "ok", 0, "error", "missed.claimed",
			      "message", missed_fill(r, "missed.claimed_by", h->name), "claimed_by",
			      h->by, "claimed_name", h->name);
	return resp_json(r, 409, o);
}

/* The call is done already (an outcome): a locking read, so that an
 * outcome committed since the transaction's snapshot counts. 1, 0, -1. */
static int done_now(struct req *r, const char *id)
{
	char n[8];
	int rc = db_query_value(r->thr->db, n, sizeof n,
				"SELECT 1 FROM cc_missed WHERE call_id = ? LOCK IN SHARE MODE", "s",
				id);
	return rc;
}

static const char *answer_item(struct req *r, const char *id)
{
	struct missed m;
	int rc = missed_db_get(r, id, &m);
	if (rc <= 0)
		return resp_json(r, 200, json_pack("{s:b}", "ok", 1));
	return resp_json(r, 200, json_pack("{s:b, s:o}", "ok", 1, "item", missed_json(r, &m)));
}

const char MISSED_CLAIMED[] = "missed.claimed", MISSED_DONE[] = "missed.done";

static const char *act_body(struct req *r, void *arg)
{
	struct missed_act *t = arg;
	int rc = missed_db_get(r, r->route_id, &t->m);
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : "not_found";
	return t->body(r, t);
}

const char *missed_act(struct req *r, struct missed_act *t, const char *what)
{
	const char *why = missed_allowed(r);
	if (why)
		return why;
	why = web_txn(r, act_body, t);
	if (why && !strcmp(why, "db_unavailable"))
		log_err("missed %s: %s failed: %s", r->route_id, what, db_error(r->thr->db));
	return why;
}

const char *missed_act_refused(struct req *r, const struct missed_act *t, const char *why)
{
	if (why == MISSED_CLAIMED)
		return missed_claimed_refusal(r, &t->h);
	if (why == MISSED_DONE)
		return missed_refuse(r, 409, why, web_t(r, "missed.done_already"));
	return why;
}

/* Released between the look and the claim: the user may try again. */
static const char RELEASED[] = "missed.conflict";

static const char *claim_body(struct req *r, struct missed_act *t)
{
	struct db *db = r->thr->db;
	const struct missed *m = &t->m;
	const char *name = r->sess->name && *r->sess->name ? r->sess->name : r->sess->username;
	long long n = db_exec(db,
			      "INSERT IGNORE INTO cc_missed_claim (skill_group_id, number, "
			      "claimed_by, claimed_name, claimed_at) VALUES (?, ?, ?, ?, NOW(3))",
			      "ssss", m->group_id, m->number, r->sess->user_id, name);
	if (n == 0)
		n = db_exec(db,
			    "UPDATE cc_missed_claim SET claimed_by = ?, claimed_name = ?, "
			    "claimed_at = NOW(3) WHERE skill_group_id = ? AND number = ? AND "
			    "(claimed_by = ? OR claimed_at < NOW(3) - INTERVAL ? MINUTE)",
			    "sssssi", r->sess->user_id, name, m->group_id, m->number,
			    r->sess->user_id, (long long)r->web->conf.missed_claim_minutes);
	if (n < 0)
		return "db_unavailable";
	if (n == 0) {
		if (missed_holder_get(r, m, &t->h) < 0)
			return "db_unavailable";
		return t->h.found ? MISSED_CLAIMED : RELEASED;
	}
	/* Holding the number's row now: an outcome of it has committed or waits. */
	int rc = done_now(r, m->id);
	if (rc != 0)
		return rc < 0 ? "db_unavailable" : MISSED_DONE;
	return audit_txn(r, "missed", m->id, "claim", missed_json(r, m),
			 json_pack("{s:s, s:s, s:s, s:s}", "state", "claimed", "claimed_by",
				   r->sess->user_id, "claimed_name", name, "number", m->number));
}

const char *missed_claim_post(struct req *r)
{
	struct missed_act t = { .body = claim_body };
	const char *why = missed_act(r, &t, "claim");
	if (why == RELEASED)
		return missed_refuse(r, 409, why, web_t(r, "missed.failed"));
	return why ? missed_act_refused(r, &t, why) : answer_item(r, t.m.id);
}

static const char NOT_CLAIMED[] = "missed.not_claimed", NOT_YOURS[] = "forbidden";

static const char *release_body(struct req *r, struct missed_act *t)
{
	const struct missed *m = &t->m;
	struct missed_holder *h = &t->h;
	if (missed_holder_get(r, m, h) < 0)
		return "db_unavailable";
	if (!h->found || !h->live)
		return NOT_CLAIMED;
	if (strcmp(h->by, r->sess->user_id) && !r->sess->admin)
		return NOT_YOURS;
	if (db_exec(r->thr->db, "DELETE FROM cc_missed_claim WHERE skill_group_id = ? AND number = ?",
		    "ss", m->group_id, m->number) < 0)
		return "db_unavailable";
	return audit_txn(r, "missed", m->id, "release",
			 json_pack("{s:s, s:s, s:s, s:s}", "state", "claimed", "claimed_by", h->by,
				   "claimed_name", h->name, "number", m->number),
			 json_pack("{s:s}", "state", "open"));
}

const char *missed_release_post(struct req *r)
{
	struct missed_act t = { .body = release_body };
	const char *why = missed_act(r, &t, "release");
	if (why == NOT_CLAIMED)
		return missed_refuse(r, 409, why, web_t(r, "missed.not_claimed"));
	if (why == NOT_YOURS)
		return missed_refuse(r, 403, why, web_t(r, "missed.release_forbidden"));
	return why ? missed_act_refused(r, &t, why) : answer_item(r, t.m.id);
}
