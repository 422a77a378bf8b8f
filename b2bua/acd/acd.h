/* Automatic call distribution: agents' live state, the skill groups'
 * queues, and the router that pairs waiting calls with ready agents.
 *
 * An agent is offered a call when it is ready, its phone is registered, and
 * it has no call; among those, the one idle longest gets the longest-waiting
 * call of its groups. Agent state changes are written to cc_agent and
 * cc_agent_state_log, and published as agent.state events. */
#ifndef B2BUA_ACD_H
#define B2BUA_ACD_H

#include <stdbool.h>
#include <stddef.h>
#include <sofia-sip/su_wait.h>

struct app;
struct call;
struct dir;

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
	X(RESERVE)	/* the router picked it for a call */                      \
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

struct agent {
	char *id, *name, *login, *sip, *dept;
	unsigned *groups;
	size_t ngroups;
	struct agent_sm sm;
	long long since_ms;		/* current state since */
	long long idle_since_ms;	/* ready (without a call) since */
	long long blocked_until_ms;	/* held by another node: skip until then */
	bool row_elsewhere;		/* releasing a lost reservation: the shared row is not ours to write */
	bool registered;		/* its phone is registered in Kamailio */
	bool present;			/* still in the directory */
	struct call *call;		/* reserved for, or on, this call */
	unsigned wrapup_s;
	su_timer_t *wrapup_timer;
	struct acd *acd;
};

/* A call waiting in a skill group's queue. Embedded in struct call. */
struct qentry {
	struct qentry *prev, *next;
	struct queue *queue;
	struct call *call;
	long long enq_ms;
	bool offering;		/* an agent is being offered this call */
};

struct queue {
	unsigned group;
	struct qentry *head, *tail;
	unsigned waiting;	/* entries, offered or not */
	struct agent **members;
	size_t nmembers;
};

/* True when the router may offer a call to a now. */
bool agent_available(const struct agent *a, long long now_ms);
/* Router: the longest-idle available member, or NULL. */
struct agent *router_pick_agent(struct agent *const *members, size_t n, long long now_ms);
/* Router: the first entry of q that is not being offered, or NULL. */
struct qentry *router_first_waiting(const struct queue *q);

struct acd;

int acd_alloc(struct acd **ap, struct app *app);
void acd_free(struct acd *acd);
/* Takes the directory's agents and groups: new agents start logged out
 * (or with the state cc_agent holds for this node), removed ones go when
 * they have no call. */
void acd_merge(struct acd *acd, const struct dir *dir);

struct agent *acd_agent(const struct acd *acd, const char *id);
struct agent *acd_agent_by_sip(const struct acd *acd, const char *sip);
size_t acd_agent_count(const struct acd *acd);
struct agent *acd_agent_at(const struct acd *acd, size_t i);
size_t acd_queue_count(const struct acd *acd);
struct queue *acd_queue_at(const struct acd *acd, size_t i);
struct queue *acd_queue(const struct acd *acd, unsigned group);

/* An agent's own request (from the control socket): want is AGENT_READY,
 * AGENT_NOT_READY or AGENT_LOGGED_OUT. Returns NULL or an error code. */
const char *acd_agent_request(struct acd *acd, struct agent *a, enum agent_state want,
			      const char *reason);
/* The registration poller's news. */
void acd_set_registered(struct acd *acd, struct agent *a, bool registered);

/* Calls: adds to the group's queue (tail). Returns 0 or ENOENT (no queue). */
int acd_enqueue(struct acd *acd, struct call *call, struct qentry *qe, unsigned group,
		long long now_ms);
/* The offer failed or was withdrawn: the call waits again, same place. */
void acd_requeue(struct acd *acd, struct qentry *qe);
/* Leaves the queue (answered, abandoned, timed out). */
void acd_dequeue(struct acd *acd, struct qentry *qe);

/* The call's side of an agent's call: ev is AEV_ANSWER, AEV_NO_ANSWER,
 * AEV_REJECT, AEV_RELEASE or AEV_HANGUP (with the group's wrap-up time). */
void acd_agent_event(struct acd *acd, struct agent *a, enum agent_event ev, unsigned wrapup_s);

/* Pairs waiting calls with available agents; safe to call any time (a call
 * made while it runs is folded into the running one). */
void acd_dispatch(struct acd *acd);

#endif
