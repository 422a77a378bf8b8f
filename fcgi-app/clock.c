/* The center's time zone: local times to instants and back, on the zone
 * read from its TZif file (common/ivr_tz.c), so threads never touch TZ. */
#include "clock.h"

#include "ivr_run.h"

#include <stdio.h>
#include <string.h>

int clock_load(struct ivr_tz **out, const char *name)
{
	if (!name || !*name)
		return ivr_tz_load(out, "/etc", "localtime");
	return ivr_tz_load(out, "/usr/share/zoneinfo", name);
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400) + (*m <= 2);
}

static long long floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

void clock_split(const struct ivr_tz *tz, long long t, struct clock_tm *out)
{
	long long l = t + ivr_tz_offset(tz, t);
	long long days = floor_div(l, 86400), secs = l - days * 86400;
	civil_from_days(days, &out->year, &out->mon, &out->day);
	out->hour = (int)(secs / 3600);
	out->min = (int)(secs / 60 % 60);
	out->sec = (int)(secs % 60);
	out->wday = (int)((days % 7 + 7 + 3) % 7);	/* 1970-01-01 was a Thursday */
}

long long clock_join(const struct ivr_tz *tz, const struct clock_tm *lt)
{
	long long l = days_from_civil(lt->year, lt->mon, lt->day) * 86400 + lt->hour * 3600LL +
		      lt->min * 60LL + lt->sec;
	/* The offset one day before and after decides between the two readings
	 * of a repeated hour; the earlier instant wins. */
	long long a = l - ivr_tz_offset(tz, l - 86400), b = l - ivr_tz_offset(tz, l + 86400);
	long long first = a < b ? a : b, second = a < b ? b : a;
	if (first + ivr_tz_offset(tz, first) == l)
		return first;
	if (second + ivr_tz_offset(tz, second) == l)
		return second;
	return l - ivr_tz_offset(tz, l - 86400);	/* skipped: the offset before */
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool clock_parse(const struct ivr_tz *tz, const char *s, long long *t)
{
	struct clock_tm lt = { 0 };
	int n = 0, len = (int)strlen(s);
	if (sscanf(s, "%4d-%2d-%2d%n", &lt.year, &lt.mon, &lt.day, &n) != 3 || n != 10)
		return false;
	if (len > 10) {
		int m = 0;
		if ((s[10] != ' ' && s[10] != 'T') ||
		    sscanf(s + 11, "%2d:%2d%n", &lt.hour, &lt.min, &m) != 2 || m != 5)
			return false;
		if (len > 16 && (sscanf(s + 16, ":%2d%n", &lt.sec, &m) != 1 || m != 3 || len != 19))
			return false;
		if (len != 16 && len != 19)
			return false;
	}
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (lt.year < 1970 || lt.year > 2200 || lt.mon < 1 || lt.mon > 12 || lt.day < 1 ||
	    lt.day > mdays[lt.mon - 1] + (lt.mon == 2 && leap(lt.year)) || lt.hour > 23 ||
	    lt.min > 59 || lt.sec > 59 || lt.hour < 0 || lt.min < 0 || lt.sec < 0)
		return false;
	*t = clock_join(tz, &lt);
	return true;
}

void clock_format(const struct ivr_tz *tz, long long t, char *buf, size_t n)
{
	struct clock_tm lt;
	clock_split(tz, t, &lt);
	snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d", lt.year, lt.mon, lt.day, lt.hour, lt.min,
		 lt.sec);
}

long long clock_hour_start(const struct ivr_tz *tz, long long t)
{
	/* Not t - t % 3600: a zone may be half an hour off UTC. */
	struct clock_tm lt;
	clock_split(tz, t, &lt);
	return t - lt.min * 60LL - lt.sec;
}

long long clock_day_start(const struct ivr_tz *tz, long long t)
{
	struct clock_tm lt;
	clock_split(tz, t, &lt);
	lt.hour = lt.min = lt.sec = 0;
	return clock_join(tz, &lt);
}

long long clock_week_start(const struct ivr_tz *tz, long long t)
{
	struct clock_tm lt;
	clock_split(tz, t, &lt);
	long long days = days_from_civil(lt.year, lt.mon, lt.day) - lt.wday;
	civil_from_days(days, &lt.year, &lt.mon, &lt.day);
	lt.hour = lt.min = lt.sec = 0;
	return clock_join(tz, &lt);
}

long long clock_month_start(const struct ivr_tz *tz, long long t)
{
	struct clock_tm lt;
	clock_split(tz, t, &lt);
	lt.day = 1;
	lt.hour = lt.min = lt.sec = 0;
	return clock_join(tz, &lt);
}
