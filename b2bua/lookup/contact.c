/* Customer lookup and its cache: see contact.h and docs/lookup.md. */
#include "b2bua/lookup/contact.h"
#include "b2bua/lookup/cache.h"
#include "b2bua/lookup/lookup_priv.h"

#include "b2bua/core/core.h"
#include "b2bua/core/tmr.h"
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
#include <time.h>

struct lookup_job {
	struct lookup_job *next;	/* in the list of answers from the cache */
	struct lookup *lk;
	lookup_h *h;
	void *arg;
	unsigned long gen;		/* lk->gen when the query was sent */
	char phone[40];
	char id[65];
	char name[256];
	char agent[65];
	int found;
	struct lookup_field fields[LOOKUP_FIELDS_MAX];
	size_t nfields;
	char values[LOOKUP_FIELDS_MAX][256];
};

int lookup_alloc(struct lookup **lp, struct core *core, struct dbq *dbq, struct manifest *mf,
		 const struct phone_rules *rules)
{
	if (!lp || !core || !dbq || !mf || !rules)
		return EINVAL;
	struct lookup *lk = calloc(1, sizeof *lk);
	if (!lk)
		return ENOMEM;
	if (lookup_cache_alloc(&lk->cache)) {
		free(lk);
		return ENOMEM;
	}
	lk->core = core;
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
	if (lk->hits)
		log_warn("contact lookup: answers from memory dropped undelivered at shutdown");
	while (lk->hits) {
		struct lookup_job *j = lk->hits;
		lk->hits = j->next;
		free(j);
	}
	tmr_free(&lk->t_hits);
	lookup_cache_free(lk->cache);
	free(lk->sync.forget.ids);
	free(lk->sync.forget.numbers);
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

/* The bounds in force (run-time keys). */
static struct lookup_cache_limits limits(const struct lookup *lk)
{
	const struct b2bua_conf *c = lk->core->conf;
	return (struct lookup_cache_limits){
		.max_entries = c->contact_cache_max > 0 ? (size_t)c->contact_cache_max : 0,
		.max_bytes = (size_t)c->contact_cache_mb * 1024 * 1024,
	};
}

/* A steady clock for expiries: a step of the wall clock neither keeps an
 * answer longer nor drops every one. */
static long long steady_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void deliver(struct lookup_job *j, bool found)
{
	j->h(j->arg, found ? j->id : NULL, found ? j->name : NULL,
	     found && j->agent[0] ? j->agent : NULL, j->fields, found ? j->nfields : 0);
	free(j);
}

/* The database's answer, kept unless a forget came since the query was
 * sent (it may have read the contact before the change) or the database
 * did not answer. */
static void lookup_done(int rc, void *arg)
{
	struct lookup_job *j = arg;
	struct lookup *lk = j->lk;
	struct lookup_cache_limits lim = limits(lk);
	if (!rc && j->gen != lk->gen)
		lk->uncached++;
	else if (!rc && lim.max_entries) {
		struct lookup_answer a = { 0 };
		if (j->found)
			a = (struct lookup_answer){ j->id, j->name, j->agent[0] ? j->agent : NULL,
						    j->fields, j->nfields };
		long long ttl = (long long)lk->core->conf->contact_cache_ttl_s * 1000;
		int err = lookup_cache_put(lk->cache, j->phone, &a, steady_ms() + ttl, &lim);
		if (err && err != E2BIG)
			log_warn("contact lookup: cannot keep the answer for %s (out of memory)",
				 j->phone);
	}
	deliver(j, !rc && j->found);
}

static void run_hits(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct lookup *lk = arg;
	(void)magic;
	(void)t;
	lookup_flush(lk);
}

void lookup_flush(struct lookup *lk)
{
	if (!lk)
		return;
	/* Taken whole: a callback that looks up again queues for the next
	 * turn. */
	struct lookup_job *j = lk->hits;
	lk->hits = lk->hits_tail = NULL;
	while (j) {
		struct lookup_job *next = j->next;
		deliver(j, j->found);
		j = next;
	}
}

/* Copies the kept answer a into j and queues it for the loop's next turn.
 * 0, or -1 when the turn cannot be scheduled. */
static int answer_from_memory(struct lookup *lk, struct lookup_job *j,
			      const struct lookup_answer *a)
{
	if (!lk->hits && tmr_once(lk->core->root, &lk->t_hits, 0, run_hits, lk))
		return -1;
	j->found = a->id != NULL;
	if (j->found) {
		snprintf(j->id, sizeof j->id, "%s", a->id);
		snprintf(j->name, sizeof j->name, "%s", a->name ? a->name : "");
		snprintf(j->agent, sizeof j->agent, "%s", a->agent ? a->agent : "");
		for (size_t i = 0; i < a->nfields && i < LOOKUP_FIELDS_MAX; i++) {
			snprintf(j->values[i], sizeof j->values[i], "%s", a->fields[i].value);
			j->fields[i] = (struct lookup_field){ a->fields[i].column, j->values[i] };
			j->nfields = i + 1;
		}
	}
	if (lk->hits_tail)
		lk->hits_tail->next = j;
	else
		lk->hits = j;
	lk->hits_tail = j;
	return 0;
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
	struct lookup_cache_limits lim = limits(lk);
	if (!lim.max_entries) {
		lookup_cache_forget_all(lk->cache);
	} else {
		lookup_cache_trim(lk->cache, &lim);
		const struct lookup_answer *a = lookup_cache_get(lk->cache, j->phone, steady_ms());
		if (a && !answer_from_memory(lk, j, a))
			return 0;
	}
	j->gen = lk->gen;
	if (dbq_submit(lk->dbq, DBQ_QUERY, 0, run_lookup, lookup_done, j)) {
		free(j);
		return -1;
	}
	lk->queries++;
	return 0;
}

/* --- forgetting ---------------------------------------------------------------- */

size_t lookup_forget_contact(struct lookup *lk, const char *id)
{
	lk->gen++;
	return id && *id ? lookup_cache_forget_contact(lk->cache, id) : 0;
}

size_t lookup_forget_number(struct lookup *lk, const char *number)
{
	char norm[CONTACT_INDEX_NUMBER];
	lk->gen++;
	if (!number || phone_normalize(&lk->rules, number, norm, sizeof norm) == PHONE_INVALID)
		return 0;
	return lookup_cache_forget_number(lk->cache, norm);
}

size_t lookup_forget_all(struct lookup *lk)
{
	lk->gen++;
	return lookup_cache_forget_all(lk->cache);
}

void lookup_forget_synced(struct lookup *lk, struct sync_forget *f)
{
	size_t n = 0;
	if (f->all) {
		n = lookup_forget_all(lk);
	} else {
		for (size_t i = 0; i < f->nids; i++)
			n += lookup_forget_contact(lk, f->ids[i]);
		for (size_t i = 0; i < f->nnumbers; i++)
			n += lookup_forget_number(lk, f->numbers[i]);
	}
	if (n)
		log_debug("contact lookup: %zu kept answers forgotten after the index sync", n);
	f->nids = f->nnumbers = 0;
	f->all = false;
}

void lookup_get_stats(const struct lookup *lk, struct lookup_stats *st)
{
	struct lookup_cache_stats cs;
	lookup_cache_get_stats(lk->cache, &cs);
	struct lookup_cache_limits lim = limits(lk);
	*st = (struct lookup_stats){
		.entries = cs.entries, .bytes = cs.bytes,
		.max_entries = lim.max_entries, .max_bytes = lim.max_bytes,
		.hits = cs.hits, .misses = cs.misses, .queries = lk->queries,
		.stored = cs.stored, .forgotten = cs.forgotten, .evicted = cs.evicted,
		.expired = cs.expired, .uncached = lk->uncached, .synced = lk->synced,
	};
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
