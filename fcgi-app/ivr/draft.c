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

/* Refusals of the save's transaction (ivr_txn_flow's IVR_LOCKED too). */
static const char LOCK_NEEDED[] = "ivr.lock_needed", STALE[] = "ivr.stale";

struct save {
	const char *id, *doc, *rev;
	size_t len;
	struct ivr_row row;
	struct ivr_problems p;
	long long next;
};

static const char *save_body(struct req *r, void *arg)
{
	struct save *s = arg;
	ivr_problems_free(&s->p);
	const char *why = ivr_txn_flow(r, s->id, &s->row, NULL);
	if (why)
		return why;
	if (ivr_lock_holder(s->row.lock_user, s->row.lock_live, r->sess->user_id) != 1)
		return LOCK_NEEDED;
	if (strcmp(s->rev, s->row.draft_rev))
		return STALE;
	if (ivr_check_document(r, s->doc, s->len, s->id, &s->p) < 0)
		return "db_unavailable";
	if (db_exec(r->thr->db,
		    "UPDATE cc_ivr_flow SET draft = ?, draft_rev = draft_rev + 1, "
		    "draft_saved_at = NOW(3), draft_saved_by = ?, updated_at = NOW(3), "
		    "lock_until = NOW(3) + INTERVAL ? SECOND WHERE id = ?",
		    "ssii", s->doc, r->sess->user_id, (long long)IVR_LOCK_S, atoll(s->id)) != 1)
		return "db_unavailable";
	s->next = atoll(s->row.draft_rev) + 1;
	return audit_txn(r, "ivr", s->id, "save",
			 json_pack("{s:I}", "draft_rev", (json_int_t)atoll(s->row.draft_rev)),
			 json_pack("{s:I, s:I, s:I}", "draft_rev", (json_int_t)s->next, "bytes",
				   (json_int_t)s->len, "problems", (json_int_t)s->p.n));
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
	struct save s = { .id = id, .doc = doc, .rev = rev, .len = len };
	why = web_txn(r, save_body, &s);
	if (why) {
		ivr_problems_free(&s.p);
		if (why == IVR_LOCKED)
			return ivr_locked_by_other(r, &s.row);
		if (why == LOCK_NEEDED)
			return ivr_refuse(r, 409, why, web_t(r, why), NULL);
		if (why == STALE)
			return ivr_refuse(r, 409, why, web_t(r, why),
					  json_pack("{s:I}", "rev", (json_int_t)atoll(s.row.draft_rev)));
		return why;
	}
	log_info("ivr %s: draft %lld saved by %s (%zu bytes, %zu problems)", id, s.next,
		 r->sess->user_id, len, s.p.n);
	json_t *problems = ivr_problems_json(r, &s.p);
	ivr_problems_free(&s.p);
	return resp_json(r, 200, json_pack("{s:b, s:I, s:o}", "ok", 1, "rev", (json_int_t)s.next,
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
