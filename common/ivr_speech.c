/* A flow's text prompts spoken ahead (see ivr_speech.h). */
#include "ivr_speech.h"

#include "ivr_run.h"
#include "log.h"
#include "tts.h"

#include <libxml/tree.h>
#include <string.h>

/* Whether a prompt's text reads a variable: "${name}" with name as the
 * language allows it (anything else is text). */
static bool reads_var(const char *t)
{
	for (const char *s = strstr(t, "${"); s; s = strstr(s + 2, "${")) {
		const char *n = s + 2;
		size_t len = strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_");
		if (len && len <= 32 && n[len] == '}' && !(n[0] >= '0' && n[0] <= '9'))
			return true;
	}
	return false;
}

/* How many bytes of t fit in a problem's detail, cut on a character's
 * boundary (the detail goes into JSON, which must stay UTF-8). */
static int detail_len(const char *t)
{
	size_t n = strlen(t);
	if (n <= 120)
		return (int)n;
	n = 120;
	while (n && ((unsigned char)t[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

static void walk(const struct ivr_node *node, xmlNode *el, const char *dir,
		 struct ivr_problems *warn, size_t *nwarn, unsigned *made)
{
	for (xmlNode *c = el->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)c->name, "prompt")) {
			walk(node, c, dir, warn, nwarn, made);
			continue;
		}
		xmlChar *text = xmlGetProp(c, (const xmlChar *)"tts");
		xmlChar *voice = xmlGetProp(c, (const xmlChar *)"voice");
		int line = (int)xmlGetLineNo(c);
		char name[64];
		if (!text) {
			/* an audio file of the library */
		} else if (reads_var((const char *)text)) {
			ivr_problem(warn, "ivr.tts_variable", node->id, line, "%.*s",
				    detail_len((const char *)text), (const char *)text);
			(*nwarn)++;
		} else if (ivr_tts_file((const char *)voice, (const char *)text, name,
					sizeof name) == 0) {
			int rc = tts_file(dir, name, voice ? (const char *)voice : "cmn",
					  (const char *)text);
			if (rc > 0) {
				log_info("ivr: speech made for \"%s\" (%s)", (const char *)text, name);
				(*made)++;
			} else if (rc < 0) {
				ivr_problem(warn, "ivr.tts_failed", node->id, line, "%.*s",
					    detail_len((const char *)text), (const char *)text);
				(*nwarn)++;
			}
		}
		xmlFree(text);
		xmlFree(voice);
	}
}

size_t ivr_speech_make(const struct ivr_flow *f, const char *dir, struct ivr_problems *warn,
		       unsigned *madep)
{
	size_t nwarn = 0;
	unsigned made = 0;
	for (size_t i = 0; f && i < f->n; i++)
		if (f->nodes[i].xml)
			walk(&f->nodes[i], f->nodes[i].xml, dir, warn, &nwarn, &made);
	if (madep)
		*madep = made;
	return nwarn;
}
