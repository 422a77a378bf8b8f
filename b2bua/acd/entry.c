/* Queue entries: joining a skill group's queue (in line by the time waited),
 * a dedicated agent's preference, the position and estimated wait, and
 * leaving. See acd.h. */
#include "b2bua/acd/acd_priv.h"

#include "b2bua/core/core.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

int acd_enqueue(struct acd *acd, struct qentry *qe, unsigned group, void *owner,
		const char *owner_id, long long now_ms)
{
	return acd_enqueue_at(acd, qe, group, owner, owner_id, now_ms);
}

int acd_enqueue_at(struct acd *acd, struct qentry *qe, unsigned group, void *owner,
		   const char *owner_id, long long enq_ms)
{
	struct queue *q = acd_queue(acd, group);
	if (!q)
		return ENOENT;
	memset(qe, 0, sizeof *qe);
	qe->owner = owner;
	qe->owner_id = owner_id;
	qe->enq_ms = enq_ms;
	/* In line by the time it has waited: after every entry that waited
	 * as long or longer (a new entry goes last). */
	queue_line_add(q, qe, core_now_ms());
	acd_kick(acd);
	return 0;
}

bool acd_prefer(struct acd *acd, struct qentry *qe, const char *id, long long wait_ms)
{
	struct agent *a = acd_agent(acd, id);
	if (!qe->queue || !a || !a->present || !a->registered || a->sm.state == AGENT_LOGGED_OUT ||
	    wait_ms <= 0)
		return false;
	long long now = core_now_ms();
	qe->prefer_id = id;
	qe->prefer_until_ms = now + wait_ms;
	qe->prefer_offered = false;
	queue_line_file(qe->queue, qe, now);
	/* The dispatch offers it to that agent, or sets the timer for the
	 * group's turn. */
	acd_kick(acd);
	return true;
}

bool acd_prefer_only(struct acd *acd, struct qentry *qe, const char *id)
{
	if (!acd_prefer(acd, qe, id, 1))
		return false;
	qe->prefer_until_ms = LLONG_MAX;
	qe->prefer_only = true;
	queue_line_file(qe->queue, qe, core_now_ms());
	return true;
}

bool acd_group_staffed(const struct acd *acd, unsigned group)
{
	const struct queue *q = acd_queue(acd, group);
	return q && q->signed_in > 0;
}

/* Talk time an unknown queue is assumed to take per call. */
#define DEFAULT_HANDLE_S 180

void acd_entry_position(const struct acd *acd, const struct qentry *qe, unsigned *position,
			unsigned *wait_s)
{
	(void)acd;
	const struct queue *q = qe->queue;
	*position = 0;
	*wait_s = 0;
	if (!q)
		return;
	unsigned pos = queue_line_position(q, qe);
	unsigned long calls = q->calls_today, talk = q->talk_s_today;
	unsigned staffed = q->signed_in;
	unsigned long handle = calls && talk ? talk / calls : DEFAULT_HANDLE_S;
	if (!handle)
		handle = 1;
	*position = pos;
	*wait_s = (unsigned)((pos * handle + (staffed ? staffed : 1) - 1) / (staffed ? staffed : 1));
}

void acd_requeue(struct acd *acd, struct qentry *qe)
{
	if (!qe->queue)
		return;
	qe->offering = false;
	/* The dedicated agent did not take it: the group's turn now (an entry
	 * for that agent alone waits for it again). */
	if (qe->prefer_offered && !qe->prefer_only)
		qe->prefer_id = NULL;
	qe->prefer_offered = false;
	queue_line_file(qe->queue, qe, core_now_ms());
	acd_kick(acd);
}

void acd_dequeue(struct acd *acd, struct qentry *qe)
{
	/* An agent reserved for it whose row is not yet confirmed is let go
	 * when the answer comes (store.c): the owner never heard of it. */
	for (size_t i = 0; qe->confirming && i < acd->nagents; i++) {
		struct agent *a = acd->agents[i];
		if (a->confirming == qe) {
			a->confirming = NULL;
			a->confirm_orphan = true;
			a->owner = NULL;
			qe->confirming--;
		}
	}
	struct queue *q = qe->queue;
	if (!q)
		return;
	queue_line_remove(q, qe);
	qe->queue = NULL;
	qe->offering = false;
}
