/* The current hours' rollup kept between runs of the rollup thread, so a
 * run folds only the calls that ended and the state rows logged since the
 * last one, not the hours' every row again:
 *
 *   calls        each ended call is folded once (fold.c adds it to its
 *                buckets for good); the ids of those that ended since the
 *                caller's look-back are kept, so the look-back's reading
 *                again folds none twice;
 *   state rows   an agent's row is closed by the next: its time to that
 *                row is final and folded; the last row of each agent stays
 *                open, and each fold adds it up to now (rep_window_fold);
 *   wrap-ups     a closed wrap-up takes its call's group, known once its
 *                call is folded: until then it waits, and each fold adds it
 *                with whatever group is known then, as a fold of everything
 *                would.
 *
 * What comes out is what rep_fold_call of every call and rep_fold_states
 * of every agent's rows give (tests/unit/test_web_report.c compares them).
 * A row older than one of its agent's folded already cannot be put right
 * here: rep_window_state says so and the caller rebuilds. Pure: no
 * database, no clock. */
#include "window.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- ids seen: a set of short strings, each with a time -------------------------- */

struct seen_ent {
	char key[33];
	long long t;
	bool used;
};

struct seen {
	struct seen_ent *e;
	size_t n, cap;
};

static uint64_t str_hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static struct seen_ent *seen_slot(const struct seen *s, const char *key)
{
	size_t m = s->cap - 1;
	for (size_t i = str_hash(key) & m;; i = (i + 1) & m)
		if (!s->e[i].used || !strcmp(s->e[i].key, key))
			return &s->e[i];
}

static long long *seen_find(const struct seen *s, const char *key)
{
	if (!s->cap)
		return NULL;
	struct seen_ent *e = seen_slot(s, key);
	return e->used ? &e->t : NULL;
}

/* Rebuilds the table with cap slots, keeping the entries of time >= keep. */
static int seen_rehash(struct seen *s, size_t cap, long long keep)
{
	struct seen n = { calloc(cap, sizeof *n.e), 0, cap };
	if (!n.e)
		return -1;
	for (size_t i = 0; i < s->cap; i++)
		if (s->e[i].used && s->e[i].t >= keep) {
			*seen_slot(&n, s->e[i].key) = s->e[i];
			n.n++;
		}
	free(s->e);
	*s = n;
	return 0;
}

/* Adds or updates key; -1 when out of memory or the key is too long. */
static int seen_put(struct seen *s, const char *key, long long t)
{
	if (strlen(key) >= sizeof s->e->key)
		return -1;
	if ((s->n + 1) * 2 > s->cap && seen_rehash(s, s->cap ? s->cap * 2 : 256, LLONG_MIN))
		return -1;
	struct seen_ent *e = seen_slot(s, key);
	if (!e->used) {
		snprintf(e->key, sizeof e->key, "%s", key);
		e->used = true;
		s->n++;
	}
	e->t = t;
	return 0;
}

/* --- the window ------------------------------------------------------------------- */

/* A state row with its strings ("" for NULL). */
struct row {
	char agent[33], state[17], reason[65], call[33];
	long long at, next;	/* next: the row that closed it (a waiting wrap-up) */
	unsigned long long id;
};

struct rep_window {
	long long from, to;	/* ms */
	long long keep;		/* ms: ids of calls and rows before it are forgotten */
	struct rep_fold *f;	/* calls and closed state time, for good */
	struct seen calls;	/* call id -> its end */
	struct seen states;	/* row id -> its time */
	struct seen agents;	/* agent -> position in open, as a time */
	struct row *open;	/* each agent's last row */
	size_t nopen, capopen;
	struct row *wait;	/* closed wrap-ups whose call is not folded yet */
	size_t nwait, capwait;
};

struct rep_window *rep_window_new(const struct ivr_tz *tz, long long from_ms, long long to_ms)
{
	struct rep_window *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->from = from_ms;
	w->to = to_ms;
	w->keep = LLONG_MIN;
	if (!(w->f = rep_fold_new(tz, from_ms, to_ms))) {
		free(w);
		return NULL;
	}
	return w;
}

void rep_window_free(struct rep_window *w)
{
	if (!w)
		return;
	rep_fold_free(w->f);
	free(w->calls.e);
	free(w->states.e);
	free(w->agents.e);
	free(w->open);
	free(w->wait);
	free(w);
}

void rep_window_forget(struct rep_window *w, long long before_ms)
{
	w->keep = before_ms;
	/* Shrinking never fails the window: on a failed allocation the old
	 * table stays, a little larger than needed. */
	seen_rehash(&w->calls, w->calls.cap ? w->calls.cap : 256, before_ms);
	seen_rehash(&w->states, w->states.cap ? w->states.cap : 256, before_ms);
}

bool rep_window_has_call(const struct rep_window *w, const char *id)
{
	return seen_find(&w->calls, id) != NULL;
}

int rep_window_mark_call(struct rep_window *w, const char *id, long long t_end)
{
	return t_end < w->keep ? 0 : seen_put(&w->calls, id, t_end);
}

int rep_window_call(struct rep_window *w, const struct rep_call *c)
{
	if (rep_fold_call(w->f, c))
		return -1;
	return rep_window_mark_call(w, c->id, c->t_end);
}

bool rep_window_has_state(const struct rep_window *w, unsigned long long id)
{
	char key[24];
	snprintf(key, sizeof key, "%llu", id);
	return seen_find(&w->states, key) != NULL;
}

static struct rep_state as_state(const struct row *r)
{
	return (struct rep_state){ .agent = r->agent, .at = r->at, .state = r->state,
				   .reason = r->reason, .call = r->call };
}

static void to_row(struct row *d, const struct rep_state *r, unsigned long long id)
{
	snprintf(d->agent, sizeof d->agent, "%s", r->agent ? r->agent : "");
	snprintf(d->state, sizeof d->state, "%s", r->state ? r->state : "");
	snprintf(d->reason, sizeof d->reason, "%s", r->reason ? r->reason : "");
	snprintf(d->call, sizeof d->call, "%s", r->call ? r->call : "");
	d->at = r->at;
	d->next = 0;
	d->id = id;
}

/* Closes the agent's open row o at next: its state time for good, and its
 * wrap time too unless its call is still to come. */
static int close_row(struct rep_window *w, const struct row *o, long long next)
{
	struct rep_state s = as_state(o);
	if (rep_fold_state_time(w->f, &s, 1, next))
		return -1;
	if (*o->call && !strcmp(o->state, "wrap_up") && !rep_fold_has_call(w->f, o->call)) {
		if (next <= o->at)
			return 0;
		if (!rep_room((void **)&w->wait, &w->capwait, w->nwait, sizeof *w->wait))
			return -1;
		w->wait[w->nwait] = *o;
		w->wait[w->nwait++].next = next;
		return 0;
	}
	return rep_fold_wrap(w->f, &s, next);
}

int rep_window_state(struct rep_window *w, const struct rep_state *r, unsigned long long id)
{
	if (!r->agent || strlen(r->agent) >= sizeof w->open->agent)
		return 0;	/* agent ids are at most 32 characters: never */
	char key[24];
	snprintf(key, sizeof key, "%llu", id);
	long long *pos = seen_find(&w->agents, r->agent);
	if (!pos) {
		if (!rep_room((void **)&w->open, &w->capopen, w->nopen, sizeof *w->open) ||
		    seen_put(&w->agents, r->agent, (long long)w->nopen))
			return -1;
		to_row(&w->open[w->nopen++], r, id);
	} else {
		struct row *o = &w->open[*pos];
		if (r->at < o->at || (r->at == o->at && id <= o->id))
			return 1;
		if (close_row(w, o, r->at))
			return -1;
		to_row(o, r, id);
	}
	return r->at < w->keep ? 0 : seen_put(&w->states, key, r->at);
}

struct rep_fold *rep_window_fold(struct rep_window *w, long long now_ms)
{
	/* Wrap-ups whose call came since: theirs for good. */
	size_t k = 0;
	for (size_t i = 0; i < w->nwait; i++) {
		struct rep_state s = as_state(&w->wait[i]);
		if (!rep_fold_has_call(w->f, s.call))
			w->wait[k++] = w->wait[i];
		else if (rep_fold_wrap(w->f, &s, w->wait[i].next))
			return NULL;
	}
	w->nwait = k;
	struct rep_fold *c = rep_fold_copy(w->f);
	if (!c)
		return NULL;
	long long until = now_ms < w->to ? now_ms : w->to;
	for (size_t i = 0; i < w->nwait; i++) {
		struct rep_state s = as_state(&w->wait[i]);
		if (rep_fold_wrap(c, &s, w->wait[i].next))
			goto oom;
	}
	for (size_t i = 0; i < w->nopen; i++) {
		struct rep_state s = as_state(&w->open[i]);
		if (rep_fold_states(c, &s, 1, until))
			goto oom;
	}
	return c;
oom:
	rep_fold_free(c);
	return NULL;
}
