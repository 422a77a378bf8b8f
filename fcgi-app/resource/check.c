/* One value against its column's type and bounds (see resource.h). What a
 * person types is trimmed of surrounding blanks; everything else is stored
 * as sent. */
#include "resource.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ID_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"

static const char *trim(struct arena *a, const char *v)
{
	static const char blanks[] = " \t\r\n";
	v += strspn(v, blanks);
	size_t n = strlen(v);
	while (n && strchr(blanks, v[n - 1]))
		n--;
	return arena_strndup(a, v, n);
}

/* A decimal integer: optional '-', digits, nothing else, in range. */
static bool parse_int(const char *s, long long *out)
{
	const char *d = *s == '-' ? s + 1 : s;
	if (!*d || strspn(d, "0123456789") != strlen(d))
		return false;
	errno = 0;
	char *end;
	*out = strtoll(s, &end, 10);
	return !errno && !*end;
}

static const char *check_bool(const char *v, const char **out)
{
	static const char *const yes[] = { "1", "true", "on", "yes" };
	static const char *const no[] = { "0", "false", "off", "no" };
	for (size_t i = 0; i < 4; i++) {
		if (!strcmp(v, yes[i])) {
			*out = "1";
			return NULL;
		}
		if (!strcmp(v, no[i])) {
			*out = "0";
			return NULL;
		}
	}
	return "v.bool";
}

static const char *check_text(const struct res_col *c, const char *v)
{
	long chars = utf8_chars(v);
	if (chars < 0 || text_has_controls(v, false))
		return "v.text";
	if (c->max && (unsigned long)chars > c->max)
		return "v.max_chars";
	if (c->chars && strspn(v, c->chars) != strlen(v))
		return "v.chars";
	return NULL;
}

const char *res_check(struct arena *a, const struct res_col *c, const char *v, const char **out)
{
	*out = NULL;
	if (!v)
		return NULL;
	const char *t = trim(a, v);
	if (!t)
		return "v.text";
	if (!*t) {
		/* A checkbox left empty is "no", never missing. */
		if (c->type == RES_BOOL) {
			*out = "0";
			return NULL;
		}
		if (c->required)
			return "v.required";
		*out = "";
		return NULL;
	}
	long long n;
	const char *why = NULL;
	switch (c->type) {
	case RES_TEXT:
		why = check_text(c, t);
		break;
	case RES_INT:
		if (!parse_int(t, &n))
			why = "v.int";
		else if (n < c->min || n > c->max_int)
			why = "v.range";
		break;
	case RES_BOOL:
		return check_bool(t, out);
	case RES_CHOICE:
		why = "v.choice";
		for (size_t i = 0; i < c->nchoices; i++)
			if (!strcmp(c->choices[i].value, t))
				why = NULL;
		break;
	case RES_REF:
		/* Keys are positive integers, or the helpdesk's ids (letters,
		 * digits, '-', '_'); whether the row exists is db.c's. */
		if (c->ref.text_key ? strlen(t) > 64 || strspn(t, ID_CHARS) != strlen(t)
				    : !parse_int(t, &n) || n <= 0)
			why = "v.ref";
		break;
	case RES_PHONE:
		why = check_text(c, t);
		break;
	}
	if (!why)
		*out = t;
	return why;
}

const char *res_phone(struct arena *a, const struct phone_rules *rules, const char *v,
		      const char **out)
{
	char norm[64];
	*out = NULL;
	if (!v || !*v) {
		*out = v;
		return NULL;
	}
	if (phone_normalize(rules, v, norm, sizeof norm) == PHONE_INVALID)
		return "v.phone";
	*out = arena_strdup(a, norm);
	return *out ? NULL : "v.phone";
}

char *res_message(struct arena *a, const char *text, const struct res_col *c)
{
	char max[32], min[32];
	snprintf(max, sizeof max, "%lld", c->type == RES_INT ? c->max_int : (long long)c->max);
	snprintf(min, sizeof min, "%lld", c->min);
	char *out = arena_strdup(a, "");
	const char *p = text;
	while (out && *p) {
		const char *ph = strchr(p, '{');
		if (!ph) {
			out = arena_printf(a, "%s%s", out, p);
			break;
		}
		const char *fill = !strncmp(ph, "{max}", 5) ? max : !strncmp(ph, "{min}", 5) ? min : NULL;
		if (fill) {
			out = arena_printf(a, "%s%.*s%s", out, (int)(ph - p), p, fill);
			p = ph + 5;
		} else {
			out = arena_printf(a, "%s%.*s", out, (int)(ph - p + 1), p);
			p = ph + 1;
		}
	}
	return out;
}
