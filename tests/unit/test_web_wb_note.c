/* What the agent records about a call on the workbench (fcgi-app/contacts/
 * note.c): the intent must be one of CALL_INTENTS, the note at most
 * CALL_NOTE_MAX characters of text; only the agent who took the call, or an
 * admin, may save for it; a saved contact becomes the outbound target's
 * only when the call really is that target's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi-app/contacts/contact.h"

#define A1 "0u000000000000000000000000000002"
#define A2 "0u000000000000000000000000000003"

static void intents(void **state)
{
	(void)state;
	assert_null(call_note_check(NULL, NULL));
	assert_null(call_note_check("", ""));
#define INTENT_OK(c) assert_null(call_note_check(#c, NULL));
	CALL_INTENTS(INTENT_OK)
#undef INTENT_OK
	assert_string_equal(call_note_check("maybe", NULL), "wb.v.intent");
	assert_string_equal(call_note_check("Interested", NULL), "wb.v.intent");
	assert_string_equal(call_note_check("interested ", NULL), "wb.v.intent");
	assert_string_equal(call_note_check("有意向", NULL), "wb.v.intent");
}

static void notes(void **state)
{
	(void)state;
	assert_null(call_note_check("follow_up", "客户下周三再联系\n上午十点后"));
	char *note = malloc(CALL_NOTE_MAX * 3 + 4);
	assert_non_null(note);
	/* CALL_NOTE_MAX characters of three bytes each: fine; one more is not. */
	note[0] = '\0';
	for (int i = 0; i < CALL_NOTE_MAX; i++)
		strcat(note, "意");
	assert_null(call_note_check(NULL, note));
	strcat(note, "a");
	assert_string_equal(call_note_check(NULL, note), "wb.v.note_long");
	free(note);
	assert_string_equal(call_note_check(NULL, "bell\a"), "v.text");
	assert_string_equal(call_note_check(NULL, "bad \xff utf-8"), "v.text");
	/* The intent is checked first. */
	assert_string_equal(call_note_check("nope", "bell\a"), "wb.v.intent");
}

static void who_may_save(void **state)
{
	(void)state;
	struct call_facts f = { .agent = A1 };
	assert_null(call_note_allowed(&f, A1, false));
	assert_string_equal(call_note_allowed(&f, A2, false), "forbidden");
	assert_string_equal(call_note_allowed(&f, "", false), "forbidden");
	assert_string_equal(call_note_allowed(&f, NULL, false), "forbidden");
	assert_null(call_note_allowed(&f, A2, true));
	/* A call nobody took: an admin only. */
	f.agent = NULL;
	assert_string_equal(call_note_allowed(&f, A1, false), "forbidden");
	assert_null(call_note_allowed(&f, A1, true));
}

static void target_link(void **state)
{
	(void)state;
	struct call_facts f = { .agent = A1, .task = 7, .target = 42, .target_task = 7,
				.target_call = true };
	assert_true(call_links_target(&f));
	/* The target is not one the dialer recorded this call for. */
	f.target_call = false;
	assert_false(call_links_target(&f));
	f.target_call = true;
	/* The target belongs to another task, or does not exist. */
	f.target_task = 8;
	assert_false(call_links_target(&f));
	f.target_task = 0;
	assert_false(call_links_target(&f));
	/* Not a task's call (inbound, manual outbound). */
	struct call_facts none = { .agent = A1 };
	assert_false(call_links_target(&none));
	struct call_facts no_task = { .agent = A1, .target = 42, .target_call = true };
	assert_false(call_links_target(&no_task));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(intents),
		cmocka_unit_test(notes),
		cmocka_unit_test(who_may_save),
		cmocka_unit_test(target_link),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
