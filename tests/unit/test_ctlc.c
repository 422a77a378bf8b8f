/* The control-socket client (common/ctlc.c) against a fake B2BUA: a thread
 * on loopback TCP that answers auth and a few made-up commands. A reply of
 * several MB arrives in pieces with events before, inside the same writes
 * and after it; ctlc_request must return that reply and ctlc_next_event the
 * events in the order they were sent. A thousand events and a reply in one
 * write, a stale reply, and a line over the client's bound (an error, not a
 * crash or an endless allocation) are covered too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/ctlc.h"

#define BIG_AGENTS 40000	/* about 5.5 MB of agent.list */
#define BURST 1000

struct fake {
	int lfd;
	atomic_int fd;	/* the accepted connection, -1 before */
	char addr[64];
	pthread_t thr;
};

/* Sends all of p; false when the client went away. */
static bool put(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Sends p in pieces of 1..4093 bytes (a fixed pseudo-random walk), so
 * lines reach the client split at arbitrary places. */
static bool put_pieces(int fd, const char *p, size_t n)
{
	unsigned x = 12345;
	while (n) {
		x = x * 1103515245u + 12345u;
		size_t k = 1 + (x >> 8) % 4093;
		if (k > n)
			k = n;
		if (!put(fd, p, k))
			return false;
		p += k;
		n -= k;
	}
	return true;
}

static char *event_line(const char *name, int seq)
{
	char *s;
	if (asprintf(&s, "{\"event\":\"%s\",\"ts\":1795259551123,\"seq\":%d,\"agent\":\"a\"}\n",
		     name, seq) < 0)
		return NULL;
	return s;
}

/* {"id":ID,"ok":true,"agents":[{…}, …]} and a newline: BIG_AGENTS agents
 * of about 140 bytes each. */
static char *big_reply(long long id, size_t *lenp)
{
	size_t cap = 64 + (size_t)BIG_AGENTS * 160, n = 0;
	char *s = malloc(cap);
	n += (size_t)snprintf(s + n, cap - n, "{\"id\":%lld,\"ok\":true,\"agents\":[", id);
	for (int i = 0; i < BIG_AGENTS; i++)
		n += (size_t)snprintf(s + n, cap - n,
				      "%s{\"id\":\"0u%030d\",\"name\":\"agent %d\",\"sip\":\"%d\","
				      "\"state\":\"ready\",\"registered\":true,\"call\":null}",
				      i ? "," : "", i, i, 5000 + i);
	n += (size_t)snprintf(s + n, cap - n, "]}\n");
	*lenp = n;
	return s;
}

static bool reply_ok(int fd, long long id)
{
	char line[128];
	int n = snprintf(line, sizeof line, "{\"id\":%lld,\"ok\":true}\n", id);
	return put(fd, line, (size_t)n);
}

static bool send_event(int fd, const char *name, int seq)
{
	char *e = event_line(name, seq);
	bool ok = put(fd, e, strlen(e));
	free(e);
	return ok;
}

/* Answers one request; false to stop. */
static bool answer(int fd, json_t *req)
{
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	long long id = json_integer_value(json_object_get(req, "id"));
	if (!cmd)
		return false;
	if (!strcmp(cmd, "auth") || !strcmp(cmd, "ping"))
		return reply_ok(fd, id);
	if (!strcmp(cmd, "big")) {
		/* ev 1 alone, then ev 2 + the reply + ev 3 in pieces, then ev 4 */
		size_t rn, e2n, e3n;
		char *reply = big_reply(id, &rn), *e2 = event_line("call.ringing", 2),
		     *e3 = event_line("call.answered", 3);
		e2n = strlen(e2);
		e3n = strlen(e3);
		char *all = malloc(e2n + rn + e3n);
		memcpy(all, e2, e2n);
		memcpy(all + e2n, reply, rn);
		memcpy(all + e2n + rn, e3, e3n);
		bool ok = send_event(fd, "agent.state", 1) && put_pieces(fd, all, e2n + rn + e3n) &&
			  send_event(fd, "call.ended", 4);
		free(all);
		free(reply);
		free(e2);
		free(e3);
		return ok;
	}
	if (!strcmp(cmd, "burst")) {
		/* BURST events, a stale reply and the reply, in one write */
		size_t cap = (size_t)BURST * 96 + 256, n = 0;
		char *s = malloc(cap);
		for (int i = 0; i < BURST; i++) {
			char *e = event_line("agent.state", 100 + i);
			size_t k = strlen(e);
			memcpy(s + n, e, k);
			n += k;
			free(e);
		}
		n += (size_t)snprintf(s + n, cap - n, "{\"id\":%lld,\"ok\":true,\"stale\":true}\n"
				      "{\"id\":%lld,\"ok\":true,\"burst\":%d}\n", id - 1, id, BURST);
		bool ok = put(fd, s, n);
		free(s);
		return ok;
	}
	if (!strcmp(cmd, "huge")) {
		/* one line past the client's 64 MB bound; the client hangs up */
		size_t chunk = 1 << 20;
		char *x = malloc(chunk);
		memset(x, 'x', chunk);
		bool ok = put(fd, "{\"id\":0,\"pad\":\"", 15);
		for (int i = 0; ok && i < 80; i++)
			ok = put(fd, x, chunk);
		free(x);
		return false;
	}
	return false;
}

static void *fake_main(void *arg)
{
	struct fake *f = arg;
	int fd = accept(f->lfd, NULL, NULL);
	if (fd < 0)
		return NULL;
	atomic_store(&f->fd, fd);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	char in[4096];
	size_t len = 0;
	for (;;) {
		ssize_t n = recv(fd, in + len, sizeof in - 1 - len, 0);
		if (n <= 0)
			break;
		len += (size_t)n;
		char *nl;
		bool go = true;
		while (go && (nl = memchr(in, '\n', len))) {
			json_t *req = json_loadb(in, (size_t)(nl - in), 0, NULL);
			go = req && answer(fd, req);
			json_decref(req);
			len -= (size_t)(nl - in) + 1;
			memmove(in, nl + 1, len);
		}
		if (!go)
			break;
	}
	close(fd);
	return NULL;
}

static int fake_start(void **state)
{
	struct fake *f = calloc(1, sizeof *f);
	atomic_init(&f->fd, -1);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof sa;
	f->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (f->lfd < 0 || bind(f->lfd, (struct sockaddr *)&sa, sizeof sa) || listen(f->lfd, 1) ||
	    getsockname(f->lfd, (struct sockaddr *)&sa, &sl))
		return -1;
	snprintf(f->addr, sizeof f->addr, "127.0.0.1:%u", ntohs(sa.sin_port));
	if (pthread_create(&f->thr, NULL, fake_main, f))
		return -1;
	*state = f;
	return 0;
}

static int fake_stop(void **state)
{
	struct fake *f = *state;
	/* A failed check may have left the fake blocked in accept or send. */
	shutdown(f->lfd, SHUT_RDWR);
	int fd = atomic_load(&f->fd);
	if (fd >= 0)
		shutdown(fd, SHUT_RDWR);
	pthread_join(f->thr, NULL);
	close(f->lfd);
	free(f);
	return 0;
}

static struct ctlc *connect_fake(struct fake *f)
{
	struct ctlc *c = NULL;
	char err[256] = "";
	int rc = ctlc_connect(&c, f->addr, "secret", 20000, err, sizeof err);
	if (rc)
		print_error("connect: %s\n", err);
	assert_int_equal(rc, 0);
	return c;
}

static void expect_event(struct ctlc *c, const char *name, int seq)
{
	char err[256] = "?";
	json_t *ev = ctlc_next_event(c, 5000, err, sizeof err);
	if (!ev)
		print_error("waiting for event %d: '%s'\n", seq, err);
	assert_non_null(ev);
	assert_string_equal(json_string_value(json_object_get(ev, "event")), name);
	assert_int_equal(json_integer_value(json_object_get(ev, "seq")), seq);
	json_decref(ev);
}

static void big_reply_between_events(void **state)
{
	struct ctlc *c = connect_fake(*state);
	char err[256] = "";
	json_t *r = ctlc_call(c, err, sizeof err, "big", NULL);
	if (!r)
		print_error("big: %s\n", err);
	assert_non_null(r);
	assert_true(json_is_true(json_object_get(r, "ok")));
	json_t *agents = json_object_get(r, "agents");
	assert_int_equal(json_array_size(agents), BIG_AGENTS);
	json_t *last = json_array_get(agents, BIG_AGENTS - 1);
	assert_string_equal(json_string_value(json_object_get(last, "sip")), "44999");
	json_decref(r);

	/* a small request after the big one: the buffer is still right */
	r = ctlc_call(c, err, sizeof err, "ping", NULL);
	assert_non_null(r);
	json_decref(r);

	/* events 1..3 came before or with the reply; 4 after it, read during
	 * the ping or still buffered */
	expect_event(c, "agent.state", 1);
	expect_event(c, "call.ringing", 2);
	expect_event(c, "call.answered", 3);
	expect_event(c, "call.ended", 4);
	assert_false(ctlc_pending(c));
	/* nothing more: a timeout says "" */
	strcpy(err, "?");
	assert_null(ctlc_next_event(c, 50, err, sizeof err));
	assert_string_equal(err, "");
	ctlc_close(c);
}

static void many_events_then_reply(void **state)
{
	struct ctlc *c = connect_fake(*state);
	char err[256] = "";
	json_t *r = ctlc_call(c, err, sizeof err, "burst", NULL);
	assert_non_null(r);
	/* the stale reply (an earlier id) was dropped */
	assert_null(json_object_get(r, "stale"));
	assert_int_equal(json_integer_value(json_object_get(r, "burst")), BURST);
	json_decref(r);
	assert_true(ctlc_pending(c));
	for (int i = 0; i < BURST; i++)
		expect_event(c, "agent.state", 100 + i);
	assert_false(ctlc_pending(c));
	ctlc_close(c);
}

static void line_too_long(void **state)
{
	struct ctlc *c = connect_fake(*state);
	char err[256] = "";
	json_t *r = ctlc_call(c, err, sizeof err, "huge", NULL);
	assert_null(r);
	assert_non_null(strstr(err, "too long"));
	ctlc_close(c);	/* the fake's sends fail and it stops */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(big_reply_between_events, fake_start, fake_stop),
		cmocka_unit_test_setup_teardown(many_events_then_reply, fake_start, fake_stop),
		cmocka_unit_test_setup_teardown(line_too_long, fake_start, fake_stop),
	};
	return cmocka_run_group_tests_name("ctlc", tests, NULL, NULL);
}
