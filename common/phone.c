/* Phone numbers: see phone.h. */
#include "phone.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const struct phone_rules phone_rules_cn = {
	.country = "86", .trunk = "0", .intl = "00", .area = "",
	.nsn_min = 10, .nsn_max = 11, .local_min = 7, .local_max = 8,
};

#define MAX_DIGITS 20

static bool starts(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	return n && !strncmp(s, prefix, n);
}

/* Reads one character of in at *i into a plain ASCII equivalent: full-width
 * digits, plus, hyphen, brackets and the ideographic space fold to ASCII.
 * Returns 0 at the end, -1 for a mark that ends the number (extension). */
static int next_char(const unsigned char *in, size_t *i)
{
	unsigned char c = in[*i];
	if (!c)
		return 0;
	if (c < 0x80) {
		if (c == ',' || c == ';' || c == 'x' || c == 'X' ||
		    !strncasecmp((const char *)in + *i, "ext", 3))
			return -1;
		(*i)++;
		return c;
	}
	/* U+FF01..U+FF5E are EF BC 81..EF BD 9E: full-width ASCII. */
	if (c == 0xEF && in[*i + 1] == 0xBC && in[*i + 2] >= 0x81 && in[*i + 2] <= 0xBF) {
		int ascii = in[*i + 2] - 0x81 + '!';
		*i += 3;
		return ascii;
	}
	if (c == 0xE3 && in[*i + 1] == 0x80 && in[*i + 2] == 0x80) {	/* U+3000 */
		*i += 3;
		return ' ';
	}
	if (c == 0xE8 && in[*i + 1] == 0xBD && in[*i + 2] == 0xAC)	/* 转 (transfer to) */
		return -1;
	*i += 1;
	return 0x80;	/* anything else is not part of a phone number */
}

enum phone_kind phone_normalize(const struct phone_rules *r, const char *in, char *out,
				size_t outlen)
{
	char d[MAX_DIGITS + 1];
	size_t n = 0, i = 0;
	bool plus = false, any = false;
	const unsigned char *s = (const unsigned char *)(in ? in : "");

	if (outlen)
		out[0] = '\0';
	if (!strncasecmp((const char *)s, "tel:", 4))
		i = 4;
	for (;;) {
		int c = next_char(s, &i);
		if (c <= 0)
			break;
		if (c >= '0' && c <= '9') {
			if (n == MAX_DIGITS)
				return PHONE_INVALID;
			d[n++] = (char)c;
			any = true;
		} else if (c == '+' && !any && !plus) {
			plus = true;
		} else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' ||
			   c == '/' || c == '\t') {
			continue;
		} else {
			return PHONE_INVALID;
		}
	}
	d[n] = '\0';
	if (!n)
		return PHONE_INVALID;

	const char *nsn = NULL;		/* national significant number, when known */
	const char *cc = r->country;
	if (plus) {
		if (n < 7 || n > 15)
			return PHONE_INVALID;
		return snprintf(out, outlen, "+%s", d) < (int)outlen ? PHONE_E164 : PHONE_INVALID;
	}
	if (starts(d, r->intl)) {
		const char *rest = d + strlen(r->intl);
		size_t len = strlen(rest);
		if (len < 7 || len > 15)
			return PHONE_INVALID;
		return snprintf(out, outlen, "+%s", rest) < (int)outlen ? PHONE_E164 : PHONE_INVALID;
	}
	if (starts(d, r->trunk)) {
		size_t len = n - strlen(r->trunk);
		if (len >= r->nsn_min && len <= r->nsn_max)
			nsn = d + strlen(r->trunk);
	} else if (n >= r->nsn_min && n <= r->nsn_max) {
		nsn = d;
	} else if (starts(d, cc) && n - strlen(cc) >= r->nsn_min && n - strlen(cc) <= r->nsn_max) {
		nsn = d + strlen(cc);
	} else if (r->area && *r->area && n >= r->local_min && n <= r->local_max) {
		if (snprintf(out, outlen, "+%s%s%s", cc, r->area, d) >= (int)outlen)
			return PHONE_INVALID;
		return PHONE_E164;
	}
	if (nsn) {
		if (snprintf(out, outlen, "+%s%s", cc, nsn) >= (int)outlen)
			return PHONE_INVALID;
		return PHONE_E164;
	}
	if (snprintf(out, outlen, "%s", d) >= (int)outlen)
		return PHONE_INVALID;
	return PHONE_DIGITS;
}
