/* CSRF: tokens, their checks, the sign-in form's HMAC-bound token, the
 * Origin check, and the dispatcher refusing a POST without a valid token
 * before its handler runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "fcgi-app/auth/auth.h"
#include "fcgi-app/tmpl/tmpl.h"

static void tokens(void **state)
{
	(void)state;
	char a[65], b[65];
	assert_int_equal(csrf_new(a), 0);
	assert_int_equal(csrf_new(b), 0);
	assert_int_equal(strlen(a), 64);
	assert_int_equal(strspn(a, "0123456789abcdef"), 64);
	assert_string_not_equal(a, b);
	assert_true(csrf_check(a, a));
	assert_false(csrf_check(a, b));
	char c[65];
	memcpy(c, a, 65);
	c[63] = c[63] == '0' ? '1' : '0';	/* last character differs */
	assert_false(csrf_check(a, c));
	c[63] = '\0';				/* a prefix */
	assert_false(csrf_check(a, c));
	assert_false(csrf_check(a, NULL));
	assert_false(csrf_check(a, ""));
	assert_false(csrf_check(NULL, a));
	assert_false(csrf_check("", ""));
}

static void login_tokens(void **state)
{
	(void)state;
	unsigned char key[32], other[32];
	memset(key, 'k', sizeof key);
	memset(other, 'o', sizeof other);
	const char *nonce = "00000000000000000000000000000000";
	char t[65];
	csrf_login_token(key, nonce, t);
	/* HMAC-SHA256(key, "login:" nonce), checked against Python's hmac */
	assert_string_equal(t, "a2309dde8915fa21f484afffddd613b32fcda7894cf05f26bead01596970e7db");
	assert_true(csrf_login_check(key, nonce, t));
	assert_false(csrf_login_check(other, nonce, t));
	assert_false(csrf_login_check(key, "00000000000000000000000000000001", t));
	assert_false(csrf_login_check(key, NULL, t));
	assert_false(csrf_login_check(key, "short", t));
	assert_false(csrf_login_check(key, nonce, NULL));
	assert_false(csrf_login_check(key, nonce, nonce));
}

static void origins(void **state)
{
	(void)state;
	struct req r = { 0 };
	r.host = "127.0.0.1:8080";
	r.origin = NULL;
	assert_true(csrf_origin_ok(&r));	/* no Origin: the token decides */
	r.origin = "http://127.0.0.1:8080";
	assert_true(csrf_origin_ok(&r));
	r.origin = "http://evil.example";
	assert_false(csrf_origin_ok(&r));
	r.origin = "http://127.0.0.1:8081";
	assert_false(csrf_origin_ok(&r));
	r.origin = "null";
	assert_false(csrf_origin_ok(&r));
	r.origin = "http://127.0.0.1:8080.evil.example";
	assert_false(csrf_origin_ok(&r));
	/* nginx's stock fastcgi_params drop the port from Host */
	r.host = "cc.example.com";
	r.server_port = "443";
	r.origin = "https://cc.example.com";
	assert_true(csrf_origin_ok(&r));
	r.origin = "https://cc.example.com:8443";
	assert_false(csrf_origin_ok(&r));
	r.origin = "https://CC.EXAMPLE.COM";
	assert_true(csrf_origin_ok(&r));
	r.host = NULL;
	assert_false(csrf_origin_ok(&r));
}

/* Only http or https, and the request's own scheme when nginx names it. */
static void origin_schemes(void **state)
{
	(void)state;
	struct req r = { 0 };
	r.host = "127.0.0.1:8080";
	r.origin = "foo://127.0.0.1:8080";
	assert_false(csrf_origin_ok(&r));
	r.origin = "httpx://127.0.0.1:8080";
	assert_false(csrf_origin_ok(&r));
	r.origin = "://127.0.0.1:8080";
	assert_false(csrf_origin_ok(&r));
	r.origin = "HTTP://127.0.0.1:8080";
	assert_true(csrf_origin_ok(&r));
	r.origin = "https://127.0.0.1:8080";
	assert_true(csrf_origin_ok(&r));	/* scheme unknown: either */
	r.scheme = "http";
	assert_false(csrf_origin_ok(&r));
	r.origin = "http://127.0.0.1:8080";
	assert_true(csrf_origin_ok(&r));
	r.origin = "http://user@127.0.0.1:8080";
	assert_false(csrf_origin_ok(&r));
	r.origin = "http://127.0.0.1:8080/";
	assert_false(csrf_origin_ok(&r));
	r.origin = "http://127.0.0.1:8080x";
	assert_false(csrf_origin_ok(&r));
	r.host = "cc.example.com";
	r.server_port = "443";
	r.scheme = "https";
	r.origin = "https://cc.example.com";
	assert_true(csrf_origin_ok(&r));
	r.origin = "http://cc.example.com:443";
	assert_false(csrf_origin_ok(&r));
	r.origin = "foo://cc.example.com:443";
	assert_false(csrf_origin_ok(&r));
}

/* The dispatcher with a database that cannot be reached: a handler that
 * runs answers 503, a refused request 403. */
static struct web web;
static struct wthread thr;

static int setup(void **state)
{
	(void)state;
	char err[256];
	if (conf_defaults(web_conf_keys, web_conf_nkeys, &web.conf))
		return -1;
	if (tmpl_load(&web.tmpl, "templates", err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	memset(web.login_key, 7, sizeof web.login_key);
	if (throttle_alloc(&web.throttle, 5, 600, 600) || throttle_alloc(&web.throttle_addr, 20, 600, 600) ||
	    nonces_alloc(&web.nonces))
		return -1;
	struct db_conf dc = { .socket = "/nonexistent/cc-test.sock", .user = "x", .name = "x",
			      .timeout_s = 1 };
	if (db_alloc(&thr.db, &dc))
		return -1;
	web.sql.login_user = "SELECT 1";
	thr.web = &web;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_free(thr.db);
	throttle_free(web.throttle);
	throttle_free(web.throttle_addr);
	nonces_free(web.nonces);
	tmpl_free(web.tmpl);
	conf_free(web_conf_keys, web_conf_nkeys, &web.conf);
	return 0;
}

static int post_login(const char *nonce, const char *token, const char *origin)
{
	struct arena *a = arena_new();
	struct req *r = arena_alloc(a, sizeof *r);
	r->a = a;
	r->web = &web;
	r->thr = &thr;
	char cookie[128], origin_env[128];
	snprintf(cookie, sizeof cookie, "HTTP_COOKIE=cc_pre=%s", nonce);
	snprintf(origin_env, sizeof origin_env, "HTTP_ORIGIN=%s", origin ? origin : "");
	char *env[] = { "REQUEST_METHOD=POST", "DOCUMENT_URI=/cc/login", "HTTP_HOST=127.0.0.1:8080",
			"CONTENT_TYPE=application/x-www-form-urlencoded", cookie,
			origin ? origin_env : NULL, NULL };
	char body[256];
	snprintf(body, sizeof body, "username=agent1&password=agent1234%s%s", token ? "&_csrf=" : "",
		 token ? token : "");
	assert_null(req_parse(r, env, body, strlen(body)));
	req_pick_lang(r);
	web_dispatch(r);
	int status = r->resp.status;
	if (status == 403)
		assert_non_null(strstr(r->resp.body.p, "<!DOCTYPE html>"));
	arena_free(a);
	return status;
}

static void dispatcher_refuses(void **state)
{
	(void)state;
	char nonce[33], good[65];
	assert_int_equal(nonce_new(nonce, time(NULL)), 0);
	csrf_login_token(web.login_key, nonce, good);
	assert_int_equal(post_login(nonce, NULL, NULL), 403);
	assert_int_equal(post_login(nonce, "", NULL), 403);
	assert_int_equal(post_login(nonce, "0000", NULL), 403);
	char bad[65];
	memcpy(bad, good, 65);
	bad[0] = bad[0] == 'a' ? 'b' : 'a';
	assert_int_equal(post_login(nonce, bad, NULL), 403);
	assert_int_equal(post_login(nonce, good, "http://evil.example"), 403);
	assert_int_equal(post_login(nonce, good, "foo://127.0.0.1:8080"), 403);
	/* the right token reaches the handler (which finds no database) */
	assert_int_equal(post_login(nonce, good, "http://127.0.0.1:8080"), 503);
	/* once: the same nonce and token are refused the second time */
	assert_int_equal(post_login(nonce, good, "http://127.0.0.1:8080"), 403);
	assert_int_equal(post_login(nonce, good, NULL), 403);
	assert_int_equal(nonce_new(nonce, time(NULL)), 0);
	csrf_login_token(web.login_key, nonce, good);
	assert_int_equal(post_login(nonce, good, NULL), 503);
	/* a well-formed nonce of the past (its token is right) is refused */
	const char *old = "0123456789abcdef0123456789abcdef";
	csrf_login_token(web.login_key, old, good);
	assert_int_equal(post_login(old, good, NULL), 403);
}

/* Nonces: dated, used once, bounded memory that never forgets one too
 * early. */
static void nonces(void **state)
{
	(void)state;
	struct nonces *s;
	assert_int_equal(nonces_alloc(&s), 0);
	time_t now = 1800000000;
	char a[33], b[33];
	assert_int_equal(nonce_new(a, now), 0);
	assert_int_equal(nonce_new(b, now), 0);
	assert_int_equal(strlen(a), 32);
	assert_string_not_equal(a, b);
	assert_true(nonce_fresh(s, a, now));
	assert_true(nonce_use(s, a, now + 10));
	assert_false(nonce_fresh(s, a, now + 10));
	assert_false(nonce_use(s, a, now + 10));
	char upper[33];
	for (int i = 0; i < 33; i++)
		upper[i] = (char)toupper((unsigned char)a[i]);
	assert_false(nonce_use(s, upper, now + 10));	/* the same nonce */
	assert_true(nonce_use(s, b, now + 10));
	/* too old, from the future, malformed */
	assert_int_equal(nonce_new(a, now - NONCE_TTL_S), 0);
	assert_false(nonce_use(s, a, now));
	assert_int_equal(nonce_new(a, now + 3600), 0);
	assert_false(nonce_use(s, a, now));
	assert_false(nonce_use(s, "short", now));
	assert_false(nonce_use(s, NULL, now));
	assert_false(nonce_use(s, "zz23456789abcdef0123456789abcdef", now));
	/* filling the memory: what is forgotten is refused by the floor */
	char first[33];
	assert_int_equal(nonce_new(first, now + 20), 0);
	assert_true(nonce_use(s, first, now + 20));
	for (int i = 0; i < 9000; i++) {
		char n[33];
		assert_int_equal(nonce_new(n, now + 21 + i / 1000), 0);
		if (!nonce_use(s, n, now + 30))
			fail_msg("nonce %d refused", i);
		if (i == 8999)
			assert_false(nonce_use(s, n, now + 30));
	}
	assert_false(nonce_use(s, first, now + 30));
	assert_false(nonce_use(s, b, now + 30));
	char later[33];
	assert_int_equal(nonce_new(later, now + 40), 0);
	assert_true(nonce_use(s, later, now + 40));
	nonces_free(s);
}

static void dispatcher_needs_session(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct req *r = arena_alloc(a, sizeof *r);
	r->a = a;
	r->web = &web;
	r->thr = &thr;
	char *env[] = { "REQUEST_METHOD=POST", "DOCUMENT_URI=/cc/api/agent/state",
			"CONTENT_TYPE=application/json", NULL };
	assert_null(req_parse(r, env, "{\"state\":\"ready\"}", 17));
	req_pick_lang(r);
	web_dispatch(r);
	assert_int_equal(r->resp.status, 401);
	assert_non_null(strstr(r->resp.body.p, "\"unauthorized\""));
	json_decref(r->json);
	arena_free(a);

	a = arena_new();
	r = arena_alloc(a, sizeof *r);
	r->a = a;
	r->web = &web;
	r->thr = &thr;
	char *env2[] = { "REQUEST_METHOD=GET", "DOCUMENT_URI=/cc/workbench", NULL };
	assert_null(req_parse(r, env2, NULL, 0));
	req_pick_lang(r);
	web_dispatch(r);
	assert_int_equal(r->resp.status, 303);
	assert_string_equal(kv_get(&r->resp.headers, "Location"), "/cc/login");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tokens),
		cmocka_unit_test(login_tokens),
		cmocka_unit_test(origins),
		cmocka_unit_test(origin_schemes),
		cmocka_unit_test(dispatcher_refuses),
		cmocka_unit_test(nonces),
		cmocka_unit_test(dispatcher_needs_session),
	};
	return cmocka_run_group_tests_name("web_csrf", tests, setup, teardown);
}
