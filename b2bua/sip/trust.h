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

/* Attaches to fd, an IPv4 UDP socket, a kernel filter (classic BPF) that
 * lets through every datagram from the IPv4 blocks and, from anywhere
 * else, only those that begin with a request the SIP stack answers without
 * touching a dialog: INVITE, OPTIONS, INFO, REGISTER, SUBSCRIBE, PUBLISH,
 * MESSAGE (refused with 403 or 405 above it). A BYE, CANCEL, ACK, UPDATE,
 * PRACK, NOTIFY or REFER, a response, or anything else from elsewhere is
 * dropped before the stack sees it: answering a BYE ends its dialog
 * whatever the status, so a stranger's BYE is never read at all. 0 or an
 * errno. */
int sip_trust_guard(const struct sip_trust *t, int fd);

#endif
