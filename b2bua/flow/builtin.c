/* The built-in flow of a number, from its settings in the directory: the
 * number's welcome prompt, then its skill group's queue (with the group's
 * music, ring time, maximum wait and wrap-up). When the queue gives up (at
 * the maximum wait, or at once when nobody of the group is signed in and
 * the group says not to wait), the group's action follows: its closing
 * prompt and hang up, or the overflow group's queue, which may overflow in
 * turn (a group is never queued in twice; at most FLOW_MAX_GROUPS). And the
 * router that gives a new call its number's flow. */
#include "b2bua/flow/flow.h"

#include "b2bua/dir/dir.h"
#include "arena.h"
#include "log.h"
#include "phone.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Queues one call may pass through (its number's group and overflows). */
#define FLOW_MAX_GROUPS 4
/* Nodes: welcome, then per group queue + closing prompts + hang up. */
#define FLOW_MAX_NODES (1 + FLOW_MAX_GROUPS * 4)

/* The flows of one directory snapshot: every number's built-in flow, made
 * once when the snapshot comes (not per call), in one arena. Calls hold a
 * reference for as long as they live: a reload makes a new book while the
 * calls of the old one finish on it. */
struct flow_book {
	unsigned refs;
	struct arena *arena;
	const struct flow **by_number;	/* in the snapshot's order of numbers */
	size_t n;
	struct call_queue *queues;	/* every group's queue as an IVR flow enters it */
	size_t nqueues;
};

struct flow_router {
	const struct dir *dir;
	struct flow_book *book;
	struct http_client *http;	/* for IVR flows' HTTP nodes, or NULL */
	struct lookup *lookup;		/* for their queues' familiar agent, or NULL */
	const struct phone_rules *phone;
	/* The announcements' system prompts, in the audio folder (made by
	 * scripts/make-prompts.sh): sys-pos-N.wav, sys-wait-N.wav. */
	struct queue_prompts prompts;
	bool prompts_set;
};

struct flow_book *flow_book_ref(struct flow_book *b)
{
	b->refs++;
	return b;
}

void flow_book_unref(struct flow_book *b)
{
	if (b && !--b->refs) {
		arena_free(b->arena);
		free(b);
	}
}

int flow_router_alloc(struct flow_router **rp, const struct phone_rules *phone)
{
	struct flow_router *r = calloc(1, sizeof *r);
	if (!r)
		return ENOMEM;
	r->phone = phone;
	*rp = r;
	return 0;
}

void flow_router_free(struct flow_router *r)
{
	if (!r)
		return;
	flow_book_unref(r->book);
	for (size_t i = 0; i <= QUEUE_POS_MAX; i++)
		free((char *)r->prompts.pos[i]);
	for (size_t i = 0; i <= QUEUE_WAIT_MAX + 1; i++)
		free((char *)r->prompts.wait[i]);
	free(r);
}

static char *prompt_path(const char *folder, const char *kind, unsigned n, bool more)
{
	char *p = NULL;
	int rc = more ? asprintf(&p, "%s/sys-%s-many.wav", folder, kind)
		      : asprintf(&p, "%s/sys-%s-%u.wav", folder, kind, n);
	return rc < 0 ? NULL : p;
}

/* The folder is the process's: the paths are made once. */
static void set_prompts(struct flow_router *r, const char *folder)
{
	struct queue_prompts *p = &r->prompts;
	for (unsigned i = 0; i <= QUEUE_POS_MAX; i++)
		p->pos[i] = prompt_path(folder, "pos", i, i == 0);
	for (unsigned i = 0; i <= QUEUE_WAIT_MAX + 1; i++)
		p->wait[i] = prompt_path(folder, "wait", i, i == QUEUE_WAIT_MAX + 1);
	r->prompts_set = true;
	for (unsigned i = 0; i <= QUEUE_POS_MAX; i++)
		r->prompts_set &= p->pos[i] != NULL;
	for (unsigned i = 0; i <= QUEUE_WAIT_MAX + 1; i++)
		r->prompts_set &= p->wait[i] != NULL;
	if (!r->prompts_set)
		log_err("queue announcements: out of memory; positions and waits are not said");
}

/* The path of an audio file, copied into the book (the snapshot may go
 * before the book does). */
static const char *audio(struct arena *a, const struct dir *dir, unsigned id)
{
	const struct dir_audio *f = dir_audio(dir, id);
	return f ? arena_strdup(a, f->path) : NULL;
}

struct build {
	struct arena *arena;
	const struct dir *dir;
	const struct dir_number *number;
	const struct queue_prompts *prompts;
	struct flow_node *n;
	size_t count;
	unsigned groups[FLOW_MAX_GROUPS];
	size_t ngroups;
	bool failed;
};

static int add(struct build *b, struct flow_node node)
{
	if (b->count == FLOW_MAX_NODES) {
		b->failed = true;
		return FLOW_END;
	}
	b->n[b->count] = node;
	return (int)b->count++;
}

/* Closing prompt file (NULL: none), then hang up: no agent. */
static int closing(struct build *b, const char *name, const char *file)
{
	int i = add(b, (struct flow_node){ .type = FN_PLAY, .name = name, .file = file });
	int h = add(b, (struct flow_node){ .type = FN_HANGUP, .name = "hangup",
					   .result = RESULT_NO_AGENT, .cause = "no agent",
					   .next = FLOW_END });
	if (i != FLOW_END)
		b->n[i].next = h;
	return i;
}

static bool visited(const struct build *b, unsigned group)
{
	for (size_t i = 0; i < b->ngroups; i++)
		if (b->groups[i] == group)
			return true;
	return false;
}

static int queue_of(struct build *b, const struct dir_group *g, bool overflow);

/* Where a queue's give-up goes: its overflow group, when it has one that
 * the call has not been in yet, else its closing prompt and hang up. */
static int give_up(struct build *b, const struct dir_group *g, enum dir_action action,
		   const char *name, unsigned audio_id)
{
	const struct dir_group *o = dir_group(b->dir, g->overflow_group);
	if (action == DIR_OVERFLOW && o && !visited(b, o->id) && b->ngroups < FLOW_MAX_GROUPS)
		return queue_of(b, o, true);
	if (action == DIR_OVERFLOW)
		log_info("number %s: group %u overflows to group %u, which it cannot (unknown, "
			 "disabled, or already passed): closing instead", b->number->number, g->id,
			 g->overflow_group);
	return closing(b, name, audio(b->arena, b->dir, audio_id));
}

/* A group's queue settings (its files copied into a). */
static struct call_queue queue_settings(struct arena *a, const struct dir *dir,
					const struct dir_group *g, bool overflow,
					const struct queue_prompts *prompts)
{
	return (struct call_queue){
		.group = g->id, .max_wait_s = g->max_wait_s,
		.ring_timeout_s = g->ring_timeout_s, .wrapup_s = g->wrapup_s,
		.moh_file = audio(a, dir, g->moh_audio),
		.leave_unstaffed = g->no_agent_action != DIR_WAIT,
		.keep_wait = overflow, .dedicated_wait_s = g->dedicated_wait_s,
		.announce_interval_s = g->announce_interval_s,
		.announce_position = g->announce_position, .announce_wait = g->announce_wait,
		.announce_file = audio(a, dir, g->announce_audio),
		.prompts = prompts, .recording = g->recording,
	};
}

static int queue_of(struct build *b, const struct dir_group *g, bool overflow)
{
	b->groups[b->ngroups++] = g->id;
	int q = add(b, (struct flow_node){
		.type = FN_QUEUE, .name = overflow ? "overflow" : "queue",
		.queue = queue_settings(b->arena, b->dir, g, overflow, b->prompts),
	});
	if (q == FLOW_END)
		return FLOW_END;
	/* At the maximum wait: its own prompt, else the no-agent one. */
	int timeout = give_up(b, g, g->max_wait_action, "closing",
			      g->max_wait_audio ? g->max_wait_audio : g->noagent_audio);
	int unstaffed = g->no_agent_action == DIR_WAIT
		? timeout
		: give_up(b, g, g->no_agent_action, "no agents", g->noagent_audio);
	b->n[q].next = timeout;
	b->n[q].unstaffed = unstaffed;
	return q;
}

static const struct flow *builtin(const struct flow_router *r, struct arena *a,
				  const struct dir *dir, const struct dir_number *num)
{
	/* Built here, then kept in the book at its size. */
	struct flow_node nodes[FLOW_MAX_NODES];
	struct build b = { .arena = a, .dir = dir, .number = num, .n = nodes,
			   .prompts = r->prompts_set ? &r->prompts : NULL };
	int w = add(&b, (struct flow_node){ .type = FN_PLAY, .name = "welcome",
					    .file = audio(a, dir, num->welcome_audio) });
	const struct dir_group *g = dir_group(dir, num->group);
	/* No group (or a disabled one): the queue says so (CSIG_NO_QUEUE), and
	 * the call ends without an agent. */
	b.n[w].next = g ? queue_of(&b, g, false)
			: add(&b, (struct flow_node){ .type = FN_QUEUE, .name = "queue",
						      .next = closing(&b, "closing", NULL) });
	struct flow *f = arena_alloc(a, sizeof *f);
	struct flow_node *kept = arena_alloc(a, b.count * sizeof *kept);
	if (b.failed || !f || !kept)
		return NULL;
	memcpy(kept, nodes, b.count * sizeof *kept);
	f->name = "builtin";
	f->nodes = kept;
	f->n = b.count;
	return f;
}

/* Every number's flow, for a new snapshot. NULL when out of memory (calls
 * then keep the book they had). */
static struct flow_book *book_of(const struct flow_router *r, const struct dir *dir)
{
	struct flow_book *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->refs = 1;
	b->n = dir_number_count(dir);
	b->arena = arena_new();
	b->by_number = b->arena ? arena_alloc(b->arena, (b->n ? b->n : 1) * sizeof *b->by_number)
				: NULL;
	for (size_t i = 0; b->by_number && i < b->n; i++) {
		b->by_number[i] = builtin(r, b->arena, dir, dir_number_at(dir, i));
		if (!b->by_number[i]) {
			flow_book_unref(b);
			return NULL;
		}
	}
	if (!b->by_number) {
		flow_book_unref(b);
		return NULL;
	}
	/* An IVR flow's queue node: the group's settings; what follows when
	 * nobody takes the call is the flow's (its next exit). */
	b->nqueues = dir_group_count(dir);
	b->queues = arena_alloc(b->arena, (b->nqueues ? b->nqueues : 1) * sizeof *b->queues);
	if (!b->queues) {
		flow_book_unref(b);
		return NULL;
	}
	for (size_t i = 0; i < b->nqueues; i++) {
		b->queues[i] = queue_settings(b->arena, dir, dir_group_at(dir, i), false,
					      r->prompts_set ? &r->prompts : NULL);
	}
	return b;
}

void flow_router_set_dir(struct flow_router *r, const struct dir *dir)
{
	if (dir && !r->prompts_set && !r->prompts.pos[0])
		set_prompts(r, dir_audio_dir(dir));
	struct flow_book *b = dir ? book_of(r, dir) : NULL;
	if (dir && !b) {
		log_err("numbers' flows: out of memory; the directory is not taken");
		return;
	}
	r->dir = dir;
	flow_book_unref(r->book);
	r->book = b;
}

/* The number dialed, as dialed, else in the form numbers are kept in. */
const struct dir_number *flow_router_number(const struct flow_router *r, const char *callee)
{
	const struct dir_number *num = dir_number(r->dir, callee);
	char norm[64];
	if (!num && r->phone && phone_normalize(r->phone, callee, norm, sizeof norm) != PHONE_INVALID)
		num = dir_number(r->dir, norm);
	return num;
}

const struct call_queue *flow_book_queue(const struct flow_book *b, unsigned group)
{
	for (size_t i = 0; b && i < b->nqueues; i++)
		if (b->queues[i].group == group)
			return &b->queues[i];
	return NULL;
}

const struct dir *flow_router_dir(const struct flow_router *r)
{
	return r->dir;
}

struct flow_book *flow_router_book(const struct flow_router *r)
{
	return r->book;
}

void flow_router_set_http(struct flow_router *r, struct http_client *http)
{
	r->http = http;
}

void flow_router_set_lookup(struct flow_router *r, struct lookup *lookup)
{
	r->lookup = lookup;
}

struct lookup *flow_router_lookup(const struct flow_router *r)
{
	return r->lookup;
}

struct http_client *flow_router_http(const struct flow_router *r)
{
	return r->http;
}

const char *flow_route(void *router, struct call *call, const char *callee)
{
	struct flow_router *r = router;
	if (call_agent_out(call))
		return manual_route(r, call, callee);
	const struct dir_number *num = flow_router_number(r, callee);
	if (!num)
		return "no such number";
	if (num->flow) {
		struct ivr_prog *prog = dir_prog(r->dir, num->flow);
		if (prog) {
			call_set_number(call, num->id, 0);
			return ivr_flow_run(r, call, prog, num) ? "out of memory" : NULL;
		}
		log_err("number %s: IVR flow %u is not published or cannot be run; %s", num->number,
			num->flow, num->group ? "its skill group takes the call" : "the call is refused");
		if (!num->group)
			return "no flow";
	}
	const struct dir_group *g = dir_group(r->dir, num->group);
	call_set_number(call, num->id, g ? g->id : 0);
	const struct flow *f = r->book->by_number[dir_number_index(r->dir, num)];
	if (flow_run(call, f, r->book))
		return "out of memory";
	return NULL;
}
