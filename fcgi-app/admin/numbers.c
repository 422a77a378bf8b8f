/* 号码管理: the numbers callers dial (cc_number), each sent to a skill
 * group's queue after its welcome prompt. A change makes the B2BUA re-read
 * its directory. */
#include "../resource/resource.h"

static const struct res_col cols[] = {
	{ .name = "number", .type = RES_TEXT, .label = "res.numbers.number",
	  .hint = "res.numbers.number_hint", .max = 32, .chars = "+0123456789",
	  .required = true, .unique = true, .show = RES_LIST | RES_SEARCH | RES_SORT },
	{ .name = "name", .type = RES_TEXT, .label = "res.numbers.name", .max = 64,
	  .show = RES_LIST | RES_SEARCH | RES_SORT },
	{ .name = "skill_group_id", .type = RES_REF, .label = "res.numbers.group",
	  .ref = { "cc_skill_group", "id", "name" }, .show = RES_LIST | RES_SEARCH | RES_SORT },
	{ .name = "welcome_audio_id", .type = RES_REF, .label = "res.numbers.welcome",
	  .ref = { "cc_audio", "id", "name" }, .show = RES_LIST | RES_SORT },
	{ .name = "enabled", .type = RES_BOOL, .label = "res.numbers.enabled", .def = "1",
	  .show = RES_LIST | RES_SORT },
};

const struct resource res_numbers = {
	.name = "numbers", .table = "cc_number", .key = "id",
	.title = "res.numbers.title", .item = "res.numbers.item", .access = ACC_ADMIN,
	RES_COLS(cols), .sort = "number", .reload = true,
};
