/* The DTMF listener on a real su_root: datagrams as rtpengine sends them
 * reach the handler with the right digit; anything else is dropped without
 * reaching it, and does not stop the good ones after it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include "b2bua/media/dtmf.h"
#include "log.h"

struct seen {
	char call_id[64];
	char tag[16];
	char digit;
	unsigned duration_ms;
	long long timestamp;
};

struct env {
	su_root_t *root;
	struct dtmf_listener *l;
	int tx;
	struct sockaddr_in to;
	int n;
	struct seen seen[64];
};

static void on_digit(const struct dtmf_event *ev, void *arg)
{
	struct env *e = arg;
	assert_true(e->n < 64);
	struct seen *s = &e->seen[e->n++];
	snprintf(s->call_id, sizeof s->call_id, "%s", ev->call_id);
	snprintf(s->tag, sizeof s->tag, "%s", ev->source_tag);
	s->digit = ev->digit;
	s->duration_ms = ev->duration_ms;
	s->timestamp = ev->timestamp;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	if (!e || su_init() != 0 || !(e->root = su_root_create(NULL)))
		return -1;
	/* the malformed datagrams below are logged on purpose; keep the output for
	 * failures */
	log_set_level(LOG_ERR);
	if (dtmf_listener_alloc(&e->l, e->root, "127.0.0.1:0", on_digit, e))
		return -1;
	e->to.sin_family = AF_INET;
	e->to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	e->to.sin_port = htons((unsigned short)dtmf_listener_port(e->l));
	e->tx = socket(AF_INET, SOCK_DGRAM, 0);
	*state = e;
	return e->to.sin_port && e->tx >= 0 ? 0 : -1;
}

static int teardown(void **state)
{
	struct env *e = *state;
	dtmf_listener_free(e->l);
	close(e->tx);
	su_root_destroy(e->root);
	su_deinit();
	free(e);
	return 0;
}

static void send_dgram(struct env *e, const char *s)
{
	assert_int_equal(sendto(e->tx, s, strlen(s), 0, (struct sockaddr *)&e->to, sizeof e->to),
			 (ssize_t)strlen(s));
}

/* Runs the loop until want events arrived, or 300 ms more after that to see
 * that nothing else does. */
static void run(struct env *e, int want)
{
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		long ms = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms > 2000 || (e->n >= want && ms > 300))
			break;
		su_root_step(e->root, 10);
	}
}

static void digits(void **state)
{
	(void)state;
	assert_int_equal(dtmf_digit(0), '0');
	assert_int_equal(dtmf_digit(9), '9');
	assert_int_equal(dtmf_digit(10), '*');
	assert_int_equal(dtmf_digit(11), '#');
	assert_int_equal(dtmf_digit(12), 'A');
	assert_int_equal(dtmf_digit(15), 'D');
	assert_int_equal(dtmf_digit(16), 0);
	assert_int_equal(dtmf_digit(-1), 0);
	assert_int_equal(dtmf_digit(1L << 40), 0);
}

/* Exactly rtpengine 10.5's datagram. */
static void rtpengine_datagram(void **state)
{
	struct env *e = *state;
	send_dgram(e, "{\"callid\":\"a84b4c76e66710\",\"source_tag\":\"A\",\"tags\":[\"ivr\",\"A\"],"
		      "\"type\":\"DTMF\",\"timestamp\":1795259551,\"source_ip\":\"127.0.0.1\","
		      "\"event\":1,\"duration\":200,\"volume\":10}");
	run(e, 1);
	assert_int_equal(e->n, 1);
	assert_string_equal(e->seen[0].call_id, "a84b4c76e66710");
	assert_string_equal(e->seen[0].tag, "A");
	assert_int_equal(e->seen[0].digit, '1');
	assert_int_equal(e->seen[0].duration_ms, 200);
	assert_true(e->seen[0].timestamp == 1795259551LL);
}

static void star_hash_letters(void **state)
{
	struct env *e = *state;
	static const int events[] = { 10, 11, 12, 15, 0 };
	char buf[256];
	for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
		snprintf(buf, sizeof buf,
			 "{\"callid\":\"c\",\"source_tag\":\"t%zu\",\"type\":\"DTMF\",\"event\":%d,"
			 "\"duration\":%zu,\"timestamp\":1}",
			 i, events[i], 100 + i);
		send_dgram(e, buf);
	}
	run(e, 5);
	assert_int_equal(e->n, 5);
	const char want[] = "*#AD0";
	for (int i = 0; i < 5; i++) {
		assert_int_equal(e->seen[i].digit, want[i]);
		assert_int_equal(e->seen[i].duration_ms, 100 + i);
		char tag[16];
		snprintf(tag, sizeof tag, "t%d", i);
		assert_string_equal(e->seen[i].tag, tag);
	}
}

/* Fields rtpengine may leave out: type, duration, timestamp. */
static void optional_fields(void **state)
{
	struct env *e = *state;
	send_dgram(e, "{\"callid\":\"x\",\"source_tag\":\"A\",\"event\":5}");
	run(e, 1);
	assert_int_equal(e->n, 1);
	assert_int_equal(e->seen[0].digit, '5');
	assert_int_equal(e->seen[0].duration_ms, 0);
	assert_true(e->seen[0].timestamp == 0);
}

static void malformed_dropped(void **state)
{
	struct env *e = *state;
	static const char *const bad[] = {
		"",
		"not json",
		"{\"callid\":\"x\",\"source_tag\":\"A\",\"event\":1",
		"[1,2,3]",
		"\"DTMF\"",
		"{\"source_tag\":\"A\",\"event\":1}",
		"{\"callid\":\"\",\"source_tag\":\"A\",\"event\":1}",
		"{\"callid\":7,\"source_tag\":\"A\",\"event\":1}",
		"{\"callid\":\"x\",\"event\":1}",
		"{\"callid\":\"x\",\"source_tag\":null,\"event\":1}",
		"{\"callid\":\"x\",\"source_tag\":\"A\"}",
		"{\"callid\":\"x\",\"source_tag\":\"A\",\"event\":\"1\"}",
		"{\"callid\":\"x\",\"source_tag\":\"A\",\"event\":1.5}",
		"{\"callid\":\"x\",\"source_tag\":\"A\",\"event\":16}",
		"{\"callid\":\"x\",\"source_tag\":\"A\",\"event\":-1}",
		"{\"callid\":\"x\",\"source_tag\":\"A\",\"event\":1,\"type\":\"other\"}",
		"{\"callid\":\"x\",\"source_tag\":\"A\",\"event\":1,\"type\":5}",
		"{\"callid\":\"x\",\"source_tag\":\"A\",\"event\":1,\"duration\":-5}",
		"{\"callid\":\"x\",\"source_tag\":\"A\",\"event\":1,\"duration\":\"200\"}",
		"{\"callid\":\"x\",\"source_tag\":\"A\",\"event\":1,\"timestamp\":\"now\"}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		send_dgram(e, bad[i]);
	/* a good one after all of them still gets through */
	send_dgram(e, "{\"callid\":\"ok\",\"source_tag\":\"B\",\"event\":11,\"duration\":60}");
	run(e, 1);
	assert_int_equal(e->n, 1);
	assert_string_equal(e->seen[0].call_id, "ok");
	assert_int_equal(e->seen[0].digit, '#');
}

static void bad_arguments(void **state)
{
	struct env *e = *state;
	struct dtmf_listener *l = (struct dtmf_listener *)&l;
	struct dtmf_listener *const before = l;
	assert_int_equal(dtmf_listener_alloc(&l, e->root, "127.0.0.1", on_digit, e), EINVAL);
	assert_int_equal(dtmf_listener_alloc(&l, e->root, "127.0.0.1:0", NULL, e), EINVAL);
	assert_int_equal(dtmf_listener_alloc(&l, NULL, "127.0.0.1:0", on_digit, e), EINVAL);
	/* the port is taken by the listener of this test */
	char addr[32];
	snprintf(addr, sizeof addr, "127.0.0.1:%u", dtmf_listener_port(e->l));
	assert_int_equal(dtmf_listener_alloc(&l, e->root, addr, on_digit, e), EADDRINUSE);
	assert_ptr_equal(l, before);
	dtmf_listener_free(NULL);
	assert_int_equal(dtmf_listener_port(NULL), 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(digits),
		T(rtpengine_datagram),
		T(star_hash_letters),
		T(optional_fields),
		T(malformed_dropped),
		T(bad_arguments),
	};
#undef T
	return cmocka_run_group_tests_name("dtmf", tests, NULL, NULL);
}
