/* rtpengine for a call: anchoring the caller's media as the IVR, prompts
 * and music, an agent's branch, bridging, and the end. Requests are never
 * waited for; every reply comes back as an event of the call, so the state
 * machine decides what a late reply still means. Each outstanding request
 * holds a reference on the call. See RTPENGINE.md for the sequences. */
#include "b2bua/call/call_priv.h"

#include "b2bua/core/core.h"
#include "b2bua/media/ng.h"
#include "b2bua/media/rtpe.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

static const char *const port_latching[] = { "port latching", NULL };
static const char *const replace_origin[] = { "origin", "session-connection", NULL };

struct ng_client *call_ng(const struct call *call)
{
	return rtpe_ng(call->rtpe);
}

/* The SDP of a reply, in the call's home; NULL when there is none. */
static const char *reply_sdp(struct call *call, const struct benc *reply)
{
	const struct benc *sdp = benc_get(reply, "sdp");
	return sdp && sdp->type == BENC_STR ? call_strndup(call, sdp->str, sdp->len) : NULL;
}

/* Sends a request whose reply goes to h with the call (a reference taken
 * for it). false when it could not be sent. */
static bool request(struct call *call, enum ng_cmd cmd, const struct ng_params *p, ng_reply_h *h,
		    void *arg)
{
	call_ref(call);
	if (ng_request(call_ng(call), cmd, p, h, arg, NULL)) {
		call_unref(call);
		return false;
	}
	return true;
}

/* A reply that means ok or MEDIA_FAILED: ok is raised with text on success
 * (err NULL); what names the request in the log. Drops the request's
 * reference. */
static void reply_event(struct call *call, const char *err, const char *what, enum call_event ok,
			const char *text)
{
	if (err) {
		log_err("call %s: rtpengine %s failed: %s", call->id, what, err);
		call_raise(call, CEV_MEDIA_FAILED, "media unavailable");
	} else {
		call_raise(call, ok, text);
	}
	call_unref(call);
}

/* --- the caller's media ------------------------------------------------------------ */

static void answered_as_ivr(const struct benc *reply, const char *err, void *arg)
{
	struct call *call = arg;
	const char *sdp = err ? NULL : reply_sdp(call, reply);
	reply_event(call, sdp ? NULL : err ? err : "no SDP", "answer", CEV_MEDIA_READY, sdp);
}

static void offered(const struct benc *reply, const char *err, void *arg)
{
	(void)reply;
	reply_event(arg, err, "offer", CEV_MEDIA_OFFERED, NULL);
}

void media_anchor(struct call *call)
{
	struct ng_params p = {
		.call_id = call->id, .from_tag = call->caller.tag, .sdp = call->sdp_caller,
		.flags = port_latching, .replace = replace_origin, .ice = "remove",
	};
	call->media_up = true;
	if (!request(call, NG_OFFER, &p, offered, call))
		call_raise(call, CEV_MEDIA_FAILED, "media unavailable");
}

void media_answer_as_ivr(struct call *call)
{
	/* rtpengine has the caller's offer: answer it as the IVR with a
	 * placeholder SDP in the caller's codec; what comes back is the SDP
	 * for the caller's 200 OK. */
	char dummy[512];
	if (sdp_write(dummy, sizeof dummy, sip_host(call->env->sip), 9, &call->codec, call->te_pt,
		      (unsigned long long)call->t_start) < 0) {
		call_raise(call, CEV_MEDIA_FAILED, "media unavailable");
		return;
	}
	struct ng_params p = {
		.call_id = call->id, .from_tag = call->caller.tag, .to_tag = "ivr", .sdp = dummy,
		.flags = port_latching, .replace = replace_origin,
	};
	if (!request(call, NG_ANSWER, &p, answered_as_ivr, call))
		call_raise(call, CEV_MEDIA_FAILED, "media unavailable");
}

/* --- prompts and music ------------------------------------------------------------ */

struct play_ctx {
	struct call *call;
	unsigned seq;
	long repeat;
	const char *file;	/* the call's copy */
};

static void played(const struct benc *reply, const char *err, void *arg)
{
	struct play_ctx *ctx = arg;
	struct call *call = ctx->call;
	if (ctx->seq == call->prompt_seq) {
		const struct benc *d = benc_get(reply, "duration");
		long long ms = !err && d && d->type == BENC_INT && !ctx->repeat ? d->num : 0;
		if (ms < 0 || ms > 86400000)
			ms = 0;
		if (err)
			log_warn("call %s: prompt %s not played: %s", call->id, ctx->file, err);
		struct cev_arg a = { .text = err ? NULL : ctx->file, .ms = (unsigned)ms,
				     .looped = ctx->repeat > 0 };
		call_event(call, CEV_PLAYED, &a);
	}
	free(ctx);
	call_unref(call);
}

void media_play(struct call *call, const char *file, long repeat)
{
	call->prompt_seq++;
	call_timer_stop(call, TMR_PROMPT);
	struct play_ctx *ctx = malloc(sizeof *ctx);
	struct ng_params p = {
		.call_id = call->id, .from_tag = call->caller.tag, .file = file,
		.repeat_times = repeat,
	};
	if (ctx) {
		*ctx = (struct play_ctx){ call, call->prompt_seq, repeat, file };
		if (request(call, NG_PLAY_MEDIA, &p, played, ctx))
			return;
		free(ctx);
	}
	log_warn("call %s: cannot ask rtpengine to play %s", call->id, file);
	struct cev_arg a = { .looped = repeat > 0 };
	call_event(call, CEV_PLAYED, &a);
}

static void dropped(const struct benc *reply, const char *err, void *arg)
{
	struct call *call = arg;
	(void)reply;
	if (err)
		log_debug("call %s: rtpengine: %s", call->id, err);
	call_unref(call);
}

/* Fire-and-forget commands for this call. */
static void command(struct call *call, enum ng_cmd cmd, const char *from_tag)
{
	struct ng_params p = { .call_id = call->id, .from_tag = from_tag };
	request(call, cmd, &p, dropped, call);
}

void media_stop(struct call *call)
{
	call->moh_on = false;
	call->prompt_seq++;
	call_timer_stop(call, TMR_PROMPT);
	command(call, NG_STOP_MEDIA, call->caller.tag);
}

void media_delete(struct call *call)
{
	if (call->media_up)
		command(call, NG_DELETE, NULL);
	call->media_up = false;
}

/* --- an agent's branch ----------------------------------------------------------- */

static void leg_offered(const struct benc *reply, const char *err, void *arg)
{
	struct leg *leg = arg;
	struct call *call = leg->call;
	const char *sdp = err ? NULL : reply_sdp(call, reply);
	if (call_offered(call, leg) && !leg->gone) {
		if (!sdp) {
			log_err("call %s: rtpengine offer for %s failed: %s", call->id, leg->tag,
				err ? err : "no SDP");
			call_raise(call, CEV_MEDIA_FAILED, "media unavailable");
		} else {
			struct cev_arg a = { .leg = leg, .text = sdp };
			call_event(call, CEV_LEG_MEDIA, &a);
		}
	}
	call_unref(call);
}

bool media_offer_leg(struct call *call, struct leg *leg)
{
	/* The agent is offered the caller's codec only (and telephone-event). */
	int keep[2] = { call->codec.pt, call->te_pt };
	size_t len = strlen(call->sdp_caller) + 1;
	/* Only for the request (ng_request encodes it at once): a call offered
	 * to many agents keeps no copy per offer. */
	char *reduced = malloc(len);
	if (!reduced ||
	    sdp_reduce(call->sdp_caller, len - 1, keep, call->te_pt >= 0 ? 2 : 1, reduced, len) < 0) {
		free(reduced);
		return false;
	}
	struct ng_params p = {
		.call_id = call->id, .from_tag = call->caller.tag, .via_branch = leg->branch,
		.sdp = reduced, .flags = port_latching, .replace = replace_origin, .ice = "remove",
	};
	bool sent = request(call, NG_OFFER, &p, leg_offered, leg);
	free(reduced);
	if (!sent)
		call_raise(call, CEV_MEDIA_FAILED, "media unavailable");
	return true;
}

static void bridged(const struct benc *reply, const char *err, void *arg)
{
	(void)reply;
	reply_event(arg, err, "answer for agent", CEV_BRIDGE_READY, NULL);
}

void media_bridge(struct call *call, struct leg *leg, const char *sdp)
{
	struct ng_params p = {
		.call_id = call->id, .from_tag = call->caller.tag, .to_tag = leg->tag,
		.via_branch = leg->branch, .flags = port_latching, .replace = replace_origin,
		.ice = "remove", .sdp = sdp,
	};
	if (!request(call, NG_ANSWER, &p, bridged, call))
		call_raise(call, CEV_MEDIA_FAILED, "media unavailable");
}

/* --- the agent's controls ----------------------------------------------------------- */

void media_hold(struct call *call, const struct leg *agent, const struct leg *customer, bool on,
		const char *moh, bool muted)
{
	if (on) {
		/* Blocked first: play media would mix the music with the
		 * agent's audio (RTPENGINE.md, hold). */
		command(call, NG_BLOCK_MEDIA, agent->tag);
		command(call, NG_BLOCK_MEDIA, customer->tag);
		if (moh)
			media_music_to(call, customer, moh);
		return;
	}
	command(call, NG_STOP_MEDIA, customer->tag);
	command(call, NG_UNBLOCK_MEDIA, customer->tag);
	if (!muted)
		command(call, NG_UNBLOCK_MEDIA, agent->tag);
}

void media_play_to(struct call *call, const struct leg *leg, const char *file)
{
	struct ng_params p = { .call_id = call->id, .from_tag = leg->tag, .file = file };
	request(call, NG_PLAY_MEDIA, &p, dropped, call);
}

void media_music_to(struct call *call, const struct leg *leg, const char *file)
{
	struct ng_params p = { .call_id = call->id, .from_tag = leg->tag, .file = file,
			       .repeat_times = call->env->core->conf->moh_repeat };
	request(call, NG_PLAY_MEDIA, &p, dropped, call);
}

void media_mute(struct call *call, const struct leg *agent, bool on)
{
	command(call, on ? NG_BLOCK_MEDIA : NG_UNBLOCK_MEDIA, agent->tag);
}

/* A re-INVITE on its way through rtpengine: offered, then answered for
 * the other side. */
struct reoffer {
	struct call *call;
	struct leg *leg;
	const char *other_tag;
	char *answer;		/* the other side's SDP in the direction asked */
	media_reoffer_h *done;
};

static void reoffer_end(struct reoffer *r, const char *sdp)
{
	r->done(r->call, r->leg, sdp);
	call_unref(r->call);
	free(r->answer);
	free(r);
}

static void reanswered(const struct benc *reply, const char *err, void *arg)
{
	struct reoffer *r = arg;
	const char *sdp = err ? NULL : reply_sdp(r->call, reply);
	if (!sdp)
		log_err("call %s: rtpengine answer to %s's re-INVITE failed: %s", r->call->id,
			r->leg->tag, err ? err : "no SDP");
	reoffer_end(r, sdp);
}

static void reoffered(const struct benc *reply, const char *err, void *arg)
{
	struct reoffer *r = arg;
	(void)reply;
	struct call *call = r->call;
	if (err) {
		log_err("call %s: rtpengine offer of %s's re-INVITE failed: %s", call->id, r->leg->tag,
			err);
		reoffer_end(r, NULL);
		return;
	}
	struct ng_params p = {
		.call_id = call->id, .from_tag = r->leg->tag, .to_tag = r->other_tag,
		.sdp = r->answer, .flags = port_latching, .replace = replace_origin, .ice = "remove",
	};
	/* The reference of the offer goes on with the answer. */
	if (ng_request(call_ng(call), NG_ANSWER, &p, reanswered, r, NULL)) {
		log_err("call %s: cannot send rtpengine the answer to %s's re-INVITE", call->id,
			r->leg->tag);
		reoffer_end(r, NULL);
	}
}

void media_reoffer(struct call *call, struct leg *leg, const struct leg *other, const char *sdp,
		   const char *other_sdp, enum sdp_dir dir, media_reoffer_h *done)
{
	struct reoffer *r = calloc(1, sizeof *r);
	size_t cap = other_sdp ? strlen(other_sdp) + 32 : 0;
	if (r)
		r->answer = cap ? malloc(cap) : NULL;
	if (!r || !r->answer || sdp_set_dir(other_sdp, cap - 32, dir, r->answer, cap) < 0) {
		log_err("call %s: %s's re-INVITE cannot be answered (no SDP of the other side)",
			call->id, leg->tag);
		if (r)
			free(r->answer);
		free(r);
		done(call, leg, NULL);
		return;
	}
	r->call = call;
	r->leg = leg;
	r->other_tag = other->tag;
	r->done = done;
	struct ng_params p = {
		.call_id = call->id, .from_tag = leg->tag, .to_tag = other->tag, .sdp = sdp,
		.flags = port_latching, .replace = replace_origin, .ice = "remove",
	};
	if (!request(call, NG_OFFER, &p, reoffered, r)) {
		free(r->answer);
		free(r);
		done(call, leg, NULL);
	}
}

/* --- subscriptions: who hears whom, without offers ---------------------------------- */

struct sub_ctx {
	struct call *call;
	media_sdp_h *h;
	void *arg;
};

static void sub_reply(const struct benc *reply, const char *err, void *arg)
{
	struct sub_ctx *ctx = arg;
	struct call *call = ctx->call;
	const char *sdp = err ? NULL : reply_sdp(call, reply);
	if (ctx->h)
		ctx->h(call, ctx->arg, sdp, err ? err : NULL);
	else if (err)
		log_warn("call %s: rtpengine: %s", call->id, err);
	free(ctx);
	call_unref(call);
}

/* Sends dict (freed here) with h for the reply. */
static bool sub_send(struct call *call, struct benc_enc *e, media_sdp_h *h, void *arg)
{
	struct sub_ctx *ctx = e->err ? NULL : malloc(sizeof *ctx);
	bool sent = false;
	if (ctx) {
		*ctx = (struct sub_ctx){ call, h, arg };
		call_ref(call);
		sent = !ng_request_raw(call_ng(call), e, sub_reply, ctx, NULL);
		if (!sent) {
			call_unref(call);
			free(ctx);
		}
	}
	benc_enc_free(e);
	return sent;
}

bool media_subscribe(struct call *call, const char *const *from_tags, const char *to_tag,
		     media_sdp_h *h, void *arg)
{
	struct benc_enc e;
	benc_enc_init(&e);
	benc_dict(&e);
	benc_kv(&e, "command", ng_cmd_name(NG_SUBSCRIBE_REQUEST));
	benc_kv(&e, "call-id", call->id);
	benc_klist(&e, "from-tags", from_tags);
	benc_kv(&e, "to-tag", to_tag);
	benc_end(&e);
	return sub_send(call, &e, h, arg);
}

bool media_subscribe_answer(struct call *call, const char *to_tag, const char *sdp,
			    media_sdp_h *h, void *arg)
{
	/* A phone that prefers another codec than the parties' is given it
	 * (an offer lists the parties' codecs only, so this is rare). */
	static const char *const flags[] = { "allow transcoding", NULL };
	struct benc_enc e;
	benc_enc_init(&e);
	benc_dict(&e);
	benc_kv(&e, "command", ng_cmd_name(NG_SUBSCRIBE_ANSWER));
	benc_kv(&e, "call-id", call->id);
	benc_kv(&e, "to-tag", to_tag);
	benc_kv(&e, "sdp", sdp);
	benc_klist(&e, "flags", flags);
	benc_end(&e);
	return sub_send(call, &e, h, arg);
}

void media_unsubscribe(struct call *call, const char *to_tag)
{
	struct benc_enc e;
	benc_enc_init(&e);
	benc_dict(&e);
	benc_kv(&e, "command", ng_cmd_name(NG_UNSUBSCRIBE));
	benc_kv(&e, "call-id", call->id);
	benc_kv(&e, "to-tag", to_tag);
	benc_end(&e);
	sub_send(call, &e, NULL, NULL);
}

/* Both ways: a hears b and b hears a (each phone keeps its port: the
 * answers carry the phones' own SDPs, which rtpengine already has). */
void media_link(struct call *call, const struct leg *a, const char *sdp_a, const struct leg *b,
		const char *sdp_b)
{
	const char *from_b[] = { b->tag, NULL }, *from_a[] = { a->tag, NULL };
	media_subscribe(call, from_b, a->tag, NULL, NULL);
	media_subscribe_answer(call, a->tag, sdp_a, NULL, NULL);
	media_subscribe(call, from_a, b->tag, NULL, NULL);
	media_subscribe_answer(call, b->tag, sdp_b, NULL, NULL);
}
