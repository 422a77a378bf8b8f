/* The B2BUA's SIP stack: see sip.h. Every nua event arrives here; events on
 * a handle bound to a leg go to the leg's call, a new INVITE makes a call,
 * and anything else on an unbound handle is answered by nua itself and the
 * handle is let go. */
#include "b2bua/sip/sip.h"

#include "b2bua/call/call.h"
#include "b2bua/core/app.h"
#include "log.h"

#include <stdio.h>
#include <string.h>
#include <sofia-sip/nta_tag.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag_io.h>
#include <sofia-sip/tport_tag.h>

#define ALLOWED "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO"

static void on_info(nua_t *nua, nua_handle_t *nh)
{
	/* DTMF over INFO is not relayed yet; accept it so the dialog lives. */
	nua_respond(nh, 200, sip_status_phrase(200), NUTAG_WITH_THIS(nua), TAG_END());
}

static void on_state(nua_handle_t *nh, struct leg *leg, tagi_t tags[])
{
	int state = -1;
	tl_gets(tags, NUTAG_CALLSTATE_REF(state), TAG_END());
	if (state != nua_callstate_terminated)
		return;
	if (leg)
		call_leg_terminated(leg);
	else
		nua_handle_destroy(nh);
}

static void callback(nua_event_t event, int status, char const *phrase, nua_t *nua,
		     struct app *app, nua_handle_t *nh, struct leg *leg, sip_t const *sip,
		     tagi_t tags[])
{
	switch (event) {
	case nua_i_invite:
		if (!leg) {
			call_incoming(app, nh, sip);
		} else {
			/* Re-INVITE (hold, refresh): not relayed yet. 488 keeps the
			 * session as it was (RFC 3261 14.2). */
			log_info("call %s: re-INVITE from %s refused: not supported yet",
				 leg->call->id, leg->tag);
			nua_respond(nh, 488, sip_status_phrase(488), NUTAG_WITH_THIS(nua),
				    SIPTAG_WARNING_STR("399 cc \"re-INVITE not supported\""), TAG_END());
		}
		break;
	case nua_i_cancel:
		if (leg)
			call_leg_cancel(leg);
		break;
	case nua_i_bye:
		if (leg)
			call_leg_bye(leg);
		break;
	case nua_r_invite:
		if (leg)
			call_leg_response(leg, status, phrase, sip);
		break;
	case nua_i_state:
		on_state(nh, leg, tags);
		break;
	case nua_i_info:
		on_info(nua, nh);
		break;
	case nua_r_shutdown:
		if (status >= 200)
			su_root_break(app->root);
		break;
	case nua_i_error:
		log_warn("SIP stack error %d %s", status, phrase ? phrase : "");
		break;
	case nua_i_ack:
	case nua_r_bye:
	case nua_r_cancel:
	case nua_i_active:
	case nua_i_terminated:
	case nua_i_prack:
		break;
	default:
		/* OPTIONS probes from Kamailio and anything else out of dialog:
		 * nua has answered; let the handle go. */
		if (!leg && nh && event != nua_r_set_params && event != nua_r_get_params)
			nua_handle_destroy(nh);
		break;
	}
}

int sip_start(struct app *app)
{
	char url[160];
	snprintf(url, sizeof url, "sip:%s", app->conf.sip_listen);
	/* The stack runs in the loop's own thread: without this nua starts a
	 * thread of its own and every event crosses threads (measured: 12-15 %
	 * more CPU per call, and retransmissions under load). */
	su_root_threading(app->root, 0);
	app->nua = nua_create(app->root, callback, app, NUTAG_URL(url), NUTAG_MEDIA_ENABLE(0),
			      NUTAG_AUTOANSWER(0), NUTAG_AUTOALERT(0), NUTAG_AUTOACK(1),
			      NUTAG_ALLOW("INFO"), NUTAG_APPL_METHOD("INFO"),
			      NUTAG_SESSION_TIMER(0), NUTAG_ENABLEMESSAGE(0),
			      SIPTAG_ALLOW_STR(ALLOWED), SIPTAG_SUPPORTED_STR(""),
			      NUTAG_USER_AGENT("cc-b2bua"),
			      NTATAG_SIP_T1X64((unsigned)app->conf.sip_t1x64_ms),
			      TPTAG_UDP_RMEM((unsigned)app->conf.sip_udp_buffer),
			      TPTAG_UDP_WMEM((unsigned)app->conf.sip_udp_buffer), TAG_END());
	if (!app->nua) {
		log_err("cannot start the SIP stack on %s (address in use?)", app->conf.sip_listen);
		return -1;
	}
	return 0;
}

void sip_shutdown(struct app *app)
{
	if (app->nua)
		nua_shutdown(app->nua);
}

void sip_destroy(struct app *app)
{
	if (app->nua)
		nua_destroy(app->nua);
	app->nua = NULL;
}
