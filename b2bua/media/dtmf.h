/* DTMF events from rtpengine (--dtmf-log-dest): one JSON datagram per digit,
 * received on a UDP socket on the B2BUA's loop. */
#ifndef B2BUA_DTMF_H
#define B2BUA_DTMF_H

#include <sofia-sip/su_wait.h>

struct dtmf_event {
	const char *call_id;	/* rtpengine's call-id */
	const char *source_tag;	/* the tag of the party who pressed */
	char digit;		/* '0'..'9', '*', '#', 'A'..'D' */
	unsigned duration_ms;
	long long timestamp;	/* unix seconds, as rtpengine sent it */
};

typedef void (dtmf_h)(const struct dtmf_event *ev, void *arg);

struct dtmf_listener;

/* Binds addr ("127.0.0.1:2224") and calls h for each well-formed datagram;
 * malformed ones are logged and dropped. Returns 0 or an errno value. */
int dtmf_listener_alloc(struct dtmf_listener **lp, su_root_t *root, const char *addr,
			dtmf_h *h, void *arg);
void dtmf_listener_free(struct dtmf_listener *l);
/* The port the listener is bound to (the one the kernel chose when addr
 * said port 0, as tests do). */
unsigned dtmf_listener_port(const struct dtmf_listener *l);

/* Maps rtpengine's numeric event (0-9, 10 '*', 11 '#', 12-15 'A'-'D') to a
 * digit; 0 for anything else. */
char dtmf_digit(long event);

#endif
