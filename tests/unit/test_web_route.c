/* The web app's route table: patterns with {id}, methods, access levels,
 * and that every POST route demands a CSRF token. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fcgi-app/route.h"

static struct arena *a;

static const struct route *match(const char *m, const char *p, const char **id, bool *wrong)
{
	return route_match(m, p, a, id, wrong);
}

static void literal_paths(void **state)
{
	(void)state;
	const char *id;
	bool wrong;
	const struct route *r = match("GET", "/cc/workbench", &id, &wrong);
	assert_non_null(r);
	assert_ptr_equal(r->handler, workbench_get);
	assert_null(id);
	assert_non_null(match("GET", "/cc/", &id, &wrong));
	assert_ptr_equal(match("GET", "/cc/", &id, &wrong)->handler, home_get);
	/* near misses */
	assert_null(match("GET", "/cc/workbench/", &id, &wrong));
	assert_false(wrong);
	assert_null(match("GET", "/cc/workbenchx", &id, &wrong));
	assert_null(match("GET", "/cc", &id, &wrong));
	assert_null(match("GET", "/cc/WORKBENCH", &id, &wrong));
	assert_null(match("GET", "", &id, &wrong));
	assert_null(match(NULL, "/cc/", &id, &wrong));
}

static void id_segments(void **state)
{
	(void)state;
	const char *id;
	bool wrong;
	const struct route *r = match("GET", "/cc/api/contacts/0c000000000000000000000000000001", &id,
				      &wrong);
	assert_non_null(r);
	assert_ptr_equal(r->handler, contact_get);
	assert_string_equal(id, "0c000000000000000000000000000001");
	/* ids are [A-Za-z0-9_-]{1,64} */
	assert_null(match("GET", "/cc/api/contacts/", &id, &wrong));
	assert_null(match("GET", "/cc/api/contacts/a b", &id, &wrong));
	assert_null(match("GET", "/cc/api/contacts/..", &id, &wrong));
	assert_null(match("GET", "/cc/api/contacts/a/b", &id, &wrong));
	assert_null(match("GET", "/cc/api/contacts/%27", &id, &wrong));
	char longid[80];
	memset(longid, 'a', 65);
	longid[65] = '\0';
	char path[120];
	snprintf(path, sizeof path, "/cc/api/contacts/%s", longid);
	assert_null(match("GET", path, &id, &wrong));
	longid[64] = '\0';
	snprintf(path, sizeof path, "/cc/api/contacts/%s", longid);
	assert_non_null(match("GET", path, &id, &wrong));
}

static void methods(void **state)
{
	(void)state;
	const char *id;
	bool wrong;
	/* the same path, two methods, two handlers */
	assert_ptr_equal(match("GET", "/cc/login", &id, &wrong)->handler, login_get);
	assert_ptr_equal(match("POST", "/cc/login", &id, &wrong)->handler, login_post);
	/* a known path with another method */
	assert_null(match("DELETE", "/cc/login", &id, &wrong));
	assert_true(wrong);
	assert_null(match("GET", "/cc/logout", &id, &wrong));
	assert_true(wrong);
	assert_null(match("POST", "/cc/workbench", &id, &wrong));
	assert_true(wrong);
	/* "save" is not an id for POST, and GET …/save is a contact id */
	assert_ptr_equal(match("POST", "/cc/api/contacts/save", &id, &wrong)->handler,
			 contact_save_post);
	assert_ptr_equal(match("GET", "/cc/api/contacts/save", &id, &wrong)->handler, contact_get);
	/* HEAD is served as GET */
	assert_ptr_equal(match("HEAD", "/cc/health", &id, &wrong)->handler, health_get);
	/* an unknown path is not a wrong method */
	assert_null(match("GET", "/cc/nothing", &id, &wrong));
	assert_false(wrong);
}

static void access_levels(void **state)
{
	(void)state;
	const char *id;
	bool wrong;
	struct session agent = { .agent = true }, admin = { .admin = true }, both = { .agent = true,
									   .admin = true },
		       none = { 0 };
	const struct route *wb = match("GET", "/cc/workbench", &id, &wrong);
	const struct route *ad = match("GET", "/cc/admin", &id, &wrong);
	const struct route *ev = match("GET", "/cc/events", &id, &wrong);
	const struct route *st = match("POST", "/cc/api/agent/state", &id, &wrong);
	const struct route *he = match("GET", "/cc/health", &id, &wrong);
	const struct route *ct = match("GET", "/cc/api/contacts/x", &id, &wrong);
	assert_true(route_allows(wb, &agent));
	assert_false(route_allows(wb, &admin));
	assert_false(route_allows(wb, &none));
	assert_false(route_allows(wb, NULL));
	assert_true(route_allows(ad, &admin));
	assert_false(route_allows(ad, &agent));
	assert_true(route_allows(ad, &both));
	assert_true(route_allows(wb, &both));
	assert_true(route_allows(ev, &none));
	assert_false(route_allows(ev, NULL));
	assert_false(route_allows(st, &admin));
	assert_true(route_allows(st, &agent));
	assert_false(route_allows(ct, &admin));
	assert_true(route_allows(he, NULL));
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Every page and API of the admin console, whichever feature adds it, is
 * for admins alone, or (外呼系统) admins and the outbound system's
 * holders: an agent's session is refused by the route itself. */
static void every_admin_route_is_for_admins(void **state)
{
	(void)state;
	struct session agent = { .agent = true }, admin = { .admin = true };
	struct session outbound = { .agent = true, .outbound = true };
	size_t n = 0, tasks = 0;
	for (size_t i = 0; i < web_nroutes; i++) {
		const struct route *r = &web_routes[i];
		if (!starts(r->pattern, "/cc/admin") && !starts(r->pattern, "/cc/api/admin"))
			continue;
		n++;
		if (r->access == ACC_OUTBOUND) {
			tasks++;
			if (!starts(r->pattern, "/cc/admin/tasks") &&
			    !starts(r->pattern, "/cc/api/admin/tasks"))
				fail_msg("%s %s is open to the outbound system's holders", r->method,
					 r->pattern);
			if (route_allows(r, &agent) || !route_allows(r, &admin) ||
			    !route_allows(r, &outbound))
				fail_msg("%s %s is not for admins and outbound holders", r->method,
					 r->pattern);
			continue;
		}
		if (r->access != ACC_ADMIN || route_allows(r, &agent) || !route_allows(r, &admin) ||
		    route_allows(r, &outbound))
			fail_msg("%s %s is not for admins alone", r->method, r->pattern);
	}
	assert_true(tasks >= 13);
	/* the overview, its API and a resource's eleven routes at least */
	assert_true(n >= 13);
}

static void every_post_has_csrf(void **state)
{
	(void)state;
	size_t posts = 0;
	for (size_t i = 0; i < web_nroutes; i++) {
		if (strcmp(web_routes[i].method, "POST"))
			continue;
		posts++;
		if (!web_routes[i].csrf)
			fail_msg("POST %s has no CSRF check", web_routes[i].pattern);
	}
	assert_true(posts >= 4);
	for (size_t i = 0; i < web_nroutes; i++)
		assert_int_equal(web_routes[i].pattern[0], '/');
}

/* Errors of requests no route took are shown as the route they aim at
 * would show them: JSON routes answer JSON. */
static void error_kinds(void **state)
{
	(void)state;
	assert_int_equal(route_error_kind("POST", "/cc/api/agent/state"), RK_JSON);
	assert_int_equal(route_error_kind("GET", "/cc/api/contacts/a b"), RK_JSON);
	assert_int_equal(route_error_kind("GET", "/cc/api/contacts/x.y"), RK_JSON);
	assert_int_equal(route_error_kind("GET", "/cc/api/admin/agents/%%/enabled"), RK_JSON);
	assert_int_equal(route_error_kind("GET", "/cc/api/nothing/here"), RK_JSON);
	assert_int_equal(route_error_kind("GET", "/cc/events"), RK_SSE);
	assert_int_equal(route_error_kind("POST", "/cc/login"), RK_PAGE);
	assert_int_equal(route_error_kind("GET", "/cc/admin/agents/a b"), RK_PAGE);
	assert_int_equal(route_error_kind("GET", "/cc/nothing"), RK_PAGE);
	assert_int_equal(route_error_kind("GET", "/cc/admin/audio/x y/play"), RK_TEXT);
	assert_int_equal(route_error_kind(NULL, NULL), RK_PAGE);
	/* a page and its JSON twin share a handler, not a kind */
	assert_int_equal(route_error_kind("GET", "/cc/admin/audit"), RK_PAGE);
	assert_int_equal(route_error_kind("GET", "/cc/api/admin/audit"), RK_JSON);
}

static int setup(void **state)
{
	(void)state;
	a = arena_new();
	return a ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(a);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(literal_paths),
		cmocka_unit_test(id_segments),
		cmocka_unit_test(methods),
		cmocka_unit_test(access_levels),
		cmocka_unit_test(every_post_has_csrf),
		cmocka_unit_test(every_admin_route_is_for_admins),
		cmocka_unit_test(error_kinds),
	};
	return cmocka_run_group_tests_name("web_route", tests, setup, teardown);
}
