/* GET /cc/admin/audio/{id}: one file's page (player, format, who uses it,
 * download of the original, the form to rename it and edit its
 * description and kind, delete); GET /cc/api/admin/audio/{id}: the row
 * with its users as JSON. POST to the same paths: the edit (name,
 * description, kind), checked like an upload's fields; the change and its
 * audit record in one transaction, then the B2BUA re-reads its directory
 * (a file's kind and name are part of it). */
#include "audio.h"

#include "../audit/audit.h"
#include "../tmpl/page.h"

#include "db.h"
#include "log.h"

#include <string.h>

const char *audio_item_page(struct req *r, const struct audio *a, const struct audio_form *f,
			    const struct audio_user *users, size_t nusers, const char *refusal,
			    int status)
{
	xmlDoc *doc;
	xmlNode *el = audio_page_begin(r, "item", &doc);
	if (!el)
		return "internal";
	/* The heading keeps the stored name while an edit is refused. */
	audio_doc_file(r, el, a, users, nusers);
	struct audio_form shown = *f;
	if (!shown.name)
		shown.name = a->name;
	if (!shown.description)
		shown.description = a->description;
	if (!shown.kind)
		shown.kind = a->kind;
	audio_doc_form(el, "edit", &shown);
	if (refusal) {
		xmlNode *e = xd_el(el, "refused");
		xd_attr(e, "reason", refusal);
	}
	return page_finish(r, doc, "audio", status);
}

/* Reads the row of the path's id: NULL with *a, or a reason. */
static const char *load(struct req *r, struct audio *a, bool lock)
{
	const char *id = audio_key(r);
	int rc = id ? audio_db_get(r, id, lock, a) : 0;
	if (rc < 0)
		return "db_unavailable";
	return rc ? NULL : "not_found";
}

const char *audio_item_get(struct req *r)
{
	struct audio a;
	struct audio_user *users;
	size_t n;
	const char *why = load(r, &a, false);
	if (why)
		return why;
	if (audio_users(r, a.id, false, &users, &n) < 0)
		return "db_unavailable";
	audio_db_probe(r, &a);
	if (r->route->kind == RK_JSON) {
		json_t *o = audio_json(&a);
		json_object_set_new(o, "users", audio_users_json(r, users, n));
		return resp_json(r, 200, json_pack("{s:b, s:o}", "ok", 1, "item", o));
	}
	static const struct audio_form blank = { 0 };
	return audio_item_page(r, &a, &blank, users, n, NULL, 200);
}

static const char *msg(struct req *r, const char *key, long max)
{
	return key ? audio_fill(r, web_t(r, key), "{max}", arena_printf(r->a, "%ld", max)) : NULL;
}

struct update {
	const struct audio *a;
	const struct audio_form *f;
	struct audio after;
};

static const char *update_body(struct req *r, void *arg)
{
	struct update *t = arg;
	const char *id = t->a->id;
	struct audio before;
	if (audio_db_get(r, id, true, &before) <= 0 ||
	    audio_db_update(r, id, t->f->name, t->f->description, t->f->kind) ||
	    audio_db_get(r, id, false, &t->after) <= 0)
		return "db_unavailable";
	json_t *b = audio_json(&before), *n = audio_json(&t->after);
	/* updated_at alone is no change worth a line of its own. */
	json_object_del(b, "updated_at");
	json_object_del(n, "updated_at");
	return audit_txn(r, "audio", id, "update", b, n);
}

const char *audio_update_post(struct req *r)
{
	struct audio a;
	const char *why = load(r, &a, false);
	if (why)
		return why;
	/* JSON may send some members; the others keep their values. */
	struct audio_form f = {
		.name = audio_param(r, "name"),
		.description = audio_param(r, "description"),
		.kind = audio_param(r, "kind"),
	};
	if (!f.name)
		f.name = a.name;
	if (!f.description)
		f.description = a.description;
	if (!f.kind)
		f.kind = a.kind;
	const char *name_key = audio_check_name(r, &f.name, a.id);
	if (name_key && !strcmp(name_key, "audio.err.db"))
		return "db_unavailable";
	f.err_name = msg(r, name_key, AUDIO_NAME_MAX);
	f.err_description = msg(r, audio_check_description(r, &f.description), AUDIO_DESC_MAX);
	f.err_kind = msg(r, audio_check_kind(f.kind), 0);
	if (f.err_name || f.err_description || f.err_kind) {
		if (r->route->kind == RK_JSON) {
			json_t *errors = json_object();
			if (f.err_name)
				json_object_set_new(errors, "name", json_string(f.err_name));
			if (f.err_description)
				json_object_set_new(errors, "description", json_string(f.err_description));
			if (f.err_kind)
				json_object_set_new(errors, "kind", json_string(f.err_kind));
			return resp_json(r, 422, json_pack("{s:b, s:s, s:s, s:o}", "ok", 0, "error",
							   "invalid", "message",
							   web_t(r, "audio.invalid"), "errors", errors));
		}
		struct audio_user *users = NULL;
		size_t n = 0;
		audio_users(r, a.id, false, &users, &n);
		f.banner = "audio.invalid";
		return audio_item_page(r, &a, &f, users, n, NULL, 422);
	}
	struct update t = { &a, &f };
	if (web_txn(r, update_body, &t)) {
		if (r->route->kind == RK_JSON)
			return "db_unavailable";
		f.banner = "audio.err.db";
		return audio_item_page(r, &a, &f, NULL, 0, NULL, 503);
	}
	struct audio after = t.after;
	log_info("audio %s updated by %s", a.id, r->sess->user_id);
	bool reloaded = audio_reload(r);
	if (r->route->kind == RK_PAGE) {
		resp_redirect(r, arena_printf(r->a, "/cc/admin/audio?done=updated%s",
					      reloaded ? "" : "&pending=1"));
		return NULL;
	}
	return resp_json(r, 200, json_pack("{s:b, s:o, s:b}", "ok", 1, "item", audio_json(&after),
					   "reloaded", reloaded));
}
