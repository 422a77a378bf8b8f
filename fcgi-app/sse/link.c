/* The hub's one subscription to the B2BUA's events: connects, subscribes to
 * the events the browsers and the pop use, and passes each event to the hub, then
 * the call events to the screen pop (pop.c). When the B2BUA goes away
 * (restart, crash) it tells the streams (`link` up:false) and reconnects
 * with a backoff from 250 ms doubling to 5 s. */
#include "hub.h"

#include "ctlc.h"
#include "log.h"
#include "../web.h"

#include <string.h>

static bool subscribe(struct ctlc *c, char *err, size_t errlen)
{
	/* The events browsers and the pop use, not whole classes: a call's
	 * prompts, keys and lookups are none of theirs. */
	json_t *reply = ctlc_call(c, err, errlen, "subscribe",
				  "s:[s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s]", "events", "agent.state",
				  "agent.registration", "call.queued", "call.ringing", "call.answered",
				  "call.offer_failed", "call.ended", "call.hold", "call.resume",
				  "call.mute", "call.unmute", "call.transfer", "call.recording",
				  "call.monitor", "call.monitor_answered", "call.monitor_ended",
				  "call.consult", "call.consult_answered", "call.consult_ended",
				  "task.state", "task.call");
	bool ok = reply && json_is_true(json_object_get(reply, "ok"));
	if (reply && !ok)
		snprintf(err, errlen, "subscribe refused: %s",
			 json_string_value(json_object_get(reply, "error")) ?: "?");
	json_decref(reply);
	return ok;
}

static void handle(struct hub *h, json_t *ev)
{
	const char *name = json_string_value(json_object_get(ev, "event"));
	if (!name)
		return;
	log_debug("B2BUA event %s", name);
	hub_dispatch(h, ev);
	/* After the dispatch: the pop follows call.answered on the stream. */
	if (!strncmp(name, "call.", 5))
		pop_feed(hub_pop(h), ev);
}

void *link_main(void *arg)
{
	struct hub *h = arg;
	struct web *w = hub_web(h);
	unsigned backoff = 250;
	bool said_down = false;
	while (!hub_stopping(h)) {
		char err[256] = "";
		struct ctlc *c = NULL;
		if (ctlc_connect(&c, w->conf.ctl_address, w->ctl_secret,
				 (unsigned)w->conf.ctl_timeout_ms, err, sizeof err) ||
		    !subscribe(c, err, sizeof err)) {
			ctlc_close(c);
			if (!said_down)
				log_warn("B2BUA events unavailable: %s; retrying", err);
			said_down = true;
			hub_set_link(h, false);
			if (hub_sleep(h, backoff))
				break;
			backoff = backoff * 2 > 5000 ? 5000 : backoff * 2;
			continue;
		}
		log_info("subscribed to the B2BUA's events at %s", w->conf.ctl_address);
		said_down = false;
		backoff = 250;
		hub_set_link(h, true);
		while (!hub_stopping(h)) {
			json_t *ev = ctlc_next_event(c, 250, err, sizeof err);
			if (ev) {
				handle(h, ev);
				json_decref(ev);
				continue;
			}
			if (err[0]) {
				log_warn("B2BUA event link lost: %s", err);
				break;
			}
		}
		ctlc_close(c);
		hub_set_link(h, false);
	}
	return NULL;
}
