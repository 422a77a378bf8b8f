/* GET /cc/voicemail/{id}/play: the message's WAV for the page's <audio>
 * (audio/wav); GET /cc/voicemail/{id}/download: the same as a download.
 * The row is read as the user may see it (db.c): a message of another
 * group is "not found". The file is the row's, and only a name of the
 * shape the B2BUA makes (<32 hex>-<n>.wav) is opened, in voicemail_dir. */
#include "voicemail.h"

#include "log.h"

#include <string.h>

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
	return file_read(r->a, r->web->conf.voicemail_dir, name, VM_MAX_BYTES, datap, lenp);
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
