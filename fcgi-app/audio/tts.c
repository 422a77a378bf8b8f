/* POST /cc/admin/audio/tts and POST /cc/api/admin/audio/tts: a prompt
 * spoken by espeak-ng (tts_text, tts_voice: cmn or en; name, description,
 * kind as for an upload), stored as an ordinary file of the library.
 *
 * The speech is made by common/tts.h (espeak-ng without a shell, killed
 * after TTS_LIMIT_MS: the request waits that long at most) and converted
 * as an upload is. */
#include "audio.h"

#include "tts.h"

#include <stdlib.h>
#include <string.h>

#define TTS_TEXT_MAX 500

static const char *msg(struct req *r, const char *key, long max)
{
	return key ? audio_fill(r, web_t(r, key), "{max}", arena_printf(r->a, "%ld", max)) : NULL;
}

const char *audio_tts_post(struct req *r)
{
	struct audio_form f = {
		.name = audio_param(r, "name"),
		.description = audio_param(r, "description"),
		.kind = audio_param(r, "kind"),
		.tts_text = audio_param(r, "tts_text"),
		.tts_voice = audio_param(r, "tts_voice"),
	};
	if (!f.tts_text)
		f.tts_text = "";
	long n = utf8_chars(f.tts_text);
	if (n < 0 || text_has_controls(f.tts_text, true))
		f.err_tts_text = web_t(r, "audio.err.text");
	else if (strspn(f.tts_text, " \t\r\n") == strlen(f.tts_text))
		f.err_tts_text = web_t(r, "audio.err.required");
	else if (n > TTS_TEXT_MAX)
		f.err_tts_text = msg(r, "audio.err.max_chars", TTS_TEXT_MAX);
	const char *voice = f.tts_voice ? tts_voice(f.tts_voice) : NULL;
	if (!voice)
		f.err_tts_voice = web_t(r, "audio.err.voice");
	bool defaulted = !f.name || !*f.name;
	if (defaulted) {
		/* The text's start names it. */
		const char *t = f.tts_text;
		while (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n')
			t++;
		const char *p = t;
		for (long k = 0; *p && *p != '\r' && *p != '\n'; p++)
			if (((unsigned char)*p & 0xC0) != 0x80 && k++ == 20)
				break;
		f.name = arena_strndup(r->a, t, (size_t)(p - t));
	}
	if (!f.description)
		f.description = "";
	if (!f.kind)
		f.kind = "prompt";
	const char *name_key = f.err_tts_text ? NULL : audio_check_name(r, &f.name, NULL);
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
		return audio_upload_page(r, "tts", &f, 503);
	}
	f.err_name = msg(r, name_key, AUDIO_NAME_MAX);
	f.err_description = msg(r, audio_check_description(r, &f.description), AUDIO_DESC_MAX);
	f.err_kind = msg(r, audio_check_kind(f.kind), 0);
	bool json = r->route->kind == RK_JSON;
	if (f.err_tts_text || f.err_tts_voice || f.err_name || f.err_description || f.err_kind) {
		if (json) {
			json_t *errors = json_object();
#define ERR(field) \
			if (f.err_##field) \
				json_object_set_new(errors, #field, json_string(f.err_##field));
			ERR(tts_text) ERR(tts_voice) ERR(name) ERR(description) ERR(kind)
#undef ERR
			return resp_json(r, 422, json_pack("{s:b, s:s, s:s, s:o}", "ok", 0, "error",
							   "invalid", "message",
							   web_t(r, "audio.invalid"), "errors", errors));
		}
		f.banner = "audio.invalid";
		return audio_upload_page(r, "tts", &f, 422);
	}

	unsigned char *conv = NULL;
	size_t conv_len = 0;
	unsigned ms = 0;
	if (tts_speak(voice, f.tts_text, r->web->conf.audio_dir, &conv, &conv_len, &ms) < 0) {
		if (json)
			return "internal";
		f.banner = "audio.err.tts";
		return audio_upload_page(r, "tts", &f, 500);
	}
	struct audio a = {
		.name = f.name, .description = f.description, .kind = f.kind, .source = "tts",
		.original_name = "", .codec = "pcm", .sample_rate = "8000", .channels = "1",
		.bits = "16", .duration_ms = arena_printf(r->a, "%u", ms),
		.tts_voice = f.tts_voice, .tts_text = f.tts_text,
	};
	const char *id, *why;
	int rc = audio_add(r, &a, conv, conv_len, NULL, 0, "tts", &id, &why);
	free(conv);
	if (rc < 0) {
		if (json)
			return strcmp(why, "audio.err.db") ? "internal" : "db_unavailable";
		f.banner = why;
		return audio_upload_page(r, "tts", &f, strcmp(why, "audio.err.db") ? 500 : 503);
	}
	return audio_added(r, id);
}
