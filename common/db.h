/* MariaDB access with prepared statements only.
 *
 * A struct db is one connection and its statement cache, used by one thread
 * at a time. It connects lazily and reconnects once when the server went away
 * (restart, killed connection), re-preparing its statements; a failure after
 * that is returned to the caller, never retried in a loop.
 *
 * Several servers (a Galera cluster, docs/galera.md): host or socket may
 * list up to DB_MAX_SERVERS, separated by spaces or commas, the preferred
 * first. Each connection goes to the first that answers and, with more
 * than one listed, is ready (wsrep_ready ON and Synced, or a plain server);
 * a server that goes away or stops being ready (ER_UNKNOWN_COM_ERROR 1047)
 * costs the connection, and the next one goes to the next server, with a
 * log line. A statement that loses a conflict (ER_LOCK_DEADLOCK 1213, what
 * Galera answers when another node's transaction won certification)
 * outside a transaction is run again at once, a few times; inside one it
 * breaks the transaction (see db_begin). Values are bound
 * from a format string, one character per '?':
 *   s  const char *   (NULL binds SQL NULL)
 *   i  long long
 *   d  double
 * Rows come back as text (NULL for SQL NULL), whatever the column type. */
#ifndef CC_DB_H
#define CC_DB_H

#include <stdbool.h>
#include <stddef.h>

struct db_conf {
	const char *host;	/* NULL or "" with socket set: use the socket; "h1 h2:3308" */
	unsigned port;		/* of the hosts that name none */
	const char *socket;	/* "/run/a.sock /run/b.sock" */
	const char *user;
	const char *password;
	const char *name;	/* database */
	unsigned timeout_s;	/* connect, read and write timeout; 0 means 5 */
};

struct db;

/* Called once per process before any thread uses the database. */
int db_library_init(void);
void db_library_end(void);

/* Allocates a connection object; does not connect. conf is copied. */
int db_alloc(struct db **dbp, const struct db_conf *conf);
void db_free(struct db *db);
/* The last error, "" if none. */
const char *db_error(const struct db *db);
/* The number of the last error (the server's, e.g. 1213, or the client
 * library's, e.g. 2013 for a lost connection); meaningful after a failure. */
unsigned db_errno(const struct db *db);
/* True when the last failure was a lost conflict (ER_LOCK_DEADLOCK): the
 * transaction was rolled back and was not applied; running it again is safe. */
bool db_conflict(const struct db *db);

/* True when the last db_commit failed with its connection: the answer was
 * lost, and the transaction may have been applied all the same. */
bool db_commit_unknown(const struct db *db);

#define DB_MAX_SERVERS 8
/* How many servers the connection's configuration lists. */
int db_servers(const struct db *db);

struct db_stats {
	unsigned long conflicts;	/* ER_LOCK_DEADLOCK answers seen */
	unsigned long moves;		/* connections made to another server than the last */
	int server;			/* index of the server used last, -1 for none */
};
void db_get_stats(const struct db *db, struct db_stats *st);

/* The most values db_exec and db_query bind (and the most bound without an
 * allocation); db_execa and row sets take up to DB_MAX_VALUES. */
#define DB_MAX_PARAMS 128
#define DB_MAX_VALUES 4096

/* Runs a statement; returns the number of affected rows, or -1. */
long long db_exec(struct db *db, const char *sql, const char *fmt, ...);
/* The same with the values in an array, vals[i] read by fmt[i]: for
 * statements whose number of values varies (multi-row inserts). */
union db_val {
	const char *s;
	long long i;
	double d;
};
long long db_execa(struct db *db, const char *sql, const char *fmt, const union db_val *vals);
/* The id made by the last INSERT into an AUTO_INCREMENT table. */
unsigned long long db_insert_id(const struct db *db);

/* Called for each row; return non-zero to stop early. vals[i] is NULL for
 * SQL NULL; the strings are valid only during the call. */
typedef int (db_row_h)(void *arg, int ncol, char **vals, unsigned long *lens);
/* Runs a query; returns the number of rows passed to rowh, or -1. */
int db_query(struct db *db, const char *sql, db_row_h *rowh, void *arg, const char *fmt, ...);
/* The same with the values in an array, as db_execa (an IN list). */
int db_querya(struct db *db, const char *sql, db_row_h *rowh, void *arg, const char *fmt,
	      const union db_val *vals);
/* Runs a query expected to give at most one row of one column and copies it
 * into out (truncated to outlen). Returns 1 if a row came, 0 if none, -1. */
int db_query_value(struct db *db, char *out, size_t outlen, const char *sql, const char *fmt, ...);

/* Transactions on this connection. A lost connection or a lost conflict
 * inside a transaction is reported, not retried: the transaction is gone
 * with it, and every statement after it fails (nothing runs outside the
 * transaction by mistake) until db_rollback; db_commit fails too. The
 * caller runs the whole transaction again if it wants to (db_conflict). */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);

/* True between db_begin and db_commit or db_rollback. */
bool db_in_txn(const struct db *db);

/* --- A transaction that is run again when it loses a conflict -------------
 * body runs inside a transaction: it returns 0 to commit, a positive value
 * to roll back and have db_txn return that value (the caller's own "no":
 * bad input, not found), or -1 for a database failure. When the body or
 * the commit loses a conflict (db_conflict: the transaction was rolled
 * back whole, nothing of it applied), the body runs again in a new
 * transaction, up to DB_TXN_RETRIES more times, a few milliseconds apart
 * and more each time (about 0.4 s in all at most):
 * so a body must start from scratch each time (whatever it collected in
 * arg on a previous run is stale). Returns 0 when committed, the body's
 * positive value, or -1 (the reason in db_error). */
typedef int (db_txn_h)(struct db *db, void *arg);
#define DB_TXN_RETRIES 8
int db_txn(struct db *db, db_txn_h *body, void *arg);

/* --- Row sets: rows of many jobs in one multi-row statement ----------------
 * A row set is a statement of the form head + row, row, ... + tail (an
 * INSERT, or an INSERT ... ON DUPLICATE KEY UPDATE). Inside a transaction
 * db_rows_add keeps the row (its values copied) and the rows kept go to the
 * server together, DB_MAX_VALUES values per statement at most, when they
 * are flushed: by db_rows_flush, and at the latest by db_commit (a failed
 * flush fails the commit). db_rollback and a lost connection drop them.
 * Outside a transaction a row is written at once, alone.
 *
 * Order: a set's rows are written in the order they were added. Rows of
 * different sets, and other statements run meanwhile, are not ordered
 * against them; a statement that must see rows kept (a conditional UPDATE
 * of the same table and key) flushes them first, by key.
 *
 * Merging: an upsert set may say, per value, how a row combines with the
 * row of the same key still kept (merge, one letter per value of fmt):
 *   'n'  the new row's value (a column the tail sets to VALUES(c))
 *   'k'  the kept row's value (a column the tail leaves alone: the first
 *        write's value stands)
 *   'c'  a string: the new row's value unless NULL, else the kept one (a
 *        column the tail sets to COALESCE(VALUES(c), c)); a number: 'n'
 *   'f'  a string: the kept row's value unless NULL, else the new one (a
 *        column the tail sets to COALESCE(c, VALUES(c))); a number: 'k' 
 * The kept row then becomes the two combined, in its place, and the server
 * gets one row where it would have got two, with the same result as the
 * two run one after the other (tested by db-rows-check). Without merge
 * every row is sent. */
struct db_rowset {
	const char *head;	/* "INSERT INTO t (a, b) VALUES " */
	const char *row;	/* "(?, ?)": one row's placeholders, in fmt's order */
	const char *tail;	/* "" or " ON DUPLICATE KEY UPDATE ..." */
	const char *fmt;	/* one row's value types (see above), e.g. "si" */
	const char *merge;	/* NULL, or one of "nkcf" per value (above) */
};

/* Adds one row of set (or merges it into the kept row of the same key,
 * see merge above); key (may be NULL) names what the row is about, for
 * db_rows_flush and merging. Returns 0 or -1 (the reason in db_error). */
int db_rows_add(struct db *db, const struct db_rowset *set, const char *key,
		const union db_val *vals);
/* Writes the rows kept of set (every set when NULL); with key, only when a
 * row of that key is among them. 0 or -1. */
int db_rows_flush(struct db *db, const struct db_rowset *set, const char *key);
/* Statements the row sets sent since the connection was made, and rows
 * merged into a kept one (for tests and the control socket's ping). */
unsigned long db_rows_statements(const struct db *db);
unsigned long db_rows_merged(const struct db *db);

/* Connects now if not connected; 0 or -1. */
int db_ping(struct db *db);

#endif
