/* Events published on the control socket (docs/control-protocol.md), and
 * the JSON shapes of agents, calls and queues that replies share. */
#ifndef B2BUA_EVENTS_H
#define B2BUA_EVENTS_H

#include <jansson.h>

#include "b2bua/acd/acd.h"

struct app;
struct call;

json_t *ev_agent_json(const struct agent *a);
json_t *ev_call_json(const struct call *call);
json_t *ev_queue_json(struct app *app, const struct queue *q);

void ev_agent_state(struct app *app, const struct agent *a, enum agent_state prev);
void ev_agent_registration(struct app *app, const struct agent *a);
void ev_call_new(struct app *app, const struct call *call);
void ev_call_queued(struct app *app, const struct call *call);
void ev_call_ringing(struct app *app, const struct call *call, const struct agent *a);
/* ts: when the agent's 200 OK arrived. */
void ev_call_answered(struct app *app, const struct call *call, const struct agent *a, long long ts);
void ev_call_offer_failed(struct app *app, const struct call *call, const struct agent *a,
			  const char *reason);
void ev_call_ended(struct app *app, const struct call *call);

#endif
