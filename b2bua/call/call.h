/* Calls: one customer call and its legs, from the INVITE to the call
 * record. The state machine (call_fsm_next) is pure and unit-tested; the
 * flows that drive it live in inbound.c (caller side, prompts, queue) and
 * offer.c (agent side, bridging). */
#ifndef B2BUA_CALL_H
#define B2BUA_CALL_H

#include <stdbool.h>

#include "b2bua/acd/acd.h"
#include "b2bua/core/app.h"
#include "b2bua/media/sdp.h"

#define CALL_STATES(X)                                                        \
	X(MEDIA, "media")	/* anchoring the caller's media in rtpengine */ \
	X(WELCOME, "welcome")	/* answered; the welcome prompt plays */        \
	X(QUEUED, "queued")	/* waiting for an agent; music plays */         \
	X(OFFERING, "offering")	/* an agent's phone rings */                    \
	X(BRIDGED, "bridged")	/* caller and agent talk */                     \
	X(NO_AGENT, "no_agent")	/* nobody came; the closing prompt plays */     \
	X(ENDING, "ending")	/* legs hang up, the record is written */

#define CALL_STATE_ENUM(name, str) CALL_##name,
enum call_state { CALL_STATES(CALL_STATE_ENUM) CALL_STATE_COUNT };
#undef CALL_STATE_ENUM

#define CALL_EVENTS(X) \
	X(MEDIA_READY) X(MEDIA_FAILED) X(PROMPT_DONE) X(AGENT_OFFERED) X(AGENT_ANSWERED) \
	X(AGENT_FAILED) X(MAX_WAIT) X(CALLER_GONE) X(AGENT_GONE)

#define CALL_EVENT_ENUM(name) CEV_##name,
enum call_event { CALL_EVENTS(CALL_EVENT_ENUM) CALL_EVENT_COUNT };
#undef CALL_EVENT_ENUM

/* The state after ev, or -1 when ev has no meaning in s. Pure. */
int call_fsm_next(enum call_state s, enum call_event ev);
const char *call_state_name(enum call_state s);
const char *call_event_name(enum call_event ev);

#define CALL_RESULTS(X) X(ANSWERED, "answered") X(ABANDONED, "abandoned") \
	X(NO_AGENT, "no_agent") X(FAILED, "failed")
#define CALL_RESULT_ENUM(name, str) RESULT_##name,
enum call_result { RESULT_NONE, CALL_RESULTS(CALL_RESULT_ENUM) };
#undef CALL_RESULT_ENUM

enum hangup_side { SIDE_NONE, SIDE_CALLER, SIDE_AGENT, SIDE_SYSTEM };

enum leg_role { LEG_CALLER, LEG_AGENT };

struct leg {
	struct call *call;
	nua_handle_t *nh;
	enum leg_role role;
	char tag[8];		/* rtpengine tag: "caller", "ag1", ... */
	char branch[8];		/* rtpengine via-branch of an agent leg */
	struct agent *agent;
	su_timer_t *ring_timer;
	bool answered;		/* 200 OK sent (caller) or received (agent) */
	bool ringing;		/* agent: 18x seen */
	bool withdrawn;		/* agent: we cancelled this offer */
	bool gone;		/* hung up or failed; no more signalling */
};

struct call {
	su_home_t home[1];	/* the call is its own memory home, reference counted */
	char id[33];		/* cc_call.id and rtpengine's call-id */
	struct app *app;
	enum call_state state;
	struct call *next_in_table, *prev_in_table;

	struct leg caller;
	struct leg *agent_leg;	/* the agent being offered or talking */
	unsigned offers;

	char *sip_call_id;
	char *caller_num;	/* From user part, as received */
	char *caller_norm;	/* normalized (phone.h), or "" */
	char *caller_name;	/* From display name */
	char *callee;		/* dialed number */
	char *sdp_caller;	/* the caller's offer */
	struct sdp_codec codec;	/* the codec the caller agreed on */
	int te_pt;		/* caller's telephone-event payload type, or -1 */

	unsigned number_id, group_id;
	char *welcome_file, *moh_file, *noagent_file;
	unsigned ring_timeout_s, max_wait_s, wrapup_s;

	struct qentry qe;
	su_timer_t *timer;	/* prompt end */
	su_timer_t *maxwait_timer;
	su_timer_t *limit_timer;	/* max_call_s */
	void (*prompt_done)(struct call *call);
	unsigned prompt_seq;	/* the prompt a timer or reply belongs to */
	bool media_up;		/* rtpengine knows the call */
	bool moh_on;		/* music on hold is playing */
	bool recorded;		/* the call record's first row is queued */
	struct call *next_in_bucket;

	char *contact_id, *contact_name;	/* the caller's CRM record, once found */
	char *agent_id;		/* the agent who answered */

	long long t_start, t_enqueue, t_offer, t_answer, t_end;
	struct cdr_ev *events;	/* the event log, written with the final row */
	unsigned nevents, events_cap;
	enum call_result result;
	enum hangup_side side;
	const char *cause;	/* static text */
};

/* One line of a call's event log (cc_call_event). */
struct cdr_ev {
	const char *event;	/* static */
	long long at;		/* ms */
	char *agent, *detail;	/* in the call's home, or NULL */
};

struct calls;
int calls_alloc(struct calls **cp);
void calls_free(struct calls *c);
unsigned calls_count(const struct calls *c);
struct call *calls_first(const struct calls *c);
struct call *calls_find(const struct calls *c, const char *id);

/* A new INVITE on a new handle (sip.c). */
void call_incoming(struct app *app, nua_handle_t *nh, const sip_t *sip);
/* From the ACD: offer the call to a, already reserved for it. */
void call_offer(struct call *call, struct agent *a);
/* From the ACD: the reservation of a did not hold; stop ringing it. */
void call_withdraw_offer(struct call *call, struct agent *a);

/* SIP events on a leg (sip.c). */
void call_leg_cancel(struct leg *leg);
void call_leg_bye(struct leg *leg);
void call_leg_response(struct leg *leg, int status, const char *phrase, const sip_t *sip);
void call_leg_terminated(struct leg *leg);

const char *call_id(const struct call *call);

/* Internal to the call module ------------------------------------------ */

/* Applies ev; returns false (and logs) when ev has no meaning now. */
bool call_step(struct call *call, enum call_event ev);
/* Ends the call: hangs up what is up, writes the record, releases the agent. */
void call_end(struct call *call, enum call_result result, enum hangup_side side,
	      const char *cause);
/* The inbound flow's next steps. */
void call_enqueue(struct call *call);
void call_agent_failed(struct call *call, struct leg *leg, enum agent_event why,
		       const char *reason);
/* Starts the max_call_s timer. */
void call_limit_start(struct call *call);
/* References for asynchronous work: each callback drops the one taken. */
struct call *call_ref(struct call *call);
void call_unref(struct call *call);
/* Plays file to the caller (looped when repeat > 0); done runs after one
 * play when repeat is 0. */
void call_play(struct call *call, const char *file, long repeat,
	       void (*done)(struct call *call));
void call_stop_media(struct call *call);
/* Music on hold for a waiting caller, after moh_delay_ms (once). */
void call_hold_music(struct call *call);

#endif
