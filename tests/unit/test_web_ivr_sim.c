/* Test calls (fcgi-app/ivr/simulate.h): a document replayed through the
 * events a browser sends, the path, prompts, actions and what the call
 * waits for in the reply; a document that cannot be read gives its
 * problems and no path; one with graph problems runs and lists them; an
 * event that is not one is refused; prompts finish by themselves unless
 * asked not to. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi-app/ivr/simulate.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flow xmlns=\"urn:cc:ivr-flow:1\" name=\"t\">\n"

static const char menu[] = HEAD
	"<start id=\"s\" next=\"m\"/>\n"
	"<menu id=\"m\" fallback=\"bye\" timeout-s=\"3\" retries=\"0\"><prompt audio=\"3\"/>"
	"<prompt tts=\"press 1, ${caller}\"/><key digit=\"1\" next=\"w\"/></menu>\n"
	"<http id=\"w\" url=\"http://127.0.0.1/x\" ok=\"q\" error=\"bye\" timeout=\"bye\">"
	"<result var=\"tag\" path=\"a.b\"/></http>\n"
	"<queue id=\"q\" group=\"2\" next=\"bye\"><attach var=\"tag\"/></queue>\n"
	"<hangup id=\"bye\" cause=\"done\"/>\n</flow>\n";

static const char *audio_name(void *arg, unsigned id)
{
	(void)arg;
	return id == 3 ? "欢迎语" : NULL;
}

static struct ivr_sim_env env = {
	.schema = "schemas/ivr-flow.rng", .flow_id = 5, .now = 1780279140000LL,
	.auto_prompts = true, .audio_name = audio_name,
};

static json_t *sim(const char *doc, const char *events)
{
	json_t *ev = json_loads(events, 0, NULL);
	assert_non_null(ev);
	const char *err = NULL;
	json_t *out = ivr_simulate(&env, doc, strlen(doc), ev, &err);
	json_decref(ev);
	if (!out)
		fail_msg("refused: %s", err);
	return out;
}

/* "node>exit" of each step, joined by spaces. */
static void path(json_t *out, char *buf, size_t len)
{
	size_t off = 0;
	json_t *steps = json_object_get(out, "steps");
	buf[0] = '\0';
	for (size_t i = 0; i < json_array_size(steps); i++) {
		json_t *s = json_array_get(steps, i);
		const char *exit = json_string_value(json_object_get(s, "exit"));
		off += (size_t)snprintf(buf + off, len - off, "%s%s>%s", i ? " " : "",
					json_string_value(json_object_get(s, "node")),
					exit ? exit : "");
	}
}

static void a_call_through_a_menu(void **state)
{
	(void)state;
	json_t *out = sim(menu, "[{\"type\":\"digit\",\"digit\":\"1\"},"
				"{\"type\":\"http\",\"result\":\"ok\",\"status\":200,"
				"\"body\":\"{\\\"a\\\":{\\\"b\\\":\\\"vip\\\"}}\"}]");
	char p[512];
	path(out, p, sizeof p);
	assert_string_equal(p, "s>next m>key 1 w>ok q>");
	json_t *m = json_array_get(json_object_get(out, "steps"), 1);
	char *s = json_dumps(json_object_get(m, "prompts"), JSON_COMPACT);
	assert_string_equal(s, "[\"欢迎语\",\"press 1, 10000000000\"]");
	free(s);
	assert_string_equal(json_string_value(json_object_get(m, "type")), "menu");
	assert_string_equal(json_string_value(json_object_get(m, "digits")), "1");
	json_t *q = json_array_get(json_object_get(out, "steps"), 3);
	assert_string_equal(json_string_value(json_object_get(q, "action")), "enqueue");
	json_t *d = json_object_get(q, "detail");
	assert_int_equal(json_integer_value(json_object_get(d, "group")), 2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(d, "attached"), "tag")),
			    "vip");
	assert_string_equal(json_string_value(json_object_get(out, "waiting")), "queue");
	assert_false(json_is_true(json_object_get(out, "ended")));
	assert_int_equal(json_array_size(json_object_get(out, "problems")), 0);
	json_decref(out);
	/* No key: the timeout, no retry, the fallback; the call ends. */
	out = sim(menu, "[{\"type\":\"timeout\"}]");
	path(out, p, sizeof p);
	assert_string_equal(p, "s>next m>fallback bye>");
	assert_true(json_is_true(json_object_get(out, "ended")));
	assert_true(json_is_null(json_object_get(out, "waiting")));
	json_t *bye = json_array_get(json_object_get(out, "steps"), 2);
	assert_string_equal(json_string_value(json_object_get(bye, "action")), "hangup");
	json_decref(out);
}

static void prompts_wait_when_asked(void **state)
{
	(void)state;
	env.auto_prompts = false;
	json_t *out = sim(menu, "[]");
	assert_string_equal(json_string_value(json_object_get(out, "waiting")), "prompt");
	json_decref(out);
	out = sim(menu, "[{\"type\":\"prompt_done\"}]");
	assert_string_equal(json_string_value(json_object_get(out, "waiting")), "digit");
	json_decref(out);
	env.auto_prompts = true;
}

static void problems_come_back(void **state)
{
	(void)state;
	/* Not a flow: problems, no path. */
	json_t *out = sim(HEAD "<dance id=\"x\"/></flow>", "[]");
	assert_int_equal(json_array_size(json_object_get(out, "steps")), 0);
	json_t *p0 = json_array_get(json_object_get(out, "problems"), 0);
	assert_string_equal(json_string_value(json_object_get(p0, "code")), "ivr.schema");
	json_decref(out);
	/* An exit not connected: listed, and the call still runs (ends there). */
	out = sim(HEAD "<start id=\"s\" next=\"p\"/>\n<play id=\"p\"><prompt audio=\"9\"/></play>\n</flow>\n",
		  "[]");
	char p[256];
	path(out, p, sizeof p);
	assert_string_equal(p, "s>next p>next");
	p0 = json_array_get(json_object_get(out, "problems"), 0);
	assert_string_equal(json_string_value(json_object_get(p0, "code")), "ivr.exit_unconnected");
	assert_string_equal(json_string_value(json_object_get(p0, "node")), "p");
	json_t *play = json_array_get(json_object_get(out, "steps"), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(play, "prompts"), 0)),
			    "#9");
	assert_true(json_is_true(json_object_get(out, "ended")));
	json_decref(out);
}

static void what_is_no_event_is_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"[{\"type\":\"digit\",\"digit\":\"12\"}]", "[{\"type\":\"digit\"}]",
		"[{\"type\":\"dance\"}]", "[{\"type\":\"http\",\"result\":\"maybe\"}]",
		"[{\"type\":\"queue\"}]", "[{\"type\":\"start\"}]", "[1]",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		json_t *ev = json_loads(bad[i], 0, NULL);
		const char *err = NULL;
		assert_null(ivr_simulate(&env, menu, strlen(menu), ev, &err));
		assert_string_equal(err, "bad_request");
		json_decref(ev);
	}
	json_t *many = json_array();
	for (int i = 0; i <= IVR_SIM_EVENTS_MAX; i++)
		json_array_append_new(many, json_pack("{s:s}", "type", "timeout"));
	const char *err = NULL;
	assert_null(ivr_simulate(&env, menu, strlen(menu), many, &err));
	json_decref(many);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_call_through_a_menu),
		cmocka_unit_test(prompts_wait_when_asked),
		cmocka_unit_test(problems_come_back),
		cmocka_unit_test(what_is_no_event_is_refused),
	};
	return cmocka_run_group_tests_name("web_ivr_sim", tests, NULL, NULL);
}
