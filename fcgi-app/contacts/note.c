/* What the agent records about a call: the intent and the note, and the
 * rules of who may record them and when a saved contact becomes the
 * target's (see contact.h). Pure functions: save.c reads the facts. */
#include "contact.h"

#include <string.h>

const char *call_note_check(const char *intent, const char *note)
{
	if (intent && *intent) {
		bool known = false;
#define INTENT_MATCH(c) if (!strcmp(intent, #c)) known = true;
		CALL_INTENTS(INTENT_MATCH)
#undef INTENT_MATCH
		if (!known)
			return "wb.v.intent";
	}
	if (note && *note) {
		long chars = utf8_chars(note);
		if (chars < 0 || text_has_controls(note, true))
			return "v.text";
		if (chars > CALL_NOTE_MAX)
			return "wb.v.note_long";
	}
	return NULL;
}

const char *call_note_allowed(const struct call_facts *f, const char *user, bool admin)
{
	if (admin)
		return NULL;
	if (!f->agent || !user || !*user || strcmp(f->agent, user))
		return "forbidden";
	return NULL;
}

bool call_links_target(const struct call_facts *f)
{
	return f->target && f->task && f->target_task == f->task && f->target_call;
}
