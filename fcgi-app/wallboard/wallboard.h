/* 实时监控 (the wallboard): a skill group's, or the whole center's, live
 * figures for a wall screen (docs/wallboard.md).
 *
 *   settings.c  the thresholds that colour a figure and the service level's
 *               answer time: cc_setting rows `wallboard.<name>`, read with
 *               their defaults, checked and saved (admins, audited)
 *   snapshot.c  GET /cc/api/wallboard: what the page starts from (agents
 *               from the B2BUA, calls in progress and today's counts from
 *               cc_call); the browser then applies the event stream
 *               (static/wallboard-state.js) and takes a new snapshot every
 *               few minutes to correct drift
 *   page.c      GET /cc/wallboard: the page (?group=ID, ?kiosk=1)
 *   listen.c    POST a live call's listen: the supervisor's phone hears it
 *
 * Admins only: an agent's event stream carries its own events and never
 * another agent's call, so a live board of a group is a supervisor's view. */
#ifndef WEB_WALLBOARD_H
#define WEB_WALLBOARD_H

#include "../route.h"

/* The settings: X(name, min, max, default, doc). Amber and red are the
 * levels at which a figure turns that colour (waits and waiting calls from
 * that value up, the service level below it). */
#define WB_SETTINGS(X) \
	X(sl_target_s, 1, 600, 20, "service level: answered within this many seconds of joining the queue") \
	X(wait_amber_s, 1, 3600, 30, "the longest wait turns amber at this many seconds") \
	X(wait_red_s, 1, 3600, 60, "the longest wait turns red at this many seconds") \
	X(waiting_amber, 1, 1000, 3, "calls waiting turn amber from this many") \
	X(waiting_red, 1, 1000, 6, "calls waiting turn red from this many") \
	X(sl_amber, 1, 100, 80, "the service level turns amber below this percentage") \
	X(sl_red, 0, 100, 60, "the service level turns red below this percentage")

#define WB_SETTING_ENUM(n, lo, hi, d, doc) WB_##n,
enum wb_setting { WB_SETTINGS(WB_SETTING_ENUM) WB_NSETTINGS };
#undef WB_SETTING_ENUM

struct wb_settings {
	long long v[WB_NSETTINGS];
};

/* --- settings.c ------------------------------------------------------------ */
const char *wb_setting_name(enum wb_setting i);
/* The setting's bounds (for the form's inputs). */
void wb_setting_bounds(enum wb_setting i, long long *min, long long *max);
/* The defaults, then the stored rows over them (a row out of bounds is
 * ignored). 0, or -1 on a database error. */
int wb_settings_read(struct req *r, struct wb_settings *s);
/* {name: value, ...}. */
json_t *wb_settings_json(const struct wb_settings *s);
/* Checks the values of the request's body over cur (a member not sent keeps
 * its value): NULL, or the name of the first bad field with *why a
 * catalogue key. Pure but for reading the request. */
const char *wb_settings_parse(const struct req *r, struct wb_settings *s, const char **why);

/* --- snapshot.c ------------------------------------------------------------ */
/* The group of ?group= (0: the center); -1 when it names no group. */
long long wb_group_of(struct req *r);
/* The snapshot of group (0: the center): see docs/wallboard.md. NULL with
 * *why set on an error. */
json_t *wb_snapshot(struct req *r, long long group, const char **why);

#endif
