/* A queue's entries in line, and the sets the dispatch looks at: see
 * acd_priv.h. */
#include "b2bua/acd/acd_priv.h"

#include <limits.h>

enum entry_filed { FILED_NONE, FILED_READY, FILED_PREFERRING, FILED_DELAYED };

static struct line_key key_of(const struct qentry *e)
{
	return (struct line_key){ e->enq_ms, e->seq };
}

static int cmp_keys(struct line_key a, struct line_key b)
{
	if (a.enq_ms != b.enq_ms)
		return a.enq_ms < b.enq_ms ? -1 : 1;
	return (a.seq > b.seq) - (a.seq < b.seq);
}

static const struct qentry *of_line(const struct avl_node *n)
{
	return avl_entry(n, struct qentry, in_line);
}

static struct qentry *of_set(const struct avl_node *n)
{
	return n ? avl_entry(n, struct qentry, in_set) : NULL;
}

static int cmp_line(const struct avl_node *a, const struct avl_node *b)
{
	return cmp_keys(key_of(of_line(a)), key_of(of_line(b)));
}

static int cmp_set(const struct avl_node *a, const struct avl_node *b)
{
	return cmp_keys(key_of(of_set(a)), key_of(of_set(b)));
}

static int cmp_set_key(const struct avl_node *n, const void *key)
{
	return cmp_keys(key_of(of_set(n)), *(const struct line_key *)key);
}

static void unfile(struct queue *q, struct qentry *e)
{
	switch (e->filed) {
	case FILED_READY:
		avl_remove(&q->ready, &e->in_set, cmp_set);
		break;
	case FILED_PREFERRING:
		avl_remove(&q->preferring, &e->in_set, cmp_set);
		break;
	case FILED_DELAYED:
		if (e->delayed_prev)
			e->delayed_prev->delayed_next = e->delayed_next;
		else
			q->delayed = e->delayed_next;
		if (e->delayed_next)
			e->delayed_next->delayed_prev = e->delayed_prev;
		e->delayed_prev = e->delayed_next = NULL;
		break;
	default:
		break;
	}
	e->filed = FILED_NONE;
}

void queue_line_file(struct queue *q, struct qentry *e, long long now_ms)
{
	unfile(q, e);
	if (e->offering)
		return;
	/* router_first_waiting's conditions, in its order: a preference
	 * first (the dispatch's first pass ignores not_before_ms), then the
	 * delay. A due time only ever moves earlier here; a later one is
	 * found when the set is walked. */
	if (e->prefer_id && e->prefer_until_ms > now_ms) {
		avl_insert(&q->preferring, &e->in_set, cmp_set);
		e->filed = FILED_PREFERRING;
		if (e->prefer_until_ms < q->preferring_due_ms)
			q->preferring_due_ms = e->prefer_until_ms;
	} else if (e->not_before_ms > now_ms) {
		e->delayed_prev = NULL;
		e->delayed_next = q->delayed;
		if (q->delayed)
			q->delayed->delayed_prev = e;
		q->delayed = e;
		e->filed = FILED_DELAYED;
		if (e->not_before_ms < q->delayed_due_ms)
			q->delayed_due_ms = e->not_before_ms;
	} else {
		avl_insert(&q->ready, &e->in_set, cmp_set);
		e->filed = FILED_READY;
	}
}

void queue_line_add(struct queue *q, struct qentry *e, long long now_ms)
{
	e->seq = ++q->seq;
	e->queue = q;
	avl_insert(&q->line, &e->in_line, cmp_line);
	/* In the list after the entry before it in line. */
	unsigned r = avl_rank(q->line, &e->in_line, cmp_line);
	struct qentry *after = r ? avl_entry(avl_at(q->line, r - 1), struct qentry, in_line) : NULL;
	e->prev = after;
	e->next = after ? after->next : q->head;
	if (e->next)
		e->next->prev = e;
	else
		q->tail = e;
	if (after)
		after->next = e;
	else
		q->head = e;
	q->waiting++;
	e->filed = FILED_NONE;
	queue_line_file(q, e, now_ms);
}

void queue_line_remove(struct queue *q, struct qentry *e)
{
	unfile(q, e);
	avl_remove(&q->line, &e->in_line, cmp_line);
	if (e->prev)
		e->prev->next = e->next;
	else
		q->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		q->tail = e->prev;
	q->waiting--;
	e->prev = e->next = NULL;
}

void queue_line_due(struct queue *q, long long now_ms)
{
	if (q->preferring_due_ms <= now_ms) {
		long long due = LLONG_MAX;
		struct line_key k;
		struct qentry *e = of_set(avl_first(q->preferring));
		for (; e; e = of_set(avl_after(q->preferring, cmp_set_key, &k))) {
			k = key_of(e);
			if (e->prefer_until_ms <= now_ms)
				queue_line_file(q, e, now_ms);
			else if (e->prefer_until_ms < due)
				due = e->prefer_until_ms;
		}
		q->preferring_due_ms = due;
	}
	if (q->delayed_due_ms <= now_ms) {
		long long due = LLONG_MAX;
		struct qentry *e = q->delayed, *next;
		for (; e; e = next) {
			next = e->delayed_next;
			if (e->not_before_ms <= now_ms)
				queue_line_file(q, e, now_ms);
			else if (e->not_before_ms < due)
				due = e->not_before_ms;
		}
		q->delayed_due_ms = due;
	}
}

unsigned queue_line_position(const struct queue *q, const struct qentry *e)
{
	return avl_rank(q->line, &e->in_line, cmp_line) + 1;
}

struct qentry *queue_preferring_after(struct queue *q, const struct line_key *key)
{
	return of_set(key ? avl_after(q->preferring, cmp_set_key, key) : avl_first(q->preferring));
}

struct qentry *queue_line_ready(struct queue *q)
{
	return of_set(avl_first(q->ready));
}
