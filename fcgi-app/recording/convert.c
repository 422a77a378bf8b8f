/* One call's recording: its pcaps (one per segment: rtpengine makes a new
 * one at each start, so a pause leaves two) read, joined, converted by
 * common/pcapwav.c and written as <dir>/YYYY/MM/DD/<call>.wav (the UTC
 * date of its first packet). Runs on the worker thread; blocks on files. */
#include "recording.h"

#include "log.h"
#include "pcapwav.h"
#include "wav.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PCAP_HEADER 24

bool recf_call_id(const char *s)
{
	if (!s || strlen(s) != 32)
		return false;
	for (size_t i = 0; i < 32; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Whether name is "<prefix><call>-...<suffix>". */
static bool of_call(const char *name, const char *prefix, const char *call_id, const char *suffix)
{
	size_t np = strlen(prefix), nn = strlen(name), ns = strlen(suffix);
	return nn > np + 33 + ns && !strncmp(name, prefix, np) &&
	       !strncmp(name + np, call_id, 32) && name[np + 32] == '-' &&
	       !strcmp(name + nn - ns, suffix) && !strchr(name, '/');
}

/* Appends the file's bytes (less skip bytes at its start) to *buf. 0, or
 * a reason. */
static const char *append_file(const char *path, size_t skip, unsigned char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		log_err("recordings: cannot read %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return "read_error";
	}
	size_t n = (size_t)st.st_size;
	if (n > RECF_MAX_PCAP_BYTES || *len + n > RECF_MAX_PCAP_BYTES) {
		close(fd);
		return "too_large";
	}
	unsigned char *b = realloc(*buf, *len + n + 1);
	if (!b) {
		close(fd);
		return "no_memory";
	}
	*buf = b;
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, b + *len + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	/* A later segment's own header goes: its records follow the first's. */
	if (skip && got >= skip && *len) {
		memmove(b + *len, b + *len + skip, got - skip);
		got -= skip;
	}
	*len += got;
	return NULL;
}

/* The pcaps of the call joined into one (the first's header, every
 * segment's records; pcapwav places them by capture time, whatever their
 * order). NULL or a reason. */
static const char *read_pcaps(const char *dir, const char *call_id, unsigned char **buf,
			      size_t *len, unsigned *segments)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/tmp", dir);
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		bool busy = false;
		while ((e = readdir(d)) && !busy)
			busy = of_call(e->d_name, "rtpengine-meta-", call_id, "");
		closedir(d);
		if (busy)
			return "in_progress";
	}
	snprintf(path, sizeof path, "%s/pcaps", dir);
	if (!(d = opendir(path)))
		return "no_files";
	const char *why = NULL;
	struct dirent *e;
	/* rtpengine writes every segment with the same header. */
	while (!why && (e = readdir(d))) {
		if (!of_call(e->d_name, "", call_id, ".pcap"))
			continue;
		snprintf(path, sizeof path, "%s/pcaps/%s", dir, e->d_name);
		why = append_file(path, *segments ? PCAP_HEADER : 0, buf, len);
		if (!why)
			(*segments)++;
	}
	closedir(d);
	if (!why && !*segments)
		why = "no_files";
	return why;
}

static int mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		int rc = mkdir(path, 0750);
		*p = '/';
		if (rc < 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

static const char *write_error(int err)
{
	return err == ENOSPC || err == EDQUOT ? "disk_full" : "write_error";
}

/* Writes the samples as a WAV at dir/file through a temporary file. NULL
 * or a reason (logged). */
static const char *write_wav(const char *dir, const char *file, const struct pcapwav *w,
			     unsigned long long *size)
{
	char path[4096], tmp[4200];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (mkdirs(path)) {
		int err = errno;
		log_err("recordings: cannot make the folder of %s: %s", path, strerror(err));
		return write_error(err);
	}
	size_t bytes = w->samples * sizeof *w->pcm;
	if (bytes > 0xFFFFFFFFu - WAV_HEADER_BYTES)
		return "too_large";
	unsigned char h[WAV_HEADER_BYTES];
	wav_header(h, PCAPWAV_RATE, 1, 16, (uint32_t)bytes);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	int err = fd < 0 ? errno : 0;
	const unsigned char *parts[2] = { h, (const unsigned char *)w->pcm };
	size_t lens[2] = { sizeof h, bytes };
	for (int i = 0; i < 2 && !err; i++) {
		size_t off = 0;
		while (off < lens[i] && !err) {
			/* 16-bit samples are written as they are: little-endian hosts. */
			ssize_t n = write(fd, parts[i] + off, lens[i] - off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				err = n < 0 ? errno : EIO;
			else
				off += (size_t)n;
		}
	}
	if (!err && fsync(fd) < 0)
		err = errno;
	if (fd >= 0 && close(fd) < 0 && !err)
		err = errno;
	if (!err && rename(tmp, path) < 0)
		err = errno;
	if (err) {
		log_err("recordings: cannot write %s: %s", path, strerror(err));
		unlink(tmp);
		return write_error(err);
	}
	*size = WAV_HEADER_BYTES + bytes;
	return NULL;
}

const char *recf_convert(const char *dir, const char *call_id, unsigned max_s,
			 struct recf_out *o)
{
	memset(o, 0, sizeof *o);
	if (!recf_call_id(call_id))
		return "no_files";
	unsigned char *buf = NULL;
	size_t len = 0;
	const char *why = read_pcaps(dir, call_id, &buf, &len, &o->segments);
	struct pcapwav w = { 0 };
	struct pcapwav_opts opts = { .max_s = max_s };
	if (!why)
		why = pcapwav_convert(buf, len, &opts, &w);
	free(buf);
	if (why)
		return why;
	time_t t = (time_t)(w.t0_us / 1000000);
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(o->file, sizeof o->file, "%04d/%02d/%02d/%s.wav", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, call_id);
	o->duration_ms = (unsigned)(w.samples * 1000 / PCAPWAV_RATE);
	o->packets = w.packets;
	o->skipped = w.skipped;
	o->truncated = w.truncated;
	why = write_wav(dir, o->file, &w, &o->size);
	pcapwav_free(&w);
	return why;
}

static int remove_in(const char *dir, const char *sub, const char *prefix, const char *call_id,
		     const char *suffix)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, sub);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!of_call(e->d_name, prefix, call_id, suffix))
			continue;
		snprintf(path, sizeof path, "%s/%s/%s", dir, sub, e->d_name);
		if (unlink(path) == 0)
			n++;
		else
			log_warn("recordings: cannot remove %s: %s", path, strerror(errno));
	}
	closedir(d);
	return n;
}

int recf_remove(const char *dir, const char *call_id, const char *file)
{
	if (!recf_call_id(call_id))
		return 0;
	int n = remove_in(dir, "pcaps", "", call_id, ".pcap") +
		remove_in(dir, "metadata", "rtpengine-meta-", call_id, ".txt");
	/* Only a name of the shape recf_convert makes. */
	if (file && strlen(file) == 11 + 32 + 4 && !strncmp(file + 11, call_id, 32) &&
	    !strcmp(file + 43, ".wav") && !strstr(file, "..")) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, file);
		if (unlink(path) == 0)
			n++;
		else if (errno != ENOENT)
			log_warn("recordings: cannot remove %s: %s", path, strerror(errno));
	}
	return n;
}
