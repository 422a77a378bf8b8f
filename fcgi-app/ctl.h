/* The web app's view of the B2BUA nodes (web.conf's ctl_address: one
 * host:port, or several separated by spaces) and where a command goes.
 *
 * ctl_nodes.c holds the nodes' shared state: each node's address (fixed at
 * start), whether the event link to it is up and the node's name from its
 * `ping` (written by its link thread, sse/link.c). ctl_route.c holds the
 * pure parts, kept apart from the sockets so that unit tests drive them:
 * the address list's parsing, the command table, the order in which nodes
 * are asked and the merge of several nodes' replies. ctl.c sends the
 * commands (docs/web.md, "Several B2BUA nodes"). */
#ifndef WEB_CTL_H
#define WEB_CTL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The most nodes ctl_address may list. */
#define CTL_NODES_MAX 16
#define CTL_ADDR_MAX 128
#define CTL_NAME_MAX 64

/* What a command is about, which says where it goes:
 *   ANY       the first connected node (commands not listed below)
 *   OF_AGENT  the node of the agent's cc_agent.node, else the first connected;
 *             an `elsewhere` answer sends it once more to the node it names
 *   OF_CALL   the node of the call's cc_call.node, then each other connected
 *             node while they answer that they have no such call
 *   LIST      every connected node, the replies merged (ctl_merge)
 *   ALL       every connected node; ok when one answered ok
 *   PING      every node, each answer listed
 * (Kinds are not named after event classes: the event table is common/'s.) */
#define CTL_KINDS(X) X(ANY) X(OF_AGENT) X(OF_CALL) X(LIST) X(ALL) X(PING)
enum ctl_kind {
#define CTL_KIND_ENUM(k) CTL_##k,
	CTL_KINDS(CTL_KIND_ENUM)
#undef CTL_KIND_ENUM
};

/* The commands the web sends, one row each: name, kind. */
#define CTL_COMMANDS(X) \
	X("agent.state", OF_AGENT) \
	X("agent.get", OF_AGENT) \
	X("call.dial", OF_AGENT) \
	X("call.hold", OF_CALL) \
	X("call.resume", OF_CALL) \
	X("call.mute", OF_CALL) \
	X("call.unmute", OF_CALL) \
	X("call.hangup", OF_CALL) \
	X("call.dtmf", OF_CALL) \
	X("call.transfer", OF_CALL) \
	X("call.consult", OF_CALL) \
	X("call.consult_complete", OF_CALL) \
	X("call.consult_cancel", OF_CALL) \
	X("call.record", OF_CALL) \
	X("call.monitor", OF_CALL) \
	X("agent.list", LIST) \
	X("call.list", LIST) \
	X("queue.list", LIST) \
	X("task.list", LIST) \
	X("reload", ALL) \
	X("contact.changed", ALL) \
	X("contact.sync", ALL) \
	X("task.wake", ALL) \
	X("ping", PING)

enum ctl_kind ctl_kind_of(const char *cmd);
const char *ctl_kind_name(enum ctl_kind k);

/* One node as the routing sees it. */
struct ctl_node_info {
	char addr[CTL_ADDR_MAX];
	char name[CTL_NAME_MAX];	/* from its ping; "" until known */
	bool up;			/* its event link is connected */
};

/* --- ctl_route.c: pure ------------------------------------------------------ */
/* Splits list (addresses separated by spaces, tabs or commas) into out.
 * Returns the number of addresses (1 to max), or 0 with a reason in err:
 * empty, too many, an address too long, or listed twice. */
size_t ctl_addr_list(const char *list, char (*out)[CTL_ADDR_MAX], size_t max, char *err,
		     size_t errlen);

/* The nodes to ask, in order, into order[] (indexes into v); returns how
 * many. Connected nodes only: the one named prefer first (when connected),
 * then the others in the order of the list. When no node is connected
 * (the links are between two tries), every node in list order: a command
 * then costs a refused connect per node rather than a refusal. */
size_t ctl_route(const struct ctl_node_info *v, size_t n, const char *prefer, size_t *order);
/* The index of the node named name in v, or -1. */
int ctl_node_named(const struct ctl_node_info *v, size_t n, const char *name);

/* A reply saying that the node holds no such call: try another node. */
bool ctl_no_such_call(json_t *reply);
/* The node an `elsewhere` reply names, or NULL (borrowed from reply). */
const char *ctl_elsewhere(json_t *reply);

/* Merges the replies of a LIST command sent to several nodes. replies[i]
 * (borrowed; NULL when node i did not answer) came from the node named
 * names[i]. agent_nodes (borrowed, may be NULL) maps an agent id to its
 * cc_agent.node, for agent.list without `ver`. Returns a new reply
 * {"ok": true, LIST: [...], "nodes": answered}, or NULL when no node
 * answered ok (the caller then passes on the first refusal).
 *   agent.list  one entry per agent: the highest `ver` when the entries
 *               carry it, else the one from the agent's node, else the first
 *   call.list   every call (one node owns a call: an id seen twice is kept once)
 *   queue.list  per queue id: waiting summed, oldest_wait_ms the largest,
 *               agents_ready and agents_signed_in the largest
 *   task.list   per task id: the counters summed, abandon_rate recomputed */
json_t *ctl_merge(const char *cmd, json_t *const *replies, const char *const *names, size_t n,
		  json_t *agent_nodes);

/* --- ctl_nodes.c: the shared state ------------------------------------------ */
struct ctl_nodes;
/* Parses list (ctl_addr_list); 0, or EINVAL with a reason in err, or ENOMEM. */
int ctl_nodes_alloc(struct ctl_nodes **np, const char *list, char *err, size_t errlen);
void ctl_nodes_free(struct ctl_nodes *ns);
size_t ctl_nodes_count(const struct ctl_nodes *ns);
/* Node i's address: fixed for the process's life. */
const char *ctl_nodes_addr(const struct ctl_nodes *ns, size_t i);
/* Records node i's link as up (with its name, NULL: unchanged) or down
 * (why: for the log). Logs once per change. */
void ctl_nodes_set(struct ctl_nodes *ns, size_t i, bool up, const char *name, const char *why);
/* A copy of every node's state into out (CTL_NODES_MAX); returns how many. */
size_t ctl_nodes_get(struct ctl_nodes *ns, struct ctl_node_info *out);
/* How many links are up. */
size_t ctl_nodes_up(struct ctl_nodes *ns);

#endif
