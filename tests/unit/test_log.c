/* Logging: a value from outside (a request path, a SIP message, a
 * datagram) can never end the line it is logged in nor forge another:
 * control characters are escaped, UTF-8 passes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static void escaped(const char *in, const char *want)
{
	char out[256];
	size_t n = log_escape(out, sizeof out, in, strlen(in));
	if (strcmp(out, want) || n != strlen(want))
		fail_msg("'%s': got '%s' (%zu), want '%s'", in, out, n, want);
}

static void escapes_controls(void **state)
{
	(void)state;
	escaped("GET /cc/login 200", "GET /cc/login 200");
	escaped("a\nb", "a\\nb");
	escaped("a\r\nb", "a\\r\\nb");
	escaped("tab\there", "tab\\x09here");
	escaped("\x1b[31mred", "\\x1b[31mred");
	escaped("del\x7f", "del\\x7f");
	escaped("\x01\x1f", "\\x01\\x1f");
	escaped("客服一组 ok", "客服一组 ok");	/* UTF-8 intact */
	escaped("back\\slash", "back\\slash");
	escaped("", "");
}

static void bounded(void **state)
{
	(void)state;
	char out[6];
	/* an escape that does not fit is left out whole */
	assert_int_equal(log_escape(out, 5, "abc\n", 4), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(log_escape(out, sizeof out, "ab\ncd", 5), 5);
	assert_string_equal(out, "ab\\nc");
	assert_int_equal(log_escape(out, 1, "abc", 3), 0);
	assert_string_equal(out, "");
	assert_int_equal(log_escape(out, 0, "abc", 3), 0);
}

/* What log_msg writes to stderr for one message. */
static char *logged(const char *value)
{
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);
	log_info("GET %s 404 1 ms", value);
	dup2(saved, STDERR_FILENO);
	close(saved);
	static char text[4096];
	rewind(tmp);
	size_t n = fread(text, 1, sizeof text - 1, tmp);
	text[n] = '\0';
	fclose(tmp);
	return text;
}

static void one_line_per_message(void **state)
{
	(void)state;
	log_init("cc-test", LOG_INFO);
	char *t = logged("/cc/x\n2026-01-01 00:00:00.000 cc-web INFO: user 1 signed in");
	char *nl = strchr(t, '\n');
	assert_non_null(nl);
	assert_string_equal(nl, "\n");		/* the only newline ends the line */
	assert_non_null(strstr(t, "cc-test INFO: GET /cc/x\\n2026-01-01 00:00:00.000 cc-web INFO: "
				  "user 1 signed in 404 1 ms\n"));
	t = logged("/cc/\r");
	assert_non_null(strstr(t, "GET /cc/\\r 404"));
	t = logged("/cc/路径");
	assert_non_null(strstr(t, "GET /cc/路径 404 1 ms\n"));
}

static void long_message_still_one_line(void **state)
{
	(void)state;
	char big[3000];
	memset(big, '\n', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	char *t = logged(big);
	assert_int_equal(strchr(t, '\n') - t, (long)strlen(t) - 1);
	assert_true(strlen(t) <= 2048);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes_controls),
		cmocka_unit_test(bounded),
		cmocka_unit_test(one_line_per_message),
		cmocka_unit_test(long_message_still_one_line),
	};
	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
