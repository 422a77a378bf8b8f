/* The agent's controls while it talks: hold and take back (from the
 * workbench, or the phone's own re-INVITE), mute, hang up from the
 * workbench, and blind transfer (the caller handed to another controller:
 * a group's queue, one agent, an IVR flow, an external number). Media is
 * rtpengine's (media_hold, media_mute, media_reoffer); every action is an
 * event on the bus, so the call's timeline and record have it. */
#include "b2bua/call/call_priv.h"

#include "b2bua/core/core.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

bool call_sides(struct call *call, struct leg **agent, struct leg **customer)
{
	if (call->own_agent_id) {
		/* An agent's own call: its phone is the first leg, the
		 * customer the number dialed. */
		*agent = &call->caller;
		*customer = call->agent_leg;
	} else {
		*agent = call->agent_leg && call->agent_leg->role == LEG_AGENT ? call->agent_leg
									       : NULL;
		*customer = &call->caller;
	}
	return *agent && *customer;
}

static bool talking(const struct call *call)
{
	return call->state == CALL_BRIDGED || call->state == CALL_HELD ||
	       call->state == CALL_CONSULT;
}

bool call_talking_agent(const struct call *call, const char *agent_id)
{
	struct leg *ag, *cu;
	if (!agent_id || !talking(call) || !call_sides((struct call *)call, &ag, &cu))
		return false;
	const char *who = call->own_agent_id ? call->own_agent_id : ag->agent_id;
	return who && !strcmp(who, agent_id);
}

static const char *agent_of(const struct call *call)
{
	return call->own_agent_id ? call->own_agent_id : call->agent_id;
}

/* The music a held caller hears: its group's, else the system's. */
const char *call_hold_music(struct call *call)
{
	if (call->queue->moh_file)
		return call->queue->moh_file;
	char path[512];
	snprintf(path, sizeof path, "%s/moh.wav", call->env->core->conf->audio_dir);
	return call_strdup(call, path);
}

/* --- the verbs ----------------------------------------------------------------------- */

const char *call_hold(struct call *call, bool on, const char *by)
{
	struct leg *ag, *cu;
	if (!talking(call) || !call_sides(call, &ag, &cu))
		return "not_talking";
	if (call->state == CALL_CONSULT)
		return "consulting";
	if (on && call->state == CALL_HELD)
		return "on_hold";
	if (!on && call->state != CALL_HELD)
		return "not_on_hold";
	call_raise(call, on ? CEV_HOLD : CEV_RESUME, by);
	return NULL;
}

const char *call_mute(struct call *call, bool on)
{
	struct leg *ag, *cu;
	if (!talking(call) || !call_sides(call, &ag, &cu))
		return "not_talking";
	if (call->state == CALL_CONSULT)
		return "consulting";
	if (on == call->muted)
		return on ? "muted" : "not_muted";
	call_raise(call, on ? CEV_MUTE : CEV_UNMUTE, NULL);
	return NULL;
}

const char *call_send_dtmf(struct call *call, const char *keys)
{
	struct leg *ag, *cu;
	size_t n = keys ? strlen(keys) : 0;
	if (!n || n > CALL_KEYS_MAX || strspn(keys, "0123456789*#ABCD") != n)
		return "bad_keys";
	if (!talking(call) || !call_sides(call, &ag, &cu))
		return "not_talking";
	if (call->state == CALL_HELD)
		return "on_hold";
	if (call->state == CALL_CONSULT)
		return "consulting";
	call_raise(call, CEV_DTMF_SEND, call_strdup(call, keys));
	return NULL;
}

const char *call_drop(struct call *call)
{
	struct leg *ag, *cu;
	if (!talking(call) || !call_sides(call, &ag, &cu))
		return "not_talking";
	call_raise(call, CEV_DROP, NULL);
	return NULL;
}

const char *call_transfer(struct call *call, const char *to, const char *by,
			  const struct call_ctrl *ctrl, void *state)
{
	struct leg *ag, *cu;
	if (!talking(call) || !call_sides(call, &ag, &cu))
		return "not_talking";
	if (call->own_agent_id)
		return "not_transferable";
	if (call->state == CALL_CONSULT)
		return "consulting";
	call->xfer_ctrl = ctrl;
	call->xfer_state = state;
	call->xfer_by = by;
	call_raise(call, CEV_TRANSFER, call_strdup(call, to));
	return NULL;
}

const struct call_ctrl *call_prev_controller(const struct call *call, void **state)
{
	if (!call->retired)
		return NULL;
	*state = call->retired->state;
	return call->retired->ctrl;
}

unsigned call_group(const struct call *call)
{
	return call->group_id;
}

unsigned call_number(const struct call *call)
{
	return call->number_id;
}

/* --- the table's actions ------------------------------------------------------------ */

static void publish(struct call *call, enum ev_type type, const char *by, const char *to,
		    long long ms)
{
	struct ev e = { .type = type, .agent = agent_of(call), .by = by, .to = to, .ms = ms };
	call_publish(call, &e);
}

void act_hold(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	struct leg *ag, *cu;
	if (!call_sides(call, &ag, &cu))
		return;
	/* Keys still to send are dropped: the music replaces them. */
	call->keys_out = NULL;
	call_timer_stop(call, TMR_DTMF);
	call->held_at = core_now_ms();
	call->holds++;
	call->held_by_phone = arg->text && !strcmp(arg->text, "phone");
	media_hold(call, ag, cu, true, call_hold_music(call), call->muted);
	log_info("call %s: on hold (%s)", call->id, arg->text ? arg->text : "workbench");
	publish(call, EV_CALL_HOLD, arg->text, NULL, 0);
}

/* The hold ends (taken back, transferred, or the agent gone): the time is
 * counted, the media restored. */
long long call_hold_end(struct call *call)
{
	struct leg *ag, *cu;
	long long ms = core_now_ms() - call->held_at;
	call->hold_ms += ms;
	call->held_by_phone = false;
	if (call_sides(call, &ag, &cu))
		media_hold(call, ag, cu, false, NULL, call->muted);
	return ms;
}

void act_resume(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	long long ms = call_hold_end(call);
	log_info("call %s: taken off hold after %lld ms", call->id, ms);
	publish(call, EV_CALL_RESUME, arg->text, NULL, ms);
}

void act_mute(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)arg;
	struct leg *ag, *cu;
	call->muted = true;
	/* Held, the agent's side is blocked already. */
	if (from == CALL_BRIDGED && call_sides(call, &ag, &cu))
		media_mute(call, ag, true);
	publish(call, EV_CALL_MUTE, NULL, NULL, 0);
}

void act_unmute(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)arg;
	struct leg *ag, *cu;
	call->muted = false;
	if (from == CALL_BRIDGED && call_sides(call, &ag, &cu))
		media_mute(call, ag, false);
	publish(call, EV_CALL_UNMUTE, NULL, NULL, 0);
}

void act_drop(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	call_end(call, RESULT_ANSWERED, SIDE_AGENT,
		 arg->text ? arg->text : "agent hung up (workbench)");
}

/* --- the phone's re-INVITE ------------------------------------------------------------ */

static void reinvite_done(struct call *call, struct leg *leg, const char *sdp)
{
	struct sdp_audio a;
	leg->reinvite = false;
	if (leg->gone || call->state == CALL_ENDING)
		return;
	if (!sdp) {
		/* The session stays as it was (RFC 3261 14.2). */
		leg_reinvite_answer(leg, 500, NULL);
		return;
	}
	leg_reinvite_answer(leg, 200, sdp);
	/* What the phone asked for decides: sendonly or inactive is its hold
	 * button, sendrecv its end. */
	bool hold = !sdp_parse(leg->sdp, strlen(leg->sdp), &a) &&
		    (a.dir == SDP_SENDONLY || a.dir == SDP_INACTIVE);
	if (hold && call->state == CALL_BRIDGED)
		call_hold(call, true, "phone");
	else if (!hold && call->state == CALL_HELD && call->held_by_phone)
		call_hold(call, false, "phone");
}

void act_reinvite(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	struct leg *leg = arg->leg, *ag, *cu;
	struct sdp_audio a;
	if (!call_sides(call, &ag, &cu) || leg != ag || leg->reinvite || !arg->text ||
	    sdp_parse(arg->text, strlen(arg->text), &a)) {
		/* Not the agent's phone, one at a time, and with an offer:
		 * anything else keeps the session as it is. */
		leg_reinvite_answer(leg, leg->reinvite ? 491 : 488, NULL);
		return;
	}
	const char *other_sdp = cu == &call->caller ? call->sdp_caller : cu->sdp;
	leg->reinvite = true;
	leg->sdp = arg->text;
	/* The phone holding (sendonly/inactive) is answered recvonly/inactive
	 * by the other side; otherwise sendrecv. */
	enum sdp_dir dir = a.dir == SDP_SENDONLY   ? SDP_RECVONLY
			   : a.dir == SDP_INACTIVE ? SDP_INACTIVE
			   : a.dir == SDP_RECVONLY ? SDP_SENDONLY
						   : SDP_SENDRECV;
	media_reoffer(call, leg, cu, arg->text, other_sdp, dir, reinvite_done);
}

/* --- blind transfer ---------------------------------------------------------------------- */

void act_transfer(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	struct leg *ag = call->agent_leg;
	if (from == CALL_HELD) {
		long long ms = call_hold_end(call);
		publish(call, EV_CALL_RESUME, "transfer", NULL, ms);
	}
	call->muted = false;
	call->transfers++;
	log_info("call %s: agent %s transfers the caller to %s", call->id, agent_of(call),
		 arg->text);
	publish(call, EV_CALL_TRANSFER, call->xfer_by, arg->text, 0);
	monitor_stop(call, "transferred");
	call->agent_leg = NULL;
	if (ag)
		call_end_agent_leg(call, ag, SIDE_AGENT);
	/* The controller that had the caller is kept: its record and release
	 * run with the call's end. */
	struct ctrl_retired *r = call->ctrl ? call_mem(call, sizeof *r) : NULL;
	if (r) {
		*r = (struct ctrl_retired){ call->retired, call->ctrl, call->ctrl_state };
		call->retired = r;
	} else if (call->ctrl && call->ctrl->release) {
		call->ctrl->release(call->ctrl_state);
	}
	call_set_controller(call, call->xfer_ctrl, call->xfer_state);
	call->xfer_ctrl = NULL;
	call->xfer_state = NULL;
	if (call->ctrl && call->ctrl->start)
		call->ctrl->start(call, call->ctrl_state);
	else
		call_hangup(call, RESULT_ANSWERED, "transfer failed");
}

/* --- a phone's REFER ------------------------------------------------------------------- */

int call_referred(struct call *call, struct leg *leg, const char *user, const char **why,
		  char *target, size_t n)
{
	struct leg *ag, *cu;
	void *arg;
	const struct call_refer_ops *ops = calls_refer(call->calls, &arg);
	if (!talking(call) || !call_sides(call, &ag, &cu) || leg != ag) {
		*why = "only the agent's phone transfers a call it talks on";
		return 403;
	}
	if (call->own_agent_id) {
		*why = "an agent's own call cannot be transferred";
		return 403;
	}
	if (call->state == CALL_CONSULT) {
		*why = "a consultation is under way";
		return 403;
	}
	if (!ops) {
		*why = "transfers are not taken here";
		return 501;
	}
	const char *err = ops->target(arg, call, user, target, n);
	if (err) {
		*why = !strcmp(err, "same_agent") ? "a call cannot be transferred to its own agent"
						  : "no agent, number or flow is called that";
		/* 403 leaves the dialog as it is; 404 would end it (RFC 5057). */
		return 403;
	}
	return 202;
}

/* --- keys to the far end -------------------------------------------------------------------- */

/* Each key's tone file in the audio folder (scripts/make-prompts.sh), and
 * its length: 120 ms of tone, 80 ms of silence. */
#define KEY_TONE_MS 200

static const char *key_file(struct call *call, char key)
{
	char name[16], path[512];
	if (key == '*')
		snprintf(name, sizeof name, "star");
	else if (key == '#')
		snprintf(name, sizeof name, "hash");
	else
		snprintf(name, sizeof name, "%c", key);
	snprintf(path, sizeof path, "%s/sys-dtmf-%s.wav", call->env->core->conf->audio_dir, name);
	return call_strdup(call, path);
}

/* Plays the next key, or ends the sending (the agent heard again). */
static void next_key(struct call *call)
{
	struct leg *ag, *cu;
	if (!call_sides(call, &ag, &cu))
		return;
	if (!call->keys_out || !*call->keys_out) {
		call->keys_out = NULL;
		if (!call->muted)
			media_mute(call, ag, false);
		return;
	}
	const char *file = key_file(call, *call->keys_out);
	call->keys_out++;
	media_play_to(call, cu, file);
	call_timer_set(call, TMR_DTMF, KEY_TONE_MS);
}

void act_dtmf_send(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	struct leg *ag, *cu;
	if (!call_sides(call, &ag, &cu))
		return;
	struct ev e = { .type = EV_CALL_DTMF_SEND, .agent = agent_of(call), .digits = arg->text };
	call_publish(call, &e);
	if (call->keys_out) {
		/* Keys under way: these follow them. */
		size_t a = strlen(call->keys_out), b = strlen(arg->text);
		char *all = call_mem(call, a + b + 1);
		if (all) {
			memcpy(all, call->keys_out, a);
			memcpy(all + a, arg->text, b + 1);
			call->keys_out = all;
		}
		return;
	}
	/* The agent's audio would interleave with the tones (RTPENGINE.md):
	 * it is held back while they play. */
	if (!call->muted)
		media_mute(call, ag, true);
	call->keys_out = arg->text;
	next_key(call);
}

void act_dtmf_tone(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	(void)arg;
	next_key(call);
}
