/* The agents' statements that name the host's tables, from the manifest
 * (names are checked identifiers: quoted, never escaped). Built for each
 * request in its arena: a few string formats, far below a query's cost. */
#include "agents.h"

#include "manifest.h"

#define CAT(a, s, fmt, ...) \
	do { if (s) (s) = arena_printf(a, "%s" fmt, s, ##__VA_ARGS__); } while (0)

const struct ag_sql *ag_sql(struct req *r)
{
	struct arena *a = r->a;
	const struct manifest *m = r->web->mf;
	const typeof(m->users) *u = &m->users;
	const typeof(m->contacts) *c = &m->contacts;
	const typeof(m->departments) *dp = &m->departments;
	const typeof(m->membership) *mb = &m->membership;
	struct ag_sql *q = arena_alloc(a, sizeof *q);
	char role[512];
	if (!q || manifest_flags_sql(u->agent_flags, u->nagent, "u", role, sizeof role))
		return NULL;

	q->select = arena_printf(a,
		"SELECT u.`%s`, u.`%s`, u.`%s`, s.username, s.enabled, "
		"COALESCE(a.state, 'logged_out'), a.reason, "
		"EXISTS (SELECT 1 FROM cc_location l WHERE l.username = s.username "
		"AND l.expires > NOW()), "
		"CONCAT_WS('\\t', (SELECT GROUP_CONCAT(CONCAT(m.skill_group_id, ':', m.level, ':', "
		"g.name) ORDER BY m.level, g.name SEPARATOR '\\t') FROM cc_skill_group_member m "
		"JOIN cc_skill_group g ON g.id = m.skill_group_id WHERE m.user_id = u.`%s`), "
		"(SELECT GROUP_CONCAT(CONCAT(g.id, ':0:', g.name) ORDER BY g.name SEPARATOR '\\t') "
		"FROM cc_skill_group g JOIN `%s` d ON d.`%s` = g.organ_id AND d.`%s` = 1 "
		"JOIN `%s` o ON o.`%s` = g.organ_id WHERE o.`%s` = u.`%s`))",
		u->id, u->username, u->display_name, u->id, dp->table, dp->id, dp->skill, mb->table,
		mb->department, mb->user, u->id);
	q->from = arena_printf(a, " FROM `%s` u LEFT JOIN cc_sip_account s ON s.user_id = u.`%s` "
				  "LEFT JOIN cc_agent a ON a.user_id = u.`%s`", u->table, u->id, u->id);
	q->select = q->select && q->from ? arena_printf(a, "%s%s", q->select, q->from) : NULL;
	q->where = arena_printf(a, " WHERE COALESCE(u.`%s`, 0) = 0 AND %s", u->deleted, role);
	/* Each filter is off when its first parameter is NULL. */
	q->filters = arena_printf(a,
		" AND (? IS NULL OR u.`%s` LIKE ? ESCAPE '!' OR u.`%s` LIKE ? ESCAPE '!' "
		"OR s.username LIKE ? ESCAPE '!')"
		" AND (? IS NULL OR COALESCE(a.state, 'logged_out') = ?)"
		" AND (? IS NULL OR EXISTS (SELECT 1 FROM cc_location l WHERE l.username = s.username "
		"AND l.expires > NOW()) = (? = '1'))"
		" AND (? IS NULL OR EXISTS (SELECT 1 FROM cc_skill_group_member m "
		"WHERE m.user_id = u.`%s` AND m.skill_group_id = ?) OR EXISTS (SELECT 1 "
		"FROM cc_skill_group g JOIN `%s` d ON d.`%s` = g.organ_id AND d.`%s` = 1 "
		"JOIN `%s` o ON o.`%s` = g.organ_id WHERE o.`%s` = u.`%s` AND g.id = ?))"
		" AND (? IS NULL OR COALESCE(s.enabled, 0) = (? = '1'))",
		u->username, u->display_name, u->id, dp->table, dp->id, dp->skill, mb->table,
		mb->department, mb->user, u->id);
	q->user_by_id = arena_printf(a,
		"SELECT u.`%s`, u.`%s`, u.`%s`, %s, COALESCE(u.`%s`, 0) <> 0 FROM `%s` u "
		"WHERE u.`%s` = ?", u->id, u->username, u->display_name, role, u->deleted, u->table,
		u->id);
	q->user_by_username = arena_printf(a,
		"SELECT u.`%s`, u.`%s`, u.`%s`, %s, COALESCE(u.`%s`, 0) <> 0 FROM `%s` u "
		"WHERE u.`%s` = ? ORDER BY COALESCE(u.`%s`, 0) LIMIT 1", u->id, u->username,
		u->display_name, role, u->deleted, u->table, u->username, u->deleted);
	/* The role as the host stores it: its flag columns set. */
	char *set = arena_strdup(a, ""), *clear = arena_strdup(a, "");
	for (size_t i = 0; i < u->nagent; i++) {
		CAT(a, set, "%s`%s` = 1", i ? ", " : "", u->agent_flags[i]);
		CAT(a, clear, "%s`%s` = 0", i ? ", " : "", u->agent_flags[i]);
	}
	char *cols = arena_printf(a, "`%s`, `%s`, `%s`, `%s`, `%s`", u->id, u->username,
				  u->password, u->display_name, u->deleted);
	char *vals = arena_strdup(a, "?, ?, ?, ?, 0");
	for (size_t i = 0; i < u->nagent; i++) {
		CAT(a, cols, ", `%s`", u->agent_flags[i]);
		CAT(a, vals, ", 1");
	}
	q->user_insert = arena_printf(a, "INSERT INTO `%s` (%s) VALUES (%s)", u->table, cols, vals);
	q->user_grant = u->nagent ? arena_printf(a, "UPDATE `%s` SET %s WHERE `%s` = ?", u->table,
						 set, u->id) : NULL;
	q->user_revoke = u->nagent ? arena_printf(a, "UPDATE `%s` SET %s WHERE `%s` = ?", u->table,
						  clear, u->id) : NULL;
	q->user_name = arena_printf(a, "UPDATE `%s` SET `%s` = ? WHERE `%s` = ?", u->table,
				    u->display_name, u->id);
	q->users_pick = arena_printf(a,
		"SELECT u.`%s`, u.`%s`, u.`%s` FROM `%s` u WHERE COALESCE(u.`%s`, 0) = 0 "
		"AND NOT %s AND (? IS NULL OR u.`%s` LIKE ? ESCAPE '!' OR u.`%s` LIKE ? ESCAPE '!') "
		"ORDER BY u.`%s` LIMIT 20",
		u->id, u->username, u->display_name, u->table, u->deleted, role, u->username,
		u->display_name, u->username);

	char *phones = arena_strdup(a, "");
	for (size_t i = 0; i < c->nphones; i++)
		CAT(a, phones, ", c.`%s`", c->phones[i]);
	char *live = arena_printf(a, "COALESCE(c.`%s`, 0) <> 1", c->deleted);
	if (c->has_tenant)
		CAT(a, live, " AND c.`%s` = ?", c->tenant);
	q->contacts_pick = arena_printf(a,
		"SELECT c.`%s`, c.`%s`, %s FROM `%s` c WHERE %s AND (c.`%s` LIKE ? ESCAPE '!'%s%s%s "
		"OR (? IS NOT NULL AND EXISTS (SELECT 1 FROM cc_contact_phone p "
		"WHERE p.contact_id = c.`%s` AND p.phone LIKE ?))) ORDER BY c.`%s` LIMIT 20",
		c->id, c->display_name, c->nphones ? arena_printf(a, "c.`%s`", c->phones[0]) : "NULL",
		c->table, live, c->display_name, c->nphones ? " OR CONCAT_WS(' '" : "",
		c->nphones ? phones : "", c->nphones ? ") LIKE ? ESCAPE '!'" : "", c->id,
		c->display_name);
	q->contact_name = arena_printf(a, "SELECT c.`%s` FROM `%s` c WHERE c.`%s` = ? AND %s",
				       c->display_name, c->table, c->id, live);
	q->dedicated_of = arena_printf(a,
		"SELECT d.contact_id, c.`%s` FROM cc_dedicated_agent d LEFT JOIN `%s` c "
		"ON c.`%s` = d.contact_id WHERE d.user_id = ? ORDER BY c.`%s`, d.contact_id LIMIT 1000",
		c->display_name, c->table, c->id, c->display_name);
	q->agent_names = NULL;

	const char *all[] = { q->select, q->where, q->filters, q->user_by_id, q->user_by_username,
			      q->user_insert, q->user_name, q->users_pick, q->contacts_pick,
			      q->contact_name, q->dedicated_of };
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		if (!all[i])
			return NULL;
	return q;
}
