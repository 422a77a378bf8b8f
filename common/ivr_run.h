/* The IVR interpreter (docs/ivr.md, "The interpreter"): a flow compiled
 * once into a program, and one small state per call stepped by events.
 *
 * The B2BUA runs it as a call's controller; the web app runs it for test
 * calls (simulate). It does no I/O and reads no clock: what a call does
 * (play, wait, request, transfer, hang up) goes out through the ops table
 * the caller gives, and every event carries the time it happened (`now`,
 * ms since the epoch), which the time node reads. The one exception is
 * building a program: a time node's zone is read from its TZif file then,
 * once.
 *
 * A program is immutable once built and reference counted: calls keep a
 * reference to the program they run (and to each sub-flow's), so a flow
 * published while calls are inside it leaves them on their version. */
#ifndef CC_IVR_RUN_H
#define CC_IVR_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "ivr.h"

/* Limits: a variable's value (bytes, longer values cut on a character),
 * nested sub-flows, nodes stepped through for one event without waiting,
 * digits a collect node keeps. */
#define IVR_VALUE_MAX 255
#define IVR_DEPTH_MAX 8
#define IVR_SPIN_MAX 64
#define IVR_DIGITS_MAX 32

struct ivr_prog;
struct ivr_call;

/* Builds the program of flow f (read by ivr_parse; checked or not: an exit
 * connected to nothing ends the flow when taken). flow_id: the flow's
 * number, reported with each step and used to find sub-flows; zoneinfo:
 * the folder of TZif files ("/usr/share/zoneinfo" when NULL). 0 with *pp
 * set (one reference), or -1 with the problems added to p (a time zone
 * that does not exist: "ivr.time_zone"; out of memory: "ivr.internal").
 * The program copies what it needs: f may be freed at once. */
int ivr_prog_build(struct ivr_prog **pp, const struct ivr_flow *f, unsigned flow_id,
		   const char *zoneinfo, struct ivr_problems *p);
struct ivr_prog *ivr_prog_ref(struct ivr_prog *prog);
/* Drops a reference; the last one frees the program. NULL is ignored. */
void ivr_prog_unref(struct ivr_prog *prog);
unsigned ivr_prog_flow(const struct ivr_prog *prog);
/* The sub-flows a program names (for the caller to load them first). */
size_t ivr_prog_subflows(const struct ivr_prog *prog, const unsigned **ids);

/* --- events in ---------------------------------------------------------------------- */

#define IVR_EVENT_TYPES(X)                                                      \
	X(START, "start")             /* the caller was answered */            \
	X(PROMPT_DONE, "prompt_done") /* every prompt of the play op played */  \
	X(DIGIT, "digit")             /* a key (DTMF or SIP INFO): digit */     \
	X(TIMER, "timer")             /* the timer of the timer op fired */     \
	X(HTTP_REPLY, "http_reply")   /* status, body, body_len */              \
	X(HTTP_ERROR, "http_error")   /* no reply (connection refused, ...) */  \
	X(HTTP_TIMEOUT, "http_timeout")                                         \
	X(NEXT, "next")               /* queue, agent, dial: not taken/reached */ \
	X(AFTER, "after")             /* taken, and the other side hung up */   \
	X(RECORDED, "recorded")       /* the voicemail recording finished */    \
	X(GONE, "gone")               /* the caller hung up */

#define IVR_EVENT_ENUM(name, str) IVR_EV_##name,
enum ivr_event_type { IVR_EVENT_TYPES(IVR_EVENT_ENUM) IVR_EVENT_TYPE_COUNT };
#undef IVR_EVENT_ENUM

struct ivr_event {
	enum ivr_event_type type;
	long long now;		/* ms since the epoch (wall clock) */
	char digit;		/* DIGIT: 0-9, *, #, A-D */
	int status;		/* HTTP_REPLY */
	const char *body;	/* HTTP_REPLY, not NUL-terminated */
	size_t body_len;
};

/* --- actions out ---------------------------------------------------------------------- */

/* A prompt to play: a file of the audio library, or text to speech (its
 * variables replaced). */
struct ivr_prompt {
	unsigned audio;		/* cc_audio.id, or 0 for text */
	const char *text;	/* the text when audio is 0 */
	const char *voice;	/* "cmn" or "en" */
};

struct ivr_kv {
	const char *name, *value;
};

struct ivr_http_req {
	const char *method;	/* GET, POST, PUT */
	const char *url;	/* variables replaced, percent-encoded */
	const struct ivr_kv *headers;	/* values with line breaks taken out */
	size_t nheaders;
	const char *body;	/* NULL when the node has none */
	unsigned timeout_ms;
};

struct ivr_queue_req {
	unsigned group;
	unsigned priority;	/* 0..9, higher first */
	unsigned max_wait_s;	/* 0: the group's own */
	bool familiar;		/* the agent who last served the caller first */
	const struct ivr_kv *attached;	/* variables shown in the screen pop */
	size_t nattached;
	bool after;		/* the node has an `after` exit: AFTER is awaited when
				 * the agent hangs up (else the call ends then) */
};

/* A node entered (exit NULL) or left by an exit (exit set: "next", "key 1",
 * "case 2", "timeout", ...; digits: the key or the digits that chose it, an
 * HTTP node's status). */
struct ivr_step {
	unsigned flow;
	const char *node;
	enum ivr_node_type type;
	const char *exit;
	const char *digits;
};

/* What a call does, given by the caller. Pointers passed to an op are valid
 * during the op only: an op copies what it keeps. An op must not call back
 * into the interpreter; it reports back with a later event. Every op may
 * be NULL except step. */
struct ivr_ops {
	/* Plays prompts one after another, then PROMPT_DONE. interruptible: a
	 * key stops them (the interpreter calls stop). */
	void (*play)(void *arg, const struct ivr_prompt *prompts, size_t n, bool interruptible);
	void (*stop)(void *arg);
	/* One timer per call: set replaces the one running; TIMER when it fires. */
	void (*timer)(void *arg, unsigned ms);
	void (*cancel)(void *arg);
	/* HTTP_REPLY, HTTP_ERROR or HTTP_TIMEOUT later. */
	void (*http)(void *arg, const struct ivr_http_req *req);
	/* The call handed over: NEXT or AFTER later. caller_id NULL: the number
	 * the caller dialed. */
	void (*enqueue)(void *arg, const struct ivr_queue_req *q);
	/* after: the node has an `after` exit (as for enqueue). */
	void (*to_agent)(void *arg, const char *agent, bool after);
	void (*dial)(void *arg, const char *number, const char *caller_id);
	/* Plays prompts, then records up to max_s seconds for group: RECORDED. */
	void (*record)(void *arg, unsigned group, unsigned max_s, const struct ivr_prompt *prompts,
		       size_t n);
	void (*survey_result)(void *arg, char key);
	void (*hangup)(void *arg, const char *cause);
	/* The flow ended (an end node, an exit to nothing, AFTER with no after
	 * exit): the call ends. */
	void (*end)(void *arg);
	void (*step)(void *arg, const struct ivr_step *s);
	/* A published flow for a sub-flow node: a reference the call keeps, or
	 * NULL when there is none. */
	struct ivr_prog *(*lookup)(void *arg, unsigned flow_id);
};

/* --- a call ------------------------------------------------------------------------- */

/* What a call waits for after an event. */
#define IVR_WAITS(X) X(NONE, "none") X(PROMPT, "prompt") X(DIGIT, "digit") X(HTTP, "http") \
	X(QUEUE, "queue") X(RECORD, "record")
#define IVR_WAIT_ENUM(name, str) IVR_WAIT_##name,
enum ivr_wait { IVR_WAITS(IVR_WAIT_ENUM) IVR_WAIT_COUNT };
#undef IVR_WAIT_ENUM

/* A call's state running prog (a reference is taken). 0, or ENOMEM. */
int ivr_call_alloc(struct ivr_call **cp, struct ivr_prog *prog, const struct ivr_ops *ops,
		   void *arg);
void ivr_call_free(struct ivr_call *c);
/* Sets a variable (before START: the built-ins caller, callee, call_id,
 * number_name, contact_*). Values longer than IVR_VALUE_MAX are cut. 0, or
 * -1 when the name is not a variable name or the call has IVR_MAX_VARS. */
int ivr_call_set(struct ivr_call *c, const char *name, const char *value);
/* A variable's value, or NULL when not set. */
const char *ivr_call_get(const struct ivr_call *c, const char *name);
/* Steps the call by one event: zero or more ops are called. */
void ivr_call_event(struct ivr_call *c, const struct ivr_event *ev);
enum ivr_wait ivr_call_waiting(const struct ivr_call *c);
bool ivr_call_ended(const struct ivr_call *c);
/* The variables, for the call's record: calls h for each. */
void ivr_call_vars(const struct ivr_call *c, void (*h)(void *arg, const char *name,
						       const char *value), void *arg);

const char *ivr_event_name(enum ivr_event_type t);
int ivr_event_parse(const char *name);
const char *ivr_wait_name(enum ivr_wait w);

/* The file a text prompt is spoken from: "tts-<sha256 of voice and text,
 * 32 hex digits>.wav" in the audio folder, made when the flow is published
 * (voice NULL: "cmn"). 0, or -1 when out is too small. */
int ivr_tts_file(const char *voice, const char *text, char *out, size_t size);

/* --- time zones (ivr_tz.c) -------------------------------------------------- */

/* A time zone read from a TZif file (RFC 8536) and its POSIX footer. */
struct ivr_tz;
/* 0, or -1 when name is no zone name (letters, digits, '_', '+', '-'
 * segments joined by '/') or dir/name is no TZif file. */
int ivr_tz_load(struct ivr_tz **out, const char *dir, const char *name);
void ivr_tz_free(struct ivr_tz *tz);
/* Seconds east of UTC at t (seconds since the epoch). */
long ivr_tz_offset(const struct ivr_tz *tz, long long t);

#endif
