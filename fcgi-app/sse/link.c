/* The hub's subscription to one B2BUA node's events (one thread per node
 * of ctl_address): connects, asks the node its name (`ping`), subscribes to
 * the events the browsers and the pop use, and passes each event to the
 * hub, then the call events to the screen pop (pop.c). When the node goes
 * away (restart, crash) the hub records it (the streams hear `link`
 * up:false when no node is left) and the thread reconnects with a backoff
 * from 250 ms doubling to 5 s. Each change is logged once (ctl_nodes.c). */
#include "hub.h"

#include "../ctl.h"
#include "ctlc.h"
#include "log.h"
#include "../web.h"

#include <stdio.h>
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

/* The node's name from its ping, into name ("" when it gives none). */
static bool ping_name(struct ctlc *c, char *name, size_t len, char *err, size_t errlen)
{
	json_t *reply = ctlc_call(c, err, errlen, "ping", NULL);
	if (!reply)
		return false;
	snprintf(name, len, "%s", json_string_value(json_object_get(reply, "node")) ?: "");
	json_decref(reply);
	return true;
}

static void handle(struct hub *h, json_t *ev)
{
	const char *name = json_string_value(json_object_get(ev, "event"));
	if (!name)
		return;
	log_debug("B2BUA event %s", name);
	/* After the dispatch: the pop follows call.answered on the stream. */
	if (hub_dispatch(h, ev) && !strncmp(name, "call.", 5))
		pop_feed(hub_pop(h), ev);
}

void *link_main(void *arg)
{
	struct hub_link *l = arg;
	struct hub *h = l->hub;
	struct web *w = hub_web(h);
	const char *addr = ctl_nodes_addr(w->nodes, l->node);
	unsigned backoff = 250;
	while (!hub_stopping(h)) {
		char err[256] = "", name[CTL_NAME_MAX] = "";
		struct ctlc *c = NULL;
		if (ctlc_connect(&c, addr, w->ctl_secret, (unsigned)w->conf.ctl_timeout_ms, err,
				 sizeof err) ||
		    !ping_name(c, name, sizeof name, err, sizeof err) || !subscribe(c, err, sizeof err)) {
			ctlc_close(c);
			hub_set_node(h, l->node, false, NULL, err);
			if (hub_sleep(h, backoff))
				break;
			backoff = backoff * 2 > 5000 ? 5000 : backoff * 2;
			continue;
		}
		backoff = 250;
		hub_set_node(h, l->node, true, name, NULL);
		while (!hub_stopping(h)) {
			json_t *ev = ctlc_next_event(c, 250, err, sizeof err);
			if (ev) {
				handle(h, ev);
				json_decref(ev);
				continue;
			}
			if (err[0])
				break;
		}
		ctlc_close(c);
		if (!hub_stopping(h))
			hub_set_node(h, l->node, false, NULL, err[0] ? err : "closed");
	}
	return NULL;
}
