/* The B2BUA's event bus: a module publishes an event (common/event.h) once;
 * every subscriber of its class gets it at once, in the order they
 * subscribed, on the loop's thread. Subscribers are observers (the control
 * socket, the call records): they read the event and what it is about,
 * they never change a call's or an agent's state from a handler. */
#ifndef B2BUA_BUS_H
#define B2BUA_BUS_H

#include "event.h"

struct bus;

typedef void (bus_h)(const struct ev *ev, void *arg);

int bus_alloc(struct bus **bp);
void bus_free(struct bus *b);
/* classes: EV_CLASS_BIT()s. 0 or ENOMEM. */
int bus_subscribe(struct bus *b, unsigned classes, bus_h *h, void *arg);
/* Drops the subscription of h with arg. */
void bus_unsubscribe(struct bus *b, bus_h *h, void *arg);
/* Hands ev to the subscribers of its class; a ts of 0 becomes now. */
void bus_publish(struct bus *b, struct ev *ev);

#endif
