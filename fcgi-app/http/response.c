/* Building a response: status, headers, body, and its FastCGI form. */
#include "../web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *reason;
	int status;
} reasons[] = {
#define REASON_ROW(name, status) { #name, status },
	WEB_REASONS(REASON_ROW)
#undef REASON_ROW
};

int reason_status(const char *reason)
{
	for (size_t i = 0; i < sizeof reasons / sizeof *reasons; i++)
		if (!strcmp(reasons[i].reason, reason))
			return reasons[i].status;
	return 500;
}

static const char *status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 206: return "Partial Content";
	case 302: return "Found";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 416: return "Range Not Satisfiable";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return status >= 500 ? "Internal Server Error" : "Error";
	}
}

void resp_header(struct req *r, const char *name, const char *value)
{
	kv_add(r->a, &r->resp.headers, name, value);
}

void resp_text(struct req *r, int status, const char *ctype, const char *body)
{
	r->resp.status = status;
	r->resp.ctype = ctype;
	r->resp.body.len = 0;
	buf_puts(r->a, &r->resp.body, body);
}

const char *resp_json(struct req *r, int status, json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(j);
	if (!s)
		return "internal";
	resp_text(r, status, "application/json; charset=utf-8", s);
	free(s);
	return NULL;
}

void resp_redirect(struct req *r, const char *location)
{
	r->resp.status = 303;
	r->resp.ctype = "text/plain; charset=utf-8";
	r->resp.body.len = 0;
	resp_header(r, "Location", location);
}

int resp_serialize(struct req *r, struct buf *out)
{
	int status = r->resp.status ? r->resp.status : 200;
	char *head = arena_printf(r->a,
				  "Status: %d %s\r\nContent-Type: %s\r\n"
				  "Cache-Control: no-store\r\n"
				  "X-Content-Type-Options: nosniff\r\n"
				  "X-Frame-Options: DENY\r\n"
				  "Referrer-Policy: same-origin\r\n"
				  "Content-Security-Policy: default-src 'self'; script-src 'self'; "
				  "style-src 'self'; img-src 'self' data:; connect-src 'self'; "
				  "object-src 'none'; base-uri 'none'; form-action 'self'; "
				  "frame-ancestors 'none'\r\n",
				  status, status_text(status),
				  r->resp.ctype ? r->resp.ctype : "text/plain; charset=utf-8");
	if (!head || buf_puts(r->a, out, head))
		return -1;
	for (size_t i = 0; i < r->resp.headers.n; i++) {
		const struct kv *h = &r->resp.headers.v[i];
		/* Header values come from the app, never raw from a request; still,
		 * a line break would split the header block. */
		if (strpbrk(h->k, "\r\n:") || strpbrk(h->v, "\r\n"))
			continue;
		char *line = arena_printf(r->a, "%s: %s\r\n", h->k, h->v);
		if (!line || buf_puts(r->a, out, line))
			return -1;
	}
	if (buf_puts(r->a, out, "\r\n"))
		return -1;
	bool head_only = r->method && !strcmp(r->method, "HEAD");
	if (!head_only && r->resp.body.len &&
	    buf_append(r->a, out, r->resp.body.p, r->resp.body.len))
		return -1;
	return 0;
}
