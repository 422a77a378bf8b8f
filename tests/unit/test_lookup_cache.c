/* The callers' lookups kept in memory (b2bua/lookup/cache.h): hits and
 * misses, answers copied in, expiry, forgetting by number, by contact and
 * all, and the bounds (entries and bytes) with the least recently used
 * answer going first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "b2bua/lookup/cache.h"

#define BIG ((size_t)1 << 30)
static const struct lookup_cache_limits roomy = { 1000000, BIG };

static struct lookup_cache *fresh(void)
{
	struct lookup_cache *c = NULL;
	assert_int_equal(lookup_cache_alloc(&c), 0);
	assert_non_null(c);
	return c;
}

/* A found answer for contact id named name. */
static struct lookup_answer found(const char *id, const char *name)
{
	return (struct lookup_answer){ .id = id, .name = name };
}

static const struct lookup_answer none;

static void put(struct lookup_cache *c, const char *norm, struct lookup_answer a)
{
	assert_int_equal(lookup_cache_put(c, norm, &a, 1000, &roomy), 0);
}

static const char *id_of(struct lookup_cache *c, const char *norm)
{
	const struct lookup_answer *a = lookup_cache_get(c, norm, 0);
	return a ? (a->id ? a->id : "none") : NULL;
}

static struct lookup_cache_stats stats(const struct lookup_cache *c)
{
	struct lookup_cache_stats st;
	lookup_cache_get_stats(c, &st);
	return st;
}

static void a_miss_then_a_hit_with_a_copy_of_everything(void **state)
{
	(void)state;
	struct lookup_cache *c = fresh();
	assert_null(lookup_cache_get(c, "+8613800138000", 0));
	char id[] = "c1", name[] = "陈小明", agent[] = "a3", gender[] = "male";
	struct lookup_field f[2] = { { "name", name }, { "gender", gender } };
	struct lookup_answer a = { id, name, agent, f, 2 };
	assert_int_equal(lookup_cache_put(c, "+8613800138000", &a, 1000, &roomy), 0);
	/* The caller's buffers change; the kept answer does not. */
	strcpy(id, "xx");
	strcpy(name, "nobody");
	strcpy(gender, "xxxx");
	const struct lookup_answer *got = lookup_cache_get(c, "+8613800138000", 999);
	assert_non_null(got);
	assert_string_equal(got->id, "c1");
	assert_string_equal(got->name, "陈小明");
	assert_string_equal(got->agent, "a3");
	assert_int_equal(got->nfields, 2);
	assert_string_equal(got->fields[0].column, "name");
	assert_string_equal(got->fields[0].value, "陈小明");
	assert_string_equal(got->fields[1].value, "male");
	assert_null(lookup_cache_get(c, "+8613800138001", 0));
	struct lookup_cache_stats st = stats(c);
	assert_int_equal(st.hits, 1);
	assert_int_equal(st.misses, 2);
	assert_int_equal(st.stored, 1);
	assert_int_equal(st.entries, 1);
	assert_true(st.bytes > sizeof "陈小明");
	lookup_cache_free(c);
}

static void an_unknown_number_is_kept_as_none(void **state)
{
	(void)state;
	struct lookup_cache *c = fresh();
	put(c, "95588", none);
	const struct lookup_answer *got = lookup_cache_get(c, "95588", 0);
	assert_non_null(got);
	assert_null(got->id);
	assert_null(got->name);
	assert_null(got->agent);
	assert_int_equal(got->nfields, 0);
	/* A NULL field value is kept as "". */
	struct lookup_field f = { "memo", NULL };
	struct lookup_answer a = { "c2", "李四", NULL, &f, 1 };
	put(c, "95588", a);
	got = lookup_cache_get(c, "95588", 0);
	assert_string_equal(got->id, "c2");
	assert_null(got->agent);
	assert_string_equal(got->fields[0].value, "");
	assert_int_equal(stats(c).entries, 1);
	lookup_cache_free(c);
}

static void an_answer_past_its_time_goes(void **state)
{
	(void)state;
	struct lookup_cache *c = fresh();
	struct lookup_answer a = found("c1", "A");
	assert_int_equal(lookup_cache_put(c, "+861", &a, 5000, &roomy), 0);
	assert_non_null(lookup_cache_get(c, "+861", 4999));
	assert_null(lookup_cache_get(c, "+861", 5000));
	struct lookup_cache_stats st = stats(c);
	assert_int_equal(st.expired, 1);
	assert_int_equal(st.entries, 0);
	/* And it is gone, not only hidden. */
	assert_null(lookup_cache_get(c, "+861", 0));
	lookup_cache_free(c);
}

static void forgetting_a_number(void **state)
{
	(void)state;
	struct lookup_cache *c = fresh();
	put(c, "+861", found("c1", "A"));
	put(c, "+862", none);
	assert_int_equal(lookup_cache_forget_number(c, "+862"), 1);
	assert_int_equal(lookup_cache_forget_number(c, "+862"), 0);
	assert_int_equal(lookup_cache_forget_number(c, "+863"), 0);
	assert_null(id_of(c, "+862"));
	assert_string_equal(id_of(c, "+861"), "c1");
	assert_int_equal(stats(c).forgotten, 1);
	lookup_cache_free(c);
}

static void forgetting_a_contact_takes_every_number_naming_it(void **state)
{
	(void)state;
	struct lookup_cache *c = fresh();
	put(c, "+861", found("c1", "A"));
	put(c, "+862", found("c1", "A"));
	put(c, "+863", found("c2", "B"));
	put(c, "+864", none);
	assert_int_equal(lookup_cache_forget_contact(c, "c1"), 2);
	assert_null(id_of(c, "+861"));
	assert_null(id_of(c, "+862"));
	assert_string_equal(id_of(c, "+863"), "c2");
	assert_string_equal(id_of(c, "+864"), "none");
	assert_int_equal(lookup_cache_forget_contact(c, "c1"), 0);
	assert_int_equal(lookup_cache_forget_contact(c, "c9"), 0);
	/* A number that named c2 and now names c3: forgetting c2 leaves it. */
	put(c, "+863", found("c3", "C"));
	assert_int_equal(lookup_cache_forget_contact(c, "c2"), 0);
	assert_string_equal(id_of(c, "+863"), "c3");
	assert_int_equal(lookup_cache_forget_contact(c, "c3"), 1);
	assert_int_equal(stats(c).entries, 1);
	lookup_cache_free(c);
}

static void forgetting_all(void **state)
{
	(void)state;
	struct lookup_cache *c = fresh();
	size_t empty = stats(c).bytes;
	char norm[32];
	for (int i = 0; i < 500; i++) {
		snprintf(norm, sizeof norm, "+86139%08d", i);
		put(c, norm, i % 2 ? none : found("c1", "A"));
	}
	assert_int_equal(stats(c).entries, 500);
	assert_true(stats(c).bytes > empty);
	assert_int_equal(lookup_cache_forget_all(c), 500);
	struct lookup_cache_stats st = stats(c);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.bytes, empty);
	assert_int_equal(st.forgotten, 500);
	assert_null(id_of(c, "+8613900000000"));
	/* Usable again. */
	put(c, "+861", found("c1", "A"));
	assert_string_equal(id_of(c, "+861"), "c1");
	lookup_cache_free(c);
}

/* Past the first tables' size: every answer still found by number and by
 * contact. */
static void many_answers(void **state)
{
	(void)state;
	struct lookup_cache *c = fresh();
	char norm[32], id[16];
	for (int i = 0; i < 5000; i++) {
		snprintf(norm, sizeof norm, "+86139%08d", i);
		snprintf(id, sizeof id, "c%d", i % 1000);
		struct lookup_answer a = found(id, "N");
		assert_int_equal(lookup_cache_put(c, norm, &a, 1000, &roomy), 0);
	}
	for (int i = 0; i < 5000; i += 7) {
		snprintf(norm, sizeof norm, "+86139%08d", i);
		snprintf(id, sizeof id, "c%d", i % 1000);
		assert_string_equal(id_of(c, norm), id);
	}
	assert_int_equal(lookup_cache_forget_contact(c, "c7"), 5);
	assert_int_equal(stats(c).entries, 4995);
	lookup_cache_free(c);
}

static void the_least_recently_used_goes_first(void **state)
{
	(void)state;
	struct lookup_cache *c = fresh();
	struct lookup_cache_limits three = { 3, BIG };
	struct lookup_answer a = found("c1", "A");
	assert_int_equal(lookup_cache_put(c, "+861", &a, 1000, &three), 0);
	assert_int_equal(lookup_cache_put(c, "+862", &a, 1000, &three), 0);
	assert_int_equal(lookup_cache_put(c, "+863", &a, 1000, &three), 0);
	/* +861 is used: +862 is now the least recently used. */
	assert_non_null(lookup_cache_get(c, "+861", 0));
	assert_int_equal(lookup_cache_put(c, "+864", &a, 1000, &three), 0);
	assert_null(id_of(c, "+862"));
	assert_non_null(id_of(c, "+861"));
	assert_non_null(id_of(c, "+863"));
	assert_non_null(id_of(c, "+864"));
	struct lookup_cache_stats st = stats(c);
	assert_int_equal(st.entries, 3);
	assert_int_equal(st.evicted, 1);
	/* Replacing a number's answer takes no more room. */
	assert_int_equal(lookup_cache_put(c, "+864", &a, 1000, &three), 0);
	assert_int_equal(stats(c).evicted, 1);
	/* An evicted contact's answer is gone from the contact table too. */
	assert_int_equal(lookup_cache_forget_contact(c, "c1"), 3);
	lookup_cache_free(c);
}

static void memory_is_bounded(void **state)
{
	(void)state;
	struct lookup_cache *c = fresh();
	size_t empty = stats(c).bytes;
	char value[201];
	memset(value, 'x', 200);
	value[200] = '\0';
	struct lookup_field f[4] = { { "a", value }, { "b", value }, { "c", value }, { "d", value } };
	struct lookup_answer a = { "c1", "A", NULL, f, 4 };
	/* Room for the tables and a few answers of some 900 bytes. */
	struct lookup_cache_limits lim = { 1000000, empty + 4000 };
	char norm[32];
	for (int i = 0; i < 100; i++) {
		snprintf(norm, sizeof norm, "+86139%08d", i);
		assert_int_equal(lookup_cache_put(c, norm, &a, 1000, &lim), 0);
		assert_true(stats(c).bytes <= lim.max_bytes);
	}
	struct lookup_cache_stats st = stats(c);
	assert_true(st.entries >= 3 && st.entries <= 4);
	assert_int_equal(st.evicted, 100 - st.entries);
	/* The newest are the ones kept. */
	assert_non_null(id_of(c, "+8613900000099"));
	assert_null(id_of(c, "+8613900000000"));
	/* An answer that cannot fit alone is not kept, and takes the
	 * number's old answer with it. */
	struct lookup_cache_limits tiny = { 1000000, empty + 100 };
	assert_int_equal(lookup_cache_put(c, "+8613900000099", &a, 1000, &tiny), E2BIG);
	assert_null(id_of(c, "+8613900000099"));
	lookup_cache_free(c);
}

static void lowered_bounds_trim_at_once(void **state)
{
	(void)state;
	struct lookup_cache *c = fresh();
	char norm[32];
	for (int i = 0; i < 10; i++) {
		snprintf(norm, sizeof norm, "+86139%08d", i);
		put(c, norm, none);
	}
	struct lookup_cache_limits two = { 2, BIG };
	lookup_cache_trim(c, &two);
	assert_int_equal(stats(c).entries, 2);
	assert_non_null(id_of(c, "+8613900000009"));
	assert_non_null(id_of(c, "+8613900000008"));
	/* None at all: nothing is kept. */
	struct lookup_cache_limits off = { 0, BIG };
	struct lookup_answer a = found("c1", "A");
	assert_int_equal(lookup_cache_put(c, "+861", &a, 1000, &off), E2BIG);
	lookup_cache_trim(c, &off);
	assert_int_equal(stats(c).entries, 0);
	lookup_cache_free(c);
}

static void bad_arguments(void **state)
{
	(void)state;
	assert_int_equal(lookup_cache_alloc(NULL), EINVAL);
	struct lookup_cache *c = fresh();
	struct lookup_answer a = found("c1", "A");
	assert_int_equal(lookup_cache_put(c, NULL, &a, 1000, &roomy), EINVAL);
	assert_int_equal(lookup_cache_put(c, "+861", NULL, 1000, &roomy), EINVAL);
	assert_null(lookup_cache_get(c, NULL, 0));
	assert_int_equal(lookup_cache_forget_number(c, NULL), 0);
	assert_int_equal(lookup_cache_forget_contact(c, NULL), 0);
	lookup_cache_free(c);
	lookup_cache_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_miss_then_a_hit_with_a_copy_of_everything),
		cmocka_unit_test(an_unknown_number_is_kept_as_none),
		cmocka_unit_test(an_answer_past_its_time_goes),
		cmocka_unit_test(forgetting_a_number),
		cmocka_unit_test(forgetting_a_contact_takes_every_number_naming_it),
		cmocka_unit_test(forgetting_all),
		cmocka_unit_test(many_answers),
		cmocka_unit_test(the_least_recently_used_goes_first),
		cmocka_unit_test(memory_is_bounded),
		cmocka_unit_test(lowered_bounds_trim_at_once),
		cmocka_unit_test(bad_arguments),
	};
	return cmocka_run_group_tests_name("lookup_cache", tests, NULL, NULL);
}
