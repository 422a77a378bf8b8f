/* Voicemail rows as the signed-in user may see them: see voicemail.h. */
#include "voicemail.h"

#include "../sqlq.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

/* Who sees a row: an admin every one, an agent those of their groups. Two
 * values: the admin flag and the user's id. */
#define VISIBLE " (? = 1 OR v.group_id IN (SELECT skill_group_id FROM cc_skill_group_member" \
		" WHERE user_id = ?))"
#define VISIBLE_FMT "is"
#define VISIBLE_ARGS(r) (long long)(r)->sess->admin, (r)->sess->user_id

#define SELECT \
	"SELECT v.id, v.call_id, v.group_id, COALESCE(g.name, ''), v.caller, v.file, " \
	"v.duration_ms, DATE_FORMAT(v.created_at, '%Y-%m-%d %H:%i:%s'), v.handled_by, " \
	"v.handled_name, DATE_FORMAT(v.handled_at, '%Y-%m-%d %H:%i:%s') " \
	"FROM cc_voicemail v LEFT JOIN cc_skill_group g ON g.id = v.group_id "

#define NCOLS 11

const char *vm_allowed(const struct req *r)
{
	return r->sess && (r->sess->admin || r->sess->agent) ? NULL : "forbidden";
}

TEXT_ROWS_FIT(struct vm, NCOLS);

int vm_db_get(struct req *r, const char *id, struct vm *v)
{
	struct text_rows rs = { .a = r->a, .ncols = NCOLS };
	char *end;
	unsigned long long n = id ? strtoull(id, &end, 10) : 0;
	if (!id || !*id || *end || n == 0 || n > 4294967295ull)
		return 0;
	if (db_query(r->thr->db, SELECT "WHERE v.id = ? AND" VISIBLE, text_rows_h, &rs, "i" VISIBLE_FMT,
		     (long long)n, VISIBLE_ARGS(r)) < 0 || rs.failed) {
		log_err("voicemail: %s", db_error(r->thr->db));
		return -1;
	}
	if (!rs.n)
		return 0;
	*v = ((struct vm *)rs.v)[0];
	return 1;
}

#define FILTER " WHERE (? = 0 OR v.group_id = ?) AND (? < 0 OR (v.handled_at IS NOT NULL) = ?) AND" \
	VISIBLE
#define FILTER_FMT "iiii" VISIBLE_FMT
#define FILTER_ARGS(q, r) (long long)(q)->group, (long long)(q)->group, (long long)(q)->handled, \
	(long long)(q)->handled, VISIBLE_ARGS(r)

int vm_db_list(struct req *r, const struct vm_query *q, struct vm **rows, size_t *n,
	       long long *total)
{
	struct db *db = r->thr->db;
	char count[32] = "0";
	struct text_rows rs = { .a = r->a, .ncols = NCOLS };
	if (db_query_value(db, count, sizeof count, "SELECT COUNT(*) FROM cc_voicemail v" FILTER,
			   FILTER_FMT, FILTER_ARGS(q, r)) < 0)
		goto fail;
	*total = atoll(count);
	if (db_query(db, SELECT FILTER " ORDER BY v.id DESC LIMIT ? OFFSET ?", text_rows_h, &rs,
		     FILTER_FMT "ii", FILTER_ARGS(q, r), q->per_page,
		     (q->page - 1) * q->per_page) < 0 || rs.failed)
		goto fail;
	*rows = rs.v;
	*n = rs.n;
	return 0;
fail:
	log_err("voicemail: %s", db_error(db));
	return -1;
}

int vm_db_groups(struct req *r, const char ***pairs, size_t *n)
{
	struct text_rows p = { .a = r->a, .ncols = 2 };
	if (db_query(r->thr->db,
		     "SELECT v.id, v.name FROM cc_skill_group v WHERE (? = 1 OR v.id IN "
		     "(SELECT skill_group_id FROM cc_skill_group_member WHERE user_id = ?)) "
		     "ORDER BY v.name",
		     text_rows_h, &p, VISIBLE_FMT, VISIBLE_ARGS(r)) < 0 || p.failed) {
		log_err("voicemail: %s", db_error(r->thr->db));
		return -1;
	}
	*pairs = p.v;
	*n = p.n;
	return 0;
}

json_t *vm_json(const struct vm *v)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(atoll(v->id)));
	json_object_set_new(o, "call_id", json_string(v->call_id));
	json_object_set_new(o, "group_id", json_integer(atoll(v->group_id)));
	json_object_set_new(o, "group_name", json_string(v->group_name));
	json_object_set_new(o, "caller", json_string(v->caller));
	json_object_set_new(o, "duration_ms", json_integer(atoll(v->duration_ms)));
	json_object_set_new(o, "created_at", json_string(v->created_at));
	json_object_set_new(o, "handled", json_boolean(v->handled_at != NULL));
	json_object_set_new(o, "handled_by", v->handled_by ? json_string(v->handled_by) : json_null());
	json_object_set_new(o, "handled_name",
			    v->handled_name ? json_string(v->handled_name) : json_null());
	json_object_set_new(o, "handled_at", v->handled_at ? json_string(v->handled_at) : json_null());
	json_object_set_new(o, "audio", json_sprintf("/cc/voicemail/%s/play", v->id));
	json_object_set_new(o, "download", json_sprintf("/cc/voicemail/%s/download", v->id));
	return o;
}
