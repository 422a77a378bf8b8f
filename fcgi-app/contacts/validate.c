/* Validating an agent's edits against the manifest's field rules. */
#include "contact.h"

#include "manifest.h"

#include <string.h>

/* A practical address check: local@domain, printable ASCII local part
 * without spaces, a domain of dot-separated labels with a dot in it. */
bool email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || strlen(s) > 254)
		return false;
	for (const char *p = s; p < at; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 127 || strchr("()<>[]\\,;:\"", *p))
			return false;
	const char *d = at + 1;
	if (!*d || !strchr(d, '.') || *d == '.' || d[strlen(d) - 1] == '.' || strstr(d, ".."))
		return false;
	for (const char *p = d; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return false;
	return true;
}

const char *contact_check(const struct mf_field *f, const char *value,
			  const struct phone_rules *rules)
{
	bool empty = !value || !*value;
	if (empty) {
		if (f->required)
			return "v.required";
		return NULL;
	}
	long chars = utf8_chars(value);
	if (chars < 0 || text_has_controls(value, f->type == MF_TEXTAREA))
		return "v.text";
	/* Only whitespace counts as empty for a required field. */
	if (f->required && strspn(value, " \t\r\n") == strlen(value))
		return "v.required";
	if (f->max && (unsigned long)chars > f->max)
		return "v.too_long";
	switch (f->type) {
	case MF_EMAIL:
		return email_ok(value) ? NULL : "v.email";
	case MF_PHONE: {
		char norm[40];
		return phone_normalize(rules, value, norm, sizeof norm) == PHONE_INVALID ? "v.phone"
											  : NULL;
	}
	case MF_CHOICE:
		for (size_t i = 0; i < f->nchoices; i++)
			if (f->choices[i].value && !strcmp(f->choices[i].value, value))
				return NULL;
		return "v.choice";
	case MF_TEXT:
	case MF_TEXTAREA:
		break;
	}
	return NULL;
}
