/* GET /cc/api/admin/ivr/flows/{id}: one flow with its draft (the document
 * as text), state, lock, numbers and the problems of its last refused
 * publish; GET /cc/api/admin/ivr/flows/{id}/export[?version=N]: the draft
 * or version N as a download (application/xml) with a plain file name and
 * the flow's own (RFC 6266). */
#include "ivr.h"

#include <string.h>

const char *ivr_flow_get(struct req *r)
{
	const char *id = ivr_key(r);
	struct ivr_row row;
	const char *draft = NULL, *problems = NULL;
	int rc = id ? ivr_db_get(r, id, false, &row, &draft, &problems) : 0;
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : "not_found";
	struct ivr_number *nums = NULL;
	size_t nnums = 0;
	if (ivr_db_numbers(r, id, false, &nums, &nnums) < 0)
		return "db_unavailable";
	json_t *o = ivr_row_json(&row);
	json_object_set_new(o, "document", json_string(draft ? draft : ""));
	json_object_set_new(o, "numbers", ivr_numbers_json(nums, nnums, NULL));
	json_t *kept = problems ? json_loads(problems, 0, NULL) : NULL;
	if (!json_is_array(kept)) {
		json_decref(kept);
		kept = json_array();
	}
	/* Messages in the language of the one asking now. */
	size_t i;
	json_t *p;
	json_array_foreach(kept, i, p) {
		json_object_set_new(p, "message",
				    json_string(ivr_problem_message(
					    r, json_string_value(json_object_get(p, "code")) ?: "ivr.schema",
					    json_string_value(json_object_get(p, "node")),
					    json_string_value(json_object_get(p, "detail")))));
	}
	json_object_set_new(o, "problems", kept);
	return resp_json(r, 200, json_pack("{s:b, s:o}", "ok", 1, "flow", o));
}

struct version_doc {
	struct arena *a;
	const char *doc;
	size_t len;
};

static int doc_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct version_doc *d = arg;
	if (ncol >= 1 && v[0]) {
		d->doc = arena_strndup(d->a, v[0], lens[0]);
		d->len = lens[0];
	}
	return 0;
}

const char *ivr_export_get(struct req *r)
{
	const char *id = ivr_key(r);
	const char *version = req_query(r, "version");
	if (version && !ivr_key_ok(version))
		return "not_found";
	struct ivr_row row;
	const char *draft = NULL;
	int rc = id ? ivr_db_get(r, id, false, &row, &draft, NULL) : 0;
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : "not_found";
	struct version_doc d = { .a = r->a, .doc = draft, .len = draft ? strlen(draft) : 0 };
	if (version) {
		d.doc = NULL;
		if (db_query(r->thr->db,
			     "SELECT document FROM cc_ivr_version WHERE flow_id = ? AND version = ?",
			     doc_h, &d, "ii", atoll(id), atoll(version)) < 0)
			return "db_unavailable";
		if (!d.doc)
			return "not_found";
	}
	const char *file = ivr_export_name(r->a, id, version);
	if (!file || !d.doc)
		return "internal";
	r->resp.status = 200;
	r->resp.ctype = "application/xml; charset=utf-8";
	r->resp.body.len = 0;
	if (buf_append(r->a, &r->resp.body, d.doc, d.len))
		return "internal";
	const char *shown = arena_printf(r->a, "%s%s.xml", row.name,
					 version ? arena_printf(r->a, "-v%s", version) : "");
	resp_header(r, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"%s\"; filename*=UTF-8''%s", file,
				 url_encode(r->a, shown ? shown : file)));
	return NULL;
}
