/* sipfuzz: sends mutated SIP messages over UDP, made from a corpus of real
 * ones, at a paced rate; the same seed gives the same messages.
 *
 *   sipfuzz -t HOST:PORT [-b BIND_IP] [-s SEED] [-n COUNT] [-r RATE] FILE...
 *   sipfuzz -p [-s SEED] [-n COUNT] FILE...      print the messages instead
 *
 *   -t HOST:PORT  where the datagrams go (IPv4)
 *   -b BIND_IP    the local address they come from (default 127.0.0.1)
 *   -s SEED       the mutator's seed (default 1); message i of a run is the
 *                 same for the same seed, corpus and i
 *   -n COUNT      messages to send (default 10000)
 *   -r RATE       messages per second (default 2000; 0: unpaced)
 *   -p            write the messages to standard output, each followed by a
 *                 line "--- sipfuzz N LEN", and send nothing
 *   FILE          corpus messages, one per file, as a trace shows them; the
 *                 words [local_ip] [local_port] [remote_ip] [remote_port]
 *                 [call_id] [branch] [tag] are replaced before mutating, and
 *                 Content-Length is set right (a mutation may then break it)
 *
 * Replies are read and counted, never waited for. Prints one line:
 * "sent=N bytes=B replies=R send_errors=E ms=T seed=S". Exits 0, 1 when the
 * socket cannot be set up, 2 on usage errors. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define MSG_MAX 65000		/* under UDP's 65,507-byte payload */
#define CORPUS_MAX 256

struct buf {
	char *p;
	size_t len;
};

struct fuzz {
	uint64_t rng;
	struct buf corpus[CORPUS_MAX];
	size_t ncorpus;
	char local_ip[64], remote_ip[64];
	unsigned local_port, remote_port;
};

static void usage(void)
{
	fprintf(stderr, "usage: sipfuzz -t HOST:PORT [-b BIND_IP] [-s SEED] [-n COUNT] [-r RATE] FILE...\n"
		"       sipfuzz -p [-s SEED] [-n COUNT] FILE...\n");
	exit(2);
}

/* splitmix64: small, fast, and reproducible from a seed on any platform. */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static size_t below(struct fuzz *f, size_t n)
{
	return n ? (size_t)(next(&f->rng) % n) : 0;
}

/* --- a growable byte string, capped at MSG_MAX ------------------------------ */

static void b_splice(struct buf *b, size_t at, size_t del, const char *ins, size_t n)
{
	if (at > b->len)
		at = b->len;
	if (del > b->len - at)
		del = b->len - at;
	if (b->len - del + n > MSG_MAX)
		n = MSG_MAX - (b->len - del);
	memmove(b->p + at + n, b->p + at + del, b->len - at - del);
	memcpy(b->p + at, ins, n);
	b->len = b->len - del + n;
}

static bool b_find(const struct buf *b, size_t from, const char *s, size_t *at)
{
	size_t n = strlen(s);
	for (size_t i = from; i + n <= b->len; i++)
		if (!memcmp(b->p + i, s, n)) {
			*at = i;
			return true;
		}
	return false;
}

/* The start of line k (0-based) of the head, or the head's end. */
static size_t line_start(const struct buf *b, size_t k)
{
	size_t i = 0;
	while (k-- > 0) {
		while (i < b->len && b->p[i] != '\n')
			i++;
		if (i < b->len)
			i++;
	}
	return i;
}

static size_t count_lines(const struct buf *b)
{
	size_t n = 1;
	for (size_t i = 0; i < b->len; i++)
		n += b->p[i] == '\n';
	return n;
}

/* --- the base message: a corpus file with its words filled in --------------- */

static void fill(struct fuzz *f, struct buf *m, size_t seq)
{
	char v[128];
	size_t at;
	struct {
		const char *word;
		int kind;
	} words[] = {
		{ "[local_ip]", 0 }, { "[local_port]", 1 }, { "[remote_ip]", 2 },
		{ "[remote_port]", 3 }, { "[call_id]", 4 }, { "[branch]", 5 }, { "[tag]", 6 },
	};
	for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
		while (b_find(m, 0, words[w].word, &at)) {
			switch (words[w].kind) {
			case 0: snprintf(v, sizeof v, "%s", f->local_ip); break;
			case 1: snprintf(v, sizeof v, "%u", f->local_port); break;
			case 2: snprintf(v, sizeof v, "%s", f->remote_ip); break;
			case 3: snprintf(v, sizeof v, "%u", f->remote_port); break;
			case 4: snprintf(v, sizeof v, "fz%zu-%016llx", seq, (unsigned long long)next(&f->rng)); break;
			case 5: snprintf(v, sizeof v, "z9hG4bK-fz%zu-%llx", seq, (unsigned long long)next(&f->rng)); break;
			default: snprintf(v, sizeof v, "fz%llx", (unsigned long long)next(&f->rng)); break;
			}
			b_splice(m, at, strlen(words[w].word), v, strlen(v));
		}
	}
	/* Content-Length as the body is now. */
	size_t body;
	if (b_find(m, 0, "\r\n\r\n", &body)) {
		size_t blen = m->len - body - 4, cl;
		if (b_find(m, 0, "\nContent-Length:", &cl) && cl < body) {
			size_t vs = cl + strlen("\nContent-Length:"), ve = vs;
			while (ve < m->len && m->p[ve] != '\r')
				ve++;
			snprintf(v, sizeof v, " %zu", blen);
			b_splice(m, vs, ve - vs, v, strlen(v));
		}
	}
}

/* --- mutations ----------------------------------------------------------------- */

static const char *const odd_bytes[] = {
	"\0", "\r", "\n", "\r\n", ":", ";", ",", "<", ">", "\"", "\\", "%", "%00", "%ff", " ", "\t",
	"=", "@", "[", "]", "?", "&", "\xff", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
	"\xe2\x80", "\xc3", "\x80\x80", "\xfe\xff",
};

static const char *const odd_numbers[] = {
	"0", "-1", "4294967295", "4294967296", "2147483647", "2147483648", "-2147483649",
	"18446744073709551616", "99999999999999999999999999", "1e9", "0x10", "007", "", " ", "1.5",
};

static const char *const odd_lines[] = {
	"Content-Length: 99999", "Content-Length: -5", "Content-Length: 0", "Content-Type: multipart/mixed;boundary=x",
	"Content-Type: application/sdp", "Via: SIP/2.0/UDP [", "Via: ,,,,", "From: <sip:@>;tag=",
	"To: \"\\\" <sip:a@b>", "CSeq: 1 BYE", "CSeq: 4294967296 INVITE", "Max-Forwards: 0",
	"Contact: *", "Contact: <sip:x@127.0.0.1:0;transport=tcp>", "Route: <sip:127.0.0.1;lr>",
	"Record-Route: <sip:[::1]:5060;lr>", "Expires: -1", "Call-ID: ", "Supported: timer, 100rel",
	"Require: 100rel", "Session-Expires: 1;refresher=uac", "Min-SE: 0", "Authorization: Digest username=\"",
	"Proxy-Authorization: Digest realm=\"a\",nonce=\"\",response=\"\"", "Event: dialog;id=",
	"Subscription-State: terminated;reason=", "RSeq: 0", "RAck: 1 1 PRACK", "Refer-To: <sip:",
	"X-Long: ", "Content-Encoding: gzip", "Allow: ,", "P-Asserted-Identity: <tel:+>",
};

static const char *const methods[] = {
	"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "INFO", "UPDATE", "PRACK",
	"REFER", "NOTIFY", "SUBSCRIBE", "MESSAGE", "PUBLISH", "FOO", "invite", "", "SIP/2.0",
};

static void m_flip(struct fuzz *f, struct buf *m)
{
	if (!m->len)
		return;
	for (size_t k = 1 + below(f, 8); k > 0; k--)
		m->p[below(f, m->len)] ^= (char)(1u << below(f, 8));
}

static void m_insert(struct fuzz *f, struct buf *m)
{
	const char *s = odd_bytes[below(f, sizeof odd_bytes / sizeof *odd_bytes)];
	size_t n = *s ? strlen(s) : 1;
	b_splice(m, below(f, m->len + 1), 0, s, n);
}

static void m_random_bytes(struct fuzz *f, struct buf *m)
{
	char r[64];
	size_t n = 1 + below(f, sizeof r);
	for (size_t i = 0; i < n; i++)
		r[i] = (char)next(&f->rng);
	b_splice(m, below(f, m->len + 1), 0, r, n);
}

static void m_delete(struct fuzz *f, struct buf *m)
{
	size_t at = below(f, m->len + 1);
	b_splice(m, at, 1 + below(f, below(f, 3) ? 16 : 400), "", 0);
}

static void m_dup_line(struct fuzz *f, struct buf *m)
{
	size_t nl = count_lines(m), a = line_start(m, below(f, nl)), e = a;
	while (e < m->len && m->p[e] != '\n')
		e++;
	if (e < m->len)
		e++;
	char line[2048];
	size_t n = e - a < sizeof line ? e - a : sizeof line;
	memcpy(line, m->p + a, n);
	for (size_t k = 1 + (below(f, 4) ? 0 : below(f, 200)); k > 0; k--)
		b_splice(m, line_start(m, 1 + below(f, nl)), 0, line, n);
}

static void m_drop_line(struct fuzz *f, struct buf *m)
{
	size_t a = line_start(m, below(f, count_lines(m))), e = a;
	while (e < m->len && m->p[e] != '\n')
		e++;
	b_splice(m, a, e - a + 1, "", 0);
}

static void m_odd_line(struct fuzz *f, struct buf *m)
{
	char line[256];
	int n = snprintf(line, sizeof line, "%s\r\n", odd_lines[below(f, sizeof odd_lines / sizeof *odd_lines)]);
	b_splice(m, line_start(m, 1 + below(f, 12)), 0, line, (size_t)n);
}

static void m_huge(struct fuzz *f, struct buf *m)
{
	static char fill_buf[MSG_MAX];
	size_t sizes[] = { 256, 1024, 4096, 16384, 60000 };
	size_t n = sizes[below(f, 5)];
	char c = "A0;,< %\xff"[below(f, 8)];
	memset(fill_buf, c, n);
	size_t at = below(f, m->len + 1), colon;
	/* Mostly inside a header's value, where parsers copy it. */
	if (below(f, 3) && b_find(m, at, ":", &colon))
		at = colon + 1;
	b_splice(m, at, 0, fill_buf, n);
}

static void m_content_length(struct fuzz *f, struct buf *m)
{
	size_t cl;
	if (!b_find(m, 0, "Content-Length:", &cl) && !b_find(m, 0, "l:", &cl))
		return m_odd_line(f, m);
	size_t vs = cl, ve;
	while (vs < m->len && m->p[vs] != ':')
		vs++;
	vs++;
	ve = vs;
	while (ve < m->len && m->p[ve] != '\r' && m->p[ve] != '\n')
		ve++;
	char v[64];
	long cur = strtol(m->p + vs, NULL, 10);
	switch (below(f, 4)) {
	case 0: snprintf(v, sizeof v, " %ld", cur + 1 + (long)below(f, 100)); break;
	case 1: snprintf(v, sizeof v, " %ld", cur - 1 - (long)below(f, 100)); break;
	default: snprintf(v, sizeof v, " %s", odd_numbers[below(f, sizeof odd_numbers / sizeof *odd_numbers)]); break;
	}
	b_splice(m, vs, ve - vs, v, strlen(v));
}

static void m_number(struct fuzz *f, struct buf *m)
{
	/* A run of digits somewhere, replaced. */
	for (int tries = 0; tries < 8; tries++) {
		size_t at = below(f, m->len);
		while (at < m->len && (m->p[at] < '0' || m->p[at] > '9'))
			at++;
		if (at >= m->len)
			continue;
		size_t e = at;
		while (e < m->len && m->p[e] >= '0' && m->p[e] <= '9')
			e++;
		const char *s = odd_numbers[below(f, sizeof odd_numbers / sizeof *odd_numbers)];
		b_splice(m, at, e - at, s, strlen(s));
		return;
	}
}

static void m_truncate(struct fuzz *f, struct buf *m)
{
	size_t body;
	/* Mostly inside the SDP, when there is one. */
	if (below(f, 3) && b_find(m, 0, "\r\n\r\n", &body) && body + 4 < m->len)
		m->len = body + 4 + below(f, m->len - body - 4);
	else
		m->len = below(f, m->len + 1);
}

static void m_crlf(struct fuzz *f, struct buf *m)
{
	size_t at;
	if (!b_find(m, below(f, m->len + 1), "\r\n", &at) && !b_find(m, 0, "\r\n", &at))
		return;
	static const char *const ends[] = { "\n", "\r", "\r\r\n", "\r\n\r\n", "\r\n ", "\r\n\t", "\n\r", "", "\r\n\r\n\r\n" };
	const char *s = ends[below(f, sizeof ends / sizeof *ends)];
	b_splice(m, at, 2, s, strlen(s));
	if (!below(f, 4)) {	/* every line ending of the message the same way */
		size_t from = 0;
		while (b_find(m, from, "\r\n", &at)) {
			b_splice(m, at, 2, "\n", 1);
			from = at + 1;
		}
	}
}

static void m_method(struct fuzz *f, struct buf *m)
{
	size_t e = 0;
	while (e < m->len && m->p[e] != ' ' && m->p[e] != '\r')
		e++;
	const char *s = methods[below(f, sizeof methods / sizeof *methods)];
	b_splice(m, 0, e, s, strlen(s));
	if (!below(f, 3)) {	/* and the CSeq's method, to match or not */
		size_t cs;
		if (b_find(m, 0, "CSeq:", &cs)) {
			size_t a = cs + 5;
			while (a < m->len && m->p[a] != ' ' && m->p[a] != '\r')
				a++;
			while (a < m->len && m->p[a] == ' ')
				a++;
			while (a < m->len && (m->p[a] < 'A' || m->p[a] > 'Z') && m->p[a] != '\r')
				a++;
			e = a;
			while (e < m->len && m->p[e] >= 'A' && m->p[e] <= 'Z')
				e++;
			s = methods[below(f, sizeof methods / sizeof *methods)];
			b_splice(m, a, e - a, s, strlen(s));
		}
	}
}

static void m_splice(struct fuzz *f, struct buf *m)
{
	const struct buf *o = &f->corpus[below(f, f->ncorpus)];
	size_t keep = below(f, m->len + 1), from = below(f, o->len + 1);
	m->len = keep;
	b_splice(m, keep, 0, o->p + from, o->len - from);
}

static void (*const mutators[])(struct fuzz *, struct buf *) = {
	m_flip, m_insert, m_random_bytes, m_delete, m_dup_line, m_drop_line, m_odd_line, m_huge,
	m_content_length, m_number, m_truncate, m_crlf, m_method, m_splice,
};

/* Message seq of the run: a corpus message, filled in, with 1 to 4
 * mutations (one in sixteen left as it is, so that whole dialogs happen). */
static void make_message(struct fuzz *f, uint64_t seed, size_t seq, struct buf *m)
{
	f->rng = seed * 0x100000001b3ull ^ (uint64_t)seq * 0x9e3779b97f4a7c15ull;
	next(&f->rng);
	const struct buf *base = &f->corpus[below(f, f->ncorpus)];
	memcpy(m->p, base->p, base->len);
	m->len = base->len;
	fill(f, m, seq);
	if (!below(f, 16))
		return;
	for (size_t k = 1 + below(f, 4); k > 0; k--)
		mutators[below(f, sizeof mutators / sizeof *mutators)](f, m);
}

/* --- the corpus ---------------------------------------------------------------- */

static int load(struct fuzz *f, const char *path)
{
	if (f->ncorpus == CORPUS_MAX) {
		fprintf(stderr, "sipfuzz: more than %d corpus files\n", CORPUS_MAX);
		return -1;
	}
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "sipfuzz: %s: %s\n", path, strerror(errno));
		return -1;
	}
	struct buf *b = &f->corpus[f->ncorpus];
	b->p = malloc(MSG_MAX);
	b->len = b->p ? fread(b->p, 1, MSG_MAX, fp) : 0;
	fclose(fp);
	if (!b->len) {
		fprintf(stderr, "sipfuzz: %s: empty or unreadable\n", path);
		free(b->p);
		return -1;
	}
	/* The files keep LF line ends (easier to read and edit); SIP wants CRLF. */
	struct buf t = { malloc(MSG_MAX), 0 };
	if (!t.p)
		return -1;
	for (size_t i = 0; i < b->len && t.len < MSG_MAX - 1; i++) {
		if (b->p[i] == '\n' && (i == 0 || b->p[i - 1] != '\r'))
			t.p[t.len++] = '\r';
		t.p[t.len++] = b->p[i];
	}
	free(b->p);
	*b = t;
	f->ncorpus++;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static struct fuzz f;
	const char *target = NULL, *bind_ip = "127.0.0.1";
	unsigned long long seed = 1, count = 10000;
	double rate = 2000;
	bool print = false;
	int opt;
	while ((opt = getopt(argc, argv, "t:b:s:n:r:p")) != -1) {
		switch (opt) {
		case 't': target = optarg; break;
		case 'b': bind_ip = optarg; break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'n': count = strtoull(optarg, NULL, 10); break;
		case 'r': rate = strtod(optarg, NULL); break;
		case 'p': print = true; break;
		default: usage();
		}
	}
	if (optind >= argc || (!print && !target))
		usage();
	for (int i = optind; i < argc; i++)
		if (load(&f, argv[i]))
			return 1;

	struct sockaddr_in to = { .sin_family = AF_INET }, me = { .sin_family = AF_INET };
	int fd = -1;
	snprintf(f.local_ip, sizeof f.local_ip, "%s", bind_ip);
	snprintf(f.remote_ip, sizeof f.remote_ip, "127.0.0.1");
	f.local_port = 5060;
	f.remote_port = 5060;
	if (target) {
		const char *colon = strrchr(target, ':');
		if (!colon || (size_t)(colon - target) >= sizeof f.remote_ip)
			usage();
		snprintf(f.remote_ip, sizeof f.remote_ip, "%.*s", (int)(colon - target), target);
		f.remote_port = (unsigned)atoi(colon + 1);
		if (inet_pton(AF_INET, f.remote_ip, &to.sin_addr) != 1 || !f.remote_port || f.remote_port > 65535)
			usage();
		to.sin_port = htons((uint16_t)f.remote_port);
	}
	if (!print) {
		socklen_t sl = sizeof me;
		int big = 4 << 20;
		if (inet_pton(AF_INET, bind_ip, &me.sin_addr) != 1)
			usage();
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof me) ||
		    getsockname(fd, (struct sockaddr *)&me, &sl)) {
			fprintf(stderr, "sipfuzz: socket on %s: %s\n", bind_ip, strerror(errno));
			return 1;
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
		f.local_port = ntohs(me.sin_port);
	}

	struct buf m = { malloc(MSG_MAX), 0 };
	static char rx[65536];
	if (!m.p)
		return 1;
	unsigned long long sent = 0, bytes = 0, replies = 0, errors = 0;
	double t0 = now_s();
	for (unsigned long long i = 0; i < count; i++) {
		make_message(&f, seed, (size_t)i, &m);
		if (print) {
			fwrite(m.p, 1, m.len, stdout);
			printf("\n--- sipfuzz %llu %zu\n", i, m.len);
			continue;
		}
		if (sendto(fd, m.p, m.len, 0, (struct sockaddr *)&to, sizeof to) < 0) {
			/* ICMP unreachable from an earlier datagram, or a full buffer:
			 * counted; the run goes on. */
			errors++;
		} else {
			sent++;
			bytes += m.len;
		}
		while (recv(fd, rx, sizeof rx, MSG_DONTWAIT) >= 0)
			replies++;
		if (rate > 0) {
			double due = t0 + (double)(i + 1) / rate, d = due - now_s();
			if (d > 0) {
				struct timespec ts = { (time_t)d, (long)((d - (time_t)d) * 1e9) };
				nanosleep(&ts, NULL);
			}
		}
	}
	if (!print) {
		/* The last replies, for a moment. */
		double end = now_s() + 0.2;
		while (now_s() < end) {
			if (recv(fd, rx, sizeof rx, MSG_DONTWAIT) >= 0)
				replies++;
			else {
				struct timespec ts = { 0, 10 * 1000 * 1000 };
				nanosleep(&ts, NULL);
			}
		}
		printf("sent=%llu bytes=%llu replies=%llu send_errors=%llu ms=%.0f seed=%llu\n", sent, bytes,
		       replies, errors, (now_s() - t0) * 1000, seed);
		close(fd);
	}
	for (size_t i = 0; i < f.ncorpus; i++)
		free(f.corpus[i].p);
	free(m.p);
	return 0;
}
