/* GET /cc/records/{id} (a call's page) and GET /cc/api/records/{id}
 * (JSON): the call's facts and durations, its timeline from the event log
 * with each row's local time and offset from the start, its contact, the
 * form the agent saved, its IVR variables, its task and target, and its
 * voicemail. A call the user may not see is 404, like one that does not
 * exist. */
#include "records.h"

#include "../clock.h"
#include "../resource/resource.h"
#include "../tmpl/page.h"

#include <stdlib.h>
#include <string.h>

static json_t *opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *opt_int(long long v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

static json_t *local(struct req *r, long long ms)
{
	if (ms < 0)
		return json_null();
	char buf[24];
	clock_format(r->web->tz, ms / 1000, buf, sizeof buf);
	return json_string(buf);
}

/* An `ivr` row's detail "{flow} {node} {exit} {digits}": the exit may be
 * "key 1" (two words) or empty (the node entered). */
static void ivr_parts(struct arena *a, const char *detail, json_t *o)
{
	char *s = arena_strdup(a, detail ? detail : "");
	if (!s)
		return;
	char *save = NULL, *flow = strtok_r(s, " ", &save), *node = strtok_r(NULL, " ", &save);
	char *rest = strtok_r(NULL, "", &save);
	const char *exit = NULL, *digits = NULL;
	if (rest) {
		while (*rest == ' ')
			rest++;
		char *sp = strchr(rest, ' ');
		if (!strncmp(rest, "key ", 4) && sp)
			sp = strchr(sp + 1, ' ');
		if (sp) {
			*sp = '\0';
			digits = sp + 1;
			while (*digits == ' ')
				digits++;
		}
		exit = *rest ? rest : NULL;
		if (digits && !*digits)
			digits = NULL;
	}
	json_object_set_new(o, "flow", flow ? json_integer(atoll(flow)) : json_null());
	json_object_set_new(o, "node", opt_str(node));
	json_object_set_new(o, "exit", opt_str(exit));
	json_object_set_new(o, "digits", opt_str(digits));
}

static json_t *timeline(struct req *r, const struct rec_event *ev, size_t n, long long t0)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct rec_event *e = &ev[i];
		json_t *o = json_object();
		json_object_set_new(o, "at", local(r, e->at));
		json_object_set_new(o, "at_ms", json_integer(e->at));
		/* Offsets in tenths of a second: prompts and keys come fast. */
		long long off = t0 >= 0 && e->at >= t0 ? (e->at - t0 + 50) / 100 : -1;
		json_object_set_new(o, "offset", off >= 0 ? json_sprintf("+%lld.%llds", off / 10,
									      off % 10)
							   : json_null());
		json_object_set_new(o, "event", json_string(e->event));
		json_object_set_new(o, "detail", opt_str(e->detail));
		json_object_set_new(o, "group_id", e->group_id ? json_integer(e->group_id) : json_null());
		json_object_set_new(o, "group_name", opt_str(e->group_name));
		json_object_set_new(o, "agent_id", opt_str(e->agent_id));
		json_object_set_new(o, "agent_name", opt_str(e->agent_name));
		if (!strcmp(e->event, "ivr"))
			ivr_parts(r->a, e->detail, o);
		json_array_append_new(list, o);
	}
	return list;
}

static json_t *call_json(struct req *r, const struct rec_call *c)
{
	const struct rec_row *w = &c->row;
	json_t *o = rec_row_json(r, w);
	json_object_set_new(o, "enqueued_at", local(r, w->enqueued));
	json_object_set_new(o, "offered_at", local(r, c->offered));
	json_object_set_new(o, "answered_at", local(r, w->answered));
	json_object_set_new(o, "ended_at", local(r, w->ended));
	/* Before the queue (or, never queued, until the answer or the end)
	 * the call was in the IVR; the ring is the last offer's. */
	long long ivr_end = w->enqueued >= 0 ? w->enqueued : w->answered >= 0 ? w->answered
										: w->ended;
	bool inbound = w->direction && !strcmp(w->direction, "inbound");
	json_object_set_new(o, "ivr_s", opt_int(inbound ? rec_secs(w->started, ivr_end) : -1));
	json_object_set_new(o, "ring_s", opt_int(c->offered >= 0
		? rec_secs(c->offered, w->answered >= 0 ? w->answered : w->ended) : -1));
	json_object_set_new(o, "total_s", opt_int(rec_secs(w->started, w->ended)));
	json_object_set_new(o, "offers", json_integer(c->offers));
	json_object_set_new(o, "cause", opt_str(c->cause));
	json_object_set_new(o, "survey_key", opt_str(c->survey_key));
	json_object_set_new(o, "caller_norm", opt_str(c->caller_norm));
	return o;
}

static json_t *detail_json(struct req *r, const struct rec_call *c, const struct rec_event *ev,
			   size_t nev)
{
	const struct rec_row *w = &c->row;
	json_t *o = json_pack("{s:b, s:o, s:o}", "ok", 1, "call", call_json(r, c), "timeline",
			      timeline(r, ev, nev, w->started));
	bool outbound = w->direction && !strcmp(w->direction, "outbound");
	const char *phone = outbound ? w->callee : w->caller;
	json_object_set_new(o, "contact", w->contact_id
		? json_pack("{s:s, s:s?, s:s?}", "id", w->contact_id, "name", w->contact_name,
			    "phone", phone)
		: json_null());
	json_object_set_new(o, "note", c->note_agent
		? json_pack("{s:s?, s:s?, s:s, s:s?, s:o}", "intent", c->note_intent, "note",
			    c->note_text, "saved_by", c->note_agent, "saved_by_name",
			    c->note_agent_name, "saved_at", local(r, c->note_saved))
		: json_null());
	json_t *vars = c->ivr_vars ? json_loads(c->ivr_vars, 0, NULL) : NULL;
	if (vars && !json_is_object(vars)) {
		json_decref(vars);
		vars = NULL;
	}
	json_object_set_new(o, "ivr_vars", vars ? vars : json_null());
	json_object_set_new(o, "task", w->task_id
		? json_pack("{s:I, s:s?, s:I, s:s?}", "id", (json_int_t)w->task_id, "name",
			    c->task_name, "target_id", (json_int_t)c->target_id, "target_number",
			    c->target_number)
		: json_null());
	json_t *rec = c->rec_state ? json_pack("{s:s, s:s?}", "state", c->rec_state, "error",
					      c->rec_error) : NULL;
	if (rec && c->rec_ms >= 0)
		json_object_set_new(rec, "seconds", json_integer((c->rec_ms + 500) / 1000));
	if (rec && !strcmp(c->rec_state, "ready")) {
		json_object_set_new(rec, "audio",
				    json_sprintf("/cc/api/records/%s/recording.wav", w->id));
		json_object_set_new(rec, "download", json_sprintf(
				    "/cc/api/records/%s/recording.wav?download=1", w->id));
	}
	json_object_set_new(o, "recording", rec ? rec : json_null());
	json_object_set_new(o, "voicemail", c->vm_id
		? json_pack("{s:I, s:I, s:o}", "id", (json_int_t)atoll(c->vm_id), "seconds",
			    (json_int_t)((c->vm_ms + 500) / 1000), "audio",
			    json_sprintf("/cc/voicemail/%s/play", c->vm_id))
		: json_null());
	return o;
}

/* A JSON object's scalar members as attributes of el. */
static void attrs(xmlNode *el, json_t *o)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		if (json_is_string(v))
			xd_attr(el, key, json_string_value(v));
		else if (json_is_integer(v))
			xd_attr_int(el, key, json_integer_value(v));
	}
}

static const char *detail_page(struct req *r, json_t *d)
{
	xmlDoc *doc;
	xmlNode *root = page_begin(r, "records", &doc);
	if (!root)
		return "internal";
	if (r->sess->admin)
		res_doc_side(root, "records");
	xmlNode *el = xd_el(root, "record");
	attrs(xd_el(el, "call"), json_object_get(d, "call"));
	xmlNode *tl = xd_el(el, "timeline");
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(d, "timeline"), i, v)
		attrs(xd_el(tl, "event"), v);
	static const char *const parts[] = { "contact", "note", "task", "voicemail", "recording" };
	for (i = 0; i < sizeof parts / sizeof *parts; i++) {
		json_t *p = json_object_get(d, parts[i]);
		if (json_is_object(p))
			attrs(xd_el(el, parts[i]), p);
	}
	json_t *note = json_object_get(d, "note");
	if (json_is_object(note) && json_is_string(json_object_get(note, "note")))
		xd_text(xd_el(el, "note-text"), "text", json_string_value(json_object_get(note, "note")));
	json_t *vars = json_object_get(d, "ivr_vars");
	if (json_is_object(vars)) {
		xmlNode *vs = xd_el(el, "vars");
		const char *key;
		json_object_foreach(vars, key, v) {
			char *text = json_is_string(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY);
			xd_attr(xd_text(vs, "var", text ? text : json_string_value(v)), "name", key);
			free(text);
		}
	}
	if (r->sess->outbound)
		xd_attr(el, "task_links", "1");
	return page_finish(r, doc, "records", 200);
}

const char *records_item_get(struct req *r)
{
	struct rec_call c;
	const char *why = rec_route_call(r, &c);
	if (why)
		return why;
	struct rec_event *ev = NULL;
	size_t nev = 0;
	if (rec_db_events(r, c.row.id, &ev, &nev) < 0)
		return "db_unavailable";
	json_t *d = detail_json(r, &c, ev, nev);
	if (!d)
		return "internal";
	if (r->route->kind == RK_JSON)
		return resp_json(r, 200, d);
	const char *res = detail_page(r, d);
	json_decref(d);
	return res;
}
