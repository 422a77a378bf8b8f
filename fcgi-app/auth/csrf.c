/* CSRF tokens: per session (cc_session.csrf), and for the sign-in form a
 * nonce cookie with an HMAC of it in the form. Every POST also passes an
 * Origin check when the browser sends one. */
#include "auth.h"

#include "hash.h"
#include "rnd.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int csrf_new(char out[65])
{
	return rnd_hex(out, 32);
}

bool csrf_check(const char *expected, const char *given)
{
	if (!expected || !*expected || !given || !*given)
		return false;
	return hash_equal(expected, given);
}

void csrf_login_token(const unsigned char key[32], const char *nonce, char out[65])
{
	char msg[160];
	size_t n = strlen(nonce);
	if (n > sizeof msg - 7)
		n = sizeof msg - 7;
	memcpy(msg, "login:", 6);
	memcpy(msg + 6, nonce, n);
	hash_hmac_sha256_hex(key, 32, msg, 6 + n, out);
}

bool csrf_login_check(const unsigned char key[32], const char *nonce, const char *given)
{
	if (!nonce || strlen(nonce) != 32)
		return false;
	char want[65];
	csrf_login_token(key, nonce, want);
	return csrf_check(want, given);
}

const char *csrf_given(const struct req *r)
{
	const char *f = kv_get(&r->form, "_csrf");
	if (!f && r->json) {
		json_t *j = json_object_get(r->json, "_csrf");
		f = json_is_string(j) ? json_string_value(j) : NULL;
	}
	return f ? f : r->csrf_header;
}

/* Splits "host[:port]" (IPv6 literals in brackets); port is "" when absent. */
static void split_authority(const char *a, size_t n, char *host, size_t hl, char *port, size_t pl)
{
	const char *colon = NULL;
	if (n && a[0] == '[') {
		const char *close = memchr(a, ']', n);
		if (close && (size_t)(close - a) + 1 < n && close[1] == ':')
			colon = close + 1;
	} else {
		colon = memchr(a, ':', n);
	}
	size_t h = colon ? (size_t)(colon - a) : n;
	snprintf(host, hl, "%.*s", (int)h, a);
	snprintf(port, pl, "%.*s", colon ? (int)(n - h - 1) : 0, colon ? colon + 1 : "");
}

bool csrf_origin_ok(const struct req *r)
{
	if (!r->origin)
		return true;
	if (!r->host)
		return false;
	/* "scheme://host[:port]" must name this server: http or https, the
	 * request's own scheme when nginx says it (REQUEST_SCHEME), the same
	 * host, and the same port (the Host header's, else the server's;
	 * nginx's stock fastcgi_params passes the host without its port). */
	const char *sep = strstr(r->origin, "://");
	if (!sep)
		return false;
	size_t sl = (size_t)(sep - r->origin);
	bool https = sl == 5 && !strncasecmp(r->origin, "https", 5);
	if (!https && !(sl == 4 && !strncasecmp(r->origin, "http", 4)))
		return false;
	if (r->scheme && *r->scheme && strcasecmp(r->scheme, https ? "https" : "http"))
		return false;
	const char *auth = sep + 3;
	if (strpbrk(auth, "/?#@ \t\r\n"))
		return false;
	char oh[256], op[16], hh[256], hp[16];
	split_authority(auth, strlen(auth), oh, sizeof oh, op, sizeof op);
	split_authority(r->host, strlen(r->host), hh, sizeof hh, hp, sizeof hp);
	if (!*oh || strcasecmp(oh, hh))
		return false;
	const char *origin_port = *op ? op : (https ? "443" : "80");
	const char *our_port = *hp ? hp : r->server_port;
	return !our_port || !strcmp(origin_port, our_port);
}
