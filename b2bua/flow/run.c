/* The flow runner: a call's controller that walks a flow's nodes. */
#include "b2bua/flow/flow.h"

#include "log.h"

#define FLOW_NODE_NAME(name, str) str,
static const char *const node_type_names[] = { FLOW_NODE_TYPES(FLOW_NODE_NAME) };
#undef FLOW_NODE_NAME

struct run {
	const struct flow *flow;
	struct flow_book *book;
	int at;			/* the node the call is in */
};

/* Enters node i and goes on through nodes that finish at once. */
static void enter(struct call *call, struct run *r, int i)
{
	/* A chain of nodes that need no wait is at most the whole flow long;
	 * more means a loop that never waits. */
	for (size_t steps = 0; steps <= r->flow->n; steps++) {
		if (i == FLOW_END || i < 0 || (size_t)i >= r->flow->n) {
			call_hangup(call, RESULT_FAILED, "flow ended");
			return;
		}
		const struct flow_node *n = &r->flow->nodes[i];
		r->at = i;
		log_debug("call %s: flow %s node %d (%s %s)", call_id(call), r->flow->name, i,
			  node_type_names[n->type], n->name ? n->name : "");
		switch (n->type) {
		case FN_PLAY:
			if (n->file) {
				call_play(call, n->file);
				return;
			}
			i = n->next;
			continue;
		case FN_QUEUE:
			call_enqueue(call, &n->queue);
			return;
		case FN_HANGUP:
			call_hangup(call, n->result, n->cause);
			return;
		default:
			break;
		}
		break;
	}
	log_err("call %s: flow %s loops without waiting at node %d", call_id(call), r->flow->name, i);
	call_hangup(call, RESULT_FAILED, "flow error");
}

static void start(struct call *call, void *state)
{
	enter(call, state, 0);
}

static void on_signal(struct call *call, void *state, enum call_signal sig, char digit)
{
	struct run *r = state;
	const struct flow_node *n = &r->flow->nodes[r->at];
	switch (sig) {
	case CSIG_PROMPT_DONE:
		if (n->type == FN_PLAY)
			enter(call, r, n->next);
		break;
	case CSIG_QUEUE_TIMEOUT:
	case CSIG_NO_QUEUE:
		if (n->type == FN_QUEUE)
			enter(call, r, n->next);
		break;
	case CSIG_NO_AGENTS:
		if (n->type == FN_QUEUE)
			enter(call, r, n->unstaffed);
		break;
	case CSIG_DTMF:
		/* No node of today's flows reads keys. */
		log_debug("call %s: key %c ignored at node %d", call_id(call), digit, r->at);
		break;
	default:
		break;
	}
}

static void release(void *state)
{
	struct run *r = state;
	flow_book_unref(r->book);
}

static const struct call_ctrl flow_ctrl = { "flow", start, on_signal, release };

int flow_run(struct call *call, const struct flow *f, struct flow_book *b)
{
	struct run *r = call_mem(call, sizeof *r);
	if (!r || !f->n)
		return -1;
	r->flow = f;
	r->book = flow_book_ref(b);
	call_set_controller(call, &flow_ctrl, r);
	return 0;
}
