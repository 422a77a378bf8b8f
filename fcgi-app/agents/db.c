/* Reading agents (list, one, all) and writing one (create or enable,
 * update, its skill groups). Writes run inside the caller's transaction
 * and record themselves in the audit log there. */
#include "agents.h"

#include "../tmpl/page.h"
#include "../audit/audit.h"
#include "../auth/auth.h"
#include "../resource/resource.h"
#include "log.h"
#include "manifest.h"
#include "rnd.h"

#include <stdlib.h>
#include <string.h>

static const char *const sort_names[] = {
#define AG_SORT_NAME(n) #n,
	AG_SORTS(AG_SORT_NAME)
#undef AG_SORT_NAME
};

void ag_query_parse(struct req *r, bool json, struct ag_query *q)
{
	memset(q, 0, sizeof *q);
	q->q = text_search(r->a, req_query(r, "q"), AG_Q_MAX);
	const char *st = req_query(r, "state");
	q->state = ag_state_known(st) ? st : NULL;
	const char *reg = req_query(r, "reg");
	q->reg = reg && (!strcmp(reg, "1") || !strcmp(reg, "0")) ? reg : NULL;
	const char *en = req_query(r, "enabled");
	q->enabled = en && (!strcmp(en, "1") || !strcmp(en, "0")) ? en : NULL;
	long long g = text_number(req_query(r, "group"), 0, 0, 999999999);
	q->group = g > 0 ? arena_printf(r->a, "%lld", g) : NULL;
	const char *s = req_query(r, "sort");
	for (size_t i = 0; s && i < sizeof sort_names / sizeof *sort_names; i++)
		if (!strcmp(s, sort_names[i]))
			q->sort = (int)i;
	const char *dir = req_query(r, "dir");
	q->desc = dir && !strcmp(dir, "desc");
	q->page = text_number(req_query(r, "page"), 1, 1, 1000000);
	q->per_page = json ? text_number(req_query(r, "per_page"), AG_PER_PAGE, 1, AG_PER_PAGE_MAX)
			   : AG_PER_PAGE;
}

/* ORDER BY of sort i (then the id, so that pages never overlap). */
static const char *order_by(struct req *r, int i, bool desc)
{
	const typeof(r->web->mf->users) *u = &r->web->mf->users;
	const char *d = desc ? "DESC" : "ASC";
	switch (i) {
	case 1:
		return arena_printf(r->a, " ORDER BY u.`%s` %s, u.`%s`", u->username, d, u->id);
	case 2:
		return arena_printf(r->a, " ORDER BY LENGTH(s.username) %s, s.username %s, u.`%s`", d,
				    d, u->id);
	case 3:
		return arena_printf(r->a, " ORDER BY COALESCE(a.state, 'logged_out') %s, u.`%s`", d,
				    u->id);
	case 4:
		return arena_printf(r->a, " ORDER BY 8 %s, u.`%s`", d, u->id);
	default:
		return arena_printf(r->a, " ORDER BY u.`%s` %s, u.`%s`", u->display_name, d, u->id);
	}
}

struct rows {
	struct arena *a;
	struct ag_row *v;
	size_t n, cap;
	bool oom;
};

static void parse_groups(struct arena *a, const char *s, struct ag_row *row)
{
	row->groups = NULL;
	row->ngroups = 0;
	if (!s || !*s)
		return;
	size_t n = 1;
	for (const char *p = s; *p; p++)
		n += *p == '\t';
	row->groups = arena_alloc(a, n * sizeof *row->groups);
	char *copy = arena_strdup(a, s);
	if (!row->groups || !copy)
		return;
	for (char *tok = copy, *next; tok; tok = next) {
		next = strchr(tok, '\t');
		if (next)
			*next++ = '\0';
		char *c1 = strchr(tok, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c1 = *c2 = '\0';
		long long id = atoll(tok);
		int level = atoi(c1 + 1);
		/* Level 0: a member through its department (the helpdesk's skill
		 * department), at level 1; listed once when also a member here. */
		bool dup = false;
		for (size_t k = 0; k < row->ngroups; k++)
			dup |= row->groups[k].id == id;
		if (dup)
			continue;
		struct ag_group *g = &row->groups[row->ngroups++];
		g->id = id;
		g->level = level ? level : 1;
		g->dept = level == 0;
		g->name = c2 + 1;
	}
}

static void fill_row(struct arena *a, struct ag_row *row, char **v)
{
#define S(i) (v[i] ? arena_strdup(a, v[i]) : NULL)
	row->id = S(AGC_ID);
	row->username = S(AGC_USERNAME);
	row->name = S(AGC_NAME);
	row->ext = S(AGC_EXT);
	row->has_sip = v[AGC_EXT] != NULL;
	row->enabled = v[AGC_ENABLED] && strcmp(v[AGC_ENABLED], "0");
	row->state = S(AGC_STATE);
	row->reason = S(AGC_REASON);
	row->registered = v[AGC_REG] && !strcmp(v[AGC_REG], "1");
#undef S
	parse_groups(a, v[AGC_GROUPS], row);
}

static int row_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct rows *rs = arg;
	if (ncol < AGC_N)
		return 1;
	if (arena_grow(rs->a, &rs->v, rs->n, &rs->cap, sizeof *rs->v)) {
		rs->oom = true;
		return 1;
	}
	fill_row(rs->a, &rs->v[rs->n++], v);
	return 0;
}

static int count_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	*(long long *)arg = ncol > 0 && v[0] ? atoll(v[0]) : 0;
	return 0;
}

int ag_db_list(struct req *r, struct ag_query *q, struct ag_row **rowsp, size_t *np,
	       long long *totalp)
{
	const struct ag_sql *s = ag_sql(r);
	if (!s)
		return -1;
	struct db *db = r->thr->db;
	const char *like = q->q ? res_like(r->a, q->q) : NULL;
#define FILTER_ARGS like, like, like, like, q->state, q->state, q->reg, q->reg, q->group, \
	q->group, q->group, q->enabled, q->enabled
	char *count = arena_printf(r->a, "SELECT COUNT(*)%s%s%s", s->from, s->where, s->filters);
	long long total = 0;
	if (!count || db_query(db, count, count_h, &total, "sssssssssssss", FILTER_ARGS) < 0) {
		log_err("agents: list: %s", db_error(db));
		return -1;
	}
	long long pages = page_count(total, q->per_page);
	if (q->page > pages)
		q->page = pages;
	char *list = arena_printf(r->a, "%s%s%s%s LIMIT ? OFFSET ?", s->select, s->where,
				  s->filters, order_by(r, q->sort, q->desc));
	struct rows rs = { .a = r->a };
	if (!list || db_query(db, list, row_h, &rs, "sssssssssssssii", FILTER_ARGS, q->per_page,
			      (q->page - 1) * q->per_page) < 0 || rs.oom) {
		log_err("agents: list: %s", db_error(db));
		return -1;
	}
#undef FILTER_ARGS
	*rowsp = rs.v;
	*np = rs.n;
	*totalp = total;
	return 0;
}

int ag_db_all(struct req *r, struct ag_row **rowsp, size_t *np)
{
	const struct ag_sql *s = ag_sql(r);
	char *sql = s ? arena_printf(r->a, "%s%s%s", s->select, s->where, order_by(r, 2, false))
		      : NULL;
	struct rows rs = { .a = r->a };
	if (!sql || db_query(r->thr->db, sql, row_h, &rs, NULL) < 0 || rs.oom) {
		log_err("agents: export: %s", db_error(r->thr->db));
		return -1;
	}
	*rowsp = rs.v;
	*np = rs.n;
	return 0;
}

int ag_db_get(struct req *r, const char *id, struct ag_row *row)
{
	const struct ag_sql *s = ag_sql(r);
	const typeof(r->web->mf->users) *u = &r->web->mf->users;
	char *sql = s ? arena_printf(r->a, "%s%s AND u.`%s` = ?", s->select, s->where, u->id)
		      : NULL;
	struct rows rs = { .a = r->a };
	if (!sql || db_query(r->thr->db, sql, row_h, &rs, "s", id) < 0 || rs.oom) {
		log_err("agents: get: %s", db_error(r->thr->db));
		return -1;
	}
	if (!rs.n)
		return 0;
	*row = rs.v[0];
	return 1;
}

json_t *ag_json(const struct ag_row *row)
{
	json_t *groups = json_array();
	for (size_t i = 0; i < row->ngroups; i++)
		json_array_append_new(groups, json_pack("{s:I, s:i, s:s?, s:b}", "id",
							(json_int_t)row->groups[i].id, "level",
							row->groups[i].level, "name",
							row->groups[i].name, "department",
							row->groups[i].dept));
	return json_pack("{s:s, s:s?, s:s?, s:s?, s:b, s:s?, s:s?, s:b, s:o}", "id", row->id,
			 "username", row->username, "name", row->name, "extension", row->ext,
			 "enabled", row->has_sip && row->enabled, "state", row->state, "reason",
			 row->reason, "registered", row->registered, "groups", groups);
}

json_t *ag_audit_of(const char *username, const char *name, const char *ext, bool enabled,
			const struct ag_group *g, size_t n)
{
	char buf[AG_GROUPS_MAX * 24] = "";
	size_t len = 0;
	for (size_t i = 0; i < n && len < sizeof buf - 24; i++)
		if (!g[i].dept)
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%lld:%d",
						len ? "," : "", g[i].id, g[i].level);
	return json_pack("{s:s?, s:s?, s:s?, s:b, s:s}", "username", username, "name", name,
			 "extension", ext, "enabled", enabled, "groups", buf);
}

static int group_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	if (ncol < 2)
		return 1;
	xmlNode *g = xd_el(arg, "group");
	xd_attr(g, "id", v[0]);
	xd_attr(g, "name", v[1]);
	return 0;
}

int ag_db_groups(struct req *r, xmlNode *parent)
{
	if (db_query(r->thr->db, "SELECT id, name FROM cc_skill_group ORDER BY name, id LIMIT 500",
		     group_h, parent, NULL) < 0) {
		log_err("agents: groups: %s", db_error(r->thr->db));
		return -1;
	}
	return 0;
}

/* 1 when ext is taken (by another user's SIP account, or as a number
 * callers dial), 0 free, -1 error. */
static int ext_taken(struct db *db, const char *ext, const char *user_id)
{
	char v[8];
	int rc = db_query_value(db, v, sizeof v,
				"SELECT 1 FROM cc_sip_account WHERE username = ? AND user_id <> ? "
				"UNION ALL SELECT 1 FROM cc_number WHERE number = ? LIMIT 1",
				"sss", ext, user_id ? user_id : "", ext);
	return rc;
}

int ag_db_next_ext(struct db *db, char out[AG_EXT_MAX + 1])
{
	char v[32];
	int rc = db_query_value(db, v, sizeof v,
				"SELECT COALESCE(MAX(CAST(username AS UNSIGNED)), ?) + 1 FROM cc_sip_account "
				"WHERE username REGEXP '^[1-9][0-9]{2,9}$'", "i",
				(long long)AG_EXT_FIRST - 1);
	if (rc < 0)
		return -1;
	long long n = rc ? atoll(v) : AG_EXT_FIRST;
	if (n < AG_EXT_FIRST)
		n = AG_EXT_FIRST;
	if (n > 9999999999LL - 1000)
		return -1;	/* every extension of AG_EXT_MAX digits used: not in practice */
	/* Past a number callers dial (4001 ...): the next one. */
	for (int i = 0; i < 1000; i++, n++) {
		snprintf(out, AG_EXT_MAX + 1, "%llu", (unsigned long long)n % 10000000000ULL);
		int t = ext_taken(db, out, NULL);
		if (t <= 0)
			return t;
	}
	return -1;
}

struct group_ids {
	struct ag_group *g;
	size_t n, found;
};

int ag_db_resolve_groups(struct req *r, struct db *db, struct ag_group *g, size_t n,
			 bool by_name, const char **bad)
{
	(void)r;
	for (size_t i = 0; i < n; i++) {
		char v[32];
		int rc = by_name
			? db_query_value(db, v, sizeof v,
					 "SELECT id FROM cc_skill_group WHERE name = ? ORDER BY id LIMIT 1",
					 "s", g[i].name)
			: db_query_value(db, v, sizeof v, "SELECT id FROM cc_skill_group WHERE id = ?",
					 "i", g[i].id);
		if (rc < 0)
			return -1;
		if (!rc) {
			*bad = by_name ? g[i].name : arena_printf(r->a, "%lld", g[i].id);
			return 1;
		}
		g[i].id = atoll(v);
	}
	/* Two names of one group. */
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			if (g[i].id == g[k].id) {
				*bad = by_name ? g[k].name : "";
				return 1;
			}
	return 0;
}

int ag_db_set_groups(struct db *db, const char *id, const struct ag_group *g, size_t n)
{
	if (db_exec(db, "DELETE FROM cc_skill_group_member WHERE user_id = ?", "s", id) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (db_exec(db, "INSERT INTO cc_skill_group_member (skill_group_id, user_id, level) "
				"VALUES (?, ?, ?)", "isi", g[i].id, id, (long long)g[i].level) < 0)
			return -1;
	return 0;
}

/* A user of the host: id, username, name, whether it has the agent role,
 * whether it is deleted. */
struct user {
	const char *id, *username, *name;
	bool agent, deleted;
	struct arena *a;
};

static int user_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct user *u = arg;
	if (ncol < 5)
		return 1;
	u->id = arena_strdup(u->a, v[0] ? v[0] : "");
	u->username = v[1] ? arena_strdup(u->a, v[1]) : NULL;
	u->name = v[2] ? arena_strdup(u->a, v[2]) : NULL;
	u->agent = v[3] && strcmp(v[3], "0");
	u->deleted = v[4] && strcmp(v[4], "0");
	return 1;
}

static void err(json_t *errs, const char *field, const char *key)
{
	if (!json_object_get(errs, field))
		json_object_set_new(errs, field, json_string(key));
}

/* Checks the extension (given, or the next free one into buf). 1 fine, 0
 * refused (errs), -1 error. */
static int pick_ext(struct db *db, const char *given, const char *user_id, char *buf,
		    const char **ext, json_t *errs)
{
	if (!given || !*given) {
		if (ag_db_next_ext(db, buf) < 0)
			return -1;
		*ext = buf;
		return 1;
	}
	const char *e = ag_check_extension(given);
	if (e) {
		err(errs, "extension", e);
		return 0;
	}
	int t = ext_taken(db, given, user_id);
	if (t < 0)
		return -1;
	if (t) {
		err(errs, "extension", "agents.v.extension_taken");
		return 0;
	}
	*ext = given;
	return 1;
}

static int groups_of(struct req *r, struct db *db, const char *s, bool by_name, json_t *errs,
		     struct ag_group *g, size_t *n)
{
	const char *e = ag_parse_groups(r->a, s, by_name, g, AG_GROUPS_MAX, n);
	if (e) {
		err(errs, "groups", e);
		return 0;
	}
	const char *bad = NULL;
	int rc = ag_db_resolve_groups(r, db, g, *n, by_name, &bad);
	if (rc < 0)
		return -1;
	if (rc) {
		err(errs, "groups", "agents.v.group_unknown");
		return 0;
	}
	return 1;
}

/* Writes the SIP account of user id with a new password into out. */
static int write_sip(struct req *r, struct db *db, const char *id, const char *ext,
		     struct ag_write *out, json_t *errs)
{
	char ha1[33], ha1b[33];
	if (ag_sip_password(out->sip_password))
		return -1;
	ag_sip_ha1(ext, r->web->conf.sip_realm, out->sip_password, ha1, ha1b);
	long long n = db_exec(db,
			      "INSERT INTO cc_sip_account (user_id, username, domain, ha1, ha1b, enabled, "
			      "password_set_at) VALUES (?, ?, ?, ?, ?, 1, NOW()) ON DUPLICATE KEY UPDATE "
			      "username = VALUES(username), domain = VALUES(domain), ha1 = VALUES(ha1), "
			      "ha1b = VALUES(ha1b), enabled = 1, password_set_at = NOW()",
			      "sssss", id, ext, r->web->conf.sip_realm, ha1, ha1b);
	if (n < 0) {
		if (strstr(db_error(db), "Duplicate entry")) {
			err(errs, "extension", "agents.v.extension_taken");
			return 0;
		}
		return -1;
	}
	return 1;
}

int ag_db_create(struct req *r, struct db *db, const struct ag_input *in, bool by_name,
		 json_t *errs, struct ag_write *out)
{
	const struct ag_sql *s = ag_sql(r);
	if (!s)
		return -1;
	struct user u = { .a = r->a };
	const char *e;
	bool existing = in->user_id && *in->user_id;
	if (existing) {
		int rc = db_query(db, s->user_by_id, user_h, &u, "s", in->user_id);
		if (rc < 0)
			return -1;
		if (!rc || u.deleted) {
			err(errs, "user_id", "agents.v.user_unknown");
			return 0;
		}
	} else {
		if ((e = ag_check_username(in->username)))
			err(errs, "username", e);
		if ((e = ag_check_name(in->name, true)))
			err(errs, "name", e);
		if (!json_object_get(errs, "username")) {
			int rc = db_query(db, s->user_by_username, user_h, &u, "s", in->username);
			if (rc < 0)
				return -1;
			if (rc && !u.deleted) {
				if (by_name)
					existing = true;	/* import: enable that user */
				else
					err(errs, "username", "agents.v.username_taken");
			}
		}
		if (!existing && (e = ag_check_password(in->password)))
			err(errs, "password", e);
	}
	if (existing && u.agent) {
		err(errs, in->user_id && *in->user_id ? "user_id" : "username", "agents.v.already_agent");
		return 0;
	}
	char extbuf[AG_EXT_MAX + 1];
	const char *ext = NULL;
	int rc = pick_ext(db, in->extension, existing ? u.id : NULL, extbuf, &ext, errs);
	if (rc < 0)
		return -1;
	struct ag_group g[AG_GROUPS_MAX];
	size_t ng = 0;
	if ((rc = groups_of(r, db, in->groups, by_name, errs, g, &ng)) < 0)
		return -1;
	if (json_object_size(errs))
		return 0;

	const char *id;
	if (existing) {
		id = u.id;
		if (s->user_grant && db_exec(db, s->user_grant, "s", id) < 0)
			return -1;
	} else {
		char uuid[33], hash[33];
		if (rnd_uuid32(uuid))
			return -1;
		id = arena_strdup(r->a, uuid);
		password_hash(in->password, hash);
		if (db_exec(db, s->user_insert, "ssss", id, in->username, hash, in->name) < 0)
			return -1;
		out->created_user = true;
	}
	if ((rc = write_sip(r, db, id, ext, out, errs)) <= 0)
		return rc;
	if (db_exec(db, "INSERT IGNORE INTO cc_agent (user_id) VALUES (?)", "s", id) < 0 ||
	    ag_db_set_groups(db, id, g, ng) < 0)
		return -1;
	out->user_id = id;
	out->extension = arena_strdup(r->a, ext);
	json_t *after = ag_audit_of(existing ? u.username : in->username,
				 existing ? u.name : in->name, ext, true, g, ng);
	if (!existing)
		json_object_set_new(after, "password", json_string("***"));
	json_object_set_new(after, "sip_password", json_string("***"));
	json_object_set_new(after, "new_user", json_boolean(!existing));
	rc = audit_write(r, "agents", id, "create", NULL, after);
	json_decref(after);
	return rc ? -1 : 1;
}

int ag_db_update(struct req *r, struct db *db, const char *id, const struct ag_input *in,
		 json_t *errs, struct ag_write *out)
{
	const struct ag_sql *s = ag_sql(r);
	struct ag_row row;
	int rc = ag_db_get(r, id, &row);
	if (rc <= 0)
		return rc < 0 ? -1 : 0;
	const char *e;
	if (in->name && (e = ag_check_name(in->name, true)))
		err(errs, "name", e);
	char extbuf[AG_EXT_MAX + 1];
	const char *ext = row.ext;
	bool ext_changed = in->extension && *in->extension && (!row.ext ||
							      strcmp(in->extension, row.ext));
	if (ext_changed && pick_ext(db, in->extension, id, extbuf, &ext, errs) < 0)
		return -1;
	struct ag_group g[AG_GROUPS_MAX];
	size_t ng = 0;
	if (in->groups && groups_of(r, db, in->groups, false, errs, g, &ng) < 0)
		return -1;
	if (json_object_size(errs))
		return 0;
	json_t *before = ag_audit_of(row.username, row.name, row.ext, row.enabled, row.groups,
				  row.ngroups);
	if (in->name && db_exec(db, s->user_name, "ss", in->name, id) < 0)
		goto fail;
	if (ext_changed) {
		/* The digests include the user: a new extension gets a new
		 * password (the old one is not kept to hash again). */
		out->old_extension = row.ext;
		if ((rc = write_sip(r, db, id, ext, out, errs)) <= 0) {
			json_decref(before);
			return rc;
		}
		out->extension = arena_strdup(r->a, ext);
	}
	if (in->groups && ag_db_set_groups(db, id, g, ng) < 0)
		goto fail;
	json_t *after = ag_audit_of(row.username, in->name ? in->name : row.name, ext, row.enabled,
				 in->groups ? g : row.groups, in->groups ? ng : row.ngroups);
	if (ext_changed)
		json_object_set_new(after, "sip_password", json_string("***"));
	rc = audit_write(r, "agents", id, "update", before, after);
	json_decref(before);
	json_decref(after);
	return rc ? -1 : 1;
fail:
	json_decref(before);
	return -1;
}

int ag_db_reset_sip(struct req *r, struct db *db, const struct ag_row *row, struct ag_write *out)
{
	json_t *errs = json_object();
	int rc = write_sip(r, db, row->id, row->ext, out, errs);
	json_decref(errs);
	if (rc <= 0)
		return -1;
	/* write_sip enables the account: a disabled one stays disabled. */
	if (!row->enabled &&
	    db_exec(db, "UPDATE cc_sip_account SET enabled = 0 WHERE user_id = ?", "s", row->id) < 0)
		return -1;
	out->extension = row->ext;
	json_t *after = json_pack("{s:s, s:s}", "extension", row->ext, "sip_password", "***");
	rc = audit_write(r, "agents", row->id, "reset_password", NULL, after);
	json_decref(after);
	return rc ? -1 : 1;
}

/* --- the same in a transaction of their own ---------------------------------- */

struct ag_txn {
	struct req *r;
	const char *id;			/* update */
	const struct ag_input *in;
	bool by_name;
	json_t *errs;
	struct ag_write *out;
	int rc;
};

/* ag_db_*'s 1/0/-1 as db_txn's 0/1/-1; a run again starts afresh. */
static int txn_answer(struct ag_txn *t, int rc)
{
	t->rc = rc;
	return rc == 1 ? 0 : rc == 0 ? 1 : -1;
}

static int create_body(struct db *db, void *arg)
{
	struct ag_txn *t = arg;
	json_object_clear(t->errs);
	*t->out = (struct ag_write){ 0 };
	return txn_answer(t, ag_db_create(t->r, db, t->in, t->by_name, t->errs, t->out));
}

static int update_body(struct db *db, void *arg)
{
	struct ag_txn *t = arg;
	json_object_clear(t->errs);
	*t->out = (struct ag_write){ 0 };
	return txn_answer(t, ag_db_update(t->r, db, t->id, t->in, t->errs, t->out));
}

int ag_txn_create(struct req *r, struct db *db, const struct ag_input *in, bool by_name,
		  json_t *errs, struct ag_write *out)
{
	struct ag_txn t = { .r = r, .in = in, .by_name = by_name, .errs = errs, .out = out };
	int rc = db_txn(db, create_body, &t);
	return rc == 0 ? 1 : rc > 0 ? t.rc : -1;
}

int ag_txn_update(struct req *r, struct db *db, const char *id, const struct ag_input *in,
		  json_t *errs, struct ag_write *out)
{
	struct ag_txn t = { .r = r, .id = id, .in = in, .errs = errs, .out = out };
	int rc = db_txn(db, update_body, &t);
	return rc == 0 ? 1 : rc > 0 ? t.rc : -1;
}
