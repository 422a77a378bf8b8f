/* Waiting in a skill group's queue with music, and the agents it is
 * offered to: the offer (an rtpengine branch, an INVITE through Kamailio),
 * ringing, no answer, rejection, a lost reservation, and leaving the queue
 * without an agent. */
#include "b2bua/call/call_priv.h"

#include "b2bua/core/core.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

static struct acd *acd_of(const struct call *call)
{
	return call->env->acd;
}

static void announce_later(struct call *call);

/* Music on hold for a waiting caller, after moh_delay_ms: an agent who
 * answers within the delay spares the caller the music and rtpengine two
 * commands. */
static void hold_music(struct call *call)
{
	if (call->queue->moh_file && !call->moh_on)
		call_timer_set(call, TMR_MOH, call->env->core->conf->moh_delay_ms);
}

void act_enqueue(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	call->queue = arg->queue;
	call->group_id = call->queue->group;
	long long now = core_now_ms();
	/* The first queue's time is the call's; an overflow may keep it. */
	bool again = call->t_enqueue != 0;
	if (!again)
		call->t_enqueue = now;
	struct ev e = { .type = EV_CALL_QUEUED, .ts = now, .group = call->group_id,
			.caller = call->caller_num };
	call_publish(call, &e);
	hold_music(call);
	call_timer_set(call, TMR_MAX_WAIT, (long)call->queue->max_wait_s * 1000);
	announce_later(call);
	struct acd *acd = acd_of(call);
	long long at = again && call->queue->keep_wait ? call->t_enqueue : now;
	/* A priority puts the call ahead of any call of a lower one: its place
	 * is as if it had waited a day more per level. */
	at -= (long long)call->queue->priority * 86400000;
	if (!call->queue->group ||
	    acd_enqueue_at(acd, &call->qe, call->queue->group, call, call->id, at)) {
		call_raise(call, CEV_NO_QUEUE, NULL);
		return;
	}
	if (call->queue->agent) {
		if (!acd_prefer_only(acd, &call->qe, call->queue->agent)) {
			log_info("call %s: agent %s is not signed in", call->id, call->queue->agent);
			call_raise(call, CEV_UNSTAFFED, NULL);
		}
		return;
	}
	if (call->queue->leave_unstaffed && !acd_group_staffed(acd, call->queue->group)) {
		call_raise(call, CEV_UNSTAFFED, NULL);
		return;
	}
	call_prefer(call);
}

void call_prefer(struct call *call)
{
	if (call->dedicated && call->queue->dedicated_wait_s && call->qe.queue &&
	    !call->qe.offering && !call->qe.prefer_id &&
	    acd_prefer(acd_of(call), &call->qe, call->dedicated,
		       (long long)call->queue->dedicated_wait_s * 1000))
		log_info("call %s: offered to dedicated agent %s first (%u s)", call->id,
			 call->dedicated, call->queue->dedicated_wait_s);
}

/* The next announcement, announce_interval_s from now (if the queue has
 * them and prompts to say them with). */
static void announce_later(struct call *call)
{
	const struct call_queue *q = call->queue;
	if (q->announce_interval_s &&
	    (q->announce_file || (q->prompts && (q->announce_position || q->announce_wait))))
		call_timer_set(call, TMR_ANNOUNCE, (long)q->announce_interval_s * 1000);
}

/* The files of an announcement now: the queue's own, then the caller's
 * position and estimated wait. */
static unsigned announcement(struct call *call, const char **files)
{
	const struct call_queue *q = call->queue;
	unsigned n = 0, pos, wait_s;
	acd_entry_position(acd_of(call), &call->qe, &pos, &wait_s);
	if (q->announce_file)
		files[n++] = q->announce_file;
	if (q->prompts && q->announce_position && pos)
		files[n++] = q->prompts->pos[pos <= QUEUE_POS_MAX ? pos : 0];
	if (q->prompts && q->announce_wait && pos) {
		unsigned min = (wait_s + 59) / 60;
		files[n++] = q->prompts->wait[wait_s < 60 ? 0 : min <= QUEUE_WAIT_MAX ? min
										: QUEUE_WAIT_MAX + 1];
	}
	return n;
}

/* Announcement time: the music gives way to it. While an agent's phone
 * rings it waits for the next turn. */
void act_announce(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)arg;
	if (from == CALL_OFFERING || call->announcing) {
		announce_later(call);
		return;
	}
	call->announce_n = (unsigned char)announcement(call, call->announce);
	call->announce_at = 0;
	if (!call->announce_n) {
		announce_later(call);
		return;
	}
	call_timer_stop(call, TMR_MOH);
	call->moh_on = false;
	call->announcing = true;
	media_play(call, call->announce[call->announce_at++], 0);
}

/* One file of the announcement has been played: the next, or the music
 * again and the next announcement's time. */
void act_announce_next(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	(void)arg;
	if (!call->announcing)
		return;
	if (call->announce_at < call->announce_n) {
		media_play(call, call->announce[call->announce_at++], 0);
		return;
	}
	call->announcing = false;
	if (call->queue->moh_file) {
		call->moh_on = true;
		media_play(call, call->queue->moh_file, call->env->core->conf->moh_repeat);
	}
	announce_later(call);
}

bool call_offered(const struct call *call, const struct leg *leg)
{
	for (const struct leg *l = call->offered; l; l = l->next)
		if (l == leg)
			return true;
	return false;
}

struct leg *call_offer_of(const struct call *call, const struct agent *a)
{
	for (struct leg *l = call->offered; l; l = l->next)
		if (l->agent == a)
			return l;
	return NULL;
}

void call_unlink_offer(struct call *call, struct leg *leg)
{
	for (struct leg **p = &call->offered; *p; p = &(*p)->next)
		if (*p == leg) {
			*p = leg->next;
			leg->next = NULL;
			return;
		}
}

/* The agent of leg (or agent, when the offer never got a leg) will not take
 * the call: its phone stops ringing and the ACD hears why. */
static void agent_failed(struct call *call, struct leg *leg, struct agent *a,
			 enum agent_event why, const char *reason)
{
	if (leg) {
		leg_hangup(leg, 0);
		if (!a)
			a = leg->agent;
		leg->agent = NULL;
		call_unlink_offer(call, leg);
	}
	if (!call->offered)
		call_timer_stop(call, TMR_RING);
	if (!a)
		return;
	struct ev e = { .type = EV_CALL_OFFER_FAILED, .agent = agent_id(a), .reason = reason };
	call_publish(call, &e);
	acd_agent_event(acd_of(call), a, why, call->queue->wrapup_s);
}

/* Every offered agent failing the same way (the ring time is over, the
 * queue gave up, another agent answered). */
static void all_failed(struct call *call, enum agent_event why, const char *reason)
{
	while (call->offered)
		agent_failed(call, call->offered, NULL, why, reason);
}

/* The last offer went: back in the queue (same place) when none is left. */
static void maybe_wait_again(struct call *call)
{
	if (!call->offered)
		call_raise(call, CEV_OFFERS_GONE, NULL);
}

void call_take_offer(struct call *call, struct leg *leg)
{
	call_unlink_offer(call, leg);
	all_failed(call, AEV_RELEASE, "answered_elsewhere");
}

void act_offers_gone(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	(void)arg;
	hold_music(call);
	acd_requeue(acd_of(call), &call->qe);
}

static void leave_queue(struct call *call, enum call_signal sig)
{
	acd_dequeue(acd_of(call), &call->qe);
	call_timer_stop(call, TMR_MAX_WAIT);
	call_timer_stop(call, TMR_MOH);
	call_timer_stop(call, TMR_ANNOUNCE);
	call->announcing = false;
	all_failed(call, AEV_RELEASE, "queue timeout");
	struct ev e = { .type = EV_CALL_NO_AGENT, .group = call->group_id };
	call_publish(call, &e);
	call->outcome = RESULT_NO_AGENT;
	log_info("call %s: no agent within %u s", call->id, call->queue->max_wait_s);
	call_tell(call, sig, 0);
}

void act_no_queue(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	(void)arg;
	leave_queue(call, CSIG_NO_QUEUE);
}

void act_unstaffed(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	(void)arg;
	log_info("call %s: nobody of group %u is signed in", call->id, call->group_id);
	leave_queue(call, CSIG_NO_AGENTS);
}

void act_queue_timeout(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	(void)arg;
	leave_queue(call, CSIG_QUEUE_TIMEOUT);
}

void act_music(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	(void)arg;
	if (call->moh_on || call->announcing || !call->queue->moh_file)
		return;
	call->moh_on = true;
	media_play(call, call->queue->moh_file, call->env->core->conf->moh_repeat);
}

void act_offer(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	struct agent *a = arg->agent;
	struct leg *leg = call_mem(call, sizeof *leg);
	if (!leg) {
		struct cev_arg f = { .agent = a, .aev = AEV_RELEASE, .text = "out of memory" };
		call_event(call, CEV_AGENT_FAILED, &f);
		return;
	}
	leg_init(leg, call, LEG_AGENT, ++call->offers);
	leg->agent = a;
	leg->agent_id = call_strdup(call, agent_id(a));
	leg->next = call->offered;
	call->offered = leg;
	if (!call->t_offer)
		call->t_offer = core_now_ms();
	log_info("call %s: offered to agent %s (%s)", call->id, leg->agent_id, agent_sip(a));
	struct ev e = { .type = EV_CALL_OFFERED, .agent = leg->agent_id, .sip = agent_sip(a),
			.group = call->group_id };
	call_publish(call, &e);
	if (!media_offer_leg(call, leg)) {
		/* The same would happen with every agent: end the call, do not
		 * hand it to the next one. */
		log_err("call %s: cannot make an offer for agents from the caller's SDP", call->id);
		call_hangup(call, RESULT_FAILED, "bad offer");
	}
}

void act_dial(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	struct leg *leg = arg->leg;
	if (!call_offered(call, leg) || leg->gone || !leg->agent)
		return;	/* media for an offer given up meanwhile */
	char target[256];
	snprintf(target, sizeof target, "sip:%s@%s", agent_sip(leg->agent),
		 call->env->core->conf->sip_domain);
	const char *display = call->contact_name && *call->contact_name ? call->contact_name
									 : call->caller_num;
	if (leg_dial(leg, target, display, call->caller_num, arg->text)) {
		struct cev_arg f = { .leg = leg, .aev = AEV_RELEASE, .text = "out of memory" };
		call_event(call, CEV_AGENT_FAILED, &f);
		return;
	}
	call_timer_set(call, TMR_RING, (long)call->queue->ring_timeout_s * 1000);
}

void act_ringing(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	if (!call_offered(call, arg->leg))
		return;
	call_publish_pop(call, EV_CALL_RINGING, arg->leg->agent_id, 0);
}

void act_agent_failed(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	agent_failed(call, arg->leg && call_offered(call, arg->leg) ? arg->leg : NULL,
		     arg->leg ? arg->leg->agent : arg->agent, (enum agent_event)arg->aev, arg->text);
	maybe_wait_again(call);
}

void act_no_answer(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	(void)arg;
	for (const struct leg *l = call->offered; l; l = l->next)
		log_info("call %s: agent %s did not answer within %u s", call->id, l->agent_id,
			 call->queue->ring_timeout_s);
	all_failed(call, AEV_NO_ANSWER, "no_answer");
	maybe_wait_again(call);
}

void act_withdrawn(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	struct leg *leg = call_offer_of(call, arg->agent);
	if (!leg)
		/* Marked: the ACD withdraws only an agent reserved for this call. */
		log_err("call %s: withdrawn agent is not one offered", call->id);
	agent_failed(call, leg, arg->agent, AEV_RELEASE, "reservation lost");
	maybe_wait_again(call);
}
