/* Admin resources (fcgi-app/resource/): the SQL text a description gives
 * (every identifier from the description, every value a parameter, nothing
 * from the request), the list's parameters from hostile query strings, each
 * type's checks and bounds with their messages, the description checks,
 * the routes each resource gets, a row as JSON, and the list and form data
 * documents rendered by list.xsl and form.xsl with hostile strings; phones
 * as typed and as stored, references into the host bound from a manifest,
 * links (SQL, JSON, the form's sections), users that keep a row from being
 * deleted, cross-field rules, and the audit log page (audit.xsl). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi-app/resource/resource.h"
#include "fcgi-app/tmpl/page.h"
#include "manifest.h"
#include "web_html.h"

#define EVIL "<script>alert(\"x\")</script>'\"&amp;<b>"

/* A resource with every type, for the checks. */
static const struct res_choice kinds[] = {
	{ "prompt", "t.kind.prompt" },
	{ "music", "t.kind.music" },
};
static const struct res_col tcols[] = {
	{ .name = "label", .type = RES_TEXT, .label = "t.label", .max = 4, .required = true,
	  .show = RES_LIST | RES_SEARCH | RES_SORT },
	{ .name = "code", .type = RES_TEXT, .label = "t.code", .max = 8, .chars = "0123456789",
	  .show = RES_LIST },
	{ .name = "ring_s", .type = RES_INT, .label = "t.ring", .min = 5, .max_int = 60,
	  .required = true, .show = RES_LIST | RES_SORT },
	{ .name = "kind", .type = RES_CHOICE, .label = "t.kind", RES_CHOICES(kinds),
	  .show = RES_LIST },
	{ .name = "on", .type = RES_BOOL, .label = "t.on", .def = "1", .show = RES_LIST },
	{ .name = "group_id", .type = RES_REF, .label = "t.group", .required = true,
	  .ref = { "cc_skill_group", "id", "name" }, .show = RES_LIST | RES_SORT },
};
static const struct resource things = {
	.name = "things", .table = "cc_thing", .key = "id", .title = "t.title", .item = "t.item",
	.access = ACC_ADMIN, RES_COLS(tcols), .sort = "label",
};

#include "web_fixture.h"

/* A request on route (method, path) with query string qs. */
static struct req *fake_req(const char *method, const char *path, const char *qs,
			    const char *lang)
{
	struct req *r = arena_alloc(a, sizeof *r);
	struct web *w = arena_alloc(a, sizeof *w);
	const char *id;
	bool wrong;
	w->tmpl = t;
	r->a = a;
	r->web = w;
	r->lang = lang;
	r->method = method;
	r->path = path;
	r->route = route_match(method, path, a, &id, &wrong);
	r->route_id = id;
	assert_int_equal(url_parse_form(a, qs, strlen(qs), &r->query), 0);
	struct session *s = arena_alloc(a, sizeof *s);
	s->user_id = "u1";
	s->username = "admin";
	s->name = EVIL;
	s->admin = true;
	strcpy(s->csrf, "c0ffee");
	r->sess = s;
	return r;
}

/* --- SQL ------------------------------------------------------------------------- */

#define NUM_SELECT \
	"SELECT t.`id`, t.`number`, t.`display`, t.`name`, t.`usage`, t.`skill_group_id`, " \
	"t.`ivr_flow_id`, t.`welcome_audio_id`, t.`enabled`, r4.`name`, r5.`name`, r6.`name` " \
	"FROM `cc_number` t LEFT JOIN `cc_skill_group` r4 ON r4.`id` = t.`skill_group_id` " \
	"LEFT JOIN `cc_ivr_flow` r5 ON r5.`id` = t.`ivr_flow_id` " \
	"LEFT JOIN `cc_audio` r6 ON r6.`id` = t.`welcome_audio_id`"
#define NUM_SEARCH \
	" CROSS JOIN (SELECT ? AS q) s WHERE (t.`number` LIKE s.q ESCAPE '!' OR " \
	"t.`display` LIKE s.q ESCAPE '!' OR t.`name` LIKE s.q ESCAPE '!' OR " \
	"r4.`name` LIKE s.q ESCAPE '!' OR r5.`name` LIKE s.q ESCAPE '!')"

static void sql_text(void **state)
{
	(void)state;
	const struct resource *res = &res_numbers;
	struct res_query q = { .sort = 0, .page = 1, .per_page = 20 };
	assert_string_equal(res_sql_list(a, res, &q),
			    NUM_SELECT " ORDER BY t.`number` ASC, t.`id` ASC LIMIT ? OFFSET ?");
	assert_string_equal(res_sql_count(a, res, &q), "SELECT COUNT(*) FROM `cc_number` t");
	/* A search reads one parameter; a reference sorts and searches by its label. */
	struct res_query s = { .q = "x", .sort = 4, .desc = true, .page = 3, .per_page = 20 };
	assert_string_equal(res_sql_list(a, res, &s),
			    NUM_SELECT NUM_SEARCH " ORDER BY r4.`name` DESC, t.`id` DESC LIMIT ? OFFSET ?");
	assert_string_equal(res_sql_count(a, res, &s),
			    "SELECT COUNT(*) FROM `cc_number` t LEFT JOIN `cc_skill_group` r4 ON "
			    "r4.`id` = t.`skill_group_id` LEFT JOIN `cc_ivr_flow` r5 ON "
			    "r5.`id` = t.`ivr_flow_id`" NUM_SEARCH);
	struct res_query bykey = { .sort = -1, .page = 1, .per_page = 20 };
	assert_string_equal(res_sql_list(a, res, &bykey),
			    NUM_SELECT " ORDER BY t.`id` ASC LIMIT ? OFFSET ?");
	assert_string_equal(res_sql_get(a, res), NUM_SELECT " WHERE t.`id` = ?");
	bool all[] = { true, true, true, true, true, true, true, true },
	     some[] = { true, false, false, false, false, false, false, true },
	     name[] = { false, false, true, false, false, false, false, false }, none[8] = { false };
	assert_string_equal(res_sql_insert(a, res, all),
			    "INSERT INTO `cc_number` (`number`, `display`, `name`, `usage`, "
			    "`skill_group_id`, `ivr_flow_id`, `welcome_audio_id`, `enabled`) "
			    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	assert_string_equal(res_sql_insert(a, res, some),
			    "INSERT INTO `cc_number` (`number`, `enabled`) VALUES (?, ?)");
	assert_string_equal(res_sql_update(a, res, name),
			    "UPDATE `cc_number` SET `name` = ? WHERE `id` = ?");
	assert_string_equal(res_sql_update(a, res, none),
			    "UPDATE `cc_number` SET `id` = `id` WHERE `id` = ?");
	assert_string_equal(res_sql_delete(a, res), "DELETE FROM `cc_number` WHERE `id` = ?");
	assert_string_equal(res_sql_unique(a, res, &res->cols[0]),
			    "SELECT COUNT(*) FROM `cc_number` WHERE `number` = ? AND `id` <> ?");
	assert_string_equal(res_sql_options(a, &res->cols[4].ref),
			    "SELECT o.`id`, o.`name` FROM `cc_skill_group` o ORDER BY o.`name`, o.`id` "
			    "LIMIT 500");
	/* A filtered reference offers and accepts only its rows (bound). */
	struct res_ref prompt;
	assert_int_equal(res_bind_ref(a, NULL, &res->cols[6].ref, &prompt), 0);
	assert_string_equal(res_sql_options(a, &prompt),
			    "SELECT o.`id`, o.`name` FROM `cc_audio` o WHERE o.`kind` IN ('prompt') "
			    "ORDER BY o.`name`, o.`id` LIMIT 500");
	assert_string_equal(res_sql_ref_exists(a, &prompt),
			    "SELECT COUNT(*) FROM `cc_audio` o WHERE o.`id` = ? AND o.`kind` IN ('prompt') "
			    "LOCK IN SHARE MODE");
	/* Labels follow the columns, in the order of the reference columns. */
	assert_int_equal(res_label_pos(res, 4), 9);
	assert_int_equal(res_label_pos(res, 5), 10);
	assert_int_equal(res_label_pos(res, 6), 11);
	/* LIKE's wildcards and the escape character are literal in a search. */
	assert_string_equal(res_like(a, "50%_off!"), "%50!%!_off!!%");
	assert_string_equal(res_like(a, "客服"), "%客服%");
}

/* Nothing a request sends becomes SQL text: an unknown or unsortable sort
 * falls back to the default, the search is a parameter. */
static void query_from_request(void **state)
{
	(void)state;
	const struct resource *res = &res_numbers;
	struct res_query q;
	struct req *r = fake_req("GET", "/cc/admin/numbers",
				 "q=%27%3B+DROP+TABLE+cc_number%3B--&sort=number%60%3B&dir=up&page=-3",
				 "zh-CN");
	res_query_parse(r, res, false, &q);
	assert_string_equal(q.q, "'; DROP TABLE cc_number;--");
	assert_int_equal(q.sort, 0);	/* the default, number */
	assert_false(q.desc);
	assert_int_equal(q.page, 1);
	assert_int_equal(q.per_page, RES_PER_PAGE);
	char *sql = res_sql_list(a, res, &q);
	assert_null(strstr(sql, "DROP"));
	assert_null(strstr(sql, "number`;"));

	r = fake_req("GET", "/cc/api/admin/numbers", "sort=name&dir=desc&page=2&per_page=1000",
		     "en");
	res_query_parse(r, res, true, &q);
	assert_null(q.q);
	assert_int_equal(q.sort, 2);
	assert_true(q.desc);
	assert_int_equal(q.page, 2);
	assert_int_equal(q.per_page, RES_PER_PAGE_MAX);
	/* welcome_audio_id is listed and sortable; the key column is not a column */
	r = fake_req("GET", "/cc/admin/numbers", "sort=id&page=x", "en");
	res_query_parse(r, res, false, &q);
	assert_int_equal(q.sort, 0);
	assert_int_equal(q.page, 1);
	/* a search of blanks and control characters is no search; a long one is cut */
	r = fake_req("GET", "/cc/admin/numbers", "q=+%01%09+", "en");
	res_query_parse(r, res, false, &q);
	assert_null(q.q);
	char qs[1024] = "q=";
	for (int i = 0; i < 100; i++)
		strcat(qs, "%E5%AE%A2");	/* 客 */
	r = fake_req("GET", "/cc/admin/numbers", qs, "en");
	res_query_parse(r, res, false, &q);
	assert_int_equal(utf8_chars(q.q), RES_Q_MAX);
	r = fake_req("GET", "/cc/admin/numbers", "q=%FF", "en");
	res_query_parse(r, res, false, &q);
	assert_null(q.q);
}

/* --- checks ------------------------------------------------------------------------ */

/* One value of one column: the key res_check gives (NULL: fine) and, when
 * fine, what is stored. */
struct check_case {
	const struct res_col *c;
	const char *in, *key, *out;
};

#define LABEL (&tcols[0])	/* text, required, at most 4 characters */
#define CODE (&tcols[1])	/* text, optional, digits only */
#define RING (&tcols[2])	/* integer 5..60, required */
#define KIND (&tcols[3])	/* choice prompt/music, optional */
#define ON (&tcols[4])		/* boolean */
#define GROUP (&tcols[5])	/* reference, required */
#define NUMBER (&res_numbers.cols[0])

static void checks(void **state)
{
	(void)state;
	const struct check_case cases[] = {
		{ LABEL, "", "v.required", NULL },
		{ LABEL, "  \t ", "v.required", NULL },
		{ LABEL, "  ab ", NULL, "ab" },			/* trimmed */
		{ LABEL, "张三李四", NULL, "张三李四" },	/* 4 characters, 12 bytes */
		{ LABEL, "张三李四五", "v.max_chars", NULL },
		{ LABEL, "abcde", "v.max_chars", NULL },
		{ LABEL, "a\x01", "v.text", NULL },
		{ LABEL, "a\nb", "v.text", NULL },
		{ LABEL, "\xff", "v.text", NULL },
		{ LABEL, "\xc0\xaf", "v.text", NULL },		/* overlong */
		{ CODE, "", NULL, "" },				/* emptied: stored as NULL */
		{ CODE, "0123", NULL, "0123" },
		{ CODE, "12a", "v.chars", NULL },
		{ CODE, "1 2", "v.chars", NULL },
		{ NUMBER, "+864001", NULL, "+864001" },
		{ NUMBER, "4001;", "v.chars", NULL },
		{ NUMBER, "400123456789012345678901234567890", "v.max_chars", NULL },
		{ RING, "5", NULL, "5" },
		{ RING, " 60 ", NULL, "60" },
		{ RING, "4", "v.range", NULL },
		{ RING, "61", "v.range", NULL },
		{ RING, "-5", "v.range", NULL },
		{ RING, "5.0", "v.int", NULL },
		{ RING, "+5", "v.int", NULL },
		{ RING, "0x10", "v.int", NULL },
		{ RING, "-", "v.int", NULL },
		{ RING, "99999999999999999999", "v.int", NULL },
		{ RING, "", "v.required", NULL },
		{ ON, "1", NULL, "1" }, { ON, "true", NULL, "1" }, { ON, "on", NULL, "1" },
		{ ON, "yes", NULL, "1" }, { ON, "0", NULL, "0" }, { ON, "false", NULL, "0" },
		{ ON, "off", NULL, "0" }, { ON, "no", NULL, "0" }, { ON, "", NULL, "0" },
		{ ON, "2", "v.bool", NULL },
		{ ON, "maybe", "v.bool", NULL },
		{ KIND, "music", NULL, "music" },
		{ KIND, "Music", "v.choice", NULL },
		{ KIND, "t.kind.prompt", "v.choice", NULL },	/* a label is not a value */
		{ KIND, "", NULL, "" },
		{ GROUP, "7", NULL, "7" },
		{ GROUP, "0", "v.ref", NULL },
		{ GROUP, "-1", "v.ref", NULL },
		{ GROUP, "客服一组", "v.ref", NULL },		/* a label is not a key */
		{ GROUP, "", "v.required", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct check_case *k = &cases[i];
		const char *out;
		const char *key = res_check(a, k->c, k->in, &out);
		if (key != k->key && (!key || !k->key || strcmp(key, k->key)))
			fail_msg("%s '%s': got %s, want %s", k->c->name, k->in, key ? key : "fine",
				 k->key ? k->key : "fine");
		if (k->out && (!out || strcmp(out, k->out)))
			fail_msg("%s '%s': stored '%s', want '%s'", k->c->name, k->in, out ? out : "(null)",
				 k->out);
	}
	/* not sent: nothing to check, nothing to store */
	const char *out = "x";
	assert_null(res_check(a, LABEL, NULL, &out));
	assert_null(out);
}

static void messages(void **state)
{
	(void)state;
	assert_string_equal(res_message(a, tmpl_t(t, "zh-CN", "v.range"), &tcols[2]),
			    "必须在 5 到 60 之间");
	assert_string_equal(res_message(a, tmpl_t(t, "en", "v.range"), &tcols[2]),
			    "Must be between 5 and 60");
	assert_string_equal(res_message(a, tmpl_t(t, "zh-CN", "v.max_chars"), &tcols[0]),
			    "最多 4 个字符");
	assert_string_equal(res_message(a, tmpl_t(t, "en", "v.max_chars"), &res_numbers.cols[0]),
			    "At most 32 characters");
	assert_string_equal(res_message(a, "{a} {max}{", &tcols[0]), "{a} 4{");
	/* every key the checks give has both languages */
	const char *keys[] = { "v.required", "v.max_chars", "v.text", "v.chars", "v.int",
			       "v.range", "v.bool", "v.choice", "v.ref", "v.unique", "v.invalid" };
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		assert_string_not_equal(tmpl_t(t, "zh-CN", keys[i]), keys[i]);
		assert_string_not_equal(tmpl_t(t, "en", keys[i]), keys[i]);
		assert_string_not_equal(tmpl_t(t, "en", keys[i]), tmpl_t(t, "zh-CN", keys[i]));
	}
}

/* --- descriptions and routes ----------------------------------------------------------- */

static void descriptions(void **state)
{
	(void)state;
	for (size_t i = 0; i < web_nresources; i++)
		if (res_valid(web_resources[i]))
			fail_msg("%s: %s", web_resources[i]->name, res_valid(web_resources[i]));
	assert_null(res_valid(&things));
	struct res_col cols[2] = { tcols[0], tcols[2] };
	struct resource bad = things;
	bad.cols = cols;
	bad.ncols = 2;
	bad.table = "cc_thing`; DROP";
	assert_non_null(res_valid(&bad));
	bad.table = "cc_thing";
	cols[0].name = "la bel";
	assert_non_null(res_valid(&bad));
	cols[0].name = "1label";
	assert_non_null(res_valid(&bad));
	cols[0].name = "label";
	cols[0].max = 0;		/* text without a bound */
	assert_non_null(res_valid(&bad));
	cols[0].max = 4;
	cols[1].min = 70;		/* min above max */
	assert_non_null(res_valid(&bad));
	cols[1].min = 5;
	bad.sort = "ring_s";
	assert_null(res_valid(&bad));
	cols[1].show = RES_LIST;	/* the default sort is not sortable */
	assert_non_null(res_valid(&bad));
	cols[1].show = RES_SORT;	/* sorted but not listed */
	bad.sort = NULL;
	assert_non_null(res_valid(&bad));
	cols[1].show = RES_LIST;
	cols[1].name = "id";		/* the key as a column */
	assert_non_null(res_valid(&bad));
	cols[1].name = "label";		/* twice */
	assert_non_null(res_valid(&bad));
	cols[1] = tcols[5];
	cols[1].ref.label = "name`";
	assert_non_null(res_valid(&bad));
}

static void routes(void **state)
{
	(void)state;
	static const struct {
		const char *method, *path;
		route_h *h;
		enum route_kind kind;
	} want[] = {
		{ "GET", "/cc/admin/numbers", res_list_get, RK_PAGE },
		{ "GET", "/cc/admin/numbers/new", res_new_get, RK_PAGE },
		{ "POST", "/cc/admin/numbers/new", res_create_post, RK_PAGE },
		{ "GET", "/cc/admin/numbers/12", res_item_get, RK_PAGE },
		{ "POST", "/cc/admin/numbers/12", res_update_post, RK_PAGE },
		{ "POST", "/cc/admin/numbers/12/delete", res_delete_post, RK_PAGE },
		{ "GET", "/cc/api/admin/numbers", res_list_get, RK_JSON },
		{ "POST", "/cc/api/admin/numbers", res_create_post, RK_JSON },
		{ "GET", "/cc/api/admin/numbers/12", res_item_get, RK_JSON },
		{ "POST", "/cc/api/admin/numbers/12", res_update_post, RK_JSON },
		{ "POST", "/cc/api/admin/numbers/12/delete", res_delete_post, RK_JSON },
	};
	struct session agent = { .agent = true }, admin = { .admin = true };
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		const char *id;
		bool wrong;
		const struct route *rt = route_match(want[i].method, want[i].path, a, &id, &wrong);
		if (!rt)
			fail_msg("%s %s: no route", want[i].method, want[i].path);
		assert_ptr_equal(rt->handler, want[i].h);
		assert_int_equal(rt->kind, want[i].kind);
		assert_ptr_equal(rt->res, &res_numbers);
		assert_true(route_allows(rt, &admin));
		assert_false(route_allows(rt, &agent));
		assert_false(route_allows(rt, NULL));
		assert_int_equal(rt->csrf, !strcmp(want[i].method, "POST"));
	}
	/* Deleting is a POST only; "new" is not a key */
	const char *id;
	bool wrong;
	assert_null(route_match("GET", "/cc/admin/numbers/12/delete", a, &id, &wrong));
	assert_true(wrong);
	assert_null(route_match("GET", "/cc/api/admin/numbers/12/delete", a, &id, &wrong));
	assert_true(wrong);
	assert_null(route_match("POST", "/cc/api/admin/numbers/12/new", a, &id, &wrong));
	/* A resource's own access level counts too. */
	struct route rt = *route_match("GET", "/cc/admin/numbers", a, &id, &wrong);
	struct resource agents_only = res_numbers;
	agents_only.access = ACC_AGENT;
	rt.res = &agents_only;
	assert_false(route_allows(&rt, &admin));
	/* The key from the path: a positive integer */
	struct req *r = fake_req("GET", "/cc/admin/numbers/12", "", "en");
	assert_string_equal(res_key(r), "12");
	r = fake_req("GET", "/cc/admin/numbers/012", "", "en");
	assert_null(res_key(r));
	r = fake_req("GET", "/cc/admin/numbers/a1", "", "en");
	assert_null(res_key(r));
	r = fake_req("GET", "/cc/admin/numbers/12345678901234567890", "", "en");
	assert_null(res_key(r));
}

static void json_row(void **state)
{
	(void)state;
	const char *vals[] = { "ab", NULL, "30", "music", "0", "7" };
	const char *labels[] = { NULL, NULL, NULL, NULL, NULL, EVIL };
	struct res_row row = { "42", vals, labels };
	json_t *j = res_json_row(&things, &row);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(s, "{\"code\":null,\"group_id\":7,\"id\":42,\"kind\":\"music\","
			       "\"label\":\"ab\",\"labels\":{\"group_id\":\"<script>alert(\\\"x\\\")"
			       "</script>'\\\"&amp;<b>\"},\"on\":false,\"ring_s\":30}");
	free(s);
	json_decref(j);
}

/* --- data documents and templates ------------------------------------------------------- */

static htmlDocPtr render(const char *name, xmlDoc *doc, const char *lang)
{
	size_t len = 0;
	char *html = tmpl_render(t, name, doc, lang, &len);
	assert_non_null(html);
	assert_null(strstr(html, "<script>alert"));
	assert_null(strstr(html, "<b>"));
	htmlDocPtr h = htmlReadMemory(html, (int)len, NULL, "UTF-8",
				      HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	free(html);
	assert_non_null(h);
	return h;
}

static void list_document(void **state)
{
	(void)state;
	const char *langs[] = { "zh-CN", "en" };
	const char *title[] = { "号码管理", "Phone numbers" };
	const char *total[] = { "共 45 条", "45 in all" };
	const char *yes[] = { "是", "Yes" };
	for (int i = 0; i < 2; i++) {
		struct req *r = fake_req("GET", "/cc/admin/numbers",
					 "q=%3C%22%26&sort=skill_group_id&dir=desc&page=3", langs[i]);
		const struct resource *res = &res_numbers;
		struct res_query q;
		res_query_parse(r, res, false, &q);
		const char *v1[] = { "4001", "4001", EVIL, "inbound", "1", NULL, NULL, "1" },
			   *l1[] = { NULL, NULL, NULL, NULL, EVIL, NULL, NULL, NULL };
		const char *v2[] = { "+861012345678", "010-12345678", "", "outbound", NULL, NULL, "2", "0" },
			   *l2[] = { NULL, NULL, NULL, NULL, NULL, NULL, "音乐", NULL };
		struct res_row rows[] = { { "7", v1, l1 }, { "8", v2, l2 } };
		xmlDoc *doc;
		xmlNode *el = res_page_begin(r, res, "list", &doc);
		res_doc_list(r, el, res, &q, rows, 2, 45);
		htmlDocPtr h = render("list", doc, langs[i]);
		expect_xp(h, "string(//h1)", title[i]);
		expect_xp(h, "string(//*[@id='side-numbers']/@aria-current)", "page");
		expect_xp(h, "string(//*[@id='side-overview']/@href)", "/cc/admin");
		expect_xp(h, "string(//input[@id='res-q']/@value)", "<\"&");
		expect_xp(h, "string(count(//table[@id='res-list']/tbody/tr))", "2");
		expect_xp(h, "string(//tr[@data-key='7']/td[@data-col='name'])", EVIL);
		expect_xp(h, "string(//tr[@data-key='7']/td[@data-col='skill_group_id'])", EVIL);
		expect_xp(h, "string(//tr[@data-key='7']/td[@data-col='skill_group_id']/@data-value)", "1");
		expect_xp(h, "normalize-space(//tr[@data-key='7']/td[@data-col='enabled'])", yes[i]);
		expect_xp(h, "string(//tr[@data-key='8']/td[@data-col='welcome_audio_id'])", "音乐");
		expect_xp(h, "normalize-space(//tr[@data-key='8']/td[@data-col='skill_group_id'])", "—");
		/* delete: a POST form with the session's token */
		expect_xp(h, "string(//tr[@data-key='8']//form/@method)", "post");
		expect_xp(h, "string(//tr[@data-key='8']//form/@action)", "/cc/admin/numbers/8/delete");
		expect_xp(h, "string(//tr[@data-key='8']//form/input[@name='_csrf']/@value)", "c0ffee");
		/* the sorted column turns around; another starts ascending; the search stays */
		expect_xp(h, "string(//th[@data-col='skill_group_id']/@aria-sort)", "descending");
		expect_xp(h, "string(//a[@id='sort-skill_group_id']/@href)",
			  "/cc/admin/numbers?q=%3C%22%26&sort=skill_group_id&dir=asc&page=1");
		expect_xp(h, "string(//a[@id='sort-number']/@href)",
			  "/cc/admin/numbers?q=%3C%22%26&sort=number&dir=asc&page=1");
		/* page 3 of 3 */
		expect_xp(h, "string(//*[@id='res-pages']/@data-page)", "3");
		expect_xp(h, "string(//*[@id='res-pages']/@data-pages)", "3");
		expect_xp(h, "normalize-space(//*[@id='res-total'])", total[i]);
		expect_xp(h, "string(//a[@id='res-prev']/@href)",
			  "/cc/admin/numbers?q=%3C%22%26&sort=skill_group_id&dir=desc&page=2");
		expect_xp(h, "string(count(//a[@id='res-next']))", "0");
		expect_xp(h, "string(//script/@src)", "/cc/static/resource.js");
		expect_xp(h, "string(count(//script))", "1");
		xmlFreeDoc(h);
		xmlFreeDoc(doc);
	}
}

static void form_document(void **state)
{
	(void)state;
	const char *langs[] = { "zh-CN", "en" };
	const char *heading[] = { "编辑号码", "Edit number" };
	for (int i = 0; i < 2; i++) {
		struct req *r = fake_req("GET", "/cc/admin/numbers/7", "", langs[i]);
		const struct resource *res = &res_numbers;
		const char *vals[] = { EVIL, NULL, EVIL, "inbound", "2", "", "", "1" };
		const char *errs[] = { "已存在", NULL, NULL, NULL, NULL, NULL, NULL, NULL };
		xmlDoc *doc;
		xmlNode *el = res_page_begin(r, res, "form", &doc);
		xmlNode *form = res_doc_form(r, el, res, "7", vals, errs);
		/* what res_db_options adds to the group field */
		xmlNode *group = form->children->next->next->next;
		for (int k = 1; k <= 2; k++) {
			xmlNode *o = xd_el(group, "option");
			xd_attr_int(o, "value", k);
			xd_attr(o, "label", k == 2 ? EVIL : "一组");
		}
		xd_attr(form, "banner", "res.invalid");
		htmlDocPtr h = render("form", doc, langs[i]);
		expect_xp(h, "string(//h1)", heading[i]);
		expect_xp(h, "string(//form[@id='res-form']/@action)", "/cc/admin/numbers/7");
		expect_xp(h, "string(//form[@id='res-form']/@method)", "post");
		expect_xp(h, "string(//form[@id='res-form']/input[@name='_csrf']/@value)", "c0ffee");
		expect_xp(h, "string(//input[@id='f-number']/@value)", EVIL);
		expect_xp(h, "string(//input[@id='f-number']/@maxlength)", "32");
		expect_xp(h, "string(//*[@id='err-number'])", "已存在");
		expect_xp(h, "string(//*[@data-col='number']/@class)", "field field-phone has-error");
		expect_xp(h, "string(//*[@id='err-name'])", "");
		expect_xp(h, "string(//select[@id='f-skill_group_id']/option[@selected]/@value)", "2");
		expect_xp(h, "string(//select[@id='f-skill_group_id']/option[@selected])", EVIL);
		expect_xp(h, "string(count(//select[@id='f-skill_group_id']/option))", "3");
		expect_xp(h, "string(//select[@id='f-welcome_audio_id']/option[1]/@value)", "");
		expect_xp(h, "string(//input[@id='f-enabled']/@checked)", "checked");
		expect_xp(h, "string(//form[@id='res-delete']/@action)", "/cc/admin/numbers/7/delete");
		expect_xp(h, "string(//*[@id='res-error']/@data-reason)", "res.invalid");
		expect_xp(h, "string(count(//script))", "1");
		xmlFreeDoc(h);
		xmlFreeDoc(doc);
	}
	/* a new row: no key, no delete */
	struct req *r = fake_req("GET", "/cc/admin/numbers/new", "", "zh-CN");
	xmlDoc *doc;
	xmlNode *el = res_page_begin(r, &things, "form", &doc);
	const char *vals[] = { NULL, NULL, "30", "music", "0", NULL };
	res_doc_form(r, el, &things, NULL, vals, NULL);
	htmlDocPtr h = render("form", doc, "zh-CN");
	expect_xp(h, "string(//form[@id='res-form']/@action)", "/cc/admin/things/new");
	expect_xp(h, "string(count(//form[@id='res-delete']))", "0");
	expect_xp(h, "string(//input[@id='f-ring_s']/@type)", "number");
	expect_xp(h, "string(//input[@id='f-ring_s']/@min)", "5");
	expect_xp(h, "string(//input[@id='f-ring_s']/@max)", "60");
	expect_xp(h, "string(//select[@id='f-kind']/option[@selected]/@value)", "music");
	expect_xp(h, "string(count(//input[@id='f-on'][@checked]))", "0");
	expect_xp(h, "string(//select[@id='f-group_id']/@required)", "required");
	xmlFreeDoc(h);
	xmlFreeDoc(doc);
}

/* --- phones, links, users, references into the host ------------------------------------- */

/* What an admin types for a number, and what is stored (the reference
 * host's rules): E.164, or a short service number as it is. */
static void phones(void **state)
{
	(void)state;
	static const struct {
		const char *in, *key, *out;
	} cases[] = {
		{ "+86 10 1234 5678", NULL, "+861012345678" },
		{ "010-12345678", NULL, "+861012345678" },	/* the same number */
		{ "(010) 8888-6666", NULL, "+861088886666" },
		{ "13800138000", NULL, "+8613800138000" },
		{ "+8613800138000", NULL, "+8613800138000" },
		{ "95555", NULL, "95555" },
		{ "4001", NULL, "4001" },
		{ "--", "v.phone", NULL },
		{ "", NULL, "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *out;
		const char *key = res_phone(a, &phone_rules_cn, cases[i].in, &out);
		if (key != cases[i].key && (!key || !cases[i].key || strcmp(key, cases[i].key)))
			fail_msg("'%s': got %s", cases[i].in, key ? key : "fine");
		if (cases[i].out && (!out || strcmp(out, cases[i].out)))
			fail_msg("'%s': stored '%s', want '%s'", cases[i].in, out ? out : "(null)",
				 cases[i].out);
	}
	/* the characters a number may be typed with come first */
	const char *out;
	assert_null(res_check(a, NUMBER, "(010) 8888-6666", &out));
	assert_string_equal(res_check(a, NUMBER, "400a", &out), "v.chars");
	assert_string_equal(res_check(a, NUMBER, "4001;", &out), "v.chars");
}

/* The helpdesk's names, as a manifest gives them. */
static const char *const agent_flags[] = { "callcenter", "agent" };
static struct manifest mf = {
	.users = { .table = "cs_user", .id = "ID", .username = "USERNAME", .display_name = "uname",
		   .deleted = "datastatus", .agent_flags = (const char **)agent_flags, .nagent = 2 },
	.departments = { .table = "uk_organ", .id = "ID", .name = "NAME", .parent = "PARENT",
			 .skill = "SKILL" },
};

static void links_sql(void **state)
{
	(void)state;
	const struct resource *g = &res_groups;
	assert_null(res_valid(g));
	/* References into the host: names and conditions from the manifest. */
	struct res_ref agents, depts;
	assert_int_equal(res_bind_ref(a, &mf, &g->links[0].ref, &agents), 0);
	assert_string_equal(res_sql_options(a, &agents),
			    "SELECT o.`ID`, o.`uname` FROM `cs_user` o WHERE (COALESCE(o.`callcenter`, 0) "
			    "<> 0 OR COALESCE(o.`agent`, 0) <> 0) AND COALESCE(o.`datastatus`, 0) = 0 "
			    "ORDER BY o.`uname`, o.`ID` LIMIT 500");
	assert_int_equal(res_bind_ref(a, &mf, &g->cols[res_col_index(g, "organ_id")].ref, &depts), 0);
	assert_string_equal(res_sql_ref_exists(a, &depts),
			    "SELECT COUNT(*) FROM `uk_organ` o WHERE o.`ID` = ? AND "
			    "COALESCE(o.`SKILL`, 0) <> 0 LOCK IN SHARE MODE");
	assert_true(depts.text_key);
	/* without a manifest a host reference cannot be bound */
	assert_int_equal(res_bind_ref(a, NULL, &g->links[0].ref, &agents), -1);
	/* a bound link reads its rows with the other side's label */
	struct res_link l = g->links[0];
	l.ref = agents;
	assert_string_equal(res_sql_link_get(a, &l),
			    "SELECT k.`user_id`, o.`uname`, k.`level` FROM `cc_skill_group_member` k "
			    "LEFT JOIN `cs_user` o ON o.`ID` = k.`user_id` WHERE k.`skill_group_id` = ? "
			    "ORDER BY o.`uname`, k.`user_id`");
	assert_string_equal(res_sql_link_insert(a, &l),
			    "INSERT INTO `cc_skill_group_member` (`skill_group_id`, `user_id`, `level`) "
			    "VALUES (?, ?, ?)");
	assert_string_equal(res_sql_link_delete(a, &l),
			    "DELETE FROM `cc_skill_group_member` WHERE `skill_group_id` = ?");
	assert_string_equal(res_sql_link_insert(a, &res_numbers.links[0]),
			    "INSERT INTO `cc_skill_group_number` (`number_id`, `skill_group_id`) "
			    "VALUES (?, ?)");
	/* only outbound numbers may be a group's caller ID */
	struct res_ref outbound;
	assert_int_equal(res_bind_ref(a, NULL, &g->links[1].ref, &outbound), 0);
	assert_string_equal(outbound.cond, "o.`usage` IN ('outbound', 'both')");
	/* who keeps a group from being deleted */
	assert_int_equal(g->nused_by, 2);
	assert_string_equal(res_sql_users(a, &g->used_by[0]),
			    "SELECT `id`, `number` FROM `cc_number` WHERE `skill_group_id` = ? "
			    "ORDER BY `number`, `id` LIMIT 50");
	assert_string_equal(res_sql_users(a, &g->used_by[1]),
			    "SELECT `id`, `name` FROM `cc_skill_group` WHERE `overflow_group_id` = ? "
			    "ORDER BY `name`, `id` LIMIT 50");
	/* a request's resource is bound for it */
	struct req *r = fake_req("GET", "/cc/admin/groups/3", "", "en");
	((struct web *)r->web)->mf = &mf;
	const struct resource *b = res_of(r);
	assert_non_null(b);
	assert_ptr_not_equal(b, g);
	assert_string_equal(b->links[0].ref.table, "cs_user");
	assert_string_equal(b->cols[res_col_index(b, "organ_id")].ref.label, "NAME");
	assert_non_null(b->cols[res_col_index(b, "moh_audio_id")].ref.cond);
	assert_null(g->links[0].ref.table);	/* the description itself is untouched */
}

/* Cross-field rules: an inbound number needs its target, a group or a
 * flow (one of the two), an outbound-only one has none; overflowing needs
 * a group to overflow to. */
static void cross_checks(void **state)
{
	(void)state;
	const struct resource *n = &res_numbers;
	int usage = res_col_index(n, "usage"), group = res_col_index(n, "skill_group_id"),
	    flow = res_col_index(n, "ivr_flow_id"), welcome = res_col_index(n, "welcome_audio_id");
	assert_true(usage >= 0 && group >= 0 && flow >= 0 && welcome >= 0);
	const char **v = arena_alloc(a, n->ncols * sizeof *v), **errs = arena_alloc(a, n->ncols * sizeof *errs);
#define RESET() do { memset(v, 0, n->ncols * sizeof *v); memset(errs, 0, n->ncols * sizeof *errs); } while (0)
	RESET();
	v[usage] = "inbound";
	n->check(n, NULL, v, errs);
	assert_string_equal(errs[group], "v.inbound_target");
	RESET();
	v[usage] = "inbound";
	v[flow] = "4";
	n->check(n, NULL, v, errs);
	for (size_t i = 0; i < n->ncols; i++)
		assert_null(errs[i]);
	v[group] = "1";
	n->check(n, NULL, v, errs);
	assert_string_equal(errs[flow], "v.target_one");
	RESET();
	v[usage] = "outbound";
	v[group] = "2";
	v[welcome] = "1";
	v[flow] = "4";
	n->check(n, "3", v, errs);
	assert_string_equal(errs[group], "v.outbound_target");
	assert_string_equal(errs[welcome], "v.outbound_target");
	assert_string_equal(errs[flow], "v.outbound_target");
	RESET();
	v[usage] = "both";
	v[group] = "2";
	n->check(n, "3", v, errs);
	for (size_t i = 0; i < n->ncols; i++)
		assert_null(errs[i]);
#undef RESET
	/* only published flows are offered and accepted, with their own message */
	const struct res_ref *fr = &n->cols[flow].ref;
	struct res_ref bound;
	assert_int_equal(res_bind_ref(a, NULL, fr, &bound), 0);
	assert_string_equal(bound.cond, "o.`published_version` IS NOT NULL");
	assert_string_equal(fr->missing, "v.flow_unpublished");
	assert_non_null(strstr(res_sql_options(a, &bound), "WHERE o.`published_version` IS NOT NULL"));
	const struct resource *g = &res_groups;
	const char **gv = arena_alloc(a, g->ncols * sizeof *gv), **ge = arena_alloc(a, g->ncols * sizeof *ge);
	memset(gv, 0, g->ncols * sizeof *gv);
	memset(ge, 0, g->ncols * sizeof *ge);
	gv[res_col_index(g, "max_wait_action")] = "hangup";
	gv[res_col_index(g, "no_agent_action")] = "overflow";
	g->check(g, NULL, gv, ge);
	assert_string_equal(ge[res_col_index(g, "overflow_group_id")], "v.overflow_required");
	gv[res_col_index(g, "overflow_group_id")] = "1";
	ge[res_col_index(g, "overflow_group_id")] = NULL;
	g->check(g, NULL, gv, ge);
	assert_null(ge[res_col_index(g, "overflow_group_id")]);
	/* every message the rules and links give has both languages */
	const char *keys[] = { "v.inbound_target", "v.outbound_target", "v.target_one",
			       "v.flow_unpublished", "v.overflow_required", "v.self",
			       "v.link_when", "v.too_many", "v.phone", "res.in_use", "res.used_by" };
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		assert_string_not_equal(tmpl_t(t, "zh-CN", keys[i]), keys[i]);
		assert_string_not_equal(tmpl_t(t, "en", keys[i]), keys[i]);
	}
}

static void link_descriptions(void **state)
{
	(void)state;
	struct res_link links[1] = { res_groups.links[0] };
	struct res_user users[1] = { res_groups.used_by[0] };
	struct res_col cols[3] = { res_numbers.cols[0], res_numbers.cols[1], res_numbers.cols[3] };
	struct resource bad = { .name = "x", .table = "cc_x", .key = "id", .title = "t", .item = "i",
				.cols = cols, .ncols = 3, .links = links, .nlinks = 1,
				.used_by = users, .nused_by = 1 };
	assert_null(res_valid(&bad));
	links[0].table = "cc_x`";
	assert_non_null(res_valid(&bad));
	links[0].table = "cc_skill_group_member";
	links[0].level_min = 10;		/* bounds out of order */
	assert_non_null(res_valid(&bad));
	links[0].level_min = 1;
	links[0].level_def = 0;			/* a default outside them */
	assert_non_null(res_valid(&bad));
	links[0].level_def = 1;
	links[0].when = "nothing";		/* a condition on no column */
	links[0].when_in[0] = "a";
	assert_non_null(res_valid(&bad));
	links[0].when = "usage";
	links[0].when_in[0] = "out'bound";	/* a value that is not plain */
	assert_non_null(res_valid(&bad));
	links[0].when_in[0] = "outbound";
	assert_null(res_valid(&bad));
	links[0].name = "number";		/* named like a column */
	assert_non_null(res_valid(&bad));
	links[0].name = "agents";
	links[0].ref.table = "cs_user";		/* a host reference names its table itself */
	assert_non_null(res_valid(&bad));
	links[0].ref.table = NULL;
	links[0].ref.cond = "1";		/* conditions are bound, never described */
	assert_non_null(res_valid(&bad));
	links[0].ref.cond = NULL;
	users[0].column = "skill group";
	assert_non_null(res_valid(&bad));
	users[0].column = "skill_group_id";
	cols[1].derived = false;		/* a phone's display written by requests */
	assert_non_null(res_valid(&bad));
	cols[1].derived = true;
	cols[1].required = true;		/* a derived column cannot be required */
	assert_non_null(res_valid(&bad));
	cols[1].required = false;
	cols[2].ref = (struct res_ref){ "cc_audio", "id", "name", .only = "kind", .in = { "pro mpt" } };
	cols[2].type = RES_REF;
	assert_non_null(res_valid(&bad));
	cols[2].ref.in[0] = "prompt";
	assert_null(res_valid(&bad));
	cols[2].not_self = true;
	assert_null(res_valid(&bad));
	cols[0].not_self = true;		/* only on a reference */
	assert_non_null(res_valid(&bad));
}

static void json_item(void **state)
{
	(void)state;
	const struct resource *g = &res_groups;
	const char **vals = arena_alloc(a, g->ncols * sizeof *vals);
	const char **labels = arena_alloc(a, g->ncols * sizeof *labels);
	memset(vals, 0, g->ncols * sizeof *vals);
	memset(labels, 0, g->ncols * sizeof *labels);
	vals[0] = "售后组";
	vals[res_col_index(g, "organ_id")] = "0a9";
	labels[res_col_index(g, "organ_id")] = "售后部";
	struct res_row row = { "5", vals, labels };
	struct res_linked ag[] = { { "0u2", "张三", "3" }, { "0u3", EVIL, NULL } };
	struct res_linked nums[] = { { "7", "+8613800138000", NULL } };
	struct res_links ls[] = { { ag, 2, true, NULL }, { nums, 1, true, NULL } };
	json_t *j = res_json_item(g, &row, ls);
	json_t *part = json_pack("{s:O, s:O, s:O, s:O}", "organ_id", json_object_get(j, "organ_id"),
				 "agents", json_object_get(j, "agents"), "numbers",
				 json_object_get(j, "numbers"), "labels", json_object_get(j, "labels"));
	char *s = json_dumps(part, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(part);
	assert_non_null(strstr(s, "\"organ_id\":\"0a9\""));	/* a host key is a string */
	assert_non_null(strstr(s, "\"agents\":[{\"id\":\"0u2\",\"label\":\"张三\",\"level\":3},"
				  "{\"id\":\"0u3\",\"label\":\"<script>"));
	assert_non_null(strstr(s, "\"level\":1}]"));		/* no level: the default */
	assert_non_null(strstr(s, "\"numbers\":[{\"id\":7,\"label\":\"+8613800138000\"}]"));
	assert_non_null(strstr(s, "\"organ_id\":\"售后部\""));
	free(s);
	json_decref(j);
}

/* The form's link sections and the list of a row's users, as form.xsl
 * renders what link.c and db.c put in the document. */
static void form_links(void **state)
{
	(void)state;
	const char *langs[] = { "zh-CN", "en" };
	const char *level[] = { "级别", "Level" };
	for (int i = 0; i < 2; i++) {
		struct req *r = fake_req("GET", "/cc/admin/groups/5", "", langs[i]);
		xmlDoc *doc;
		xmlNode *el = res_page_begin(r, &res_groups, "form", &doc);
		xmlNode *form = res_doc_form(r, el, &res_groups, "5", NULL, NULL);
		xmlNode *l = xd_el(form, "link");
		xd_attr(l, "name", "agents");
		xd_attr(l, "label", "res.groups.agents");
		xd_attr(l, "level-label", "res.groups.level");
		xd_attr(l, "level-min", "1");
		xd_attr(l, "level-max", "9");
		xd_attr(l, "error", EVIL);
		xmlNode *o = xd_el(l, "option");
		xd_attr(o, "value", "0u2");
		xd_attr(o, "label", EVIL);
		xd_attr(o, "checked", "1");
		xd_attr(o, "level", "3");
		o = xd_el(l, "option");
		xd_attr(o, "value", "0u3");
		xd_attr(o, "label", "李四");
		xd_attr(o, "level", "1");
		xmlNode *users = xd_el(form, "users");
		xmlNode *u = xd_el(users, "user");
		xd_attr(u, "item", "res.numbers.item");
		xd_attr(u, "key", "1");
		xd_attr(u, "label", EVIL);
		xd_attr(u, "href", "/cc/admin/numbers/1");
		xd_attr(form, "banner", "res.in_use");
		htmlDocPtr h = render("form", doc, langs[i]);
		expect_xp(h, "string(//fieldset[@id='link-agents']/input[@name='_link']/@value)", "agents");
		expect_xp(h, "string(//input[@id='l-agents-0u2']/@checked)", "checked");
		expect_xp(h, "string(//input[@id='l-agents-0u2']/@name)", "agents");
		expect_xp(h, "string(count(//input[@id='l-agents-0u3'][@checked]))", "0");
		expect_xp(h, "normalize-space(//label[@for='l-agents-0u2'])", EVIL);
		expect_xp(h, "string(//input[@id='lv-agents-0u2']/@name)", "agents.level.0u2");
		expect_xp(h, "string(//input[@id='lv-agents-0u2']/@value)", "3");
		expect_xp(h, "string(//input[@id='lv-agents-0u2']/@max)", "9");
		expect_xp(h, "string(//label[@for='lv-agents-0u3'])", level[i]);
		expect_xp(h, "string(//*[@id='err-agents'])", EVIL);
		expect_xp(h, "string(//*[@id='res-users']//li/a/@href)", "/cc/admin/numbers/1");
		expect_xp(h, "string(//*[@id='res-users']//li/a)", EVIL);
		expect_xp(h, "string(//*[@id='res-error']/@data-reason)", "res.in_use");
		/* a strategy's hint under its select (one per strategy); the department's select */
		expect_xp(h, "string(count(//ul[@id='hints-strategy']/li))", "7");
		expect_xp(h, "string(//select[@id='f-organ_id']/option[1]/@value)", "");
		/* the phone-less groups form has no derived field; numbers' display is not a field */
		xmlFreeDoc(h);
		xmlFreeDoc(doc);
	}
	struct req *r = fake_req("GET", "/cc/admin/numbers/new", "", "zh-CN");
	xmlDoc *doc;
	xmlNode *el = res_page_begin(r, &res_numbers, "form", &doc);
	res_doc_form(r, el, &res_numbers, NULL, NULL, NULL);
	htmlDocPtr h = render("form", doc, "zh-CN");
	expect_xp(h, "string(count(//*[@id='f-display']))", "0");
	expect_xp(h, "string(//input[@id='f-number']/@type)", "tel");
	expect_xp(h, "string(//*[@id='side-groups']/@href)", "/cc/admin/groups");
	expect_xp(h, "string(//*[@id='side-audit']/@href)", "/cc/admin/audit");
	xmlFreeDoc(h);
	xmlFreeDoc(doc);
	/* the form's value of a phone is what was typed */
	const char *v[] = { "+861012345678", "010-12345678", "", "inbound", "1", NULL, NULL, "1" };
	const char *lb[8] = { NULL };
	struct res_row row = { "2", v, lb };
	assert_string_equal(res_form_vals(r, &res_numbers, &row)[0], "010-12345678");
	v[1] = "";
	assert_string_equal(res_form_vals(r, &res_numbers, &row)[0], "+861012345678");
}

static void audit_routes(void **state)
{
	(void)state;
	struct session agent = { .agent = true }, admin = { .admin = true };
	const char *paths[] = { "/cc/admin/audit", "/cc/api/admin/audit" };
	for (int i = 0; i < 2; i++) {
		const char *id;
		bool wrong;
		const struct route *rt = route_match("GET", paths[i], a, &id, &wrong);
		assert_non_null(rt);
		assert_ptr_equal(rt->handler, audit_page_get);
		assert_int_equal(rt->kind, i ? RK_JSON : RK_PAGE);
		assert_true(route_allows(rt, &admin));
		assert_false(route_allows(rt, &agent));
		/* read-only: no POST */
		assert_null(route_match("POST", paths[i], a, &id, &wrong));
		assert_true(wrong);
	}
	const char *id;
	bool wrong;
	const struct route *rt = route_match("POST", "/cc/api/admin/groups/3/delete", a, &id, &wrong);
	assert_non_null(rt);
	assert_ptr_equal(rt->res, &res_groups);
	assert_false(route_allows(rt, &agent));
	assert_true(rt->csrf);
}

/* The audit log page as audit.xsl renders what admin/audit_page.c puts in
 * the document: each record's fields before and after, escaped. */
static void audit_document(void **state)
{
	(void)state;
	const char *langs[] = { "zh-CN", "en" };
	const char *yes[] = { "是", "Yes" }, *updated[] = { "修改", "Updated" };
	for (int i = 0; i < 2; i++) {
		struct req *r = fake_req("GET", "/cc/admin/audit", "", langs[i]);
		xmlDoc *doc;
		xmlNode *root = page_begin(r, "admin", &doc);
		res_doc_side(root, "audit");
		xmlNode *au = xd_el(root, "audit");
		xmlNode *f = xd_el(au, "filter");
		xd_attr(f, "user", EVIL);
		xd_attr(f, "resource", "groups");
		xd_attr(f, "bad-from", "1");
		xmlNode *o = xd_el(f, "resource");
		xd_attr(o, "name", "groups");
		xd_attr(o, "key", "res.groups.title");
		xd_attr(xd_el(f, "action"), "name", "update");
		xmlNode *list = xd_el(au, "entries");
		xd_attr(list, "total", "1");
		xd_attr(list, "page", "1");
		xd_attr(list, "pages", "1");
		xmlNode *e = xd_el(list, "entry");
		xd_attr(e, "id", "9");
		xd_attr(e, "username", EVIL);
		xd_attr(e, "resource", "groups");
		xd_attr(e, "resource-key", "res.groups.title");
		xd_attr(e, "href", "/cc/admin/groups/2");
		xd_attr(e, "item", "2");
		xd_attr(e, "action", "update");
		xmlNode *c = xd_el(e, "change");
		xd_attr(c, "field", "description");
		xd_attr(c, "label", "res.groups.description");
		xd_attr(xd_text(c, "before", ""), "kind", "null");
		xd_attr(xd_text(c, "after", EVIL), "kind", "text");
		c = xd_el(e, "change");
		xd_attr(c, "field", "enabled");
		xd_attr(xd_text(c, "before", "0"), "kind", "bool");
		xd_attr(xd_text(c, "after", "1"), "kind", "bool");
		htmlDocPtr h = render("audit", doc, langs[i]);
		expect_xp(h, "string(//*[@id='side-audit']/@aria-current)", "page");
		expect_xp(h, "string(//input[@id='a-user']/@value)", EVIL);
		expect_xp(h, "string(//select[@id='a-resource']/option[@selected]/@value)", "groups");
		expect_xp(h, "string(count(//*[@id='audit-error']))", "1");
		expect_xp(h, "string(//tr[@data-id='9']/@data-action)", "update");
		expect_xp(h, "normalize-space(//tr[@data-id='9']/td[5])", updated[i]);
		expect_xp(h, "string(//tr[@data-id='9']//span[@class='audit-user'])", EVIL);
		expect_xp(h, "string(//tr[@data-id='9']//a/@href)", "/cc/admin/groups/2");
		expect_xp(h, "string(//tr[@data-field='description']/td[@class='audit-after'])", EVIL);
		expect_xp(h, "string(//tr[@data-field='description']/td[@class='audit-before'])", "—");
		expect_xp(h, "string(//tr[@data-field='enabled']/td[@class='audit-field'])", "enabled");
		expect_xp(h, "string(//tr[@data-field='enabled']/td[@class='audit-after'])", yes[i]);
		expect_xp(h, "string(count(//script))", "0");
		xmlFreeDoc(h);
		xmlFreeDoc(doc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sql_text),
		cmocka_unit_test(query_from_request),
		cmocka_unit_test(checks),
		cmocka_unit_test(messages),
		cmocka_unit_test(descriptions),
		cmocka_unit_test(routes),
		cmocka_unit_test(json_row),
		cmocka_unit_test(list_document),
		cmocka_unit_test(form_document),
		cmocka_unit_test(phones),
		cmocka_unit_test(links_sql),
		cmocka_unit_test(cross_checks),
		cmocka_unit_test(link_descriptions),
		cmocka_unit_test(json_item),
		cmocka_unit_test(form_links),
		cmocka_unit_test(audit_routes),
		cmocka_unit_test(audit_document),
	};
	return cmocka_run_group_tests_name("web_resource", tests, setup, teardown);
}
