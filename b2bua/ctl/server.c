/* The control socket's transport: listening, reading lines, authenticating,
 * replying, fanning events out. See ctl.h. */
#include "b2bua/ctl/ctl.h"

#include "b2bua/core/bus.h"
#include "b2bua/core/core.h"
#include "b2bua/core/tmr.h"
#include "addr.h"
#include "event.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <openssl/crypto.h>

#define MAX_LINE 65536
/* Events waiting for a client beyond the replies queued before them: more is
 * a slow consumer. A reply may be larger (agent.list of thousands of
 * agents); MAX_OUT_ALL bounds everything waiting. */
#define MAX_OUT (1024 * 1024)
#define MAX_OUT_ALL (64 * 1024 * 1024)

/* Addresses whose wrong secrets are remembered; the oldest unlocked one
 * makes room (a locked one is never forgotten before its time). */
#define MAX_PEERS 64

/* Wrong secrets from one address: count within the window, and the lock. */
struct ctl_peer {
	char host[48];
	unsigned fails;
	long long first_ms;	/* the window's first wrong secret */
	long long until_ms;	/* locked out until then; 0: not locked */
};

struct ctl_client {
	struct ctl *ctl;
	struct ctl_client *next, *prev;
	int fd;
	su_wait_t wait;
	int index;
	char *in;
	size_t in_len;
	char *out;
	size_t out_len, out_cap;
	size_t out_replies;	/* out[0, out_replies) ends with the last reply queued */
	bool authed;
	bool want_write;
	bool events_waiting;	/* events queued this turn, not yet sent */
	unsigned classes;		/* EV_CLASS_BIT()s subscribed to */
	unsigned long long events;	/* and single events (1 << type) */
	char name[64];
	char host[48];		/* the peer's address, the lockout's key */
};

struct ctl {
	struct core *core;
	struct ctl_deps deps;
	int fd;
	su_wait_t wait;
	int index;
	char *secret;
	struct ctl_client *clients;
	struct ctl_peer peers[MAX_PEERS];
	su_timer_t *flush_timer;	/* events queued: sent when it fires */
	bool flush_due;
};

/* The entry of host, or a free one (the oldest unlocked when all are
 * taken); NULL when every entry is locked (then everyone is refused). */
static struct ctl_peer *peer_of(struct ctl *ctl, const char *host, long long now)
{
	struct ctl_peer *spare = NULL;
	for (size_t i = 0; i < MAX_PEERS; i++) {
		struct ctl_peer *p = &ctl->peers[i];
		if (p->host[0] && !strcmp(p->host, host))
			return p;
		if (p->until_ms > now)
			continue;
		if (!spare || !p->host[0] || (spare->host[0] && p->first_ms < spare->first_ms))
			spare = p;
	}
	if (spare) {
		memset(spare, 0, sizeof *spare);
		snprintf(spare->host, sizeof spare->host, "%s", host);
	}
	return spare;
}

static bool peer_locked(struct ctl *ctl, const char *host, long long now)
{
	for (size_t i = 0; i < MAX_PEERS; i++)
		if (ctl->peers[i].host[0] && !strcmp(ctl->peers[i].host, host))
			return ctl->peers[i].until_ms > now;
	/* No entry free for a new address: all are locked, so is it. */
	for (size_t i = 0; i < MAX_PEERS; i++)
		if (ctl->peers[i].until_ms <= now)
			return false;
	return true;
}

/* A wrong secret from host: counted in a window of ctl_lockout_s; the
 * ctl_max_bad_secrets-th locks the address for ctl_lockout_s. */
static void peer_failed(struct ctl *ctl, const char *host, long long now)
{
	const struct b2bua_conf *conf = ctl->core->conf;
	long long window = (long long)conf->ctl_lockout_s * 1000;
	struct ctl_peer *p = peer_of(ctl, host, now);
	if (!p)
		return;
	if (!p->fails || now - p->first_ms >= window) {
		p->fails = 0;
		p->first_ms = now;
	}
	if (++p->fails >= (unsigned)conf->ctl_max_bad_secrets) {
		p->until_ms = now + window;
		p->fails = 0;
		log_warn("control socket: %ld wrong secrets from %s: its sign-ins are refused for %ld s",
			 (long)conf->ctl_max_bad_secrets, host, (long)conf->ctl_lockout_s);
	}
}

static void peer_succeeded(struct ctl *ctl, const char *host)
{
	for (size_t i = 0; i < MAX_PEERS; i++)
		if (ctl->peers[i].host[0] && !strcmp(ctl->peers[i].host, host))
			memset(&ctl->peers[i], 0, sizeof ctl->peers[i]);
}

static void client_close(struct ctl_client *c, const char *why)
{
	struct ctl *ctl = c->ctl;
	if (why)
		log_info("control client %s closed: %s", c->name, why);
	if (c->index >= 0)
		su_root_deregister(ctl->core->root, c->index);
	close(c->fd);
	if (c->prev)
		c->prev->next = c->next;
	else
		ctl->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	free(c->in);
	free(c->out);
	free(c);
}

/* Writes what it can now; the rest waits for POLLOUT. Returns -1 when the
 * client was closed. */
static int flush(struct ctl_client *c)
{
	while (c->out_len) {
		ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			client_close(c, strerror(errno));
			return -1;
		}
		memmove(c->out, c->out + n, c->out_len - (size_t)n);
		c->out_len -= (size_t)n;
		c->out_replies -= c->out_replies < (size_t)n ? c->out_replies : (size_t)n;
	}
	bool want = c->out_len > 0;
	if (want != c->want_write) {
		c->want_write = want;
		su_root_eventmask(c->ctl->core->root, c->index, c->fd,
				  SU_WAIT_IN | (want ? SU_WAIT_OUT : 0));
	}
	return 0;
}

static void flush_events(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg);

/* Queues one line (a reply, or an event); returns -1 when the client was
 * closed. */
static int send_line(struct ctl_client *c, const char *s, size_t n, bool reply)
{
	if (reply ? c->out_len + n + 1 > MAX_OUT_ALL
		  : c->out_len - c->out_replies + n + 1 > MAX_OUT) {
		log_warn("control client %s: slow_consumer, %zu bytes waiting", c->name, c->out_len);
		client_close(c, NULL);
		return -1;
	}
	if (c->out_len + n + 1 > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 4096;
		while (cap < c->out_len + n + 1)
			cap *= 2;
		char *p = realloc(c->out, cap);
		if (!p) {
			client_close(c, "out of memory");
			return -1;
		}
		c->out = p;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, s, n);
	c->out[c->out_len + n] = '\n';
	c->out_len += n + 1;
	if (!reply) {
		/* Sent with the other events of this turn of the loop. */
		c->events_waiting = true;
		struct ctl *ctl = c->ctl;
		if (!ctl->flush_due) {
			if (tmr_once(ctl->core->root, &ctl->flush_timer, 0, flush_events,
				     (su_timer_arg_t *)ctl))
				return flush(c);	/* no timer: at once */
			ctl->flush_due = true;
		}
		return 0;
	}
	c->out_replies = c->out_len;
	return flush(c);
}

/* The events queued while the loop handled what woke it go out together,
 * one write per client, from a timer of 0 ms: it fires when the loop has
 * finished those handlers, before it waits again. */
static void flush_events(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct ctl *ctl = (struct ctl *)arg;
	(void)magic;
	(void)t;
	ctl->flush_due = false;
	for (struct ctl_client *c = ctl->clients, *next; c; c = next) {
		next = c->next;
		if (c->events_waiting) {
			c->events_waiting = false;
			if (!c->want_write)	/* else POLLOUT sends them */
				flush(c);
		}
	}
}

static int send_json(struct ctl_client *c, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	if (!s) {
		client_close(c, "cannot encode a reply");
		return -1;
	}
	int rc = send_line(c, s, strlen(s), true);
	free(s);
	return rc;
}

/* extra: what the command put in its reply besides the error (the node an
 * agent is at, for "elsewhere"), or NULL. */
static int reply_error_with(struct ctl_client *c, json_t *id, const char *code, json_t *extra)
{
	json_t *r = json_pack("{s:O?,s:b,s:s,s:s}", "id", id, "ok", 0, "error", code, "message",
			      ctl_error_message(code));
	if (r && extra)
		json_object_update_missing(r, extra);
	int rc = send_json(c, r);
	json_decref(r);
	return rc;
}

static int reply_error(struct ctl_client *c, json_t *id, const char *code)
{
	return reply_error_with(c, id, code, NULL);
}

void ctl_client_subscribe(struct ctl_client *c, unsigned classes, unsigned long long events)
{
	c->classes = classes;
	c->events = events;
}

/* One request line. Returns -1 when the client was closed. */
static int handle_line(struct ctl_client *c, const char *line, size_t len)
{
	json_error_t je;
	json_t *req = json_loadb(line, len, 0, &je);
	if (!req || !json_is_object(req)) {
		json_decref(req);
		return reply_error(c, NULL, "bad_request");
	}
	json_t *id = json_object_get(req, "id");
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	int rc;
	if (!cmd) {
		rc = reply_error(c, id, "bad_request");
	} else if (!strcmp(cmd, "auth")) {
		const char *secret = json_string_value(json_object_get(req, "secret"));
		size_t n = strlen(c->ctl->secret);
		long long now = core_now_ms();
		if (peer_locked(c->ctl, c->host, now)) {
			/* Refused whatever the secret: guessing goes no further. */
			log_warn("control client %s: locked out after wrong secrets", c->name);
			rc = reply_error(c, id, "locked_out");
			if (rc == 0) {
				flush(c);
				client_close(c, NULL);
				rc = -1;
			}
		} else if (secret && strlen(secret) == n && !CRYPTO_memcmp(secret, c->ctl->secret, n)) {
			peer_succeeded(c->ctl, c->host);
			c->authed = true;
			json_t *r = json_pack("{s:O?,s:b}", "id", id, "ok", 1);
			rc = send_json(c, r);
			json_decref(r);
		} else {
			log_warn("control client %s: wrong secret", c->name);
			peer_failed(c->ctl, c->host, now);
			rc = reply_error(c, id, "bad_secret");
			if (rc == 0) {
				/* Let the reply go out, then hang up. */
				flush(c);
				client_close(c, NULL);
				rc = -1;
			}
		}
	} else if (!c->authed) {
		rc = reply_error(c, id, "not_authenticated");
	} else {
		ctl_cmd_h *h = ctl_command(cmd);
		if (!h) {
			rc = reply_error(c, id, "unknown_command");
		} else {
			json_t *reply = json_object();
			const char *err = h(&c->ctl->deps, c, req, reply);
			if (err) {
				rc = reply_error_with(c, id, err, reply);
			} else {
				json_object_set(reply, "id", id ? id : json_null());
				json_object_set_new(reply, "ok", json_true());
				rc = send_json(c, reply);
			}
			json_decref(reply);
		}
	}
	json_decref(req);
	return rc;
}

static int on_client(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	struct ctl_client *c = arg;
	(void)magic;
	int events = su_wait_events(w, c->fd);
	if (events & SU_WAIT_OUT) {
		if (flush(c))
			return 0;
	}
	if (!(events & (SU_WAIT_IN | SU_WAIT_HUP | SU_WAIT_ERR)))
		return 0;
	for (;;) {
		if (c->in_len == MAX_LINE) {
			client_close(c, "line too long");
			return 0;
		}
		ssize_t n = recv(c->fd, c->in + c->in_len, MAX_LINE - c->in_len, MSG_DONTWAIT);
		if (n == 0) {
			client_close(c, NULL);
			return 0;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			client_close(c, strerror(errno));
			return 0;
		}
		c->in_len += (size_t)n;
		char *start = c->in, *nl;
		while ((nl = memchr(start, '\n', c->in_len - (size_t)(start - c->in)))) {
			size_t len = (size_t)(nl - start);
			if (len && start[len - 1] == '\r')
				len--;
			if (len && handle_line(c, start, len))
				return 0;
			start = nl + 1;
		}
		size_t rest = c->in_len - (size_t)(start - c->in);
		memmove(c->in, start, rest);
		c->in_len = rest;
	}
}

static int on_accept(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	struct ctl *ctl = arg;
	(void)magic;
	(void)w;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	int fd = accept4(ctl->fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return 0;
	struct ctl_client *c = calloc(1, sizeof *c);
	if (!c || !(c->in = malloc(MAX_LINE))) {
		free(c);
		close(fd);
		return 0;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	char host[48] = "?", port[8] = "?";
	getnameinfo((struct sockaddr *)&ss, sl, host, sizeof host, port, sizeof port,
		    NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(c->name, sizeof c->name, "%s:%s", host, port);
	snprintf(c->host, sizeof c->host, "%s", host);
	c->ctl = ctl;
	c->fd = fd;
	if (su_wait_create(&c->wait, fd, SU_WAIT_IN) ||
	    (c->index = su_root_register(ctl->core->root, &c->wait, on_client, c, 0)) < 0) {
		free(c->in);
		free(c);
		close(fd);
		return 0;
	}
	c->next = ctl->clients;
	if (ctl->clients)
		ctl->clients->prev = c;
	ctl->clients = c;
	log_debug("control client %s connected", c->name);
	return 0;
}

static void on_event(const struct ev *ev, void *arg);

int ctl_start(struct ctl **cp, struct core *core, const struct ctl_deps *deps)
{
	const char *listen_addr = core->conf->ctl_listen;
	char host[128], port[8];
	if (addr_split(listen_addr, host, sizeof host, port, sizeof port)) {
		log_err("ctl_listen '%s' is not host:port", listen_addr);
		return -1;
	}
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE }, *ai;
	if (getaddrinfo(host, port, &hints, &ai)) {
		log_err("ctl_listen '%s': cannot resolve", listen_addr);
		return -1;
	}
	struct ctl *ctl = calloc(1, sizeof *ctl);
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	if (!ctl || fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 64)) {
		log_err("cannot listen on %s: %s", listen_addr, strerror(errno));
		freeaddrinfo(ai);
		if (fd >= 0)
			close(fd);
		free(ctl);
		return -1;
	}
	freeaddrinfo(ai);
	ctl->core = core;
	ctl->deps = *deps;
	ctl->fd = fd;
	ctl->secret = strdup(core->conf->ctl_secret);
	if (!ctl->secret || su_wait_create(&ctl->wait, fd, SU_WAIT_ACCEPT) ||
	    (ctl->index = su_root_register(core->root, &ctl->wait, on_accept, ctl, 0)) < 0 ||
	    bus_subscribe(core->bus, EV_CLASS_ALL, on_event, ctl)) {
		if (ctl->index > 0)
			su_root_deregister(core->root, ctl->index);
		close(fd);
		free(ctl->secret);
		free(ctl);
		return -1;
	}
	*cp = ctl;
	return 0;
}

void ctl_stop(struct ctl *ctl)
{
	if (!ctl)
		return;
	bus_unsubscribe(ctl->core->bus, on_event, ctl);
	tmr_free(&ctl->flush_timer);
	while (ctl->clients)
		client_close(ctl->clients, NULL);
	su_root_deregister(ctl->core->root, ctl->index);
	close(ctl->fd);
	free(ctl->secret);
	free(ctl);
}

const char *ctl_node(const struct ctl_client *c)
{
	return c->ctl->core->conf->node_id;
}

/* An event from the bus: one JSON line to every client subscribed to its
 * class, encoded once and only when someone wants it. */
static void on_event(const struct ev *ev, void *arg)
{
	struct ctl *ctl = arg;
	const struct ev_def *d = ev_def(ev->type);
	if (!d)
		return;
	unsigned cls = EV_CLASS_BIT(d->cls);
	char buf[4096], *s = NULL;
	size_t n = 0;
	for (struct ctl_client *c = ctl->clients, *next; c; c = next) {
		next = c->next;
		if (!c->authed || !((c->classes & cls) || (c->events & (1ull << ev->type))))
			continue;
		if (!s) {
			n = ev_write_json(ev, buf, sizeof buf);
			s = buf;
			if (n >= sizeof buf) {
				s = malloc(n + 1);
				if (!s || ev_write_json(ev, s, n + 1) != n) {
					log_err("event %s not sent: out of memory", d->name);
					break;
				}
			}
		}
		send_line(c, s, n, false);
	}
	if (s != buf)
		free(s);
}
