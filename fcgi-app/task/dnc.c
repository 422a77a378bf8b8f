/* 外呼系统 > 免打扰号码: the center-wide do-not-call list (cc_dnc rows with
 * task_id 0; a task's own list has its id). Targets loading drop these
 * numbers, the dialer sets a claimed target on the list `dnc`.
 *
 *   GET  /cc/admin/tasks/dnc, /cc/api/admin/tasks/dnc   the list, newest
 *        first, TK_DNC_PAGE at a time (keyset: ?before=, the last row's),
 *        ?q= a number in any common form (normalized, or its digits)
 *   POST /cc/api/admin/tasks/dnc          {numbers: one a line, note}
 *   POST /cc/api/admin/tasks/dnc/remove   {numbers: a list, or one a line}
 *
 * Adding is one transaction: the new rows (a number already listed is
 * left as it was), then every open target (waiting, retry) with one of
 * them, in a task not deleted, set `dnc` and counted in its task's
 * targets_done, then the audit record ("dnc", "0", "add"). The tasks are
 * locked first, in the dialer's order (task, then targets), so that no
 * claim takes a target between its count and its update. Removing a
 * number does not reopen its targets: a `dnc` target stays done. */
#include "tasks.h"

#include "../audit/audit.h"
#include "../tmpl/page.h"

#include "log.h"
#include "manifest.h"

#include <stdlib.h>
#include <string.h>

#define DNC_NOTE_MAX 255	/* characters of a note (cc_dnc.note) */
#define DNC_INSERT_ROWS 12	/* rows in one INSERT (4 values each, DB_MAX_PARAMS) */
#define DNC_DELETE_ROWS 40	/* numbers in one DELETE */

_Static_assert(DNC_INSERT_ROWS * 4 <= DB_MAX_PARAMS, "an INSERT binds too many values");
_Static_assert(DNC_DELETE_ROWS <= DB_MAX_PARAMS, "a DELETE binds too many values");

/* --- the lines (pure) ----------------------------------------------------------- */

static void bad_line(struct tk_dnc_lines *out, size_t line, const char *key)
{
	out->bad++;
	if (out->nerrors < TK_ERRORS_MAX)
		out->errors[out->nerrors++] = (struct tk_bad){ line, key };
}

const char *tk_dnc_parse(struct arena *a, const char *text, const struct phone_rules *rules,
			 struct tk_dnc_lines *out)
{
	memset(out, 0, sizeof *out);
	if (!text)
		return "task.dnc.empty";
	size_t nlines = 0;
	for (const char *p = text; *p;) {
		size_t k = strcspn(p, "\n");
		for (size_t i = 0; i < k; i++)
			if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') {
				nlines++;
				break;
			}
		p += k;
		if (*p)
			p++;
	}
	if (nlines == 0)
		return "task.dnc.empty";
	if (nlines > TK_DNC_MAX)
		return "task.dnc.too_many";
	out->number = arena_alloc(a, nlines * sizeof *out->number);
	out->errors = arena_alloc(a, TK_ERRORS_MAX * sizeof *out->errors);
	struct tk_set *seen = tk_set_new(a, nlines);
	if (!out->number || !out->errors || !seen)
		return "task.dnc.internal";
	size_t line = 0;
	for (const char *p = text; *p;) {
		size_t k = strcspn(p, "\n");
		line++;
		while (k && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++, k--;
		size_t e = k;
		while (e && (p[e - 1] == ' ' || p[e - 1] == '\t' || p[e - 1] == '\r'))
			e--;
		if (e) {
			out->lines++;
			char *cell = arena_strndup(a, p, e);
			char num[TK_NUMBER_MAX + 8];
			if (!cell)
				return "task.dnc.internal";
			if (phone_normalize(rules, cell, num, sizeof num) == PHONE_INVALID ||
			    strlen(num) > TK_NUMBER_MAX) {
				bad_line(out, line, "task.dnc.bad_number");
			} else {
				char *n = arena_strdup(a, num);
				int added = n ? tk_set_add(seen, n) : -1;
				if (added < 0)
					return "task.dnc.internal";
				if (added)
					out->number[out->n++] = n;
				else
					out->duplicate++;
			}
		}
		p += k;
		while (*p && *p != '\n')
			p++;
		if (*p)
			p++;
	}
	return NULL;
}

/* --- the list ------------------------------------------------------------------- */

struct entry {
	const char *number, *note, *by, *by_name, *at, *at_key;
};

struct entries {
	struct arena *a;
	struct entry v[TK_DNC_PAGE + 1];
	size_t n;
	bool failed;
};

static int entry_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct entries *es = arg;
	if (ncol < 6 || !v[0] || es->n > TK_DNC_PAGE)
		return 0;
	struct entry *e = &es->v[es->n++];
	const char *s[6];
	for (int i = 0; i < 6; i++)
		if (!(s[i] = arena_strdup(es->a, v[i] ? v[i] : ""))) {
			es->failed = true;
			return 1;
		}
	*e = (struct entry){ s[0], s[1], s[2], s[3], s[4], s[5] };
	return 0;
}

/* A cursor "<YYYYMMDDhhmmssffffff><number>" as the list made it, '+' of
 * the number as 'p' (nothing in it for a URL to escape): the created_at
 * and the number of the last row shown. */
static bool cursor_read(struct arena *a, const char *c, const char **at, const char **number)
{
	size_t len = strlen(c);
	if (len <= 20 || len > 20 + TK_NUMBER_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((c[i] >= '0' && c[i] <= '9') || (c[i] == 'p' && i == 20)))
			return false;
	*at = arena_printf(a, "%.4s-%.2s-%.2s %.2s:%.2s:%.2s.%.6s", c, c + 4, c + 6, c + 8,
			   c + 10, c + 12, c + 14);
	char *n = arena_strdup(a, c + 20);
	if (n && *n == 'p')
		*n = '+';
	*number = n;
	return *at && n;
}

/* The search's two forms: the normalized number (exact), and the digits
 * typed (contained), for a part of a number. */
static void search_of(struct req *r, const char *q, const char **exact, const char **like)
{
	*exact = *like = NULL;
	if (!q || !*q)
		return;
	char num[TK_NUMBER_MAX + 8];
	if (phone_normalize(&r->web->phone, q, num, sizeof num) != PHONE_INVALID)
		*exact = arena_strdup(r->a, num);
	char *d = arena_alloc(r->a, strlen(q) + 3);
	size_t n = 0;
	if (!d)
		return;
	d[n++] = '%';
	for (const char *p = q; *p; p++)
		if (*p >= '0' && *p <= '9')
			d[n++] = *p;
	d[n++] = '%';
	d[n] = '\0';
	if (n > 2)
		*like = d;
	if (!*exact)
		*exact = "";
}

const char *task_dnc_get(struct req *r)
{
	const struct manifest *m = r->web->mf;
	const char *q = req_query(r, "q");
	if (q && strlen(q) > 64)
		q = NULL;
	const char *before = req_query(r, "before");
	const char *b_at = NULL, *b_num = NULL;
	if (before && *before && !cursor_read(r->a, before, &b_at, &b_num))
		return tk_refuse(r, 422, "invalid", "task.dnc.bad_cursor");
	const char *exact, *like;
	search_of(r, q, &exact, &like);
	bool searching = q && *q;
	if (searching && !like && !*exact) {
		/* Nothing of a number typed: nothing matches. */
		exact = "-";
	}
	char *sql = arena_printf(r->a,
		"SELECT d.number, d.note, COALESCE(d.created_by, ''), COALESCE(u.`%s`, ''), "
		"DATE_FORMAT(d.created_at, '%%Y-%%m-%%d %%H:%%i:%%s'), "
		"DATE_FORMAT(d.created_at, '%%Y%%m%%d%%H%%i%%s%%f') "
		"FROM cc_dnc d LEFT JOIN `%s` u ON u.`%s` = d.created_by WHERE d.task_id = 0%s%s "
		"ORDER BY d.created_at DESC, d.number DESC LIMIT ?",
		m->users.username, m->users.table, m->users.id,
		searching ? " AND (d.number = ? OR d.number LIKE ?)" : "",
		b_at ? " AND (d.created_at < ? OR (d.created_at = ? AND d.number < ?))" : "");
	if (!sql)
		return "internal";
	struct entries es = { .a = r->a };
	long long lim = TK_DNC_PAGE + 1;
	const char *lk = like ? like : "-";
	int rc;
	if (searching && b_at)
		rc = db_query(r->thr->db, sql, entry_h, &es, "sssssi", exact, lk, b_at, b_at, b_num, lim);
	else if (searching)
		rc = db_query(r->thr->db, sql, entry_h, &es, "ssi", exact, lk, lim);
	else if (b_at)
		rc = db_query(r->thr->db, sql, entry_h, &es, "sssi", b_at, b_at, b_num, lim);
	else
		rc = db_query(r->thr->db, sql, entry_h, &es, "i", lim);
	char total[24] = "0";
	if (rc < 0 || es.failed ||
	    db_query_value(r->thr->db, total, sizeof total,
			   "SELECT COUNT(*) FROM cc_dnc WHERE task_id = 0", NULL) < 0) {
		log_err("tasks: do-not-call list: %s", db_error(r->thr->db));
		return "db_unavailable";
	}
	bool more = es.n > TK_DNC_PAGE;
	size_t n = more ? TK_DNC_PAGE : es.n;
	const char *next = more ? arena_printf(r->a, "%s%s%s", es.v[n - 1].at_key,
					       *es.v[n - 1].number == '+' ? "p" : "",
					       es.v[n - 1].number + (*es.v[n - 1].number == '+'))
				: NULL;
	if (r->route->kind == RK_JSON) {
		json_t *items = json_array();
		for (size_t i = 0; i < n; i++) {
			const struct entry *e = &es.v[i];
			json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s}", "number",
							       e->number, "note", e->note, "created_by",
							       e->by, "created_by_name", e->by_name,
							       "created_at", e->at));
		}
		return resp_json(r, 200, json_pack("{s:b, s:o, s:I, s:o}", "ok", 1, "numbers", items,
						   "total", (json_int_t)atoll(total), "next",
						   next ? json_string(next) : json_null()));
	}
	xmlDoc *doc;
	xmlNode *root = tk_page_begin(r, "dnc", &doc);
	if (!root)
		return "internal";
	static const char *const strings[] = {
		"task.dnc.confirm_remove", "task.dnc.added", "task.dnc.removed", "task.dnc.none",
	};
	page_strings(xmlDocGetRootElement(doc), strings, sizeof strings / sizeof *strings);
	xmlNode *l = xd_el(root, "dnc");
	xd_attr(l, "total", total);
	xd_attr(l, "q", q ? q : "");
	xd_attr_int(l, "max", TK_DNC_MAX);
	if (next)
		xd_attr(l, "next", next);
	if (b_at)
		xd_attr(l, "paged", "1");
	for (size_t i = 0; i < n; i++) {
		const struct entry *e = &es.v[i];
		xmlNode *x = xd_el(l, "entry");
		xd_attr(x, "number", e->number);
		xd_attr(x, "note", e->note);
		xd_attr(x, "by", *e->by_name ? e->by_name : e->by);
		xd_attr(x, "at", e->at);
	}
	return page_finish(r, doc, "task", 200);
}

/* --- adding ----------------------------------------------------------------------- */

/* The numbers sent: a text (one a line) or a JSON list of strings. */
static const char *numbers_text(struct req *r)
{
	json_t *j = r->json ? json_object_get(r->json, "numbers") : NULL;
	if (!json_is_array(j))
		return req_param(r, "numbers");
	size_t len = 1, i;
	json_t *v;
	json_array_foreach(j, i, v) {
		if (!json_is_string(v))
			return NULL;
		len += strlen(json_string_value(v)) + 1;
	}
	char *s = arena_alloc(r->a, len), *p = s;
	if (!s)
		return NULL;
	json_array_foreach(j, i, v) {
		const char *x = json_string_value(v);
		/* One item is one line, whatever it holds. */
		for (; *x; x++)
			*p++ = *x == '\n' || *x == '\r' ? ' ' : *x;
		*p++ = '\n';
	}
	*p = '\0';
	return s;
}

/* The lines, or a reply made (422 with the reason and the bad lines). */
static const char *lines_read(struct req *r, struct tk_dnc_lines *in, bool *done)
{
	*done = true;
	const char *e = tk_dnc_parse(r->a, numbers_text(r), &r->web->phone, in);
	if (e && !strcmp(e, "task.dnc.internal"))
		return "internal";
	if (e)
		return resp_json(r, !strcmp(e, "task.dnc.too_many") ? 413 : 422,
				 json_pack("{s:b, s:s, s:s, s:i}", "ok", 0, "error",
					   strrchr(e, '.') + 1, "message", web_t(r, e), "max",
					   TK_DNC_MAX));
	*done = false;
	return NULL;
}

static json_t *errors_json(struct req *r, const struct tk_dnc_lines *in)
{
	json_t *errors = json_array();
	for (size_t i = 0; i < in->nerrors; i++)
		json_array_append_new(errors, json_pack("{s:I, s:s}", "line",
							(json_int_t)in->errors[i].line, "message",
							web_t(r, in->errors[i].key)));
	return errors;
}

static json_t *numbers_json(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* Inserts the numbers not listed yet, created at `at`: how many, or -1. */
static long long insert_numbers(struct req *r, const struct tk_dnc_lines *in, const char *note,
				const char *at)
{
	struct db *db = r->thr->db;
	const char *one = "(?, 0, ?, ?, ?)";
	long long added = 0;
	union db_val v[DNC_INSERT_ROWS * 4];
	char fmt[DNC_INSERT_ROWS * 4 + 1];
	for (size_t i = 0; i < in->n;) {
		size_t k = in->n - i < DNC_INSERT_ROWS ? in->n - i : DNC_INSERT_ROWS;
		char *sql = arena_printf(r->a, "INSERT IGNORE INTO cc_dnc (number, task_id, note, "
					       "created_by, created_at) VALUES %s", one);
		for (size_t j = 1; sql && j < k; j++)
			sql = arena_printf(r->a, "%s, %s", sql, one);
		if (!sql)
			return -1;
		for (size_t j = 0; j < k; j++) {
			v[j * 4].s = in->number[i + j];
			v[j * 4 + 1].s = note;
			v[j * 4 + 2].s = r->sess->user_id;
			v[j * 4 + 3].s = at;
			memcpy(fmt + j * 4, "ssss", 4);
		}
		fmt[k * 4] = '\0';
		long long n = db_execa(db, sql, fmt, v);
		if (n < 0)
			return -1;
		added += n;
		i += k;
	}
	return added;
}

/* The open targets of the numbers created at `at`, in tasks not deleted. */
#define DNC_OPEN_TARGETS                                                                   \
	"cc_dnc d JOIN cc_task_target t ON t.number = d.number AND t.state IN ('waiting', " \
	"'retry') JOIN cc_task k ON k.id = t.task_id AND k.state <> 'deleted' "             \
	"WHERE d.task_id = 0 AND d.created_at = ?"

static int ignore_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)arg, (void)ncol, (void)v, (void)lens;
	return 0;
}

/* Sets the open targets of the new numbers `dnc`, each counted in its
 * task's targets_done: how many, or -1. */
static long long close_targets(struct req *r, const char *at)
{
	struct db *db = r->thr->db;
	if (db_query(db, "SELECT x.id FROM cc_task x WHERE x.id IN (SELECT t.task_id FROM "
			 DNC_OPEN_TARGETS ") ORDER BY x.id FOR UPDATE", ignore_h, NULL, "s", at) < 0)
		return -1;
	if (db_exec(db, "UPDATE cc_task x JOIN (SELECT t.task_id, COUNT(*) AS n FROM "
			DNC_OPEN_TARGETS " GROUP BY t.task_id) c ON c.task_id = x.id "
			"SET x.targets_done = x.targets_done + c.n", "s", at) < 0)
		return -1;
	return db_exec(db, "UPDATE cc_task_target t JOIN cc_dnc d ON d.task_id = 0 "
			   "AND d.created_at = ? AND d.number = t.number JOIN cc_task k "
			   "ON k.id = t.task_id AND k.state <> 'deleted' SET t.state = 'dnc', "
			   "t.last_at = NOW(3) WHERE t.state IN ('waiting', 'retry')", "s", at);
}

/* The list's change and its audit record in one transaction: n numbers
 * added (and closed targets) or removed. */
struct dnc_txn {
	const struct tk_dnc_lines *in;
	const char *note;
	long long n, closed;
};

static const char *add_body(struct req *r, void *arg)
{
	struct dnc_txn *t = arg;
	char at[40];
	t->closed = 0;
	if (db_query_value(r->thr->db, at, sizeof at, "SELECT NOW(3)", NULL) != 1 ||
	    (t->n = insert_numbers(r, t->in, t->note, at)) < 0 ||
	    (t->closed = t->n ? close_targets(r, at) : 0) < 0)
		return "db_unavailable";
	return audit_txn(r, "dnc", "0", "add", NULL,
			 json_pack("{s:o, s:s, s:I, s:I}", "numbers",
				   numbers_json(t->in->number, t->in->n), "note", t->note, "added",
				   (json_int_t)t->n, "targets", (json_int_t)t->closed));
}

const char *task_dnc_post(struct req *r)
{
	struct tk_dnc_lines in;
	bool done;
	const char *why = lines_read(r, &in, &done);
	if (done)
		return why;
	const char *note = req_param(r, "note");
	note = note ? text_trim(r->a, note) : "";
	if (!note || utf8_chars(note) < 0 || utf8_chars(note) > DNC_NOTE_MAX ||
	    text_has_controls(note, false))
		return resp_json(r, 422, json_pack("{s:b, s:s, s:s, s:s}", "ok", 0, "error",
						   "invalid", "field", "note", "message",
						   web_t(r, "task.dnc.bad_note")));
	struct dnc_txn t = { &in, note, 0, 0 };
	if (in.n) {
		if (web_txn(r, add_body, &t)) {
			log_err("tasks: do-not-call add: %s", db_error(r->thr->db));
			return "db_unavailable";
		}
		log_info("tasks: do-not-call list: %lld numbers added by %s, %lld open targets closed",
			 t.n, r->sess->user_id, t.closed);
	}
	long long added = t.n, closed = t.closed;
	return resp_json(r, in.n ? 200 : 422,
			 json_pack("{s:b, s:s?, s:s?, s:I, s:I, s:I, s:I, s:I, s:o}", "ok", in.n > 0,
				   "error", in.n ? NULL : "no_numbers", "message",
				   in.n ? NULL : web_t(r, "task.dnc.no_numbers"), "lines",
				   (json_int_t)in.lines, "added", (json_int_t)added, "duplicate",
				   (json_int_t)(in.duplicate + in.n - (size_t)added), "bad",
				   (json_int_t)in.bad, "targets", (json_int_t)closed, "errors",
				   errors_json(r, &in)));
}

/* --- removing ------------------------------------------------------------------- */

static const char *remove_body(struct req *r, void *arg)
{
	struct dnc_txn *t = arg;
	const struct tk_dnc_lines *in = t->in;
	union db_val v[DNC_DELETE_ROWS];
	char fmt[DNC_DELETE_ROWS + 1];
	t->n = 0;
	for (size_t i = 0; i < in->n;) {
		size_t k = in->n - i < DNC_DELETE_ROWS ? in->n - i : DNC_DELETE_ROWS;
		char *sql = arena_printf(r->a, "DELETE FROM cc_dnc WHERE task_id = 0 AND number IN (?");
		for (size_t j = 1; sql && j < k; j++)
			sql = arena_printf(r->a, "%s, ?", sql);
		sql = sql ? arena_printf(r->a, "%s)", sql) : NULL;
		for (size_t j = 0; j < k; j++)
			v[j].s = in->number[i + j];
		memset(fmt, 's', k);
		fmt[k] = '\0';
		long long n = sql ? db_execa(r->thr->db, sql, fmt, v) : -1;
		if (n < 0)
			return "db_unavailable";
		t->n += n;
		i += k;
	}
	if (!t->n)
		return NULL;
	return audit_txn(r, "dnc", "0", "remove",
			 json_pack("{s:o, s:I}", "numbers", numbers_json(in->number, in->n),
				   "removed", (json_int_t)t->n),
			 NULL);
}

const char *task_dnc_remove_post(struct req *r)
{
	struct tk_dnc_lines in;
	bool done;
	const char *why = lines_read(r, &in, &done);
	if (done)
		return why;
	if (in.bad)
		return resp_json(r, 422, json_pack("{s:b, s:s, s:s, s:o}", "ok", 0, "error",
						   "bad_number", "message",
						   web_t(r, "task.dnc.bad_number"), "errors",
						   errors_json(r, &in)));
	struct dnc_txn t = { &in, NULL, 0, 0 };
	if (web_txn(r, remove_body, &t)) {
		log_err("tasks: do-not-call remove: %s", db_error(r->thr->db));
		return "db_unavailable";
	}
	long long removed = t.n;
	if (removed)
		log_info("tasks: do-not-call list: %lld numbers removed by %s", removed,
			 r->sess->user_id);
	return resp_json(r, 200, json_pack("{s:b, s:I, s:I}", "ok", 1, "removed", (json_int_t)removed,
					   "missing", (json_int_t)(in.n - (size_t)removed)));
}
