/* WAV files written as samples come (see wav_file.h). */
#include "wav_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "wav.h"

/* The data chunk's size is 32 bits and the RIFF size adds 36 to it. */
#define MAX_DATA (0xFFFFFFFFu - 36)

struct wav_file {
	int fd;
	unsigned rate;
	uint64_t samples;
	size_t used;		/* bytes in buf */
	int err;		/* the first error; then nothing more is written */
	unsigned char buf[WAV_FILE_CHUNK];
};

static int write_all(int fd, const unsigned char *p, size_t n, off_t at)
{
	while (n) {
		ssize_t w = at >= 0 ? pwrite(fd, p, n, at) : write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (w == 0)
			return EIO;
		p += w;
		n -= (size_t)w;
		if (at >= 0)
			at += w;
	}
	return 0;
}

static int flush(struct wav_file *w)
{
	if (!w->err && w->used)
		w->err = write_all(w->fd, w->buf, w->used, -1);
	w->used = 0;
	return w->err;
}

int wav_file_open(struct wav_file **wp, const char *path, unsigned rate)
{
	if (!wp || !path || !rate)
		return EINVAL;
	struct wav_file *w = calloc(1, sizeof *w);
	if (!w)
		return ENOMEM;
	w->rate = rate;
	w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (w->fd < 0) {
		int err = errno;
		free(w);
		return err;
	}
	unsigned char h[WAV_HEADER_BYTES];
	wav_header(h, rate, 1, 16, 0);
	int err = write_all(w->fd, h, sizeof h, -1);
	if (err) {
		close(w->fd);
		free(w);
		return err;
	}
	*wp = w;
	return 0;
}

int wav_file_write(struct wav_file *w, const int16_t *s, size_t n)
{
	if (w->err)
		return w->err;
	if (n > (MAX_DATA / 2) - w->samples)
		return w->err = EFBIG;
	for (size_t i = 0; i < n; i++) {
		if (w->used == sizeof w->buf && flush(w))
			return w->err;
		uint16_t v = (uint16_t)s[i];
		w->buf[w->used++] = (unsigned char)v;
		w->buf[w->used++] = (unsigned char)(v >> 8);
	}
	w->samples += n;
	return 0;
}

uint64_t wav_file_samples(const struct wav_file *w)
{
	return w ? w->samples : 0;
}

int wav_file_close(struct wav_file *w)
{
	if (!w)
		return 0;
	int err = flush(w);
	if (!err) {
		unsigned char h[WAV_HEADER_BYTES];
		wav_header(h, w->rate, 1, 16, (uint32_t)(w->samples * 2));
		err = write_all(w->fd, h, sizeof h, 0);
	}
	if (close(w->fd) && !err)
		err = errno;
	free(w);
	return err;
}
