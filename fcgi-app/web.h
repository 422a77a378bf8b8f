/* The FastCGI web app's private header: the application, the per-thread
 * context, one request and its response, and the handler signature.
 *
 * A request lives in one arena (struct req.a) freed when the response is
 * out; everything a handler allocates for the request comes from it. A
 * handler returns NULL, or a static reason ("forbidden", "not_found", ...)
 * that dispatch.c alone turns into an HTTP status and an error page or
 * JSON body (see WEB_REASONS). */
#ifndef WEB_H
#define WEB_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "ctl.h"
#include "db.h"
#include "phone.h"
#include "utf8.h"
#include "web_conf.h"

struct db;
struct ctlc;
struct manifest;
struct tmpl;
struct hub;
struct throttle;
struct nonces;
struct jobs;
struct ivr_tz;
struct rollup;
struct recworker;

#define WEB_LANGS(X) X(zh, "zh-CN") X(en, "en")

/* Reasons a handler gives, the status each becomes. */
#define WEB_REASONS(X) \
	X(bad_request, 400) \
	X(unauthorized, 401) \
	X(forbidden, 403) \
	X(csrf, 403) \
	X(no_role, 403) \
	X(not_found, 404) \
	X(recording_pending, 409) \
	X(recording_failed, 409) \
	X(recording_expired, 410) \
	X(method_not_allowed, 405) \
	X(too_large, 413) \
	X(unsupported_media, 415) \
	X(throttled, 429) \
	X(too_many_streams, 429) \
	X(internal, 500) \
	X(db_unavailable, 503) \
	X(b2bua_unavailable, 503)

/* SQL text that depends on the manifest's names, built once at start. */
struct web_sql {
	const char *session_user;	/* session + user + roles by token hash */
	const char *login_user;		/* user + roles by username */
	const char *touch_login;	/* lastlogintime = NOW() */
	const char *user_dept;		/* a user's department */
	const char *contact_select;	/* mapped fields of a visible contact */
	const char *contact_exists;	/* visible contact id, FOR UPDATE */
	const char *contact_by_phone;	/* visible contact matching a normalized number */
	const char *contact_phones;	/* a contact's phone columns, touched, updated */
	const char *recent_calls;	/* a customer's last calls */
	size_t recent_phones;		/* contact-number parts of recent_calls */
	const char *agent_calls;	/* the last calls of one agent */
	const char *admin_calls;	/* the last calls of everyone */
	const char *contact_fields;	/* "c.`a`, c.`b`": the mapped fields */
	const char *report_agents;	/* id, name of the agents in a range of the rollups */
};

struct web {
	struct web_conf conf;
	struct manifest *mf;
	struct phone_rules phone;
	struct tmpl *tmpl;
	struct hub *hub;
	struct throttle *throttle;	/* sign-in failures per account */
	struct throttle *throttle_addr;	/* per address: more, one office may share one */
	struct nonces *nonces;		/* the sign-in form's nonces already used */
	struct jobs *jobs;		/* progress of long requests (jobs.h) */
	struct ivr_tz *tz;		/* the center's time zone (clock.h) */
	struct rollup *rollup;		/* the reports' rollup thread (report/rollup.h) */
	struct recworker *recworker;	/* the recordings' worker (recording/recording.h) */
	struct web_sql sql;
	struct ctl_nodes *nodes;	/* the B2BUA nodes of ctl_address (ctl.h) */
	char ctl_secret[256];
	char db_password[256];
	struct db_conf dbc;		/* how every thread reaches the database */
	unsigned char login_key[32];	/* HMAC key of the sign-in form's token */
	int listen_fd;
	atomic_bool stopping;
};

/* What each accepting thread owns. */
struct wthread {
	struct web *web;
	struct db *db;
	struct ctlc *ctl[CTL_NODES_MAX];	/* per node: connected on first use, dropped on error */
	int index;
};

struct kv {
	const char *k, *v;
};

struct kvlist {
	struct kv *v;
	size_t n, cap;
};

struct buf {
	char *p;
	size_t len, cap;
};

/* The helpdesk's resource code of the outbound system (外呼系统): its
 * holders (through a role or their department) and admins see tasks. */
#define WEB_OUTBOUND_CODE "A11"
/* 通话监控: the wallboard and listening to calls (docs/supervisor.md). */
#define WEB_MONITOR_CODE "A12_A01_A01"

struct session {
	char token_hash[65];
	char csrf[65];
	const char *user_id, *username, *name;
	bool admin, agent;
	bool outbound;		/* admin, or granted WEB_OUTBOUND_CODE */
	bool monitor;		/* admin, or granted WEB_MONITOR_CODE (a supervisor) */
};

struct resp {
	int status;
	const char *ctype;
	struct kvlist headers;
	struct buf body;
	/* > 0: the body is this file's bytes [file_off, file_off + file_len),
	 * streamed by the server after the head, which closes it (a call's
	 * recording: too large for the arena). */
	int file_fd;
	long long file_off, file_len;
};

/* A file part of a multipart/form-data body (http/multipart.c). */
struct upload {
	const char *field;		/* the part's name */
	const char *filename;		/* as the browser sent it ("" when none chosen) */
	const char *ctype;		/* the part's Content-Type, or NULL */
	const unsigned char *data;	/* the bytes, in the request's body */
	size_t len;
};

struct route;

struct req {
	struct arena *a;
	struct web *web;
	struct wthread *thr;
	const char *method, *path, *query_string;
	const char *content_type, *origin, *host, *server_port, *csrf_header, *remote_addr;
	const char *scheme;	/* REQUEST_SCHEME ("http", "https"), or NULL */
	struct kvlist query, form, cookies;
	json_t *json;		/* a JSON object body, or NULL; freed with the request */
	const char *body;	/* a text/csv body as sent (an upload), or NULL */
	size_t body_len;
	bool multipart;		/* the body was multipart/form-data (upload routes only) */
	struct upload *files;	/* its file parts (text parts are in form) */
	size_t nfiles;
	const char *lang;	/* "zh-CN" or "en" */
	struct session *sess;	/* NULL when not signed in */
	const struct route *route;
	const char *route_id;	/* the {id} segment of the path, if any */
	struct resp resp;
	void *fcgi;		/* the FCGX_Request (NULL in tests) */
	void *stream;		/* set by events_get: the request becomes an event
				 * stream (struct stream_info in the arena) */
	long long t0_ms;
};

/* Handlers: NULL on success (the response is set), or a reason. */
typedef const char *(route_h)(struct req *r);

/* --- http/url.c ---------------------------------------------------------- */
/* Decodes %XX and, when plus is set, '+' as space. Returns NULL on malformed
 * escapes or an embedded NUL. */
char *url_decode(struct arena *a, const char *s, size_t n, bool plus);
/* Parses "a=1&b=2" into list. 0, or -1 on a malformed escape. */
int url_parse_form(struct arena *a, const char *s, size_t n, struct kvlist *list);
/* Percent-encodes s for a query string. */
char *url_encode(struct arena *a, const char *s);

/* --- http/multipart.c ---------------------------------------------------- */
/* Limits on a multipart body: parts, and the header block of one part. */
#define MP_MAX_PARTS 32
#define MP_MAX_HEADER 2048
/* The boundary of a multipart/form-data Content-Type (in a), or NULL when
 * it has none or an invalid one (RFC 2046: 1..70 characters of a set). */
const char *multipart_boundary(struct arena *a, const char *ctype);
/* Parses a multipart/form-data body (RFC 7578): parts with a filename go
 * to *files (their bytes point into body), the others to fields (text, no
 * NUL). NULL, or "bad_request" for anything malformed: no boundary, a part
 * without Content-Disposition form-data and a name, a header block over
 * MP_MAX_HEADER, more than MP_MAX_PARTS parts, a body that ends before its
 * closing boundary. */
const char *multipart_parse(struct arena *a, const char *ctype, const char *body, size_t len,
			    struct kvlist *fields, struct upload **files, size_t *nfiles);
/* The file part named field, or NULL. */
const struct upload *req_file(const struct req *r, const char *field);

/* --- http/kv.c ----------------------------------------------------------- */
int kv_add(struct arena *a, struct kvlist *l, const char *k, const char *v);
/* The first value under k, or NULL. */
const char *kv_get(const struct kvlist *l, const char *k);
int buf_append(struct arena *a, struct buf *b, const void *p, size_t n);
int buf_puts(struct arena *a, struct buf *b, const char *s);

/* --- http/cookie.c ------------------------------------------------------- */
/* Parses a Cookie header ("a=1; b=2"). Malformed pairs are skipped. */
int cookie_parse(struct arena *a, const char *header, struct kvlist *list);
/* Adds a Set-Cookie header: Path=/cc/, HttpOnly, SameSite=Lax, Secure per
 * the config. max_age < 0: a session cookie; 0: delete it. */
int cookie_set(struct req *r, const char *name, const char *value, long max_age, bool http_only);

/* --- http/request.c ------------------------------------------------------ */
/* Fills r from FastCGI parameters (envp) and the body. Returns NULL or a
 * reason (malformed query or body, unsupported type). */
const char *req_parse(struct req *r, char **envp, const char *body, size_t bodylen);
/* Checks a CONTENT_LENGTH against the limit: NULL with *n set (0 when
 * absent), "too_large", or "bad_request" when it is not a number. */
const char *req_body_size(const char *content_length, size_t max, size_t *n);
/* A parameter from the body (form field or JSON string/number member). */
const char *req_param(const struct req *r, const char *name);
/* A parameter from the query string. */
const char *req_query(const struct req *r, const char *name);
const char *req_cookie(const struct req *r, const char *name);
/* Chooses the language: ?lang= (and remembers it in a cookie), the cookie,
 * the configured default. */
void req_pick_lang(struct req *r);
long long web_now_ms(void);	/* monotonic */
long long web_wall_ms(void);	/* since the epoch, like the B2BUA's ts */

/* --- http/response.c ----------------------------------------------------- */
void resp_header(struct req *r, const char *name, const char *value);
void resp_text(struct req *r, int status, const char *ctype, const char *body);
/* Takes a reference to j (steals it). */
const char *resp_json(struct req *r, int status, json_t *j);
void resp_redirect(struct req *r, const char *location);
/* The whole response as FastCGI expects it ("Status: ...\r\n" headers, blank
 * line, body) in the request's arena. */
int resp_serialize(struct req *r, struct buf *out);
int reason_status(const char *reason);

/* --- dispatch.c ---------------------------------------------------------- */
/* Routes, checks access and CSRF, runs the handler, turns its reason into
 * a response. */
void web_dispatch(struct req *r);
/* Renders the error page or JSON for reason. */
void web_error(struct req *r, const char *reason);

/* --- ctl.c: the thread's connections to the B2BUA nodes for commands ------ */
/* Sends {"cmd": cmd, ...} (fmt as ctlc_call) to the nodes its kind says
 * (ctl.h) and returns the reply, or NULL when no node could be reached
 * (logged). Reconnects once per node. */
json_t *web_ctl(struct req *r, const char *cmd, const char *fmt, ...);
/* The same with the request built by the caller (borrowed). */
json_t *web_ctl_send(struct req *r, json_t *req);
/* A route's answer to a B2BUA reply (web_ctl's) that is not ok: true when
 * the route is done, with *ret what it returns ("b2bua_unavailable" when
 * the B2BUA was not reached, else its refusal as web_refused answers it,
 * with the status status_of gives the error code; reply freed); false
 * when the reply says ok (the route goes on with it). */
bool web_ctl_refused(struct req *r, json_t *reply, int (*status_of)(const char *code),
		     const char **ret);
/* A refusal as the route's answer: {ok:false, error: code, message: the
 * catalogue's "b2bua.<code>" in the user's language}, with status. */
const char *web_refused(struct req *r, int status, const char *code);

/* --- txn.c: a request's write transaction --------------------------------- */
/* Runs body in a transaction on the request's connection, and runs it again
 * whole when it loses a conflict (db_txn, common/db.h). body returns NULL
 * to commit, "db_unavailable" when the database failed, or another reason
 * to roll back: a refusal ("not_found", or a static string of the caller's
 * own). web_txn answers NULL when committed, body's reason (the same
 * pointer), or "db_unavailable" (the commit failed, or a conflict was lost
 * every time). body starts afresh on each run: what it left in arg on an
 * earlier run is stale. Nothing outside the database belongs in it (files,
 * commands to the B2BUA, events): those go before it or after the commit. */
typedef const char *(web_txn_h)(struct req *r, void *arg);
const char *web_txn(struct req *r, web_txn_h *body, void *arg);

/* --- text.c: text from a request ------------------------------------------ */
/* utf8_chars (common/utf8.h): characters in s, or -1 when not UTF-8. */
/* True when s holds control characters: anything below 0x20 but tab, and
 * DEL; line breaks count unless lines_ok. */
bool text_has_controls(const char *s, bool lines_ok);
/* s without the blanks (spaces, tabs, line breaks) around it, in the
 * arena; NULL when out of memory. */
const char *text_trim(struct arena *a, const char *s);

/* The progress of the signed-in user's long request whose job id is the
 * route's {id} (jobs.h): {ok, done, total, finished}, or "not_found" (jobs.c). */
const char *jobs_progress_get(struct req *r);

/* The bytes of file name in folder dir (a name the app made, checked by
 * the caller; never one taken from a request), in the arena: 1; 0 when it
 * is not there; -1 (logged) when it cannot be read, is no regular file or
 * is larger than max bytes. */
int file_read(struct arena *a, const char *dir, const char *name, size_t max,
	      unsigned char **datap, size_t *lenp);
/* A list's page number or size from the query string: digits only (at most
 * nine), else dflt; clamped to lo..hi. */
long long text_number(const char *s, long long dflt, long long lo, long long hi);
/* A list's search text: control characters dropped, at most max_chars
 * characters, trimmed; NULL when empty or not UTF-8. */
const char *text_search(struct arena *a, const char *q, long max_chars);

/* --- util ---------------------------------------------------------------- */
const char *web_t(struct req *r, const char *key);

#endif
