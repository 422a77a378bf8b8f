/* Row sets (common/db.h) against a real MariaDB: what is kept, when it is
 * written, in what order, and what a failure or a rollback leaves. Prints
 * TAP lines ("ok - ..." / "not ok - ..."); exit status 1 when one failed.
 *
 *   db-rows-check SOCKET DATABASE
 *
 * Then db_txn's runs again after a conflict (made by a procedure that raises
 * ER_LOCK_DEADLOCK), and rows merged by key. Works in scratch tables of its
 * own (cc_test_rows, cc_test_merge) and procedure (cc_test_conflict),
 * dropped at the end.
 * Run by tests/integration/t_db_rows.sh against the test stack's MariaDB. */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failed;

static void check(const char *what, int ok, const char *got)
{
	printf("%s - %s%s%s\n", ok ? "ok" : "not ok", what, ok || !got ? "" : ": got ",
	       ok || !got ? "" : got);
	failed |= !ok;
}

/* The table's rows as "k=v k=v ..." by k. */
static int keep(void *arg, int ncol, char **vals, unsigned long *lens)
{
	char *out = arg;
	(void)ncol;
	(void)lens;
	size_t len = strlen(out);
	snprintf(out + len, 4096 - len, "%s%s=%s", len ? " " : "", vals[0], vals[1]);
	return 0;
}

static const char *table(struct db *db)
{
	static char out[4096];
	out[0] = '\0';
	if (db_query(db, "SELECT k, v FROM cc_test_rows ORDER BY k", keep, out, "") < 0)
		snprintf(out, sizeof out, "error: %s", db_error(db));
	return out;
}

static const char *count(struct db *db)
{
	static char out[32];
	if (db_query_value(db, out, sizeof out, "SELECT COUNT(*) FROM cc_test_rows", "") < 0)
		snprintf(out, sizeof out, "error");
	return out;
}

static const struct db_rowset upsert = {
	.head = "INSERT INTO cc_test_rows (k, v) VALUES ",
	.row = "(?, ?)",
	.tail = " ON DUPLICATE KEY UPDATE v = VALUES(v)",
	.fmt = "si",
};

/* A set whose statement the server refuses (no such column). */
static const struct db_rowset broken = {
	.head = "INSERT INTO cc_test_rows (k, nope) VALUES ",
	.row = "(?, ?)",
	.tail = "",
	.fmt = "si",
};

static int add(struct db *db, const struct db_rowset *set, const char *k, long long v)
{
	const union db_val vals[] = { { .s = k }, { .i = v } };
	return db_rows_add(db, set, k, vals);
}

/* db_txn: a body that loses a conflict is run again; one that fails for a
 * reason of its own is not, even right after a conflict lost elsewhere. A
 * conflict is made by a procedure that raises ER_LOCK_DEADLOCK (1213). */
struct txn_run {
	int runs, lose;		/* lose: the first runs that lose a conflict */
};

static int txn_body(struct db *db, void *arg)
{
	struct txn_run *t = arg;
	if (t->runs++ < t->lose)
		return db_exec(db, "CALL cc_test_conflict()", "") < 0 ? -1 : 0;
	return db_exec(db, "INSERT INTO cc_test_rows (k, v) VALUES ('txn', ?)", "i", t->runs) < 0 ? -1
													: 0;
}

static int txn_fails(struct db *db, void *arg)
{
	(void)db;
	((struct txn_run *)arg)->runs++;
	return -1;
}

static void txn_checks(struct db *db, struct db *other)
{
	if (db_exec(db, "DROP PROCEDURE IF EXISTS cc_test_conflict", "") < 0 ||
	    db_exec(db, "CREATE PROCEDURE cc_test_conflict() SIGNAL SQLSTATE '40001' "
			"SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'a conflict made on purpose'", "") < 0) {
		check("the conflict procedure is made", 0, db_error(db));
		return;
	}
	db_exec(db, "DELETE FROM cc_test_rows", "");
	struct txn_run t = { .lose = 2 };
	int rc = db_txn(db, txn_body, &t);
	check("db_txn: a body that loses a conflict twice commits at its third run",
	      rc == 0 && t.runs == 3, db_error(db));
	check("... and what it wrote lands once, from that run", !strcmp(table(other), "txn=3"),
	      table(other));

	db_begin(db);
	db_exec(db, "CALL cc_test_conflict()", "");
	check("a statement's lost conflict is seen (db_conflict)", db_conflict(db), db_error(db));
	db_rollback(db);
	t = (struct txn_run){ 0 };
	rc = db_txn(db, txn_fails, &t);
	check("db_txn: a body failing on its own after that is run once, not again",
	      rc == -1 && t.runs == 1, NULL);
}

/* Merging (db.h): the rows of one key in a transaction, merged, leave
 * the table as the same rows sent one by one do. Scratch table
 * cc_test_merge: a is written once (the tail leaves it), b is the last
 * write's, c the last non-NULL one, f the first non-NULL one. */
#define MERGE_TAIL                                                                       \
	" ON DUPLICATE KEY UPDATE b = VALUES(b), c = COALESCE(VALUES(c), c), "              \
	"f = COALESCE(f, VALUES(f))"
static const struct db_rowset merged = {
	.head = "INSERT INTO cc_test_merge (k, a, b, c, f) VALUES ",
	.row = "(?, ?, ?, ?, ?)",
	.tail = MERGE_TAIL,
	.fmt = "ssiss",
	.merge = "kkncf",
};
static const struct db_rowset unmerged = {
	.head = "INSERT INTO cc_test_merge (k, a, b, c, f) VALUES ",
	.row = "(?, ?, ?, ?, ?)",
	.tail = MERGE_TAIL,
	.fmt = "ssiss",
};

static int keep_merge(void *arg, int ncol, char **vals, unsigned long *lens)
{
	char *out = arg;
	(void)ncol;
	(void)lens;
	size_t len = strlen(out);
	snprintf(out + len, 4096 - len, "%s%s", len ? " " : "", vals[0]);
	return 0;
}

/* The rows of keys starting with prefix, the key's prefix left out. */
static const char *merge_table(struct db *db, const char *prefix)
{
	static char out[4096];
	out[0] = '\0';
	if (db_query(db, "SELECT CONCAT(SUBSTRING(k, 2), ':', a, ',', b, ',', "
			 "COALESCE(c, '-'), ',', COALESCE(f, '-')) FROM cc_test_merge "
			 "WHERE k LIKE CONCAT(?, '%') ORDER BY k", keep_merge, out, "s", prefix) < 0)
		snprintf(out, sizeof out, "error: %s", db_error(db));
	return out;
}

static int add5(struct db *db, const struct db_rowset *set, const char *k, const char *a,
		long long b, const char *c, const char *f)
{
	const union db_val v[] = { { .s = k }, { .s = a }, { .i = b }, { .s = c }, { .s = f } };
	return db_rows_add(db, set, k, v);
}

/* The same writes through one set: x (new), y (there before), z (two
 * keys interleaved with x). */
static int merge_writes(struct db *db, const struct db_rowset *set, char p)
{
	char x[4] = { p, 'x' }, y[4] = { p, 'y' }, z[4] = { p, 'z' };
	return add5(db, set, x, "a1", 1, "c1", NULL) | add5(db, set, y, "a1", 1, NULL, NULL) |
	       add5(db, set, x, "a2", 2, NULL, "f2") | add5(db, set, z, "a1", 7, NULL, "f1") |
	       add5(db, set, y, "a2", 2, "c2", "f2") | add5(db, set, x, "a3", 3, "c3", "f3") |
	       add5(db, set, z, "a2", 8, "c2", NULL);
}

static void merge_checks(struct db *db, struct db *other)
{
	if (db_exec(db, "DROP TABLE IF EXISTS cc_test_merge", "") < 0 ||
	    db_exec(db, "CREATE TABLE cc_test_merge (k VARCHAR(16) PRIMARY KEY, a VARCHAR(16), "
			"b BIGINT, c VARCHAR(16), f VARCHAR(16)) ENGINE=InnoDB", "") < 0 ||
	    db_exec(db, "INSERT INTO cc_test_merge VALUES ('my', 'a0', 0, NULL, NULL), "
			"('uy', 'a0', 0, NULL, NULL)", "") < 0) {
		check("the merge table is made", 0, db_error(db));
		return;
	}
	unsigned long m0 = db_rows_merged(db), s0 = db_rows_statements(db);
	db_begin(db);
	int rc = merge_writes(db, &unmerged, 'u');
	check("seven rows without merging commit", rc == 0 && db_commit(db) == 0, db_error(db));
	check("... and nothing was merged", db_rows_merged(db) == m0, NULL);
	db_begin(db);
	rc = merge_writes(db, &merged, 'm');
	check("the same seven rows merged commit", rc == 0 && db_commit(db) == 0, db_error(db));
	check("... as three rows: four were merged", db_rows_merged(db) == m0 + 4, NULL);
	check("... in one statement each", db_rows_statements(db) == s0 + 2, NULL);
	char u[4096];
	snprintf(u, sizeof u, "%s", merge_table(other, "u"));
	check("the rows merged leave the table as the rows one by one do",
	      !strcmp(merge_table(other, "m"), u), merge_table(other, "m"));
	check("... which is: a kept from the first write, b the last, c the last set, f the "
	      "first set", !strcmp(u, "x:a1,3,c3,f2 y:a0,2,c2,f2 z:a1,8,c2,f1"), u);
	/* Outside a transaction every row goes at once: nothing to merge. */
	m0 = db_rows_merged(db);
	add5(db, &merged, "mx", "a9", 9, NULL, NULL);
	check("outside a transaction a row is not merged, written at once",
	      db_rows_merged(db) == m0 && !strncmp(merge_table(other, "mx"), "x:a1,9,c3,f2", 12),
	      merge_table(other, "mx"));
	db_exec(db, "DROP TABLE cc_test_merge", "");
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: db-rows-check SOCKET DATABASE\n");
		return 2;
	}
	struct db_conf conf = { .socket = argv[1], .user = "root", .name = argv[2], .timeout_s = 5 };
	struct db *db, *other;
	if (db_library_init() || db_alloc(&db, &conf) || db_alloc(&other, &conf))
		return 2;
	if (db_exec(db, "DROP TABLE IF EXISTS cc_test_rows", "") < 0 ||
	    db_exec(db, "CREATE TABLE cc_test_rows (k VARCHAR(16) PRIMARY KEY, v BIGINT NOT NULL) "
			"ENGINE=InnoDB", "") < 0) {
		printf("not ok - the scratch table is made: %s\n", db_error(db));
		return 1;
	}

	/* Outside a transaction a row is written at once. */
	unsigned long before = db_rows_statements(db);
	check("outside a transaction a row is written at once", add(db, &upsert, "a", 1) == 0 &&
	      !strcmp(table(other), "a=1"), table(other));
	check("as a statement of its own", db_rows_statements(db) == before + 1, NULL);

	/* Inside one: kept until the commit, in order, one statement. */
	db_begin(db);
	before = db_rows_statements(db);
	int rc = add(db, &upsert, "b", 1) | add(db, &upsert, "c", 1) | add(db, &upsert, "b", 2) |
		 add(db, &upsert, "a", 5);
	check("rows added in a transaction are kept", rc == 0 && db_rows_statements(db) == before,
	      NULL);
	check("the server has not seen them yet", !strcmp(table(db), "a=1"), table(db));
	check("the commit writes them", db_commit(db) == 0, db_error(db));
	check("in order: a key's last row wins", !strcmp(table(other), "a=5 b=2 c=1"), table(other));
	check("as one statement", db_rows_statements(db) == before + 1, NULL);

	/* A flush by key writes only when that key is kept. */
	db_begin(db);
	before = db_rows_statements(db);
	add(db, &upsert, "d", 1);
	db_rows_flush(db, &upsert, "zz");
	check("a flush for a key not kept writes nothing", db_rows_statements(db) == before &&
	      !strcmp(table(db), "a=5 b=2 c=1"), table(db));
	db_rows_flush(db, &upsert, "d");
	check("a flush for a kept key writes the set (seen inside the transaction)",
	      db_rows_statements(db) == before + 1 && !strcmp(table(db), "a=5 b=2 c=1 d=1"),
	      table(db));
	check("and not outside it before the commit", !strcmp(table(other), "a=5 b=2 c=1"),
	      table(other));
	db_commit(db);
	check("the commit keeps it", !strcmp(table(other), "a=5 b=2 c=1 d=1"), table(other));

	/* A rollback drops what was kept. */
	db_begin(db);
	add(db, &upsert, "e", 1);
	add(db, &upsert, "a", 9);
	db_rollback(db);
	db_begin(db);
	db_commit(db);
	check("a rollback drops the rows kept (a later commit does not write them)",
	      !strcmp(table(other), "a=5 b=2 c=1 d=1"), table(other));

	/* A statement the server refuses fails the commit; nothing of the
	 * transaction lands, and the rows kept are gone after the rollback. */
	db_begin(db);
	add(db, &upsert, "f", 1);
	add(db, &broken, "g", 1);
	rc = db_commit(db);
	check("a row set the server refuses fails the commit", rc != 0, NULL);
	printf("# %s\n", db_error(db));
	db_rollback(db);
	check("and nothing of the transaction lands", !strcmp(table(other), "a=5 b=2 c=1 d=1"),
	      table(other));
	db_begin(db);
	db_commit(db);
	check("a commit after the rollback writes nothing left over",
	      !strcmp(table(other), "a=5 b=2 c=1 d=1"), table(other));

	/* More values than one statement binds: several statements. */
	db_exec(db, "DELETE FROM cc_test_rows", "");
	db_begin(db);
	before = db_rows_statements(db);
	const int many = DB_MAX_VALUES;	/* rows of two values: two statements */
	for (int i = 0; i < many; i++) {
		char k[16];
		snprintf(k, sizeof k, "k%05d", i);
		add(db, &upsert, k, i);
	}
	check("a big set commits", db_commit(db) == 0, db_error(db));
	char want[16];
	snprintf(want, sizeof want, "%d", many);
	check("every row of it lands", !strcmp(count(other), want), count(other));
	check("in two statements (DB_MAX_VALUES values each)", db_rows_statements(db) == before + 2,
	      NULL);

	txn_checks(db, other);
	merge_checks(db, other);

	db_exec(db, "DROP TABLE cc_test_rows", "");
	db_exec(db, "DROP PROCEDURE IF EXISTS cc_test_conflict", "");
	db_free(db);
	db_free(other);
	db_library_end();
	return failed;
}
