/* Network addresses: see addr.h. */
#include "addr.h"

#include <errno.h>
#include <string.h>

int addr_split(const char *addr, char *host, size_t hostlen, char *port, size_t portlen)
{
	const char *h, *p;
	size_t hn;
	if (!addr)
		return EINVAL;
	if (addr[0] == '[') {
		const char *close = strchr(addr, ']');
		if (!close || close[1] != ':')
			return EINVAL;
		h = addr + 1;
		hn = (size_t)(close - h);
		p = close + 2;
	} else {
		const char *colon = strrchr(addr, ':');
		/* A bare IPv6 address has several colons: it needs brackets. */
		if (!colon || memchr(addr, ':', (size_t)(colon - addr)))
			return EINVAL;
		h = addr;
		hn = (size_t)(colon - addr);
		p = colon + 1;
	}
	size_t pn = strlen(p);
	if (!hn || hn >= hostlen || !pn || pn >= portlen || strspn(p, "0123456789") != pn)
		return EINVAL;
	memcpy(host, h, hn);
	host[hn] = '\0';
	memcpy(port, p, pn + 1);
	return 0;
}
