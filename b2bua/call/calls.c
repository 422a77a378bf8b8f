/* The calls of this node: the table, a new INVITE becoming a call, what
 * arrives for a call by id (DTMF, the ACD), shutdown, and the read-only
 * views. See call.h. */
#include "b2bua/call/call_priv.h"

#include "b2bua/core/core.h"
#include "b2bua/core/tmr.h"
#include "b2bua/lookup/contact.h"
#include "b2bua/media/rtpe.h"
#include "hash.h"
#include "log.h"
#include "phone.h"
#include "rnd.h"
#include "utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sofia-sip/sip_status.h>

#define BUCKETS 8192

struct calls {
	struct calls_env env;
	call_route_h *route;
	void *route_arg;
	const struct call_refer_ops *refer;
	void *refer_arg;
	struct cdr *cdr;
	bool accepting;
	struct call *first;
	struct call *buckets[BUCKETS];
	unsigned count;
	unsigned objects;	/* call objects alive, in the table or not */
};

int calls_alloc(struct calls **cp, const struct calls_env *env, call_route_h *route, void *arg)
{
	if (!cp || !env || !env->core || !env->sip || !env->rtpes || !env->acd || !route)
		return EINVAL;
	struct calls *c = calloc(1, sizeof *c);
	if (!c)
		return ENOMEM;
	c->env = *env;
	c->route = route;
	c->route_arg = arg;
	int err = cdr_alloc(&c->cdr, env->core, env->dbq);
	if (err) {
		free(c);
		return err;
	}
	*cp = c;
	return 0;
}

void calls_free(struct calls *c)
{
	if (!c)
		return;
	cdr_free(c->cdr);
	free(c);
}

void calls_accept(struct calls *c, bool accept)
{
	c->accepting = accept;
}

int calls_close_lost(struct calls *c, long long started_ms, const struct calls_closed_cb *cb)
{
	return cdr_close_lost(c->cdr, started_ms, cb);
}

bool calls_accepting(const struct calls *c)
{
	return c->accepting;
}

unsigned calls_count(const struct calls *c)
{
	return c->count;
}

unsigned calls_objects(const struct calls *c)
{
	return c->objects;
}

static unsigned bucket(const char *id)
{
	return hash_fnv1a(id) % BUCKETS;
}

static struct call *find(const struct calls *c, const char *id)
{
	for (struct call *call = c->buckets[bucket(id)]; call; call = call->next_in_bucket)
		if (!strcmp(call->id, id))
			return call;
	return NULL;
}

void calls_add(struct calls *c, struct call *call)
{
	call->next = c->first;
	call->prev = NULL;
	if (c->first)
		c->first->prev = call;
	c->first = call;
	unsigned b = bucket(call->id);
	call->next_in_bucket = c->buckets[b];
	c->buckets[b] = call;
	c->count++;
}

void calls_remove(struct calls *c, struct call *call)
{
	if (call->prev)
		call->prev->next = call->next;
	else if (c->first == call)
		c->first = call->next;
	else
		return;	/* not in the table */
	if (call->next)
		call->next->prev = call->prev;
	struct call **p = &c->buckets[bucket(call->id)];
	while (*p && *p != call)
		p = &(*p)->next_in_bucket;
	if (*p)
		*p = call->next_in_bucket;
	call->next = call->prev = call->next_in_bucket = NULL;
	c->count--;
}

const struct call *calls_first(const struct calls *c)
{
	return c->first;
}

const struct call *calls_next(const struct call *call)
{
	return call->next;
}

void call_view(const struct call *call, struct call_view *v)
{
	/* The agent talking, else the one offered last. */
	const struct leg *l = call->agent_leg ? call->agent_leg : call->offered;
	*v = (struct call_view){
		.id = call->id, .state = call_state_name(call->state), .caller = call->caller_num,
		.callee = call->callee, .group = call->group_id,
		.agent = l && l->agent ? l->agent_id : call->own_agent_id, .contact = call->contact_id,
		.contact_name = call->contact_name, .caller_norm = call->caller_norm,
		.started_ms = call->t_start, .held = call->state == CALL_HELD, .muted = call->muted,
	};
}

void calls_set_refer(struct calls *c, const struct call_refer_ops *ops, void *arg)
{
	c->refer = ops;
	c->refer_arg = arg;
}

const struct call_refer_ops *calls_refer(const struct calls *c, void **arg)
{
	*arg = c->refer_arg;
	return c->refer;
}

struct call *calls_find(struct calls *c, const char *id)
{
	return id ? find(c, id) : NULL;
}

/* Where a call that was never queued waits: nowhere. */
static const struct call_queue no_queue;

/* The last reference went: everything not in the home. */
static void call_destructor(void *arg)
{
	struct call *call = arg;
	for (unsigned i = 0; i < TMR_COUNT; i++)
		tmr_free(&call->timers[i]);
	if (call->ctrl && call->ctrl->release)
		call->ctrl->release(call->ctrl_state);
	/* Controllers a transfer replaced, newest first (in the call's home). */
	for (struct ctrl_retired *r = call->retired; r; r = r->next)
		if (r->ctrl->release)
			r->ctrl->release(r->state);
	while (call->pending) {
		struct cev_pending *p = call->pending;
		call->pending = p->next;
		free(p);
	}
	rtpe_release(call->rtpe);
	call->calls->objects--;
	log_debug("call %s freed", call->id);
}

struct call *call_alloc(struct calls *c)
{
	struct call *call = su_home_new(sizeof *call);
	if (!call)
		return NULL;
	call->calls = c;
	c->objects++;
	su_home_destructor(call->home, call_destructor);
	if (rnd_uuid32(call->id)) {
		su_home_unref(call->home);
		return NULL;
	}
	call->env = &c->env;
	call->rtpe = rtpe_take(c->env.rtpes, (unsigned)c->env.core->conf->max_ng_lagging);
	call->te_pt = -1;
	call->queue = &no_queue;
	leg_init(&call->caller, call, LEG_CALLER, 0);
	return call;
}

static void refuse(nua_handle_t *nh, int status, const char *why, const sip_t *sip)
{
	log_warn("INVITE %s refused with %d: %s", sip && sip->sip_call_id ? sip->sip_call_id->i_id : "?",
		 status, why);
	/* The handle goes when nua reports it terminated (sip.c). */
	nua_respond(nh, status, sip_status_phrase(status), TAG_END());
}

const char *call_keep_offer(struct call *call, const char *body, size_t len)
{
	if (!body || !len)
		return "no SDP offer";
	struct sdp_audio a;
	const char *why = sdp_parse(body, len, &a);
	if (why)
		return why;
	const struct sdp_codec *c = sdp_first_codec(&a);
	if (!c)
		return "no audio codec";
	call->codec = *c;
	call->te_pt = a.te_pt;
	call->sdp_caller = call_strndup(call, body, len);
	return NULL;
}

/* The INVITE's offer: late offer is not taken from callers. */
static const char *take_offer(struct call *call, const sip_t *sip)
{
	if (!sip->sip_payload || !sip->sip_payload->pl_len)
		return "no SDP offer (late offer is not supported)";
	if (sip->sip_content_type && sip->sip_content_type->c_type &&
	    strcasecmp(sip->sip_content_type->c_type, "application/sdp"))
		return "body is not SDP";
	return call_keep_offer(call, sip->sip_payload->pl_data, sip->sip_payload->pl_len);
}

void call_contact_found(void *arg, const char *id, const char *name, const char *agent,
			  const struct lookup_field *fields, size_t nfields)
{
	struct call *call = arg;
	call->looking_up = false;
	/* The controller hears of it (found or not) first: an IVR flow waits
	 * for the caller's record before it starts. */
	if (call->ctrl && call->ctrl->contact && call->state != CALL_ENDING)
		call->ctrl->contact(call, call->ctrl_state, id, name, fields, nfields);
	if (id) {
		if (agent)
			call->dedicated = call_strdup(call, agent);
		struct cev_arg a = { .text = call_strdup(call, id),
				     .name = call_strdup(call, name) };
		call_event(call, CEV_CONTACT, &a);
	}
	call_unref(call);
}

/* The agent Kamailio authenticated for an outbound call from its phone
 * (kamailio-cfg: X-CC-Agent-Out, never the phone's own), or NULL. */
static char *agent_out(struct call *call, const sip_t *sip)
{
	for (const sip_unknown_t *u = sip->sip_unknown; u; u = u->un_next)
		if (u->un_name && !strcasecmp(u->un_name, "X-CC-Agent-Out") && u->un_value &&
		    *u->un_value)
			return call_strdup(call, u->un_value);
	return NULL;
}

/* s is well-formed UTF-8 (NULL counts). */
static bool utf8_or_null(const char *s)
{
	return !s || utf8_chars(s) >= 0;
}

void calls_incoming(void *arg, nua_handle_t *nh, const sip_t *sip)
{
	struct calls *c = arg;
	const struct b2bua_conf *conf = c->env.core->conf;
	if (!c->accepting) {
		refuse(nh, 503, "not accepting calls (starting or shutting down)", sip);
		return;
	}
	if (c->count >= (unsigned)conf->max_calls) {
		refuse(nh, 503, "too many calls", sip);
		return;
	}
	if (!sip->sip_request || !sip->sip_from || !sip->sip_call_id) {
		refuse(nh, 400, "malformed request", sip);
		return;
	}
	if (!utf8_or_null(sip->sip_call_id->i_id) || !utf8_or_null(sip->sip_from->a_url->url_user) ||
	    !utf8_or_null(sip->sip_request->rq_url->url_user)) {
		/* They go into the call's records, which take UTF-8 only. */
		refuse(nh, 400, "the Call-ID, the caller or the callee is not UTF-8", sip);
		return;
	}
	const char *bad_target = sip_dialog_target_error(sip);
	if (bad_target) {
		refuse(nh, 400, bad_target, sip);
		return;
	}
	struct call *call = call_alloc(c);
	if (!call) {
		refuse(nh, 500, "out of memory", sip);
		return;
	}
	/* Every rtpengine behind: a new call would only add to a backlog and
	 * wait seconds for media; a quick 503 lets the gateway go elsewhere
	 * and the calls already up keep their media. */
	if (!call->rtpe) {
		su_home_unref(call->home);
		refuse(nh, 503, "media server overloaded", sip);
		return;
	}
	call->t_start = core_now_ms();
	leg_accept(&call->caller, nh);
	calls_add(c, call);	/* the table keeps the reference call_alloc gave */
	call_timer_set(call, TMR_LIMIT, conf->max_call_s * 1000);

	const url_t *from = sip->sip_from->a_url;
	call->sip_call_id = call_strdup(call, sip->sip_call_id->i_id);
	call->caller_num = call_strdup(call, from->url_user ? from->url_user : "anonymous");
	call->callee = call_strdup(call, sip->sip_request->rq_url->url_user
						   ? sip->sip_request->rq_url->url_user : "");
	char norm[40];
	phone_normalize(c->env.phone, call->caller_num, norm, sizeof norm);
	call->caller_norm = call_strdup(call, norm);
	log_info("call %s: INVITE %s from %s to %s, rtpengine %s", call->id, call->sip_call_id,
		 call->caller_num, call->callee, rtpe_addr(call->rtpe));

	call->agent_out = agent_out(call, sip);
	call->outbound = call->agent_out != NULL;
	const char *refused = c->route(c->route_arg, call, call->callee);
	struct ev e = { .type = EV_CALL_NEW, .ts = call->t_start,
			.direction = call->outbound ? "outbound" : "inbound",
			.caller = call->caller_num, .callee = call->callee,
			.agent = call->own_agent_id };
	call_publish(call, &e);
	if (refused) {
		call_hangup(call, RESULT_FAILED, refused);
		return;
	}
	const char *why = take_offer(call, sip);
	if (why) {
		log_warn("call %s: %s", call->id, why);
		call_hangup(call, RESULT_FAILED, "bad offer");
		return;
	}
	/* An agent's own call: the customer is the number it dials. */
	if (!call->own_agent)
		call_lookup_contact(call);
	media_anchor(call);
}

void call_lookup_contact(struct call *call)
{
	const struct calls_env *env = call->env;
	if (env->lookup && !call->looking_up &&
	    !lookup_contact(env->lookup, call->caller_norm, call_contact_found, call)) {
		call_ref(call);
		call->looking_up = true;
	}
}

void calls_dtmf(struct calls *c, const char *call_id, const char *tag, char digit)
{
	struct call *call = find(c, call_id);
	if (!call || strcmp(tag, call->caller.tag)) {
		log_debug("DTMF %c from %s on %s: not a caller of this node", digit, tag, call_id);
		return;
	}
	char d[2] = { digit, '\0' };
	struct ev e = { .type = EV_CALL_DTMF, .digit = d };
	call_publish(call, &e);
	struct cev_arg a = { .digit = digit };
	call_event(call, CEV_DTMF, &a);
}

void calls_end_all(struct calls *c, const char *cause)
{
	c->accepting = false;
	/* Each hang-up takes its call out of the table. */
	struct call *call;
	while ((call = c->first)) {
		call_hangup(call, RESULT_NONE, cause);
		if (c->first == call) {
			/* Marked: a call that cannot end would loop here. */
			log_err("call %s did not end", call->id);
			calls_remove(c, call);
		}
	}
}

/* --- the ACD's owner callbacks ---------------------------------------------------- */

static int acd_offer(void *owner, struct agent *a)
{
	struct cev_arg arg = { .agent = a };
	return call_event(owner, CEV_AGENT_OFFERED, &arg) ? 0 : -1;
}

static void acd_withdraw(void *owner, struct agent *a)
{
	struct cev_arg arg = { .agent = a };
	call_event(owner, CEV_OFFER_WITHDRAWN, &arg);
}

const struct acd_owner_ops calls_acd_ops = { acd_offer, acd_withdraw };
