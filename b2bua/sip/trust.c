/* The B2BUA's list of trusted SIP sources: see trust.h. */
#include "b2bua/sip/trust.h"

#include "addr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <linux/filter.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BLOCKS 64

struct block {
	int family;		/* AF_INET or AF_INET6 */
	unsigned char addr[16];	/* network order, host bits cleared */
	unsigned bits;
};

struct sip_trust {
	size_t n;
	struct block b[MAX_BLOCKS];
};

static void clear_host_bits(struct block *b)
{
	size_t len = b->family == AF_INET ? 4 : 16;
	for (size_t i = 0; i < len; i++) {
		unsigned keep = b->bits > i * 8 ? b->bits - (unsigned)i * 8 : 0;
		if (keep < 8)
			b->addr[i] &= (unsigned char)(0xff00u >> keep);
	}
}

/* One "addr" or "addr/bits"; NULL or what is wrong with it. */
static const char *parse_block(const char *s, struct block *b)
{
	char host[64];
	const char *slash = strchr(s, '/');
	size_t hl = slash ? (size_t)(slash - s) : strlen(s);
	if (!hl || hl >= sizeof host)
		return "not an address";
	memcpy(host, s, hl);
	host[hl] = 0;
	if (inet_pton(AF_INET, host, b->addr) == 1)
		b->family = AF_INET;
	else if (inet_pton(AF_INET6, host, b->addr) == 1)
		b->family = AF_INET6;
	else
		return "not a numeric IPv4 or IPv6 address";
	unsigned max = b->family == AF_INET ? 32 : 128;
	b->bits = max;
	if (slash) {
		char *end;
		errno = 0;
		if (!isdigit((unsigned char)slash[1]))
			return "bad prefix length";
		unsigned long v = strtoul(slash + 1, &end, 10);
		if (errno || *end || v > max)
			return "bad prefix length";
		b->bits = (unsigned)v;
	}
	clear_host_bits(b);
	return NULL;
}

/* The fallback: sip_proxy's host, resolved once at start. */
static const char *resolve_fallback(const char *hostport, struct sip_trust *t)
{
	char host[128], port[8];
	if (addr_split(hostport, host, sizeof host, port, sizeof port)) {
		if (strlen(hostport) >= sizeof host)
			return "sip_proxy is too long";
		strcpy(host, hostport);
	}
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai, *p;
	if (getaddrinfo(host, NULL, &hints, &ai))
		return "sip_proxy's host does not resolve";
	for (p = ai; p && t->n < MAX_BLOCKS; p = p->ai_next) {
		struct block *b = &t->b[t->n];
		if (p->ai_family == AF_INET) {
			memcpy(b->addr, &((struct sockaddr_in *)p->ai_addr)->sin_addr, 4);
			b->bits = 32;
		} else if (p->ai_family == AF_INET6) {
			memcpy(b->addr, &((struct sockaddr_in6 *)p->ai_addr)->sin6_addr, 16);
			b->bits = 128;
		} else {
			continue;
		}
		b->family = p->ai_family;
		t->n++;
	}
	freeaddrinfo(ai);
	return t->n ? NULL : "sip_proxy's host has no address";
}

int sip_trust_alloc(struct sip_trust **tp, const char *list, const char *fallback, char *err,
		    size_t errlen)
{
	struct sip_trust *t = calloc(1, sizeof *t);
	if (!t)
		return ENOMEM;
	const char *why = NULL;
	char item[80];
	for (const char *p = list ? list : ""; *p && !why;) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		size_t n = strcspn(p, ", \t");
		if (!n)
			break;
		if (n >= sizeof item) {
			snprintf(err, errlen, "trusted_sources: '%.*s...' is too long", 20, p);
			free(t);
			return EINVAL;
		}
		memcpy(item, p, n);
		item[n] = 0;
		p += n;
		if (t->n == MAX_BLOCKS)
			why = "more than 64 entries";
		else
			why = parse_block(item, &t->b[t->n++]);
	}
	if (why) {
		snprintf(err, errlen, "trusted_sources: '%s': %s", item, why);
		free(t);
		return EINVAL;
	}
	if (!t->n && (why = resolve_fallback(fallback ? fallback : "", t))) {
		snprintf(err, errlen, "trusted_sources is empty and %s", why);
		free(t);
		return EINVAL;
	}
	*tp = t;
	return 0;
}

void sip_trust_free(struct sip_trust *t)
{
	free(t);
}

static bool in_block(const struct block *b, const unsigned char *a)
{
	unsigned full = b->bits / 8, rest = b->bits % 8;
	if (memcmp(b->addr, a, full))
		return false;
	return !rest || ((a[full] ^ b->addr[full]) & (0xff00u >> rest)) == 0;
}

bool sip_trust_allows(const struct sip_trust *t, const struct sockaddr *sa)
{
	if (!t || !sa)
		return false;
	int family = sa->sa_family;
	const unsigned char *a;
	if (family == AF_INET) {
		a = (const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr;
	} else if (family == AF_INET6) {
		a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
		static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
		if (!memcmp(a, mapped, sizeof mapped)) {
			family = AF_INET;
			a += 12;
		}
	} else {
		return false;
	}
	for (size_t i = 0; i < t->n; i++)
		if (t->b[i].family == family && in_block(&t->b[i], a))
			return true;
	return false;
}

/* The first four bytes of the requests a stranger may still send (see
 * trust.h), as the filter loads them: big-endian words. */
static const char *const open_methods[] = { "INVI", "OPTI", "INFO", "REGI", "SUBS", "PUBL", "MESS" };
#define N_OPEN (sizeof open_methods / sizeof *open_methods)
#define WORD(s) ((uint32_t)(unsigned char)(s)[0] << 24 | (uint32_t)(unsigned char)(s)[1] << 16 | \
		 (uint32_t)(unsigned char)(s)[2] << 8 | (uint32_t)(unsigned char)(s)[3])

int sip_trust_guard(const struct sip_trust *t, int fd)
{
	/* Three instructions a block, two for the payload's word, one a
	 * method, two returns. */
	struct sock_filter prog[MAX_BLOCKS * 3 + 2 + N_OPEN + 2];
	size_t n = 0, v4 = 0;
	for (size_t i = 0; i < t->n; i++)
		v4 += t->b[i].family == AF_INET;
	/* Jumps are counted from the next instruction; accept is the last. */
	size_t total = v4 * 3 + 1 + N_OPEN + 2;
	for (size_t i = 0; i < t->n; i++) {
		const struct block *b = &t->b[i];
		if (b->family != AF_INET)
			continue;
		uint32_t net = (uint32_t)b->addr[0] << 24 | (uint32_t)b->addr[1] << 16 |
			       (uint32_t)b->addr[2] << 8 | b->addr[3];
		uint32_t mask = b->bits ? 0xffffffffu << (32 - b->bits) : 0;
		/* the source address (the IPv4 header's bytes 12-15) */
		prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_NET_OFF + 12);
		prog[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, mask);
		size_t to_accept = total - 1 - (n + 1);
		prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, net,
							 (unsigned char)to_accept, 0);
	}
	/* From elsewhere: the payload's first word (the UDP header is 8 bytes;
	 * a datagram too short to hold it ends the filter: dropped). */
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 8);
	for (size_t i = 0; i < N_OPEN; i++) {
		size_t to_accept = total - 1 - (n + 1);
		prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
							 WORD(open_methods[i]),
							 (unsigned char)to_accept, 0);
	}
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffffffffu);
	struct sock_fprog fp = { .len = (unsigned short)n, .filter = prog };
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof fp))
		return errno;
	return 0;
}
