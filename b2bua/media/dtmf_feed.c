/* DTMF events from rtpengine's TCP ng port: see dtmf.h.
 *
 * With --dtmf-log-ng-tcp, rtpengine 10.5 writes each DTMF event to every
 * client connected to its --listen-tcp-ng port, as an ng message without a
 * request: "<cookie> d6:notify6:onDTMF4:datad...ee", one after the other
 * with nothing between them (docs/rtpengines.md). The stream is cut into
 * messages by decoding each value's length; a message that cannot be
 * decoded leaves no way to find the next one, so the connection is dropped
 * and made again. The feed only listens: it sends no commands, so anything
 * that is not a notification is ignored. */
#include "dtmf.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "bencode.h"
#include "dtmf_priv.h"
#include "log.h"
#include "udp.h"

#define FEED_BUF (64 * 1024)		/* a message larger than this is not an event */
#define MAX_COOKIE 64
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000
#define STABLE_MS 1000			/* a connection up this long resets the backoff */
#define READS_PER_WAKEUP 64

enum feed_state { FEED_WAITING, FEED_CONNECTING, FEED_CONNECTED };

struct dtmf_feed {
	su_root_t *root;
	char addr[128];
	dtmf_h *h;
	void *arg;
	int fd;
	int reg;			/* su_root_register() index, or -1 */
	su_timer_t *timer;		/* the next attempt */
	enum feed_state state;
	unsigned backoff_ms;
	long long connected_at;		/* ms, CLOCK_MONOTONIC */
	bool ever_connected;
	bool complained;		/* the loss (or first failure) is logged */
	size_t len;
	char buf[FEED_BUF];
};

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void try_connect(struct dtmf_feed *f);

static void on_timer(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)magic;
	(void)t;
	try_connect(arg);
}

static void close_socket(struct dtmf_feed *f)
{
	if (f->reg >= 0)
		su_root_deregister(f->root, f->reg);
	if (f->fd >= 0)
		close(f->fd);
	f->reg = f->fd = -1;
	f->len = 0;
}

/* The connection is gone or could not be made (why): logged the first
 * time only, then tried again after a delay that doubles up to
 * BACKOFF_MAX_MS, and starts over once a connection has held. */
static void lost(struct dtmf_feed *f, const char *why)
{
	bool was_up = f->state == FEED_CONNECTED;
	close_socket(f);
	if (was_up && mono_ms() - f->connected_at >= STABLE_MS)
		f->backoff_ms = BACKOFF_MIN_MS;
	if (!f->complained) {
		if (was_up)
			log_warn("rtpengine %s: DTMF connection lost (%s); reconnecting", f->addr, why);
		else
			log_warn("rtpengine %s: cannot connect for DTMF events (%s); retrying", f->addr,
				 why);
		f->complained = true;
	} else {
		log_debug("rtpengine %s: DTMF connection: %s", f->addr, why);
	}
	f->state = FEED_WAITING;
	if (su_timer_set_interval(f->timer, on_timer, f, (su_duration_t)f->backoff_ms) < 0)
		log_err("rtpengine %s: cannot arm the DTMF reconnection timer", f->addr);
	f->backoff_ms = f->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : f->backoff_ms * 2;
}

/* One notification's "data" to the handler. */
static void deliver(struct dtmf_feed *f, struct arena *a, const struct benc *data)
{
	struct dtmf_fields fl = { .type = DTMF_FIELD_ABSENT };
	const struct benc *v;
	if ((v = benc_get(data, "type")))
		fl.type = benc_is(v, "DTMF") ? DTMF_FIELD_OK : DTMF_FIELD_BAD;
	fl.call_id = benc_strdup(a, benc_get(data, "callid"));
	fl.source_tag = benc_strdup(a, benc_get(data, "source_tag"));
	struct {
		const char *key;
		enum dtmf_field *state;
		long long *value;
	} ints[] = {
		{ "event", &fl.event_state, &fl.event },
		{ "duration", &fl.duration_state, &fl.duration },
		{ "timestamp", &fl.timestamp_state, &fl.timestamp },
	};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		v = benc_get(data, ints[i].key);
		*ints[i].state = !v ? DTMF_FIELD_ABSENT : v->type == BENC_INT ? DTMF_FIELD_OK
									  : DTMF_FIELD_BAD;
		if (v && v->type == BENC_INT)
			*ints[i].value = v->num;
	}
	struct dtmf_event ev = { 0 };
	const char *why = data && data->type == BENC_DICT ? dtmf_fields_check(&fl, &ev)
							  : "no data";
	if (why) {
		log_warn("rtpengine %s: dropped a DTMF event (%s)", f->addr, why);
		return;
	}
	log_debug("dtmf: call-id %s tag %s digit %c (from %s)", ev.call_id, ev.source_tag, ev.digit,
		  f->addr);
	f->h(&ev, f->arg);
}

/* Takes the complete messages off the front of the buffer. false when the
 * stream cannot be read on (why): the connection must go. */
static bool drain(struct dtmf_feed *f, const char **why)
{
	size_t off = 0;
	bool ok = true;
	while (off < f->len) {
		char *p = f->buf + off, *sp = memchr(p, ' ', f->len - off);
		if (!sp) {
			if (f->len - off > MAX_COOKIE) {
				*why = "no cookie";
				ok = false;
			}
			break;
		}
		if (sp - p > MAX_COOKIE || sp == p) {
			*why = "bad cookie";
			ok = false;
			break;
		}
		struct arena *a = arena_new();
		if (!a) {
			*why = "out of memory";
			ok = false;
			break;
		}
		size_t used = 0;
		const char *err = NULL;
		size_t rest = f->len - off - (size_t)(sp + 1 - p);
		struct benc *msg = rest ? benc_decode_prefix(a, sp + 1, rest, &used, &err) : NULL;
		if (!msg) {
			arena_free(a);
			if (rest && !benc_truncated(err)) {
				*why = err ? err : "bad message";
				ok = false;
			}
			break;
		}
		if (benc_is(benc_get(msg, "notify"), "onDTMF"))
			deliver(f, a, benc_get(msg, "data"));
		else
			log_debug("rtpengine %s: ignored a message that is not a DTMF event", f->addr);
		arena_free(a);
		off += (size_t)(sp + 1 - p) + used;
	}
	if (off) {
		memmove(f->buf, f->buf + off, f->len - off);
		f->len -= off;
	}
	if (ok && f->len == sizeof f->buf) {
		*why = "message too large";
		ok = false;
	}
	return ok;
}

static int on_readable(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	(void)magic;
	(void)w;
	struct dtmf_feed *f = arg;
	/* Then the loop's other work; the socket is still readable after. */
	for (int i = 0; i < READS_PER_WAKEUP; i++) {
		ssize_t n = recv(f->fd, f->buf + f->len, sizeof f->buf - f->len, 0);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0) {
			lost(f, n ? strerror(errno) : "closed by rtpengine");
			return 0;
		}
		f->len += (size_t)n;
		const char *why = NULL;
		if (!drain(f, &why)) {
			lost(f, why);
			return 0;
		}
	}
	return 0;
}

static int watch(struct dtmf_feed *f, int events, su_wakeup_f fn)
{
	su_wait_t w;
	if (su_wait_create(&w, f->fd, events) < 0)
		return -1;
	f->reg = su_root_register(f->root, &w, fn, f, 0);
	if (f->reg < 0) {
		su_wait_destroy(&w);
		return -1;
	}
	return 0;
}

static int on_connected(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	(void)magic;
	(void)w;
	struct dtmf_feed *f = arg;
	int soerr = 0;
	socklen_t len = sizeof soerr;
	if (getsockopt(f->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) || soerr) {
		lost(f, strerror(soerr ? soerr : errno));
		return 0;
	}
	su_root_deregister(f->root, f->reg);
	f->reg = -1;
	if (watch(f, SU_WAIT_IN, on_readable)) {
		lost(f, "cannot watch the socket");
		return 0;
	}
	f->state = FEED_CONNECTED;
	f->connected_at = mono_ms();
	if (f->complained || !f->ever_connected)
		log_info("rtpengine %s: receiving DTMF events over TCP%s", f->addr,
			 f->ever_connected ? " again" : "");
	f->complained = false;
	f->ever_connected = true;
	return 0;
}

static void try_connect(struct dtmf_feed *f)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	if (media_udp_addr(f->addr, &ss, &sslen)) {
		lost(f, "cannot resolve the address");
		return;
	}
	f->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (f->fd < 0) {
		lost(f, strerror(errno));
		return;
	}
	f->state = FEED_CONNECTING;
	if (connect(f->fd, (struct sockaddr *)&ss, sslen) && errno != EINPROGRESS) {
		lost(f, strerror(errno));
		return;
	}
	/* Even a connection made at once is reported writable: one path. */
	if (watch(f, SU_WAIT_CONNECT, on_connected))
		lost(f, "cannot watch the socket");
}

int dtmf_feed_alloc(struct dtmf_feed **fp, su_root_t *root, const char *addr, dtmf_h *h,
		    void *arg)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	if (!fp || !root || !addr || !h || strlen(addr) >= sizeof((struct dtmf_feed *)0)->addr)
		return EINVAL;
	if (media_udp_addr(addr, &ss, &sslen))
		return EINVAL;
	struct dtmf_feed *f = calloc(1, sizeof *f);
	if (!f)
		return ENOMEM;
	f->root = root;
	f->h = h;
	f->arg = arg;
	f->fd = f->reg = -1;
	f->backoff_ms = BACKOFF_MIN_MS;
	snprintf(f->addr, sizeof f->addr, "%s", addr);
	if (!(f->timer = su_timer_create(su_root_task(root), BACKOFF_MIN_MS))) {
		free(f);
		return ENOMEM;
	}
	try_connect(f);
	*fp = f;
	return 0;
}

void dtmf_feed_free(struct dtmf_feed *f)
{
	if (!f)
		return;
	close_socket(f);
	su_timer_destroy(f->timer);
	free(f);
}

bool dtmf_feed_connected(const struct dtmf_feed *f)
{
	return f && f->state == FEED_CONNECTED;
}
