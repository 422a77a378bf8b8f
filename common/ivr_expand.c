/* Templates of IVR flows: ${name} replaced by a variable's value, escaped
 * for where the text goes (docs/ivr.md, "The interpreter"). */
#include "ivr_run_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 64;
		while (nc < b->len + n + 1)
			nc *= 2;
		char *p = realloc(b->p, nc);
		if (!p) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = nc;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void sbuf_free(struct sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static void add_escaped(struct sbuf *b, const char *v, enum esc esc)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		unsigned char c = *p;
		char tmp[8];
		switch (esc) {
		case ESC_NONE:
			sbuf_add(b, (const char *)p, 1);
			break;
		case ESC_URL:
		case ESC_FORM:
			if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			    c == '-' || c == '.' || c == '_' || c == '~') {
				sbuf_add(b, (const char *)p, 1);
			} else if (c == ' ' && esc == ESC_FORM) {
				sbuf_add(b, "+", 1);
			} else {
				tmp[0] = '%';
				tmp[1] = hex[c >> 4];
				tmp[2] = hex[c & 15];
				sbuf_add(b, tmp, 3);
			}
			break;
		case ESC_HEADER:
			if (c >= 0x20 && c != 0x7f)
				sbuf_add(b, (const char *)p, 1);
			break;
		case ESC_JSON:
			if (c == '"' || c == '\\') {
				tmp[0] = '\\';
				tmp[1] = (char)c;
				sbuf_add(b, tmp, 2);
			} else if (c == '\n' || c == '\r' || c == '\t') {
				tmp[0] = '\\';
				tmp[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
				sbuf_add(b, tmp, 2);
			} else if (c < 0x20) {
				snprintf(tmp, sizeof tmp, "\\u%04x", c);
				sbuf_add(b, tmp, 6);
			} else {
				sbuf_add(b, (const char *)p, 1);
			}
			break;
		}
	}
}

char *ivr_expand(const char *t, enum esc esc, var_get_h *get, const void *arg)
{
	struct sbuf b = { 0 };
	sbuf_add(&b, "", 0);
	const char *s = t ? t : "";
	for (;;) {
		const char *d = strstr(s, "${");
		if (!d) {
			sbuf_add(&b, s, strlen(s));
			break;
		}
		const char *n = d + 2;
		size_t len = strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_");
		if (!len || len > 32 || n[len] != '}' || (n[0] >= '0' && n[0] <= '9')) {
			/* Not a name: text, as the reader (ivr_parse.c) sees it. */
			sbuf_add(&b, s, (size_t)(n - s));
			s = n;
			continue;
		}
		sbuf_add(&b, s, (size_t)(d - s));
		char name[33];
		memcpy(name, n, len);
		name[len] = '\0';
		const char *v = get(arg, name);
		if (v)
			add_escaped(&b, v, esc);
		s = n + len + 1;
	}
	if (b.failed) {
		sbuf_free(&b);
		return NULL;
	}
	return b.p;
}
