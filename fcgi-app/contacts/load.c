/* Reading a contact visible to an agent, by id or by number (see
 * contact.h). */
#include "contact.h"

#include "db.h"
#include "log.h"
#include "manifest.h"
#include "../sqlq.h"

#include <stdio.h>

/* Parameters of the visibility rule after the leading ones. */
static int vis_params(const struct web *w, const char **p, int n, const char *agent)
{
	if (w->mf->contacts.has_tenant)
		p[n++] = w->mf->contacts.tenant_value;
	p[n++] = agent;
	p[n++] = agent;
	return n;
}

struct load {
	const struct manifest *m;
	const char *lang;
	json_t *out;
};

static int contact_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct load *l = arg;
	(void)lens;
	if ((size_t)ncol != l->m->contacts.nfields + 1)
		return 1;
	l->out = contact_shape(l->m, v[0], v + 1, l->lang);
	return 1;
}

json_t *contact_load(struct db *db, const struct web *w, const char *id, const char *agent,
		     const char *lang, bool *dberr)
{
	const char *p[8];
	int n = 0;
	p[n++] = id;
	n = vis_params(w, p, n, agent);
	struct load l = { w->mf, lang, NULL };
	*dberr = false;
	if (dbv_query(db, w->sql.contact_select, contact_row, &l, p, n) < 0) {
		log_err("contact %s: %s", id, db_error(db));
		*dberr = true;
		return NULL;
	}
	if (l.out)
		json_object_set_new(l.out, "dedicated", contact_dedicated(db, w, id));
	return l.out;
}

static int dedicated_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	if (ncol == 2 && v[0])
		*(json_t **)arg = json_pack("{s:s, s:s?}", "id", v[0], "name", v[1]);
	return 1;
}

json_t *contact_dedicated(struct db *db, const struct web *w, const char *id)
{
	const typeof(w->mf->users) *u = &w->mf->users;
	char sql[512];
	snprintf(sql, sizeof sql,
		 "SELECT d.user_id, u.`%s` FROM cc_dedicated_agent d LEFT JOIN `%s` u "
		 "ON u.`%s` = d.user_id WHERE d.contact_id = ?", u->display_name, u->table, u->id);
	json_t *out = NULL;
	if (db_query(db, sql, dedicated_row, &out, "s", id) < 0)
		log_warn("contact %s: dedicated agent: %s", id, db_error(db));
	return out ? out : json_null();
}

static int copy_id(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	if (ncol > 0 && v[0])
		snprintf(arg, 33, "%s", v[0]);
	return 1;
}

int contact_find_by_phone(struct db *db, const struct web *w, const char *norm,
			  const char *agent, char out[33])
{
	const char *p[8];
	int n = 0;
	out[0] = '\0';
	p[n++] = norm;
	n = vis_params(w, p, n, agent);
	int rc = dbv_query(db, w->sql.contact_by_phone, copy_id, out, p, n);
	if (rc < 0) {
		log_err("contact lookup by number: %s", db_error(db));
		return -1;
	}
	return out[0] != '\0';
}
