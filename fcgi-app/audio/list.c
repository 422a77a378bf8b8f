/* GET /cc/admin/audio (the list page) and GET /cc/api/admin/audio (JSON):
 * search, sort, 20 a page, each file with its format, duration, size, who
 * uploaded it and when, and who uses it. After a change the page says what
 * was done (?done=uploaded|updated|deleted, &pending=1 when the B2BUA has
 * yet to re-read its directory). Also the helpers the other handlers
 * share. */
#include "audio.h"

#include "../resource/resource.h"
#include "../tmpl/page.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

static const char *const sort_names[] = {
#define SORT_NAME(n, c) #n,
	AUDIO_SORTS(SORT_NAME)
#undef SORT_NAME
};
#define NSORTS (sizeof sort_names / sizeof *sort_names)
/* Newest first unless asked otherwise. */
#define DEFAULT_SORT 4

const char *audio_key(const struct req *r)
{
	return res_key(r);
}

bool audio_reload(struct req *r)
{
	json_t *reply = web_ctl(r, "reload", NULL);
	bool ok = reply && json_is_true(json_object_get(reply, "ok"));
	if (reply && !ok)
		log_warn("audio: the B2BUA refused to reload: %s",
			 json_string_value(json_object_get(reply, "error")) ?: "?");
	json_decref(reply);
	return ok;
}

const char *audio_param(const struct req *r, const char *name)
{
	return req_param(r, name);
}

char *audio_fill(struct req *r, const char *text, const char *k, const char *v)
{
	const char *at = strstr(text, k);
	if (!at)
		return arena_strdup(r->a, text);
	return arena_printf(r->a, "%.*s%s%s", (int)(at - text), text, v, at + strlen(k));
}

static const char *check_text(struct req *r, const char **v, long max, bool required)
{
	*v = text_trim(r->a, *v ? *v : "");
	if (!*v)
		return "audio.err.internal";
	long n = utf8_chars(*v);
	if (n < 0 || text_has_controls(*v, false))
		return "audio.err.text";
	if (required && n == 0)
		return "audio.err.required";
	if (n > max)
		return "audio.err.max_chars";
	return NULL;
}

const char *audio_check_name(struct req *r, const char **name, const char *id)
{
	const char *why = check_text(r, name, AUDIO_NAME_MAX, true);
	if (why)
		return why;
	int taken = audio_db_name_taken(r, *name, id);
	if (taken < 0)
		return "audio.err.db";
	return taken ? "audio.err.name_taken" : NULL;
}

const char *audio_check_description(struct req *r, const char **d)
{
	return check_text(r, d, AUDIO_DESC_MAX, false);
}

const char *audio_check_kind(const char *kind)
{
	return kind && (!strcmp(kind, "prompt") || !strcmp(kind, "music")) ? NULL
									    : "audio.err.kind";
}

static void parse_query(const struct req *r, bool json, struct audio_query *q)
{
	*q = (struct audio_query){ .sort = DEFAULT_SORT, .desc = true, .page = 1,
				   .per_page = AUDIO_PER_PAGE };
	const char *s = req_query(r, "q");
	if (s) {
		/* Trimmed, control characters dropped, at most AUDIO_Q_MAX characters. */
		char *c = arena_strdup(r->a, s), *o = c;
		long chars = 0;
		for (const char *p = c; c && *p; p++) {
			unsigned char ch = (unsigned char)*p;
			if (ch < 0x20 || ch == 0x7f)
				continue;
			if ((ch & 0xC0) != 0x80 && ++chars > AUDIO_Q_MAX)
				break;
			*o++ = *p;
		}
		if (c) {
			*o = '\0';
			const char *t = text_trim(r->a, c);
			if (t && *t && utf8_chars(t) >= 0)
				q->q = t;
		}
	}
	const char *sort = req_query(r, "sort");
	for (size_t i = 0; sort && i < NSORTS; i++)
		if (!strcmp(sort, sort_names[i])) {
			q->sort = (int)i;
			q->desc = false;
		}
	const char *dir = req_query(r, "dir");
	if (dir && !strcmp(dir, "desc"))
		q->desc = true;
	else if (dir && !strcmp(dir, "asc"))
		q->desc = false;
	const char *page = req_query(r, "page");
	if (page) {
		long long p = atoll(page);
		q->page = p >= 1 && p < 1000000 ? p : 1;
	}
	const char *pp = json ? req_query(r, "per_page") : NULL;
	if (pp) {
		long long n = atoll(pp);
		if (n >= 1 && n <= 100)
			q->per_page = n;
	}
}

static char *list_href(struct req *r, const struct audio_query *q, int sort, bool desc,
		       long long page)
{
	char *s = arena_strdup(r->a, "/cc/admin/audio?");
	if (q->q)
		s = arena_printf(r->a, "%sq=%s&", s, url_encode(r->a, q->q));
	return arena_printf(r->a, "%ssort=%s&dir=%s&page=%lld", s, sort_names[sort],
			    desc ? "desc" : "asc", page);
}

static char *page_href(struct req *r, const void *arg, long long n)
{
	const struct audio_query *q = arg;
	return list_href(r, q, q->sort, q->desc, n);
}

static void add_notice(struct req *r, xmlNode *el)
{
	static const char *const done[] = { "uploaded", "updated", "deleted" };
	const char *d = req_query(r, "done");
	for (size_t i = 0; d && i < sizeof done / sizeof *done; i++) {
		if (strcmp(d, done[i]))
			continue;
		xmlNode *n = xd_el(el, "notice");
		xd_attr(n, "done", done[i]);
		const char *p = req_query(r, "pending");
		if (p && !strcmp(p, "1"))
			xd_attr(n, "pending", "1");
	}
}

static void add_list(struct req *r, xmlNode *el, const struct audio_query *q,
		     const struct audio *rows, size_t n, long long total,
		     const struct audio_user *users, size_t nusers)
{
	long long pages = page_count(total, q->per_page);
	xmlNode *search = xd_el(el, "search");
	xd_attr(search, "q", q->q);
	xd_attr(search, "sort", sort_names[q->sort]);
	xd_attr(search, "dir", q->desc ? "desc" : "asc");
	xmlNode *sorts = xd_el(el, "sorts");
	for (size_t i = 0; i < NSORTS; i++) {
		xmlNode *s = xd_el(sorts, "sort");
		bool current = q->sort == (int)i;
		xd_attr(s, "name", sort_names[i]);
		/* The current column turns around; another starts ascending. */
		xd_attr(s, "href", list_href(r, q, (int)i, current && !q->desc, 1));
		if (current)
			xd_attr(s, "sorted", q->desc ? "desc" : "asc");
	}
	xmlNode *files = xd_el(el, "files");
	xd_attr_int(files, "total", total);
	xd_attr_int(files, "page", q->page);
	xd_attr_int(files, "pages", pages);
	for (size_t i = 0; i < n; i++)
		audio_doc_file(r, files, &rows[i], users, nusers);
	page_pager(r, el, q->page, pages, page_href, q);
}

const char *audio_list_get(struct req *r)
{
	bool json = r->route->kind == RK_JSON;
	struct audio_query q;
	parse_query(r, json, &q);
	struct audio *rows = NULL;
	struct audio_user *users = NULL;
	size_t n = 0, nusers = 0;
	long long total = 0;
	if (audio_db_list(r, &q, &rows, &n, &total) < 0 ||
	    audio_users(r, NULL, false, &users, &nusers) < 0)
		return "db_unavailable";
	for (size_t i = 0; i < n; i++)
		audio_db_probe(r, &rows[i]);
	if (json) {
		json_t *items = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *o = audio_json(&rows[i]);
			json_t *mine = json_array();
			for (size_t k = 0; k < nusers; k++)
				if (!strcmp(users[k].audio_id, rows[i].id)) {
					json_t *u = audio_users_json(r, &users[k], 1);
					json_array_extend(mine, u);
					json_decref(u);
				}
			json_object_set_new(o, "users", mine);
			json_array_append_new(items, o);
		}
		long long pages = page_count(total, q.per_page);
		return resp_json(r, 200, json_pack("{s:b, s:o, s:I, s:I, s:I, s:I, s:s, s:s, s:s?}",
			"ok", 1, "items", items, "total", (json_int_t)total, "page", (json_int_t)q.page,
			"pages", (json_int_t)pages, "per_page", (json_int_t)q.per_page,
			"sort", sort_names[q.sort], "dir", q.desc ? "desc" : "asc", "q", q.q));
	}
	xmlDoc *doc;
	xmlNode *el = audio_page_begin(r, "list", &doc);
	if (!el)
		return "internal";
	add_notice(r, el);
	add_list(r, el, &q, rows, n, total, users, nusers);
	return page_finish(r, doc, "audio", 200);
}
