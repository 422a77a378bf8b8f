/* multipart/form-data bodies (RFC 7578, RFC 2046 section 5.1), as browsers
 * send a form with a file. The body is trusted for nothing: every length
 * is bounded by the body's, a part must be closed by a boundary, header
 * blocks and the number of parts are limited, and a text field holding a
 * NUL is refused. File bytes are not copied: they point into the body,
 * which lives in the request's arena. */
#include "../web.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#define BOUNDARY_MAX 70

static bool bchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("'()+_,-./:=? ", c) != NULL;
}

/* The value of parameter name in a header's "; k=v; k=\"v\"" list (from
 * s), in a; NULL when absent or malformed (*bad set). Quoted values are
 * taken as they are up to the closing quote: browsers percent-encode a
 * quote in a file name and a backslash is a Windows path separator. */
static const char *param(struct arena *a, const char *s, const char *name, bool *bad)
{
	size_t nl = strlen(name);
	while (s && *s) {
		s = strchr(s, ';');
		if (!s)
			return NULL;
		s++;
		while (*s == ' ' || *s == '\t')
			s++;
		const char *eq = strchr(s, '=');
		if (!eq)
			return NULL;
		const char *k_end = eq;
		while (k_end > s && (k_end[-1] == ' ' || k_end[-1] == '\t'))
			k_end--;
		bool match = (size_t)(k_end - s) == nl && !strncasecmp(s, name, nl);
		const char *v = eq + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		const char *v_end;
		if (*v == '"') {
			v++;
			v_end = strchr(v, '"');
			if (!v_end) {
				*bad = true;
				return NULL;
			}
			s = v_end + 1;
		} else {
			v_end = v + strcspn(v, "; \t");
			s = v_end;
		}
		if (match)
			return arena_strndup(a, v, (size_t)(v_end - v));
	}
	return NULL;
}

const char *multipart_boundary(struct arena *a, const char *ctype)
{
	bool bad = false;
	const char *b = ctype ? param(a, ctype, "boundary", &bad) : NULL;
	size_t n = b ? strlen(b) : 0;
	if (bad || n == 0 || n > BOUNDARY_MAX || b[n - 1] == ' ')
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!bchar(b[i]))
			return NULL;
	return b;
}

struct part {
	const char *name, *filename, *ctype;
};

/* Reads a part's header block h[0..n) (no trailing blank line). */
static const char *part_headers(struct arena *a, const char *h, size_t n, struct part *p)
{
	if (memchr(h, '\0', n))
		return "bad_request";
	char *copy = arena_strndup(a, h, n);
	if (!copy)
		return "internal";
	bool disposition = false;
	for (char *line = copy; line && *line;) {
		char *next = strstr(line, "\r\n");
		if (next) {
			*next = '\0';
			next += 2;
		}
		char *colon = strchr(line, ':');
		/* No folded lines (RFC 7578 4.8), no line without a name. */
		if (!colon || colon == line || line[0] == ' ' || line[0] == '\t' ||
		    strpbrk(line, "\r\n"))
			return "bad_request";
		*colon = '\0';
		char *v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		if (!strcasecmp(line, "Content-Disposition")) {
			if (disposition)
				return "bad_request";
			disposition = true;
			size_t t = strcspn(v, "; \t");
			if (t != 9 || strncasecmp(v, "form-data", 9))
				return "bad_request";
			bool bad = false;
			p->name = param(a, v, "name", &bad);
			p->filename = param(a, v, "filename", &bad);
			if (bad)
				return "bad_request";
		} else if (!strcasecmp(line, "Content-Type")) {
			p->ctype = arena_strdup(a, v);
		}
		line = next;
	}
	if (!disposition || !p->name || !*p->name)
		return "bad_request";
	return NULL;
}

const char *multipart_parse(struct arena *a, const char *ctype, const char *body, size_t len,
			    struct kvlist *fields, struct upload **files, size_t *nfiles)
{
	*files = NULL;
	*nfiles = 0;
	const char *boundary = multipart_boundary(a, ctype);
	if (!boundary)
		return "bad_request";
	/* "\r\n--boundary": every delimiter but a first one at the very start. */
	char *delim = arena_printf(a, "\r\n--%s", boundary);
	if (!delim)
		return "internal";
	size_t dl = strlen(delim);
	const char *end = body + len, *pos;
	if (len >= dl - 2 && !memcmp(body, delim + 2, dl - 2)) {
		pos = body + dl - 2;
	} else {
		const char *d = memmem(body, len, delim, dl);
		if (!d)
			return "bad_request";
		pos = d + dl;
	}
	struct upload *fv = arena_alloc(a, MP_MAX_PARTS * sizeof *fv);
	if (!fv)
		return "internal";
	size_t nparts = 0, nf = 0;
	for (;;) {
		/* After a delimiter: "--" closes the body, else padding and CRLF. */
		if (end - pos >= 2 && pos[0] == '-' && pos[1] == '-')
			break;
		while (pos < end && (*pos == ' ' || *pos == '\t'))
			pos++;
		if (end - pos < 2 || pos[0] != '\r' || pos[1] != '\n')
			return "bad_request";
		pos += 2;
		if (++nparts > MP_MAX_PARTS)
			return "bad_request";
		/* The header block ends at the first blank line. */
		const char *hend;
		size_t hn;
		if (end - pos >= 2 && pos[0] == '\r' && pos[1] == '\n') {
			hend = pos;	/* no headers at all: refused below (no name) */
			hn = 0;
		} else {
			size_t room = (size_t)(end - pos);
			if (room > MP_MAX_HEADER + 4)
				room = MP_MAX_HEADER + 4;
			const char *crlf2 = memmem(pos, room, "\r\n\r\n", 4);
			if (!crlf2 || (size_t)(crlf2 - pos) > MP_MAX_HEADER)
				return "bad_request";
			hend = crlf2 + 2;
			hn = (size_t)(crlf2 - pos);
		}
		struct part p = { 0 };
		const char *why = part_headers(a, pos, hn, &p);
		if (why)
			return why;
		const char *content = hend + 2;
		const char *d = memmem(content, (size_t)(end - content), delim, dl);
		if (!d)
			return "bad_request";	/* no closing boundary: cut short */
		size_t cl = (size_t)(d - content);
		if (p.filename) {
			fv[nf++] = (struct upload){ .field = p.name, .filename = p.filename,
						    .ctype = p.ctype,
						    .data = (const unsigned char *)content, .len = cl };
		} else {
			if (memchr(content, '\0', cl))
				return "bad_request";
			char *v = arena_strndup(a, content, cl);
			if (!v || kv_add(a, fields, p.name, v))
				return "internal";
		}
		pos = d + dl;
	}
	*files = fv;
	*nfiles = nf;
	return NULL;
}

const struct upload *req_file(const struct req *r, const char *field)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i].field, field))
			return &r->files[i];
	return NULL;
}
