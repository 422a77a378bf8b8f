/* Calls: one customer call and its legs, from the INVITE to the call
 * record.
 *
 * A call changes state only through its state machine (call_event() and the
 * table in fsm.c). Legs (leg.c) are the parties' SIP dialogs: the caller's,
 * an agent's, tomorrow a customer dialed by a task or a transfer target;
 * what happens on them, on rtpengine and on the call's timers arrives as
 * events. What the call does between answering the caller and ending is
 * decided by its controller: a flow (b2bua/flow/) today, a dialer tomorrow.
 * A controller drives the call with the verbs below (play, enqueue, hang
 * up, a timer) and hears back through its signal callback.
 *
 * Everything the call does is published on the bus (common/event.h); the
 * call records (cdr.c) are written from those events. */
#ifndef B2BUA_CALL_H
#define B2BUA_CALL_H

#include <stdbool.h>
#include <stddef.h>

#include "b2bua/sip/sip.h"

struct core;
struct acd;
struct agent;
struct dbq;
struct lookup;
struct rtpe_set;
struct phone_rules;
struct call;
struct calls;
struct lookup_field;

#define CALL_RESULTS(X) X(ANSWERED, "answered") X(ABANDONED, "abandoned") \
	X(NO_AGENT, "no_agent") X(FAILED, "failed")
#define CALL_RESULT_ENUM(name, str) RESULT_##name,
enum call_result { RESULT_NONE, CALL_RESULTS(CALL_RESULT_ENUM) };
#undef CALL_RESULT_ENUM

#define HANGUP_SIDES(X) X(CALLER, "caller") X(AGENT, "agent") X(SYSTEM, "system") \
	X(EXTERNAL, "external")
#define HANGUP_SIDE_ENUM(name, str) SIDE_##name,
enum hangup_side { SIDE_NONE, HANGUP_SIDES(HANGUP_SIDE_ENUM) };
#undef HANGUP_SIDE_ENUM

const char *call_result_name(enum call_result r);
const char *call_side_name(enum hangup_side s);

/* --- the calls of this node ------------------------------------------------- */

/* What calls work with. All of it outlives the calls. */
struct calls_env {
	struct core *core;
	struct sip *sip;
	struct rtpe_set *rtpes;	/* each call gets one of them (rtpe.h) */
	struct dbq *dbq;		/* call records */
	struct acd *acd;
	struct lookup *lookup;		/* the caller's contact; NULL: none looked up */
	const struct phone_rules *phone;
};

/* Who controls a new call: chooses a controller for the number dialed and
 * installs it (call_set_controller), after naming the number and group for
 * the record (call_set_number). Returns NULL, or why the call is refused:
 * "no such number" (404). */
typedef const char *(call_route_h)(void *arg, struct call *call, const char *callee);

int calls_alloc(struct calls **cp, const struct calls_env *env, call_route_h *route, void *arg);
/* The calls must have ended (calls_end_all, then the loop ran). */
void calls_free(struct calls *c);
/* New calls are refused (503) until this is set: the directory is loaded. */
void calls_accept(struct calls *c, bool accept);
unsigned calls_count(const struct calls *c);
/* Call objects alive: those in progress and those that ended but still
 * wait for a leg's dialog or an rtpengine reply to finish. */
unsigned calls_objects(const struct calls *c);
/* Ends every call (shutdown): callers hear BYE, or 503 when not answered. */
void calls_end_all(struct calls *c, const char *cause);
/* After a restart: this node's call records started before started_ms and
 * never ended (the process that had them was killed) are closed, once:
 * result answered when an agent had answered, else failed; hangup side
 * system, cause "node restarted", ended at started_ms. The write is retried
 * while the database is away; cb (may be NULL) runs on the loop once it has
 * landed (rc 0) or was given up (rc -1). Returns 0, or an errno value. */
struct calls_closed_cb {
	void (*done)(void *arg, int rc);
	void *arg;
};
int calls_close_lost(struct calls *c, long long started_ms, const struct calls_closed_cb *cb);

/* The SIP layer's handlers (sip.h). */
void calls_incoming(void *calls, nua_handle_t *nh, const sip_t *sip);
void calls_leg_event(struct leg *leg, nua_event_t event, int status, const char *phrase,
		     const sip_t *sip, tagi_t tags[]);
/* A key pressed, as rtpengine's DTMF log reports it: call_id is the call's
 * id (rtpengine's call-id), tag the leg that sent it. */
void calls_dtmf(struct calls *c, const char *call_id, const char *tag, char digit);

/* The ACD's owner callbacks: a call is the owner of its queue entry. */
extern const struct acd_owner_ops calls_acd_ops;

/* --- controllers ---------------------------------------------------------------- */

/* What a controller hears from its call. */
#define CALL_SIGNALS(X)                                                          \
	X(PROMPT_DONE)	/* the prompt asked for with call_play has been played */ \
	X(DTMF)		/* the caller pressed a key (digit) */                    \
	X(TIMER)	/* the time asked for with call_timer is up */            \
	X(QUEUE_TIMEOUT)	/* no agent took the call within the maximum wait */ \
	X(NO_QUEUE)	/* the call could not join the queue (no such group) */   \
	X(NO_AGENTS)	/* nobody of the group is signed in (call_queue.leave_unstaffed) */ \
	X(AFTER)	/* the agent hung up and the caller is the controller's again (call_after) */ \
	X(RECORDED)	/* the recording asked for with call_record has ended */ \
	X(NOT_REACHED)	/* the number dialed with call_dial failed, was busy or did not answer */ \
	X(RINGING)	/* the first party of a call the B2BUA placed is ringing (180/183) */

#define CALL_SIGNAL_ENUM(name) CSIG_##name,
enum call_signal { CALL_SIGNALS(CALL_SIGNAL_ENUM) CALL_SIGNAL_COUNT };
#undef CALL_SIGNAL_ENUM

struct call_ctrl {
	const char *name;
	/* The caller is answered and media is up: the controller's turn. */
	void (*start)(struct call *call, void *state);
	/* digit is set for CSIG_DTMF. */
	void (*signal)(struct call *call, void *state, enum call_signal sig, char digit);
	/* The call is being freed (may be NULL): what the state holds
	 * outside the call (a reference to a shared flow) is given back. */
	void (*release)(void *state);
	/* The call ends (may be NULL): what the controller knows of it for the
	 * call's record, as a JSON object's text (in call_mem), or NULL. */
	const char *(*record)(struct call *call, void *state);
	/* The caller's contact was looked up (may be NULL): id NULL when none
	 * matched; fields valid during the call only. */
	void (*contact)(struct call *call, void *state, const char *id, const char *name,
			const struct lookup_field *fields, size_t nfields);
};

/* Installs ctrl with its state (memory from call_mem, or static). */
void call_set_controller(struct call *call, const struct call_ctrl *ctrl, void *state);
/* Zeroed memory, or a string copy, that lives as long as the call. NULL
 * when out of memory. */
void *call_mem(struct call *call, size_t n);
char *call_strdup(struct call *call, const char *s);
/* The number the call came in on and its skill group, for the record. */
void call_set_number(struct call *call, unsigned number_id, unsigned group_id);
const char *call_id(const struct call *call);
const char *call_caller(const struct call *call);

/* The verbs. Play, enqueue and hang up take effect through the state
 * machine: one that has no meaning in the call's state is ignored (and
 * logged at debug level). */

/* Plays file (an absolute path that lives as long as the call: static or
 * call_strdup) to the caller once; CSIG_PROMPT_DONE follows (at once when
 * it cannot be played). */
void call_play(struct call *call, const char *file);
/* Stops the prompt playing (no CSIG_PROMPT_DONE for it). */
void call_stop_prompt(struct call *call);

/* The system prompts of queue announcements (absolute paths): pos[n] "n
 * callers ahead of you" for n = 1..QUEUE_POS_MAX, pos[0] more than that;
 * wait[m] "about m minutes" for m = 0 (under one)..QUEUE_WAIT_MAX,
 * wait[QUEUE_WAIT_MAX + 1] more than that. */
#define QUEUE_POS_MAX 20
#define QUEUE_WAIT_MAX 10
struct queue_prompts {
	const char *pos[QUEUE_POS_MAX + 1];
	const char *wait[QUEUE_WAIT_MAX + 2];
};

struct call_queue {
	unsigned group;			/* skill group (0: none: CSIG_NO_QUEUE) */
	unsigned max_wait_s;		/* then CSIG_QUEUE_TIMEOUT */
	unsigned ring_timeout_s;	/* an agent's phone rings this long */
	unsigned wrapup_s;		/* the agent's wrap-up after the call */
	const char *moh_file;		/* music while waiting, or NULL */
	bool leave_unstaffed;		/* nobody of the group signed in: CSIG_NO_AGENTS */
	bool keep_wait;			/* (an overflow) in line by the time already waited */
	unsigned dedicated_wait_s;	/* the caller's dedicated agent first, this long */
	/* Every announce_interval_s (0: never) the waiting caller hears
	 * announce_file (if set), then its position and estimated wait (as
	 * chosen), from prompts; then the music again. */
	unsigned announce_interval_s;
	bool announce_position, announce_wait;
	const char *announce_file;
	const struct queue_prompts *prompts;
	/* Ahead of every caller of a lower priority (0-9) in the group's line. */
	unsigned priority;
	/* For this agent alone (a transfer to an agent), in the group's line:
	 * CSIG_NO_AGENTS at once when the agent is not signed in with its
	 * phone registered, CSIG_QUEUE_TIMEOUT at max_wait_s. */
	const char *agent;
	/* Whether its calls are recorded once an agent answers (enum
	 * rec_policy; a task's calls: the task's). */
	unsigned char recording;
};
/* Puts the call in the queue q says (q and its strings live as long as the
 * call: a controller's shared flow, kept until its release); agents are offered it there, its dedicated agent first. It leaves
 * the queue answered, or gives the controller CSIG_QUEUE_TIMEOUT,
 * CSIG_NO_QUEUE or CSIG_NO_AGENTS. */
void call_enqueue(struct call *call, const struct call_queue *q);
/* back: when the agent (of the queue the call is put in next) hangs up,
 * the caller comes back to the controller (CSIG_AFTER: a survey, another
 * menu) instead of the call ending. */
void call_after(struct call *call, bool back);
/* The agent the call is offered to first in its next queue (for the
 * queue's dedicated_wait_s), unless the caller's contact has a dedicated
 * agent: the agent who served the caller last. */
void call_prefer_agent(struct call *call, const char *agent);
/* References a controller holds while it waits for something of its own
 * (a database answer): the call is not freed before call_unref. */
struct call *call_ref(struct call *call);
void call_unref(struct call *call);
/* Whether the caller's contact is still being looked up (the controller's
 * contact callback follows). */
bool call_contact_pending(const struct call *call);
/* The caller's number normalized (E.164), or "". */
const char *call_caller_norm(const struct call *call);
/* Data for the agent's screen pop (a JSON object's text, copied; NULL:
 * none), shown from the next offer on. */
void call_attach(struct call *call, const char *json);
/* The call is outbound task `task`'s call to target `target`: its events
 * (call.new, call.ringing, call.answered) and its record say so. */
void call_set_task(struct call *call, unsigned task, unsigned long long target);
/* The caller is contact id (name: its name, may be NULL), known without a
 * lookup (an outbound task's target matched when it was loaded): as a
 * lookup's match, for the screen pop and the record. */
void call_set_contact(struct call *call, const char *id, const char *name);
/* Looks the caller's number up among the helpdesk's contacts (as a call
 * that comes in is): the controller's contact callback and the screen pop
 * follow. */
void call_lookup_contact(struct call *call);
/* The key the caller gave a satisfaction survey, for the call's record. */
void call_survey(struct call *call, char key);
/* Records the caller for skill group `group`, up to max_s seconds, into a
 * WAV of the voicemail folder (voicemail_dir) named after the call; the
 * cc_voicemail row is written when it ends. CSIG_RECORDED follows when it
 * ends by its length, by call_record_stop, or because it failed (no row
 * then). A caller who hangs up ends it too: the file and row are kept, and
 * the controller hears nothing more. */
void call_record(struct call *call, unsigned group, unsigned max_s);
void call_record_stop(struct call *call);
/* Calls number, an external number (digits, a leading '+'), through
 * Kamailio's outbound gateway, showing caller_id as the caller (NULL: the
 * number the caller dialed); both are copied. When it answers, caller and
 * far end are bridged and the call ends when either hangs up (answered,
 * with no agent; the record's transfer_to is the number). When it fails,
 * is busy or rings longer than dial_ring_timeout_s, the controller gets
 * CSIG_NOT_REACHED and has the caller again. */
void call_dial(struct call *call, const char *number, const char *caller_id);
/* Whether s is a number a carrier can be given: an optional '+' and 3..32
 * digits. */
bool call_dialable(const char *s);
/* Ends the call with result and cause (a static string). A call an agent
 * answered ends as answered whatever result says. */
void call_hangup(struct call *call, enum call_result result, const char *cause);
/* CSIG_TIMER after ms (replacing a timer set before); cancel: none. */
void call_timer(struct call *call, long ms);
void call_timer_cancel(struct call *call);
/* The controller's path, for the call's event log and the socket: a node
 * of IVR flow `flow` entered (exit NULL) or left by exit (digits: what
 * chose it, or NULL). */
void call_note_step(struct call *call, unsigned flow, const char *node, const char *exit,
		    const char *digits);

/* --- calls the B2BUA places (originate.c) ------------------------------------------ */

/* The first party of a call the B2BUA places: an agent's phone
 * (click-to-dial), a customer (an outbound task). */
struct call_origin {
	const char *target;	/* its SIP URI ("sip:1001@cc.local", "sip:+8613...@cc.local;user=phone") */
	const char *from_user;	/* the From URI's user it is shown (a caller ID) */
	const char *display;	/* the From display name, or NULL */
	const char *caller;	/* the call's parties for its record and events */
	const char *callee;
	unsigned ring_timeout_s;	/* it rings this long (0: dial_ring_timeout_s) */
};

/* A new call whose first leg is an INVITE the B2BUA sends through Kamailio
 * to o->target, as a late offer (no SDP): the party's 200 carries its
 * offer, which is anchored in rtpengine as a caller's, and rtpengine's
 * answer goes in the ACK. From there it is a call as any other: its
 * controller's start runs, and the controller plays, queues, or dials
 * (call_dial) the other party. Strings are copied. *callp is the call,
 * in the table but not placed yet: set its controller (call_set_controller),
 * number and agent (call_set_number, call_take_agent), then call_place, or
 * call_hangup; before the loop runs again. 0, or EINVAL, EAGAIN (not
 * accepting calls, too many, rtpengine behind) or ENOMEM. */
int calls_originate(struct calls *c, const struct call_origin *o, struct call **callp);
/* Sends the INVITE (call.new is published now). Busy, rejected,
 * unreachable or rung out, the call ends failed with the cause
 * "busy", "rejected", "unreachable" or "no_answer"; the controller's start
 * never runs. */
void call_place(struct call *call);

/* --- an agent's own call (own.c) -------------------------------------------------- */

/* The agent Kamailio says placed this call from its registered phone (the
 * X-CC-Agent-Out header it sets after authenticating the phone), or NULL:
 * a customer's call. */
const char *call_agent_out(const struct call *call);
/* The call is agent_id's own outbound call (the caller's leg is the agent's
 * phone; a manual call or click-to-dial), recorded as from caller_id (the
 * number the customer sees): the agent is reserved for it
 * (acd_take_agent) and offered nothing else until it ends, then goes
 * through wrapup_s of wrap-up if the customer answered. The number
 * call_dial calls is the customer: its record is looked up, and when it
 * answers, call.answered (the screen pop) names the agent and the
 * customer. NULL, or why not (acd_take_agent's reasons). */
const char *call_take_agent(struct call *call, const char *agent_id, const char *caller_id,
			    unsigned wrapup_s);

/* --- the agent's controls while talking (incall.c) --------------------------------- */

/* The call of this node with that id, or NULL. */
struct call *calls_find(struct calls *c, const char *id);
/* Whether agent_id talks on call: it answered it, or it is the agent's own
 * call and the customer's side is up. */
bool call_talking_agent(const struct call *call, const char *agent_id);
/* Each returns NULL when done, or why not: "not_talking" (no agent talks
 * on the call now), "on_hold" / "not_on_hold", "muted" / "not_muted".
 * by says who asked: "workbench" or "phone". */
/* Holds the caller (on: music, neither side hears the other) or takes it
 * back. */
const char *call_hold(struct call *call, bool on, const char *by);
/* The agent's side is not heard by the caller (on), or is again. */
const char *call_mute(struct call *call, bool on);
/* Sends keys (0-9, *, #, A-D; at most CALL_KEYS_MAX) to the far end as
 * in-band DTMF tones, one after the other; keys sent while others play
 * follow them. "bad_keys", or the reasons above ("on_hold": not while
 * held). */
#define CALL_KEYS_MAX 32
const char *call_send_dtmf(struct call *call, const char *keys);
/* Consult (attended) transfer: the caller waits on hold, the talking
 * agent's phone talks to agent a's (agent_id; its SIP user sip_user), which
 * is reserved now (it must be ready). NULL, or why not: "not_talking",
 * "not_transferable" (an agent's own call), "consulting" (one at a time),
 * "same_agent", or acd_take_agent's ("not_signed_in", "on_break",
 * "busy"). */
const char *call_consult(struct call *call, struct agent *a, const char *agent_id,
			 const char *sip_user);
/* The consultation ends: complete (the caller goes to the consulted agent,
 * the consulting one leaves: "not_answered" while its phone rings) or back
 * to the caller. "not_consulting" when none is under way. */
const char *call_consult_end(struct call *call, bool complete);
/* The agent ends the call (as if it hung up its phone). */
const char *call_drop(struct call *call);
/* Blind transfer: the agent's phone is hung up (the agent goes into
 * wrap-up), ctrl with state takes the caller over and its start runs at
 * once; the previous controller is kept until the call is freed (its
 * record and its release still run: ctrl may hand its record on). to is
 * the event's target ("group:3"). Not for an agent's own call or an IVR's
 * external number: "not_transferable". by: "workbench" or "phone". */
const char *call_transfer(struct call *call, const char *to, const char *by,
			  const struct call_ctrl *ctrl, void *state);
/* A phone's transfer (REFER) reaches the controllers' layer through these
 * (calls_set_refer): target names what the Refer-To URI's user is
 * ("agent:<id>", "group:<id>", "flow:<id>", "number:<digits>") in buf, or
 * returns why not ("unknown_target", "same_agent"); transfer hands the
 * caller on (as call_transfer; by is "phone"). */
struct call_refer_ops {
	const char *(*target)(void *arg, struct call *call, const char *user, char *buf, size_t n);
	const char *(*transfer)(void *arg, struct call *call, const char *target, const char *by);
};
void calls_set_refer(struct calls *c, const struct call_refer_ops *ops, void *arg);
/* The controller before the current one (a transfer's), or NULL. */
const struct call_ctrl *call_prev_controller(const struct call *call, void **state);
/* The skill group the call last waited in (0: none). */
unsigned call_group(const struct call *call);
/* The number the call came in on (cc_number.id; 0: none). */
unsigned call_number(const struct call *call);

/* --- a supervisor (monitor.c) ------------------------------------------------------ */

/* Supervisor sip_user's phone (sip:USER@domain, through Kamailio) is called
 * to listen to call call_id: it hears the caller and the agent (two audio
 * sections), nothing it sends reaches anyone; it ends when the supervisor
 * or the call hangs up, or the agent leaves. mode NULL or "listen"
 * ("whisper" and "barge" need a mixing rtpengine: docs/supervisor.md).
 * *tag (may be NULL) gets the leg's rtpengine tag. NULL, or a control
 * socket error code: bad_request, not_supported, unknown_call, monitored
 * (a supervisor listens already), not_bridged, out_of_memory. */
const char *call_monitor(struct calls *c, const char *call_id, const char *sip_user,
			 const char *mode, const char **tag);

/* --- what others may read ------------------------------------------------------- */

struct call_view {
	const char *id, *state, *caller, *callee;
	unsigned group;
	const char *agent;	/* the agent offered or talking, or NULL */
	const char *contact;	/* or NULL */
	const char *contact_name;	/* or NULL */
	const char *caller_norm;	/* E.164, or "" */
	long long started_ms;
	bool held, muted;	/* the agent's controls */
};
const struct call *calls_first(const struct calls *c);
const struct call *calls_next(const struct call *call);
void call_view(const struct call *call, struct call_view *v);

/* The recording of a call an agent talks on (recording.c; find it with
 * calls_find and call_talking_agent): op is "start", "stop", "pause" or
 * "resume". NULL with *state (the recording's state after: "on", "paused",
 * "off") set, or a control-socket error code: bad_request,
 * recording_not_allowed (the policy does not let the agent do it; a call
 * of no policy), not_recording. */
const char *call_record_op(struct call *call, const char *op, const char **state);

#endif
