/* What each call and each agent's state log add to the hourly buckets: the
 * definitions of docs/reports.md, "Metrics", in code. Pure: no database, no
 * clock but the zone handed in, so tests/unit/test_web_report.c checks every
 * figure on hand-made logs. */
#include "report.h"

#include "../clock.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COL_AGG(name, agg) [RC_##name] = #agg[0] == 'M',
static const bool col_max[REP_NCOLS] = { REP_COLS(COL_AGG) };
#undef COL_AGG
#define COL_NAME(name, agg) [RC_##name] = #name,
static const char *const col_names[REP_NCOLS] = { REP_COLS(COL_NAME) };
#undef COL_NAME
#define DIM_NAME(id, name) [REP_##id] = name,
static const char *const dim_names[REP_NDIMS] = { REP_DIMS(DIM_NAME) };
#undef DIM_NAME

const char *rep_col_name(enum rep_col c)
{
	return c < REP_NCOLS ? col_names[c] : NULL;
}

bool rep_col_is_max(enum rep_col c)
{
	return c < REP_NCOLS && col_max[c];
}

const char *rep_dim_name(enum rep_dim d)
{
	return d < REP_NDIMS ? dim_names[d] : NULL;
}

int rep_dim_parse(const char *name)
{
	for (int d = 0; name && d < REP_NDIMS; d++)
		if (!strcmp(name, dim_names[d]))
			return d;
	return -1;
}

/* --- an index of positions by hash: open addressing, grown at half full ---------- */

struct idx {
	size_t cap;
	size_t *slot;	/* position + 1; 0: empty */
	uint64_t *hash;
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

#define FNV0 14695981039346656037ull

/* The slot of hash h whose position eq() accepts, or the empty slot where
 * it would go. */
static size_t *idx_find(struct idx *x, uint64_t h, bool (*eq)(const void *ctx, size_t pos),
			const void *ctx)
{
	size_t m = x->cap - 1;
	for (size_t i = h & m;; i = (i + 1) & m)
		if (!x->slot[i] || (x->hash[i] == h && eq(ctx, x->slot[i] - 1)))
			return &x->slot[i];
}

/* Makes room for one more of n entries; rehashes with hash_of(pos). */
static int idx_reserve(struct idx *x, size_t n, uint64_t (*hash_of)(const void *ctx, size_t pos),
		       const void *ctx)
{
	if ((n + 1) * 2 <= x->cap)
		return 0;
	size_t cap = x->cap ? x->cap * 2 : 256;
	size_t *slot = calloc(cap, sizeof *slot);
	uint64_t *hash = calloc(cap, sizeof *hash);
	if (!slot || !hash) {
		free(slot);
		free(hash);
		return -1;
	}
	for (size_t pos = 0; pos < n; pos++) {
		uint64_t h = hash_of(ctx, pos);
		size_t i = h & (cap - 1);
		while (slot[i])
			i = (i + 1) & (cap - 1);
		slot[i] = pos + 1;
		hash[i] = h;
	}
	free(x->slot);
	free(x->hash);
	x->slot = slot;
	x->hash = hash;
	x->cap = cap;
	return 0;
}

static void idx_set(struct idx *x, size_t *slot, uint64_t h, size_t pos)
{
	*slot = pos + 1;
	x->hash[slot - x->slot] = h;
}

/* --- the fold ----------------------------------------------------------------------- */

struct call_group {
	char id[33];
	unsigned group;
};

struct rep_fold {
	const struct ivr_tz *tz;
	long long from, to;	/* ms */
	struct rep_bucket *b;
	size_t nb, capb;
	struct idx bi;
	struct rep_break *br;
	size_t nbr, capbr;
	struct idx bri;
	struct call_group *cg;	/* folded calls' groups, for their wrap-ups */
	size_t ncg, capcg;
	struct idx cgi;
	const struct rep_fold *calls;	/* whose calls' groups the wrap-ups take: this one, or a copy's original */
	bool oom;
};

static struct rep_bucket *bucket(struct rep_fold *f, enum rep_dim dim, const char *key,
				 long long hour);
static void put_break(struct rep_fold *f, const char *agent, const char *reason, long long hour,
		      long long ms);

struct rep_fold *rep_fold_new(const struct ivr_tz *tz, long long from_ms, long long to_ms)
{
	struct rep_fold *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->tz = tz;
	f->from = from_ms;
	f->to = to_ms;
	f->calls = f;
	return f;
}

struct rep_fold *rep_fold_copy(const struct rep_fold *f)
{
	struct rep_fold *c = rep_fold_new(f->tz, f->from, f->to);
	if (!c)
		return NULL;
	c->calls = f->calls;
	for (size_t i = 0; i < f->nb; i++) {
		struct rep_bucket *b = bucket(c, f->b[i].dim, f->b[i].key, f->b[i].hour);
		if (b)
			memcpy(b->v, f->b[i].v, sizeof b->v);
	}
	for (size_t i = 0; i < f->nbr; i++)
		put_break(c, f->br[i].agent, f->br[i].reason, f->br[i].hour, f->br[i].ms);
	if (c->oom) {
		rep_fold_free(c);
		return NULL;
	}
	return c;
}

void rep_fold_free(struct rep_fold *f)
{
	if (!f)
		return;
	free(f->b);
	free(f->bi.slot);
	free(f->bi.hash);
	free(f->br);
	free(f->bri.slot);
	free(f->bri.hash);
	free(f->cg);
	free(f->cgi.slot);
	free(f->cgi.hash);
	free(f);
}

bool rep_room(void **p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return true;
	size_t c = *cap ? *cap * 2 : 64;
	void *q = realloc(*p, c * size);
	if (!q)
		return false;
	*p = q;
	*cap = c;
	return true;
}

struct bkey {
	const struct rep_fold *f;
	enum rep_dim dim;
	const char *key;
	long long hour;
};

static uint64_t bucket_hash(enum rep_dim dim, const char *key, long long hour)
{
	uint64_t h = fnv(FNV0, &dim, sizeof dim);
	h = fnv(h, key, strlen(key));
	return fnv(h, &hour, sizeof hour);
}

static bool bucket_eq(const void *ctx, size_t pos)
{
	const struct bkey *k = ctx;
	const struct rep_bucket *b = &k->f->b[pos];
	return b->dim == k->dim && b->hour == k->hour && !strcmp(b->key, k->key);
}

static uint64_t bucket_rehash(const void *ctx, size_t pos)
{
	const struct rep_bucket *b = &((const struct rep_fold *)ctx)->b[pos];
	return bucket_hash(b->dim, b->key, b->hour);
}

static struct rep_bucket *bucket(struct rep_fold *f, enum rep_dim dim, const char *key,
				 long long hour)
{
	if (strlen(key) >= sizeof f->b->key)
		return NULL;	/* ids are at most 64 characters: never */
	if (idx_reserve(&f->bi, f->nb, bucket_rehash, f)) {
		f->oom = true;
		return NULL;
	}
	uint64_t h = bucket_hash(dim, key, hour);
	struct bkey k = { f, dim, key, hour };
	size_t *slot = idx_find(&f->bi, h, bucket_eq, &k);
	if (*slot)
		return &f->b[*slot - 1];
	if (!rep_room((void **)&f->b, &f->capb, f->nb, sizeof *f->b)) {
		f->oom = true;
		return NULL;
	}
	struct rep_bucket *b = &f->b[f->nb];
	memset(b, 0, sizeof *b);
	b->dim = dim;
	snprintf(b->key, sizeof b->key, "%s", key);
	b->hour = hour;
	idx_set(&f->bi, slot, h, f->nb++);
	return b;
}

static void put(struct rep_fold *f, enum rep_dim dim, const char *key, long long hour,
		enum rep_col c, long long v)
{
	struct rep_bucket *b = bucket(f, dim, key, hour);
	if (!b)
		return;
	if (col_max[c]) {
		if (v > b->v[c])
			b->v[c] = v;
	} else {
		b->v[c] += v;
	}
}

/* A figure for every key a call counts under. */
struct keys {
	enum rep_dim dim[8];
	char key[8][72];
	int n;
};

static void keys_add(struct keys *k, enum rep_dim dim, const char *fmt, unsigned long long id)
{
	if (k->n == 8)
		return;
	k->dim[k->n] = dim;
	snprintf(k->key[k->n], sizeof k->key[k->n], fmt, id);
	k->n++;
}

static void keys_str(struct keys *k, enum rep_dim dim, const char *s)
{
	if (k->n == 8)
		return;
	k->dim[k->n] = dim;
	snprintf(k->key[k->n], sizeof k->key[k->n], "%s", s);
	k->n++;
}

static void put_all(struct rep_fold *f, const struct keys *k, long long hour, enum rep_col c,
		    long long v)
{
	for (int i = 0; i < k->n; i++)
		put(f, k->dim[i], k->key[i], hour, c, v);
}

/* n, total and maximum of a duration: three columns in a row. */
_Static_assert(RC_wait_ms == RC_wait_n + 1 && RC_wait_max == RC_wait_n + 2 &&
		       RC_ring_max == RC_ring_n + 2 && RC_talk_max == RC_talk_n + 2 &&
		       RC_hold_max == RC_hold_n + 2 && RC_wrap_max == RC_wrap_n + 2,
	       "a duration's n, ms and max columns follow each other");
static void put_time(struct rep_fold *f, const struct keys *k, long long hour, enum rep_col n,
		     long long ms)
{
	if (ms < 0)
		ms = 0;
	put_all(f, k, hour, n, 1);
	put_all(f, k, hour, (enum rep_col)(n + 1), ms);
	put_all(f, k, hour, (enum rep_col)(n + 2), ms);
}

static void put_sl(struct rep_fold *f, const struct keys *k, long long hour, long long wait_ms)
{
	static const struct {
		int s;
		enum rep_col c;
	} steps[] = {
#define SL_STEP(n) { n, RC_ans_##n },
		REP_SL_STEPS(SL_STEP)
#undef SL_STEP
	};
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if (wait_ms <= steps[i].s * 1000LL)
			put_all(f, k, hour, steps[i].c, 1);
}

static long long hour_of(const struct rep_fold *f, long long ms)
{
	return clock_hour_start(f->tz, ms / 1000);
}

static bool is(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* The call's groups in the order it joined their queues. */
struct stay {
	unsigned group;
	long long in, out;	/* ms; out 0: still there at the end */
};

/* The agents' phones called for the call. */
struct offer {
	const char *agent;
	unsigned group;
	long long at, end;	/* end 0: still ringing when the call ended */
};

/* The caller on hold: a hold row to the next resume, the transfer, or the
 * call's end. */
struct hold {
	const char *agent;	/* who held */
	long long at, end;
};

/* An agent's part of an answered call: its answer row to its transfer row,
 * or the call's end. */
struct seg {
	const char *agent;
	long long at, end;
	bool xfer_in;		/* an agent transferred the caller to it */
};

#define MAX_STAYS 16
#define MAX_OFFERS 64
#define MAX_HOLDS 64
#define MAX_SEGS 16

/* What the in-call controls left in a call's log: its holds, its agents'
 * segments and the agents who transferred it. */
struct incall {
	struct hold holds[MAX_HOLDS];
	struct seg segs[MAX_SEGS];
	const char *xfer_by[MAX_SEGS];
	size_t nholds, nsegs, nxfers;
};

/* Reads c's log for its holds, segments and transfers. An open hold or
 * segment ends with the call. */
static void incall_scan(const struct rep_call *c, struct incall *x)
{
	x->nholds = x->nsegs = x->nxfers = 0;
	bool held = false, talking = false, transferred = false;
	for (size_t i = 0; i < c->nev; i++) {
		const struct rep_event *e = &c->ev[i];
		if (is(e->event, "hold") && !held && x->nholds < MAX_HOLDS) {
			x->holds[x->nholds++] = (struct hold){ e->agent, e->at, 0 };
			held = true;
		} else if (is(e->event, "resume") && held) {
			x->holds[x->nholds - 1].end = e->at;
			held = false;
		} else if (is(e->event, "transfer")) {
			if (held)
				x->holds[x->nholds - 1].end = e->at;
			if (talking)
				x->segs[x->nsegs - 1].end = e->at;
			if (e->agent && *e->agent && x->nxfers < MAX_SEGS)
				x->xfer_by[x->nxfers++] = e->agent;
			held = talking = false;
			transferred = e->agent && *e->agent;
		} else if (is(e->event, "answer") && e->agent && *e->agent && x->nsegs < MAX_SEGS) {
			if (talking)
				x->segs[x->nsegs - 1].end = e->at;
			x->segs[x->nsegs++] = (struct seg){ e->agent, e->at, 0, transferred };
			talking = true;
			transferred = false;
		}
	}
	if (held)
		x->holds[x->nholds - 1].end = c->t_end;
	if (talking)
		x->segs[x->nsegs - 1].end = c->t_end;
}

/* Hold time inside [from, to). */
static long long held_within(const struct incall *x, long long from, long long to)
{
	long long ms = 0;
	for (size_t i = 0; i < x->nholds; i++) {
		long long a = x->holds[i].at > from ? x->holds[i].at : from;
		long long b = x->holds[i].end < to ? x->holds[i].end : to;
		if (b > a)
			ms += b - a;
	}
	return ms;
}

/* "flow node exit digits": the node entered when no exit follows. */
static bool ivr_entered(const char *detail, char *node, size_t n)
{
	unsigned flow;
	char name[65];
	int used = 0;
	if (!detail || sscanf(detail, "%u %64s%n", &flow, name, &used) != 2)
		return false;
	for (const char *p = detail + used; *p; p++)
		if (*p != ' ')
			return false;
	snprintf(node, n, "%u/%s", flow, name);
	return true;
}

/* "task target attempt step outcome": the outcome of an ended attempt. */
static bool task_outcome(const char *detail, char *out, size_t n)
{
	char step[16], outcome[16];
	if (!detail || sscanf(detail, "%*s %*s %*s %15s %15s", step, outcome) != 2 ||
	    strcmp(step, "ended"))
		return false;
	snprintf(out, n, "%s", outcome);
	return true;
}

enum stage { ST_IVR, ST_QUEUE, ST_RING };

static enum stage stage_of(const struct rep_call *c, size_t nstays, bool ringing)
{
	const char *s = c->end_state;
	if (is(s, "queued"))
		return ST_QUEUE;
	if (is(s, "offering"))
		return ST_RING;
	if (s)
		return ST_IVR;	/* media, flow, originating, dialing */
	/* A call a dead node left: what its log says. */
	return ringing ? ST_RING : nstays ? ST_QUEUE : ST_IVR;
}

static int remember_group(struct rep_fold *f, const char *id, unsigned group);

/* A call's holds and transfers: each counted for the call's keys k and
 * for the agent who held, transferred or answered after a transfer. */
static void put_incall(struct rep_fold *f, const struct keys *k, long long h,
		       const struct incall *x)
{
	for (size_t i = 0; i < x->nholds; i++) {
		struct keys a = *k;
		if (x->holds[i].agent && *x->holds[i].agent)
			keys_str(&a, REP_AGENT, x->holds[i].agent);
		put_time(f, &a, h, RC_hold_n, x->holds[i].end - x->holds[i].at);
	}
	for (size_t i = 0; i < x->nxfers; i++) {
		put_all(f, k, h, RC_xfer_out, 1);
		put(f, REP_AGENT, x->xfer_by[i], h, RC_xfer_out, 1);
	}
	for (size_t i = 0; i < x->nsegs; i++)
		if (x->segs[i].xfer_in) {
			put_all(f, k, h, RC_xfer_in, 1);
			put(f, REP_AGENT, x->segs[i].agent, h, RC_xfer_in, 1);
		}
}

static void fold_outbound(struct rep_fold *f, const struct rep_call *c, long long h)
{
	struct keys k = { .n = 0 };
	keys_add(&k, REP_CENTER, "", 0);
	if (c->task)
		keys_add(&k, REP_TASK, "%llu", c->task);
	if (c->group)
		keys_add(&k, REP_GROUP, "%llu", c->group);
	struct incall x;
	incall_scan(c, &x);
	put_incall(f, &k, h, &x);
	if (c->agent && *c->agent)
		keys_str(&k, REP_AGENT, c->agent);
	put_all(f, &k, h, RC_out_placed, 1);
	char outcome[16] = "";
	for (size_t i = 0; i < c->nev; i++)
		if (is(c->ev[i].event, "task"))
			task_outcome(c->ev[i].detail, outcome, sizeof outcome);
	if (!c->task && is(c->result, "answered"))
		snprintf(outcome, sizeof outcome, "answered");
	static const struct {
		const char *name;
		enum rep_col c;
	} outcomes[] = {
		{ "answered", RC_out_answered }, { "no_answer", RC_out_no_answer },
		{ "busy", RC_out_busy },	 { "rejected", RC_out_rejected },
		{ "invalid", RC_out_invalid },	 { "abandoned", RC_out_abandoned },
		{ "failed", RC_out_failed },
	};
	for (size_t i = 0; i < sizeof outcomes / sizeof *outcomes; i++)
		if (!strcmp(outcome, outcomes[i].name))
			put_all(f, &k, h, outcomes[i].c, 1);
	if (c->t_answer && c->agent && *c->agent) {
		put_all(f, &k, h, RC_out_connected, 1);
		if (c->t_end)
			put_time(f, &k, h, RC_talk_n,
				 c->t_end - c->t_answer - held_within(&x, c->t_answer, c->t_end));
		remember_group(f, c->id, c->group);
	}
}

int rep_fold_call(struct rep_fold *f, const struct rep_call *c)
{
	if (c->t_start < f->from || c->t_start >= f->to || !c->t_end)
		return f->oom ? -1 : 0;
	long long h = hour_of(f, c->t_start);
	if (c->outbound || c->task) {
		fold_outbound(f, c, h);
		return f->oom ? -1 : 0;
	}
	struct stay stays[MAX_STAYS];
	struct offer offers[MAX_OFFERS];
	size_t nstays = 0, noffers = 0;
	char node[72] = "";
	long long t_dial_answer = 0;
	/* A transfer's line is not the caller's wait: the queue's figures
	 * are the first wait's, up to the first answer. */
	bool answered_once = false;
	for (size_t i = 0; i < c->nev; i++) {
		const struct rep_event *e = &c->ev[i];
		char entered[72];
		if (is(e->event, "answer") && e->agent)
			answered_once = true;
		if (is(e->event, "enqueue") && !answered_once) {
			if (nstays && !stays[nstays - 1].out)
				stays[nstays - 1].out = e->at;
			if (nstays < MAX_STAYS)
				stays[nstays++] = (struct stay){ e->group ? e->group : c->group, e->at, 0 };
		} else if (is(e->event, "offer") && e->agent) {
			if (noffers < MAX_OFFERS)
				offers[noffers++] = (struct offer){ e->agent, e->group, e->at, 0 };
		} else if ((is(e->event, "answer") || is(e->event, "offer_failed")) && e->agent) {
			for (size_t o = noffers; o-- > 0;)
				if (!offers[o].end && is(offers[o].agent, e->agent)) {
					offers[o].end = e->at;
					break;
				}
		} else if (is(e->event, "ivr") && ivr_entered(e->detail, entered, sizeof entered)) {
			snprintf(node, sizeof node, "%s", entered);
			put(f, REP_NODE, node, h, RC_offered, 1);
		} else if (is(e->event, "dial_answer") && !t_dial_answer) {
			t_dial_answer = e->at;
		}
	}
	bool ringing = false;
	for (size_t o = 0; o < noffers; o++)
		if (!offers[o].end) {
			offers[o].end = c->t_end;
			ringing = true;
		}

	/* The center and the number see the call as a whole. */
	struct keys k = { .n = 0 };
	keys_add(&k, REP_CENTER, "", 0);
	if (c->number)
		keys_add(&k, REP_NUMBER, "%llu", c->number);
	/* The group it ended in sees its end; each group it joined its stay. */
	struct keys last = { .n = 0 };
	if (nstays)
		keys_add(&last, REP_GROUP, "%llu", stays[nstays - 1].group);
	bool answered = is(c->result, "answered");
	long long t_answer = c->t_answer ? c->t_answer : t_dial_answer;
	long long left_queue = answered && t_answer ? t_answer : c->t_end;

	put_all(f, &k, h, RC_offered, 1);
	if (nstays) {
		put_all(f, &k, h, RC_queued, 1);
		long long wait = left_queue - stays[0].in;
		put_time(f, &k, h, RC_wait_n, wait);
		if (nstays > 1)
			put_all(f, &k, h, RC_overflowed, 1);
		if (answered && t_answer) {
			put_all(f, &k, h, RC_asa_ms, wait);
			put_sl(f, &k, h, wait);
		}
	}
	for (size_t s = 0; s < nstays; s++) {
		struct keys g = { .n = 0 };
		keys_add(&g, REP_GROUP, "%llu", stays[s].group);
		bool final = s + 1 == nstays;
		long long out = final ? left_queue : stays[s].out;
		put_all(f, &g, h, RC_offered, 1);
		put_all(f, &g, h, RC_queued, 1);
		put_time(f, &g, h, RC_wait_n, out - stays[s].in);
		if (!final)
			put_all(f, &g, h, RC_overflowed, 1);
		else if (answered && t_answer) {
			put_all(f, &g, h, RC_asa_ms, out - stays[s].in);
			put_sl(f, &g, h, out - stays[s].in);
		}
	}
	for (size_t o = 0; o < noffers; o++) {
		struct keys a = { .n = 0 };
		keys_add(&a, REP_CENTER, "", 0);
		keys_str(&a, REP_AGENT, offers[o].agent);
		if (offers[o].group)
			keys_add(&a, REP_GROUP, "%llu", offers[o].group);
		put(f, REP_AGENT, a.key[1], h, RC_offered, 1);
		put_time(f, &a, h, RC_ring_n, offers[o].end - offers[o].at);
	}

	struct keys all = k;
	for (int i = 0; i < last.n && all.n < 8; i++, all.n++) {
		all.dim[all.n] = last.dim[i];
		memcpy(all.key[all.n], last.key[i], sizeof all.key[0]);
	}
	if (c->repeat)
		put_all(f, &all, h, RC_repeat_24h, 1);
	struct incall x;
	incall_scan(c, &x);
	put_incall(f, &all, h, &x);
	/* Each answer is the agent's: handled and its own talk, holds
	 * excluded; the call's keys count the call once with the sum. A log
	 * without answer rows (before they were written) counts the call's
	 * agent from the call's answer to its end. */
	long long talk = 0;
	for (size_t i = 0; i < x.nsegs; i++) {
		const struct seg *s = &x.segs[i];
		struct keys a = { .n = 0 };
		keys_str(&a, REP_AGENT, s->agent);
		long long ms = s->end - s->at - held_within(&x, s->at, s->end);
		put_all(f, &a, h, RC_handled, 1);
		put_time(f, &a, h, RC_talk_n, ms);
		talk += ms > 0 ? ms : 0;
	}
	if (answered) {
		struct keys t = all;
		if (c->agent && *c->agent)
			keys_str(&t, REP_AGENT, c->agent);
		put_all(f, x.nsegs ? &all : &t, h, RC_handled, 1);
		if (c->survey) {
			static const enum rep_col key_col[] = { RC_survey_1, RC_survey_2, RC_survey_3,
								RC_survey_4, RC_survey_5 };
			put_all(f, &t, h, RC_survey_n, 1);
			if (c->survey >= '1' && c->survey <= '5')
				put_all(f, &t, h, key_col[c->survey - '1'], 1);
		}
		if (x.nsegs)
			put_time(f, &all, h, RC_talk_n, talk);
		else if (t_answer)
			put_time(f, &t, h, RC_talk_n,
				 c->t_end - t_answer - held_within(&x, t_answer, c->t_end));
		remember_group(f, c->id, nstays ? stays[nstays - 1].group : c->group);
	} else if (is(c->result, "abandoned")) {
		enum stage st = stage_of(c, nstays, ringing);
		static const enum rep_col col[] = { [ST_IVR] = RC_abandoned_ivr,
						    [ST_QUEUE] = RC_abandoned_queue,
						    [ST_RING] = RC_abandoned_ring };
		put_all(f, &all, h, RC_abandoned, 1);
		put_all(f, &all, h, col[st], 1);
		if (st == ST_IVR && *node) {
			put(f, REP_NODE, node, h, RC_abandoned, 1);
			put(f, REP_NODE, node, h, RC_abandoned_ivr, 1);
		}
		for (size_t o = 0; st == ST_RING && o < noffers; o++)
			if (offers[o].end == c->t_end)
				put(f, REP_AGENT, offers[o].agent, h, RC_abandoned_ring, 1);
	} else if (is(c->result, "no_agent")) {
		put_all(f, &all, h, RC_no_agent, 1);
	} else {
		put_all(f, &all, h, RC_failed, 1);
	}
	return f->oom ? -1 : 0;
}

/* --- calls' groups, for the wrap-ups after them ---------------------------------- */

static uint64_t cg_hash(const char *id)
{
	return fnv(FNV0, id, strlen(id));
}

static bool cg_eq(const void *ctx, size_t pos)
{
	const struct rep_fold *f = ((const void *const *)ctx)[0];
	return !strcmp(f->cg[pos].id, ((const char *const *)ctx)[1]);
}

static uint64_t cg_rehash(const void *ctx, size_t pos)
{
	return cg_hash(((const struct rep_fold *)ctx)->cg[pos].id);
}

/* Every answered call is remembered, with group 0 too: rep_fold_has_call
 * tells a wrap-up whose call is not folded yet from one whose call has no
 * group. */
static int remember_group(struct rep_fold *f, const char *id, unsigned group)
{
	if (!id || strlen(id) >= sizeof f->cg->id)
		return 0;
	if (idx_reserve(&f->cgi, f->ncg, cg_rehash, f))
		goto oom;
	const void *ctx[2] = { f, id };
	uint64_t h = cg_hash(id);
	size_t *slot = idx_find(&f->cgi, h, cg_eq, ctx);
	if (*slot)
		return 0;
	if (!rep_room((void **)&f->cg, &f->capcg, f->ncg, sizeof *f->cg))
		goto oom;
	snprintf(f->cg[f->ncg].id, sizeof f->cg->id, "%s", id);
	f->cg[f->ncg].group = group;
	idx_set(&f->cgi, slot, h, f->ncg++);
	return 0;
oom:
	f->oom = true;
	return -1;
}

/* The folded call id's entry, or NULL. */
static const struct call_group *folded_call(const struct rep_fold *f, const char *id)
{
	f = f->calls;
	if (!id || !f->ncg)
		return NULL;
	const void *ctx[2] = { f, id };
	size_t *slot = idx_find((struct idx *)&f->cgi, cg_hash(id), cg_eq, ctx);
	return *slot ? &f->cg[*slot - 1] : NULL;
}

static unsigned group_of_call(const struct rep_fold *f, const char *id)
{
	const struct call_group *cg = folded_call(f, id);
	return cg ? cg->group : 0;
}

bool rep_fold_has_call(const struct rep_fold *f, const char *id)
{
	return folded_call(f, id) != NULL;
}

/* --- agents' state time -------------------------------------------------------------- */

struct brkey {
	const struct rep_fold *f;
	const char *agent, *reason;
	long long hour;
};

static uint64_t break_hash(const char *agent, const char *reason, long long hour)
{
	uint64_t h = fnv(FNV0, agent, strlen(agent) + 1);
	h = fnv(h, reason, strlen(reason));
	return fnv(h, &hour, sizeof hour);
}

static bool break_eq(const void *ctx, size_t pos)
{
	const struct brkey *k = ctx;
	const struct rep_break *b = &k->f->br[pos];
	return b->hour == k->hour && !strcmp(b->agent, k->agent) && !strcmp(b->reason, k->reason);
}

static uint64_t break_rehash(const void *ctx, size_t pos)
{
	const struct rep_break *b = &((const struct rep_fold *)ctx)->br[pos];
	return break_hash(b->agent, b->reason, b->hour);
}

static void put_break(struct rep_fold *f, const char *agent, const char *reason, long long hour,
		      long long ms)
{
	if (strlen(agent) >= sizeof f->br->agent || strlen(reason) >= sizeof f->br->reason)
		return;
	if (idx_reserve(&f->bri, f->nbr, break_rehash, f)) {
		f->oom = true;
		return;
	}
	uint64_t h = break_hash(agent, reason, hour);
	struct brkey k = { f, agent, reason, hour };
	size_t *slot = idx_find(&f->bri, h, break_eq, &k);
	if (!*slot) {
		if (!rep_room((void **)&f->br, &f->capbr, f->nbr, sizeof *f->br)) {
			f->oom = true;
			return;
		}
		struct rep_break *b = &f->br[f->nbr];
		memset(b, 0, sizeof *b);
		snprintf(b->agent, sizeof b->agent, "%s", agent);
		snprintf(b->reason, sizeof b->reason, "%s", reason);
		b->hour = hour;
		idx_set(&f->bri, slot, h, f->nbr++);
	}
	f->br[*slot - 1].ms += ms;
}

static int state_col(const char *state)
{
	static const struct {
		const char *name;
		enum rep_col c;
	} map[] = {
		{ "ready", RC_st_ready },    { "not_ready", RC_st_break }, { "reserved", RC_st_ringing },
		{ "on_call", RC_st_talk },   { "wrap_up", RC_st_wrap },
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (is(state, map[i].name))
			return (int)map[i].c;
	return -1;	/* logged_out, or a state this version does not know */
}

int rep_fold_wrap(struct rep_fold *f, const struct rep_state *r, long long next_ms)
{
	if (!is(r->state, "wrap_up") || next_ms <= r->at || r->at < f->from || r->at >= f->to)
		return f->oom ? -1 : 0;
	struct keys k = { .n = 0 };
	keys_add(&k, REP_CENTER, "", 0);
	keys_str(&k, REP_AGENT, r->agent);
	unsigned g = group_of_call(f, r->call);
	if (g)
		keys_add(&k, REP_GROUP, "%llu", g);
	put_time(f, &k, hour_of(f, r->at), RC_wrap_n, next_ms - r->at);
	return f->oom ? -1 : 0;
}

static int fold_states(struct rep_fold *f, const struct rep_state *rows, size_t n,
		       long long until_ms, bool wraps)
{
	for (size_t i = 0; i < n; i++) {
		const struct rep_state *r = &rows[i];
		long long next = i + 1 < n ? rows[i + 1].at : until_ms;
		int col = state_col(r->state);
		if (col < 0 || next <= r->at)
			continue;
		if (wraps)
			rep_fold_wrap(f, r, next);
		long long t = r->at > f->from ? r->at : f->from;
		long long end = next < f->to ? next : f->to;
		while (t < end) {
			long long h = hour_of(f, t);
			long long h_end = clock_hour_start(f->tz, h + 3600) * 1000;
			long long seg = (end < h_end ? end : h_end) - t;
			put(f, REP_AGENT, r->agent, h, (enum rep_col)col, seg);
			put(f, REP_AGENT, r->agent, h, RC_st_signed_in, seg);
			put(f, REP_CENTER, "", h, (enum rep_col)col, seg);
			put(f, REP_CENTER, "", h, RC_st_signed_in, seg);
			if (col == RC_st_break) {
				const char *why = r->reason && *r->reason ? r->reason : "";
				put_break(f, r->agent, why, h, seg);
				put_break(f, "", why, h, seg);
			}
			t += seg;
		}
	}
	return f->oom ? -1 : 0;
}

int rep_fold_states(struct rep_fold *f, const struct rep_state *rows, size_t n, long long until_ms)
{
	return fold_states(f, rows, n, until_ms, true);
}

int rep_fold_state_time(struct rep_fold *f, const struct rep_state *rows, size_t n,
			long long until_ms)
{
	return fold_states(f, rows, n, until_ms, false);
}

const struct rep_bucket *rep_fold_buckets(const struct rep_fold *f, size_t *n)
{
	*n = f->nb;
	return f->b;
}

const struct rep_break *rep_fold_breaks(const struct rep_fold *f, size_t *n)
{
	*n = f->nbr;
	return f->br;
}

const struct rep_bucket *rep_fold_find(const struct rep_fold *f, enum rep_dim dim,
				       const char *key, long long hour)
{
	for (size_t i = 0; i < f->nb; i++)
		if (f->b[i].dim == dim && f->b[i].hour == hour && !strcmp(f->b[i].key, key))
			return &f->b[i];
	return NULL;
}
