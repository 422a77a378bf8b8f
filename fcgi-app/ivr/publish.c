/* POST /cc/api/admin/ivr/flows/{id}/publish: checks the saved draft (the
 * schema, the graph, what it names: audio, skill groups, enabled agents,
 * other published flows) and either
 *   - refuses it: 422 ivr.invalid with every problem; the flow is then
 *     发布失败 with its problems kept (shown again by GET), or
 *   - publishes it: a new cc_ivr_version row (the next number), the flow
 *     已发布 at the draft's revision, in one transaction with its audit
 *     record; then the speech of its text prompts is made in the audio
 *     folder (common/ivr_speech.h: a text with variables, or speech that
 *     could not be made, is a warning of the reply, never a refusal), and
 *     the B2BUA re-reads its directory. Calls already in the
 *     flow finish on the version they started with (the B2BUA keeps it).
 * Refused while another admin holds the edit lock (they may be about to
 * save). */
#include "ivr.h"

#include "../audit/audit.h"

#include "db.h"
#include "ivr_speech.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

/* The problems as kept in publish_problems: without messages (they are
 * rendered in the language of whoever reads them). */
static char *problems_text(const struct ivr_problems *p)
{
	json_t *a = json_array();
	for (size_t i = 0; i < p->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:i, s:s}", "code", p->v[i].code,
						   "node", p->v[i].node, "line", p->v[i].line,
						   "detail", p->v[i].detail));
	char *s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

/* The state of row, as the audit log's before has it. */
static const char *state_of(const struct ivr_row *row)
{
	return ivr_state_name(ivr_state_of(row->published_version, row->draft_rev,
					   row->published_rev, row->publish_failed));
}

/* The flow 发布失败 with its problems kept, audited (a web_txn body's end). */
static const char *keep_problems(struct req *r, const char *id, const struct ivr_row *row,
				 const struct ivr_problems *p)
{
	char *kept = problems_text(p);
	bool ok = kept &&
		  db_exec(r->thr->db, "UPDATE cc_ivr_flow SET publish_failed = 1, "
				      "publish_problems = ?, updated_at = NOW(3) WHERE id = ?",
			  "si", kept, atoll(id)) >= 0;
	free(kept);
	if (!ok)
		return "db_unavailable";
	return audit_txn(r, "ivr", id, "publish_failed", json_pack("{s:s}", "state", state_of(row)),
			 json_pack("{s:s, s:I, s:I}", "state", "failed", "draft_rev",
				   (json_int_t)atoll(row->draft_rev), "problems", (json_int_t)p->n));
}

/* The refusal, once the problems are kept. */
static const char *refused(struct req *r, const char *id, const struct ivr_row *row,
			   const struct ivr_problems *p)
{
	log_info("ivr %s: publish of draft %s refused (%zu problems)", id, row->draft_rev, p->n);
	json_t *problems = ivr_problems_json(r, p);
	const char *msg = web_t(r, "ivr.invalid");
	if (r->route->kind != RK_JSON && p->n)
		msg = arena_printf(r->a, "%s %s", msg,
				   ivr_problem_message(r, p->v[0].code, p->v[0].node, p->v[0].detail));
	return ivr_refuse(r, 422, "ivr.invalid", msg ? msg : "", json_pack("{s:o}", "problems",
									   problems));
}

/* The draft checked, then either its problems kept or a new version:
 * committed either way (p.n says which). */
struct publish {
	const char *id;
	struct ivr_row row;
	const char *draft;
	struct ivr_problems p;
	long long version;
};

static const char *publish_body(struct req *r, void *arg)
{
	struct publish *t = arg;
	ivr_problems_free(&t->p);
	const char *why = ivr_txn_flow(r, t->id, &t->row, &t->draft);
	if (why)
		return why;
	const struct ivr_row *row = &t->row;
	const char *draft = t->draft ? t->draft : "";
	if (ivr_check_document(r, draft, strlen(draft), t->id, &t->p) < 0)
		return "db_unavailable";
	if (t->p.n)
		return keep_problems(r, t->id, row, &t->p);
	t->version = (row->published_version ? atoll(row->published_version) : 0) + 1;
	struct db *db = r->thr->db;
	if (db_exec(db, "INSERT INTO cc_ivr_version (flow_id, version, document, "
			"published_at, published_by) VALUES (?, ?, ?, NOW(3), ?)",
		    "iiss", atoll(t->id), t->version, t->draft, r->sess->user_id) != 1 ||
	    db_exec(db, "UPDATE cc_ivr_flow SET published_version = ?, published_rev = draft_rev, "
			"publish_failed = 0, publish_problems = NULL, updated_at = NOW(3) "
			"WHERE id = ?", "ii", t->version, atoll(t->id)) != 1)
		return "db_unavailable";
	json_t *before = json_pack("{s:s, s:o}", "state", state_of(row), "published_version",
				   row->published_version
					   ? json_integer(atoll(row->published_version))
					   : json_null());
	return audit_txn(r, "ivr", t->id, "publish", before,
			 json_pack("{s:s, s:I, s:I}", "state", "published", "published_version",
				   (json_int_t)t->version, "draft_rev",
				   (json_int_t)atoll(row->draft_rev)));
}

const char *ivr_publish_post(struct req *r)
{
	const char *id = ivr_key(r);
	if (!id)
		return "not_found";
	struct publish t = { .id = id };
	const char *why = web_txn(r, publish_body, &t);
	if (why) {
		ivr_problems_free(&t.p);
		return why == IVR_LOCKED ? ivr_locked_by_other(r, &t.row) : why;
	}
	if (t.p.n) {
		const char *out = refused(r, id, &t.row, &t.p);
		ivr_problems_free(&t.p);
		return out;
	}
	long long version = t.version;
	const char *draft = t.draft;
	log_info("ivr %s: version %lld (draft %s) published by %s", id, version, t.row.draft_rev,
		 r->sess->user_id);
	struct ivr_problems warn = { 0 };
	struct ivr_flow *f = NULL;
	struct ivr_problems ignored = { 0 };
	unsigned made = 0;
	/* The draft passed the schema above: read it as a published version. */
	if (ivr_parse(draft, strlen(draft), NULL, &f, &ignored) == 0) {
		ivr_speech_make(f, r->web->conf.audio_dir, &warn, &made);
		ivr_free(f);
	}
	ivr_problems_free(&ignored);
	if (made || warn.n)
		log_info("ivr %s: version %lld: %u speech files made, %zu warnings", id, version,
			 made, warn.n);
	bool reloaded = ivr_reload(r);
	json_t *warnings = ivr_problems_json(r, &warn);
	ivr_problems_free(&warn);
	return ivr_done(r, 200, json_pack("{s:I, s:b, s:o}", "version", (json_int_t)version,
					  "reloaded", reloaded, "warnings", warnings), "published");
}
