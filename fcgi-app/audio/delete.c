/* POST /cc/admin/audio/{id}/delete and POST /cc/api/admin/audio/{id}/delete.
 * A file something uses (audio_uses: a skill group's music or prompts, a
 * number's welcome, ...) is not deleted: the page shows the file again
 * with the list of its users (409), JSON says {ok:false, error:"in_use",
 * users:[…]}. Otherwise the row goes with its audit record (the row as it
 * was) in one transaction, then its files, then the B2BUA re-reads its
 * directory. */
#include "audio.h"

#include "../audit/audit.h"

#include "db.h"
#include "log.h"

static const char *in_use(struct req *r, const struct audio *a, const struct audio_user *u,
			  size_t n)
{
	if (r->route->kind == RK_JSON)
		return resp_json(r, 409, json_pack("{s:b, s:s, s:s, s:o}", "ok", 0, "error", "in_use",
						   "message", web_t(r, "audio.in_use"), "users",
						   audio_users_json(r, u, n)));
	static const struct audio_form blank = { 0 };
	return audio_item_page(r, a, &blank, u, n, "in_use", 409);
}

static const char IN_USE[] = "in_use";

struct del {
	const char *id;
	struct audio a;
	struct audio_user *users;
	size_t n;
};

static const char *delete_body(struct req *r, void *arg)
{
	struct del *t = arg;
	t->n = 0;
	int rc = audio_db_get(r, t->id, true, &t->a);
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : "not_found";
	if (audio_users(r, t->id, true, &t->users, &t->n) < 0)
		return "db_unavailable";
	if (t->n > 0)
		return IN_USE;
	if (audio_db_delete(r, t->id))
		return "db_unavailable";
	return audit_txn(r, "audio", t->id, "delete", audio_json(&t->a), NULL);
}

const char *audio_delete_post(struct req *r)
{
	const char *id = audio_key(r);
	if (!id)
		return "not_found";
	struct del t = { .id = id };
	const char *why = web_txn(r, delete_body, &t);
	if (why == IN_USE) {
		log_info("audio %s: not deleted, %zu users", id, t.n);
		return in_use(r, &t.a, t.users, t.n);
	}
	if (why)
		return why;
	/* The files go once the row has: a rollback leaves them in place. */
	audio_store_remove(r, t.a.filename);
	audio_store_remove(r, t.a.original_file);
	log_info("audio %s (%s) deleted by %s", id, t.a.filename, r->sess->user_id);
	bool reloaded = audio_reload(r);
	if (r->route->kind == RK_JSON)
		return resp_json(r, 200, json_pack("{s:b, s:b}", "ok", 1, "reloaded", reloaded));
	resp_redirect(r, arena_printf(r->a, "/cc/admin/audio?done=deleted%s",
				      reloaded ? "" : "&pending=1"));
	return NULL;
}
