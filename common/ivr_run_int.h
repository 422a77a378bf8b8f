/* The IVR interpreter's private header: a compiled program's nodes (built
 * by ivr_prog.c, run by ivr_run.c) and the template expansion they share. */
#ifndef CC_IVR_RUN_INT_H
#define CC_IVR_RUN_INT_H

#include "ivr_run.h"

#include <stdatomic.h>
#include <stdint.h>

/* The named exits a node may have (keys and cases are lists of their own). */
#define RX_KINDS(X) X(NEXT, "next") X(FAIL, "fail") X(FALLBACK, "fallback") X(ELSE, "else") \
	X(OPEN, "open") X(CLOSED, "closed") X(OK, "ok") X(ERROR, "error")                 \
	X(TIMEOUT, "timeout") X(AFTER, "after")
#define RX_ENUM(name, str) RX_##name,
enum rx { RX_KINDS(RX_ENUM) RX_COUNT };
#undef RX_ENUM

/* An exit: the node index, -1 when connected to nothing; -2 when the node
 * has no such exit (an optional one). */
#define RX_NONE (-2)

/* Branch operators. */
#define ROPS(X) X(EQ, "eq") X(NE, "ne") X(LT, "lt") X(LE, "le") X(GT, "gt") X(GE, "ge") \
	X(PREFIX, "prefix") X(CONTAINS, "contains") X(EMPTY, "empty") X(SET, "set")
#define ROP_ENUM(name, str) ROP_##name,
enum rop { ROPS(ROP_ENUM) ROP_COUNT };
#undef ROP_ENUM

struct rprompt {
	unsigned audio;		/* or 0: tts */
	const char *tts;	/* a template */
	const char *voice;
};

struct rkey {
	char digit;
	int to;
	const char *name;	/* "key 1" */
};

struct rcond {
	const char *var;
	enum rop op;
	const char *value;	/* a template, "" when not given */
};

struct rcase {
	struct rcond *conds;
	size_t nconds;
	bool any;
	int to;
	const char *name;	/* "case 1" */
};

struct rhours {
	uint8_t days;		/* bit 0: Monday .. bit 6: Sunday */
	int from, to;		/* minutes after midnight; from > to: past midnight */
};

struct rnode {
	enum ivr_node_type type;
	const char *id;
	int to[RX_COUNT];
	struct rprompt *prompts;	/* play, menu, collect, voicemail, survey */
	size_t nprompts;
	bool interruptible;		/* play */
	/* menu */
	struct rkey *keys;
	size_t nkeys;
	unsigned invalid_audio, timeout_audio;
	/* menu, collect, survey */
	unsigned timeout_ms, retries;
	/* collect, set */
	const char *var;
	unsigned min, max, inter_ms;
	char terminator;
	bool confirm;
	/* branch */
	struct rcase *cases;
	size_t ncases;
	/* time */
	struct ivr_tz *tz;
	struct rhours *hours;
	size_t nhours;
	long long *holidays;	/* days since the epoch */
	size_t nholidays;
	/* set: var, value; dial: number, caller_id */
	const char *value, *number, *caller_id;
	/* http */
	const char *method, *url, *body;
	struct ivr_kv *headers;	/* value templates */
	size_t nheaders;
	struct ivr_kv *results;	/* name: the variable, value: the path */
	size_t nresults;
	bool body_json;
	/* queue, voicemail: group; agent */
	unsigned group, priority, max_wait_s, max_s;
	bool familiar;
	const char **attach;
	size_t nattach;
	const char *agent;
	/* survey */
	const char *keys_str;
	/* subflow */
	unsigned flow;
	/* hangup */
	const char *cause;
};

struct ivr_prog {
	atomic_int refs;
	struct arena *a;
	unsigned flow;
	struct rnode *nodes;	/* nodes[0] is the start */
	size_t n;
	struct ivr_kv *params;	/* the start's parameters: name, default template */
	size_t nparams;
	unsigned *subflows;
	size_t nsubflows;
};

const char *rx_name(enum rx k);

/* --- ivr_expand.c ---------------------------------------------------------------------- */

/* A growing string (malloc). */
struct sbuf {
	char *p;
	size_t len, cap;
	bool failed;
};
void sbuf_add(struct sbuf *b, const char *s, size_t n);
void sbuf_free(struct sbuf *b);

/* How a variable's value goes into a template. */
enum esc {
	ESC_NONE,	/* as it is (prompts, set, conditions, numbers) */
	ESC_URL,	/* percent-encoded but for RFC 3986's unreserved characters */
	ESC_HEADER,	/* control characters (line breaks) taken out */
	ESC_JSON,	/* escaped as in a JSON string (the template writes the quotes) */
	ESC_FORM,	/* application/x-www-form-urlencoded */
};

typedef const char *(var_get_h)(const void *arg, const char *name);
/* t with every ${name} replaced by get(name) ("" when unset), escaped. A
 * NUL-terminated string the caller frees, or NULL when out of memory. */
char *ivr_expand(const char *t, enum esc esc, var_get_h *get, const void *arg);

/* --- ivr_http.c ------------------------------------------------------------------------ */

/* The request of http node r, its templates expanded (the URL's values
 * percent-encoded, headers' without control characters, the body's as
 * JSON or a form: see body_json). 0, or -1 when out of memory. Freed with
 * ivr_http_req_free. */
int ivr_http_make(const struct rnode *r, var_get_h *get, const void *arg, struct ivr_http_req *req);
void ivr_http_req_free(struct ivr_http_req *req);
/* The results of a reply: set(arg, var, value) for each <result>, a value
 * missing from the reply set to "". 0, or -1 when results are wanted and
 * the body is no JSON (nothing set then). */
int ivr_http_results(const struct rnode *r, const char *body, size_t len,
		     void (*set)(void *arg, const char *name, const char *value), void *arg);

#endif
