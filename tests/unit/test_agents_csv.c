/* The agents' import and export without a database (fcgi-app/agents/):
 * the file's encoding (UTF-8 with or without BOM, GBK as Excel saves it),
 * the CSV reader (quotes, doubled quotes, line breaks in quotes, CRLF,
 * blank lines, line numbers, unclosed quotes, too many cells), the header,
 * each row's checks, skill groups with levels, export cells safe from
 * formulas, SIP passwords and their digests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fcgi-app/agents/agents.h"
#include "hash.h"

static struct arena *A;

static int setup(void **state)
{
	(void)state;
	A = arena_new();
	return A ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(A);
	return 0;
}

/* "用户名,分机" in GBK. */
static const char gbk_header[] = "\xd3\xc3\xbb\xa7\xc3\xfb,\xb7\xd6\xbb\xfa\r\n";

static void encoding_is_detected(void **state)
{
	(void)state;
	const char *bom = "\xef\xbb\xbfname\n";
	assert_int_equal(csv_detect(bom, strlen(bom)), CSV_ENC_UTF8_BOM);
	assert_int_equal(csv_detect("用户名,分机\n", strlen("用户名,分机\n")), CSV_ENC_UTF8);
	assert_int_equal(csv_detect("plain,ascii\n", 12), CSV_ENC_UTF8);
	assert_int_equal(csv_detect(gbk_header, strlen(gbk_header)), CSV_ENC_GBK);
	/* An overlong form and a surrogate are not UTF-8. */
	assert_int_equal(csv_detect("\xc0\xaf", 2), CSV_ENC_GBK);
	assert_int_equal(csv_detect("\xed\xa0\x80", 3), CSV_ENC_GBK);
}

static void files_become_utf8(void **state)
{
	(void)state;
	size_t len, bad;
	char *s = csv_utf8(A, "\xef\xbb\xbf" "a,b\n", 7, &len, &bad);
	assert_non_null(s);
	assert_string_equal(s, "a,b\n");
	assert_int_equal(len, 4);
	s = csv_utf8(A, gbk_header, strlen(gbk_header), &len, &bad);
	assert_non_null(s);
	assert_string_equal(s, "用户名,分机\r\n");
	/* Bytes that are neither: refused with the line they are on. */
	const char junk[] = "a,b\nc,\x81\x01\n";
	s = csv_utf8(A, junk, sizeof junk - 1, &len, &bad);
	assert_null(s);
	assert_int_equal(bad, 2);
}

static void records_are_read(void **state)
{
	(void)state;
	const char *text = "a,b,c\r\n\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\n";
	struct csv_reader c;
	csv_init(&c, text, strlen(text));
	char *f[8];
	size_t n, line;
	assert_int_equal(csv_next(&c, A, f, 8, &n, &line), 1);
	assert_int_equal(n, 3);
	assert_int_equal(line, 1);
	assert_string_equal(f[2], "c");
	assert_int_equal(csv_next(&c, A, f, 8, &n, &line), 1);
	assert_int_equal(line, 3);	/* the blank line 2 is skipped */
	assert_int_equal(n, 3);
	assert_string_equal(f[0], "x,1");
	assert_string_equal(f[1], "say \"hi\"");
	assert_string_equal(f[2], "two\nlines");
	assert_int_equal(csv_next(&c, A, f, 8, &n, &line), 1);
	assert_int_equal(line, 5);	/* after a line break inside quotes */
	assert_int_equal(n, 3);
	assert_string_equal(f[0], "last");
	assert_string_equal(f[2], "");
	assert_int_equal(csv_next(&c, A, f, 8, &n, &line), 0);
}

static void malformed_records_are_refused(void **state)
{
	(void)state;
	struct csv_reader c;
	char *f[3];
	size_t n, line;
	const char *open = "a,\"never closed\n";
	csv_init(&c, open, strlen(open));
	assert_int_equal(csv_next(&c, A, f, 3, &n, &line), -1);
	assert_true(n <= 3);
	const char *wide = "1,2,3,4,5\nnext\n";
	csv_init(&c, wide, strlen(wide));
	assert_int_equal(csv_next(&c, A, f, 3, &n, &line), -1);
	assert_int_equal(n, 4);	/* max + 1: too many cells */
	/* The reader is past that record: the next one reads. */
	assert_int_equal(csv_next(&c, A, f, 3, &n, &line), 1);
	assert_string_equal(f[0], "next");
	assert_int_equal(line, 2);
}

static void header_maps_columns(void **state)
{
	(void)state;
	int map[AGI_N];
	char *zh[] = { "技能组", "用户名", " 分机 ", "姓名", "登录密码" };
	assert_null(ag_import_header(zh, 5, map));
	assert_int_equal(map[AGI_USERNAME], 1);
	assert_int_equal(map[AGI_EXT], 2);
	assert_int_equal(map[AGI_GROUPS], 0);
	char *en[] = { "Username", "extension" };
	assert_null(ag_import_header(en, 2, map));
	assert_int_equal(map[AGI_NAME], -1);
	char *none[] = { "姓名", "分机" };
	assert_string_equal(ag_import_header(none, 2, map), "agents.import.no_username");
	char *unknown[] = { "username", "shoe size" };
	assert_string_equal(ag_import_header(unknown, 2, map), "agents.import.bad_header");
	char *twice[] = { "username", "用户名" };
	assert_string_equal(ag_import_header(twice, 2, map), "agents.import.bad_header");
}

static const char *row(const char *u, const char *name, const char *ext, const char *pw,
		       const char *groups, const char **field, struct ag_input *in)
{
	int map[AGI_N] = { 0, 1, 2, 3, 4 };
	char *cells[5] = { arena_strdup(A, u), arena_strdup(A, name), arena_strdup(A, ext),
			   arena_strdup(A, pw), arena_strdup(A, groups) };
	*field = NULL;
	return ag_import_row(A, cells, 5, map, in, field);
}

static void rows_are_checked(void **state)
{
	(void)state;
	struct ag_input in;
	const char *field;
	assert_null(row(" zhang ", "", "1101", "secret1", "客服一组:1;销售 二组:2", &field, &in));
	assert_string_equal(in.username, "zhang");
	assert_string_equal(in.name, "zhang");	/* no name: the username */
	assert_string_equal(row("a b", "x", "", "", "", &field, &in), "agents.v.username_chars");
	assert_string_equal(field, "username");
	assert_string_equal(row("", "x", "", "", "", &field, &in), "agents.v.required");
	assert_string_equal(row("u", "x", "0123", "", "", &field, &in), "agents.v.extension");
	assert_string_equal(field, "extension");
	assert_string_equal(row("u", "x", "12", "", "", &field, &in), "agents.v.extension");
	assert_string_equal(row("u", "x", "12345678901", "", "", &field, &in), "agents.v.extension");
	assert_string_equal(row("u", "x", "1a3", "", "", &field, &in), "agents.v.extension");
	assert_null(row("u", "x", "", "", "", &field, &in));	/* the next free one */
	assert_string_equal(row("u", "x", "", "123", "", &field, &in), "agents.v.password_short");
	assert_string_equal(field, "password");
	assert_string_equal(row("u", "x\x01", "", "", "", &field, &in), "agents.v.text");
	assert_string_equal(field, "name");
	char long_name[AG_NAME_MAX * 3 + 4] = "";
	for (int i = 0; i <= AG_NAME_MAX; i++)
		strcat(long_name, "长");
	assert_string_equal(row("u", long_name, "", "", "", &field, &in), "agents.v.too_long");
	assert_string_equal(row("u", "x", "", "", "a:0", &field, &in), "agents.v.level");
	assert_string_equal(field, "groups");
	assert_string_equal(row("u", "x", "", "", "a:10", &field, &in), "agents.v.level");
	assert_string_equal(row("u", "x", "", "", "a:1;a:2", &field, &in), "agents.v.group_twice");
}

static void groups_parse_with_levels(void **state)
{
	(void)state;
	struct ag_group g[4];
	size_t n;
	assert_null(ag_parse_groups(A, "3:2, 5 ,7=9", false, g, 4, &n));
	assert_int_equal(n, 3);
	assert_int_equal(g[0].id, 3);
	assert_int_equal(g[0].level, 2);
	assert_int_equal(g[1].id, 5);
	assert_int_equal(g[1].level, 1);
	assert_int_equal(g[2].level, 9);
	assert_null(ag_parse_groups(A, "", false, g, 4, &n));
	assert_int_equal(n, 0);
	assert_string_equal(ag_parse_groups(A, "x:1", false, g, 4, &n), "agents.v.groups");
	assert_string_equal(ag_parse_groups(A, "1,2,3,4,5", false, g, 4, &n), "agents.v.groups_many");
	assert_null(ag_parse_groups(A, "客服 一组 : 3|Sales", true, g, 4, &n));
	assert_int_equal(n, 2);
	assert_string_equal(g[0].name, "客服 一组");
	assert_int_equal(g[0].level, 3);
	assert_string_equal(g[1].name, "Sales");
}

static void export_cells_are_safe(void **state)
{
	(void)state;
	assert_string_equal(csv_cell(A, "plain"), "plain");
	assert_string_equal(csv_cell(A, "a,b"), "\"a,b\"");
	assert_string_equal(csv_cell(A, "say \"x\""), "\"say \"\"x\"\"\"");
	assert_string_equal(csv_cell(A, "=1+1"), "\"'=1+1\"");
	assert_string_equal(csv_cell(A, "+86"), "\"'+86\"");
	assert_string_equal(csv_cell(A, "-2"), "\"'-2\"");
	assert_string_equal(csv_cell(A, "@SUM(A1)"), "\"'@SUM(A1)\"");
	assert_string_equal(csv_cell(A, ""), "");
	assert_string_equal(csv_cell(A, NULL), "");
}

static void sip_passwords_and_digests(void **state)
{
	(void)state;
	char a[AG_SIP_PASSWORD_LEN + 1], b[AG_SIP_PASSWORD_LEN + 1];
	assert_int_equal(ag_sip_password(a), 0);
	assert_int_equal(ag_sip_password(b), 0);
	assert_int_equal(strlen(a), AG_SIP_PASSWORD_LEN);
	assert_string_not_equal(a, b);
	assert_int_equal(strspn(a, "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"),
			 AG_SIP_PASSWORD_LEN);
	char ha1[33], ha1b[33], want[33];
	ag_sip_ha1("1001", "cc.local", "sip1001", ha1, ha1b);
	hash_md5_hex("1001:cc.local:sip1001", strlen("1001:cc.local:sip1001"), want);
	assert_string_equal(ha1, want);
	hash_md5_hex("1001@cc.local:cc.local:sip1001", strlen("1001@cc.local:cc.local:sip1001"), want);
	assert_string_equal(ha1b, want);
}

static void states_on_a_call(void **state)
{
	(void)state;
	assert_true(ag_state_busy("on_call"));
	assert_true(ag_state_busy("reserved"));
	assert_false(ag_state_busy("ready"));
	assert_false(ag_state_busy("wrap_up"));
	assert_false(ag_state_busy(NULL));
	assert_true(ag_state_known("logged_out"));
	assert_false(ag_state_known("bogus"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encoding_is_detected),
		cmocka_unit_test(files_become_utf8),
		cmocka_unit_test(records_are_read),
		cmocka_unit_test(malformed_records_are_refused),
		cmocka_unit_test(header_maps_columns),
		cmocka_unit_test(rows_are_checked),
		cmocka_unit_test(groups_parse_with_levels),
		cmocka_unit_test(export_cells_are_safe),
		cmocka_unit_test(sip_passwords_and_digests),
		cmocka_unit_test(states_on_a_call),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
