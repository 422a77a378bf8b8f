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

/* Collects the validator's first message that has a line (or its first
 * message, when none has). */
struct verr {
	char *buf;
	size_t len;
	const char *path;
	bool set, has_line;
};

static void structured_error(void *ctx, const xmlError *e)
{
	struct verr *v = ctx;
	if (v->has_line || !e)
		return;
	/* Validation errors on attributes carry the node, not a line; some
	 * ("failed to validate attributes") carry neither, and the next one
	 * names the attribute and its line. */
	long line = e->line;
	if (!line && e->node)
		line = xmlGetLineNo((xmlNode *)e->node);
	if (!line && v->set)
		return;
	v->set = true;
	v->has_line = line > 0;
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

static int read_access(struct arena *a, struct manifest *m, xmlNode *acc)
{
	xmlNode *r = child(acc, "resources");
	m->access.resources.table = attr(a, r, "table");
	m->access.resources.id = attr(a, r, "id");
	m->access.resources.code = attr(a, r, "code");
	m->access.resources.name = attr(a, r, "name");
	m->access.resources.parent = attr(a, r, "parent");
	m->access.resources.url = attr(a, r, "url");
	m->access.resources.level = attr(a, r, "level");
	m->access.resources.sort = attr(a, r, "sort");
	m->access.resources.created = attr(a, r, "created");
	m->access.resources.root = attr(a, r, "root");
	m->access.resources.root_code = attr(a, r, "root-code");
	m->access.resources.kind = attr(a, r, "kind");
	m->access.resources.kind_value = attr(a, r, "kind-value");
	m->access.resources.placement = attr(a, r, "placement");
	m->access.resources.placement_value = attr(a, r, "placement-value");

	xmlNode *g = child(acc, "role-grants");
	m->access.role_grants.table = attr(a, g, "table");
	m->access.role_grants.id = attr(a, g, "id");
	m->access.role_grants.role = attr(a, g, "role");
	m->access.role_grants.resource = attr(a, g, "resource");
	m->access.role_grants.code = attr(a, g, "code");
	m->access.role_grants.name = attr(a, g, "name");
	m->access.role_grants.created = attr(a, g, "created");

	xmlNode *d = child(acc, "department-grants");
	m->access.department_grants.table = attr(a, d, "table");
	m->access.department_grants.id = attr(a, d, "id");
	m->access.department_grants.department = attr(a, d, "department");
	m->access.department_grants.role = attr(a, d, "role");
	m->access.department_grants.resource = attr(a, d, "resource");
	m->access.department_grants.code = attr(a, d, "code");
	m->access.department_grants.created = attr(a, d, "created");

	xmlNode *ur = child(acc, "user-roles");
	if (ur) {
		m->access.user_roles.table = attr(a, ur, "table");
		m->access.user_roles.user = attr(a, ur, "user");
		m->access.user_roles.role = attr(a, ur, "role");
	}
	return 0;
}

/* <menu>, <alters>, <nginx> and <services>: what the installer writes. */
static int read_install(struct arena *a, struct manifest *m, xmlNode *root)
{
	xmlNode *menu = child(root, "menu"), *alters = child(root, "alters");
	xmlNode *services = child(root, "services"), *ngx = child(root, "nginx");
	size_t nm = count_children(menu, "entry"), ni = count_children(alters, "index");
	size_t ns = count_children(services, "service");
	m->menu = arena_alloc(a, (nm ? nm : 1) * sizeof *m->menu);
	m->indexes = arena_alloc(a, (ni ? ni : 1) * sizeof *m->indexes);
	m->services = arena_alloc(a, (ns ? ns : 1) * sizeof *m->services);
	if (!m->menu || !m->indexes || !m->services)
		return -1;
	for (xmlNode *n = menu->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		struct mf_menu_entry *e = &m->menu[m->nmenu++];
		e->code = attr(a, n, "code");
		e->parent = attr(a, n, "parent");
		e->url = attr(a, n, "url");
		e->permission = attr(a, n, "permission");
		e->name_zh = attr(a, n, "name-zh");
		e->name_en = attr(a, n, "name-en");
		e->line = xmlGetLineNo(n);
	}
	for (xmlNode *n = alters->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		struct mf_index *ix = &m->indexes[m->nindexes++];
		ix->table = attr(a, n, "table");
		ix->name = attr(a, n, "name");
		ix->columns = split(a, attr(a, n, "columns"), &ix->ncolumns);
		if (!ix->columns)
			return -1;
	}
	for (xmlNode *n = services->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		struct mf_service *sv = &m->services[m->nservices++];
		sv->name = attr(a, n, "name");
		sv->program = attr(a, n, "program");
		sv->name_zh = attr(a, n, "name-zh");
		sv->name_en = attr(a, n, "name-en");
	}
	m->nginx.fastcgi = attr(a, ngx, "fastcgi");
	m->nginx.static_dir = attr(a, ngx, "static");
	m->nginx.events = attr(a, ngx, "events");
	m->nginx.max_body = attr(a, ngx, "max-body");
	return read_access(a, m, child(root, "access"));
}

static int read_doc(struct arena *a, struct manifest *m, xmlNode *root)
{
	m->id = attr(a, root, "id");
	m->version = attr(a, root, "version");
	m->mount_prefix = attr(a, child(root, "mount"), "prefix");
	m->migrations_table = attr(a, child(root, "migrations"), "table");
	m->migrations_dir = attr(a, child(root, "migrations"), "dir");
	m->changes_table = attr(a, child(root, "migrations"), "changes");
	xmlNode *host = child(root, "host");
	m->host_name = attr(a, host, "name");
	m->host_versions = attr(a, host, "versions");
	for (xmlNode *n = root->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "name"))
			continue;
		const char *lang = attr(a, n, "lang");
		xmlChar *text = xmlNodeGetContent(n);
		const char *v = arena_strdup(a, text ? (const char *)text : "");
		xmlFree(text);
		if (lang && !strcmp(lang, "en"))
			m->name_en = v;
		else
			m->name_zh = v;
	}
	if (read_install(a, m, root))
		return -1;

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
		m->contacts.updater_name, m->migrations_table, m->changes_table,
		m->access.resources.table, m->access.resources.id, m->access.resources.code,
		m->access.resources.name, m->access.resources.parent, m->access.resources.url,
		m->access.resources.level, m->access.resources.sort, m->access.resources.created,
		m->access.resources.root, m->access.resources.kind, m->access.resources.placement,
		m->access.role_grants.table, m->access.role_grants.id, m->access.role_grants.role,
		m->access.role_grants.resource, m->access.role_grants.code,
		m->access.role_grants.name, m->access.role_grants.created,
		m->access.department_grants.table, m->access.department_grants.id,
		m->access.department_grants.department, m->access.department_grants.role,
		m->access.department_grants.code, m->access.department_grants.created,
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
	if (m->access.department_grants.resource &&
	    !manifest_ident_ok(m->access.department_grants.resource))
		return m->access.department_grants.resource;
	for (size_t i = 0; i < m->nindexes; i++) {
		if (!manifest_ident_ok(m->indexes[i].table))
			return m->indexes[i].table;
		if (!manifest_ident_ok(m->indexes[i].name))
			return m->indexes[i].name;
		for (size_t j = 0; j < m->indexes[i].ncolumns; j++)
			if (!manifest_ident_ok(m->indexes[i].columns[j]))
				return m->indexes[i].columns[j];
	}
	return NULL;
}

/* What the schema cannot say about the menu: codes are unique, a parent
 * that is an entry comes before its children, and no entry is its own
 * parent. "file:line: reason" in err; 0 or -1. */
static int check_menu(const struct manifest *m, const char *path, char *err, size_t errlen)
{
	for (size_t i = 0; i < m->nmenu; i++) {
		const struct mf_menu_entry *e = &m->menu[i];
		for (size_t j = 0; j < i; j++)
			if (!strcmp(m->menu[j].code, e->code)) {
				snprintf(err, errlen, "%s:%ld: menu entry code '%s' is already used on line %ld",
					 path, e->line, e->code, m->menu[j].line);
				return -1;
			}
		if (!e->parent)
			continue;
		for (size_t j = i; j < m->nmenu; j++)
			if (!strcmp(m->menu[j].code, e->parent)) {
				snprintf(err, errlen, "%s:%ld: menu entry '%s': its parent '%s' must come before it",
					 path, e->line, e->code, e->parent);
				return -1;
			}
	}
	for (size_t i = 0; i < m->nindexes; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(m->indexes[i].name, m->indexes[j].name) &&
			    !strcmp(m->indexes[i].table, m->indexes[j].table)) {
				snprintf(err, errlen, "%s: index '%s' on '%s' is declared twice", path,
					 m->indexes[i].name, m->indexes[i].table);
				return -1;
			}
	return 0;
}

int manifest_load(struct manifest **mp, const char *path, const char *rng, char *err,
		  size_t errlen)
{
	struct verr v = { err, errlen, path, false, false };
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
	if (check_menu(&o->m, path, err, errlen))
		goto out;
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

const struct mf_menu_entry *manifest_menu_entry(const struct manifest *m, const char *code)
{
	for (size_t i = 0; i < m->nmenu; i++)
		if (!strcmp(m->menu[i].code, code))
			return &m->menu[i];
	return NULL;
}

#define EACH(t, c)                                 \
	do {                                       \
		int rc_ = colh(arg, (t), (c));     \
		if (rc_)                           \
			return rc_;                \
	} while (0)

int manifest_each_column(const struct manifest *m, mf_column_h *colh, void *arg)
{
	const char *t = m->users.table;
	EACH(t, m->users.id);
	EACH(t, m->users.username);
	EACH(t, m->users.password);
	EACH(t, m->users.display_name);
	EACH(t, m->users.deleted);
	if (m->users.last_login)
		EACH(t, m->users.last_login);
	for (size_t i = 0; i < m->users.nadmin; i++)
		EACH(t, m->users.admin_flags[i]);
	for (size_t i = 0; i < m->users.nagent; i++)
		EACH(t, m->users.agent_flags[i]);

	t = m->departments.table;
	EACH(t, m->departments.id);
	EACH(t, m->departments.name);
	EACH(t, m->departments.parent);
	EACH(t, m->departments.skill);

	t = m->membership.table;
	EACH(t, m->membership.user);
	EACH(t, m->membership.department);

	t = m->contacts.table;
	const char *cc[] = {
		m->contacts.id, m->contacts.display_name, m->contacts.deleted,
		m->contacts.department, m->contacts.shares, m->contacts.created,
		m->contacts.updated, m->contacts.touched, m->contacts.creator,
		m->contacts.creator_name, m->contacts.updater, m->contacts.updater_name,
	};
	for (size_t i = 0; i < sizeof cc / sizeof *cc; i++)
		EACH(t, cc[i]);
	for (size_t i = 0; i < m->contacts.nfields; i++)
		EACH(t, m->contacts.fields[i].column);
	for (size_t i = 0; i < m->contacts.nphones; i++)
		EACH(t, m->contacts.phones[i]);

	t = m->access.resources.table;
	const char *rc[] = {
		m->access.resources.id, m->access.resources.code, m->access.resources.name,
		m->access.resources.parent, m->access.resources.url, m->access.resources.level,
		m->access.resources.sort, m->access.resources.created, m->access.resources.root,
		m->access.resources.kind, m->access.resources.placement,
	};
	for (size_t i = 0; i < sizeof rc / sizeof *rc; i++)
		EACH(t, rc[i]);

	t = m->access.role_grants.table;
	EACH(t, m->access.role_grants.id);
	EACH(t, m->access.role_grants.role);
	EACH(t, m->access.role_grants.resource);
	EACH(t, m->access.role_grants.code);
	EACH(t, m->access.role_grants.name);
	EACH(t, m->access.role_grants.created);

	t = m->access.department_grants.table;
	EACH(t, m->access.department_grants.id);
	EACH(t, m->access.department_grants.department);
	EACH(t, m->access.department_grants.role);
	if (m->access.department_grants.resource)
		EACH(t, m->access.department_grants.resource);
	EACH(t, m->access.department_grants.code);
	EACH(t, m->access.department_grants.created);

	for (size_t i = 0; i < m->nindexes; i++)
		for (size_t j = 0; j < m->indexes[i].ncolumns; j++)
			EACH(m->indexes[i].table, m->indexes[i].columns[j]);
	return 0;
}
