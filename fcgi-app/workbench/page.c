/* GET /cc/workbench: the agent's workbench. Shows the agent, the phone
 * (SIP account and registration), the state from the B2BUA (or that the
 * B2BUA cannot be reached: the page still works and the event stream
 * reconnects), the state buttons, the call panel with the contact form
 * (fields from the manifest; filled by the screen pop; the call's intent
 * and note), the conversation list (today's calls) and the agent's last
 * calls. */
#include "../contacts/contact.h"
#include "db.h"
#include "log.h"
#include "../route.h"
#include "agent.h"
#include "../tmpl/page.h"

#include <stdlib.h>

/* Strings workbench.js shows. */
static const char *const js_strings[] = {
	"state.ready", "state.not_ready", "state.logged_out", "state.reserved",
	"state.on_call", "state.wrap_up", "state.unknown", "wb.ringing", "wb.answered",
	"wb.ended", "wb.offer_failed", "wb.unknown_caller", "wb.saved", "wb.save_failed",
	"wb.saving", "wb.b2bua_down", "wb.b2bua_up", "wb.new_contact", "wb.no_recent",
	"wb.signed_out", "wb.expired", "dir.inbound", "dir.outbound", "result.answered",
	"result.abandoned", "result.no_agent", "result.failed", "wb.state_failed",
	"wb.registered", "wb.unregistered", "wb.conv.online", "wb.conv.left",
	"wb.conv.open_failed", "wb.conv.empty", "reason.rest", "reason.meal", "reason.meeting",
	"reason.training", "reason.other", "wb.seconds", "agents.dedicated.agent",
	"wb.stream_replaced", "wb.stream_closed", "ic.hold", "ic.resume", "ic.mute", "ic.unmute",
	"ic.held", "ic.muted", "ic.transferred", "ic.no_targets", "ic.failed", "ic.ask_hangup",
	"b2bua.not_talking", "b2bua.on_hold", "b2bua.not_on_hold", "b2bua.muted",
	"b2bua.not_muted", "b2bua.not_transferable", "b2bua.same_agent",
	"b2bua.agent_unavailable", "b2bua.unknown_group", "b2bua.unknown_flow",
	"b2bua.unknown_agent", "b2bua.bad_target", "b2bua.bad_keys", "ic.consulting",
	"ic.consult_talking", "ic.consult_ended", "b2bua.consulting", "b2bua.not_consulting",
	"b2bua.not_answered", "b2bua.agent_busy", "b2bua.agent_on_break", "b2bua.bad_number", "b2bua.not_ready",
	"wb.rec.on", "wb.rec.paused", "wb.rec.off", "wb.rec.failed",
};

struct sip {
	struct arena *a;
	const char *user, *domain;
};

static int sip_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct sip *s = arg;
	(void)lens;
	if (ncol >= 2) {
		s->user = arena_strdup(s->a, v[0]);
		s->domain = arena_strdup(s->a, v[1]);
	}
	return 1;
}

/* The columns of sql.agent_calls, in order. */
static const char *const call_attrs[] = {
	"time", "direction", "caller", "callee", "result", "duration", "id", NULL,
};

static int call_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	return !xd_row(arg, "call", call_attrs, ncol, v);
}

const char *workbench_get(struct req *r)
{
	struct db *db = r->thr->db;
	const struct session *s = r->sess;
	struct sip sip = { r->a, NULL, NULL };
	if (db_query(db, "SELECT username, domain FROM cc_sip_account WHERE user_id = ? "
			 "AND enabled = 1 LIMIT 1", sip_row, &sip, "s", s->user_id) < 0) {
		log_err("workbench: %s", db_error(db));
		return "db_unavailable";
	}

	xmlDoc *doc;
	xmlNode *root = page_begin(r, "workbench", &doc);
	if (!root)
		return "internal";
	xmlNode *wb = xd_el(root, "workbench");
	json_t *reply = web_ctl(r, "agent.get", "s:s", "agent", s->user_id);
	xmlNode *agent;
	if (!reply) {
		xd_attr(wb, "b2bua", "down");
		agent = xd_el(wb, "agent");
		xd_attr(agent, "state", "unknown");
	} else if (!json_is_true(json_object_get(reply, "ok"))) {
		xd_attr(wb, "b2bua", "up");
		xd_attr(wb, "agent-error", json_string_value(json_object_get(reply, "error")));
		agent = xd_el(wb, "agent");
		xd_attr(agent, "state", "unknown");
	} else {
		xd_attr(wb, "b2bua", "up");
		agent = agent_node(wb, json_object_get(reply, "agent"));
	}
	json_decref(reply);
	xd_attr(agent, "id", s->user_id);
	xd_attr(agent, "name", s->name);
	xd_attr(agent, "username", s->username);
	if (sip.user) {
		xmlNode *p = xd_el(wb, "sip");
		xd_attr(p, "user", sip.user);
		xd_attr(p, "domain", sip.domain);
		/* Without the B2BUA, Kamailio's location table still knows. */
		if (!xmlHasProp(agent, (const xmlChar *)"registered")) {
			char n[16] = "";
			if (db_query_value(db, n, sizeof n, "SELECT COUNT(*) FROM cc_location WHERE "
					   "username = ? AND expires > NOW()", "s", sip.user) >= 0)
				xd_attr(agent, "registered", atoi(n) > 0 ? "1" : "0");
		}
	}
	xmlNode *reasons = xd_el(wb, "reasons");
#define REASON_NODE(code) xd_attr(xd_el(reasons, "reason"), "code", #code);
	BREAK_REASONS(REASON_NODE)
#undef REASON_NODE
	contact_form(wb, r->web->mf, r->lang);
	xmlNode *intents = xd_el(wb, "intents");
#define INTENT_NODE(code) xd_attr(xd_el(intents, "intent"), "code", #code);
	CALL_INTENTS(INTENT_NODE)
#undef INTENT_NODE
	xmlNode *calls = xd_el(wb, "calls");
	if (db_query(db, r->web->sql.agent_calls, call_row, calls, "s", s->user_id) < 0)
		log_err("workbench calls: %s", db_error(db));
	workbench_convs(r, wb);
	page_strings(root, js_strings, sizeof js_strings / sizeof *js_strings);
	return page_finish(r, doc, "workbench", 200);
}
