/* The HTTP client's side of the loop (see http.h): curl's sockets and
 * timeout on the su_root, finished transfers handed to request.c, and
 * failures delivered on the next turn.
 *
 * curl is only ever called from the loop's handlers, never from inside its
 * own callbacks, and user callbacks run only from those handlers after
 * curl has returned: a callback may start, cancel or free anything. The
 * handlers count themselves in `depth`; the last one out frees a client
 * that was freed under it. */
#include "http_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "b2bua/core/tmr.h"
#include "log.h"

/* A socket curl asked the loop to watch. */
struct http_sock {
	struct http_client *c;
	struct http_sock *prev, *next;
	curl_socket_t fd;
	int reg;			/* su_root_register() index */
};

#define RESULT_NAME(name, str) str,
static const char *const result_names[] = { HTTP_RESULTS(RESULT_NAME) };
#undef RESULT_NAME

const char *http_result_name(enum http_result r)
{
	return (unsigned)r < HTTP_RESULT_COUNT ? result_names[r] : "?";
}

long long http_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void http_list_add(struct http_list *l, struct http_req *r)
{
	r->next = NULL;
	r->prev = l->tail;
	if (l->tail)
		l->tail->next = r;
	else
		l->head = r;
	l->tail = r;
	l->n++;
}

void http_list_del(struct http_list *l, struct http_req *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		l->head = r->next;
	if (r->next)
		r->next->prev = r->prev;
	else
		l->tail = r->prev;
	r->prev = r->next = NULL;
	l->n--;
}

unsigned http_outstanding(const struct http_client *c)
{
	return c ? c->active.n + c->failing.n : 0;
}

/* --- dispatchers ---------------------------------------------------------- */

static void client_destroy(struct http_client *c)
{
	/* curl may still tell of sockets while it closes its cached
	 * connections: the client is whole until it returns. */
	if (c->multi)
		curl_multi_cleanup(c->multi);
	while (c->socks) {
		struct http_sock *k = c->socks;
		c->socks = k->next;
		su_root_deregister(c->root, k->reg);
		free(k);
	}
	tmr_free(&c->timer);
	tmr_free(&c->fail_timer);
	free((char *)c->lim.user_agent);
	free((char *)c->lim.proxy);
	free(c);
	curl_global_cleanup();
}

static void enter(struct http_client *c)
{
	c->depth++;
}

static void leave(struct http_client *c)
{
	if (--c->depth == 0 && c->closing)
		client_destroy(c);
}

/* Hands every transfer curl has finished to its request. */
static void drain(struct http_client *c)
{
	CURLMsg *m;
	int left;
	while (!c->closing && (m = curl_multi_info_read(c->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		struct http_req *r = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		if (r)
			http_req_finish_curl(r, m->data.result);
	}
}

static void on_timeout(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)magic;
	(void)t;
	struct http_client *c = arg;
	int running;
	enter(c);
	curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	drain(c);
	leave(c);
}

static int on_ready(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	(void)magic;
	struct http_sock *k = arg;
	/* k may be gone when curl returns: keep what is needed. */
	struct http_client *c = k->c;
	curl_socket_t fd = k->fd;
	int ev = su_wait_events(w, fd), flags = 0, running;
	/* A hang-up is read as the end of the stream. */
	if (ev & (SU_WAIT_IN | SU_WAIT_HUP))
		flags |= CURL_CSELECT_IN;
	if (ev & SU_WAIT_OUT)
		flags |= CURL_CSELECT_OUT;
	if (ev & SU_WAIT_ERR)
		flags |= CURL_CSELECT_ERR;
	enter(c);
	curl_multi_socket_action(c->multi, fd, flags, &running);
	drain(c);
	leave(c);
	return 0;
}

/* Delivers the failures queued before this turn began; those queued by
 * their callbacks wait for the next turn. */
static void on_fail_due(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)magic;
	(void)t;
	struct http_client *c = arg;
	unsigned long long last = c->seq;
	enter(c);
	while (!c->closing && c->failing.head && c->failing.head->seq <= last)
		http_req_finish(c->failing.head, HTTP_ERROR, c->failing.head->fail);
	leave(c);
}

void http_client_fail_later(struct http_client *c, struct http_req *r)
{
	r->seq = ++c->seq;
	http_list_add(&c->failing, r);
	if (tmr_once(c->root, &c->fail_timer, 0, on_fail_due, c) < 0)
		log_err("http: cannot arm a timer; a failed request waits for the next one");
}

/* --- curl's callbacks ------------------------------------------------------ */

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	(void)easy;
	struct http_client *c = userp;
	struct http_sock *k = socketp;
	if (what == CURL_POLL_REMOVE) {
		if (k) {
			curl_multi_assign(c->multi, fd, NULL);
			su_root_deregister(c->root, k->reg);
			if (k->prev)
				k->prev->next = k->next;
			else
				c->socks = k->next;
			if (k->next)
				k->next->prev = k->prev;
			free(k);
		}
		return 0;
	}
	int events = (what & CURL_POLL_IN ? SU_WAIT_IN : 0) | (what & CURL_POLL_OUT ? SU_WAIT_OUT : 0);
	if (k)
		return su_root_eventmask(c->root, k->reg, fd, events) < 0 ? -1 : 0;
	k = calloc(1, sizeof *k);
	if (!k)
		return -1;
	su_wait_t w;
	if (su_wait_create(&w, fd, events) < 0) {
		free(k);
		return -1;
	}
	k->c = c;
	k->fd = fd;
	k->reg = su_root_register(c->root, &w, on_ready, k, 0);
	if (k->reg < 0) {
		log_err("http: cannot watch a socket on the loop");
		su_wait_destroy(&w);
		free(k);
		return -1;
	}
	k->next = c->socks;
	if (c->socks)
		c->socks->prev = k;
	c->socks = k;
	curl_multi_assign(c->multi, fd, k);
	return 0;
}

/* curl asks to be woken in ms (-1: never). Not run synchronously: curl
 * must not be re-entered from its own callback. */
static int on_curl_timer(CURLM *multi, long ms, void *userp)
{
	(void)multi;
	struct http_client *c = userp;
	if (ms < 0) {
		tmr_stop(c->timer);
		return 0;
	}
	return tmr_once(c->root, &c->timer, ms, on_timeout, c) < 0 ? -1 : 0;
}

/* --- the client ------------------------------------------------------------ */

static unsigned or_default(unsigned v, unsigned d)
{
	return v ? v : d;
}

int http_alloc(struct http_client **cp, su_root_t *root, const struct http_limits *limits)
{
	if (!cp || !root)
		return EINVAL;
	static const struct http_limits none;
	const struct http_limits *l = limits ? limits : &none;
	if (curl_global_init(CURL_GLOBAL_DEFAULT))
		return EIO;
	struct http_client *c = calloc(1, sizeof *c);
	int err = ENOMEM;
	if (!c)
		goto fail;
	c->root = root;
	c->lim.max_requests = or_default(l->max_requests, HTTP_DEFAULT_MAX_REQUESTS);
	c->lim.max_reply = l->max_reply ? l->max_reply : HTTP_DEFAULT_MAX_REPLY;
	c->lim.max_body = l->max_body ? l->max_body : HTTP_DEFAULT_MAX_BODY;
	c->lim.max_timeout_ms = or_default(l->max_timeout_ms, HTTP_DEFAULT_MAX_TIMEOUT_MS);
	c->lim.timeout_ms = or_default(l->timeout_ms, HTTP_DEFAULT_TIMEOUT_MS);
	if (c->lim.timeout_ms > c->lim.max_timeout_ms)
		c->lim.timeout_ms = c->lim.max_timeout_ms;
	c->lim.max_redirects = or_default(l->max_redirects, HTTP_DEFAULT_MAX_REDIRECTS);
	c->lim.user_agent = strdup(l->user_agent ? l->user_agent : HTTP_DEFAULT_USER_AGENT);
	c->lim.proxy = strdup(l->proxy ? l->proxy : "");
	if (!c->lim.user_agent || !c->lim.proxy)
		goto out;
	err = EIO;
	if (!(c->multi = curl_multi_init()) ||
	    curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, on_socket) ||
	    curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c) ||
	    curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer) ||
	    curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c))
		goto out;
	if (!(curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_ASYNCHDNS))
		log_warn("http: this libcurl resolves host names synchronously: give HTTP nodes "
			 "URLs with IP addresses, or a name would stall the B2BUA while it resolves");
	*cp = c;
	return 0;
out:
	client_destroy(c);
	return err;
fail:
	curl_global_cleanup();
	return err;
}

void http_free(struct http_client *c)
{
	if (!c || c->closing)
		return;
	enter(c);
	c->closing = true;
	/* Each callback may cancel others: take the head every time. */
	while (c->active.head)
		http_req_finish(c->active.head, HTTP_ERROR, "shutting down");
	while (c->failing.head)
		http_req_finish(c->failing.head, HTTP_ERROR, "shutting down");
	leave(c);
}
