/* Automatic call distribution: agents' live state, the skill groups'
 * queues, and the router that pairs waiting entries with ready agents.
 *
 * The ACD knows nothing of calls. A queue entry belongs to an opaque owner
 * (a call today, a dialer's customer tomorrow); when the router reserves an
 * agent for an entry it hands both to the owner through the offer callback
 * given at acd_alloc, and when a reservation does not hold (another node
 * has the agent) through the withdraw callback. Dispatch never runs inside
 * the caller's stack frame: whatever may free an agent or add an entry only
 * asks for a dispatch (acd_kick), which runs from the loop a moment later;
 * so an owner's callback can never re-enter the ACD's dispatch, and a
 * directory reload never rings a phone from inside the reload.
 *
 * An agent is offered an entry when it is ready, its phone is registered,
 * and it has nothing reserved; the queue whose first entry has waited
 * longest goes first, and its strategy and the agents' levels choose among
 * its ready agents (router.c). An agent who lets a group's offers ring out
 * no_answer_break times in a row goes on break. State changes are written to
 * cc_agent and cc_agent_state_log, and published as agent.state events. */
#ifndef B2BUA_ACD_H
#define B2BUA_ACD_H

#include <stdbool.h>
#include <stddef.h>

#include "b2bua/acd/avl.h"

struct core;
struct dbq;
struct dir;
struct agent;
struct queue;
struct acd;

#define AGENT_STATES(X)                 \
	X(LOGGED_OUT, "logged_out")     \
	X(READY, "ready")               \
	X(NOT_READY, "not_ready")       \
	X(RESERVED, "reserved")         \
	X(ON_CALL, "on_call")           \
	X(WRAP_UP, "wrap_up")

#define AGENT_STATE_ENUM(name, str) AGENT_##name,
enum agent_state { AGENT_STATES(AGENT_STATE_ENUM) AGENT_STATE_COUNT };
#undef AGENT_STATE_ENUM

/* What can happen to an agent (the state machine's input). */
#define AGENT_EVENTS(X)                                                            \
	X(SIGN_IN)	/* asks to be ready (signs in, back from a break) */       \
	X(BREAK)	/* asks for not-ready with a reason */                     \
	X(SIGN_OUT)	/* asks to sign out */                                     \
	X(RESERVE)	/* the router picked it for an entry */                    \
	X(ANSWER)	/* its phone answered the call */                          \
	X(NO_ANSWER)	/* its phone rang out */                                   \
	X(REJECT)	/* its phone declined the call */                          \
	X(RELEASE)	/* the offer was withdrawn, not its fault */               \
	X(HANGUP)	/* its call ended */                                       \
	X(WRAPUP_END)	/* wrap-up time is over */

#define AGENT_EVENT_ENUM(name) AEV_##name,
enum agent_event { AGENT_EVENTS(AGENT_EVENT_ENUM) AGENT_EVENT_COUNT };
#undef AGENT_EVENT_ENUM

#define AGENT_REASON_MAX 64

/* The state machine's memory: the state, its reason, and what the agent
 * asked for while busy (applied when the call and its wrap-up end). */
struct agent_sm {
	enum agent_state state;
	char reason[AGENT_REASON_MAX + 1];
	int pending;		/* -1, AGENT_NOT_READY or AGENT_LOGGED_OUT */
	char pending_reason[AGENT_REASON_MAX + 1];
};

enum agent_sm_result {
	AGENT_SM_CHANGED,	/* state (or reason) changed */
	AGENT_SM_PENDING,	/* kept for after the call (or a pending one dropped) */
	AGENT_SM_SAME,		/* nothing to do */
	AGENT_SM_INVALID,	/* not possible in this state */
};

void agent_sm_init(struct agent_sm *sm);
/* Applies ev. reason: the break reason (AEV_BREAK); with_wrapup: whether an
 * AEV_HANGUP goes through wrap-up. Pure: no I/O, no clock. */
enum agent_sm_result agent_sm_apply(struct agent_sm *sm, enum agent_event ev, const char *reason,
				    bool with_wrapup);
const char *agent_state_name(enum agent_state s);
/* -1 for an unknown name. */
int agent_state_parse(const char *name);
const char *agent_event_name(enum agent_event ev);

/* How a queue chooses among its ready agents (cc_skill_group.strategy).
 * Levels come first with every strategy: an agent of level 1 is chosen
 * before any of level 2 (docs/queues.md). */
#define ACD_STRATEGIES(X)                                                         \
	X(LONGEST_IDLE, "longest_idle")	/* ready (without a call) longest */       \
	X(ROUND_ROBIN, "round_robin")	/* the next after the last one offered */  \
	X(TOP_DOWN, "top_down")		/* always the first in order (level, id) */ \
	X(FEWEST_CALLS, "fewest_calls")	/* fewest answered calls today */          \
	X(LEAST_TALK_TIME, "least_talk_time")	/* least talk time today */        \
	X(RANDOM, "random")		/* any, at random */                    \
	X(RING_ALL, "ring_all")		/* all at once (up to ACD_RING_ALL_MAX), \
					 * the first to answer takes it */

#define ACD_STRATEGY_ENUM(name, str) STRATEGY_##name,
enum acd_strategy { ACD_STRATEGIES(ACD_STRATEGY_ENUM) ACD_STRATEGY_COUNT };
#undef ACD_STRATEGY_ENUM
/* The most agents one entry is offered to at once by ring_all. */
#define ACD_RING_ALL_MAX 16
/* -1 for an unknown name. */
int acd_strategy_parse(const char *name);
const char *acd_strategy_name(enum acd_strategy s);

/* A waiting entry in a skill group's queue, embedded in its owner. */
struct qentry {
	struct qentry *prev, *next;
	struct queue *queue;
	void *owner;
	const char *owner_id;	/* the owner's id (a call id), for records */
	long long enq_ms;
	long long not_before_ms;	/* its owner declined an offer: not offered before then */
	bool offering;		/* an agent is reserved for this entry */
	/* Its dedicated agent (acd_prefer): offered to that agent alone until
	 * prefer_until_ms, then to the group as usual. */
	const char *prefer_id;
	long long prefer_until_ms;
	bool prefer_offered;	/* it was offered to that agent */
	bool prefer_only;	/* ... and to no one else, however long (acd_prefer_only) */
	unsigned confirming;	/* agents reserved for it whose rows the database has not
				 * yet confirmed (between nodes: store.c) */
	/* The queue's own (line.c): the entry's place in line, and which set of
	 * the dispatch it is in. */
	unsigned long long seq;		/* the order of entries that came with the same enq_ms */
	struct avl_node in_line, in_set;
	struct qentry *delayed_prev, *delayed_next;
	unsigned char filed;
};

/* What the owner of entries is told. */
struct acd_owner_ops {
	/* An agent was reserved for the entry of owner. Returns 0 when the
	 * owner takes the offer (it then reports the outcome with
	 * acd_agent_event), non-zero when it cannot: the ACD releases the
	 * agent and the entry waits for the next dispatch. With ring_all an
	 * entry is offered several agents in a row; the owner calls
	 * acd_requeue when the last of them is gone. */
	int (*offer)(void *owner, struct agent *a);
	/* The reservation of a for owner did not hold: stop offering. */
	void (*withdraw)(void *owner, struct agent *a);
};

int acd_alloc(struct acd **ap, struct core *core, struct dbq *dbq,
	      const struct acd_owner_ops *ops);
void acd_free(struct acd *acd);
/* Takes the directory's agents and groups: new agents start logged out
 * (or with the state cc_agent holds for this node), removed ones go when
 * they have nothing reserved. */
void acd_merge(struct acd *acd, const struct dir *dir);

struct agent *acd_agent(const struct acd *acd, const char *id);
size_t acd_agent_count(const struct acd *acd);
struct agent *acd_agent_at(const struct acd *acd, size_t i);
size_t acd_queue_count(const struct acd *acd);
struct queue *acd_queue_at(const struct acd *acd, size_t i);
struct queue *acd_queue(const struct acd *acd, unsigned group);

/* What the rest of the B2BUA may read of an agent and a queue. Strings
 * belong to the ACD and stay valid until the next directory merge. */
const char *agent_id(const struct agent *a);
const char *agent_sip(const struct agent *a);
bool agent_present(const struct agent *a);

struct agent_view {
	const char *id, *name, *sip;
	enum agent_state state;
	const char *reason;	/* "" for none */
	int pending;		/* -1 or the state asked for */
	long long since_ms;
	bool registered;
	const char *call;	/* the call reserved for it, or NULL */
	const unsigned *groups;
	size_t ngroups;
};
void acd_agent_view(const struct agent *a, struct agent_view *v);

struct queue_view {
	unsigned group;
	unsigned waiting;		/* entries, offered or not */
	long long oldest_enq_ms;	/* 0 when none waits */
	unsigned agents_ready, agents_signed_in;
};
void acd_queue_view(const struct queue *q, long long now_ms, struct queue_view *v);

/* An agent's own request (from the control socket): want is AGENT_READY,
 * AGENT_NOT_READY or AGENT_LOGGED_OUT. Returns NULL or an error code. */
const char *acd_agent_request(struct acd *acd, struct agent *a, enum agent_state want,
			      const char *reason);
/* The registration poller's news, or a call's finding that the phone is
 * unreachable. */
void acd_set_registered(struct acd *acd, struct agent *a, bool registered);

/* Adds qe (owned by owner, whose id is owner_id) to the group's queue
 * (tail). 0, or ENOENT (no such queue). */
int acd_enqueue(struct acd *acd, struct qentry *qe, unsigned group, void *owner,
		const char *owner_id, long long now_ms);
/* The same, keeping enq_ms as the entry's place in the line (an overflow
 * from another group keeps the time the caller has waited). */
int acd_enqueue_at(struct acd *acd, struct qentry *qe, unsigned group, void *owner,
		   const char *owner_id, long long enq_ms);
/* The entry's dedicated agent: when that agent is signed in with its phone
 * registered, the entry is offered to it alone for wait_ms (at once when it
 * is ready), then to the group. id lives as long as the entry. Returns true
 * when the preference was taken. A preferred agent who does not take the
 * offer ends the preference. */
bool acd_prefer(struct acd *acd, struct qentry *qe, const char *id, long long wait_ms);
/* The entry is for agent id alone (a transfer to an agent): offered to it
 * whenever it is available, again after an offer it did not take, never
 * to the group; the owner ends the wait. false (and nothing changed) when
 * the agent is not signed in with its phone registered. */
bool acd_prefer_only(struct acd *acd, struct qentry *qe, const char *id);
/* Whether anyone of the group is signed in (any state but logged out). */
bool acd_group_staffed(const struct acd *acd, unsigned group);
/* The entry's position in its queue (1: next) and its estimated wait in
 * seconds: position x the members' average talk time today (180 s before
 * any call) / the members signed in (docs/queues.md). */
void acd_entry_position(const struct acd *acd, const struct qentry *qe, unsigned *position,
			unsigned *wait_s);
/* The offer failed or was withdrawn: the entry waits again, same place. */
void acd_requeue(struct acd *acd, struct qentry *qe);
/* Leaves the queue (answered, abandoned, timed out). */
void acd_dequeue(struct acd *acd, struct qentry *qe);

/* An agent's own call, outside any queue (an agent's outbound call): a is
 * reserved for owner (owner_id: its id, for records) as if the router had
 * offered it; the owner then reports the call with acd_agent_event
 * (AEV_ANSWER when the agent's phone talks, AEV_RELEASE or AEV_HANGUP at
 * the end) and the ACD offers the agent nothing meanwhile. NULL, or why
 * not: "unknown_agent", "not_signed_in", "on_break" (not ready),
 * "busy" (reserved, on a call, in wrap-up). */
const char *acd_take_agent(struct acd *acd, struct agent *a, void *owner, const char *owner_id);

/* The owner's side of an agent's offer: ev is AEV_ANSWER, AEV_NO_ANSWER,
 * AEV_REJECT, AEV_RELEASE or AEV_HANGUP (with the group's wrap-up time). */
void acd_agent_event(struct acd *acd, struct agent *a, enum agent_event ev, unsigned wrapup_s);

/* Asks for a dispatch from the loop, soon (coalesced). */
void acd_kick(struct acd *acd);
/* Pairs waiting entries with available agents now. Not re-entrant: owners'
 * callbacks must not call it (they cannot: everything inside the ACD only
 * kicks). Run by the kick's timer; tests call it directly. */
void acd_dispatch(struct acd *acd);

/* Between nodes (sync.c, docs/cluster.md): says this node is alive, reads
 * the agents' rows other nodes changed, frees the agents of dead nodes.
 * Every agent_sync_ms from the loop; one job at a time. */
void acd_sync(struct acd *acd);
/* Whether another node was alive at the last look: reservations then wait
 * for the database before a phone rings. */
bool acd_shared(const struct acd *acd);
/* The node holding a when that is another live node (a request for a goes
 * there), else NULL. */
const char *acd_agent_elsewhere(const struct acd *acd, const struct agent *a);
/* The version of a's last change (the agent.state event's ver). */
long long acd_agent_ver(const struct agent *a);

/* Registration polling (reg.c): reads which agents' phones are registered
 * from Kamailio's location table on a worker; one poll at a time. */
void acd_poll_registrations(struct acd *acd);

#endif
