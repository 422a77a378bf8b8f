/* Private to b2bua/acd/: the agent, the queue and the ACD itself, the
 * router's pure choices, and the store of agents' rows. Outside acd/ only
 * the unit tests include it. */
#ifndef B2BUA_ACD_PRIV_H
#define B2BUA_ACD_PRIV_H

#include <sofia-sip/su_wait.h>
#include <time.h>

#include "b2bua/acd/acd.h"

struct agent {
	char *id, *name, *login, *sip, *dept;
	unsigned *groups;
	unsigned char *levels;		/* the agent's level in each group */
	size_t ngroups;
	struct agent_sm sm;
	unsigned calls_today;		/* answered calls (all nodes at the last directory read) */
	unsigned long talk_s_today;	/* and their talk time */
	long long answered_ms;		/* the call it is on was answered then */
	unsigned no_answers;		/* offers let ring out in a row */
	unsigned offer_group;		/* the group of the entry it is reserved for */
	long long since_ms;		/* current state since */
	long long idle_since_ms;	/* ready (without a call) since */
	long long blocked_until_ms;	/* held by another node: skip until then */
	bool row_elsewhere;		/* a lost reservation: the shared row is not ours to write
					 * until the agent leaves RESERVED here */
	bool stale_row;			/* restored: the row still names the last run's call */
	bool registered;		/* its phone is registered in Kamailio */
	bool present;			/* still in the directory */
	void *owner;			/* the entry's owner it is reserved for, or on */
	char call_id[33];		/* that owner's id ("" when none) */
	unsigned wrapup_s;
	su_timer_t *wrapup_timer;
	struct acd *acd;
};

/* The longest agent id (the host's user ids are 32 characters). */
#define AGENT_ID_MAX 64

struct member {
	struct agent *agent;
	unsigned char level;	/* 1: first */
};

struct queue {
	unsigned group;
	struct qentry *head, *tail;
	unsigned waiting;	/* entries, offered or not */
	struct member *members;	/* sorted by level, then agent id */
	size_t nmembers;
	enum acd_strategy strategy;
	unsigned no_answer_break;	/* 0: never */
	char rr_last[AGENT_ID_MAX + 1];	/* round robin: the agent offered last ("": none) */
};

struct acd {
	struct core *core;
	struct dbq *dbq;
	struct acd_owner_ops ops;
	struct agent **agents;
	size_t nagents, cap;
	struct agent **by_id;	/* the agents by id (acd.c), a power of two slots */
	size_t by_id_cap;
	struct queue **queues;
	size_t nqueues;
	su_timer_t *kick_timer;
	su_timer_t *retry_timer;
	su_timer_t *prefer_timer;	/* a dedicated agent's wait ends */
	time_t next_day;	/* the next local midnight: the day's counts start again */
	bool kicked;		/* a dispatch is due */
	bool dispatching;
	bool polling;		/* a registration poll is running */
};

/* True when the router may offer an entry to a now. */
bool agent_available(const struct agent *a, long long now_ms);
/* Router: the available member of q its strategy chooses (among those of
 * the lowest level with one available), or NULL. rnd: a random number, for
 * STRATEGY_RANDOM. Pure. */
struct agent *router_pick_agent(const struct queue *q, long long now_ms, unsigned rnd);
/* Router, ring_all: the available members of the lowest level with one,
 * longest idle first, at most max of them in out. Their number. */
size_t router_ring_all(const struct queue *q, long long now_ms, struct agent **out, size_t max);
/* Router: the first entry of q that no agent is reserved for, that may be
 * offered now and that does not wait for its dedicated agent, or NULL. */
struct qentry *router_first_waiting(const struct queue *q, long long now_ms);
/* Sorts q's members by level, then id (the order top_down and round_robin
 * follow). */
void router_sort_members(struct queue *q);

/* acd.c: records (cc_agent, through store.c) and publishes (agent.state) a's
 * change of state from prev. */
void acd_changed(struct acd *acd, struct agent *a, enum agent_state prev);

/* --- store.c: agents' rows in the database ---------------------------------
 * cc_agent (one row per agent, the reservation guard between nodes) and
 * cc_agent_state_log (append-only), written in order through the database
 * queue's write lane, keyed by the agent. For AGENT_RESERVED the row is
 * taken only if it is still ready and this node's; when another node holds
 * the agent, acd_reservation_lost() runs on the loop. */
void acd_store_state(struct acd *acd, struct agent *a);
void acd_reservation_lost(struct acd *acd, const char *agent_id, const char *call_id);

#endif
