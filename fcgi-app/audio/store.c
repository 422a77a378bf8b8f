/* The audio folder (config audio_dir, the B2BUA's too). Names are made
 * here from random bytes; a name read back from the database is used only
 * when it stays inside the folder (no '/', no leading '.', the B2BUA's own
 * rule). Writes go to a hidden temporary file renamed into place, so
 * rtpengine never opens half a file. */
#include "audio.h"

#include "log.h"
#include "rnd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool our_name(const char *name)
{
	return name && *name && name[0] != '.' && !strchr(name, '/') && strlen(name) < 64;
}

char *audio_store_name(struct arena *a)
{
	char hex[17];
	if (rnd_hex(hex, 8))
		return NULL;
	return arena_printf(a, "u%s", hex);
}

static const char *dir_of(struct req *r)
{
	return r->web->conf.audio_dir;
}

int audio_store_write(struct req *r, const char *name, const void *data, size_t len)
{
	if (!our_name(name))
		return -1;
	char tmpname[17];
	if (rnd_hex(tmpname, 8))
		return -1;
	char *tmp = arena_printf(r->a, "%s/.tmp-%s", dir_of(r), tmpname);
	char *path = arena_printf(r->a, "%s/%s", dir_of(r), name);
	if (!tmp || !path)
		return -1;
	/* 0644: rtpengine (another user, maybe) reads the files. */
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_err("audio: cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			log_err("audio: cannot write %s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			return -1;
		}
		p += n;
		left -= (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		log_err("audio: cannot write %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		log_err("audio: cannot rename %s to %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int audio_store_read(struct req *r, const char *name, size_t max, unsigned char **datap,
		     size_t *lenp)
{
	if (!our_name(name)) {
		log_warn("audio: file name '%s' refused", name ? name : "");
		return 0;
	}
	return file_read(r->a, dir_of(r), name, max, datap, lenp);
}

void audio_store_remove(struct req *r, const char *name)
{
	if (!our_name(name))
		return;
	char *path = arena_printf(r->a, "%s/%s", dir_of(r), name);
	if (path && unlink(path) < 0 && errno != ENOENT)
		log_warn("audio: cannot remove %s: %s", path, strerror(errno));
}
