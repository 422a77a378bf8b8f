/* The helpdesk's contacts as the workbench sees them: reading a visible
 * contact, the customer's recent calls, validating edits, saving.
 *
 * A contact is sent to the browser as
 *   {"id": "…" | null,
 *    "fields": [{"column", "type", "label", "label_zh", "label_en", "max",
 *                "required", "value", "choices": [{"value", "label"}]}]}
 * with the manifest's <field> list in order. Visible to an agent (see
 * sqlq.c): shared with all (shares 'all' or NULL), owned by one of the
 * agent's departments, or linked to a call the agent handled; never a
 * deleted one. */
#ifndef WEB_CONTACT_H
#define WEB_CONTACT_H

#include "../web.h"

#include <libxml/tree.h>

struct db;
struct manifest;
struct mf_field;

/* --- shape.c ---------------------------------------------------------------- */
/* The shape above; vals[i] is the value of field i (vals NULL: a blank
 * form). id NULL: a new contact. */
json_t *contact_shape(const struct manifest *m, const char *id, char *const *vals,
		      const char *lang);
/* The field's type as the browser knows it: "text", "textarea", "phone",
 * "email", "choice". */
const char *contact_type_name(const struct mf_field *f);
/* The label in lang (zh or en), else the other one, else "". */
const char *contact_pick(const char *lang, const char *zh, const char *en);

/* --- form.c: the workbench's contact form as page data ---------------------- */
/* Adds <form> with one <field column type max required label> (and its
 * <choice value label>s) per mapped column. */
void contact_form(xmlNode *parent, const struct manifest *m, const char *lang);

/* --- load.c, recent.c -------------------------------------------------------- */
/* The contact id visible to agent, or NULL: *dberr set on a database error. */
/* The contact's dedicated agent (专属坐席, cc_dedicated_agent) as {id, name},
 * or JSON null. */
json_t *contact_dedicated(struct db *db, const struct web *w, const char *id);
json_t *contact_load(struct db *db, const struct web *w, const char *id, const char *agent,
		     const char *lang, bool *dberr);
/* The visible contact holding the normalized number norm touched last
 * (then updated last; the B2BUA's order, docs/lookup.md): its id
 * copied to out (33 bytes). 1 found, 0 none, -1 database error. */
int contact_find_by_phone(struct db *db, const struct web *w, const char *norm,
			  const char *agent, char out[33]);
/* The customer's last calls (by contact id, normalized caller, or any of
 * the contact's indexed numbers), without
 * the call exclude: [{"call","time","direction","agent","result","duration",
 * "caller","callee"}], "call" null for a call another agent than viewer (a
 * user id) took. NULL on a database error. */
json_t *contact_recent(struct db *db, const struct web *w, const char *contact_id,
		       const char *caller_norm, const char *exclude, const char *viewer);

/* --- validate.c ------------------------------------------------------------ */
/* Checks one value of field f. NULL when fine, else a catalogue key:
 * "v.required", "v.too_long", "v.email", "v.phone", "v.choice", "v.text". */
const char *contact_check(const struct mf_field *f, const char *value,
			  const struct phone_rules *rules);
bool email_ok(const char *s);

/* --- note.c: what the agent records about a call (docs/outbound.md, "The
 * agent's side") ---------------------------------------------------------- */
/* The customer's intent (意向) as stable codes; the catalogue has
 * "wb.intent.<code>". */
#define CALL_INTENTS(X) \
	X(interested) X(not_interested) X(follow_up) X(callback) X(unreached) X(wrong_number)
/* The longest note, in characters. */
#define CALL_NOTE_MAX 1000

/* NULL when intent (NULL or "": none given) and note are fine, else a
 * catalogue key: "wb.v.intent", "wb.v.note_long", "v.text". */
const char *call_note_check(const char *intent, const char *note);

/* What the database says of a call and the target it names. */
struct call_facts {
	const char *agent;		/* cc_call.agent_id: who took it, NULL: nobody */
	unsigned long long task, target;	/* cc_call.task_id, target_id; 0: none */
	unsigned long long target_task;	/* that target's task_id; 0: no such target */
	bool target_call;		/* the target's last call, or one of its
					 * attempts, is this call */
};

/* May user save a note for the call and link its contact? Only the agent
 * who took it, or an admin: NULL, or "forbidden". */
const char *call_note_allowed(const struct call_facts *f, const char *user, bool admin);
/* Does the call really belong to its target, so that the contact saved
 * with it becomes the target's? */
bool call_links_target(const struct call_facts *f);

/* --- pop_build.c: pop_build(), declared in sse/hub.h for the pop loaders --- */

/* --- save.c ----------------------------------------------------------------- */
struct contact_edit {
	const char *id;		/* the contact to update; NULL: a new one */
	const char *call;	/* the agent's call to link it to, or NULL */
	const char *const *values;	/* per manifest field; NULL: not sent */
	const char *agent_id, *agent_username;
	bool admin;		/* the user may save for any agent's call */
	/* What the agent records about the call (with call only); both NULL:
	 * the call's note is left as it is. */
	const char *intent, *note;
};

/* Saves e in one transaction: the contact (update of the sent mapped
 * fields, or insert), the call's link (and its target's, see
 * call_links_target), the call's note, the contact's normalized numbers.
 * Run again whole when it loses a conflict (web_txn). Returns NULL with
 * the contact's id in *idp (in the request's arena), or a reason:
 * "not_found" (no such visible contact, or no such call), "forbidden"
 * (another agent's call), "db_unavailable", "internal". */
const char *contact_store(struct req *r, const struct contact_edit *e, const char **idp);

/* --- announce.c -------------------------------------------------------------- */
/* After a committed change of contact id: tells the B2BUA to forget the
 * caller lookups it keeps for the contact and, with numbers, for the
 * contact's numbers now (cc_contact_phone): contact.changed. A B2BUA that
 * cannot be reached is logged, never an error of the request. */
void contact_announce(struct req *r, const char *id, bool numbers);

/* --- call_link.c: the database side of the above, inside contact_store's
 * transaction ------------------------------------------------------------- */
/* Reads (and locks) the call's facts; strings in a. NULL, or "not_found",
 * "db_unavailable". */
const char *call_facts_read(struct db *db, const char *call, struct arena *a,
			    struct call_facts *f);
/* Links contact_id to the call, to its target when call_links_target, and
 * stores the call's note when e gives one. NULL or "db_unavailable". */
const char *call_link_store(struct db *db, const struct contact_edit *e,
			    const struct call_facts *f, const char *contact_id);

#endif
