/* Route matching over the table in route.h, and the table of admin
 * resources. */
#include "../route.h"

#include "../resource/resource.h"

#include <string.h>

#define ACC_OF_PUBLIC ACC_PUBLIC
#define ACC_OF_SIGNED ACC_SIGNED
#define ACC_OF_AGENT ACC_AGENT
#define ACC_OF_ADMIN ACC_ADMIN
#define ACC_OF_OUTBOUND ACC_OUTBOUND
#define ACC_OF_MONITOR ACC_MONITOR
#define CSRF_OF_YES true
#define CSRF_OF_NO false
#define KIND_OF_PAGE RK_PAGE
#define KIND_OF_JSON RK_JSON
#define KIND_OF_TEXT RK_TEXT
#define KIND_OF_SSE RK_SSE

const struct route web_routes[] = {
#define ROUTE_ROW(m, p, h, acc, csrf, kind) \
	{ #m, p, #h, h, ACC_OF_##acc, CSRF_OF_##csrf, KIND_OF_##kind, NULL },
	WEB_ROUTES(ROUTE_ROW)
#undef ROUTE_ROW
#define RES_ROW(m, p, h, acc, csrf, kind, n) \
	{ #m, p, #h, h, ACC_OF_##acc, CSRF_OF_##csrf, KIND_OF_##kind, &res_##n },
#define RES_ROWS(n) RES_ROUTES(RES_ROW, n)
	WEB_RESOURCES(RES_ROWS)
#undef RES_ROWS
#undef RES_ROW
};

const size_t web_nroutes = sizeof web_routes / sizeof web_routes[0];

const struct resource *const web_resources[] = {
#define RES_PTR(n) &res_##n,
	WEB_RESOURCES(RES_PTR)
#undef RES_PTR
};

const size_t web_nresources = sizeof web_resources / sizeof web_resources[0];

static bool id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

/* Matches path against pattern; the {id} segment's span goes to *id_at and
 * *id_len (NULL, 0 when the pattern has none). Strict, the segment must be
 * an id (1 to 64 id_chars); loose, any segment stands for it. */
static bool match(const char *pattern, const char *path, bool strict, const char **id_at,
		  size_t *id_len)
{
	const char *p = pattern, *s = path;
	*id_at = NULL;
	*id_len = 0;
	while (*p) {
		if (!strncmp(p, "{id}", 4)) {
			const char *start = s;
			while (*s && *s != '/') {
				if (strict && !id_char(*s))
					return false;
				s++;
			}
			size_t n = (size_t)(s - start);
			if (n == 0 || (strict && n > 64))
				return false;
			*id_at = start;
			*id_len = n;
			p += 4;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	return *s == '\0';
}

const struct route *route_match(const char *method, const char *path, struct arena *a,
				const char **id, bool *wrong_method)
{
	*wrong_method = false;
	*id = NULL;
	if (!method || !path)
		return NULL;
	/* HEAD is answered as GET; the body is dropped when sent. */
	const char *m = strcmp(method, "HEAD") ? method : "GET";
	for (size_t i = 0; i < web_nroutes; i++) {
		const char *at;
		size_t n;
		if (!match(web_routes[i].pattern, path, true, &at, &n))
			continue;
		if (strcmp(web_routes[i].method, m)) {
			*wrong_method = true;
			continue;
		}
		*id = at ? arena_strndup(a, at, n) : NULL;
		return &web_routes[i];
	}
	return NULL;
}

enum route_kind route_error_kind(const char *method, const char *path)
{
	if (!path)
		return RK_PAGE;
	const char *m = method && strcmp(method, "HEAD") ? method : "GET";
	const struct route *any = NULL;
	for (size_t i = 0; i < web_nroutes; i++) {
		const char *at;
		size_t n;
		if (!match(web_routes[i].pattern, path, false, &at, &n))
			continue;
		if (!strcmp(web_routes[i].method, m))
			return web_routes[i].kind;
		if (!any)
			any = &web_routes[i];
	}
	if (any)
		return any->kind;
	return strncmp(path, "/cc/api/", 8) ? RK_PAGE : RK_JSON;
}

size_t route_body_max(const struct route *rt, size_t dflt)
{
#define BIG_BODY(h, kb) if (rt && rt->handler == h) return (size_t)(kb) * 1024;
	WEB_BIG_BODIES(BIG_BODY)
#undef BIG_BODY
	return dflt;
}

bool route_takes_files(const struct route *rt)
{
	return route_body_max(rt, 0) != 0;
}

static bool level_allows(enum access level, const struct session *s)
{
	switch (level) {
	case ACC_PUBLIC:
		return true;
	case ACC_SIGNED:
		return s != NULL;
	case ACC_AGENT:
		return s && s->agent;
	case ACC_ADMIN:
		return s && s->admin;
	case ACC_OUTBOUND:
		return s && (s->admin || s->outbound);
	case ACC_MONITOR:
		return s && (s->admin || s->monitor);
	}
	return false;
}

bool route_allows(const struct route *rt, const struct session *s)
{
	return level_allows(rt->access, s) && (!rt->res || level_allows(rt->res->access, s));
}
