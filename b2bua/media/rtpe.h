/* The rtpengines of this node (ng_address lists them): which one a new
 * call gets, which are up, and the DTMF events they report over TCP.
 *
 * A call keeps the rtpengine it got for its whole life: rtpengine knows a
 * call only where it was offered, so every ng command of the call goes
 * there. A new call gets, among the rtpengines that are up and not falling
 * behind (more than max_lagging requests sent again), the one with the
 * fewest calls; ties are broken in turn, so calls alternate.
 *
 * An rtpengine is down from the moment a request to it is given up (no
 * reply within timeout_ms x tries) until it answers anything again; each is
 * pinged every ping_ms so that one without calls is watched too. Both
 * changes are logged once. When none is up, new calls still go to them in
 * turn: such a call fails as it would with one rtpengine ("media
 * unavailable"), and an rtpengine that has just come back is used at once
 * rather than at its next ping. docs/rtpengines.md has the measurements. */
#ifndef B2BUA_RTPE_H
#define B2BUA_RTPE_H

#include <stdbool.h>
#include <stddef.h>

#include <sofia-sip/su_wait.h>

#include "dtmf.h"

#define RTPE_MAX 32

struct ng_client;
struct rtpe_set;
struct rtpe;

struct rtpe_conf {
	const char *addrs;	/* "host:port", several separated by spaces or commas */
	unsigned timeout_ms;	/* of each ng request: see ng_client_alloc() */
	unsigned tries;
	unsigned ping_ms;	/* how often each is pinged; 0: never */
	/* DTMF events from each rtpengine's TCP ng port, at the same address
	 * as its UDP one (rtpengine --listen-tcp-ng, --dtmf-log-ng-tcp); NULL:
	 * none. */
	dtmf_h *dtmf;
	void *dtmf_arg;
};

/* Opens an ng client (and a DTMF feed) per address. On a bad list writes
 * why to err and returns EINVAL; otherwise 0 or an errno value. */
int rtpe_set_alloc(struct rtpe_set **sp, su_root_t *root, const struct rtpe_conf *c, char *err,
		   size_t errlen);
/* Fails every outstanding request ("shutting down") and frees. The calls
 * must have given their rtpengines back, or be freed after without
 * touching them. */
void rtpe_set_free(struct rtpe_set *s);

/* A new call's rtpengine (see above), counted as the call's until
 * rtpe_release(). NULL when every rtpengine that is up falls behind. */
struct rtpe *rtpe_take(struct rtpe_set *s, unsigned max_lagging);
void rtpe_release(struct rtpe *r);
/* Where the call's ng commands go. */
struct ng_client *rtpe_ng(const struct rtpe *r);
/* Its address, as ng_address lists it (for logs). */
const char *rtpe_addr(const struct rtpe *r);

/* Reading them, for the control socket's ping. */
struct rtpe_view {
	const char *addr;
	bool up;
	unsigned calls;		/* calls that hold it */
	unsigned waiting;	/* ng requests waiting for a reply */
	unsigned lagging;	/* ... of those, sent more than once */
	int dtmf;		/* the DTMF feed: 1 connected, 0 not (yet), -1 none */
};
unsigned rtpe_set_count(const struct rtpe_set *s);
/* 0, or -1 when i is out of range. */
int rtpe_set_view(const struct rtpe_set *s, unsigned i, struct rtpe_view *v);
/* The requests waiting, and lagging, on all of them. */
unsigned rtpe_set_waiting(const struct rtpe_set *s);
unsigned rtpe_set_lagging(const struct rtpe_set *s);

#endif
