/* Manifest-dependent SQL (see sqlq.h). */
#include "sqlq.h"

#include "db.h"
#include "manifest.h"

#include <string.h>

/* Appends printf output to *s (NULL on an earlier failure stays NULL). */
#define CAT(a, s, fmt, ...) \
	do { if (s) (s) = arena_printf(a, "%s" fmt, s, ##__VA_ARGS__); } while (0)

/* The visibility rule of a contact (alias c) to an agent: shared with all,
 * owned by one of the agent's departments, or linked to one of the agent's
 * calls; never deleted. Parameters: [tenant], user id, user id. */
static char *visible(struct arena *a, const struct manifest *m)
{
	const typeof(m->contacts) *c = &m->contacts;
	char *s = arena_printf(a, "COALESCE(c.`%s`, 0) <> 1", c->deleted);
	if (c->has_tenant)
		CAT(a, s, " AND c.`%s` = ?", c->tenant);
	CAT(a, s, " AND (c.`%s` = 'all' OR c.`%s` IS NULL"
		  " OR c.`%s` IN (SELECT m.`%s` FROM `%s` m WHERE m.`%s` = ?)"
		  " OR EXISTS (SELECT 1 FROM cc_call k WHERE k.contact_id = c.`%s` AND k.agent_id = ?))",
	    c->shares, c->shares, c->department, m->membership.department,
	    m->membership.table, m->membership.user, c->id);
	return s;
}

/* 1 when user u holds the helpdesk's resource code (a literal of the
 * code, never a request's value): one of the user's roles has a grant of
 * it, or the user's department has one. */
static char *granted(struct arena *a, const struct manifest *m, const char *code)
{
	const typeof(m->access) *acc = &m->access;
	const typeof(m->users) *u = &m->users;
	char *s = arena_printf(a,
		"EXISTS (SELECT 1 FROM `%s` gm JOIN `%s` gd ON gd.`%s` = gm.`%s` "
		"WHERE gm.`%s` = u.`%s` AND gd.`%s` = '%s')",
		m->membership.table, acc->department_grants.table, acc->department_grants.department,
		m->membership.department, m->membership.user, u->id, acc->department_grants.code,
		code);
	if (acc->user_roles.table)
		CAT(a, s, " OR EXISTS (SELECT 1 FROM `%s` gu JOIN `%s` gr ON gr.`%s` = gu.`%s` "
			  "WHERE gu.`%s` = u.`%s` AND gr.`%s` = '%s')",
		    acc->user_roles.table, acc->role_grants.table, acc->role_grants.role,
		    acc->user_roles.role, acc->user_roles.user, u->id, acc->role_grants.code, code);
	return s ? arena_printf(a, "(%s)", s) : NULL;
}

static char *roles(struct arena *a, const char *const *flags, size_t n)
{
	char buf[512];
	return manifest_flags_sql(flags, n, "u", buf, sizeof buf) ? NULL : arena_strdup(a, buf);
}

int web_sql_build(struct web_sql *q, const struct manifest *m, bool has_last_login,
		  struct arena *a)
{
	const typeof(m->users) *u = &m->users;
	const typeof(m->contacts) *c = &m->contacts;
	char *admin = roles(a, u->admin_flags, u->nadmin);
	char *agent = roles(a, u->agent_flags, u->nagent);
	char *vis = visible(a, m);
	char *outbound = granted(a, m, WEB_OUTBOUND_CODE);
	char *monitor = granted(a, m, WEB_MONITOR_CODE);
	if (!admin || !agent || !vis || !outbound || !monitor)
		return -1;

	q->session_user = arena_printf(a,
		"SELECT u.`%s`, u.`%s`, u.`%s`, s.csrf, %s, %s, %s, %s FROM cc_session s "
		"JOIN `%s` u ON u.`%s` = s.user_id "
		"WHERE s.token_hash = ? AND s.expires_at > NOW() "
		"AND s.last_seen_at > NOW() - INTERVAL ? MINUTE AND COALESCE(u.`%s`, 0) = 0",
		u->id, u->username, u->display_name, admin, agent, outbound, monitor, u->table,
		u->id, u->deleted);
	q->login_user = arena_printf(a,
		"SELECT u.`%s`, u.`%s`, u.`%s`, u.`%s`, %s, %s, %s, %s FROM `%s` u "
		"WHERE u.`%s` = ? AND COALESCE(u.`%s`, 0) = 0 LIMIT 1",
		u->id, u->username, u->display_name, u->password, admin, agent, outbound, monitor,
		u->table, u->username, u->deleted);
	q->touch_login = has_last_login
		? arena_printf(a, "UPDATE `%s` SET `%s` = NOW() WHERE `%s` = ?", u->table,
			       u->last_login, u->id)
		: NULL;
	q->user_dept = arena_printf(a, "SELECT m.`%s` FROM `%s` m WHERE m.`%s` = ? LIMIT 1",
				    m->membership.department, m->membership.table,
				    m->membership.user);

	char *fields = arena_strdup(a, "");
	for (size_t i = 0; i < c->nfields; i++)
		CAT(a, fields, "%sc.`%s`", i ? ", " : "", c->fields[i].column);
	q->contact_fields = fields;
	q->contact_select = arena_printf(a, "SELECT c.`%s`%s%s FROM `%s` c WHERE c.`%s` = ? AND %s",
					 c->id, c->nfields ? ", " : "", fields, c->table, c->id, vis);
	q->contact_exists = arena_printf(a, "SELECT c.`%s` FROM `%s` c WHERE c.`%s` = ? AND %s "
					    "FOR UPDATE", c->id, c->table, c->id, vis);
	/* The B2BUA's order (docs/lookup.md): phone_rank read backwards, no
	 * sort. */
	q->contact_by_phone = arena_printf(a,
		"SELECT c.`%s` FROM cc_contact_phone p JOIN `%s` c ON c.`%s` = p.contact_id "
		"WHERE p.phone = ? AND %s ORDER BY p.touched DESC, p.updated DESC LIMIT 1",
		c->id, c->table, c->id, vis);
	char *phones = arena_strdup(a, "");
	for (size_t i = 0; i < c->nphones; i++)
		CAT(a, phones, "%sc.`%s`", i ? ", " : "", c->phones[i]);
	/* The phone columns, then the contact's rank (touched, updated) the
	 * index keeps with each number. */
	q->contact_phones = c->nphones
		? arena_printf(a, "SELECT %s, c.`%s`, c.`%s` FROM `%s` c WHERE c.`%s` = ?", phones,
			       c->touched, c->updated, c->table, c->id)
		: NULL;
	/* The customer's last 10 calls but one: by contact, by the caller's
	 * number, by each of the contact's indexed numbers. One OR over them made
	 * MariaDB walk started_idx until 10 matched: the whole table for a new
	 * caller. Here each part reads its own index (contact_idx, caller_idx)
	 * newest first and stops after 11 rows (10 and the call left out); the
	 * union drops calls found twice. A contact has at most one indexed
	 * number per phone column, so one part per column, the i-th number,
	 * covers them all. Parameters: contact id, caller_norm, the contact id
	 * again for each of recent_phones parts, the call left out. */
	q->recent_phones = c->nphones < DBV_MAX - 3 ? c->nphones : DBV_MAX - 3;
	char *parts = arena_strdup(a,
		"(SELECT k.id, k.started_at FROM cc_call k WHERE k.contact_id = ? "
		"ORDER BY k.started_at DESC LIMIT 11) UNION "
		"(SELECT k.id, k.started_at FROM cc_call k WHERE k.caller_norm = ? "
		"ORDER BY k.started_at DESC LIMIT 11)");
	for (size_t i = 0; i < q->recent_phones; i++)
		CAT(a, parts, " UNION (SELECT k.id, k.started_at FROM cc_call k WHERE k.caller_norm = "
			      "(SELECT p.phone FROM cc_contact_phone p WHERE p.contact_id = ? "
			      "ORDER BY p.phone LIMIT %zu, 1) ORDER BY k.started_at DESC LIMIT 11)", i);
	q->recent_calls = parts ? arena_printf(a,
		"SELECT DATE_FORMAT(k.started_at, '%%Y-%%m-%%d %%H:%%i'), k.direction, u.`%s`, "
		"k.result, TIMESTAMPDIFF(SECOND, k.answered_at, k.ended_at), k.id, k.caller, k.callee, "
		"k.agent_id FROM (%s) r JOIN cc_call k ON k.id = r.id LEFT JOIN `%s` u ON u.`%s` = k.agent_id "
		"WHERE r.id <> ? ORDER BY r.started_at DESC LIMIT 10",
		u->display_name, parts, u->table, u->id) : NULL;
	q->agent_calls = arena_printf(a,
		"SELECT DATE_FORMAT(k.started_at, '%%Y-%%m-%%d %%H:%%i'), k.direction, k.caller, "
		"k.callee, k.result, TIMESTAMPDIFF(SECOND, k.answered_at, k.ended_at), k.id "
		"FROM cc_call k WHERE k.agent_id = ? ORDER BY k.started_at DESC LIMIT 10");
	q->admin_calls = arena_printf(a,
		"SELECT DATE_FORMAT(k.started_at, '%%Y-%%m-%%d %%H:%%i:%%s'), k.direction, k.caller, "
		"k.callee, u.`%s`, k.result, "
		"TIMESTAMPDIFF(SECOND, k.started_at, COALESCE(k.answered_at, k.ended_at)), "
		"TIMESTAMPDIFF(SECOND, k.answered_at, k.ended_at), k.id "
		"FROM cc_call k LEFT JOIN `%s` u ON u.`%s` = k.agent_id "
		"ORDER BY k.started_at DESC LIMIT 50",
		u->display_name, u->table, u->id);

	q->report_agents = arena_printf(a,
		"SELECT u.`%s`, u.`%s` FROM `%s` u WHERE u.`%s` IN (SELECT DISTINCT dim_key "
		"FROM cc_report_day WHERE dim = 'agent' AND day_start >= ? AND day_start < ?)",
		u->id, u->display_name, u->table, u->id);

	const char *all[] = { q->session_user, q->login_user, q->user_dept, q->contact_select,
			      q->contact_exists, q->contact_by_phone, q->recent_calls,
			      q->agent_calls, q->admin_calls, q->contact_fields, q->report_agents };
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		if (!all[i])
			return -1;
	return 0;
}

/* db.h binds from a format string; a list of n strings becomes "sss…" and
 * the fixed argument list below (extra arguments are never read). */
#define V(i) (i < n ? vals[i] : NULL)
#define ARGS V(0), V(1), V(2), V(3), V(4), V(5), V(6), V(7), V(8), V(9), V(10), V(11), \
	V(12), V(13), V(14), V(15), V(16), V(17), V(18), V(19), V(20), V(21), V(22), V(23), \
	V(24), V(25), V(26), V(27), V(28), V(29)

long long dbv_exec(struct db *db, const char *sql, const char *const *vals, int n)
{
	char fmt[DBV_MAX + 1];
	if (n < 0 || n > DBV_MAX)
		return -1;
	memset(fmt, 's', (size_t)n);
	fmt[n] = '\0';
	return db_exec(db, sql, fmt, ARGS);
}

int dbv_query(struct db *db, const char *sql, db_row_h *rowh, void *arg, const char *const *vals,
	      int n)
{
	char fmt[DBV_MAX + 1];
	if (n < 0 || n > DBV_MAX)
		return -1;
	memset(fmt, 's', (size_t)n);
	fmt[n] = '\0';
	return db_query(db, sql, rowh, arg, fmt, ARGS);
}

int text_rows_h(void *arg, int ncol, char **vals, unsigned long *lens)
{
	struct text_rows *rs = arg;
	(void)lens;
	size_t size = rs->ncols * sizeof(const char *);
	if (ncol < (int)rs->ncols || arena_grow(rs->a, &rs->v, rs->n, &rs->cap, size)) {
		rs->failed = true;
		return 1;
	}
	const char **row = (const char **)((char *)rs->v + rs->n++ * size);
	for (size_t i = 0; i < rs->ncols; i++)
		row[i] = vals[i] ? arena_strdup(rs->a, vals[i]) : NULL;
	return 0;
}
