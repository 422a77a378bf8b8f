/* cc-plugin speech: the speech of the text prompts of every published IVR
 * flow (common/ivr_speech.h), made in the audio folder where it is missing:
 * for flows published before the folder existed (a restored database, a
 * new folder, demo data written by SQL). The web app makes it when it
 * publishes; this is the same work for what is already published. */
#include "tools/plugin/plugin.h"

#include "db.h"
#include "ivr_speech.h"

#include <stdlib.h>
#include <string.h>

struct speech {
	const char *dir;
	unsigned made, flows;
	size_t warnings;
	int failed;
};

static int one_flow(void *arg, int ncol, char **vals, unsigned long *lens)
{
	struct speech *s = arg;
	(void)ncol;
	struct ivr_flow *f = NULL;
	struct ivr_problems p = { 0 };
	s->flows++;
	/* A published version passed the schema when it was published. */
	if (!vals[1] || ivr_parse(vals[1], lens[1], NULL, &f, &p)) {
		plugin_err("流程 %s 的已发布版本无法读取", "the published version of flow %s cannot be read",
			   vals[0]);
		ivr_problems_free(&p);
		s->failed = 1;
		return 0;
	}
	unsigned made = 0;
	ivr_speech_make(f, s->dir, &p, &made);
	for (size_t i = 0; i < p.n; i++)
		if (!strcmp(p.v[i].code, "ivr.tts_variable"))
			plugin_say("流程 %s 节点 %s 的语音文本含变量，无法预先合成",
				   "flow %s, node %s: a text with variables is not spoken ahead",
				   vals[0], p.v[i].node);
		else
			plugin_say("流程 %s 节点 %s 的语音未能合成",
				   "flow %s, node %s: its speech could not be made", vals[0],
				   p.v[i].node);
	s->made += made;
	s->warnings += p.n;
	ivr_problems_free(&p);
	ivr_free(f);
	return 0;
}

int plugin_speech(struct plugin_ctx *c, const char *audio_dir)
{
	struct speech s = { .dir = audio_dir };
	if (db_query(c->db, "SELECT f.id, v.document FROM cc_ivr_flow f JOIN cc_ivr_version v "
			    "ON v.flow_id = f.id AND v.version = f.published_version ORDER BY f.id",
		     one_flow, &s, "") < 0) {
		plugin_err("无法读取已发布的流程：%s", "cannot read the published flows: %s",
			   db_error(c->db));
		return -1;
	}
	plugin_say("已发布流程 %u 个：新合成语音 %u 个，提醒 %zu 条",
		   "%u published flows: %u speech files made, %zu warnings", s.flows, s.made,
		   s.warnings);
	return s.failed ? -1 : 0;
}
