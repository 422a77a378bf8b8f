/* GET /cc/admin/ivr/{id}: the visual editor of one flow (流程管理 > IVR流程
 * > a flow), templates/ivr_editor.xsl. The page is a shell with the flow's
 * id and name, the CSRF token (page_begin) and the strings of its script;
 * fcgi-app/static/ivr-editor.js loads the draft, the pickers' choices and
 * the edit lock through the JSON API of docs/ivr.md. Admins only (the
 * route's access). A flow that does not exist is a 404 page. */
#include "ivr.h"

#include "../tmpl/page.h"
#include "../resource/resource.h"

/* Catalogue keys the editor's script reads (templates/i18n/ivr-editor.*). */
#define IVRED_TYPES(X) X(start) X(play) X(menu) X(collect) X(branch) X(time) X(set) X(http) \
	X(queue) X(agent) X(dial) X(voicemail) X(survey) X(subflow) X(hangup) X(end)
#define IVRED_EXITS(X) X(next) X(fallback) X(fail) X(else) X(open) X(closed) X(ok) X(error) \
	X(timeout) X(after) X(key) X(case)
#define IVRED_FIELDS(X) X(id) X(label) X(interruptible) X(timeout-s) X(retries) X(invalid-audio) \
	X(timeout-audio) X(var) X(min) X(max) X(terminator) X(first-timeout-s) \
	X(inter-timeout-s) X(confirm) X(match) X(op) X(value) X(tz) X(days) X(from) X(to) \
	X(date) X(url) X(method) X(timeout-ms) X(name) X(default) X(path) X(group) \
	X(max-wait-s) X(priority) X(familiar) X(agent) X(number) X(caller-id) X(max-s) X(keys) \
	X(flow) X(cause) X(digit)
#define IVRED_LISTS(X) X(param) X(prompt) X(key) X(case) X(hours) X(holiday) X(header) X(body) \
	X(result) X(attach)
#define IVRED_CHOICES(X) X(voice.cmn) X(voice.en) X(kind.audio) X(kind.tts) X(match.all) \
	X(match.any) X(op.eq) X(op.ne) X(op.lt) X(op.le) X(op.gt) X(op.ge) X(op.prefix) \
	X(op.contains) X(op.empty) X(op.set) X(method.GET) X(method.POST) X(method.PUT)
#define IVRED_STATES(X) X(unpublished) X(published) X(modified) X(failed)
#define IVRED_MISC(X) X(failed) X(optional) X(pick) X(default) X(missing) X(yes) X(no) \
	X(remove) X(add.if) X(delete_node) X(select_hint) X(readonly_hint) X(err.id) \
	X(err.id_taken) X(version) X(locked_by) X(lock_lost) X(line) X(unknown) \
	X(unknown_refused) X(saved) X(saved_problems) X(stale) X(problems_n) X(valid) \
	X(published) X(publish_refused) X(unreadable) X(sim.digits) X(sim.ended) \
	X(sim.waiting.digit) X(sim.waiting.prompt) X(sim.waiting.http) X(sim.waiting.queue) \
	X(sim.waiting.record) X(sim.truncated) X(sim.problems)
/* What a test call's node did instead of the telephone (simulate.c). */
#define IVRED_SIM_ACTIONS(X) X(play) X(http) X(enqueue) X(to_agent) X(dial) X(record) \
	X(survey_result) X(hangup) X(end)

static const char *const strings[] = {
#define KEY_TYPE(n) "ivred.type." #n,
	IVRED_TYPES(KEY_TYPE)
#define KEY_EXIT(n) "ivred.exit." #n,
	IVRED_EXITS(KEY_EXIT)
#define KEY_FIELD(...) "ivred.f." #__VA_ARGS__,
	IVRED_FIELDS(KEY_FIELD)
#define KEY_LIST(n) "ivred.list." #n, "ivred.add." #n,
	IVRED_LISTS(KEY_LIST)
#define KEY_CHOICE(...) "ivred.v." #__VA_ARGS__,
	IVRED_CHOICES(KEY_CHOICE)
#define KEY_STATE(n) "ivred.state." #n,
	IVRED_STATES(KEY_STATE)
#define KEY_MISC(...) "ivred." #__VA_ARGS__,
	IVRED_MISC(KEY_MISC)
#define KEY_ACTION(n) "ivred.sim.action." #n,
	IVRED_SIM_ACTIONS(KEY_ACTION)
};

const char *ivr_editor_get(struct req *r)
{
	const char *id = r->route_id;
	struct ivr_row row;
	if (!id || !ivr_key_ok(id))
		return "not_found";
	int rc = ivr_db_get(r, id, false, &row, NULL, NULL);
	if (rc < 0)
		return "db_unavailable";
	if (!rc)
		return "not_found";

	xmlDoc *doc;
	xmlNode *root = page_begin(r, "admin", &doc);
	if (!root)
		return "internal";
	res_doc_side(root, "ivr");
	page_strings(root, strings, sizeof strings / sizeof *strings);
	xmlNode *e = xd_el(root, "ivr-editor");
	xd_attr(e, "id", id);
	xd_attr(e, "name", row.name);
	xd_attr(e, "api", "/cc/api/admin/ivr");
	xd_attr(e, "list", "/cc/admin/ivr");
	return page_finish(r, doc, "ivr_editor", 200);
}
