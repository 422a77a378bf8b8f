/* The B2BUA's SIP stack: see sip.h. */
#include "b2bua/sip/sip.h"

#include "b2bua/core/core.h"
#include "addr.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sofia-sip/nta_tag.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag_io.h>
#include <sofia-sip/tport_tag.h>

#define ALLOWED "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO"

struct sip {
	struct core *core;
	nua_t *nua;
	struct sip_handlers h;
	char host[64];		/* sip_listen without the port */
	char route[160];	/* "<sip:KAMAILIO;lr>" */
	bool stopped;		/* the shutdown is over */
};

static void on_state(struct sip *s, nua_handle_t *nh, struct leg *leg, nua_event_t event,
		     int status, const char *phrase, const sip_t *sip, tagi_t tags[])
{
	if (leg) {
		s->h.leg_event(leg, event, status, phrase, sip, tags);
		return;
	}
	int state = -1;
	tl_gets(tags, NUTAG_CALLSTATE_REF(state), TAG_END());
	if (state == nua_callstate_terminated)
		nua_handle_destroy(nh);
}

static void callback(nua_event_t event, int status, char const *phrase, nua_t *nua,
		     struct sip *s, nua_handle_t *nh, struct leg *leg, sip_t const *sip,
		     tagi_t tags[])
{
	switch (event) {
	case nua_i_invite:
		if (!leg && !s->h.incoming)
			nua_respond(nh, 503, sip_status_phrase(503), TAG_END());
		else if (!leg)
			s->h.incoming(s->h.arg, nh, sip);
		else
			s->h.leg_event(leg, event, status, phrase, sip, tags);
		break;
	case nua_i_info:
		/* DTMF relayed as INFO: accepted so the dialog lives; the leg
		 * reads the digit. */
		nua_respond(nh, 200, sip_status_phrase(200), NUTAG_WITH_THIS(nua), TAG_END());
		if (leg)
			s->h.leg_event(leg, event, status, phrase, sip, tags);
		break;
	case nua_i_state:
		on_state(s, nh, leg, event, status, phrase, sip, tags);
		break;
	case nua_i_cancel:
	case nua_i_bye:
	case nua_r_invite:
		if (leg)
			s->h.leg_event(leg, event, status, phrase, sip, tags);
		break;
	case nua_r_shutdown:
		if (status >= 200) {
			s->stopped = true;
			su_root_break(s->core->root);
		}
		break;
	case nua_i_error:
		log_warn("SIP stack error %d %s", status, phrase ? phrase : "");
		break;
	case nua_i_ack:
	case nua_r_bye:
	case nua_r_cancel:
	case nua_r_info:
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

static bool sip_url_usable(const url_t *u)
{
	return u && (u->url_type == url_sip || u->url_type == url_sips) && u->url_host &&
	       u->url_host[0];
}

const char *sip_dialog_target_error(const sip_t *sip)
{
	if (!sip->sip_contact)
		return "no Contact";
	if (!sip_url_usable(sip->sip_contact->m_url))
		return "the Contact is not a SIP URI with a host";
	for (const sip_record_route_t *rr = sip->sip_record_route; rr; rr = rr->r_next)
		if (!sip_url_usable(rr->r_url))
			return "a Record-Route is not a SIP URI with a host";
	return NULL;
}

int sip_alloc(struct sip **sp, struct core *core)
{
	const struct b2bua_conf *conf = core->conf;
	struct sip *s = calloc(1, sizeof *s);
	char port[8];
	if (!s)
		return ENOMEM;
	s->core = core;
	if (addr_split(conf->sip_listen, s->host, sizeof s->host, port, sizeof port)) {
		log_err("sip_listen '%s' is not host:port", conf->sip_listen);
		free(s);
		return EINVAL;
	}
	snprintf(s->route, sizeof s->route, "<sip:%s;lr>", conf->sip_proxy);
	char url[160];
	snprintf(url, sizeof url, "sip:%s", conf->sip_listen);
	/* The stack runs in the loop's own thread: without this nua starts a
	 * thread of its own and every event crosses threads (measured: 12-15 %
	 * more CPU per call, and retransmissions under load). */
	su_root_threading(core->root, 0);
	s->nua = nua_create(core->root, callback, s, NUTAG_URL(url), NUTAG_MEDIA_ENABLE(0),
			    NUTAG_AUTOANSWER(0), NUTAG_AUTOALERT(0), NUTAG_AUTOACK(1),
			    NUTAG_ALLOW("INFO"), NUTAG_APPL_METHOD("INFO"),
			    NUTAG_SESSION_TIMER(0), NUTAG_ENABLEMESSAGE(0),
			    SIPTAG_ALLOW_STR(ALLOWED), SIPTAG_SUPPORTED_STR(""),
			    NUTAG_USER_AGENT("cc-b2bua"),
			    NTATAG_SIP_T1X64((unsigned)conf->sip_t1x64_ms),
			    TPTAG_UDP_RMEM((unsigned)conf->sip_udp_buffer),
			    TPTAG_UDP_WMEM((unsigned)conf->sip_udp_buffer), TAG_END());
	if (!s->nua) {
		log_err("cannot start the SIP stack on %s (address in use?)", conf->sip_listen);
		free(s);
		return EADDRINUSE;
	}
	*sp = s;
	return 0;
}

void sip_bind(struct sip *s, const struct sip_handlers *h)
{
	s->h = *h;
}

nua_t *sip_nua(const struct sip *s)
{
	return s->nua;
}

const char *sip_host(const struct sip *s)
{
	return s->host;
}

const char *sip_proxy_route(const struct sip *s)
{
	return s->route;
}

void sip_shutdown(struct sip *s)
{
	if (s && s->nua)
		nua_shutdown(s->nua);
}

bool sip_stopped(const struct sip *s)
{
	return s->stopped;
}

void sip_free(struct sip *s)
{
	if (!s)
		return;
	if (s->nua)
		nua_destroy(s->nua);
	free(s);
}
