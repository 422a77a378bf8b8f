/* Reading what the rollups are folded from (rollup.c): the calls of a
 * range of hours or of a list of ids, with their event logs, and the
 * agents' state rows, every string copied into the struct loaded. */
#include "load.h"

#include "db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Calls fetched by id per statement. */
#define IN_IDS 64

static const char *keep(struct loaded *l, const char *s)
{
	if (!s)
		return NULL;
	if (l->nstrs == l->capstrs) {
		size_t cap = l->capstrs ? l->capstrs * 2 : 1024;
		char **p = realloc(l->strs, cap * sizeof *p);
		if (!p) {
			l->oom = true;
			return NULL;
		}
		l->strs = p;
		l->capstrs = cap;
	}
	char *d = strdup(s);
	if (!d)
		l->oom = true;
	else
		l->strs[l->nstrs++] = d;
	return d;
}

void load_free(struct loaded *l)
{
	for (size_t i = 0; i < l->nstrs; i++)
		free(l->strs[i]);
	free(l->strs);
	free(l->calls);
	free(l->ev);
	free(l->evcall);
	free(l->st);
	free(l->stid);
}

static long long num(const char *s)
{
	return s ? atoll(s) : 0;
}

static int call_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)ncol;
	(void)lens;
	struct loaded *l = arg;
	if (!rep_room((void **)&l->calls, &l->capcalls, l->ncalls, sizeof *l->calls)) {
		l->oom = true;
		return -1;
	}
	l->calls[l->ncalls++] = (struct rep_call){
		.id = keep(l, v[0]), .outbound = v[1] && !strcmp(v[1], "outbound"),
		.t_start = num(v[2]), .t_enqueue = num(v[3]), .t_answer = num(v[4]),
		.t_end = num(v[5]), .result = keep(l, v[6] ? v[6] : "failed"),
		.end_state = keep(l, v[7]), .number = (unsigned)num(v[8]),
		.group = (unsigned)num(v[9]), .task = (unsigned)num(v[10]),
		.agent = keep(l, v[11]), .repeat = num(v[12]) > 0, .survey = v[13] ? v[13][0] : 0,
	};
	return l->oom ? -1 : 0;
}

static int event_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)ncol;
	(void)lens;
	struct loaded *l = arg;
	if (!rep_room((void **)&l->ev, &l->capev, l->nev, sizeof *l->ev) ||
	    !rep_room((void **)&l->evcall, &l->capevcall, l->nev, sizeof *l->evcall)) {
		l->oom = true;
		return -1;
	}
	l->evcall[l->nev] = keep(l, v[0]);
	l->ev[l->nev++] = (struct rep_event){ .event = keep(l, v[1]), .at = num(v[2]),
					      .group = (unsigned)num(v[3]), .agent = keep(l, v[4]),
					      .detail = keep(l, v[5]) };
	return l->oom ? -1 : 0;
}

static int state_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)ncol;
	(void)lens;
	struct loaded *l = arg;
	if (!rep_room((void **)&l->st, &l->capst, l->nst, sizeof *l->st) ||
	    !rep_room((void **)&l->stid, &l->capstid, l->nst, sizeof *l->stid)) {
		l->oom = true;
		return -1;
	}
	l->stid[l->nst] = strtoull(v[5] ? v[5] : "0", NULL, 10);
	l->st[l->nst++] = (struct rep_state){ .agent = keep(l, v[0]), .at = num(v[1]),
					      .state = keep(l, v[2]), .reason = keep(l, v[3]),
					      .call = keep(l, v[4]) };
	return l->oom ? -1 : 0;
}

#define MS(col) "ROUND(UNIX_TIMESTAMP(" col ") * 1000)"

/* What call_row and event_row read of a call and of its log. */
#define CALL_COLS                                                                          \
	"c.id, c.direction, " MS("c.started_at") ", " MS("c.enqueued_at") ", "                \
	MS("c.answered_at") ", " MS("c.ended_at") ", c.result, c.end_state, "                 \
	"c.number_id, c.skill_group_id, c.task_id, c.agent_id, "                             \
	"(c.direction = 'inbound' AND c.caller_norm IS NOT NULL AND EXISTS ("                 \
	"SELECT 1 FROM cc_call p WHERE p.caller_norm = c.caller_norm "                        \
	"AND p.direction = 'inbound' AND p.started_at >= c.started_at - INTERVAL 1 DAY "      \
	"AND p.started_at < c.started_at)), c.survey_key "
#define EVENT_COLS "e.call_id, e.event, " MS("e.at") ", e.skill_group_id, e.agent_id, e.detail "
#define STATE_COLS "agent_id, " MS("at") " t, state, reason, call_id, id "

int load_hours(struct db *db, long long from, long long to, struct loaded *l)
{
	if (db_query(db,
		     "SELECT " CALL_COLS "FROM cc_call c WHERE c.started_at >= FROM_UNIXTIME(?) "
		     "AND c.started_at < FROM_UNIXTIME(?) AND c.ended_at IS NOT NULL",
		     call_row, l, "ii", from, to) < 0)
		return -1;
	if (db_query(db,
		     "SELECT " EVENT_COLS "FROM cc_call_event e JOIN cc_call c ON c.id = e.call_id "
		     "WHERE c.started_at >= FROM_UNIXTIME(?) AND c.started_at < FROM_UNIXTIME(?) "
		     "AND c.ended_at IS NOT NULL ORDER BY e.call_id, e.at, e.id",
		     event_row, l, "ii", from, to) < 0)
		return -1;
	/* And each agent's row before the range: one descent of agent_at_idx
	 * per agent (the agents found by a loose scan of the same index), not
	 * a scan of the log before the range. */
	if (db_query(db,
		     "SELECT " STATE_COLS "FROM cc_agent_state_log WHERE at >= FROM_UNIXTIME(?) AND at < FROM_UNIXTIME(?) "
		     "UNION ALL "
		     "SELECT l.agent_id, " MS("l.at") ", l.state, l.reason, l.call_id, l.id "
		     "FROM (SELECT DISTINCT agent_id FROM cc_agent_state_log) a "
		     "JOIN cc_agent_state_log l ON l.id = (SELECT x.id FROM cc_agent_state_log x "
		     "WHERE x.agent_id = a.agent_id AND x.at < FROM_UNIXTIME(?) "
		     "ORDER BY x.at DESC, x.id DESC LIMIT 1) "
		     "ORDER BY 1, 2, 6",
		     state_row, l, "iii", from, to, from) < 0)
		return -1;
	return l->oom ? -1 : 0;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct rep_call *)a)->id, ((const struct rep_call *)b)->id);
}

int load_attach(struct loaded *l)
{
	if (!l->ncalls)
		return 0;
	qsort(l->calls, l->ncalls, sizeof *l->calls, by_id);
	size_t *owner = malloc((l->nev + 1) * sizeof *owner), *count = calloc(l->ncalls + 1,
									    sizeof *count);
	struct rep_event *sorted = malloc((l->nev + 1) * sizeof *sorted);
	if (!owner || !count || !sorted) {
		free(owner);
		free(count);
		free(sorted);
		return -1;
	}
	for (size_t i = 0; i < l->nev; i++) {
		struct rep_call key = { .id = l->evcall[i] };
		const struct rep_call *c = key.id ? bsearch(&key, l->calls, l->ncalls,
							    sizeof *l->calls, by_id) : NULL;
		owner[i] = c ? (size_t)(c - l->calls) : l->ncalls;
		count[owner[i]]++;
	}
	size_t at = 0;
	for (size_t c = 0; c <= l->ncalls; c++) {
		size_t n = count[c];
		count[c] = at;
		at += n;
	}
	for (size_t c = 0; c < l->ncalls; c++)
		l->calls[c].ev = sorted + count[c];
	for (size_t i = 0; i < l->nev; i++) {
		sorted[count[owner[i]]++] = l->ev[i];
		if (owner[i] < l->ncalls)
			l->calls[owner[i]].nev++;
	}
	free(l->ev);
	l->ev = sorted;
	l->capev = l->nev + 1;
	free(owner);
	free(count);
	return 0;
}

static pthread_once_t in_once = PTHREAD_ONCE_INIT;
static char calls_in_sql[2048], events_in_sql[1024];

static void build_in_sql(void)
{
	char marks[IN_IDS * 3] = "";
	for (int i = 0; i < IN_IDS; i++)
		strcat(marks, i ? ", ?" : "?");
	snprintf(calls_in_sql, sizeof calls_in_sql,
		 "SELECT " CALL_COLS "FROM cc_call c WHERE c.id IN (%s) AND c.ended_at IS NOT NULL",
		 marks);
	snprintf(events_in_sql, sizeof events_in_sql,
		 "SELECT " EVENT_COLS "FROM cc_call_event e WHERE e.call_id IN (%s) "
		 "ORDER BY e.call_id, e.at, e.id", marks);
}

int load_calls(struct db *db, const char (*ids)[33], size_t n, struct loaded *l)
{
	pthread_once(&in_once, build_in_sql);
	char fmt[IN_IDS + 1];
	memset(fmt, 's', IN_IDS);
	fmt[IN_IDS] = '\0';
	for (size_t at = 0; at < n; at += IN_IDS) {
		union db_val v[IN_IDS];
		/* The last id again fills a short batch: one statement's shape. */
		for (size_t i = 0; i < IN_IDS; i++)
			v[i].s = ids[at + i < n ? at + i : n - 1];
		if (db_querya(db, calls_in_sql, call_row, l, fmt, v) < 0 ||
		    db_querya(db, events_in_sql, event_row, l, fmt, v) < 0)
			return -1;
	}
	return l->oom ? -1 : 0;
}

int load_states(struct db *db, long long from, long long to, struct loaded *l)
{
	/* In at_idx's order (at, then the id): each agent's rows in order,
	 * and no sort. */
	if (db_query(db,
		     "SELECT " STATE_COLS "FROM cc_agent_state_log WHERE at >= FROM_UNIXTIME(?) "
		     "AND at < FROM_UNIXTIME(?) ORDER BY at, id",
		     state_row, l, "ii", from, to) < 0)
		return -1;
	return l->oom ? -1 : 0;
}
