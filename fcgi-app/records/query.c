/* The list's filters and its cursor (see records.h). Pure: the request's
 * query string, the zone and the phone rules in, a struct rec_query or
 * the bad parameter's name out; unit-tested in test_web_records.c. */
#include "records.h"

#include "../clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value of name, NULL when absent or empty (a form's blank field). */
static const char *get(const struct kvlist *query, const char *name)
{
	const char *v = kv_get(query, name);
	return v && *v ? v : NULL;
}

/* A positive integer of at most 10 digits and 2^32-1: *out. */
static bool id_number(const char *s, long long *out)
{
	size_t n = strlen(s);
	if (n == 0 || n > 10 || strspn(s, "0123456789") != n)
		return false;
	long long v = atoll(s);
	if (v < 1 || v > 4294967295ll)
		return false;
	*out = v;
	return true;
}

/* An integer lo..hi written with digits only. */
static bool bounded(const char *s, long long lo, long long hi, long long *out)
{
	size_t n = strlen(s);
	if (n == 0 || n > 9 || strspn(s, "0123456789") != n)
		return false;
	long long v = atoll(s);
	if (v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* A host id (letters, digits, '-', '_'), as cc_call.id and user ids are. */
static bool plain_id(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= REC_ID_MAX &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == n;
}

static const char *one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return *set;
	return NULL;
}

/* The number filter: what was typed (digits and the usual separators),
 * its normalized form (caller_norm is compared with it) and the digits a
 * caller or callee must hold: the national number of an E.164 number of
 * the configured country (so "+86 138 0013 8000" finds "13800138000" as
 * dialed), else the digits typed (a part of a number). A whole number
 * (written with '+', or with at least a national number's digits) that
 * normalizes to E.164 is matched on caller_norm alone: that is the
 * customer's number whichever the direction (b2bua/call/cdr.c), and
 * caller_idx finds it among millions of calls; a part of a number is
 * looked for in the range's calls. */
static bool number(struct arena *a, const char *s, const struct phone_rules *rules,
		   struct rec_query *q)
{
	long chars = utf8_chars(s);
	if (chars < 0 || chars > REC_NUMBER_MAX || strspn(s, "0123456789+-(). ") != strlen(s))
		return false;
	char digits[REC_NUMBER_MAX + 1];
	size_t nd = 0;
	for (const char *p = s; *p; p++)
		if (*p >= '0' && *p <= '9')
			digits[nd++] = *p;
	digits[nd] = '\0';
	if (nd < REC_NUMBER_MIN_DIGITS)
		return false;
	char norm[48];
	enum phone_kind k = phone_normalize(rules, s, norm, sizeof norm);
	const char *like = digits;
	size_t cc = strlen(rules->country);
	if (k == PHONE_E164 && !strncmp(norm + 1, rules->country, cc) && norm[1 + cc])
		like = norm + 1 + cc;
	q->number_exact = k == PHONE_E164 && (strchr(s, '+') || nd >= rules->nsn_min);
	q->number = arena_strdup(a, s);
	q->number_norm = k == PHONE_INVALID ? NULL : arena_strdup(a, norm);
	q->number_like = arena_printf(a, "%%%s%%", like);
	return q->number && q->number_like && (k == PHONE_INVALID || q->number_norm);
}

const char *rec_parse(struct arena *a, const struct kvlist *query, const struct ivr_tz *tz,
		      const struct phone_rules *rules, long long now, struct rec_query *q)
{
	static const char *const directions[] = { "inbound", "outbound", NULL };
	static const char *const results[] = { "answered", "abandoned", "no_agent", "failed", NULL };
	static const char *const stages[] = { "ivr", "queue", "ringing", NULL };
	*q = (struct rec_query){ .sl = REC_SL_DEFAULT, .limit = REC_LIMIT };
	const char *v;

	q->from_s = get(query, "from");
	q->to_s = get(query, "to");
	if (q->from_s && !clock_parse(tz, q->from_s, &q->from))
		return "from";
	if (q->to_s && !clock_parse(tz, q->to_s, &q->to))
		return "to";
	/* No start: the day that holds the end, or today. */
	if (!q->from_s)
		q->from = clock_day_start(tz, q->to_s ? q->to - 1 : now);
	if (q->to_s && q->to <= q->from)
		return "to";
	if ((v = get(query, "number")) && !number(a, v, rules, q))
		return "number";
	if ((v = get(query, "agent"))) {
		if (!plain_id(v))
			return "agent";
		q->agent = v;
	}
	if ((v = get(query, "group")) && !id_number(v, &q->group))
		return "group";
	if ((v = get(query, "number_id")) && !id_number(v, &q->number_id))
		return "number_id";
	if ((v = get(query, "task")) && !id_number(v, &q->task))
		return "task";
	if ((v = get(query, "direction")) && !(q->direction = one_of(v, directions)))
		return "direction";
	if ((v = get(query, "result")) && !(q->result = one_of(v, results)))
		return "result";
	/* A stage is where an abandoned call was lost: with another result
	 * it would match nothing, which would look like an answer. */
	if ((v = get(query, "stage"))) {
		if (!(q->stage = one_of(v, stages)) ||
		    (q->result && strcmp(q->result, "abandoned")))
			return "stage";
		q->result = "abandoned";
	}
	if ((v = get(query, "sl")) && !bounded(v, 1, REC_SL_MAX, &q->sl))
		return "sl";
	if ((v = get(query, "sl_missed"))) {
		if (strcmp(v, "1") && strcmp(v, "0"))
			return "sl_missed";
		q->sl_missed = !strcmp(v, "1");
		if (q->sl_missed && q->result && strcmp(q->result, "answered"))
			return "sl_missed";
	}
	if ((v = get(query, "limit")) && !bounded(v, 1, REC_LIMIT_MAX, &q->limit))
		return "limit";
	if ((v = get(query, "after"))) {
		if (!rec_cursor_read(a, v, &q->after_ms, &q->after_id))
			return "after";
		q->after = v;
	}
	return NULL;
}

/* c1.<started_at in ms>.<call id>: ids hold no '.'. The version lets the
 * shape change while old links still read as bad cursors, not as others. */
const char *rec_cursor(struct arena *a, long long ms, const char *id)
{
	if (ms < 0 || !id || !plain_id(id))
		return NULL;
	return arena_printf(a, "c1.%lld.%s", ms, id);
}

bool rec_cursor_read(struct arena *a, const char *s, long long *ms, const char **id)
{
	if (!s || strncmp(s, "c1.", 3))
		return false;
	const char *p = s + 3, *dot = strchr(p, '.');
	size_t n = dot ? (size_t)(dot - p) : 0;
	if (!n || n > 15 || strspn(p, "0123456789") != n || !plain_id(dot + 1))
		return false;
	*ms = atoll(p);
	*id = arena_strdup(a, dot + 1);
	return *id != NULL;
}

long long rec_ms(const char *s)
{
	if (!s)
		return -1;
	size_t n = strspn(s, "0123456789");
	if (!n || n > 12)
		return -1;
	long long ms = atoll(s) * 1000;
	if (s[n] == '\0')
		return ms;
	if (s[n] != '.')
		return -1;
	const char *f = s + n + 1;
	size_t nf = strspn(f, "0123456789");
	if (!nf || f[nf])
		return -1;
	long long scale = 100;
	for (size_t i = 0; i < nf && i < 3; i++, scale /= 10)
		ms += (f[i] - '0') * scale;
	return ms;
}

char *rec_href(struct arena *a, const char *base, const struct rec_query *q, const char *cursor)
{
	char *s = arena_printf(a, "%s?", base);
#define STR(name, val) \
	if (s && (val)) \
		s = arena_printf(a, "%s%s=%s&", s, name, url_encode(a, val));
#define INT(name, val, skip) \
	if (s && (val) != (skip)) \
		s = arena_printf(a, "%s%s=%lld&", s, name, (long long)(val));
	STR("from", q->from_s)
	STR("to", q->to_s)
	STR("number", q->number)
	STR("agent", q->agent)
	INT("group", q->group, 0)
	INT("number_id", q->number_id, 0)
	INT("task", q->task, 0)
	STR("direction", q->direction)
	/* A stage says abandoned itself. */
	STR("result", q->stage ? NULL : q->result)
	STR("stage", q->stage)
	INT("sl_missed", q->sl_missed, 0)
	INT("sl", q->sl, REC_SL_DEFAULT)
	INT("limit", q->limit, REC_LIMIT)
	STR("after", cursor)
#undef STR
#undef INT
	if (s)
		s[strlen(s) - 1] = '\0';
	return s;
}
