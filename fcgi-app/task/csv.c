/* A targets file read (see tk_csv_load in tasks.h): pure, no database;
 * the do-not-call numbers come in as a set. */
#include "tasks.h"

#include "../csv.h"

#include "phone.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- a set of strings: open addressing, FNV-1a ------------------------------------ */

struct tk_set {
	struct arena *a;
	const char **slot;
	size_t cap, n;
};

static unsigned long long fnv(const char *s)
{
	unsigned long long h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

struct tk_set *tk_set_new(struct arena *a, size_t hint)
{
	struct tk_set *s = arena_alloc(a, sizeof *s);
	if (!s)
		return NULL;
	s->a = a;
	s->n = 0;
	for (s->cap = 64; s->cap < hint * 2; s->cap *= 2)
		;
	s->slot = arena_alloc(a, s->cap * sizeof *s->slot);
	if (!s->slot)
		return NULL;
	memset(s->slot, 0, s->cap * sizeof *s->slot);
	return s;
}

static const char **find(const struct tk_set *s, const char *v)
{
	size_t i = (size_t)fnv(v) & (s->cap - 1);
	while (s->slot[i] && strcmp(s->slot[i], v))
		i = (i + 1) & (s->cap - 1);
	return &s->slot[i];
}

int tk_set_add(struct tk_set *s, const char *v)
{
	if ((s->n + 1) * 2 > s->cap) {
		const char **old = s->slot;
		size_t oldcap = s->cap;
		s->slot = arena_alloc(s->a, oldcap * 2 * sizeof *s->slot);
		if (!s->slot) {
			s->slot = old;
			return -1;
		}
		memset(s->slot, 0, oldcap * 2 * sizeof *s->slot);
		s->cap = oldcap * 2;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i])
				*find(s, old[i]) = old[i];
	}
	const char **p = find(s, v);
	if (*p)
		return 0;
	*p = v;
	s->n++;
	return 1;
}

bool tk_set_has(const struct tk_set *s, const char *v)
{
	return s && *find(s, v) != NULL;
}

static const char *trim(struct arena *a, const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return arena_strndup(a, s, n);
}

static bool number_header(const char *h)
{
	static const char *const names[] = { "number", "phone", "mobile", "tel", "电话",
					     "号码", "手机", "电话号码", "手机号码" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcasecmp(h, names[i]))
			return true;
	return false;
}

static bool has_controls(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static void bad(struct tk_load *out, size_t line, const char *key)
{
	out->bad++;
	if (out->nerrors < TK_ERRORS_MAX)
		out->errors[out->nerrors++] = (struct tk_bad){ line, key };
}

const char *tk_csv_load(struct arena *a, const char *text, size_t len,
			const struct phone_rules *rules, const struct tk_set *dnc,
			struct tk_load *out, size_t *line)
{
	memset(out, 0, sizeof *out);
	*line = 0;
	/* UTF-8 (with or without BOM) or GBK, as Excel in China saves CSV. */
	size_t bad_line = 0;
	text = csv_utf8(a, text, len, &len, &bad_line);
	if (!text) {
		*line = bad_line;
		return "task.load.encoding";
	}
	struct csv_reader c;
	csv_init(&c, text, len);
	char *cells[TK_CELLS_MAX];
	size_t nf, at;
	int rc = csv_next(&c, a, cells, TK_CELLS_MAX, &nf, &at);
	if (rc == 0)
		return "task.load.empty";
	if (rc < 0) {
		*line = at;
		return "task.load.malformed";
	}
	/* The header: a cell naming the number column; else the first row is
	 * data when its first cell is a number. */
	size_t ncols = nf < TK_CELLS_MAX ? nf : TK_CELLS_MAX;
	const char *names[TK_CELLS_MAX];
	int numcol = -1;
	bool header = false;
	for (size_t i = 0; i < ncols; i++) {
		names[i] = trim(a, cells[i]);
		if (!names[i])
			return "task.load.internal";
		if (numcol < 0 && number_header(names[i]))
			numcol = (int)i, header = true;
	}
	if (!header) {
		char num[TK_NUMBER_MAX + 8];
		if (phone_normalize(rules, cells[0], num, sizeof num) == PHONE_INVALID) {
			*line = at;
			return "task.load.no_number";
		}
		numcol = 0;
		for (size_t i = 0; i < TK_CELLS_MAX; i++)
			names[i] = arena_printf(a, "col%zu", i + 1);
		ncols = TK_CELLS_MAX;
	} else {
		for (size_t i = 0; i < ncols; i++)
			if (!*names[i] || has_controls(names[i]))
				names[i] = arena_printf(a, "col%zu", i + 1);
	}
	size_t cap = len / 12 + 16;
	out->t = arena_alloc(a, cap * sizeof *out->t);
	out->errors = arena_alloc(a, TK_ERRORS_MAX * sizeof *out->errors);
	struct tk_set *seen = tk_set_new(a, cap);
	if (!out->t || !out->errors || !seen)
		return "task.load.internal";
	bool first = !header;
	for (;;) {
		if (!first) {
			rc = csv_next(&c, a, cells, TK_CELLS_MAX, &nf, &at);
			if (rc == 0)
				break;
			if (rc < 0) {
				*line = at;
				return "task.load.malformed";
			}
		}
		first = false;
		if (++out->rows > TK_ROWS_MAX)
			return "task.load.too_many";
		if (nf > TK_CELLS_MAX || (header && nf > ncols)) {
			bad(out, at, "task.load.bad_cells");
			continue;
		}
		char num[TK_NUMBER_MAX + 8];
		if ((size_t)numcol >= nf || !*cells[numcol]) {
			bad(out, at, "task.load.bad_empty");
			continue;
		}
		if (phone_normalize(rules, cells[numcol], num, sizeof num) == PHONE_INVALID ||
		    strlen(num) > TK_NUMBER_MAX) {
			bad(out, at, "task.load.bad_number");
			continue;
		}
		json_t *data = NULL;
		const char *why = NULL;
		for (size_t i = 0; i < nf && !why; i++) {
			if ((int)i == numcol)
				continue;
			const char *v = trim(a, cells[i]);
			if (!v)
				return "task.load.internal";
			if (!*v)
				continue;
			if (strlen(v) > TK_CELL_MAX || has_controls(v))
				why = "task.load.bad_cell";
			else {
				if (!data)
					data = json_object();
				json_object_set_new(data, names[i], json_string(v));
			}
		}
		if (why) {
			json_decref(data);
			bad(out, at, why);
			continue;
		}
		char *n = arena_strdup(a, num);
		if (!n) {
			json_decref(data);
			return "task.load.internal";
		}
		if (tk_set_has(dnc, n)) {
			json_decref(data);
			out->dnc++;
			continue;
		}
		int added = tk_set_add(seen, n);
		if (added <= 0) {
			json_decref(data);
			if (added < 0)
				return "task.load.internal";
			out->duplicate++;
			continue;
		}
		const char *dtext = NULL;
		if (data) {
			char *s = json_dumps(data, JSON_COMPACT);
			json_decref(data);
			dtext = s ? arena_strdup(a, s) : NULL;
			free(s);
			if (!dtext)
				return "task.load.internal";
		}
		if (out->n == cap) {
			struct tk_target *p = arena_alloc(a, cap * 2 * sizeof *p);
			if (!p)
				return "task.load.internal";
			memcpy(p, out->t, out->n * sizeof *p);
			out->t = p;
			cap *= 2;
		}
		out->t[out->n++] = (struct tk_target){ at, n, dtext };
	}
	if (out->rows == 0)
		return "task.load.empty";
	return NULL;
}
