/* The IVR interpreter (common/ivr_run.h) with a fake media layer: the ops
 * write what the call does into a log, events carry an injected clock.
 * Every node type and exit: play (plain, interrupted with the key kept for
 * a menu), menu (valid key, invalid key then retry, timeout then
 * fallback), collect (terminator, max length, inter-digit timeout, too
 * short, confirm), branch operators, time (both sides of closing time, a
 * holiday, two zones), set, http (ok with results, non-2xx, malformed JSON,
 * timeout, no reply, escaping), queue next/after, agent, dial, voicemail,
 * survey, sub-flow and return, hangup cause, end, the spin guard. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ivr_run.h"

#define SCHEMA "schemas/ivr-flow.rng"
#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flow xmlns=\"urn:cc:ivr-flow:1\" name=\"t\">\n"

/* 2026-06-01 was a Monday; times in UTC. */
#define MON_0959_CST 1780279140000LL	/* 2026-06-01 09:59 +08:00 */
#define HOUR 3600000LL

struct fake {
	char log[8192];
	struct ivr_prog *sub;	/* what lookup gives */
	struct ivr_call *c;
	struct ivr_prog *prog;
	long long now;
};

static void logf_(struct fake *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(struct fake *f, const char *fmt, ...)
{
	size_t off = strlen(f->log);
	if (off)
		off += (size_t)snprintf(f->log + off, sizeof f->log - off, " | ");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->log + off, sizeof f->log - off, fmt, ap);
	va_end(ap);
}

static void prompts_str(const struct ivr_prompt *p, size_t n, char *out, size_t len)
{
	size_t off = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++)
		off += p[i].audio ? (size_t)snprintf(out + off, len - off, "%s%u", i ? "," : "",
						     p[i].audio)
				  : (size_t)snprintf(out + off, len - off, "%s'%s'", i ? "," : "",
						     p[i].text);
}

static void op_play(void *arg, const struct ivr_prompt *p, size_t n, bool interruptible)
{
	char s[512];
	prompts_str(p, n, s, sizeof s);
	logf_(arg, "play %s%s", s, interruptible ? " (keys stop)" : "");
}
static void op_stop(void *arg) { logf_(arg, "stop"); }
static void op_timer(void *arg, unsigned ms) { logf_(arg, "timer %u", ms); }
static void op_cancel(void *arg) { logf_(arg, "cancel"); }
static void op_http(void *arg, const struct ivr_http_req *r)
{
	logf_(arg, "http %s %s %u", r->method, r->url, r->timeout_ms);
	for (size_t i = 0; i < r->nheaders; i++)
		logf_(arg, "header %s: %s", r->headers[i].name, r->headers[i].value);
	if (r->body)
		logf_(arg, "body %s", r->body);
}
static void op_enqueue(void *arg, const struct ivr_queue_req *q)
{
	logf_(arg, "enqueue %u p%u w%u%s", q->group, q->priority, q->max_wait_s,
	      q->familiar ? " familiar" : "");
	for (size_t i = 0; i < q->nattached; i++)
		logf_(arg, "attach %s=%s", q->attached[i].name, q->attached[i].value);
}
static void op_agent(void *arg, const char *a, bool after)
{
	logf_(arg, "agent %s%s", a, after ? " (after)" : "");
}
static void op_dial(void *arg, const char *n, const char *cid)
{
	logf_(arg, "dial %s as %s", n, cid ? cid : "(dialed)");
}
static void op_record(void *arg, unsigned g, unsigned s, const struct ivr_prompt *p, size_t n)
{
	char str[256];
	prompts_str(p, n, str, sizeof str);
	logf_(arg, "record %u %us after %s", g, s, str);
}
static void op_survey(void *arg, char k) { logf_(arg, "survey %c", k); }
static void op_hangup(void *arg, const char *cause) { logf_(arg, "hangup %s", cause); }
static void op_end(void *arg) { logf_(arg, "end"); }
static void op_step(void *arg, const struct ivr_step *s)
{
	if (!s->exit)
		logf_(arg, "@%s", s->node);
	else if (s->digits)
		logf_(arg, "%s -%s(%s)->", s->node, s->exit, s->digits);
	else
		logf_(arg, "%s -%s->", s->node, s->exit);
}
static struct ivr_prog *op_lookup(void *arg, unsigned id)
{
	struct fake *f = arg;
	return f->sub && ivr_prog_flow(f->sub) == id ? ivr_prog_ref(f->sub) : NULL;
}

static const struct ivr_ops ops = {
	.play = op_play, .stop = op_stop, .timer = op_timer, .cancel = op_cancel,
	.http = op_http, .enqueue = op_enqueue, .to_agent = op_agent, .dial = op_dial,
	.record = op_record, .survey_result = op_survey, .hangup = op_hangup, .end = op_end,
	.step = op_step, .lookup = op_lookup,
};

static struct ivr_prog *compile(const char *xml, unsigned id)
{
	struct ivr_problems p = { 0 };
	struct ivr_flow *f = NULL;
	if (ivr_parse(xml, strlen(xml), SCHEMA, &f, &p))
		fail_msg("parse: %s %s", p.v[0].code, p.v[0].detail);
	struct ivr_prog *prog = NULL;
	if (ivr_prog_build(&prog, f, id, NULL, &p))
		fail_msg("build: %s %s", p.v[0].code, p.v[0].detail);
	ivr_free(f);
	ivr_problems_free(&p);
	return prog;
}

static struct fake F;

/* A call through xml from its start at now, its log cleared after. */
static void begin(const char *xml, long long now)
{
	memset(&F, 0, sizeof F);
	F.prog = compile(xml, 1);
	F.now = now;
	assert_int_equal(ivr_call_alloc(&F.c, F.prog, &ops, &F), 0);
	ivr_call_set(F.c, "caller", "13800001111");
	ivr_call_set(F.c, "callee", "4001");
	struct ivr_event ev = { .type = IVR_EV_START, .now = now };
	ivr_call_event(F.c, &ev);
}

static void done(void)
{
	ivr_call_free(F.c);
	ivr_prog_unref(F.prog);
	ivr_prog_unref(F.sub);
	F.c = NULL;
	F.prog = F.sub = NULL;
}

static void ev(enum ivr_event_type t)
{
	struct ivr_event e = { .type = t, .now = F.now };
	ivr_call_event(F.c, &e);
}

static void key(char d)
{
	struct ivr_event e = { .type = IVR_EV_DIGIT, .now = F.now, .digit = d };
	ivr_call_event(F.c, &e);
}

static void reply(int status, const char *body)
{
	struct ivr_event e = { .type = IVR_EV_HTTP_REPLY, .now = F.now, .status = status,
			       .body = body, .body_len = body ? strlen(body) : 0 };
	ivr_call_event(F.c, &e);
}

/* The log so far equals want; then cleared. */
static void expect_log(const char *want)
{
	if (strcmp(F.log, want))
		fail_msg("log:\n got: %s\nwant: %s", F.log, want);
	F.log[0] = '\0';
}

/* --- play ------------------------------------------------------------------------------ */

static void play_then_next(void **state)
{
	(void)state;
	begin(HEAD "<start id=\"s\" next=\"p\"><param name=\"who\" default=\"${caller}\"/></start>\n"
	      "<play id=\"p\" next=\"h\"><prompt audio=\"4\"/><prompt tts=\"hi ${who}\" voice=\"en\"/>"
	      "</play>\n<hangup id=\"h\" cause=\"bye\"/>\n</flow>\n", 0);
	expect_log("@s | s -next-> | @p | play 4,'hi 13800001111'");
	assert_int_equal(ivr_call_waiting(F.c), IVR_WAIT_PROMPT);
	key('1');	/* not interruptible: the key changes nothing */
	expect_log("");
	ev(IVR_EV_PROMPT_DONE);
	expect_log("p -next-> | @h | hangup bye");
	assert_true(ivr_call_ended(F.c));
	assert_string_equal(ivr_call_get(F.c, "who"), "13800001111");
	done();
}

static void an_interrupted_play_gives_its_key_to_the_menu(void **state)
{
	(void)state;
	begin(HEAD "<start id=\"s\" next=\"p\"/>\n"
	      "<play id=\"p\" next=\"m\" interruptible=\"true\"><prompt audio=\"4\"/></play>\n"
	      "<menu id=\"m\" fallback=\"h\"><prompt audio=\"5\"/><key digit=\"2\" next=\"q\"/></menu>\n"
	      "<queue id=\"q\" group=\"3\" next=\"h\"/>\n<hangup id=\"h\"/>\n</flow>\n", 0);
	expect_log("@s | s -next-> | @p | play 4 (keys stop)");
	key('2');
	expect_log("p -next(2)-> | stop | @m | m -key 2(2)-> | @q | enqueue 3 p0 w0");
	assert_string_equal(ivr_call_get(F.c, "digits"), "2");
	assert_int_equal(ivr_call_waiting(F.c), IVR_WAIT_QUEUE);
	ev(IVR_EV_NEXT);
	expect_log("q -next-> | @h | hangup normal");
	done();
}

/* --- menu ------------------------------------------------------------------------------ */

#define MENU HEAD "<start id=\"s\" next=\"m\"/>\n" \
	"<menu id=\"m\" fallback=\"fb\" timeout-s=\"4\" retries=\"1\" invalid-audio=\"8\" timeout-audio=\"9\">" \
	"<prompt audio=\"5\"/><key digit=\"1\" next=\"a\"/><key digit=\"#\" next=\"b\"/></menu>\n" \
	"<hangup id=\"a\" cause=\"one\"/>\n<hangup id=\"b\" cause=\"hash\"/>\n<hangup id=\"fb\" cause=\"fallback\"/>\n</flow>\n"

static void menu_valid_key(void **state)
{
	(void)state;
	begin(MENU, 0);
	expect_log("@s | s -next-> | @m | play 5 (keys stop)");
	ev(IVR_EV_PROMPT_DONE);
	expect_log("timer 4000");
	assert_int_equal(ivr_call_waiting(F.c), IVR_WAIT_DIGIT);
	key('#');
	expect_log("cancel | m -key #(#)-> | @b | hangup hash");
	done();
	/* A key during the prompt stops it. */
	begin(MENU, 0);
	F.log[0] = '\0';
	key('1');
	expect_log("stop | m -key 1(1)-> | @a | hangup one");
	done();
}

static void menu_invalid_key_then_retry(void **state)
{
	(void)state;
	begin(MENU, 0);
	ev(IVR_EV_PROMPT_DONE);
	F.log[0] = '\0';
	key('7');
	expect_log("cancel | play 8,5 (keys stop)");
	ev(IVR_EV_PROMPT_DONE);
	key('1');
	expect_log("timer 4000 | cancel | m -key 1(1)-> | @a | hangup one");
	done();
	/* Invalid twice with one retry: the fallback. */
	begin(MENU, 0);
	key('7');
	key('6');
	expect_log("@s | s -next-> | @m | play 5 (keys stop) | stop | play 8,5 (keys stop) | stop | "
		   "m -fallback(6)-> | @fb | hangup fallback");
	done();
}

static void menu_timeout_then_fallback(void **state)
{
	(void)state;
	begin(MENU, 0);
	ev(IVR_EV_PROMPT_DONE);
	F.log[0] = '\0';
	ev(IVR_EV_TIMER);
	expect_log("play 9,5 (keys stop)");
	ev(IVR_EV_PROMPT_DONE);
	ev(IVR_EV_TIMER);
	expect_log("timer 4000 | m -fallback-> | @fb | hangup fallback");
	done();
}

/* --- collect --------------------------------------------------------------------------- */

#define COLLECT(attrs) HEAD "<start id=\"s\" next=\"c\"/>\n" \
	"<collect id=\"c\" var=\"order\" next=\"ok\" fail=\"no\" " attrs "><prompt tts=\"订单号\"/></collect>\n" \
	"<play id=\"ok\" next=\"h\"><prompt tts=\"got ${order}\"/></play>\n<hangup id=\"no\" cause=\"fail\"/>\n" \
	"<hangup id=\"h\"/>\n</flow>\n"

static void collect_with_terminator(void **state)
{
	(void)state;
	begin(COLLECT("min=\"2\" max=\"8\" terminator=\"#\" first-timeout-s=\"6\" inter-timeout-s=\"2\""),
	      0);
	expect_log("@s | s -next-> | @c | play '订单号' (keys stop)");
	ev(IVR_EV_PROMPT_DONE);
	expect_log("timer 6000");
	key('1');
	key('2');
	key('3');
	key('#');
	expect_log("cancel | timer 2000 | cancel | timer 2000 | cancel | timer 2000 | cancel | "
		   "c -next(123)-> | @ok | play 'got 123'");
	assert_string_equal(ivr_call_get(F.c, "order"), "123");
	done();
}

static void collect_to_max_length(void **state)
{
	(void)state;
	begin(COLLECT("max=\"3\""), 0);
	F.log[0] = '\0';
	key('4');	/* during the prompt: stops it */
	key('5');
	key('6');
	expect_log("stop | timer 3000 | cancel | timer 3000 | cancel | c -next(456)-> | @ok | "
		   "play 'got 456'");
	done();
}

static void collect_inter_digit_timeout(void **state)
{
	(void)state;
	begin(COLLECT("min=\"2\" max=\"8\""), 0);
	ev(IVR_EV_PROMPT_DONE);
	key('7');
	key('8');
	F.log[0] = '\0';
	ev(IVR_EV_TIMER);
	expect_log("c -next(78)-> | @ok | play 'got 78'");
	done();
}

static void collect_too_short_then_fail(void **state)
{
	(void)state;
	begin(COLLECT("min=\"3\" terminator=\"#\" retries=\"1\""), 0);
	ev(IVR_EV_PROMPT_DONE);
	key('1');
	key('#');	/* one digit of three: asked again */
	F.log[0] = '\0';
	ev(IVR_EV_PROMPT_DONE);
	key('2');
	ev(IVR_EV_TIMER);	/* too short again, no retry left */
	expect_log("timer 5000 | cancel | timer 3000 | c -fail(2)-> | @no | hangup fail");
	assert_null(ivr_call_get(F.c, "order"));
	done();
	/* Nothing at all within the first timeout. */
	begin(COLLECT("retries=\"0\""), 0);
	ev(IVR_EV_PROMPT_DONE);
	F.log[0] = '\0';
	ev(IVR_EV_TIMER);
	expect_log("c -fail()-> | @no | hangup fail");
	done();
}

static void collect_with_confirm(void **state)
{
	(void)state;
	begin(COLLECT("max=\"2\" confirm=\"true\""), 0);
	ev(IVR_EV_PROMPT_DONE);
	key('4');
	F.log[0] = '\0';
	key('2');
	expect_log("cancel | play '您输入的是 4 2，确认请按1，重新输入请按2' (keys stop)");
	ev(IVR_EV_PROMPT_DONE);
	key('2');	/* enter again */
	expect_log("timer 5000 | cancel | play '订单号' (keys stop)");
	key('9');
	key('9');
	ev(IVR_EV_PROMPT_DONE);
	key('1');
	expect_log("stop | timer 3000 | cancel | play '您输入的是 9 9，确认请按1，重新输入请按2' (keys stop) | "
		   "timer 5000 | cancel | c -next(99)-> | @ok | play 'got 99'");
	assert_string_equal(ivr_call_get(F.c, "order"), "99");
	done();
}

/* --- branch, set ------------------------------------------------------------------------ */

/* The exit a one-condition branch takes with var x = value. */
static void branch_case(const char *x, const char *op, const char *value, bool want)
{
	char xml[1024];
	snprintf(xml, sizeof xml,
		 HEAD "<start id=\"s\" next=\"set\"/>\n<set id=\"set\" var=\"x\" value=\"%s\" next=\"b\"/>\n"
		      "<branch id=\"b\" else=\"no\"><case next=\"yes\"><if var=\"x\" op=\"%s\" value=\"%s\"/>"
		      "</case></branch>\n<hangup id=\"yes\"/>\n<hangup id=\"no\"/>\n</flow>\n",
		 x, op, value);
	begin(xml, 0);
	const char *exit = strstr(F.log, want ? "b -case 1->" : "b -else->");
	if (!exit)
		fail_msg("%s %s %s: %s", x, op, value, F.log);
	done();
}

static void branch_operators(void **state)
{
	(void)state;
	branch_case("abc", "eq", "abc", true);
	branch_case("abc", "eq", "abd", false);
	branch_case("abc", "ne", "abd", true);
	branch_case("9", "lt", "10", true);	/* numbers compare as numbers */
	branch_case("9", "lt", "10a", false);	/* else as text */
	branch_case("10", "le", "10.0", true);
	branch_case("-2", "gt", "-3", true);
	branch_case("5", "ge", "6", false);
	branch_case("13800001111", "prefix", "138", true);
	branch_case("13800001111", "prefix", "139", false);
	branch_case("hello world", "contains", "o w", true);
	branch_case("", "empty", "", true);
	branch_case("x", "empty", "", false);
	branch_case("x", "set", "", true);
	branch_case("", "set", "", false);
	branch_case("13800001111", "eq", "${caller}", true);	/* a template value */
	/* match all / any; the first case that holds. */
	const char *xml =
		HEAD "<start id=\"s\" next=\"b\"/>\n<branch id=\"b\" else=\"no\">"
		     "<case next=\"no\"><if var=\"caller\" op=\"prefix\" value=\"138\"/>"
		     "<if var=\"callee\" op=\"eq\" value=\"9\"/></case>"
		     "<case next=\"yes\" match=\"any\"><if var=\"caller\" op=\"prefix\" value=\"139\"/>"
		     "<if var=\"callee\" op=\"eq\" value=\"4001\"/></case>"
		     "<case next=\"no\"><if var=\"callee\" op=\"set\"/></case></branch>\n"
		     "<hangup id=\"yes\" cause=\"yes\"/>\n<hangup id=\"no\" cause=\"no\"/>\n</flow>\n";
	begin(xml, 0);
	expect_log("@s | s -next-> | @b | b -case 2-> | @yes | hangup yes");
	done();
}

/* --- time ------------------------------------------------------------------------------- */

#define TIME(tz) HEAD "<start id=\"s\" next=\"t\"/>\n" \
	"<time id=\"t\" " tz " open=\"o\" closed=\"c\"><hours days=\"mon-fri\" from=\"09:00\" to=\"10:00\"/>" \
	"<hours days=\"sat\" from=\"22:00\" to=\"02:00\"/><holiday date=\"2026-06-02\"/></time>\n" \
	"<hangup id=\"o\" cause=\"open\"/>\n<hangup id=\"c\" cause=\"closed\"/>\n</flow>\n"

static void time_exit(const char *xml, long long now, const char *want)
{
	begin(xml, now);
	if (!strstr(F.log, want))
		fail_msg("at %lld: %s", now, F.log);
	done();
}

static void time_both_sides_of_closing(void **state)
{
	(void)state;
	const char *sh = TIME("tz=\"Asia/Shanghai\"");
	time_exit(sh, MON_0959_CST, "t -open->");		/* Monday 09:59 */
	time_exit(sh, MON_0959_CST + 60000, "t -closed->");	/* 10:00 */
	time_exit(sh, MON_0959_CST - HOUR, "t -closed->");	/* 08:59 */
	/* A holiday: Tuesday 09:30. */
	time_exit(sh, MON_0959_CST + 24 * HOUR - 29 * 60000, "t -closed->");
	/* Wednesday 09:30 again open. */
	time_exit(sh, MON_0959_CST + 48 * HOUR - 29 * 60000, "t -open->");
	/* Past midnight: Saturday 23:00 and Sunday 01:00 open, 02:00 closed. */
	long long sat23 = MON_0959_CST + 5 * 24 * HOUR + 13 * HOUR + 60000;
	time_exit(sh, sat23, "t -open->");
	time_exit(sh, sat23 + 2 * HOUR, "t -open->");
	time_exit(sh, sat23 + 3 * HOUR, "t -closed->");
	/* Default zone: Asia/Shanghai. */
	time_exit(TIME(""), MON_0959_CST, "t -open->");
}

static void time_in_two_zones(void **state)
{
	(void)state;
	/* 09:59 in Shanghai is 21:59 (Sunday) in New York (EDT, -4). */
	const char *ny = TIME("tz=\"America/New_York\"");
	time_exit(ny, MON_0959_CST, "t -closed->");
	/* Monday 2026-06-01 09:30 EDT = 13:30 UTC. */
	time_exit(ny, 1780320600000LL, "t -open->");
	/* In winter (EST, -5) 13:30 UTC is 08:30: closed (2026-11-30, Monday). */
	time_exit(ny, 1796045400000LL, "t -closed->");
	time_exit(ny, 1796045400000LL + HOUR, "t -open->");
	/* Far in the future: the zone's rule, not its last transition
	 * (2050-12-05, Monday, 14:30 UTC = 09:30 EST). */
	time_exit(ny, 2553863400000LL, "t -open->");
	time_exit(ny, 2553863400000LL - HOUR, "t -closed->");
	time_exit(ny, 2553863400000LL - 182 * 24 * HOUR - HOUR, "t -open->");	/* June: EDT */
	/* A zone that does not exist, or names a path, is refused. */
	struct ivr_problems p = { 0 };
	struct ivr_flow *f = NULL;
	const char *bad = TIME("tz=\"Mars/Olympus\"");
	assert_int_equal(ivr_parse(bad, strlen(bad), SCHEMA, &f, &p), 0);
	struct ivr_prog *prog = NULL;
	assert_int_equal(ivr_prog_build(&prog, f, 1, NULL, &p), -1);
	assert_null(prog);
	assert_string_equal(p.v[0].code, "ivr.time_zone");
	assert_string_equal(p.v[0].node, "t");
	ivr_free(f);
	ivr_problems_free(&p);
	struct ivr_tz *tz = NULL;
	assert_int_equal(ivr_tz_load(&tz, NULL, "../etc/passwd"), -1);
	assert_int_equal(ivr_tz_load(&tz, NULL, "/etc/passwd"), -1);
	assert_int_equal(ivr_tz_load(&tz, NULL, "Asia//Shanghai"), -1);
	assert_int_equal(ivr_tz_load(&tz, NULL, "UTC"), 0);
	assert_int_equal(ivr_tz_offset(tz, 0), 0);
	ivr_tz_free(tz);
}

/* --- http ------------------------------------------------------------------------------- */

#define HTTP HEAD "<start id=\"s\" next=\"w\"><param name=\"q\" default=\"a b&amp;c\"/></start>\n" \
	"<http id=\"w\" method=\"POST\" url=\"http://127.0.0.1:9/x?q=${q}&amp;c=${caller}\" timeout-ms=\"800\" " \
	"ok=\"ok\" error=\"err\" timeout=\"slow\"><header name=\"X-Q\" value=\"${q}\"/>" \
	"<body>{\"q\":\"${q}\"}</body><result var=\"level\" path=\"customer.level\"/>" \
	"<result var=\"n\" path=\"items.1\"/><result var=\"gone\" path=\"nothing\"/></http>\n" \
	"<hangup id=\"ok\" cause=\"ok\"/>\n<hangup id=\"err\" cause=\"error\"/>\n" \
	"<hangup id=\"slow\" cause=\"timeout\"/>\n</flow>\n"

static void http_ok_with_results(void **state)
{
	(void)state;
	begin(HTTP, 0);
	expect_log("@s | s -next-> | @w | http POST http://127.0.0.1:9/x?q=a%20b%26c&c=13800001111 800 | "
		   "header X-Q: a b&c | body {\"q\":\"a b&c\"}");
	assert_int_equal(ivr_call_waiting(F.c), IVR_WAIT_HTTP);
	key('1');	/* ignored while waiting for the reply */
	reply(200, "{\"customer\":{\"level\":\"gold\"},\"items\":[1,2.5],\"nothing\":null}");
	expect_log("w -ok(200)-> | @ok | hangup ok");
	assert_string_equal(ivr_call_get(F.c, "level"), "gold");
	assert_string_equal(ivr_call_get(F.c, "n"), "2.5");
	assert_string_equal(ivr_call_get(F.c, "gone"), "");
	done();
}

static void http_error_malformed_and_timeout(void **state)
{
	(void)state;
	begin(HTTP, 0);
	reply(503, "{\"customer\":{\"level\":\"gold\"}}");
	assert_non_null(strstr(F.log, "w -error(503)-> | @err | hangup error"));
	assert_null(ivr_call_get(F.c, "level"));
	done();
	begin(HTTP, 0);
	reply(200, "<html>oops</html>");
	assert_non_null(strstr(F.log, "w -error(200)-> | @err"));
	done();
	begin(HTTP, 0);
	ev(IVR_EV_HTTP_TIMEOUT);
	assert_non_null(strstr(F.log, "w -timeout-> | @slow | hangup timeout"));
	done();
	begin(HTTP, 0);
	ev(IVR_EV_HTTP_ERROR);
	assert_non_null(strstr(F.log, "w -error-> | @err"));
	done();
	/* A value with quotes and a line break: escaped in JSON, dropped from
	 * a header. */
	begin(HEAD "<start id=\"s\" next=\"w\"><param name=\"q\" default=\"a&quot;&#10;b\"/></start>\n"
	      "<http id=\"w\" url=\"http://h/\" ok=\"h\" error=\"h\" timeout=\"h\">"
	      "<header name=\"X\" value=\"${q}\"/><header name=\"Content-Type\" value=\"application/json\"/>"
	      "<body>[\"${q}\"]</body></http>\n<hangup id=\"h\"/>\n</flow>\n", 0);
	if (!strstr(F.log, "header X: a\"b | header Content-Type: application/json | "
			   "body [\"a\\\"\\nb\"]"))
		fail_msg("%s", F.log);
	done();
}

/* --- hand-overs ------------------------------------------------------------------------- */

#define QUEUE(after) HEAD "<start id=\"s\" next=\"q\"/>\n" \
	"<queue id=\"q\" group=\"2\" priority=\"7\" max-wait-s=\"30\" familiar=\"true\" next=\"v\" " after ">" \
	"<attach var=\"caller\"/></queue>\n" \
	"<voicemail id=\"v\" group=\"2\" max-s=\"45\" next=\"h\"><prompt audio=\"6\"/></voicemail>\n" \
	"<survey id=\"sv\" keys=\"123\" timeout-s=\"7\" next=\"h\"><prompt audio=\"7\"/></survey>\n" \
	"<hangup id=\"h\" cause=\"done\"/>\n</flow>\n"

static void queue_next_to_voicemail(void **state)
{
	(void)state;
	begin(QUEUE("after=\"sv\""), 0);
	expect_log("@s | s -next-> | @q | enqueue 2 p7 w30 familiar | attach caller=13800001111");
	ev(IVR_EV_NEXT);
	expect_log("q -next-> | @v | record 2 45s after 6");
	assert_int_equal(ivr_call_waiting(F.c), IVR_WAIT_RECORD);
	ev(IVR_EV_RECORDED);
	expect_log("v -next-> | @h | hangup done");
	done();
}

static void queue_after_to_survey(void **state)
{
	(void)state;
	begin(QUEUE("after=\"sv\""), 0);
	F.log[0] = '\0';
	ev(IVR_EV_AFTER);
	expect_log("q -after-> | @sv | play 7 (keys stop)");
	key('9');	/* not one of its keys */
	ev(IVR_EV_PROMPT_DONE);
	key('3');
	expect_log("timer 7000 | survey 3 | sv -next(3)-> | cancel | @h | hangup done");
	done();
	/* No key: next without a result. */
	begin(QUEUE("after=\"sv\""), 0);
	ev(IVR_EV_AFTER);
	ev(IVR_EV_PROMPT_DONE);
	F.log[0] = '\0';
	ev(IVR_EV_TIMER);
	expect_log("sv -next-> | @h | hangup done");
	done();
	/* No after exit: the call ends when the agent hangs up. */
	begin(QUEUE(""), 0);
	F.log[0] = '\0';
	ev(IVR_EV_AFTER);
	expect_log("end");
	assert_true(ivr_call_ended(F.c));
	done();
}

static void agent_and_dial(void **state)
{
	(void)state;
	begin(HEAD "<start id=\"s\" next=\"a\"/>\n<agent id=\"a\" agent=\"u7\" next=\"d\"/>\n"
	      "<dial id=\"d\" number=\"0${callee}\" next=\"e\"/>\n"
	      "<dial id=\"d2\" number=\"1\" caller-id=\"${caller}\" next=\"e\"/>\n<end id=\"e\"/>\n</flow>\n",
	      0);
	expect_log("@s | s -next-> | @a | agent u7");
	ev(IVR_EV_NEXT);
	expect_log("a -next-> | @d | dial 04001 as (dialed)");
	ev(IVR_EV_NEXT);
	expect_log("d -next-> | @e | end");
	assert_true(ivr_call_ended(F.c));
	ev(IVR_EV_NEXT);	/* after the end: nothing */
	expect_log("");
	done();
}

/* --- sub-flows, hangup, the guard ------------------------------------------------------ */

static void subflow_and_return(void **state)
{
	(void)state;
	const char *main_xml =
		HEAD "<start id=\"s\" next=\"f\"/>\n<subflow id=\"f\" flow=\"9\" next=\"p\"/>\n"
		     "<play id=\"p\" next=\"h\"><prompt tts=\"back ${x}\"/></play>\n"
		     "<hangup id=\"h\" cause=\"main\"/>\n</flow>\n";
	const char *sub_xml =
		HEAD "<start id=\"s\" next=\"set\"><param name=\"x\" default=\"sub\"/></start>\n"
		     "<set id=\"set\" var=\"y\" value=\"${x}!\" next=\"e\"/>\n<end id=\"e\"/>\n</flow>\n";
	begin(main_xml, 0);	/* no flow 9: the call goes on */
	expect_log("@s | s -next-> | @f | f -next-> | @p | play 'back '");
	done();
	memset(&F, 0, sizeof F);
	F.prog = compile(main_xml, 1);
	F.sub = compile(sub_xml, 9);
	const unsigned *ids;
	assert_int_equal(ivr_prog_subflows(F.prog, &ids), 1);
	assert_int_equal(ids[0], 9);
	assert_int_equal(ivr_call_alloc(&F.c, F.prog, &ops, &F), 0);
	ev(IVR_EV_START);
	expect_log("@s | s -next-> | @f | @s | s -next-> | @set | set -next-> | @e | f -next-> | @p | "
		   "play 'back sub'");
	assert_string_equal(ivr_call_get(F.c, "y"), "sub!");
	/* The sub-flow's program outlives its publisher's reference. */
	ivr_prog_unref(F.sub);
	F.sub = NULL;
	ev(IVR_EV_PROMPT_DONE);
	expect_log("p -next-> | @h | hangup main");
	done();
	/* A hangup inside the sub-flow ends the call. */
	memset(&F, 0, sizeof F);
	F.prog = compile(main_xml, 1);
	F.sub = compile(HEAD "<start id=\"s\" next=\"h\"/>\n<hangup id=\"h\" cause=\"sub\"/>\n</flow>\n", 9);
	assert_int_equal(ivr_call_alloc(&F.c, F.prog, &ops, &F), 0);
	ev(IVR_EV_START);
	expect_log("@s | s -next-> | @f | @s | s -next-> | @h | hangup sub");
	assert_true(ivr_call_ended(F.c));
	done();
	/* A flow that calls itself stops at the depth bound. */
	memset(&F, 0, sizeof F);
	F.prog = compile(HEAD "<start id=\"s\" next=\"f\"/>\n<subflow id=\"f\" flow=\"1\" next=\"h\"/>\n"
			 "<hangup id=\"h\" cause=\"deep\"/>\n</flow>\n", 1);
	F.sub = ivr_prog_ref(F.prog);
	assert_int_equal(ivr_call_alloc(&F.c, F.prog, &ops, &F), 0);
	ev(IVR_EV_START);
	assert_non_null(strstr(F.log, "hangup deep"));
	done();
}

static void hangup_gone_and_unconnected_exits(void **state)
{
	(void)state;
	begin(HEAD "<start id=\"s\" next=\"h\"/>\n<hangup id=\"h\" cause=\"busy\"/>\n</flow>\n", 0);
	expect_log("@s | s -next-> | @h | hangup busy");
	done();
	/* The caller hangs up during a menu: its timer cancelled, no more. */
	begin(MENU, 0);
	ev(IVR_EV_PROMPT_DONE);
	F.log[0] = '\0';
	ev(IVR_EV_GONE);
	key('1');
	expect_log("cancel");
	assert_true(ivr_call_ended(F.c));
	done();
	/* A draft with an exit connected to nothing: the flow ends there. */
	begin(HEAD "<start id=\"s\" next=\"p\"/>\n<play id=\"p\"><prompt audio=\"1\"/></play>\n</flow>\n",
	      0);
	ev(IVR_EV_PROMPT_DONE);
	expect_log("@s | s -next-> | @p | play 1 | p -next-> | end");
	done();
}

static void the_spin_guard(void **state)
{
	(void)state;
	/* A loop with no wait (the checks refuse it; the reader does not). */
	begin(HEAD "<start id=\"s\" next=\"a\"/>\n<set id=\"a\" var=\"x\" value=\"1\" next=\"b\"/>\n"
	      "<branch id=\"b\" else=\"a\"><case next=\"h\"><if var=\"x\" op=\"eq\" value=\"2\"/></case>"
	      "</branch>\n<hangup id=\"h\"/>\n</flow>\n", 0);
	const char *last = strrchr(F.log, '|');
	assert_non_null(last);
	assert_string_equal(last, "| hangup ivr_loop");
	assert_true(ivr_call_ended(F.c));
	done();
}

static void variables(void **state)
{
	(void)state;
	begin(HEAD "<start id=\"s\" next=\"h\"/>\n<hangup id=\"h\"/>\n</flow>\n", 0);
	char big[600];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(ivr_call_set(F.c, "long", big), 0);
	assert_int_equal(strlen(ivr_call_get(F.c, "long")), IVR_VALUE_MAX);
	/* Cut on a character: 254 bytes then a 3-byte character. */
	big[254] = '\0';
	char s[700];
	snprintf(s, sizeof s, "%.254s中", big);
	assert_int_equal(ivr_call_set(F.c, "cut", s), 0);
	assert_int_equal(strlen(ivr_call_get(F.c, "cut")), 254);
	assert_int_equal(ivr_call_set(F.c, "Bad", "x"), -1);
	assert_int_equal(ivr_call_set(F.c, "caller", "1"), 0);
	assert_string_equal(ivr_call_get(F.c, "caller"), "1");
	assert_string_equal(ivr_call_get(F.c, "callee"), "4001");
	char name[16];
	int ok = 0;
	for (int i = 0; i < 80; i++) {
		snprintf(name, sizeof name, "v%d", i);
		ok += ivr_call_set(F.c, name, "x") == 0;
	}
	assert_int_equal(ok, IVR_MAX_VARS - 4);	/* caller, callee, long, cut */
	done();
	assert_int_equal(ivr_event_parse("prompt_done"), IVR_EV_PROMPT_DONE);
	assert_int_equal(ivr_event_parse("nope"), -1);
	assert_string_equal(ivr_wait_name(IVR_WAIT_DIGIT), "digit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(play_then_next),
		cmocka_unit_test(an_interrupted_play_gives_its_key_to_the_menu),
		cmocka_unit_test(menu_valid_key),
		cmocka_unit_test(menu_invalid_key_then_retry),
		cmocka_unit_test(menu_timeout_then_fallback),
		cmocka_unit_test(collect_with_terminator),
		cmocka_unit_test(collect_to_max_length),
		cmocka_unit_test(collect_inter_digit_timeout),
		cmocka_unit_test(collect_too_short_then_fail),
		cmocka_unit_test(collect_with_confirm),
		cmocka_unit_test(branch_operators),
		cmocka_unit_test(time_both_sides_of_closing),
		cmocka_unit_test(time_in_two_zones),
		cmocka_unit_test(http_ok_with_results),
		cmocka_unit_test(http_error_malformed_and_timeout),
		cmocka_unit_test(queue_next_to_voicemail),
		cmocka_unit_test(queue_after_to_survey),
		cmocka_unit_test(agent_and_dial),
		cmocka_unit_test(subflow_and_return),
		cmocka_unit_test(hangup_gone_and_unconnected_exits),
		cmocka_unit_test(the_spin_guard),
		cmocka_unit_test(variables),
	};
	return cmocka_run_group_tests_name("ivr_run", tests, NULL, NULL);
}
