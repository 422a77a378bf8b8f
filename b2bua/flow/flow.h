/* Flows: what a call does between answering the caller and reaching an
 * agent (or not). A flow is a small graph of nodes, each with its exits;
 * the runner (run.c) is the call's controller (call.h) and walks the graph
 * as the call's signals come back. Today's nodes are the ones the built-in
 * flow of a number needs (builtin.c: welcome prompt, queue, its overflow
 * queues, closing prompts, hang up); the IVR flows an admin draws will add
 * menus, digit collection, branches, and compile to the same graph. */
#ifndef B2BUA_FLOW_H
#define B2BUA_FLOW_H

#include <stddef.h>

#include "b2bua/call/call.h"

struct dir;
struct dir_number;
struct http_client;
struct lookup;
struct ivr_prog;
struct phone_rules;

#define FLOW_NODE_TYPES(X)                                                  \
	X(PLAY, "play")		/* a prompt; next when it has been played */  \
	X(QUEUE, "queue")	/* a skill group's queue; next when no agent took it, \
				 * unstaffed when nobody of it was signed in */    \
	X(HANGUP, "hangup")	/* the end, with a result and a cause */

#define FLOW_NODE_ENUM(name, str) FN_##name,
enum flow_node_type { FLOW_NODE_TYPES(FLOW_NODE_ENUM) FLOW_NODE_TYPE_COUNT };
#undef FLOW_NODE_ENUM

#define FLOW_END (-1)

struct flow_node {
	enum flow_node_type type;
	const char *name;		/* for logs */
	const char *file;		/* PLAY: absolute path, or NULL to skip */
	struct call_queue queue;	/* QUEUE */
	enum call_result result;	/* HANGUP */
	const char *cause;		/* HANGUP: static text */
	int next;			/* the exit: a node index, or FLOW_END */
	int unstaffed;			/* QUEUE: the exit for CSIG_NO_AGENTS */
};

struct flow {
	const char *name;
	const struct flow_node *nodes;
	size_t n;
};

/* The flows of one directory snapshot, shared by the calls that run them
 * (reference counted; builtin.c). */
struct flow_book;
struct flow_book *flow_book_ref(struct flow_book *b);
void flow_book_unref(struct flow_book *b);

/* A group's queue as an IVR flow's queue node enters it, or NULL. */
const struct call_queue *flow_book_queue(const struct flow_book *b, unsigned group);

/* Runs f (of book b, which the call holds a reference to until it is
 * freed) on call from its first node. 0, or -1 when out of memory. */
int flow_run(struct call *call, const struct flow *f, struct flow_book *b);

/* The router of new calls (call_route_h): the number dialed picks its flow
 * from the directory in force (set with flow_router_set_dir). */
struct flow_router;
/* phone: the rules a dialed number is normalized with when it is not found
 * as dialed (numbers are kept in E.164); may be NULL. */
int flow_router_alloc(struct flow_router **rp, const struct phone_rules *phone);
void flow_router_free(struct flow_router *r);
void flow_router_set_dir(struct flow_router *r, const struct dir *dir);
const char *flow_route(void *router, struct call *call, const char *callee);
/* What IVR flows use: the HTTP client of their HTTP nodes (may be NULL:
 * such a node then takes its error exit), the directory and book in force. */
void flow_router_set_http(struct flow_router *r, struct http_client *http);
/* The lookup an IVR queue node's familiar agent is asked of. */
void flow_router_set_lookup(struct flow_router *r, struct lookup *lookup);
struct lookup *flow_router_lookup(const struct flow_router *r);
struct http_client *flow_router_http(const struct flow_router *r);
const struct dir *flow_router_dir(const struct flow_router *r);
struct flow_book *flow_router_book(const struct flow_router *r);
/* The center's number callee is (as dialed, else normalized), or NULL. */
const struct dir_number *flow_router_number(const struct flow_router *r, const char *callee);

/* manual.c: an agent's own outbound calls. The router sends a call an
 * agent placed from its phone (call_agent_out) here: refused (the reason:
 * "unknown_agent", "bad_number", "no_outbound_number", or
 * call_take_agent's) unless the agent may call out; else the customer is
 * dialed with the group's outbound number once the agent's leg is up. */
const char *manual_route(struct flow_router *r, struct call *call, const char *callee);
/* Click-to-dial: rings agent_id's phone (sip:<its user>@domain), then
 * dials number. NULL (the call's id in call_out) or why not: the reasons
 * above, "overloaded", "out_of_memory". */
const char *manual_dial(struct flow_router *r, struct calls *calls, const char *agent_id,
			const char *number, const char *domain, char *call_out, size_t n);

/* Runs published flow prog (ivr.c) on a call to number num. 0, or -1 when
 * out of memory. */
int ivr_flow_run(struct flow_router *r, struct call *call, struct ivr_prog *prog,
		 const struct dir_number *num);

/* As ivr_flow_run, for a call an agent transfers to the flow (to: the
 * transfer's target, for its event): the flow takes the caller over from
 * its first node (call_transfer). NULL, or call_transfer's reason. */
const char *ivr_flow_transfer(struct flow_router *r, struct call *call, struct ivr_prog *prog,
			      const struct dir_number *num, const char *to, const char *by);

/* transfer.c: an agent's blind transfer of the call it talks on, to
 * target: "agent:<id>", "group:<id>", "flow:<id>" or "number:<digits>";
 * by: who asked ("workbench", "phone"), for the event.
 * NULL when the caller was handed on, or why not: "bad_request" (no such
 * target form), "unknown_agent", "unknown_group", "unknown_flow",
 * "bad_number", "not_signed_in" (the agent taking it is not signed in with
 * its phone registered), "same_agent", and call_transfer's reasons. A
 * group or agent that does not take the call within the group's maximum
 * wait hands the caller to the call's own group (once); a number that is
 * not reached too; failing that the call ends (no agent). */
const char *flow_transfer(struct flow_router *r, struct call *call, const char *target,
			  const char *by);
/* A phone's REFER (calls_set_refer with the router): the Refer-To user is
 * an agent's SIP user ("agent:<id>"), a number of the center with an IVR
 * flow ("flow:<id>") or a skill group ("group:<id>"), or else a number to
 * dial ("number:<digits>"). */
extern const struct call_refer_ops flow_refer_ops;

#endif
