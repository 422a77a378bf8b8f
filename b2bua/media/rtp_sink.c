/* The receiving end of a recording: see rtp_sink.h.
 *
 * Samples are placed in a ring of RING samples by their position in the
 * recording; the ring starts at `head`, the first sample not yet in the
 * file. Everything older than the newest sample minus the jitter allowance
 * is written out (silence where nothing came), so a late packet finds its
 * place still open for RTP_SINK_JITTER_MS, and a packet that would land
 * past the ring pushes out the oldest samples first. */
#include "rtp_sink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "b2bua/core/tmr.h"
#include "log.h"
#include "rnd.h"
#include "sdp.h"
#include "udp.h"
#include "wav.h"
#include "wav_file.h"

#define RING (2 * RTP_SINK_RATE)	/* 2 s: the jitter allowance and a packet */
#define JITTER (RTP_SINK_JITTER_MS * RTP_SINK_RATE / 1000)
#define MAX_GAP ((int64_t)RTP_SINK_MAX_GAP_MS * RTP_SINK_RATE / 1000)
#define MAX_DATAGRAM 2048
#define READS_PER_WAKEUP 64
#define PT_PCMU 0
#define PT_PCMA 8
#define TE_PT 101
#define ADDR_MAX 64

struct rtp_sink {
	su_root_t *root;
	int fd;
	int reg;
	su_timer_t *timer;		/* the time limit */
	struct wav_file *wav;
	char *path;
	char addr[ADDR_MAX];
	unsigned port;
	rtp_sink_done_h *h;
	void *arg;
	enum rtp_sink_reason state;
	uint64_t max;			/* samples */
	/* The stream: its SSRC and a timestamp's place in the recording. */
	bool have_stream;
	uint32_t ssrc, base_ts;
	uint64_t base_pos;
	struct sockaddr_storage from;	/* the latched sender */
	socklen_t fromlen;
	/* The ring: samples [head, end) may hold audio; filled marks which. */
	uint64_t head, end;
	int16_t ring[RING];
	uint8_t filled[RING];
	struct rtp_sink_stats st;
	unsigned char buf[MAX_DATAGRAM];
};

#define REASON_NAME(name, str) str,
static const char *const reason_names[] = { RTP_SINK_REASONS(REASON_NAME) };
#undef REASON_NAME

const char *rtp_sink_reason_name(enum rtp_sink_reason r)
{
	return (unsigned)r < RTP_SINK_REASON_COUNT ? reason_names[r] : "?";
}

/* --- the file -------------------------------------------------------------- */

/* Writes samples [head, to) to the file and empties their places. */
static int flush_to(struct rtp_sink *s, uint64_t to)
{
	while (s->head < to) {
		size_t i = (size_t)(s->head % RING);
		size_t n = RING - i;
		if ((uint64_t)n > to - s->head)
			n = (size_t)(to - s->head);
		int err = wav_file_write(s->wav, s->ring + i, n);
		if (err)
			return err;
		memset(s->ring + i, 0, n * sizeof *s->ring);
		memset(s->filled + i, 0, n);
		s->head += n;
	}
	return 0;
}

static void fill_stats(const struct rtp_sink *s, struct rtp_sink_stats *st)
{
	*st = s->st;
	st->samples = s->wav ? wav_file_samples(s->wav) : s->st.samples;
	st->duration_ms = (unsigned)(st->samples * 1000 / RTP_SINK_RATE);
}

/* Completes the file and closes the socket: the recording is over. */
static void finish(struct rtp_sink *s, enum rtp_sink_reason reason)
{
	if (s->state != RTP_SINK_RECORDING)
		return;
	int err = flush_to(s, s->end);
	s->st.samples = wav_file_samples(s->wav);
	int cerr = wav_file_close(s->wav);
	s->wav = NULL;
	if (!err)
		err = cerr;
	if (err) {
		log_err("rtp_sink: cannot write %s: %s", s->path, strerror(err));
		reason = RTP_SINK_ERROR;
	}
	s->state = reason;
	su_root_deregister(s->root, s->reg);
	s->reg = -1;
	close(s->fd);
	s->fd = -1;
	tmr_free(&s->timer);
	fill_stats(s, &s->st);
	log_debug("rtp_sink: %s: %s after %u ms (%lu packets, %lu ignored, %lu late, "
		  "%lu duplicates)",
		  s->path, rtp_sink_reason_name(reason), s->st.duration_ms, s->st.packets,
		  s->st.ignored, s->st.late, s->st.duplicates);
}

/* --- packets --------------------------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The payload of an RTP packet; false when it is not one. */
static bool parse(const unsigned char *p, size_t len, int *pt, uint32_t *ts, uint32_t *ssrc,
		  const unsigned char **pl, size_t *pllen)
{
	if (len < 12 || p[0] >> 6 != 2)
		return false;
	size_t off = 12 + 4 * (size_t)(p[0] & 0x0F);
	if (p[0] & 0x10) {	/* a header extension */
		if (off + 4 > len)
			return false;
		off += 4 + 4 * (size_t)((unsigned)p[off + 2] << 8 | p[off + 3]);
	}
	if (off > len)
		return false;
	size_t n = len - off;
	if (p[0] & 0x20) {	/* padding: its length is the last byte */
		if (!n || !p[len - 1] || p[len - 1] > n)
			return false;
		n -= p[len - 1];
	}
	*pt = p[1] & 0x7F;
	*ts = be32(p + 4);
	*ssrc = be32(p + 8);
	*pl = p + off;
	*pllen = n;
	return true;
}

/* Where a timestamp of the stream lands in the recording (may be < 0). */
static int64_t place_of(const struct rtp_sink *s, uint32_t ts)
{
	return (int64_t)s->base_pos + (int32_t)(ts - s->base_ts);
}

/* Puts one packet's samples in place. Returns an errno value when the file
 * could not be written. */
static int take(struct rtp_sink *s, int pt, uint32_t ts, uint32_t ssrc, const unsigned char *pl,
		size_t n)
{
	if (pt != PT_PCMU && pt != PT_PCMA) {
		s->st.ignored++;
		return 0;
	}
	if (!n)
		return 0;
	int64_t pos = s->have_stream && ssrc == s->ssrc ? place_of(s, ts) : -1;
	/* A new stream, or a jump no reordering explains: go on at the end. */
	if (!s->have_stream || ssrc != s->ssrc || pos > (int64_t)s->end + MAX_GAP ||
	    pos + (int64_t)n < (int64_t)s->head - MAX_GAP) {
		s->have_stream = true;
		s->ssrc = ssrc;
		s->base_ts = ts;
		s->base_pos = s->end;
		s->st.streams++;
		pos = (int64_t)s->end;
	}
	if (pos < (int64_t)s->head) {
		s->st.late++;
		return 0;
	}
	uint64_t p = (uint64_t)pos;
	/* Its place is in the ring only below head + RING. */
	if (p < s->head + RING && s->filled[p % RING]) {
		s->st.duplicates++;
		return 0;
	}
	if (p >= s->max)
		return 0;
	if (n > s->max - p)
		n = (size_t)(s->max - p);
	if (p + n > s->head + RING) {
		int err = flush_to(s, p + n - RING);
		if (err)
			return err;
	}
	for (size_t i = 0; i < n; i++) {
		size_t k = (size_t)((p + i) % RING);
		s->ring[k] = pt == PT_PCMU ? wav_ulaw(pl[i]) : wav_alaw(pl[i]);
		s->filled[k] = 1;
	}
	s->st.packets++;
	if (p + n > s->end)
		s->end = p + n;
	if (s->end - s->head > JITTER)
		return flush_to(s, s->end - JITTER);
	return 0;
}

static bool same_addr(const struct sockaddr_storage *a, socklen_t alen,
		      const struct sockaddr_storage *b, socklen_t blen)
{
	return alen == blen && !memcmp(a, b, alen);
}

static int on_readable(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	(void)magic;
	(void)w;
	struct rtp_sink *s = arg;
	for (int i = 0; i < READS_PER_WAKEUP && s->state == RTP_SINK_RECORDING; i++) {
		struct sockaddr_storage from;
		socklen_t fromlen = sizeof from;
		ssize_t n = recvfrom(s->fd, s->buf, sizeof s->buf, MSG_TRUNC,
				     (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("rtp_sink: recv: %s", strerror(errno));
			break;
		}
		if (s->fromlen && !same_addr(&from, fromlen, &s->from, s->fromlen)) {
			s->st.foreign++;
			continue;
		}
		int pt;
		uint32_t ts, ssrc;
		const unsigned char *pl;
		size_t plen;
		if ((size_t)n > sizeof s->buf ||
		    !parse(s->buf, (size_t)n, &pt, &ts, &ssrc, &pl, &plen)) {
			s->st.malformed++;
			continue;
		}
		if (!s->fromlen) {
			s->from = from;
			s->fromlen = fromlen;
		}
		int err = take(s, pt, ts, ssrc, pl, plen);
		if (err || s->end >= s->max) {
			/* A write error shows again in finish(), which says so. */
			finish(s, err ? RTP_SINK_ERROR : RTP_SINK_MAX_LEN);
			/* Last: the callback may close the sink. */
			s->h(s->state, &s->st, s->arg);
			return 0;
		}
	}
	return 0;
}

static void on_time_limit(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)magic;
	(void)t;
	struct rtp_sink *s = arg;
	finish(s, RTP_SINK_MAX_LEN);
	s->h(s->state, &s->st, s->arg);
}

/* --- the sink -------------------------------------------------------------- */

/* Binds s->fd to addr at a port of [lo, hi]: from a random even one
 * upwards, even ones first. 0 or an errno value. */
static int bind_port(struct rtp_sink *s, const char *addr, unsigned lo, unsigned hi)
{
	bool v6 = strchr(addr, ':') != NULL;
	char a[96];
	if (!lo) {
		snprintf(a, sizeof a, v6 ? "[%s]:0" : "%s:0", addr);
		return media_udp_open(a, MEDIA_UDP_BIND, 0, &s->fd);
	}
	unsigned span = hi - lo + 1, r = 0;
	rnd_bytes(&r, sizeof r);
	int err = EADDRINUSE;
	for (unsigned odd = 0; odd < 2; odd++) {
		for (unsigned i = 0; i < span; i++) {
			unsigned port = lo + (r + i) % span;
			if ((port & 1) != odd)
				continue;
			snprintf(a, sizeof a, v6 ? "[%s]:%u" : "%s:%u", addr, port);
			err = media_udp_open(a, MEDIA_UDP_BIND, 0, &s->fd);
			if (err != EADDRINUSE)
				return err;
		}
	}
	return err;
}

static void sink_free(struct rtp_sink *s)
{
	if (s->reg >= 0)
		su_root_deregister(s->root, s->reg);
	if (s->fd >= 0)
		close(s->fd);
	tmr_free(&s->timer);
	wav_file_close(s->wav);
	free(s->path);
	free(s);
}

int rtp_sink_open(struct rtp_sink **sp, su_root_t *root, const char *addr, unsigned port_min,
		  unsigned port_max, const char *path, unsigned max_seconds, rtp_sink_done_h *h,
		  void *arg)
{
	if (!sp || !root || !addr || !path || !h || !max_seconds || port_max > 65535 ||
	    (port_min && port_max < port_min) || strlen(addr) >= ADDR_MAX)
		return EINVAL;
	/* An address, never a name: nothing may resolve on the loop. */
	unsigned char a[sizeof(struct in6_addr)];
	if (inet_pton(AF_INET, addr, a) != 1 && inet_pton(AF_INET6, addr, a) != 1)
		return EINVAL;
	struct rtp_sink *s = calloc(1, sizeof *s);
	if (!s)
		return ENOMEM;
	s->root = root;
	s->fd = -1;
	s->reg = -1;
	s->h = h;
	s->arg = arg;
	s->state = RTP_SINK_RECORDING;
	s->max = (uint64_t)max_seconds * RTP_SINK_RATE;
	snprintf(s->addr, sizeof s->addr, "%s", addr);
	int err = ENOMEM;
	if (!(s->path = strdup(path)))
		goto out;
	if ((err = bind_port(s, addr, port_min, port_max)))
		goto out;
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(s->fd, (struct sockaddr *)&ss, &len)) {
		err = errno;
		goto out;
	}
	s->port = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
					   : ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if ((err = wav_file_open(&s->wav, path, RTP_SINK_RATE)))
		goto out;
	su_wait_t w;
	err = EIO;
	if (su_wait_create(&w, s->fd, SU_WAIT_IN) < 0)
		goto out;
	s->reg = su_root_register(root, &w, on_readable, s, 0);
	if (s->reg < 0) {
		su_wait_destroy(&w);
		goto out;
	}
	if (tmr_once(root, &s->timer, (long)max_seconds * 1000 + RTP_SINK_GRACE_MS, on_time_limit,
		     s) < 0)
		goto out;
	*sp = s;
	return 0;
out:
	sink_free(s);
	return err;
}

unsigned rtp_sink_port(const struct rtp_sink *s)
{
	return s ? s->port : 0;
}

int rtp_sink_sdp(const struct rtp_sink *s, char *buf, size_t len, unsigned long long sess_id)
{
	static const struct sdp_codec codecs[] = {
		{ .pt = PT_PCMU, .name = "PCMU", .rate = RTP_SINK_RATE, .channels = 1 },
		{ .pt = PT_PCMA, .name = "PCMA", .rate = RTP_SINK_RATE, .channels = 1 },
	};
	if (!s)
		return -1;
	return sdp_write_codecs(buf, len, s->addr, (int)s->port, codecs, 2, TE_PT, sess_id);
}

void rtp_sink_stats(const struct rtp_sink *s, struct rtp_sink_stats *st)
{
	fill_stats(s, st);
}

enum rtp_sink_reason rtp_sink_close(struct rtp_sink *s, struct rtp_sink_stats *st)
{
	if (!s)
		return RTP_SINK_STOPPED;
	finish(s, RTP_SINK_STOPPED);
	enum rtp_sink_reason r = s->state;
	if (st)
		*st = s->st;
	sink_free(s);
	return r;
}
