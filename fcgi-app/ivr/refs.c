/* GET /cc/api/admin/ivr/refs: what the editor's pickers offer, the same
 * rows publishing accepts: audio [{id, name, kind}], skill groups
 * [{id, name}], enabled agents [{id, name, extension}] (the helpdesk's
 * users with the agent role and an enabled SIP account) and published
 * flows [{id, name, published_version}]. */
#include "ivr.h"

#include "db.h"
#include "log.h"
#include "manifest.h"

#include <stdlib.h>

struct pick {
	json_t *a;
	const char *const *names;	/* members, in column order */
	const char *ints;		/* 'i' where a column is an integer */
};

static int pick_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct pick *p = arg;
	(void)lens;
	json_t *o = json_object();
	for (int i = 0; i < ncol && p->names[i]; i++)
		json_object_set_new(o, p->names[i],
				    !v[i] ? json_null()
				    : p->ints[i] == 'i' ? json_integer(atoll(v[i])) : json_string(v[i]));
	json_array_append_new(p->a, o);
	return 0;
}

static json_t *pick(struct req *r, const char *sql, const char *const *names, const char *ints)
{
	struct pick p = { json_array(), names, ints };
	if (!sql || db_query(r->thr->db, sql, pick_h, &p, NULL) < 0) {
		log_err("ivr refs: %s", db_error(r->thr->db));
		json_decref(p.a);
		return NULL;
	}
	return p.a;
}

const char *ivr_refs_get(struct req *r)
{
	const struct manifest *m = r->web->mf;
	char role[512];
	if (manifest_flags_sql(m->users.agent_flags, m->users.nagent, "u", role, sizeof role))
		return "internal";
	static const char *const audio_cols[] = { "id", "name", "kind", NULL };
	static const char *const group_cols[] = { "id", "name", NULL };
	static const char *const agent_cols[] = { "id", "name", "extension", NULL };
	static const char *const flow_cols[] = { "id", "name", "published_version", NULL };
	json_t *audio = pick(r, "SELECT id, name, kind FROM cc_audio ORDER BY name, id LIMIT 2000",
			     audio_cols, "iss");
	json_t *groups = pick(r, "SELECT id, name FROM cc_skill_group ORDER BY name, id LIMIT 2000",
			      group_cols, "is");
	json_t *agents = pick(r, arena_printf(r->a,
		"SELECT u.`%s`, u.`%s`, s.username FROM `%s` u JOIN cc_sip_account s "
		"ON s.user_id = u.`%s` AND s.enabled = 1 WHERE COALESCE(u.`%s`, 0) = 0 AND %s "
		"ORDER BY u.`%s`, s.username LIMIT 5000",
		m->users.id, m->users.display_name, m->users.table, m->users.id, m->users.deleted,
		role, m->users.display_name), agent_cols, "sss");
	json_t *flows = pick(r, "SELECT id, name, published_version FROM cc_ivr_flow "
			     "WHERE published_version IS NOT NULL ORDER BY name, id LIMIT 2000",
			     flow_cols, "isi");
	if (!audio || !groups || !agents || !flows) {
		json_decref(audio);
		json_decref(groups);
		json_decref(agents);
		json_decref(flows);
		return "db_unavailable";
	}
	return resp_json(r, 200, json_pack("{s:b, s:o, s:o, s:o, s:o}", "ok", 1, "audio", audio,
					   "groups", groups, "agents", agents, "flows", flows));
}
