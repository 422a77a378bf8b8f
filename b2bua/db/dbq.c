/* Database work off the event loop: see dbq.h. */
#include "b2bua/db/dbq.h"

#include "hash.h"
#include "rnd.h"

#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct job {
	struct job *next;
	dbq_work_h *work;
	dbq_done_h *done;
	void *arg;
	enum dbq_lane lane;
	int rc;
	struct timespec queued;	/* CLOCK_MONOTONIC */
};

struct jobq {
	struct job *head, *tail;
};

struct worker {
	struct dbq *q;
	pthread_t thread;
	struct jobq jobs;	/* write workers: their own queue */
	unsigned njobs;		/* in jobs */
	pthread_cond_t *wake;	/* what this worker waits on */
	bool idle;		/* a write worker waiting for a first job */
	bool started;
	bool marks;		/* its commits write a mark (below) */
	unsigned long commits;
};

struct dbq {
	su_root_t *root;
	su_wait_t wait;
	int wait_index;
	int efd;
	struct db_conf conf;
	unsigned retry_s;
	unsigned max_waiting;
	unsigned gather_ms;

	pthread_mutex_t lock;		/* guards everything below */
	/* One condition per write worker and one for the query lane, so a job
	 * wakes the one thread that will run it, not all of them. */
	pthread_cond_t query_cond;
	pthread_cond_t *write_conds;
	bool stopping;
	struct jobq query;		/* shared by the query workers */
	struct jobq finished;		/* waiting for the loop */
	struct worker *workers;
	unsigned nquery, nwrite;
	struct dbq_stats stats;
};

static void push(struct jobq *jq, struct job *j)
{
	j->next = NULL;
	if (jq->tail)
		jq->tail->next = j;
	else
		jq->head = j;
	jq->tail = j;
}

static struct job *pop(struct jobq *jq)
{
	struct job *j = jq->head;
	if (j) {
		jq->head = j->next;
		if (!jq->head)
			jq->tail = NULL;
	}
	return j;
}

unsigned dbq_key(const char *s)
{
	return hash_fnv1a(s);
}

static void wake_loop(struct dbq *q)
{
	uint64_t one = 1;
	ssize_t w = write(q->efd, &one, sizeof one);
	(void)w;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
	nanosleep(&ts, NULL);
}

/* --- commits whose answer was lost -------------------------------------------
 * With several servers (a Galera cluster), each write transaction also
 * writes one cc_write_mark row with a random token. A commit that fails
 * with its connection (the server died under it, or the answer timed out)
 * may have been applied by the cluster all the same: the mark is looked
 * for, on the server the connection moves to, before anything is run
 * again, so that the plain inserts (the call's event log, the agents'
 * state log) are not written twice. Marks older than an hour are removed
 * now and then. */

#define MARK_KEEP_EVERY 4096	/* commits between two removals of old marks */

static int mark_write(struct worker *w, struct db *db, char token[33])
{
	if (!w->marks)
		return 0;
	if (rnd_hex(token, 16) == 0 &&
	    db_exec(db, "INSERT INTO cc_write_mark (token, at) VALUES (?, NOW(3))", "s", token) == 1)
		return 0;
	if (db_errno(db) == 1146) {	/* ER_NO_SUCH_TABLE: migration 020 not applied */
		log_warn("database: no cc_write_mark table (migration 020): commits are not "
			 "marked, a commit whose answer is lost may be written twice");
		w->marks = false;
		return 0;	/* the transaction goes on: the failed statement alone is undone */
	}
	return -1;
}

/* After a commit whose answer was lost: true when its mark is in the
 * database. Waits (up to the retry time) while the database cannot tell. */
static bool mark_found(struct dbq *q, struct db *db, const char *token)
{
	unsigned waited_ms = 0, backoff = 250;
	for (;;) {
		char n[24];
		/* wsrep_sync_wait: the node has applied all the cluster
		 * committed before the look, the lost commit included. */
		int rc = db_query_value(db, n, sizeof n,
					"SET STATEMENT wsrep_sync_wait = 1 FOR "
					"SELECT COUNT(*) FROM cc_write_mark WHERE token = ?",
					"s", token);
		if (rc >= 0)
			return rc == 1 && strcmp(n, "0");
		pthread_mutex_lock(&q->lock);
		bool stop = q->stopping;
		pthread_mutex_unlock(&q->lock);
		if (stop || waited_ms >= q->retry_s * 1000u)
			return false;
		sleep_ms(backoff);
		waited_ms += backoff;
		if (backoff < 2000)
			backoff *= 2;
	}
}

/* Commits the open transaction with its mark. 0 when applied: by the
 * commit, or, its answer lost, as its mark shows. -1 otherwise (the
 * caller rolls back). */
static int commit_marked(struct dbq *q, struct worker *w, struct db *db)
{
	char token[33] = "";
	if (mark_write(w, db, token) || db_commit(db))
		goto failed;
	if (w->marks && ++w->commits % MARK_KEEP_EVERY == 0)
		db_exec(db, "DELETE FROM cc_write_mark WHERE at < NOW() - INTERVAL 1 HOUR LIMIT 10000",
			"");
	return 0;
failed:
	if (!token[0] || !db_commit_unknown(db))
		return -1;
	if (!mark_found(q, db, token))
		return -1;
	log_warn("database: a commit's answer was lost with its connection; it was applied "
		 "(mark %s), not run again", token);
	return 0;
}

/* One job in a transaction of its own: what a job writes through row sets
 * goes out at the commit. */
static int run_alone(struct dbq *q, struct worker *w, struct db *db, struct job *j)
{
	if (db_begin(db))
		return -1;
	if (j->work(db, j->arg) == 0 && commit_marked(q, w, db) == 0)
		return 0;
	db_rollback(db);
	return -1;
}

/* A write that lost a conflict (Galera's certification, ER_LOCK_DEADLOCK)
 * was rolled back whole and is run again at once, this many times in a
 * row, before the backoff of a database that is away applies: the other
 * writer has committed, so the next run usually goes through. */
#define CONFLICT_RETRIES 5

/* Runs a write job until it succeeds, the retry time is over, or the queue
 * is stopping. Each run is a transaction of its own: a run that failed was
 * rolled back (a conflict) or never reached the server, except a commit
 * whose answer was lost with its server, which may have been applied:
 * the job's statements must then give the same rows when run again (call
 * records and agents' rows are upserts; docs/galera.md). */
static int run_write(struct dbq *q, struct worker *w, struct db *db, struct job *j)
{
	unsigned waited_ms = 0, backoff = 250, quick = 0;
	for (;;) {
		if (run_alone(q, w, db, j) == 0)
			return 0;
		bool conflict = db_conflict(db);
		pthread_mutex_lock(&q->lock);
		bool stop = q->stopping;
		q->stats.retried++;
		if (conflict)
			q->stats.conflicts++;
		pthread_mutex_unlock(&q->lock);
		if (stop || waited_ms >= q->retry_s * 1000u) {
			log_err("database write given up after %u ms: %s", waited_ms, db_error(db));
			return -1;
		}
		if (conflict && quick < CONFLICT_RETRIES) {
			quick++;
			log_info("database write lost a conflict, run again at once (%u of %u): %s",
				 quick, CONFLICT_RETRIES, db_error(db));
			continue;
		}
		if (waited_ms == 0)
			log_warn("database write failed, retrying for up to %u s: %s", q->retry_s,
				 db_error(db));
		sleep_ms(backoff);
		waited_ms += backoff;
		if (backoff < 2000)
			backoff *= 2;
	}
}

/* Up to this many queued writes share one transaction: one commit instead
 * of one per statement, which is most of what a write costs the server. */
#define BATCH_MAX 256

/* Runs a batch of write jobs in one transaction. If any fails (or the
 * commit does), the transaction is rolled back and the jobs are run again
 * one by one with their own retries: nothing is applied twice. */
static void run_batch(struct dbq *q, struct worker *w, struct db *db, struct job **jobs, int n)
{
	unsigned long merged = db_rows_merged(db);
	if (n > 1 && db_begin(db) == 0) {
		int i;
		for (i = 0; i < n; i++)
			if (jobs[i]->work(db, jobs[i]->arg))
				break;
		if (i == n && commit_marked(q, w, db) == 0) {
			for (i = 0; i < n; i++)
				jobs[i]->rc = 0;
			pthread_mutex_lock(&q->lock);
			q->stats.merged += db_rows_merged(db) - merged;
			pthread_mutex_unlock(&q->lock);
			return;
		}
		if (db_conflict(db)) {
			pthread_mutex_lock(&q->lock);
			q->stats.conflicts++;
			pthread_mutex_unlock(&q->lock);
		}
		db_rollback(db);
	}
	for (int i = 0; i < n; i++)
		jobs[i]->rc = run_write(q, w, db, jobs[i]);
}

/* Hands finished jobs to the loop (or frees those without a callback).
 * Called with the lock held. */
static void finish(struct dbq *q, struct job *j)
{
	q->stats.waiting--;
	if (j->rc)
		q->stats.failed++;
	if (j->done) {
		bool was_empty = !q->finished.head;
		push(&q->finished, j);
		if (was_empty)
			wake_loop(q);
	} else {
		q->stats.done++;
		free(j->arg);
		free(j);
	}
}

/* A write worker commits a batch when its oldest job has waited gather_ms
 * (or the batch is full), so that writes share a transaction and their row
 * sets' statements: a batch is what came in gather_ms, whether the worker
 * was idle or busy with the previous batch meanwhile. Submitting wakes a
 * worker only when it is idle or its batch is full: one wake-up per batch,
 * not per job. */
static void gather(struct dbq *q, struct worker *w)
{
	struct timespec until = w->jobs.head->queued;
	until.tv_nsec += (long)(q->gather_ms % 1000) * 1000000;
	until.tv_sec += q->gather_ms / 1000 + until.tv_nsec / 1000000000;
	until.tv_nsec %= 1000000000;
	while (w->njobs < BATCH_MAX && !q->stopping)
		if (pthread_cond_timedwait(w->wake, &q->lock, &until) == ETIMEDOUT)
			break;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct dbq *q = w->q;
	bool writer = w >= q->workers + q->nquery;
	struct jobq *jq = writer ? &w->jobs : &q->query;
	struct db *db = NULL;
	struct job *batch[BATCH_MAX];

	if (db_alloc(&db, &q->conf)) {
		log_err("database worker: out of memory");
		return NULL;
	}
	w->marks = writer && db_servers(db) > 1;
	pthread_mutex_lock(&q->lock);
	for (;;) {
		if (!jq->head) {
			if (q->stopping)
				break;
			w->idle = writer;
			pthread_cond_wait(w->wake, &q->lock);
			w->idle = false;
			continue;
		}
		if (writer && q->gather_ms && w->njobs < BATCH_MAX && !q->stopping)
			gather(q, w);
		int n = 0;
		struct job *j;
		while (n < (writer ? BATCH_MAX : 1) && (j = pop(jq)))
			batch[n++] = j;
		if (writer)
			w->njobs -= (unsigned)n;
		pthread_mutex_unlock(&q->lock);
		if (writer)
			run_batch(q, w, db, batch, n);
		else
			batch[0]->rc = batch[0]->work(db, batch[0]->arg);
		pthread_mutex_lock(&q->lock);
		for (int i = 0; i < n; i++)
			finish(q, batch[i]);
	}
	pthread_mutex_unlock(&q->lock);
	db_free(db);
	return NULL;
}

/* On the loop: runs the done callbacks of finished jobs. */
static int on_finished(su_root_magic_t *magic, su_wait_t *wait, su_wakeup_arg_t *arg)
{
	struct dbq *q = arg;
	(void)magic;
	(void)wait;
	uint64_t n;
	ssize_t r = read(q->efd, &n, sizeof n);
	(void)r;
	pthread_mutex_lock(&q->lock);
	struct job *list = q->finished.head;
	q->finished.head = q->finished.tail = NULL;
	pthread_mutex_unlock(&q->lock);
	unsigned long count = 0;
	while (list) {
		struct job *j = list;
		list = j->next;
		j->done(j->rc, j->arg);
		free(j);
		count++;
	}
	pthread_mutex_lock(&q->lock);
	q->stats.done += count;
	pthread_mutex_unlock(&q->lock);
	return 0;
}

int dbq_alloc(struct dbq **qp, su_root_t *root, const struct db_conf *conf, unsigned nquery,
	      unsigned nwrite, unsigned max_waiting, unsigned retry_s, unsigned gather_ms)
{
	if (!qp || !root || !conf || !nquery || !nwrite)
		return EINVAL;
	struct dbq *q = calloc(1, sizeof *q);
	if (!q)
		return ENOMEM;
	q->root = root;
	q->conf = *conf;	/* strings stay the caller's: they outlive the queue */
	q->retry_s = retry_s;
	q->max_waiting = max_waiting;
	q->gather_ms = gather_ms;
	q->nquery = nquery;
	q->nwrite = nwrite;
	q->efd = -1;
	q->wait_index = -1;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->query_cond, NULL);
	int err = ENOMEM;
	q->workers = calloc(nquery + nwrite, sizeof *q->workers);
	q->write_conds = calloc(nwrite, sizeof *q->write_conds);
	if (!q->workers || !q->write_conds)
		goto out;
	pthread_condattr_t monotonic;
	pthread_condattr_init(&monotonic);
	pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
	for (unsigned i = 0; i < nwrite; i++)
		pthread_cond_init(&q->write_conds[i], &monotonic);
	pthread_condattr_destroy(&monotonic);
	q->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (q->efd < 0) {
		err = errno;
		goto out;
	}
	if (su_wait_create(&q->wait, q->efd, SU_WAIT_IN) ||
	    (q->wait_index = su_root_register(root, &q->wait, on_finished, q, 0)) < 0) {
		err = EIO;
		goto out;
	}
	for (unsigned i = 0; i < nquery + nwrite; i++) {
		q->workers[i].q = q;
		q->workers[i].wake = i < nquery ? &q->query_cond : &q->write_conds[i - nquery];
		if ((err = pthread_create(&q->workers[i].thread, NULL, worker_main, &q->workers[i])))
			goto out;
		q->workers[i].started = true;
	}
	*qp = q;
	return 0;
out:
	dbq_free(q);
	return err;
}

int dbq_submit(struct dbq *q, enum dbq_lane lane, unsigned key, dbq_work_h *work,
	       dbq_done_h *done, void *arg)
{
	struct job *j = calloc(1, sizeof *j);
	if (!j)
		return ENOMEM;
	j->work = work;
	j->done = done;
	j->arg = arg;
	j->lane = lane;
	clock_gettime(CLOCK_MONOTONIC, &j->queued);
	pthread_mutex_lock(&q->lock);
	if (q->stopping || q->stats.waiting >= q->max_waiting) {
		q->stats.dropped++;
		pthread_mutex_unlock(&q->lock);
		free(j);
		return ENOBUFS;
	}
	if (lane == DBQ_WRITE) {
		struct worker *w = &q->workers[q->nquery + key % q->nwrite];
		push(&w->jobs, j);
		w->njobs++;
		if (w->idle || w->njobs >= BATCH_MAX)
			pthread_cond_signal(w->wake);
	} else {
		push(&q->query, j);
		pthread_cond_signal(&q->query_cond);
	}
	q->stats.submitted++;
	q->stats.waiting++;
	pthread_mutex_unlock(&q->lock);
	return 0;
}

void dbq_get_stats(struct dbq *q, struct dbq_stats *st)
{
	pthread_mutex_lock(&q->lock);
	*st = q->stats;
	pthread_mutex_unlock(&q->lock);
}

void dbq_free(struct dbq *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	q->stopping = true;
	pthread_cond_broadcast(&q->query_cond);
	for (unsigned i = 0; q->write_conds && i < q->nwrite; i++)
		pthread_cond_broadcast(&q->write_conds[i]);
	pthread_mutex_unlock(&q->lock);
	for (unsigned i = 0; q->workers && i < q->nquery + q->nwrite; i++)
		if (q->workers[i].started)
			pthread_join(q->workers[i].thread, NULL);
	/* Jobs that finished after the loop stopped still owe their callbacks. */
	struct job *list = q->finished.head;
	while (list) {
		struct job *j = list;
		list = j->next;
		j->done(j->rc, j->arg);
		free(j);
	}
	if (q->wait_index >= 0)
		su_root_deregister(q->root, q->wait_index);
	if (q->efd >= 0)
		close(q->efd);
	pthread_cond_destroy(&q->query_cond);
	for (unsigned i = 0; q->write_conds && i < q->nwrite; i++)
		pthread_cond_destroy(&q->write_conds[i]);
	free(q->write_conds);
	pthread_mutex_destroy(&q->lock);
	free(q->workers);
	free(q);
}
