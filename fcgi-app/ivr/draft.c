/* POST /cc/api/admin/ivr/flows/{id}/draft {document, rev}: saves the
 * draft. The admin must hold the edit lock (409 ivr.lock_needed, or
 * ivr.locked naming another holder), and rev must be the draft's revision
 * (409 ivr.stale with the current one: someone saved in between). The
 * document must be well-formed UTF-8 XML of at most IVR_DOC_MAX bytes; it
 * is saved even when the schema or the graph find problems, which the
 * reply lists: {rev, problems}. Saving renews the lock.
 *
 * POST .../validate {document}: the problems of a document (of the saved
 * draft when none is sent), saved nowhere. */
#include "ivr.h"

#include "../audit/audit.h"

#include "db.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

static const char *bad_document(struct req *r, const char *why)
{
	const char *msg = web_t(r, why);
	if (!strcmp(why, "ivr.err.too_large"))
		msg = ivr_field_message(r, why);
	return ivr_refuse(r, !strcmp(why, "ivr.err.too_large") ? 413 : 422, why, msg,
			  json_pack("{s:{s:s}}", "errors", "document", msg));
}

const char *ivr_draft_post(struct req *r)
{
	const char *id = ivr_key(r);
	if (!id)
		return "not_found";
	const char *doc = req_param(r, "document"), *rev = req_param(r, "rev");
	size_t len = doc ? strlen(doc) : 0;
	const char *why = ivr_well_formed(doc, len);
	if (why)
		return bad_document(r, why);
	if (!ivr_key_ok(rev))
		return ivr_refuse(r, 422, "ivr.rev_required", web_t(r, "ivr.rev_required"), NULL);
	struct db *db = r->thr->db;
	struct ivr_row row;
	if (db_begin(db) < 0)
		return "db_unavailable";
	int rc = ivr_db_get(r, id, true, &row, NULL, NULL);
	if (rc <= 0) {
		db_rollback(db);
		return rc < 0 ? "db_unavailable" : "not_found";
	}
	int holder = ivr_lock_holder(row.lock_user, row.lock_live, r->sess->user_id);
	if (holder != 1) {
		db_rollback(db);
		if (holder == 2)
			return ivr_locked_by_other(r, &row);
		return ivr_refuse(r, 409, "ivr.lock_needed", web_t(r, "ivr.lock_needed"), NULL);
	}
	if (strcmp(rev, row.draft_rev)) {
		db_rollback(db);
		return ivr_refuse(r, 409, "ivr.stale", web_t(r, "ivr.stale"),
				  json_pack("{s:I}", "rev", (json_int_t)atoll(row.draft_rev)));
	}
	struct ivr_problems p = { 0 };
	if (ivr_check_document(r, doc, len, id, &p) < 0) {
		ivr_problems_free(&p);
		db_rollback(db);
		return "db_unavailable";
	}
	long long next = atoll(row.draft_rev) + 1;
	json_t *before = json_pack("{s:I}", "draft_rev", (json_int_t)atoll(row.draft_rev));
	json_t *after = json_pack("{s:I, s:I, s:I}", "draft_rev", (json_int_t)next, "bytes",
				  (json_int_t)len, "problems", (json_int_t)p.n);
	bool ok = db_exec(db,
			  "UPDATE cc_ivr_flow SET draft = ?, draft_rev = draft_rev + 1, "
			  "draft_saved_at = NOW(3), draft_saved_by = ?, updated_at = NOW(3), "
			  "lock_until = NOW(3) + INTERVAL ? SECOND WHERE id = ?",
			  "ssii", doc, r->sess->user_id, (long long)IVR_LOCK_S, atoll(id)) == 1 &&
		  audit_write(r, "ivr", id, "save", before, after) == 0 && db_commit(db) == 0;
	json_decref(before);
	json_decref(after);
	if (!ok) {
		ivr_problems_free(&p);
		db_rollback(db);
		return "db_unavailable";
	}
	log_info("ivr %s: draft %lld saved by %s (%zu bytes, %zu problems)", id, next,
		 r->sess->user_id, len, p.n);
	json_t *problems = ivr_problems_json(r, &p);
	ivr_problems_free(&p);
	return resp_json(r, 200, json_pack("{s:b, s:I, s:o}", "ok", 1, "rev", (json_int_t)next,
					   "problems", problems));
}

const char *ivr_validate_post(struct req *r)
{
	const char *id = ivr_key(r);
	struct ivr_row row;
	const char *draft = NULL;
	int rc = id ? ivr_db_get(r, id, false, &row, &draft, NULL) : 0;
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : "not_found";
	const char *doc = req_param(r, "document");
	if (!doc)
		doc = draft ? draft : "";
	struct ivr_problems p = { 0 };
	if (ivr_check_document(r, doc, strlen(doc), id, &p) < 0) {
		ivr_problems_free(&p);
		return "db_unavailable";
	}
	json_t *problems = ivr_problems_json(r, &p);
	bool valid = p.n == 0;
	ivr_problems_free(&p);
	return resp_json(r, 200, json_pack("{s:b, s:b, s:o}", "ok", 1, "valid", valid, "problems",
					   problems));
}
