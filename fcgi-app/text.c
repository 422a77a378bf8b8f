/* Text from a request, shared by the features: checks, list parameters. */
#include "web.h"

#include <stdlib.h>
#include <string.h>

bool text_has_controls(const char *s, bool lines_ok)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t') {
			if (!lines_ok && *p != '\t')
				return true;
			continue;
		}
		if (*p < 0x20 || *p == 0x7f)
			return true;
	}
	return false;
}

long long text_number(const char *s, long long dflt, long long lo, long long hi)
{
	if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
		return dflt;
	long long v = atoll(s);
	return v < lo ? lo : v > hi ? hi : v;
}

const char *text_search(struct arena *a, const char *q, long max_chars)
{
	if (!q || utf8_chars(q) < 0)
		return NULL;
	char *s = arena_strdup(a, q), *o = s;
	if (!s)
		return NULL;
	long chars = 0;
	for (const unsigned char *p = (const unsigned char *)q; *p && chars < max_chars; chars++) {
		size_t len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : 4;
		if (len == 1 && (*p < 0x20 || *p == 0x7f)) {
			p++;
			continue;
		}
		memcpy(o, p, len);
		o += len;
		p += len;
	}
	*o = '\0';
	while (*s == ' ')
		s++;
	while (o > s && o[-1] == ' ')
		*--o = '\0';
	return *s ? s : NULL;
}

const char *text_trim(struct arena *a, const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(a, s, n);
}
