/* rtpengine's DTMF log (--dtmf-log-dest): see dtmf.h.
 *
 * The datagrams come from rtpengine on the same host or LAN, but the port is
 * reachable by anyone who can send UDP to it, so every field is checked
 * before a digit reaches call control. */
#include "dtmf.h"

#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "dtmf_priv.h"
#include "udp.h"

#define SOCKET_BUF (1024 * 1024)
#define MAX_DATAGRAM 65507
#define READS_PER_WAKEUP 64

struct dtmf_listener {
	su_root_t *root;
	int fd;
	int reg;
	dtmf_h *h;
	void *arg;
	char buf[MAX_DATAGRAM + 1];
};

char dtmf_digit(long event)
{
	static const char digits[] = "0123456789*#ABCD";
	return event >= 0 && event < 16 ? digits[event] : 0;
}

const char *dtmf_fields_check(const struct dtmf_fields *f, struct dtmf_event *ev)
{
	if (f->type == DTMF_FIELD_BAD)
		return "not a DTMF event";
	if (!f->call_id || !*f->call_id)
		return "no callid";
	if (!f->source_tag || !*f->source_tag)
		return "no source_tag";
	if (f->event_state != DTMF_FIELD_OK)
		return "no event";
	ev->digit = dtmf_digit(f->event);
	if (!ev->digit)
		return "event out of range";
	if (f->duration_state == DTMF_FIELD_BAD ||
	    (f->duration_state == DTMF_FIELD_OK && (f->duration < 0 || f->duration > 1000000)))
		return "bad duration";
	if (f->timestamp_state == DTMF_FIELD_BAD)
		return "bad timestamp";
	ev->call_id = f->call_id;
	ev->source_tag = f->source_tag;
	ev->duration_ms = f->duration_state == DTMF_FIELD_OK ? (unsigned)f->duration : 0;
	ev->timestamp = f->timestamp_state == DTMF_FIELD_OK ? f->timestamp : 0;
	return NULL;
}

static enum dtmf_field json_int(json_t *v, long long *out)
{
	if (!v)
		return DTMF_FIELD_ABSENT;
	if (!json_is_integer(v))
		return DTMF_FIELD_BAD;
	*out = (long long)json_integer_value(v);
	return DTMF_FIELD_OK;
}

/* Fills ev from one datagram; NULL or why it was dropped. The strings in ev
 * belong to j. */
static const char *parse(json_t *j, struct dtmf_event *ev)
{
	if (!json_is_object(j))
		return "not a JSON object";
	json_t *type = json_object_get(j, "type");
	struct dtmf_fields f = {
		.type = !type ? DTMF_FIELD_ABSENT
			: json_is_string(type) && !strcmp(json_string_value(type), "DTMF") ? DTMF_FIELD_OK
			: DTMF_FIELD_BAD,
		.call_id = json_string_value(json_object_get(j, "callid")),
		.source_tag = json_string_value(json_object_get(j, "source_tag")),
	};
	f.event_state = json_int(json_object_get(j, "event"), &f.event);
	f.duration_state = json_int(json_object_get(j, "duration"), &f.duration);
	f.timestamp_state = json_int(json_object_get(j, "timestamp"), &f.timestamp);
	return dtmf_fields_check(&f, ev);
}

static int on_readable(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	(void)magic;
	(void)w;
	struct dtmf_listener *l = arg;
	for (int i = 0; i < READS_PER_WAKEUP; i++) {
		ssize_t n = recv(l->fd, l->buf, sizeof l->buf - 1, 0);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("dtmf: recv: %s", strerror(errno));
			break;
		}
		json_error_t jerr;
		json_t *j = json_loadb(l->buf, (size_t)n, 0, &jerr);
		struct dtmf_event ev = { 0 };
		const char *why = j ? parse(j, &ev) : jerr.text;
		if (why) {
			l->buf[n] = '\0';
			log_warn("dtmf: dropped a datagram (%s): %.200s", why, l->buf);
		} else {
			log_debug("dtmf: call-id %s tag %s digit %c", ev.call_id, ev.source_tag,
				  ev.digit);
			l->h(&ev, l->arg);
		}
		json_decref(j);
	}
	return 0;
}

int dtmf_listener_alloc(struct dtmf_listener **lp, su_root_t *root, const char *addr, dtmf_h *h,
			void *arg)
{
	if (!lp || !root || !addr || !h)
		return EINVAL;
	struct dtmf_listener *l = calloc(1, sizeof *l);
	if (!l)
		return ENOMEM;
	l->root = root;
	l->h = h;
	l->arg = arg;
	int err = media_udp_open(addr, MEDIA_UDP_BIND, SOCKET_BUF, &l->fd);
	if (err) {
		free(l);
		return err;
	}
	su_wait_t w;
	if (su_wait_create(&w, l->fd, SU_WAIT_IN) < 0) {
		err = errno ? errno : EIO;
		goto out;
	}
	l->reg = su_root_register(root, &w, on_readable, l, 0);
	if (l->reg < 0) {
		su_wait_destroy(&w);
		err = errno ? errno : EIO;
		goto out;
	}
	*lp = l;
	return 0;
out:
	close(l->fd);
	free(l);
	return err;
}

void dtmf_listener_free(struct dtmf_listener *l)
{
	if (!l)
		return;
	su_root_deregister(l->root, l->reg);
	close(l->fd);
	free(l);
}

unsigned dtmf_listener_port(const struct dtmf_listener *l)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (!l || getsockname(l->fd, (struct sockaddr *)&ss, &len))
		return 0;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return 0;
}
