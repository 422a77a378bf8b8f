/* One HTTP request (see http.h): checked, handed to curl with the client's
 * limits, and ended with its callback. */
#include "http_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

#define MAX_URL 8192
#define MAX_HEADER 8192
#define MAX_HEADERS 64

static const char *const methods[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE" };

static const char *method_of(const char *m)
{
	for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
		if (!strcmp(m, methods[i]))
			return methods[i];
	return NULL;
}

/* curl refuses other schemes too (CURLOPT_PROTOCOLS_STR); checking here
 * gives the flow a plain reason. */
static bool scheme_ok(const char *url)
{
	return !strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8);
}

/* "Name: value" with a token for a name and no line break anywhere (a
 * header with one would smuggle in another header or a request). */
static bool header_ok(const char *h)
{
	size_t n = strnlen(h, MAX_HEADER + 1);
	if (n > MAX_HEADER || strpbrk(h, "\r\n"))
		return false;
	size_t name = strcspn(h, ":");
	if (!name || name == n)
		return false;
	for (size_t i = 0; i < name; i++)
		if (h[i] <= ' ' || h[i] >= 127 || strchr("\"(),/;<=>?@[\\]{}", h[i]))
			return false;
	return true;
}

static size_t on_data(char *p, size_t size, size_t nmemb, void *arg)
{
	struct http_req *r = arg;
	size_t n = size * nmemb;
	size_t max = r->c->lim.max_reply;
	if (n > max - r->rlen) {
		r->too_big = true;
		return 0;	/* curl ends the transfer with CURLE_WRITE_ERROR */
	}
	if (r->rlen + n + 1 > r->rcap) {
		size_t cap = r->rcap ? r->rcap : 1024;
		while (cap < r->rlen + n + 1)
			cap *= 2;
		if (cap > max + 1)
			cap = max + 1;
		char *b = realloc(r->rbuf, cap);
		if (!b)
			return 0;
		r->rbuf = b;
		r->rcap = cap;
	}
	memcpy(r->rbuf + r->rlen, p, n);
	r->rlen += n;
	r->rbuf[r->rlen] = '\0';
	return n;
}

/* Sets the method and body on r->easy; NULL or why not. */
static const char *set_method(struct http_req *r, const char *method, const char *body,
			      size_t len)
{
	CURL *e = r->easy;
	bool bodyless = !strcmp(method, "GET") || !strcmp(method, "HEAD");
	if (bodyless && body && len)
		return "GET and HEAD requests carry no body";
	if (!strcmp(method, "GET"))
		return curl_easy_setopt(e, CURLOPT_HTTPGET, 1L) ? "cannot set the method" : NULL;
	if (!strcmp(method, "HEAD"))
		return curl_easy_setopt(e, CURLOPT_NOBODY, 1L) ? "cannot set the method" : NULL;
	if (strcmp(method, "POST") && curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method))
		return "cannot set the method";
	/* Every other method sends a body, empty if none: curl sends its
	 * length, and the server never waits for one that does not come. */
	if (curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(body ? len : 0)) ||
	    curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, body ? body : ""))
		return "out of memory";
	return NULL;
}

/* Hands r to curl; NULL or why it cannot be. */
static const char *start(struct http_req *r, const char *method, const char *url,
			 const char *const *headers, const char *body, size_t len)
{
	struct http_client *c = r->c;
	for (size_t i = 0; headers && headers[i]; i++) {
		if (i == MAX_HEADERS)
			return "too many headers";
		if (!header_ok(headers[i]))
			return "a header is not \"Name: value\" on one line";
		struct curl_slist *l = curl_slist_append(r->headers, headers[i]);
		if (!l)
			return "out of memory";
		r->headers = l;
	}
	CURL *e = r->easy = curl_easy_init();
	if (!e)
		return "out of memory";
	const struct http_limits *lim = &c->lim;
	if (curl_easy_setopt(e, CURLOPT_URL, url) ||
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") ||
	    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") ||
	    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L) ||
	    curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)lim->max_redirects) ||
	    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) ||
	    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)r->timeout_ms) ||
	    curl_easy_setopt(e, CURLOPT_USERAGENT, lim->user_agent) ||
	    curl_easy_setopt(e, CURLOPT_PROXY, lim->proxy) ||
	    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)lim->max_reply) ||
	    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data) ||
	    curl_easy_setopt(e, CURLOPT_WRITEDATA, r) ||
	    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf) ||
	    curl_easy_setopt(e, CURLOPT_PRIVATE, r) ||
	    (r->headers && curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers)))
		return "the URL or an option was refused";
	const char *why = set_method(r, method, body, len);
	if (why)
		return why;
	/* A transfer that ends (cancelled, timed out) while the threaded
	 * resolver still waits on a name server would otherwise wait for that
	 * thread on the loop's thread; this lets the thread finish alone. */
	if (curl_easy_setopt(e, CURLOPT_QUICK_EXIT, 1L))
		return "the URL or an option was refused";
	if (curl_multi_add_handle(c->multi, e))
		return "cannot start the transfer";
	http_list_add(&c->active, r);
	return NULL;
}

static void req_free(struct http_req *r)
{
	if (r->easy)
		curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->headers);
	free(r->rbuf);
	free(r);
}

int http_request(struct http_client *c, const char *method, const char *url,
		 const char *const *headers, const char *body, size_t body_len,
		 unsigned timeout_ms, http_reply_h *h, void *arg, struct http_req **reqp)
{
	if (!c || !url || !h)
		return EINVAL;
	if (c->closing)
		return ESHUTDOWN;
	struct http_req *r = calloc(1, sizeof *r);
	if (!r)
		return ENOMEM;
	r->c = c;
	r->h = h;
	r->arg = arg;
	r->start_ms = http_now_ms();
	r->timeout_ms = timeout_ms ? timeout_ms : c->lim.timeout_ms;
	if (r->timeout_ms > c->lim.max_timeout_ms)
		r->timeout_ms = c->lim.max_timeout_ms;
	const char *m = method_of(method ? method : "GET");
	const char *why = NULL;
	if (!m)
		why = "unsupported method";
	else if (strnlen(url, MAX_URL + 1) > MAX_URL)
		why = "URL too long";
	else if (!scheme_ok(url))
		why = "only http:// and https:// URLs are allowed";
	else if (body && body_len > c->lim.max_body)
		why = "request body too large";
	else if (c->active.n >= c->lim.max_requests)
		why = "too many HTTP requests at once";
	else
		why = start(r, m, url, headers, body, body_len);
	if (why) {
		/* Nothing of it may reach curl now: a half-set handle goes. */
		if (r->easy) {
			curl_easy_cleanup(r->easy);
			r->easy = NULL;
		}
		r->fail = why;
		http_client_fail_later(c, r);
	}
	if (reqp)
		*reqp = r;
	return 0;
}

/* Takes r out of the client's list (curl still has it, if it started). */
static void unlink_req(struct http_req *r)
{
	http_list_del(r->easy ? &r->c->active : &r->c->failing, r);
}

/* Takes r out of curl and frees it. */
static void drop(struct http_req *r)
{
	if (r->easy)
		curl_multi_remove_handle(r->c->multi, r->easy);
	req_free(r);
}

void http_cancel(struct http_req *r)
{
	if (!r)
		return;
	unlink_req(r);
	drop(r);
}

/* The reply's strings belong to r and its curl handle: both stay until the
 * callback returns. Unlinked first, so that a callback freeing the client
 * does not end r twice; the client itself outlives the callback (it is
 * freed when the handler on the stack returns). */
static void end(struct http_req *r, struct http_reply *rep)
{
	unlink_req(r);
	rep->body = r->rbuf ? r->rbuf : "";
	rep->len = r->rlen;
	rep->elapsed_ms = (unsigned)(http_now_ms() - r->start_ms);
	log_debug("http: request ended: %s (status %ld, %zu bytes, %u ms)%s%s",
		  http_result_name(rep->result), rep->status, rep->len, rep->elapsed_ms,
		  rep->error ? ": " : "", rep->error ? rep->error : "");
	r->h(rep, r->arg);
	drop(r);
}

void http_req_finish(struct http_req *r, enum http_result result, const char *error)
{
	struct http_reply rep = { .result = result, .error = error };
	end(r, &rep);
}

void http_req_finish_curl(struct http_req *r, CURLcode code)
{
	struct http_reply rep = { .result = HTTP_ERROR };
	char text[CURL_ERROR_SIZE + 64];
	char *ct = NULL;
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &rep.status);
	curl_easy_getinfo(r->easy, CURLINFO_CONTENT_TYPE, &ct);
	rep.content_type = ct;
	if (r->too_big || code == CURLE_FILESIZE_EXCEEDED) {
		snprintf(text, sizeof text, "reply larger than %zu bytes", r->c->lim.max_reply);
		rep.error = text;
		r->rlen = 0;	/* a part of a body is no body */
		if (r->rbuf)
			r->rbuf[0] = '\0';
	} else if (code == CURLE_OPERATION_TIMEDOUT) {
		rep.result = HTTP_TIMEOUT;
		snprintf(text, sizeof text, "no reply within %u ms", r->timeout_ms);
		rep.error = text;
	} else if (code != CURLE_OK) {
		rep.error = r->errbuf[0] ? r->errbuf : curl_easy_strerror(code);
	} else if (rep.status < 200 || rep.status > 299) {
		snprintf(text, sizeof text, "HTTP %ld", rep.status);
		rep.error = text;
	} else {
		rep.result = HTTP_OK;
	}
	end(r, &rep);
}
