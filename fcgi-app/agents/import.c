/* Importing agents from a CSV file (docs/agents.md, "Import").
 *
 * POST /cc/api/admin/agents/import?job=ID with the file as the body
 * (Content-Type: text/csv, at most upload_max_kb) answers when the import
 * is over with the report; meanwhile GET /cc/api/admin/agents/import/ID
 * (another request, another thread) tells how many rows are done, for the
 * page's progress bar.
 *
 * The whole file is read and counted first: a file that is not UTF-8 or
 * GBK, has no usable header, or more than AG_IMPORT_MAX_ROWS rows is
 * refused before anything is written. Then every row is checked and
 * written in its own transaction (its helpdesk user, role, SIP account,
 * skill groups, audit record): a bad row is reported with its line and
 * reason and leaves nothing behind; the good ones are imported. A row
 * whose user is already an agent (with that extension, or none given) is
 * unchanged, so importing a file again changes nothing. */
#include "agents.h"

#include "../jobs.h"
#include "../tmpl/page.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

void ag_import_error(struct req *r, struct ag_batch_out *rep, size_t line, const char *field,
		     const char *key)
{
	rep->failed++;
	/* The first 1000 reasons: enough to fix a file, small enough to show. */
	if (json_array_size(rep->errors) < 1000)
		json_array_append_new(rep->errors,
				      json_pack("{s:I, s:s?, s:s}", "line", (json_int_t)line,
						"field", field, "message", web_t(r, key)));
}

struct user_row {
	char id[40];
	bool agent, found;
};

static int user_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct user_row *u = arg;
	if (ncol < 5 || !v[0] || (v[4] && strcmp(v[4], "0")))
		return 0;
	snprintf(u->id, sizeof u->id, "%s", v[0]);
	u->agent = v[3] && strcmp(v[3], "0");
	u->found = true;
	return 1;
}

int ag_import_one(struct req *r, const struct ag_input *in, size_t line, struct ag_batch_out *rep)
{
	struct db *db = r->thr->db;
	const struct ag_sql *s = ag_sql(r);
	if (!s)
		return -1;
	struct user_row u = { .found = false };
	if (db_query(db, s->user_by_username, user_h, &u, "s", in->username) < 0)
		return -1;
	if (u.found && u.agent) {
		char ext[80] = "";
		int rc = db_query_value(db, ext, sizeof ext,
					"SELECT username FROM cc_sip_account WHERE user_id = ?", "s", u.id);
		if (rc < 0)
			return -1;
		if (rc && (!in->extension || !*in->extension || !strcmp(in->extension, ext))) {
			rep->unchanged++;
			return 0;
		}
		ag_import_error(r, rep, line, "username", rc ? "agents.import.other_ext" : "agents.v.already_agent");
		return 0;
	}
	json_t *errs = json_object();
	struct ag_write w = { 0 };
	int rc = ag_txn_create(r, db, in, true, errs, &w);
	if (rc <= 0) {
		if (rc < 0) {
			json_decref(errs);
			return -1;
		}
		const char *k;
		json_t *v;
		json_object_foreach(errs, k, v) {
			ag_import_error(r, rep, line, k, json_string_value(v));
			break;
		}
		json_decref(errs);
		return 0;
	}
	json_decref(errs);
	rep->created++;
	json_array_append_new(rep->passwords,
			      json_pack("{s:I, s:s, s:s, s:s}", "line", (json_int_t)line, "username",
					in->username, "extension", w.extension, "sip_password",
					w.sip_password));
	memset(w.sip_password, 0, sizeof w.sip_password);
	return 0;
}

struct record {
	char **cells;
	size_t n, line;
};

const char *agents_import_post(struct req *r)
{
	const char *job = req_query(r, "job");
	if (job && !jobs_id_ok(job))
		return "bad_request";
	if (!r->body || !r->body_len)
		return ag_refuse(r, 400, "empty", "agents.import.empty");
	size_t len, bad_line;
	char *text = csv_utf8(r->a, r->body, r->body_len, &len, &bad_line);
	if (!text) {
		json_t *j = json_pack("{s:b, s:s, s:s, s:I}", "ok", 0, "error", "encoding", "message",
				      web_t(r, "agents.import.encoding"), "line", (json_int_t)bad_line);
		return resp_json(r, 422, j);
	}
	/* Every record first: the count decides before anything is written. */
	struct csv_reader c;
	csv_init(&c, text, len);
	size_t cap = 1024, n = 0;
	struct record *recs = arena_alloc(r->a, cap * sizeof *recs);
	for (;;) {
		char *cells[AGI_N + 8];
		size_t nf, line;
		int rc = csv_next(&c, r->a, cells, AGI_N + 8, &nf, &line);
		if (rc == 0)
			break;
		if (!recs)
			return "internal";
		if (rc < 0 && nf <= AGI_N + 8) {
			json_t *j = json_pack("{s:b, s:s, s:s, s:I}", "ok", 0, "error", "malformed",
					      "message", web_t(r, "agents.import.malformed"), "line",
					      (json_int_t)c.line);
			return resp_json(r, 422, j);
		}
		if (n > AG_IMPORT_MAX_ROWS) {	/* the header and more rows than allowed */
			json_t *j = json_pack("{s:b, s:s, s:s, s:i}", "ok", 0, "error", "too_many_rows",
					      "message", web_t(r, "agents.import.too_many"), "max",
					      AG_IMPORT_MAX_ROWS);
			return resp_json(r, 413, j);
		}
		if (n == cap) {
			struct record *p = arena_alloc(r->a, cap * 2 * sizeof *p);
			if (!p)
				return "internal";
			memcpy(p, recs, n * sizeof *p);
			recs = p;
			cap *= 2;
		}
		struct record *rec = &recs[n++];
		rec->line = line;
		rec->n = rc < 0 ? 0 : nf;	/* too many cells: reported below */
		rec->cells = arena_alloc(r->a, (nf ? nf : 1) * sizeof *rec->cells);
		if (!rec->cells)
			return "internal";
		if (rc > 0)
			memcpy(rec->cells, cells, nf * sizeof *cells);
	}
	int map[AGI_N];
	const char *e = n ? ag_import_header(recs[0].cells, recs[0].n, map) : "agents.import.empty";
	if (e)
		return ag_refuse(r, 422, "bad_header", e);
	const struct ag_sql *s = ag_sql(r);
	if (!s)
		return "internal";
	long total = (long)n - 1;
	if (job && !jobs_start(r->web->jobs, job, r->sess->user_id, total))
		return ag_refuse(r, 409, "job_taken", "agents.import.job_taken");

	struct ag_batch_out rep = { json_array(), json_array(), 0, 0, 0 };
	long long t0 = web_now_ms();
	struct ag_batch *batch = ag_batch_new(r, s, &rep);
	if (!batch) {
		json_decref(rep.errors);
		json_decref(rep.passwords);
		if (job)
			jobs_finish(r->web->jobs, job);
		return "db_unavailable";
	}
	const char *why = NULL;
	for (size_t i = 1; i < n; i++) {
		struct record *rec = &recs[i];
		struct ag_input in;
		const char *field = NULL;
		e = rec->n ? ag_import_row(r->a, rec->cells, rec->n, map, &in, &field)
			   : "agents.import.too_many_cells";
		if (e)
			ag_import_error(r, &rep, rec->line, field, e);
		else if (ag_batch_row(batch, &in, rec->line) < 0) {
			log_err("agents: import: line %zu: %s", rec->line, db_error(r->thr->db));
			why = "db_unavailable";
			break;
		}
		if (job && (i % 50 == 0 || i == n - 1))
			jobs_progress(r->web->jobs, job, (long)i, total);
	}
	if (!why && ag_batch_flush(batch) < 0) {
		log_err("agents: import: %s", db_error(r->thr->db));
		why = "db_unavailable";
	}
	if (job)
		jobs_finish(r->web->jobs, job);
	bool reloaded = rep.created ? ag_reload(r) : true;
	log_info("agents: import: %ld rows, %ld created, %ld unchanged, %ld refused, %lld ms", total,
		 rep.created, rep.unchanged, rep.failed, web_now_ms() - t0);
	json_t *j = json_pack("{s:b, s:I, s:I, s:I, s:I, s:o, s:o, s:b, s:I}", "ok", why == NULL,
			      "total", (json_int_t)total, "created", (json_int_t)rep.created,
			      "unchanged", (json_int_t)rep.unchanged, "failed",
			      (json_int_t)rep.failed, "errors", rep.errors, "passwords",
			      rep.passwords, "reloaded", reloaded, "ms",
			      (json_int_t)(web_now_ms() - t0));
	if (why) {
		/* Rows before the failure are in; the rest were not tried. */
		json_object_set_new(j, "error", json_string(why));
		json_object_set_new(j, "message", json_string(web_t(r, "agents.import.db_lost")));
		return resp_json(r, 503, j);
	}
	return resp_json(r, 200, j);
}

const char *agents_import_get(struct req *r)
{
	xmlDoc *doc;
	xmlNode *e = ag_page_begin(r, "import", &doc);
	if (!e)
		return "internal";
	xd_attr_int(e, "max-rows", AG_IMPORT_MAX_ROWS);
	xd_attr_int(e, "max-kb", r->web->conf.upload_max_kb);
	return page_finish(r, doc, "agents", 200);
}
