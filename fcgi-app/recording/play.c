/* GET /cc/api/records/{id}/recording.wav: a call's recording for the
 * record page's <audio> and its download link (?download=1).
 *
 * Access is the call record's (records/db.c): admins every call, an agent
 * the calls they took; another agent's call is "not found", like a call
 * with no recording. A recording still being made is recording_pending
 * (409), one that failed recording_failed (409), one past its retention
 * recording_expired (410). The file is the row's, of the shape the worker
 * makes, in recording_dir; it is streamed by the server (resp.file_fd), one
 * byte range when the browser asks for one (seeking). */
#include "recording.h"

#include "../records/records.h"
#include "../web.h"
#include "db.h"
#include "log.h"

#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct row {
	char state[16];
	char file[64];
	bool found;
};

static int row_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	struct row *w = arg;
	if (ncol < 2 || !v[0])
		return 1;
	snprintf(w->state, sizeof w->state, "%s", v[0]);
	snprintf(w->file, sizeof w->file, "%s", v[1] ? v[1] : "");
	w->found = true;
	return 1;
}

int recf_range(const char *h, long long size, long long *from, long long *to)
{
	if (!h || strncmp(h, "bytes=", 6) || strchr(h, ','))
		return 0;
	const char *p = h + 6;
	char *end;
	if (*p == '-') {
		long long n = strtoll(p + 1, &end, 10);
		if (end == p + 1 || *end || n <= 0)
			return 0;
		*from = n >= size ? 0 : size - n;
		*to = size - 1;
		return size > 0 ? 1 : -1;
	}
	long long a = strtoll(p, &end, 10);
	if (end == p || *end != '-' || a < 0)
		return 0;
	p = end + 1;
	long long b = size - 1;
	if (*p) {
		b = strtoll(p, &end, 10);
		if (*end || b < a)
			return 0;
	}
	if (a >= size)
		return -1;
	*from = a;
	*to = b >= size ? size - 1 : b;
	return 1;
}

const char *recording_wav_get(struct req *r)
{
	struct rec_call c;
	const char *why = rec_route_call(r, &c);
	if (why)
		return why;
	struct row w = { .found = false };
	if (db_query(r->thr->db, "SELECT state, file FROM cc_recording WHERE call_id = ?", row_h,
		     &w, "s", c.row.id) < 0) {
		log_err("recordings: %s", db_error(r->thr->db));
		return "db_unavailable";
	}
	if (!w.found)
		return "not_found";
	if (!strcmp(w.state, "pending"))
		return "recording_pending";
	if (!strcmp(w.state, "failed"))
		return "recording_failed";
	if (!strcmp(w.state, "expired"))
		return "recording_expired";
	/* The worker's shape only: YYYY/MM/DD/<call>.wav. */
	if (strlen(w.file) != 11 + 32 + 4 || strncmp(w.file + 11, c.row.id, 32) ||
	    strcmp(w.file + 43, ".wav") || strstr(w.file, "..")) {
		log_warn("recordings: call %s: file name '%s' refused", c.row.id, w.file);
		return "not_found";
	}
	char *path = arena_printf(r->a, "%s/%s", r->web->conf.recording_dir, w.file);
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		log_err("recordings: call %s: cannot open %s: %s", c.row.id, path ? path : w.file,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return "not_found";
	}
	long long size = st.st_size, from = 0, to = size - 1;
	const char *range = r->fcgi ? FCGX_GetParam("HTTP_RANGE", ((FCGX_Request *)r->fcgi)->envp)
				    : NULL;
	int pr = recf_range(range, size, &from, &to);
	resp_header(r, "Accept-Ranges", "bytes");
	if (pr < 0) {
		close(fd);
		resp_header(r, "Content-Range", arena_printf(r->a, "bytes */%lld", size));
		resp_text(r, 416, "text/plain; charset=utf-8", "range_not_satisfiable");
		return NULL;
	}
	r->resp.status = pr ? 206 : 200;
	r->resp.ctype = "audio/wav";
	r->resp.body.len = 0;
	if (pr)
		resp_header(r, "Content-Range",
			    arena_printf(r->a, "bytes %lld-%lld/%lld", from, to, size));
	resp_header(r, "Content-Length", arena_printf(r->a, "%lld", to - from + 1));
	const char *dl = req_query(r, "download");
	if (dl && !strcmp(dl, "1"))
		resp_header(r, "Content-Disposition",
			    arena_printf(r->a, "attachment; filename=\"call-%s.wav\"", c.row.id));
	r->resp.file_fd = fd;
	r->resp.file_off = from;
	r->resp.file_len = to - from + 1;
	return NULL;
}
