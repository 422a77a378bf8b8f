/* Private to b2bua/media/: the UDP sockets of the ng client and the DTMF
 * listener. */
#ifndef B2BUA_MEDIA_UDP_H
#define B2BUA_MEDIA_UDP_H

#include <stddef.h>
#include <sys/socket.h>

enum media_udp_mode { MEDIA_UDP_CONNECT, MEDIA_UDP_BIND };

/* Resolves "host:port" ("[v6]:port" too) into *ss. 0 or an errno value. */
int media_udp_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *sslen);

/* A non-blocking UDP socket connected to, or bound to, addr, with send and
 * receive buffers of bufsize bytes (as far as the kernel allows). Writes the
 * descriptor to *fdp; 0 or an errno value. */
int media_udp_open(const char *addr, enum media_udp_mode mode, int bufsize, int *fdp);

#endif
