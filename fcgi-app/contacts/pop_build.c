/* What an agent's screen shows when a call pops (docs/web.md, "The screen
 * pop"): the contact the B2BUA named, or the newest visible contact with
 * the caller's number, or a blank form with the number filled in; and the
 * customer's recent calls; what an IVR flow attached to the call. For an
 * outbound task's call (task, target non-zero) the data is the target's:
 * its task_name is shown apart, and a name column fills the new contact's
 * name. Run by the pop loaders (pop.c). */
#include "../sse/hub.h"

#include "contact.h"
#include "manifest.h"
#include "../web.h"

#include <string.h>

static const char *str(json_t *ev, const char *k)
{
	return json_string_value(json_object_get(ev, k));
}

static json_int_t num(json_t *ev, const char *k)
{
	json_t *v = json_object_get(ev, k);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* Takes the pair named name out of pop_data's list: its value, or NULL. */
static json_t *take(json_t *data, const char *name)
{
	for (size_t i = 0; i < json_array_size(data); i++) {
		json_t *d = json_array_get(data, i);
		if (!strcmp(str(d, "name") ?: "", name)) {
			json_t *v = json_incref(json_object_get(d, "value"));
			json_array_remove(data, i);
			return v;
		}
	}
	return NULL;
}

/* The name a target's data gives the customer, if any. */
static json_t *data_name(json_t *data)
{
	static const char *const keys[] = { "name", "姓名", "客户姓名", "Name" };
	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
		for (size_t i = 0; i < json_array_size(data); i++) {
			json_t *d = json_array_get(data, i);
			if (!strcmp(str(d, "name") ?: "", keys[k]) && *(str(d, "value") ?: ""))
				return json_object_get(d, "value");
		}
	return NULL;
}

/* The call's note so far ({intent, note}), or null: an agent the call is
 * transferred to sees what the one before recorded. Read only for a
 * transferred call (the event's transfers): before, there is none. */
static int note_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	if (ncol == 2)
		*(json_t **)arg = json_pack("{s:s?, s:s?}", "intent", v[0], "note", v[1]);
	return 1;
}

static json_t *call_note(struct db *db, const char *call, bool *dberr)
{
	json_t *note = NULL;
	if (call && db_query(db, "SELECT intent, note FROM cc_call_note WHERE call_id = ?",
			     note_row, &note, "s", call) < 0)
		*dberr = true;
	return note ? note : json_null();
}

json_t *pop_build(struct web *w, struct db *db, json_t *ev)
{
	const char *call = str(ev, "call"), *agent = str(ev, "agent");
	const char *caller = str(ev, "caller"), *norm = str(ev, "caller_norm");
	const char *cid = str(ev, "contact");
	json_t *contact = NULL;
	bool dberr = false;
	if (cid)
		contact = contact_load(db, w, cid, agent, w->conf.default_lang, &dberr);
	char found[33];
	if (!contact && !dberr && norm && *norm &&
	    contact_find_by_phone(db, w, norm, agent, found) == 1)
		contact = contact_load(db, w, found, agent, w->conf.default_lang, &dberr);
	const char *contact_id = contact ? json_string_value(json_object_get(contact, "id")) : NULL;
	json_t *recent = contact_recent(db, w, contact_id, norm, call, agent);
	json_t *prefill = json_null();
	if (!contact) {
		/* An unknown caller: a blank form with the number in the first
		 * phone field. */
		contact = contact_shape(w->mf, NULL, NULL, w->conf.default_lang);
		for (size_t i = 0; i < w->mf->contacts.nfields; i++)
			if (w->mf->contacts.fields[i].type == MF_PHONE) {
				json_decref(prefill);
				prefill = json_pack("{s:s, s:s}", "column",
						    w->mf->contacts.fields[i].column, "value",
						    caller ? caller : "");
				break;
			}
	}
	json_t *data = pop_data(str(ev, "data"));
	json_int_t task = num(ev, "task"), target = num(ev, "target");
	json_t *task_name = task ? take(data, "task_name") : NULL;
	json_t *prefill_name = json_null();
	const struct mf_field *name_field = manifest_field(w->mf, "name");
	json_t *given = contact_id ? NULL : data_name(data);
	if (name_field && given)
		prefill_name = json_pack("{s:s, s:O}", "column", name_field->column, "value", given);
	json_t *note = num(ev, "transfers") > 0 ? call_note(db, call, &dberr) : json_null();
	return json_pack("{s:o, s:s?, s:s?, s:s?, s:s?, s:b, s:o, s:o, s:o, s:o, s:o, s:b, s:I, "
			 "s:I, s:o}", "note", note, "call", call, "agent", agent, "caller", caller,
			 "caller_norm", norm,
			 "known", contact_id != NULL, "contact", contact, "prefill", prefill,
			 "prefill_name", prefill_name, "recent", recent ? recent : json_array(),
			 "data", data, "db_error", dberr || !recent, "task", task, "target", target,
			 "task_name", task_name ? task_name : json_null());
}
