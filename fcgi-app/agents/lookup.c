/* GET what the agents' forms pick from: helpdesk users without the agent
 * role (to enable one), the helpdesk's contacts (to bind to an agent), and
 * the next free extension. At most 20 answers each, by a search of at most
 * AG_Q_MAX characters. */
#include "agents.h"

#include "../resource/resource.h"
#include "../sqlq.h"
#include "manifest.h"

#include <string.h>

static const char *like_of(struct req *r)
{
	const char *q = req_query(r, "q");
	if (!q || !*q)
		return NULL;
	if (utf8_chars(q) < 0 || utf8_chars(q) > AG_Q_MAX || text_has_controls(q, false))
		return "";
	return res_like(r->a, q);
}

static int pick_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	if (ncol < 3)
		return 1;
	json_array_append_new(arg, json_pack("{s:s, s:s?, s:s?}", "id", v[0], "username", v[1],
					     "name", v[2]));
	return 0;
}

static int contact_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	if (ncol < 3)
		return 1;
	json_array_append_new(arg, json_pack("{s:s, s:s?, s:s?}", "id", v[0], "name", v[1],
					     "phone", v[2]));
	return 0;
}

const char *agents_users_get(struct req *r)
{
	const struct ag_sql *s = ag_sql(r);
	const char *like = like_of(r);
	if (!s)
		return "internal";
	if (like && !*like)
		return "bad_request";
	json_t *users = json_array();
	if (db_query(r->thr->db, s->users_pick, pick_h, users, "sss", like, like, like) < 0) {
		json_decref(users);
		return "db_unavailable";
	}
	return resp_json(r, 200, json_pack("{s:b, s:o}", "ok", 1, "users", users));
}

const char *agents_contacts_get(struct req *r)
{
	const struct ag_sql *s = ag_sql(r);
	const char *like = like_of(r);
	const struct manifest *m = r->web->mf;
	if (!s)
		return "internal";
	if (!like || !*like)
		return resp_json(r, 200, json_pack("{s:b, s:[]}", "ok", 1, "contacts"));
	json_t *cs = json_array();
	/* A number is also looked for in the normalized index, whatever the
	 * spaces or dashes it was saved with: by its digits. */
	const char *q = req_query(r, "q");
	char *digits = arena_strdup(r->a, q);
	size_t nd = 0;
	for (const char *p = q; digits && *p; p++)
		if (*p >= '0' && *p <= '9')
			digits[nd++] = *p;
	if (digits)
		digits[nd] = '\0';
	const char *dlike = nd >= 3 ? arena_printf(r->a, "%%%s%%", digits) : NULL;
	const char *vals[5];
	int n = 0;
	if (m->contacts.has_tenant)
		vals[n++] = m->contacts.tenant_value;
	vals[n++] = like;
	if (m->contacts.nphones)
		vals[n++] = like;
	vals[n++] = dlike;
	vals[n++] = dlike;
	if (dbv_query(r->thr->db, s->contacts_pick, contact_h, cs, vals, n) < 0) {
		json_decref(cs);
		return "db_unavailable";
	}
	return resp_json(r, 200, json_pack("{s:b, s:o}", "ok", 1, "contacts", cs));
}

const char *agents_next_ext_get(struct req *r)
{
	char ext[AG_EXT_MAX + 1];
	if (ag_db_next_ext(r->thr->db, ext) < 0)
		return "db_unavailable";
	return resp_json(r, 200, json_pack("{s:b, s:s}", "ok", 1, "extension", ext));
}
