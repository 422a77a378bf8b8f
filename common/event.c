/* The event table: see event.h. */
#include "event.h"

#include "utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

_Static_assert(EV_FIELD_COUNT <= 64, "ev_def.fields holds one bit per field");
_Static_assert(EV_TYPE_COUNT <= 64, "subscribers hold one bit per event");

static const struct ev_def defs[] = {
#define EV_DEF(id, name, cls, log, detail, fields, doc) { name, EVC_##cls, log, detail, fields, doc },
	EV_EVENTS(EV_DEF)
#undef EV_DEF
};

static const char *const class_names[] = {
#define EV_CLASS_NAME(name, doc) #name,
	EV_CLASSES(EV_CLASS_NAME)
#undef EV_CLASS_NAME
};

enum ev_ftype { FT_STR, FT_INT, FT_BOOL };

static const struct {
	const char *name;
	enum ev_ftype type;
	size_t off;
	const char *doc;
} fields[] = {
#define EV_FIELD_ROW(name, type, doc) { #name, FT_##type, offsetof(struct ev, name), doc },
	EV_FIELDS(EV_FIELD_ROW)
#undef EV_FIELD_ROW
};

const struct ev_def *ev_def(enum ev_type type)
{
	return (unsigned)type < EV_TYPE_COUNT ? &defs[type] : NULL;
}

int ev_type_by_name(const char *name)
{
	for (int i = 0; name && i < EV_TYPE_COUNT; i++)
		if (!strcmp(defs[i].name, name))
			return i;
	return -1;
}

const char *ev_class_name(enum ev_class cls)
{
	return (unsigned)cls < EV_CLASS_COUNT ? class_names[cls] : "?";
}

int ev_class_by_name(const char *name)
{
	for (int i = 0; name && i < EV_CLASS_COUNT; i++)
		if (!strcmp(class_names[i], name))
			return i;
	return -1;
}

int ev_class_of(const char *name)
{
	int t = ev_type_by_name(name);
	return t < 0 ? -1 : (int)defs[t].cls;
}

static const char *str_field(const struct ev *e, unsigned f)
{
	return *(const char *const *)(const void *)((const char *)e + fields[f].off);
}

static long long int_field(const struct ev *e, unsigned f)
{
	return *(const long long *)(const void *)((const char *)e + fields[f].off);
}

static bool bool_field(const struct ev *e, unsigned f)
{
	return *(const bool *)(const void *)((const char *)e + fields[f].off);
}

static json_t *field_json(const struct ev *e, unsigned f)
{
	switch (fields[f].type) {
	case FT_STR: {
		const char *s = str_field(e, f);
		return s && *s ? json_string(s) : json_null();
	}
	case FT_INT: return json_integer(int_field(e, f));
	case FT_BOOL: return json_boolean(bool_field(e, f));
	}
	return json_null();
}

json_t *ev_json(const struct ev *e)
{
	const struct ev_def *d = ev_def(e->type);
	if (!d)
		return NULL;
	json_t *j = json_object();
	if (!j || json_object_set_new(j, "event", json_string(d->name)) ||
	    json_object_set_new(j, "ts", json_integer(e->ts))) {
		json_decref(j);
		return NULL;
	}
	for (unsigned f = 0; f < EV_FIELD_COUNT; f++) {
		if (!(d->fields & (1ull << f)))
			continue;
		if (json_object_set_new(j, fields[f].name, field_json(e, f))) {
			json_decref(j);
			return NULL;
		}
	}
	return j;
}

/* --- the same JSON, written straight into a buffer --------------------------
 * What json_dumps(ev_json(e), JSON_COMPACT) gives, without a tree: the
 * event path sends every event to every subscriber, and building and
 * freeing a tree cost tens of allocations per event. A byte that is not
 * well-formed UTF-8 (a value from SIP) becomes U+FFFD, where the tree
 * would have refused the whole event. */
struct jbuf {
	char *p;
	size_t len, cap;
};

static void put(struct jbuf *b, const char *s, size_t n)
{
	if (b->len + n < b->cap)
		memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void put_str(struct jbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";	/* as jansson writes them */
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
	put(b, "\"", 1);
	while (p < end) {
		const unsigned char *run = p;
		while (p < end && *p >= 0x20 && *p != '"' && *p != '\\' && *p < 0x80)
			p++;
		put(b, (const char *)run, (size_t)(p - run));
		if (p == end)
			break;
		if (*p >= 0x80) {
			size_t k = utf8_seq(p, end);
			if (k) {
				put(b, (const char *)p, k);
				p += k;
			} else {
				put(b, "\\ufffd", 6);
				p++;
			}
			continue;
		}
		char esc[6] = { '\\', 0 };
		size_t k = 2;
		switch (*p) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 15];
			k = 6;
			break;
		}
		put(b, esc, k);
		p++;
	}
	put(b, "\"", 1);
}

size_t ev_write_json(const struct ev *e, char *buf, size_t cap)
{
	const struct ev_def *d = ev_def(e->type);
	if (!d)
		return 0;
	struct jbuf b = { buf, 0, cap };
	char num[32];
	put(&b, "{\"event\":", 9);
	put_str(&b, d->name);
	put(&b, num, (size_t)snprintf(num, sizeof num, ",\"ts\":%lld", e->ts));
	for (unsigned f = 0; f < EV_FIELD_COUNT; f++) {
		if (!(d->fields & (1ull << f)))
			continue;
		put(&b, ",", 1);
		put_str(&b, fields[f].name);
		put(&b, ":", 1);
		switch (fields[f].type) {
		case FT_STR: {
			const char *v = str_field(e, f);
			if (v && *v)
				put_str(&b, v);
			else
				put(&b, "null", 4);
			break;
		}
		case FT_INT:
			put(&b, num, (size_t)snprintf(num, sizeof num, "%lld", int_field(e, f)));
			break;
		case FT_BOOL:
			if (bool_field(e, f))
				put(&b, "true", 4);
			else
				put(&b, "false", 5);
			break;
		}
	}
	put(&b, "}", 1);
	if (b.len < cap)
		buf[b.len] = '\0';
	return b.len;
}

/* The field named by the n bytes at name, or -1. */
static int field_named(const char *name, size_t n)
{
	for (unsigned f = 0; f < EV_FIELD_COUNT; f++)
		if (strlen(fields[f].name) == n && !memcmp(fields[f].name, name, n))
			return (int)f;
	return -1;
}

bool ev_detail(const struct ev *e, char *buf, size_t n)
{
	const struct ev_def *d = ev_def(e->type);
	if (!n)
		return false;
	buf[0] = '\0';
	if (!d || !d->detail)
		return false;
	size_t len = 0;
	for (const char *p = d->detail; *p && len + 1 < n;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		int f = close ? field_named(p + 1, (size_t)(close - p - 1)) : -1;
		if (f < 0) {
			buf[len++] = *p++;
			continue;
		}
		char num[24];
		const char *v = num;
		if (fields[f].type == FT_STR)
			v = str_field(e, (unsigned)f) ? str_field(e, (unsigned)f) : "";
		else if (fields[f].type == FT_INT)
			snprintf(num, sizeof num, "%lld", int_field(e, (unsigned)f));
		else
			v = bool_field(e, (unsigned)f) ? "true" : "false";
		len += (size_t)snprintf(buf + len, n - len, "%s", v);
		if (len >= n)
			len = n - 1;
		p = close + 1;
	}
	buf[len] = '\0';
	return true;
}

void ev_print_docs(FILE *out)
{
	fprintf(out, "| event | class | log row | fields | when |\n| --- | --- | --- | --- | --- |\n");
	for (unsigned t = 0; t < EV_TYPE_COUNT; t++) {
		const struct ev_def *d = &defs[t];
		fprintf(out, "| `%s` | %s | %s%s%s | ", d->name, class_names[d->cls],
			d->log ? "`" : "", d->log ? d->log : "", d->log ? "`" : "");
		const char *sep = "";
		for (unsigned f = 0; f < EV_FIELD_COUNT; f++)
			if (d->fields & (1ull << f)) {
				fprintf(out, "%s`%s`", sep, fields[f].name);
				sep = ", ";
			}
		fprintf(out, " | %s |\n", d->doc);
	}
	fprintf(out, "\n| field | type | meaning |\n| --- | --- | --- |\n");
	static const char *const types[] = { "string", "integer", "boolean" };
	for (unsigned f = 0; f < EV_FIELD_COUNT; f++)
		fprintf(out, "| `%s` | %s | %s |\n", fields[f].name, types[fields[f].type],
			fields[f].doc);
	fprintf(out, "\n| class | events of |\n| --- | --- |\n");
	static const char *const class_docs[] = {
#define EV_CLASS_DOC(name, doc) doc,
		EV_CLASSES(EV_CLASS_DOC)
#undef EV_CLASS_DOC
	};
	for (unsigned c = 0; c < EV_CLASS_COUNT; c++)
		fprintf(out, "| `%s` | %s |\n", class_names[c], class_docs[c]);
}
