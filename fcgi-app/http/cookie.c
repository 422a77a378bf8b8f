/* Cookies: parsing the Cookie header, building Set-Cookie. */
#include "../web.h"

#include <stdio.h>
#include <string.h>

static bool cookie_name_ok(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 32 || c >= 127 || strchr("()<>@,;:\\\"/[]?={}", c))
			return false;
	}
	return true;
}

int cookie_parse(struct arena *a, const char *header, struct kvlist *list)
{
	if (!header)
		return 0;
	const char *p = header;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		if (!*p)
			break;
		const char *end = strchr(p, ';');
		if (!end)
			end = p + strlen(p);
		const char *eq = memchr(p, '=', (size_t)(end - p));
		if (eq) {
			const char *ke = eq;
			while (ke > p && (ke[-1] == ' ' || ke[-1] == '\t'))
				ke--;
			const char *vs = eq + 1, *ve = end;
			while (vs < ve && (*vs == ' ' || *vs == '\t'))
				vs++;
			while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
				vs++;
				ve--;
			}
			if (cookie_name_ok(p, (size_t)(ke - p))) {
				char *k = arena_strndup(a, p, (size_t)(ke - p));
				char *v = arena_strndup(a, vs, (size_t)(ve - vs));
				if (!k || !v || kv_add(a, list, k, v))
					return -1;
			}
		}
		p = end;
	}
	return 0;
}

int cookie_set(struct req *r, const char *name, const char *value, long max_age, bool http_only)
{
	char age[64] = "";
	if (max_age >= 0)
		snprintf(age, sizeof age, "; Max-Age=%ld", max_age);
	char *h = arena_printf(r->a, "%s=%s; Path=/cc/%s%s; SameSite=Lax%s", name,
			       max_age == 0 ? "" : value, age, http_only ? "; HttpOnly" : "",
			       r->web && r->web->conf.cookie_secure ? "; Secure" : "");
	if (!h)
		return -1;
	resp_header(r, "Set-Cookie", h);
	return 0;
}
