/* A fake rtpengine for in-process tests: a UDP socket on the test's loop
 * that answers ng requests the way rtpengine 10.5 does for the commands
 * the B2BUA sends (RTPENGINE.md): an SDP for offer and answer, a duration
 * for play media, "ok" for the rest. It records every request (command,
 * tags, branch, file) and can be told to fail a kind of request, or to hold
 * its replies until released. */
#ifndef TEST_FAKE_RTPENGINE_H
#define TEST_FAKE_RTPENGINE_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <sofia-sip/su_wait.h>

#include "arena.h"
#include "b2bua/media/bencode.h"

#define FRTP_MAX_REQ 16384
#define FRTP_MAX_HELD 64

/* What the fake says to rtpengine's SDP-bearing answers. */
#define FRTP_SDP \
	"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=rtpengine\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" \
	"m=audio 30000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n"                          \
	"a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n"

struct frtp_req {
	char cmd[24], call_id[40], from_tag[16], to_tag[16], branch[16], file[64];
	long long repeat;
	unsigned sdp_port;	/* the m=audio port of the request's SDP, or 0 */
};

struct frtp {
	int fd;
	int reg;
	unsigned short port;
	su_root_t *root;
	struct frtp_req req[FRTP_MAX_REQ];
	unsigned nreq;
	/* What to do: fail requests whose command is fail_cmd (and that have
	 * a via-branch, when fail_branch); hold every reply while hold is set. */
	const char *fail_cmd;
	bool fail_branch;
	bool hold;
	long long prompt_ms;
	struct {
		char data[512];
		size_t len;
		struct sockaddr_storage to;
		socklen_t tolen;
	} held[FRTP_MAX_HELD];
	unsigned nheld;
};

static void frtp_send(struct frtp *f, const char *cookie, const char *dict, size_t dlen,
		      const struct sockaddr_storage *to, socklen_t tolen)
{
	char out[1024];
	int n = snprintf(out, sizeof out, "%s ", cookie);
	if (n < 0 || (size_t)n + dlen > sizeof out)
		return;
	memcpy(out + n, dict, dlen);
	size_t len = (size_t)n + dlen;
	if (f->hold && f->nheld < FRTP_MAX_HELD) {
		memcpy(f->held[f->nheld].data, out, len);
		f->held[f->nheld].len = len;
		f->held[f->nheld].to = *to;
		f->held[f->nheld].tolen = tolen;
		f->nheld++;
		return;
	}
	sendto(f->fd, out, len, 0, (const struct sockaddr *)to, tolen);
}

/* Sends the replies held so far. */
static inline void frtp_release(struct frtp *f)
{
	f->hold = false;
	for (unsigned i = 0; i < f->nheld; i++)
		sendto(f->fd, f->held[i].data, f->held[i].len, 0,
		       (const struct sockaddr *)&f->held[i].to, f->held[i].tolen);
	f->nheld = 0;
}

static void frtp_copy(struct arena *a, const struct benc *d, const char *key, char *out, size_t n)
{
	char *s = benc_strdup(a, benc_get(d, key));
	snprintf(out, n, "%s", s ? s : "");
}

static int frtp_readable(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	struct frtp *f = arg;
	(void)magic;
	(void)w;
	char buf[65536];
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof from;
	ssize_t n;
	while ((n = recvfrom(f->fd, buf, sizeof buf - 1, MSG_DONTWAIT, (struct sockaddr *)&from,
			     &fromlen)) > 0) {
		buf[n] = '\0';
		char *sp = memchr(buf, ' ', (size_t)n);
		if (!sp)
			continue;
		*sp = '\0';
		struct arena *a = arena_new();
		const char *err;
		struct benc *d = benc_decode(a, sp + 1, (size_t)(n - (sp + 1 - buf)), &err);
		if (!d) {
			arena_free(a);
			continue;
		}
		struct frtp_req r = { 0 };
		frtp_copy(a, d, "command", r.cmd, sizeof r.cmd);
		frtp_copy(a, d, "call-id", r.call_id, sizeof r.call_id);
		frtp_copy(a, d, "from-tag", r.from_tag, sizeof r.from_tag);
		frtp_copy(a, d, "to-tag", r.to_tag, sizeof r.to_tag);
		frtp_copy(a, d, "via-branch", r.branch, sizeof r.branch);
		frtp_copy(a, d, "file", r.file, sizeof r.file);
		char *sdp = benc_strdup(a, benc_get(d, "sdp"));
		const char *m = sdp ? strstr(sdp, "m=audio ") : NULL;
		r.sdp_port = m ? (unsigned)atoi(m + 8) : 0;
		const struct benc *rep = benc_get(d, "repeat-times");
		r.repeat = rep && rep->type == BENC_INT ? rep->num : 0;
		if (f->nreq < FRTP_MAX_REQ)
			f->req[f->nreq++] = r;
		struct benc_enc e;
		benc_enc_init(&e);
		benc_dict(&e);
		if (f->fail_cmd && !strcmp(r.cmd, f->fail_cmd) && (!f->fail_branch || r.branch[0])) {
			benc_kv(&e, "result", "error");
			benc_kv(&e, "error-reason", "injected failure");
		} else if (!strcmp(r.cmd, "ping")) {
			benc_kv(&e, "result", "pong");
		} else {
			benc_kv(&e, "result", "ok");
			if (!strcmp(r.cmd, "offer") || !strcmp(r.cmd, "answer") ||
			    !strcmp(r.cmd, "subscribe request"))
				benc_kv(&e, "sdp", FRTP_SDP);
			if (!strcmp(r.cmd, "play media"))
				benc_kint(&e, "duration", f->prompt_ms);
		}
		benc_end(&e);
		if (!e.err)
			frtp_send(f, buf, e.buf, e.len, &from, fromlen);
		benc_enc_free(&e);
		arena_free(a);
		fromlen = sizeof from;
	}
	return 0;
}

static inline int frtp_start(struct frtp *f, su_root_t *root)
{
	memset(f, 0, sizeof *f);
	f->root = root;
	f->prompt_ms = 50;
	f->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sin;
	if (f->fd < 0 || bind(f->fd, (struct sockaddr *)&sin, sizeof sin) ||
	    getsockname(f->fd, (struct sockaddr *)&sin, &len))
		return -1;
	f->port = ntohs(sin.sin_port);
	su_wait_t w;
	if (su_wait_create(&w, f->fd, SU_WAIT_IN))
		return -1;
	f->reg = su_root_register(root, &w, frtp_readable, f, 0);
	return f->reg < 0 ? -1 : 0;
}

static inline void frtp_stop(struct frtp *f)
{
	su_root_deregister(f->root, f->reg);
	close(f->fd);
}

/* Requests for call with command cmd (and from-tag / to-tag / branch when
 * not NULL). */
static inline unsigned frtp_count(const struct frtp *f, const char *call, const char *cmd,
				  const char *from_tag, const char *to_tag, const char *branch)
{
	unsigned n = 0;
	for (unsigned i = 0; i < f->nreq; i++) {
		const struct frtp_req *r = &f->req[i];
		if ((!call || !strcmp(r->call_id, call)) && !strcmp(r->cmd, cmd) &&
		    (!from_tag || !strcmp(r->from_tag, from_tag)) &&
		    (!to_tag || !strcmp(r->to_tag, to_tag)) && (!branch || !strcmp(r->branch, branch)))
			n++;
	}
	return n;
}

#endif
