/* The recordings' worker: a thread of its own with its own database
 * connection, every recording_scan_s:
 *
 *   pending rows (the B2BUA writes one when a recorded call ends) whose
 *   segments rtpengine has closed are converted (convert.c), oldest first;
 *   the row becomes ready (file, duration, size) and the pcaps go, or
 *   failed (error) and the pcaps stay for a look until the row expires;
 *   a row whose segment is still open RECF_UNFINISHED_S after the call's
 *   end has failed ("unfinished");
 *
 *   rows past expires_at (the conversion's time plus
 *   recording_retention_days) lose their WAV and pcaps and become expired.
 *
 * Several cc-web processes take turns through GET_LOCK('cc_recording').
 * cc_call is never written here: a failure is the recording's alone. */
#include "recording.h"

#include "../web.h"
#include "db.h"
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH 20		/* rows looked at per run */

struct recworker {
	struct web *w;
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
};

struct pending {
	char id[33];
	long long age_s;	/* since the row was written (the call's end) */
	long long call_s;	/* the call's length, 0 when unknown */
};

struct rows {
	struct pending v[BATCH];
	size_t n;
};

static int pending_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct rows *r = arg;
	if (ncol < 3 || !v[0] || r->n == BATCH)
		return 0;
	struct pending *p = &r->v[r->n++];
	snprintf(p->id, sizeof p->id, "%s", v[0]);
	p->age_s = v[1] ? atoll(v[1]) : 0;
	p->call_s = v[2] ? atoll(v[2]) : 0;
	return 0;
}

static void convert_one(struct web *w, struct db *db, const struct pending *p)
{
	const char *dir = w->conf.recording_dir;
	struct recf_out o;
	unsigned max_s = p->call_s > 0 ? (unsigned)p->call_s + RECF_SLACK_S : 0;
	const char *why = recf_convert(dir, p->id, max_s, &o);
	long long days = w->conf.recording_retention_days;
	if (why && !strcmp(why, "in_progress")) {
		if (p->age_s < RECF_UNFINISHED_S)
			return;	/* rtpengine closes it soon */
		why = "unfinished";
	}
	if (why) {
		log_err("recordings: call %s not converted: %s", p->id, why);
		if (db_exec(db,
			    "UPDATE cc_recording SET state = 'failed', error = ?, attempts = attempts + 1, "
			    "converted_at = NOW(3), expires_at = NOW(3) + INTERVAL ? DAY "
			    "WHERE call_id = ? AND state = 'pending'",
			    "sis", why, days, p->id) < 0)
			log_err("recordings: call %s: %s", p->id, db_error(db));
		return;
	}
	log_info("recordings: call %s: %s, %u ms, %u segment(s), %lu packets%s", p->id, o.file,
		 o.duration_ms, o.segments, o.packets, o.truncated ? " (a pcap was cut short)" : "");
	if (db_exec(db,
		    "UPDATE cc_recording SET state = 'ready', file = ?, duration_ms = ?, size = ?, "
		    "error = ?, attempts = attempts + 1, converted_at = NOW(3), "
		    "expires_at = NOW(3) + INTERVAL ? DAY WHERE call_id = ? AND state = 'pending'",
		    "siisis", o.file, (long long)o.duration_ms, (long long)o.size,
		    o.truncated ? "truncated" : NULL, days, p->id) < 0) {
		/* The WAV stays; the next run converts it again over it. */
		log_err("recordings: call %s: %s", p->id, db_error(db));
		return;
	}
	recf_remove(dir, p->id, NULL);
}

struct expired {
	char id[33];
	char file[64];
};

struct exp_rows {
	struct expired v[BATCH * 5];
	size_t n;
};

static int expired_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct exp_rows *r = arg;
	if (ncol < 2 || !v[0] || r->n == sizeof r->v / sizeof *r->v)
		return 0;
	struct expired *e = &r->v[r->n++];
	snprintf(e->id, sizeof e->id, "%s", v[0]);
	snprintf(e->file, sizeof e->file, "%s", v[1] ? v[1] : "");
	return 0;
}

static void run(struct web *w, struct db *db)
{
	char got[8] = "";
	if (db_query_value(db, got, sizeof got, "SELECT GET_LOCK('cc_recording', 0)", "") < 0 ||
	    strcmp(got, "1"))
		return;	/* the database is away, or another cc-web is at it */
	struct rows rows = { .n = 0 };
	if (db_query(db,
		     "SELECT r.call_id, TIMESTAMPDIFF(SECOND, r.created_at, NOW(3)), "
		     "TIMESTAMPDIFF(SECOND, c.started_at, c.ended_at) FROM cc_recording r "
		     "LEFT JOIN cc_call c ON c.id = r.call_id WHERE r.state = 'pending' "
		     "ORDER BY r.created_at LIMIT ?",
		     pending_row, &rows, "i", (long long)BATCH) < 0)
		log_err("recordings: %s", db_error(db));
	for (size_t i = 0; i < rows.n; i++)
		convert_one(w, db, &rows.v[i]);

	struct exp_rows *ex = calloc(1, sizeof *ex);
	if (ex && db_query(db,
			   "SELECT call_id, file FROM cc_recording WHERE state IN ('ready', 'failed') "
			   "AND expires_at < NOW(3) ORDER BY expires_at LIMIT ?",
			   expired_row, ex, "i", (long long)(sizeof ex->v / sizeof *ex->v)) < 0)
		log_err("recordings: %s", db_error(db));
	for (size_t i = 0; ex && i < ex->n; i++) {
		recf_remove(w->conf.recording_dir, ex->v[i].id, ex->v[i].file[0] ? ex->v[i].file : NULL);
		if (db_exec(db,
			    "UPDATE cc_recording SET state = 'expired', file = NULL WHERE call_id = ?",
			    "s", ex->v[i].id) < 0)
			log_err("recordings: call %s: %s", ex->v[i].id, db_error(db));
		else
			log_info("recordings: call %s: expired, removed", ex->v[i].id);
	}
	free(ex);
	db_exec(db, "DO RELEASE_LOCK('cc_recording')", "");
}

static void *worker_main(void *arg)
{
	struct recworker *rw = arg;
	struct db *db = NULL;
	if (db_alloc(&db, &rw->w->dbc)) {
		log_err("recordings: out of memory");
		return NULL;
	}
	pthread_mutex_lock(&rw->mu);
	while (!rw->stop) {
		pthread_mutex_unlock(&rw->mu);
		run(rw->w, db);
		pthread_mutex_lock(&rw->mu);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)rw->w->conf.recording_scan_s;
		while (!rw->stop && pthread_cond_timedwait(&rw->cv, &rw->mu, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&rw->mu);
	db_free(db);
	return NULL;
}

int recworker_start(struct recworker **out, struct web *w)
{
	struct recworker *rw = calloc(1, sizeof *rw);
	if (!rw)
		return ENOMEM;
	rw->w = w;
	pthread_mutex_init(&rw->mu, NULL);
	pthread_cond_init(&rw->cv, NULL);
	int err = pthread_create(&rw->thr, NULL, worker_main, rw);
	if (err) {
		pthread_cond_destroy(&rw->cv);
		pthread_mutex_destroy(&rw->mu);
		free(rw);
		return err;
	}
	*out = rw;
	return 0;
}

void recworker_free(struct recworker *rw)
{
	if (!rw)
		return;
	pthread_mutex_lock(&rw->mu);
	rw->stop = true;
	pthread_cond_broadcast(&rw->cv);
	pthread_mutex_unlock(&rw->mu);
	pthread_join(rw->thr, NULL);
	pthread_cond_destroy(&rw->cv);
	pthread_mutex_destroy(&rw->mu);
	free(rw);
}
