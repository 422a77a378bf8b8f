/* The audio pages' data documents (templates/audio.xsl). Links are made
 * here from ids; text goes in as data, the template escapes it. */
#include "audio.h"

#include "../resource/resource.h"
#include "../tmpl/page.h"

#include <string.h>

xmlNode *audio_page_begin(struct req *r, const char *view, xmlDoc **docp)
{
	xmlNode *root = page_begin(r, "admin", docp);
	if (!root)
		return NULL;
	res_doc_side(root, "audio");
	static const char *const strings[] = {
		"audio.confirm_delete", "audio.err.too_large", "audio.err.no_file",
		"audio.uploading",
	};
	page_strings(root, strings, sizeof strings / sizeof *strings);
	xmlNode *e = xd_el(root, "audio");
	xd_attr(e, "view", view);
	xd_attr(e, "base", "/cc/admin/audio");
	xd_attr_int(e, "max-bytes", AUDIO_MAX_BYTES);
	return e;
}

xmlNode *audio_doc_file(struct req *r, xmlNode *parent, const struct audio *a,
			const struct audio_user *u, size_t n)
{
	xmlNode *f = xd_el(parent, "file");
#define FILE_ATTR(c) xd_attr(f, #c, a->c);
	AUDIO_COLS(FILE_ATTR)
#undef FILE_ATTR
	const char *base = arena_printf(r->a, "/cc/admin/audio/%s", a->id);
	xd_attr(f, "href", base);
	xd_attr(f, "play", arena_printf(r->a, "%s/play", base));
	if (a->original_file)
		xd_attr(f, "download", arena_printf(r->a, "%s/original", base));
	xd_attr(f, "delete", arena_printf(r->a, "%s/delete", base));
	long long nusers = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(u[i].audio_id, a->id))
			continue;
		const struct audio_use *use = &audio_uses[u[i].use];
		xmlNode *e = xd_text(f, "user", u[i].label);
		xd_attr(e, "what", use->what);
		xd_attr(e, "table", use->table);
		xd_attr(e, "key", u[i].key);
		if (use->href)
			xd_attr(e, "href", arena_printf(r->a, "%s%s", use->href, u[i].key));
		nusers++;
	}
	xd_attr_int(f, "users", nusers);
	return f;
}

static void field(xmlNode *form, const char *name, const char *value, const char *err)
{
	xmlNode *e = xd_el(form, "field");
	xd_attr(e, "name", name);
	xd_attr(e, "value", value);
	xd_attr(e, "error", err);
}

void audio_doc_form(xmlNode *parent, const char *tag, const struct audio_form *f)
{
	xmlNode *e = xd_el(parent, tag);
	xd_attr(e, "banner", f->banner);
	field(e, "file", NULL, f->err_file);
	field(e, "name", f->name, f->err_name);
	field(e, "description", f->description, f->err_description);
	field(e, "kind", f->kind ? f->kind : "prompt", f->err_kind);
	field(e, "tts_text", f->tts_text, f->err_tts_text);
	field(e, "tts_voice", f->tts_voice ? f->tts_voice : "cmn", f->err_tts_voice);
}
