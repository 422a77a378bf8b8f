/* Every event of the call center, in one table.
 *
 * The B2BUA publishes each event once on its in-loop bus (b2bua/core/bus.h);
 * what reads it takes its shape from here: the control socket's JSON lines,
 * the call's event log (cc_call_event), the web app's hub (which class an
 * event belongs to, whom it concerns) and docs/control-protocol.md (printed
 * by `cc-b2bua --print-events`). Adding an event is one row of EV_EVENTS and,
 * if it carries something new, one row of EV_FIELDS.
 *
 * An event is a flat struct ev: the fields a row names are set, the others
 * left zero. Strings are borrowed for the time of the publish; an empty
 * string and NULL both go out as JSON null. */
#ifndef CC_EVENT_H
#define CC_EVENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The fields events carry: X(name, type, doc), type STR, INT or BOOL. */
#define EV_FIELDS(X)                                                                      \
	X(call, STR, "the call's id (`cc_call.id`)")                                      \
	X(agent, STR, "the agent concerned (`cs_user.ID`), or null")                      \
	X(sip, STR, "the agent's SIP user")                                               \
	X(group, INT, "skill group id (0: none)")                                          \
	X(direction, STR, "`inbound` or `outbound`")                                      \
	X(caller, STR, "the caller's number as received")                                 \
	X(caller_norm, STR, "the caller's number normalized (E.164), or null")           \
	X(callee, STR, "the number dialed")                                               \
	X(contact, STR, "the caller's CRM contact id, or null")                           \
	X(contact_name, STR, "the contact's name, or null")                               \
	X(state, STR, "the agent's state: `logged_out`, `ready`, `not_ready`, `reserved`, `on_call`, `wrap_up`") \
	X(prev, STR, "the agent's (or the task's) state before")                                          \
	X(reason, STR, "why: a break reason, or why an offer failed (`no_answer`, `rejected`, `unreachable`, `reservation lost`, `queue timeout`, `caller_gone`)") \
	X(pending, STR, "the state the agent asked for during a call, or null")          \
	X(ver, INT, "the version of the agent's state: ms since the epoch of the change, increasing per agent whichever node made it; a lower one than already seen is older news (docs/cluster.md)") \
	X(registered, BOOL, "whether the agent's phone is registered")                   \
	X(file, STR, "the prompt's file name")                                            \
	X(ms, INT, "the prompt's length in ms (0: music, looped); `call.resume`: how long the caller was held") \
	X(digit, STR, "the key pressed: 0-9, *, #, A-D")                                  \
	X(result, STR, "`answered`, `abandoned`, `no_agent` or `failed`")                 \
	X(hangup_side, STR, "`caller`, `agent`, `system` or `external` (the external number dialed)")                              \
	X(cause, STR, "what ended the call, in words, or null")                          \
	X(flow, INT, "the IVR flow (`cc_ivr_flow.id`)")                                  \
	X(node, STR, "the IVR node's id")                                                 \
	X(exit, STR, "the exit the call left the node by (`next`, `key 1`, `timeout`, ...), or null when it entered it") \
	X(digits, STR, "the key or digits that chose the exit, or null")                  \
	X(data, STR, "what an IVR flow attached to the call for the screen pop: a JSON object's text of names and values (`{\"order\":\"12345\"}`), or null") \
	X(task, INT, "the outbound task (`cc_task.id`)")                                  \
	X(target, INT, "the task's target (`cc_task_target.id`)")                         \
	X(attempt, INT, "the target's attempt (1 for the first call)")                    \
	X(step, STR, "where a task's call is: `dialing`, `ringing`, `answered` (by the customer), `connected` (to an agent), `ended`") \
	X(task_state, STR, "a task's state: `init`, `stopped`, `running`, `deleted`")     \
	X(recording, STR, "what happened to the call's recording: `started`, `paused`, `resumed`, `stopped`") \
	X(mode, STR, "how a supervisor monitors a call: `listen`")                       \
	X(outcome, STR, "an attempt's result: `answered`, `no_answer`, `busy`, `rejected`, `invalid`, `abandoned`, `failed`, or null") \
	X(transfers, INT, "how often the call was transferred before (its pop then carries the note so far)") \
	X(to, STR, "a transfer's target: `agent:<id>`, `group:<id>`, `flow:<id>` or `number:<digits>`") \
	X(by, STR, "who did it: `workbench` (the agent's buttons), `phone` (the agent's phone: its hold, its REFER)")

/* The classes a subscriber chooses among: X(name, doc). */
#define EV_CLASSES(X)                                                     \
	X(agent, "agents' state and phones")                              \
	X(call, "calls: arrival, prompts, keys, offers, answer, end")     \
	X(queue, "calls joining and leaving skill groups' queues")        \
	X(task, "outbound tasks: their state and their calls")

/* X(id, name, class, log, detail, fields, doc):
 *   log     the call's event log row (cc_call_event.event) it becomes, or NULL;
 *   detail  that row's detail: text with {field} replaced by the field, or NULL;
 *           the row's agent is the event's agent field;
 *   fields  EVF_ flags of the fields it carries, in the order written out. */
#define EV_EVENTS(X)                                                                       \
	X(AGENT_STATE, "agent.state", agent, NULL, NULL,                                    \
	  EVF(agent) | EVF(state) | EVF(prev) | EVF(reason) | EVF(call) | EVF(pending) | EVF(ver), \
	  "an agent's state (or the state it asked for during a call) changed")          \
	X(AGENT_REGISTRATION, "agent.registration", agent, NULL, NULL,                      \
	  EVF(agent) | EVF(registered), "an agent's phone registered or went away")        \
	X(CALL_NEW, "call.new", call, "start", "{caller}",                                  \
	  EVF(call) | EVF(direction) | EVF(caller) | EVF(callee) | EVF(agent) | EVF(task),  \
	  "a call arrived (inbound), or the B2BUA placed one (outbound: for agent, or for task)")         \
	X(CALL_CONTACT, "call.contact", call, NULL, NULL,                                   \
	  EVF(call) | EVF(contact) | EVF(contact_name),                                    \
	  "the caller was found among the helpdesk's contacts")                            \
	X(CALL_PROMPT, "call.prompt", call, "prompt", "{file} {ms} ms",                     \
	  EVF(call) | EVF(file) | EVF(ms), "the caller is played a prompt or music")       \
	X(CALL_DTMF, "call.dtmf", call, "dtmf", "{digit}", EVF(call) | EVF(digit),          \
	  "the caller pressed a key")                                                      \
	X(CALL_IVR, "call.ivr", call, "ivr", "{flow} {node} {exit} {digits}",              \
	  EVF(call) | EVF(flow) | EVF(node) | EVF(exit) | EVF(digits),                     \
	  "the call's path through an IVR flow: a node entered, or left by an exit")      \
	X(CALL_QUEUED, "call.queued", queue, "enqueue", NULL,                               \
	  EVF(call) | EVF(group) | EVF(caller), "the call joined a skill group's queue")    \
	X(CALL_OFFERED, "call.offered", call, "offer", "{sip}",                             \
	  EVF(call) | EVF(agent) | EVF(sip) | EVF(group),                                  \
	  "an agent was reserved for the call and its phone is being called")             \
	X(CALL_RINGING, "call.ringing", call, "ringing", NULL,                              \
	  EVF(call) | EVF(agent) | EVF(group) | EVF(caller) | EVF(caller_norm) |           \
		  EVF(contact) | EVF(contact_name) | EVF(data) | EVF(task) | EVF(target) | \
		  EVF(transfers),                                                          \
	  "the agent's phone rings (task, target: an outbound task's call, else 0)")                                                       \
	X(CALL_ANSWERED, "call.answered", call, "answer", NULL,                             \
	  EVF(call) | EVF(agent) | EVF(group) | EVF(caller) | EVF(caller_norm) |           \
		  EVF(contact) | EVF(contact_name) | EVF(data) | EVF(task) | EVF(target) | \
		  EVF(transfers),                                                          \
	  "the agent answered (ts: when its 200 OK arrived): the screen pop")             \
	X(CALL_OFFER_FAILED, "call.offer_failed", call, "offer_failed", "{reason}",         \
	  EVF(call) | EVF(agent) | EVF(reason), "the agent's phone did not take the call") \
	X(CALL_DIAL, "call.dial", call, "dial", "{callee} {caller}",                        \
	  EVF(call) | EVF(callee) | EVF(caller),                                           \
	  "the controller dials an external number (callee) showing caller as caller ID")  \
	X(CALL_DIAL_ANSWERED, "call.dial_answered", call, "dial_answer", "{callee}",        \
	  EVF(call) | EVF(callee), "the external number answered: caller and it talk")     \
	X(CALL_DIAL_FAILED, "call.dial_failed", call, "dial_failed", "{reason}",            \
	  EVF(call) | EVF(callee) | EVF(reason),                                           \
	  "the external number was not reached (`rejected`, `no_answer`, `unreachable`, `bad number`)") \
	X(CALL_HOLD, "call.hold", call, "hold", "{by}", EVF(call) | EVF(agent) | EVF(by),     \
	  "the agent put the caller on hold: the caller hears music, neither hears the other") \
	X(CALL_RESUME, "call.resume", call, "resume", "{by} {ms} ms",                        \
	  EVF(call) | EVF(agent) | EVF(by) | EVF(ms),                                      \
	  "the agent took the caller off hold (ms: how long it was held)")                 \
	X(CALL_MUTE, "call.mute", call, "mute", NULL, EVF(call) | EVF(agent),              \
	  "the agent muted its side: the caller does not hear the agent")                  \
	X(CALL_UNMUTE, "call.unmute", call, "unmute", NULL, EVF(call) | EVF(agent),        \
	  "the agent's side is heard again")                                               \
	X(CALL_DTMF_SEND, "call.dtmf_send", call, "dtmf_send", "{digits}",                   \
	  EVF(call) | EVF(agent) | EVF(digits),                                            \
	  "the agent sent keys to the far end (in-band tones; the caller's side hears them)") \
	X(CALL_CONSULT, "call.consult", call, "consult", "{to}", EVF(call) | EVF(agent) | EVF(to), \
	  "the agent consults another agent (to: its id; the same in consult_answered and consult_ended), the caller waiting on hold")     \
	X(CALL_CONSULT_ANSWERED, "call.consult_answered", call, "consult_answer", "{to}",      \
	  EVF(call) | EVF(agent) | EVF(to),                                                \
	  "the consulted agent (to) answered: the two agents talk")                        \
	X(CALL_CONSULT_ENDED, "call.consult_ended", call, "consult_end", "{to} {reason}",      \
	  EVF(call) | EVF(agent) | EVF(to) | EVF(reason),                                  \
	  "the consultation is over (reason: `completed`: the caller went to the consulted agent; `cancelled`, `no_answer`, `rejected`, `unreachable`, `dialog lost`: back to the caller; `call_ended`)") \
	X(CALL_TRANSFER, "call.transfer", call, "transfer", "{to} {by}",                    \
	  EVF(call) | EVF(agent) | EVF(to) | EVF(by),                                      \
	  "the agent transferred the caller (blind) to `to` and left the call")            \
	X(CALL_NO_AGENT, "call.no_agent", queue, "no_agent", NULL,                          \
	  EVF(call) | EVF(group),                                                          \
	  "the call left its queue without an agent (maximum wait, or no queue)")          \
	X(CALL_MONITOR, "call.monitor", call, "monitor", "{sip} {mode}",                    \
	  EVF(call) | EVF(sip) | EVF(mode),                                                \
	  "a supervisor's phone (sip) is called to monitor the call")                     \
	X(CALL_MONITOR_ANSWERED, "call.monitor_answered", call, "monitor_answer", "{sip}",  \
	  EVF(call) | EVF(sip) | EVF(mode), "the supervisor's phone answered: it hears the caller and the agent") \
	X(CALL_MONITOR_ENDED, "call.monitor_ended", call, "monitor_end", "{sip} {reason}",  \
	  EVF(call) | EVF(sip) | EVF(reason),                                              \
	  "the monitoring ended (`hangup`, `call_ended`, `agent_left`, `transferred`, `rejected`, `no_answer`, `unreachable`, `media`)") \
	X(CALL_ENDED, "call.ended", call, "end", "{result}",                                \
	  EVF(call) | EVF(agent) | EVF(result) | EVF(hangup_side) | EVF(cause),            \
	  "the call is over (agent: who answered it, or null)")                           \
	X(CALL_RECORDING, "call.recording", call, "recording", "{recording}",               \
	  EVF(call) | EVF(agent) | EVF(recording),                                         \
	  "the call's recording started, paused, resumed or stopped (agent: who talks)")  \
	X(TASK_STATE, "task.state", task, NULL, NULL,                                       \
	  EVF(task) | EVF(task_state) | EVF(prev) | EVF(reason),                           \
	  "an outbound task changed state (prev: the state before; reason: the action)")   \
	X(TASK_CALL, "task.call", task, "task", "{task} {target} {attempt} {step} {outcome}", \
	  EVF(task) | EVF(target) | EVF(attempt) | EVF(call) | EVF(callee) | EVF(group) |  \
		  EVF(step) | EVF(outcome) | EVF(cause),                                   \
	  "a call of an outbound task moved on (step; at `ended`, outcome: the attempt's result)")

#define EV_FIELD_ENUM(name, type, doc) EVF_##name,
enum ev_field { EV_FIELDS(EV_FIELD_ENUM) EV_FIELD_COUNT };
#undef EV_FIELD_ENUM
#define EVF(name) (1ull << EVF_##name)

#define EV_CLASS_ENUM(name, doc) EVC_##name,
enum ev_class { EV_CLASSES(EV_CLASS_ENUM) EV_CLASS_COUNT };
#undef EV_CLASS_ENUM
#define EV_CLASS_BIT(cls) (1u << (cls))
#define EV_CLASS_ALL ((1u << EV_CLASS_COUNT) - 1)

#define EV_TYPE_ENUM(id, name, cls, log, detail, fields, doc) EV_##id,
enum ev_type { EV_EVENTS(EV_TYPE_ENUM) EV_TYPE_COUNT };
#undef EV_TYPE_ENUM

typedef const char *ev_STR_t;
typedef long long ev_INT_t;
typedef bool ev_BOOL_t;

struct ev {
	enum ev_type type;
	long long ts;		/* ms since the epoch; 0: the bus sets now */
	const void *subject;	/* in the B2BUA: the object it is about (the call) */
#define EV_MEMBER(name, type, doc) ev_##type##_t name;
	EV_FIELDS(EV_MEMBER)
#undef EV_MEMBER
};

struct ev_def {
	const char *name;
	enum ev_class cls;
	const char *log, *detail;
	unsigned long long fields;
	const char *doc;
};

const struct ev_def *ev_def(enum ev_type type);
/* The event called name ("call.answered"), or -1. */
int ev_type_by_name(const char *name);
const char *ev_class_name(enum ev_class cls);
/* A class by name ("call"), or -1. */
int ev_class_by_name(const char *name);
/* The class of the event called name, or -1 for a name not in the table. */
int ev_class_of(const char *name);

/* {"event": name, "ts": ts, field: value, ...} with the row's fields. NULL
 * only when out of memory. */
json_t *ev_json(const struct ev *e);
/* The same JSON (compact, keys in the same order) written into buf, with a
 * NUL; returns its length, which is cap or more when it did not fit (then
 * call again with a buffer of that length + 1). 0 for an unknown type. */
size_t ev_write_json(const struct ev *e, char *buf, size_t cap);
/* The log row's detail: the row's detail text with each {field} replaced,
 * cut to n - 1 bytes. Returns false (and "" in buf) when the row has none. */
bool ev_detail(const struct ev *e, char *buf, size_t n);

/* The events and fields as Markdown tables (docs/control-protocol.md). */
void ev_print_docs(FILE *out);

#endif
