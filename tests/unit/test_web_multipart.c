/* multipart/form-data bodies (fcgi-app/http/multipart.c): what browsers
 * send (text fields, a binary file holding NULs, CRLFs and dashes, a
 * preamble and an epilogue), boundaries from the Content-Type, and hostile
 * bodies: cut short, no boundary, a part without a name or with a header
 * block too long, too many parts, folded or NUL-bearing headers, NUL in a
 * text field, unterminated quotes; random corruption and every prefix of a
 * good body (under ASan in make check: nothing read outside the body).
 * Also: only the upload routes take a large body and multipart at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi-app/route.h"

static struct arena *a;

#define CT "multipart/form-data; boundary=----WebKitFormBoundaryx7Q2"
#define B "------WebKitFormBoundaryx7Q2"

/* A parse of body (len bytes copied to a buffer of exactly that size, so
 * ASan sees any read past it). */
struct parsed {
	const char *why;
	struct kvlist fields;
	struct upload *files;
	size_t nfiles;
	char *copy;
};

static struct parsed parse_n(const char *ct, const char *body, size_t len)
{
	struct parsed p = { 0 };
	p.copy = arena_alloc(a, len ? len : 1);
	memcpy(p.copy, body, len);
	p.why = multipart_parse(a, ct, p.copy, len, &p.fields, &p.files, &p.nfiles);
	return p;
}

static struct parsed parse(const char *ct, const char *body)
{
	return parse_n(ct, body, strlen(body));
}

static const unsigned char bin[] = { 'R', 'I', 'F', 'F', 0, 0, '\r', '\n', '-', '-', '\r', '\n',
				     '-', '-', '-', 0xff, 0xfe, 0, '\n', '\r' };

/* A browser's body: _csrf, name (Chinese), the file (binary), description. */
static size_t good_body(char *out)
{
	size_t n = 0;
	const char *head = "preamble to ignore\r\n"
		B "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nabc123\r\n"
		B "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n欢迎语 2\r\n"
		B "\r\ncontent-disposition: form-data; name=\"file\"; filename=\"C:\\x\\问候.wav\"\r\n"
		"Content-Type: audio/wav\r\n\r\n";
	memcpy(out, head, strlen(head));
	n += strlen(head);
	memcpy(out + n, bin, sizeof bin);
	n += sizeof bin;
	const char *tail = "\r\n" B "\r\nContent-Disposition: form-data; name=description\r\n\r\n"
		"line one\r\nline two\r\n" B "--\r\nepilogue";
	memcpy(out + n, tail, strlen(tail));
	n += strlen(tail);
	return n;
}

static void browser_body(void **state)
{
	(void)state;
	char body[2048];
	size_t n = good_body(body);
	struct parsed p = parse_n(CT, body, n);
	assert_null(p.why);
	assert_string_equal(kv_get(&p.fields, "_csrf"), "abc123");
	assert_string_equal(kv_get(&p.fields, "name"), "欢迎语 2");
	assert_string_equal(kv_get(&p.fields, "description"), "line one\r\nline two");
	assert_int_equal(p.fields.n, 3);
	assert_int_equal(p.nfiles, 1);
	assert_string_equal(p.files[0].field, "file");
	/* The name as sent: a Windows path keeps its backslashes. */
	assert_string_equal(p.files[0].filename, "C:\\x\\问候.wav");
	assert_string_equal(p.files[0].ctype, "audio/wav");
	assert_int_equal(p.files[0].len, sizeof bin);
	assert_memory_equal(p.files[0].data, bin, sizeof bin);
	/* The bytes point into the body, not a copy. */
	assert_true((const char *)p.files[0].data > p.copy &&
		    (const char *)p.files[0].data < p.copy + n);

	/* No preamble, an empty file chosen by nobody, a quoted boundary. */
	p = parse("multipart/form-data; charset=utf-8; Boundary=\"a b'c\"",
		  "--a b'c\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n"
		  "Content-Type: application/octet-stream\r\n\r\n\r\n--a b'c--");
	assert_null(p.why);
	assert_int_equal(p.nfiles, 1);
	assert_string_equal(p.files[0].filename, "");
	assert_int_equal(p.files[0].len, 0);
	/* Transport padding after a boundary. */
	p = parse("multipart/form-data; boundary=zz",
		  "--zz  \t\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--zz--");
	assert_null(p.why);
	assert_string_equal(kv_get(&p.fields, "a"), "1");
}

static void boundaries(void **state)
{
	(void)state;
	assert_string_equal(multipart_boundary(a, "multipart/form-data; boundary=abc"), "abc");
	assert_string_equal(multipart_boundary(a, "multipart/form-data;boundary=\"x y\""), "x y");
	assert_string_equal(multipart_boundary(a, "multipart/form-data; a=\"b;boundary=no\"; boundary=yes"), "yes");
	assert_null(multipart_boundary(a, "multipart/form-data"));
	assert_null(multipart_boundary(a, NULL));
	assert_null(multipart_boundary(a, "multipart/form-data; boundary="));
	assert_null(multipart_boundary(a, "multipart/form-data; boundary=\"\""));
	assert_null(multipart_boundary(a, "multipart/form-data; boundary=\"abc"));
	assert_null(multipart_boundary(a, "multipart/form-data; boundary=\"abc \""));
	assert_null(multipart_boundary(a, "multipart/form-data; boundary=a<b"));
	assert_null(multipart_boundary(a, "multipart/form-data; boundary=\"a\r\nb\""));
	char longb[128] = "multipart/form-data; boundary=";
	memset(longb + strlen(longb), 'x', 71);
	assert_null(multipart_boundary(a, longb));
	longb[strlen(longb) - 1] = '\0';
	assert_non_null(multipart_boundary(a, longb));
}

static void hostile(void **state)
{
	(void)state;
	static const struct {
		const char *what, *body;
	} bad[] = {
		{ "empty body", "" },
		{ "no boundary at all", "just text" },
		{ "cut before the closing boundary",
		  B "\r\nContent-Disposition: form-data; name=a\r\n\r\nvalue" },
		{ "cut inside the headers", B "\r\nContent-Disposition: form-da" },
		{ "cut right after a boundary", B },
		{ "no CRLF after a boundary", B "xx\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n" B "--" },
		{ "no Content-Disposition",
		  B "\r\nContent-Type: text/plain\r\n\r\n1\r\n" B "--" },
		{ "no headers at all", B "\r\n\r\n1\r\n" B "--" },
		{ "not form-data",
		  B "\r\nContent-Disposition: attachment; name=a\r\n\r\n1\r\n" B "--" },
		{ "form-data as a prefix",
		  B "\r\nContent-Disposition: form-datax; name=a\r\n\r\n1\r\n" B "--" },
		{ "no name", B "\r\nContent-Disposition: form-data; filename=\"x\"\r\n\r\n1\r\n" B "--" },
		{ "an empty name", B "\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n1\r\n" B "--" },
		{ "an unterminated quote",
		  B "\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n" B "--" },
		{ "two Content-Dispositions",
		  B "\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b\r\n\r\n1\r\n" B "--" },
		{ "a folded header",
		  B "\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\n1\r\n" B "--" },
		{ "a header line without a name",
		  B "\r\nContent-Disposition: form-data; name=a\r\n: x\r\n\r\n1\r\n" B "--" },
		{ "a header line without a colon",
		  B "\r\nContent-Disposition: form-data; name=a\r\nbogus\r\n\r\n1\r\n" B "--" },
		{ "a bare LF in a header",
		  B "\r\nContent-Disposition: form-data; name=a\nX: y\r\n\r\n1\r\n" B "--" },
		{ "a delimiter that is a longer boundary",
		  B "\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n" B "x--" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct parsed p = parse(CT, bad[i].body);
		if (!p.why)
			fail_msg("accepted: %s", bad[i].what);
		assert_string_equal(p.why, "bad_request");
	}
	/* NUL in a text field; NUL in a header. */
	const char nul_field[] = B "\r\nContent-Disposition: form-data; name=a\r\n\r\nx\0y\r\n" B "--";
	assert_string_equal(parse_n(CT, nul_field, sizeof nul_field - 1).why, "bad_request");
	const char nul_header[] = B "\r\nContent-Disposition: form-data; name=a\0b\r\n\r\n1\r\n" B "--";
	assert_string_equal(parse_n(CT, nul_header, sizeof nul_header - 1).why, "bad_request");
	/* No boundary in the Content-Type. */
	assert_string_equal(parse("multipart/form-data", B "--").why, "bad_request");

	/* A header block over MP_MAX_HEADER. */
	char *big = malloc(MP_MAX_HEADER + 512);
	int n = sprintf(big, B "\r\nContent-Disposition: form-data; name=a\r\nX-Pad: ");
	memset(big + n, 'p', MP_MAX_HEADER);
	n += MP_MAX_HEADER;
	n += sprintf(big + n, "\r\n\r\n1\r\n" B "--");
	assert_string_equal(parse_n(CT, big, (size_t)n).why, "bad_request");
	/* Just under it is fine. */
	n = sprintf(big, B "\r\nContent-Disposition: form-data; name=a\r\nX-Pad: ");
	memset(big + n, 'p', MP_MAX_HEADER - 60);
	n += MP_MAX_HEADER - 60;
	n += sprintf(big + n, "\r\n\r\n1\r\n" B "--");
	assert_null(parse_n(CT, big, (size_t)n).why);
	free(big);

	/* MP_MAX_PARTS parts are fine, one more is not. */
	char many[8192];
	for (int parts = MP_MAX_PARTS; parts <= MP_MAX_PARTS + 1; parts++) {
		size_t m = 0;
		for (int k = 0; k < parts; k++)
			m += (size_t)sprintf(many + m, B "\r\nContent-Disposition: form-data; name=f%d\r\n\r\n%d\r\n", k, k);
		m += (size_t)sprintf(many + m, B "--");
		struct parsed p = parse_n(CT, many, m);
		if (parts == MP_MAX_PARTS)
			assert_null(p.why);
		else
			assert_string_equal(p.why, "bad_request");
	}
}

/* Every prefix of a good body is refused; random corruption never makes the
 * parser read outside the body, and what it accepts lies inside it. */
static void prefixes_and_corruption(void **state)
{
	(void)state;
	char body[2048];
	size_t n = good_body(body);
	/* The epilogue may go: a body is whole once its closing delimiter is in. */
	size_t whole = (size_t)((char *)memmem(body, n, B "--", strlen(B "--")) - body) + strlen(B "--");
	for (size_t k = 0; k < n; k++) {
		struct parsed p = parse_n(CT, body, k);
		if (k < whole)
			assert_non_null(p.why);
		else if (p.why)
			fail_msg("prefix of %zu bytes (whole at %zu of %zu) refused", k, whole, n);
	}
	srand(7);
	size_t accepted = 0;
	for (int it = 0; it < 20000; it++) {
		char m[2048];
		memcpy(m, body, n);
		int flips = 1 + rand() % 6;
		for (int f = 0; f < flips; f++) {
			size_t at = (size_t)rand() % n;
			switch (rand() % 4) {
			case 0: m[at] = '\r'; break;
			case 1: m[at] = '\n'; break;
			case 2: m[at] = '-'; break;
			default: m[at] = (char)rand(); break;
			}
		}
		size_t len = rand() % 4 == 0 ? (size_t)rand() % (n + 1) : n;
		struct arena *keep = a;
		a = arena_new();
		struct parsed p = parse_n(CT, m, len);
		if (!p.why) {
			accepted++;
			for (size_t f = 0; f < p.nfiles; f++)
				assert_true((const char *)p.files[f].data >= p.copy &&
					    (const char *)p.files[f].data + p.files[f].len <= p.copy + len);
			assert_true(p.nfiles + p.fields.n <= MP_MAX_PARTS);
		}
		arena_free(a);
		a = keep;
	}
	assert_true(accepted > 0);
}

/* req_parse: a multipart body fills the form and the files; req_file. */
static void request(void **state)
{
	(void)state;
	char body[2048];
	size_t n = good_body(body);
	char *env[] = { "REQUEST_METHOD=POST", "DOCUMENT_URI=/cc/admin/audio/new",
			"CONTENT_TYPE=" CT, NULL };
	struct req *r = arena_alloc(a, sizeof *r);
	r->a = a;
	assert_null(req_parse(r, env, body, n));
	assert_true(r->multipart);
	assert_string_equal(req_param(r, "_csrf"), "abc123");
	assert_non_null(req_file(r, "file"));
	assert_null(req_file(r, "other"));
	assert_int_equal(req_file(r, "file")->len, sizeof bin);
	r = arena_alloc(a, sizeof *r);
	r->a = a;
	assert_string_equal(req_parse(r, env, "garbage", 7), "bad_request");
}

/* Only the upload routes take a large body, and multipart at all. */
static void upload_routes(void **state)
{
	(void)state;
	const char *id;
	bool wrong;
	const struct route *up = route_match("POST", "/cc/admin/audio/new", a, &id, &wrong);
	assert_non_null(up);
	assert_ptr_equal(up->handler, audio_upload_post);
	assert_true(route_takes_files(up));
	assert_true(route_body_max(up, 64 * 1024) >= 5 * 1024 * 1024 + 64 * 1024);
	const struct route *api = route_match("POST", "/cc/api/admin/audio", a, &id, &wrong);
	assert_non_null(api);
	assert_true(route_takes_files(api));
	const struct route *upd = route_match("POST", "/cc/admin/audio/7", a, &id, &wrong);
	assert_non_null(upd);
	assert_ptr_equal(upd->handler, audio_update_post);
	assert_string_equal(id, "7");
	assert_false(route_takes_files(upd));
	assert_int_equal(route_body_max(upd, 64 * 1024), 64 * 1024);
	const struct route *login = route_match("POST", "/cc/login", a, &id, &wrong);
	assert_false(route_takes_files(login));
	assert_int_equal(route_body_max(NULL, 1000), 1000);
	/* Every audio route is for admins, and every POST needs the token. */
	for (size_t i = 0; i < web_nroutes; i++) {
		const struct route *rt = &web_routes[i];
		if (!strstr(rt->pattern, "/audio"))
			continue;
		assert_int_equal(rt->access, ACC_ADMIN);
		if (!strcmp(rt->method, "POST"))
			assert_true(rt->csrf);
	}
}

static int setup(void **state)
{
	(void)state;
	a = arena_new();
	return a ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(a);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(browser_body),
		cmocka_unit_test(boundaries),
		cmocka_unit_test(hostile),
		cmocka_unit_test(prefixes_and_corruption),
		cmocka_unit_test(request),
		cmocka_unit_test(upload_routes),
	};
	return cmocka_run_group_tests_name("web_multipart", tests, setup, teardown);
}
