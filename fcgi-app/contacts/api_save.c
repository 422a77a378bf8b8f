/* POST /cc/api/contacts/save: one click saves the call panel's form into
 * the helpdesk's contacts (contacts/save.c).
 *
 * Body (form or JSON): _id (the contact, empty for a new one), _call (the
 * call to link it to: the signed-in agent's own, else 403), _intent and
 * _note (what the agent records about that call: docs/outbound.md, "The
 * agent's side"), and one member per mapped column. A column not sent is
 * left as it is; an unknown member is ignored. Replies {ok:true,
 * contact:{…}} or, status 422, {ok:false, errors:{column: message}} in the
 * request's language (the note's errors under "_intent" and "_note"). */
#include "contact.h"
#include "manifest.h"
#include "../route.h"

#include <string.h>

static bool id_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

const char *contact_save_post(struct req *r)
{
	const struct manifest *m = r->web->mf;
	const char *id = req_param(r, "_id"), *call = req_param(r, "_call");
	if (id && !*id)
		id = NULL;
	if (call && !*call)
		call = NULL;
	if ((id && !id_ok(id)) || (call && !id_ok(call)))
		return "bad_request";
	const char **values = arena_alloc(r->a, (m->contacts.nfields + 1) * sizeof *values);
	if (!values)
		return "internal";
	json_t *errors = json_object();
	for (size_t i = 0; i < m->contacts.nfields; i++) {
		const struct mf_field *f = &m->contacts.fields[i];
		values[i] = req_param(r, f->column);
		/* A new contact needs its required fields; an update needs them
		 * only when it changes them. */
		if (!values[i] && !(f->required && !id))
			continue;
		const char *why = contact_check(f, values[i], &r->web->phone);
		if (why)
			json_object_set_new(errors, f->column, json_string(web_t(r, why)));
	}
	const char *intent = req_param(r, "_intent"), *note = req_param(r, "_note");
	const char *nwhy = call_note_check(intent, note);
	if (nwhy)
		json_object_set_new(errors, !strcmp(nwhy, "wb.v.intent") ? "_intent" : "_note",
				    json_string(web_t(r, nwhy)));
	else if (!call && ((intent && *intent) || (note && *note)))
		json_object_set_new(errors, "_note", json_string(web_t(r, "wb.v.no_call")));
	if (json_object_size(errors))
		return resp_json(r, 422, json_pack("{s:b, s:o}", "ok", 0, "errors", errors));
	json_decref(errors);

	struct contact_edit e = {
		.id = id, .call = call, .values = values,
		.agent_id = r->sess->user_id, .agent_username = r->sess->username,
		.admin = r->sess->admin, .intent = call ? intent : NULL, .note = call ? note : NULL,
	};
	const char *saved;
	const char *why = contact_store(r, &e, &saved);
	if (why)
		return why;
	/* The next call from the contact's numbers pops what was saved. */
	contact_announce(r, saved, true);
	bool dberr;
	json_t *c = contact_load(r->thr->db, r->web, saved, r->sess->user_id, r->lang, &dberr);
	if (!c)
		return dberr ? "db_unavailable" : "not_found";
	return resp_json(r, 200, json_pack("{s:b, s:o}", "ok", 1, "contact", c));
}
