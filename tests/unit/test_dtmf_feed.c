/* DTMF events from rtpengine's TCP ng port (dtmf_feed_* in
 * b2bua/media/dtmf_feed.c) on a real su_root, against a TCP server in the
 * test that writes what rtpengine 10.5 writes with --dtmf-log-ng-tcp
 * (docs/rtpengines.md): events whole, together and split anywhere reach the
 * handler; other messages and bad events do not, and do not stop the good
 * ones; a lost connection, and a listener that goes away and comes back,
 * are made again, and each loss is logged once. */
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
#include <unistd.h>

#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include "b2bua/media/dtmf.h"
#include "log.h"
#include "support.h"

struct env {
	su_root_t *root;
	int lfd;		/* the server's listening socket */
	int cfd;		/* its connection to the feed, or -1 */
	unsigned short port;
	char addr[32];
	struct dtmf_feed *feed;
	int n;
	char digits[64];
	char call_id[64], tag[16];
	unsigned duration_ms;
	struct t_logcap log;
};

static void on_digit(const struct dtmf_event *ev, void *arg)
{
	struct env *e = arg;
	if (e->n < 63)
		e->digits[e->n++] = ev->digit;
	snprintf(e->call_id, sizeof e->call_id, "%s", ev->call_id);
	snprintf(e->tag, sizeof e->tag, "%s", ev->source_tag);
	e->duration_ms = ev->duration_ms;
}

static int listen_on(struct env *e, unsigned short port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				   .sin_port = htons(port) };
	socklen_t len = sizeof sin;
	int one = 1;
	e->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (e->lfd < 0 || setsockopt(e->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
	    bind(e->lfd, (struct sockaddr *)&sin, sizeof sin) || listen(e->lfd, 8) ||
	    getsockname(e->lfd, (struct sockaddr *)&sin, &len))
		return -1;
	e->port = ntohs(sin.sin_port);
	return 0;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	if (!e || su_init() != 0 || !(e->root = su_root_create(NULL)))
		return -1;
	log_set_level(LOG_INFO);
	e->cfd = -1;
	if (listen_on(e, 0))
		return -1;
	snprintf(e->addr, sizeof e->addr, "127.0.0.1:%u", e->port);
	if (t_logcap_start(&e->log))
		return -1;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	dtmf_feed_free(e->feed);
	if (e->cfd >= 0)
		close(e->cfd);
	if (e->lfd >= 0)
		close(e->lfd);
	t_logcap_stop(&e->log);
	su_root_destroy(e->root);
	su_deinit();
	free(e);
	return 0;
}

static int logged(struct env *e, const char *s)
{
	return t_logcap_count(&e->log, s);
}

/* The server takes the feed's (next) connection. */
static bool accepted(struct env *e)
{
	if (e->cfd >= 0)
		return true;
	e->cfd = accept(e->lfd, NULL, NULL);
	return e->cfd >= 0;
}

static void connect_feed(struct env *e)
{
	assert_int_equal(dtmf_feed_alloc(&e->feed, e->root, e->addr, on_digit, e), 0);
	assert_true(LOOP_UNTIL(e->root, accepted(e) && dtmf_feed_connected(e->feed), T_DEADLINE_MS));
}

static void put(struct env *e, const char *s)
{
	assert_int_equal(write(e->cfd, s, strlen(s)), (ssize_t)strlen(s));
}

/* One event as rtpengine writes it. */
static const char *event(char *buf, size_t n, const char *cookie, const char *call_id, long ev)
{
	snprintf(buf, n,
		 "%s d6:notify6:onDTMF4:datad4:tagsl6:caller3:ivre6:callid%zu:%s10:source_tag6:caller"
		 "4:type4:DTMF9:source_ip9:127.0.0.19:timestampi1796392656e5:eventi%lde"
		 "8:durationi160e6:volumei10eee",
		 cookie, strlen(call_id), call_id, ev);
	return buf;
}

/* --- tests ------------------------------------------------------------------------ */

static void events_whole_together_and_split(void **state)
{
	struct env *e = *state;
	connect_feed(e);
	char a[512], b[512], c[512];
	event(a, sizeof a, "1c4408e94fe4d99b", "call-one", 1);
	event(b, sizeof b, "507634376b4ce2ea", "call-one", 11);
	char both[1024];
	snprintf(both, sizeof both, "%s%s", a, b);
	put(e, both);
	assert_true(LOOP_UNTIL(e->root, e->n == 2, T_DEADLINE_MS));
	assert_string_equal(e->digits, "1#");
	assert_string_equal(e->call_id, "call-one");
	assert_string_equal(e->tag, "caller");
	assert_int_equal(e->duration_ms, 160);
	/* Split inside the cookie, inside a key and inside a string. */
	event(c, sizeof c, "624cfddf14a024e5", "call-two", 10);
	size_t cuts[] = { 5, 40, 120, strlen(c) };
	size_t at = 0;
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(write(e->cfd, c + at, cuts[i] - at), (ssize_t)(cuts[i] - at));
		at = cuts[i];
		loop_for(e->root, 20);
		assert_int_equal(e->n, i == 3 ? 3 : 2);
	}
	assert_true(LOOP_UNTIL(e->root, e->n == 3, T_DEADLINE_MS));
	assert_string_equal(e->digits, "1#*");
	assert_string_equal(e->call_id, "call-two");
	assert_int_equal(logged(e, "connection lost"), 0);
}

static void other_messages_and_bad_events_are_dropped(void **state)
{
	struct env *e = *state;
	connect_feed(e);
	char ok[512], range[512], good[512];
	put(e, "tcp1 d6:result4:ponge");				/* a reply */
	put(e, "abcd d6:notify7:onOther4:datad6:callid1:xee");	/* another notification */
	put(e, event(range, sizeof range, "aaaa", "call-x", 16));	/* no such digit */
	put(e, "bbbb d6:notify6:onDTMF4:datad6:callid1:x5:eventi3eee"); /* no source_tag */
	put(e, event(ok, sizeof ok, "cccc", "call-y", 7));
	assert_true(LOOP_UNTIL(e->root, e->n == 1, T_DEADLINE_MS));
	loop_for(e->root, 50);
	assert_string_equal(e->digits, "7");
	assert_int_equal(logged(e, "dropped a DTMF event (event out of range)"), 1);
	assert_int_equal(logged(e, "dropped a DTMF event (no source_tag)"), 1);
	/* Bytes that are no message: the stream cannot be followed; the
	 * connection is made again and works. */
	put(e, "cccc xyz");
	assert_true(LOOP_UNTIL(e->root, logged(e, "DTMF connection lost") == 1, T_DEADLINE_MS));
	close(e->cfd);
	e->cfd = -1;
	assert_true(LOOP_UNTIL(e->root, accepted(e) && dtmf_feed_connected(e->feed), T_DEADLINE_MS));
	put(e, event(good, sizeof good, "dddd", "call-z", 9));
	assert_true(LOOP_UNTIL(e->root, e->n == 2, T_DEADLINE_MS));
	assert_string_equal(e->digits, "79");
}

/* rtpengine goes away (connections refused for a while) and comes back on
 * the same port: logged once each way, events flow again. */
static void reconnects_with_backoff_logged_once(void **state)
{
	struct env *e = *state;
	connect_feed(e);
	close(e->cfd);
	e->cfd = -1;
	close(e->lfd);
	e->lfd = -1;
	assert_true(LOOP_UNTIL(e->root, !dtmf_feed_connected(e->feed), T_DEADLINE_MS));
	/* Refused again and again meanwhile (100, 200, 400, 800 ms ...). */
	loop_for(e->root, 1600);
	assert_false(dtmf_feed_connected(e->feed));
	assert_int_equal(logged(e, "DTMF connection lost (closed by rtpengine)"), 1);
	assert_int_equal(logged(e, "DTMF connection"), 1);
	assert_int_equal(listen_on(e, e->port), 0);
	assert_true(LOOP_UNTIL(e->root, accepted(e) && dtmf_feed_connected(e->feed), T_DEADLINE_MS));
	assert_true(LOOP_UNTIL(e->root, logged(e, "receiving DTMF events over TCP again") == 1,
			       T_DEADLINE_MS));
	char ev[512];
	put(e, event(ev, sizeof ev, "eeee", "call-back", 0));
	assert_true(LOOP_UNTIL(e->root, e->n == 1, T_DEADLINE_MS));
	assert_string_equal(e->digits, "0");
}

/* Nobody listening at start: retried until someone does. */
static void nobody_listening_at_start(void **state)
{
	struct env *e = *state;
	close(e->lfd);
	e->lfd = -1;
	assert_int_equal(dtmf_feed_alloc(&e->feed, e->root, e->addr, on_digit, e), 0);
	loop_for(e->root, 300);
	assert_false(dtmf_feed_connected(e->feed));
	assert_int_equal(logged(e, "cannot connect for DTMF events"), 1);
	assert_int_equal(listen_on(e, e->port), 0);
	assert_true(LOOP_UNTIL(e->root, accepted(e) && dtmf_feed_connected(e->feed), T_DEADLINE_MS));
}

static void bad_arguments(void **state)
{
	struct env *e = *state;
	struct dtmf_feed *f = NULL;
	assert_int_equal(dtmf_feed_alloc(&f, e->root, "nonsense", on_digit, e), EINVAL);
	assert_int_equal(dtmf_feed_alloc(&f, e->root, "127.0.0.1", on_digit, e), EINVAL);
	assert_int_equal(dtmf_feed_alloc(&f, e->root, e->addr, NULL, e), EINVAL);
	assert_null(f);
	assert_false(dtmf_feed_connected(NULL));
	dtmf_feed_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(events_whole_together_and_split, setup, teardown),
		cmocka_unit_test_setup_teardown(other_messages_and_bad_events_are_dropped, setup,
						teardown),
		cmocka_unit_test_setup_teardown(reconnects_with_backoff_logged_once, setup, teardown),
		cmocka_unit_test_setup_teardown(nobody_listening_at_start, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_arguments, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
