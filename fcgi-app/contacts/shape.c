/* A contact as the browser gets it (see contact.h): the manifest's fields in
 * order, with labels in the request's language and the values. */
#include "contact.h"

#include "manifest.h"

#include <string.h>

const char *contact_type_name(const struct mf_field *f)
{
	switch (f->type) {
	case MF_TEXTAREA: return "textarea";
	case MF_PHONE: return "phone";
	case MF_EMAIL: return "email";
	case MF_CHOICE: return "choice";
	case MF_TEXT: break;
	}
	return "text";
}

const char *contact_pick(const char *lang, const char *zh, const char *en)
{
	const char *v = lang && !strcmp(lang, "en") ? en : zh;
	return v ? v : (zh ? zh : (en ? en : ""));
}

json_t *contact_shape(const struct manifest *m, const char *id, char *const *vals,
		      const char *lang)
{
	json_t *fields = json_array();
	for (size_t i = 0; i < m->contacts.nfields; i++) {
		const struct mf_field *f = &m->contacts.fields[i];
		json_t *choices = json_array();
		for (size_t k = 0; k < f->nchoices; k++)
			json_array_append_new(choices, json_pack("{s:s, s:s}",
				"value", f->choices[k].value ? f->choices[k].value : "",
				"label", contact_pick(lang, f->choices[k].label_zh, f->choices[k].label_en)));
		const char *v = vals ? vals[i] : NULL;
		json_array_append_new(fields, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:o, s:o}",
			"column", f->column, "type", contact_type_name(f),
			"label", contact_pick(lang, f->label_zh, f->label_en),
			"label_zh", f->label_zh ? f->label_zh : "",
			"label_en", f->label_en ? f->label_en : "",
			"max", (int)f->max, "required", f->required,
			"value", v ? json_string(v) : json_null(), "choices", choices));
	}
	return json_pack("{s:o, s:o}", "id", id ? json_string(id) : json_null(), "fields", fields);
}
