/* cc-sipping: is a SIP server answering? Sends one OPTIONS over UDP and waits
 * for its final response.
 *
 *   cc-sipping [-t MS] [-s FROM_ADDR] HOST[:PORT]
 *
 *   -t MS         give up after MS milliseconds (default 1000)
 *   -s FROM_ADDR  send from this local address, "IP" or "IP:PORT"
 *                 (IPv6 as "[IP]:PORT"); default: any address, any port
 *   HOST[:PORT]   the server; PORT defaults to 5060, IPv6 as "[IP]:PORT"
 *
 * Exits 0 when a final 2xx response arrives in time, 1 on any other final
 * response, on no response, or when the host refuses (ICMP port unreachable),
 * 2 on usage errors. The request is retransmitted like RFC 3261's timer E
 * (500 ms, doubling up to 4 s) until the time is up. Nothing is printed on
 * success; a failure says why on stderr. scripts/stack.sh uses it as
 * Kamailio's readiness check, monitoring can use it as a health probe. */
#include "rnd.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#define T1_MS 500
#define T2_MS 4000

static void usage(void)
{
	fprintf(stderr, "usage: cc-sipping [-t MS] [-s FROM_ADDR] HOST[:PORT]\n");
	exit(2);
}

/* Splits "host", "host:port", "[v6]" or "[v6]:port" into host and port; the
 * port stays def_port when absent. Returns 0, or -1 when malformed. */
static int split_hostport(const char *s, char *host, size_t hostlen, char *port, size_t portlen,
			  const char *def_port)
{
	const char *h = s, *p = NULL;
	size_t hl;
	if (*s == '[') {
		const char *close = strchr(s, ']');
		if (!close)
			return -1;
		h = s + 1;
		hl = (size_t)(close - h);
		if (close[1] == ':')
			p = close + 2;
		else if (close[1] != '\0')
			return -1;
	} else {
		const char *colon = strchr(s, ':');
		if (colon && strchr(colon + 1, ':'))
			return -1; /* a bare IPv6 address needs brackets */
		hl = colon ? (size_t)(colon - s) : strlen(s);
		if (colon)
			p = colon + 1;
	}
	if (hl == 0 || hl >= hostlen)
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (!p)
		p = def_port;
	if (*p == '\0' || strlen(p) >= portlen || strspn(p, "0123456789") != strlen(p))
		return -1;
	snprintf(port, portlen, "%s", p);
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Writes "ip" or "[ip]" (IPv6) and the port of sa into host/port. */
static void format_addr(const struct sockaddr_storage *sa, char *host, size_t hostlen,
			unsigned *port)
{
	char ip[INET6_ADDRSTRLEN] = "0.0.0.0";
	if (sa->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof ip);
		snprintf(host, hostlen, "[%s]", ip);
		*port = ntohs(s6->sin6_port);
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof ip);
		snprintf(host, hostlen, "%s", ip);
		*port = ntohs(s4->sin_port);
	}
}

/* Finds header `name` (or its compact form, when given) in the message
 * head and copies its trimmed value into out. Returns 0 or -1 if absent. */
static int header_value(const char *msg, const char *name, const char *compact, char *out,
			size_t outlen)
{
	const char *line = strstr(msg, "\r\n");
	while (line && line[2] != '\r' && line[2] != '\0') {
		line += 2;
		const char *colon = strchr(line, ':');
		const char *eol = strstr(line, "\r\n");
		if (!eol)
			eol = line + strlen(line);
		if (colon && colon < eol) {
			size_t nl = (size_t)(colon - line);
			while (nl > 0 && (line[nl - 1] == ' ' || line[nl - 1] == '\t'))
				nl--;
			if ((nl == strlen(name) && !strncasecmp(line, name, nl)) ||
			    (compact && nl == strlen(compact) && !strncasecmp(line, compact, nl))) {
				const char *v = colon + 1;
				while (v < eol && (*v == ' ' || *v == '\t'))
					v++;
				size_t vl = (size_t)(eol - v);
				while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
					vl--;
				if (vl >= outlen)
					vl = outlen - 1;
				memcpy(out, v, vl);
				out[vl] = '\0';
				return 0;
			}
		}
		line = *eol ? eol : NULL;
	}
	return -1;
}

int main(int argc, char **argv)
{
	long timeout_ms = 1000;
	const char *from = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "t:s:h")) != -1) {
		switch (opt) {
		case 't': {
			char *end;
			timeout_ms = strtol(optarg, &end, 10);
			if (*end || timeout_ms <= 0 || timeout_ms > 3600000)
				usage();
			break;
		}
		case 's': from = optarg; break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();
	const char *target = argv[optind];

	char host[256], port[8];
	if (split_hostport(target, host, sizeof host, port, sizeof port, "5060")) {
		fprintf(stderr, "cc-sipping: bad address '%s' (want HOST[:PORT])\n", target);
		return 2;
	}
	struct addrinfo hints = {.ai_socktype = SOCK_DGRAM, .ai_protocol = IPPROTO_UDP};
	struct addrinfo *dst = NULL;
	int gai = getaddrinfo(host, port, &hints, &dst);
	if (gai) {
		fprintf(stderr, "cc-sipping: %s: %s\n", target, gai_strerror(gai));
		return 1;
	}
	int fd = socket(dst->ai_family, SOCK_DGRAM, IPPROTO_UDP);
	if (fd < 0) {
		fprintf(stderr, "cc-sipping: socket: %s\n", strerror(errno));
		freeaddrinfo(dst);
		return 1;
	}
	if (from) {
		char fhost[256], fport[8];
		struct addrinfo fh = {.ai_family = dst->ai_family, .ai_socktype = SOCK_DGRAM,
				      .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV};
		struct addrinfo *src = NULL;
		if (split_hostport(from, fhost, sizeof fhost, fport, sizeof fport, "0") ||
		    getaddrinfo(fhost, fport, &fh, &src)) {
			fprintf(stderr, "cc-sipping: bad source address '%s'\n", from);
			freeaddrinfo(dst);
			close(fd);
			return 2;
		}
		int rc = bind(fd, src->ai_addr, src->ai_addrlen);
		freeaddrinfo(src);
		if (rc) {
			fprintf(stderr, "cc-sipping: bind %s: %s\n", from, strerror(errno));
			freeaddrinfo(dst);
			close(fd);
			return 1;
		}
	}
	/* A connected socket takes replies from the target only, and reports an
	 * ICMP port unreachable as ECONNREFUSED: a server that is not up yet
	 * fails at once instead of at the timeout. */
	if (connect(fd, dst->ai_addr, dst->ai_addrlen)) {
		fprintf(stderr, "cc-sipping: connect %s: %s\n", target, strerror(errno));
		freeaddrinfo(dst);
		close(fd);
		return 1;
	}
	/* The R-URI names the address actually asked, not the host name: a
	 * server answers OPTIONS to itself, and a name may not be one of its
	 * domains. */
	char rhost[INET6_ADDRSTRLEN + 2];
	unsigned rport;
	struct sockaddr_storage remote;
	memcpy(&remote, dst->ai_addr, dst->ai_addrlen);
	format_addr(&remote, rhost, sizeof rhost, &rport);
	freeaddrinfo(dst);

	struct sockaddr_storage local;
	socklen_t ll = sizeof local;
	char lhost[INET6_ADDRSTRLEN + 2];
	unsigned lport;
	getsockname(fd, (struct sockaddr *)&local, &ll);
	format_addr(&local, lhost, sizeof lhost, &lport);

	char branch[21], tag[17], callid[33];
	if (rnd_hex(branch, 10) || rnd_hex(tag, 8) || rnd_hex(callid, 16)) {
		fprintf(stderr, "cc-sipping: no randomness\n");
		close(fd);
		return 1;
	}
	char req[1500];
	int reqlen = snprintf(req, sizeof req,
			      "OPTIONS sip:%s:%u SIP/2.0\r\n"
			      "Via: SIP/2.0/UDP %s:%u;branch=z9hG4bK%s;rport\r\n"
			      "Max-Forwards: 70\r\n"
			      "From: <sip:cc-sipping@%s>;tag=%s\r\n"
			      "To: <sip:%s:%u>\r\n"
			      "Call-ID: %s@%s\r\n"
			      "CSeq: 1 OPTIONS\r\n"
			      "Contact: <sip:cc-sipping@%s:%u>\r\n"
			      "Accept: application/sdp\r\n"
			      "User-Agent: cc-sipping\r\n"
			      "Content-Length: 0\r\n\r\n",
			      rhost, rport, lhost, lport, branch, lhost, tag, rhost, rport, callid,
			      lhost, lhost, lport);
	if (reqlen < 0 || (size_t)reqlen >= sizeof req) {
		fprintf(stderr, "cc-sipping: address too long\n");
		close(fd);
		return 2;
	}
	char want_callid[sizeof callid + sizeof lhost];
	snprintf(want_callid, sizeof want_callid, "%s@%s", callid, lhost);

	long start = now_ms(), deadline = start + timeout_ms;
	long next_send = start, interval = T1_MS;
	int provisional = 0;
	for (;;) {
		long now = now_ms();
		if (now >= deadline)
			break;
		if (now >= next_send) {
			if (send(fd, req, (size_t)reqlen, 0) < 0 && errno != ECONNREFUSED) {
				fprintf(stderr, "cc-sipping: send to %s: %s\n", target, strerror(errno));
				close(fd);
				return 1;
			}
			/* After a provisional response only the server retransmits
			 * (RFC 3261 17.1.2.2); keep waiting without resending. */
			next_send = provisional ? deadline : now + interval;
			if (interval < T2_MS)
				interval *= 2;
			if (interval > T2_MS)
				interval = T2_MS;
		}
		long wait = (next_send < deadline ? next_send : deadline) - now;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int n = poll(&pfd, 1, (int)(wait > 0 ? wait : 0));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "cc-sipping: poll: %s\n", strerror(errno));
			break;
		}
		if (n == 0)
			continue;
		char buf[65536];
		ssize_t got = recv(fd, buf, sizeof buf - 1, 0);
		if (got < 0) {
			if (errno == ECONNREFUSED) {
				fprintf(stderr, "cc-sipping: %s refused (nothing listens there)\n",
					target);
				close(fd);
				return 1;
			}
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fprintf(stderr, "cc-sipping: recv: %s\n", strerror(errno));
			break;
		}
		buf[got] = '\0';
		/* A body may hold NULs; headers end at the first blank line. */
		char *body = strstr(buf, "\r\n\r\n");
		if (body)
			body[2] = '\0';
		int code = 0;
		char reason[128] = "";
		if (sscanf(buf, "SIP/2.0 %3d %127[^\r\n]", &code, reason) < 1 || code < 100 ||
		    code > 699)
			continue; /* not a response: ignore */
		char cid[256], cseq[64];
		if (header_value(buf, "Call-ID", "i", cid, sizeof cid) || strcmp(cid, want_callid))
			continue; /* a stray response for someone else */
		if (header_value(buf, "CSeq", NULL, cseq, sizeof cseq) || !strstr(cseq, "OPTIONS"))
			continue;
		if (code < 200) {
			provisional = 1;
			next_send = deadline;
			continue;
		}
		close(fd);
		if (code < 300)
			return 0;
		fprintf(stderr, "cc-sipping: %s answered %d %s\n", target, code, reason);
		return 1;
	}
	close(fd);
	fprintf(stderr, "cc-sipping: no final response from %s within %ld ms\n", target,
		timeout_ms);
	return 1;
}
