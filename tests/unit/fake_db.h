/* A fake of common/db.h for the call-flow harness: no server. Its
 * definitions replace libcommon's db.o at link time (the test defines every
 * function db.o exports, so db.o is never pulled in). Every statement is
 * recorded with its values as text; answers come from a few rules the test
 * sets:
 *   - the contact lookup (cc_contact_phone) finds fdb.contact_phone;
 *   - the registration poll (cc_location) returns fdb.registered;
 *   - the reservation of an agent named in fdb.held_elsewhere affects no
 *     row (another node holds it);
 *   - information_schema says the contacts table has its tenant column;
 *   - every other statement affects one row, every other query none.
 * Database workers call it from their threads: one mutex guards it.
 * Include it in one test file only. */
#ifndef TEST_FAKE_DB_H
#define TEST_FAKE_DB_H

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

#define FDB_MAX_VALS DB_MAX_PARAMS

struct fdb_stmt {
	char *sql;
	char *vals[FDB_MAX_VALS];
	int nvals;
};

static struct {
	pthread_mutex_t mu;
	struct fdb_stmt *log;
	size_t n, cap;
	/* rules */
	const char *contact_phone, *contact_id, *contact_name;
	const char *contact_gender;	/* the record's second mapped field, or NULL */
	const char *tenant_seen;	/* the tenant value the lookup bound */
	const char *registered[8];
	const char *held_elsewhere;
	const char *last_phone, *last_agent;	/* who answered last_phone's last call */
} fdb = { .mu = PTHREAD_MUTEX_INITIALIZER };

struct db {
	int unused;
};

int db_library_init(void)
{
	return 0;
}

void db_library_end(void)
{
}

int db_alloc(struct db **dbp, const struct db_conf *conf)
{
	(void)conf;
	*dbp = calloc(1, sizeof **dbp);
	return *dbp ? 0 : -1;
}

void db_free(struct db *db)
{
	free(db);
}

const char *db_error(const struct db *db)
{
	(void)db;
	return "";
}

unsigned long long db_insert_id(const struct db *db)
{
	(void)db;
	return 0;
}

unsigned db_errno(const struct db *db)
{
	(void)db;
	return 0;
}

bool db_conflict(const struct db *db)
{
	(void)db;
	return false;
}

bool db_commit_unknown(const struct db *db)
{
	(void)db;
	return false;
}

int db_servers(const struct db *db)
{
	(void)db;
	return 1;
}

void db_get_stats(const struct db *db, struct db_stats *st)
{
	(void)db;
	*st = (struct db_stats){ .server = 0 };
}

int db_ping(struct db *db)
{
	(void)db;
	return 0;
}

int db_begin(struct db *db)
{
	(void)db;
	return 0;
}

int db_commit(struct db *db)
{
	(void)db;
	return 0;
}

int db_rollback(struct db *db)
{
	(void)db;
	return 0;
}

/* Records sql with its values; returns the stored copy (under the lock). */
static struct fdb_stmt *fdb_record(const char *sql, const char *fmt, const union db_val *v)
{
	if (fdb.n == fdb.cap) {
		size_t cap = fdb.cap ? fdb.cap * 2 : 256;
		struct fdb_stmt *p = realloc(fdb.log, cap * sizeof *p);
		if (!p)
			abort();
		fdb.log = p;
		fdb.cap = cap;
	}
	struct fdb_stmt *s = &fdb.log[fdb.n++];
	memset(s, 0, sizeof *s);
	s->sql = strdup(sql);
	for (int i = 0; fmt && fmt[i] && i < FDB_MAX_VALS; i++) {
		char buf[64];
		const char *text = buf;
		switch (fmt[i]) {
		case 's': text = v[i].s; break;
		case 'i': snprintf(buf, sizeof buf, "%lld", v[i].i); break;
		case 'd': snprintf(buf, sizeof buf, "%g", v[i].d); break;
		default: text = "?"; break;
		}
		s->vals[s->nvals++] = text ? strdup(text) : NULL;
	}
	return s;
}

static int fdb_args(const char *fmt, va_list ap, union db_val *v)
{
	int n = 0;
	for (; fmt && fmt[n] && n < FDB_MAX_VALS; n++) {
		switch (fmt[n]) {
		case 's': v[n].s = va_arg(ap, const char *); break;
		case 'i': v[n].i = va_arg(ap, long long); break;
		case 'd': v[n].d = va_arg(ap, double); break;
		default: return -1;
		}
	}
	return n;
}

static long long fdb_exec(const char *sql, const char *fmt, const union db_val *v)
{
	pthread_mutex_lock(&fdb.mu);
	struct fdb_stmt *s = fdb_record(sql, fmt, v);
	long long n = 1;
	/* The reservation: UPDATE cc_agent ... WHERE user_id = ? (any value). */
	for (int i = 0; strstr(sql, "SET state = 'reserved'") && fdb.held_elsewhere && i < s->nvals; i++)
		if (s->vals[i] && !strcmp(s->vals[i], fdb.held_elsewhere))
			n = 0;
	pthread_mutex_unlock(&fdb.mu);
	return n;
}

long long db_exec(struct db *db, const char *sql, const char *fmt, ...)
{
	(void)db;
	union db_val v[FDB_MAX_VALS];
	va_list ap;
	va_start(ap, fmt);
	int n = fdb_args(fmt, ap, v);
	va_end(ap);
	return n < 0 ? -1 : fdb_exec(sql, fmt, v);
}

long long db_execa(struct db *db, const char *sql, const char *fmt, const union db_val *vals)
{
	(void)db;
	return fdb_exec(sql, fmt, vals);
}

bool db_in_txn(const struct db *db)
{
	(void)db;
	return false;
}

/* Row sets: each row is a statement of its own, as outside a transaction. */
int db_rows_add(struct db *db, const struct db_rowset *set, const char *key,
		const union db_val *vals)
{
	(void)db;
	(void)key;
	char sql[4096];
	snprintf(sql, sizeof sql, "%s%s%s", set->head, set->row, set->tail);
	return fdb_exec(sql, set->fmt, vals) < 0 ? -1 : 0;
}

int db_rows_flush(struct db *db, const struct db_rowset *set, const char *key)
{
	(void)db;
	(void)set;
	(void)key;
	return 0;
}

unsigned long db_rows_statements(const struct db *db)
{
	(void)db;
	return 0;
}

unsigned long db_rows_merged(const struct db *db)
{
	(void)db;
	return 0;
}

int db_query(struct db *db, const char *sql, db_row_h *rowh, void *arg, const char *fmt, ...)
{
	(void)db;
	union db_val v[FDB_MAX_VALS];
	va_list ap;
	va_start(ap, fmt);
	int nv = fdb_args(fmt, ap, v);
	va_end(ap);
	if (nv < 0)
		return -1;
	/* The answer is decided under the lock and given outside it. */
	char *rows[8][5] = { { NULL } };
	int nrows = 0, ncols = 2;
	pthread_mutex_lock(&fdb.mu);
	struct fdb_stmt *s = fdb_record(sql, fmt, v);
	if (strstr(sql, "FROM cc_contact_phone") && fdb.contact_phone && s->nvals > 0 &&
	    s->vals[0] && !strcmp(s->vals[0], fdb.contact_phone)) {
		rows[0][0] = strdup(fdb.contact_id);
		rows[0][1] = strdup(fdb.contact_name);
		nrows = 1;
		/* Then its dedicated agent (none) and the fields the manifest
		 * maps: name, gender. */
		if (strstr(sql, "c.`gender`")) {
			rows[0][3] = strdup(fdb.contact_name);
			rows[0][4] = fdb.contact_gender ? strdup(fdb.contact_gender) : NULL;
			ncols = 5;
		}
		if (s->nvals > 1)
			fdb.tenant_seen = s->vals[1];
	} else if (strstr(sql, "FROM cc_call WHERE caller_norm") && fdb.last_phone && s->nvals > 0 &&
		   s->vals[0] && !strcmp(s->vals[0], fdb.last_phone)) {
		rows[0][0] = strdup(fdb.last_agent);
		nrows = 1;
	} else if (strstr(sql, "FROM cc_location")) {
		for (int i = 0; i < 8 && fdb.registered[i]; i++)
			rows[nrows++][0] = strdup(fdb.registered[i]);
	}
	pthread_mutex_unlock(&fdb.mu);
	int given = 0;
	for (int i = 0; i < nrows; i++) {
		if (given == i && !rowh(arg, ncols, rows[i], NULL))
			given++;
		for (int k = 0; k < 5; k++)
			free(rows[i][k]);
	}
	return nrows;
}

int db_query_value(struct db *db, char *out, size_t outlen, const char *sql, const char *fmt, ...)
{
	(void)db;
	union db_val v[FDB_MAX_VALS];
	va_list ap;
	va_start(ap, fmt);
	int nv = fdb_args(fmt, ap, v);
	va_end(ap);
	if (nv < 0)
		return -1;
	pthread_mutex_lock(&fdb.mu);
	fdb_record(sql, fmt, v);
	pthread_mutex_unlock(&fdb.mu);
	if (strstr(sql, "information_schema.COLUMNS")) {
		snprintf(out, outlen, "1");
		return 1;
	}
	return 0;
}

/* --- what the test asks --------------------------------------------------------- */

/* The last statement containing sql_part whose last value is last_val (or
 * any, when NULL); a copy of value i of it in out (""), and whether found. */
static inline bool fdb_last_value(const char *sql_part, const char *last_val, int i, char *out,
				  size_t n)
{
	bool found = false;
	out[0] = '\0';
	pthread_mutex_lock(&fdb.mu);
	for (size_t k = fdb.n; k-- > 0 && !found;) {
		struct fdb_stmt *s = &fdb.log[k];
		if (!strstr(s->sql, sql_part) || !s->nvals)
			continue;
		if (last_val && (!s->vals[s->nvals - 1] || strcmp(s->vals[s->nvals - 1], last_val)))
			continue;
		found = true;
		snprintf(out, n, "%s", i < s->nvals && s->vals[i] ? s->vals[i] : "");
	}
	pthread_mutex_unlock(&fdb.mu);
	return found;
}

/* The position of column in an "INSERT INTO t (a, b, ...)" statement, or -1. */
static inline int fdb_column(const char *sql, const char *column)
{
	const char *p = strchr(sql, '(');
	const char *end = p ? strchr(p, ')') : NULL;
	size_t len = strlen(column);
	for (int i = 0; p && p < end; i++) {
		p++;
		while (*p == ' ')
			p++;
		if (!strncmp(p, column, len) && (p[len] == ',' || p[len] == ')'))
			return i;
		p = strchr(p, ',');
		if (!p || p > end)
			return -1;
	}
	return -1;
}

/* Column of call's row (cc_call) as written: by its first write (first)
 * or by its last (call NULL: the last call written). A copy in out (""
 * for NULL); whether such a write was found. */
static inline bool fdb_call_value(const char *call, bool first, const char *column, char *out,
				  size_t n)
{
	bool found = false;
	out[0] = '\0';
	pthread_mutex_lock(&fdb.mu);
	for (size_t k = 0; k < fdb.n; k++) {
		struct fdb_stmt *s = first && call ? &fdb.log[k] : &fdb.log[fdb.n - 1 - k];
		if (strncmp(s->sql, "INSERT INTO cc_call (", 21) || !s->nvals || !s->vals[0])
			continue;
		if (call && strcmp(s->vals[0], call))
			continue;
		int i = fdb_column(s->sql, column);
		if (i >= 0 && i < s->nvals)
			snprintf(out, n, "%s", s->vals[i] ? s->vals[i] : "");
		found = i >= 0;
		break;
	}
	pthread_mutex_unlock(&fdb.mu);
	return found;
}

/* Statements containing sql_part with value i equal to val. */
static inline unsigned fdb_count(const char *sql_part, int i, const char *val)
{
	unsigned c = 0;
	pthread_mutex_lock(&fdb.mu);
	for (size_t k = 0; k < fdb.n; k++) {
		struct fdb_stmt *s = &fdb.log[k];
		if (strstr(s->sql, sql_part) &&
		    (!val || (i < s->nvals && s->vals[i] && !strcmp(s->vals[i], val))))
			c++;
	}
	pthread_mutex_unlock(&fdb.mu);
	return c;
}

/* The event log rows written for call (cc_call_event, six values a row):
 * their event names, space separated, in order; prompts left out when
 * with_prompts is false. */
static inline void fdb_event_log(const char *call, bool with_prompts, char *out, size_t n)
{
	size_t len = 0;
	out[0] = '\0';
	pthread_mutex_lock(&fdb.mu);
	for (size_t k = 0; k < fdb.n; k++) {
		struct fdb_stmt *s = &fdb.log[k];
		if (!strstr(s->sql, "INSERT INTO cc_call_event"))
			continue;
		for (int r = 0; r + 5 < s->nvals; r += 6) {
			if (!s->vals[r] || strcmp(s->vals[r], call))
				continue;
			const char *ev = s->vals[r + 2];
			if (!with_prompts && !strcmp(ev, "prompt"))
				continue;
			len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s",
						len ? " " : "", ev);
		}
	}
	pthread_mutex_unlock(&fdb.mu);
}

/* The detail of call's first log row named event, copied to out. */
static inline bool fdb_event_detail(const char *call, const char *event, char *out, size_t n)
{
	bool found = false;
	out[0] = '\0';
	pthread_mutex_lock(&fdb.mu);
	for (size_t k = 0; k < fdb.n && !found; k++) {
		struct fdb_stmt *s = &fdb.log[k];
		if (!strstr(s->sql, "INSERT INTO cc_call_event"))
			continue;
		for (int r = 0; r + 5 < s->nvals && !found; r += 6)
			if (s->vals[r] && !strcmp(s->vals[r], call) && !strcmp(s->vals[r + 2], event)) {
				snprintf(out, n, "%s", s->vals[r + 5] ? s->vals[r + 5] : "");
				found = true;
			}
	}
	pthread_mutex_unlock(&fdb.mu);
	return found;
}

#endif
