/* The HTTP client (b2bua/http/) on a real su_root against a small HTTP
 * server in a thread of this process on 127.0.0.1: a JSON reply, a POST
 * with its headers and body, a 500, a server that never answers (a timeout,
 * while the loop keeps running other timers), replies too big (with and
 * without a length), a cancel before the reply, hundreds of requests at
 * once, a host name, the limit on requests at once, requests refused
 * before they start (scheme, method, header, body), redirects, a refused
 * connection, and freeing the client with requests outstanding (also from
 * a callback). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "b2bua/core/tmr.h"
#include "b2bua/http/http.h"
#include "support.h"

/* --- the server ------------------------------------------------------------ */

#define MAX_CONNS 1024
#define REQ_BUF 16384
#define BIG 100000

struct conn {
	int fd;
	size_t len;
	char buf[REQ_BUF];
	long long due_ms;	/* a delayed reply: when; 0 none */
	bool held;		/* never answered */
	char reply_path[256];
};

struct server {
	int lfd, stop[2];
	unsigned short port;
	pthread_t thread;
	struct conn *conns[MAX_CONNS];
	atomic_int requests;	/* complete requests read */
	atomic_int finished;	/* delayed replies written (or found closed) */
	pthread_mutex_t mu;
	char last_method[16], last_path[256], last_ua[128], last_xtest[64], last_body[1024];
};

static void write_all(int fd, const char *p, size_t n)
{
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void respond(int fd, int status, const char *type, const char *body, size_t len,
		    const char *extra)
{
	char head[512];
	int n = snprintf(head, sizeof head,
			 "HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n%s\r\n",
			 status, type, len, extra ? extra : "");
	write_all(fd, head, (size_t)n);
	write_all(fd, body, len);
}

/* The value of header name in the request's head, or "". */
static void header_of(const char *req, const char *name, char *out, size_t outlen)
{
	out[0] = '\0';
	const char *p = strcasestr(req, name);
	if (!p)
		return;
	p += strlen(name);
	while (*p == ' ')
		p++;
	size_t n = strcspn(p, "\r\n");
	snprintf(out, outlen, "%.*s", (int)n, p);
}

/* Answers the request in k (path: what was asked). Returns true when the
 * connection is done with. */
static bool answer(struct server *s, struct conn *k, const char *path, const char *body,
		   size_t blen)
{
	char out[256];
	int i;
	if (sscanf(path, "/json?i=%d", &i) == 1 || sscanf(path, "/delay/%*d?i=%d", &i) == 1) {
		int n = snprintf(out, sizeof out, "{\"i\":%d,\"ok\":true}", i);
		respond(k->fd, 200, "application/json", out, (size_t)n, NULL);
	} else if (!strcmp(path, "/status/500")) {
		respond(k->fd, 500, "application/json", "{\"error\":\"boom\"}", 16, NULL);
	} else if (!strcmp(path, "/echo")) {
		respond(k->fd, 200, "text/plain", body, blen, NULL);
	} else if (!strcmp(path, "/big") || !strcmp(path, "/bigstream")) {
		char *b = malloc(BIG);
		memset(b, 'a', BIG);
		if (!strcmp(path, "/big")) {
			respond(k->fd, 200, "text/plain", b, BIG, NULL);
		} else {
			const char *h = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
					"Connection: close\r\n\r\n";
			write_all(k->fd, h, strlen(h));
			write_all(k->fd, b, BIG);
		}
		free(b);
	} else if (!strcmp(path, "/redirect-http")) {
		respond(k->fd, 302, "text/plain", "", 0, "Location: /json?i=7\r\n");
	} else if (!strcmp(path, "/redirect-file")) {
		respond(k->fd, 302, "text/plain", "", 0, "Location: file:///etc/passwd\r\n");
	} else {
		(void)s;
		respond(k->fd, 404, "text/plain", "no", 2, NULL);
	}
	return true;
}

/* A whole request in k: handles it. Returns true when k is done with. */
static bool on_request(struct server *s, struct conn *k)
{
	char *end = strstr(k->buf, "\r\n\r\n");
	if (!end)
		return false;
	char len_s[32];
	header_of(k->buf, "\r\nContent-Length:", len_s, sizeof len_s);
	size_t blen = (size_t)atol(len_s), hlen = (size_t)(end + 4 - k->buf);
	if (k->len < hlen + blen)
		return false;
	char method[16] = "", path[256] = "";
	sscanf(k->buf, "%15s %255s", method, path);
	pthread_mutex_lock(&s->mu);
	snprintf(s->last_method, sizeof s->last_method, "%s", method);
	snprintf(s->last_path, sizeof s->last_path, "%s", path);
	header_of(k->buf, "\r\nUser-Agent:", s->last_ua, sizeof s->last_ua);
	header_of(k->buf, "\r\nX-Test:", s->last_xtest, sizeof s->last_xtest);
	snprintf(s->last_body, sizeof s->last_body, "%.*s", (int)blen, end + 4);
	pthread_mutex_unlock(&s->mu);
	s->requests++;
	int ms;
	if (!strcmp(path, "/never")) {
		k->held = true;
		return false;
	}
	if (sscanf(path, "/delay/%d", &ms) == 1) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		k->due_ms = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000 + ms;
		snprintf(k->reply_path, sizeof k->reply_path, "%s", path);
		return false;
	}
	return answer(s, k, path, end + 4, blen);
}

static void conn_close(struct server *s, int i)
{
	close(s->conns[i]->fd);
	free(s->conns[i]);
	s->conns[i] = NULL;
}

static void *server_main(void *arg)
{
	struct server *s = arg;
	static struct pollfd pf[MAX_CONNS + 2];
	int idx[MAX_CONNS + 2];
	for (;;) {
		int n = 0;
		pf[n++] = (struct pollfd){ .fd = s->stop[0], .events = POLLIN };
		pf[n++] = (struct pollfd){ .fd = s->lfd, .events = POLLIN };
		long long now = t_now_ms(), next = -1;
		for (int i = 0; i < MAX_CONNS; i++) {
			struct conn *k = s->conns[i];
			if (!k)
				continue;
			if (k->due_ms) {
				long long d = k->due_ms - now;
				if (d < 0)
					d = 0;
				if (next < 0 || d < next)
					next = d;
			}
			idx[n] = i;
			pf[n++] = (struct pollfd){ .fd = k->fd, .events = POLLIN };
		}
		poll(pf, (nfds_t)n, (int)next);
		if (pf[0].revents)
			break;
		if (pf[1].revents & POLLIN) {
			int fd;
			while ((fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
				int i = 0;
				while (i < MAX_CONNS && s->conns[i])
					i++;
				if (i == MAX_CONNS) {
					close(fd);
					continue;
				}
				s->conns[i] = calloc(1, sizeof *s->conns[i]);
				s->conns[i]->fd = fd;
			}
		}
		for (int j = 2; j < n; j++) {
			int i = idx[j];
			struct conn *k = s->conns[i];
			if (!k || !(pf[j].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t r = recv(k->fd, k->buf + k->len, sizeof k->buf - 1 - k->len, 0);
			if (r <= 0) {
				/* The client went: a delayed reply will never be written. */
				if (k->due_ms)
					s->finished++;
				conn_close(s, i);
				continue;
			}
			k->len += (size_t)r;
			k->buf[k->len] = '\0';
			if (!k->held && !k->due_ms && on_request(s, k))
				conn_close(s, i);
		}
		now = t_now_ms();
		for (int i = 0; i < MAX_CONNS; i++) {
			struct conn *k = s->conns[i];
			if (k && k->due_ms && k->due_ms <= now) {
				answer(s, k, k->reply_path, "", 0);
				s->finished++;
				conn_close(s, i);
			}
		}
	}
	for (int i = 0; i < MAX_CONNS; i++)
		if (s->conns[i])
			conn_close(s, i);
	return NULL;
}

static int server_start(struct server *s)
{
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->mu, NULL);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sin;
	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->lfd < 0 || bind(s->lfd, (struct sockaddr *)&sin, sizeof sin) ||
	    listen(s->lfd, 1024) || getsockname(s->lfd, (struct sockaddr *)&sin, &len) ||
	    pipe(s->stop))
		return -1;
	s->port = ntohs(sin.sin_port);
	return pthread_create(&s->thread, NULL, server_main, s) ? -1 : 0;
}

static void server_stop(struct server *s)
{
	if (write(s->stop[1], "x", 1) != 1)
		return;
	pthread_join(s->thread, NULL);
	close(s->lfd);
	close(s->stop[0]);
	close(s->stop[1]);
	pthread_mutex_destroy(&s->mu);
}

/* --- the client's side ------------------------------------------------------ */

struct env {
	su_root_t *root;
	struct server srv;
	struct http_client *http;
	char base[64];
};

struct cb {
	int calls;
	enum http_result result;
	long status;
	char body[256];
	size_t len;
	char type[64];
	char error[256];
	unsigned elapsed_ms;
	int order;			/* when it was called, among all */
	struct http_client *free_this;	/* freed from inside the callback */
	struct env *env;
};

static int called;	/* callbacks so far, for their order */

static void on_reply(const struct http_reply *r, void *arg)
{
	struct cb *c = arg;
	c->calls++;
	c->order = ++called;
	c->result = r->result;
	c->status = r->status;
	c->len = r->len;
	assert_int_equal(r->body[r->len], '\0');
	snprintf(c->body, sizeof c->body, "%s", r->body);
	snprintf(c->type, sizeof c->type, "%s", r->content_type ? r->content_type : "");
	snprintf(c->error, sizeof c->error, "%s", r->error ? r->error : "");
	assert_true((r->result == HTTP_OK) == (r->error == NULL));
	c->elapsed_ms = r->elapsed_ms;
	if (c->free_this) {
		http_free(c->free_this);
		c->env->http = NULL;
	}
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	if (!e || su_init() != 0 || !(e->root = su_root_create(NULL)) || server_start(&e->srv))
		return -1;
	snprintf(e->base, sizeof e->base, "http://127.0.0.1:%u", e->srv.port);
	struct http_limits lim = { .user_agent = "cc-test/1" };
	if (http_alloc(&e->http, e->root, &lim))
		return -1;
	called = 0;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	http_free(e->http);
	server_stop(&e->srv);
	su_root_destroy(e->root);
	su_deinit();
	free(e);
	return 0;
}

static void get(struct env *e, const char *path, unsigned timeout_ms, struct cb *c,
		struct http_req **reqp)
{
	char url[256];
	snprintf(url, sizeof url, "%s%s", e->base, path);
	assert_int_equal(http_request(e->http, "GET", url, NULL, NULL, 0, timeout_ms, on_reply, c,
				      reqp),
			 0);
}

static void json_reply(void **state)
{
	struct env *e = *state;
	struct cb c = { 0 };
	get(e, "/json?i=1", 0, &c, NULL);
	assert_int_equal(c.calls, 0);	/* never inside http_request */
	assert_int_equal(http_outstanding(e->http), 1);
	assert_true(LOOP_UNTIL(e->root, c.calls, T_DEADLINE_MS));
	assert_int_equal(c.result, HTTP_OK);
	assert_int_equal(c.status, 200);
	assert_string_equal(c.body, "{\"i\":1,\"ok\":true}");
	assert_int_equal(c.len, strlen(c.body));
	assert_string_equal(c.type, "application/json");
	assert_string_equal(e->srv.last_method, "GET");
	assert_string_equal(e->srv.last_ua, "cc-test/1");
	assert_int_equal(http_outstanding(e->http), 0);
	assert_string_equal(http_result_name(c.result), "ok");
}

/* A host name goes through curl's resolver, off the loop's thread. */
static void host_name(void **state)
{
	struct env *e = *state;
	struct cb c = { 0 };
	char url[128];
	snprintf(url, sizeof url, "http://localhost:%u/json?i=5", e->srv.port);
	assert_int_equal(http_request(e->http, "GET", url, NULL, NULL, 0, 0, on_reply, &c, NULL), 0);
	assert_true(LOOP_UNTIL(e->root, c.calls, T_DEADLINE_MS));
	/* localhost may name ::1 first, where nothing listens: then 127.0.0.1. */
	assert_int_equal(c.result, HTTP_OK);
	assert_string_equal(c.body, "{\"i\":5,\"ok\":true}");
}

static void post_with_headers(void **state)
{
	struct env *e = *state;
	struct cb c = { 0 };
	char url[128];
	snprintf(url, sizeof url, "%s/echo", e->base);
	const char *headers[] = { "Content-Type: application/json", "X-Test: yes", NULL };
	const char *body = "{\"caller\":\"13800138000\"}";
	assert_int_equal(http_request(e->http, "POST", url, headers, body, strlen(body), 2000,
				      on_reply, &c, NULL),
			 0);
	assert_true(LOOP_UNTIL(e->root, c.calls, T_DEADLINE_MS));
	assert_int_equal(c.result, HTTP_OK);
	assert_string_equal(c.body, body);
	assert_string_equal(e->srv.last_method, "POST");
	assert_string_equal(e->srv.last_xtest, "yes");
	assert_string_equal(e->srv.last_body, body);

	/* PUT with no body still says its length (0): the server does not wait. */
	struct cb p = { 0 };
	assert_int_equal(http_request(e->http, "PUT", url, NULL, NULL, 0, 2000, on_reply, &p, NULL),
			 0);
	assert_true(LOOP_UNTIL(e->root, p.calls, T_DEADLINE_MS));
	assert_int_equal(p.result, HTTP_OK);
	assert_string_equal(e->srv.last_method, "PUT");
	assert_string_equal(p.body, "");
}

static void status_500(void **state)
{
	struct env *e = *state;
	struct cb c = { 0 };
	get(e, "/status/500", 0, &c, NULL);
	assert_true(LOOP_UNTIL(e->root, c.calls, T_DEADLINE_MS));
	assert_int_equal(c.result, HTTP_ERROR);
	assert_int_equal(c.status, 500);
	assert_string_equal(c.error, "HTTP 500");
	assert_string_equal(c.body, "{\"error\":\"boom\"}");
}

static int ticks;

static void on_tick(su_root_magic_t *m, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)m;
	(void)t;
	(void)arg;
	ticks++;
}

/* A server that takes the request and never answers: the request ends at
 * its timeout, and meanwhile the loop runs a 20 ms timer as usual. */
static void never_answers(void **state)
{
	struct env *e = *state;
	struct cb c = { 0 };
	su_timer_t *tick = NULL;
	ticks = 0;
	assert_int_equal(tmr_every(e->root, &tick, 20, on_tick, NULL), 0);
	long long t0 = t_now_ms();
	get(e, "/never", 400, &c, NULL);
	assert_true(LOOP_UNTIL(e->root, c.calls, T_DEADLINE_MS));
	long long took = t_now_ms() - t0;
	tmr_free(&tick);
	assert_int_equal(e->srv.requests, 1);
	assert_int_equal(c.result, HTTP_TIMEOUT);
	assert_string_equal(c.error, "no reply within 400 ms");
	assert_string_equal(http_result_name(c.result), "timeout");
	assert_true(took >= 390);
	assert_true(c.elapsed_ms >= 390);
	/* 400 ms of 20 ms ticks: most of them, even on a loaded machine. */
	assert_true(ticks >= 10);
}

static void too_big(void **state)
{
	struct env *e = *state;
	struct cb c = { 0 }, s = { 0 };
	get(e, "/big", 0, &c, NULL);		/* Content-Length says so */
	get(e, "/bigstream", 0, &s, NULL);	/* no length: counted as it comes */
	assert_true(LOOP_UNTIL(e->root, c.calls && s.calls, T_DEADLINE_MS));
	assert_int_equal(c.result, HTTP_ERROR);
	assert_string_equal(c.error, "reply larger than 65536 bytes");
	assert_int_equal(c.len, 0);
	assert_int_equal(s.result, HTTP_ERROR);
	assert_string_equal(s.error, "reply larger than 65536 bytes");
	assert_int_equal(s.len, 0);
	assert_int_equal(s.status, 200);
}

static void cancel_before_reply(void **state)
{
	struct env *e = *state;
	struct cb c = { 0 };
	struct http_req *req = NULL;
	get(e, "/delay/200?i=3", 0, &c, &req);
	assert_non_null(req);
	assert_true(LOOP_UNTIL(e->root, e->srv.requests == 1, T_DEADLINE_MS));
	http_cancel(req);
	assert_int_equal(http_outstanding(e->http), 0);
	/* The server's reply time comes and goes (the connection is gone). */
	assert_true(LOOP_UNTIL(e->root, e->srv.finished == 1, T_DEADLINE_MS));
	loop_for(e->root, 100);
	assert_int_equal(c.calls, 0);

	/* Cancelled before it even started: a refused one too. */
	struct cb r = { 0 };
	assert_int_equal(http_request(e->http, "GET", "ftp://127.0.0.1/", NULL, NULL, 0, 0,
				      on_reply, &r, &req),
			 0);
	http_cancel(req);
	loop_for(e->root, 50);
	assert_int_equal(r.calls, 0);
}

#define MANY 200

static void many_at_once(void **state)
{
	struct env *e = *state;
	static struct cb c[MANY];
	memset(c, 0, sizeof c);
	for (int i = 0; i < MANY; i++) {
		char path[64];
		snprintf(path, sizeof path, "/delay/100?i=%d", i);
		get(e, path, 0, &c[i], NULL);
	}
	assert_int_equal(http_outstanding(e->http), MANY);
	int done = 0;
	assert_true(LOOP_UNTIL(e->root, (done = called) == MANY, T_DEADLINE_MS * 3));
	for (int i = 0; i < MANY; i++) {
		char want[64];
		snprintf(want, sizeof want, "{\"i\":%d,\"ok\":true}", i);
		assert_int_equal(c[i].calls, 1);
		assert_int_equal(c[i].result, HTTP_OK);
		assert_string_equal(c[i].body, want);
	}
	/* They were at the server at the same time, not one after another. */
	assert_int_equal(e->srv.requests, MANY);
}

/* More than max_requests at once: the extra ones fail on the next turn of
 * the loop, before the others end; the others are served. */
static void over_the_limit(void **state)
{
	struct env *e = *state;
	http_free(e->http);
	struct http_limits lim = { .max_requests = 4 };
	assert_int_equal(http_alloc(&e->http, e->root, &lim), 0);
	struct cb c[6] = { 0 };
	for (int i = 0; i < 6; i++) {
		char path[64];
		snprintf(path, sizeof path, "/delay/100?i=%d", i);
		get(e, path, 0, &c[i], NULL);
	}
	for (int i = 0; i < 6; i++)
		assert_int_equal(c[i].calls, 0);
	assert_true(LOOP_UNTIL(e->root, called == 6, T_DEADLINE_MS));
	for (int i = 0; i < 4; i++)
		assert_int_equal(c[i].result, HTTP_OK);
	for (int i = 4; i < 6; i++) {
		assert_int_equal(c[i].result, HTTP_ERROR);
		assert_string_equal(c[i].error, "too many HTTP requests at once");
		assert_true(c[i].order <= 2);
	}
	assert_string_equal(e->srv.last_ua, HTTP_DEFAULT_USER_AGENT);
}

/* Each is refused before anything is sent, with its reason, on a later
 * turn of the loop. */
static void refused(void **state)
{
	struct env *e = *state;
	char url[128], big_body_url[128];
	snprintf(url, sizeof url, "%s/json?i=1", e->base);
	snprintf(big_body_url, sizeof big_body_url, "%s/echo", e->base);
	static char big[HTTP_DEFAULT_MAX_BODY + 1];
	memset(big, 'x', sizeof big);
	const char *bad_header[] = { "X-A: b\r\nX-B: c", NULL };
	const char *no_colon[] = { "X-A", NULL };
	struct {
		const char *method, *url;
		const char *const *headers;
		const char *body;
		size_t len;
		const char *why;
	} cases[] = {
		{ "GET", "file:///etc/passwd", NULL, NULL, 0, "only http:// and https:// URLs are allowed" },
		{ "GET", "ftp://127.0.0.1/x", NULL, NULL, 0, "only http:// and https:// URLs are allowed" },
		{ "GET", "gopher://127.0.0.1/", NULL, NULL, 0, "only http:// and https:// URLs are allowed" },
		{ "TRACE", url, NULL, NULL, 0, "unsupported method" },
		{ "get", url, NULL, NULL, 0, "unsupported method" },
		{ "GET", url, bad_header, NULL, 0, "a header is not \"Name: value\" on one line" },
		{ "GET", url, no_colon, NULL, 0, "a header is not \"Name: value\" on one line" },
		{ "GET", url, NULL, "x", 1, "GET and HEAD requests carry no body" },
		{ "POST", big_body_url, NULL, big, sizeof big, "request body too large" },
	};
	enum { N = sizeof cases / sizeof *cases };
	struct cb c[N] = { 0 };
	for (int i = 0; i < N; i++)
		assert_int_equal(http_request(e->http, cases[i].method, cases[i].url, cases[i].headers,
					      cases[i].body, cases[i].len, 0, on_reply, &c[i], NULL),
				 0);
	for (int i = 0; i < N; i++)
		assert_int_equal(c[i].calls, 0);
	assert_true(LOOP_UNTIL(e->root, called == N, T_DEADLINE_MS));
	for (int i = 0; i < N; i++) {
		assert_int_equal(c[i].result, HTTP_ERROR);
		assert_string_equal(c[i].error, cases[i].why);
		assert_int_equal(c[i].status, 0);
	}
	assert_int_equal(e->srv.requests, 0);
	/* Arguments no request can have: refused at once, no callback. */
	assert_int_equal(http_request(e->http, "GET", NULL, NULL, NULL, 0, 0, on_reply, c, NULL),
			 EINVAL);
	assert_int_equal(http_request(e->http, "GET", url, NULL, NULL, 0, 0, NULL, c, NULL), EINVAL);
	assert_int_equal(http_request(NULL, "GET", url, NULL, NULL, 0, 0, on_reply, c, NULL), EINVAL);
	assert_int_equal(http_alloc(NULL, e->root, NULL), EINVAL);
}

/* A redirect to http is followed; one to file: is not. */
static void redirects(void **state)
{
	struct env *e = *state;
	struct cb ok = { 0 }, bad = { 0 };
	get(e, "/redirect-http", 0, &ok, NULL);
	get(e, "/redirect-file", 0, &bad, NULL);
	assert_true(LOOP_UNTIL(e->root, ok.calls && bad.calls, T_DEADLINE_MS));
	assert_int_equal(ok.result, HTTP_OK);
	assert_string_equal(ok.body, "{\"i\":7,\"ok\":true}");
	assert_int_equal(bad.result, HTTP_ERROR);
	assert_int_equal(bad.status, 302);
	assert_non_null(strcasestr(bad.error, "file"));
}

static void refused_connection(void **state)
{
	struct env *e = *state;
	/* A port nobody listens on: bound and closed again. */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sin;
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%u/", ntohs(sin.sin_port));
	struct cb c = { 0 };
	assert_int_equal(http_request(e->http, NULL, url, NULL, NULL, 0, 0, on_reply, &c, NULL), 0);
	assert_true(LOOP_UNTIL(e->root, c.calls, T_DEADLINE_MS));
	assert_int_equal(c.result, HTTP_ERROR);
	assert_int_equal(c.status, 0);
	assert_true(c.error[0] != '\0');
}

/* Freeing the client ends what is outstanding, started or not; requests
 * started from those callbacks are refused. */
static void free_with_outstanding(void **state)
{
	struct env *e = *state;
	struct cb held = { 0 }, failing = { 0 };
	get(e, "/never", 0, &held, NULL);
	assert_true(LOOP_UNTIL(e->root, e->srv.requests == 1, T_DEADLINE_MS));
	/* Queued to fail on the next turn, which does not come before the free. */
	assert_int_equal(http_request(e->http, "GET", "ftp://x/", NULL, NULL, 0, 0, on_reply,
				      &failing, NULL),
			 0);
	http_free(e->http);
	e->http = NULL;
	assert_int_equal(held.calls, 1);
	assert_int_equal(held.result, HTTP_ERROR);
	assert_string_equal(held.error, "shutting down");
	assert_int_equal(failing.calls, 1);
	assert_string_equal(failing.error, "shutting down");
	loop_for(e->root, 50);
	assert_int_equal(held.calls, 1);
}

static void free_from_callback(void **state)
{
	struct env *e = *state;
	struct cb first = { .env = e }, other = { 0 };
	first.free_this = e->http;
	get(e, "/json?i=1", 0, &first, NULL);
	get(e, "/never", 0, &other, NULL);
	assert_true(LOOP_UNTIL(e->root, first.calls, T_DEADLINE_MS));
	assert_null(e->http);
	assert_int_equal(first.result, HTTP_OK);
	assert_int_equal(other.calls, 1);
	assert_string_equal(other.error, "shutting down");
	loop_for(e->root, 50);
	assert_int_equal(first.calls, 1);
	assert_int_equal(other.calls, 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(json_reply),
		T(host_name),
		T(post_with_headers),
		T(status_500),
		T(never_answers),
		T(too_big),
		T(cancel_before_reply),
		T(many_at_once),
		T(over_the_limit),
		T(refused),
		T(redirects),
		T(refused_connection),
		T(free_with_outstanding),
		T(free_from_callback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
