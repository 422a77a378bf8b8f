/* POST /cc/api/admin/ivr/flows {name, description}: a new flow whose draft
 * is a start node leading to a hang-up; POST .../flows/{id}/copy {name}: a
 * copy of a flow's draft, never published (no name: "<name> (2)", ...);
 * POST /cc/api/admin/ivr/import (multipart: file, name): a new flow from a
 * document that passes the schema (no name: the document's, else the
 * file's). Each is one transaction with its audit record. The list page's
 * forms post to the same handlers (/cc/admin/ivr/new, .../{id}/copy,
 * /cc/admin/ivr/import). */
#include "ivr.h"

#include "../audit/audit.h"

#include "db.h"
#include "log.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A field refused: 422 with {errors: {field: message}}. */
static const char *field_refused(struct req *r, const char *field, const char *key)
{
	if (!strcmp(key, "ivr.err.db"))
		return "db_unavailable";
	const char *msg = ivr_field_message(r, key);
	return ivr_refuse(r, 422, "invalid", msg, json_pack("{s:{s:s}}", "errors", field, msg));
}

struct add {
	const char *name, *description, *draft, *action, *from;
	const char *id;
};

static const char *add_body(struct req *r, void *arg)
{
	struct add *t = arg;
	struct ivr_row row;
	if (ivr_db_insert(r, t->name, t->description, t->draft, &t->id) ||
	    ivr_db_get(r, t->id, false, &row, NULL, NULL) <= 0)
		return "db_unavailable";
	json_t *after = ivr_row_json(&row);
	if (t->from)
		json_object_set_new(after, "from", json_string(t->from));
	return audit_txn(r, "ivr", t->id, t->action, NULL, after);
}

/* Inserts the flow and its audit record in one transaction. 0 with *idp,
 * or -1 (rolled back). */
static int add(struct req *r, const char *name, const char *description, const char *draft,
	       const char *action, const char *from, const char **idp)
{
	struct add t = { name, description, draft, action, from, NULL };
	if (web_txn(r, add_body, &t))
		return -1;
	*idp = t.id;
	log_info("ivr %s (%s) %s by %s", t.id, name, action, r->sess->user_id);
	return 0;
}

static const char *added(struct req *r, const char *id, const char *done)
{
	return ivr_done(r, 201, json_pack("{s:I}", "id", (json_int_t)atoll(id)), done);
}

const char *ivr_create_post(struct req *r)
{
	const char *name = req_param(r, "name"), *description = req_param(r, "description");
	const char *why = ivr_check_name(r, &name, NULL);
	if (why)
		return field_refused(r, "name", why);
	if ((why = ivr_check_description(r, &description)))
		return field_refused(r, "description", why);
	char *draft = ivr_new_document(name);
	if (!draft)
		return "internal";
	const char *id;
	int rc = add(r, name, description, draft, "create", NULL, &id);
	free(draft);
	if (rc < 0)
		return "db_unavailable";
	return added(r, id, "created");
}

const char *ivr_copy_post(struct req *r)
{
	const char *id = ivr_key(r);
	struct ivr_row row;
	const char *draft = NULL;
	int rc = id ? ivr_db_get(r, id, false, &row, &draft, NULL) : 0;
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : "not_found";
	const char *name = req_param(r, "name");
	if (!name || !*name) {
		name = ivr_db_free_name(r, row.name);
		if (!name)
			return field_refused(r, "name", "ivr.err.name_taken");
	} else {
		const char *why = ivr_check_name(r, &name, NULL);
		if (why)
			return field_refused(r, "name", why);
	}
	const char *copy;
	if (add(r, name, row.description ? row.description : "", draft ? draft : "", "copy", id,
		&copy) < 0)
		return "db_unavailable";
	return added(r, copy, "copied");
}

/* The document's flow/@name, or NULL. */
static const char *document_name(struct req *r, const char *doc, size_t len)
{
	xmlDoc *d = xmlReadMemory(doc, (int)len, NULL, "UTF-8",
				  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlNode *root = d ? xmlDocGetRootElement(d) : NULL;
	xmlChar *n = root ? xmlGetProp(root, (const xmlChar *)"name") : NULL;
	const char *out = n ? arena_strdup(r->a, (const char *)n) : NULL;
	xmlFree(n);
	xmlFreeDoc(d);
	return out;
}

/* The uploaded file's name without its folders and ".xml". */
static const char *file_base(struct req *r, const char *filename)
{
	const char *b = filename;
	for (const char *p = filename; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	size_t n = strlen(b);
	if (n > 4 && !strcasecmp(b + n - 4, ".xml"))
		n -= 4;
	return arena_strndup(r->a, b, n);
}

const char *ivr_import_post(struct req *r)
{
	const struct upload *u = r->multipart ? req_file(r, "file") : NULL;
	if (!u || (!u->len && !*u->filename))
		return field_refused(r, "file", "ivr.err.no_file");
	const char *doc = arena_strndup(r->a, (const char *)u->data, u->len);
	const char *why = u->len > IVR_DOC_MAX ? "ivr.err.too_large"
			: memchr(u->data, '\0', u->len) ? "ivr.err.not_utf8"
			: ivr_well_formed(doc, u->len);
	if (why)
		return field_refused(r, "file", why);
	/* It must read: the schema, ids used once. */
	struct ivr_problems p = { 0 };
	struct ivr_flow *f = NULL;
	const char *schema = ivr_schema_path(r);
	if (!schema)
		return "internal";
	if (ivr_parse(doc, u->len, schema, &f, &p)) {
		json_t *problems = ivr_problems_json(r, &p);
		const char *msg = web_t(r, "ivr.err.import_schema");
		if (p.n)
			msg = arena_printf(r->a, "%s %s", msg,
					   ivr_problem_message(r, p.v[0].code, p.v[0].node,
							       p.v[0].detail));
		ivr_problems_free(&p);
		return ivr_refuse(r, 422, "ivr.schema", msg ? msg : "", json_pack(
			"{s:o, s:{s:s}}", "problems", problems, "errors", "file",
			web_t(r, "ivr.err.import_schema")));
	}
	ivr_free(f);
	ivr_problems_free(&p);
	const char *name = req_param(r, "name");
	bool defaulted = !name || !*name;
	if (defaulted) {
		name = document_name(r, doc, u->len);
		if (!name || !*name)
			name = file_base(r, u->filename);
		if (!name || !*name)
			name = "IVR";
	}
	why = ivr_check_name(r, &name, NULL);
	if (defaulted && why && !strcmp(why, "ivr.err.name_taken")) {
		name = ivr_db_free_name(r, name);
		why = name ? NULL : "ivr.err.name_taken";
	}
	if (why)
		return field_refused(r, "name", why);
	const char *description = req_param(r, "description");
	if ((why = ivr_check_description(r, &description)))
		return field_refused(r, "description", why);
	const char *id;
	if (add(r, name, description, doc, "import", NULL, &id) < 0)
		return "db_unavailable";
	return added(r, id, "imported");
}
