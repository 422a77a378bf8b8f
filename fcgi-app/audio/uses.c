/* Who uses an audio file: every column of another table that holds a
 * cc_audio.id, in one array. The list shows each file's users; a file with
 * users cannot be deleted (delete.c names them). A feature that plays
 * audio from a table of its own adds one row here. */
#include "audio.h"

#include "db.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

const struct audio_use audio_uses[] = {
	{ "cc_skill_group", "moh_audio_id", "id", "name", "audio.use.moh", "/cc/admin/groups/" },
	{ "cc_skill_group", "no_agent_audio_id", "id", "name", "audio.use.no_agent",
	  "/cc/admin/groups/" },
	{ "cc_skill_group", "max_wait_audio_id", "id", "name", "audio.use.max_wait",
	  "/cc/admin/groups/" },
	{ "cc_skill_group", "announce_audio_id", "id", "name", "audio.use.announce",
	  "/cc/admin/groups/" },
	{ "cc_number", "welcome_audio_id", "id", "CONCAT_WS(' ', number, NULLIF(name, ''))",
	  "audio.use.welcome", "/cc/admin/numbers/" },
};
const size_t audio_nuses = sizeof audio_uses / sizeof *audio_uses;

struct users {
	struct arena *a;
	size_t use;
	struct audio_user *v;
	size_t n, cap;
	bool failed;
};

static int user_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct users *us = arg;
	(void)lens;
	if (ncol < 3 || !v[0] || !v[1]) {
		us->failed = true;
		return 1;
	}
	if (arena_grow(us->a, &us->v, us->n, &us->cap, sizeof *us->v)) {
		us->failed = true;
		return 1;
	}
	us->v[us->n++] = (struct audio_user){
		.audio_id = arena_strdup(us->a, v[0]), .use = us->use,
		.key = arena_strdup(us->a, v[1]), .label = arena_strdup(us->a, v[2] ? v[2] : v[1]),
	};
	return 0;
}

int audio_users(struct req *r, const char *id, bool lock, struct audio_user **usersp,
		size_t *np)
{
	struct users us = { .a = r->a };
	for (size_t i = 0; i < audio_nuses; i++) {
		const struct audio_use *u = &audio_uses[i];
		char *sql = arena_printf(r->a, "SELECT `%s`, `%s`, %s FROM `%s` WHERE `%s` %s ORDER BY 3%s",
					 u->column, u->key, u->label, u->table, u->column,
					 id ? "= ?" : "IS NOT NULL", lock ? " FOR UPDATE" : "");
		us.use = i;
		int rc = !sql ? -1 : id ? db_query(r->thr->db, sql, user_h, &us, "i", atoll(id))
				      : db_query(r->thr->db, sql, user_h, &us, NULL);
		if (rc < 0) {
			log_err("audio users (%s.%s): %s", u->table, u->column, db_error(r->thr->db));
			return -1;
		}
		if (us.failed)
			return -1;
	}
	*usersp = us.v;
	*np = us.n;
	return 0;
}

json_t *audio_users_json(struct req *r, const struct audio_user *u, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct audio_use *use = &audio_uses[u[i].use];
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s}", "table", use->table,
						   "column", use->column, "key", u[i].key, "label",
						   u[i].label, "use", web_t(r, use->what)));
	}
	return a;
}
