/* The import's new agents, written in batches (see import.c).
 *
 * 10,000 rows one transaction each, a dozen statements a row, took 14 s
 * here; the figure asked for is under 5 s. So what the database knows is
 * read once (users by username, extensions and numbers in use, skill
 * groups by name) into hash maps, each row is checked against them (and
 * added to them, so that a later row of the same file sees it), and the
 * rows found good are written IMPORT_BATCH at a time in one transaction
 * with multi-row INSERTs and one audit record each. A row is still all or
 * nothing: its user, role, SIP account, groups and audit record are in the
 * same transaction, run again whole when it loses a conflict (web_txn).
 * When a batch fails (another request took a username
 * or an extension since they were read), it is rolled back and each of its
 * rows is tried again alone, checked against the database, so that only
 * the row in conflict is refused. */
#include "agents.h"

#include "../audit/audit.h"
#include "../auth/auth.h"
#include "hash.h"
#include "log.h"
#include "manifest.h"
#include "rnd.h"

#include <stdlib.h>
#include <string.h>

/* --- a string map in the request's arena (open addressing) ---------------- */
struct smap_e {
	const char *k;
	void *v;
};
struct smap {
	struct arena *a;
	struct smap_e *e;
	size_t n, cap;
};

static int smap_grow(struct smap *m)
{
	size_t nc = m->cap ? m->cap * 2 : 1024;
	struct smap_e *e = arena_alloc(m->a, nc * sizeof *e);
	if (!e)
		return -1;
	memset(e, 0, nc * sizeof *e);
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->e[i].k)
			continue;
		size_t h = hash_fnv1a(m->e[i].k) & (nc - 1);
		while (e[h].k)
			h = (h + 1) & (nc - 1);
		e[h] = m->e[i];
	}
	m->e = e;
	m->cap = nc;
	return 0;
}

static struct smap_e *smap_find(struct smap *m, const char *k)
{
	if (!m->cap)
		return NULL;
	size_t h = hash_fnv1a(k) & (m->cap - 1);
	while (m->e[h].k) {
		if (!strcmp(m->e[h].k, k))
			return &m->e[h];
		h = (h + 1) & (m->cap - 1);
	}
	return NULL;
}

/* Sets k to v (k copied); -1 when out of memory. */
static int smap_put(struct smap *m, const char *k, void *v)
{
	struct smap_e *f = smap_find(m, k);
	if (f) {
		f->v = v;
		return 0;
	}
	if ((m->n + 1) * 2 > m->cap && smap_grow(m))
		return -1;
	size_t h = hash_fnv1a(k) & (m->cap - 1);
	while (m->e[h].k)
		h = (h + 1) & (m->cap - 1);
	m->e[h].k = arena_strdup(m->a, k);
	m->e[h].v = v;
	m->n++;
	return m->e[h].k ? 0 : -1;
}

/* --- what the database knows --------------------------------------------------- */
struct user {
	const char *id, *ext;
	bool agent;
};

#define IMPORT_BATCH 200

struct pending {
	char id[33];
	const char *username, *name, *ext;
	char hash[33], ha1[33], ha1b[33];
	char sip_password[AG_SIP_PASSWORD_LEN + 1];
	struct ag_group g[AG_GROUPS_MAX];
	size_t ng;
	size_t line;
	struct ag_input in;	/* for trying the row alone */
};

struct ag_batch {
	struct req *r;
	const struct ag_sql *s;
	struct smap users, exts, groups;
	long long next_ext;
	struct pending *p;
	size_t n;
	struct ag_batch_out *out;
};

static int user_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct ag_batch *b = arg;
	if (ncol < 5 || !v[0] || !v[1])
		return 0;
	bool deleted = v[3] && strcmp(v[3], "0");
	struct smap_e *f = smap_find(&b->users, v[0]);
	if (deleted && f)
		return 0;	/* a live user of that name wins */
	if (deleted) {
		/* A deleted user's name may be taken again: not known here. */
		return 0;
	}
	struct user *u = arena_alloc(b->r->a, sizeof *u);
	if (!u)
		return 1;
	u->id = arena_strdup(b->r->a, v[1]);
	u->agent = v[2] && strcmp(v[2], "0");
	u->ext = v[4] ? arena_strdup(b->r->a, v[4]) : NULL;
	return smap_put(&b->users, v[0], u) ? 1 : 0;
}

static bool ext_number(const char *s, long long *n)
{
	size_t len = strlen(s);
	if (len < AG_EXT_MIN || len > AG_EXT_MAX || strspn(s, "0123456789") != len || s[0] == '0')
		return false;
	*n = atoll(s);
	return true;
}

static int ext_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct ag_batch *b = arg;
	if (ncol < 3 || !v[0])
		return 0;
	long long n;
	/* As ag_db_next_ext: past the highest SIP user, skipping numbers. */
	if (v[2] && !strcmp(v[2], "1") && ext_number(v[0], &n) && n >= b->next_ext)
		b->next_ext = n + 1;
	return smap_put(&b->exts, v[0], arena_strdup(b->r->a, v[1] ? v[1] : "")) ? 1 : 0;
}

static int group_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct ag_batch *b = arg;
	if (ncol < 2 || !v[0] || !v[1] || smap_find(&b->groups, v[0]))
		return 0;	/* the first id of a name, as by name ORDER BY id */
	long long *id = arena_alloc(b->r->a, sizeof *id);
	if (!id)
		return 1;
	*id = atoll(v[1]);
	return smap_put(&b->groups, v[0], id) ? 1 : 0;
}

struct ag_batch *ag_batch_new(struct req *r, const struct ag_sql *s, struct ag_batch_out *out)
{
	struct ag_batch *b = arena_alloc(r->a, sizeof *b);
	if (!b)
		return NULL;
	memset(b, 0, sizeof *b);
	b->r = r;
	b->s = s;
	b->out = out;
	b->users.a = b->exts.a = b->groups.a = r->a;
	b->next_ext = AG_EXT_FIRST;
	b->p = arena_alloc(r->a, IMPORT_BATCH * sizeof *b->p);
	const struct manifest *m = r->web->mf;
	const typeof(m->users) *u = &m->users;
	char role[512];
	if (!b->p || manifest_flags_sql(u->agent_flags, u->nagent, "u", role, sizeof role))
		return NULL;
	struct db *db = r->thr->db;
	char *users = arena_printf(r->a,
		"SELECT u.`%s`, u.`%s`, %s, COALESCE(u.`%s`, 0) <> 0, s.username FROM `%s` u "
		"LEFT JOIN cc_sip_account s ON s.user_id = u.`%s`", u->username, u->id, role,
		u->deleted, u->table, u->id);
	if (!users || db_query(db, users, user_h, b, NULL) < 0 ||
	    db_query(db, "SELECT username, user_id, 1 FROM cc_sip_account "
			 "UNION ALL SELECT number, '', 0 FROM cc_number", ext_h, b, NULL) < 0 ||
	    db_query(db, "SELECT name, id FROM cc_skill_group ORDER BY id", group_h, b, NULL) < 0) {
		log_err("agents: import: %s", db_error(db));
		return NULL;
	}
	return b;
}

/* The VALUES tuple of a single-row INSERT repeated k times. */
static char *multi(struct arena *a, const char *single, size_t k)
{
	const char *v = strstr(single, "VALUES ");
	if (!v)
		return NULL;
	v += 7;
	char *s = arena_strndup(a, single, (size_t)(v - single));
	for (size_t i = 0; s && i < k; i++)
		s = arena_printf(a, "%s%s%s", s, i ? ", " : "", v);
	return s;
}

/* Runs the multi-row INSERT of single for rows [0, n) of the batch, at most
 * DB_MAX_PARAMS / per values a statement; fill writes one row's values. */
typedef size_t (fill_h)(const struct ag_batch *b, size_t i, union db_val *v, const char **fmt);

static int insert_all(struct ag_batch *b, const char *single, size_t per, fill_h *fill,
		      size_t nitems, const size_t *row_of, const size_t *sub_of)
{
	size_t max = DB_MAX_PARAMS / per;
	for (size_t at = 0; at < nitems; at += max) {
		size_t k = nitems - at < max ? nitems - at : max;
		union db_val v[DB_MAX_PARAMS];
		char fmt[DB_MAX_PARAMS + 1];
		size_t nv = 0;
		for (size_t i = 0; i < k; i++) {
			const char *f;
			size_t item = at + i;
			size_t got = fill(b, row_of ? row_of[item] : item, v + nv, &f);
			/* A skill group: which one of the row (sub_of). */
			if (sub_of) {
				const struct pending *p = &b->p[row_of[item]];
				v[nv + 1].i = p->g[sub_of[item]].id;
				v[nv + 2].i = p->g[sub_of[item]].level;
			}
			memcpy(fmt + nv, f, got);
			nv += got;
		}
		fmt[nv] = '\0';
		char *sql = multi(b->r->a, single, k);
		if (!sql || db_execa(b->r->thr->db, sql, fmt, v) < 0)
			return -1;
	}
	return 0;
}

static size_t fill_user(const struct ag_batch *b, size_t i, union db_val *v, const char **fmt)
{
	const struct pending *p = &b->p[i];
	v[0].s = p->id, v[1].s = p->username, v[2].s = p->hash, v[3].s = p->name;
	*fmt = "ssss";
	return 4;
}

static size_t fill_sip(const struct ag_batch *b, size_t i, union db_val *v, const char **fmt)
{
	const struct pending *p = &b->p[i];
	v[0].s = p->id, v[1].s = p->ext, v[2].s = b->r->web->conf.sip_realm, v[3].s = p->ha1;
	v[4].s = p->ha1b;
	*fmt = "sssss";
	return 5;
}

static size_t fill_agent(const struct ag_batch *b, size_t i, union db_val *v, const char **fmt)
{
	v[0].s = b->p[i].id;
	*fmt = "s";
	return 1;
}

static size_t fill_member(const struct ag_batch *b, size_t i, union db_val *v, const char **fmt)
{
	v[0].s = b->p[i].id;	/* skill group and level: insert_all (sub_of) */
	*fmt = "sii";
	return 3;
}

/* The batch's rows and their audit records, in one transaction. */
struct batch_txn {
	struct ag_batch *b;
	size_t *row_of, *sub_of;
	size_t nm;
};

static const char *batch_body(struct req *r, void *arg)
{
	struct batch_txn *t = arg;
	struct ag_batch *b = t->b;
	int rc = insert_all(b, b->s->user_insert, 4, fill_user, b->n, NULL, NULL) ||
		 insert_all(b, "INSERT INTO cc_sip_account (user_id, username, domain, ha1, ha1b, "
			       "enabled, password_set_at) VALUES (?, ?, ?, ?, ?, 1, NOW())", 5,
			    fill_sip, b->n, NULL, NULL) ||
		 insert_all(b, "INSERT IGNORE INTO cc_agent (user_id) VALUES (?)", 1, fill_agent,
			    b->n, NULL, NULL) ||
		 (t->nm && insert_all(b, "INSERT INTO cc_skill_group_member (user_id, "
					 "skill_group_id, level) VALUES (?, ?, ?)", 3, fill_member,
				      t->nm, t->row_of, t->sub_of));
	for (size_t i = 0; !rc && i < b->n; i++) {
		const struct pending *p = &b->p[i];
		json_t *after = ag_audit_of(p->username, p->name, p->ext, true, p->g, p->ng);
		json_object_set_new(after, "password", json_string("***"));
		json_object_set_new(after, "sip_password", json_string("***"));
		json_object_set_new(after, "new_user", json_true());
		rc = audit_write(r, "agents", p->id, "create", NULL, after);
		json_decref(after);
	}
	return rc ? "db_unavailable" : NULL;
}

static int write_batch(struct ag_batch *b)
{
	struct req *r = b->r;
	size_t nm = 0;
	for (size_t i = 0; i < b->n; i++)
		nm += b->p[i].ng;
	size_t *row_of = arena_alloc(r->a, (nm + 1) * sizeof *row_of);
	size_t *sub_of = arena_alloc(r->a, (nm + 1) * sizeof *sub_of);
	if (!row_of || !sub_of)
		return -1;
	nm = 0;
	for (size_t i = 0; i < b->n; i++)
		for (size_t k = 0; k < b->p[i].ng; k++)
			row_of[nm] = i, sub_of[nm++] = k;
	struct batch_txn t = { b, row_of, sub_of, nm };
	if (web_txn(r, batch_body, &t)) {
		log_warn("agents: import: a batch of %zu rows failed (%s); trying them one by one",
			 b->n, db_error(r->thr->db));
		return 1;
	}
	return 0;
}

static void created(struct ag_batch *b, size_t line, const char *username, const char *ext,
		    const char *pw)
{
	b->out->created++;
	json_array_append_new(b->out->passwords,
			      json_pack("{s:I, s:s, s:s, s:s}", "line", (json_int_t)line, "username",
					username, "extension", ext, "sip_password", pw));
}

int ag_batch_flush(struct ag_batch *b)
{
	if (!b->n)
		return 0;
	int rc = write_batch(b);
	if (rc < 0)
		return -1;
	for (size_t i = 0; i < b->n; i++) {
		struct pending *p = &b->p[i];
		if (!rc) {
			created(b, p->line, p->username, p->ext, p->sip_password);
		} else {
			int one = ag_import_one(b->r, &p->in, p->line, b->out);
			if (one < 0)
				return -1;
		}
		memset(p->sip_password, 0, sizeof p->sip_password);
	}
	b->n = 0;
	return 0;
}

int ag_batch_row(struct ag_batch *b, const struct ag_input *in, size_t line)
{
	struct req *r = b->r;
	struct smap_e *f = smap_find(&b->users, in->username);
	const struct user *u = f ? f->v : NULL;
	if (u && u->agent) {
		if (u->ext && (!in->extension || !*in->extension || !strcmp(in->extension, u->ext))) {
			b->out->unchanged++;
			return 0;
		}
		ag_import_error(r, b->out, line, "username",
				u->ext ? "agents.import.other_ext" : "agents.v.already_agent");
		return 0;
	}
	if (u) {
		/* An existing user made an agent: alone, checked by the database,
		 * after the rows before it are written. */
		if (ag_batch_flush(b))
			return -1;
		long before = b->out->created;
		if (ag_import_one(r, in, line, b->out) < 0)
			return -1;
		if (b->out->created > before) {
			json_t *last = json_array_get(b->out->passwords,
						      json_array_size(b->out->passwords) - 1);
			struct user *nu = arena_alloc(r->a, sizeof *nu);
			if (!nu)
				return -1;
			nu->id = u->id;
			nu->agent = true;
			nu->ext = arena_strdup(r->a, json_string_value(json_object_get(last, "extension")));
			if (smap_put(&b->users, in->username, nu) || smap_put(&b->exts, nu->ext, (void *)nu->id))
				return -1;
		}
		return 0;
	}
	const char *e;
	if ((e = ag_check_password(in->password))) {
		ag_import_error(r, b->out, line, "password", e);
		return 0;
	}
	struct pending *p = &b->p[b->n];
	memset(p, 0, sizeof *p);
	if ((e = ag_parse_groups(r->a, in->groups, true, p->g, AG_GROUPS_MAX, &p->ng))) {
		ag_import_error(r, b->out, line, "groups", e);
		return 0;
	}
	for (size_t i = 0; i < p->ng; i++) {
		struct smap_e *g = smap_find(&b->groups, p->g[i].name);
		if (!g) {
			ag_import_error(r, b->out, line, "groups", "agents.v.group_unknown");
			return 0;
		}
		p->g[i].id = *(long long *)g->v;
		for (size_t k = 0; k < i; k++)
			if (p->g[k].id == p->g[i].id) {
				ag_import_error(r, b->out, line, "groups", "agents.v.group_twice");
				return 0;
			}
	}
	if (in->extension && *in->extension) {
		if (smap_find(&b->exts, in->extension)) {
			ag_import_error(r, b->out, line, "extension", "agents.v.extension_taken");
			return 0;
		}
		p->ext = in->extension;
	} else {
		char buf[24];
		do
			snprintf(buf, sizeof buf, "%lld", b->next_ext++);
		while (smap_find(&b->exts, buf));
		p->ext = arena_strdup(r->a, buf);
	}
	if (rnd_uuid32(p->id) || ag_sip_password(p->sip_password))
		return -1;
	p->username = in->username;
	p->name = in->name;
	p->line = line;
	p->in = *in;
	password_hash(in->password, p->hash);
	ag_sip_ha1(p->ext, r->web->conf.sip_realm, p->sip_password, p->ha1, p->ha1b);
	struct user *nu = arena_alloc(r->a, sizeof *nu);
	if (!nu)
		return -1;
	nu->id = arena_strdup(r->a, p->id);
	nu->agent = true;
	nu->ext = p->ext;
	long long n;
	if (ext_number(p->ext, &n) && n >= b->next_ext)
		b->next_ext = n + 1;
	if (smap_put(&b->users, in->username, nu) || smap_put(&b->exts, p->ext, (void *)nu->id))
		return -1;
	if (++b->n == IMPORT_BATCH)
		return ag_batch_flush(b);
	return 0;
}
