/* Agents on pages (see agent.h). */
#include "agent.h"

#include <string.h>
#include <time.h>

bool break_reason_ok(const char *code)
{
#define REASON_MATCH(c) if (code && !strcmp(code, #c)) return true;
	BREAK_REASONS(REASON_MATCH)
#undef REASON_MATCH
	return false;
}

xmlNode *agent_node(xmlNode *parent, json_t *a)
{
	xmlNode *n = xd_el(parent, "agent");
	xd_attr(n, "id", json_string_value(json_object_get(a, "id")));
	xd_attr(n, "name", json_string_value(json_object_get(a, "name")));
	xd_attr(n, "sip", json_string_value(json_object_get(a, "sip")));
	xd_attr(n, "state", json_string_value(json_object_get(a, "state")));
	xd_attr(n, "reason", json_string_value(json_object_get(a, "reason")));
	xd_attr(n, "call", json_string_value(json_object_get(a, "call")));
	xd_attr(n, "pending", json_string_value(json_object_get(a, "pending")));
	json_t *since = json_object_get(a, "since");
	if (json_is_integer(since))
		xd_attr_int(n, "since", (long long)json_integer_value(since));
	json_t *reg = json_object_get(a, "registered");
	if (json_is_boolean(reg))
		xd_attr(n, "registered", json_is_true(reg) ? "1" : "0");
	return n;
}

const char *clock_of_ms(struct req *r, long long ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	return arena_printf(r->a, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
}
