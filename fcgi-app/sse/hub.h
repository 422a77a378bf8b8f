/* The event hub: one subscription to each B2BUA node's event socket
 * (link.c), merged (an agent's events by `ver`, vergate.c) and fanned out
 * to the browsers' open event streams (stream.c).
 *
 * Every stream has its own bounded queue of formatted SSE frames; the hub
 * only appends to queues and never waits for a stream: a stream whose queue
 * is full is dropped (its browser reconnects). Routing (hub_route): an
 * agent's stream gets the agent and call events whose `agent` is that agent;
 * an admin's stream gets every agent and queue event, and every call event
 * when it asked for them (the wallboard's /cc/events?calls=1); an agent's
 * stream never gets another agent's call. The pop loaders
 * (pop.c) turn call.ringing/call.answered into the screen pop for agents
 * with an open stream; the sweeper (sweep.c) ends streams whose session
 * ended. */
#ifndef WEB_HUB_H
#define WEB_HUB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct web;
struct hub;
struct stream;

struct stream_info {
	char user_id[64];
	char token_hash[65];
	bool agent, admin;
	bool outbound;		/* admin or the outbound system's holder: task events */
	bool monitor;		/* admin or a supervisor (通话监控): agents' and queues' events */
	bool calls;		/* an admin's stream that asked for every call event */
};

/* The routing rule: does a stream of si get event (concerning agent, or
 * NULL)? Which class an event is of comes from the event table
 * (common/event.h); an event not in it goes to nobody. */
bool hub_route(const struct stream_info *si, const char *event, const char *agent);

/* The hub's bounds (web.conf's sse_*); 0 takes the default. */
struct hub_limits {
	unsigned queue_max;		/* events waiting for one stream [256] */
	unsigned max_streams;		/* streams open at once [256] */
	unsigned session_streams;	/* of one session [4] */
};
/* w may be NULL (tests): then hub_start is not called. */
int hub_alloc(struct hub **hp, struct web *w, const struct hub_limits *lim);
/* Starts the link, pop and sweep threads. 0 or an errno value. */
int hub_start(struct hub *h);
/* Stops the threads, ends every stream and waits (up to wait_ms) for the
 * stream threads to finish. */
void hub_stop(struct hub *h, unsigned wait_ms);
void hub_free(struct hub *h);
bool hub_stopping(const struct hub *h);

/* Registers a stream. The caller (the stream's thread) owns it and must
 * hub_close it. A session has at most sse_session_streams open: a new one
 * closes the session's oldest (event `bye`, reason "replaced"). NULL with
 * errno EAGAIN when sse_max_streams are open (closing ones count: their
 * threads still run), ESHUTDOWN when stopping, ENOMEM. */
struct stream *hub_open(struct hub *h, const struct stream_info *si);
void hub_close(struct hub *h, struct stream *s);
size_t hub_nstreams(struct hub *h);

/* Routes a B2BUA event (borrowed) to the streams that get it. An event of
 * an agent with a `ver` below the highest seen for that agent is dropped
 * (vergate_pass): false then, true otherwise. */
bool hub_dispatch(struct hub *h, json_t *ev);
/* Sends data (borrowed) as event `name` to the agent streams of user_id. */
void hub_send_user(struct hub *h, const char *user_id, const char *name, json_t *data);
/* Sends data (borrowed) as event `name` to every stream. */
void hub_send_all(struct hub *h, const char *name, json_t *data);
/* Ends the streams of a session: a last `bye` event, then closed. */
void hub_end_session(struct hub *h, const char *token_hash, const char *why);
/* Records whether the B2BUA link is up and tells every stream (`link`). */
void hub_set_link(struct hub *h, bool up);
/* Records node i's link (ctl_nodes_set, name NULL: unchanged); the hub's
 * link is up while one node's is. */
void hub_set_node(struct hub *h, size_t i, bool up, const char *name, const char *why);
bool hub_link_up(struct hub *h);
/* True when user_id has an open agent stream (one not closing). */
bool hub_has_agent(struct hub *h, const char *user_id);
/* Copies the token hashes of open streams (at most max) for the sweeper. */
size_t hub_sessions(struct hub *h, char (*out)[65], size_t max);

/* --- the stream's side ---------------------------------------------------- */
/* The next queued frame (malloc'd; the caller frees), or NULL. */
char *stream_take(struct hub *h, struct stream *s, size_t *lenp);
/* Readable (an eventfd) when frames are queued or the stream must close. */
int stream_fd(const struct stream *s);
/* Clears the fd's readiness. */
void stream_drain_fd(struct stream *s);
/* Non-NULL once the hub wants the stream closed: why. */
const char *stream_closing(struct hub *h, struct stream *s);

/* --- sse.c: the wire format ----------------------------------------------- */
/* "event: NAME\ndata: …\n\n" with one data line per line of data (split at
 * \n, \r\n or \r). NULL when name holds a line break or out of memory.
 * The caller frees. */
char *sse_frame(const char *name, const char *data, size_t *lenp);
/* A frame of JSON: the compact text of data. */
char *sse_frame_json(const char *name, json_t *data, size_t *lenp);

/* --- vergate.c: agent events of several nodes, merged by `ver` ------------- */
struct vergate;
int vergate_alloc(struct vergate **gp);
void vergate_free(struct vergate *g);
/* True when ev (borrowed) passes: it names no agent, carries no integer
 * `ver`, or its ver is at or above the highest seen for its agent (which
 * it then becomes). Not thread-safe: the caller locks. */
bool vergate_pass(struct vergate *g, json_t *ev);
/* The highest ver seen for agent, or -1. */
long long vergate_ver(struct vergate *g, const char *agent);

/* --- threads (link.c, pop.c, sweep.c) -------------------------------------- */
/* One event link per B2BUA node (ctl.h): arg is the hub's struct hub_link. */
struct hub_link {
	struct hub *hub;
	size_t node;
};
void *link_main(void *link);
/* The screen pop (pop.c): nloaders loader threads, each with its own
 * database connection. Preloads on call.ringing only for agents with an
 * open event stream; on call.answered sends `pop` to that agent's streams
 * without waiting for other agents' preloads. */
struct pop;
struct db;
int pop_alloc(struct pop **pp, struct web *w, struct hub *h, unsigned nloaders);
/* Starts the loaders; 0 or an errno value (then none runs). */
int pop_start(struct pop *p);
/* Stops the loaders and waits for them. */
void pop_stop(struct pop *p);
void pop_free(struct pop *p);
/* Hands a B2BUA event (borrowed) to the pop: call.ringing, call.answered,
 * call.offer_failed and call.ended matter, others are ignored. */
void pop_feed(struct pop *p, json_t *ev);
/* contacts/pop_build.c: the pop of the call of ev (ringing or answered) as the
 * event's agent may see it, read with db; the caller owns it. NULL only
 * when out of memory. */
json_t *pop_build(struct web *w, struct db *db, json_t *ev);
/* contacts/pop_data.c: what an IVR flow attached to the call (an event's
 * `data`, a JSON object's text, or NULL) as [{name, value}] for the pop. */
json_t *pop_data(const char *text);
void *sweep_main(void *hub);
/* Accessors for the threads. */
struct web *hub_web(struct hub *h);
struct pop *hub_pop(struct hub *h);
/* Sleeps up to ms, returning early (true) when the hub stops. */
bool hub_sleep(struct hub *h, unsigned ms);

#endif
