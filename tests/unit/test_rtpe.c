/* The rtpengines of a node (b2bua/media/rtpe.c) on a real su_root, against
 * small ng servers on loopback that answer every request ("pong" or "ok")
 * or, when muted, nothing: which one a new call gets, an rtpengine that
 * stops answering is skipped until it answers again, each change is logged
 * once, and bad ng_address lists are refused with a reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include "b2bua/media/ng.h"
#include "b2bua/media/rtpe.h"
#include "log.h"
#include "support.h"

#define NSRV 3

/* One fake rtpengine: answers "<cookie> d6:result4:pong/2:okee" unless muted. */
struct srv {
	int fd;
	int reg;
	unsigned short port;
	bool muted;
	unsigned got;		/* requests received */
	unsigned got_pings;
};

struct env {
	su_root_t *root;
	struct srv srv[NSRV];
	char addrs[128];	/* "127.0.0.1:P1 127.0.0.1:P2" */
	struct rtpe_set *set;
	struct t_logcap log;
};

static int srv_readable(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	(void)magic;
	(void)w;
	struct srv *s = arg;
	char buf[2048];
	struct sockaddr_storage from;
	socklen_t flen = sizeof from;
	ssize_t n = recvfrom(s->fd, buf, sizeof buf - 1, 0, (struct sockaddr *)&from, &flen);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	s->got++;
	char *sp = strchr(buf, ' ');
	if (!sp)
		return 0;
	bool ping = strstr(sp, "4:ping") != NULL;
	s->got_pings += ping;
	if (s->muted)
		return 0;
	char out[256];
	int len = snprintf(out, sizeof out, "%.*s %s", (int)(sp - buf), buf,
			   ping ? "d6:result4:ponge" : "d6:result2:oke");
	sendto(s->fd, out, (size_t)len, 0, (struct sockaddr *)&from, flen);
	return 0;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	if (!e || su_init() != 0 || !(e->root = su_root_create(NULL)))
		return -1;
	log_set_level(LOG_INFO);
	char *p = e->addrs;
	for (int i = 0; i < NSRV; i++) {
		struct srv *s = &e->srv[i];
		struct sockaddr_in sin = { .sin_family = AF_INET,
					   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		socklen_t len = sizeof sin;
		s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&sin, sizeof sin) ||
		    getsockname(s->fd, (struct sockaddr *)&sin, &len))
			return -1;
		s->port = ntohs(sin.sin_port);
		su_wait_t w;
		su_wait_create(&w, s->fd, SU_WAIT_IN);
		if ((s->reg = su_root_register(e->root, &w, srv_readable, s, 0)) < 0)
			return -1;
		if (i < 2)
			p += sprintf(p, "%s127.0.0.1:%u", i ? " " : "", s->port);
	}
	/* What the set logs goes to a file the tests read. */
	if (t_logcap_start(&e->log))
		return -1;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	rtpe_set_free(e->set);
	t_logcap_stop(&e->log);
	for (int i = 0; i < NSRV; i++) {
		su_root_deregister(e->root, e->srv[i].reg);
		close(e->srv[i].fd);
	}
	su_root_destroy(e->root);
	su_deinit();
	free(e);
	return 0;
}

/* Lines of the log so far that contain s. */
static int logged(struct env *e, const char *s)
{
	return t_logcap_count(&e->log, s);
}

static void open_set(struct env *e, const char *addrs, unsigned timeout_ms, unsigned tries,
		     unsigned ping_ms)
{
	struct rtpe_conf c = { .addrs = addrs, .timeout_ms = timeout_ms, .tries = tries,
			       .ping_ms = ping_ms };
	char err[256] = "";
	assert_int_equal(rtpe_set_alloc(&e->set, e->root, &c, err, sizeof err), 0);
	assert_string_equal(err, "");
}

/* Which of the set's rtpengines r is: 0, 1, ... */
static int index_of(struct env *e, const struct rtpe *r)
{
	struct rtpe_view v;
	for (unsigned i = 0; !rtpe_set_view(e->set, i, &v); i++)
		if (!strcmp(v.addr, rtpe_addr(r)))
			return (int)i;
	return -1;
}

static unsigned calls_on(struct env *e, unsigned i)
{
	struct rtpe_view v;
	return rtpe_set_view(e->set, i, &v) ? 9999 : v.calls;
}

static bool up(struct env *e, unsigned i)
{
	struct rtpe_view v;
	return !rtpe_set_view(e->set, i, &v) && v.up;
}

/* --- tests ------------------------------------------------------------------------ */

static void one_address_as_before(void **state)
{
	struct env *e = *state;
	char one[32];
	snprintf(one, sizeof one, "127.0.0.1:%u", e->srv[0].port);
	open_set(e, one, 1000, 3, 0);
	assert_int_equal(rtpe_set_count(e->set), 1);
	struct rtpe_view v;
	assert_int_equal(rtpe_set_view(e->set, 0, &v), 0);
	assert_string_equal(v.addr, one);
	assert_true(v.up);
	assert_int_equal(v.dtmf, -1);
	assert_int_equal(rtpe_set_view(e->set, 1, &v), -1);
	struct rtpe *a = rtpe_take(e->set, 0), *b = rtpe_take(e->set, 0);
	assert_non_null(a);
	assert_ptr_equal(a, b);
	rtpe_set_view(e->set, 0, &v);
	assert_int_equal(v.calls, 2);
	rtpe_release(a);
	rtpe_release(b);
	rtpe_set_view(e->set, 0, &v);
	assert_int_equal(v.calls, 0);
}

static void bad_lists_are_refused(void **state)
{
	struct env *e = *state;
	static const struct {
		const char *list, *why;
	} bad[] = {
		{ "", "no rtpengine address" },
		{ " , ", "no rtpengine address" },
		{ "127.0.0.1:2223 127.0.0.1:2223", "listed twice" },
		{ "127.0.0.1:2223 nonsense", "nonsense: not host:port" },
		{ "127.0.0.1", "127.0.0.1: not host:port" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct rtpe_conf c = { .addrs = bad[i].list, .timeout_ms = 100, .tries = 1 };
		char err[256] = "";
		struct rtpe_set *s = NULL;
		assert_int_equal(rtpe_set_alloc(&s, e->root, &c, err, sizeof err), EINVAL);
		assert_null(s);
		if (!strstr(err, bad[i].why))
			fail_msg("'%s': '%s' does not say '%s'", bad[i].list, err, bad[i].why);
	}
	char many[2048] = "";
	for (int i = 0; i <= RTPE_MAX; i++)
		sprintf(many + strlen(many), "127.0.0.1:%d,", 2000 + i);
	struct rtpe_conf c = { .addrs = many, .timeout_ms = 100, .tries = 1 };
	char err[256] = "";
	struct rtpe_set *s = NULL;
	assert_int_equal(rtpe_set_alloc(&s, e->root, &c, err, sizeof err), EINVAL);
	assert_non_null(strstr(err, "more than"));
}

/* Commas work as separators too, and calls alternate while the counts are
 * equal. */
static void calls_alternate(void **state)
{
	struct env *e = *state;
	char list[80];
	snprintf(list, sizeof list, "127.0.0.1:%u,127.0.0.1:%u", e->srv[0].port, e->srv[1].port);
	open_set(e, list, 1000, 3, 0);
	assert_int_equal(rtpe_set_count(e->set), 2);
	struct rtpe *seen[6];
	for (int i = 0; i < 6; i++) {
		seen[i] = rtpe_take(e->set, 0);
		assert_non_null(seen[i]);
		rtpe_release(seen[i]);
	}
	assert_ptr_not_equal(seen[0], seen[1]);
	for (int i = 2; i < 6; i++)
		assert_ptr_equal(seen[i], seen[i - 2]);
}

/* The one with the fewest calls is chosen, whatever the turn says. */
static void fewest_calls_first(void **state)
{
	struct env *e = *state;
	open_set(e, e->addrs, 1000, 3, 0);
	struct rtpe *a = rtpe_take(e->set, 0), *b = rtpe_take(e->set, 0), *c = rtpe_take(e->set, 0);
	assert_ptr_not_equal(a, b);
	assert_ptr_equal(a, c);		/* 1 and 1: in turn */
	assert_int_equal(calls_on(e, (unsigned)index_of(e, a)), 2);
	rtpe_release(a);
	rtpe_release(c);		/* a: 0 calls, b: 1 */
	struct rtpe *d = rtpe_take(e->set, 0);
	assert_ptr_equal(d, a);		/* although it was b's turn */
	struct rtpe *f = rtpe_take(e->set, 0);
	assert_ptr_equal(f, b);		/* 1 and 1 again: in turn */
	assert_int_equal(calls_on(e, 0) + calls_on(e, 1), 3);
	rtpe_release(b);
	rtpe_release(d);
	rtpe_release(f);
	assert_int_equal(calls_on(e, 0) + calls_on(e, 1), 0);
}

static void ping_done(const struct benc *reply, const char *err, void *arg)
{
	(void)reply;
	int *n = arg;
	(*n) += err ? 100 : 1;
}

/* An rtpengine that stops answering is down once a request is given up:
 * new calls go to the other one only; it is up again at its next answer to
 * a ping. Each change is logged once. */
static void dead_one_is_skipped_until_it_answers(void **state)
{
	struct env *e = *state;
	open_set(e, e->addrs, 20, 2, 30);
	assert_true(LOOP_UNTIL(e->root, e->srv[0].got_pings >= 1 && e->srv[1].got_pings >= 1,
			       T_DEADLINE_MS));
	e->srv[1].muted = true;
	assert_true(LOOP_UNTIL(e->root, !up(e, 1), T_DEADLINE_MS));
	assert_true(up(e, 0));
	struct rtpe *first = NULL;
	for (int i = 0; i < 5; i++) {
		/* Kept: the live one gets them although it has more calls. */
		struct rtpe *r = rtpe_take(e->set, 1000000);
		assert_int_equal(index_of(e, r), 0);
		first = r;
	}
	assert_int_equal(calls_on(e, 0), 5);
	assert_int_equal(calls_on(e, 1), 0);
	/* Still down a while later: logged once, however many pings fail. */
	unsigned pings = e->srv[1].got_pings;
	assert_true(LOOP_UNTIL(e->root, e->srv[1].got_pings >= pings + 4, T_DEADLINE_MS));
	assert_false(up(e, 1));
	char down[64];
	snprintf(down, sizeof down, "rtpengine 127.0.0.1:%u does not answer", e->srv[1].port);
	assert_int_equal(logged(e, down), 1);
	/* It answers again. */
	e->srv[1].muted = false;
	assert_true(LOOP_UNTIL(e->root, up(e, 1), T_DEADLINE_MS));
	struct rtpe *r = rtpe_take(e->set, 1000000);
	assert_ptr_not_equal(r, first);	/* 0 calls against 5 */
	rtpe_release(r);
	loop_for(e->root, 100);
	char back[64];
	snprintf(back, sizeof back, "rtpengine 127.0.0.1:%u answers again", e->srv[1].port);
	assert_int_equal(logged(e, back), 1);
	assert_int_equal(logged(e, down), 1);
	for (int i = 0; i < 5; i++)
		rtpe_release(first);
}

/* A call's own request given up marks its rtpengine down at once, before
 * the request's callback runs (without any ping). */
static void a_request_given_up_marks_it_down(void **state)
{
	struct env *e = *state;
	open_set(e, e->addrs, 20, 2, 0);
	struct rtpe *a = rtpe_take(e->set, 0);
	int i = index_of(e, a);
	assert_true(i >= 0);
	e->srv[i].muted = true;
	int done = 0;
	assert_int_equal(ng_request(rtpe_ng(a), NG_QUERY, NULL, ping_done, &done, NULL), 0);
	assert_true(LOOP_UNTIL(e->root, done, T_DEADLINE_MS));
	assert_int_equal(done, 100);	/* failed */
	assert_false(up(e, (unsigned)i));
	assert_true(up(e, (unsigned)!i));
	assert_int_equal(calls_on(e, (unsigned)i), 1);	/* the call keeps it: its media is lost */
	for (int k = 0; k < 3; k++) {
		struct rtpe *r = rtpe_take(e->set, 0);
		assert_int_equal(index_of(e, r), !i);
		rtpe_release(r);
	}
	rtpe_release(a);
}

/* Every rtpengine down: calls still go to them, in turn (the call then
 * fails as with one rtpengine, or works if one came back). */
static void all_down_still_taken_in_turn(void **state)
{
	struct env *e = *state;
	e->srv[0].muted = e->srv[1].muted = true;
	open_set(e, e->addrs, 20, 2, 30);
	assert_true(LOOP_UNTIL(e->root, !up(e, 0) && !up(e, 1), T_DEADLINE_MS));
	struct rtpe *a = rtpe_take(e->set, 0), *b = rtpe_take(e->set, 0), *c = rtpe_take(e->set, 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_ptr_equal(a, c);
	rtpe_release(a);
	rtpe_release(b);
	rtpe_release(c);
}

/* Falling behind (requests sent again, not yet given up): skipped while
 * another keeps up; NULL when every one that is up falls behind. */
static void lagging_ones_are_skipped(void **state)
{
	struct env *e = *state;
	open_set(e, e->addrs, 20, 1000, 0);
	struct rtpe *a = rtpe_take(e->set, 0);
	int ia = index_of(e, a);
	e->srv[ia].muted = true;
	int done = 0;
	struct ng_req *req;
	assert_int_equal(ng_request(rtpe_ng(a), NG_QUERY, NULL, ping_done, &done, &req), 0);
	assert_true(LOOP_UNTIL(e->root, rtpe_set_lagging(e->set) == 1, T_DEADLINE_MS));
	assert_true(up(e, (unsigned)ia));	/* behind, not given up */
	rtpe_release(a);		/* both have no calls now */
	for (int i = 0; i < 4; i++) {
		struct rtpe *r = rtpe_take(e->set, 0);
		assert_non_null(r);
		assert_int_equal(index_of(e, r), !ia);
		rtpe_release(r);
	}
	/* With room for one request sent again, it is in the turn again. */
	struct rtpe *r1 = rtpe_take(e->set, 1), *r2 = rtpe_take(e->set, 1);
	assert_ptr_not_equal(r1, r2);
	rtpe_release(r1);
	rtpe_release(r2);
	/* Both behind: no rtpengine for a new call. */
	e->srv[!ia].muted = true;
	struct rtpe *b = rtpe_take(e->set, 0);
	assert_int_equal(index_of(e, b), !ia);
	int done2 = 0;
	struct ng_req *req2;
	assert_int_equal(ng_request(rtpe_ng(b), NG_QUERY, NULL, ping_done, &done2, &req2), 0);
	assert_true(LOOP_UNTIL(e->root, rtpe_set_lagging(e->set) == 2, T_DEADLINE_MS));
	assert_null(rtpe_take(e->set, 0));
	assert_int_equal(rtpe_set_waiting(e->set), 2);
	ng_req_cancel(req);
	ng_req_cancel(req2);
	rtpe_release(b);
	assert_int_equal(done + done2, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(one_address_as_before, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_lists_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(calls_alternate, setup, teardown),
		cmocka_unit_test_setup_teardown(fewest_calls_first, setup, teardown),
		cmocka_unit_test_setup_teardown(dead_one_is_skipped_until_it_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(a_request_given_up_marks_it_down, setup, teardown),
		cmocka_unit_test_setup_teardown(all_down_still_taken_in_turn, setup, teardown),
		cmocka_unit_test_setup_teardown(lagging_ones_are_skipped, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
