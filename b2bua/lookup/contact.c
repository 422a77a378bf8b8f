/* Customer lookup and the phone index: see contact.h. */
#include "b2bua/lookup/contact.h"

#include "b2bua/call/call.h"
#include "b2bua/call/cdr.h"
#include "b2bua/db/dbq.h"
#include "arena.h"
#include "db.h"
#include "log.h"
#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *sql_lookup;	/* phone -> contact id, name */
static char *sql_changed;	/* contacts changed since a time, after an id */
static size_t nphones;
static struct phone_rules rules;

int contact_sql_init(const struct manifest *mf)
{
	const char *t = mf->contacts.table, *id = mf->contacts.id;
	char tenant[160] = "";
	if (mf->contacts.has_tenant)
		snprintf(tenant, sizeof tenant, " AND c.`%s` = '%s'", mf->contacts.tenant,
			 mf->contacts.tenant_value ? mf->contacts.tenant_value : "");
	/* tenant_value is the manifest's own constant, checked below. */
	for (const char *p = mf->contacts.tenant_value; p && *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '-'))
			return -1;
	free(sql_lookup);
	if (asprintf(&sql_lookup,
		     "SELECT c.`%s`, c.`%s` FROM cc_contact_phone p JOIN `%s` c ON c.`%s` = p.contact_id "
		     "WHERE p.phone = ? AND (c.`%s` IS NULL OR c.`%s` <> 1)%s "
		     "ORDER BY c.`%s` DESC, c.`%s` DESC LIMIT 1",
		     id, mf->contacts.display_name, t, id, mf->contacts.deleted, mf->contacts.deleted,
		     tenant, mf->contacts.touched, mf->contacts.updated) < 0)
		return -1;
	/* id, deleted, changed-at, then every phone column. */
	char cols[1024] = "";
	size_t off = 0;
	for (size_t i = 0; i < mf->contacts.nphones && off < sizeof cols; i++)
		off += snprintf(cols + off, sizeof cols - off, ", c.`%s`", mf->contacts.phones[i]);
	nphones = mf->contacts.nphones;
	free(sql_changed);
	if (asprintf(&sql_changed,
		     "SELECT c.`%s`, c.`%s`, DATE_FORMAT(GREATEST(COALESCE(c.`%s`, '1970-01-01'), "
		     "COALESCE(c.`%s`, '1970-01-01')), '%%Y-%%m-%%d %%H:%%i:%%s')%s FROM `%s` c "
		     "WHERE (c.`%s` >= ? OR c.`%s` >= ? OR (? = '1970-01-01 00:00:00')) AND c.`%s` > ? "
		     "ORDER BY c.`%s` LIMIT 500",
		     id, mf->contacts.deleted, mf->contacts.updated, mf->contacts.created, cols, t,
		     mf->contacts.updated, mf->contacts.created, id, id) < 0)
		return -1;
	return 0;
}

/* --- lookup ------------------------------------------------------------------ */

struct lookup_job {
	struct call *call;
	char phone[40];
	char id[65];
	char name[256];
	int found;
};

static int found_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct lookup_job *j = arg;
	(void)ncol;
	(void)lens;
	snprintf(j->id, sizeof j->id, "%s", v[0] ? v[0] : "");
	snprintf(j->name, sizeof j->name, "%s", v[1] ? v[1] : "");
	j->found = j->id[0] != '\0';
	return 1;
}

static int run_lookup(struct db *db, void *arg)
{
	struct lookup_job *j = arg;
	if (db_query(db, sql_lookup, found_row, j, "s", j->phone) < 0) {
		log_warn("call %s: contact lookup failed: %s", j->call->id, db_error(db));
		return -1;
	}
	return 0;
}

static void lookup_done(int rc, void *arg)
{
	struct lookup_job *j = arg;
	struct call *call = j->call;
	if (!rc && j->found && call->state != CALL_ENDING) {
		call->contact_id = su_strdup(call->home, j->id);
		call->contact_name = su_strdup(call->home, j->name);
		log_info("call %s: caller %s is contact %s", call->id, call->caller_norm, j->id);
		cdr_contact(call);
	}
	call_unref(call);
	free(j);
}

void contact_lookup(struct call *call)
{
	if (!call->caller_norm || !*call->caller_norm)
		return;
	struct lookup_job *j = calloc(1, sizeof *j);
	if (!j)
		return;
	j->call = call_ref(call);
	snprintf(j->phone, sizeof j->phone, "%s", call->caller_norm);
	if (dbq_submit(call->app->dbq, DBQ_QUERY, 0, run_lookup, lookup_done, j)) {
		call_unref(call);
		free(j);
	}
}

/* --- the phone index ----------------------------------------------------------- */

struct sync_job {
	struct app *app;
	char since[32];		/* watermark: changed-at of the last contact seen */
	char after[65];		/* id of the last contact seen at that time */
	unsigned indexed;
	bool busy;
};

struct contact_row {
	char id[65];
	int deleted;
	char changed[32];
	char phones[16][64];
};

struct sync_batch {
	struct contact_row *rows;
	size_t n, cap;
};

static int keep_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct sync_batch *b = arg;
	(void)lens;
	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 64;
		struct contact_row *r = realloc(b->rows, nc * sizeof *r);
		if (!r)
			return 1;
		b->rows = r;
		b->cap = nc;
	}
	struct contact_row *r = &b->rows[b->n++];
	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "%s", v[0]);
	r->deleted = v[1] && atoi(v[1]) == 1;
	snprintf(r->changed, sizeof r->changed, "%s", v[2] ? v[2] : "1970-01-01 00:00:00");
	for (int i = 3; i < ncol && i - 3 < 16; i++)
		snprintf(r->phones[i - 3], sizeof r->phones[i - 3], "%s", v[i] ? v[i] : "");
	return 0;
}

static int index_contact(struct db *db, const struct contact_row *r, const struct manifest *mf)
{
	if (db_exec(db, "DELETE FROM cc_contact_phone WHERE contact_id = ?", "s", r->id) < 0)
		return -1;
	if (r->deleted)
		return 0;
	for (size_t i = 0; i < nphones && i < 16; i++) {
		char norm[40];
		if (!r->phones[i][0] ||
		    phone_normalize(&rules, r->phones[i], norm, sizeof norm) == PHONE_INVALID)
			continue;
		if (db_exec(db, "INSERT IGNORE INTO cc_contact_phone (phone, contact_id, source_column) "
				"VALUES (?, ?, ?)",
			    "sss", norm, r->id, mf->contacts.phones[i]) < 0)
			return -1;
	}
	return 0;
}

static const struct manifest *sync_mf;

/* One batch: contacts changed at or after the watermark, in id order after
 * the last one seen. The watermark only moves forward when a whole batch
 * was indexed. */
static int run_sync(struct db *db, void *arg)
{
	struct sync_job *j = arg;
	struct sync_batch b = { 0 };
	if (!j->since[0]) {
		char v[64] = "";
		if (db_query_value(db, v, sizeof v,
				   "SELECT value FROM cc_setting WHERE name = 'contact_index_since'",
				   NULL) < 0)
			return -1;
		if (v[0] && strlen(v) < sizeof j->since)
			strcpy(j->since, v);
		else
			strcpy(j->since, "1970-01-01 00:00:00");
	}
	const char *start = j->since;
	char started_at[32];
	if (db_query_value(db, started_at, sizeof started_at,
			   "SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s')", NULL) < 0)
		return -1;
	j->after[0] = '\0';
	for (;;) {
		b.n = 0;
		if (db_query(db, sql_changed, keep_row, &b, "ssss", start, start, start, j->after) < 0)
			goto fail;
		for (size_t i = 0; i < b.n; i++) {
			if (index_contact(db, &b.rows[i], sync_mf))
				goto fail;
			j->indexed++;
		}
		if (b.n < 500)
			break;
		snprintf(j->after, sizeof j->after, "%s", b.rows[b.n - 1].id);
	}
	/* Changes made while this ran are seen next time: the new watermark is
	 * when this run started, less a second for clock granularity. */
	if (db_exec(db, "REPLACE INTO cc_setting (name, value) VALUES ('contact_index_since', "
			"DATE_FORMAT(? - INTERVAL 1 SECOND, '%Y-%m-%d %H:%i:%s'))",
		    "s", started_at) < 0)
		goto fail;
	snprintf(j->since, sizeof j->since, "%s", started_at);
	free(b.rows);
	return 0;
fail:
	log_warn("contact index: %s", db_error(db));
	free(b.rows);
	return -1;
}

static void sync_done(int rc, void *arg)
{
	struct sync_job *j = arg;
	if (!rc && j->indexed)
		log_info("contact index: %u contacts indexed", j->indexed);
	j->indexed = 0;
	j->busy = false;
}

void contact_sync(struct app *app)
{
	static struct sync_job job;
	if (job.busy)
		return;
	if (!sync_mf) {
		sync_mf = app->mf;
		rules = app->phone;
	}
	job.app = app;
	job.busy = true;
	if (dbq_submit(app->dbq, DBQ_QUERY, 0, run_sync, sync_done, &job))
		job.busy = false;
}
