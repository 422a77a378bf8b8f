/* Phone normalization: the forms a CRM holds and a gateway sends must meet
 * in one normalized string. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "phone.h"

static void expect(const char *in, enum phone_kind kind, const char *out)
{
	char buf[40];
	enum phone_kind k = phone_normalize(&phone_rules_cn, in, buf, sizeof buf);
	if (k != kind || strcmp(buf, out))
		fail_msg("'%s': got kind %d '%s', want kind %d '%s'", in, k, buf, kind, out);
}

static void mobile_in_every_form(void **state)
{
	(void)state;
	expect("13800138000", PHONE_E164, "+8613800138000");
	expect("138 0013 8000", PHONE_E164, "+8613800138000");
	expect("138-0013-8000", PHONE_E164, "+8613800138000");
	expect("+86 138-0013-8000", PHONE_E164, "+8613800138000");
	expect("8613800138000", PHONE_E164, "+8613800138000");
	expect("008613800138000", PHONE_E164, "+8613800138000");
	expect("013800138000", PHONE_E164, "+8613800138000");
	expect("tel:+8613800138000", PHONE_E164, "+8613800138000");
	/* full-width digits and ideographic space, as typed with a Chinese IME */
	expect("１３８\xe3\x80\x80００１３８０００", PHONE_E164, "+8613800138000");
}

static void landlines(void **state)
{
	(void)state;
	expect("010-88886666", PHONE_E164, "+861088886666");
	expect("(010) 8888 6666", PHONE_E164, "+861088886666");
	expect("0755-2666 8888", PHONE_E164, "+8675526668888");
	expect("+86 755 26668888", PHONE_E164, "+8675526668888");
	/* extension dropped */
	expect("010-88886666 ext 123", PHONE_E164, "+861088886666");
	expect("010-88886666转123", PHONE_E164, "+861088886666");
	expect("010-88886666,123", PHONE_E164, "+861088886666");
}

static void outside_the_plan(void **state)
{
	(void)state;
	expect("95588", PHONE_DIGITS, "95588");
	expect("10086", PHONE_DIGITS, "10086");
	expect("8888 6666", PHONE_DIGITS, "88886666");
	expect("4001", PHONE_DIGITS, "4001");
	expect("+1 415 555 2671", PHONE_E164, "+14155552671");
	expect("0014155552671", PHONE_E164, "+14155552671");
}

static void local_numbers_with_area_code(void **state)
{
	(void)state;
	struct phone_rules r = phone_rules_cn;
	r.area = "10";
	char buf[40];
	assert_int_equal(phone_normalize(&r, "8888 6666", buf, sizeof buf), PHONE_E164);
	assert_string_equal(buf, "+861088886666");
}

static void invalid(void **state)
{
	(void)state;
	expect("", PHONE_INVALID, "");
	expect("   ", PHONE_INVALID, "");
	expect("abc", PHONE_INVALID, "");
	expect("138abc00", PHONE_INVALID, "");
	expect("++8613800138000", PHONE_INVALID, "");
	expect("123456789012345678901234", PHONE_INVALID, "");
	expect("+12", PHONE_INVALID, "");
	char small[8];
	assert_int_equal(phone_normalize(&phone_rules_cn, "13800138000", small, sizeof small),
			 PHONE_INVALID);
	assert_int_equal(phone_normalize(&phone_rules_cn, NULL, small, sizeof small), PHONE_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mobile_in_every_form),
		cmocka_unit_test(landlines),
		cmocka_unit_test(outside_the_plan),
		cmocka_unit_test(local_numbers_with_area_code),
		cmocka_unit_test(invalid),
	};
	return cmocka_run_group_tests_name("phone", tests, NULL, NULL);
}
