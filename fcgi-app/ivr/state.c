/* A flow's state from its row, who holds its lock, and the names a
 * download gets. Pure: no database, no clock (the database says whether a
 * lock is still live). */
#include "ivr.h"

#include <string.h>

static const char *const state_names[] = {
#define STATE_NAME(n, key) #n,
	IVR_STATES(STATE_NAME)
#undef STATE_NAME
};

static const char *const state_keys[] = {
#define STATE_KEY(n, key) key,
	IVR_STATES(STATE_KEY)
#undef STATE_KEY
};

static bool set(const char *s)
{
	return s && *s;
}

enum ivr_state ivr_state_of(const char *published_version, const char *draft_rev,
			    const char *published_rev, const char *publish_failed)
{
	if (set(publish_failed) && strcmp(publish_failed, "0"))
		return IVR_ST_failed;
	if (!set(published_version))
		return IVR_ST_unpublished;
	if (set(draft_rev) && set(published_rev) && !strcmp(draft_rev, published_rev))
		return IVR_ST_published;
	return IVR_ST_modified;
}

const char *ivr_state_name(enum ivr_state s)
{
	return (unsigned)s < IVR_ST_COUNT ? state_names[s] : "unpublished";
}

const char *ivr_state_key(enum ivr_state s)
{
	return (unsigned)s < IVR_ST_COUNT ? state_keys[s] : state_keys[0];
}

int ivr_lock_holder(const char *lock_user, const char *lock_live, const char *me)
{
	if (!set(lock_user) || !lock_live || strcmp(lock_live, "1"))
		return 0;
	return me && !strcmp(lock_user, me) ? 1 : 2;
}

bool ivr_key_ok(const char *s)
{
	if (!s || !*s || *s == '0' || strlen(s) > 10)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

char *ivr_export_name(struct arena *a, const char *id, const char *version)
{
	if (!ivr_key_ok(id) || (version && !ivr_key_ok(version)))
		return NULL;
	return version ? arena_printf(a, "ivr-%s-v%s.xml", id, version)
		       : arena_printf(a, "ivr-%s-draft.xml", id);
}
