/* The center's time zone (`time_zone`): what a day, an hour and a date typed
 * in a form mean on every page. The database keeps instants (DATETIME in
 * its own zone, read back as UNIX_TIMESTAMP); pages parse and print them in
 * the center's zone with these functions, never with the process's TZ. */
#ifndef CC_WEB_CLOCK_H
#define CC_WEB_CLOCK_H

#include <stdbool.h>
#include <stddef.h>

struct ivr_tz;

/* The zone called name under /usr/share/zoneinfo, or the machine's own
 * (/etc/localtime) for "". 0, or -1 when it cannot be read. */
int clock_load(struct ivr_tz **out, const char *name);

/* A local date and time broken down (no DST flag: the zone decides). */
struct clock_tm {
	int year, mon, day;	/* mon 1-12 */
	int hour, min, sec;
	int wday;		/* 0 = Monday ... 6 = Sunday (ISO) */
};

/* t (seconds since the epoch) in the zone. */
void clock_split(const struct ivr_tz *tz, long long t, struct clock_tm *out);
/* The instant of a local time. A time skipped by a DST change counts from
 * the offset before it; a repeated one is the first of the two. */
long long clock_join(const struct ivr_tz *tz, const struct clock_tm *lt);

/* Parses "YYYY-MM-DD", "YYYY-MM-DD HH:MM", "YYYY-MM-DDTHH:MM" or with ":SS"
 * as a local time into *t. false when s is none of those or no real date. */
bool clock_parse(const struct ivr_tz *tz, const char *s, long long *t);
/* "YYYY-MM-DD HH:MM:SS" in the zone; buf needs 20 bytes. */
void clock_format(const struct ivr_tz *tz, long long t, char *buf, size_t n);

/* Starts of the local hour, day, ISO week (Monday) and month holding t. */
long long clock_hour_start(const struct ivr_tz *tz, long long t);
long long clock_day_start(const struct ivr_tz *tz, long long t);
long long clock_week_start(const struct ivr_tz *tz, long long t);
long long clock_month_start(const struct ivr_tz *tz, long long t);

#endif
