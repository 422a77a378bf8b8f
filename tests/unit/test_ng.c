/* The ng client on a real su_root against a fake rtpengine: a UDP socket in
 * this process, on the same loop, that records every datagram and answers
 * (or not) as each test needs. */
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

#include "arena.h"
#include "b2bua/media/bencode.h"
#include "b2bua/media/ng.h"

#define MAX_GOT 2048

enum mode {
	ANSWER_OK,	/* "ok" ("pong" to ping), echoing the call-id */
	ANSWER_ERROR,	/* "error" with an error-reason */
	WRONG_COOKIE,	/* "ok" under another cookie */
	SILENT,		/* records, answers nothing */
	ANSWER_SECOND,	/* answers the second send of a cookie only */
};

struct datagram {
	char *data;
	size_t len;
	char cookie[64];
	long long at_us;
};

struct fake {
	int fd;
	unsigned short port;
	int reg;
	enum mode mode;
	int ngot;		/* datagrams received, also past MAX_GOT */
	struct datagram got[MAX_GOT];
	struct sockaddr_storage peer;
	socklen_t peerlen;
};

struct env {
	su_root_t *root;
	struct fake fake;
	struct ng_client *ng;
	char addr[32];
};

struct cb {
	int calls;
	int had_reply;
	char err[128];
	char result[32];
	char call_id[64];
	long long at_us;
	struct ng_client *free_this;	/* freed from inside the callback */
};

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* --- the fake rtpengine ---------------------------------------------------- */

static void fake_send(struct fake *f, const char *cookie, const char *dict)
{
	char buf[1024];
	int n = snprintf(buf, sizeof buf, "%s %s", cookie, dict);
	assert_true(n > 0 && (size_t)n < sizeof buf);
	assert_int_equal(sendto(f->fd, buf, (size_t)n, 0, (struct sockaddr *)&f->peer, f->peerlen),
			 n);
}

/* The request's dict; the caller frees the arena. */
static const struct benc *request_dict(const struct datagram *d, struct arena *a)
{
	const char *sp = memchr(d->data, ' ', d->len);
	assert_non_null(sp);
	const char *err = NULL;
	struct benc *b = benc_decode(a, sp + 1, d->len - (size_t)(sp + 1 - d->data), &err);
	if (!b)
		fail_msg("request is not bencode: %s", err);
	assert_int_equal(b->type, BENC_DICT);
	return b;
}

/* Sends the reply the mode says to datagram i. */
static void fake_answer(struct fake *f, int i, const char *result)
{
	struct arena *a = arena_new();
	const struct benc *req = request_dict(&f->got[i], a);
	char *call_id = benc_strdup(a, benc_get(req, "call-id"));
	char dict[256];
	if (!result)
		result = benc_is(benc_get(req, "command"), "ping") ? "pong" : "ok";
	if (!strcmp(result, "error"))
		snprintf(dict, sizeof dict, "d6:result5:error12:error-reason15:Unknown call-ide");
	else
		snprintf(dict, sizeof dict, "d6:result%zu:%s7:call-id%zu:%se", strlen(result), result,
			 call_id ? strlen(call_id) : 0, call_id ? call_id : "");
	fake_send(f, f->got[i].cookie, dict);
	arena_free(a);
}

static int fake_readable(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	(void)magic;
	(void)w;
	struct fake *f = arg;
	char buf[65536];
	for (;;) {
		f->peerlen = sizeof f->peer;
		ssize_t n = recvfrom(f->fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&f->peer,
				     &f->peerlen);
		if (n < 0)
			return 0;
		int i = f->ngot++;
		if (i >= MAX_GOT)
			continue;
		struct datagram *d = &f->got[i];
		d->data = malloc((size_t)n);
		assert_non_null(d->data);
		memcpy(d->data, buf, (size_t)n);
		d->len = (size_t)n;
		d->at_us = now_us();
		size_t cl = strcspn(buf, " ");
		assert_true(cl < sizeof d->cookie && cl < (size_t)n);
		memcpy(d->cookie, buf, cl);
		d->cookie[cl] = '\0';
		int earlier = 0;
		for (int j = 0; j < i; j++)
			earlier += !strcmp(f->got[j].cookie, d->cookie);
		switch (f->mode) {
		case ANSWER_OK:
			fake_answer(f, i, NULL);
			break;
		case ANSWER_ERROR:
			fake_answer(f, i, "error");
			break;
		case WRONG_COOKIE:
			fake_send(f, "0123456789abcdef", "d6:result2:oke");
			break;
		case ANSWER_SECOND:
			if (earlier == 1)
				fake_answer(f, i, NULL);
			break;
		case SILENT:
			break;
		}
	}
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	if (!e || su_init() != 0)
		return -1;
	e->root = su_root_create(NULL);
	struct fake *f = &e->fake;
	f->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sin;
	int big = 4 << 20;
	setsockopt(f->fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	if (!e->root || f->fd < 0 || bind(f->fd, (struct sockaddr *)&sin, sizeof sin) ||
	    getsockname(f->fd, (struct sockaddr *)&sin, &len))
		return -1;
	f->port = ntohs(sin.sin_port);
	su_wait_t w;
	su_wait_create(&w, f->fd, SU_WAIT_IN);
	f->reg = su_root_register(e->root, &w, fake_readable, f, 0);
	if (f->reg < 0)
		return -1;
	snprintf(e->addr, sizeof e->addr, "127.0.0.1:%u", f->port);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	ng_client_free(e->ng);
	su_root_deregister(e->root, e->fake.reg);
	close(e->fake.fd);
	for (int i = 0; i < e->fake.ngot && i < MAX_GOT; i++)
		free(e->fake.got[i].data);
	su_root_destroy(e->root);
	su_deinit();
	free(e);
	return 0;
}

/* --- helpers --------------------------------------------------------------- */

static void on_reply(const struct benc *reply, const char *err, void *arg)
{
	struct cb *c = arg;
	c->calls++;
	c->at_us = now_us();
	c->had_reply = reply != NULL;
	snprintf(c->err, sizeof c->err, "%s", err ? err : "");
	const struct benc *r = benc_get(reply, "result");
	snprintf(c->result, sizeof c->result, "%.*s", r ? (int)r->len : 0, r ? r->str : "");
	const struct benc *id = benc_get(reply, "call-id");
	snprintf(c->call_id, sizeof c->call_id, "%.*s", id ? (int)id->len : 0, id ? id->str : "");
	if (c->free_this)
		ng_client_free(c->free_this);
}

/* Runs the loop until *counter reaches want or ms pass. */
static void run_until(struct env *e, const int *counter, int want, int ms)
{
	long long end = now_us() + ms * 1000LL;
	while (*counter < want && now_us() < end)
		su_root_step(e->root, 10);
}

static void run_for(struct env *e, int ms)
{
	long long end = now_us() + ms * 1000LL;
	while (now_us() < end)
		su_root_step(e->root, 10);
}

static void client(struct env *e, unsigned timeout_ms, unsigned tries)
{
	assert_int_equal(ng_client_alloc(&e->ng, e->root, e->addr, timeout_ms, tries), 0);
	assert_non_null(e->ng);
}

static int ping(struct env *e, struct cb *c, struct ng_req **reqp)
{
	return ng_request(e->ng, NG_PING, NULL, on_reply, c, reqp);
}

/* --- tests ----------------------------------------------------------------- */

static void ok_reply(void **state)
{
	struct env *e = *state;
	client(e, 1000, 3);
	struct cb c = { 0 };
	assert_int_equal(ping(e, &c, NULL), 0);
	assert_int_equal(ng_outstanding(e->ng), 1);
	assert_int_equal(c.calls, 0); /* never called before the loop runs */
	run_until(e, &c.calls, 1, 2000);
	assert_int_equal(c.calls, 1);
	assert_string_equal(c.err, "");
	assert_true(c.had_reply);
	assert_string_equal(c.result, "pong");
	assert_int_equal(ng_outstanding(e->ng), 0);
	assert_int_equal(e->fake.ngot, 1);
	/* "cookie d7:command4:pinge": a random cookie of hex digits */
	const struct datagram *d = &e->fake.got[0];
	assert_int_equal(strlen(d->cookie), 16);
	assert_int_equal(strspn(d->cookie, "0123456789abcdef"), 16);
	assert_int_equal(d->len, 17 + strlen("d7:command4:pinge"));
	assert_memory_equal(d->data + 17, "d7:command4:pinge", d->len - 17);

	struct cb o = { 0 };
	struct ng_params p = { .call_id = "abc" };
	assert_int_equal(ng_request(e->ng, NG_QUERY, &p, on_reply, &o, NULL), 0);
	run_until(e, &o.calls, 1, 2000);
	assert_int_equal(o.calls, 1);
	assert_string_equal(o.err, "");
	assert_string_equal(o.result, "ok");
	assert_string_equal(o.call_id, "abc");
	/* a second request has a cookie of its own */
	assert_string_not_equal(e->fake.got[1].cookie, e->fake.got[0].cookie);
	run_for(e, 50);
	assert_int_equal(c.calls, 1);
	assert_int_equal(o.calls, 1);
}

static void error_reply(void **state)
{
	struct env *e = *state;
	e->fake.mode = ANSWER_ERROR;
	client(e, 1000, 3);
	struct cb c = { 0 };
	struct ng_params p = { .call_id = "nope", .from_tag = "A", .to_tag = "B", .sdp = "v=0\r\n" };
	assert_int_equal(ng_request(e->ng, NG_ANSWER, &p, on_reply, &c, NULL), 0);
	run_until(e, &c.calls, 1, 2000);
	assert_int_equal(c.calls, 1);
	assert_string_equal(c.err, "Unknown call-id");
	assert_true(c.had_reply);
	assert_string_equal(c.result, "error");
	assert_int_equal(ng_outstanding(e->ng), 0);
}

/* Every ng_params member lands under its key; absent ones are left out. */
static void request_encoding(void **state)
{
	struct env *e = *state;
	e->fake.mode = SILENT;
	client(e, 1000, 1);
	static const char *const flags[] = { "port latching", "trust address", NULL };
	static const char *const replace[] = { "origin", "session-connection", NULL };
	static const char *const transcode[] = { "PCMU", NULL };
	struct ng_params p = {
		.call_id = "c1", .from_tag = "A", .to_tag = "ivr", .via_branch = "br-C",
		.sdp = "v=0\r\n", .flags = flags, .replace = replace, .transcode = transcode,
		.ice = "remove", .file = "/x.wav", .repeat_times = 5, .code = "1#",
		.duration_ms = 250,
	};
	struct cb c[3] = { 0 };
	assert_int_equal(ng_request(e->ng, NG_OFFER, &p, on_reply, &c[0], NULL), 0);
	struct ng_params few = { .call_id = "c2", .flags = (const char *const[]){ NULL },
				 .repeat_times = -1, .duration_ms = 0 };
	assert_int_equal(ng_request(e->ng, NG_PLAY_MEDIA, &few, on_reply, &c[1], NULL), 0);
	assert_int_equal(ng_request(e->ng, NG_START_RECORDING, NULL, on_reply, &c[2], NULL), 0);
	run_until(e, &e->fake.ngot, 3, 2000);
	assert_int_equal(e->fake.ngot, 3);

	struct arena *a = arena_new();
	const struct benc *d = request_dict(&e->fake.got[0], a);
	assert_true(benc_is(benc_get(d, "command"), "offer"));
	assert_true(benc_is(benc_get(d, "call-id"), "c1"));
	assert_true(benc_is(benc_get(d, "from-tag"), "A"));
	assert_true(benc_is(benc_get(d, "to-tag"), "ivr"));
	assert_true(benc_is(benc_get(d, "via-branch"), "br-C"));
	assert_true(benc_is(benc_get(d, "sdp"), "v=0\r\n"));
	assert_true(benc_is(benc_get(d, "ICE"), "remove"));
	assert_true(benc_is(benc_get(d, "file"), "/x.wav"));
	assert_true(benc_is(benc_get(d, "code"), "1#"));
	assert_int_equal(benc_get(d, "repeat-times")->type, BENC_INT);
	assert_int_equal(benc_get(d, "repeat-times")->num, 5);
	assert_int_equal(benc_get(d, "duration")->type, BENC_INT);
	assert_int_equal(benc_get(d, "duration")->num, 250);
	const struct benc *l = benc_get(d, "flags");
	assert_int_equal(l->type, BENC_LIST);
	assert_true(benc_is(l->child, "port latching"));
	assert_true(benc_is(l->child->next, "trust address"));
	assert_null(l->child->next->next);
	l = benc_get(d, "replace");
	assert_true(benc_is(l->child, "origin"));
	assert_true(benc_is(l->child->next, "session-connection"));
	const struct benc *codec = benc_get(d, "codec");
	assert_int_equal(codec->type, BENC_DICT);
	l = benc_get(codec, "transcode");
	assert_int_equal(l->type, BENC_LIST);
	assert_true(benc_is(l->child, "PCMU"));
	assert_null(l->child->next);
	int keys = 0;
	for (const struct benc *k = d->child; k; k = k->next)
		keys++;
	assert_int_equal(keys, 14);

	/* only what was set: the command name with its space, the call-id */
	size_t off = strlen(e->fake.got[1].cookie) + 1;
	const char want1[] = "d7:command10:play media7:call-id2:c2e";
	assert_int_equal(e->fake.got[1].len - off, strlen(want1));
	assert_memory_equal(e->fake.got[1].data + off, want1, strlen(want1));
	const char want2[] = "d7:command15:start recordinge";
	assert_int_equal(e->fake.got[2].len - off, strlen(want2));
	assert_memory_equal(e->fake.got[2].data + off, want2, strlen(want2));
	arena_free(a);
	/* c[] lives on this stack: fail the requests while it does */
	ng_client_free(e->ng);
	e->ng = NULL;
	for (int i = 0; i < 3; i++)
		assert_string_equal(c[i].err, "shutting down");
}

static void command_names(void **state)
{
	(void)state;
	assert_string_equal(ng_cmd_name(NG_PING), "ping");
	assert_string_equal(ng_cmd_name(NG_PLAY_MEDIA), "play media");
	assert_string_equal(ng_cmd_name(NG_PLAY_DTMF), "play DTMF");
	assert_string_equal(ng_cmd_name(NG_STATISTICS), "statistics");
	assert_null(ng_cmd_name(NG_CMD_COUNT));
	assert_null(ng_cmd_name((enum ng_cmd)-1));
}

/* A reply under a cookie nobody waits for, and junk, are dropped; the real
 * reply still completes the request once. */
static void wrong_cookie_dropped(void **state)
{
	struct env *e = *state;
	e->fake.mode = WRONG_COOKIE;
	client(e, 5000, 1);
	struct cb c = { 0 };
	assert_int_equal(ping(e, &c, NULL), 0);
	run_until(e, &e->fake.ngot, 1, 2000);
	fake_send(&e->fake, "", "d6:result2:oke");
	assert_int_equal(sendto(e->fake.fd, "nospace", 7, 0, (struct sockaddr *)&e->fake.peer,
				e->fake.peerlen),
			 7);
	run_for(e, 150);
	assert_int_equal(c.calls, 0);
	assert_int_equal(ng_outstanding(e->ng), 1);
	fake_answer(&e->fake, 0, NULL);
	run_until(e, &c.calls, 1, 2000);
	assert_int_equal(c.calls, 1);
	assert_string_equal(c.err, "");
	assert_string_equal(c.result, "pong");
	/* a duplicate of the real reply, as a resend would bring, is dropped */
	fake_answer(&e->fake, 0, NULL);
	run_for(e, 100);
	assert_int_equal(c.calls, 1);
	assert_int_equal(e->fake.ngot, 1);
}

/* No reply: `tries` sends of the same bytes, timeout_ms apart, then the
 * timeout error; a reply that comes after that is dropped. */
static void resend_then_timeout(void **state)
{
	struct env *e = *state;
	e->fake.mode = SILENT;
	client(e, 60, 3);
	struct cb c = { 0 };
	struct ng_params p = { .call_id = "x" };
	long long start = now_us();
	assert_int_equal(ng_request(e->ng, NG_DELETE, &p, on_reply, &c, NULL), 0);
	assert_int_equal(ng_lagging(e->ng), 0);
	/* once sent again it counts as lagging, until it fails */
	run_until(e, &e->fake.ngot, 2, 3000);
	assert_int_equal(ng_lagging(e->ng), 1);
	run_until(e, &c.calls, 1, 3000);
	assert_int_equal(c.calls, 1);
	assert_string_equal(c.err, "rtpengine did not answer");
	assert_false(c.had_reply);
	assert_int_equal(ng_outstanding(e->ng), 0);
	assert_int_equal(ng_lagging(e->ng), 0);
	assert_int_equal(e->fake.ngot, 3);
	for (int i = 1; i < 3; i++) {
		const struct datagram *a = &e->fake.got[0], *b = &e->fake.got[i];
		assert_string_equal(b->cookie, a->cookie);
		assert_int_equal(b->len, a->len);
		assert_memory_equal(b->data, a->data, a->len);
		long long gap = b->at_us - e->fake.got[i - 1].at_us;
		if (gap < 45000 || gap > 1000000)
			fail_msg("send %d came %lld us after the one before, want about 60 ms", i, gap);
	}
	long long waited = c.at_us - start;
	if (waited < 175000 || waited > 2000000)
		fail_msg("failed after %lld us, want about 3 x 60 ms", waited);
	fake_answer(&e->fake, 2, NULL);
	run_for(e, 200);
	assert_int_equal(c.calls, 1);
	assert_int_equal(e->fake.ngot, 3);
}

/* A lost first send is made good by the resend, under the same cookie. */
static void answered_after_resend(void **state)
{
	struct env *e = *state;
	e->fake.mode = ANSWER_SECOND;
	client(e, 50, 3);
	struct cb c = { 0 };
	assert_int_equal(ping(e, &c, NULL), 0);
	run_until(e, &c.calls, 1, 2000);
	assert_int_equal(c.calls, 1);
	assert_string_equal(c.err, "");
	assert_string_equal(c.result, "pong");
	assert_int_equal(e->fake.ngot, 2);
	assert_string_equal(e->fake.got[1].cookie, e->fake.got[0].cookie);
	assert_int_equal(ng_lagging(e->ng), 0);
	run_for(e, 200);
	assert_int_equal(c.calls, 1);
	assert_int_equal(e->fake.ngot, 2);
}

static void cancel_never_calls(void **state)
{
	struct env *e = *state;
	e->fake.mode = SILENT;
	client(e, 40, 2);
	struct cb c[3] = { 0 };
	struct ng_req *r[3];
	for (int i = 0; i < 3; i++)
		assert_int_equal(ping(e, &c[i], &r[i]), 0);
	/* the middle one of the deadline queue */
	ng_req_cancel(r[1]);
	assert_int_equal(ng_outstanding(e->ng), 2);
	run_until(e, &c[2].calls, 1, 2000);
	run_for(e, 100);
	assert_int_equal(c[0].calls, 1);
	assert_int_equal(c[1].calls, 0);
	assert_int_equal(c[2].calls, 1);
	assert_string_equal(c[0].err, "rtpengine did not answer");
	/* the cancelled one was sent once and never again */
	int sends = 0;
	for (int i = 0; i < e->fake.ngot; i++)
		sends += !strcmp(e->fake.got[i].cookie, e->fake.got[1].cookie);
	assert_int_equal(sends, 1);
	assert_int_equal(e->fake.ngot, 5);
	/* its reply, arriving late, is dropped */
	fake_answer(&e->fake, 1, NULL);
	run_for(e, 100);
	assert_int_equal(c[1].calls, 0);

	/* cancelled while its reply is already on the way */
	e->fake.mode = ANSWER_OK;
	struct cb d = { 0 };
	struct ng_req *rd;
	assert_int_equal(ping(e, &d, &rd), 0);
	run_until(e, &e->fake.ngot, 6, 2000);
	ng_req_cancel(rd);
	run_for(e, 150);
	assert_int_equal(d.calls, 0);
	assert_int_equal(ng_outstanding(e->ng), 0);
	ng_req_cancel(NULL);
}

/* A request cancelled after its resend no longer counts as lagging. */
static void cancel_lagging(void **state)
{
	struct env *e = *state;
	e->fake.mode = SILENT;
	client(e, 40, 3);
	struct cb c = { 0 };
	struct ng_req *r;
	assert_int_equal(ping(e, &c, &r), 0);
	run_until(e, &e->fake.ngot, 2, 2000);
	assert_int_equal(ng_lagging(e->ng), 1);
	ng_req_cancel(r);
	assert_int_equal(ng_lagging(e->ng), 0);
	assert_int_equal(ng_outstanding(e->ng), 0);
	assert_int_equal(c.calls, 0);
}

struct many {
	struct cb cb;
	char call_id[24];
};

/* Hundreds in flight, answered in another order than sent: each reply goes
 * to its own request. */
static void many_out_of_order(void **state)
{
	enum { N = 600 };
	struct env *e = *state;
	e->fake.mode = SILENT;
	client(e, 5000, 2);
	static struct many m[N];
	memset(m, 0, sizeof m);
	for (int i = 0; i < N; i++) {
		snprintf(m[i].call_id, sizeof m[i].call_id, "call-%d", i);
		struct ng_params p = { .call_id = m[i].call_id };
		assert_int_equal(ng_request(e->ng, NG_QUERY, &p, on_reply, &m[i].cb, NULL), 0);
	}
	assert_int_equal(ng_outstanding(e->ng), N);
	run_until(e, &e->fake.ngot, N, 3000);
	assert_int_equal(e->fake.ngot, N);
	for (int i = 0; i < N; i++)
		for (int j = 0; j < i; j++)
			if (!strcmp(e->fake.got[i].cookie, e->fake.got[j].cookie))
				fail_msg("requests %d and %d share a cookie", i, j);
	/* odd ones backwards, then even ones backwards */
	for (int i = N - 1; i >= 0; i -= 2)
		fake_answer(&e->fake, i, NULL);
	for (int i = N - 2; i >= 0; i -= 2)
		fake_answer(&e->fake, i, NULL);
	int done = 0;
	long long end = now_us() + 3000000;
	while (done < N && now_us() < end) {
		su_root_step(e->root, 10);
		done = 0;
		for (int i = 0; i < N; i++)
			done += m[i].cb.calls;
	}
	for (int i = 0; i < N; i++) {
		assert_int_equal(m[i].cb.calls, 1);
		assert_string_equal(m[i].cb.err, "");
		assert_string_equal(m[i].cb.call_id, m[i].call_id);
	}
	assert_int_equal(ng_outstanding(e->ng), 0);
}

/* Thousands timing out at once are all failed, promptly, each once. */
static void many_time_out(void **state)
{
	enum { N = 20000 };
	struct env *e = *state;
	e->fake.mode = SILENT;
	client(e, 100, 2);
	struct cb *c = calloc(N, sizeof *c);
	assert_non_null(c);
	long long start = now_us();
	for (int i = 0; i < N; i++)
		assert_int_equal(ping(e, &c[i], NULL), 0);
	int done = 0;
	long long end = now_us() + 10000000;
	while (done < N && now_us() < end) {
		su_root_step(e->root, 10);
		done = 0;
		for (int i = 0; i < N; i++)
			done += c[i].calls;
	}
	long long took = now_us() - start;
	for (int i = 0; i < N; i++) {
		assert_int_equal(c[i].calls, 1);
		assert_string_equal(c[i].err, "rtpengine did not answer");
	}
	if (took > 5000000)
		fail_msg("%d timeouts took %lld ms", N, took / 1000);
	assert_int_equal(ng_outstanding(e->ng), 0);
	free(c);
}

static void bad_reply(void **state)
{
	struct env *e = *state;
	e->fake.mode = SILENT;
	client(e, 5000, 1);
	struct cb c[3] = { 0 };
	for (int i = 0; i < 3; i++)
		assert_int_equal(ping(e, &c[i], NULL), 0);
	run_until(e, &e->fake.ngot, 3, 2000);
	fake_send(&e->fake, e->fake.got[0].cookie, "d6:result");
	fake_send(&e->fake, e->fake.got[1].cookie, "l2:oke");
	fake_send(&e->fake, e->fake.got[2].cookie, "d6:result10:load limite");
	run_until(e, &c[2].calls, 1, 2000);
	run_for(e, 50);
	assert_int_equal(c[0].calls, 1);
	assert_string_equal(c[0].err, "bad reply from rtpengine");
	assert_false(c[0].had_reply);
	assert_int_equal(c[1].calls, 1);
	assert_string_equal(c[1].err, "bad reply from rtpengine");
	assert_int_equal(c[2].calls, 1);
	assert_string_equal(c[2].err, "rtpengine answered \"load limit\"");
	assert_true(c[2].had_reply);
}

static void free_fails_outstanding(void **state)
{
	struct env *e = *state;
	e->fake.mode = SILENT;
	client(e, 1000, 3);
	struct cb c[3] = { 0 };
	for (int i = 0; i < 3; i++)
		assert_int_equal(ping(e, &c[i], NULL), 0);
	ng_client_free(e->ng);
	e->ng = NULL;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(c[i].calls, 1);
		assert_string_equal(c[i].err, "shutting down");
	}
	run_for(e, 50);
	for (int i = 0; i < 3; i++)
		assert_int_equal(c[i].calls, 1);
}

/* A callback may free the client: the others still get their one call. */
static void free_from_callback(void **state)
{
	struct env *e = *state;
	e->fake.mode = SILENT;
	client(e, 1000, 3);
	struct cb c[3] = { 0 };
	c[0].free_this = e->ng;
	for (int i = 0; i < 3; i++)
		assert_int_equal(ping(e, &c[i], NULL), 0);
	run_until(e, &e->fake.ngot, 3, 2000);
	fake_answer(&e->fake, 0, NULL);
	fake_answer(&e->fake, 1, NULL);
	run_until(e, &c[0].calls, 1, 2000);
	e->ng = NULL;
	assert_int_equal(c[0].calls, 1);
	assert_string_equal(c[0].err, "");
	assert_int_equal(c[1].calls, 1);
	assert_string_equal(c[1].err, "shutting down");
	assert_int_equal(c[2].calls, 1);
	assert_string_equal(c[2].err, "shutting down");
	run_for(e, 50);
	assert_int_equal(c[1].calls, 1);
}

static void raw_request(void **state)
{
	struct env *e = *state;
	e->fake.mode = ANSWER_OK;
	client(e, 1000, 2);
	struct benc_enc d;
	benc_enc_init(&d);
	benc_dict(&d);
	benc_kv(&d, "command", "list");
	benc_kint(&d, "limit", 32);
	benc_end(&d);
	struct cb c = { 0 };
	assert_int_equal(ng_request_raw(e->ng, &d, on_reply, &c, NULL), 0);
	run_until(e, &c.calls, 1, 2000);
	assert_int_equal(c.calls, 1);
	assert_string_equal(c.result, "ok");
	size_t off = strlen(e->fake.got[0].cookie) + 1;
	assert_int_equal(e->fake.got[0].len - off, d.len);
	assert_memory_equal(e->fake.got[0].data + off, d.buf, d.len);

	/* an unfinished dict, or not a dict, is refused and never called */
	benc_enc_free(&d);
	benc_dict(&d);
	benc_kv(&d, "command", "list");
	assert_int_equal(ng_request_raw(e->ng, &d, on_reply, &c, NULL), EINVAL);
	benc_enc_free(&d);
	benc_str(&d, "ping");
	assert_int_equal(ng_request_raw(e->ng, &d, on_reply, &c, NULL), EINVAL);
	benc_enc_free(&d);
	assert_int_equal(ng_request_raw(e->ng, &d, on_reply, &c, NULL), EINVAL);
	run_for(e, 50);
	assert_int_equal(c.calls, 1);
	assert_int_equal(ng_outstanding(e->ng), 0);
}

static void bad_arguments(void **state)
{
	struct env *e = *state;
	struct ng_client *ng = (struct ng_client *)&ng; /* must stay untouched */
	struct ng_client *const before = ng;
	assert_int_equal(ng_client_alloc(&ng, e->root, e->addr, 0, 3), EINVAL);
	assert_int_equal(ng_client_alloc(&ng, e->root, e->addr, 100, 0), EINVAL);
	assert_int_equal(ng_client_alloc(&ng, NULL, e->addr, 100, 3), EINVAL);
	assert_int_equal(ng_client_alloc(&ng, e->root, NULL, 100, 3), EINVAL);
	assert_int_equal(ng_client_alloc(&ng, e->root, "127.0.0.1", 100, 3), EINVAL);
	assert_int_equal(ng_client_alloc(&ng, e->root, "127.0.0.1:", 100, 3), EINVAL);
	assert_int_equal(ng_client_alloc(&ng, e->root, "127.0.0.1:2x", 100, 3), EINVAL);
	assert_int_equal(ng_client_alloc(&ng, e->root, "[::1:2223", 100, 3), EINVAL);
	assert_int_equal(ng_client_alloc(NULL, e->root, e->addr, 100, 3), EINVAL);
	assert_ptr_equal(ng, before);

	client(e, 100, 1);
	struct cb c = { 0 };
	assert_int_equal(ng_request(e->ng, NG_CMD_COUNT, NULL, on_reply, &c, NULL), EINVAL);
	assert_int_equal(ng_request(e->ng, NG_PING, NULL, NULL, &c, NULL), EINVAL);
	assert_int_equal(ng_request(NULL, NG_PING, NULL, on_reply, &c, NULL), EINVAL);
	/* too big for one datagram */
	size_t big = 70000;
	char *sdp = malloc(big + 1);
	memset(sdp, 'a', big);
	sdp[big] = '\0';
	struct ng_params p = { .sdp = sdp };
	assert_int_equal(ng_request(e->ng, NG_OFFER, &p, on_reply, &c, NULL), EMSGSIZE);
	free(sdp);
	run_for(e, 200);
	assert_int_equal(c.calls, 0);
	assert_int_equal(ng_outstanding(e->ng), 0);
	assert_int_equal(ng_outstanding(NULL), 0);
	ng_client_free(NULL);
}

/* rtpengine not there at all (ICMP port unreachable): the same timeout. */
static void nobody_listening(void **state)
{
	struct env *e = *state;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sin;
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd); /* now nothing listens on that port */
	char addr[32];
	snprintf(addr, sizeof addr, "127.0.0.1:%u", ntohs(sin.sin_port));
	assert_int_equal(ng_client_alloc(&e->ng, e->root, addr, 30, 3), 0);
	struct cb c = { 0 };
	assert_int_equal(ping(e, &c, NULL), 0);
	run_until(e, &c.calls, 1, 2000);
	assert_int_equal(c.calls, 1);
	assert_string_equal(c.err, "rtpengine did not answer");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(ok_reply),
		T(error_reply),
		T(request_encoding),
		T(command_names),
		T(wrong_cookie_dropped),
		T(resend_then_timeout),
		T(answered_after_resend),
		T(cancel_lagging),
		T(cancel_never_calls),
		T(many_out_of_order),
		T(many_time_out),
		T(bad_reply),
		T(free_fails_outstanding),
		T(free_from_callback),
		T(raw_request),
		T(bad_arguments),
		T(nobody_listening),
	};
#undef T
	return cmocka_run_group_tests_name("ng", tests, NULL, NULL);
}
