/* The rtpengine ng client: see ng.h.
 *
 * Bookkeeping is O(1) per request so that thousands can be outstanding:
 * requests are found by cookie in a hash table, and since every request
 * waits the same timeout_ms between sends, appending each (re)send to a
 * FIFO keeps it sorted by deadline. One su_timer is armed for the head of
 * the FIFO only.
 *
 * Callbacks may call anything here, ng_client_free() included: the
 * dispatchers count themselves in `depth` and the last one out frees a
 * client that was freed under it. */
#include "ng.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "hash.h"
#include "log.h"
#include "rnd.h"
#include "udp.h"

#define COOKIE_BYTES 8			/* 16 hex digits */
#define SOCKET_BUF (4 * 1024 * 1024)
#define MAX_DATAGRAM 65507
#define READS_PER_WAKEUP 64		/* then let SIP and timers have the loop */
#define MIN_BUCKETS 256

enum req_state { REQ_WAITING, REQ_DONE };

struct ng_req {
	struct ng_client *ng;
	struct ng_req *hnext;		/* hash chain */
	struct ng_req *prev, *next;	/* deadline FIFO */
	long long deadline_us;		/* CLOCK_MONOTONIC */
	unsigned sends;
	enum req_state state;
	ng_reply_h *h;
	void *arg;
	char cookie[2 * COOKIE_BYTES + 1];
	size_t len;
	char msg[];			/* cookie, space, bencoded dict */
};

struct ng_client {
	su_root_t *root;
	int fd;
	int reg;			/* su_root_register() index */
	su_timer_t *timer;
	long long timeout_us;
	unsigned tries;
	struct ng_req **buckets;
	size_t nbuckets;		/* a power of two */
	unsigned count;
	unsigned lagging;		/* waiting requests sent more than once */
	struct ng_req *head, *tail;
	int depth;			/* dispatchers on the stack */
	ng_watch_h *watch;
	void *watch_arg;
	bool closing;
	char rbuf[MAX_DATAGRAM + 1];
};

#define NG_NAME(name, str) str,
static const char *const cmd_names[] = { NG_COMMANDS(NG_NAME) };
#undef NG_NAME

/* The string members of ng_params and their keys, in the order sent. */
static const struct {
	size_t off;
	const char *key;
} str_params[] = {
	{ offsetof(struct ng_params, call_id), "call-id" },
	{ offsetof(struct ng_params, from_tag), "from-tag" },
	{ offsetof(struct ng_params, to_tag), "to-tag" },
	{ offsetof(struct ng_params, via_branch), "via-branch" },
	{ offsetof(struct ng_params, sdp), "sdp" },
	{ offsetof(struct ng_params, ice), "ICE" },
	{ offsetof(struct ng_params, file), "file" },
	{ offsetof(struct ng_params, code), "code" },
};

const char *ng_cmd_name(enum ng_cmd cmd)
{
	return (unsigned)cmd < NG_CMD_COUNT ? cmd_names[cmd] : NULL;
}

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* --- cookie hash ---------------------------------------------------------- */

static struct ng_req *hash_find(const struct ng_client *ng, const char *cookie, size_t n)
{
	struct ng_req *r = ng->buckets[hash_fnv1a_n(cookie, n) & (ng->nbuckets - 1)];
	for (; r; r = r->hnext)
		if (strlen(r->cookie) == n && !memcmp(r->cookie, cookie, n))
			return r;
	return NULL;
}

/* Doubles the table when it is full, so chains stay about one long. A failed
 * allocation only leaves the chains longer. */
static void hash_grow(struct ng_client *ng)
{
	size_t n = ng->nbuckets * 2;
	struct ng_req **b = calloc(n, sizeof *b);
	if (!b)
		return;
	for (size_t i = 0; i < ng->nbuckets; i++) {
		struct ng_req *r = ng->buckets[i], *next;
		for (; r; r = next) {
			next = r->hnext;
			size_t k = hash_fnv1a(r->cookie) & (n - 1);
			r->hnext = b[k];
			b[k] = r;
		}
	}
	free(ng->buckets);
	ng->buckets = b;
	ng->nbuckets = n;
}

static void hash_add(struct ng_client *ng, struct ng_req *r)
{
	if (ng->count >= ng->nbuckets)
		hash_grow(ng);
	struct ng_req **b = &ng->buckets[hash_fnv1a(r->cookie) & (ng->nbuckets - 1)];
	r->hnext = *b;
	*b = r;
	ng->count++;
}

static void hash_del(struct ng_client *ng, struct ng_req *r)
{
	struct ng_req **p = &ng->buckets[hash_fnv1a(r->cookie) & (ng->nbuckets - 1)];
	while (*p && *p != r)
		p = &(*p)->hnext;
	if (*p) {
		*p = r->hnext;
		ng->count--;
	}
}

/* --- deadline FIFO -------------------------------------------------------- */

static void fifo_append(struct ng_client *ng, struct ng_req *r)
{
	r->next = NULL;
	r->prev = ng->tail;
	if (ng->tail)
		ng->tail->next = r;
	else
		ng->head = r;
	ng->tail = r;
}

static void fifo_del(struct ng_client *ng, struct ng_req *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		ng->head = r->next;
	if (r->next)
		r->next->prev = r->prev;
	else
		ng->tail = r->prev;
	r->prev = r->next = NULL;
}

static void on_timer(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg);

/* Arms the timer for the head. While requests wait the timer is always armed
 * no later than the head's deadline; when the head is answered the timer is
 * left alone and, if it fires early, only re-arms. */
static void arm(struct ng_client *ng)
{
	if (!ng->head)
		return;
	long long us = ng->head->deadline_us - now_us();
	su_duration_t ms = us <= 0 ? 0 : (su_duration_t)((us + 999) / 1000);
	if (su_timer_set_interval(ng->timer, on_timer, ng, ms) < 0)
		log_err("ng: cannot arm the retransmission timer");
}

/* --- sending and finishing ------------------------------------------------ */

/* A send that fails is a lost datagram: the next try, or the timeout, deals
 * with it the same way (rtpengine restarting gives ECONNREFUSED, a full
 * buffer EAGAIN). */
static void transmit(struct ng_client *ng, struct ng_req *r)
{
	r->sends++;
	if (send(ng->fd, r->msg, r->len, 0) < 0)
		log_debug("ng: send of %s failed (try %u): %s", r->cookie, r->sends,
			  strerror(errno));
	r->deadline_us = now_us() + ng->timeout_us;
	fifo_append(ng, r);
}

/* Takes r out of the client and runs its callback once. */
static void finish(struct ng_client *ng, struct ng_req *r, const struct benc *reply,
		   const char *err)
{
	hash_del(ng, r);
	fifo_del(ng, r);
	if (r->sends > 1)
		ng->lagging--;
	r->state = REQ_DONE;
	r->h(reply, err, r->arg);
	free(r);
}

static void client_destroy(struct ng_client *ng)
{
	if (ng->reg > 0)
		su_root_deregister(ng->root, ng->reg);
	if (ng->fd >= 0)
		close(ng->fd);
	if (ng->timer)
		su_timer_destroy(ng->timer);
	free(ng->buckets);
	free(ng);
}

/* The end of every dispatcher: frees the client if a callback freed it. */
static bool leave(struct ng_client *ng)
{
	ng->depth--;
	if (ng->closing && !ng->depth) {
		client_destroy(ng);
		return true;
	}
	return false;
}

static void on_timer(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)magic;
	(void)t;
	struct ng_client *ng = arg;
	long long now = now_us();
	struct ng_req *r;
	ng->depth++;
	while (!ng->closing && (r = ng->head) && r->deadline_us <= now) {
		if (r->sends < ng->tries) {
			log_debug("ng: no reply to %s yet, sending it again", r->cookie);
			if (r->sends == 1)
				ng->lagging++;
			fifo_del(ng, r);
			transmit(ng, r);
		} else {
			if (ng->watch)
				ng->watch(ng->watch_arg, false);
			finish(ng, r, NULL, "rtpengine did not answer");
		}
	}
	if (!leave(ng) && !ng->closing)
		arm(ng);
}

/* Hands one datagram to the request with its cookie. */
static void dispatch(struct ng_client *ng, char *buf, size_t n)
{
	char *sp = memchr(buf, ' ', n);
	struct ng_req *r = sp ? hash_find(ng, buf, (size_t)(sp - buf)) : NULL;
	if (!r) {
		log_debug("ng: dropped a reply with an unknown cookie: %.*s", (int)(sp ? sp - buf : 0),
			  buf);
		return;
	}
	if (ng->watch)
		ng->watch(ng->watch_arg, true);
	struct arena *a = arena_new();
	if (!a) {
		finish(ng, r, NULL, "out of memory");
		return;
	}
	const char *why = NULL;
	struct benc *root = benc_decode(a, sp + 1, n - (size_t)(sp + 1 - buf), &why);
	const char *err = NULL;
	if (!root || root->type != BENC_DICT) {
		log_warn("ng: bad reply to %s from rtpengine: %s", r->cookie,
			 root ? "not a dict" : why);
		root = NULL;
		err = "bad reply from rtpengine";
	} else {
		const struct benc *result = benc_get(root, "result");
		if (benc_is(result, "ok") || benc_is(result, "pong")) {
			err = NULL;
		} else if (benc_is(result, "error")) {
			err = benc_strdup(a, benc_get(root, "error-reason"));
			if (!err)
				err = "rtpengine error without a reason";
		} else if (result && result->type == BENC_STR) {
			err = arena_printf(a, "rtpengine answered \"%.*s\"", (int)result->len,
					   result->str);
			if (!err)
				err = "out of memory";
		} else {
			err = "bad reply from rtpengine";
		}
	}
	finish(ng, r, root, err);
	arena_free(a);
}

static int on_readable(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	(void)magic;
	(void)w;
	struct ng_client *ng = arg;
	ng->depth++;
	for (int i = 0; i < READS_PER_WAKEUP && !ng->closing; i++) {
		ssize_t n = recv(ng->fd, ng->rbuf, sizeof ng->rbuf - 1, 0);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			/* ICMP errors (rtpengine not listening) surface here; the
			 * requests time out on their own. */
			log_debug("ng: recv: %s", strerror(errno));
			continue;
		}
		ng->rbuf[n] = '\0';
		dispatch(ng, ng->rbuf, (size_t)n);
	}
	leave(ng);
	return 0;
}

/* --- public --------------------------------------------------------------- */

int ng_client_alloc(struct ng_client **ngp, su_root_t *root, const char *addr,
		    unsigned timeout_ms, unsigned tries)
{
	if (!ngp || !root || !addr || timeout_ms < 1 || tries < 1)
		return EINVAL;
	int err = ENOMEM;
	struct ng_client *ng = calloc(1, sizeof *ng);
	if (!ng)
		return ENOMEM;
	ng->fd = -1;
	ng->root = root;
	ng->timeout_us = timeout_ms * 1000LL;
	ng->tries = tries;
	ng->nbuckets = MIN_BUCKETS;
	ng->buckets = calloc(ng->nbuckets, sizeof *ng->buckets);
	ng->timer = su_timer_create(su_root_task(root), timeout_ms);
	if (!ng->buckets || !ng->timer)
		goto out;
	if ((err = media_udp_open(addr, MEDIA_UDP_CONNECT, SOCKET_BUF, &ng->fd)))
		goto out;
	su_wait_t w;
	if (su_wait_create(&w, ng->fd, SU_WAIT_IN) < 0) {
		err = errno ? errno : EIO;
		goto out;
	}
	ng->reg = su_root_register(root, &w, on_readable, ng, 0);
	if (ng->reg < 0) {
		su_wait_destroy(&w);
		err = errno ? errno : EIO;
		goto out;
	}
	*ngp = ng;
	return 0;
out:
	client_destroy(ng);
	return err;
}

void ng_client_free(struct ng_client *ng)
{
	if (!ng || ng->closing)
		return;
	ng->closing = true;
	ng->depth++;
	while (ng->head)
		finish(ng, ng->head, NULL, "shutting down");
	leave(ng);
}

/* Takes a complete dict and sends it under a new cookie. */
static int submit(struct ng_client *ng, const char *dict, size_t dlen, ng_reply_h *h, void *arg,
		  struct ng_req **reqp)
{
	if (ng->closing)
		return ESHUTDOWN;
	if (COOKIE_BYTES * 2 + 1 + dlen > MAX_DATAGRAM)
		return EMSGSIZE;
	struct ng_req *r = calloc(1, sizeof *r + COOKIE_BYTES * 2 + 1 + dlen + 1);
	if (!r)
		return ENOMEM;
	do {
		int err = rnd_hex(r->cookie, COOKIE_BYTES);
		if (err) {
			free(r);
			return err;
		}
	} while (hash_find(ng, r->cookie, strlen(r->cookie)));
	r->ng = ng;
	r->h = h;
	r->arg = arg;
	r->len = (size_t)(stpcpy(r->msg, r->cookie) - r->msg);
	r->msg[r->len++] = ' ';
	memcpy(r->msg + r->len, dict, dlen);
	r->len += dlen;
	hash_add(ng, r);
	bool idle = !ng->head;
	transmit(ng, r);
	if (idle)
		arm(ng);
	if (reqp)
		*reqp = r;
	return 0;
}

int ng_request(struct ng_client *ng, enum ng_cmd cmd, const struct ng_params *p, ng_reply_h *h,
	       void *arg, struct ng_req **reqp)
{
	if (!ng || !h || !ng_cmd_name(cmd))
		return EINVAL;
	struct benc_enc e;
	benc_enc_init(&e);
	benc_dict(&e);
	benc_kv(&e, "command", ng_cmd_name(cmd));
	if (p) {
		for (size_t i = 0; i < sizeof str_params / sizeof str_params[0]; i++)
			benc_kv(&e, str_params[i].key,
				*(const char *const *)((const char *)p + str_params[i].off));
		benc_klist(&e, "flags", p->flags);
		benc_klist(&e, "replace", p->replace);
		if (p->transcode && p->transcode[0]) {
			benc_str(&e, "codec");
			benc_dict(&e);
			benc_klist(&e, "transcode", p->transcode);
			benc_end(&e);
		}
		if (p->repeat_times > 0)
			benc_kint(&e, "repeat-times", p->repeat_times);
		if (p->duration_ms > 0)
			benc_kint(&e, "duration", p->duration_ms);
	}
	benc_end(&e);
	int err = e.err ? e.err : submit(ng, e.buf, e.len, h, arg, reqp);
	benc_enc_free(&e);
	return err;
}

int ng_request_raw(struct ng_client *ng, const struct benc_enc *dict, ng_reply_h *h, void *arg,
		   struct ng_req **reqp)
{
	if (!ng || !dict || !h)
		return EINVAL;
	if (dict->err)
		return dict->err;
	if (!dict->len || dict->buf[0] != 'd' || dict->depth != 0)
		return EINVAL;
	return submit(ng, dict->buf, dict->len, h, arg, reqp);
}

void ng_req_cancel(struct ng_req *req)
{
	/* During its own callback the request is already out of the client. */
	if (!req || req->state != REQ_WAITING)
		return;
	hash_del(req->ng, req);
	fifo_del(req->ng, req);
	if (req->sends > 1)
		req->ng->lagging--;
	free(req);
}

void ng_client_watch(struct ng_client *ng, ng_watch_h *h, void *arg)
{
	if (!ng)
		return;
	ng->watch = h;
	ng->watch_arg = arg;
}

unsigned ng_outstanding(const struct ng_client *ng)
{
	return ng ? ng->count : 0;
}

unsigned ng_lagging(const struct ng_client *ng)
{
	return ng ? ng->lagging : 0;
}
