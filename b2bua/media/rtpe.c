/* The rtpengines of this node: see rtpe.h. */
#include "rtpe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "ng.h"

struct rtpe {
	struct rtpe_set *set;
	char addr[128];
	struct ng_client *ng;
	struct dtmf_feed *feed;
	unsigned calls;
	bool up;
	bool pinging;		/* a ping waits for its reply */
};

struct rtpe_set {
	su_root_t *root;
	su_timer_t *t_ping;
	unsigned n;
	unsigned next;		/* where the next search for a new call's one starts */
	struct rtpe e[RTPE_MAX];
};

/* The ng client's watcher: what every reply, and every request given up,
 * says about the rtpengine. */
static void watched(void *arg, bool answered)
{
	struct rtpe *r = arg;
	if (answered && !r->up) {
		r->up = true;
		log_info("rtpengine %s answers again: it takes new calls", r->addr);
	} else if (!answered && r->up) {
		r->up = false;
		log_warn("rtpengine %s does not answer: down, no new calls go to it "
			 "(the %u calls on it have lost their media)",
			 r->addr, r->calls);
	}
}

static void pinged(const struct benc *reply, const char *err, void *arg)
{
	(void)reply;
	(void)err;
	struct rtpe *r = arg;
	r->pinging = false;
}

static void ping_all(struct rtpe_set *s)
{
	for (unsigned i = 0; i < s->n; i++) {
		struct rtpe *r = &s->e[i];
		if (!r->pinging && !ng_request(r->ng, NG_PING, NULL, pinged, r, NULL))
			r->pinging = true;
	}
}

static void on_ping_timer(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)magic;
	(void)t;
	ping_all(arg);
}

/* Splits the list into s->e[].addr. 0, or -1 with err written. */
static int parse_addrs(struct rtpe_set *s, const char *list, char *err, size_t errlen)
{
	const char *p = list;
	while (*p) {
		size_t skip = strspn(p, " \t,");
		p += skip;
		size_t len = strcspn(p, " \t,");
		if (!len)
			break;
		if (s->n == RTPE_MAX) {
			snprintf(err, errlen, "ng_address: more than %d rtpengines", RTPE_MAX);
			return -1;
		}
		if (len >= sizeof s->e[0].addr) {
			snprintf(err, errlen, "ng_address: '%.*s...' is too long", 40, p);
			return -1;
		}
		struct rtpe *r = &s->e[s->n];
		memcpy(r->addr, p, len);
		r->addr[len] = '\0';
		for (unsigned i = 0; i < s->n; i++)
			if (!strcmp(s->e[i].addr, r->addr)) {
				snprintf(err, errlen, "ng_address: %s is listed twice", r->addr);
				return -1;
			}
		s->n++;
		p += len;
	}
	if (!s->n) {
		snprintf(err, errlen, "ng_address: no rtpengine address (host:port)");
		return -1;
	}
	return 0;
}

int rtpe_set_alloc(struct rtpe_set **sp, su_root_t *root, const struct rtpe_conf *c, char *err,
		   size_t errlen)
{
	if (!sp || !root || !c || !c->addrs || !err || !errlen)
		return EINVAL;
	struct rtpe_set *s = calloc(1, sizeof *s);
	if (!s)
		return ENOMEM;
	s->root = root;
	int rc = EINVAL;
	if (parse_addrs(s, c->addrs, err, errlen))
		goto out;
	for (unsigned i = 0; i < s->n; i++) {
		struct rtpe *r = &s->e[i];
		r->set = s;
		r->up = true;	/* until a request to it is given up */
		if ((rc = ng_client_alloc(&r->ng, root, r->addr, c->timeout_ms, c->tries))) {
			snprintf(err, errlen, "ng_address: cannot open an ng socket for %s: %s", r->addr,
				 rc == EINVAL ? "not host:port" : strerror(rc));
			goto out;
		}
		ng_client_watch(r->ng, watched, r);
		if (c->dtmf && (rc = dtmf_feed_alloc(&r->feed, root, r->addr, c->dtmf, c->dtmf_arg))) {
			snprintf(err, errlen, "ng_address: cannot receive DTMF events from %s: %s",
				 r->addr, strerror(rc));
			goto out;
		}
	}
	if (c->ping_ms) {
		rc = ENOMEM;
		if (!(s->t_ping = su_timer_create(su_root_task(root), c->ping_ms)) ||
		    su_timer_set_for_ever(s->t_ping, on_ping_timer, s) < 0) {
			snprintf(err, errlen, "cannot arm the rtpengine ping timer");
			goto out;
		}
		ping_all(s);
	}
	*sp = s;
	return 0;
out:
	rtpe_set_free(s);
	return rc;
}

void rtpe_set_free(struct rtpe_set *s)
{
	if (!s)
		return;
	if (s->t_ping)
		su_timer_destroy(s->t_ping);
	for (unsigned i = 0; i < s->n; i++) {
		/* The pings still out are failed here, while r is alive. */
		ng_client_free(s->e[i].ng);
		dtmf_feed_free(s->e[i].feed);
	}
	free(s);
}

struct rtpe *rtpe_take(struct rtpe_set *s, unsigned max_lagging)
{
	if (!s || !s->n)
		return NULL;
	struct rtpe *best = NULL;
	unsigned at = 0, up = 0;
	for (unsigned k = 0; k < s->n; k++) {
		unsigned i = (s->next + k) % s->n;
		struct rtpe *r = &s->e[i];
		if (!r->up)
			continue;
		up++;
		if (ng_lagging(r->ng) > max_lagging)
			continue;
		if (!best || r->calls < best->calls) {
			best = r;
			at = i;
		}
	}
	if (!best && !up) {
		/* None is up: in turn, whatever they owe. */
		at = s->next % s->n;
		best = &s->e[at];
	}
	if (!best)
		return NULL;
	s->next = (at + 1) % s->n;
	best->calls++;
	return best;
}

void rtpe_release(struct rtpe *r)
{
	if (r && r->calls)
		r->calls--;
}

struct ng_client *rtpe_ng(const struct rtpe *r)
{
	return r ? r->ng : NULL;
}

const char *rtpe_addr(const struct rtpe *r)
{
	return r ? r->addr : "none";
}

unsigned rtpe_set_count(const struct rtpe_set *s)
{
	return s ? s->n : 0;
}

int rtpe_set_view(const struct rtpe_set *s, unsigned i, struct rtpe_view *v)
{
	if (!s || i >= s->n || !v)
		return -1;
	const struct rtpe *r = &s->e[i];
	*v = (struct rtpe_view){
		.addr = r->addr, .up = r->up, .calls = r->calls,
		.waiting = ng_outstanding(r->ng), .lagging = ng_lagging(r->ng),
		.dtmf = r->feed ? dtmf_feed_connected(r->feed) : -1,
	};
	return 0;
}

unsigned rtpe_set_waiting(const struct rtpe_set *s)
{
	unsigned n = 0;
	for (unsigned i = 0; s && i < s->n; i++)
		n += ng_outstanding(s->e[i].ng);
	return n;
}

unsigned rtpe_set_lagging(const struct rtpe_set *s)
{
	unsigned n = 0;
	for (unsigned i = 0; s && i < s->n; i++)
		n += ng_lagging(s->e[i].ng);
	return n;
}
