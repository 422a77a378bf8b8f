/* Certification conflicts (common/db.h) against two nodes of a real Galera
 * cluster: what a transaction that loses one sees, and that db_txn runs it
 * again and applies it exactly once, and that the B2BUA's write queue
 * (b2bua/db/dbq.c) does the same with its jobs. Prints TAP lines; exit
 * status 1 when one failed.
 *
 *   db-galera-check SOCKET_A SOCKET_B DATABASE ROUNDS
 *
 * Works in scratch tables of its own (cc_test_galera, cc_test_galera_log),
 * dropped at the end. Run by tests/integration/t_galera.sh. */
#include "b2bua/db/dbq.h"
#include "db.h"

#include <sofia-sip/su.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int failed;

static void check(const char *what, int ok, const char *got)
{
	printf("%s - %s%s%s\n", ok ? "ok" : "not ok", what, ok || !got ? "" : ": got ",
	       ok || !got ? "" : got);
	fflush(stdout);
	failed |= !ok;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
	nanosleep(&ts, NULL);
}

static long long value(struct db *db, const char *sql)
{
	char out[64];
	if (db_query_value(db, out, sizeof out, sql, "") != 1)
		return -1;
	return atoll(out);
}

/* Waits (up to 10 s) until sql answers want on db: what another node
 * committed has been applied here. */
static int applied(struct db *db, const char *sql, long long want)
{
	for (int i = 0; i < 1000; i++) {
		if (value(db, sql) == want)
			return 1;
		sleep_ms(10);
	}
	return 0;
}

/* --- two writers on two nodes, the same row ------------------------------- */

struct writer {
	struct db *db;
	const char *name;
	int rounds;
	int round;		/* the one being written */
	int done;		/* committed */
	int gave_up;		/* db_txn's retries spent: the round is tried again */
	unsigned long runs;	/* bodies run, first runs and runs again */
};

/* One round: the counter up by one and a log line naming the round; run
 * again whole by db_txn when it loses. */
static int round_body(struct db *db, void *arg)
{
	struct writer *w = arg;
	w->runs++;
	if (db_exec(db, "UPDATE cc_test_galera SET n = n + 1 WHERE id = 1", "") != 1)
		return -1;
	/* The window in which the other node's commit wins certification. */
	sleep_ms(1);
	if (db_exec(db, "INSERT INTO cc_test_galera_log (who, round) VALUES (?, ?)", "si", w->name,
		    (long long)w->round) != 1)
		return -1;
	return 0;
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	for (w->round = 1; w->round <= w->rounds; w->round++) {
		int rc;
		while ((rc = db_txn(w->db, round_body, w)) < 0 && db_conflict(w->db) &&
		       w->gave_up < w->rounds)
			w->gave_up++;	/* db_txn's retries spent on one round: again */
		if (rc == 0)
			w->done++;
		else
			printf("# writer %s, round %d failed: %s\n", w->name, w->round,
			       db_error(w->db));
		/* A client's pace, however short: with none at all the two
		 * writers would meet on every round. */
		sleep_ms(1 + rand() % 3);
	}
	return NULL;
}

/* --- the B2BUA's write queue against a writer on the other node ---------- */

struct djob {
	int round;
	int *ok;
};

/* A write job as the B2BUA's: runs again whole when its batch or its own
 * run fails. */
static int djob_work(struct db *db, void *arg)
{
	struct djob *j = arg;
	if (db_exec(db, "UPDATE cc_test_galera SET n = n + 1 WHERE id = 1", "") != 1)
		return -1;
	sleep_ms(1);	/* the window, as in round_body */
	if (db_exec(db, "INSERT INTO cc_test_galera_log (who, round) VALUES ('dbq', ?)", "i",
		    (long long)j->round) != 1)
		return -1;
	return 0;
}

static void djob_done(int rc, void *arg)
{
	struct djob *j = arg;
	if (rc == 0)
		(*j->ok)++;
	free(j);
}

/* ROUNDS jobs through a queue whose servers are A then B (so its commits
 * are marked) while writer b, on node B, updates the same row. */
static void queue_part(const struct db_conf *conf, struct writer *wb, int rounds, const char *ab)
{
	su_root_t *root = su_root_create(NULL);
	struct dbq *q = NULL;
	struct db_conf qc = *conf;
	qc.socket = ab;
	if (!root || dbq_alloc(&q, root, &qc, 1, 1, 100000, 30, 0)) {
		printf("not ok - the write queue starts\n");
		failed = 1;
		return;
	}
	int ok = 0, submitted = 0;
	pthread_t tb;
	wb->round = 0;
	wb->done = 0;
	pthread_create(&tb, NULL, writer_main, wb);
	for (int i = 1; i <= rounds; i++) {
		struct djob *j = calloc(1, sizeof *j);
		if (!j)
			break;
		j->round = i;
		j->ok = &ok;
		if (dbq_submit(q, DBQ_WRITE, dbq_key("row 1"), djob_work, djob_done, j) == 0)
			submitted++;
		else
			free(j);
		su_root_step(root, 0);
		sleep_ms(1 + rand() % 3);
	}
	pthread_join(tb, NULL);
	for (int i = 0; i < 6000 && ok < submitted; i++)
		su_root_step(root, 10);
	struct dbq_stats st;
	dbq_get_stats(q, &st);
	printf("# queue: %d jobs, retried %lu, conflicts %lu, failed %lu\n", submitted, st.retried,
	       st.conflicts, st.failed);
	char got[128];
	snprintf(got, sizeof got, "%d of %d", ok, rounds);
	check("queue: every job was written", ok == rounds, got);
	snprintf(got, sizeof got, "%lu", st.conflicts);
	check("queue: its writes lost conflicts to node B's writer, counted in its stats",
	      st.conflicts > 0, got);
	snprintf(got, sizeof got, "%d of %d", wb->done, wb->rounds);
	check("queue: node B's writer committed every round", wb->done == wb->rounds, got);
	dbq_free(q);
	su_root_destroy(root);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: db-galera-check SOCKET_A SOCKET_B DATABASE ROUNDS\n");
		return 2;
	}
	int rounds = atoi(argv[4]);
	if (rounds < 1) {
		fprintf(stderr, "db-galera-check: ROUNDS must be a positive number, not '%s'\n",
			argv[4]);
		return 2;
	}
	struct db_conf ca = { .socket = argv[1], .user = "root", .name = argv[3], .timeout_s = 5 };
	struct db_conf cb = ca;
	cb.socket = argv[2];
	struct db *a, *b, *a2;
	if (db_library_init() || db_alloc(&a, &ca) || db_alloc(&b, &cb) || db_alloc(&a2, &ca)) {
		fprintf(stderr, "db-galera-check: out of memory\n");
		return 2;
	}
	if (db_exec(a, "DROP TABLE IF EXISTS cc_test_galera, cc_test_galera_log", "") < 0 ||
	    db_exec(a, "CREATE TABLE cc_test_galera (id INT PRIMARY KEY, n INT NOT NULL) "
		       "ENGINE=InnoDB", "") < 0 ||
	    db_exec(a, "CREATE TABLE cc_test_galera_log (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
		       "who VARCHAR(8) NOT NULL, round INT NOT NULL) ENGINE=InnoDB", "") < 0 ||
	    db_exec(a, "INSERT INTO cc_test_galera (id, n) VALUES (1, 0), (2, 0)", "") < 0) {
		printf("not ok - scratch tables made: %s\n", db_error(a));
		return 1;
	}
	check("the scratch rows reach node B",
	      applied(b, "SELECT COUNT(*) FROM cc_test_galera", 2), NULL);

	/* A transaction on A holds row 2; B's write of that row commits
	 * first; A's is aborted by the cluster (brute force), and the next
	 * statement on A says so. Nothing after it may run outside the
	 * transaction, and the commit fails. */
	char got[512];
	int ok = db_begin(a) == 0 &&
		 db_exec(a, "UPDATE cc_test_galera SET n = n + 100 WHERE id = 2", "") == 1;
	check("node A's transaction holds row 2", ok, db_error(a));
	check("node B's write of row 2 commits",
	      db_exec(b, "UPDATE cc_test_galera SET n = n + 1 WHERE id = 2", "") == 1, db_error(b));
	check("node B's write is applied on node A",
	      applied(a2, "SELECT n FROM cc_test_galera WHERE id = 2", 1), NULL);
	long long n = db_exec(a, "INSERT INTO cc_test_galera_log (who, round) VALUES ('lost', 1)", "");
	snprintf(got, sizeof got, "%lld, errno %u: %s", n, db_errno(a), db_error(a));
	check("node A's next statement fails with a conflict (1213)", n < 0 && db_conflict(a), got);
	n = db_exec(a, "INSERT INTO cc_test_galera_log (who, round) VALUES ('lost', 2)", "");
	snprintf(got, sizeof got, "%lld", n);
	check("a statement after the conflict fails too (the transaction is gone)", n < 0, got);
	check("its commit fails", db_commit(a) < 0, NULL);
	db_rollback(a);
	snprintf(got, sizeof got, "%lld", value(a, "SELECT COUNT(*) FROM cc_test_galera_log"));
	check("nothing of the lost transaction was written", !strcmp(got, "0"), got);
	snprintf(got, sizeof got, "%lld", value(a, "SELECT n FROM cc_test_galera WHERE id = 2"));
	check("row 2 is node B's", !strcmp(got, "1"), got);

	/* Two writers, one per node, the same row, ROUNDS times each. */
	struct writer wa = { .db = a, .name = "a", .rounds = rounds };
	struct writer wb = { .db = b, .name = "b", .rounds = rounds };
	pthread_t ta, tb;
	struct db_stats sa0, sb0, sa, sb;
	db_get_stats(a, &sa0);
	db_get_stats(b, &sb0);
	pthread_create(&ta, NULL, writer_main, &wa);
	pthread_create(&tb, NULL, writer_main, &wb);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	db_get_stats(a, &sa);
	db_get_stats(b, &sb);
	unsigned long conflicts = sa.conflicts - sa0.conflicts + sb.conflicts - sb0.conflicts;
	printf("# %d rounds a writer; conflicts lost: %lu (node A %lu, node B %lu); bodies run: "
	       "%lu; rounds db_txn gave up on (%d retries): %d\n", rounds, conflicts,
	       sa.conflicts - sa0.conflicts, sb.conflicts - sb0.conflicts, wa.runs + wb.runs,
	       DB_TXN_RETRIES, wa.gave_up + wb.gave_up);
	snprintf(got, sizeof got, "%d", wa.gave_up + wb.gave_up);
	check("db_txn's retries were enough for nearly every round (fewer than 1 in 20 spent)",
	      (wa.gave_up + wb.gave_up) * 20 < 2 * rounds, got);
	snprintf(got, sizeof got, "%d and %d", wa.done, wb.done);
	check("every round of both writers committed", wa.done == rounds && wb.done == rounds, got);
	snprintf(got, sizeof got, "%lu", conflicts);
	check("the writers met conflicts (made on purpose)", conflicts > 0, got);
	snprintf(got, sizeof got, "%lu runs for %d rounds committed, %lu conflicts",
		 wa.runs + wb.runs, wa.done + wb.done, conflicts);
	check("every conflict ran its round again",
	      wa.runs + wb.runs == (unsigned long)(wa.done + wb.done) + conflicts, got);
	long long want = 2LL * rounds;
	check("the counter reaches both writers' rounds on node A",
	      applied(a2, "SELECT n FROM cc_test_galera WHERE id = 1", want), NULL);
	check("and on node B", applied(b, "SELECT n FROM cc_test_galera WHERE id = 1", want), NULL);
	snprintf(got, sizeof got, "%lld",
		 value(a, "SELECT COUNT(*) FROM (SELECT who, round FROM cc_test_galera_log "
			  "GROUP BY who, round HAVING COUNT(*) <> 1) x"));
	check("no round's log line is doubled", !strcmp(got, "0"), got);
	snprintf(got, sizeof got, "%lld", value(a, "SELECT COUNT(*) FROM cc_test_galera_log"));
	check("every round has its log line", atoll(got) == want, got);

	/* The B2BUA's write queue on node A (B as its fallback), writer b on
	 * node B again. */
	long long before = value(a, "SELECT n FROM cc_test_galera WHERE id = 1");
	su_init();
	char ab[1024];
	snprintf(ab, sizeof ab, "%s %s", argv[1], argv[2]);
	wb.name = "b2";
	queue_part(&ca, &wb, rounds, ab);
	su_deinit();
	want = before + 2LL * rounds;
	check("queue: the counter has every job's and every round's step, on node A",
	      applied(a2, "SELECT n FROM cc_test_galera WHERE id = 1", want), NULL);
	check("queue: and on node B", applied(b, "SELECT n FROM cc_test_galera WHERE id = 1", want),
	      NULL);
	snprintf(got, sizeof got, "%lld",
		 value(a, "SELECT COUNT(*) FROM (SELECT who, round FROM cc_test_galera_log "
			  "GROUP BY who, round HAVING COUNT(*) <> 1) x"));
	check("queue: no job's log line is doubled", !strcmp(got, "0"), got);
	snprintf(got, sizeof got, "%lld",
		 value(a, "SELECT COUNT(*) FROM cc_test_galera_log WHERE who = 'dbq'"));
	check("queue: every job has its log line", atoll(got) == rounds, got);

	db_exec(a, "DROP TABLE IF EXISTS cc_test_galera, cc_test_galera_log", "");
	db_free(a);
	db_free(b);
	db_free(a2);
	db_library_end();
	return failed;
}
