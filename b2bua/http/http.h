/* An HTTP client on the B2BUA's event loop, for IVR flows' HTTP nodes.
 *
 * libcurl's multi interface driven by the su_root: curl's sockets are
 * registered with the loop, its timeouts are one su_timer, and a request
 * never waits for anything on the loop's thread. Host names resolve in
 * curl's asynchronous resolver (the threaded one in Debian's libcurl;
 * CURLOPT_QUICK_EXIT keeps a request that ends during a slow lookup from
 * waiting for the resolver's thread); http_alloc() logs a warning when the
 * libcurl in use has none, since then a name would block the loop while
 * it resolves (use addresses).
 *
 * A request ends in exactly one callback on the loop, never inside
 * http_request(): a reply, an error or a timeout; or in none when it is
 * cancelled first. Only http: and https: URLs are fetched, redirects are
 * followed (a few) to those schemes only, no proxy is used unless the
 * limits name one, and a reply body larger than the limit is an error. */
#ifndef B2BUA_HTTP_H
#define B2BUA_HTTP_H

#include <stddef.h>
#include <sofia-sip/su_wait.h>

/* result enum, name */
#define HTTP_RESULTS(X)         \
	X(OK, "ok")             \
	X(ERROR, "error")       \
	X(TIMEOUT, "timeout")

#define HTTP_ENUM(name, str) HTTP_##name,
enum http_result { HTTP_RESULTS(HTTP_ENUM) HTTP_RESULT_COUNT };
#undef HTTP_ENUM

/* "ok", "error", "timeout". */
const char *http_result_name(enum http_result r);

/* Bounds of a client. A member left 0 (NULL) takes the default in
 * brackets. */
struct http_limits {
	unsigned max_requests;	/* at once [256]; more fail at once */
	size_t max_reply;	/* reply body bytes [65536]; more is an error */
	size_t max_body;	/* request body bytes [65536] */
	unsigned timeout_ms;	/* when a request gives 0 [5000] */
	unsigned max_timeout_ms;	/* a request's timeout is cut to this [60000] */
	unsigned max_redirects;	/* followed [3] */
	const char *user_agent;	/* ["cc-b2bua"] */
	const char *proxy;	/* "http://host:port" [none: not even the environment's] */
};

#define HTTP_DEFAULT_MAX_REQUESTS 256
#define HTTP_DEFAULT_MAX_REPLY (64 * 1024)
#define HTTP_DEFAULT_MAX_BODY (64 * 1024)
#define HTTP_DEFAULT_TIMEOUT_MS 5000
#define HTTP_DEFAULT_MAX_TIMEOUT_MS 60000
#define HTTP_DEFAULT_MAX_REDIRECTS 3
#define HTTP_DEFAULT_USER_AGENT "cc-b2bua"

/* How a request ended. result is HTTP_OK for a 2xx reply; any other status
 * is HTTP_ERROR with status set and the body kept. body is NUL-terminated
 * (len bytes before the NUL; "" when there was none) and content_type NULL
 * when the server sent none. error says why for anything but HTTP_OK
 * ("HTTP 500", "reply larger than 65536 bytes", curl's text, ...). All of
 * it is valid only during the callback. */
struct http_reply {
	enum http_result result;
	long status;		/* the last reply's status; 0 when none came */
	const char *body;
	size_t len;
	const char *content_type;
	const char *error;	/* NULL when result is HTTP_OK */
	unsigned elapsed_ms;
};

typedef void (http_reply_h)(const struct http_reply *reply, void *arg);

struct http_client;
struct http_req;

/* A client on root with limits (NULL: every default); strings of limits
 * are copied. Writes *cp; returns 0 or an errno value. */
int http_alloc(struct http_client **cp, su_root_t *root, const struct http_limits *limits);
/* Ends every outstanding request with HTTP_ERROR "shutting down" (their
 * callbacks run inside this call) and frees the client. A callback may
 * call http_free() itself. NULL is allowed. */
void http_free(struct http_client *c);

/* Starts a request: method is GET, HEAD, POST, PUT, PATCH or DELETE
 * (NULL: GET); headers a NULL-terminated list of "Name: value" (or NULL);
 * body, if not NULL, body_len bytes sent as the request body; timeout_ms
 * the whole request's bound (0: the client's default). reqp, if not NULL,
 * gets a handle for http_cancel(), valid until the callback has started.
 *
 * Returns EINVAL for a NULL client, URL or callback, ESHUTDOWN while the
 * client is being freed (the callback is then never called); otherwise 0,
 * and everything else wrong with the request (scheme, method, a header
 * with a line break, a body over the limit, too many requests at once)
 * ends in an HTTP_ERROR callback on a later turn of the loop. */
int http_request(struct http_client *c, const char *method, const char *url,
		 const char *const *headers, const char *body, size_t body_len,
		 unsigned timeout_ms, http_reply_h *h, void *arg, struct http_req **reqp);

/* Abandons a request: its callback will not be called and its connection
 * is closed. Not to be called for a request whose callback has started. */
void http_cancel(struct http_req *req);

/* Requests started and not yet ended or cancelled. */
unsigned http_outstanding(const struct http_client *c);

#endif
