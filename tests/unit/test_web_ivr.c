/* IVR flows in the console (fcgi-app/ivr/): a flow's state from its row
 * (the four states of docs/ivr.md), who holds the edit lock, the names of
 * downloads and keys, a new flow's draft (it reads and passes every check),
 * and a message in both languages for every problem code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi-app/ivr/ivr.h"

#include "web_fixture.h"

static void states(void **state)
{
	(void)state;
	/* published_version, draft_rev, published_rev, publish_failed */
	assert_int_equal(ivr_state_of(NULL, "1", NULL, "0"), IVR_ST_unpublished);
	assert_int_equal(ivr_state_of(NULL, "7", NULL, NULL), IVR_ST_unpublished);
	assert_int_equal(ivr_state_of("1", "4", "4", "0"), IVR_ST_published);
	assert_int_equal(ivr_state_of("2", "5", "4", "0"), IVR_ST_modified);
	/* a refused publish wins, whether or not a version exists */
	assert_int_equal(ivr_state_of(NULL, "3", NULL, "1"), IVR_ST_failed);
	assert_int_equal(ivr_state_of("1", "4", "4", "1"), IVR_ST_failed);
	assert_string_equal(ivr_state_name(IVR_ST_unpublished), "unpublished");
	assert_string_equal(ivr_state_name(IVR_ST_modified), "modified");
	const char *zh[] = { "未发布", "已发布", "有更新未发布", "发布失败" };
	for (int s = 0; s < IVR_ST_COUNT; s++) {
		assert_string_equal(tmpl_t(t, "zh-CN", ivr_state_key(s)), zh[s]);
		assert_string_not_equal(tmpl_t(t, "en", ivr_state_key(s)), ivr_state_key(s));
	}
}

static void locks(void **state)
{
	(void)state;
	assert_int_equal(ivr_lock_holder(NULL, NULL, "u1"), 0);
	assert_int_equal(ivr_lock_holder("u1", "0", "u1"), 0);	/* expired */
	assert_int_equal(ivr_lock_holder("u1", NULL, "u1"), 0);
	assert_int_equal(ivr_lock_holder("u1", "1", "u1"), 1);
	assert_int_equal(ivr_lock_holder("u1", "1", "u2"), 2);
	assert_int_equal(ivr_lock_holder("u1", "1", NULL), 2);
	assert_int_equal(ivr_lock_holder("", "1", "u1"), 0);
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(ivr_export_name(a, "12", NULL), "ivr-12-draft.xml");
	assert_string_equal(ivr_export_name(a, "12", "3"), "ivr-12-v3.xml");
	assert_null(ivr_export_name(a, "12", "../3"));
	assert_null(ivr_export_name(a, "1/2", NULL));
	assert_null(ivr_export_name(a, "12", "0"));
	assert_true(ivr_key_ok("1"));
	assert_true(ivr_key_ok("4294967295"));
	assert_false(ivr_key_ok("0"));
	assert_false(ivr_key_ok("01"));
	assert_false(ivr_key_ok("12345678901"));
	assert_false(ivr_key_ok("-1"));
	assert_false(ivr_key_ok(""));
	assert_false(ivr_key_ok(NULL));
}

/* A new flow's draft reads, passes the graph checks and carries its name
 * escaped; a well-formed document of the wrong shape is still saved. */
static void new_document(void **state)
{
	(void)state;
	char *doc = ivr_new_document("售后 <&> \"热线\"");
	assert_non_null(doc);
	assert_null(ivr_well_formed(doc, strlen(doc)));
	struct ivr_problems p = { 0 };
	struct ivr_flow *f = NULL;
	assert_int_equal(ivr_parse(doc, strlen(doc), "schemas/ivr-flow.rng", &f, &p), 0);
	assert_string_equal(f->name, "售后 <&> \"热线\"");
	assert_int_equal(f->n, 2);
	assert_int_equal(ivr_check(f, NULL, NULL, &p), 0);
	ivr_free(f);
	ivr_problems_free(&p);
	free(doc);
	assert_null(ivr_well_formed("<a/>", 4));
	assert_string_equal(ivr_well_formed("<a>", 3), "ivr.err.not_xml");
	assert_string_equal(ivr_well_formed("", 0), "ivr.err.document_required");
	assert_string_equal(ivr_well_formed("<a>\xff</a>", 8), "ivr.err.not_utf8");
	char *big = malloc(IVR_DOC_MAX + 2);
	assert_non_null(big);
	memset(big, ' ', IVR_DOC_MAX + 1);
	big[IVR_DOC_MAX + 1] = '\0';
	assert_string_equal(ivr_well_formed(big, IVR_DOC_MAX + 1), "ivr.err.too_large");
	free(big);
}

/* Every problem code of docs/ivr.md (and an exit connected to nothing)
 * has its message in both languages, naming what it is about. */
static void messages(void **state)
{
	(void)state;
	const char *codes[] = {
		"ivr.schema", "ivr.duplicate_id", "ivr.exit_unknown", "ivr.exit_unconnected",
		"ivr.unreachable", "ivr.loop_no_wait", "ivr.loop_no_exit", "ivr.ref_missing",
		"ivr.var_unset", "ivr.duplicate_key", "ivr.bad_range", "ivr.too_many_vars",
		"ivr.too_many_nodes", "ivr.no_start", "ivr.internal",
	};
	const char *langs[] = { "zh-CN", "en" };
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
		for (size_t k = 0; k < 2; k++) {
			const char *m = tmpl_t(t, langs[k], codes[i]);
			assert_string_not_equal(m, codes[i]);
			assert_true(strstr(m, "{node}") || strstr(m, "{detail}") ||
				    !strcmp(codes[i], "ivr.no_start"));
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(states),
		cmocka_unit_test(locks),
		cmocka_unit_test(names),
		cmocka_unit_test(new_document),
		cmocka_unit_test(messages),
	};
	return cmocka_run_group_tests_name("web_ivr", tests, setup, teardown);
}
