/* The B2BUA's trusted SIP sources (b2bua/sip/trust.c): addresses and CIDR
 * blocks of both families, IPv4-mapped IPv6 sources, the fallback to
 * sip_proxy's address, and lists that are refused with a reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blocks),
		cmocka_unit_test(fallback),
		cmocka_unit_test(refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
