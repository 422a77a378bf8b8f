/* The sign-in form's nonces (the cc_pre cookie), each good for one POST.
 *
 * A nonce is 8 hex digits of the time it was issued and 24 random ones.
 * One older than NONCE_TTL_S, or dated in the future, is refused; a used
 * one is remembered until it is that old. The memory is bounded
 * (NONCE_SLOTS): when it is full, the oldest nonce is forgotten and every
 * nonce issued up to its time is refused from then on (the floor), so
 * forgetting never lets one be used twice; a form opened before the floor
 * is simply shown again with a fresh nonce. */
#include "auth.h"

#include "rnd.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NONCE_SLOTS 8192
#define NONCE_SKEW_S 60		/* a nonce dated this far ahead is still ours */

struct used {
	char nonce[33];
	time_t issued;
};

struct nonces {
	pthread_mutex_t mu;
	time_t floor;		/* nonces issued at or before it are refused */
	size_t n;
	struct used used[NONCE_SLOTS];
};

int nonces_alloc(struct nonces **np)
{
	if (!np)
		return EINVAL;
	struct nonces *s = calloc(1, sizeof *s);
	if (!s)
		return ENOMEM;
	pthread_mutex_init(&s->mu, NULL);
	*np = s;
	return 0;
}

void nonces_free(struct nonces *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->mu);
	free(s);
}

int nonce_new(char out[33], time_t now)
{
	char rnd[25];
	int err = rnd_hex(rnd, 12);
	if (err)
		return err;
	snprintf(out, 33, "%08lx%s", (unsigned long)((unsigned long long)now & 0xffffffffUL), rnd);
	return 0;
}

/* The time a well-formed nonce was issued, or -1. */
static time_t issued_at(const char *nonce)
{
	if (!nonce || strlen(nonce) != 32)
		return -1;
	for (const char *p = nonce; *p; p++)
		if (!isxdigit((unsigned char)*p))
			return -1;
	char head[9];
	memcpy(head, nonce, 8);
	head[8] = '\0';
	return (time_t)strtoul(head, NULL, 16);
}

/* Under the lock: forgets the nonces too old to be accepted anyway. */
static void expire_locked(struct nonces *s, time_t now)
{
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->used[i].issued > now - NONCE_TTL_S)
			s->used[k++] = s->used[i];
	s->n = k;
}

/* Under the lock. */
static bool fresh_locked(struct nonces *s, const char *nonce, time_t when, time_t now)
{
	if (when < 0 || when <= s->floor || when <= now - NONCE_TTL_S || when > now + NONCE_SKEW_S)
		return false;
	for (size_t i = 0; i < s->n; i++)
		if (!strcasecmp(s->used[i].nonce, nonce))
			return false;
	return true;
}

bool nonce_fresh(struct nonces *s, const char *nonce, time_t now)
{
	if (!s)
		return false;
	time_t when = issued_at(nonce);
	pthread_mutex_lock(&s->mu);
	bool ok = fresh_locked(s, nonce, when, now);
	pthread_mutex_unlock(&s->mu);
	return ok;
}

bool nonce_use(struct nonces *s, const char *nonce, time_t now)
{
	if (!s)
		return false;
	time_t when = issued_at(nonce);
	pthread_mutex_lock(&s->mu);
	bool ok = fresh_locked(s, nonce, when, now);
	if (ok) {
		if (s->n == NONCE_SLOTS)
			expire_locked(s, now);
		if (s->n == NONCE_SLOTS) {
			/* Full of live nonces: forget the oldest and refuse
			 * everything issued up to it. */
			size_t old = 0;
			for (size_t i = 1; i < s->n; i++)
				if (s->used[i].issued < s->used[old].issued)
					old = i;
			if (s->used[old].issued > s->floor)
				s->floor = s->used[old].issued;
			s->used[old] = s->used[--s->n];
		}
		struct used *u = &s->used[s->n++];
		memcpy(u->nonce, nonce, 33);
		u->issued = when;
		/* This one may now be at or below the floor: it is used either
		 * way. */
	}
	pthread_mutex_unlock(&s->mu);
	return ok;
}
