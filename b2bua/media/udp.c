/* UDP sockets for the media layer: see udp.h. */
#include "udp.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "log.h"

int media_udp_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *sslen)
{
	char host[256], port[8];
	if (addr_split(addr, host, sizeof host, port, sizeof port))
		return EINVAL;
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM, .ai_flags = AI_NUMERICSERV }, *ai;
	if (getaddrinfo(host, port, &hints, &ai))
		return EINVAL;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*sslen = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

int media_udp_open(const char *addr, enum media_udp_mode mode, int bufsize, int *fdp)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	int err = media_udp_addr(addr, &ss, &sslen);
	if (err)
		return err;
	int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	/* Bursts of hundreds of requests (and their replies) must not be dropped
	 * by a default-sized buffer; the kernel caps this at rmem_max/wmem_max. */
	if (bufsize > 0) {
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsize, sizeof bufsize);
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bufsize, sizeof bufsize);
		int got = 0;
		socklen_t len = sizeof got;
		/* Linux reports twice what it grants; less means rmem_max capped it. */
		if (!getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len) && got < bufsize)
			log_warn("%s: UDP receive buffer is %d bytes, not the %d asked for "
				 "(raise net.core.rmem_max)",
				 addr, got / 2, bufsize);
	}
	int r = mode == MEDIA_UDP_BIND ? bind(fd, (struct sockaddr *)&ss, sslen)
				       : connect(fd, (struct sockaddr *)&ss, sslen);
	if (r) {
		err = errno;
		close(fd);
		return err;
	}
	*fdp = fd;
	return 0;
}
