/* The built-in flow of a number, from its settings in the directory: the
 * number's welcome prompt, its skill group's queue (with the group's music,
 * ring time, maximum wait and wrap-up), the group's closing prompt when no
 * agent took the call, then hang up. And the router that gives a new call
 * its number's flow. */
#include "b2bua/flow/flow.h"

#include "b2bua/dir/dir.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>

struct flow_router {
	const struct dir *dir;
};

int flow_router_alloc(struct flow_router **rp)
{
	struct flow_router *r = calloc(1, sizeof *r);
	if (!r)
		return ENOMEM;
	*rp = r;
	return 0;
}

void flow_router_free(struct flow_router *r)
{
	free(r);
}

void flow_router_set_dir(struct flow_router *r, const struct dir *dir)
{
	r->dir = dir;
}

/* The path of an audio file, copied into the call (the snapshot may go
 * before the call does). */
static const char *audio(struct call *call, const struct dir *dir, unsigned id)
{
	const struct dir_audio *a = dir_audio(dir, id);
	return a ? call_strdup(call, a->path) : NULL;
}

enum { N_WELCOME, N_QUEUE, N_CLOSING, N_HANGUP, N_COUNT };

static const struct flow *builtin(struct call *call, const struct dir *dir,
				  const struct dir_number *num)
{
	struct flow *f = call_mem(call, sizeof *f);
	struct flow_node *n = call_mem(call, N_COUNT * sizeof *n);
	if (!f || !n)
		return NULL;
	const struct dir_group *g = dir_group(dir, num->group);
	n[N_WELCOME] = (struct flow_node){ .type = FN_PLAY, .name = "welcome",
					   .file = audio(call, dir, num->welcome_audio),
					   .next = N_QUEUE };
	n[N_QUEUE] = (struct flow_node){ .type = FN_QUEUE, .name = "queue", .next = N_CLOSING };
	n[N_CLOSING] = (struct flow_node){ .type = FN_PLAY, .name = "closing", .next = N_HANGUP };
	n[N_HANGUP] = (struct flow_node){ .type = FN_HANGUP, .name = "hangup",
					  .result = RESULT_NO_AGENT, .cause = "no agent",
					  .next = FLOW_END };
	if (g) {
		n[N_QUEUE].queue = (struct call_queue){
			.group = g->id, .max_wait_s = g->max_wait_s,
			.ring_timeout_s = g->ring_timeout_s, .wrapup_s = g->wrapup_s,
			.moh_file = audio(call, dir, g->moh_audio),
		};
		n[N_CLOSING].file = audio(call, dir, g->noagent_audio);
	}
	f->name = "builtin";
	f->nodes = n;
	f->n = N_COUNT;
	return f;
}

const char *flow_route(void *router, struct call *call, const char *callee)
{
	struct flow_router *r = router;
	const struct dir_number *num = dir_number(r->dir, callee);
	if (!num)
		return "no such number";
	const struct dir_group *g = dir_group(r->dir, num->group);
	call_set_number(call, num->id, g ? g->id : 0);
	const struct flow *f = builtin(call, r->dir, num);
	if (!f || flow_run(call, f))
		return "out of memory";
	return NULL;
}
