/* MariaDB access: see db.h. */
#include "db.h"

#include "hash.h"
#include "log.h"

#include <errno.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <errmsg.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define STMT_BUCKETS 64

struct stmt {
	struct stmt *next;
	char *sql;
	MYSQL_STMT *st;
};

struct rows;	/* below: row sets */

/* One server of the list (db_conf's host or socket, see db.h). */
struct server {
	char *host;		/* NULL: the socket */
	unsigned port;
	char *socket;
};

struct db {
	struct db_conf conf;
	char *strs[5];		/* owned copies of conf's strings */
	struct server servers[DB_MAX_SERVERS];
	int nservers;
	int used;		/* the server of the connection (or of the last one), -1: none yet */
	MYSQL *my;
	bool in_txn;
	bool broken;		/* the transaction is gone (connection lost, conflict): every
				 * statement fails until db_rollback */
	unsigned err_no;	/* the server's or the client library's number of err */
	bool commit_unknown;	/* the last commit failed with its connection */
	unsigned long conflicts, moves;
	unsigned long long insert_id;
	struct stmt *cache[STMT_BUCKETS];
	struct rows *rows;	/* the row sets used, in first-use order */
	unsigned long rows_statements;
	unsigned long rows_merged;
	char err[512];
};

static void rows_drop(struct db *db);
static void rows_free(struct db *db);

int db_library_init(void)
{
	return mysql_library_init(0, NULL, NULL) ? EIO : 0;
}

void db_library_end(void)
{
	mysql_library_end();
}

static char *dupz(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The servers of conf: the words of host (each "name" or "name:port"),
 * or else those of socket; words are separated by spaces or commas. */
static int parse_servers(struct db *db)
{
	bool tcp = db->conf.host && db->conf.host[strspn(db->conf.host, " ,")];
	const char *list = tcp ? db->conf.host : db->conf.socket;
	const char *p = list ? list : "";
	while (db->nservers < DB_MAX_SERVERS) {
		p += strspn(p, " ,");
		size_t n = strcspn(p, " ,");
		if (!n)
			break;
		struct server *sv = &db->servers[db->nservers];
		char *w = strndup(p, n);
		if (!w)
			return -1;
		p += n;
		db->nservers++;
		if (!tcp) {
			sv->socket = w;
			continue;
		}
		sv->host = w;
		sv->port = db->conf.port;
		char *colon = strrchr(w, ':');
		if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
			*colon = '\0';
			sv->port = (unsigned)strtoul(colon + 1, NULL, 10);
		}
	}
	if (!db->nservers)
		db->nservers = 1;	/* the client library's default socket */
	return 0;
}

int db_alloc(struct db **dbp, const struct db_conf *conf)
{
	if (!dbp || !conf)
		return EINVAL;
	struct db *db = calloc(1, sizeof *db);
	if (!db)
		return ENOMEM;
	db->conf = *conf;
	db->conf.host = db->strs[0] = dupz(conf->host);
	db->conf.socket = db->strs[1] = dupz(conf->socket);
	db->conf.user = db->strs[2] = dupz(conf->user);
	db->conf.password = db->strs[3] = dupz(conf->password);
	db->conf.name = db->strs[4] = dupz(conf->name);
	if (!db->conf.timeout_s)
		db->conf.timeout_s = 5;
	db->used = -1;
	if (parse_servers(db)) {
		db_free(db);
		return ENOMEM;
	}
	*dbp = db;
	return 0;
}

static void drop_statements(struct db *db)
{
	for (int i = 0; i < STMT_BUCKETS; i++) {
		struct stmt *s = db->cache[i];
		while (s) {
			struct stmt *next = s->next;
			mysql_stmt_close(s->st);
			free(s->sql);
			free(s);
			s = next;
		}
		db->cache[i] = NULL;
	}
}

/* A transaction dies with its connection: it stays open on this side,
 * broken, so that nothing runs outside it (in autocommit) until the
 * caller's db_rollback. */
static void disconnect(struct db *db)
{
	rows_drop(db);
	drop_statements(db);
	if (db->my)
		mysql_close(db->my);
	db->my = NULL;
	if (db->in_txn)
		db->broken = true;
}

void db_free(struct db *db)
{
	if (!db)
		return;
	disconnect(db);
	rows_free(db);
	for (int i = 0; i < 5; i++)
		free(db->strs[i]);
	for (int i = 0; i < DB_MAX_SERVERS; i++) {
		free(db->servers[i].host);
		free(db->servers[i].socket);
	}
	free(db);
}

const char *db_error(const struct db *db)
{
	return db->err;
}

unsigned long long db_insert_id(const struct db *db)
{
	return db->insert_id;
}

unsigned db_errno(const struct db *db)
{
	return db->err_no;
}

bool db_conflict(const struct db *db)
{
	return db->err_no == ER_LOCK_DEADLOCK;
}

bool db_commit_unknown(const struct db *db)
{
	return db->commit_unknown;
}

int db_servers(const struct db *db)
{
	return db->nservers;
}

void db_get_stats(const struct db *db, struct db_stats *st)
{
	st->conflicts = db->conflicts;
	st->moves = db->moves;
	st->server = db->used;
}

static const char *server_name(const struct db *db, int i)
{
	const struct server *sv = &db->servers[i];
	return sv->host ? sv->host : sv->socket ? sv->socket : "(default socket)";
}

/* NULL when the server of my takes work: a plain server, or a Galera node
 * that is in the primary component (wsrep_ready) and Synced (or a donor,
 * which serves as usual). Otherwise why not. */
static const char *not_ready(MYSQL *my, char *why, size_t len)
{
	static const char q[] = "SHOW GLOBAL STATUS WHERE Variable_name IN "
				"('wsrep_ready', 'wsrep_local_state_comment')";
	if (mysql_real_query(my, q, sizeof q - 1)) {
		snprintf(why, len, "%s", mysql_error(my));
		return why;
	}
	MYSQL_RES *res = mysql_store_result(my);
	if (!res) {
		snprintf(why, len, "%s", mysql_error(my));
		return why;
	}
	const char *bad = NULL;
	MYSQL_ROW row;
	while (!bad && (row = mysql_fetch_row(res))) {
		if (!row[0] || !row[1])
			continue;
		if (!strcasecmp(row[0], "wsrep_ready") && strcasecmp(row[1], "ON"))
			bad = "wsrep_ready is OFF";
		else if (!strcasecmp(row[0], "wsrep_local_state_comment") &&
			 strcmp(row[1], "Synced") && strcmp(row[1], "Donor/Desynced")) {
			snprintf(why, len, "node is %s, not Synced", row[1]);
			bad = why;
		}
	}
	mysql_free_result(res);
	return bad;
}

/* Connects to the first server of the list that answers and is ready
 * (with one server: the one that answers). The first is always tried
 * first, so a client comes back to its own node at the first reconnection
 * after the node is back. */
static int connect_now(struct db *db)
{
	if (db->my)
		return 0;
	char why[256] = "";
	for (int i = 0; i < db->nservers; i++) {
		MYSQL *my = mysql_init(NULL);
		if (!my) {
			snprintf(db->err, sizeof db->err, "out of memory");
			return -1;
		}
		unsigned t = db->conf.timeout_s;
		mysql_options(my, MYSQL_OPT_CONNECT_TIMEOUT, &t);
		mysql_options(my, MYSQL_OPT_READ_TIMEOUT, &t);
		mysql_options(my, MYSQL_OPT_WRITE_TIMEOUT, &t);
		mysql_options(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
		const struct server *sv = &db->servers[i];
		if (!mysql_real_connect(my, sv->host, db->conf.user, db->conf.password,
					db->conf.name, sv->port, sv->host ? NULL : sv->socket, 0)) {
			db->err_no = mysql_errno(my);
			snprintf(why, sizeof why, "%s", mysql_error(my));
			mysql_close(my);
			continue;
		}
		const char *bad = db->nservers > 1 ? not_ready(my, why, sizeof why) : NULL;
		if (bad) {
			if (bad != why)
				snprintf(why, sizeof why, "%s", bad);
			db->err_no = ER_UNKNOWN_COM_ERROR;
			mysql_close(my);
			continue;
		}
		if (db->used != i && (db->used >= 0 || i > 0)) {
			db->moves++;
			log_warn("database: now on %s (server %d of %d), was on %s%s%s",
				 server_name(db, i), i + 1, db->nservers,
				 db->used >= 0 ? server_name(db, db->used) : "none yet",
				 why[0] ? "; the one before: " : "", why);
		}
		db->used = i;
		db->my = my;
		return 0;
	}
	snprintf(db->err, sizeof db->err, "database unavailable: %s", why);
	return -1;
}

int db_ping(struct db *db)
{
	if (connect_now(db))
		return -1;
	if (mysql_ping(db->my)) {
		disconnect(db);
		return connect_now(db);
	}
	return 0;
}

static MYSQL_STMT *prepare(struct db *db, const char *sql, unsigned *errp)
{
	unsigned b = hash_fnv1a(sql) % STMT_BUCKETS;
	for (struct stmt *s = db->cache[b]; s; s = s->next)
		if (!strcmp(s->sql, sql))
			return s->st;
	MYSQL_STMT *st = mysql_stmt_init(db->my);
	if (!st) {
		snprintf(db->err, sizeof db->err, "out of memory");
		*errp = 0;
		return NULL;
	}
	if (mysql_stmt_prepare(st, sql, strlen(sql))) {
		snprintf(db->err, sizeof db->err, "prepare: %s", mysql_stmt_error(st));
		*errp = mysql_stmt_errno(st);
		mysql_stmt_close(st);
		return NULL;
	}
	my_bool one = 1;
	mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &one);
	struct stmt *s = calloc(1, sizeof *s);
	if (!s || !(s->sql = strdup(sql))) {
		free(s);
		mysql_stmt_close(st);
		snprintf(db->err, sizeof db->err, "out of memory");
		return NULL;
	}
	s->st = st;
	s->next = db->cache[b];
	db->cache[b] = s;
	return st;
}

/* Parameters bound for one statement run: on the stack up to
 * DB_MAX_PARAMS values, on the heap beyond (multi-row statements). */
struct param_slot {
	long long i;
	double d;
	unsigned long len;
	my_bool null;
};

struct params {
	MYSQL_BIND *bind;
	struct param_slot *slot;
	MYSQL_BIND sbind[DB_MAX_PARAMS];
	struct param_slot sslot[DB_MAX_PARAMS];
	int n;
};

static void params_done(struct params *p)
{
	if (p->bind != p->sbind) {
		free(p->bind);
		free(p->slot);
	}
}

/* Binds the values of vals by fmt (see db.h); params_done() afterwards,
 * whatever the result. */
static int bind_values(struct db *db, struct params *p, const char *fmt, const union db_val *vals)
{
	size_t n = strlen(fmt ? fmt : "");
	p->bind = p->sbind;
	p->slot = p->sslot;
	p->n = 0;
	if (n > DB_MAX_VALUES) {
		snprintf(db->err, sizeof db->err, "too many parameters");
		return -1;
	}
	if (n > DB_MAX_PARAMS) {
		p->bind = calloc(n, sizeof *p->bind);
		p->slot = calloc(n, sizeof *p->slot);
		if (!p->bind || !p->slot) {
			free(p->bind);
			free(p->slot);
			p->bind = p->sbind;
			p->slot = p->sslot;
			snprintf(db->err, sizeof db->err, "out of memory");
			return -1;
		}
	} else {
		/* Only what this statement uses: the struct is large. */
		memset(p->bind, 0, n * sizeof *p->bind);
		memset(p->slot, 0, n * sizeof *p->slot);
	}
	for (size_t i = 0; i < n; i++) {
		MYSQL_BIND *b = &p->bind[i];
		struct param_slot *v = &p->slot[i];
		switch (fmt[i]) {
		case 's':
			b->buffer_type = MYSQL_TYPE_STRING;
			if (vals[i].s) {
				b->buffer = (void *)vals[i].s;
				v->len = strlen(vals[i].s);
				b->length = &v->len;
			} else {
				v->null = 1;
				b->is_null = &v->null;
			}
			break;
		case 'i':
			v->i = vals[i].i;
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &v->i;
			break;
		case 'd':
			v->d = vals[i].d;
			b->buffer_type = MYSQL_TYPE_DOUBLE;
			b->buffer = &v->d;
			break;
		default:
			snprintf(db->err, sizeof db->err, "bad parameter format '%c'", fmt[i]);
			return -1;
		}
		p->n++;
	}
	return 0;
}

/* Collects variadic values into vals by fmt; -1 for too many or a bad type. */
static int collect(struct db *db, union db_val *vals, const char *fmt, va_list ap)
{
	size_t n = strlen(fmt ? fmt : "");
	if (n > DB_MAX_PARAMS) {
		snprintf(db->err, sizeof db->err, "too many parameters");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		switch (fmt[i]) {
		case 's': vals[i].s = va_arg(ap, const char *); break;
		case 'i': vals[i].i = va_arg(ap, long long); break;
		case 'd': vals[i].d = va_arg(ap, double); break;
		default:
			snprintf(db->err, sizeof db->err, "bad parameter format '%c'", fmt[i]);
			return -1;
		}
	}
	return 0;
}

/* The connection is of no more use: lost, or its Galera node left the
 * primary component (ER_UNKNOWN_COM_ERROR, "WSREP has not yet prepared
 * node for application use"), so the next connection goes to another. */
static bool connection_lost(unsigned e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST || e == ER_CONNECTION_KILLED ||
	       e == CR_CONNECTION_ERROR || e == CR_CONN_HOST_ERROR ||
	       e == ER_SERVER_SHUTDOWN || e == CR_COMMANDS_OUT_OF_SYNC ||
	       e == ER_UNKNOWN_COM_ERROR;
}

/* A statement that lost a conflict outside a transaction was rolled back
 * alone: it is run again, this many times at most. */
#define STATEMENT_CONFLICT_RETRIES 3

/* Prepares, binds and executes; on a lost connection outside a transaction,
 * reconnects (to the next server if need be) and tries once more; a
 * conflict outside a transaction is tried again at once. Inside a
 * transaction either breaks it (db->broken). Returns the statement or NULL. */
static MYSQL_STMT *run(struct db *db, const char *sql, struct params *p)
{
	if (db->broken) {
		/* db->err and err_no still say why. */
		return NULL;
	}
	int lost = 0, conflicts = 0;
	for (;;) {
		if (connect_now(db))
			return NULL;
		unsigned e = 0;
		MYSQL_STMT *st = prepare(db, sql, &e);
		if (st) {
			if (mysql_stmt_param_count(st) != (unsigned long)p->n) {
				snprintf(db->err, sizeof db->err,
					 "statement wants %lu parameters, %d given",
					 mysql_stmt_param_count(st), p->n);
				return NULL;
			}
			if (!mysql_stmt_bind_param(st, p->bind) && !mysql_stmt_execute(st)) {
				db->insert_id = mysql_stmt_insert_id(st);
				return st;
			}
			e = mysql_stmt_errno(st);
			snprintf(db->err, sizeof db->err, "%s", mysql_stmt_error(st));
		}
		db->err_no = e;
		if (e == ER_LOCK_DEADLOCK) {
			db->conflicts++;
			if (db->in_txn) {
				/* The server rolled the whole transaction back. */
				db->broken = true;
				return NULL;
			}
			if (conflicts++ < STATEMENT_CONFLICT_RETRIES)
				continue;
			return NULL;
		}
		if (!connection_lost(e))
			return NULL;
		disconnect(db);
		if (db->in_txn || lost++)
			return NULL;
	}
}

long long db_exec(struct db *db, const char *sql, const char *fmt, ...)
{
	union db_val vals[DB_MAX_PARAMS];
	va_list ap;
	va_start(ap, fmt);
	int rc = collect(db, vals, fmt, ap);
	va_end(ap);
	if (rc)
		return -1;
	return db_execa(db, sql, fmt, vals);
}

long long db_execa(struct db *db, const char *sql, const char *fmt, const union db_val *vals)
{
	struct params p;
	MYSQL_STMT *st = bind_values(db, &p, fmt, vals) ? NULL : run(db, sql, &p);
	params_done(&p);
	if (!st)
		return -1;
	long long n = (long long)mysql_stmt_affected_rows(st);
	mysql_stmt_free_result(st);
	return n < 0 ? 0 : n;
}

/* A result that failed while its rows came: a locking read (FOR UPDATE,
 * LOCK IN SHARE MODE) may lose its conflict there rather than at execute,
 * and counts as run() counts it: inside a transaction the server rolled
 * the transaction back, so it is broken. */
static void fetch_failed(struct db *db, MYSQL_STMT *st)
{
	snprintf(db->err, sizeof db->err, "%s", mysql_stmt_error(st));
	db->err_no = mysql_stmt_errno(st);
	if (db->err_no == ER_LOCK_DEADLOCK) {
		db->conflicts++;
		if (db->in_txn)
			db->broken = true;
	}
}

static int fetch_rows(struct db *db, MYSQL_STMT *st, db_row_h *rowh, void *arg)
{
	if (mysql_stmt_store_result(st)) {
		fetch_failed(db, st);
		return -1;
	}
	MYSQL_RES *meta = mysql_stmt_result_metadata(st);
	if (!meta) {
		mysql_stmt_free_result(st);
		return 0;
	}
	int ncol = (int)mysql_num_fields(meta);
	MYSQL_FIELD *fields = mysql_fetch_fields(meta);
	MYSQL_BIND *bind = calloc(ncol, sizeof *bind);
	char **vals = calloc(ncol, sizeof *vals);
	char **bufs = calloc(ncol, sizeof *bufs);
	unsigned long *lens = calloc(ncol, sizeof *lens);
	my_bool *nulls = calloc(ncol, sizeof *nulls);
	int rows = -1;
	if (!bind || !vals || !bufs || !lens || !nulls) {
		snprintf(db->err, sizeof db->err, "out of memory");
		goto out;
	}
	for (int i = 0; i < ncol; i++) {
		/* Numbers and dates have no max_length of their text; 64 covers them. */
		unsigned long size = fields[i].max_length + 1;
		if (size < 64)
			size = 64;
		if (!(bufs[i] = malloc(size))) {
			snprintf(db->err, sizeof db->err, "out of memory");
			goto out;
		}
		bind[i].buffer_type = MYSQL_TYPE_STRING;
		bind[i].buffer = bufs[i];
		bind[i].buffer_length = size;
		bind[i].length = &lens[i];
		bind[i].is_null = &nulls[i];
	}
	if (mysql_stmt_bind_result(st, bind)) {
		snprintf(db->err, sizeof db->err, "%s", mysql_stmt_error(st));
		goto out;
	}
	rows = 0;
	for (;;) {
		int r = mysql_stmt_fetch(st);
		if (r == MYSQL_NO_DATA)
			break;
		if (r == 1) {
			fetch_failed(db, st);
			rows = -1;
			break;
		}
		for (int i = 0; i < ncol; i++) {
			if (nulls[i]) {
				vals[i] = NULL;
				continue;
			}
			unsigned long l = lens[i] < bind[i].buffer_length ? lens[i]
									 : bind[i].buffer_length - 1;
			bufs[i][l] = '\0';
			lens[i] = l;
			vals[i] = bufs[i];
		}
		rows++;
		if (rowh && rowh(arg, ncol, vals, lens))
			break;
	}
out:
	if (bufs)
		for (int i = 0; i < ncol; i++)
			free(bufs[i]);
	free(bufs);
	free(bind);
	free(vals);
	free(lens);
	free(nulls);
	mysql_free_result(meta);
	mysql_stmt_free_result(st);
	return rows;
}

int db_querya(struct db *db, const char *sql, db_row_h *rowh, void *arg, const char *fmt,
	      const union db_val *vals)
{
	struct params p;
	MYSQL_STMT *st = bind_values(db, &p, fmt, vals) ? NULL : run(db, sql, &p);
	params_done(&p);
	if (!st)
		return -1;
	return fetch_rows(db, st, rowh, arg);
}

static int vquery(struct db *db, const char *sql, db_row_h *rowh, void *arg, const char *fmt,
		  va_list ap)
{
	union db_val vals[DB_MAX_PARAMS];
	if (collect(db, vals, fmt, ap))
		return -1;
	return db_querya(db, sql, rowh, arg, fmt, vals);
}

int db_query(struct db *db, const char *sql, db_row_h *rowh, void *arg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vquery(db, sql, rowh, arg, fmt, ap);
	va_end(ap);
	return rc;
}

struct value_out {
	char *out;
	size_t len;
};

static int copy_value(void *arg, int ncol, char **vals, unsigned long *lens)
{
	struct value_out *v = arg;
	(void)lens;
	if (v->len) {
		snprintf(v->out, v->len, "%s", ncol > 0 && vals[0] ? vals[0] : "");
	}
	return 1;
}

int db_query_value(struct db *db, char *out, size_t outlen, const char *sql, const char *fmt, ...)
{
	struct value_out v = { out, outlen };
	if (outlen)
		out[0] = '\0';
	va_list ap;
	va_start(ap, fmt);
	int rc = vquery(db, sql, copy_value, &v, fmt, ap);
	va_end(ap);
	return rc < 0 ? -1 : rc > 0;
}

/* START TRANSACTION, not autocommit off and on again: one round trip to
 * begin and one to end instead of three. */
int db_begin(struct db *db)
{
	static const char begin[] = "START TRANSACTION";
	db->in_txn = db->broken = db->commit_unknown = false;
	/* A conflict is this transaction's or none: one lost by an earlier
	 * statement must not have db_txn run a body again that failed for a
	 * reason of its own. */
	db->err_no = 0;
	if (connect_now(db))
		return -1;
	if (mysql_real_query(db->my, begin, sizeof begin - 1)) {
		snprintf(db->err, sizeof db->err, "%s", mysql_error(db->my));
		db->err_no = mysql_errno(db->my);
		if (!connection_lost(db->err_no))
			return -1;
		disconnect(db);
		if (connect_now(db) || mysql_real_query(db->my, begin, sizeof begin - 1)) {
			if (db->my) {
				snprintf(db->err, sizeof db->err, "%s", mysql_error(db->my));
				db->err_no = mysql_errno(db->my);
			}
			return -1;
		}
	}
	db->in_txn = true;
	return 0;
}

/* A commit that fails with a lost connection may have been applied all the
 * same (the answer was lost, not the transaction): the caller learns it
 * from db_errno. One that fails with a conflict (ER_LOCK_DEADLOCK) was
 * not applied. */
static int end_txn(struct db *db, bool commit)
{
	bool broken = db->broken;
	db->in_txn = db->broken = false;
	if (!db->my)
		return -1;
	if (broken) {
		/* Already rolled back by the server; this makes sure of it. The
		 * statement that broke the transaction set err and err_no. */
		mysql_rollback(db->my);
		return commit ? -1 : 0;
	}
	int rc = commit ? mysql_commit(db->my) : mysql_rollback(db->my);
	if (rc) {
		snprintf(db->err, sizeof db->err, "%s", mysql_error(db->my));
		db->err_no = mysql_errno(db->my);
		if (db->err_no == ER_LOCK_DEADLOCK)
			db->conflicts++;
		if (connection_lost(db->err_no)) {
			db->commit_unknown = commit;
			disconnect(db);
		}
		return -1;
	}
	return 0;
}

int db_commit(struct db *db)
{
	/* The rows kept for multi-row statements go first: a failure there
	 * fails the commit, and the caller rolls back. */
	if (db_rows_flush(db, NULL, NULL))
		return -1;
	return end_txn(db, true);
}

int db_rollback(struct db *db)
{
	rows_drop(db);
	return end_txn(db, false);
}

bool db_in_txn(const struct db *db)
{
	return db->in_txn;
}

int db_txn(struct db *db, db_txn_h *body, void *arg)
{
	for (int attempt = 0;; attempt++) {
		if (db_begin(db))
			return -1;
		int rc = body(db, arg);
		if (rc == 0 && db_commit(db) == 0)
			return 0;
		bool conflict = rc <= 0 && db_conflict(db);
		char why[sizeof db->err];
		memcpy(why, db->err, sizeof why);
		db_rollback(db);
		/* The reason is the failure's, not the rollback's. */
		memcpy(db->err, why, sizeof why);
		if (rc > 0)
			return rc;
		if (!conflict || attempt == DB_TXN_RETRIES)
			return -1;
		log_info("database transaction lost a conflict, run again (%d of %d): %s",
			 attempt + 1, DB_TXN_RETRIES, why);
		/* The winner has committed by now; a little jitter keeps two
		 * losers from meeting again. */
		struct timespec ts = { 0, (long)(1 + 2 * attempt * attempt + rand() % 5) * 1000000 };
		nanosleep(&ts, NULL);
	}
}

/* --- Row sets ----------------------------------------------------------------
 * Each set used on this connection has a struct rows: the rows kept, their
 * values with strings as offsets into one text buffer (so the buffer may
 * grow), and each row's key. */
struct rows {
	struct rows *next;
	const struct db_rowset *set;
	size_t per;		/* values per row */
	size_t n, cap;		/* rows kept */
	union db_val *vals;	/* cap * per; a string is its offset + 1 in text, 0 for NULL */
	size_t *keys;		/* cap; the same for the key */
	char *text;
	size_t text_len, text_cap;
};

static void rows_drop(struct db *db)
{
	for (struct rows *r = db->rows; r; r = r->next) {
		r->n = 0;
		r->text_len = 0;
	}
}

static void rows_free(struct db *db)
{
	while (db->rows) {
		struct rows *r = db->rows;
		db->rows = r->next;
		free(r->vals);
		free(r->keys);
		free(r->text);
		free(r);
	}
}

static struct rows *rows_of(struct db *db, const struct db_rowset *set)
{
	struct rows **pp = &db->rows;
	for (; *pp; pp = &(*pp)->next)
		if ((*pp)->set == set)
			return *pp;
	struct rows *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->set = set;
	r->per = strlen(set->fmt);
	*pp = r;
	return r;
}

/* Copies s into r's text; its offset + 1, or 0 for NULL (or no memory:
 * *oom set). */
static size_t keep_text(struct rows *r, const char *s, bool *oom)
{
	if (!s)
		return 0;
	size_t len = strlen(s) + 1;
	if (r->text_len + len > r->text_cap) {
		size_t cap = r->text_cap ? r->text_cap : 1024;
		while (cap < r->text_len + len)
			cap *= 2;
		char *t = realloc(r->text, cap);
		if (!t) {
			*oom = true;
			return 0;
		}
		r->text = t;
		r->text_cap = cap;
	}
	memcpy(r->text + r->text_len, s, len);
	r->text_len += len;
	return r->text_len - len + 1;
}

/* head + k rows + tail. */
static char *rows_sql(const struct db_rowset *set, size_t k)
{
	size_t lh = strlen(set->head), lr = strlen(set->row), lt = strlen(set->tail);
	char *sql = malloc(lh + k * (lr + 2) + lt + 1);
	if (!sql)
		return NULL;
	char *p = sql;
	memcpy(p, set->head, lh);
	p += lh;
	for (size_t i = 0; i < k; i++) {
		if (i) {
			memcpy(p, ", ", 2);
			p += 2;
		}
		memcpy(p, set->row, lr);
		p += lr;
	}
	memcpy(p, set->tail, lt + 1);
	return sql;
}

/* Runs rows [from, from + k) of r as one statement. */
static int rows_run(struct db *db, struct rows *r, size_t from, size_t k)
{
	char *sql = rows_sql(r->set, k);
	char *fmt = malloc(k * r->per + 1);
	union db_val *v = malloc(k * r->per * sizeof *v);
	int rc = -1;
	if (!sql || !fmt || !v) {
		snprintf(db->err, sizeof db->err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < k; i++) {
		memcpy(fmt + i * r->per, r->set->fmt, r->per);
		for (size_t c = 0; c < r->per; c++) {
			union db_val x = r->vals[(from + i) * r->per + c];
			if (r->set->fmt[c] == 's')
				x.s = x.i ? r->text + x.i - 1 : NULL;
			v[i * r->per + c] = x;
		}
	}
	fmt[k * r->per] = '\0';
	rc = db_execa(db, sql, fmt, v) < 0 ? -1 : 0;
	db->rows_statements++;
out:
	free(sql);
	free(fmt);
	free(v);
	return rc;
}

static int rows_flush_one(struct db *db, struct rows *r)
{
	size_t max = DB_MAX_VALUES / (r->per ? r->per : 1);
	for (size_t at = 0; at < r->n; at += max) {
		size_t k = r->n - at < max ? r->n - at : max;
		if (rows_run(db, r, at, k))
			return -1;	/* kept: the caller rolls back, which drops them */
	}
	r->n = 0;
	r->text_len = 0;
	return 0;
}

/* The kept row of r with key, or NULL. The most recent first: a batch's
 * rows of one key are usually near its end. */
static union db_val *rows_find(struct rows *r, const char *key)
{
	for (size_t i = r->n; i-- > 0;)
		if (r->keys[i] && !strcmp(r->text + r->keys[i] - 1, key))
			return &r->vals[i * r->per];
	return NULL;
}

/* Combines vals into the kept row as set->merge says (db.h). */
static int rows_merge(struct db *db, struct rows *r, union db_val *row, const union db_val *vals)
{
	const struct db_rowset *set = r->set;
	bool oom = false;
	for (size_t c = 0; c < r->per; c++) {
		char how = set->merge[c];
		bool str = set->fmt[c] == 's';
		if (how == 'k' || (how == 'c' && str && !vals[c].s) ||
		    (how == 'f' && (!str || row[c].i)))
			continue;
		if (str)
			row[c].i = (long long)keep_text(r, vals[c].s, &oom);
		else
			row[c] = vals[c];
	}
	if (oom) {
		snprintf(db->err, sizeof db->err, "out of memory");
		return -1;
	}
	db->rows_merged++;
	return 0;
}

int db_rows_add(struct db *db, const struct db_rowset *set, const char *key,
		const union db_val *vals)
{
	struct rows *r = rows_of(db, set);
	if (!r) {
		snprintf(db->err, sizeof db->err, "out of memory");
		return -1;
	}
	union db_val *kept;
	if (set->merge && key && db->in_txn && (kept = rows_find(r, key)))
		return rows_merge(db, r, kept, vals);
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		union db_val *nv = realloc(r->vals, cap * r->per * sizeof *nv);
		if (nv)
			r->vals = nv;
		size_t *nk = nv ? realloc(r->keys, cap * sizeof *nk) : NULL;
		if (!nk) {
			snprintf(db->err, sizeof db->err, "out of memory");
			return -1;
		}
		r->keys = nk;
		r->cap = cap;
	}
	bool oom = false;
	union db_val *row = &r->vals[r->n * r->per];
	for (size_t c = 0; c < r->per; c++) {
		if (set->fmt[c] == 's')
			row[c].i = (long long)keep_text(r, vals[c].s, &oom);
		else
			row[c] = vals[c];
	}
	r->keys[r->n] = keep_text(r, key, &oom);
	if (oom) {
		snprintf(db->err, sizeof db->err, "out of memory");
		return -1;
	}
	r->n++;
	if (db->in_txn)
		return 0;
	/* Outside a transaction nothing would flush it: written now, and
	 * forgotten if that fails (the caller sees -1). */
	int rc = rows_flush_one(db, r);
	r->n = 0;
	r->text_len = 0;
	return rc;
}

int db_rows_flush(struct db *db, const struct db_rowset *set, const char *key)
{
	for (struct rows *r = db->rows; r; r = r->next) {
		if ((set && r->set != set) || !r->n)
			continue;
		bool due = !key;
		for (size_t i = 0; !due && i < r->n; i++)
			due = r->keys[i] && !strcmp(r->text + r->keys[i] - 1, key);
		if (due && rows_flush_one(db, r))
			return -1;
	}
	return 0;
}

unsigned long db_rows_statements(const struct db *db)
{
	return db->rows_statements;
}

unsigned long db_rows_merged(const struct db *db)
{
	return db->rows_merged;
}
