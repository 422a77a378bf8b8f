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

const char *ivr_delete_post(struct req *r)
{
	const char *id = ivr_key(r);
	if (!id)
		return "not_found";
	struct db *db = r->thr->db;
	struct ivr_row row;
	struct ivr_number *nums = NULL;
	const char **flows = NULL;
	size_t nnums = 0, nflows = 0;
	if (db_begin(db) < 0)
		return "db_unavailable";
	int rc = ivr_db_get(r, id, true, &row, NULL, NULL);
	if (rc <= 0) {
		db_rollback(db);
		return rc < 0 ? "db_unavailable" : "not_found";
	}
	if (ivr_lock_holder(row.lock_user, row.lock_live, r->sess->user_id) == 2) {
		db_rollback(db);
		return ivr_locked_by_other(r, &row);
	}
	if (ivr_db_numbers(r, id, true, &nums, &nnums) < 0 ||
	    ivr_db_subflow_users(r, id, &flows, &nflows) < 0) {
		db_rollback(db);
		return "db_unavailable";
	}
	if (nnums || nflows) {
		db_rollback(db);
		log_info("ivr %s: not deleted, used by %zu numbers and %zu flows", id, nnums, nflows);
		return in_use(r, nums, nnums, flows, nflows);
	}
	json_t *before = ivr_row_json(&row);
	bool ok = db_exec(db, "DELETE FROM cc_ivr_version WHERE flow_id = ?", "i", atoll(id)) >= 0 &&
		  db_exec(db, "DELETE FROM cc_ivr_flow WHERE id = ?", "i", atoll(id)) == 1 &&
		  audit_write(r, "ivr", id, "delete", before, NULL) == 0 && db_commit(db) == 0;
	json_decref(before);
	if (!ok) {
		db_rollback(db);
		return "db_unavailable";
	}
	log_info("ivr %s (%s) deleted by %s", id, row.name, r->sess->user_id);
	return ivr_done(r, 200, NULL, "deleted");
}
