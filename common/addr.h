/* Network addresses as the config files write them: "host:port", or
 * "[v6 address]:port". */
#ifndef CC_ADDR_H
#define CC_ADDR_H

#include <stddef.h>

/* Splits addr into host (brackets removed) and port (digits only, not
 * empty). 0, or EINVAL when addr is not of that form or a part does not
 * fit its buffer. */
int addr_split(const char *addr, char *host, size_t hostlen, char *port, size_t portlen);

#endif
