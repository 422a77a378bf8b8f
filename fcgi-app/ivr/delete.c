/* POST /cc/api/admin/ivr/flows/{id}/delete (and the list page's form):
 * refused (409 ivr.in_use) while a number sends calls to the flow or the
 * published version of another flow calls it as a sub-flow, with both
 * lists; refused (409 ivr.locked) while another admin edits it. Otherwise
 * the flow and its versions go, with the audit record, in one transaction
 * in which the numbers were read with a shared lock (a number cannot start
 * using the flow in between). */
#include "ivr.h"

#include "../audit/audit.h"

#include "db.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

static const char *in_use(struct req *r, const struct ivr_number *nums, size_t nnums,
			  const char **flows, size_t nflows)
{
	json_t *fl = json_array();
	const char *names = "";
	for (size_t i = 0; i < nnums; i++)
		names = arena_printf(r->a, "%s%s%s", names, *names ? "、" : "", nums[i].number);
	for (size_t i = 0; i < nflows; i++) {
		json_array_append_new(fl, json_string(flows[i]));
		names = arena_printf(r->a, "%s%s%s", names, *names ? "、" : "", flows[i]);
	}
	const char *msg = arena_printf(r->a, "%s%s", web_t(r, "ivr.in_use"), names ? names : "");
	return ivr_refuse(r, 409, "ivr.in_use", msg ? msg : "",
			  json_pack("{s:o, s:o}", "numbers", ivr_numbers_json(nums, nnums, NULL),
				    "flows", fl));
}

static const char IN_USE[] = "ivr.in_use";

struct del {
	const char *id;
	struct ivr_row row;
	struct ivr_number *nums;
	const char **flows;
	size_t nnums, nflows;
};

static const char *delete_body(struct req *r, void *arg)
{
	struct del *t = arg;
	t->nnums = t->nflows = 0;
	const char *why = ivr_txn_flow(r, t->id, &t->row, NULL);
	if (why)
		return why;
	if (ivr_db_numbers(r, t->id, true, &t->nums, &t->nnums) < 0 ||
	    ivr_db_subflow_users(r, t->id, &t->flows, &t->nflows) < 0)
		return "db_unavailable";
	if (t->nnums || t->nflows)
		return IN_USE;
	struct db *db = r->thr->db;
	if (db_exec(db, "DELETE FROM cc_ivr_version WHERE flow_id = ?", "i", atoll(t->id)) < 0 ||
	    db_exec(db, "DELETE FROM cc_ivr_flow WHERE id = ?", "i", atoll(t->id)) != 1)
		return "db_unavailable";
	return audit_txn(r, "ivr", t->id, "delete", ivr_row_json(&t->row), NULL);
}

const char *ivr_delete_post(struct req *r)
{
	const char *id = ivr_key(r);
	if (!id)
		return "not_found";
	struct del t = { .id = id };
	const char *why = web_txn(r, delete_body, &t);
	if (why == IVR_LOCKED)
		return ivr_locked_by_other(r, &t.row);
	if (why == IN_USE) {
		log_info("ivr %s: not deleted, used by %zu numbers and %zu flows", id, t.nnums,
			 t.nflows);
		return in_use(r, t.nums, t.nnums, t.flows, t.nflows);
	}
	if (why)
		return why;
	log_info("ivr %s (%s) deleted by %s", id, t.row.name, r->sess->user_id);
	return ivr_done(r, 200, NULL, "deleted");
}
