/* The B2BUA's trusted SIP sources (b2bua/sip/trust.c): addresses and CIDR
 * blocks of both families, IPv4-mapped IPv6 sources, the fallback to
 * sip_proxy's address, and lists that are refused with a reason; the SIP
 * socket's kernel filter, on real loopback sockets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "b2bua/sip/trust.h"

static bool allows(const struct sip_trust *t, const char *addr)
{
	struct sockaddr_in v4 = { .sin_family = AF_INET };
	struct sockaddr_in6 v6 = { .sin6_family = AF_INET6 };
	if (inet_pton(AF_INET, addr, &v4.sin_addr) == 1)
		return sip_trust_allows(t, (struct sockaddr *)&v4);
	assert_int_equal(inet_pton(AF_INET6, addr, &v6.sin6_addr), 1);
	return sip_trust_allows(t, (struct sockaddr *)&v6);
}

static void blocks(void **state)
{
	(void)state;
	struct sip_trust *t = NULL;
	char err[160] = "";
	assert_int_equal(sip_trust_alloc(&t, " 127.0.0.1, 10.1.2.0/23 ,fd00::/8 192.168.7.9/32",
					 "127.0.0.9:5060", err, sizeof err), 0);
	assert_true(allows(t, "127.0.0.1"));
	assert_false(allows(t, "127.0.0.5"));
	assert_false(allows(t, "127.0.0.9"));	/* the fallback is not added to a list */
	assert_true(allows(t, "10.1.2.0"));
	assert_true(allows(t, "10.1.3.255"));
	assert_false(allows(t, "10.1.4.0"));
	assert_false(allows(t, "10.1.1.255"));
	assert_true(allows(t, "192.168.7.9"));
	assert_false(allows(t, "192.168.7.8"));
	assert_true(allows(t, "fd12::1"));
	assert_false(allows(t, "fe80::1"));
	assert_true(allows(t, "::ffff:127.0.0.1"));
	assert_false(allows(t, "::ffff:127.0.0.5"));
	struct sockaddr unix_sa = { .sa_family = AF_UNIX };
	assert_false(sip_trust_allows(t, &unix_sa));
	assert_false(sip_trust_allows(t, NULL));
	sip_trust_free(t);
}

static void fallback(void **state)
{
	(void)state;
	struct sip_trust *t = NULL;
	char err[160] = "";
	assert_int_equal(sip_trust_alloc(&t, "", "127.0.0.9:5060", err, sizeof err), 0);
	assert_true(allows(t, "127.0.0.9"));
	assert_false(allows(t, "127.0.0.1"));
	sip_trust_free(t);
	assert_int_equal(sip_trust_alloc(&t, " , ", "[::1]:5060", err, sizeof err), 0);
	assert_true(allows(t, "::1"));
	assert_false(allows(t, "127.0.0.1"));
	sip_trust_free(t);
	assert_int_equal(sip_trust_alloc(&t, "0.0.0.0/0", "127.0.0.1:5060", err, sizeof err), 0);
	assert_true(allows(t, "203.0.113.7"));
	assert_false(allows(t, "::1"));
	sip_trust_free(t);
}

static void refused(void **state)
{
	(void)state;
	static const char *bad[] = { "kamailio.example", "127.0.0.1/33", "127.0.0.1/", "::1/129",
				     "10.0.0.0/-1", "10.0.0.0/8x", "1.2.3.4.5" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct sip_trust *t = NULL;
		char err[160] = "";
		assert_int_equal(sip_trust_alloc(&t, bad[i], "127.0.0.1:5060", err, sizeof err), EINVAL);
		assert_null(t);
		assert_non_null(strstr(err, "trusted_sources"));
	}
	struct sip_trust *t = NULL;
	char err[160] = "";
	assert_int_equal(sip_trust_alloc(&t, "", "no-such-host.invalid:5060", err, sizeof err), EINVAL);
	assert_null(t);
}

static int udp_on(const char *addr, struct sockaddr_in *sa)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	*sa = (struct sockaddr_in){ .sin_family = AF_INET };
	assert_int_equal(inet_pton(AF_INET, addr, &sa->sin_addr), 1);
	assert_int_equal(bind(fd, (struct sockaddr *)sa, sizeof *sa), 0);
	socklen_t len = sizeof *sa;
	assert_int_equal(getsockname(fd, (struct sockaddr *)sa, &len), 0);
	struct timeval tv = { .tv_sec = 5 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
}

static void send_to(int fd, const struct sockaddr_in *to, const char *text)
{
	assert_int_equal(sendto(fd, text, strlen(text), 0, (const struct sockaddr *)to, sizeof *to),
			 (ssize_t)strlen(text));
}

/* The next datagram the socket reads (the kernel keeps one sender's
 * datagrams in order on loopback, so one sent after a dropped one shows
 * the drop). */
static void reads(int fd, const char *want)
{
	char buf[256];
	ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
	assert_true(n >= 0);
	buf[n] = 0;
	assert_string_equal(buf, want);
}

static void kernel_filter(void **state)
{
	(void)state;
	struct sip_trust *t = NULL;
	char err[160] = "";
	assert_int_equal(sip_trust_alloc(&t, "127.0.0.1, 10.0.0.0/8, ::1", NULL, err, sizeof err), 0);
	struct sockaddr_in at, from_kam, from_stranger;
	int sip = udp_on("127.0.0.1", &at);
	assert_int_equal(sip_trust_guard(t, sip), 0);
	int kam = udp_on("127.0.0.1", &from_kam);
	int stranger = udp_on("127.0.0.5", &from_stranger);

	send_to(kam, &at, "BYE sip:a@b SIP/2.0\r\n");
	reads(sip, "BYE sip:a@b SIP/2.0\r\n");
	send_to(kam, &at, "SIP/2.0 200 OK\r\n");
	reads(sip, "SIP/2.0 200 OK\r\n");

	const char *dropped[] = { "BYE sip:a@b SIP/2.0\r\n", "CANCEL sip:a@b SIP/2.0\r\n",
				  "ACK sip:a@b SIP/2.0\r\n", "UPDATE sip:a@b SIP/2.0\r\n",
				  "NOTIFY sip:a@b SIP/2.0\r\n", "REFER sip:a@b SIP/2.0\r\n",
				  "SIP/2.0 200 OK\r\n", "INV", "" };
	const char *kept[] = { "INVITE sip:a@b SIP/2.0\r\n", "OPTIONS sip:a@b SIP/2.0\r\n",
			       "INFO sip:a@b SIP/2.0\r\n", "REGISTER sip:a@b SIP/2.0\r\n",
			       "MESSAGE sip:a@b SIP/2.0\r\n" };
	for (size_t i = 0; i < sizeof kept / sizeof *kept; i++) {
		send_to(stranger, &at, dropped[i]);
		send_to(stranger, &at, kept[i]);
		reads(sip, kept[i]);
	}
	for (size_t i = 5; i < sizeof dropped / sizeof *dropped; i++) {
		send_to(stranger, &at, dropped[i]);
		send_to(stranger, &at, kept[0]);
		reads(sip, kept[0]);
	}
	close(sip);
	close(kam);
	close(stranger);
	sip_trust_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blocks),
		cmocka_unit_test(fallback),
		cmocka_unit_test(refused),
		cmocka_unit_test(kernel_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
