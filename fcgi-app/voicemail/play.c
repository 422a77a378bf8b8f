/* GET /cc/voicemail/{id}/play: the message's WAV for the page's <audio>
 * (audio/wav); GET /cc/voicemail/{id}/download: the same as a download.
 * The row is read as the user may see it (db.c): a message of another
 * group is "not found". The file is the row's, and only a name of the
 * shape the B2BUA makes (<32 hex>-<n>.wav) is opened, in voicemail_dir. */
#include "voicemail.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* <32 hex digits>-<1..9 digits>.wav */
static bool our_name(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 32 + 2 + 4 || n > 32 + 10 + 4 || strcmp(s + n - 4, ".wav"))
		return false;
	for (size_t i = 0; i < 32; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	if (s[32] != '-')
		return false;
	for (size_t i = 33; i < n - 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* The file's bytes in the arena: 1, 0 when it is not there, -1. */
static int read_file(struct req *r, const char *name, unsigned char **datap, size_t *lenp)
{
	if (!our_name(name)) {
		log_warn("voicemail: file name '%s' refused", name ? name : "");
		return 0;
	}
	char *path = arena_printf(r->a, "%s/%s", r->web->conf.voicemail_dir, name);
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		log_err("voicemail: cannot open %s: %s", path ? path : name, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > VM_MAX_BYTES) {
		log_err("voicemail: %s is not a regular file of at most %u bytes", path,
			VM_MAX_BYTES);
		close(fd);
		return -1;
	}
	size_t len = (size_t)st.st_size, got = 0;
	unsigned char *b = arena_alloc(r->a, len + 1);
	while (b && got < len) {
		ssize_t k = read(fd, b + got, len - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	if (!b || got != len) {
		log_err("voicemail: cannot read %s", path);
		return -1;
	}
	*datap = b;
	*lenp = len;
	return 1;
}

static const char *send_file(struct req *r, bool download)
{
	const char *why = vm_allowed(r);
	if (why)
		return why;
	struct vm v;
	int rc = vm_db_get(r, r->route_id, &v);
	if (rc < 0)
		return "db_unavailable";
	if (rc == 0)
		return "not_found";
	unsigned char *data;
	size_t len;
	rc = read_file(r, v.file, &data, &len);
	if (rc < 0)
		return "internal";
	if (rc == 0)
		return "not_found";
	r->resp.status = 200;
	r->resp.ctype = "audio/wav";
	r->resp.body.len = 0;
	if (buf_append(r->a, &r->resp.body, data, len))
		return "internal";
	if (download)
		resp_header(r, "Content-Disposition",
			    arena_printf(r->a, "attachment; filename=\"voicemail-%s.wav\"", v.id));
	return NULL;
}

const char *voicemail_play_get(struct req *r)
{
	return send_file(r, false);
}

const char *voicemail_download_get(struct req *r)
{
	return send_file(r, true);
}
