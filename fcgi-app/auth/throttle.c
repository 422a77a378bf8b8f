/* Sign-in throttle: counts failures per key in a small table in memory.
 * After max failures within the window, the key is refused until the
 * lockout ends.
 *
 * The table is bounded (THROTTLE_SLOTS), and a lock is never forgotten to
 * make room: a new key takes a free slot, else the stalest slot that holds
 * no lock. When every slot holds a lock (thousands of keys locked within one
 * lockout: an attack, not a busy office), keys without a slot share one
 * overflow entry with the same limit; once it is locked, every key without
 * a slot is refused until its lockout ends. A locked account therefore
 * stays locked whatever else is tried, at the price, during such an attack,
 * of refusing new names for a while. */
#include "auth.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS THROTTLE_SLOTS
#define KEY_MAX 96

struct slot {
	char key[KEY_MAX];
	time_t first, last, blocked_until;
	unsigned count;
};

struct throttle {
	pthread_mutex_t mu;
	unsigned max, window, lockout;
	struct slot slots[SLOTS];
	struct slot overflow;	/* the keys that found no slot */
};

int throttle_alloc(struct throttle **tp, unsigned max_failures, unsigned window_s,
		   unsigned lockout_s)
{
	if (!tp || !max_failures)
		return EINVAL;
	struct throttle *t = calloc(1, sizeof *t);
	if (!t)
		return ENOMEM;
	pthread_mutex_init(&t->mu, NULL);
	t->max = max_failures;
	t->window = window_s;
	t->lockout = lockout_s;
	*tp = t;
	return 0;
}

void throttle_free(struct throttle *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->mu);
	free(t);
}

/* The key's slot. With create, a new key takes a free slot, else the
 * stalest unlocked one, else the overflow entry (every slot is locked).
 * Without create, NULL for a key that has no slot. */
static struct slot *find(struct throttle *t, const char *key, bool create, time_t now)
{
	struct slot *victim = NULL;
	for (int i = 0; i < SLOTS; i++) {
		struct slot *s = &t->slots[i];
		if (s->key[0] && !strncmp(s->key, key, KEY_MAX - 1))
			return s;
		if (!s->key[0]) {
			if (!victim || victim->key[0])
				victim = s;
		} else if (s->blocked_until <= now &&
			   (!victim || (victim->key[0] && s->last < victim->last))) {
			victim = s;
		}
	}
	if (!create)
		return NULL;
	if (!victim)
		return &t->overflow;
	memset(victim, 0, sizeof *victim);
	strncpy(victim->key, key, KEY_MAX - 1);
	victim->first = victim->last = now;
	return victim;
}

bool throttle_blocked(struct throttle *t, const char *key, time_t now)
{
	pthread_mutex_lock(&t->mu);
	struct slot *s = find(t, key, false, now);
	if (!s)
		s = &t->overflow;
	bool blocked = s->blocked_until > now;
	pthread_mutex_unlock(&t->mu);
	return blocked;
}

void throttle_fail(struct throttle *t, const char *key, time_t now)
{
	pthread_mutex_lock(&t->mu);
	struct slot *s = find(t, key, true, now);
	if (now - s->first > (time_t)t->window || (s->blocked_until && s->blocked_until <= now)) {
		s->first = now;
		s->count = 0;
		s->blocked_until = 0;
	}
	s->last = now;
	if (++s->count >= t->max)
		s->blocked_until = now + t->lockout;
	pthread_mutex_unlock(&t->mu);
}

void throttle_clear(struct throttle *t, const char *key)
{
	pthread_mutex_lock(&t->mu);
	struct slot *s = find(t, key, false, 0);
	if (s)
		memset(s, 0, sizeof *s);
	pthread_mutex_unlock(&t->mu);
}
