/* SDP as the B2BUA needs it: see sdp.h.
 *
 * Only the first audio stream matters to call control; everything else in a
 * body is passed through as rtpengine wrote it. Lines may end in CRLF or LF
 * (sipp's scenarios and hand-written bodies use LF), and sdp_reduce keeps
 * whichever ending each line had. */
#include "sdp.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* RFC 3551 static payload types, for offers that leave out their rtpmap. */
static const struct sdp_codec static_pts[] = {
	{ 0, "PCMU", 8000, 1 },  { 3, "GSM", 8000, 1 },    { 4, "G723", 8000, 1 },
	{ 5, "DVI4", 8000, 1 },  { 6, "DVI4", 16000, 1 },  { 7, "LPC", 8000, 1 },
	{ 8, "PCMA", 8000, 1 },  { 9, "G722", 8000, 1 },   { 10, "L16", 44100, 2 },
	{ 11, "L16", 44100, 1 }, { 12, "QCELP", 8000, 1 }, { 13, "CN", 8000, 1 },
	{ 14, "MPA", 90000, 1 }, { 15, "G728", 8000, 1 },  { 16, "DVI4", 11025, 1 },
	{ 17, "DVI4", 22050, 1 }, { 18, "G729", 8000, 1 },
};

/* One line of a body, without its ending. */
struct line {
	const char *p;
	size_t len;
	size_t full;		/* with the ending, for copying */
};

/* Takes the next line from *pos; 0 at the end of the body. */
static int next_line(const char **pos, const char *end, struct line *l)
{
	if (*pos >= end)
		return 0;
	const char *nl = memchr(*pos, '\n', (size_t)(end - *pos));
	const char *stop = nl ? nl : end;
	l->p = *pos;
	l->full = (size_t)((nl ? nl + 1 : end) - *pos);
	l->len = (size_t)(stop - *pos);
	if (l->len && l->p[l->len - 1] == '\r')
		l->len--;
	*pos += l->full;
	return 1;
}

static int line_is(const struct line *l, const char *prefix)
{
	size_t n = strlen(prefix);
	return l->len >= n && !memcmp(l->p, prefix, n);
}

/* Parses a decimal in [lo, hi] at *s (within end) and advances past it. */
static int read_int(const char **s, const char *end, long lo, long hi, long *out)
{
	const char *p = *s;
	long v = 0;
	if (p >= end || *p < '0' || *p > '9')
		return -1;
	while (p < end && *p >= '0' && *p <= '9') {
		v = v * 10 + (*p - '0');
		if (v > hi)
			return -1;
		p++;
	}
	if (v < lo)
		return -1;
	*s = p;
	*out = v;
	return 0;
}

/* Copies the next space-separated token of [*s, end) into out. */
static int read_token(const char **s, const char *end, char *out, size_t outlen)
{
	const char *p = *s;
	while (p < end && *p == ' ')
		p++;
	const char *t = p;
	while (p < end && *p != ' ')
		p++;
	size_t n = (size_t)(p - t);
	if (!n || n >= outlen)
		return -1;
	memcpy(out, t, n);
	out[n] = '\0';
	*s = p;
	return 0;
}

/* "c=IN IP4 192.0.2.1" (a multicast "/ttl" suffix is dropped). */
static const char *parse_c(const struct line *l, char *addr, size_t addrlen)
{
	const char *s = l->p + 2, *end = l->p + l->len;
	char nettype[8], addrtype[8], a[80];
	if (read_token(&s, end, nettype, sizeof nettype) ||
	    read_token(&s, end, addrtype, sizeof addrtype) || read_token(&s, end, a, sizeof a) ||
	    strcmp(nettype, "IN") || (strcmp(addrtype, "IP4") && strcmp(addrtype, "IP6")))
		return "bad c= line";
	a[strcspn(a, "/")] = '\0';
	if (strlen(a) >= addrlen)
		return "bad c= line";
	strcpy(addr, a);
	return NULL;
}

static int parse_dir(const struct line *l, enum sdp_dir *dir)
{
	static const struct {
		const char *attr;
		enum sdp_dir dir;
	} dirs[] = {
		{ "a=sendrecv", SDP_SENDRECV },
		{ "a=sendonly", SDP_SENDONLY },
		{ "a=recvonly", SDP_RECVONLY },
		{ "a=inactive", SDP_INACTIVE },
	};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (l->len == strlen(dirs[i].attr) && line_is(l, dirs[i].attr)) {
			*dir = dirs[i].dir;
			return 1;
		}
	return 0;
}

/* "m=audio 49170[/2] RTP/AVP 0 8 101": port, proto, payload types. */
static const char *parse_m(const struct line *l, struct sdp_audio *out)
{
	const char *s = l->p + strlen("m=audio "), *end = l->p + l->len;
	long v;
	if (read_int(&s, end, 0, 65535, &v))
		return "bad m= line";
	out->port = (int)v;
	if (s < end && *s == '/') {
		s++;
		if (read_int(&s, end, 1, 65535, &v))
			return "bad m= line";
	}
	if (s >= end || *s != ' ' || read_token(&s, end, out->proto, sizeof out->proto))
		return "bad m= line";
	while (s < end) {
		if (*s++ != ' ')
			return "bad m= line";
		if (s < end && *s == ' ')
			continue;
		if (read_int(&s, end, 0, 127, &v))
			return "bad payload type";
		if (out->ncodecs == SDP_MAX_CODECS)
			return "too many payload types";
		struct sdp_codec *c = &out->codecs[out->ncodecs++];
		memset(c, 0, sizeof *c);
		c->pt = (int)v;
		c->channels = 1;
		for (size_t i = 0; i < sizeof static_pts / sizeof static_pts[0]; i++)
			if (static_pts[i].pt == c->pt)
				*c = static_pts[i];
	}
	if (!out->ncodecs)
		return "bad m= line";
	return NULL;
}

/* "a=rtpmap:101 telephone-event/8000[/1]" for a payload type of the m= line. */
static const char *parse_rtpmap(const struct line *l, struct sdp_audio *out)
{
	const char *s = l->p + strlen("a=rtpmap:"), *end = l->p + l->len;
	long pt, rate, ch = 1;
	char name[sizeof out->codecs[0].name];
	if (read_int(&s, end, 0, 127, &pt) || s >= end || *s != ' ')
		return "bad rtpmap";
	s++;
	const char *slash = memchr(s, '/', (size_t)(end - s));
	if (!slash || slash == s || (size_t)(slash - s) >= sizeof name)
		return "bad rtpmap";
	memcpy(name, s, (size_t)(slash - s));
	name[slash - s] = '\0';
	s = slash + 1;
	if (read_int(&s, end, 1, 10000000, &rate))
		return "bad rtpmap";
	if (s < end && *s == '/') {
		s++;
		if (read_int(&s, end, 1, 255, &ch))
			return "bad rtpmap";
	}
	if (s != end)
		return "bad rtpmap";
	for (int i = 0; i < out->ncodecs; i++) {
		struct sdp_codec *c = &out->codecs[i];
		if (c->pt == pt) {
			strcpy(c->name, name);
			c->rate = (int)rate;
			c->channels = (int)ch;
		}
	}
	return NULL;
}

const char *sdp_parse(const char *sdp, size_t len, struct sdp_audio *out)
{
	if (!sdp || !out)
		return "empty";
	const char *pos = sdp, *end = sdp + len;
	while (pos < end && strchr(" \t\r\n", *pos))
		pos++;
	if (pos == end)
		return "empty";
	if (pos != sdp)
		return "not SDP";

	memset(out, 0, sizeof *out);
	out->te_pt = -1;
	char session_addr[sizeof out->addr] = "";
	enum sdp_dir session_dir = SDP_SENDRECV, stream_dir = SDP_SENDRECV;
	int have_stream_dir = 0;
	/* 0 before any m=, 1 in the first audio section, 2 in any other section */
	int where = 0, found = 0, first = 1;
	struct line l;
	const char *err;

	while (next_line(&pos, end, &l)) {
		if (!l.len)
			continue; /* a blank line at the end, as some stacks send */
		if (first) {
			if (l.len != 3 || !line_is(&l, "v=0"))
				return "not SDP";
			first = 0;
			continue;
		}
		if (l.len < 2 || l.p[1] != '=' || l.p[0] < 'a' || l.p[0] > 'z')
			return "bad line";
		if (l.p[0] == 'm') {
			if (line_is(&l, "m=audio ") && !found) {
				if ((err = parse_m(&l, out)))
					return err;
				where = 1;
				found = 1;
			} else {
				where = 2;
			}
			continue;
		}
		if (where == 2)
			continue;
		if (l.p[0] == 'c') {
			if ((err = parse_c(&l, where ? out->addr : session_addr, sizeof out->addr)))
				return err;
		} else if (where == 0) {
			parse_dir(&l, &session_dir);
		} else if (parse_dir(&l, &stream_dir)) {
			have_stream_dir = 1;
		} else if (line_is(&l, "a=rtpmap:")) {
			if ((err = parse_rtpmap(&l, out)))
				return err;
		}
	}
	if (first)
		return "not SDP";
	if (!found)
		return "no audio stream";
	if (!out->addr[0]) {
		if (!session_addr[0])
			return "no connection address";
		strcpy(out->addr, session_addr);
	}
	out->dir = have_stream_dir ? stream_dir : session_dir;
	/* Prefer the event codec at the clock rate of G.711 and its kin. */
	for (int i = 0; i < out->ncodecs; i++) {
		const struct sdp_codec *c = &out->codecs[i];
		if (strcasecmp(c->name, "telephone-event"))
			continue;
		if (out->te_pt < 0 || c->rate == 8000)
			out->te_pt = c->pt;
		if (c->rate == 8000)
			break;
	}
	return NULL;
}

const struct sdp_codec *sdp_first_codec(const struct sdp_audio *a)
{
	for (int i = 0; a && i < a->ncodecs; i++) {
		const char *n = a->codecs[i].name;
		if (n[0] && strcasecmp(n, "telephone-event") && strcasecmp(n, "CN"))
			return &a->codecs[i];
	}
	return NULL;
}

/* Appends to buf[*n..len); -1 when it does not fit. */
static int put(char *buf, size_t len, int *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int put(char *buf, size_t len, int *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(buf + *n, len - (size_t)*n, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= len - (size_t)*n)
		return -1;
	*n += m;
	return 0;
}

int sdp_write_codecs(char *buf, size_t len, const char *addr, int port,
		     const struct sdp_codec *codecs, int ncodecs, int te_pt,
		     unsigned long long sess_id)
{
	if (!buf || !len || !addr || !codecs || ncodecs < 1 || ncodecs > SDP_MAX_CODECS ||
	    port < 0 || port > 65535 || te_pt > 127)
		return -1;
	for (int i = 0; i < ncodecs; i++)
		if (!codecs[i].name[0] || codecs[i].pt < 0 || codecs[i].pt > 127 ||
		    codecs[i].rate <= 0)
			return -1;
	const char *ip = strchr(addr, ':') ? "IP6" : "IP4";
	int n = 0;
	if (put(buf, len, &n,
		"v=0\r\n"
		"o=- %llu %llu IN %s %s\r\n"
		"s=-\r\n"
		"c=IN %s %s\r\n"
		"t=0 0\r\n"
		"m=audio %d RTP/AVP",
		sess_id, sess_id, ip, addr, ip, addr, port))
		return -1;
	for (int i = 0; i < ncodecs; i++)
		if (put(buf, len, &n, " %d", codecs[i].pt))
			return -1;
	if (te_pt >= 0 && put(buf, len, &n, " %d", te_pt))
		return -1;
	if (put(buf, len, &n, "\r\n"))
		return -1;
	for (int i = 0; i < ncodecs; i++) {
		char ch[16] = "";
		if (codecs[i].channels > 1)
			snprintf(ch, sizeof ch, "/%d", codecs[i].channels);
		if (put(buf, len, &n, "a=rtpmap:%d %s/%d%s\r\n", codecs[i].pt, codecs[i].name,
			codecs[i].rate, ch))
			return -1;
	}
	/* The event clock must be the audio clock (RFC 4733 section 2.1). */
	if (te_pt >= 0 && put(buf, len, &n,
			      "a=rtpmap:%d telephone-event/%d\r\n"
			      "a=fmtp:%d 0-16\r\n",
			      te_pt, codecs[0].rate, te_pt))
		return -1;
	if (put(buf, len, &n, "a=sendrecv\r\n"))
		return -1;
	return n;
}

int sdp_write(char *buf, size_t len, const char *addr, int port, const struct sdp_codec *codec,
	      int te_pt, unsigned long long sess_id)
{
	return sdp_write_codecs(buf, len, addr, port, codec, 1, te_pt, sess_id);
}

/* --- sdp_reduce ----------------------------------------------------------- */

struct out {
	char *buf;
	size_t len, cap;
	int full;
};

static void emit(struct out *o, const char *p, size_t n)
{
	if (o->full || n >= o->cap - o->len) {
		o->full = 1;
		return;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static int kept(int pt, const int *keep, int nkeep)
{
	for (int i = 0; i < nkeep; i++)
		if (keep[i] == pt)
			return 1;
	return 0;
}

/* The payload type an "a=rtpmap:", "a=fmtp:" or "a=rtcp-fb:" line is about;
 * -1 for other lines (and for "a=rtcp-fb:*", which is about all of them). */
static int attr_pt(const struct line *l)
{
	static const char *const attrs[] = { "a=rtpmap:", "a=fmtp:", "a=rtcp-fb:" };
	for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
		if (line_is(l, attrs[i])) {
			const char *s = l->p + strlen(attrs[i]), *end = l->p + l->len;
			long pt;
			if (read_int(&s, end, 0, 127, &pt) == 0 && (s == end || *s == ' '))
				return (int)pt;
			return -1;
		}
	return -1;
}

/* Writes the m= line with only the kept payload types; returns how many. */
static int reduce_m(struct out *o, const struct line *l, const int *keep, int nkeep)
{
	/* "m=audio PORT PROTO" is copied as it is. */
	const char *s = l->p, *end = l->p + l->len;
	for (int spaces = 0; s < end; s++)
		if (*s == ' ' && ++spaces == 3)
			break;
	emit(o, l->p, (size_t)(s - l->p));
	int n = 0;
	while (s < end) {
		while (s < end && *s == ' ')
			s++;
		const char *t = s;
		long pt;
		if (read_int(&s, end, 0, 127, &pt))
			return -1;
		if (kept((int)pt, keep, nkeep)) {
			emit(o, " ", 1);
			emit(o, t, (size_t)(s - t));
			n++;
		}
	}
	emit(o, l->p + l->len, l->full - l->len);
	return n;
}

int sdp_reduce(const char *sdp, size_t len, const int *keep, int nkeep, char *buf, size_t buflen)
{
	struct sdp_audio a;
	if (!buf || !buflen || !keep || nkeep <= 0 || sdp_parse(sdp, len, &a))
		return -1;
	struct out o = { .buf = buf, .cap = buflen };
	const char *pos = sdp, *end = sdp + len;
	int where = 0, found = 0;
	struct line l;
	while (next_line(&pos, end, &l)) {
		if (line_is(&l, "m=")) {
			where = 2;
			if (line_is(&l, "m=audio ") && !found) {
				found = 1;
				where = 1;
				if (reduce_m(&o, &l, keep, nkeep) <= 0)
					return -1;
				continue;
			}
		} else if (where == 1) {
			int pt = attr_pt(&l);
			if (pt >= 0 && !kept(pt, keep, nkeep))
				continue;
		}
		emit(&o, l.p, l.full);
	}
	return o.full ? -1 : (int)o.len;
}

static const char *const dir_attrs[] = { "a=sendrecv", "a=sendonly", "a=recvonly", "a=inactive" };

static int is_dir_attr(const struct line *l)
{
	for (size_t i = 0; i < sizeof dir_attrs / sizeof *dir_attrs; i++)
		if (l->len == strlen(dir_attrs[i]) && line_is(l, dir_attrs[i]))
			return 1;
	return 0;
}

int sdp_set_dir(const char *sdp, size_t len, enum sdp_dir dir, char *buf, size_t buflen)
{
	struct sdp_audio a;
	if (!buf || !buflen || (unsigned)dir > SDP_INACTIVE || sdp_parse(sdp, len, &a))
		return -1;
	struct out o = { .buf = buf, .cap = buflen };
	const char *pos = sdp, *end = sdp + len;
	int found = 0;
	struct line l;
	while (next_line(&pos, end, &l)) {
		if (is_dir_attr(&l))
			continue;
		emit(&o, l.p, l.full);
		if (!found && line_is(&l, "m=audio ")) {
			found = 1;
			/* The attribute goes right under the m= line, with the
			 * body's own line ending. */
			const char *eol = l.full > l.len ? l.p + l.len : "\r\n";
			size_t eol_len = l.full > l.len ? l.full - l.len : 2;
			if (l.full == l.len)
				emit(&o, eol, eol_len);
			emit(&o, dir_attrs[dir], strlen(dir_attrs[dir]));
			emit(&o, eol, eol_len);
		}
	}
	return o.full || !found ? -1 : (int)o.len;
}
