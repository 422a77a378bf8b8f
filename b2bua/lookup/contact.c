/* Customer lookup and the phone index: see contact.h. */
#include "b2bua/lookup/contact.h"
#include "b2bua/lookup/lookup_priv.h"

#include "b2bua/db/dbq.h"
#include "db.h"
#include "log.h"
#include "manifest.h"
#include "phone.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int lookup_alloc(struct lookup **lp, struct dbq *dbq, struct manifest *mf,
		 const struct phone_rules *rules)
{
	struct lookup *lk = calloc(1, sizeof *lk);
	if (!lk)
		return ENOMEM;
	lk->dbq = dbq;
	lk->mf = mf;
	lk->rules = *rules;
	lk->sync.lk = lk;
	*lp = lk;
	return 0;
}

void lookup_free(struct lookup *lk)
{
	if (!lk)
		return;
	free(lk->sql_lookup);
	free(lk->sql_changed);
	free(lk);
}

int lookup_prepare(struct lookup *lk, struct db *db)
{
	const struct manifest *mf = lk->mf;
	if (manifest_detect(lk->mf, db)) {
		log_err("cannot read the helpdesk's contacts table: %s", db_error(db));
		return -1;
	}
	const char *t = mf->contacts.table, *id = mf->contacts.id;
	char tenant[160] = "";
	lk->has_tenant = mf->contacts.has_tenant;
	if (lk->has_tenant)
		snprintf(tenant, sizeof tenant, " AND c.`%s` = ?", mf->contacts.tenant);
	/* The record's fields the manifest maps, for IVR flows. */
	char fields[1024] = "";
	size_t foff = 0;
	for (size_t i = 0; i < mf->contacts.nfields && i < LOOKUP_FIELDS_MAX && foff < sizeof fields; i++)
		foff += (size_t)snprintf(fields + foff, sizeof fields - foff, ", c.`%s`",
					 mf->contacts.fields[i].column);
	/* phone_rank (phone, touched, updated) read backwards: no sort, and a
	 * number many contacts share reads one row (docs/lookup.md). */
	free(lk->sql_lookup);
	if (asprintf(&lk->sql_lookup,
		     "SELECT c.`%s`, c.`%s`, (SELECT d.user_id FROM cc_dedicated_agent d "
		     "WHERE d.contact_id = p.contact_id)%s "
		     "FROM cc_contact_phone p JOIN `%s` c ON c.`%s` = p.contact_id "
		     "WHERE p.phone = ? AND (c.`%s` IS NULL OR c.`%s` <> 1)%s "
		     "ORDER BY p.touched DESC, p.updated DESC LIMIT 1",
		     id, mf->contacts.display_name, fields, t, id, mf->contacts.deleted,
		     mf->contacts.deleted, tenant) < 0) {
		lk->sql_lookup = NULL;
		return -1;
	}
	/* id, deleted, touched, updated, then every phone column. */
	char cols[1024] = "";
	size_t off = 0;
	for (size_t i = 0; i < mf->contacts.nphones && i < MAX_PHONES && off < sizeof cols; i++)
		off += (size_t)snprintf(cols + off, sizeof cols - off, ", c.`%s`", mf->contacts.phones[i]);
	free(lk->sql_changed);
	if (asprintf(&lk->sql_changed,
		     "SELECT c.`%s`, c.`%s`, c.`%s`, c.`%s`%s FROM `%s` c "
		     "WHERE (c.`%s` >= ? OR c.`%s` >= ? OR c.`%s` >= ? "
		     "OR (? = '1970-01-01 00:00:00')) AND c.`%s` > ? ORDER BY c.`%s` LIMIT %d",
		     id, mf->contacts.deleted, mf->contacts.touched, mf->contacts.updated, cols, t,
		     mf->contacts.updated, mf->contacts.created, mf->contacts.touched, id, id,
		     SYNC_BATCH) < 0) {
		lk->sql_changed = NULL;
		return -1;
	}
	return 0;
}

/* --- lookup ------------------------------------------------------------------ */

struct lookup_job {
	struct lookup *lk;
	lookup_h *h;
	void *arg;
	char phone[40];
	char id[65];
	char name[256];
	char agent[65];
	int found;
	struct lookup_field fields[LOOKUP_FIELDS_MAX];
	size_t nfields;
	char values[LOOKUP_FIELDS_MAX][256];
};

static int found_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct lookup_job *j = arg;
	(void)ncol;
	(void)lens;
	snprintf(j->id, sizeof j->id, "%s", v[0] ? v[0] : "");
	snprintf(j->name, sizeof j->name, "%s", v[1] ? v[1] : "");
	snprintf(j->agent, sizeof j->agent, "%s", ncol > 2 && v[2] ? v[2] : "");
	j->found = j->id[0] != '\0';
	const struct manifest *mf = j->lk->mf;
	for (int c = 3; c < ncol && j->nfields < LOOKUP_FIELDS_MAX && j->nfields < mf->contacts.nfields;
	     c++) {
		size_t i = j->nfields++;
		snprintf(j->values[i], sizeof j->values[i], "%s", v[c] ? v[c] : "");
		j->fields[i] = (struct lookup_field){ mf->contacts.fields[i].column, j->values[i] };
	}
	return 1;
}

static int run_lookup(struct db *db, void *arg)
{
	struct lookup_job *j = arg;
	const struct lookup *lk = j->lk;
	int rc = lk->has_tenant
		? db_query(db, lk->sql_lookup, found_row, j, "ss", j->phone, lk->mf->contacts.tenant_value)
		: db_query(db, lk->sql_lookup, found_row, j, "s", j->phone);
	if (rc < 0) {
		log_warn("contact lookup of %s failed: %s", j->phone, db_error(db));
		return -1;
	}
	return 0;
}

static void lookup_done(int rc, void *arg)
{
	struct lookup_job *j = arg;
	bool found = !rc && j->found;
	j->h(j->arg, found ? j->id : NULL, found ? j->name : NULL,
	     found && j->agent[0] ? j->agent : NULL, j->fields, found ? j->nfields : 0);
	free(j);
}

int lookup_contact(struct lookup *lk, const char *norm, lookup_h *h, void *arg)
{
	if (!norm || !*norm || !lk->sql_lookup)
		return -1;
	struct lookup_job *j = calloc(1, sizeof *j);
	if (!j)
		return -1;
	j->lk = lk;
	j->h = h;
	j->arg = arg;
	snprintf(j->phone, sizeof j->phone, "%s", norm);
	if (dbq_submit(lk->dbq, DBQ_QUERY, 0, run_lookup, lookup_done, j)) {
		free(j);
		return -1;
	}
	return 0;
}

/* --- the agent who served a caller last ------------------------------------------ */

struct last_job {
	lookup_agent_h *h;
	void *arg;
	char phone[40];
	char agent[65];
};

static int last_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct last_job *j = arg;
	(void)ncol;
	(void)lens;
	snprintf(j->agent, sizeof j->agent, "%s", v[0] ? v[0] : "");
	return 1;
}

static int run_last(struct db *db, void *arg)
{
	struct last_job *j = arg;
	/* caller_idx (caller_norm, started_at): the newest answered call. */
	if (db_query(db, "SELECT agent_id FROM cc_call WHERE caller_norm = ? "
			 "AND answered_at IS NOT NULL AND agent_id IS NOT NULL "
			 "ORDER BY started_at DESC LIMIT 1", last_row, j, "s", j->phone) < 0) {
		log_warn("last agent of %s: %s", j->phone, db_error(db));
		return -1;
	}
	return 0;
}

static void last_done(int rc, void *arg)
{
	struct last_job *j = arg;
	j->h(j->arg, !rc && j->agent[0] ? j->agent : NULL);
	free(j);
}

int lookup_last_agent(struct lookup *lk, const char *norm, lookup_agent_h *h, void *arg)
{
	if (!lk || !norm || !*norm)
		return -1;
	struct last_job *j = calloc(1, sizeof *j);
	if (!j)
		return -1;
	j->h = h;
	j->arg = arg;
	snprintf(j->phone, sizeof j->phone, "%s", norm);
	if (dbq_submit(lk->dbq, DBQ_QUERY, 0, run_last, last_done, j)) {
		free(j);
		return -1;
	}
	return 0;
}
