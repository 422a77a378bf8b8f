/* Legs: one party's SIP dialog (the caller's incoming INVITE, an agent's
 * outgoing one). What happens on a leg becomes an event of its call; the
 * leg itself only keeps its dialog's bookkeeping (answered, withdrawn,
 * gone) and the nua handle, which holds a reference on the call until nua
 * says the dialog is over. */
#include "b2bua/call/call_priv.h"

#include "b2bua/core/core.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sofia-sip/sip_status.h>

void leg_init(struct leg *leg, struct call *call, enum leg_role role, unsigned n)
{
	memset(leg, 0, sizeof *leg);
	leg->call = call;
	leg->role = role;
	if (role == LEG_CALLER) {
		strcpy(leg->tag, "caller");
	} else if (role == LEG_MONITOR) {
		snprintf(leg->tag, sizeof leg->tag, "sup%u", n % 1000);
	} else if (role == LEG_CONSULT) {
		snprintf(leg->tag, sizeof leg->tag, "cs%u", n % 1000);
	} else if (role == LEG_EXTERNAL) {
		snprintf(leg->tag, sizeof leg->tag, "ext%u", n % 1000);
		snprintf(leg->branch, sizeof leg->branch, "bx%u", n % 1000);
	} else {
		snprintf(leg->tag, sizeof leg->tag, "ag%u", n);
		snprintf(leg->branch, sizeof leg->branch, "br%u", n);
	}
}

void leg_accept(struct leg *leg, nua_handle_t *nh)
{
	leg->nh = nh;
	nua_handle_bind(nh, leg);
	call_ref(leg->call);	/* the handle's */
}

void leg_answer(struct leg *leg, const char *sdp)
{
	if (leg->outgoing) {
		nua_ack(leg->nh, SIPTAG_CONTENT_TYPE_STR("application/sdp"),
			SIPTAG_PAYLOAD_STR(sdp), TAG_END());
		leg->confirmed = true;
		return;
	}
	nua_respond(leg->nh, 200, sip_status_phrase(200), SIPTAG_CONTENT_TYPE_STR("application/sdp"),
		    SIPTAG_PAYLOAD_STR(sdp), TAG_END());
	leg->answered = true;
}

/* Something to show on a phone: the name, without characters that would
 * break a quoted string. */
static void quoted_safe(const char *src, char *out, size_t n)
{
	size_t j = 0;
	for (size_t i = 0; src && src[i] && j + 1 < n; i++)
		if (src[i] != '"' && src[i] != '\\' && (unsigned char)src[i] >= 0x20)
			out[j++] = src[i];
	out[j] = '\0';
}

/* A user part safe to put in a URI: digits, '+', '*' and letters only. */
static const char *uri_user(const char *s)
{
	if (!s || !*s)
		return "anonymous";
	for (const char *p = s; *p; p++)
		if (!(*p == '+' || *p == '*' || (*p >= '0' && *p <= '9') ||
		      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			return "anonymous";
	return s;
}

/* The INVITE of an outgoing leg, with sdp or (NULL) none. */
static int invite(struct leg *leg, const char *target, const char *display, const char *from_user,
		  const char *sdp)
{
	struct call *call = leg->call;
	const struct calls_env *env = call->env;
	const char *domain = env->core->conf->sip_domain;
	char name[128], to[300], from[400], hdr[96];
	quoted_safe(display, name, sizeof name);
	snprintf(to, sizeof to, "<%s>", target);
	snprintf(from, sizeof from, "\"%s\" <sip:%s@%s>", name, uri_user(from_user), domain);
	snprintf(hdr, sizeof hdr, "X-CC-Call: %s", call->id);
	leg->nh = nua_handle(sip_nua(env->sip), leg, SIPTAG_TO_STR(to), SIPTAG_FROM_STR(from),
			     NUTAG_INITIAL_ROUTE_STR(sip_proxy_route(env->sip)), TAG_END());
	if (!leg->nh)
		return -1;
	call_ref(call);		/* the handle's */
	if (!sdp) {
		/* The answer to the offer in the 200 goes in our ACK. */
		nua_set_hparams(leg->nh, NUTAG_AUTOACK(0), TAG_END());
		nua_invite(leg->nh, NUTAG_URL(target), SIPTAG_HEADER_STR(hdr), TAG_END());
		return 0;
	}
	nua_invite(leg->nh, NUTAG_URL(target), SIPTAG_CONTENT_TYPE_STR("application/sdp"),
		   SIPTAG_PAYLOAD_STR(call_strdup(call, sdp)), SIPTAG_HEADER_STR(hdr), TAG_END());
	return 0;
}

int leg_dial(struct leg *leg, const char *target, const char *display, const char *from_user,
	     const char *sdp)
{
	return invite(leg, target, display, from_user, sdp);
}

int leg_originate(struct leg *leg, const char *target, const char *display,
		  const char *from_user)
{
	return invite(leg, target, display, from_user, NULL);
}

void leg_hangup(struct leg *leg, int status)
{
	if (leg->gone)
		return;
	leg->gone = true;
	if (!leg->nh)
		return;
	if (leg->outgoing && leg->answered && !leg->confirmed) {
		/* Its 200 waits for our ACK (a late offer): acknowledged, then
		 * ended. */
		nua_ack(leg->nh, TAG_END());
		nua_bye(leg->nh, TAG_END());
	} else if (leg->answered && leg->role == LEG_CALLER && !leg->confirmed) {
		/* A UAS sends no BYE before the ACK of its 200 (RFC 3261
		 * 15.1.1): once it comes, or nua ends the dialog when it never
		 * does. */
		leg->bye_pending = true;
	} else if (leg->answered) {
		nua_bye(leg->nh, TAG_END());
	} else if (leg->role != LEG_CALLER || leg->outgoing) {
		/* Stop the phone ringing; its 487 is ignored. */
		leg->withdrawn = true;
		nua_cancel(leg->nh, TAG_END());
	} else {
		nua_respond(leg->nh, status, sip_status_phrase(status), TAG_END());
	}
}

/* What a final failure of an agent's phone means for the agent. */
void leg_failure(int status, struct cev_arg *a)
{
	if (status == 486 || status == 600 || status == 603) {
		a->aev = AEV_REJECT;
		a->text = "rejected";
	} else if (status == 408) {
		a->aev = AEV_NO_ANSWER;
		a->text = "no_answer";
	} else {
		/* Not reachable (not registered, gone): not the agent's fault. */
		a->aev = AEV_RELEASE;
		a->text = "unreachable";
	}
}

/* The first party of a call the B2BUA placed (originate.c) answered. */
static void on_origin_response(struct leg *leg, int status, const char *phrase, const sip_t *sip)
{
	struct call *call = leg->call;
	if ((status == 180 || status == 183) && !leg->ringing && !leg->gone) {
		leg->ringing = true;
		if (call->state == CALL_ORIGINATING)
			call_tell(call, CSIG_RINGING, 0);
	}
	if (status < 200 || leg->gone)
		return;
	struct cev_arg a = { .leg = leg };
	if (status < 300) {
		leg->answered = true;
		const char *body = sip && sip->sip_payload ? sip->sip_payload->pl_data : NULL;
		a.text = body ? call_strndup(call, body, sip->sip_payload->pl_len) : NULL;
		if (!call_event(call, CEV_ORIGIN_ANSWERED, &a)) {
			log_info("call %s: late answer from %s, hanging it up", call->id, leg->tag);
			leg->gone = true;
			nua_ack(leg->nh, TAG_END());
			nua_bye(leg->nh, TAG_END());
		}
		return;
	}
	log_info("call %s: %s answered %d %s", call->id, call->origin_target, status,
		 phrase ? phrase : "");
	leg->gone = true;
	/* The names are outbound tasks' results (common/task.h) where one
	 * fits: a number that does not exist is "invalid", a carrier's or
	 * network's failure "failed". */
	a.text = status == 486 || status == 600 ? "busy"
		 : status == 603 ? "rejected"
		 : status == 408 || status == 480 ? "no_answer"
		 : status == 404 || status == 410 || status == 484 || status == 604 ? "invalid"
		 : status >= 500 ? "failed"
		 : "unreachable";
	call_event(call, CEV_ORIGIN_FAILED, &a);
}

static void on_response(struct leg *leg, int status, const char *phrase, const sip_t *sip)
{
	struct call *call = leg->call;
	if (leg->role == LEG_CALLER) {
		if (leg->outgoing)
			on_origin_response(leg, status, phrase, sip);
		return;
	}
	if (leg->role == LEG_MONITOR) {
		monitor_response(leg, status, phrase, sip);
		return;
	}
	if (leg->role == LEG_CONSULT) {
		consult_response(leg, status, phrase, sip);
		return;
	}
	struct cev_arg a = { .leg = leg, .agent = leg->agent };
	if (status < 200) {
		if ((status == 180 || status == 183) && !leg->ringing && !leg->gone) {
			leg->ringing = true;
			call_event(call, CEV_AGENT_RINGING, &a);
		}
		return;
	}
	if (status < 300) {
		leg->answered = true;
		const char *body = sip && sip->sip_payload ? sip->sip_payload->pl_data : NULL;
		a.text = body ? call_strndup(call, body, sip->sip_payload->pl_len) : NULL;
		if (leg->gone || !call_event(call, CEV_AGENT_ANSWERED, &a)) {
			/* Answered after we gave up on it: hang that call up. */
			log_info("call %s: late answer from %s, hanging it up", call->id, leg->tag);
			leg->gone = true;
			nua_bye(leg->nh, TAG_END());
		}
		return;
	}
	if (leg->gone || leg->answered)
		return;
	if (leg->role == LEG_EXTERNAL)
		log_info("call %s: external number %s answered %d %s", call->id, leg->number,
			 status, phrase ? phrase : "");
	else
		log_info("call %s: agent %s answered %d %s", call->id,
			 leg->agent_id ? leg->agent_id : "?", status, phrase ? phrase : "");
	leg_failure(status, &a);
	if (a.aev == AEV_RELEASE && leg->agent)
		/* Its phone is not to be tried again until it registers anew. */
		acd_set_registered(call->env->acd, leg->agent, false);
	call_event(call, CEV_AGENT_FAILED, &a);
}

/* The dialog is over; a dialog can end without a BYE: the caller never
 * ACKed our 200, a request timed out, the stack gave up. The call must not
 * outlive it. */
static void on_terminated(struct leg *leg)
{
	struct call *call = leg->call;
	if (!leg->nh)
		return;
	if (!leg->gone) {
		struct cev_arg a = { .leg = leg, .agent = leg->agent, .lost = true };
		if (leg->role == LEG_MONITOR) {
			a.text = leg->answered ? "supervisor dialog lost" : "unreachable";
			call_event(call, leg->answered ? CEV_MONITOR_GONE : CEV_MONITOR_FAILED, &a);
		} else if (leg->role == LEG_CONSULT) {
			a.text = leg->answered ? "dialog lost" : "unreachable";
			a.aev = AEV_RELEASE;
			call_event(call, leg->answered ? CEV_CONSULT_GONE : CEV_CONSULT_FAILED, &a);
		} else if (leg->role == LEG_CALLER) {
			log_warn("call %s: the caller's dialog ended without a BYE", call->id);
			a.text = "caller dialog lost";
			call_event(call, CEV_CALLER_GONE, &a);
		} else if (leg->answered) {
			log_warn("call %s: the %s's dialog ended without a BYE", call->id,
				 leg->role == LEG_EXTERNAL ? "external number" : "agent");
			a.text = "agent dialog lost";
			call_event(call, call_agent_gone_event(call), &a);
		} else {
			a.aev = AEV_RELEASE;
			a.text = "unreachable";
			call_event(call, CEV_AGENT_FAILED, &a);
		}
		leg->gone = true;
	}
	nua_handle_bind(leg->nh, NULL);
	nua_handle_destroy(leg->nh);
	leg->nh = NULL;
	call_unref(call);	/* the handle's */
}

/* A digit from an INFO: application/dtmf-relay ("Signal=5") or
 * application/dtmf ("5"). 0 when there is none. */
static char info_digit(const sip_t *sip)
{
	if (!sip || !sip->sip_payload || !sip->sip_content_type || !sip->sip_content_type->c_type)
		return 0;
	const char *type = sip->sip_content_type->c_type;
	char body[128];
	size_t n = sip->sip_payload->pl_len < sizeof body - 1 ? sip->sip_payload->pl_len
							      : sizeof body - 1;
	memcpy(body, sip->sip_payload->pl_data, n);
	body[n] = '\0';
	const char *v = NULL;
	if (!strcasecmp(type, "application/dtmf-relay")) {
		v = strcasestr(body, "signal=");
		if (v)
			v += 7;
	} else if (!strcasecmp(type, "application/dtmf")) {
		v = body;
	}
	while (v && (*v == ' ' || *v == '\t'))
		v++;
	if (!v || !*v)
		return 0;
	char d = *v >= 'a' && *v <= 'd' ? (char)(*v - 'a' + 'A') : *v;
	if (!strchr("0123456789*#ABCD", d))
		return 0;
	/* "Signal=10" and "11" are * and # in some phones' INFO. */
	if (d == '1' && (v[1] == '0' || v[1] == '1'))
		d = v[1] == '0' ? '*' : '#';
	return d;
}

/* The phone's transfer button (REFER, RFC 3515): taken (202, then a
 * NOTIFY that ends the implicit subscription with "200 OK", then the
 * transfer, which hangs this phone up), or refused with the status and a
 * Warning saying why; the call goes on as it was. */
static void on_refer(struct leg *leg, const sip_t *sip)
{
	struct call *call = leg->call;
	nua_t *nua = sip_nua(call->env->sip);
	const char *user = sip && sip->sip_refer_to ? sip->sip_refer_to->r_url->url_user : NULL;
	const char *why = NULL;
	char target[96], warning[160];
	int status = leg->gone ? 481 : call_referred(call, leg, user, &why, target, sizeof target);
	if (status != 202) {
		log_info("call %s: REFER from %s to %s refused: %d %s", call->id, leg->tag,
			 user ? user : "?", status, why ? why : "");
		snprintf(warning, sizeof warning, "399 cc \"%s\"", why ? why : "refused");
		nua_respond(leg->nh, status, sip_status_phrase(status), NUTAG_WITH_THIS(nua),
			    SIPTAG_WARNING_STR(warning), TAG_END());
		return;
	}
	nua_respond(leg->nh, 202, sip_status_phrase(202), NUTAG_WITH_THIS(nua), TAG_END());
	nua_notify(leg->nh, NUTAG_SUBSTATE(nua_substate_terminated), SIPTAG_EVENT_STR("refer"),
		   SIPTAG_CONTENT_TYPE_STR("message/sipfrag;version=2.0"),
		   SIPTAG_PAYLOAD_STR("SIP/2.0 200 OK\r\n"), TAG_END());
	void *arg;
	const char *err = calls_refer(call->calls, &arg)->transfer(arg, call, target, "phone");
	if (err)
		log_warn("call %s: REFER to %s taken, but the transfer failed: %s", call->id, target,
			 err);
}

void calls_leg_event(struct leg *leg, nua_event_t event, int status, const char *phrase,
		     const sip_t *sip, tagi_t tags[])
{
	struct call *call = leg->call;
	switch (event) {
	case nua_i_invite: {
		/* A re-INVITE: the agent's phone holding or taking back goes
		 * through rtpengine (incall.c); any other (the caller's, a
		 * refresh of a leg not talking) keeps the session as it was
		 * (488, RFC 3261 14.2). */
		const char *sdp = sip && sip->sip_payload
					  ? call_strndup(call, sip->sip_payload->pl_data,
							 sip->sip_payload->pl_len)
					  : NULL;
		struct cev_arg a = { .leg = leg, .text = sdp };
		if (leg->gone || !call_event(call, CEV_REINVITE, &a)) {
			log_info("call %s: re-INVITE from %s refused", call->id, leg->tag);
			leg_reinvite_answer(leg, 488, NULL);
		}
		break;
	}
	case nua_i_refer:
		on_refer(leg, sip);
		break;
	case nua_i_cancel:
		if (!leg->gone && leg->role == LEG_CALLER) {
			leg->gone = true;
			call_raise(call, CEV_CALLER_GONE, "caller cancelled");
		}
		break;
	case nua_i_bye:
		if (!leg->gone) {
			leg->gone = true;
			struct cev_arg a = { .leg = leg };
			call_event(call, leg->role == LEG_CALLER    ? CEV_CALLER_GONE
					 : leg->role == LEG_MONITOR ? CEV_MONITOR_GONE
					 : leg->role == LEG_CONSULT ? CEV_CONSULT_GONE
								    : call_agent_gone_event(call),
				   &a);
		}
		break;
	case nua_r_invite:
		on_response(leg, status, phrase, sip);
		break;
	case nua_i_info: {
		char d = leg->role == LEG_CALLER ? info_digit(sip) : 0;
		if (d)
			calls_dtmf(call->calls, call->id, leg->tag, d);
		break;
	}
	case nua_i_state: {
		int state = -1;
		tl_gets(tags, NUTAG_CALLSTATE_REF(state), TAG_END());
		if (state == nua_callstate_ready && leg->role == LEG_CALLER && !leg->confirmed) {
			leg->confirmed = true;
			if (leg->bye_pending) {
				leg->bye_pending = false;
				nua_bye(leg->nh, TAG_END());
			}
		}
		if (state == nua_callstate_terminated)
			on_terminated(leg);
		break;
	}
	default:
		break;
	}
}

void leg_reinvite_answer(struct leg *leg, int status, const char *sdp)
{
	if (!leg->nh)
		return;
	if (status == 200 && sdp)
		nua_respond(leg->nh, 200, sip_status_phrase(200),
			    SIPTAG_CONTENT_TYPE_STR("application/sdp"), SIPTAG_PAYLOAD_STR(sdp),
			    TAG_END());
	else if (status == 488)
		nua_respond(leg->nh, 488, sip_status_phrase(488),
			    SIPTAG_WARNING_STR("399 cc \"re-INVITE refused\""), TAG_END());
	else
		nua_respond(leg->nh, status, sip_status_phrase(status), TAG_END());
}
