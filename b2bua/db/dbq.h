/* Database work off the event loop.
 *
 * Jobs run on worker threads, each with its own connection; their results
 * come back to the loop through one eventfd, so nothing on the loop waits
 * for the database. Two lanes:
 *  - DBQ_QUERY: lookups and reservations; any query worker; no retry, a
 *    failure comes back at once so the call goes on without the answer.
 *  - DBQ_WRITE: call records and logs; jobs with the same key run on the
 *    same worker in order; a worker woken by a job waits up to gather_ms
 *    for more, and the writes waiting at a worker are committed together in
 *    one transaction (their row sets, db.h, one statement per set); a job
 *    that fails because the database is away is retried (same order) for
 *    up to retry_s, then logged as lost; one that lost a conflict (Galera's
 *    certification) is run again at once, a few times, before that. A
 *    write job always runs inside a transaction, and must do all its work
 *    again when it runs a second time (its first run may have been rolled
 *    back with its batch). With several servers (a Galera cluster) each
 *    write transaction is marked (dbq.c), so that one whose commit's
 *    answer was lost with its server is found applied, not run again. */
#ifndef B2BUA_DBQ_H
#define B2BUA_DBQ_H

#include <sofia-sip/su_wait.h>

#include "db.h"

enum dbq_lane { DBQ_QUERY, DBQ_WRITE };

/* Runs on a worker thread. Returns 0, or -1 when the database failed (the
 * reason is in db_error(db)); a DBQ_WRITE job returning -1 is retried. */
typedef int (dbq_work_h)(struct db *db, void *arg);
/* Runs on the loop with the work's final result. */
typedef void (dbq_done_h)(int rc, void *arg);

struct dbq;

/* retried: runs of a write job alone after a failed run (its batch's or
 * its own); conflicts: failed runs (batches included) that lost a conflict
 * (ER_LOCK_DEADLOCK), each run again at once (dbq.c, CONFLICT_RETRIES);
 * merged: rows of committed batches merged into an earlier row of the same
 * key (db.h, "Merging"), so never sent. */
struct dbq_stats {
	unsigned long submitted, done, failed, retried, dropped, waiting, conflicts, merged;
};

/* nquery/nwrite: worker threads per lane (>= 1 each); gather_ms: see
 * DBQ_WRITE (0: a batch is what waits when a worker wakes). */
int dbq_alloc(struct dbq **qp, su_root_t *root, const struct db_conf *conf, unsigned nquery,
	      unsigned nwrite, unsigned max_waiting, unsigned retry_s, unsigned gather_ms);
/* Runs the jobs already queued (each lane gives up waiting after a few
 * seconds), stops the workers, frees. Done callbacks still pending are run
 * with rc -1 before it returns. */
void dbq_free(struct dbq *q);

/* Queues a job. key orders DBQ_WRITE jobs (same key, same order). done may
 * be NULL: then arg is released with free() once the work has run. Returns
 * 0, or an errno value (ENOBUFS when the queue is full): then nothing runs
 * and arg stays the caller's. */
int dbq_submit(struct dbq *q, enum dbq_lane lane, unsigned key, dbq_work_h *work,
	       dbq_done_h *done, void *arg);

void dbq_get_stats(struct dbq *q, struct dbq_stats *st);

/* A small, stable hash for keys (ids are strings). */
unsigned dbq_key(const char *s);

#endif
