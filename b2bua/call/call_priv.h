/* Private to b2bua/call/: the call and leg objects, the state machine's
 * states, events and table, and the operations the table's actions use.
 * Outside call/ only the unit tests include it. */
#ifndef B2BUA_CALL_PRIV_H
#define B2BUA_CALL_PRIV_H

#include "b2bua/call/call.h"

#include "b2bua/acd/acd.h"
#include "b2bua/media/sdp.h"
#include "event.h"

#include <sofia-sip/su_wait.h>

#define CALL_STATES(X)                                                                  \
	X(MEDIA, "media")	/* anchoring the caller's media in rtpengine */          \
	X(ORIGINATING, "originating")	/* the B2BUA calls the first party (originate.c) */ \
	X(FLOW, "flow")		/* answered; the controller plays prompts, asks, decides */ \
	X(QUEUED, "queued")	/* waiting in a skill group's queue; music plays */      \
	X(OFFERING, "offering")	/* an agent's phone rings */                             \
	X(DIALING, "dialing")	/* an external number rings (call_dial) */               \
	X(BRIDGED, "bridged")	/* caller and agent (or the external number) talk */     \
	X(HELD, "held")		/* the agent holds the caller: music for the caller */   \
	X(CONSULT, "consult")	/* the caller waits on hold; the agent consults another */ \
	X(ENDING, "ending")	/* legs hang up, the record is written */

#define CALL_STATE_ENUM(name, str) CALL_##name,
enum call_state { CALL_STATES(CALL_STATE_ENUM) CALL_STATE_COUNT };
#undef CALL_STATE_ENUM

/* The state machine's input: media results, timers, the legs, the queue,
 * the controller. */
#define CALL_EVENTS(X)                                                                     \
	X(MEDIA_OFFERED)	/* rtpengine took the caller's offer */                    \
	X(MEDIA_READY)		/* rtpengine anchored the caller's media (text: its SDP) */ \
	X(MEDIA_FAILED)		/* rtpengine failed the call (text: the cause) */          \
	X(PROMPT_DONE)		/* the controller's prompt has been played */              \
	X(DTMF)			/* the caller pressed a key (digit) */                     \
	X(FLOW_TIMER)		/* the controller's timer */                               \
	X(PLAY)			/* the controller plays a prompt (text: the file) */       \
	X(STOP_PROMPT)		/* the controller stops its prompt (a key interrupted it) */ \
	X(PLAYED)		/* rtpengine plays it (text: file or NULL, ms, looped) */ \
	X(ENQUEUE)		/* the controller puts the call in a queue (queue) */      \
	X(DIAL)			/* the controller dials out (text: number, name: caller ID) */ \
	X(NO_QUEUE)		/* ... and there is no such queue */                       \
	X(AGENT_OFFERED)	/* the ACD reserved an agent (agent) */                    \
	X(OFFER_WITHDRAWN)	/* the reservation did not hold (agent) */                 \
	X(MOH_DUE)		/* music on hold starts now */                             \
	X(ANNOUNCE_DUE)		/* time for the queue's announcement */                    \
	X(MAX_WAIT)		/* the queue's maximum wait is over */                     \
	X(OFFERS_GONE)		/* the last agent offered will not take it */              \
	X(UNSTAFFED)		/* nobody of the group is signed in (the queue leaves) */  \
	X(LEG_MEDIA)		/* rtpengine offered the leg its media (leg, text: SDP) */ \
	X(AGENT_RINGING)	/* the agent's phone rings (leg) */                        \
	X(AGENT_ANSWERED)	/* the agent's phone answered (leg, text: its SDP) */      \
	X(AGENT_FAILED)		/* the agent's leg failed (leg, aev, text: reason) */      \
	X(RING_TIMEOUT)		/* the agent did not answer in time */                     \
	X(BRIDGE_READY)		/* rtpengine bridged caller and agent */                   \
	X(AGENT_GONE)		/* the agent hung up (leg, text: cause) */                 \
	X(AGENT_LEFT)		/* ... and the caller goes back to the controller (leg) */                 \
	X(CALLER_GONE)		/* the caller hung up (text: cause) */                     \
	X(HANGUP)		/* the controller or the system ends it (result, text) */  \
	X(CONTACT)		/* the caller is a contact (text: its id, name) */         \
	X(RECORD)		/* the controller records the caller (group, ms: max) */   \
	X(RECORD_MEDIA)		/* rtpengine offered the recording's branch (text: SDP) */ \
	X(RECORD_DONE)		/* the recording ended (max length, error, media failed) */ \
	X(RECORD_STOP)		/* the controller stops the recording (the caller's #) */ \
	X(TOO_LONG)		/* longer than max_call_s */                               \
	X(ORIGINATE)		/* a call the B2BUA places: INVITE the first party */      \
	X(ORIGIN_ANSWERED)	/* ... it answered (text: its SDP, the offer) */           \
	X(ORIGIN_FAILED)	/* ... it failed, was busy or rejected (text: reason) */   \
	X(HOLD)			/* the agent holds the caller (text: by whom) */          \
	X(RESUME)		/* ... and takes the caller back (text: by whom) */       \
	X(MUTE)			/* the agent's side is not heard (or is again: UNMUTE) */ \
	X(UNMUTE)		/* the agent's side is heard again */                      \
	X(REINVITE)		/* the agent's phone re-INVITEs (leg, text: its SDP) */    \
	X(TRANSFER)		/* the agent hands the caller on (text: the target; the	\
				 * controller taking over is call->xfer_ctrl) */           \
	X(DROP)			/* the agent ends the call from the workbench */     \
	X(DTMF_SEND)		/* the agent sends keys to the far end (text: the keys) */ \
	X(DTMF_TONE)		/* ... the key playing has been played */              \
	X(CONSULT)		/* the agent consults another (agent: reserved, name: its \
				 * id, text: its SIP user) */                               \
	X(CONSULT_MEDIA)	/* rtpengine's offer for the consulted phone (leg, text) */ \
	X(CONSULT_ANSWERED)	/* the consulted phone answered (leg, text: its SDP) */    \
	X(CONSULT_FAILED)	/* ... did not (leg, aev, text: why) */                    \
	X(CONSULT_GONE)		/* ... hung up (leg) */                                    \
	X(CONSULT_COMPLETE)	/* the caller goes to the consulted agent */               \
	X(CONSULT_CANCEL)	/* the agent goes back to the caller */ \
	X(MONITOR)		/* a supervisor monitors the call (text: its SIP user) */ \
	X(MONITOR_MEDIA)	/* rtpengine offered the supervisor's leg (leg, text: SDP) */ \
	X(MONITOR_ANSWERED)	/* the supervisor's phone answered (leg, text: its SDP) */ \
	X(MONITOR_FAILED)	/* ... it did not, or rtpengine failed (leg, text: reason) */ \
	X(MONITOR_GONE)		/* the supervisor hung up (leg, text: cause) */

#define CALL_EVENT_ENUM(name) CEV_##name,
enum call_event { CALL_EVENTS(CALL_EVENT_ENUM) CALL_EVENT_COUNT };
#undef CALL_EVENT_ENUM

/* What comes with an event. Pointers are static, in the call's home, or
 * (agent) owned by the ACD for as long as it is reserved for the call. */
struct cev_arg {
	struct leg *leg;
	struct agent *agent;
	const char *text;		/* a reason, a cause, an SDP, a file, a contact id */
	const char *name;		/* CONTACT: the contact's name; DIAL: the caller ID */
	const struct call_queue *queue;	/* ENQUEUE (in the call's home) */
	unsigned ms;			/* PLAYED: the prompt's length (0: music, or failed);
					 * RECORD: the longest recording */
	unsigned group;			/* RECORD: the skill group it is for */
	unsigned seq;			/* RECORD_*: the recording it is about */
	unsigned char aev;		/* AGENT_FAILED: what it means for the agent (enum agent_event) */
	unsigned char result;		/* HANGUP (enum call_result): RESULT_NONE means "as the state says" */
	bool lost;			/* *_GONE: the dialog ended without a BYE */
	bool looped;			/* PLAYED: music, which has no end */
	char digit;
};

/* The table (fsm.c): the state after ev in s, or -1. Pure. */
int call_fsm_next(enum call_state s, enum call_event ev);
/* Rows of the table, and how often each has run in this process (for the
 * test that every row is reachable). */
size_t call_fsm_rows(void);
unsigned long call_fsm_hits(size_t row, int *from, int *ev, int *to);
const char *call_state_name(enum call_state s);
const char *call_event_name(enum call_event ev);

/* The one way a call changes state: looks (state, ev) up in the table, moves
 * to the row's state and runs its action. An event raised while the call
 * is handling another waits until that one is done. Returns false when ev
 * has no meaning in the call's state (it is then ignored). */
bool call_event(struct call *call, enum call_event ev, const struct cev_arg *arg);

/* --- objects ----------------------------------------------------------------------- */

/* An external leg is a number called through the outbound gateway
 * (call_dial): offered, rung and bridged like an agent's, with no agent;
 * the AGENT_* events of the table are its events too. */
enum leg_role { LEG_CALLER, LEG_AGENT, LEG_EXTERNAL, LEG_MONITOR /* a supervisor's (monitor.c) */,
		LEG_CONSULT /* an agent the talking agent consults (consult.c) */ };

struct leg {
	struct call *call;
	nua_handle_t *nh;
	enum leg_role role;
	char tag[8];		/* rtpengine tag: "caller", "ag1", ... */
	char branch[8];		/* rtpengine via-branch of an outgoing leg */
	struct agent *agent;	/* agent legs: while the agent is reserved for the call */
	const char *agent_id;	/* a copy in the call's home */
	const char *number;	/* external legs: the number called, and the caller ID */
	const char *from_user;	/* shown (copies in the call's home) */
	bool answered;		/* 200 OK sent (incoming) or received (outgoing) */
	bool confirmed;		/* incoming: the caller's ACK came */
	bool bye_pending;	/* incoming: hung up before the ACK: BYE once it comes */
	bool ringing;		/* outgoing: 18x seen */
	bool withdrawn;		/* outgoing: we cancelled it */
	bool gone;		/* hung up or failed; no more signalling */
	bool outgoing;		/* the caller's leg of a call the B2BUA placed (originate.c):
				 * the offer came in its 200, the answer goes in the ACK */
	bool reinvite;		/* its re-INVITE waits for rtpengine's answer */
	const char *sdp;	/* its answer or offer, the one rtpengine has (call's home) */
	struct leg *next;	/* the next in the call's offers */
};

enum call_timer { TMR_PROMPT, TMR_MOH, TMR_MAX_WAIT, TMR_RING, TMR_LIMIT, TMR_FLOW, TMR_ANNOUNCE,
		  TMR_DTMF, TMR_COUNT };

/* A controller a transfer replaced: released when the call is freed. */
struct ctrl_retired {
	struct ctrl_retired *next;
	const struct call_ctrl *ctrl;
	void *state;
};

/* One row of the call's event log (cc_call_event). */
struct cdr_row {
	const char *event;	/* static */
	long long at;		/* ms */
	char *agent, *detail;	/* in the call's home, or NULL */
};

/* An event raised while the call handles another waits in a list (malloc'd,
 * freed as they are taken; what is left when the call is freed, by the
 * call's destructor): most events are raised outside any other, so a call
 * keeps no room for them. */
struct cev_pending {
	struct cev_pending *next;
	enum call_event ev;
	struct cev_arg arg;
};

struct call {
	su_home_t home[1];	/* the call is its own memory home, reference counted */
	char id[33];		/* cc_call.id and rtpengine's call-id */
	struct calls *calls;
	const struct calls_env *env;
	struct rtpe *rtpe;	/* its rtpengine, from call_alloc to the end (rtpe.h) */
	enum call_state state;
	struct call *next, *prev, *next_in_bucket;

	struct leg caller;
	char *chunk;		/* call_mem's current chunk, and what is left of it */
	size_t chunk_left;
	struct leg *agent_leg;	/* the agent talking, once one answered */
	struct leg *offered;	/* agents' legs offered and not answered (ring_all:
				 * several at once), or the external leg ringing */
	unsigned offers;
	unsigned dials;		/* external legs so far (their tags) */
	char *transfer_to;	/* the external number that answered */

	char *sip_call_id;
	char *caller_num;	/* From user part, as received */
	char *caller_norm;	/* normalized (phone.h), or "" */
	char *callee;		/* dialed number */
	char *sdp_caller;	/* the caller's offer */
	struct sdp_codec codec;	/* the codec the caller agreed on */
	int te_pt;		/* caller's telephone-event payload type, or -1 */

	unsigned number_id, group_id;
	const struct call_queue *queue;	/* where it waits (the controller's; never NULL) */
	struct qentry qe;

	const struct call_ctrl *ctrl;
	void *ctrl_state;

	su_timer_t *timers[TMR_COUNT];
	unsigned prompt_seq;	/* the prompt a reply or timer belongs to */
	bool media_up;		/* rtpengine knows the call */
	bool moh_on;		/* music on hold is playing */
	bool announcing;	/* a queue announcement is playing (instead of the music) */
	unsigned char announce_at, announce_n;	/* its next file, and how many */
	const char *announce[3];		/* its files */
	enum call_result outcome;	/* what a caller leaving now makes of it */

	char *contact_id, *contact_name;	/* the caller's CRM record, once found */
	char *attached;		/* the controller's data for the screen pop (JSON), or NULL */
	char *dedicated;			/* and its dedicated agent, if any */
	char *agent_id;		/* the agent who answered */
	bool after;		/* the caller goes back to the controller when the agent hangs up */
	bool looking_up;	/* the caller's contact is being looked up */
	char survey;		/* the survey's key, or 0 */
	const char *record;	/* the controller's part of the record (JSON), or NULL */
	unsigned task_id;	/* an outbound task's call: the task and target, else 0 */
	unsigned long long target_id;

	long long t_start, t_enqueue, t_offer, t_answer, t_end;
	struct cdr_row *log;	/* the event log: rows from nlog_written on wait for the next write */
	unsigned nlog, log_cap, nlog_written;
	long long log_written_ms;	/* when rows last went to the database */
	enum call_state end_from;	/* the state the call was in when it began to end */
	enum call_result result;
	enum hangup_side side;
	const char *cause;	/* static text */

	struct call_rec *rec;	/* the voicemail being recorded (record.c), or NULL */
	unsigned rec_seq;	/* recordings made: names their files and branches */

	/* Events raised while one is handled (run to completion), in order. */
	struct cev_pending *pending, **pending_tail;
	bool handling;

	/* A call the B2BUA places (originate.c): the first party's URI, who
	 * it is shown as, and how long it may ring. */
	bool outbound;		/* direction outbound (call.new, cc_call) */
	const char *origin_target, *origin_display;
	unsigned origin_ring_s;

	/* An agent's own call (own.c): the caller's leg is the agent's phone,
	 * the party dialed (call_dial) the customer. */
	char *agent_out;	/* the agent Kamailio says placed it (X-CC-Agent-Out), or NULL */
	struct agent *own_agent;	/* reserved for the call, until it ends */
	char *own_agent_id;
	unsigned own_wrapup_s;
	bool own_talking;	/* the agent's phone is up (AEV_ANSWER given) */
	char *dialed_norm;	/* the customer's number, normalized */

	/* The agent's in-call controls (incall.c). */
	bool muted;		/* the agent's audio is not sent to the caller */
	const char *keys_out;	/* keys still to send to the far end (call's home), or NULL */
	bool held_by_phone;	/* the hold came as the phone's re-INVITE */
	long long held_at;	/* when the hold began (HELD) */
	long long hold_ms;	/* held in all, and how often, for the record */
	unsigned holds, transfers;
	const struct call_ctrl *xfer_ctrl;	/* TRANSFER: who takes the caller over */
	void *xfer_state;
	const char *xfer_by;			/* ... asked by: "workbench", "phone" */
	struct ctrl_retired *retired;	/* controllers replaced, released with the call */

	struct call_recording *recording;	/* recording.c: the call's recording, or NULL */

	struct leg *monitor;	/* a supervisor's leg (monitor.c) while it monitors, or NULL */
	struct leg *consult;	/* the consulted agent's leg (consult.c), while consulted */
	unsigned consults;	/* consulted legs so far (their tags) */
	unsigned monitors;	/* supervisors' legs so far (their tags) */
};

/* Publishes ev about call (call id and subject set here). */
void call_publish(struct call *call, struct ev *ev);
/* Publishes what an agent's screen shows of the caller (call.ringing,
 * call.answered: the pop) for agent, at ts (0: now). */
void call_publish_pop(struct call *call, enum ev_type type, const char *agent, long long ts);
/* Arms / stops one of the call's timers; on expiry the timer's event is
 * raised. */
void call_timer_set(struct call *call, enum call_timer t, long ms);
void call_timer_stop(struct call *call, enum call_timer t);
/* Raises an event with no argument, or a text. */
void call_raise(struct call *call, enum call_event ev, const char *text);
/* A string copy for the call's lifetime (call_mem's chunks). */
char *call_strndup(struct call *call, const char *s, size_t len);
/* The agents' legs of the call's offers (queue.c). */
struct leg *call_offer_of(const struct call *call, const struct agent *a);
bool call_offered(const struct call *call, const struct leg *leg);
/* leg leaves the call's offers (nothing else is done). */
void call_unlink_offer(struct call *call, struct leg *leg);
/* leg answered: it leaves the offers, and every other offer is withdrawn. */
void call_take_offer(struct call *call, struct leg *leg);
/* Offers the waiting call to its dedicated agent first, when it has one
 * and the queue says how long (queue.c). */
void call_prefer(struct call *call);

/* media.c: where the call's ng commands go (its rtpengine's client). */
struct ng_client *call_ng(const struct call *call);

/* calls.c: the table of calls. A new call gets its rtpengine here;
 * call->rtpe is NULL when every rtpengine up is falling behind (the caller
 * turns the call away). */
struct call *call_alloc(struct calls *c);
/* The table takes the reference call_alloc gave. */
void calls_add(struct calls *c, struct call *call);
/* Whether new calls are taken (calls_accept). */
bool calls_accepting(const struct calls *c);
void calls_remove(struct calls *c, struct call *call);
/* Keeps an SDP offer (an INVITE's, or a late offer's 200's) as the
 * caller's, with its first codec. NULL, or why it cannot be used. */
const char *call_keep_offer(struct call *call, const char *body, size_t len);
/* lookup_contact's callback for the call (which holds a reference for it). */
void call_contact_found(void *arg, const char *id, const char *name, const char *agent,
			const struct lookup_field *fields, size_t nfields);

/* --- the table's actions (one file per phase) ------------------------------------ */
typedef void (call_action_h)(struct call *call, enum call_state from, const struct cev_arg *arg);
/* inbound.c: media, the controller's turn */
call_action_h act_answer_as_ivr, act_begin_flow, act_prompt_done, act_dtmf, act_flow_timer,
	act_play, act_stop_prompt, act_played, act_contact;
/* queue.c: waiting and offering */
call_action_h act_enqueue, act_no_queue, act_unstaffed, act_offers_gone, act_announce, act_announce_next, act_queue_timeout, act_music, act_offer, act_dial,
	act_ringing, act_agent_failed, act_no_answer, act_withdrawn;
/* dial.c: an external number */
call_action_h act_dial_out, act_dial_invite, act_dial_answered, act_dial_failed;
/* bridge.c: talking */
call_action_h act_bridge, act_bridged;
/* end.c: the end */
call_action_h act_media_failed, act_caller_gone, act_agent_gone, act_agent_left, act_hangup,
	act_too_long;
/* Ends the call now (end.c): the actions of rows that lead to ENDING. */
void call_end(struct call *call, enum call_result result, enum hangup_side side,
	      const char *cause);
/* Gives the controller a signal (inbound.c). */
void call_tell(struct call *call, enum call_signal sig, char digit);
/* The event an answered agent's hang-up is: AGENT_LEFT when the caller goes
 * back to the controller, else AGENT_GONE. */
enum call_event call_agent_gone_event(const struct call *call);
/* originate.c: a call the B2BUA places */
call_action_h act_originate, act_origin_answered, act_origin_failed;
/* own.c: an agent's own call */
call_action_h act_own_withdrawn;
/* The agent's phone is up (the agent's INVITE was taken, or its phone
 * answered the call placed to it). */
void own_agent_talking(struct call *call);
/* The customer (leg) answered: the agent's screen pop. */
void own_customer_answered(struct call *call, struct leg *leg);
/* The customer's record is looked up by number, the one dialed. */
void own_lookup(struct call *call, const char *number);
/* The call ends: the agent released, or into wrap-up after a talk. */
void own_end(struct call *call);
/* consult.c: the agent consults another, then transfers or goes back */
call_action_h act_consult, act_consult_invite, act_consult_answered, act_consult_back,
	act_consult_no_answer, act_consult_complete, act_consult_agent_gone;
void consult_response(struct leg *leg, int status, const char *phrase, const sip_t *sip);
/* The call ends while consulting: the consulted phone hung up, its agent
 * released. */
void consult_stop(struct call *call);
/* monitor.c: a supervisor listening */
call_action_h act_monitor, act_monitor_invite, act_monitor_answered, act_monitor_end;
/* The supervisor's leg's response to its INVITE (leg.c). */
void monitor_response(struct leg *leg, int status, const char *phrase, const sip_t *sip);
/* Ends the monitoring, if any (the call ends, the agent leaves or
 * transfers the caller): the
 * supervisor's phone is hung up; why names it in call.monitor_ended. */
void monitor_stop(struct call *call, const char *why);
/* record.c: a voicemail */
call_action_h act_record, act_record_answer, act_record_done, act_record_stop;
/* incall.c: the agent's controls while talking */
call_action_h act_hold, act_resume, act_mute, act_unmute, act_reinvite, act_transfer, act_drop,
	act_dtmf_send, act_dtmf_tone;
/* The two sides of a talking call: the agent's phone and the customer's
 * (the caller, or the number an agent's own call dialed). false when the
 * call has no agent talking (an IVR's external number). */
bool call_sides(struct call *call, struct leg **agent, struct leg **customer);
/* The refer hooks main.c set (calls_set_refer), or NULL. */
const struct call_refer_ops *calls_refer(const struct calls *c, void **arg);
/* A REFER from leg (its Refer-To user): the status to answer it with (202,
 * or a refusal that leaves the dialog as it is: 403, 501) and, for a
 * refusal, why (static text, for the Warning);
 * after a 202 the caller is being handed on (incall.c). */
int call_referred(struct call *call, struct leg *leg, const char *user, const char **why,
		  char *target, size_t n);
/* The hold ends (taken back, transferred, the agent gone): its time is
 * counted and the media restored. Returns how long it was. */
long long call_hold_end(struct call *call);
/* The music a held caller hears: its group's, else the system's moh.wav. */
const char *call_hold_music(struct call *call);
/* An agent's leg at the end: hung up, its agent released (or into
 * wrap-up) (end.c). */
void call_end_agent_leg(struct call *call, struct leg *ag, enum hangup_side side);

/* --- record.c: the voicemail being recorded --------------------------------------- */
/* Ends the recording under way, if any (the call ends): the file is
 * completed and its row written; the controller is not told. */
void record_finish(struct call *call);
/* What the recording under way has received so far; false when none runs. */
struct rtp_sink_stats;
bool record_stats(const struct call *call, struct rtp_sink_stats *st);

/* --- media.c: rtpengine for a call ---------------------------------------------- */
/* Offers the caller's SDP to rtpengine (MEDIA_OFFERED or MEDIA_FAILED
 * follows), then answers it as the IVR (MEDIA_READY with the SDP for the
 * caller's 200, or MEDIA_FAILED). */
void media_anchor(struct call *call);
void media_answer_as_ivr(struct call *call);
/* Plays file (in the call's home) to the caller, looped when repeat > 0
 * (music); PLAYED follows with its length. */
void media_play(struct call *call, const char *file, long repeat);
void media_stop(struct call *call);
/* Offers the caller's media to leg (an agent) on its own branch, with the
 * caller's codec only: LEG_MEDIA (the SDP for the leg's INVITE) or
 * MEDIA_FAILED follows. false when no offer can be made from the caller's
 * SDP (nothing was sent). */
bool media_offer_leg(struct call *call, struct leg *leg);
/* Bridges leg (which answered with sdp); raises BRIDGE_READY or MEDIA_FAILED. */
void media_bridge(struct call *call, struct leg *leg, const char *sdp);
/* Drops the call in rtpengine. */
void media_delete(struct call *call);
/* Hold (on) or take back: neither side's audio reaches the other, the
 * customer hears moh (an absolute path, or NULL: silence) looped. Taking
 * back keeps the agent's side blocked when muted. Fire and forget: a
 * failed command is logged. */
void media_hold(struct call *call, const struct leg *agent, const struct leg *customer, bool on,
		const char *moh, bool muted);
/* The agent's side is dropped (on) or sent again. */
void media_mute(struct call *call, const struct leg *agent, bool on);
/* rtpengine subscriptions (docs/supervisor.md, docs/incall.md): to_tag
 * hears from_tags (NULL-terminated) on its own port. h (may be NULL: a
 * failure is logged) gets the reply's SDP (an offer for to_tag's phone) or
 * the error. */
typedef void (media_sdp_h)(struct call *call, void *arg, const char *sdp, const char *err);
bool media_subscribe(struct call *call, const char *const *from_tags, const char *to_tag,
		     media_sdp_h *h, void *arg);
bool media_subscribe_answer(struct call *call, const char *to_tag, const char *sdp,
			    media_sdp_h *h, void *arg);
void media_unsubscribe(struct call *call, const char *to_tag);
/* a and b hear each other, each on its port (sdp_a, sdp_b: their phones'
 * SDPs): four requests, fire and forget. */
void media_link(struct call *call, const struct leg *a, const char *sdp_a, const struct leg *b,
		const char *sdp_b);
/* Plays file (absolute, static or in the call's home) once to leg: fire
 * and forget; media_music_to loops it (moh_repeat times). */
void media_play_to(struct call *call, const struct leg *leg, const char *file);
void media_music_to(struct call *call, const struct leg *leg, const char *file);
/* The agent's phone re-INVITEd with sdp (hold or resume): rtpengine is
 * offered it and answers for the other side with other_sdp in direction
 * dir; the SDP for the phone's 200 comes to done (NULL: failed). */
typedef void (media_reoffer_h)(struct call *call, struct leg *leg, const char *sdp);
void media_reoffer(struct call *call, struct leg *leg, const struct leg *other, const char *sdp,
		   const char *other_sdp, enum sdp_dir dir, media_reoffer_h *done);

/* --- leg.c: a party's SIP dialog -------------------------------------------------- */
void leg_init(struct leg *leg, struct call *call, enum leg_role role, unsigned n);
/* The caller's leg takes the incoming INVITE's handle. */
void leg_accept(struct leg *leg, nua_handle_t *nh);
/* Answers the incoming leg with sdp (200 OK); an outgoing caller's leg
 * (a late offer) with the ACK of its 200. */
void leg_answer(struct leg *leg, const char *sdp);
/* Calls target ("sip:1001@cc.local") through the proxy with sdp, showing
 * display and from_user (the From URI's user) as the caller. 0, or -1
 * (nothing sent). */
int leg_dial(struct leg *leg, const char *target, const char *display, const char *from_user,
	     const char *sdp);
/* Calls target as leg_dial does, with no SDP (a late offer: the offer
 * comes in the 200, the answer goes in the ACK, leg_answer). 0, or -1. */
int leg_originate(struct leg *leg, const char *target, const char *display,
		  const char *from_user);
/* Hangs leg up as its state needs: BYE, CANCEL, or a final response with
 * status to an incoming call not answered yet. */
void leg_hangup(struct leg *leg, int status);
/* What a final failure status of an outgoing leg means for its agent
 * (a->aev) and in words (a->text). */
void leg_failure(int status, struct cev_arg *a);
/* Answers the leg's pending re-INVITE: 200 with sdp, or status (no SDP). */
void leg_reinvite_answer(struct leg *leg, int status, const char *sdp);

/* --- cdr.c: call records, from the bus --------------------------------------------- */
struct cdr;
int cdr_alloc(struct cdr **cp, struct core *core, struct dbq *dbq);
void cdr_free(struct cdr *c);
/* Closes this node's records started before before_ms and still open (see
 * calls_close_lost). 0, or an errno value (nothing queued). */
int cdr_close_lost(struct cdr *c, long long before_ms, const struct calls_closed_cb *cb);

/* --- recording.c: the call's recording (rtpengine's pcaps) ------------------------ */
/* The agent's media is bridged: the queue's policy decides (`all`: it
 * starts now). */
void recording_bridged(struct call *call);
/* The call ends: the recording stops and its row is queued. */
void recording_end(struct call *call);

#endif
