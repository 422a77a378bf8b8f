/* Reading a request: FastCGI parameters, query string, cookies, body. */
#include "../web.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

long long web_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

long long web_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static const char *env_get(char **envp, const char *name)
{
	size_t n = strlen(name);
	for (char **e = envp; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/* True when the media type of ctype (before any ';') is type. */
static bool media_is(const char *ctype, const char *type)
{
	size_t n = strlen(type);
	if (strncasecmp(ctype, type, n))
		return false;
	const char *rest = ctype + n;
	while (*rest == ' ')
		rest++;
	return *rest == '\0' || *rest == ';';
}

static const char *parse_body(struct req *r, const char *body, size_t len)
{
	if (!len)
		return NULL;
	const char *ct = r->content_type ? r->content_type : "";
	if (media_is(ct, "application/x-www-form-urlencoded")) {
		if (memchr(body, '\0', len) || url_parse_form(r->a, body, len, &r->form))
			return "bad_request";
		return NULL;
	}
	if (media_is(ct, "text/csv")) {
		/* A file to import, as sent: the handler reads r->body. */
		r->body = body;
		r->body_len = len;
		return NULL;
	}
	if (media_is(ct, "application/json")) {
		json_error_t je;
		json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
		if (!j || !json_is_object(j)) {
			json_decref(j);
			return "bad_request";
		}
		r->json = j;
		return NULL;
	}
	/* Uploads; dispatch.c refuses it on routes that take no file. */
	if (media_is(ct, "multipart/form-data")) {
		r->multipart = true;
		return multipart_parse(r->a, ct, body, len, &r->form, &r->files, &r->nfiles);
	}
	return "unsupported_media";
}

const char *req_parse(struct req *r, char **envp, const char *body, size_t bodylen)
{
	/* Kept past the FastCGI request (the log line comes after it ends). */
	r->method = arena_strdup(r->a, env_get(envp, "REQUEST_METHOD"));
	r->content_type = env_get(envp, "CONTENT_TYPE");
	r->origin = env_get(envp, "HTTP_ORIGIN");
	r->host = env_get(envp, "HTTP_HOST");
	r->server_port = env_get(envp, "SERVER_PORT");
	r->scheme = env_get(envp, "REQUEST_SCHEME");
	r->csrf_header = env_get(envp, "HTTP_X_CSRF_TOKEN");
	r->remote_addr = env_get(envp, "REMOTE_ADDR");
	if (!r->remote_addr)
		r->remote_addr = "-";
	if (!r->method)
		return "bad_request";

	/* The path: nginx's normalized DOCUMENT_URI, else REQUEST_URI without
	 * its query, decoded. */
	const char *uri = env_get(envp, "DOCUMENT_URI");
	const char *raw = env_get(envp, "REQUEST_URI");
	if (uri) {
		r->path = arena_strdup(r->a, uri);
	} else if (raw) {
		size_t n = strcspn(raw, "?");
		r->path = url_decode(r->a, raw, n, false);
	}
	if (!r->path || r->path[0] != '/')
		return "bad_request";

	const char *qs = env_get(envp, "QUERY_STRING");
	if (!qs && raw && strchr(raw, '?'))
		qs = strchr(raw, '?') + 1;
	r->query_string = qs ? qs : "";
	if (url_parse_form(r->a, r->query_string, strlen(r->query_string), &r->query))
		return "bad_request";
	if (cookie_parse(r->a, env_get(envp, "HTTP_COOKIE"), &r->cookies))
		return "internal";
	return parse_body(r, body, bodylen);
}

const char *req_body_size(const char *content_length, size_t max, size_t *n)
{
	*n = 0;
	if (!content_length || !*content_length)
		return NULL;
	char *end;
	errno = 0;
	long long v = strtoll(content_length, &end, 10);
	if (errno || *end || v < 0)
		return "bad_request";
	if ((unsigned long long)v > max)
		return "too_large";
	*n = (size_t)v;
	return NULL;
}

const char *req_param(const struct req *r, const char *name)
{
	const char *v = kv_get(&r->form, name);
	if (v || !r->json)
		return v;
	json_t *j = json_object_get(r->json, name);
	if (json_is_string(j))
		return json_string_value(j);
	if (json_is_integer(j))
		return arena_printf(r->a, "%lld", (long long)json_integer_value(j));
	return NULL;
}

const char *req_query(const struct req *r, const char *name)
{
	return kv_get(&r->query, name);
}

const char *req_cookie(const struct req *r, const char *name)
{
	return kv_get(&r->cookies, name);
}

static const char *known_lang(const char *s)
{
	if (!s)
		return NULL;
#define LANG_MATCH(id, code) if (!strcmp(s, code)) return code;
	WEB_LANGS(LANG_MATCH)
#undef LANG_MATCH
	return NULL;
}

void req_pick_lang(struct req *r)
{
	const char *q = known_lang(req_query(r, "lang"));
	if (q) {
		r->lang = q;
		cookie_set(r, "cc_lang", q, 365L * 24 * 3600, false);
		return;
	}
	const char *c = known_lang(req_cookie(r, "cc_lang"));
	if (c) {
		r->lang = c;
		return;
	}
	const char *d = r->web ? known_lang(r->web->conf.default_lang) : NULL;
	r->lang = d ? d : "zh-CN";
}
