/* The dialer's database work, all of it on the workers: reading the running
 * tasks, claiming targets, recording attempts and results, completing a
 * task, recovering after a restart. Claims and completion take the task's
 * row with FOR UPDATE in their transaction: they see a stop the web app
 * committed, and two nodes claim one after the other. */
#include "b2bua/dialer/dialer_priv.h"

#include "b2bua/core/core.h"
#include "b2bua/db/dbq.h"
#include "db.h"
#include "ivr_run.h"
#include "log.h"
#include "rec_policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *node_of(const struct dialer *d)
{
	return d->env.core->conf->node_id;
}

/* "no_answer,busy" -> the results' bits; unknown names are ignored. */
static unsigned result_bits(const char *list)
{
	unsigned bits = 0;
	char buf[160];
	snprintf(buf, sizeof buf, "%s", list ? list : "");
	for (char *save = NULL, *p = strtok_r(buf, ", ", &save); p; p = strtok_r(NULL, ", ", &save)) {
		int r = task_result_parse(p);
		if (r >= 0)
			bits |= 1u << r;
	}
	return bits;
}

/* The settings of a cc_task row, columns in TASK_COLUMNS' order (T: the
 * table's name and a dot, or ""); the zone is loaded here, on the worker
 * (it reads a file). */
#define TASK_COLUMNS(T)                                                                \
	T "id, " T "name, " T "skill_group_id, " T "caller_id, " T "max_concurrency, "      \
	T "agent_ratio, " T "pacing, " T "abandon_target, " T "max_attempts, "              \
	T "min_interval_s, " T "retry_results, " T "hours, " T "time_zone, " T "recording"
#define TASK_NCOLS 14

/* known_tz: the zone the dialer holds for this task, or NULL; the same
 * name is not read again (a file, every poll). */
static void task_from_row(struct task_row *r, char **v, const char *known_tz)
{
	struct dtask *t = &r->t;
	memset(r, 0, sizeof *r);
	t->id = (unsigned)strtoul(v[0], NULL, 10);
	snprintf(t->name, sizeof t->name, "%s", v[1] ? v[1] : "");
	t->group = (unsigned)strtoul(v[2] ? v[2] : "0", NULL, 10);
	snprintf(t->caller_id, sizeof t->caller_id, "%s", v[3] ? v[3] : "");
	t->max_concurrency = (unsigned)strtoul(v[4] ? v[4] : "1", NULL, 10);
	t->ratio = (unsigned)strtoul(v[5] ? v[5] : "100", NULL, 10);
	int p = task_pacing_parse(v[6] ? v[6] : "");
	t->pacing = p < 0 ? TASK_PACING_RATIO : (enum task_pacing)p;
	t->abandon_target = (unsigned)strtoul(v[7] ? v[7] : "30", NULL, 10);
	t->retry.max_attempts = (unsigned)strtoul(v[8] ? v[8] : "1", NULL, 10);
	t->retry.min_interval_s = (unsigned)strtoul(v[9] ? v[9] : "0", NULL, 10);
	t->retry.results = result_bits(v[10]);
	if (task_hours_parse(&t->hours, v[11] ? v[11] : "")) {
		log_warn("task %u: calling hours \"%s\" unreadable: no call will start", t->id,
			 v[11]);
		/* Hours that never open: no weekday. */
		t->hours.n = 1;
		t->hours.range[0] = (struct task_range){ 0, 0, 0 };
	}
	snprintf(t->tz_name, sizeof t->tz_name, "%s", v[12] ? v[12] : "");
	t->recording = (unsigned char)rec_policy_parse(v[13]);
	if (known_tz && !strcmp(known_tz, t->tz_name)) {
		r->tz_kept = true;
	} else if (t->tz_name[0] && ivr_tz_load(&t->tz, NULL, t->tz_name)) {
		log_warn("task %u: time zone \"%s\" unknown: hours are read in UTC", t->id,
			 t->tz_name);
		t->tz = NULL;
	}
}

/* --- reading the running tasks ------------------------------------------------------ */

/* The zone a task had at the last read, copied from the loop for the
 * worker. */
struct known_tz {
	unsigned id;
	char name[65];
};

struct poll_job {
	struct dialer *d;
	void (*done)(struct dialer *, struct task_row *, size_t);
	struct task_row *rows;
	size_t n, cap;
	struct known_tz *known;
	size_t nknown;
	bool failed;
};

static int poll_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct poll_job *j = arg;
	(void)lens;
	if (ncol < TASK_NCOLS || !v[0])
		return 0;
	if (j->n == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 8;
		struct task_row *rows = realloc(j->rows, cap * sizeof *rows);
		if (!rows)
			return 1;
		j->rows = rows;
		j->cap = cap;
	}
	unsigned id = (unsigned)strtoul(v[0], NULL, 10);
	const char *known = NULL;
	for (size_t i = 0; i < j->nknown && !known; i++)
		if (j->known[i].id == id)
			known = j->known[i].name;
	task_from_row(&j->rows[j->n++], v, known);
	return 0;
}

static int run_poll(struct db *db, void *arg)
{
	struct poll_job *j = arg;
	if (db_query(db,
		     "SELECT " TASK_COLUMNS("") " FROM cc_task WHERE state = 'running' ORDER BY id",
		     poll_row, j, "") < 0) {
		log_warn("outbound tasks not read: %s", db_error(db));
		j->failed = true;
		return -1;
	}
	return 0;
}

static void poll_done(int rc, void *arg)
{
	struct poll_job *j = arg;
	if (rc || j->failed) {
		for (size_t i = 0; i < j->n; i++)
			ivr_tz_free(j->rows[i].t.tz);
		j->done(j->d, NULL, 0);
	} else {
		j->done(j->d, j->rows, j->n);
	}
	free(j->rows);
	free(j->known);
	free(j);
}

int store_poll(struct dialer *d, void (*done)(struct dialer *, struct task_row *, size_t))
{
	struct poll_job *j = calloc(1, sizeof *j);
	if (!j)
		return -1;
	j->d = d;
	j->done = done;
	for (const struct dtask *t = d->tasks; t; t = t->next)
		j->nknown++;
	j->known = j->nknown ? calloc(j->nknown, sizeof *j->known) : NULL;
	if (j->nknown && !j->known) {
		free(j);
		return -1;
	}
	size_t i = 0;
	for (const struct dtask *t = d->tasks; t; t = t->next, i++) {
		j->known[i].id = t->id;
		memcpy(j->known[i].name, t->tz_name, sizeof j->known[i].name);
	}
	if (dbq_submit(d->env.dbq, DBQ_QUERY, 0, run_poll, poll_done, j)) {
		free(j->known);
		free(j);
		return -1;
	}
	return 0;
}

/* --- claiming targets ------------------------------------------------------------------ */

struct claim_job {
	struct dialer *d;
	unsigned task, want, max_concurrency;
	char node[65];
	struct claimed got[CLAIM_MAX];
	unsigned n, dnc;
	unsigned long long dnc_ids[CLAIM_MAX];
	bool running;
};

static int count_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	*(unsigned long *)arg = ncol >= 1 && v[0] ? strtoul(v[0], NULL, 10) : 1;
	return 0;
}

static int state_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	*(bool *)arg = ncol >= 1 && v[0] && !strcmp(v[0], "running");
	return 0;
}

static int claim_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct claim_job *j = arg;
	(void)lens;
	if (ncol < 6 || !v[0] || j->n + j->dnc >= j->want)
		return 0;
	unsigned long long id = strtoull(v[0], NULL, 10);
	if (v[5]) {		/* put on the do-not-call list since it was loaded */
		j->dnc_ids[j->dnc++] = id;
		return 0;
	}
	struct claimed *c = &j->got[j->n];
	memset(c, 0, sizeof *c);
	c->id = id;
	snprintf(c->number, sizeof c->number, "%s", v[1] ? v[1] : "");
	snprintf(c->contact, sizeof c->contact, "%s", v[2] ? v[2] : "");
	c->data = v[3] ? strdup(v[3]) : NULL;
	c->attempts = (unsigned)strtoul(v[4] ? v[4] : "0", NULL, 10) + 1;
	j->n++;
	return 0;
}

#define CLAIM_SELECT                                                                      \
	"SELECT t.id, t.number, t.contact_id, t.data, t.attempts, "                       \
	"(SELECT 1 FROM cc_dnc n WHERE n.number = t.number AND n.task_id IN (0, t.task_id) " \
	"LIMIT 1) FROM cc_task_target t WHERE t.task_id = ? "

static void free_claimed(struct claim_job *j)
{
	for (unsigned i = 0; i < j->n; i++)
		free(j->got[i].data);
	j->n = 0;
	j->dnc = 0;
}

static int run_claim(struct db *db, void *arg)
{
	struct claim_job *j = arg;
	j->running = false;
	if (db_begin(db))
		goto failed;
	if (db_query(db, "SELECT state FROM cc_task WHERE id = ? FOR UPDATE", state_row,
		     &j->running, "i", (long long)j->task) < 0)
		goto failed;
	if (!j->running)
		return db_commit(db) ? -1 : 0;
	/* The maximum concurrency is the task's, whichever nodes dial it: the
	 * targets being dialed (by every node) count against it. */
	unsigned long up = 0;
	if (db_query(db, "SELECT COUNT(*) FROM cc_task_target WHERE task_id = ? AND state = 'dialing'",
		     count_row, &up, "i", (long long)j->task) < 0)
		goto failed;
	if (up >= j->max_concurrency)
		return db_commit(db) ? -1 : 0;
	if (j->want > j->max_concurrency - up)
		j->want = (unsigned)(j->max_concurrency - up);
	/* Never dialed first, in the order loaded; then retries that are due. */
	if (db_query(db, CLAIM_SELECT "AND t.state = 'waiting' ORDER BY t.id LIMIT ? FOR UPDATE",
		     claim_row, j, "ii", (long long)j->task, (long long)j->want) < 0)
		goto failed;
	if (j->n + j->dnc < j->want &&
	    db_query(db,
		     CLAIM_SELECT "AND t.state = 'retry' AND t.next_at <= NOW(3) "
				  "ORDER BY t.next_at, t.id LIMIT ? FOR UPDATE",
		     claim_row, j, "ii", (long long)j->task, (long long)(j->want - j->n - j->dnc)) < 0)
		goto failed;
	for (unsigned i = 0; i < j->n; i++)
		if (db_exec(db,
			    "UPDATE cc_task_target SET state = 'dialing', node = ?, "
			    "attempts = attempts + 1, last_at = NOW(3) WHERE id = ?",
			    "si", j->node, (long long)j->got[i].id) < 0)
			goto failed;
	for (unsigned i = 0; i < j->dnc; i++)
		if (db_exec(db, "UPDATE cc_task_target SET state = 'dnc', last_at = NOW(3) WHERE id = ?",
			    "i", (long long)j->dnc_ids[i]) < 0)
			goto failed;
	if (j->dnc && db_exec(db, "UPDATE cc_task SET targets_done = targets_done + ? WHERE id = ?",
			      "ii", (long long)j->dnc, (long long)j->task) < 0)
		goto failed;
	if (db_commit(db))
		goto failed;
	return 0;
failed:
	log_warn("task %u: targets not claimed: %s", j->task, db_error(db));
	db_rollback(db);
	free_claimed(j);
	return -1;
}

static void claim_done(int rc, void *arg)
{
	struct claim_job *j = arg;
	struct dialer *d = j->d;
	struct dtask *t = dialer_task(d, j->task);
	/* A failed claim has nothing (run_claim rolled back); one that
	 * succeeded has its targets, even when the queue ends (rc -1 then). */
	if (j->n)
		rc = 0;
	if (t) {
		t->claiming = false;
		t->claim_empty = !rc && j->n == 0;
		if (!j->running && !rc)
			t->running = false;
	}
	for (unsigned i = 0; i < j->n; i++) {
		if (t && !d->stopping)
			dcall_place(d, t, &j->got[i]);
		else
			store_unclaim(d, j->got[i].id);
		free(j->got[i].data);
	}
	if (t) {
		if (j->dnc)
			log_info("task %u: %u targets on the do-not-call list skipped", t->id, j->dnc);
		if (t->claim_empty && !t->dialing && !t->answered && !t->connected)
			store_check_done(d, t);
		else if (!rc && j->n + j->dnc == j->want)
			dialer_pace(d, t);	/* there may be more to start */
		dialer_drop_idle(d, t);
	}
	free(j);
}

int store_claim(struct dialer *d, struct dtask *t, unsigned n)
{
	struct claim_job *j = calloc(1, sizeof *j);
	if (!j)
		return -1;
	j->d = d;
	j->task = t->id;
	j->want = n > CLAIM_MAX ? CLAIM_MAX : n;
	j->max_concurrency = t->max_concurrency;
	snprintf(j->node, sizeof j->node, "%s", node_of(d));
	t->claiming = true;
	if (dbq_submit(d->env.dbq, DBQ_QUERY, 0, run_claim, claim_done, j)) {
		t->claiming = false;
		free(j);
		return -1;
	}
	return 0;
}

/* --- an attempt's row, its end -------------------------------------------------------- */

struct attempt_job {
	unsigned task, attempt;
	unsigned long long target;
	char call[33];
	char node[65];
	long long t_placed, t_answered, t_connected, t_end;
	/* settle */
	char state[16];
	char result[16];
	char cause[65];
	long long next_at;		/* s, 0: none */
	int answered, abandoned, final;
};

/* DATETIME(3) from milliseconds, or NULL for 0. */
#define MS_TS "IF(? = 0, NULL, FROM_UNIXTIME(? / 1000))"

static int write_placed(struct db *db, void *arg)
{
	struct attempt_job *j = arg;
	if (db_exec(db,
		    "INSERT IGNORE INTO cc_task_attempt (task_id, target_id, attempt, call_id, node, "
		    "started_at) VALUES (?, ?, ?, ?, ?, FROM_UNIXTIME(? / 1000))",
		    "iiissi", (long long)j->task, (long long)j->target, (long long)j->attempt, j->call,
		    j->node, j->t_placed) < 0 ||
	    db_exec(db, "UPDATE cc_task_target SET last_call_id = ? WHERE id = ?", "si", j->call,
		    (long long)j->target) < 0) {
		log_warn("task %u: attempt of target %llu not recorded: %s", j->task, j->target,
			 db_error(db));
		return -1;
	}
	return 0;
}

static struct attempt_job *attempt_job(const struct dialer *d, const struct dcall *c)
{
	struct attempt_job *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->task = c->task->id;
	j->target = c->target;
	j->attempt = c->attempt;
	snprintf(j->call, sizeof j->call, "%s", c->call ? call_id(c->call) : "");
	snprintf(j->node, sizeof j->node, "%s", node_of(d));
	j->t_placed = c->t_placed;
	j->t_answered = c->t_answered;
	j->t_connected = c->t_connected;
	return j;
}

static void submit_write(const struct dialer *d, unsigned long long key, dbq_work_h *work,
			 struct attempt_job *j, const char *what)
{
	if (!j) {
		log_err("task: %s not recorded: out of memory", what);
		return;
	}
	if (dbq_submit(d->env.dbq, DBQ_WRITE, (unsigned)key, work, NULL, j)) {
		log_err("task %u: %s of target %llu not recorded: database queue full", j->task,
			what, j->target);
		free(j);
	}
}

void store_placed(struct dialer *d, const struct dcall *c)
{
	submit_write(d, c->target, write_placed, attempt_job(d, c), "attempt");
}

static int write_settle(struct db *db, void *arg)
{
	struct attempt_job *j = arg;
	long long n = db_exec(db,
			      "UPDATE cc_task_target SET state = ?, last_result = ?, "
			      "next_at = IF(? = 0, NULL, FROM_UNIXTIME(?)), node = NULL, "
			      "last_at = NOW(3) WHERE id = ? AND state = 'dialing'",
			      "ssiii", j->state, j->result, j->next_at, j->next_at, (long long)j->target);
	if (n < 0)
		goto failed;
	if (n == 0)
		return 0;	/* settled already (recovered by a restart) */
	if (db_exec(db,
		    "UPDATE cc_task_attempt SET answered_at = " MS_TS ", connected_at = " MS_TS
		    ", ended_at = FROM_UNIXTIME(? / 1000), result = ?, cause = ? "
		    "WHERE target_id = ? AND attempt = ?",
		    "iiiiissii", j->t_answered, j->t_answered, j->t_connected, j->t_connected,
		    j->t_end, j->result, j->cause[0] ? j->cause : NULL, (long long)j->target,
		    (long long)j->attempt) < 0 ||
	    db_exec(db,
		    "UPDATE cc_task SET calls_total = calls_total + 1, "
		    "calls_answered = calls_answered + ?, calls_abandoned = calls_abandoned + ?, "
		    "targets_done = targets_done + ? WHERE id = ?",
		    "iiii", (long long)j->answered, (long long)j->abandoned, (long long)j->final,
		    (long long)j->task) < 0)
		goto failed;
	return 0;
failed:
	log_warn("task %u: result of target %llu not recorded: %s", j->task, j->target,
		 db_error(db));
	return -1;
}

void store_settle(struct dialer *d, const struct dcall *c, enum task_result r,
		  const struct task_target *st, const char *cause, long long now_ms)
{
	struct attempt_job *j = attempt_job(d, c);
	if (j) {
		j->t_end = now_ms;
		snprintf(j->state, sizeof j->state, "%s", task_target_state_name(st->state));
		snprintf(j->result, sizeof j->result, "%s", task_result_name(r));
		snprintf(j->cause, sizeof j->cause, "%s", cause ? cause : "");
		j->next_at = st->state == TASK_T_RETRY ? st->next_at : 0;
		j->answered = r == TASK_R_ANSWERED;
		j->abandoned = r == TASK_R_ABANDONED;
		j->final = !task_target_open(st->state);
	}
	submit_write(d, c->target, write_settle, j, "result");
}

static int write_unclaim(struct db *db, void *arg)
{
	struct attempt_job *j = arg;
	if (db_exec(db,
		    "UPDATE cc_task_target SET state = IF(attempts > 1, 'retry', 'waiting'), "
		    "next_at = IF(attempts > 1, NOW(3), NULL), attempts = attempts - 1, node = NULL "
		    "WHERE id = ? AND state = 'dialing'",
		    "i", (long long)j->target) < 0) {
		log_warn("target %llu not given back: %s", j->target, db_error(db));
		return -1;
	}
	return 0;
}

void store_unclaim(struct dialer *d, unsigned long long target)
{
	struct attempt_job *j = calloc(1, sizeof *j);
	if (j)
		j->target = target;
	submit_write(d, target, write_unclaim, j, "release");
}

/* --- completion ---------------------------------------------------------------------- */

struct done_job {
	struct dialer *d;
	unsigned task;
	bool done;
};


static int run_check_done(struct db *db, void *arg)
{
	struct done_job *j = arg;
	bool running = false;
	unsigned long open = 1;
	if (db_begin(db) ||
	    db_query(db, "SELECT state FROM cc_task WHERE id = ? FOR UPDATE", state_row, &running,
		     "i", (long long)j->task) < 0 ||
	    db_query(db,
		     "SELECT (SELECT COUNT(*) FROM cc_task_target WHERE task_id = ? AND state = "
		     "'waiting') + (SELECT COUNT(*) FROM cc_task_target WHERE task_id = ? AND state = "
		     "'dialing') + (SELECT COUNT(*) FROM cc_task_target WHERE task_id = ? AND state = "
		     "'retry')",
		     count_row, &open, "iii", (long long)j->task, (long long)j->task,
		     (long long)j->task) < 0)
		goto failed;
	if (running && open == 0) {
		struct task_step step;
		if (!task_apply(TASK_RUNNING, TASK_A_DONE, NULL, &step) &&
		    db_exec(db,
			    "UPDATE cc_task SET state = ?, stopped_at = NOW(3) WHERE id = ? AND "
			    "state = 'running'",
			    "si", task_state_name(step.next), (long long)j->task) < 0)
			goto failed;
		j->done = true;
	}
	if (db_commit(db))
		goto failed;
	return 0;
failed:
	log_warn("task %u: completion not checked: %s", j->task, db_error(db));
	db_rollback(db);
	j->done = false;
	return -1;
}

static void check_done_done(int rc, void *arg)
{
	struct done_job *j = arg;
	struct dtask *t = dialer_task(j->d, j->task);
	if (t)
		t->checking = false;
	if (!rc && j->done) {
		log_info("task %u: every target dialed: stopped", j->task);
		dialer_publish_state(j->d, j->task, task_state_name(TASK_STOPPED),
				     task_state_name(TASK_RUNNING), task_action_name(TASK_A_DONE));
		if (t) {
			t->running = false;
			dialer_drop_idle(j->d, t);
		}
	}
	free(j);
}

int store_check_done(struct dialer *d, struct dtask *t)
{
	if (t->checking)
		return 0;
	struct done_job *j = calloc(1, sizeof *j);
	if (!j)
		return -1;
	j->d = d;
	j->task = t->id;
	t->checking = true;
	if (dbq_submit(d->env.dbq, DBQ_QUERY, 0, run_check_done, check_done_done, j)) {
		t->checking = false;
		free(j);
		return -1;
	}
	return 0;
}

/* --- recovery after a restart --------------------------------------------------------- */

struct lost {
	unsigned long long id;
	unsigned task;
	struct task_target t;
	bool answered;
	struct task_row rule;
};

struct recover_job {
	struct dialer *d;
	void (*done)(struct dialer *, int);
	char node[65];
	struct lost *rows;
	size_t n, cap;
	unsigned recovered;
};

static int lost_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct recover_job *j = arg;
	(void)lens;
	if (ncol < 3 + TASK_NCOLS || !v[0])
		return 0;
	if (j->n == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 16;
		struct lost *rows = realloc(j->rows, cap * sizeof *rows);
		if (!rows)
			return 1;
		j->rows = rows;
		j->cap = cap;
	}
	struct lost *l = &j->rows[j->n++];
	memset(l, 0, sizeof *l);
	l->id = strtoull(v[0], NULL, 10);
	l->t.state = TASK_T_DIALING;
	l->t.attempts = (unsigned)strtoul(v[1] ? v[1] : "1", NULL, 10);
	l->answered = v[2] && !strcmp(v[2], "answered");
	task_from_row(&l->rule, v + 3, NULL);
	l->task = l->rule.t.id;
	return 0;
}

static int run_recover(struct db *db, void *arg)
{
	struct recover_job *j = arg;
	int rc = 0;
	if (db_query(db,
		     "SELECT g.id, g.attempts, c.result, " TASK_COLUMNS("k.") " "
		     "FROM cc_task_target g JOIN cc_task k ON k.id = g.task_id "
		     "LEFT JOIN cc_call c ON c.id = g.last_call_id "
		     "WHERE g.node = ? AND g.state = 'dialing'",
		     lost_row, j, "s", j->node) < 0) {
		log_warn("outbound targets of this node not recovered: %s", db_error(db));
		return -1;
	}
	long long now = core_now_ms() / 1000;
	for (size_t i = 0; i < j->n; i++) {
		struct lost *l = &j->rows[i];
		struct dtask *r = &l->rule.t;
		task_target_recover(&l->t, l->answered, &r->retry, &r->hours, r->tz, now);
		const char *result = l->answered ? "answered" : "failed";
		if (db_exec(db,
			    "UPDATE cc_task_target SET state = ?, last_result = ?, "
			    "next_at = IF(? = 0, NULL, FROM_UNIXTIME(?)), node = NULL, last_at = NOW(3) "
			    "WHERE id = ? AND state = 'dialing' AND node = ?",
			    "ssiiis", task_target_state_name(l->t.state), result,
			    l->t.state == TASK_T_RETRY ? l->t.next_at : 0,
			    l->t.state == TASK_T_RETRY ? l->t.next_at : 0, (long long)l->id,
			    j->node) < 0 ||
		    db_exec(db,
			    "UPDATE cc_task_attempt SET result = ?, cause = 'node restarted', "
			    "ended_at = COALESCE(ended_at, NOW(3)) WHERE target_id = ? AND attempt = ? "
			    "AND result IS NULL",
			    "sii", result, (long long)l->id, (long long)l->t.attempts) < 0 ||
		    db_exec(db,
			    "UPDATE cc_task SET calls_total = calls_total + 1, "
			    "calls_answered = calls_answered + ?, targets_done = targets_done + ? "
			    "WHERE id = ?",
			    "iii", (long long)l->answered, (long long)!task_target_open(l->t.state),
			    (long long)l->task) < 0) {
			log_warn("target %llu not recovered: %s", l->id, db_error(db));
			rc = -1;
			continue;
		}
		j->recovered++;
	}
	return rc;
}

static void recover_done(int rc, void *arg)
{
	struct recover_job *j = arg;
	if (j->recovered)
		log_info("outbound: %u targets this node was dialing when it stopped recovered",
			 j->recovered);
	for (size_t i = 0; i < j->n; i++)
		ivr_tz_free(j->rows[i].rule.t.tz);
	j->done(j->d, rc);
	free(j->rows);
	free(j);
}

int store_recover(struct dialer *d, void (*done)(struct dialer *, int))
{
	struct recover_job *j = calloc(1, sizeof *j);
	if (!j)
		return -1;
	j->d = d;
	j->done = done;
	snprintf(j->node, sizeof j->node, "%s", node_of(d));
	if (dbq_submit(d->env.dbq, DBQ_QUERY, 0, run_recover, recover_done, j)) {
		free(j);
		return -1;
	}
	return 0;
}
