/* 号码管理: the numbers of the call center (cc_number). A number is kept
 * in E.164 (`number`, what the B2BUA matches the dialed number against;
 * normalized with the configured phone rules, a short service number such
 * as 95555 or 4001 kept as it is) and as the admin typed it (`display`).
 * Its usage: inbound (callers dial it: it needs an inbound target, a skill
 * group (the built-in flow: welcome prompt, queue) or a published IVR flow,
 * exactly one of the two, and may have a welcome prompt), outbound (a
 * caller ID the groups linked to it may present: no inbound target), or
 * both. A change makes the B2BUA re-read its directory. */
#include "../resource/resource.h"

#include <string.h>

static const struct res_choice usages[] = {
	{ "inbound", "res.numbers.usage.inbound", "res.numbers.usage.inbound_hint" },
	{ "outbound", "res.numbers.usage.outbound", "res.numbers.usage.outbound_hint" },
	{ "both", "res.numbers.usage.both", "res.numbers.usage.both_hint" },
};

enum { C_NUMBER, C_DISPLAY, C_NAME, C_USAGE, C_GROUP, C_FLOW, C_WELCOME, C_ENABLED };

static const struct res_col cols[] = {
	[C_NUMBER] = { .name = "number", .type = RES_PHONE, .label = "res.numbers.number",
	  .hint = "res.numbers.number_hint", .max = 32, .chars = "+0123456789 -().",
	  .display = "display", .required = true, .unique = true,
	  .show = RES_LIST | RES_SEARCH | RES_SORT },
	[C_DISPLAY] = { .name = "display", .type = RES_TEXT, .label = "res.numbers.display", .max = 40,
	  .derived = true, .blank = true, .show = RES_LIST | RES_SEARCH },
	[C_NAME] = { .name = "name", .type = RES_TEXT, .label = "res.numbers.name", .max = 64,
	  .blank = true, .show = RES_LIST | RES_SEARCH | RES_SORT },
	[C_USAGE] = { .name = "usage", .type = RES_CHOICE, .label = "res.numbers.usage",
	  RES_CHOICES(usages), .def = "inbound", .required = true, .show = RES_LIST | RES_SORT },
	[C_GROUP] = { .name = "skill_group_id", .type = RES_REF, .label = "res.numbers.group",
	  .hint = "res.numbers.group_hint", .ref = { "cc_skill_group", "id", "name" },
	  .show = RES_LIST | RES_SEARCH | RES_SORT },
	[C_FLOW] = { .name = "ivr_flow_id", .type = RES_REF, .label = "res.numbers.flow",
	  .hint = "res.numbers.flow_hint",
	  .ref = { "cc_ivr_flow", "id", "name", .set = "published_version",
		   .missing = "v.flow_unpublished" },
	  .show = RES_LIST | RES_SEARCH | RES_SORT },
	[C_WELCOME] = { .name = "welcome_audio_id", .type = RES_REF, .label = "res.numbers.welcome",
	  .ref = { "cc_audio", "id", "name", .only = "kind", .in = { "prompt" } },
	  .show = RES_LIST | RES_SORT },
	[C_ENABLED] = { .name = "enabled", .type = RES_BOOL, .label = "res.numbers.enabled", .def = "1",
	  .show = RES_LIST | RES_SORT },
};

/* The groups whose agents may present the number on outbound calls. */
static const struct res_link links[] = {
	{ .name = "groups", .label = "res.numbers.groups", .hint = "res.numbers.groups_hint",
	  .table = "cc_skill_group_number", .self = "number_id", .other = "skill_group_id",
	  .ref = { "cc_skill_group", "id", "name" }, .when = "usage",
	  .when_in = { "outbound", "both" }, .res = "groups" },
};

static bool set(const char *v)
{
	return v && *v;
}

/* An inbound number needs its target, a skill group or a flow (one of
 * the two); an outbound-only one has none. */
static void check(const struct resource *res, const char *key, const char *const *vals,
		  const char **errs)
{
	(void)res;
	(void)key;
	const char *usage = vals[C_USAGE];
	if (!usage || errs[C_USAGE])
		return;
	if (strcmp(usage, "outbound")) {
		if (!set(vals[C_GROUP]) && !set(vals[C_FLOW]) && !errs[C_GROUP])
			errs[C_GROUP] = "v.inbound_target";
		if (set(vals[C_GROUP]) && set(vals[C_FLOW]) && !errs[C_FLOW])
			errs[C_FLOW] = "v.target_one";
		return;
	}
	if (set(vals[C_GROUP]) && !errs[C_GROUP])
		errs[C_GROUP] = "v.outbound_target";
	if (set(vals[C_FLOW]) && !errs[C_FLOW])
		errs[C_FLOW] = "v.outbound_target";
	if (set(vals[C_WELCOME]) && !errs[C_WELCOME])
		errs[C_WELCOME] = "v.outbound_target";
}

const struct resource res_numbers = {
	.name = "numbers", .table = "cc_number", .key = "id",
	.title = "res.numbers.title", .item = "res.numbers.item", .access = ACC_ADMIN,
	RES_COLS(cols), .sort = "number", .reload = true, RES_LINKS(links), .check = check,
};
