/* The phone index's upkeep from the contacts table: see contact.h
 * (lookup_sync) and docs/lookup.md. */
#include "b2bua/lookup/contact.h"
#include "b2bua/lookup/lookup_priv.h"

#include "b2bua/db/dbq.h"
#include "contact_index.h"
#include "db.h"
#include "log.h"
#include "manifest.h"

#include <stdlib.h>
#include <string.h>

/* --- the phone index ----------------------------------------------------------- */

struct contact_row {
	char id[65];
	int deleted;
	char touched[32], updated[32];	/* "" for NULL */
	char phones[MAX_PHONES][64];
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
	snprintf(r->touched, sizeof r->touched, "%s", v[2] ? v[2] : "");
	snprintf(r->updated, sizeof r->updated, "%s", v[3] ? v[3] : "");
	for (int i = 4; i < ncol && i - 4 < MAX_PHONES; i++)
		snprintf(r->phones[i - 4], sizeof r->phones[i - 4], "%s", v[i] ? v[i] : "");
	return 0;
}

/* Notes what the loop must forget once the run is over: the contact (its
 * answers under numbers it may have lost) and its numbers now (answers
 * that may name another contact, or none). */
static void note_forget(struct sync_forget *f, const struct lookup *lk, const char *id,
			const char *const *phones)
{
	if (f->all)
		return;
	char numbers[MAX_PHONES][CONTACT_INDEX_NUMBER];
	size_t n = phones ? contact_index_numbers(lk->mf, &lk->rules, phones, numbers, MAX_PHONES)
			  : 0;
	if (f->nids == SYNC_FORGET_MAX) {
		f->all = true;
		return;
	}
	if (f->nids == f->capids) {
		size_t cap = f->capids ? f->capids * 2 : 64;
		char (*p)[65] = realloc(f->ids, cap * sizeof *p);
		if (!p) {
			f->all = true;
			return;
		}
		f->ids = p;
		f->capids = cap;
	}
	if (f->nnumbers + n > f->capnumbers) {
		size_t cap = f->capnumbers ? f->capnumbers * 2 : 128;
		while (cap < f->nnumbers + n)
			cap *= 2;
		char (*p)[CONTACT_INDEX_NUMBER] = realloc(f->numbers, cap * sizeof *p);
		if (!p) {
			f->all = true;
			return;
		}
		f->numbers = p;
		f->capnumbers = cap;
	}
	snprintf(f->ids[f->nids++], sizeof f->ids[0], "%s", id);
	if (n)
		memcpy(f->numbers[f->nnumbers], numbers, n * sizeof numbers[0]);
	f->nnumbers += n;
}

static int index_contact(struct db *db, struct sync_job *j, const struct contact_row *r)
{
	const struct lookup *lk = j->lk;
	const char *phones[MAX_PHONES];
	for (size_t i = 0; i < MAX_PHONES; i++)
		phones[i] = r->phones[i];
	struct contact_rank rank = { r->touched[0] ? r->touched : NULL,
				     r->updated[0] ? r->updated : NULL };
	/* Noted first: a row half written (the run failed after the delete)
	 * is forgotten too. */
	note_forget(&j->forget, lk, r->id, r->deleted ? NULL : phones);
	return contact_index_set(db, lk->mf, &lk->rules, r->id, r->deleted ? NULL : phones, &rank);
}

/* Contacts created, updated or touched at or after the watermark, in
 * batches in id order. The watermark only moves forward when every batch
 * was indexed. */
static int run_sync(struct db *db, void *arg)
{
	struct sync_job *j = arg;
	const struct lookup *lk = j->lk;
	struct sync_batch b = { 0 };
	if (!lk->sql_changed)
		return -1;
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
	/* Changes made while this runs are seen next time: the next watermark
	 * is when this run started, less a second for the columns' whole
	 * seconds and for a change committed just after this run's read. */
	char next[32];
	if (db_query_value(db, next, sizeof next,
			   "SELECT DATE_FORMAT(NOW() - INTERVAL 1 SECOND, '%Y-%m-%d %H:%i:%s')",
			   NULL) < 0)
		return -1;
	j->after[0] = '\0';
	for (;;) {
		b.n = 0;
		if (db_query(db, lk->sql_changed, keep_row, &b, "sssss", start, start, start, start,
			     j->after) < 0)
			goto fail;
		for (size_t i = 0; i < b.n; i++) {
			if (index_contact(db, j, &b.rows[i]))
				goto fail;
			j->indexed++;
		}
		if (b.n < SYNC_BATCH)
			break;
		snprintf(j->after, sizeof j->after, "%s", b.rows[b.n - 1].id);
	}
	if (db_exec(db, "REPLACE INTO cc_setting (name, value) VALUES ('contact_index_since', ?)",
		    "s", next) < 0)
		goto fail;
	snprintf(j->since, sizeof j->since, "%s", next);
	free(b.rows);
	return 0;
fail:
	log_warn("contact index: %s", db_error(db));
	free(b.rows);
	return -1;
}

static void start(struct lookup *lk);

static void sync_done(int rc, void *arg)
{
	struct sync_job *j = arg;
	struct lookup *lk = j->lk;
	if (!rc && j->indexed)
		log_info("contact index: %u contacts indexed", j->indexed);
	/* Also after a failure: the contacts indexed before it changed. */
	lookup_forget_synced(lk, &j->forget);
	if (!rc && j->seq > lk->synced)
		lk->synced = j->seq;
	j->indexed = 0;
	j->busy = false;
	if (j->again) {
		j->again = false;
		start(lk);
	}
}

/* Starts a run with the next ticket (lk->sync_seq, given already). */
static void start(struct lookup *lk)
{
	struct sync_job *j = &lk->sync;
	j->busy = true;
	j->seq = lk->sync_seq;
	if (dbq_submit(lk->dbq, DBQ_QUERY, 0, run_sync, sync_done, j))
		j->busy = false;
}

void lookup_sync(struct lookup *lk)
{
	if (lk->sync.busy || !lk->sql_changed)
		return;
	lk->sync_seq++;
	start(lk);
}

unsigned lookup_sync_now(struct lookup *lk)
{
	if (!lk->sql_changed)
		return 0;
	if (lk->sync.busy) {
		/* The run under way may have read the contacts already: the
		 * next one is this request's. */
		if (!lk->sync.again) {
			lk->sync.again = true;
			lk->sync_seq++;
		}
		return lk->sync_seq;
	}
	lk->sync_seq++;
	start(lk);
	return lk->sync.busy ? lk->sync_seq : 0;
}
