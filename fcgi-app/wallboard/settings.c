/* The wallboard's settings (wallboard.h): cc_setting rows named
 * `wallboard.<name>`; GET and POST /cc/api/wallboard/settings (JSON) and
 * POST /cc/wallboard/settings (the page's form, back to the page). A save
 * writes every value in one transaction with its audit record
 * ("wallboard", "settings", "update"). */
#include "wallboard.h"

#include "../audit/audit.h"

#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	long long min, max, def;
} defs[] = {
#define WB_SETTING_DEF(n, lo, hi, d, doc) { #n, lo, hi, d },
	WB_SETTINGS(WB_SETTING_DEF)
#undef WB_SETTING_DEF
};

#define PREFIX "wallboard."

const char *wb_setting_name(enum wb_setting i)
{
	return (unsigned)i < WB_NSETTINGS ? defs[i].name : NULL;
}

void wb_setting_bounds(enum wb_setting i, long long *min, long long *max)
{
	*min = defs[i].min;
	*max = defs[i].max;
}

/* A whole number within lo..hi from text: digits only, an optional '-'. */
static bool number_in(const char *s, long long lo, long long hi, long long *out)
{
	if (!s || !*s || strlen(s) > 12)
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static int row_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct wb_settings *s = arg;
	(void)lens;
	if (ncol < 2 || !v[0] || !v[1] || strncmp(v[0], PREFIX, strlen(PREFIX)))
		return 0;
	for (size_t i = 0; i < WB_NSETTINGS; i++)
		if (!strcmp(v[0] + strlen(PREFIX), defs[i].name))
			number_in(v[1], defs[i].min, defs[i].max, &s->v[i]);
	return 0;
}

int wb_settings_read(struct req *r, struct wb_settings *s)
{
	for (size_t i = 0; i < WB_NSETTINGS; i++)
		s->v[i] = defs[i].def;
	if (db_query(r->thr->db, "SELECT name, value FROM cc_setting WHERE name LIKE 'wallboard.%'",
		     row_h, s, NULL) < 0) {
		log_err("wallboard settings: %s", db_error(r->thr->db));
		return -1;
	}
	return 0;
}

json_t *wb_settings_json(const struct wb_settings *s)
{
	json_t *o = json_object();
	for (size_t i = 0; i < WB_NSETTINGS; i++)
		json_object_set_new(o, defs[i].name, json_integer(s->v[i]));
	return o;
}

const char *wb_settings_parse(const struct req *r, struct wb_settings *s, const char **why)
{
	for (size_t i = 0; i < WB_NSETTINGS; i++) {
		const char *v = req_param(r, defs[i].name);
		/* A JSON member req_param does not read (a fraction, true, a list)
		 * is a bad value, not a value left out. */
		bool sent = v || (r->json && json_object_get(r->json, defs[i].name));
		if (!sent)
			continue;
		if (!v || !number_in(v, defs[i].min, defs[i].max, &s->v[i])) {
			*why = "wallboard.v.range";
			return defs[i].name;
		}
	}
	/* Red is the worse of the two levels. */
	if (s->v[WB_wait_red_s] < s->v[WB_wait_amber_s]) {
		*why = "wallboard.v.red_wait";
		return "wait_red_s";
	}
	if (s->v[WB_waiting_red] < s->v[WB_waiting_amber]) {
		*why = "wallboard.v.red_waiting";
		return "waiting_red";
	}
	if (s->v[WB_sl_red] > s->v[WB_sl_amber]) {
		*why = "wallboard.v.red_sl";
		return "sl_red";
	}
	return NULL;
}

const char *wallboard_settings_get(struct req *r)
{
	struct wb_settings s;
	if (wb_settings_read(r, &s) < 0)
		return "db_unavailable";
	return resp_json(r, 200, json_pack("{s:b, s:o}", "ok", 1, "settings", wb_settings_json(&s)));
}

struct save_txn {
	struct req *r;
	const struct wb_settings *before, *after;
};

static int save_body(struct db *db, void *arg)
{
	struct save_txn *t = arg;
	const struct wb_settings *after = t->after;
	for (size_t i = 0; i < WB_NSETTINGS; i++) {
		char name[64], value[24];
		snprintf(name, sizeof name, PREFIX "%s", defs[i].name);
		snprintf(value, sizeof value, "%lld", after->v[i]);
		if (db_exec(db, "INSERT INTO cc_setting (name, value) VALUES (?, ?) "
				"ON DUPLICATE KEY UPDATE value = VALUES(value)",
			    "ss", name, value) < 0)
			return -1;
	}
	json_t *b = wb_settings_json(t->before), *a = wb_settings_json(after);
	int rc = audit_write(t->r, "wallboard", "settings", "update", b, a);
	json_decref(b);
	json_decref(a);
	return rc ? -1 : 0;
}

static int save(struct req *r, const struct wb_settings *before, const struct wb_settings *after)
{
	struct db *db = r->thr->db;
	struct save_txn t = { r, before, after };
	if (db_txn(db, save_body, &t) == 0)
		return 0;
	log_err("wallboard settings not saved: %s", db_error(db));
	return -1;
}

const char *wallboard_settings_post(struct req *r)
{
	bool json = r->route->kind == RK_JSON;
	struct wb_settings before, s;
	if (wb_settings_read(r, &before) < 0)
		return "db_unavailable";
	s = before;
	const char *why = NULL, *field = wb_settings_parse(r, &s, &why);
	/* The form goes back to the board it was sent from. */
	long long group = text_number(req_param(r, "group"), 0, 0, 4294967295ll);
	const char *back = group ? arena_printf(r->a, "/cc/wallboard?group=%lld&", group)
				 : "/cc/wallboard?";
	if (field) {
		if (!json) {
			resp_redirect(r, arena_printf(r->a, "%ssettings_error=%s", back, field));
			return NULL;
		}
		return resp_json(r, 400, json_pack("{s:b, s:s, s:s, s:s, s:{s:s}}", "ok", 0, "error",
						   "invalid", "field", field, "message", web_t(r, why),
						   "errors", field, web_t(r, why)));
	}
	if (save(r, &before, &s) < 0)
		return "db_unavailable";
	if (!json) {
		resp_redirect(r, arena_printf(r->a, "%ssaved=1", back));
		return NULL;
	}
	return resp_json(r, 200, json_pack("{s:b, s:o}", "ok", 1, "settings", wb_settings_json(&s)));
}
