/* UTF-8 checks: see utf8.h. */
#include "utf8.h"

#include <string.h>

size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	if (c < 0x80)
		return 1;
	size_t n = c >= 0xc2 && c <= 0xdf ? 2 : (c & 0xf0) == 0xe0 ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
	if (!n || (size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* overlong three- and four-byte forms, surrogates, past U+10FFFF */
	if (n == 3 && ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0)))
		return 0;
	if (n == 4 && ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90)))
		return 0;
	return n;
}

long utf8_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
	long n = 0;
	while (p < end) {
		size_t k = utf8_seq(p, end);
		if (!k)
			return -1;
		p += k;
		n++;
	}
	return n;
}
