/* DTMF events from rtpengine, one per digit, on the B2BUA's loop: as JSON
 * datagrams on a UDP socket (rtpengine --dtmf-log-dest, one address for
 * all its calls: one B2BUA node), or as notifications on a TCP connection
 * to its ng port (--listen-tcp-ng with --dtmf-log-ng-tcp: every connected
 * node hears every event and keeps its own calls' digits). */
#ifndef B2BUA_DTMF_H
#define B2BUA_DTMF_H

#include <stdbool.h>

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

struct dtmf_feed;

/* Connects to rtpengine's TCP ng port addr ("host:port") and calls h for
 * each well-formed DTMF event it reports; malformed ones are logged and
 * dropped. A refused or lost connection is made again after 100 ms,
 * doubling up to 5 s; logged once when it goes and once when it is back.
 * Returns 0, or an errno value (EINVAL: a bad address). */
int dtmf_feed_alloc(struct dtmf_feed **fp, su_root_t *root, const char *addr, dtmf_h *h,
		    void *arg);
void dtmf_feed_free(struct dtmf_feed *f);
bool dtmf_feed_connected(const struct dtmf_feed *f);

/* Maps rtpengine's numeric event (0-9, 10 '*', 11 '#', 12-15 'A'-'D') to a
 * digit; 0 for anything else. */
char dtmf_digit(long event);

#endif
