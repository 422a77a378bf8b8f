/* 技能组管理: skill groups (cc_skill_group) and their queue settings
 * (docs/queues.md says what each does; the B2BUA reads them at its
 * directory reload). A group
 * may be backed by a helpdesk department with the skill flag (organ_id, a
 * reference into the host's departments named by the manifest), or be the
 * plugin's own. On its page: its agents with their levels
 * (cc_skill_group_member) and the outbound numbers its agents may present
 * (cc_skill_group_number). A group cannot be deleted while a number sends
 * its calls to it or another group overflows to it. */
#include "../resource/resource.h"

#include <string.h>

#define CH(v, k) { v, "res.groups." k "." v, "res.groups." k "." v "_hint" }

/* The strategies the B2BUA's router has (docs/queues.md). */
static const struct res_choice strategies[] = {
	CH("longest_idle", "strategy"), CH("round_robin", "strategy"), CH("top_down", "strategy"),
	CH("fewest_calls", "strategy"), CH("least_talk_time", "strategy"), CH("random", "strategy"),
	CH("ring_all", "strategy"),
};
static const struct res_choice max_wait_actions[] = {
	CH("hangup", "max_wait_action"), CH("overflow", "max_wait_action"),
};
/* common/rec_policy.h's values (docs/recording.md). */
static const struct res_choice recordings[] = {
	CH("none", "recording"), CH("all", "recording"), CH("on_demand", "recording"),
};
static const struct res_choice no_agent_actions[] = {
	CH("wait", "no_agent_action"), CH("hangup", "no_agent_action"),
	CH("overflow", "no_agent_action"),
};

#define PROMPT { "cc_audio", "id", "name", .only = "kind", .in = { "prompt" } }
#define MUSIC { "cc_audio", "id", "name", .only = "kind", .in = { "music" } }

enum {
	C_NAME, C_ORGAN, C_DESCRIPTION, C_STRATEGY, C_RING, C_NO_ANSWER, C_MAX_WAIT,
	C_MAX_WAIT_ACTION, C_MAX_WAIT_AUDIO, C_NO_AGENT_ACTION, C_NO_AGENT_AUDIO, C_OVERFLOW,
	C_WRAPUP, C_MOH, C_ANN_INTERVAL, C_ANN_POSITION, C_ANN_WAIT, C_ANN_AUDIO, C_DEDICATED,
	C_RECORDING, C_ENABLED,
};

static const struct res_col cols[] = {
	[C_NAME] = { .name = "name", .type = RES_TEXT, .label = "res.groups.name", .max = 64,
	  .required = true, .unique = true, .show = RES_LIST | RES_SEARCH | RES_SORT },
	[C_ORGAN] = { .name = "organ_id", .type = RES_REF, .label = "res.groups.organ",
	  .hint = "res.groups.organ_hint", .unique = true,
	  .ref = { .host = RES_HOST_SKILL_DEPTS, .text_key = true },
	  .show = RES_LIST | RES_SEARCH | RES_SORT },
	[C_DESCRIPTION] = { .name = "description", .type = RES_TEXT,
	  .label = "res.groups.description", .max = 255, .blank = true, .show = RES_LIST | RES_SEARCH },
	[C_STRATEGY] = { .name = "strategy", .type = RES_CHOICE, .label = "res.groups.strategy",
	  RES_CHOICES(strategies), .def = "longest_idle", .required = true,
	  .show = RES_LIST | RES_SORT },
	[C_RING] = { .name = "ring_timeout_s", .type = RES_INT, .label = "res.groups.ring",
	  .hint = "res.groups.ring_hint", .min = 5, .max_int = 120, .def = "20", .required = true,
	  .show = RES_LIST | RES_SORT },
	[C_NO_ANSWER] = { .name = "no_answer_break", .type = RES_INT,
	  .label = "res.groups.no_answer_break", .hint = "res.groups.no_answer_break_hint",
	  .min = 0, .max_int = 20, .def = "3", .required = true },
	[C_MAX_WAIT] = { .name = "max_wait_s", .type = RES_INT, .label = "res.groups.max_wait",
	  .hint = "res.groups.max_wait_hint", .min = 10, .max_int = 3600, .def = "120",
	  .required = true, .show = RES_LIST | RES_SORT },
	[C_MAX_WAIT_ACTION] = { .name = "max_wait_action", .type = RES_CHOICE,
	  .label = "res.groups.max_wait_action", RES_CHOICES(max_wait_actions), .def = "hangup",
	  .required = true },
	[C_MAX_WAIT_AUDIO] = { .name = "max_wait_audio_id", .type = RES_REF,
	  .label = "res.groups.max_wait_audio", .ref = PROMPT },
	[C_NO_AGENT_ACTION] = { .name = "no_agent_action", .type = RES_CHOICE,
	  .label = "res.groups.no_agent_action", RES_CHOICES(no_agent_actions), .def = "wait",
	  .required = true },
	[C_NO_AGENT_AUDIO] = { .name = "no_agent_audio_id", .type = RES_REF,
	  .label = "res.groups.no_agent_audio", .ref = PROMPT },
	[C_OVERFLOW] = { .name = "overflow_group_id", .type = RES_REF,
	  .label = "res.groups.overflow", .hint = "res.groups.overflow_hint",
	  .ref = { "cc_skill_group", "id", "name" }, .not_self = true, .show = RES_LIST },
	[C_WRAPUP] = { .name = "wrapup_s", .type = RES_INT, .label = "res.groups.wrapup",
	  .hint = "res.groups.wrapup_hint", .min = 0, .max_int = 600, .def = "10", .required = true },
	[C_MOH] = { .name = "moh_audio_id", .type = RES_REF, .label = "res.groups.moh",
	  .ref = MUSIC },
	[C_ANN_INTERVAL] = { .name = "announce_interval_s", .type = RES_INT,
	  .label = "res.groups.announce_interval", .hint = "res.groups.announce_interval_hint",
	  .min = 0, .max_int = 600, .def = "0", .required = true },
	[C_ANN_POSITION] = { .name = "announce_position", .type = RES_BOOL,
	  .label = "res.groups.announce_position", .def = "1" },
	[C_ANN_WAIT] = { .name = "announce_wait", .type = RES_BOOL, .label = "res.groups.announce_wait",
	  .def = "1" },
	[C_ANN_AUDIO] = { .name = "announce_audio_id", .type = RES_REF,
	  .label = "res.groups.announce_audio", .ref = PROMPT },
	[C_DEDICATED] = { .name = "dedicated_wait_s", .type = RES_INT,
	  .label = "res.groups.dedicated_wait", .hint = "res.groups.dedicated_wait_hint", .min = 0,
	  .max_int = 300, .def = "10", .required = true },
	[C_RECORDING] = { .name = "recording", .type = RES_CHOICE, .label = "res.groups.recording",
	  .hint = "res.groups.recording_hint", RES_CHOICES(recordings), .def = "none",
	  .required = true, .show = RES_LIST },
	[C_ENABLED] = { .name = "enabled", .type = RES_BOOL, .label = "res.groups.enabled",
	  .def = "1", .show = RES_LIST | RES_SORT },
};

static const struct res_link links[] = {
	{ .name = "agents", .label = "res.groups.agents", .hint = "res.groups.agents_hint",
	  .table = "cc_skill_group_member", .self = "skill_group_id", .other = "user_id",
	  .ref = { .host = RES_HOST_AGENTS, .text_key = true }, .level = "level", .level_min = 1,
	  .level_max = 9, .level_def = 1, .level_label = "res.groups.level" },
	{ .name = "numbers", .label = "res.groups.numbers", .hint = "res.groups.numbers_hint",
	  .table = "cc_skill_group_number", .self = "skill_group_id", .other = "number_id",
	  .ref = { "cc_number", "id", "number", .only = "usage", .in = { "outbound", "both" } },
	  .res = "numbers" },
};

/* Rows that send calls to a group: it is not deleted while they do. */
static const struct res_user users[] = {
	{ "cc_number", "skill_group_id", "id", "number", "res.numbers.item", "numbers" },
	{ "cc_skill_group", "overflow_group_id", "id", "name", "res.groups.item", "groups" },
};

/* Overflowing needs a group to overflow to. */
static void check(const struct resource *res, const char *key, const char *const *vals,
		  const char **errs)
{
	(void)res;
	(void)key;
	bool overflow = (vals[C_MAX_WAIT_ACTION] && !strcmp(vals[C_MAX_WAIT_ACTION], "overflow")) ||
			(vals[C_NO_AGENT_ACTION] && !strcmp(vals[C_NO_AGENT_ACTION], "overflow"));
	if (overflow && (!vals[C_OVERFLOW] || !*vals[C_OVERFLOW]) && !errs[C_OVERFLOW])
		errs[C_OVERFLOW] = "v.overflow_required";
}

const struct resource res_groups = {
	.name = "groups", .table = "cc_skill_group", .key = "id",
	.title = "res.groups.title", .item = "res.groups.item", .access = ACC_ADMIN,
	RES_COLS(cols), .sort = "name", .reload = true, RES_LINKS(links), RES_USERS(users),
	.check = check,
};
