/* IVR flows (common/ivr.h): a flow with every node type reads and passes
 * every check; then one flow per rule that breaks it, each refused with
 * the problem on its node: the schema (an unknown node type, a bad value,
 * not XML), a node id used twice, an exit to no node, a required exit not
 * connected, a
 * node nobody reaches, a loop that never waits, a loop that cannot be
 * left, audio / skill groups / agents / sub-flows that do not exist, a
 * variable read where nothing set it (never, on one path only, after an
 * HTTP error), a key given twice, a collect node whose bounds cross. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ivr.h"

#define SCHEMA "schemas/ivr-flow.rng"
#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flow xmlns=\"urn:cc:ivr-flow:1\" name=\"t\">\n"

/* Every node type, every exit connected, every variable set before use. */
static const char good[] = HEAD
	"<start id=\"start\" next=\"hours\"><param name=\"lang\" default=\"zh\"/></start>\n"
	"<time id=\"hours\" tz=\"Asia/Shanghai\" open=\"welcome\" closed=\"closed\">\n"
	"  <hours days=\"mon-fri\" from=\"09:00\" to=\"18:00\"/><holiday date=\"2026-10-01\"/>\n"
	"</time>\n"
	"<play id=\"welcome\" next=\"menu\" interruptible=\"true\"><prompt audio=\"1\"/>"
	"<prompt tts=\"您好 ${contact_name}\"/></play>\n"
	"<menu id=\"menu\" fallback=\"sales\" timeout-s=\"5\" retries=\"2\" invalid-audio=\"2\">\n"
	"  <prompt audio=\"1\"/><key digit=\"1\" next=\"order\"/><key digit=\"2\" next=\"sales\"/>"
	"<key digit=\"9\" next=\"vm\"/><key digit=\"0\" next=\"someone\"/><key digit=\"8\" next=\"other\"/>\n"
	"</menu>\n"
	"<collect id=\"order\" var=\"order\" min=\"4\" max=\"10\" terminator=\"#\" next=\"lookup\" "
	"fail=\"menu\"><prompt tts=\"请输入订单号\"/></collect>\n"
	"<http id=\"lookup\" url=\"http://127.0.0.1/o/${order}?c=${caller}\" ok=\"vip\" error=\"sales\" "
	"timeout=\"sales\"><header name=\"X-Lang\" value=\"${lang}\"/><body>{\"o\":\"${order}\"}</body>"
	"<result var=\"level\" path=\"customer.level\"/></http>\n"
	"<branch id=\"vip\" else=\"sales\"><case next=\"mark\"><if var=\"level\" op=\"eq\" value=\"gold\"/>"
	"<if var=\"caller\" op=\"prefix\" value=\"138\"/></case></branch>\n"
	"<set id=\"mark\" var=\"tag\" value=\"vip-${order}\" next=\"vipq\"/>\n"
	"<queue id=\"vipq\" group=\"2\" next=\"sales\" after=\"survey\" familiar=\"true\">"
	"<attach var=\"tag\"/></queue>\n"
	"<queue id=\"sales\" group=\"1\" next=\"vm\" after=\"survey\"/>\n"
	"<survey id=\"survey\" keys=\"12345\" next=\"bye\"><prompt audio=\"3\"/></survey>\n"
	"<voicemail id=\"vm\" group=\"1\" max-s=\"60\" next=\"bye\"><prompt audio=\"3\"/></voicemail>\n"
	"<agent id=\"someone\" agent=\"0u2\" next=\"menu\"/>\n"
	"<subflow id=\"other\" flow=\"7\" next=\"out\"/>\n"
	"<dial id=\"out\" number=\"01058001234\" caller-id=\"${callee}\" next=\"bye\"/>\n"
	"<play id=\"closed\" next=\"end\"><prompt audio=\"2\"/></play>\n"
	"<hangup id=\"bye\" cause=\"done\"/>\n"
	"<end id=\"end\"/>\n"
	"</flow>\n";

/* What exists: audio 1-3, groups 1-2, agent 0u2, flow 7. */
static bool exists(void *arg, enum ivr_ref_kind kind, const char *key)
{
	(void)arg;
	switch (kind) {
	case IVR_REF_AUDIO:
		return !strcmp(key, "1") || !strcmp(key, "2") || !strcmp(key, "3");
	case IVR_REF_GROUP:
		return !strcmp(key, "1") || !strcmp(key, "2");
	case IVR_REF_AGENT:
		return !strcmp(key, "0u2");
	case IVR_REF_FLOW:
		return !strcmp(key, "7");
	default:
		return false;
	}
}

static struct ivr_problems problems(const char *xml)
{
	struct ivr_problems p = { 0 };
	struct ivr_flow *f = NULL;
	if (!ivr_parse(xml, strlen(xml), SCHEMA, &f, &p)) {
		assert_non_null(f);
		ivr_check(f, exists, NULL, &p);
		ivr_free(f);
	} else {
		assert_null(f);
	}
	return p;
}

/* "code node detail" of each problem, joined by " | ". */
static void summary(const struct ivr_problems *p, char *out, size_t len)
{
	size_t off = 0;
	out[0] = '\0';
	for (size_t i = 0; i < p->n && off < len; i++)
		off += (size_t)snprintf(out + off, len - off, "%s%s %s %s", i ? " | " : "",
					p->v[i].code, p->v[i].node[0] ? p->v[i].node : "-",
					p->v[i].detail);
}

static void expect(const char *xml, const char *want)
{
	struct ivr_problems p = problems(xml);
	char got[1024];
	summary(&p, got, sizeof got);
	if (strcmp(got, want))
		fail_msg("problems:\n got: %s\nwant: %s", got, want);
	ivr_problems_free(&p);
}

static void every_node_type_passes(void **state)
{
	(void)state;
	struct ivr_problems p = { 0 };
	struct ivr_flow *f = NULL;
	assert_int_equal(ivr_parse(good, strlen(good), SCHEMA, &f, &p), 0);
	assert_int_equal(ivr_check(f, exists, NULL, &p), 0);
	assert_int_equal(p.n, 0);
	assert_string_equal(f->name, "t");
	assert_int_equal(f->n, 18);
	assert_int_equal(f->nodes[0].type, IVR_START);
	/* Each type once at least, with its exits resolved. */
	bool seen[IVR_NODE_TYPE_COUNT] = { false };
	for (size_t i = 0; i < f->n; i++) {
		seen[f->nodes[i].type] = true;
		for (size_t k = 0; k < f->nodes[i].nexits; k++)
			assert_true(f->nodes[i].exits[k].to >= 0);
	}
	for (int t = 0; t < IVR_NODE_TYPE_COUNT; t++)
		if (!seen[t])
			fail_msg("no %s node in the flow", ivr_node_type_name(t));
	/* The menu: its keys then the fallback; the http node's reads. */
	const struct ivr_node *menu = &f->nodes[3];
	assert_string_equal(menu->id, "menu");
	assert_int_equal(menu->nexits, 6);
	assert_string_equal(menu->exits[0].name, "key 1");
	assert_string_equal(menu->exits[5].name, "fallback");
	const struct ivr_node *http = &f->nodes[5];
	assert_int_equal(http->nreads, 3);	/* order, caller, lang */
	assert_string_equal(http->exits[0].defines_list[0], "level");
	assert_int_equal(f->nparams, 1);
	assert_int_equal(menu->line, 8);
	ivr_free(f);
	ivr_problems_free(&p);
	/* Without a callback references are not checked. */
	assert_int_equal(ivr_parse(good, strlen(good), SCHEMA, &f, &p), 0);
	assert_int_equal(ivr_check(f, NULL, NULL, &p), 0);
	ivr_free(f);
}

static void the_schema_refuses_with_lines(void **state)
{
	(void)state;
	/* An unknown node type, on line 4. */
	struct ivr_problems p = problems(HEAD "<start id=\"s\" next=\"x\"/>\n<dance id=\"x\"/>\n</flow>\n");
	assert_true(p.n >= 1);
	assert_string_equal(p.v[0].code, "ivr.schema");
	assert_int_equal(p.v[0].line, 4);
	ivr_problems_free(&p);
	/* A bad value: a key that is not a key; a timeout over an hour. The
	 * problem names the node whose element holds it. */
	p = problems(HEAD "<start id=\"s\" next=\"m\"/>\n<menu id=\"m\" fallback=\"s\" timeout-s=\"9999\">"
		     "<prompt audio=\"1\"/><key digit=\"x\" next=\"s\"/></menu>\n</flow>\n");
	assert_true(p.n >= 1);
	assert_string_equal(p.v[0].code, "ivr.schema");
	assert_string_equal(p.v[0].node, "m");
	ivr_problems_free(&p);
	/* A bad value inside a node's child element (a menu key's digit). */
	p = problems(HEAD "<start id=\"s\" next=\"m\"/>\n<menu id=\"m\" fallback=\"s\">"
		     "<prompt audio=\"1\"/><key digit=\"x\" next=\"s\"/></menu>\n</flow>\n");
	assert_true(p.n >= 1);
	assert_string_equal(p.v[0].code, "ivr.schema");
	assert_string_equal(p.v[0].node, "m");
	assert_int_equal(p.v[0].line, 4);
	ivr_problems_free(&p);
	/* The flow element itself: no node. */
	p = problems("<?xml version=\"1.0\"?>\n<flow xmlns=\"urn:cc:ivr-flow:1\">"
		     "<start id=\"s\" next=\"h\"/><hangup id=\"h\"/></flow>\n");
	assert_true(p.n >= 1);
	assert_string_equal(p.v[0].code, "ivr.schema");
	assert_string_equal(p.v[0].node, "");
	ivr_problems_free(&p);
	/* No start; not XML at all; not even a flow. */
	p = problems(HEAD "<hangup id=\"h\"/>\n</flow>\n");
	assert_string_equal(p.v[0].code, "ivr.schema");
	ivr_problems_free(&p);
	p = problems("<flow");
	assert_string_equal(p.v[0].code, "ivr.schema");
	ivr_problems_free(&p);
	p = problems("<?xml version=\"1.0\"?><html/>");
	assert_string_equal(p.v[0].code, "ivr.schema");
	ivr_problems_free(&p);
	/* An external entity is not loaded, nor expanded. */
	p = problems("<?xml version=\"1.0\"?><!DOCTYPE flow [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
		     "<flow xmlns=\"urn:cc:ivr-flow:1\" name=\"&x;\"><start id=\"s\" next=\"h\"/>"
		     "<hangup id=\"h\"/></flow>");
	for (size_t i = 0; i < p.n; i++)
		assert_null(strstr(p.v[i].detail, "root:"));
	ivr_problems_free(&p);
}

static void a_node_id_used_twice(void **state)
{
	(void)state;
	expect(HEAD "<start id=\"s\" next=\"a\"/>\n<hangup id=\"a\"/>\n<end id=\"a\"/>\n</flow>\n",
	       "ivr.duplicate_id a a");
}

static void an_exit_to_nothing(void **state)
{
	(void)state;
	expect(HEAD "<start id=\"s\" next=\"p\"/>\n<play id=\"p\" next=\"nowhere\"><prompt audio=\"1\"/>"
	       "</play>\n</flow>\n",
	       "ivr.exit_unknown p next → nowhere");
}

static void an_exit_connected_to_nothing(void **state)
{
	(void)state;
	/* Required exits left out of a drawing: each named on its node. */
	expect(HEAD "<start id=\"s\" next=\"m\"/>\n<menu id=\"m\"><prompt audio=\"1\"/>"
	       "<key digit=\"1\" next=\"h\"/><key digit=\"2\"/></menu>\n"
	       "<http id=\"w\" url=\"http://x/\" ok=\"h\"/>\n<hangup id=\"h\"/>\n</flow>\n",
	       "ivr.exit_unconnected m key 2 | ivr.exit_unconnected m fallback | "
	       "ivr.exit_unconnected w error | ivr.exit_unconnected w timeout | ivr.unreachable w w");
	expect(HEAD "<start id=\"s\"/>\n</flow>\n", "ivr.exit_unconnected s next");
	/* Optional exits (a queue's and an agent's after) may stay so. */
	expect(HEAD "<start id=\"s\" next=\"q\"/>\n<queue id=\"q\" group=\"1\" next=\"a\"/>\n"
	       "<agent id=\"a\" agent=\"0u2\" next=\"h\"/>\n<hangup id=\"h\"/>\n</flow>\n",
	       "");
}

static void a_node_nobody_reaches(void **state)
{
	(void)state;
	expect(HEAD "<start id=\"s\" next=\"h\"/>\n<hangup id=\"h\"/>\n<play id=\"lost\" next=\"h\">"
	       "<prompt audio=\"1\"/></play>\n</flow>\n",
	       "ivr.unreachable lost lost");
}

static void a_loop_that_never_waits(void **state)
{
	(void)state;
	/* set -> branch -> set ...: no prompt, no key, nothing to wait for. */
	expect(HEAD "<start id=\"s\" next=\"a\"/>\n<set id=\"a\" var=\"x\" value=\"1\" next=\"b\"/>\n"
	       "<branch id=\"b\" else=\"a\"><case next=\"h\"><if var=\"x\" op=\"eq\" value=\"2\"/></case>"
	       "</branch>\n<hangup id=\"h\"/>\n</flow>\n",
	       "ivr.loop_no_wait a a, b");
}

static void a_loop_that_cannot_be_left(void **state)
{
	(void)state;
	/* Two menus sending the caller to each other whatever happens. */
	expect(HEAD "<start id=\"s\" next=\"m1\"/>\n"
	       "<menu id=\"m1\" fallback=\"m2\"><prompt audio=\"1\"/><key digit=\"1\" next=\"m2\"/></menu>\n"
	       "<menu id=\"m2\" fallback=\"m1\"><prompt audio=\"2\"/><key digit=\"1\" next=\"m1\"/></menu>\n"
	       "</flow>\n",
	       "ivr.loop_no_exit m1 m1, m2");
	/* A way out (a queue the caller is connected from) is enough. */
	expect(HEAD "<start id=\"s\" next=\"m1\"/>\n"
	       "<menu id=\"m1\" fallback=\"q\"><prompt audio=\"1\"/><key digit=\"1\" next=\"m1\"/></menu>\n"
	       "<queue id=\"q\" group=\"1\" next=\"m1\"/>\n</flow>\n",
	       "");
}

static void what_the_flow_names_must_exist(void **state)
{
	(void)state;
	expect(HEAD "<start id=\"s\" next=\"p\"/>\n<play id=\"p\" next=\"q\"><prompt audio=\"99\"/></play>\n"
	       "<queue id=\"q\" group=\"5\" next=\"a\"/>\n<agent id=\"a\" agent=\"nobody\" next=\"f\"/>\n"
	       "<subflow id=\"f\" flow=\"8\" next=\"v\"/>\n<voicemail id=\"v\" group=\"1\" next=\"h\"/>\n"
	       "<hangup id=\"h\"/>\n</flow>\n",
	       "ivr.ref_missing p audio 99 | ivr.ref_missing q group 5 | "
	       "ivr.ref_missing a agent nobody | ivr.ref_missing f flow 8");
}

static void a_variable_read_before_it_is_set(void **state)
{
	(void)state;
	/* Never set. */
	expect(HEAD "<start id=\"s\" next=\"p\"/>\n<play id=\"p\" next=\"h\"><prompt tts=\"${order}\"/>"
	       "</play>\n<hangup id=\"h\"/>\n</flow>\n",
	       "ivr.var_unset p order");
	/* Set on one path into the node only. */
	expect(HEAD "<start id=\"s\" next=\"b\"/>\n"
	       "<branch id=\"b\" else=\"p\"><case next=\"c\"><if var=\"caller\" op=\"prefix\" value=\"1\"/>"
	       "</case></branch>\n"
	       "<collect id=\"c\" var=\"order\" next=\"p\" fail=\"h\"><prompt audio=\"1\"/></collect>\n"
	       "<play id=\"p\" next=\"h\"><prompt tts=\"${order}\"/></play>\n<hangup id=\"h\"/>\n</flow>\n",
	       "ivr.var_unset p order");
	/* A collect's failure exit, and an HTTP request's error exit, set
	 * nothing. */
	expect(HEAD "<start id=\"s\" next=\"c\"/>\n"
	       "<collect id=\"c\" var=\"order\" next=\"h\" fail=\"p\"><prompt audio=\"1\"/></collect>\n"
	       "<play id=\"p\" next=\"w\"><prompt tts=\"${order}\"/></play>\n"
	       "<http id=\"w\" url=\"http://x/\" ok=\"d\" error=\"d\" timeout=\"h\">"
	       "<result var=\"level\" path=\"l\"/></http>\n"
	       "<set id=\"d\" var=\"t\" value=\"${level}\" next=\"h\"/>\n<hangup id=\"h\"/>\n</flow>\n",
	       "ivr.var_unset p order | ivr.var_unset d level");
	/* Parameters, built-in variables and the contact's fields are set. */
	expect(HEAD "<start id=\"s\" next=\"p\"><param name=\"x\" default=\"1\"/></start>\n"
	       "<play id=\"p\" next=\"h\"><prompt tts=\"${x}${caller}${callee}${contact_company}${digits}\"/>"
	       "</play>\n<hangup id=\"h\"/>\n</flow>\n",
	       "");
	/* ${} that names nothing, or not a name, is text. */
	expect(HEAD "<start id=\"s\" next=\"p\"/>\n<play id=\"p\" next=\"h\"><prompt tts=\"${} ${1x} ${A}\"/>"
	       "</play>\n<hangup id=\"h\"/>\n</flow>\n",
	       "");
}

static void a_key_given_twice_and_crossed_bounds(void **state)
{
	(void)state;
	expect(HEAD "<start id=\"s\" next=\"m\"/>\n<menu id=\"m\" fallback=\"h\"><prompt audio=\"1\"/>"
	       "<key digit=\"1\" next=\"h\"/><key digit=\"1\" next=\"c\"/></menu>\n"
	       "<collect id=\"c\" var=\"n\" min=\"8\" max=\"4\" next=\"h\" fail=\"h\"><prompt audio=\"1\"/>"
	       "</collect>\n<hangup id=\"h\"/>\n</flow>\n",
	       "ivr.duplicate_key m 1 | ivr.bad_range c 8 > 4");
}

/* The example in docs/ivr.md is a flow that would be published. */
static void the_documented_example_passes(void **state)
{
	(void)state;
	FILE *fp = fopen("docs/ivr.md", "r");
	assert_non_null(fp);
	static char doc[65536], xml[16384];
	size_t len = fread(doc, 1, sizeof doc - 1, fp);
	fclose(fp);
	doc[len] = '\0';
	const char *from = strstr(doc, "```xml\n"), *to = from ? strstr(from + 7, "```") : NULL;
	assert_non_null(to);
	snprintf(xml, sizeof xml, "%.*s", (int)(to - from - 7), from + 7);
	expect(xml, "");
}

static void names(void **state)
{
	(void)state;
	for (int t = 0; t < IVR_NODE_TYPE_COUNT; t++)
		assert_int_equal(ivr_node_type_parse(ivr_node_type_name(t)), t);
	assert_int_equal(ivr_node_type_parse("dance"), -1);
	assert_true(ivr_builtin_var("contact_name"));
	assert_true(ivr_builtin_var("contact_mobileno"));
	assert_false(ivr_builtin_var("contact_"));
	assert_false(ivr_builtin_var("order"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_node_type_passes),
		cmocka_unit_test(the_schema_refuses_with_lines),
		cmocka_unit_test(a_node_id_used_twice),
		cmocka_unit_test(an_exit_to_nothing),
		cmocka_unit_test(an_exit_connected_to_nothing),
		cmocka_unit_test(a_node_nobody_reaches),
		cmocka_unit_test(a_loop_that_never_waits),
		cmocka_unit_test(a_loop_that_cannot_be_left),
		cmocka_unit_test(what_the_flow_names_must_exist),
		cmocka_unit_test(a_variable_read_before_it_is_set),
		cmocka_unit_test(a_key_given_twice_and_crossed_bounds),
		cmocka_unit_test(the_documented_example_passes),
		cmocka_unit_test(names),
	};
	return cmocka_run_group_tests_name("ivr", tests, NULL, NULL);
}
