/* The screen pop's scheduling (fcgi-app/sse/pop.c) with a fake pop_build
 * that takes as long as the event's "sleep_ms" says: nothing is loaded for
 * an agent without an open event stream; an answered call's pop goes out
 * while other agents' slow preloads are still running, with one loader or
 * several; a pop being built when its call is answered is sent when done
 * and built once; a ready pop is sent by pop_feed itself; a call offered
 * to another agent is built again for that agent; a preload whose browser
 * went before its turn is dropped unbuilt. The data an IVR flow attached
 * to the call, as the pop shows it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fcgi-app/sse/hub.h"
#include "fcgi-app/web.h"
#include "common/event.h"

#define A "0u000000000000000000000000000002"
#define B "0u000000000000000000000000000003"
#define C "0u000000000000000000000000000004"	/* no browser open */

/* --- the fake builder: what it was asked for, in order ------------------- */
static pthread_mutex_t built_mu = PTHREAD_MUTEX_INITIALIZER;
static char built[256][128];
static int nbuilt;

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&t, NULL);
}

json_t *pop_build(struct web *w, struct db *db, json_t *ev)
{
	(void)w;
	(void)db;
	sleep_ms((long)json_integer_value(json_object_get(ev, "sleep_ms")));
	const char *call = json_string_value(json_object_get(ev, "call"));
	const char *agent = json_string_value(json_object_get(ev, "agent"));
	pthread_mutex_lock(&built_mu);
	if (nbuilt < 256)
		snprintf(built[nbuilt++], sizeof built[0], "%s/%s", call, agent);
	pthread_mutex_unlock(&built_mu);
	return json_pack("{s:s, s:s, s:b}", "call", call, "agent", agent, "known", 0);
}

/* How many times call/agent was built. */
static int times_built(const char *call, const char *agent)
{
	char key[128];
	snprintf(key, sizeof key, "%s/%s", call, agent);
	int n = 0;
	pthread_mutex_lock(&built_mu);
	for (int i = 0; i < nbuilt; i++)
		n += !strcmp(built[i], key);
	pthread_mutex_unlock(&built_mu);
	return n;
}

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* --- a hub with streams for A and B, and the pop ------------------------- */
struct fix {
	struct web w;
	struct hub *h;
	struct pop *p;
	struct stream *sa, *sb;
};

static struct stream *open_agent(struct hub *h, const char *user, const char *tok)
{
	struct stream_info si = { .agent = true };
	snprintf(si.user_id, sizeof si.user_id, "%s", user);
	snprintf(si.token_hash, sizeof si.token_hash, "%s", tok);
	return hub_open(h, &si);
}

static int setup_n(void **state, unsigned loaders)
{
	struct fix *f = calloc(1, sizeof *f);
	pthread_mutex_lock(&built_mu);
	nbuilt = 0;
	pthread_mutex_unlock(&built_mu);
	if (!f || hub_alloc(&f->h, NULL, NULL) || pop_alloc(&f->p, &f->w, f->h, loaders) ||
	    pop_start(f->p))
		return -1;
	f->sa = open_agent(f->h, A, "ta");
	f->sb = open_agent(f->h, B, "tb");
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_n(state, 3);
}

static int setup_one(void **state)
{
	return setup_n(state, 1);
}

static int teardown(void **state)
{
	struct fix *f = *state;
	pop_free(f->p);
	hub_close(f->h, f->sa);
	hub_close(f->h, f->sb);
	hub_stop(f->h, 10);
	hub_free(f->h);
	free(f);
	return 0;
}

static void feed(struct fix *f, const char *name, const char *call, const char *agent,
		 long long sleep, long long ts)
{
	json_t *ev = json_pack("{s:s, s:s, s:s?, s:I, s:I, s:s}", "event", name, "call", call,
			       "agent", agent, "sleep_ms", (json_int_t)sleep, "ts", (json_int_t)ts,
			       "caller", "13800138000");
	pop_feed(f->p, ev);
	json_decref(ev);
}

/* The pops queued for s (their data objects), appended to pops. */
static void take_pops(struct fix *f, struct stream *s, json_t *pops)
{
	size_t n;
	char *fr;
	while ((fr = stream_take(f->h, s, &n))) {
		if (!strncmp(fr, "event: pop\ndata: ", 17))
			json_array_append_new(pops, json_loads(fr + 17, 0, NULL));
		free(fr);
	}
}

/* Waits up to ms for a pop on s; returns it (a reference) or NULL. */
static json_t *wait_pop(struct fix *f, struct stream *s, long ms)
{
	json_t *pops = json_array();
	long long until = now_ms() + ms;
	while (!json_array_size(pops) && now_ms() < until) {
		take_pops(f, s, pops);
		if (!json_array_size(pops))
			sleep_ms(2);
	}
	json_t *p = json_incref(json_array_get(pops, 0));
	json_decref(pops);
	return p;
}

static bool wait_built(const char *call, const char *agent, long ms)
{
	long long until = now_ms() + ms;
	while (!times_built(call, agent) && now_ms() < until)
		sleep_ms(2);
	return times_built(call, agent) > 0;
}

static void only_open_streams(void **state)
{
	struct fix *f = *state;
	feed(f, "call.ringing", "c1", C, 0, 1);
	feed(f, "call.answered", "c1", C, 0, 2);
	feed(f, "call.ringing", "c2", A, 0, 3);
	assert_true(wait_built("c2", A, 2000));
	sleep_ms(50);
	assert_int_equal(times_built("c1", C), 0);	/* C has no browser open */
	json_t *pops = json_array();
	take_pops(f, f->sa, pops);
	take_pops(f, f->sb, pops);
	assert_int_equal(json_array_size(pops), 0);	/* nothing answered yet */
	json_decref(pops);
}

/* B's slow preloads keep the preloading loaders busy; A's answer is not
 * behind them. */
static void answered_before_other_preloads(void **state)
{
	struct fix *f = *state;
	char call[16];
	for (int i = 0; i < 8; i++) {
		snprintf(call, sizeof call, "b%d", i);
		feed(f, "call.ringing", call, B, 300, 10 + i);
	}
	feed(f, "call.ringing", "a1", A, 0, 20);	/* queued behind B's */
	sleep_ms(20);
	long long t0 = now_ms();
	feed(f, "call.answered", "a1", A, 0, 1795259551123LL);
	json_t *p = wait_pop(f, f->sa, 3000);
	long long took = now_ms() - t0;
	assert_non_null(p);
	print_message("# A's pop %lld ms after its answer, B's preloads running\n", took);
	assert_true(took < 150);	/* one B preload alone takes 300 ms */
	assert_string_equal(json_string_value(json_object_get(p, "call")), "a1");
	assert_string_equal(json_string_value(json_object_get(p, "agent")), A);
	assert_int_equal(json_integer_value(json_object_get(p, "ts")), 1795259551123LL);
	json_decref(p);
	assert_int_equal(times_built("a1", A), 1);
	assert_true(times_built("b7", B) == 0);	/* B's backlog is still waiting */
	/* and B gets no pop of A's */
	json_t *pops = json_array();
	take_pops(f, f->sb, pops);
	assert_int_equal(json_array_size(pops), 0);
	json_decref(pops);
}

static void one_loader_answer_first(void **state)
{
	struct fix *f = *state;
	char call[16];
	for (int i = 0; i < 5; i++) {
		snprintf(call, sizeof call, "b%d", i);
		feed(f, "call.ringing", call, B, 100, 10 + i);
	}
	sleep_ms(20);
	long long t0 = now_ms();
	feed(f, "call.answered", "a1", A, 0, 30);	/* never rang here */
	json_t *p = wait_pop(f, f->sa, 3000);
	long long took = now_ms() - t0;
	assert_non_null(p);
	print_message("# A's pop %lld ms after its answer (one loader)\n", took);
	assert_true(took < 250);	/* at most the preload in progress, not all five */
	assert_true(times_built("b4", B) == 0);
	json_decref(p);
}

static void answered_while_loading(void **state)
{
	struct fix *f = *state;
	feed(f, "call.ringing", "a2", A, 200, 40);
	sleep_ms(60);	/* the loader is in the middle of it */
	assert_int_equal(times_built("a2", A), 0);
	feed(f, "call.answered", "a2", A, 200, 41);
	json_t *p = wait_pop(f, f->sa, 2000);
	assert_non_null(p);
	assert_int_equal(json_integer_value(json_object_get(p, "ts")), 41);
	json_decref(p);
	sleep_ms(250);
	assert_int_equal(times_built("a2", A), 1);	/* built once */
	json_t *pops = json_array();
	take_pops(f, f->sa, pops);
	assert_int_equal(json_array_size(pops), 0);	/* and sent once */
	json_decref(pops);
}

static void ready_pop_sent_by_feed(void **state)
{
	struct fix *f = *state;
	feed(f, "call.ringing", "a3", A, 0, 50);
	assert_true(wait_built("a3", A, 2000));
	sleep_ms(50);
	feed(f, "call.answered", "a3", A, 0, 51);
	/* no waiting: the pop was queued by pop_feed */
	json_t *pops = json_array();
	take_pops(f, f->sa, pops);
	assert_int_equal(json_array_size(pops), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(pops, 0), "call")),
			    "a3");
	json_decref(pops);
}

static void offered_to_another_agent(void **state)
{
	struct fix *f = *state;
	feed(f, "call.ringing", "c5", A, 0, 60);
	assert_true(wait_built("c5", A, 2000));
	feed(f, "call.offer_failed", "c5", A, 0, 61);
	feed(f, "call.ringing", "c5", B, 0, 62);
	assert_true(wait_built("c5", B, 2000));
	feed(f, "call.answered", "c5", B, 0, 63);
	json_t *p = wait_pop(f, f->sb, 2000);
	assert_non_null(p);
	assert_string_equal(json_string_value(json_object_get(p, "agent")), B);
	json_decref(p);
	json_t *pops = json_array();
	take_pops(f, f->sa, pops);
	assert_int_equal(json_array_size(pops), 0);
	json_decref(pops);
	/* the call ended before A's answer: what A's ringing loaded is gone */
	feed(f, "call.ringing", "c6", A, 0, 70);
	assert_true(wait_built("c6", A, 2000));
	feed(f, "call.ended", "c6", NULL, 0, 71);
	feed(f, "call.answered", "c6", A, 0, 72);
	p = wait_pop(f, f->sa, 2000);
	assert_non_null(p);
	json_decref(p);
	assert_int_equal(times_built("c6", A), 2);
}

/* A's browser goes while A's preload waits behind B's: it is dropped
 * unbuilt (and freed: the sanitizer build checks). */
static void browser_gone_before_preload(void **state)
{
	struct fix *f = *state;
	feed(f, "call.ringing", "b1", B, 200, 80);
	feed(f, "call.ringing", "b2", B, 200, 81);
	feed(f, "call.ringing", "a9", A, 0, 82);
	sleep_ms(20);
	hub_end_session(f->h, "ta", "signed_out");
	assert_true(wait_built("b2", B, 2000));
	sleep_ms(100);
	assert_int_equal(times_built("a9", A), 0);
	feed(f, "call.answered", "a9", A, 0, 83);	/* nobody to show it to */
	sleep_ms(50);
	assert_int_equal(times_built("a9", A), 0);
}

/* --- what an IVR flow attached to the call (contacts/pop_data.c) ------------ */

static const char *pairs(json_t *a, char *buf, size_t n)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *d = json_array_get(a, i);
		at += (size_t)snprintf(buf + at, n - at, "%s%s=%s", i ? "|" : "",
				       json_string_value(json_object_get(d, "name")),
				       json_string_value(json_object_get(d, "value")));
	}
	return buf;
}

static void call_data_for_the_pop(void **state)
{
	(void)state;
	char buf[512];
	json_t *a = pop_data("{\"order\":\"12345\",\"tier\":\"<b>gold</b>\",\"n\":3,"
			     "\"ok\":true,\"x\":null,\"list\":[1,\"a\"]}");
	assert_string_equal(pairs(a, buf, sizeof buf),
			    "order=12345|tier=<b>gold</b>|n=3|ok=true|x=null|list=[1,\"a\"]");
	json_decref(a);
	const char *none[] = { NULL, "", "[1,2]", "\"text\"", "{\"a\":", "{\"a\":1,\"a\":2}" };
	for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
		a = pop_data(none[i]);
		assert_true(json_is_array(a));
		assert_int_equal(json_array_size(a), 0);
		json_decref(a);
	}
	/* At most 64 pairs. */
	char big[4096];
	size_t at = (size_t)snprintf(big, sizeof big, "{");
	for (int i = 0; i < 80; i++)
		at += (size_t)snprintf(big + at, sizeof big - at, "%s\"v%d\":\"%d\"", i ? "," : "", i, i);
	snprintf(big + at, sizeof big - at, "}");
	a = pop_data(big);
	assert_int_equal(json_array_size(a), 64);
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 63), "name")), "v63");
	json_decref(a);
}

/* The B2BUA's call.ringing and call.answered carry the data (common/event.h);
 * other call events do not. */
static void events_carry_the_data(void **state)
{
	(void)state;
	struct ev e = { .type = EV_CALL_ANSWERED, .ts = 1, .call = "c1",
			.data = "{\"order\":\"12345\"}" };
	json_t *j = ev_json(&e);
	assert_string_equal(json_string_value(json_object_get(j, "data")), "{\"order\":\"12345\"}");
	json_decref(j);
	e.type = EV_CALL_RINGING;
	j = ev_json(&e);
	assert_non_null(json_string_value(json_object_get(j, "data")));
	json_decref(j);
	e.type = EV_CALL_QUEUED;
	j = ev_json(&e);
	assert_null(json_object_get(j, "data"));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(only_open_streams, setup, teardown),
		cmocka_unit_test_setup_teardown(answered_before_other_preloads, setup, teardown),
		cmocka_unit_test_setup_teardown(one_loader_answer_first, setup_one, teardown),
		cmocka_unit_test_setup_teardown(answered_while_loading, setup, teardown),
		cmocka_unit_test_setup_teardown(ready_pop_sent_by_feed, setup, teardown),
		cmocka_unit_test_setup_teardown(offered_to_another_agent, setup, teardown),
		cmocka_unit_test_setup_teardown(browser_gone_before_preload, setup, teardown),
		cmocka_unit_test(call_data_for_the_pop),
		cmocka_unit_test(events_carry_the_data),
	};
	return cmocka_run_group_tests_name("web_pop", tests, NULL, NULL);
}
