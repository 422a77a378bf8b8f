/* A blocking client of the B2BUA's control socket (docs/control-protocol.md),
 * for the web app's threads and the cc-ctl tool. Not for the B2BUA's loop.
 * One struct ctlc is used by one thread at a time. A line from the server
 * may be up to 64 MB (the receive buffer grows as needed and shrinks back
 * once drained); a longer one is an error, after which the connection is
 * of no use. */
#ifndef CC_CTLC_H
#define CC_CTLC_H

#include <jansson.h>
#include <stddef.h>

struct ctlc;

/* Connects to addr ("127.0.0.1:8021", or a path for a UNIX socket) and
 * authenticates with secret. timeout_ms bounds every later wait too.
 * Returns 0, or -1 with a reason in err. */
int ctlc_connect(struct ctlc **cp, const char *addr, const char *secret, unsigned timeout_ms,
		 char *err, size_t errlen);
void ctlc_close(struct ctlc *c);

/* Sends req (an object with "cmd"; "id" is set here) and waits for its
 * reply. Events that arrive meanwhile are kept for ctlc_next_event().
 * Returns the reply (the caller owns it: json_decref) or NULL with err set.
 * A reply with "ok": false is still returned. */
json_t *ctlc_request(struct ctlc *c, json_t *req, char *err, size_t errlen);
/* Shorthand: builds {"cmd": cmd, ...} from a jansson pack format for the
 * other members ("{s:s}" style without the outer braces, or NULL). */
json_t *ctlc_call(struct ctlc *c, char *err, size_t errlen, const char *cmd, const char *fmt, ...);

/* Waits up to timeout_ms (-1: forever) for the next event. Returns it (caller
 * owns it), or NULL: on timeout err is "", otherwise err says why (closed). */
json_t *ctlc_next_event(struct ctlc *c, int timeout_ms, char *err, size_t errlen);

/* The socket, for poll() by a caller that waits on other things too. */
int ctlc_fd(const struct ctlc *c);
/* True when a received event or line is already buffered. */
int ctlc_pending(const struct ctlc *c);

#endif
