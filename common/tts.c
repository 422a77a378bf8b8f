/* Speech by espeak-ng, converted to what rtpengine plays (see tts.h). */
#include "tts.h"

#include "log.h"
#include "rnd.h"
#include "wav.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* espeak-ng's output is read whole: a text of a few hundred characters
 * speaks for well under a minute (22 kHz 16-bit: about 2.6 MB). */
#define TTS_MAX_BYTES (16 * 1024 * 1024)

/* Voices offered: the value a form or a flow names, espeak-ng's voice. */
static const struct {
	const char *value, *voice;
} voices[] = {
	{ "cmn", "cmn" },
	{ "en", "en-us" },
};

const char *tts_voice(const char *v)
{
	if (!v)
		v = "cmn";
	for (size_t i = 0; i < sizeof voices / sizeof *voices; i++)
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
static int run_espeak(const char *voice, const char *text, const char *path)
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
		log_err("tts: cannot run espeak-ng: %s", strerror(rc));
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
			log_err("tts: waiting for espeak-ng: %s", strerror(errno));
			return -1;
		}
		if (now_ms() >= end) {
			log_err("tts: espeak-ng took longer than %d ms; stopped", TTS_LIMIT_MS);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		usleep(20000);
	}
	if (!wrote || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_err("tts: espeak-ng failed (status %d)", status);
		return -1;
	}
	return 0;
}

/* The whole of path (malloc'd) when it is at most max bytes. */
static unsigned char *read_all(const char *path, size_t max, size_t *lenp)
{
	FILE *fp = fopen(path, "rbe");
	if (!fp)
		return NULL;
	unsigned char *b = malloc(max + 1);
	size_t n = b ? fread(b, 1, max + 1, fp) : 0;
	fclose(fp);
	if (!b || n == 0 || n > max) {
		free(b);
		return NULL;
	}
	*lenp = n;
	return b;
}

int tts_speak(const char *espeak_voice, const char *text, const char *dir, unsigned char **wavp,
	      size_t *lenp, unsigned *msp)
{
	char hex[17], *tmp = NULL;
	if (!espeak_voice || !text || rnd_hex(hex, 8) ||
	    asprintf(&tmp, "%s/.tts-%s.wav", dir, hex) < 0)
		return -1;
	/* The temporary name starts with '.': the B2BUA never takes it for a
	 * file of the library. */
	unsigned char *spoken = NULL, *conv = NULL;
	size_t len = 0, conv_len = 0;
	struct wav_info wi;
	int rc = -1;
	if (run_espeak(espeak_voice, text, tmp) == 0 &&
	    (spoken = read_all(tmp, TTS_MAX_BYTES, &len)) != NULL) {
		const char *why = wav_parse(spoken, len, &wi);
		if (why)
			log_err("tts: espeak-ng's output is no WAV file (%s)", why);
		else if (wav_convert(spoken, &wi, &conv, &conv_len) == 0)
			rc = 0;
	}
	unlink(tmp);
	free(tmp);
	free(spoken);
	if (rc == 0) {
		*wavp = conv;
		*lenp = conv_len;
		if (msp)
			*msp = wi.duration_ms;
	}
	return rc;
}

/* Writes data to path through tmp (0644: rtpengine, maybe another user,
 * reads it). 0, or -1 (logged). */
static int write_file(const char *tmp, const char *path, const unsigned char *data, size_t len)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_err("tts: cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			log_err("tts: cannot write %s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		log_err("tts: cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int tts_file(const char *dir, const char *name, const char *voice, const char *text)
{
	const char *ev = tts_voice(voice);
	if (!ev || !name || !*name || name[0] == '.' || strchr(name, '/')) {
		log_err("tts: voice '%s' or file name '%s' refused", voice ? voice : "",
			name ? name : "");
		return -1;
	}
	char *path = NULL, *tmp = NULL, hex[17];
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return -1;
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		free(path);
		return 0;
	}
	unsigned char *wav = NULL;
	size_t len = 0;
	int rc = -1;
	if (tts_speak(ev, text, dir, &wav, &len, NULL) == 0 && !rnd_hex(hex, 8) &&
	    asprintf(&tmp, "%s/.tmp-%s", dir, hex) >= 0 && write_file(tmp, path, wav, len) == 0)
		rc = 1;
	free(wav);
	free(tmp);
	free(path);
	return rc;
}
