/* Whether calls are recorded (docs/recording.md): a skill group's and an
 * outbound task's policy, as cc_skill_group.recording and cc_task.recording
 * hold it. The B2BUA acts on it when an agent is bridged; the web app's
 * forms offer its values. */
#ifndef CC_REC_POLICY_H
#define CC_REC_POLICY_H

#include <string.h>

/* X(id, name, doc) */
#define REC_POLICIES(X)                                                                  \
	X(NONE, "none", "no call is recorded")                                           \
	X(ALL, "all", "every call, from the moment an agent is bridged; the agent may pause") \
	X(ON_DEMAND, "on_demand", "the agent starts, pauses, resumes and stops it")

#define REC_POLICY_ENUM(id, name, doc) REC_##id,
enum rec_policy { REC_POLICIES(REC_POLICY_ENUM) REC_POLICY_COUNT };
#undef REC_POLICY_ENUM

/* The policy named s; REC_NONE for NULL or an unknown name. */
static inline enum rec_policy rec_policy_parse(const char *s)
{
#define REC_POLICY_MATCH(id, name, doc) if (s && !strcmp(s, name)) return REC_##id;
	REC_POLICIES(REC_POLICY_MATCH)
#undef REC_POLICY_MATCH
	return REC_NONE;
}

static inline const char *rec_policy_name(enum rec_policy p)
{
	static const char *const names[] = {
#define REC_POLICY_NAME(id, name, doc) name,
		REC_POLICIES(REC_POLICY_NAME)
#undef REC_POLICY_NAME
	};
	return (unsigned)p < REC_POLICY_COUNT ? names[p] : "none";
}

#endif
