/* Server-Sent Events: the framing (multi-line data split into data lines),
 * and the hub's routing with fake streams: an event for agent A never
 * reaches agent B, admins get agent and queue events, a slow stream is
 * dropped rather than waited for, sign-out ends a session's streams, and
 * the number of streams is bounded per session and in all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi-app/sse/hub.h"

static void framing(void **state)
{
	(void)state;
	size_t n;
	char *f = sse_frame("agent.state", "{\"a\":1}", &n);
	assert_string_equal(f, "event: agent.state\ndata: {\"a\":1}\n\n");
	assert_int_equal(n, strlen(f));
	free(f);
	f = sse_frame("x", "one\ntwo\r\nthree\rfour", NULL);
	assert_string_equal(f, "event: x\ndata: one\ndata: two\ndata: three\ndata: four\n\n");
	free(f);
	f = sse_frame("x", "end\n", NULL);
	assert_string_equal(f, "event: x\ndata: end\ndata: \n\n");
	free(f);
	f = sse_frame("x", "", NULL);
	assert_string_equal(f, "event: x\ndata: \n\n");
	free(f);
	/* a line break in the name would forge another field */
	assert_null(sse_frame("x\ndata: evil", "{}", NULL));
	assert_null(sse_frame("x", NULL, NULL));
	/* JSON text never holds a raw line break */
	json_t *j = json_pack("{s:s}", "memo", "line\nbreak\r\n</script>");
	f = sse_frame_json("pop", j, NULL);
	json_decref(j);
	assert_null(strchr(f + strlen("event: pop\n"), '\r'));
	assert_string_equal(f, "event: pop\ndata: {\"memo\":\"line\\nbreak\\r\\n</script>\"}\n\n");
	free(f);
}

#define A "0u000000000000000000000000000002"
#define B "0u000000000000000000000000000003"

static struct stream_info info(const char *user, bool agent, bool admin, const char *tok)
{
	struct stream_info si = { .agent = agent, .admin = admin };
	snprintf(si.user_id, sizeof si.user_id, "%s", user);
	snprintf(si.token_hash, sizeof si.token_hash, "%s", tok);
	return si;
}

static void rule(void **state)
{
	(void)state;
	struct stream_info a = info(A, true, false, "t1"), b = info(B, true, false, "t2"),
			   adm = info("adm", false, true, "t3"), both = info(A, true, true, "t4");
	const char *mine[] = { "agent.state", "agent.registration", "call.ringing", "call.answered",
			       "call.offer_failed", "call.ended" };
	for (size_t i = 0; i < sizeof mine / sizeof *mine; i++) {
		assert_true(hub_route(&a, mine[i], A));
		assert_false(hub_route(&b, mine[i], A));
		assert_false(hub_route(&a, mine[i], NULL));
	}
	assert_true(hub_route(&adm, "agent.state", A));
	assert_true(hub_route(&adm, "agent.registration", B));
	assert_true(hub_route(&adm, "call.queued", NULL));
	assert_false(hub_route(&adm, "call.ringing", A));	/* call events are the agent's */
	assert_false(hub_route(&adm, "call.new", NULL));
	/* the wallboard's stream (?calls=1): every call event, to admins only */
	struct stream_info wall = adm, agent_wall = a, both_wall = both;
	wall.calls = agent_wall.calls = both_wall.calls = true;
	assert_true(hub_route(&wall, "call.ringing", A));
	assert_true(hub_route(&wall, "call.new", NULL));
	assert_true(hub_route(&wall, "call.ended", B));
	assert_true(hub_route(&wall, "agent.state", B));
	assert_false(hub_route(&wall, "task.call", NULL));
	assert_false(hub_route(&agent_wall, "call.ringing", B));
	assert_false(hub_route(&agent_wall, "call.new", NULL));
	assert_true(hub_route(&both_wall, "call.ringing", B));
	assert_false(hub_route(&both, "call.ringing", B));	/* the workbench's stream */
	assert_false(hub_route(&a, "call.queued", NULL));
	assert_true(hub_route(&both, "call.ringing", A));
	assert_true(hub_route(&both, "agent.state", B));
	assert_false(hub_route(&both, "call.ringing", B));
	assert_false(hub_route(&a, "no.such.event", A));
	assert_false(hub_route(&adm, NULL, A));
	/* an agent flag is needed: an admin-only user with the same id gets no call */
	struct stream_info not_agent = info(A, false, true, "t5");
	assert_false(hub_route(&not_agent, "call.ringing", A));
	/* task events: admins and the outbound system's holders, nobody else */
	struct stream_info ob = info(B, true, false, "t6");
	ob.outbound = true;
	struct stream_info adm_ob = adm;
	adm_ob.outbound = true;
	assert_true(hub_route(&ob, "task.state", NULL));
	assert_true(hub_route(&ob, "task.call", NULL));
	assert_true(hub_route(&adm_ob, "task.state", NULL));
	assert_false(hub_route(&a, "task.state", NULL));
	assert_false(hub_route(&a, "task.call", A));
	assert_false(hub_route(&ob, "agent.state", A));	/* nothing of the admin's */
}

/* Everything queued for s, concatenated; "" when nothing. */
static char *drain(struct hub *h, struct stream *s)
{
	char *all = calloc(1, 1);
	size_t total = 0, n;
	char *f;
	while ((f = stream_take(h, s, &n))) {
		all = realloc(all, total + n + 1);
		memcpy(all + total, f, n + 1);
		total += n;
		free(f);
	}
	return all;
}

static json_t *ev(const char *name, const char *agent)
{
	return json_pack("{s:s, s:s?, s:I, s:s}", "event", name, "agent", agent, "ts",
			 (json_int_t)1795259551123LL, "call", "c1");
}

static void dispatching(void **state)
{
	(void)state;
	struct hub *h;
	struct hub_limits lim = { .queue_max = 8 };
	assert_int_equal(hub_alloc(&h, NULL, &lim), 0);
	struct stream_info ia = info(A, true, false, "ta"), ib = info(B, true, false, "tb"),
			   iadm = info("adm", false, true, "tadm");
	struct stream *sa = hub_open(h, &ia), *sb = hub_open(h, &ib), *sadm = hub_open(h, &iadm);
	assert_int_equal(hub_nstreams(h), 3);

	json_t *e1 = ev("call.ringing", A), *e2 = ev("agent.state", B), *e3 = ev("call.queued", NULL);
	hub_dispatch(h, e1);
	hub_dispatch(h, e2);
	hub_dispatch(h, e3);
	json_decref(e1);
	json_decref(e2);
	json_decref(e3);
	/* the stream's fd wakes its thread */
	struct pollfd p = { .fd = stream_fd(sa), .events = POLLIN };
	assert_int_equal(poll(&p, 1, 0), 1);
	stream_drain_fd(sa);
	assert_int_equal(poll(&p, 1, 0), 0);

	char *a = drain(h, sa), *b = drain(h, sb), *adm = drain(h, sadm);
	assert_non_null(strstr(a, "event: call.ringing\n"));
	assert_non_null(strstr(a, "\"ts\":1795259551123"));
	assert_null(strstr(a, "agent.state"));
	assert_null(strstr(a, "call.queued"));
	assert_non_null(strstr(b, "event: agent.state\n"));
	assert_null(strstr(b, "call.ringing"));
	assert_null(strstr(b, A));
	assert_non_null(strstr(adm, "event: agent.state\n"));
	assert_non_null(strstr(adm, "event: call.queued\n"));
	assert_null(strstr(adm, "call.ringing"));
	free(a);
	free(b);
	free(adm);

	/* targeted: the pop goes to A's agent streams only */
	json_t *pop = json_pack("{s:s}", "call", "c1");
	hub_send_user(h, A, "pop", pop);
	json_decref(pop);
	a = drain(h, sa);
	b = drain(h, sb);
	adm = drain(h, sadm);
	assert_non_null(strstr(a, "event: pop\n"));
	assert_string_equal(b, "");
	assert_string_equal(adm, "");
	free(a);
	free(b);
	free(adm);

	/* link state goes to all, once per change */
	hub_set_link(h, true);
	hub_set_link(h, true);
	b = drain(h, sb);
	assert_string_equal(b, "event: link\ndata: {\"up\":true}\n\n");
	free(b);
	assert_true(hub_link_up(h));
	free(drain(h, sa));
	free(drain(h, sadm));

	/* a stream that does not read is dropped when its queue is full; the
	 * others go on */
	for (int i = 0; i < 20; i++) {
		json_t *e = ev("agent.state", B);
		hub_dispatch(h, e);
		json_decref(e);
		free(drain(h, sb));
	}
	assert_string_equal(stream_closing(h, sadm), "overflow");
	assert_null(stream_closing(h, sb));
	assert_string_equal((b = drain(h, sadm)), "");
	free(b);

	/* sign-out: a last `bye`, then the stream closes; others stay */
	hub_end_session(h, "ta", "signed_out");
	a = drain(h, sa);
	assert_string_equal(a, "event: bye\ndata: {\"reason\":\"signed_out\"}\n\n");
	free(a);
	assert_string_equal(stream_closing(h, sa), "signed_out");
	assert_null(stream_closing(h, sb));

	char hashes[4][65];
	assert_int_equal(hub_sessions(h, hashes, 4), 3);
	hub_close(h, sa);
	hub_close(h, sb);
	hub_close(h, sadm);
	assert_int_equal(hub_nstreams(h), 0);
	hub_stop(h, 10);
	assert_null(hub_open(h, &ia));	/* a stopped hub takes no stream */
	hub_free(h);
}

/* Streams are bounded: a session's newest streams replace its oldest (a
 * `bye` "replaced"), and beyond the total a stream is refused (EAGAIN). */
static void limits(void **state)
{
	(void)state;
	struct hub *h;
	struct hub_limits lim = { .queue_max = 8, .max_streams = 6, .session_streams = 4 };
	assert_int_equal(hub_alloc(&h, NULL, &lim), 0);
	struct stream_info ia = info(A, true, false, "ta"), ib = info(B, true, false, "tb");
	struct stream *sa[5], *sb[2];
	for (int i = 0; i < 4; i++)
		assert_non_null(sa[i] = hub_open(h, &ia));
	for (int i = 0; i < 4; i++)
		assert_null(stream_closing(h, sa[i]));
	/* a fifth of the session: the oldest is told and closed */
	assert_non_null(sa[4] = hub_open(h, &ia));
	assert_string_equal(stream_closing(h, sa[0]), "replaced");
	size_t len;
	char *f = stream_take(h, sa[0], &len);
	assert_non_null(f);
	assert_string_equal(f, "event: bye\ndata: {\"reason\":\"replaced\"}\n\n");
	free(f);
	for (int i = 1; i < 5; i++)
		assert_null(stream_closing(h, sa[i]));
	assert_true(hub_has_agent(h, A));
	/* the total: the replaced stream still counts until its thread ends */
	assert_non_null(sb[0] = hub_open(h, &ib));
	assert_int_equal(hub_nstreams(h), 6);
	errno = 0;
	assert_null(hub_open(h, &ib));
	assert_int_equal(errno, EAGAIN);
	hub_close(h, sa[0]);
	assert_non_null(sb[1] = hub_open(h, &ib));
	assert_null(stream_closing(h, sb[0]));
	hub_close(h, sb[0]);
	hub_close(h, sb[1]);
	for (int i = 1; i < 5; i++)
		hub_close(h, sa[i]);
	assert_int_equal(hub_nstreams(h), 0);
	hub_stop(h, 10);
	hub_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(framing),
		cmocka_unit_test(rule),
		cmocka_unit_test(dispatching),
		cmocka_unit_test(limits),
	};
	return cmocka_run_group_tests_name("web_sse", tests, NULL, NULL);
}
