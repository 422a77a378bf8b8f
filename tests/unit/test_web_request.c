/* Reading requests: percent-decoding, forms and queries (malformed escapes
 * included), cookies, bodies (form, JSON, wrong types, oversized). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "fcgi-app/route.h"

#include "fcgi-app/web.h"

static struct arena *a;

static void decoding(void **state)
{
	(void)state;
	assert_string_equal(url_decode(a, "a%20b+c", 7, true), "a b c");
	assert_string_equal(url_decode(a, "a%20b+c", 7, false), "a b+c");
	assert_string_equal(url_decode(a, "%E5%BC%A0%e4%b8%89", 18, true), "张三");
	/* malformed: short, not hex, NUL */
	assert_null(url_decode(a, "%", 1, true));
	assert_null(url_decode(a, "%2", 2, true));
	assert_null(url_decode(a, "ab%zz", 5, true));
	assert_null(url_decode(a, "%g0", 3, true));
	assert_null(url_decode(a, "a%00b", 5, true));
	/* the length bounds what is read */
	assert_string_equal(url_decode(a, "abc%41", 3, true), "abc");
	assert_null(url_decode(a, "abc%41", 5, true));
}

static void forms(void **state)
{
	(void)state;
	struct kvlist l = { 0 };
	const char *q = "a=1&b=&c&&d=x%26y%3Dz&a=2&e=%E4%B8%AD+%E6%96%87";
	assert_int_equal(url_parse_form(a, q, strlen(q), &l), 0);
	assert_string_equal(kv_get(&l, "a"), "1");
	assert_string_equal(kv_get(&l, "b"), "");
	assert_string_equal(kv_get(&l, "c"), "");
	assert_string_equal(kv_get(&l, "d"), "x&y=z");
	assert_string_equal(kv_get(&l, "e"), "中 文");
	assert_null(kv_get(&l, "f"));
	assert_int_equal(l.n, 6);
	struct kvlist bad = { 0 };
	assert_int_equal(url_parse_form(a, "a=%zz", 5, &bad), -1);
	struct kvlist bad2 = { 0 };
	assert_int_equal(url_parse_form(a, "a%=1", 4, &bad2), -1);
	struct kvlist empty = { 0 };
	assert_int_equal(url_parse_form(a, "", 0, &empty), 0);
	assert_int_equal(empty.n, 0);
	assert_string_equal(url_encode(a, "a b&c/张"), "a%20b%26c%2F%E5%BC%A0");
}

static void cookies(void **state)
{
	(void)state;
	struct kvlist l = { 0 };
	assert_int_equal(cookie_parse(a, "cc_session=abc; cc_lang=en;x=\"q\" ; bad name=1; =v; n2=", &l), 0);
	assert_string_equal(kv_get(&l, "cc_session"), "abc");
	assert_string_equal(kv_get(&l, "cc_lang"), "en");
	assert_string_equal(kv_get(&l, "x"), "q");
	assert_string_equal(kv_get(&l, "n2"), "");
	assert_null(kv_get(&l, "bad name"));
	assert_null(kv_get(&l, ""));
	struct kvlist none = { 0 };
	assert_int_equal(cookie_parse(a, NULL, &none), 0);
	assert_int_equal(none.n, 0);
}

static struct req *new_req(void)
{
	struct req *r = arena_alloc(a, sizeof *r);
	r->a = a;
	return r;
}

static void bodies(void **state)
{
	(void)state;
	char *env_form[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/cc/login?x=1",
			     "CONTENT_TYPE=application/x-www-form-urlencoded; charset=UTF-8",
			     "HTTP_COOKIE=cc_pre=n1", "HTTP_X_CSRF_TOKEN=tok", NULL };
	struct req *r = new_req();
	const char *body = "username=agent1&password=p%40ss";
	assert_null(req_parse(r, env_form, body, strlen(body)));
	assert_string_equal(r->method, "POST");
	assert_string_equal(r->path, "/cc/login");
	assert_string_equal(req_query(r, "x"), "1");
	assert_string_equal(req_param(r, "username"), "agent1");
	assert_string_equal(req_param(r, "password"), "p@ss");
	assert_string_equal(req_cookie(r, "cc_pre"), "n1");
	assert_string_equal(r->csrf_header, "tok");

	char *env_json[] = { "REQUEST_METHOD=POST", "DOCUMENT_URI=/cc/api/agent/state",
			     "CONTENT_TYPE=application/json", NULL };
	r = new_req();
	const char *js = "{\"state\":\"not_ready\",\"reason\":\"meal\",\"n\":7,\"o\":{}}";
	assert_null(req_parse(r, env_json, js, strlen(js)));
	assert_string_equal(req_param(r, "state"), "not_ready");
	assert_string_equal(req_param(r, "n"), "7");
	assert_null(req_param(r, "o"));
	json_decref(r->json);

	/* malformed JSON, a JSON array, duplicate keys, an unknown type */
	r = new_req();
	assert_string_equal(req_parse(r, env_json, "{\"a\":", 5), "bad_request");
	r = new_req();
	assert_string_equal(req_parse(r, env_json, "[1]", 3), "bad_request");
	r = new_req();
	assert_string_equal(req_parse(r, env_json, "{\"a\":1,\"a\":2}", 13), "bad_request");
	char *env_xml[] = { "REQUEST_METHOD=POST", "DOCUMENT_URI=/cc/login",
			    "CONTENT_TYPE=text/xml", NULL };
	r = new_req();
	assert_string_equal(req_parse(r, env_xml, "<a/>", 4), "unsupported_media");
	/* malformed percent-encoding in the body or the query */
	r = new_req();
	assert_string_equal(req_parse(r, env_form, "a=%G1", 5), "bad_request");
	char *env_badq[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/cc/?a=%", "QUERY_STRING=a=%", NULL };
	r = new_req();
	assert_string_equal(req_parse(r, env_badq, NULL, 0), "bad_request");
	/* no method, a path that is not absolute */
	char *env_nomethod[] = { "REQUEST_URI=/cc/", NULL };
	r = new_req();
	assert_string_equal(req_parse(r, env_nomethod, NULL, 0), "bad_request");
	char *env_rel[] = { "REQUEST_METHOD=GET", "REQUEST_URI=cc/", NULL };
	r = new_req();
	assert_string_equal(req_parse(r, env_rel, NULL, 0), "bad_request");
}

static void body_limits(void **state)
{
	(void)state;
	size_t n;
	assert_null(req_body_size(NULL, 1024, &n));
	assert_int_equal(n, 0);
	assert_null(req_body_size("1024", 1024, &n));
	assert_int_equal(n, 1024);
	assert_string_equal(req_body_size("1025", 1024, &n), "too_large");
	assert_string_equal(req_body_size("99999999999999999999999", 1024, &n), "bad_request");
	assert_string_equal(req_body_size("-1", 1024, &n), "bad_request");
	assert_string_equal(req_body_size("12x", 1024, &n), "bad_request");
	assert_int_equal(reason_status("too_large"), 413);
	assert_int_equal(reason_status("csrf"), 403);
	assert_int_equal(reason_status("no such reason"), 500);
}

static void languages(void **state)
{
	(void)state;
	char *env[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/cc/login?lang=en", NULL };
	struct req *r = new_req();
	assert_null(req_parse(r, env, NULL, 0));
	req_pick_lang(r);
	assert_string_equal(r->lang, "en");
	assert_int_equal(r->resp.headers.n, 1);	/* remembered in a cookie */
	assert_non_null(strstr(r->resp.headers.v[0].v, "cc_lang=en"));
	char *env2[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/cc/login?lang=fr",
			 "HTTP_COOKIE=cc_lang=en", NULL };
	r = new_req();
	assert_null(req_parse(r, env2, NULL, 0));
	req_pick_lang(r);
	assert_string_equal(r->lang, "en");
	char *env3[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/cc/", "HTTP_COOKIE=cc_lang=../x", NULL };
	r = new_req();
	assert_null(req_parse(r, env3, NULL, 0));
	req_pick_lang(r);
	assert_string_equal(r->lang, "zh-CN");
}

/* The error of a request parsed (or refused) before any route took it. */
static const char *error_of(const char *method, const char *path, const char *ctype,
			    const char *body, const char *why)
{
	struct req *r = new_req();
	char m[32], p[256], c[128];
	snprintf(m, sizeof m, "REQUEST_METHOD=%s", method);
	snprintf(p, sizeof p, "DOCUMENT_URI=%s", path);
	snprintf(c, sizeof c, "CONTENT_TYPE=%s", ctype ? ctype : "");
	char *env[] = { m, p, c, NULL };
	const char *parsed = req_parse(r, env, body, body ? strlen(body) : 0);
	req_pick_lang(r);
	if (why) {
		web_error(r, why);
	} else if (parsed) {
		web_error(r, parsed);
	} else {
		web_dispatch(r);
	}
	json_decref(r->json);
	return arena_printf(a, "%d %s %s", r->resp.status, r->resp.ctype,
			    r->resp.body.p ? r->resp.body.p : "");
}

static void json_routes_answer_json(void **state)
{
	(void)state;
	const char *j = "application/json; charset=utf-8";
	const char *e = error_of("POST", "/cc/api/agent/state", "application/json", "{bad", NULL);
	assert_non_null(strstr(e, "400 "));
	assert_non_null(strstr(e, j));
	assert_non_null(strstr(e, "\"ok\":false"));
	assert_non_null(strstr(e, "\"error\":\"bad_request\""));
	e = error_of("POST", "/cc/api/contacts/save", "text/plain", "x", NULL);
	assert_non_null(strstr(e, "415 "));
	assert_non_null(strstr(e, "\"error\":\"unsupported_media\""));
	e = error_of("POST", "/cc/api/admin/agents", "application/json", NULL, "too_large");
	assert_non_null(strstr(e, "413 "));
	assert_non_null(strstr(e, "\"error\":\"too_large\""));
	/* an id that is no id: the route is not taken, the answer is JSON */
	e = error_of("GET", "/cc/api/contacts/a b", NULL, NULL, NULL);
	assert_non_null(strstr(e, "404 "));
	assert_non_null(strstr(e, j));
	assert_non_null(strstr(e, "\"error\":\"not_found\""));
	char longid[200];
	snprintf(longid, sizeof longid, "/cc/api/admin/agents/%0100d", 7);
	e = error_of("GET", longid, NULL, NULL, NULL);
	assert_non_null(strstr(e, "404 "));
	assert_non_null(strstr(e, "\"ok\":false"));
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
		cmocka_unit_test(decoding),
		cmocka_unit_test(forms),
		cmocka_unit_test(cookies),
		cmocka_unit_test(bodies),
		cmocka_unit_test(body_limits),
		cmocka_unit_test(languages),
		cmocka_unit_test(json_routes_answer_json),
	};
	return cmocka_run_group_tests_name("web_request", tests, setup, teardown);
}
