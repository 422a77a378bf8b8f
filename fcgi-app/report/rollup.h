/* The hourly rollups' thread (rollup.c). */
#ifndef WEB_REPORT_ROLLUP_H
#define WEB_REPORT_ROLLUP_H

struct rollup;
struct web;
struct db;
struct ivr_tz;

#include <stdbool.h>

/* 0 or an errno value. */
int rollup_alloc(struct rollup **out, struct web *w);
/* Starts the thread; 0 or an errno value. */
int rollup_start(struct rollup *r);
/* Stops the thread (waiting for a run under way) and frees. */
void rollup_free(struct rollup *r);
/* Asks for a run now (all: a rebuild of every hour, as after a change of
 * time zone) and waits up to timeout_ms for it. 0 when it ran and
 * succeeded, 1 when it still runs, -1 when it failed; rolled_at (ms) is
 * when the last good run began. */
int rollup_now(struct rollup *r, int timeout_ms, bool all, long long *rolled_at);
long long rollup_rolled_at(struct rollup *r);
/* Rewrites the rollups of the hours [from, to) (seconds; to an hour's
 * start), a day at a time. 0, or -1 (logged). */
int rollup_range(struct db *db, const struct ivr_tz *tz, long long from, long long to,
		 long long now_ms);

#endif
