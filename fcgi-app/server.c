/* Accepting threads (see server.h). A request gets one arena, freed when it
 * is answered. An event stream's request is handed to its own thread
 * (sse/stream.c) and this thread takes a fresh FCGX_Request. */
#include "server.h"

#include "log.h"
#include "route.h"
#include "sse/stream.h"

#include <errno.h>
#include <fcgiapp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void server_handle(struct wthread *t, struct req *r, char **envp, const char *body, size_t len)
{
	r->web = t->web;
	r->thr = t;
	const char *why = req_parse(r, envp, body, len);
	req_pick_lang(r);
	if (why)
		web_error(r, why);
	else
		web_dispatch(r);
}

static void log_request(struct req *r, int status, const char *note)
{
	log_info("%s %s %d %lld ms%s", r->method ? r->method : "-", r->path ? r->path : "-",
		 status, web_now_ms() - r->t0_ms, note);
}

/* The largest body the request's route takes (before the request is
 * parsed: by nginx's DOCUMENT_URI; without it, the default). */
static size_t body_max(struct req *r, FCGX_Request *fr, size_t dflt)
{
	const char *id;
	bool wrong_method;
	const struct route *rt = route_match(FCGX_GetParam("REQUEST_METHOD", fr->envp),
					     FCGX_GetParam("DOCUMENT_URI", fr->envp), r->a, &id,
					     &wrong_method);
	return route_body_max(rt, dflt);
}

/* Reads the body (at most max bytes) into the arena. Returns NULL with *len
 * set, or a reason. */
static const char *read_body(struct req *r, FCGX_Request *fr, size_t max, char **bodyp,
			     size_t *len)
{
	*bodyp = NULL;
	*len = 0;
	size_t n;
	const char *why = req_body_size(FCGX_GetParam("CONTENT_LENGTH", fr->envp), max, &n);
	if (why || !n)
		return why;
	char *b = arena_alloc(r->a, n + 1);
	if (!b)
		return "internal";
	int got = FCGX_GetStr(b, (int)n, fr->in);
	if (got < 0 || (size_t)got != n)
		return "bad_request";
	*bodyp = b;
	*len = n;
	return NULL;
}

/* A file body (resp.file_fd): its range in chunks, then the file closed. */
static void put_file(struct req *r, FCGX_Request *fr)
{
	static const size_t chunk = 64 * 1024;
	char *b = strcmp(r->method ? r->method : "", "HEAD") ? arena_alloc(r->a, chunk) : NULL;
	long long off = r->resp.file_off, left = b ? r->resp.file_len : 0;
	while (left > 0) {
		ssize_t n = pread(r->resp.file_fd, b, left < (long long)chunk ? (size_t)left : chunk,
				  (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || FCGX_PutStr(b, (int)n, fr->out) < 0)
			break;	/* the client went, or the file shrank: the response is short */
		off += n;
		left -= n;
	}
	close(r->resp.file_fd);
	r->resp.file_fd = 0;
}

/* Answers one request; true when the request was handed to a stream. */
static bool run_one(struct wthread *t, FCGX_Request *fr)
{
	struct web *w = t->web;
	struct req req = { 0 };
	struct req *r = &req;
	r->t0_ms = web_now_ms();
	r->a = arena_new();
	if (!r->a) {
		FCGX_PutS("Status: 500 Internal Server Error\r\n\r\n", fr->out);
		return false;
	}
	r->fcgi = fr;
	char *body;
	size_t len;
	/* Uploads (a text/csv body, for an import) may be larger than forms;
	 * the upload routes have limits of their own (body_max). */
	const char *ct = FCGX_GetParam("CONTENT_TYPE", fr->envp);
	size_t max = ct && !strncasecmp(ct, "text/csv", 8) ? (size_t)w->conf.upload_max_kb * 1024
							    : (size_t)w->conf.max_body_kb * 1024;
	const char *why = read_body(r, fr, body_max(r, fr, max), &body, &len);
	if (why) {
		r->web = w;
		r->thr = t;
		req_parse(r, fr->envp, NULL, 0);
		req_pick_lang(r);
		web_error(r, why);
	} else {
		server_handle(t, r, fr->envp, body, len);
	}
	bool handed = false;
	if (r->stream) {
		int rc = stream_spawn(w, fr, r->stream);
		if (rc == 0) {
			handed = true;
			log_request(r, 200, " (event stream)");
		} else {
			r->stream = NULL;
			web_error(r, rc == EAGAIN ? "too_many_streams" : "internal");
		}
	}
	if (!handed) {
		struct buf out = { 0 };
		if (resp_serialize(r, &out) == 0)
			FCGX_PutStr(out.p, (int)out.len, fr->out);
		if (r->resp.file_fd > 0)
			put_file(r, fr);
		FCGX_Finish_r(fr);
		log_request(r, r->resp.status ? r->resp.status : 200, "");
	}
	json_decref(r->json);
	arena_free(r->a);
	return handed;
}

void *server_thread(void *arg)
{
	struct wthread *t = arg;
	struct web *w = t->web;
	FCGX_Request *fr = calloc(1, sizeof *fr);
	if (!fr || FCGX_InitRequest(fr, w->listen_fd, 0)) {
		log_err("thread %d: cannot set up a FastCGI request", t->index);
		free(fr);
		return NULL;
	}
	while (!atomic_load(&w->stopping)) {
		int rc = FCGX_Accept_r(fr);
		if (rc < 0) {
			if (atomic_load(&w->stopping))
				break;
			log_warn("thread %d: accept failed (%d)", t->index, rc);
			usleep(10000);	/* a persistent error must not spin */
			continue;
		}
		if (run_one(t, fr)) {
			fr = calloc(1, sizeof *fr);
			if (!fr || FCGX_InitRequest(fr, w->listen_fd, 0)) {
				log_err("thread %d: out of memory", t->index);
				free(fr);
				return NULL;
			}
		}
	}
	FCGX_Free(fr, 1);
	free(fr);
	return NULL;
}
