/* GET /cc/admin/audio/new: the upload form (and the text-to-speech form);
 * POST /cc/admin/audio/new and POST /cc/api/admin/audio: an upload
 * (multipart/form-data: file, name, description, kind).
 *
 * The file must be a WAV file wav_parse() accepts, at most AUDIO_MAX_BYTES;
 * anything else comes back with a message that says why (the form again,
 * 422, or 413 when too large; JSON {ok:false, error, message, errors}),
 * and nothing is written. An accepted file is converted to 8 kHz mono
 * 16-bit PCM; both files are stored under generated names, then the row
 * and its audit record in one transaction; then the B2BUA re-reads its
 * directory. The name defaults to the uploaded file's name without its
 * extension. */
#include "audio.h"

#include "../audit/audit.h"
#include "../tmpl/page.h"

#include "db.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *audio_upload_page(struct req *r, const char *which, const struct audio_form *f,
			      int status)
{
	xmlDoc *doc;
	xmlNode *el = audio_page_begin(r, "new", &doc);
	if (!el)
		return "internal";
	static const struct audio_form blank = { 0 };
	audio_doc_form(el, "upload", strcmp(which, "upload") ? &blank : f);
	audio_doc_form(el, "tts", strcmp(which, "tts") ? &blank : f);
	return page_finish(r, doc, "audio", status);
}

const char *audio_new_get(struct req *r)
{
	static const struct audio_form blank = { 0 };
	return audio_upload_page(r, "upload", &blank, 200);
}

/* The first n characters of UTF-8 text s (in the arena). */
static char *chars_prefix(struct req *r, const char *s, long n)
{
	const char *p = s;
	for (long k = 0; *p; p++)
		if (((unsigned char)*p & 0xC0) != 0x80 && k++ == n)
			break;
	return arena_strndup(r->a, s, (size_t)(p - s));
}

/* The uploaded file's name for display: its last path segment, invalid
 * UTF-8 and control characters cleaned, at most AUDIO_ORIG_NAME_MAX
 * characters. */
static const char *original_name(struct req *r, const char *filename)
{
	const char *b = filename;
	for (const char *p = filename; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	char *clean = xd_clean(b);
	char *out = clean ? chars_prefix(r, clean, AUDIO_ORIG_NAME_MAX) : NULL;
	free(clean);
	return out ? out : "";
}

/* The default name: the original's without ".wav", at most the name's
 * length; "audio" when nothing is left. */
static const char *default_name(struct req *r, const char *orig)
{
	size_t n = strlen(orig);
	if (n > 4 && !strcasecmp(orig + n - 4, ".wav"))
		n -= 4;
	char *s = arena_strndup(r->a, orig, n);
	s = s ? chars_prefix(r, s, AUDIO_NAME_MAX) : NULL;
	return s && *s ? s : "audio";
}

const char *audio_free_name(struct req *r, const char *base)
{
	for (int k = 2; k < 100; k++) {
		char suffix[16];
		snprintf(suffix, sizeof suffix, " (%d)", k);
		char *head = chars_prefix(r, base, AUDIO_NAME_MAX - (long)strlen(suffix));
		const char *c = head ? arena_printf(r->a, "%s%s", head, suffix) : NULL;
		int taken = c ? audio_db_name_taken(r, c, NULL) : -1;
		if (taken < 0)
			return NULL;
		if (!taken)
			return c;
	}
	return NULL;
}

/* The message of a file refused by wav_parse (catalogue text, filled). */
static const char *file_message(struct req *r, const char *why, const struct wav_info *wi)
{
	const char *text = web_t(r, arena_printf(r->a, "audio.err.%s", why));
	if (!strcmp(why, "codec"))
		return audio_fill(r, text, "{tag}", arena_printf(r->a, "0x%04X", wi->format_tag));
	if (!strcmp(why, "rate"))
		return audio_fill(r, text, "{rate}", arena_printf(r->a, "%u", wi->rate));
	if (!strcmp(why, "channels"))
		return audio_fill(r, text, "{channels}", arena_printf(r->a, "%u", wi->channels));
	if (!strcmp(why, "bits"))
		return audio_fill(r, text, "{bits}", arena_printf(r->a, "%u", wi->bits));
	return text;
}

static const char *msg(struct req *r, const char *key, long max)
{
	return key ? audio_fill(r, web_t(r, key), "{max}", arena_printf(r->a, "%ld", max)) : NULL;
}

/* The refusal: the form again, or JSON. reason: the file's reason or
 * "invalid". */
static const char *refused(struct req *r, struct audio_form *f, const char *reason, int status)
{
	if (r->route->kind == RK_JSON) {
		json_t *errors = json_object();
		const char *first = NULL;
#define ERR(field) \
		if (f->err_##field) { \
			json_object_set_new(errors, #field, json_string(f->err_##field)); \
			first = first ? first : f->err_##field; \
		}
		ERR(file) ERR(name) ERR(description) ERR(kind) ERR(tts_text) ERR(tts_voice)
#undef ERR
		return resp_json(r, status, json_pack("{s:b, s:s, s:s, s:o}", "ok", 0, "error", reason,
						      "message", first ? first : "", "errors", errors));
	}
	f->banner = "audio.invalid";
	return audio_upload_page(r, f->tts_text ? "tts" : "upload", f, status);
}

struct add {
	const struct audio *a;
	const char *action;
	const char *id;
};

static const char *add_body(struct req *r, void *arg)
{
	struct add *t = arg;
	struct audio row;
	if (audio_db_insert(r, t->a, &t->id) || audio_db_get(r, t->id, false, &row) <= 0)
		return "db_unavailable";
	return audit_txn(r, "audio", t->id, t->action, NULL, audio_json(&row));
}

int audio_add(struct req *r, struct audio *a, const unsigned char *conv, size_t conv_len,
	      const unsigned char *orig, size_t orig_len, const char *action, const char **idp,
	      const char **why)
{
	*why = "audio.err.store";
	const char *base = audio_store_name(r->a);
	if (!base)
		return -1;
	a->filename = arena_printf(r->a, "%s.wav", base);
	a->original_file = orig ? arena_printf(r->a, "%s.orig.wav", base) : NULL;
	a->size = arena_printf(r->a, "%zu", conv_len);
	a->original_size = arena_printf(r->a, "%zu", orig ? orig_len : conv_len);
	a->created_by = r->sess->user_id;
	a->uploaded_by = r->sess->name && *r->sess->name ? r->sess->name : r->sess->username;
	if (audio_store_write(r, a->filename, conv, conv_len) < 0)
		return -1;
	if (orig && audio_store_write(r, a->original_file, orig, orig_len) < 0) {
		audio_store_remove(r, a->filename);
		return -1;
	}
	*why = "audio.err.db";
	struct add t = { a, action, NULL };
	if (web_txn(r, add_body, &t) == NULL) {
		*idp = t.id;
		*why = NULL;
		log_info("audio %s (%s) %s by %s", t.id, a->filename, action, r->sess->user_id);
		return 0;
	}
	/* The files were written before the transaction, for its row. */
	audio_store_remove(r, a->filename);
	audio_store_remove(r, a->original_file);
	return -1;
}

/* After a new file: the list (page) or the row (JSON). */
const char *audio_added(struct req *r, const char *id)
{
	bool reloaded = audio_reload(r);
	if (r->route->kind == RK_PAGE) {
		resp_redirect(r, arena_printf(r->a, "/cc/admin/audio?done=uploaded%s",
					      reloaded ? "" : "&pending=1"));
		return NULL;
	}
	struct audio row;
	int rc = audio_db_get(r, id, false, &row);
	if (rc <= 0)
		return rc < 0 ? "db_unavailable" : "not_found";
	return resp_json(r, 201, json_pack("{s:b, s:o, s:b}", "ok", 1, "item", audio_json(&row),
					   "reloaded", reloaded));
}

const char *audio_upload_post(struct req *r)
{
	struct audio_form f = {
		.name = audio_param(r, "name"),
		.description = audio_param(r, "description"),
		.kind = audio_param(r, "kind"),
	};
	const struct upload *u = r->multipart ? req_file(r, "file") : NULL;
	const char *reason = "invalid";
	int status = 422;
	struct wav_info wi;
	if (!u || (!u->len && !*u->filename)) {
		reason = "no_file";
		f.err_file = web_t(r, "audio.err.no_file");
	} else if (u->len > AUDIO_MAX_BYTES) {
		reason = "too_large";
		status = 413;
		f.err_file = web_t(r, "audio.err.too_large");
	} else {
		const char *why = wav_parse(u->data, u->len, &wi);
		if (why) {
			reason = why;
			f.err_file = file_message(r, why, &wi);
		}
	}
	const char *orig = u ? original_name(r, u->filename) : "";
	bool defaulted = !f.name || !*f.name;
	if (defaulted)
		f.name = u ? default_name(r, orig) : "";
	if (!f.description)
		f.description = "";
	if (!f.kind)
		f.kind = "prompt";
	const char *name_key = audio_check_name(r, &f.name, NULL);
	if (defaulted && name_key && !strcmp(name_key, "audio.err.name_taken")) {
		const char *alt = audio_free_name(r, f.name);
		if (alt) {
			f.name = alt;
			name_key = NULL;
		}
	}
	if (name_key && !strcmp(name_key, "audio.err.db")) {
		if (r->route->kind == RK_JSON)
			return "db_unavailable";
		f.banner = name_key;
		return audio_upload_page(r, "upload", &f, 503);
	}
	f.err_name = msg(r, name_key, AUDIO_NAME_MAX);
	f.err_description = msg(r, audio_check_description(r, &f.description), AUDIO_DESC_MAX);
	f.err_kind = msg(r, audio_check_kind(f.kind), 0);
	if (f.err_file || f.err_name || f.err_description || f.err_kind)
		return refused(r, &f, reason, status);

	unsigned char *conv;
	size_t conv_len;
	if (wav_convert(u->data, &wi, &conv, &conv_len) < 0)
		return "internal";
	struct audio a = {
		.name = f.name, .description = f.description, .kind = f.kind, .source = "upload",
		.original_name = orig, .codec = wav_codec_name(wi.codec),
		.sample_rate = arena_printf(r->a, "%u", wi.rate),
		.channels = arena_printf(r->a, "%u", wi.channels),
		.bits = arena_printf(r->a, "%u", wi.bits),
		.duration_ms = arena_printf(r->a, "%u", wi.duration_ms),
	};
	const char *id, *why;
	int rc = audio_add(r, &a, conv, conv_len, u->data, u->len, "upload", &id, &why);
	free(conv);
	if (rc < 0) {
		if (r->route->kind == RK_JSON)
			return strcmp(why, "audio.err.db") ? "internal" : "db_unavailable";
		f.banner = why;
		return audio_upload_page(r, "upload", &f, strcmp(why, "audio.err.db") ? 500 : 503);
	}
	return audio_added(r, id);
}
