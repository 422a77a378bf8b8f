/* Phone numbers: the normalized form used to match callers against the
 * numbers a CRM holds. What the CRM holds is never rewritten, only matched.
 *
 * Both sides go through phone_normalize() and are compared as strings. A
 * number that fits the numbering plan becomes E.164 ("+8613800138000");
 * one that cannot be placed in it (a short service number, a local number
 * with no area code configured) keeps its digits alone ("95588"), so it
 * still matches the same digits written another way. */
#ifndef CC_PHONE_H
#define CC_PHONE_H

#include <stddef.h>

struct phone_rules {
	const char *country;	/* country calling code, digits: "86" */
	const char *trunk;	/* national trunk prefix: "0" ("" if none) */
	const char *intl;	/* international call prefix: "00" */
	const char *area;	/* area code added to local numbers ("" if none): "10" */
	unsigned nsn_min;	/* national significant number length: 10 */
	unsigned nsn_max;	/* 11 */
	unsigned local_min;	/* local number length, with area set: 7 */
	unsigned local_max;	/* 8 */
};

/* The reference host's defaults: mainland China. */
extern const struct phone_rules phone_rules_cn;

enum phone_kind {
	PHONE_INVALID = -1,	/* no digits, letters, or too long */
	PHONE_E164 = 0,		/* out holds "+<digits>" */
	PHONE_DIGITS = 1,	/* outside the plan: out holds the digits */
};

/* Normalizes in (spaces, dashes, dots, brackets and full-width forms allowed;
 * anything after an extension mark such as "ext", "x", "转", ",", ";" is
 * dropped) into out. Returns the kind; out is "" for PHONE_INVALID. */
enum phone_kind phone_normalize(const struct phone_rules *r, const char *in, char *out,
				size_t outlen);

#endif
