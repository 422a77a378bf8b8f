/* rtpengine's pcap of a call into mixed 8 kHz PCM (pcapwav.h). Two passes:
 * the first reads every record and keeps the audio packets it finds (where
 * their payload is, their stream, SSRC, timestamp and capture time); the
 * second places each stream's packets on its own track. */
#include "pcapwav.h"

#include "wav.h"

#include <stdlib.h>
#include <string.h>

#define PCAP_REC_HDR 16
#define PCAP_MAX_RECORD 262144	/* larger: the file is damaged from there */

enum { LT_ETHERNET = 1, LT_RAW = 101, LT_SLL = 113, LT_IPV4 = 228 };

struct pkt {
	size_t off;		/* the payload in the file */
	unsigned len;
	uint64_t cap_us;
	uint32_t ssrc, ts;
	unsigned char stream;
	unsigned char pt;
};

struct reader {
	const unsigned char *p;
	size_t n;
	bool swap, nano;
	unsigned linktype;
};

static uint32_t rd32(const struct reader *r, const unsigned char *q)
{
	if (r->swap)
		return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
	return (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 | (uint32_t)q[1] << 8 | q[0];
}

static uint32_t be32(const unsigned char *q)
{
	return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
}

static unsigned be16(const unsigned char *q)
{
	return (unsigned)q[0] << 8 | q[1];
}

/* The file's header; NULL or a reason. */
static const char *read_header(struct reader *r)
{
	if (r->n < 24)
		return "not_pcap";
	uint32_t le = (uint32_t)r->p[3] << 24 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[1] << 8 |
		      r->p[0];
	switch (le) {
	case 0xa1b2c3d4: r->swap = false; r->nano = false; break;
	case 0xa1b23c4d: r->swap = false; r->nano = true; break;
	case 0xd4c3b2a1: r->swap = true; r->nano = false; break;
	case 0x4d3cb2a1: r->swap = true; r->nano = true; break;
	default: return "not_pcap";
	}
	r->linktype = rd32(r, r->p + 20) & 0xFFFF;
	if (r->linktype != LT_RAW && r->linktype != LT_IPV4 && r->linktype != LT_ETHERNET &&
	    r->linktype != LT_SLL)
		return "linktype";
	return NULL;
}

/* The IPv4 packet in a record's link-layer frame, or NULL. */
static const unsigned char *ip_of(const struct reader *r, const unsigned char *f, size_t len,
				  size_t *iplen)
{
	size_t skip = 0;
	if (r->linktype == LT_ETHERNET) {
		if (len < 14 || be16(f + 12) != 0x0800)
			return NULL;
		skip = 14;
	} else if (r->linktype == LT_SLL) {
		if (len < 16 || be16(f + 14) != 0x0800)
			return NULL;
		skip = 16;
	}
	*iplen = len - skip;
	return f + skip;
}

/* The RTP packet of an IPv4 UDP packet: its payload (off/len into the
 * file), addresses, header fields. false when it is none of these. */
static bool rtp_of(const struct reader *r, const unsigned char *ip, size_t len, struct pkt *k,
		   struct pcapwav_stream *addr)
{
	if (len < 20 || ip[0] >> 4 != 4)
		return false;
	size_t ihl = (size_t)(ip[0] & 0x0F) * 4;
	size_t total = be16(ip + 2);
	if (ihl < 20 || total < ihl || total > len || ip[9] != 17)
		return false;
	if (be16(ip + 6) & 0x3FFF)	/* a fragment (MF set or an offset) */
		return false;
	const unsigned char *udp = ip + ihl;
	size_t ulen = total - ihl;
	if (ulen < 8 || be16(udp + 4) < 8 || be16(udp + 4) > ulen)
		return false;
	ulen = be16(udp + 4);
	const unsigned char *rtp = udp + 8;
	size_t rlen = ulen - 8;
	if (rlen < 12 || rtp[0] >> 6 != 2)
		return false;
	size_t hdr = 12 + (size_t)(rtp[0] & 0x0F) * 4;
	if (rtp[0] & 0x10) {	/* a header extension */
		if (rlen < hdr + 4)
			return false;
		hdr += 4 + (size_t)be16(rtp + hdr + 2) * 4;
	}
	if (rlen < hdr)
		return false;
	size_t plen = rlen - hdr;
	if (rtp[0] & 0x20) {	/* padding: its count is the last byte */
		if (!plen || rtp[rlen - 1] > plen)
			return false;
		plen -= rtp[rlen - 1];
	}
	k->pt = rtp[1] & 0x7F;
	k->ts = be32(rtp + 4);
	k->ssrc = be32(rtp + 8);
	k->off = (size_t)(rtp + hdr - r->p);
	k->len = (unsigned)plen;
	addr->src_ip = be32(ip + 12);
	addr->dst_ip = be32(ip + 16);
	addr->src_port = (uint16_t)be16(udp);
	addr->dst_port = (uint16_t)be16(udp + 2);
	return true;
}

static int stream_of(struct pcapwav *w, const struct pcapwav_stream *a)
{
	for (unsigned i = 0; i < w->nstreams; i++) {
		const struct pcapwav_stream *s = &w->streams[i];
		if (s->src_ip == a->src_ip && s->dst_ip == a->dst_ip &&
		    s->src_port == a->src_port && s->dst_port == a->dst_port)
			return (int)i;
	}
	if (w->nstreams == PCAPWAV_MAX_STREAMS)
		return -1;
	w->streams[w->nstreams] = *a;
	return (int)w->nstreams++;
}

/* First pass: the audio packets, in capture order. NULL or a reason. */
static const char *collect(struct reader *r, struct pcapwav *w, struct pkt **pkts, size_t *np)
{
	size_t cap = 0, off = 24;
	*pkts = NULL;
	*np = 0;
	while (off < r->n) {
		if (r->n - off < PCAP_REC_HDR) {
			w->truncated = true;
			break;
		}
		const unsigned char *h = r->p + off;
		uint32_t incl = rd32(r, h + 8);
		if (incl > PCAP_MAX_RECORD || incl > r->n - off - PCAP_REC_HDR) {
			w->truncated = true;
			break;
		}
		uint64_t frac = rd32(r, h + 4);
		uint64_t cap_us = (uint64_t)rd32(r, h) * 1000000 + (r->nano ? frac / 1000 : frac);
		const unsigned char *f = h + PCAP_REC_HDR;
		off += PCAP_REC_HDR + incl;

		size_t iplen;
		const unsigned char *ip = ip_of(r, f, incl, &iplen);
		struct pkt k;
		struct pcapwav_stream a = { 0 };
		if (!ip || !rtp_of(r, ip, iplen, &k, &a) || (k.pt != 0 && k.pt != 8) || !k.len) {
			w->skipped++;
			continue;
		}
		int s = stream_of(w, &a);
		if (s < 0) {
			w->skipped++;
			continue;
		}
		k.stream = (unsigned char)s;
		k.cap_us = cap_us;
		if (*np == cap) {
			size_t ncap = cap ? cap * 2 : 1024;
			struct pkt *q = realloc(*pkts, ncap * sizeof *q);
			if (!q)
				return "no_memory";
			*pkts = q;
			cap = ncap;
		}
		(*pkts)[(*np)++] = k;
	}
	return *np ? NULL : "no_audio";
}

struct run {
	bool on;
	uint32_t ssrc, ts;
	int64_t pos;
};

/* Where packet k goes on its stream's track (a sample index from t0), with
 * its run started or kept. */
static int64_t place(struct run *run, const struct pkt *k, uint64_t t0, struct pcapwav_stream *s)
{
	int64_t at = (int64_t)((k->cap_us - t0) * PCAPWAV_RATE / 1000000);
	if (run->on && run->ssrc == k->ssrc) {
		int64_t pos = run->pos + (int32_t)(k->ts - run->ts);
		int64_t d = pos - at;
		if (d < 0)
			d = -d;
		if (d <= (int64_t)PCAPWAV_REANCHOR_MS * PCAPWAV_RATE / 1000)
			return pos;
	}
	run->on = true;
	run->ssrc = k->ssrc;
	run->ts = k->ts;
	run->pos = at;
	s->runs++;
	return at;
}

const char *pcapwav_convert(const unsigned char *p, size_t n, const struct pcapwav_opts *o,
			    struct pcapwav *w)
{
	memset(w, 0, sizeof *w);
	struct reader r = { .p = p, .n = p ? n : 0 };
	const char *why = read_header(&r);
	if (why)
		return why;
	struct pkt *pk;
	size_t np;
	int16_t *tracks = NULL;
	if ((why = collect(&r, w, &pk, &np)))
		goto out;

	uint64_t t0 = pk[0].cap_us;
	for (size_t i = 1; i < np; i++)
		if (pk[i].cap_us < t0)
			t0 = pk[i].cap_us;
	size_t max = (size_t)(o && o->max_s ? o->max_s : PCAPWAV_DEFAULT_MAX_S) * PCAPWAV_RATE;

	/* Where each packet goes, and how long the whole is. */
	struct run runs[PCAPWAV_MAX_STREAMS] = { 0 };
	int64_t *pos = malloc(np * sizeof *pos);
	if (!pos) {
		why = "no_memory";
		goto out;
	}
	size_t len = 0;
	for (size_t i = 0; i < np; i++) {
		struct pcapwav_stream *s = &w->streams[pk[i].stream];
		pos[i] = place(&runs[pk[i].stream], &pk[i], t0, s);
		if (pos[i] < 0 || (size_t)pos[i] + pk[i].len > max) {
			pos[i] = -1;
			w->skipped++;
			continue;
		}
		if ((size_t)pos[i] + pk[i].len > len)
			len = (size_t)pos[i] + pk[i].len;
		if (!s->packets++)
			s->first_us = pk[i].cap_us;
		s->last_us = pk[i].cap_us;
		w->packets++;
	}
	if (!w->packets) {
		free(pos);
		why = "no_audio";
		goto out;
	}

	/* Each stream on its own track (a packet received twice is written
	 * twice at one place, not summed), then the sum. */
	tracks = calloc(len * w->nstreams, sizeof *tracks);
	w->pcm = malloc((len ? len : 1) * sizeof *w->pcm);
	if (!tracks || !w->pcm) {
		free(pos);
		why = "no_memory";
		goto out;
	}
	for (size_t i = 0; i < np; i++) {
		if (pos[i] < 0)
			continue;
		int16_t *t = tracks + (size_t)pk[i].stream * len + (size_t)pos[i];
		const unsigned char *b = p + pk[i].off;
		for (unsigned j = 0; j < pk[i].len; j++)
			t[j] = pk[i].pt == 0 ? wav_ulaw(b[j]) : wav_alaw(b[j]);
	}
	free(pos);
	for (size_t i = 0; i < len; i++) {
		int32_t v = 0;
		for (unsigned s = 0; s < w->nstreams; s++)
			v += tracks[(size_t)s * len + i];
		w->pcm[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
	}
	for (size_t m = 0; o && m < o->nmute; m++) {
		const struct pcapwav_span *sp = &o->mute[m];
		if (sp->to_us <= t0 || sp->to_us <= sp->from_us)
			continue;
		size_t a = sp->from_us <= t0 ? 0 : (size_t)((sp->from_us - t0) * PCAPWAV_RATE / 1000000);
		size_t b = (size_t)((sp->to_us - t0) * PCAPWAV_RATE / 1000000);
		if (b > len)
			b = len;
		if (a < b)
			memset(w->pcm + a, 0, (b - a) * sizeof *w->pcm);
	}
	w->samples = len;
	w->t0_us = t0;
out:
	free(pk);
	free(tracks);
	if (why) {
		free(w->pcm);
		memset(w, 0, sizeof *w);
	}
	return why;
}

void pcapwav_free(struct pcapwav *w)
{
	free(w->pcm);
	memset(w, 0, sizeof *w);
}
