/* Events as JSON: ev_write_json, the event path's writer, gives exactly
 * what the tree (ev_json + json_dumps, compact) gives, for every event of
 * the table with random values (quotes, backslashes, control characters,
 * multi-byte UTF-8, empty and NULL strings, negative numbers); a value that
 * is not UTF-8 becomes U+FFFD instead of losing the event; a short buffer
 * says how long the text is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"

static const char *const samples[] = {
	"", "a", "call-1", "quote\"in", "back\\slash", "line\nbreak", "tab\there", "\x01\x1f",
	"张三", "emoji \xf0\x9f\x98\x80", "slash/ok", "\x7f", "ctl\r\b\f",
};

static unsigned long long seed = 88172645463325252ull;

static unsigned rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)seed;
}

static void fill(struct ev *e)
{
#define FILL_STR(name) e->name = rnd() % 5 ? samples[rnd() % (sizeof samples / sizeof *samples)] : NULL;
#define FILL_INT(name) e->name = (long long)(rnd() % 2000000) - 1000000;
#define FILL_BOOL(name) e->name = rnd() & 1;
#define FILL(name, type, doc) FILL_##type(name)
	EV_FIELDS(FILL)
#undef FILL
#undef FILL_STR
#undef FILL_INT
#undef FILL_BOOL
	e->ts = 1700000000000ll + rnd();
}

static void same_as_the_tree(void **state)
{
	(void)state;
	for (int round = 0; round < 200; round++) {
		for (int t = 0; t < EV_TYPE_COUNT; t++) {
			struct ev e = { .type = (enum ev_type)t };
			fill(&e);
			json_t *j = ev_json(&e);
			assert_non_null(j);
			char *want = json_dumps(j, JSON_COMPACT);
			json_decref(j);
			assert_non_null(want);
			char got[4096];
			size_t n = ev_write_json(&e, got, sizeof got);
			if (n != strlen(want) || strcmp(got, want))
				fail_msg("%s:\n got  %s\n want %s", ev_def(e.type)->name, got, want);
			free(want);
		}
	}
}

static void invalid_utf8_is_replaced(void **state)
{
	(void)state;
	struct ev e = { .type = EV_CALL_NEW, .ts = 1, .call = "c\xff\xfe", .caller = "\xc3" };
	char got[1024];
	ev_write_json(&e, got, sizeof got);
	assert_non_null(strstr(got, "\"call\":\"c\\ufffd\\ufffd\""));
	assert_non_null(strstr(got, "\"caller\":\"\\ufffd\""));
	json_error_t err;
	json_t *j = json_loads(got, 0, &err);
	assert_non_null(j);	/* still JSON that parses */
	json_decref(j);
}

static void a_short_buffer_gives_the_length(void **state)
{
	(void)state;
	struct ev e = { .type = EV_CALL_NEW, .ts = 1, .call = "abc" };
	char big[1024], small[8];
	size_t n = ev_write_json(&e, big, sizeof big);
	assert_true(n > sizeof small);
	assert_int_equal(ev_write_json(&e, small, sizeof small), n);
	assert_int_equal(strlen(big), n);
	assert_int_equal(ev_write_json(&(struct ev){ .type = EV_TYPE_COUNT }, big, sizeof big), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_as_the_tree),
		cmocka_unit_test(invalid_utf8_is_replaced),
		cmocka_unit_test(a_short_buffer_gives_the_length),
	};
	return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
