/* POST /cc/admin/audio/tts and POST /cc/api/admin/audio/tts: a prompt
 * spoken by espeak-ng (tts_text, tts_voice: cmn or en; name, description,
 * kind as for an upload), stored as an ordinary file of the library.
 *
 * espeak-ng runs without a shell, reads the text from a pipe (a text that
 * starts with '-' is no option), writes to a generated file name, and is
 * killed when it takes longer than TTS_LIMIT_MS: the request waits that
 * long at most. Its WAV output goes through wav_parse() and the same
 * conversion as an upload. */
#include "audio.h"

#include "log.h"
#include "rnd.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define TTS_TEXT_MAX 500
#define TTS_LIMIT_MS 15000

/* Voices offered: the value a form sends, espeak-ng's voice. */
static const struct {
	const char *value, *voice;
} voices[] = {
	{ "cmn", "cmn" },
	{ "en", "en-us" },
};

static const char *voice_of(const char *v)
{
	for (size_t i = 0; v && i < sizeof voices / sizeof *voices; i++)
		if (!strcmp(v, voices[i].value))
			return voices[i].voice;
	return NULL;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Runs espeak-ng for text into path. 0, or -1 (logged). */
static int speak(const char *voice, const char *text, const char *path)
{
	int in[2];
	if (pipe2(in, O_CLOEXEC) < 0)
		return -1;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	char *argv[] = { "espeak-ng", "-v", (char *)voice, "-s", "165", "-w", (char *)path,
			 "--stdin", NULL };
	pid_t pid;
	int rc = posix_spawnp(&pid, "espeak-ng", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	if (rc) {
		close(in[1]);
		log_err("audio: cannot run espeak-ng: %s", strerror(rc));
		return -1;
	}
	/* The text is far below a pipe's buffer: this never blocks. */
	size_t len = strlen(text);
	bool wrote = write(in[1], text, len) == (ssize_t)len;
	close(in[1]);
	long long end = now_ms() + TTS_LIMIT_MS;
	int status = 0;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			log_err("audio: waiting for espeak-ng: %s", strerror(errno));
			return -1;
		}
		if (now_ms() >= end) {
			log_err("audio: espeak-ng took longer than %d ms; stopped", TTS_LIMIT_MS);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		usleep(20000);
	}
	if (!wrote || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_err("audio: espeak-ng failed (status %d)", status);
		return -1;
	}
	return 0;
}

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
	const char *voice = voice_of(f.tts_voice);
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

	char hex[17];
	char *tmp = rnd_hex(hex, 8) ? NULL
				    : arena_printf(r->a, "%s/.tts-%s.wav", r->web->conf.audio_dir, hex);
	unsigned char *spoken = NULL;
	size_t len = 0;
	struct wav_info wi;
	/* The temporary name starts with '.': the B2BUA never takes it for a
	 * file of the library, and audio_store_read refuses it; read it here. */
	bool ok = false;
	if (tmp && speak(voice, f.tts_text, tmp) == 0) {
		FILE *fp = fopen(tmp, "rb");
		if (fp) {
			spoken = arena_alloc(r->a, AUDIO_MAX_BYTES + 1);
			len = spoken ? fread(spoken, 1, AUDIO_MAX_BYTES + 1, fp) : 0;
			fclose(fp);
			ok = spoken && len > 0 && len <= AUDIO_MAX_BYTES &&
			     wav_parse(spoken, len, &wi) == NULL;
		}
	}
	if (tmp)
		unlink(tmp);
	unsigned char *conv = NULL;
	size_t conv_len = 0;
	if (!ok || wav_convert(spoken, &wi, &conv, &conv_len) < 0) {
		if (json)
			return "internal";
		f.banner = "audio.err.tts";
		return audio_upload_page(r, "tts", &f, 500);
	}
	struct audio a = {
		.name = f.name, .description = f.description, .kind = f.kind, .source = "tts",
		.original_name = "", .codec = "pcm", .sample_rate = "8000", .channels = "1",
		.bits = "16", .duration_ms = arena_printf(r->a, "%u", wi.duration_ms),
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
