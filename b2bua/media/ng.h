/* A client of rtpengine's ng control protocol on the B2BUA's event loop.
 *
 * Requests are sent at once and never waited for: the reply (or the
 * failure) arrives later in a callback on the loop. Many requests may be
 * outstanding at the same time. Each request has a random cookie; a request
 * with no reply is resent with the same cookie every timeout_ms, up to
 * `tries` sends in all, then fails with "rtpengine did not answer". Replies
 * with an unknown cookie (late duplicates) are dropped. */
#ifndef B2BUA_NG_H
#define B2BUA_NG_H

#include <stdbool.h>

#include <sofia-sip/su_wait.h>

#include "bencode.h"

/* command enum, ng name */
#define NG_COMMANDS(X)                                  \
	X(PING, "ping")                                 \
	X(OFFER, "offer")                               \
	X(ANSWER, "answer")                             \
	X(DELETE, "delete")                             \
	X(QUERY, "query")                               \
	X(PLAY_MEDIA, "play media")                     \
	X(STOP_MEDIA, "stop media")                     \
	X(BLOCK_MEDIA, "block media")                   \
	X(UNBLOCK_MEDIA, "unblock media")               \
	X(PLAY_DTMF, "play DTMF")                       \
	X(START_RECORDING, "start recording")           \
	X(STOP_RECORDING, "stop recording")             \
	X(STATISTICS, "statistics")                     \
	X(SUBSCRIBE_REQUEST, "subscribe request")       \
	X(SUBSCRIBE_ANSWER, "subscribe answer")         \
	X(UNSUBSCRIBE, "unsubscribe")

#define NG_ENUM(name, str) NG_##name,
enum ng_cmd { NG_COMMANDS(NG_ENUM) NG_CMD_COUNT };
#undef NG_ENUM

/* The ng name of a command ("play media"). */
const char *ng_cmd_name(enum ng_cmd cmd);

/* What goes into a request besides "command". NULL/0 members are left out. */
struct ng_params {
	const char *call_id;
	const char *from_tag;
	const char *to_tag;
	const char *via_branch;
	const char *sdp;
	const char *const *flags;	/* "flags": [...], e.g. "port latching" */
	const char *const *replace;	/* "replace": ["origin", "session-connection"] */
	const char *const *transcode;	/* "codec": {"transcode": [...]} */
	const char *ice;		/* "ICE": "remove" */
	const char *file;		/* play media: absolute path of a WAV */
	long repeat_times;		/* play media: "repeat-times" when > 0 */
	const char *code;		/* play DTMF: "code" */
	long duration_ms;		/* play DTMF: "duration" when > 0 */
};

struct ng_client;
struct ng_req;

/* Called once per request on the loop: err is NULL and reply the decoded
 * dict when rtpengine said "ok" (or "pong"); otherwise err says why (its
 * "error-reason", or the timeout) and reply is the dict if there was one.
 * Both are valid only during the call. */
typedef void (ng_reply_h)(const struct benc *reply, const char *err, void *arg);

/* addr is "host:port" (UDP). timeout_ms: wait before each resend (>= 1);
 * tries: sends in all (>= 1). Returns 0 or an errno value. */
int ng_client_alloc(struct ng_client **ngp, su_root_t *root, const char *addr,
		    unsigned timeout_ms, unsigned tries);
/* Fails every outstanding request with "shutting down" and frees. */
void ng_client_free(struct ng_client *ng);

/* Sends cmd with p. reqp, if not NULL, gets a handle for ng_req_cancel(),
 * valid until the callback has run. Returns 0 or an errno value (then the
 * callback is never called). */
int ng_request(struct ng_client *ng, enum ng_cmd cmd, const struct ng_params *p,
	       ng_reply_h *h, void *arg, struct ng_req **reqp);
/* Sends a dict the caller built (without "cookie"), for anything ng_params
 * does not cover. */
int ng_request_raw(struct ng_client *ng, const struct benc_enc *dict, ng_reply_h *h,
		   void *arg, struct ng_req **reqp);
/* The callback will not be called; a reply that still comes is dropped. */
void ng_req_cancel(struct ng_req *req);

/* Told on the loop whether rtpengine answers: answered is true for every
 * reply that matches a request (an error reply too), false for every
 * request given up for lack of one. Runs before the request's own
 * callback, and must not free the client. One watcher; NULL removes it. */
typedef void (ng_watch_h)(void *arg, bool answered);
void ng_client_watch(struct ng_client *ng, ng_watch_h *h, void *arg);

/* Requests waiting for a reply. */
unsigned ng_outstanding(const struct ng_client *ng);
/* Of those, the ones already sent again because no reply came within
 * timeout_ms: rtpengine is falling behind (or gone). */
unsigned ng_lagging(const struct ng_client *ng);

#endif
