/* The rows of cc_ivr_flow and cc_ivr_version on the request thread's
 * connection. Statements are fixed text apart from the helpdesk's names
 * (from the manifest, checked identifiers); every value is bound. Errors
 * are logged here, once. */
#include "ivr.h"

#include "db.h"
#include "log.h"
#include "manifest.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCOLS (sizeof(struct ivr_row) / sizeof(const char *))

static int failed(struct req *r, const char *what)
{
	log_err("ivr %s: %s", what, db_error(r->thr->db));
	return -1;
}

/* "(SELECT display name of the user whose id is <col>)" from the manifest. */
static char *user_name_sql(struct req *r, const char *col)
{
	const struct manifest *m = r->web->mf;
	return arena_printf(r->a, "(SELECT u.`%s` FROM `%s` u WHERE u.`%s` = %s LIMIT 1)",
			    m->users.display_name, m->users.table, m->users.id, col);
}

/* The select of a row's columns (IVR_ROW_COLS), then more. */
static char *select_sql(struct req *r, const char *more, const char *rest)
{
	char *saver = user_name_sql(r, "f.draft_saved_by"), *holder = user_name_sql(r, "f.lock_user");
	if (!saver || !holder)
		return NULL;
	return arena_printf(r->a,
		"SELECT f.id, f.name, f.description, f.draft_rev, f.draft_saved_at, f.draft_saved_by, "
		"%s, f.published_version, f.published_rev, f.publish_failed, f.lock_user, %s, "
		"f.lock_until, f.lock_user IS NOT NULL AND f.lock_until > NOW(3), f.created_at, "
		"f.updated_at%s FROM cc_ivr_flow f%s", saver, holder, more, rest);
}

struct rows {
	struct arena *a;
	struct ivr_row *v;
	size_t n, cap;
	const char *draft, *problems;	/* of the first row, when asked */
	bool extra, failed;
};

static int row_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct rows *rs = arg;
	if ((size_t)ncol < NCOLS + (rs->extra ? 2 : 0)) {
		rs->failed = true;
		return 1;
	}
	if (arena_grow(rs->a, &rs->v, rs->n, &rs->cap, sizeof *rs->v)) {
		rs->failed = true;
		return 1;
	}
	const char **out = (const char **)&rs->v[rs->n++];
	for (size_t i = 0; i < NCOLS; i++)
		out[i] = v[i] ? arena_strdup(rs->a, v[i]) : NULL;
	if (rs->extra) {
		rs->draft = v[NCOLS] ? arena_strndup(rs->a, v[NCOLS], lens[NCOLS]) : NULL;
		rs->problems = v[NCOLS + 1] ? arena_strdup(rs->a, v[NCOLS + 1]) : NULL;
	}
	return 0;
}

int ivr_db_get(struct req *r, const char *id, bool lock, struct ivr_row *out,
	       const char **draftp, const char **problemsp)
{
	bool extra = draftp || problemsp;
	char *sql = select_sql(r, extra ? ", f.draft, f.publish_problems" : "",
			       lock ? " WHERE f.id = ? FOR UPDATE" : " WHERE f.id = ?");
	struct rows rs = { .a = r->a, .extra = extra };
	if (!sql || !ivr_key_ok(id))
		return sql ? 0 : -1;
	if (db_query(r->thr->db, sql, row_h, &rs, "i", atoll(id)) < 0)
		return failed(r, "read");
	if (rs.failed)
		return -1;
	if (!rs.n)
		return 0;
	*out = rs.v[0];
	if (draftp)
		*draftp = rs.draft;
	if (problemsp)
		*problemsp = rs.problems;
	return 1;
}

int ivr_db_list(struct req *r, struct ivr_row **rowsp, size_t *np)
{
	char *sql = select_sql(r, "", arena_printf(r->a, " ORDER BY f.name, f.id LIMIT %d",
						   IVR_LIST_MAX));
	struct rows rs = { .a = r->a };
	if (!sql)
		return -1;
	if (db_query(r->thr->db, sql, row_h, &rs, NULL) < 0)
		return failed(r, "list");
	if (rs.failed)
		return -1;
	*rowsp = rs.v;
	*np = rs.n;
	return 0;
}

struct numbers {
	struct arena *a;
	struct ivr_number *v;
	size_t n, cap;
	bool failed;
};

static int number_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct numbers *ns = arg;
	(void)lens;
	if (ncol < 4 || !v[0] || !v[1]) {
		ns->failed = true;
		return 1;
	}
	if (arena_grow(ns->a, &ns->v, ns->n, &ns->cap, sizeof *ns->v)) {
		ns->failed = true;
		return 1;
	}
	ns->v[ns->n++] = (struct ivr_number){
		.flow_id = arena_strdup(ns->a, v[0]), .id = arena_strdup(ns->a, v[1]),
		.number = arena_strdup(ns->a, v[2] ? v[2] : ""),
		.name = arena_strdup(ns->a, v[3] ? v[3] : ""),
	};
	return 0;
}

int ivr_db_numbers(struct req *r, const char *id, bool lock, struct ivr_number **vp,
		   size_t *np)
{
	struct numbers ns = { .a = r->a };
	int rc = id ? db_query(r->thr->db,
			       lock ? "SELECT ivr_flow_id, id, number, name FROM cc_number "
				      "WHERE ivr_flow_id = ? ORDER BY number LOCK IN SHARE MODE"
				    : "SELECT ivr_flow_id, id, number, name FROM cc_number "
				      "WHERE ivr_flow_id = ? ORDER BY number",
			       number_h, &ns, "i", atoll(id))
		    : db_query(r->thr->db,
			       "SELECT ivr_flow_id, id, number, name FROM cc_number "
			       "WHERE ivr_flow_id IS NOT NULL ORDER BY number",
			       number_h, &ns, NULL);
	if (rc < 0)
		return failed(r, "numbers");
	if (ns.failed)
		return -1;
	*vp = ns.v;
	*np = ns.n;
	return 0;
}

/* Whether a document has a sub-flow node naming flow id. */
static bool names_subflow(const char *doc, size_t len, const char *id)
{
	xmlDoc *d = xmlReadMemory(doc, (int)len, NULL, NULL,
				  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlNode *root = d ? xmlDocGetRootElement(d) : NULL;
	bool found = false;
	for (xmlNode *n = root ? root->children : NULL; n && !found; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "subflow"))
			continue;
		xmlChar *f = xmlGetProp(n, (const xmlChar *)"flow");
		found = f && !strcmp((const char *)f, id);
		xmlFree(f);
	}
	xmlFreeDoc(d);
	return found;
}

struct subflows {
	struct arena *a;
	const char *id;
	const char **names;
	size_t n;
	bool failed;
};

static int subflow_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct subflows *s = arg;
	if (ncol < 2 || !v[0] || !v[1]) {
		s->failed = true;
		return 1;
	}
	if (s->n < 20 && names_subflow(v[1], lens[1], s->id))
		s->names[s->n++] = arena_strdup(s->a, v[0]);
	return 0;
}

int ivr_db_subflow_users(struct req *r, const char *id, const char ***namesp, size_t *np)
{
	struct subflows s = { .a = r->a, .id = id, .names = arena_alloc(r->a, 20 * sizeof(char *)) };
	if (!s.names)
		return -1;
	/* Only documents that mention the element at all are read. */
	if (db_query(r->thr->db,
		     "SELECT f.name, v.document FROM cc_ivr_flow f JOIN cc_ivr_version v "
		     "ON v.flow_id = f.id AND v.version = f.published_version "
		     "WHERE f.id <> ? AND v.document LIKE '%<subflow%' ORDER BY f.name",
		     subflow_h, &s, "i", atoll(id)) < 0)
		return failed(r, "sub-flow users");
	if (s.failed)
		return -1;
	*namesp = s.names;
	*np = s.n;
	return 0;
}

int ivr_db_name_taken(struct req *r, const char *name, const char *id)
{
	char n[32];
	int rc = db_query_value(r->thr->db, n, sizeof n,
				"SELECT COUNT(*) FROM cc_ivr_flow WHERE name = ? AND id <> ?", "si", name,
				id ? atoll(id) : 0LL);
	if (rc < 0)
		return failed(r, "name check");
	return rc > 0 && atoll(n) > 0;
}

/* The first n characters of UTF-8 text s (in the arena). */
static char *chars_prefix(struct arena *a, const char *s, long n)
{
	const char *p = s;
	for (long k = 0; *p; p++)
		if (((unsigned char)*p & 0xC0) != 0x80 && k++ == n)
			break;
	return arena_strndup(a, s, (size_t)(p - s));
}

const char *ivr_db_free_name(struct req *r, const char *base)
{
	const char *c = chars_prefix(r->a, base, IVR_NAME_MAX);
	for (int k = 1; c && k < 100; k++) {
		if (k > 1) {
			char suffix[16];
			snprintf(suffix, sizeof suffix, " (%d)", k);
			char *head = chars_prefix(r->a, base, IVR_NAME_MAX - (long)strlen(suffix));
			c = head ? arena_printf(r->a, "%s%s", head, suffix) : NULL;
		}
		int taken = c ? ivr_db_name_taken(r, c, NULL) : -1;
		if (taken < 0)
			return NULL;
		if (!taken)
			return c;
	}
	return NULL;
}

int ivr_db_insert(struct req *r, const char *name, const char *description, const char *draft,
		  const char **idp)
{
	if (db_exec(r->thr->db,
		    "INSERT INTO cc_ivr_flow (name, description, draft, draft_rev, draft_saved_at, "
		    "draft_saved_by) VALUES (?, ?, ?, 1, NOW(3), ?)",
		    "ssss", name, description, draft, r->sess->user_id) < 0)
		return failed(r, "insert");
	*idp = arena_printf(r->a, "%llu", db_insert_id(r->thr->db));
	return *idp ? 0 : -1;
}

int ivr_db_lock(struct req *r, const char *id, struct ivr_row *out)
{
	/* The condition is evaluated with the row locked: of two admins
	 * asking at once, the second finds the first's lock live. */
	if (db_exec(r->thr->db,
		    "UPDATE cc_ivr_flow SET lock_user = ?, lock_until = NOW(3) + INTERVAL ? SECOND "
		    "WHERE id = ? AND (lock_user IS NULL OR lock_user = ? OR lock_until IS NULL "
		    "OR lock_until <= NOW(3))",
		    "siis", r->sess->user_id, (long long)IVR_LOCK_S, atoll(id), r->sess->user_id) < 0)
		return failed(r, "lock");
	/* Affected rows do not say it (a renewal within the same millisecond
	 * changes nothing): the row does. */
	int rc = ivr_db_get(r, id, false, out, NULL, NULL);
	if (rc <= 0)
		return rc < 0 ? -1 : 0;
	return ivr_lock_holder(out->lock_user, out->lock_live, r->sess->user_id) == 1;
}

int ivr_db_unlock(struct req *r, const char *id)
{
	long long n = db_exec(r->thr->db,
			      "UPDATE cc_ivr_flow SET lock_user = NULL, lock_until = NULL "
			      "WHERE id = ? AND lock_user = ?",
			      "is", atoll(id), r->sess->user_id);
	if (n < 0)
		return failed(r, "unlock");
	return n > 0;
}

/* "SELECT COUNT(*) ..." of an enabled agent by user id, from the manifest. */
static char *agent_sql(struct req *r)
{
	const struct manifest *m = r->web->mf;
	char role[512];
	if (manifest_flags_sql(m->users.agent_flags, m->users.nagent, "u", role, sizeof role))
		return NULL;
	return arena_printf(r->a,
		"SELECT COUNT(*) FROM `%s` u JOIN cc_sip_account s ON s.user_id = u.`%s` "
		"AND s.enabled = 1 WHERE u.`%s` = ? AND COALESCE(u.`%s`, 0) = 0 AND %s",
		m->users.table, m->users.id, m->users.id, m->users.deleted, role);
}

bool ivr_db_exists(void *arg, enum ivr_ref_kind kind, const char *key)
{
	struct ivr_exists_ctx *c = arg;
	struct req *r = c->r;
	char n[32] = "0";
	int rc;
	switch (kind) {
	case IVR_REF_AUDIO:
		rc = ivr_key_ok(key) ? db_query_value(r->thr->db, n, sizeof n,
			"SELECT COUNT(*) FROM cc_audio WHERE id = ?", "i", atoll(key)) : 0;
		break;
	case IVR_REF_GROUP:
		rc = ivr_key_ok(key) ? db_query_value(r->thr->db, n, sizeof n,
			"SELECT COUNT(*) FROM cc_skill_group WHERE id = ?", "i", atoll(key)) : 0;
		break;
	case IVR_REF_FLOW:
		rc = ivr_key_ok(key) ? db_query_value(r->thr->db, n, sizeof n,
			"SELECT COUNT(*) FROM cc_ivr_flow WHERE id = ? AND id <> ? "
			"AND published_version IS NOT NULL",
			"ii", atoll(key), c->self ? atoll(c->self) : 0LL) : 0;
		break;
	case IVR_REF_AGENT: {
		char *sql = agent_sql(r);
		rc = sql ? db_query_value(r->thr->db, n, sizeof n, sql, "s", key) : -1;
		break;
	}
	default:
		return false;
	}
	if (rc < 0) {
		log_err("ivr: does %s %s exist: %s", ivr_ref_kind_name(kind), key,
			db_error(r->thr->db));
		c->failed = true;
		return false;
	}
	return rc > 0 && atoll(n) > 0;
}

static json_t *num(const char *v)
{
	return v ? json_integer(atoll(v)) : json_null();
}

static json_t *str(const char *v)
{
	return v ? json_string(v) : json_null();
}

json_t *ivr_lock_json(const struct ivr_row *row)
{
	if (!ivr_lock_holder(row->lock_user, row->lock_live, NULL))
		return json_null();
	return json_pack("{s:s, s:s, s:s?}", "user_id", row->lock_user, "user_name",
			 row->lock_name ? row->lock_name : row->lock_user, "until", row->lock_until);
}

json_t *ivr_row_json(const struct ivr_row *row)
{
	enum ivr_state st = ivr_state_of(row->published_version, row->draft_rev, row->published_rev,
					 row->publish_failed);
	json_t *o = json_object();
	json_object_set_new(o, "id", num(row->id));
	json_object_set_new(o, "name", str(row->name));
	json_object_set_new(o, "description", str(row->description));
	json_object_set_new(o, "state", json_string(ivr_state_name(st)));
	json_object_set_new(o, "published_version", num(row->published_version));
	json_object_set_new(o, "published_rev", num(row->published_rev));
	json_object_set_new(o, "draft_rev", num(row->draft_rev));
	json_object_set_new(o, "lock", ivr_lock_json(row));
	json_object_set_new(o, "saved_at", str(row->draft_saved_at));
	json_object_set_new(o, "saved_by", str(row->draft_saved_by));
	json_object_set_new(o, "saved_by_name", str(row->saved_by_name));
	json_object_set_new(o, "created_at", str(row->created_at));
	json_object_set_new(o, "updated_at", str(row->updated_at));
	return o;
}
