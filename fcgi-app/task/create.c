/* 新建任务: GET /cc/admin/tasks/new (the form) and POST
 * /cc/api/admin/tasks (multipart/form-data: the settings and, for a CSV
 * source, the file in part "targets").
 *
 * Everything that can refuse the whole task is checked before anything is
 * written: the settings (tk_input_read), the group and its outbound number,
 * the time zone, the task's own do-not-call list, and the targets (a file
 * that is not UTF-8, has no number column, is empty or too big; or no
 * valid target at all). Then the row is created in 初始化 and committed,
 * so that the list shows it with its progress (rows_read of rows_total)
 * while the targets go in, TK_BATCH to an INSERT and TK_COMMIT_EVERY to a
 * transaction (each run again whole when it loses a conflict: web_txn,
 * the progress told after its commit); targets are matched to contacts
 * through the phone index in
 * one UPDATE; and `loaded` (task_apply) moves the task to 已停止. The
 * request answers when the load is over; the page polls the job's
 * progress meanwhile (?job=, jobs.h). A database failure during the load
 * removes the half-loaded task (an 初始化 task cannot be deleted by hand)
 * and answers 503: the file is the user's, nothing else was written. */
#include "tasks.h"

#include "../audit/audit.h"
#include "../jobs.h"
#include "../tmpl/page.h"
#include "../../common/ivr_run.h"

#include "log.h"
#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *param(void *arg, const char *name)
{
	struct req *r = arg;
	const char *v = req_param(r, name);
	if (v || !r->json)
		return v;
	json_t *j = json_object_get(r->json, name);
	if (json_is_real(j))
		return arena_printf(r->a, "%.4g", json_real_value(j));
	return NULL;
}

/* The outbound numbers of each enabled group, for the form. */
static int group_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	xmlNode *groups = arg;
	if (ncol < 4 || !v[0])
		return 0;
	xmlNode *last = xmlGetLastChild(groups);
	xmlChar *id = last ? xmlGetProp(last, (const xmlChar *)"id") : NULL;
	bool same = id && !strcmp((const char *)id, v[0]);
	xmlFree(id);
	xmlNode *g = same ? last : xd_el(groups, "group");
	if (!same) {
		xd_attr(g, "id", v[0]);
		xd_attr(g, "name", v[1]);
	}
	if (v[2]) {
		xmlNode *n = xd_el(g, "number");
		xd_attr(n, "id", v[2]);
		xd_attr(n, "number", v[3]);
	}
	return 0;
}

const char *task_new_get(struct req *r)
{
	xmlDoc *doc;
	xmlNode *e = tk_page_begin(r, "new", &doc);
	if (!e)
		return "internal";
	xmlNode *groups = xd_el(e, "groups");
	if (db_query(r->thr->db,
		     "SELECT g.id, g.name, n.id, COALESCE(NULLIF(n.display, ''), n.number) "
		     "FROM cc_skill_group g LEFT JOIN cc_skill_group_number sn "
		     "ON sn.skill_group_id = g.id LEFT JOIN cc_number n ON n.id = sn.number_id "
		     "AND n.`usage` IN ('outbound', 'both') AND n.enabled = 1 "
		     "WHERE g.enabled = 1 ORDER BY g.name, g.id, n.number",
		     group_h, groups, NULL) < 0) {
		xmlFreeDoc(doc);
		log_err("tasks: groups: %s", db_error(r->thr->db));
		return "db_unavailable";
	}
	xd_attr_int(e, "max-kb", TK_BIG_BODY_KB);
	xd_attr_int(e, "max-rows", TK_ROWS_MAX);
	for (int i = 0; i < TASK_PACING_COUNT; i++) {
		xmlNode *p = xd_el(e, "pacing");
		xd_attr(p, "name", task_pacing_name((enum task_pacing)i));
		xd_attr(p, "key", task_pacing_key((enum task_pacing)i));
	}
	for (int i = 0; i < REC_POLICY_COUNT; i++) {
		xmlNode *p = xd_el(e, "recording");
		xd_attr(p, "name", rec_policy_name((enum rec_policy)i));
		xd_attr(p, "key", arena_printf(r->a, "task.recording.%s",
					       rec_policy_name((enum rec_policy)i)));
	}
	for (int i = 0; i < TASK_RESULT_COUNT; i++)
		if (task_result_retryable((enum task_result)i)) {
			xmlNode *p = xd_el(e, "result");
			xd_attr(p, "name", task_result_name((enum task_result)i));
			xd_attr(p, "key", arena_printf(r->a, "task.target.%s",
						       task_result_name((enum task_result)i)));
		}
	return page_finish(r, doc, "task", 200);
}

static const char *invalid(struct req *r, const char *field, const char *key)
{
	return resp_json(r, 422, json_pack("{s:b, s:s, s:s, s:s, s:{s:s}}", "ok", 0, "error",
					   "invalid", "field", field, "message", web_t(r, key),
					   "errors", field, web_t(r, key)));
}

struct dnc_load {
	struct arena *a;
	struct tk_set *set;
	bool failed;
};

static int dnc_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct dnc_load *d = arg;
	if (ncol < 1 || !v[0])
		return 0;
	char *n = arena_strdup(d->a, v[0]);
	if (!n || tk_set_add(d->set, n) < 0) {
		d->failed = true;
		return 1;
	}
	return 0;
}

/* Contacts whose name (or a mapped company or city) contains text, with
 * their indexed numbers. */
struct contacts_load {
	struct arena *a;
	struct tk_load *out;
	const char **contact;
	size_t cap;
	const struct tk_set *dnc;
	struct tk_set *seen;
	bool failed;
};

static int contact_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct contacts_load *c = arg;
	if (ncol < 3 || !v[0] || !v[1])
		return 0;
	struct tk_load *out = c->out;
	if (++out->rows > TK_ROWS_MAX)
		return 1;
	if (tk_set_has(c->dnc, v[0])) {
		out->dnc++;
		return 0;
	}
	char *n = arena_strdup(c->a, v[0]);
	int added = n ? tk_set_add(c->seen, n) : -1;
	if (added <= 0) {
		if (added < 0)
			c->failed = true;
		else
			out->duplicate++;
		return added < 0;
	}
	if (out->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		struct tk_target *t = arena_alloc(c->a, cap * sizeof *t);
		const char **k = arena_alloc(c->a, cap * sizeof *k);
		if (!t || !k) {
			c->failed = true;
			return 1;
		}
		if (out->n) {
			memcpy(t, out->t, out->n * sizeof *t);
			memcpy(k, c->contact, out->n * sizeof *k);
		}
		out->t = t;
		c->contact = k;
		c->cap = cap;
	}
	json_t *d = json_pack("{s:s}", "name", v[2] ? v[2] : "");
	char *s = d ? json_dumps(d, JSON_COMPACT) : NULL;
	json_decref(d);
	c->contact[out->n] = arena_strdup(c->a, v[1]);
	out->t[out->n] = (struct tk_target){ out->rows, n, s ? arena_strdup(c->a, s) : NULL };
	free(s);
	out->n++;
	return 0;
}

static const char *like_of(struct arena *a, const char *q)
{
	char *s = arena_alloc(a, strlen(q) * 2 + 3);
	if (!s)
		return NULL;
	size_t n = 0;
	s[n++] = '%';
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			s[n++] = '\\';
		s[n++] = *q;
	}
	s[n++] = '%';
	s[n] = '\0';
	return s;
}

static bool mapped(const struct manifest *m, const char *col)
{
	for (size_t i = 0; i < m->contacts.nfields; i++)
		if (!strcmp(m->contacts.fields[i].column, col))
			return true;
	return false;
}

static int load_contacts(struct req *r, const char *query, const struct tk_set *dnc,
			 struct tk_load *out, const char ***contactp)
{
	const struct manifest *m = r->web->mf;
	const typeof(m->contacts) *c = &m->contacts;
	memset(out, 0, sizeof *out);
	const char *like = like_of(r->a, query);
	char *where = arena_printf(r->a, "c.`%s` LIKE ?", c->display_name);
	size_t nlike = 1;
	if (mapped(m, "company"))
		where = arena_printf(r->a, "%s OR c.`company` LIKE ?", where), nlike++;
	if (mapped(m, "city"))
		where = arena_printf(r->a, "%s OR c.`city` LIKE ?", where), nlike++;
	char *sql = arena_printf(r->a,
		"SELECT p.phone, c.`%s`, c.`%s` FROM cc_contact_phone p JOIN `%s` c "
		"ON c.`%s` = p.contact_id WHERE COALESCE(c.`%s`, 0) <> 1%s%s%s AND (%s) "
		"ORDER BY c.`%s`, p.phone LIMIT ?",
		c->id, c->display_name, c->table, c->id, c->deleted,
		c->has_tenant ? " AND c.`" : "", c->has_tenant ? c->tenant : "",
		c->has_tenant ? "` = ?" : "", where, c->id);
	struct contacts_load cl = { .a = r->a, .out = out, .dnc = dnc,
				    .seen = tk_set_new(r->a, 1024) };
	if (!like || !where || !sql || !cl.seen)
		return -1;
	const char *v[5];
	size_t nv = 0;
	if (c->has_tenant)
		v[nv++] = c->tenant_value;
	for (size_t i = 0; i < nlike; i++)
		v[nv++] = like;
	char fmt[8];
	memset(fmt, 's', nv);
	fmt[nv] = 'i';
	fmt[nv + 1] = '\0';
	long long lim = TK_ROWS_MAX + 1;
	int rc;
	switch (nv) {
	case 1: rc = db_query(r->thr->db, sql, contact_h, &cl, fmt, v[0], lim); break;
	case 2: rc = db_query(r->thr->db, sql, contact_h, &cl, fmt, v[0], v[1], lim); break;
	case 3: rc = db_query(r->thr->db, sql, contact_h, &cl, fmt, v[0], v[1], v[2], lim); break;
	default: rc = db_query(r->thr->db, sql, contact_h, &cl, fmt, v[0], v[1], v[2], v[3], lim);
	}
	if (rc < 0 || cl.failed) {
		log_err("tasks: contacts: %s", db_error(r->thr->db));
		return -1;
	}
	*contactp = cl.contact;
	return 0;
}

/* The settings as the audit log keeps them. */
static json_t *audit_of(const struct tk_input *in, const char *caller_id, const struct tk_load *l)
{
	char results[160];
	tk_results_format(in->retry.results, results, sizeof results);
	return json_pack("{s:s, s:I, s:s, s:i, s:i, s:s, s:i, s:i, s:i, s:s, s:s, s:s, s:s, s:I, s:s}",
			 "name", in->name, "skill_group_id", (json_int_t)in->group_id, "caller_id",
			 caller_id, "max_concurrency", (int)in->max_concurrency, "agent_ratio",
			 (int)in->agent_ratio, "pacing", task_pacing_name(in->pacing),
			 "abandon_target", (int)in->abandon_target, "max_attempts",
			 (int)in->retry.max_attempts, "min_interval_s", (int)in->retry.min_interval_s,
			 "retry_results", results, "hours", in->hours, "time_zone", in->time_zone,
			 "source", in->source, "targets", (json_int_t)l->n, "recording",
			 rec_policy_name(in->recording));
}

/* Removes a task whose load failed (best effort, logged). */
static void drop(struct req *r, long long id)
{
	struct db *db = r->thr->db;
	if (db_exec(db, "DELETE FROM cc_task_target WHERE task_id = ?", "i", id) < 0 ||
	    db_exec(db, "DELETE FROM cc_dnc WHERE task_id = ?", "i", id) < 0 ||
	    db_exec(db, "DELETE FROM cc_task WHERE id = ? AND state = 'init'", "i", id) < 0)
		log_err("task %lld: a failed load left rows behind: %s", id, db_error(db));
}

_Static_assert(TK_BATCH * 5 <= DB_MAX_PARAMS, "a batch binds more values than a statement takes");

/* Targets [at, end) of a load and the progress, in one transaction. */
struct chunk {
	long long id;
	const struct tk_load *l;
	const char **contact;
	const char *full;	/* the INSERT of TK_BATCH rows */
	size_t at, end;
};

#define TK_ONE_TARGET "(?, ?, ?, ?, ?)"

/* The INSERT of k targets (in the arena), or NULL. */
static char *targets_sql(struct req *r, size_t k)
{
	char *s = arena_printf(r->a, "INSERT INTO cc_task_target (task_id, line, number, "
				     "contact_id, data) VALUES %s", TK_ONE_TARGET);
	for (size_t i = 1; s && i < k; i++)
		s = arena_printf(r->a, "%s, %s", s, TK_ONE_TARGET);
	return s;
}

static const char *chunk_body(struct req *r, void *arg)
{
	const struct chunk *c = arg;
	struct db *db = r->thr->db;
	const struct tk_load *l = c->l;
	union db_val v[TK_BATCH * 5];
	char fmt[TK_BATCH * 5 + 1];
	for (size_t at = c->at; at < c->end;) {
		size_t k = c->end - at < TK_BATCH ? c->end - at : TK_BATCH;
		const char *sql = k < TK_BATCH ? targets_sql(r, k) : c->full;
		if (!sql)
			return "db_unavailable";
		for (size_t i = 0; i < k; i++) {
			const struct tk_target *t = &l->t[at + i];
			v[i * 5].i = c->id;
			v[i * 5 + 1].i = (long long)t->line;
			v[i * 5 + 2].s = t->number;
			v[i * 5 + 3].s = c->contact ? c->contact[at + i] : NULL;
			v[i * 5 + 4].s = t->data;
			memcpy(fmt + i * 5, "iisss", 5);
		}
		fmt[k * 5] = '\0';
		if (db_execa(db, sql, fmt, v) < 0)
			return "db_unavailable";
		at += k;
	}
	if (db_exec(db, "UPDATE cc_task SET rows_read = ?, targets_total = ?, "
			"updated_at = NOW(3) WHERE id = ?",
		    "iii", (long long)(l->rows * c->end / l->n), (long long)c->end, c->id) < 0)
		return "db_unavailable";
	return NULL;
}

/* Inserts targets [0, n) of l, TK_COMMIT_EVERY a transaction, updating
 * the progress after each. */
static int insert_targets(struct req *r, long long id, const struct tk_load *l,
			  const char **contact, const char *job)
{
	struct chunk c = { id, l, contact, targets_sql(r, TK_BATCH), 0, 0 };
	if (!c.full)
		return -1;
	for (; c.at < l->n; c.at = c.end) {
		c.end = c.at + TK_COMMIT_EVERY < l->n ? c.at + TK_COMMIT_EVERY : l->n;
		if (web_txn(r, chunk_body, &c))
			return -1;
		if (job)
			jobs_progress(r->web->jobs, job, (long)c.end, (long)l->n);
	}
	return 0;
}

/* The task's row, its audit record and its own do-not-call numbers. */
struct create {
	const struct tk_input *in;
	const char *caller, *results;
	const struct tk_load *l;
	json_t *after;
	const char **own;
	size_t nown;
	long long id;
	bool created;	/* the last run got past the row and its record */
};

static const char *create_body(struct req *r, void *arg)
{
	struct create *t = arg;
	const struct tk_input *in = t->in;
	const struct tk_load *l = t->l;
	struct db *db = r->thr->db;
	t->id = 0;
	t->created = false;
	if (db_exec(db, "INSERT INTO cc_task (name, skill_group_id, caller_id_number_id, caller_id, "
			"max_concurrency, agent_ratio, pacing, abandon_target, max_attempts, "
			"min_interval_s, retry_results, hours, time_zone, state, rows_total, "
			"rows_bad, rows_duplicate, rows_dnc, created_by, updated_at, recording) VALUES "
			"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'init', ?, ?, ?, ?, ?, NOW(3), ?)",
			"siisiisiiisssiiiiss", in->name, in->group_id, in->number_id, t->caller,
			(long long)in->max_concurrency, (long long)in->agent_ratio,
			task_pacing_name(in->pacing), (long long)in->abandon_target,
			(long long)in->retry.max_attempts, (long long)in->retry.min_interval_s,
			t->results, in->hours, in->time_zone, (long long)l->rows, (long long)l->bad,
			(long long)l->duplicate, (long long)l->dnc, r->sess->user_id,
			rec_policy_name(in->recording)) < 0 ||
	    !(t->id = (long long)db_insert_id(db)) ||
	    audit_write(r, "task", arena_printf(r->a, "%lld", t->id), "create", NULL, t->after) < 0)
		return "db_unavailable";
	t->created = true;
	for (size_t i = 0; i < t->nown; i++)
		if (db_exec(db, "INSERT IGNORE INTO cc_dnc (number, task_id, created_by) "
				"VALUES (?, ?, ?)", "sis", t->own[i], t->id, r->sess->user_id) < 0)
			return "db_unavailable";
	return NULL;
}

const char *task_create_post(struct req *r)
{
	const char *job = req_query(r, "job");
	if (job && !jobs_id_ok(job))
		return "bad_request";
	struct tk_input in;
	const char *field = NULL;
	const char *e = tk_input_read(param, r, &in, &field);
	if (e)
		return invalid(r, field, e);
	in.name = text_trim(r->a, in.name);
	if (!in.name || utf8_chars(in.name) < 0 || text_has_controls(in.name, false))
		return invalid(r, "name", "task.invalid.name");
	struct db *db = r->thr->db;
	char caller[40] = "";
	int rc = db_query_value(db, caller, sizeof caller,
				"SELECT n.number FROM cc_skill_group_number sn JOIN cc_number n "
				"ON n.id = sn.number_id JOIN cc_skill_group g ON g.id = sn.skill_group_id "
				"WHERE sn.skill_group_id = ? AND sn.number_id = ? "
				"AND n.`usage` IN ('outbound', 'both')",
				"ii", in.group_id, in.number_id);
	if (rc < 0)
		return "db_unavailable";
	if (rc == 0)
		return invalid(r, "caller_id_number_id", "task.invalid.caller_id");
	struct ivr_tz *tz = NULL;
	if (ivr_tz_load(&tz, TK_ZONEINFO, in.time_zone))
		return invalid(r, "time_zone", "task.invalid.time_zone");
	ivr_tz_free(tz);

	/* Do-not-call: every task's, and this task's own list. */
	struct tk_set *dnc = tk_set_new(r->a, 1024);
	if (!dnc)
		return "internal";
	struct dnc_load dl = { r->a, dnc, false };
	if (db_query(db, "SELECT number FROM cc_dnc WHERE task_id = 0", dnc_h, &dl, NULL) < 0)
		return "db_unavailable";
	if (dl.failed)
		return "internal";
	const char **own = NULL;
	size_t nown = 0;
	if (in.dnc && *in.dnc) {
		own = arena_alloc(r->a, TK_DNC_MAX * sizeof *own);
		if (!own)
			return "internal";
		for (const char *p = in.dnc; *p;) {
			size_t k = strcspn(p, "\r\n,;");
			char *cell = arena_strndup(r->a, p, k);
			const char *t = cell ? text_trim(r->a, cell) : NULL;
			char num[TK_NUMBER_MAX + 8];
			if (t && *t) {
				if (nown == TK_DNC_MAX ||
				    phone_normalize(&r->web->phone, t, num, sizeof num) == PHONE_INVALID ||
				    strlen(num) > TK_NUMBER_MAX)
					return invalid(r, "dnc", "task.invalid.dnc");
				char *n = arena_strdup(r->a, num);
				if (!n || tk_set_add(dnc, n) < 0)
					return "internal";
				own[nown++] = n;
			}
			p += k;
			p += strspn(p, "\r\n,;");
		}
	}

	struct tk_load l;
	const char **contact = NULL;
	if (!strcmp(in.source, "csv")) {
		const struct upload *f = req_file(r, "targets");
		if (!f || !f->len)
			return tk_refuse(r, 422, "empty", "task.load.empty");
		size_t line = 0;
		e = tk_csv_load(r->a, (const char *)f->data, f->len, &r->web->phone, dnc, &l, &line);
		if (e) {
			int status = !strcmp(e, "task.load.too_many") ? 413
				   : !strcmp(e, "task.load.internal") ? 500 : 422;
			json_t *j = json_pack("{s:b, s:s, s:s, s:I}", "ok", 0, "error",
					      strchr(e + 5, '.') + 1, "message", web_t(r, e), "line",
					      (json_int_t)line);
			if (status == 413)
				json_object_set_new(j, "max", json_integer(TK_ROWS_MAX));
			return resp_json(r, status, j);
		}
	} else {
		if (load_contacts(r, in.query, dnc, &l, &contact) < 0)
			return "db_unavailable";
		if (l.rows > TK_ROWS_MAX)
			return tk_refuse(r, 413, "too_many", "task.load.too_many");
	}
	json_t *errors = json_array();
	for (size_t i = 0; i < l.nerrors; i++)
		json_array_append_new(errors, json_pack("{s:I, s:s}", "line",
							(json_int_t)l.errors[i].line, "message",
							web_t(r, l.errors[i].key)));
	if (!l.n) {
		json_t *j = json_pack("{s:b, s:s, s:s, s:I, s:I, s:I, s:I, s:o}", "ok", 0, "error",
				      "no_targets", "message", web_t(r, "task.load.no_targets"), "rows",
				      (json_int_t)l.rows, "bad", (json_int_t)l.bad, "duplicate",
				      (json_int_t)l.duplicate, "dnc", (json_int_t)l.dnc, "errors",
				      errors);
		return resp_json(r, 422, j);
	}

	long long t0 = web_now_ms();
	char results[160];
	tk_results_format(in.retry.results, results, sizeof results);
	if (job && !jobs_start(r->web->jobs, job, r->sess->user_id, (long)l.n)) {
		json_decref(errors);
		return tk_refuse(r, 409, "job_taken", "task.load.job_taken");
	}
	struct create t = { &in, caller, results, &l, audit_of(&in, caller, &l), own, nown, 0,
			    false };
	const char *why = web_txn(r, create_body, &t);
	json_decref(t.after);
	if (why && !t.created) {
		log_err("tasks: create: %s", db_error(db));
		json_decref(errors);
		if (job)
			jobs_finish(r->web->jobs, job);
		return "db_unavailable";
	}
	long long id = t.id;
	bool ok = !why;
	ok = ok && !insert_targets(r, id, &l, contact, job);
	/* Targets of a file find their contacts through the phone index. */
	ok = ok && (contact ||
		    db_exec(db, "UPDATE cc_task_target t JOIN cc_contact_phone p "
				"ON p.phone = t.number SET t.contact_id = p.contact_id "
				"WHERE t.task_id = ?", "i", id) >= 0);
	struct task_step step;
	e = task_apply(TASK_INIT, TASK_A_LOADED, NULL, &step);
	ok = ok && !e &&
	     db_exec(db, "UPDATE cc_task SET state = ?, rows_read = rows_total, targets_total = ? "
			 "WHERE id = ? AND state = 'init'",
			 "sii", task_state_name(step.next), (long long)l.n, id) == 1;
	if (job)
		jobs_finish(r->web->jobs, job);
	if (!ok) {
		log_err("task %lld: load failed: %s", id, db_error(db));
		drop(r, id);
		json_decref(errors);
		return tk_refuse(r, 503, "db_unavailable", "task.load.db_lost");
	}
	log_info("task %lld: %zu targets loaded (%zu rows, %zu bad, %zu duplicate, %zu dnc), "
		 "%lld ms", id, l.n, l.rows, l.bad, l.duplicate, l.dnc, web_now_ms() - t0);
	json_t *j = json_pack("{s:b, s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:I}", "ok", 1, "id",
			      (json_int_t)id, "state", task_state_name(step.next), "rows",
			      (json_int_t)l.rows, "targets", (json_int_t)l.n, "bad",
			      (json_int_t)l.bad, "duplicate", (json_int_t)l.duplicate, "dnc",
			      (json_int_t)l.dnc, "errors", errors, "ms",
			      (json_int_t)(web_now_ms() - t0));
	return resp_json(r, 201, j);
}

