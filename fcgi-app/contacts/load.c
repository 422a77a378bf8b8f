/* Reading contacts and recent calls (see contact.h). */
#include "contact.h"

#include "db.h"
#include "log.h"
#include "manifest.h"
#include "../sqlq.h"

#include <stdlib.h>
#include <string.h>

static const char *type_name(enum mf_field_type t)
{
	switch (t) {
	case MF_TEXTAREA: return "textarea";
	case MF_PHONE: return "phone";
	case MF_EMAIL: return "email";
	case MF_CHOICE: return "choice";
	case MF_TEXT: break;
	}
	return "text";
}

static const char *pick(const char *lang, const char *zh, const char *en)
{
	const char *v = lang && !strcmp(lang, "en") ? en : zh;
	return v ? v : (zh ? zh : (en ? en : ""));
}

json_t *contact_shape(const struct manifest *m, const char *id, char *const *vals,
		      const char *lang)
{
	json_t *fields = json_array();
	for (size_t i = 0; i < m->contacts.nfields; i++) {
		const struct mf_field *f = &m->contacts.fields[i];
		json_t *choices = json_array();
		for (size_t k = 0; k < f->nchoices; k++)
			json_array_append_new(choices, json_pack("{s:s, s:s}",
				"value", f->choices[k].value ? f->choices[k].value : "",
				"label", pick(lang, f->choices[k].label_zh, f->choices[k].label_en)));
		const char *v = vals ? vals[i] : NULL;
		json_array_append_new(fields, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:o, s:o}",
			"column", f->column, "type", type_name(f->type),
			"label", pick(lang, f->label_zh, f->label_en),
			"label_zh", f->label_zh ? f->label_zh : "",
			"label_en", f->label_en ? f->label_en : "",
			"max", (int)f->max, "required", f->required,
			"value", v ? json_string(v) : json_null(), "choices", choices));
	}
	return json_pack("{s:o, s:o}", "id", id ? json_string(id) : json_null(), "fields", fields);
}

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
	return l.out;
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

static int recent_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	if (ncol < 8)
		return 1;
	json_t *row = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}",
				"time", v[0], "direction", v[1], "agent", v[2], "result", v[3],
				"call", v[5], "caller", v[6], "callee", v[7]);
	if (row) {
		json_object_set_new(row, "duration", v[4] ? json_integer(atoll(v[4])) : json_null());
		json_array_append_new(arg, row);
	}
	return 0;
}

json_t *contact_recent(struct db *db, const struct web *w, const char *contact_id,
		       const char *caller_norm, const char *exclude)
{
	const char *p[DBV_MAX];
	int n = 0;
	p[n++] = contact_id;
	p[n++] = caller_norm;
	for (size_t i = 0; i < w->sql.recent_phones; i++)
		p[n++] = contact_id;
	p[n++] = exclude ? exclude : "";
	json_t *list = json_array();
	if (dbv_query(db, w->sql.recent_calls, recent_row, list, p, n) < 0) {
		log_err("recent calls: %s", db_error(db));
		json_decref(list);
		return NULL;
	}
	return list;
}
