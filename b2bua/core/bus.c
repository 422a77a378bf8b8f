/* The event bus: see bus.h. A handful of subscribers, in an array. */
#include "b2bua/core/bus.h"

#include "b2bua/core/core.h"

#include <errno.h>
#include <stdlib.h>

struct sub {
	unsigned classes;
	bus_h *h;
	void *arg;
};

struct bus {
	struct sub *subs;
	size_t n;
};

int bus_alloc(struct bus **bp)
{
	struct bus *b = calloc(1, sizeof *b);
	if (!b)
		return ENOMEM;
	*bp = b;
	return 0;
}

void bus_free(struct bus *b)
{
	if (!b)
		return;
	free(b->subs);
	free(b);
}

int bus_subscribe(struct bus *b, unsigned classes, bus_h *h, void *arg)
{
	struct sub *s = realloc(b->subs, (b->n + 1) * sizeof *s);
	if (!s)
		return ENOMEM;
	b->subs = s;
	b->subs[b->n++] = (struct sub){ classes, h, arg };
	return 0;
}

void bus_unsubscribe(struct bus *b, bus_h *h, void *arg)
{
	for (size_t i = 0; b && i < b->n; i++)
		if (b->subs[i].h == h && b->subs[i].arg == arg) {
			b->subs[i] = b->subs[--b->n];
			return;
		}
}

void bus_publish(struct bus *b, struct ev *ev)
{
	const struct ev_def *d = ev_def(ev->type);
	if (!b || !d)
		return;
	if (!ev->ts)
		ev->ts = core_now_ms();
	for (size_t i = 0; i < b->n; i++)
		if (b->subs[i].classes & EV_CLASS_BIT(d->cls))
			b->subs[i].h(ev, b->subs[i].arg);
}
