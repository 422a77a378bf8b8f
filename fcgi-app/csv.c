/* CSV files in and out (csv.h): encodings, the reader, cells for export. */
#include "csv.h"

#include "arena.h"
#include "utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <string.h>

/* The offset of the first byte that is not UTF-8, or n. */
static size_t utf8_valid_upto(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		size_t k = utf8_seq(p, end);
		if (!k)
			return (size_t)((const char *)p - s);
		p += k;
	}
	return n;
}

enum csv_enc csv_detect(const char *p, size_t n)
{
	if (n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		return CSV_ENC_UTF8_BOM;
	return utf8_valid_upto(p, n) == n ? CSV_ENC_UTF8 : CSV_ENC_GBK;
}

static size_t line_of(const char *p, size_t off)
{
	size_t line = 1;
	for (size_t i = 0; i < off; i++)
		if (p[i] == '\n')
			line++;
	return line;
}

char *csv_utf8(struct arena *a, const char *p, size_t n, size_t *outlen, size_t *bad_line)
{
	*bad_line = 0;
	enum csv_enc e = csv_detect(p, n);
	if (e != CSV_ENC_GBK) {
		size_t skip = e == CSV_ENC_UTF8_BOM ? 3 : 0;
		char *o = arena_alloc(a, n - skip + 1);
		if (!o)
			return NULL;
		memcpy(o, p + skip, n - skip);
		o[n - skip] = '\0';
		*outlen = n - skip;
		return o;
	}
	/* GB18030 is a superset of GBK and GB2312: what Excel writes for
	 * "CSV" on a Chinese Windows decodes with it. A GBK character is at
	 * most 2 bytes and at most 3 in UTF-8 (4 for GB18030's 4-byte forms,
	 * which are 4 bytes in both). */
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = n * 2 + 4;
	char *o = arena_alloc(a, cap);
	if (!o) {
		iconv_close(cd);
		return NULL;
	}
	char *in = (char *)p, *out = o;
	size_t inleft = n, outleft = cap - 1;
	size_t rc = iconv(cd, &in, &inleft, &out, &outleft);
	iconv_close(cd);
	if (rc == (size_t)-1 || inleft) {
		*bad_line = line_of(p, (size_t)(in - p));
		return NULL;
	}
	*out = '\0';
	*outlen = (size_t)(out - o);
	/* A file that is neither: GB18030 maps almost any byte string, so a
	 * control character in the result is the sign of garbage. */
	for (size_t i = 0; i < *outlen; i++) {
		unsigned char c = (unsigned char)o[i];
		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) {
			*bad_line = line_of(o, i);
			return NULL;
		}
	}
	return o;
}

void csv_init(struct csv_reader *c, const char *p, size_t n)
{
	c->p = p;
	c->end = p + n;
	c->line = 1;
}

int csv_next(struct csv_reader *c, struct arena *a, char **fields, size_t max, size_t *nf,
		size_t *line)
{
	*nf = 0;
	/* Blank lines (and a last line break) are no record. */
	while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
		if (*c->p == '\n')
			c->line++;
		c->p++;
	}
	if (c->p >= c->end)
		return 0;
	*line = c->line;
	for (;;) {
		/* One field. */
		const char *p = c->p;
		char *f;
		size_t len = 0;
		if (p < c->end && *p == '"') {
			p++;
			/* First the length, then the copy: a field is read twice,
			 * the file once. */
			size_t cap = 0;
			const char *s = p;
			for (;;) {
				if (s >= c->end)
					return -1;	/* unclosed quote */
				if (*s == '"' && !(s + 1 < c->end && s[1] == '"'))
					break;
				s += *s == '"' ? 2 : 1;
				cap++;
			}
			for (s++; s < c->end && *s != ',' && *s != '\n' && *s != '\r'; s++)
				cap++;
			f = arena_alloc(a, cap + 1);
			if (!f)
				return -1;
			s = p;
			for (;;) {
				if (*s == '"') {
					if (s + 1 < c->end && s[1] == '"') {
						f[len++] = '"';
						s += 2;
						continue;
					}
					s++;
					break;
				}
				if (*s == '\n')
					c->line++;
				f[len++] = *s++;
			}
			/* Anything between the closing quote and the separator is
			 * kept, as spreadsheets do. */
			while (s < c->end && *s != ',' && *s != '\n' && *s != '\r')
				f[len++] = *s++;
			p = s;
		} else {
			const char *s = p;
			while (s < c->end && *s != ',' && *s != '\n' && *s != '\r')
				s++;
			len = (size_t)(s - p);
			f = arena_alloc(a, len + 1);
			if (!f)
				return -1;
			memcpy(f, p, len);
			p = s;
		}
		f[len] = '\0';
		if (*nf < max)
			fields[*nf] = f;
		(*nf)++;
		if (p < c->end && *p == ',') {
			c->p = p + 1;
			continue;
		}
		if (p < c->end && *p == '\r')
			p++;
		if (p < c->end && *p == '\n') {
			p++;
			c->line++;
		}
		c->p = p;
		break;
	}
	if (*nf > max) {
		*nf = max + 1;
		return -1;
	}
	return 1;
}

char *csv_cell(struct arena *a, const char *s)
{
	if (!s)
		return arena_strdup(a, "");
	bool formula = strchr("=+-@\t\r", s[0]) && s[0];
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	size_t n = strlen(s);
	char *o = arena_alloc(a, n * 2 + 4);
	if (!o)
		return NULL;
	char *w = o;
	if (quote)
		*w++ = '"';
	if (formula)
		*w++ = '\'';
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			*w++ = '"';
		*w++ = *p;
	}
	if (quote)
		*w++ = '"';
	*w = '\0';
	return o;
}
