/* Files the app serves from its own folders: see web.h (file_read). */
#include "web.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int file_read(struct arena *a, const char *dir, const char *name, size_t max,
	      unsigned char **datap, size_t *lenp)
{
	char *path = arena_printf(a, "%s/%s", dir, name);
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		log_err("cannot open %s: %s", path ? path : name, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		log_err("%s is not a regular file of at most %zu bytes", path, max);
		close(fd);
		return -1;
	}
	size_t len = (size_t)st.st_size, got = 0;
	unsigned char *b = arena_alloc(a, len + 1);
	while (b && got < len) {
		ssize_t n = read(fd, b + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!b || got != len) {
		log_err("cannot read %s", path);
		return -1;
	}
	*datap = b;
	*lenp = len;
	return 1;
}
