/* Control-socket client: see ctlc.h. */
#include "ctlc.h"

#include "addr.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* The receive buffer starts at BUF_MIN and doubles as a line needs it (an
 * agent.list of thousands of agents is hundreds of KB in one line), up to
 * MAX_LINE: a longer line is an error and the connection is of no further
 * use. Once drained, a buffer grown past BUF_KEEP goes back to BUF_MIN, so
 * an idle connection does not hold the memory of its largest reply. */
#define BUF_MIN 65536
#define BUF_KEEP (4 * BUF_MIN)
#define MAX_LINE (64u * 1024 * 1024)

struct event_node {
	struct event_node *next;
	json_t *ev;
};

struct ctlc {
	int fd;
	unsigned timeout_ms;
	long long next_id;
	/* buf[start, len) is received and not yet consumed; buf[start, scan)
	 * is known to hold no newline, so a line arriving in many pieces is
	 * searched once, not once per piece. */
	char *buf;
	size_t cap, start, scan, len;
	struct event_node *head, *tail;
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int open_socket(const char *addr, char *err, size_t errlen)
{
	int fd;
	if (addr[0] == '/') {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };
		if (strlen(addr) >= sizeof sun.sun_path) {
			snprintf(err, errlen, "socket path too long");
			return -1;
		}
		strcpy(sun.sun_path, addr);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0)
			return fd;
	} else {
		char host[256], port[8];
		if (addr_split(addr, host, sizeof host, port, sizeof port)) {
			snprintf(err, errlen, "address '%s' is not host:port", addr);
			return -1;
		}
		struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
		int r = getaddrinfo(host, port, &hints, &ai);
		if (r) {
			snprintf(err, errlen, "%s: %s", addr, gai_strerror(r));
			return -1;
		}
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			int one = 1;
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
			freeaddrinfo(ai);
			return fd;
		}
		freeaddrinfo(ai);
	}
	snprintf(err, errlen, "cannot connect to %s: %s", addr, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

static int write_all(struct ctlc *c, const char *p, size_t n, char *err, size_t errlen)
{
	while (n) {
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "send: %s", strerror(errno));
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Makes room for at least one more recv() after the unconsumed bytes:
 * slides them to the front when that frees enough, else grows the buffer.
 * -1 when the line would exceed MAX_LINE or memory is short. */
static int make_room(struct ctlc *c, char *err, size_t errlen)
{
	size_t used = c->len - c->start;
	if (c->cap - c->len >= BUF_MIN / 4)
		return 0;
	if (used >= MAX_LINE) {
		snprintf(err, errlen, "line from server too long (over %u bytes)", MAX_LINE);
		return -1;
	}
	/* Sliding costs the unconsumed bytes; it is done only when they fill at
	 * most half the buffer (or the buffer is as large as it gets), so each
	 * byte is moved a bounded number of times. */
	if (c->start && (used <= c->cap / 2 || c->cap > MAX_LINE)) {
		memmove(c->buf, c->buf + c->start, used);
		c->scan -= c->start;
		c->len = used;
		c->start = 0;
		return 0;
	}
	/* At the largest size with nothing to slide, at least two bytes are
	 * free (used < MAX_LINE): enough to reach the limit or a newline. */
	size_t cap = c->cap >= MAX_LINE / 2 ? MAX_LINE + 1 : c->cap * 2;
	if (cap == c->cap)
		return 0;
	char *p = realloc(c->buf, cap);
	if (!p) {
		snprintf(err, errlen, "out of memory for a %zu-byte line", used);
		return -1;
	}
	c->buf = p;
	c->cap = cap;
	return 0;
}

/* Called when every received byte is consumed. */
static void buf_reset(struct ctlc *c)
{
	c->start = c->scan = c->len = 0;
	if (c->cap > BUF_KEEP) {
		char *p = realloc(c->buf, BUF_MIN);
		if (p) {
			c->buf = p;
			c->cap = BUF_MIN;
		}
	}
}

/* Reads one line into a JSON object, waiting until deadline (-1: none).
 * Returns NULL with err "" on timeout. */
static json_t *read_message(struct ctlc *c, long long deadline, char *err, size_t errlen)
{
	for (;;) {
		char *nl = memchr(c->buf + c->scan, '\n', c->len - c->scan);
		if (nl) {
			const char *line = c->buf + c->start;
			json_error_t je;
			json_t *j = json_loadb(line, (size_t)(nl - line), 0, &je);
			c->start = c->scan = (size_t)(nl - c->buf) + 1;
			if (c->start == c->len)
				buf_reset(c);
			if (!j || !json_is_object(j)) {
				json_decref(j);
				snprintf(err, errlen, "bad message from server: %s", je.text);
				return NULL;
			}
			return j;
		}
		c->scan = c->len;
		if (make_room(c, err, errlen))
			return NULL;
		int wait = -1;
		if (deadline >= 0) {
			long long left = deadline - now_ms();
			if (left <= 0) {
				err[0] = '\0';
				return NULL;
			}
			wait = (int)left;
		}
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		int r = poll(&pfd, 1, wait);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return NULL;
		}
		if (r == 0)
			continue;
		ssize_t n = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
		if (n == 0) {
			snprintf(err, errlen, "connection closed by the B2BUA");
			return NULL;
		}
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			snprintf(err, errlen, "recv: %s", strerror(errno));
			return NULL;
		}
		c->len += (size_t)n;
	}
}

static void queue_event(struct ctlc *c, json_t *ev)
{
	struct event_node *n = malloc(sizeof *n);
	if (!n) {
		json_decref(ev);
		return;
	}
	n->ev = ev;
	n->next = NULL;
	if (c->tail)
		c->tail->next = n;
	else
		c->head = n;
	c->tail = n;
}

json_t *ctlc_request(struct ctlc *c, json_t *req, char *err, size_t errlen)
{
	long long id = ++c->next_id;
	json_object_set_new(req, "id", json_integer(id));
	char *line = json_dumps(req, JSON_COMPACT);
	if (!line) {
		snprintf(err, errlen, "cannot encode request");
		return NULL;
	}
	/* One send for the line and its newline: two would wait on Nagle. */
	size_t n = strlen(line);
	char *framed = realloc(line, n + 2);
	if (!framed) {
		free(line);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	framed[n] = '\n';
	framed[n + 1] = '\0';
	int rc = write_all(c, framed, n + 1, err, errlen);
	free(framed);
	if (rc)
		return NULL;
	long long deadline = now_ms() + c->timeout_ms;
	for (;;) {
		json_t *m = read_message(c, deadline, err, errlen);
		if (!m) {
			if (!err[0])
				snprintf(err, errlen, "no reply from the B2BUA within %u ms", c->timeout_ms);
			return NULL;
		}
		if (json_object_get(m, "event")) {
			queue_event(c, m);
			continue;
		}
		json_t *rid = json_object_get(m, "id");
		if (json_is_integer(rid) && json_integer_value(rid) == id)
			return m;
		json_decref(m);	/* a reply to a request given up on earlier */
	}
}

json_t *ctlc_call(struct ctlc *c, char *err, size_t errlen, const char *cmd, const char *fmt, ...)
{
	json_t *req;
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		char pack[256];
		snprintf(pack, sizeof pack, "{%s}", fmt);
		json_error_t je;
		req = json_vpack_ex(&je, 0, pack, ap);
		va_end(ap);
		if (!req) {
			snprintf(err, errlen, "bad request: %s", je.text);
			return NULL;
		}
	} else {
		req = json_object();
	}
	json_object_set_new(req, "cmd", json_string(cmd));
	json_t *reply = ctlc_request(c, req, err, errlen);
	json_decref(req);
	return reply;
}

json_t *ctlc_next_event(struct ctlc *c, int timeout_ms, char *err, size_t errlen)
{
	err[0] = '\0';
	if (c->head) {
		struct event_node *n = c->head;
		c->head = n->next;
		if (!c->head)
			c->tail = NULL;
		json_t *ev = n->ev;
		free(n);
		return ev;
	}
	long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	for (;;) {
		json_t *m = read_message(c, deadline, err, errlen);
		if (!m || json_object_get(m, "event"))
			return m;
		json_decref(m);
	}
}

int ctlc_connect(struct ctlc **cp, const char *addr, const char *secret, unsigned timeout_ms,
		 char *err, size_t errlen)
{
	struct ctlc *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	c->timeout_ms = timeout_ms ? timeout_ms : 2000;
	c->cap = BUF_MIN;
	if (!(c->buf = malloc(c->cap))) {
		free(c);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	c->fd = open_socket(addr, err, errlen);
	if (c->fd < 0) {
		free(c->buf);
		free(c);
		return -1;
	}
	json_t *r = ctlc_call(c, err, errlen, "auth", "s:s", "secret", secret);
	if (!r || !json_is_true(json_object_get(r, "ok"))) {
		if (r)
			snprintf(err, errlen, "authentication refused: %s",
				 json_string_value(json_object_get(r, "error")) ?: "?");
		json_decref(r);
		ctlc_close(c);
		return -1;
	}
	json_decref(r);
	*cp = c;
	return 0;
}

void ctlc_close(struct ctlc *c)
{
	if (!c)
		return;
	while (c->head) {
		struct event_node *n = c->head;
		c->head = n->next;
		json_decref(n->ev);
		free(n);
	}
	if (c->fd >= 0)
		close(c->fd);
	free(c->buf);
	free(c);
}

int ctlc_fd(const struct ctlc *c)
{
	return c->fd;
}

int ctlc_pending(const struct ctlc *c)
{
	return c->head != NULL || memchr(c->buf + c->scan, '\n', c->len - c->scan) != NULL;
}
