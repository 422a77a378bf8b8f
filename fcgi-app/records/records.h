/* 通话记录 (call records): a searchable list of calls (cc_call) and one
 * call's page with its timeline (cc_call_event), what the agent saved
 * about it (cc_call_note), its IVR variables, task and voicemail.
 *
 *   query.c    the filters read from a query string and checked, the
 *              keyset cursor written and read back (pure: unit-tested)
 *   db.c       the list's one statement (every filter a parameter), a
 *              call and its timeline as the user may see them
 *   list.c     GET /cc/records (page) and /cc/api/records (JSON)
 *   detail.c   GET /cc/records/{id} (page) and /cc/api/records/{id} (JSON)
 *
 * Access: admins see every call; an agent the calls they answered or
 * placed (cc_call.agent_id); anyone else nothing (403). A non-admin who
 * names another agent in `agent=` is refused (403), never given another
 * list silently; another agent's call is "not found" (404), so ids cannot
 * be probed. Filter names are a contract: the reports link here with them
 * (docs/reports.md, "Call records"). */
#ifndef WEB_RECORDS_H
#define WEB_RECORDS_H

#include "../route.h"
#include "../tmpl/tmpl.h"

#include <stdbool.h>

struct ivr_tz;

#define REC_LIMIT 50		/* rows a page shows */
#define REC_LIMIT_MAX 200	/* the most `limit` may ask for */
#define REC_SL_DEFAULT 20	/* seconds of the service level (`sl`) */
#define REC_SL_MAX 3600
#define REC_NUMBER_MAX 32	/* characters of the `number` filter */
#define REC_NUMBER_MIN_DIGITS 3	/* fewer would match nearly every call */
#define REC_ID_MAX 32		/* characters of a call id (cc_call.id) and a user id */
#define REC_EVENTS_MAX 1000	/* timeline rows a detail shows */

/* The filters, as the query string gave them and as the statement binds
 * them. Strings are NULL when the filter is off; integers 0. */
struct rec_query {
	long long from, to;		/* instants (s); to 0: no end */
	const char *from_s, *to_s;	/* as typed (the form shows them again) */
	const char *number;		/* as typed */
	const char *number_norm;	/* phone.h's form: caller_norm equals it */
	const char *number_like;	/* "%digits%": caller or callee holds it */
	bool number_exact;		/* a whole number: caller_norm alone (caller_idx) */
	const char *agent;
	long long group, number_id, task;
	const char *direction;		/* inbound | outbound */
	const char *result;		/* answered | abandoned | no_agent | failed */
	const char *stage;		/* ivr | queue | ringing (abandoned calls) */
	bool sl_missed;
	long long sl;			/* seconds */
	long long limit;
	const char *after;		/* the cursor as given */
	long long after_ms;		/* its started_at (ms) and id */
	const char *after_id;
};

/* --- query.c (pure) ------------------------------------------------------------- */
/* The names of the filters, in the order links write them. */
#define REC_FILTERS(X) \
	X(from) X(to) X(number) X(agent) X(group) X(number_id) X(task) X(direction) \
	X(result) X(stage) X(sl_missed) X(sl) X(limit)

/* Reads the filters from query (empty values are absent) into *q, with
 * `from` and `to` in the zone tz and now (s) for the default day, the
 * number by rules. NULL, or the name of the first bad parameter (a static
 * string: "from", "to", "number", ..., "after"); strings in a. */
const char *rec_parse(struct arena *a, const struct kvlist *query, const struct ivr_tz *tz,
		      const struct phone_rules *rules, long long now, struct rec_query *q);
/* The cursor of a row (started_at in ms, id): an opaque token for `after`
 * (in a), or NULL when id is no call id. */
const char *rec_cursor(struct arena *a, long long ms, const char *id);
/* Reads a cursor back: true with *ms and *id (in a) set, false when s is
 * not one rec_cursor makes. */
bool rec_cursor_read(struct arena *a, const char *s, long long *ms, const char **id);
/* An instant as UNIX_TIMESTAMP() prints it ("1733280000.123") in ms; -1
 * for NULL or text of another shape. */
long long rec_ms(const char *s);
/* A list link: base, then q's filters as typed (sl and limit only when
 * not the default), then after=cursor unless cursor is NULL; in a. */
char *rec_href(struct arena *a, const char *base, const struct rec_query *q, const char *cursor);

/* --- db.c ----------------------------------------------------------------------- */
/* One row of the list; times in ms (-1: none), strings NULL when none. */
struct rec_row {
	const char *id, *direction, *caller, *callee, *number_name, *group_name, *agent_id,
		*agent_name, *contact_id, *contact_name, *result, *end_state, *hangup_side;
	long long number_id, group_id, task_id;
	long long started, enqueued, answered, ended;
};

/* NULL when the session may read records, else "forbidden". */
const char *rec_allowed(const struct req *r);
/* The rows of q the user sees, newest first: at most q->limit, and *more
 * when another page follows. 0 or -1 (logged). */
int rec_db_list(struct req *r, const struct rec_query *q, struct rec_row **rows, size_t *n,
		bool *more);
/* The choices of the filter form: skill groups, numbers, agents (admins
 * only), as "id", "name" pairs. 0 or -1. */
int rec_db_choices(struct req *r, const char *what, const char ***pairs, size_t *n);

/* A call's facts and what belongs to it. */
struct rec_call {
	struct rec_row row;
	const char *cause, *survey_key, *ivr_vars, *caller_norm, *task_name, *target_number;
	long long target_id, offered, offers;
	const char *note_intent, *note_text, *note_agent, *note_agent_name;
	long long note_saved;
	const char *vm_id;
	long long vm_ms;
	const char *rec_state;		/* cc_recording: pending, ready, failed, expired; or NULL */
	long long rec_ms;		/* its length (-1: not known yet) */
	const char *rec_error;
	const char *contact_phone;
};

/* One timeline row. */
struct rec_event {
	long long at;			/* ms */
	const char *event, *detail, *group_name, *agent_id, *agent_name;
	long long group_id;
};

/* Call id as the user may see it: 1 found, 0 none (or not theirs), -1. */
int rec_db_call(struct req *r, const char *id, struct rec_call *c);
/* The route's call ({id}) as the user may see it: NULL and *c filled, or
 * why not ("forbidden", "not_found", "db_unavailable"). */
const char *rec_route_call(struct req *r, struct rec_call *c);
/* Its event log in order (at, id). 0 or -1. */
int rec_db_events(struct req *r, const char *id, struct rec_event **ev, size_t *n);

/* JSON of a row (the list's items). */
json_t *rec_row_json(struct req *r, const struct rec_row *w);
/* The stage an abandoned call was lost in (ivr, queue, ringing), or NULL. */
const char *rec_stage_of(const char *result, const char *end_state);
/* Seconds between two instants in ms (-1 when either is missing). */
long long rec_secs(long long from_ms, long long to_ms);

#endif
