/* Templates: every page rendered from a data document full of hostile
 * strings, in both languages. The output must be HTML5 with the doctype,
 * parse back to the same text (escaped by construction, never markup), and
 * hold no script but the page's own (and the shared cc.js before it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include "fcgi-app/tmpl/tmpl.h"
#include "fcgi-app/tmpl/page.h"
#include "web_html.h"

#define EVIL "<script>alert(\"x\")</script>'\"&amp;<b>"
#define EVIL_ATTR "\"' onmouseover=\"alert(1)\" x='<>"

static struct tmpl *t;

static int setup(void **state)
{
	(void)state;
	char err[512];
	if (tmpl_load(&t, "templates", err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tmpl_free(t);
	return 0;
}

/* Renders, checks the invariants, returns the parsed page (caller frees). */
static htmlDocPtr render(const char *name, xmlDoc *doc, const char *lang, int scripts, char **htmlp)
{
	size_t len = 0;
	char *html = tmpl_render(t, name, doc, lang, &len);
	assert_non_null(html);
	assert_int_equal(strlen(html), len);
	assert_memory_equal(html, "<!DOCTYPE html>\n", 16);
	assert_null(strstr(html, "<script>alert"));
	assert_null(strstr(html, "<b>"));
	/* Attribute values come out quoted so that they parse back whole
	 * (libxml2 picks the quote, escaping when both kinds occur): the DOM
	 * checks below decide, not the text. */
	htmlDocPtr h = htmlReadMemory(html, (int)len, NULL, "UTF-8",
				      HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	assert_non_null(h);
	xmlXPathContextPtr x = xmlXPathNewContext(h);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)"count(//script)", x);
	if ((int)o->floatval != scripts)
		fail_msg("%s: %d script elements, want %d", name, (int)o->floatval, scripts);
	xmlXPathFreeObject(o);
	o = xmlXPathEvalExpression((const xmlChar *)"count(//*[@onmouseover or @onclick or @onerror])", x);
	assert_int_equal((int)o->floatval, 0);
	xmlXPathFreeObject(o);
	o = xmlXPathEvalExpression((const xmlChar *)"string(/html/@lang)", x);
	assert_string_equal((const char *)o->stringval, lang);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(x);
	if (htmlp)
		*htmlp = html;
	else
		free(html);
	return h;
}

static struct req *fake_req(struct arena *a, const char *lang, bool signed_in)
{
	struct req *r = arena_alloc(a, sizeof *r);
	r->a = a;
	r->lang = lang;
	r->path = "/cc/x";
	if (signed_in) {
		struct session *s = arena_alloc(a, sizeof *s);
		s->user_id = "u1";
		s->username = EVIL;
		s->name = EVIL;
		s->agent = s->admin = true;
		strcpy(s->csrf, "c0ffee");
		r->sess = s;
	}
	return r;
}

static void login_page(void **state)
{
	(void)state;
	const char *langs[] = { "zh-CN", "en" };
	const char *wrong[] = { "用户名或密码错误", "Wrong username or password" };
	for (int i = 0; i < 2; i++) {
		struct arena *a = arena_new();
		xmlDoc *doc;
		xmlNode *root = page_begin(fake_req(a, langs[i], false), "login", &doc);
		xd_attr(root, "csrf", EVIL_ATTR);
		xmlNode *f = xd_el(root, "login");
		xd_attr(f, "username", EVIL_ATTR);
		xd_attr(f, "error", "login.wrong");
		htmlDocPtr h = render("login", doc, langs[i], 0, NULL);
		expect_xp(h, "string(//input[@id='username']/@value)", EVIL_ATTR);
		expect_xp(h, "string(//input[@name='_csrf']/@value)", EVIL_ATTR);
		expect_xp(h, "normalize-space(//*[@id='login-error'])", wrong[i]);
		expect_xp(h, "string(//form[@id='login-form']/@method)", "post");
		xmlFreeDoc(h);
		xmlFreeDoc(doc);
		arena_free(a);
	}
}

static void workbench_page(void **state)
{
	(void)state;
	const char *langs[] = { "zh-CN", "en" };
	const char *signin[] = { "签入", "Sign in" };
	for (int i = 0; i < 2; i++) {
		struct arena *a = arena_new();
		xmlDoc *doc;
		xmlNode *root = page_begin(fake_req(a, langs[i], true), "workbench", &doc);
		xmlNode *wb = xd_el(root, "workbench");
		xd_attr(wb, "b2bua", "down");
		xmlNode *ag = xd_el(wb, "agent");
		xd_attr(ag, "name", EVIL);
		xd_attr(ag, "state", "not_ready");
		xd_attr(ag, "reason", "meal");
		xd_attr(ag, "registered", "1");
		xmlNode *sip = xd_el(wb, "sip");
		xd_attr(sip, "user", EVIL);
		xd_attr(sip, "domain", "cc.local");
		xmlNode *rs = xd_el(wb, "reasons");
		xd_attr(xd_el(rs, "reason"), "code", "meal");
		xmlNode *form = xd_el(wb, "form");
		xmlNode *f = xd_el(form, "field");
		xd_attr(f, "column", "name");
		xd_attr(f, "type", "text");
		xd_attr(f, "max", "255");
		xd_attr(f, "required", "1");
		xd_attr(f, "label", EVIL);
		f = xd_el(form, "field");
		xd_attr(f, "column", "gender");
		xd_attr(f, "type", "choice");
		xmlNode *c = xd_el(f, "choice");
		xd_attr(c, "value", EVIL_ATTR);
		xd_attr(c, "label", EVIL);
		f = xd_el(form, "field");
		xd_attr(f, "column", "memo");
		xd_attr(f, "type", "textarea");
		xmlNode *calls = xd_el(wb, "calls");
		xmlNode *call = xd_el(calls, "call");
		xd_attr(call, "caller", EVIL);
		xd_attr(call, "direction", "inbound");
		xd_attr(call, "result", "answered");
		xd_attr(call, "duration", "75");
		const char *keys[] = { "state.ready", "wb.ringing" };
		page_strings(root, keys, 2);
		htmlDocPtr h = render("workbench", doc, langs[i], 4, NULL);
		expect_xp(h, "string(//h1[@id='agent-name'])", EVIL);
		expect_xp(h, "normalize-space(//*[@id='btn-signin'])", signin[i]);
		expect_xp(h, "string(//label[@for='f-name'])", EVIL "*");
		expect_xp(h, "string(//select[@name='gender']/option[2]/@value)", EVIL_ATTR);
		expect_xp(h, "string(//select[@name='gender']/option[2])", EVIL);
		expect_xp(h, "string(count(//textarea[@name='memo']))", "1");
		expect_xp(h, "string(//*[@id='my-calls']//td[3])", EVIL);
		expect_xp(h, "string(//*[@id='my-calls']//td[6])", "1:15");
		expect_xp(h, "string(//*[@id='state']/@data-state)", "not_ready");
		expect_xp(h, "string(//meta[@name='csrf-token']/@content)", "c0ffee");
		expect_xp(h, "string(//*[@id='whoami'])", "<" EVIL);	/* avatar letter + name */
		/* the B2BUA is down: the warning shows */
		expect_xp(h, "string(count(//*[@id='b2bua-status'][@hidden]))", "0");
		expect_xp(h, "string(//script[1]/@src)", "/cc/static/cc.js");
		expect_xp(h, "string(//script[2]/@src)", "/cc/static/workbench.js");
		/* click-to-dial: its box and script */
		expect_xp(h, "string(//script[3]/@src)", "/cc/static/dial.js");
		expect_xp(h, "normalize-space(//*[@id='btn-dial'])", i ? "Call" : "拨打");
		char *pop_call = xp(h, "string(//*[@id='pop']/@data-call-id)");
		assert_string_equal(pop_call, "");
		free(pop_call);
		xmlFreeDoc(h);
		xmlFreeDoc(doc);
		arena_free(a);
	}
}

static void admin_page(void **state)
{
	(void)state;
	const char *langs[] = { "zh-CN", "en" };
	for (int i = 0; i < 2; i++) {
		struct arena *a = arena_new();
		xmlDoc *doc;
		xmlNode *root = page_begin(fake_req(a, langs[i], true), "admin", &doc);
		xmlNode *ad = xd_el(root, "admin");
		xd_attr(ad, "b2bua", "up");
		xmlNode *ag = xd_el(xd_el(ad, "agents"), "agent");
		xd_attr(ag, "id", EVIL_ATTR);
		xd_attr(ag, "name", EVIL);
		xd_attr(ag, "state", "ready");
		xmlNode *q = xd_el(xd_el(ad, "queues"), "queue");
		xd_attr(q, "name", EVIL);
		xd_attr(q, "waiting", "3");
		xd_attr(q, "oldest", "5");
		xmlNode *c = xd_el(xd_el(ad, "calls"), "call");
		xd_attr(c, "caller", EVIL);
		xd_attr(c, "agent", EVIL);
		xd_attr(c, "direction", "inbound");
		htmlDocPtr h = render("admin", doc, langs[i], 2, NULL);
		expect_xp(h, "string(//*[@id='agents']//tbody/tr/@data-agent-id)", EVIL_ATTR);
		expect_xp(h, "string(//*[@id='agents']//tbody/tr/td[1])", EVIL);
		expect_xp(h, "string(//*[@id='queues']//tbody/tr/td[1])", EVIL);
		expect_xp(h, "string(//*[@id='calls']//tbody/tr/td[3])", EVIL);
		expect_xp(h, "string(//*[@id='stat-waiting'])", "3");
		expect_xp(h, "string(//*[@id='stat-ready'])", "1");
		expect_xp(h, "string(count(//*[@id='b2bua-status'][@hidden]))", "1");
		xmlFreeDoc(h);
		xmlFreeDoc(doc);
		arena_free(a);
	}
}

static void error_page(void **state)
{
	(void)state;
	const char *langs[] = { "zh-CN", "en" };
	const char *title[] = { "页面不存在", "Not found" };
	for (int i = 0; i < 2; i++) {
		struct arena *a = arena_new();
		xmlDoc *doc;
		xmlNode *root = page_begin(fake_req(a, langs[i], false), "error", &doc);
		xmlNode *e = xd_el(root, "error");
		xd_attr(e, "status", "404");
		xd_attr(e, "title", "err.not_found.title");
		xd_attr(e, "message", "err.not_found");
		htmlDocPtr h = render("error", doc, langs[i], 0, NULL);
		expect_xp(h, "string(//h1[@id='error-title'])", title[i]);
		expect_xp(h, "string(//*[@data-status]/@data-status)", "404");
		xmlFreeDoc(h);
		xmlFreeDoc(doc);
		arena_free(a);
	}
}

static void catalogue(void **state)
{
	(void)state;
	assert_string_equal(tmpl_t(t, "zh-CN", "wb.signin"), "签入");
	assert_string_equal(tmpl_t(t, "en", "wb.signin"), "Sign in");
	assert_string_equal(tmpl_t(t, "fr", "wb.signin"), "签入");	/* default language */
	assert_string_equal(tmpl_t(t, "en", "no.such.key"), "no.such.key");
	assert_null(tmpl_render(t, "nonexistent", NULL, "en", NULL));
}

static void cleaning(void **state)
{
	(void)state;
	char *c = xd_clean("ok\x01\x7f\tline\nend\xff\xc3(");
	assert_string_equal(c, "ok\tline\nend\xef\xbf\xbd\xef\xbf\xbd(");
	free(c);
	c = xd_clean("\xed\xa0\x80");	/* a surrogate is not UTF-8 */
	assert_string_equal(c, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	free(c);
	assert_null(xd_clean(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(login_page),
		cmocka_unit_test(workbench_page),
		cmocka_unit_test(admin_page),
		cmocka_unit_test(error_page),
		cmocka_unit_test(catalogue),
		cmocka_unit_test(cleaning),
	};
	return cmocka_run_group_tests_name("web_tmpl", tests, setup, teardown);
}
