/* The contact form of the workbench's call panel as data for its template:
 * one <field> per mapped column of the manifest, in order (what the screen
 * pop then fills). */
#include "contact.h"

#include "manifest.h"
#include "../tmpl/tmpl.h"

void contact_form(xmlNode *parent, const struct manifest *m, const char *lang)
{
	xmlNode *form = xd_el(parent, "form");
	for (size_t i = 0; i < m->contacts.nfields; i++) {
		const struct mf_field *f = &m->contacts.fields[i];
		xmlNode *fn = xd_el(form, "field");
		xd_attr(fn, "column", f->column);
		xd_attr(fn, "type", contact_type_name(f));
		xd_attr_int(fn, "max", f->max);
		xd_attr(fn, "required", f->required ? "1" : "0");
		xd_attr(fn, "label", contact_pick(lang, f->label_zh, f->label_en));
		for (size_t k = 0; k < f->nchoices; k++) {
			xmlNode *c = xd_el(fn, "choice");
			xd_attr(c, "value", f->choices[k].value);
			xd_attr(c, "label", contact_pick(lang, f->choices[k].label_zh,
							 f->choices[k].label_en));
		}
	}
}
