/* The merge of several nodes' agent events (hub.h, vergate_pass): an
 * agent's events may come from different nodes over time, each with the
 * agent's `ver`, which grows with every change of that agent whichever node
 * made it. The highest `ver` seen per agent is kept; an event below it is
 * late news from another node and is dropped. An equal one passes: it may
 * repeat the change with more fields. Pure: the caller locks. */
#include "hub.h"

#include "hash.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	char *agent;		/* NULL: free */
	long long ver;
};

struct vergate {
	struct slot *v;
	size_t cap, n;		/* cap: a power of two */
};

int vergate_alloc(struct vergate **gp)
{
	if (!gp)
		return EINVAL;
	struct vergate *g = calloc(1, sizeof *g);
	if (!g)
		return ENOMEM;
	g->cap = 64;
	g->v = calloc(g->cap, sizeof *g->v);
	if (!g->v) {
		free(g);
		return ENOMEM;
	}
	*gp = g;
	return 0;
}

void vergate_free(struct vergate *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->cap; i++)
		free(g->v[i].agent);
	free(g->v);
	free(g);
}

static struct slot *find(struct slot *v, size_t cap, const char *agent)
{
	size_t i = hash_fnv1a(agent) & (cap - 1);
	while (v[i].agent && strcmp(v[i].agent, agent))
		i = (i + 1) & (cap - 1);
	return &v[i];
}

/* Doubles the table; false when out of memory (the table stays). */
static bool grow(struct vergate *g)
{
	size_t cap = g->cap * 2;
	struct slot *v = calloc(cap, sizeof *v);
	if (!v)
		return false;
	for (size_t i = 0; i < g->cap; i++)
		if (g->v[i].agent)
			*find(v, cap, g->v[i].agent) = g->v[i];
	free(g->v);
	g->v = v;
	g->cap = cap;
	return true;
}

bool vergate_pass(struct vergate *g, json_t *ev)
{
	const char *agent = json_string_value(json_object_get(ev, "agent"));
	json_t *ver = json_object_get(ev, "ver");
	if (!g || !agent || !json_is_integer(ver))
		return true;
	long long v = (long long)json_integer_value(ver);
	struct slot *s = find(g->v, g->cap, agent);
	if (s->agent) {
		if (v < s->ver)
			return false;
		s->ver = v;
		return true;
	}
	if ((g->n + 1) * 4 > g->cap * 3) {
		if (!grow(g))
			return true;	/* unmerged rather than lost */
		s = find(g->v, g->cap, agent);
	}
	if (!(s->agent = strdup(agent)))
		return true;
	s->ver = v;
	g->n++;
	return true;
}

long long vergate_ver(struct vergate *g, const char *agent)
{
	if (!g || !agent)
		return -1;
	struct slot *s = find(g->v, g->cap, agent);
	return s->agent ? s->ver : -1;
}
