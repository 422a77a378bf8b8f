/* Time zones for the IVR's time node without the process's TZ: a zone's
 * TZif file (RFC 8536) read once, its transitions searched, and its POSIX
 * footer ("EST5EDT,M3.2.0,M11.1.0") used past the last transition. */
#include "ivr_run.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A TZif file is a few KB; a larger one is no zone. */
#define TZIF_MAX (256 * 1024)

struct rule {
	char kind;		/* 'M' (month.week.day), 'J' (1..365, no leap day), 'D' (0..365) */
	int m, w, d;		/* M: month, week 1-5, weekday 0-6; J, D: the day in d */
	long time;		/* seconds after local midnight */
};

struct ivr_tz {
	long long *trans;	/* transition times, ascending */
	unsigned char *idx;	/* the type in force from each */
	long *utoff;		/* each type's offset east of UTC */
	size_t ntrans, ntypes;
	bool footer, dst;	/* a footer rule; with daylight time */
	long std_off, dst_off;	/* east of UTC */
	struct rule start, end;
};

static int64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	if (n == 4)
		return (int32_t)(uint32_t)v;
	return (int64_t)v;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long long days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(long long y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* The year of a day count. */
static long long year_of(long long days)
{
	long long y = 1970 + days / 366;
	while (days_from_civil(y + 1, 1, 1) <= days)
		y++;
	while (days_from_civil(y, 1, 1) > days)
		y--;
	return y;
}

/* The day (since the epoch) a rule names in year y. */
static long long rule_day(const struct rule *r, long long y)
{
	long long jan1 = days_from_civil(y, 1, 1);
	if (r->kind == 'J')
		return jan1 + r->d - 1 + (leap(y) && r->d >= 60);
	if (r->kind == 'D')
		return jan1 + r->d;
	long long first = days_from_civil(y, r->m, 1);
	int wd = (int)(((first + 4) % 7 + 7) % 7);	/* 1970-01-01 was a Thursday */
	long long day = first + (r->d - wd + 7) % 7 + (r->w - 1) * 7;
	while (day - first >= month_days(y, r->m))
		day -= 7;
	return day;
}

/* --- the POSIX footer ----------------------------------------------------------------- */

static bool parse_name(const char **s)
{
	const char *p = *s;
	if (*p == '<') {
		while (*p && *p != '>')
			p++;
		if (*p != '>')
			return false;
		*s = p + 1;
		return true;
	}
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
		p++;
	if (p - *s < 3)
		return false;
	*s = p;
	return true;
}

/* [+-]hh[:mm[:ss]] in seconds. */
static bool parse_hms(const char **s, long *out)
{
	const char *p = *s;
	int sign = 1;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (*p < '0' || *p > '9')
		return false;
	long v = 0, part = 0;
	for (int field = 0; field < 3; field++) {
		part = 0;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9' && part < 1000)
			part = part * 10 + (*p++ - '0');
		v = v * 60 + part;
		if (*p != ':') {
			for (int k = field; k < 2; k++)
				v *= 60;
			break;
		}
		p++;
	}
	*out = sign * v;
	*s = p;
	return true;
}

static bool parse_num(const char **s, int lo, int hi, int *out)
{
	const char *p = *s;
	int v = 0;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9' && v <= hi)
		v = v * 10 + (*p++ - '0');
	if (v < lo || v > hi)
		return false;
	*out = v;
	*s = p;
	return true;
}

static bool parse_rule(const char **s, struct rule *r)
{
	const char *p = *s;
	r->time = 2 * 3600;
	if (*p == 'M') {
		p++;
		r->kind = 'M';
		if (!parse_num(&p, 1, 12, &r->m) || *p++ != '.' || !parse_num(&p, 1, 5, &r->w) ||
		    *p++ != '.' || !parse_num(&p, 0, 6, &r->d))
			return false;
	} else if (*p == 'J') {
		p++;
		r->kind = 'J';
		if (!parse_num(&p, 1, 365, &r->d))
			return false;
	} else {
		r->kind = 'D';
		if (!parse_num(&p, 0, 365, &r->d))
			return false;
	}
	if (*p == '/') {
		p++;
		if (!parse_hms(&p, &r->time))
			return false;
	}
	*s = p;
	return true;
}

static bool parse_footer(struct ivr_tz *tz, const char *s)
{
	long off;
	if (!parse_name(&s) || !parse_hms(&s, &off))
		return false;
	tz->std_off = -off;	/* POSIX counts west of UTC */
	tz->footer = true;
	if (!*s)
		return true;
	if (!parse_name(&s))
		return false;
	tz->dst_off = tz->std_off + 3600;
	if (*s && *s != ',') {
		if (!parse_hms(&s, &off))
			return false;
		tz->dst_off = -off;
	}
	if (*s++ != ',' || !parse_rule(&s, &tz->start) || *s++ != ',' || !parse_rule(&s, &tz->end) ||
	    *s)
		return false;
	tz->dst = true;
	return true;
}

static long footer_offset(const struct ivr_tz *tz, long long t)
{
	if (!tz->dst)
		return tz->std_off;
	long long y = year_of((t + tz->std_off) / 86400 - ((t + tz->std_off) % 86400 < 0));
	/* The start is given in standard time, the end in daylight time. */
	long long start = rule_day(&tz->start, y) * 86400 + tz->start.time - tz->std_off;
	long long end = rule_day(&tz->end, y) * 86400 + tz->end.time - tz->dst_off;
	bool in = start < end ? t >= start && t < end : t < end || t >= start;
	return in ? tz->dst_off : tz->std_off;
}

/* --- the file ------------------------------------------------------------------------- */

static bool valid_name(const char *name)
{
	size_t len = strlen(name), seg = 0;
	if (!len || len > 64)
		return false;
	for (const char *p = name; *p; p++) {
		if (*p == '/') {
			if (!seg)
				return false;
			seg = 0;
			continue;
		}
		bool ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			  (*p >= '0' && *p <= '9') || *p == '_' || ((*p == '+' || *p == '-') && seg);
		if (!ok)
			return false;
		seg++;
	}
	return seg > 0;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	unsigned char *b = malloc(TZIF_MAX + 1);
	size_t n = b ? fread(b, 1, TZIF_MAX + 1, fp) : 0;
	fclose(fp);
	if (!b || n > TZIF_MAX) {
		free(b);
		return NULL;
	}
	*len = n;
	return b;
}

/* Reads version 2+ data (64-bit times) when present, else version 1. */
static int parse_tzif(struct ivr_tz *tz, const unsigned char *b, size_t len)
{
	if (len < 44 || memcmp(b, "TZif", 4))
		return -1;
	int64_t c[6];
	for (int i = 0; i < 6; i++)
		c[i] = be(b + 20 + 4 * i, 4);
	for (int i = 0; i < 6; i++)
		if (c[i] < 0 || c[i] > 65536)
			return -1;
	size_t at = 44, tsize = 4;
	if (b[4] >= '2') {
		size_t v1 = (size_t)(c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0]);
		if (at + v1 + 44 > len || memcmp(b + at + v1, "TZif", 4))
			return -1;
		at += v1;
		for (int i = 0; i < 6; i++)
			c[i] = be(b + at + 20 + 4 * i, 4);
		for (int i = 0; i < 6; i++)
			if (c[i] < 0 || c[i] > 65536)
				return -1;
		at += 44;
		tsize = 8;
	}
	size_t timecnt = (size_t)c[3], typecnt = (size_t)c[4];
	size_t need = timecnt * tsize + timecnt + typecnt * 6 + (size_t)c[5] +
		      (size_t)c[2] * (tsize + 4) + (size_t)c[1] + (size_t)c[0];
	if (!typecnt || at + need > len)
		return -1;
	tz->trans = calloc(timecnt ? timecnt : 1, sizeof *tz->trans);
	tz->idx = calloc(timecnt ? timecnt : 1, 1);
	tz->utoff = calloc(typecnt, sizeof *tz->utoff);
	if (!tz->trans || !tz->idx || !tz->utoff)
		return -1;
	for (size_t i = 0; i < timecnt; i++)
		tz->trans[i] = be(b + at + i * tsize, (int)tsize);
	at += timecnt * tsize;
	for (size_t i = 0; i < timecnt; i++) {
		if (b[at + i] >= typecnt)
			return -1;
		tz->idx[i] = b[at + i];
	}
	at += timecnt;
	for (size_t i = 0; i < typecnt; i++)
		tz->utoff[i] = (long)be(b + at + i * 6, 4);
	at += need - timecnt * tsize - timecnt;
	tz->ntrans = timecnt;
	tz->ntypes = typecnt;
	/* The footer: "\n<TZ string>\n" (version 2+). */
	if (tsize == 8 && at < len && b[at] == '\n') {
		const unsigned char *nl = memchr(b + at + 1, '\n', len - at - 1);
		if (nl && nl - (b + at + 1) < 128) {
			char s[128];
			memcpy(s, b + at + 1, (size_t)(nl - (b + at + 1)));
			s[nl - (b + at + 1)] = '\0';
			if (s[0] && !parse_footer(tz, s))
				tz->footer = tz->dst = false;
		}
	}
	return 0;
}

int ivr_tz_load(struct ivr_tz **out, const char *dir, const char *name)
{
	*out = NULL;
	if (!name || !valid_name(name))
		return -1;
	char path[512];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir ? dir : "/usr/share/zoneinfo", name) >=
	    sizeof path)
		return -1;
	size_t len = 0;
	unsigned char *b = slurp(path, &len);
	struct ivr_tz *tz = b ? calloc(1, sizeof *tz) : NULL;
	if (!tz || parse_tzif(tz, b, len)) {
		free(b);
		ivr_tz_free(tz);
		return -1;
	}
	free(b);
	*out = tz;
	return 0;
}

void ivr_tz_free(struct ivr_tz *tz)
{
	if (!tz)
		return;
	free(tz->trans);
	free(tz->idx);
	free(tz->utoff);
	free(tz);
}

long ivr_tz_offset(const struct ivr_tz *tz, long long t)
{
	if (!tz->ntrans || t < tz->trans[0]) {
		if (tz->ntrans)
			return tz->utoff[0];
		return tz->footer ? footer_offset(tz, t) : tz->utoff[0];
	}
	if (t >= tz->trans[tz->ntrans - 1] && tz->footer)
		return footer_offset(tz, t);
	size_t lo = 0, hi = tz->ntrans;	/* the last transition at or before t */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (tz->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return tz->utoff[tz->idx[lo]];
}
