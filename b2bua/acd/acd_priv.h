/* Private to b2bua/acd/: the agent, the queue and the ACD itself, the
 * availability index, the router's pure choices, and the store of agents'
 * rows. Outside acd/ only the unit tests and the ACD's benchmark include
 * it. */
#ifndef B2BUA_ACD_PRIV_H
#define B2BUA_ACD_PRIV_H

#include <sofia-sip/su_wait.h>
#include <time.h>

#include "b2bua/acd/acd.h"
#include "b2bua/acd/avl.h"

/* The longest node name (cc_node.name, b2bua.conf's node_id). */
#define NODE_NAME_MAX 64

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
	/* Between nodes (sync.c, docs/cluster.md). */
	long long ver;			/* the last change known (cc_agent.ver): ms, increasing */
	char holder[NODE_NAME_MAX + 1];	/* the node whose row it is ("": nobody) */
	struct qentry *confirming;	/* reserved here for this entry, the row not yet ours:
					 * its phone rings when the database says it is */
	bool confirm_orphan;		/* ... and that entry left meanwhile */
	bool row_written;		/* the change just recorded is in the row already */
	unsigned wrapup_s;
	su_timer_t *wrapup_timer;
	struct acd *acd;
	struct member *memberships;	/* its members of queues, through member.next (index.c) */
	const struct queue *seen;	/* index.c: met already while building this queue */
};

/* The longest agent id (the host's user ids are 32 characters). */
#define AGENT_ID_MAX 64

/* Where a member is filed in its queue's index. */
enum member_filed {
	MEMBER_OUT,		/* not available */
	MEMBER_AVAILABLE,	/* in its level's sets */
	MEMBER_BLOCKED,		/* available but for blocked_until_ms: in the blocked list */
};

struct member {
	struct agent *agent;
	unsigned char level;	/* 1: first */
	/* The availability index (index.c). */
	struct queue *queue;
	struct member *next;		/* the agent's next membership */
	struct avl_node by_id, by_key;	/* in its level's sets (those its queue reads) */
	struct member *blocked_prev, *blocked_next;
	enum member_filed filed;
	bool twice;			/* the agent is a member of the group at a lower (or the same)
					 * level already: this one is never filed nor counted */
	unsigned short slot;		/* its level in queue.levels */
	long long key_idle;		/* the keys it is filed under (by_key) */
	unsigned long key_count;
	bool counted_in;		/* what the queue's counts hold of it */
	unsigned counted_calls;
	unsigned long counted_talk_s;
};

/* One level of a queue: its available members, in the order its strategy
 * reads (ring_all: both). */
struct qlevel {
	unsigned char level;
	unsigned available;
	struct avl_node *by_id;		/* by agent id: top_down, round_robin, random, ring_all */
	struct avl_node *by_key;	/* by the strategy's count (fewest calls, least talk),
					 * then idle since, then id: the others */
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
	/* The availability index (index.c). */
	struct qlevel *levels;	/* the members' levels, lowest first */
	size_t nlevels;
	struct member *blocked;	/* members available but for blocked_until_ms */
	unsigned signed_in;	/* members not logged out */
	unsigned long calls_today, talk_s_today;	/* the members' sums */
	/* The entries (line.c), beside the list head..tail. */
	struct avl_node *line;		/* every entry, in line */
	struct avl_node *ready;		/* not offered, may be offered now */
	struct avl_node *preferring;	/* waiting for their dedicated agent */
	struct qentry *delayed;		/* declined: not offered before their not_before_ms */
	long long preferring_due_ms;	/* no preference ends before then */
	long long delayed_due_ms;	/* no delay ends before then */
	unsigned long long seq;		/* the last entry's */
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
	/* Other nodes (sync.c). */
	long long started_ms;	/* this node's start */
	bool syncing;		/* a sync job is out */
	bool others_alive;	/* another node was alive at the last look: agents are shared */
	char alive[16][NODE_NAME_MAX + 1];	/* those nodes */
	size_t nalive;
	long long beat_ms;	/* the last heartbeat answered */
	long long seen_ver;	/* the newest agent row read */
	long long full_read_ms;	/* the last read of every row */
	bool dispatching;
	bool polling;		/* a registration poll is running */
};

/* True when the router may offer an entry to a now. */
bool agent_available(const struct agent *a, long long now_ms);

/* --- index.c: the availability index ----------------------------------------
 * Each queue files its available members (agent_available) per level in the
 * ordered sets its strategy reads (by id; by the strategy's key), so that
 * the router's choices cost O(log n), not a look at every member; and keeps
 * counts of its members (signed in, today's calls and talk time) for the
 * views and the estimated wait. Whoever changes an input of availability or
 * of a key (state, owner, registration, presence, idle since, today's
 * counts) files the agent again (acd_index_update); blocked_until_ms passes
 * by itself: a blocked member waits in the queue's blocked list, looked at
 * by the router (O(blocked)). Time is passed in, so that the router and its
 * tests decide at one now. */

/* Sorts q's members by level, then id, links each onto its agent's list of
 * memberships, and files them all. The agents' lists must have been
 * emptied of q's old members before (acd_index_rebuild empties them all). */
void queue_index_build(struct queue *q, long long now_ms);
/* Every membership of a filed again as it is now. */
void index_file_agent(struct agent *a, long long now_ms);
/* Blocked members whose block is over at now join the sets. */
void queue_index_unblock(struct queue *q, long long now_ms);
/* Members of q available at now (each agent once). */
unsigned queue_index_available(const struct queue *q, long long now_ms);
/* a changed (acd.c calls it after every change of state, owner,
 * registration or today's counts). */
void acd_index_update(struct acd *acd, struct agent *a);
/* Every queue's index again (a directory read, a new day). */
void acd_index_rebuild(struct acd *acd);

/* Router: the available member of q its strategy chooses (among those of
 * the lowest level with one available), or NULL. rnd: a random number, for
 * STRATEGY_RANDOM. Reads q's index (and lets its blocked members whose time
 * has come in). */
struct agent *router_pick_agent(struct queue *q, long long now_ms, unsigned rnd);
/* Router, for a queue whose strategy is ring_all: the available members of
 * the lowest level with one, the first max of them in the order (level,
 * id), in out longest idle first. Their number. */
size_t router_ring_all(struct queue *q, long long now_ms, struct agent **out, size_t max);
/* Router: the first entry of q that no agent is reserved for, that may be
 * offered now and that does not wait for its dedicated agent, or NULL. */
struct qentry *router_first_waiting(struct queue *q, long long now_ms);

/* --- line.c: a queue's entries ------------------------------------------------
 * Entries are in line by (enq_ms, seq): the time they count as having
 * joined (acd_enqueue_at), then the order they joined in; the list
 * head..tail follows the same order. Apart from the line, each entry not
 * offered is filed in one set: ready (the router may offer it now),
 * preferring (waiting for its dedicated agent: the dispatch's first pass),
 * or delayed (its owner declined an offer: not before not_before_ms); so
 * the router finds the first entry to offer without walking those being
 * offered. Whoever changes offering, the preference or not_before_ms files
 * the entry again; the ends of preferences and delays are seen when due. */

/* e (enq_ms set, not in a queue) joins q's line, filed at now. */
void queue_line_add(struct queue *q, struct qentry *e, long long now_ms);
/* e leaves q's line. */
void queue_line_remove(struct queue *q, struct qentry *e);
/* e filed again as it is at now. */
void queue_line_file(struct queue *q, struct qentry *e, long long now_ms);
/* Preferences and delays over at now: their entries filed again. */
void queue_line_due(struct queue *q, long long now_ms);
/* e's position in q's line, 1 for the first. */
unsigned queue_line_position(const struct queue *q, const struct qentry *e);
/* An entry's place in line, to walk a set while it changes. */
struct line_key {
	long long enq_ms;
	unsigned long long seq;
};
/* The first entry of the ready set, or NULL (queue_line_due first). */
struct qentry *queue_line_ready(struct queue *q);
/* The first entry of the preferring set after key (NULL: the first), or
 * NULL. */
struct qentry *queue_preferring_after(struct queue *q, const struct line_key *key);

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
/* Between nodes: the reservation of a (already RESERVED here, for
 * a->confirming) is asked of the database first; the owner is offered the
 * agent once the row is this node's (acd_confirmed), else the agent goes
 * back to what it was, with nothing written nor published. */
void acd_store_reserve(struct acd *acd, struct agent *a, enum agent_state prev, long long prev_ver);
/* The next change's version for a: now, or one more than the last. */
long long agent_next_ver(const struct agent *a, long long now_ms);

/* --- sync.c: the other nodes ------------------------------------------------------
 * Heartbeats, other nodes' changes of agents, dead nodes' agents. */
bool acd_node_alive(const struct acd *acd, const char *node);

#endif
