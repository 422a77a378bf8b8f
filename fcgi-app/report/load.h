/* Reading what the rollups are folded from (load.c). */
#ifndef WEB_REPORT_LOAD_H
#define WEB_REPORT_LOAD_H

#include "report.h"

struct db;

/* What was read; the rep_* point into strs. Free with load_free. */
struct loaded {
	struct rep_call *calls;
	size_t ncalls, capcalls;
	struct rep_event *ev;
	size_t nev, capev;
	const char **evcall;	/* each event's call id */
	size_t capevcall;
	struct rep_state *st;
	unsigned long long *stid;	/* each state row's id */
	size_t nst, capst, capstid;
	char **strs;		/* every string, freed at the end */
	size_t nstrs, capstrs;
	bool oom;
};


void load_free(struct loaded *l);
/* Calls that arrived in [from, to) s and have ended, their logs and the
 * agents' state rows of the range with the row before it of each agent (in
 * agent, time, id order). 0, or -1 (db_error, or l->oom). */
int load_hours(struct db *db, long long from, long long to, struct loaded *l);
/* The ended calls of the n ids, with their logs. 0 or -1. */
int load_calls(struct db *db, const char (*ids)[33], size_t n, struct loaded *l);
/* The state rows logged in [from, to) s, in (time, id) order. 0 or -1. */
int load_states(struct db *db, long long from, long long to, struct loaded *l);
/* Hands each call its log: the events, in the order read (time, then id),
 * regrouped by call with a counting pass; sorts the calls by id. 0, or -1
 * when out of memory. */
int load_attach(struct loaded *l);

#endif
