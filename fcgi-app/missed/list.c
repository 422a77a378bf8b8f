/* GET /cc/missed (the 未接来电 page) and GET /cc/api/missed (JSON): the
 * missed calls the user may see, newest first, 20 a page. Filters: ?group=ID,
 * ?state= (empty: open and claimed; open, claimed, done, all), ?from= and
 * ?to= (YYYY-MM-DD in the center's zone, both days included; from defaults
 * to MISSED_DAYS days back; a malformed date is said on the page, 422 in
 * JSON), ?back=1 (also the open calls whose customer was called back
 * since, hidden otherwise). The page refreshes its list itself (missed.js). */
#include "missed.h"

#include "../clock.h"
#include "../resource/resource.h"
#include "../tmpl/page.h"

#include <stdlib.h>
#include <string.h>

/* A date of the filter: its day's start in *t. true when s is empty (*t
 * untouched) or a date. */
static bool parse_day(struct req *r, const char *s, long long *t)
{
	if (!s || !*s)
		return true;
	long long v;
	if (strlen(s) != 10 || !clock_parse(r->web->tz, s, &v))
		return false;
	*t = v;
	return true;
}

/* Parses the query into q; NULL, or the name of the malformed date. */
static const char *parse(struct req *r, bool json, struct missed_query *q)
{
	*q = (struct missed_query){ .state = "", .page = 1, .per_page = MISSED_PER_PAGE };
	q->group = (unsigned)text_number(req_query(r, "group"), 0, 0, 4294967295ll);
	const char *s = req_query(r, "state");
	if (s && (!strcmp(s, "open") || !strcmp(s, "claimed") || !strcmp(s, "done") ||
		  !strcmp(s, "all")))
		q->state = s;
	const char *b = req_query(r, "back");
	q->back = b && !strcmp(b, "1");
	q->page = text_number(req_query(r, "page"), 1, 1, 1000000);
	if (json)
		q->per_page = text_number(req_query(r, "per_page"), MISSED_PER_PAGE, 1, 100);
	long long now = web_wall_ms() / 1000;
	q->from = clock_day_start(r->web->tz, now - (long long)MISSED_DAYS * 86400);
	q->to = now + 86400;
	if (!parse_day(r, req_query(r, "from"), &q->from))
		return "from";
	long long to = -1;
	if (!parse_day(r, req_query(r, "to"), &to))
		return "to";
	if (to >= 0)	/* the next day's start: the day is included */
		q->to = clock_day_start(r->web->tz, to + 36 * 3600);
	return NULL;
}

static char *page_href(struct req *r, const void *arg, long long n)
{
	const struct missed_query *q = arg;
	char *s = arena_strdup(r->a, "/cc/missed?");
	if (q->group)
		s = arena_printf(r->a, "%sgroup=%u&", s, q->group);
	if (*q->state)
		s = arena_printf(r->a, "%sstate=%s&", s, q->state);
	const char *from = req_query(r, "from"), *to = req_query(r, "to");
	if (from && *from)
		s = arena_printf(r->a, "%sfrom=%s&", s, url_encode(r->a, from));
	if (to && *to)
		s = arena_printf(r->a, "%sto=%s&", s, url_encode(r->a, to));
	if (q->back)
		s = arena_printf(r->a, "%sback=1&", s);
	return arena_printf(r->a, "%spage=%lld", s, n);
}

/* One row of the page: the row's columns as attributes, and what the
 * template shows (local times, the stage, the wait, the state). */
static void item_doc(struct req *r, xmlNode *list, const struct missed *m)
{
	xmlNode *e = xd_el(list, "item");
	static const char *const cols[] = { "id", "group_id", "group_name", "caller", "caller_norm",
					    "contact_name", "outcome", "outcome_note",
					    "done_name", "back_dir", "same" };
	const char *vals[] = { m->id, m->group_id, m->group_name, m->caller, m->caller_norm,
			       m->contact_name, m->outcome, m->outcome_note,
			       m->done_name, m->back_dir, m->same };
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		xd_attr(e, cols[i], vals[i]);
	const char *state = missed_state(m);
	xd_attr(e, "state", state);
	xd_attr(e, "stage", missed_stage(m));
	xd_attr(e, "at", missed_time(r, m->started));
	long long w = missed_waited(m);
	if (w >= 0)
		xd_attr_int(e, "waited", w);
	if (!strcmp(state, "claimed")) {
		xd_attr(e, "claimed_by", m->claimed_by);
		xd_attr(e, "claimed_name", m->claimed_name);
		xd_attr(e, "claimed_at", missed_time(r, m->claimed_at));
		if (!strcmp(m->claimed_by, r->sess->user_id))
			xd_attr(e, "mine", "1");
	}
	if (m->done_at)
		xd_attr(e, "done_at", missed_time(r, m->done_at));
	if (m->back_call)
		xd_attr(e, "back_at", missed_time(r, m->back_at));
	/* The number to call back: as the carrier sent it (it takes it back so). */
	xd_attr(e, "dial", m->caller && *m->caller ? m->caller : m->caller_norm);
}

const char *missed_list_get(struct req *r)
{
	const char *why = missed_allowed(r);
	if (why)
		return why;
	bool json = r->route->kind == RK_JSON;
	struct missed_query q;
	const char *bad = parse(r, json, &q);
	if (bad && json) {
		json_t *errs = json_pack("{s:s}", bad, web_t(r, "missed.bad_date"));
		return resp_json(r, 422, json_pack("{s:b, s:s, s:s, s:o}", "ok", 0, "error",
						   "invalid", "message",
						   web_t(r, "missed.bad_date"), "errors", errs));
	}
	struct missed *rows = NULL;
	size_t n = 0, ngroups = 0;
	const char **groups = NULL;
	long long total = 0;
	if ((!bad && missed_db_list(r, &q, &rows, &n, &total) < 0) ||
	    missed_db_groups(r, &groups, &ngroups) < 0)
		return "db_unavailable";
	long long pages = page_count(total, q.per_page);
	if (json) {
		json_t *list = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(list, missed_json(r, &rows[i]));
		return resp_json(r, 200, json_pack("{s:b, s:o, s:I, s:I, s:I, s:I, s:I}", "ok", 1,
						   "items", list, "total", total, "page", q.page,
						   "pages", pages, "per_page", q.per_page,
						   "claim_minutes",
						   (json_int_t)r->web->conf.missed_claim_minutes));
	}
	xmlDoc *doc;
	xmlNode *root = page_begin(r, "missed", &doc);
	if (!root)
		return "internal";
	if (r->sess->admin)
		res_doc_side(root, "missed");
	static const char *const strings[] = { "missed.failed", "missed.claimed_by",
					       "missed.outcome_required" };
	page_strings(root, strings, sizeof strings / sizeof *strings);
	xmlNode *el = xd_el(root, "missed");
	xd_attr_int(el, "claim_minutes", r->web->conf.missed_claim_minutes);
	xmlNode *f = xd_el(el, "filter");
	if (q.group)
		xd_attr_int(f, "group", q.group);
	xd_attr(f, "state", q.state);
	xd_attr(f, "from", req_query(r, "from"));
	xd_attr(f, "to", req_query(r, "to"));
	if (q.back)
		xd_attr(f, "back", "1");
	if (bad)
		xd_attr(f, "bad", bad);
	for (size_t i = 0; i < ngroups; i++) {
		xmlNode *g = xd_text(f, "group", groups[2 * i + 1]);
		xd_attr(g, "id", groups[2 * i]);
	}
	xmlNode *outcomes = xd_el(el, "outcomes");
#define MISSED_OUTCOME_EL(o) xd_attr(xd_el(outcomes, "o"), "v", #o);
	MISSED_OUTCOMES(MISSED_OUTCOME_EL)
#undef MISSED_OUTCOME_EL
	xmlNode *list = xd_el(el, "items");
	xd_attr_int(list, "total", total);
	for (size_t i = 0; i < n; i++)
		item_doc(r, list, &rows[i]);
	page_pager(r, el, q.page, pages, page_href, &q);
	return page_finish(r, doc, "missed", 200);
}
