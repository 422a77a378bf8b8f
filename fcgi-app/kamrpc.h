/* A client of Kamailio's JSON-RPC datagram socket (jsonrpcs module,
 * dgram_socket): one request, one reply, bounded in time. Used to drop a
 * phone's registration at once (ul.rm) when an agent is disabled or
 * deleted. Each call uses its own socket, autobound to an abstract
 * address (nothing to clean up), so any thread may call it. */
#ifndef WEB_KAMRPC_H
#define WEB_KAMRPC_H

#include <jansson.h>
#include <stddef.h>

/* Sends {"jsonrpc":"2.0","method":method,"params":params,"id":n} to the
 * socket at path and waits up to timeout_ms for the reply with that id
 * (others are dropped). Returns 0 with *result (the caller decrefs; may be
 * NULL), the error's code (> 0, e.g. 404 "AOR not found") with its
 * message in err, or -1 when Kamailio could not be reached (err says
 * why). params is borrowed. */
int kamrpc_call(const char *path, unsigned timeout_ms, const char *method, json_t *params,
		json_t **result, char *err, size_t errlen);

#endif
