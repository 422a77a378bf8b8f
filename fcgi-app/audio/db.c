/* The rows of cc_audio on the request thread's connection. Statements are
 * fixed text (the sort column chosen by index from AUDIO_SORTS); every value
 * is bound. Errors are logged here, once. */
#include "audio.h"

#include "../tmpl/page.h"
#include "../resource/resource.h"

#include "db.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

#define COL_NAME(c) "`" #c "`, "
/* "`id`, `name`, …, " with the last ", " cut by the statements below. */
static const char select_cols[] = AUDIO_COLS(COL_NAME);
#undef COL_NAME
#define NCOLS (sizeof(struct audio) / sizeof(const char *))

struct rows {
	struct arena *a;
	struct audio *v;
	size_t n, cap;
	bool failed;
};

static int row_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct rows *rs = arg;
	(void)lens;
	if ((size_t)ncol < NCOLS) {
		rs->failed = true;
		return 1;
	}
	if (arena_grow(rs->a, &rs->v, rs->n, &rs->cap, sizeof *rs->v)) {
		rs->failed = true;
		return 1;
	}
	const char **out = (const char **)&rs->v[rs->n++];
	for (size_t i = 0; i < NCOLS; i++)
		out[i] = v[i] ? arena_strdup(rs->a, v[i]) : NULL;
	return 0;
}

static int failed(struct req *r, const char *what)
{
	log_err("audio %s: %s", what, db_error(r->thr->db));
	return -1;
}

/* "SELECT <cols> FROM cc_audio" and what follows. */
static char *select_sql(struct req *r, const char *rest)
{
	return arena_printf(r->a, "SELECT %.*s FROM cc_audio%s", (int)(sizeof select_cols - 3),
			    select_cols, rest);
}

int audio_db_get(struct req *r, const char *id, bool lock, struct audio *out)
{
	char *sql = select_sql(r, lock ? " WHERE id = ? FOR UPDATE" : " WHERE id = ?");
	struct rows rs = { .a = r->a };
	if (!sql)
		return -1;
	if (db_query(r->thr->db, sql, row_h, &rs, "i", atoll(id)) < 0)
		return failed(r, "read");
	if (rs.failed)
		return -1;
	if (!rs.n)
		return 0;
	*out = rs.v[0];
	return 1;
}

static const char *const sort_cols[] = {
#define SORT_COL(n, c) #c,
	AUDIO_SORTS(SORT_COL)
#undef SORT_COL
};

/* The search: a substring of the name, description, file name as
 * uploaded or the uploader's name (one bound value read by all four). */
#define SEARCH " CROSS JOIN (SELECT ? AS q) s WHERE (name LIKE s.q ESCAPE '!' OR " \
	"description LIKE s.q ESCAPE '!' OR original_name LIKE s.q ESCAPE '!' OR " \
	"uploaded_by LIKE s.q ESCAPE '!')"

int audio_db_list(struct req *r, struct audio_query *q, struct audio **rowsp, size_t *np,
		  long long *totalp)
{
	struct db *db = r->thr->db;
	const char *like = q->q ? res_like(r->a, q->q) : NULL;
	char n[32] = "0";
	const char *count = like ? "SELECT COUNT(*) FROM cc_audio" SEARCH
				 : "SELECT COUNT(*) FROM cc_audio";
	if (q->q && !like)
		return -1;
	if ((like ? db_query_value(db, n, sizeof n, count, "s", like)
		  : db_query_value(db, n, sizeof n, count, "")) < 0)
		return failed(r, "count");
	long long total = atoll(n);
	long long pages = page_count(total, q->per_page);
	if (q->page > pages)
		q->page = pages;
	/* Ties broken by the key: pages never overlap. */
	char *sql = select_sql(r, arena_printf(r->a, "%s ORDER BY `%s` %s, id %s LIMIT ? OFFSET ?",
					       like ? SEARCH : "", sort_cols[q->sort],
					       q->desc ? "DESC" : "ASC", q->desc ? "DESC" : "ASC"));
	struct rows rs = { .a = r->a };
	if (!sql)
		return -1;
	long long offset = (q->page - 1) * q->per_page;
	int rc = like ? db_query(db, sql, row_h, &rs, "sii", like, q->per_page, offset)
		      : db_query(db, sql, row_h, &rs, "ii", q->per_page, offset);
	if (rc < 0)
		return failed(r, "list");
	if (rs.failed)
		return -1;
	*rowsp = rs.v;
	*np = rs.n;
	*totalp = total;
	return 0;
}

int audio_db_name_taken(struct req *r, const char *name, const char *id)
{
	char n[32];
	int rc = db_query_value(r->thr->db, n, sizeof n,
				"SELECT COUNT(*) FROM cc_audio WHERE name = ? AND id <> ?", "si", name,
				id ? atoll(id) : 0LL);
	if (rc < 0)
		return failed(r, "name check");
	return rc > 0 && atoll(n) > 0;
}

int audio_db_insert(struct req *r, const struct audio *a, const char **idp)
{
	long long n = db_exec(r->thr->db,
			      "INSERT INTO cc_audio (name, description, kind, source, filename, "
			      "original_file, original_name, codec, sample_rate, channels, bits, "
			      "duration_ms, size, original_size, created_by, uploaded_by, tts_voice, "
			      "tts_text, created_at) "
			      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW())",
			      "ssssssssssssssssss", a->name, a->description, a->kind, a->source,
			      a->filename, a->original_file, a->original_name, a->codec,
			      a->sample_rate, a->channels, a->bits, a->duration_ms, a->size,
			      a->original_size, a->created_by, a->uploaded_by, a->tts_voice,
			      a->tts_text);
	if (n < 0)
		return failed(r, "insert");
	*idp = arena_printf(r->a, "%llu", db_insert_id(r->thr->db));
	return 0;
}

int audio_db_update(struct req *r, const char *id, const char *name, const char *description,
		    const char *kind)
{
	long long n = db_exec(r->thr->db,
			      "UPDATE cc_audio SET name = ?, description = ?, kind = ?, "
			      "updated_at = NOW() WHERE id = ?",
			      "sssi", name, description, kind, atoll(id));
	return n < 0 ? failed(r, "update") : 0;
}

int audio_db_delete(struct req *r, const char *id)
{
	long long n = db_exec(r->thr->db, "DELETE FROM cc_audio WHERE id = ?", "i", atoll(id));
	return n < 0 ? failed(r, "delete") : 0;
}

void audio_db_probe(struct req *r, struct audio *a)
{
	if (a->codec || !a->filename)
		return;
	unsigned char *data;
	size_t len;
	struct wav_info wi;
	if (audio_store_read(r, a->filename, 2 * AUDIO_MAX_BYTES, &data, &len) <= 0 ||
	    wav_parse(data, len, &wi))
		return;
	a->codec = wav_codec_name(wi.codec);
	a->sample_rate = arena_printf(r->a, "%u", wi.rate);
	a->channels = arena_printf(r->a, "%u", wi.channels);
	a->bits = arena_printf(r->a, "%u", wi.bits);
	a->duration_ms = arena_printf(r->a, "%u", wi.duration_ms);
	a->size = arena_printf(r->a, "%zu", len);
	a->original_size = a->size;
	/* Facts of the file, not a change of the console's: no audit record. */
	if (db_exec(r->thr->db,
		    "UPDATE cc_audio SET codec = ?, sample_rate = ?, channels = ?, bits = ?, "
		    "duration_ms = ?, size = ?, original_size = ? WHERE id = ? AND codec IS NULL",
		    "ssssssss", a->codec, a->sample_rate, a->channels, a->bits, a->duration_ms,
		    a->size, a->original_size, a->id) < 0)
		log_warn("audio %s: facts not stored: %s", a->id, db_error(r->thr->db));
}

static json_t *num(const char *v)
{
	return v ? json_integer(atoll(v)) : json_null();
}

static json_t *str(const char *v)
{
	return v ? json_string(v) : json_null();
}

json_t *audio_json(const struct audio *a)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", num(a->id));
	json_object_set_new(o, "name", str(a->name));
	json_object_set_new(o, "description", str(a->description));
	json_object_set_new(o, "kind", str(a->kind));
	json_object_set_new(o, "source", str(a->source));
	json_object_set_new(o, "file", str(a->filename));
	json_object_set_new(o, "original_file", str(a->original_file));
	json_object_set_new(o, "original_name", str(a->original_name));
	json_object_set_new(o, "codec", str(a->codec));
	json_object_set_new(o, "sample_rate", num(a->sample_rate));
	json_object_set_new(o, "channels", num(a->channels));
	json_object_set_new(o, "bits", num(a->bits));
	json_object_set_new(o, "duration_ms", num(a->duration_ms));
	json_object_set_new(o, "size", num(a->size));
	json_object_set_new(o, "original_size", num(a->original_size));
	json_object_set_new(o, "created_by", str(a->created_by));
	json_object_set_new(o, "uploaded_by", str(a->uploaded_by));
	json_object_set_new(o, "created_at", str(a->created_at));
	json_object_set_new(o, "updated_at", str(a->updated_at));
	json_object_set_new(o, "tts_voice", str(a->tts_voice));
	json_object_set_new(o, "tts_text", str(a->tts_text));
	return o;
}
