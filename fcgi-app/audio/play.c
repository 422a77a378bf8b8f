/* GET /cc/admin/audio/{id}/play: the converted file, for the pages'
 * <audio> (audio/wav); GET /cc/admin/audio/{id}/original: the file as it
 * was uploaded, as a download named after the uploaded file (a system
 * prompt has no other: its own file). Admins only (the route says so and
 * dispatch.c checks the session and role); the file is the row's, by id:
 * nothing from the request names a path. */
#include "audio.h"

#include <string.h>

static const char *send_file(struct req *r, bool original)
{
	struct audio a;
	const char *id = audio_key(r);
	int rc = id ? audio_db_get(r, id, false, &a) : 0;
	if (rc < 0)
		return "db_unavailable";
	if (rc == 0)
		return "not_found";
	const char *name = original && a.original_file ? a.original_file : a.filename;
	unsigned char *data;
	size_t len;
	/* An original is at most AUDIO_MAX_BYTES; a converted file is smaller
	 * than its original, or a system prompt of any size. */
	rc = audio_store_read(r, name, 64u * 1024 * 1024, &data, &len);
	if (rc < 0)
		return "internal";
	if (rc == 0)
		return "not_found";
	r->resp.status = 200;
	r->resp.ctype = "audio/wav";
	r->resp.body.len = 0;
	if (buf_append(r->a, &r->resp.body, data, len))
		return "internal";
	if (original) {
		/* A plain ASCII name, and the uploaded one (RFC 6266, percent-encoded). */
		const char *shown = a.original_name && *a.original_name ? a.original_name : a.filename;
		resp_header(r, "Content-Disposition",
			    arena_printf(r->a, "attachment; filename=\"audio-%s.wav\"; "
					 "filename*=UTF-8''%s", a.id, url_encode(r->a, shown)));
	}
	return NULL;
}

const char *audio_play_get(struct req *r)
{
	return send_file(r, false);
}

const char *audio_original_get(struct req *r)
{
	return send_file(r, true);
}
