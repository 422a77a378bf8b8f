/* 未接来电 (missed calls): the worklist of calls a skill group lost, per
 * group, so that an agent calls the customer back (docs/missed-calls.md).
 *
 *   db.c       who sees what; the rows (computed from cc_call, with the
 *              claims and outcomes of cc_missed_claim and cc_missed)
 *   list.c     GET the list (page or JSON): group, state, dates, called back
 *   claim.c    POST claim and release (audited)
 *   outcome.c  POST the outcome of a callback (audited)
 *
 * A missed call is an inbound call of a group that ended abandoned in the
 * queue or while an agent's phone rang (end_state queued or offering), or
 * that reached no agent (result no_agent). The B2BUA writes nothing for
 * the worklist: its rows are cc_call's, read with what agents did.
 *
 * One callback covers all of a number's open missed calls in a group: a
 * claim is on (group, number), and an outcome closes every open missed
 * call of that number in that group. An admin sees every group; an agent
 * the groups they are a member of (cc_skill_group_member); anyone else
 * nothing (403). A call the user may not see is "not found". */
#ifndef WEB_MISSED_H
#define WEB_MISSED_H

#include "../route.h"
#include "../tmpl/tmpl.h"

#define MISSED_PER_PAGE 20
/* Without ?from, the list starts this many days back (a worklist, not
 * the records: older calls are in the call records). */
#define MISSED_DAYS 7
/* The longest note an outcome keeps, in characters (cc_missed.outcome_note). */
#define MISSED_NOTE_MAX 500

/* The outcomes of a callback, in the order the page offers them. */
#define MISSED_OUTCOMES(X) X(reached) X(no_answer) X(wrong_number) X(not_needed)

/* What a call of the list is now. */
#define MISSED_STATES(X) X(open) X(claimed) X(done)

/* The columns a row is read with, in order (struct missed's members):
 * the call, its group, contact, stage and timing; its claim (live: not
 * expired); its outcome; the first answered call with the number after it
 * (called back since); the open missed calls of the number in the group. */
#define MISSED_COLS(X) \
	X(id) X(group_id) X(group_name) X(caller) X(caller_norm) X(number) X(contact_id) \
	X(contact_name) X(result) X(end_state) X(started) X(enqueued) X(ended) \
	X(claimed_by) X(claimed_name) X(claimed_at) X(claim_live) \
	X(outcome) X(outcome_note) X(done_by) X(done_name) X(done_at) \
	X(back_call) X(back_at) X(back_dir) X(same)

struct missed {
#define MISSED_MEMBER(c) const char *c;
	MISSED_COLS(MISSED_MEMBER)
#undef MISSED_MEMBER
};

struct missed_query {
	unsigned group;		/* 0: every group the user sees */
	const char *state;	/* "" (open and claimed), "open", "claimed", "done", "all" */
	long long from, to;	/* instants: from <= started_at < to */
	bool back;		/* also list open calls the customer was called back since */
	long long page, per_page;
};

/* --- db.c ----------------------------------------------------------------------- */
/* NULL when the session may use the worklist at all, else "forbidden". */
const char *missed_allowed(const struct req *r);
/* The missed call id as the user may see it: 1 found, 0 none (not a missed
 * call, not theirs), -1 error. */
int missed_db_get(struct req *r, const char *id, struct missed *m);
/* The page of rows q asks for, newest first, and how many match. 0 or -1. */
int missed_db_list(struct req *r, const struct missed_query *q, struct missed **rows,
		   size_t *n, long long *total);
/* The groups the user sees (for the filter): "id", "name" pairs. 0 or -1. */
int missed_db_groups(struct req *r, const char ***pairs, size_t *n);
/* The row's state: "open", "claimed" (a live claim) or "done". */
const char *missed_state(const struct missed *m);
/* Seconds the caller waited in the queue (enqueued to ended), or -1. */
long long missed_waited(const struct missed *m);
/* "queue", "ringing" or "no_agent": where the call was lost. */
const char *missed_stage(const struct missed *m);
/* A local "YYYY-MM-DD HH:MM:SS" of a UNIX_TIMESTAMP column, or NULL. */
const char *missed_time(struct req *r, const char *unix_ts);
/* The row as JSON (the API's items and the audit log's before). */
json_t *missed_json(struct req *r, const struct missed *m);
/* A refusal {ok:false, error, message} with status. */
const char *missed_refuse(struct req *r, int status, const char *error, const char *message);


/* --- outcome.c ------------------------------------------------------------------ */
/* NULL when outcome is one of MISSED_OUTCOMES and note (trimmed, NULL for
 * none) is text of at most MISSED_NOTE_MAX characters, else the catalogue
 * key of what is wrong, with *field "outcome" or "note". Pure. */
const char *missed_outcome_check(const char *outcome, const char *note, const char **field);

/* --- claim.c -------------------------------------------------------------------- */
/* The claim of a call's number: who holds it, and whether it still counts. */
struct missed_holder {
	struct arena *a;
	const char *by, *name;
	bool live, found;
};
/* Reads the claim of m's number with a lock (a current read, not the
 * transaction's snapshot), in a transaction. 0 or -1. */
int missed_holder_get(struct req *r, const struct missed *m, struct missed_holder *h);
/* 409 {ok:false, error:"missed.claimed", message:"已被 X 领取", claimed_by, claimed_name}. */
const char *missed_claimed_refusal(struct req *r, const struct missed_holder *h);
/* The catalogue's text of key with its "{}" replaced by value (in the arena). */
const char *missed_fill(struct req *r, const char *key, const char *value);

/* An action (claim, release, outcome) in one transaction on the missed
 * call the route names: the call read into m, then body, which returns
 * NULL to commit or a reason (web_txn's: the whole runs again when it loses
 * a conflict). MISSED_CLAIMED: another holds a live claim (h); MISSED_DONE:
 * the call is done already. */
struct missed_act {
	const char *(*body)(struct req *r, struct missed_act *t);
	const char *outcome, *note;	/* outcome's */
	struct missed m;
	struct missed_holder h;
	long long n;			/* outcome's: the calls it closed */
};
extern const char MISSED_CLAIMED[], MISSED_DONE[];
/* Runs t->body as above if the session may use the worklist
 * (missed_allowed): NULL when committed, else the reason ("db_unavailable"
 * logged with what). */
const char *missed_act(struct req *r, struct missed_act *t, const char *what);
/* The answer to a reason missed_act gave: MISSED_CLAIMED and MISSED_DONE
 * as their 409s, the rest as they are. */
const char *missed_act_refused(struct req *r, const struct missed_act *t, const char *why);

#endif
