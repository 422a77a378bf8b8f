/* Which source addresses the B2BUA takes SIP requests from: its Kamailio
 * (conf.trusted_sources, addresses or CIDR blocks). Everything else is
 * refused before a call exists. */
#ifndef B2BUA_SIP_TRUST_H
#define B2BUA_SIP_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct sip_trust;

/* Parses list ("127.0.0.1, 10.0.0.0/24, ::1"); an empty list means
 * fallback's host ("host:port" or "host", numeric or a name resolved
 * now). 0, or EINVAL with a reason in err, or ENOMEM. */
int sip_trust_alloc(struct sip_trust **tp, const char *list, const char *fallback, char *err,
		    size_t errlen);
void sip_trust_free(struct sip_trust *t);
/* True when sa (IPv4, IPv6 or IPv4-mapped IPv6) is in one of the blocks. */
bool sip_trust_allows(const struct sip_trust *t, const struct sockaddr *sa);

#endif
