/* An outbound task's calling hours (docs/outbound.md, "Calling hours"):
 * weekday ranges in the task's zone, read with the IVR's zone code
 * (ivr_tz_offset), never the process's TZ. */
#include "task.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ivr_run.h"

static const char *const day_names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static long offset(const struct ivr_tz *tz, long long t)
{
	return tz ? ivr_tz_offset(tz, t) : 0;
}

static long long floor_div(long long a, long long b)
{
	return a / b - (a % b < 0);
}

bool task_hours_open(const struct task_hours *h, const struct ivr_tz *tz, long long now)
{
	if (!h || !h->n)
		return true;
	long long local = now + offset(tz, now);
	long long day = floor_div(local, 86400);
	int minute = (int)((local - day * 86400) / 60);
	int wd = (int)(((day + 3) % 7 + 7) % 7);	/* 1970-01-01 was a Thursday */
	for (size_t i = 0; i < h->n && i < TASK_HOURS_MAX; i++) {
		const struct task_range *r = &h->range[i];
		bool today = r->days & (1u << wd), yesterday = r->days & (1u << ((wd + 6) % 7));
		if (r->from < r->to ? today && minute >= r->from && minute < r->to
				    : (today && minute >= r->from) || (yesterday && minute < r->to))
			return true;
	}
	return false;
}

/* The UTC second of local second `local` in tz (the earlier one when the
 * clock is set back over it). */
static long long utc_of(const struct ivr_tz *tz, long long local)
{
	long long t = local - offset(tz, local);
	return local - offset(tz, t);
}

long long task_hours_next(const struct task_hours *h, const struct ivr_tz *tz, long long now)
{
	if (task_hours_open(h, tz, now))
		return now;
	/* Otherwise the hours open at the start of one of their ranges within
	 * the next week. A start the clock skips (a daylight-saving gap) opens
	 * when the clock has moved on, an hour later at most. */
	long long best = -1;
	long long today = floor_div(now + offset(tz, now), 86400);
	for (long long day = today - 1; day <= today + 8; day++) {
		int wd = (int)(((day + 3) % 7 + 7) % 7);
		for (size_t i = 0; i < h->n && i < TASK_HOURS_MAX; i++) {
			const struct task_range *r = &h->range[i];
			if (!(r->days & (1u << wd)))
				continue;
			long long t = utc_of(tz, day * 86400 + r->from * 60LL);
			for (int k = 0; k < 2; k++, t += 3600) {
				if (t > now && (best < 0 || t < best) && task_hours_open(h, tz, t)) {
					best = t;
					break;
				}
			}
		}
	}
	return best;
}

const char *task_check_hours(const struct task_hours *h)
{
	if (h->n > TASK_HOURS_MAX)
		return "task.invalid.too_many_hours";
	for (size_t i = 0; i < h->n; i++) {
		const struct task_range *r = &h->range[i];
		if (!(r->days & 0x7f) || (r->days & 0x80) || r->from < 0 || r->from >= 1440 ||
		    r->to <= 0 || r->to > 1440 || r->from == r->to)
			return "task.invalid.hours";
	}
	return NULL;
}

static int day_of(const char *s)
{
	for (int i = 0; i < 7; i++)
		if (!strncasecmp(s, day_names[i], 3))
			return i;
	return -1;
}

/* "HH:MM" at s into minutes, or -1; 24:00 only when end is set. */
static int minutes_at(const char *s, bool end)
{
	if (s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' || s[2] != ':' ||
	    s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	int m = ((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 1440 || (m == 1440 && !end))
		return -1;
	return m;
}

/* One range, "mon-fri sat 09:00-18:00", from s up to end. */
static const char *parse_range(struct task_range *r, const char *s, const char *end)
{
	r->days = 0;
	while (s < end && *s == ' ')
		s++;
	while (end - s >= 3 && day_of(s) >= 0) {
		int from = day_of(s), to = from;
		s += 3;
		if (s < end && *s == '-') {
			if (end - s < 4 || (to = day_of(s + 1)) < 0)
				return "task.invalid.hours";
			s += 4;
		}
		for (int d = from;; d = (d + 1) % 7) {
			r->days |= (uint8_t)(1u << d);
			if (d == to)
				break;
		}
		if (s >= end || *s != ' ')
			return "task.invalid.hours";
		while (s < end && *s == ' ')
			s++;
	}
	while (end > s && end[-1] == ' ')
		end--;
	if (!r->days || end - s != 11 || s[5] != '-')
		return "task.invalid.hours";
	r->from = minutes_at(s, false);
	r->to = minutes_at(s + 6, true);
	if (r->from < 0 || r->to < 0)
		return "task.invalid.hours";
	return NULL;
}

const char *task_hours_parse(struct task_hours *h, const char *text)
{
	struct task_hours out = { .n = 0 };
	const char *s = text ? text : "";
	while (*s == ' ')
		s++;
	while (*s) {
		const char *end = strchr(s, ',');
		if (!end)
			end = s + strlen(s);
		if (out.n == TASK_HOURS_MAX)
			return "task.invalid.too_many_hours";
		const char *why = parse_range(&out.range[out.n], s, end);
		if (why)
			return why;
		out.n++;
		s = *end ? end + 1 : end;
		while (*s == ' ')
			s++;
		if (*end && !*s)
			return "task.invalid.hours";	/* a trailing comma */
	}
	const char *why = task_check_hours(&out);
	if (why)
		return why;
	*h = out;
	return NULL;
}

int task_hours_format(const struct task_hours *h, char *out, size_t size)
{
	size_t len = 0;
	if (!size)
		return -1;
	out[0] = '\0';
	for (size_t i = 0; i < h->n && i < TASK_HOURS_MAX; i++) {
		const struct task_range *r = &h->range[i];
		int n = snprintf(out + len, size - len, "%s", i ? ", " : "");
		if (n < 0 || (size_t)n >= size - len)
			return -1;
		len += (size_t)n;
		for (int d = 0; d < 7; d++) {
			if (!(r->days & (1u << d)))
				continue;
			int e = d;
			while (e + 1 < 7 && (r->days & (1u << (e + 1))))
				e++;
			n = e > d ? snprintf(out + len, size - len, "%s-%s ", day_names[d], day_names[e])
				  : snprintf(out + len, size - len, "%s ", day_names[d]);
			if (n < 0 || (size_t)n >= size - len)
				return -1;
			len += (size_t)n;
			d = e;
		}
		n = snprintf(out + len, size - len, "%02d:%02d-%02d:%02d", r->from / 60, r->from % 60,
			     r->to / 60, r->to % 60);
		if (n < 0 || (size_t)n >= size - len)
			return -1;
		len += (size_t)n;
	}
	return 0;
}
