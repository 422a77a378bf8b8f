/* Saving a contact from the workbench (see contact.h and docs/contacts.md).
 *
 * Only the manifest's mapped fields are written, plus the bookkeeping
 * columns the manifest names (updated, touched, updater; on insert also
 * created, creator, department, shares, deleted and the tenant when the
 * host has one). What the agent typed is stored as typed; the normalized
 * forms go to cc_contact_phone only. */
#include "contact.h"

#include "contact_index.h"
#include "db.h"
#include "log.h"
#include "manifest.h"
#include "rnd.h"
#include "../sqlq.h"

#include <string.h>

/* Empty input is stored as NULL. */
static const char *stored(const char *v)
{
	return v && *v ? v : NULL;
}

static const char *update(struct db *db, const struct web *w, const struct contact_edit *e,
			  struct arena *a)
{
	const typeof(w->mf->contacts) *c = &w->mf->contacts;
	const char *p[DBV_MAX];
	int n = 0;
	char *sql = arena_printf(a, "UPDATE `%s` SET ", c->table);
	for (size_t i = 0; i < c->nfields && sql; i++) {
		if (!e->values[i])
			continue;
		if (n >= DBV_MAX - 4)
			return "internal";
		sql = arena_printf(a, "%s`%s` = ?, ", sql, c->fields[i].column);
		p[n++] = stored(e->values[i]);
	}
	sql = arena_printf(a, "%s`%s` = NOW(), `%s` = NOW(), `%s` = ?, `%s` = ? WHERE `%s` = ?", sql,
			   c->updated, c->touched, c->updater, c->updater_name, c->id);
	if (!sql)
		return "internal";
	p[n++] = e->agent_id;
	p[n++] = e->agent_username;
	p[n++] = e->id;
	if (dbv_exec(db, sql, p, n) < 0) {
		log_err("contact %s update: %s", e->id, db_error(db));
		return "db_unavailable";
	}
	return NULL;
}

static const char *insert(struct db *db, const struct web *w, const struct contact_edit *e,
			  struct arena *a, const char *id)
{
	const typeof(w->mf->contacts) *c = &w->mf->contacts;
	char dept[64] = "";
	int have = db_query_value(db, dept, sizeof dept, w->sql.user_dept, "s", e->agent_id);
	if (have < 0) {
		log_err("department of %s: %s", e->agent_id, db_error(db));
		return "db_unavailable";
	}
	const char *p[DBV_MAX];
	int n = 0;
	char *cols = arena_printf(a, "`%s`", c->id), *marks = arena_strdup(a, "?");
	p[n++] = id;
	for (size_t i = 0; i < c->nfields && cols && marks; i++) {
		if (!e->values[i])
			continue;
		if (n >= DBV_MAX - 8)
			return "internal";
		cols = arena_printf(a, "%s, `%s`", cols, c->fields[i].column);
		marks = arena_printf(a, "%s, ?", marks);
		p[n++] = stored(e->values[i]);
	}
	if (!cols || !marks)
		return "internal";
	/* Owned by the agent's department and shared: the helpdesk lists a
	 * contact to a department's users when organ is theirs and shares is
	 * 'all' (see docs/contacts.md). */
	cols = arena_printf(a, "%s, `%s`, `%s`, `%s`, `%s`, `%s`, `%s`, `%s`, `%s`, `%s`, `%s`",
			    cols, c->department, c->shares, c->creator, c->creator_name,
			    c->updater, c->updater_name, c->created, c->updated, c->touched,
			    c->deleted);
	marks = arena_printf(a, "%s, ?, 'all', ?, ?, ?, ?, NOW(), NOW(), NOW(), 0", marks);
	p[n++] = have ? dept : NULL;
	p[n++] = e->agent_id;
	p[n++] = e->agent_username;
	p[n++] = e->agent_id;
	p[n++] = e->agent_username;
	if (c->has_tenant) {
		cols = arena_printf(a, "%s, `%s`", cols, c->tenant);
		marks = arena_printf(a, "%s, ?", marks);
		p[n++] = c->tenant_value;
	}
	char *sql = arena_printf(a, "INSERT INTO `%s` (%s) VALUES (%s)", c->table, cols, marks);
	if (!sql)
		return "internal";
	if (dbv_exec(db, sql, p, n) < 0) {
		log_err("contact insert: %s", db_error(db));
		return "db_unavailable";
	}
	return NULL;
}

struct phones {
	const struct web *w;
	struct db *db;
	const char *id;
	bool failed;
};

static int phone_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct phones *ph = arg;
	(void)lens;
	size_t np = ph->w->mf->contacts.nphones;
	struct contact_rank rank = { (size_t)ncol == np + 2 ? v[np] : NULL,
				     (size_t)ncol == np + 2 ? v[np + 1] : NULL };
	if ((size_t)ncol != np + 2 ||
	    contact_index_set(ph->db, ph->w->mf, &ph->w->phone, ph->id, (const char *const *)v,
			      &rank))
		ph->failed = true;
	return 1;
}

/* cc_contact_phone rows of the contact, made again from its phone columns
 * (the row is read whole before the index is written: db_query stores it). */
static const char *refresh_phones(struct db *db, const struct web *w, const char *id)
{
	struct phones ph = { w, db, id, false };
	int rc = w->sql.contact_phones
		? db_query(db, w->sql.contact_phones, phone_row, &ph, "s", id)
		: contact_index_set(db, w->mf, &w->phone, id, NULL, NULL);
	if (rc < 0 || ph.failed) {
		log_err("contact %s numbers: %s", id, db_error(db));
		return "db_unavailable";
	}
	return NULL;
}

struct store {
	const struct contact_edit *e;
	const char *id;
	const char *why;	/* the last run's: NULL when it reached the commit */
};

static const char *store_body(struct req *r, void *arg)
{
	struct store *t = arg;
	struct db *db = r->thr->db;
	const struct web *w = r->web;
	const struct contact_edit *e = t->e;
	struct arena *a = r->a;
	char fresh[33];
	const char *why = NULL;
	t->id = e->id;
	/* The call first: another agent's call refuses the whole save. */
	struct call_facts facts;
	if (e->call && *e->call) {
		why = call_facts_read(db, e->call, a, &facts);
		if (!why)
			why = call_note_allowed(&facts, e->agent_id, e->admin);
	}
	if (why) {
		/* refused before anything is written */
	} else if (t->id) {
		const char *p[8];
		int n = 0;
		p[n++] = t->id;
		if (w->mf->contacts.has_tenant)
			p[n++] = w->mf->contacts.tenant_value;
		p[n++] = e->agent_id;
		p[n++] = e->agent_id;
		int rc = dbv_query(db, w->sql.contact_exists, NULL, NULL, p, n);
		if (rc < 0)
			why = "db_unavailable";
		else if (rc == 0)
			why = "not_found";
		else
			why = update(db, w, e, a);
	} else if (rnd_uuid32(fresh)) {
		why = "internal";
	} else {
		why = insert(db, w, e, a, t->id = arena_strdup(a, fresh));
	}
	if (!why && e->call && *e->call)
		why = call_link_store(db, e, &facts, t->id);
	if (!why)
		why = refresh_phones(db, w, t->id);
	return t->why = why;
}

const char *contact_store(struct req *r, const struct contact_edit *e, const char **idp)
{
	struct store t = { e, NULL, NULL };
	const char *why = web_txn(r, store_body, &t);
	if (why) {
		/* What the body refused or failed is logged where it happened. */
		if (!t.why)
			log_err("contact save: %s", db_error(r->thr->db));
		return why;
	}
	*idp = t.id;
	return NULL;
}
