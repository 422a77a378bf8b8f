/* Validating the agent's edits of a contact against the manifest: required
 * name, lengths in characters, email, phone numbers that must normalize,
 * choices, control characters and broken UTF-8; and the contact's JSON
 * shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "fcgi-app/contacts/contact.h"

static struct manifest *m;

static int setup(void **state)
{
	(void)state;
	char err[512];
	if (manifest_load(&m, "plugin-manifest.xml", "schemas/plugin-manifest.rng", err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	manifest_free(m);
	return 0;
}

static const char *check(const char *column, const char *value)
{
	const struct mf_field *f = manifest_field(m, column);
	assert_non_null(f);
	return contact_check(f, value, &phone_rules_cn);
}

static char *repeat(const char *unit, int n)
{
	size_t u = strlen(unit);
	char *s = malloc(u * (size_t)n + 1);
	for (int i = 0; i < n; i++)
		memcpy(s + u * (size_t)i, unit, u);
	s[u * (size_t)n] = '\0';
	return s;
}

static void required(void **state)
{
	(void)state;
	assert_string_equal(check("name", NULL), "v.required");
	assert_string_equal(check("name", ""), "v.required");
	assert_string_equal(check("name", "  \t "), "v.required");
	assert_null(check("name", "陈小明"));
	/* optional fields may be empty */
	assert_null(check("memo", ""));
	assert_null(check("email", NULL));
	assert_null(check("mobileno", ""));
}

static void lengths(void **state)
{
	(void)state;
	/* max counts characters, not bytes: 255 CJK characters are 765 bytes */
	char *s = repeat("张", 255);
	assert_null(check("name", s));
	free(s);
	s = repeat("张", 256);
	assert_string_equal(check("name", s), "v.too_long");
	free(s);
	s = repeat("a", 50);
	assert_null(check("city", s));
	free(s);
	s = repeat("a", 51);
	assert_string_equal(check("city", s), "v.too_long");
	free(s);
	assert_int_equal(utf8_chars("a张😀"), 3);
	assert_int_equal(utf8_chars(""), 0);
	assert_int_equal(utf8_chars("\xff"), -1);
	assert_int_equal(utf8_chars("\xe5\xbc"), -1);	/* truncated */
	assert_int_equal(utf8_chars("\xc0\xaf"), -1);	/* overlong */
}

static void emails(void **state)
{
	(void)state;
	assert_null(check("email", "chenxm@example.com"));
	assert_null(check("email", "a.b+c@mail.example.cn"));
	assert_string_equal(check("email", "not-an-email"), "v.email");
	assert_string_equal(check("email", "a@b"), "v.email");
	assert_string_equal(check("email", "@example.com"), "v.email");
	assert_string_equal(check("email", "a@@example.com"), "v.email");
	assert_string_equal(check("email", "a b@example.com"), "v.email");
	assert_string_equal(check("email", "a@example..com"), "v.email");
	assert_string_equal(check("email", "a@example.com."), "v.email");
	assert_string_equal(check("email", "<a>@example.com"), "v.email");
}

static void phones(void **state)
{
	(void)state;
	assert_null(check("mobileno", "138 0013 8000"));
	assert_null(check("mobileno", "+86 139-0013-9000"));
	assert_null(check("phone", "010-88886666 转 123"));
	assert_null(check("phone", "95588"));
	assert_string_equal(check("mobileno", "call me"), "v.phone");
	assert_string_equal(check("mobileno", "138abc00"), "v.phone");
	assert_string_equal(check("phone", "123456789012345678901234"), "v.phone");
}

static void choices_and_text(void **state)
{
	(void)state;
	assert_null(check("gender", "1"));
	assert_null(check("gender", "0"));
	assert_string_equal(check("gender", "2"), "v.choice");
	assert_string_equal(check("gender", "male"), "v.choice");
	/* line breaks only where the field is a text area */
	assert_null(check("memo", "line one\nline two"));
	assert_string_equal(check("name", "two\nlines"), "v.text");
	assert_string_equal(check("company", "nul\x01"), "v.text");
	assert_string_equal(check("company", "bad \xff utf-8"), "v.text");
	/* hostile but valid text is data, stored as typed */
	assert_null(check("memo", "<script>alert(1)</script> ' \" ; DROP TABLE"));
}

static void shape(void **state)
{
	(void)state;
	char *vals[32] = { 0 };
	vals[0] = "陈小明";
	json_t *c = contact_shape(m, "0c1", vals, "en");
	assert_string_equal(json_string_value(json_object_get(c, "id")), "0c1");
	json_t *fields = json_object_get(c, "fields");
	assert_int_equal(json_array_size(fields), m->contacts.nfields);
	json_t *name = json_array_get(fields, 0);
	assert_string_equal(json_string_value(json_object_get(name, "column")), "name");
	assert_string_equal(json_string_value(json_object_get(name, "label")), "Name");
	assert_string_equal(json_string_value(json_object_get(name, "label_zh")), "姓名");
	assert_string_equal(json_string_value(json_object_get(name, "value")), "陈小明");
	assert_true(json_is_true(json_object_get(name, "required")));
	json_t *gender = json_array_get(fields, 1);
	assert_string_equal(json_string_value(json_object_get(gender, "type")), "choice");
	assert_int_equal(json_array_size(json_object_get(gender, "choices")), 2);
	assert_true(json_is_null(json_object_get(gender, "value")));
	json_decref(c);
	c = contact_shape(m, NULL, NULL, "zh-CN");
	assert_true(json_is_null(json_object_get(c, "id")));
	name = json_array_get(json_object_get(c, "fields"), 0);
	assert_string_equal(json_string_value(json_object_get(name, "label")), "姓名");
	json_decref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(required),
		cmocka_unit_test(lengths),
		cmocka_unit_test(emails),
		cmocka_unit_test(phones),
		cmocka_unit_test(choices_and_text),
		cmocka_unit_test(shape),
	};
	return cmocka_run_group_tests_name("web_contact", tests, setup, teardown);
}
