/* The plugin manifest: see manifest.h. */
#include "manifest.h"

#include "arena.h"
#include "db.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>

struct mf_owner {
	struct manifest m;
	struct arena *arena;
};

bool manifest_ident_ok(const char *s)
{
	if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	size_t n = 0;
	for (; *s; s++, n++)
		if (!(isalnum((unsigned char)*s) || *s == '_'))
			return false;
	return n <= 64;
}

/* Collects the validator's first message with its line. */
struct verr {
	char *buf;
	size_t len;
	const char *path;
	bool set;
};

static void structured_error(void *ctx, const xmlError *e)
{
	struct verr *v = ctx;
	if (v->set || !e)
		return;
	v->set = true;
	/* Validation errors on attributes carry the node, not a line. */
	long line = e->line;
	if (!line && e->node)
		line = xmlGetLineNo((xmlNode *)e->node);
	snprintf(v->buf, v->len, "%s:%ld: %s", v->path, line, e->message ? e->message : "invalid");
	char *nl = strchr(v->buf, '\n');
	if (nl)
		*nl = '\0';
}

static const char *attr(struct arena *a, xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	char *s = arena_strdup(a, (const char *)v);
	xmlFree(v);
	return s;
}

static xmlNode *child(xmlNode *parent, const char *name)
{
	for (xmlNode *c = parent->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name))
			return c;
	return NULL;
}

static size_t count_children(xmlNode *parent, const char *name)
{
	size_t n = 0;
	for (xmlNode *c = parent->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name))
			n++;
	return n;
}

/* Splits a space-separated list of identifiers. */
static const char **split(struct arena *a, const char *s, size_t *np)
{
	size_t n = 0, cap = 1;
	for (const char *p = s; *p; p++)
		cap += *p == ' ';
	const char **out = arena_alloc(a, cap * sizeof *out);
	if (!out)
		return NULL;
	while (*s) {
		while (*s == ' ')
			s++;
		const char *e = s;
		while (*e && *e != ' ')
			e++;
		if (e > s)
			out[n++] = arena_strndup(a, s, (size_t)(e - s));
		s = e;
	}
	*np = n;
	return out;
}

static enum mf_field_type field_type(const char *s)
{
	if (!strcmp(s, "textarea"))
		return MF_TEXTAREA;
	if (!strcmp(s, "phone"))
		return MF_PHONE;
	if (!strcmp(s, "email"))
		return MF_EMAIL;
	if (!strcmp(s, "choice"))
		return MF_CHOICE;
	return MF_TEXT;
}

static int read_contacts(struct arena *a, struct manifest *m, xmlNode *c)
{
	m->contacts.table = attr(a, c, "table");
	m->contacts.id = attr(a, c, "id");
	m->contacts.display_name = attr(a, c, "display-name");
	m->contacts.deleted = attr(a, c, "deleted");
	m->contacts.department = attr(a, c, "department");
	m->contacts.shares = attr(a, c, "shares");
	m->contacts.created = attr(a, c, "created");
	m->contacts.updated = attr(a, c, "updated");
	m->contacts.touched = attr(a, c, "touched");
	m->contacts.creator = attr(a, c, "creator");
	m->contacts.creator_name = attr(a, c, "creator-name");
	m->contacts.updater = attr(a, c, "updater");
	m->contacts.updater_name = attr(a, c, "updater-name");
	m->contacts.tenant = attr(a, c, "tenant");
	m->contacts.tenant_value = attr(a, c, "tenant-value");

	size_t nf = count_children(c, "field"), np = count_children(c, "phone");
	m->contacts.fields = arena_alloc(a, nf * sizeof *m->contacts.fields);
	m->contacts.phones = arena_alloc(a, np * sizeof *m->contacts.phones);
	if (!m->contacts.fields || !m->contacts.phones)
		return -1;
	for (xmlNode *n = c->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp((const char *)n->name, "phone")) {
			m->contacts.phones[m->contacts.nphones++] = attr(a, n, "column");
			continue;
		}
		if (strcmp((const char *)n->name, "field"))
			continue;
		struct mf_field *f = &m->contacts.fields[m->contacts.nfields++];
		f->column = attr(a, n, "column");
		f->type = field_type(attr(a, n, "type"));
		f->max = (unsigned)atoi(attr(a, n, "max"));
		const char *req = attr(a, n, "required");
		f->required = req && (!strcmp(req, "true") || !strcmp(req, "1"));
		f->label_zh = attr(a, n, "label-zh");
		f->label_en = attr(a, n, "label-en");
		size_t nc = count_children(n, "choice");
		f->choices = arena_alloc(a, (nc ? nc : 1) * sizeof *f->choices);
		if (!f->choices)
			return -1;
		for (xmlNode *ch = n->children; ch; ch = ch->next) {
			if (ch->type != XML_ELEMENT_NODE)
				continue;
			struct mf_choice *cv = &f->choices[f->nchoices++];
			cv->value = attr(a, ch, "value");
			cv->label_zh = attr(a, ch, "label-zh");
			cv->label_en = attr(a, ch, "label-en");
		}
	}
	return 0;
}

static int read_doc(struct arena *a, struct manifest *m, xmlNode *root)
{
	m->id = attr(a, root, "id");
	m->version = attr(a, root, "version");
	m->mount_prefix = attr(a, child(root, "mount"), "prefix");
	m->migrations_table = attr(a, child(root, "migrations"), "table");

	xmlNode *u = child(root, "users");
	m->users.table = attr(a, u, "table");
	m->users.id = attr(a, u, "id");
	m->users.username = attr(a, u, "username");
	m->users.password = attr(a, u, "password");
	m->users.display_name = attr(a, u, "display-name");
	m->users.deleted = attr(a, u, "deleted");
	m->users.last_login = attr(a, u, "last-login");
	for (xmlNode *r = u->children; r; r = r->next) {
		if (r->type != XML_ELEMENT_NODE)
			continue;
		const char *name = attr(a, r, "name"), *any = attr(a, r, "any-of");
		if (!strcmp(name, "admin"))
			m->users.admin_flags = split(a, any, &m->users.nadmin);
		else
			m->users.agent_flags = split(a, any, &m->users.nagent);
	}

	xmlNode *d = child(root, "departments");
	m->departments.table = attr(a, d, "table");
	m->departments.id = attr(a, d, "id");
	m->departments.name = attr(a, d, "name");
	m->departments.parent = attr(a, d, "parent");
	m->departments.skill = attr(a, d, "skill");

	xmlNode *mb = child(root, "membership");
	m->membership.table = attr(a, mb, "table");
	m->membership.user = attr(a, mb, "user");
	m->membership.department = attr(a, mb, "department");

	return read_contacts(a, m, child(root, "contacts"));
}

/* Belt and braces behind the schema: every name that goes into SQL. */
static const char *check_idents(const struct manifest *m)
{
	const char *names[] = {
		m->users.table, m->users.id, m->users.username, m->users.password,
		m->users.display_name, m->users.deleted, m->departments.table,
		m->departments.id, m->departments.name, m->departments.parent,
		m->departments.skill, m->membership.table, m->membership.user,
		m->membership.department, m->contacts.table, m->contacts.id, m->contacts.display_name,
		m->contacts.deleted, m->contacts.department, m->contacts.shares,
		m->contacts.created, m->contacts.updated, m->contacts.touched,
		m->contacts.creator, m->contacts.creator_name, m->contacts.updater,
		m->contacts.updater_name, m->migrations_table,
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!manifest_ident_ok(names[i]))
			return names[i] ? names[i] : "(missing)";
	if (m->users.last_login && !manifest_ident_ok(m->users.last_login))
		return m->users.last_login;
	if (m->contacts.tenant && !manifest_ident_ok(m->contacts.tenant))
		return m->contacts.tenant;
	for (size_t i = 0; i < m->contacts.nfields; i++)
		if (!manifest_ident_ok(m->contacts.fields[i].column))
			return m->contacts.fields[i].column;
	for (size_t i = 0; i < m->contacts.nphones; i++)
		if (!manifest_ident_ok(m->contacts.phones[i]))
			return m->contacts.phones[i];
	for (size_t i = 0; i < m->users.nadmin; i++)
		if (!manifest_ident_ok(m->users.admin_flags[i]))
			return m->users.admin_flags[i];
	for (size_t i = 0; i < m->users.nagent; i++)
		if (!manifest_ident_ok(m->users.agent_flags[i]))
			return m->users.agent_flags[i];
	return NULL;
}

int manifest_load(struct manifest **mp, const char *path, const char *rng, char *err,
		  size_t errlen)
{
	struct verr v = { err, errlen, path, false };
	struct mf_owner *o = NULL;
	xmlRelaxNGParserCtxtPtr pctx = NULL;
	xmlRelaxNGPtr schema = NULL;
	xmlRelaxNGValidCtxtPtr vctx = NULL;
	int rc = -1;

	xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
					      XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		snprintf(err, errlen, "%s:%d: %s", path, e ? e->line : 0,
			 e && e->message ? e->message : "cannot read");
		char *nl = strchr(err, '\n');
		if (nl)
			*nl = '\0';
		return -1;
	}
	pctx = xmlRelaxNGNewParserCtxt(rng);
	schema = pctx ? xmlRelaxNGParse(pctx) : NULL;
	if (!schema) {
		snprintf(err, errlen, "%s: cannot load the schema", rng);
		goto out;
	}
	vctx = xmlRelaxNGNewValidCtxt(schema);
	xmlRelaxNGSetValidStructuredErrors(vctx, (xmlStructuredErrorFunc)structured_error, &v);
	if (xmlRelaxNGValidateDoc(vctx, doc) != 0) {
		if (!v.set)
			snprintf(err, errlen, "%s: does not match %s", path, rng);
		goto out;
	}
	o = calloc(1, sizeof *o);
	if (!o || !(o->arena = arena_new()) || read_doc(o->arena, &o->m, xmlDocGetRootElement(doc))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	const char *bad = check_idents(&o->m);
	if (bad) {
		snprintf(err, errlen, "%s: '%s' is not a valid table or column name", path, bad);
		goto out;
	}
	*mp = &o->m;
	o = NULL;
	rc = 0;
out:
	if (o) {
		arena_free(o->arena);
		free(o);
	}
	xmlRelaxNGFreeValidCtxt(vctx);
	xmlRelaxNGFree(schema);
	xmlRelaxNGFreeParserCtxt(pctx);
	xmlFreeDoc(doc);
	return rc;
}

void manifest_free(struct manifest *m)
{
	if (!m)
		return;
	struct mf_owner *o = (struct mf_owner *)m;
	arena_free(o->arena);
	free(o);
}

int manifest_detect(struct manifest *m, struct db *db)
{
	m->contacts.has_tenant = false;
	if (!m->contacts.tenant)
		return 0;
	char n[16] = "0";
	int rc = db_query_value(db, n, sizeof n,
				"SELECT COUNT(*) FROM information_schema.COLUMNS "
				"WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?",
				"ss", m->contacts.table, m->contacts.tenant);
	if (rc < 0)
		return -1;
	m->contacts.has_tenant = atoi(n) > 0;
	return 0;
}

const struct mf_field *manifest_field(const struct manifest *m, const char *column)
{
	for (size_t i = 0; i < m->contacts.nfields; i++)
		if (!strcmp(m->contacts.fields[i].column, column))
			return &m->contacts.fields[i];
	return NULL;
}

int manifest_flags_sql(const char *const *flags, size_t n, const char *alias, char *out,
		       size_t outlen)
{
	size_t off = (size_t)snprintf(out, outlen, "(");
	for (size_t i = 0; i < n && off < outlen; i++)
		off += (size_t)snprintf(out + off, outlen - off, "%sCOALESCE(%s.`%s`, 0) <> 0",
					i ? " OR " : "", alias, flags[i]);
	if (off < outlen)
		off += (size_t)snprintf(out + off, outlen - off, "%s)", n ? "" : "0");
	return off < outlen ? 0 : -1;
}
