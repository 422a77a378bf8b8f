/* The caller's side: media anchored as the IVR, the caller answered, and
 * the controller's turn (prompts, keys, its timer); the contact found. */
#include "b2bua/call/call_priv.h"

#include "log.h"

#include <string.h>

void act_answer_as_ivr(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	(void)arg;
	media_answer_as_ivr(call);
}

void act_begin_flow(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	leg_answer(&call->caller, arg->text);
	if (call->ctrl && call->ctrl->start)
		call->ctrl->start(call, call->ctrl_state);
	else
		call_hangup(call, RESULT_FAILED, "no controller");
}

void call_tell(struct call *call, enum call_signal sig, char digit)
{
	if (call->ctrl && call->ctrl->signal)
		call->ctrl->signal(call, call->ctrl_state, sig, digit);
}

void act_prompt_done(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	(void)arg;
	call_tell(call, CSIG_PROMPT_DONE, 0);
}

void act_dtmf(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	call_tell(call, CSIG_DTMF, arg->digit);
}

void act_flow_timer(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	(void)arg;
	call_tell(call, CSIG_TIMER, 0);
}

void act_play(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	media_play(call, arg->text, 0);
}

void act_stop_prompt(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	(void)arg;
	media_stop(call);
}

void act_played(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	if (arg->text) {
		/* The event log says what the caller heard: file name and length. */
		const char *base = strrchr(arg->text, '/');
		struct ev e = { .type = EV_CALL_PROMPT, .file = base ? base + 1 : arg->text,
				.ms = arg->ms };
		call_publish(call, &e);
	}
	/* A prompt is over when its length has passed (music has no end), with a
	 * little slack so its last packets are out; at once if it failed. */
	if (!arg->looped)
		call_timer_set(call, TMR_PROMPT, arg->ms > 0 ? arg->ms + 200 : 0);
}

void act_contact(struct call *call, enum call_state from, const struct cev_arg *arg)
{
	(void)from;
	call->contact_id = (char *)arg->text;
	call->contact_name = (char *)arg->name;
	log_info("call %s: caller %s is contact %s", call->id, call->caller_norm, arg->text);
	/* Found while the call waits: its dedicated agent first from now. */
	call_prefer(call);
	struct ev e = { .type = EV_CALL_CONTACT, .contact = arg->text, .contact_name = arg->name };
	call_publish(call, &e);
}
