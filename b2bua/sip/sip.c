/* The B2BUA's SIP stack: see sip.h. */
#include "b2bua/sip/sip.h"

#include "b2bua/core/core.h"
#include "b2bua/sip/trust.h"
#include "addr.h"
#include "log.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/nta_tag.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag_io.h>
#include <sofia-sip/tport_tag.h>

#define ALLOWED "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, REFER"
/* Requests nua leaves to us to answer: the source check needs them before
 * any answer goes out (INVITE always is). Not BYE: nua ends a dialog on any
 * answer to its BYE, 403 included, so a stranger's BYE is kept from the
 * stack by the socket's kernel filter instead (guard below). REFER: the
 * call decides whether a phone's transfer is taken (202) or refused. */
#define APPL_METHODS "INFO, OPTIONS, REFER"
/* One line about refused requests at most this often; the rest is counted. */
#define REFUSED_LOG_MS 10000

struct sip {
	struct core *core;
	nua_t *nua;
	struct sip_handlers h;
	char host[64];		/* sip_listen without the port */
	char route[160];	/* "<sip:KAMAILIO;lr>" */
	bool stopped;		/* the shutdown is over */
	struct sip_trust *trust;	/* conf.trusted_sources */
	unsigned long long refused;	/* requests from elsewhere, answered 403 */
	unsigned long long unlogged;	/* of those, not logged yet */
	long long logged_ms;		/* when the last line about them was */
};

/* True when the request being reported now came from outside
 * trusted_sources (false for a response or an event of our own); its
 * address then goes to host, for the log. */
static bool from_stranger(nua_t *nua, const struct sip *s, char *host, size_t len)
{
	msg_t *msg = nua_current_request(nua);
	su_addrinfo_t *ai = msg ? msg_addrinfo(msg) : NULL;
	if (!ai || !ai->ai_addr || sip_trust_allows(s->trust, ai->ai_addr))
		return false;
	if (getnameinfo(ai->ai_addr, (socklen_t)ai->ai_addrlen, host, (socklen_t)len, NULL,
			0, NI_NUMERICHOST))
		snprintf(host, len, "?");
	return true;
}

/* A request from outside trusted_sources: 403 (an ACK gets no answer), no
 * call, counted; one log line per REFUSED_LOG_MS with how many since. */
static void refuse(struct sip *s, nua_t *nua, nua_handle_t *nh, struct leg *leg,
		   nua_event_t event, const sip_t *sip, const char *host)
{
	s->refused++;
	s->unlogged++;
	long long now = core_now_ms();
	if (s->unlogged == 1 || now - s->logged_ms >= REFUSED_LOG_MS) {
		const char *method = sip && sip->sip_request ? sip->sip_request->rq_method_name : "?";
		const char *cid = sip && sip->sip_call_id ? sip->sip_call_id->i_id : "";
		log_warn("SIP %s from untrusted %s refused: 403 (call-id %s); %llu refused since the last line, %llu in all",
			 method, host, cid, s->unlogged, s->refused);
		s->unlogged = 0;
		s->logged_ms = now;
	}
	if (event != nua_i_ack)
		nua_respond(nh, 403, sip_status_phrase(403), NUTAG_WITH_THIS(nua), TAG_END());
	/* A refused INVITE's handle goes when its state says terminated
	 * (on_state), after the 403 has been ACKed. */
	if (!leg && event != nua_i_ack && event != nua_i_invite)
		nua_handle_destroy(nh);
}

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
	case nua_i_info:
	case nua_i_options:
	case nua_i_refer:
	case nua_i_ack: {
		char host[64];
		if (from_stranger(nua, s, host, sizeof host)) {
			refuse(s, nua, nh, leg, event, sip, host);
			return;
		}
		break;
	}
	default:
		break;
	}
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
		else
			nua_handle_destroy(nh);
		break;
	case nua_i_state:
		on_state(s, nh, leg, event, status, phrase, sip, tags);
		break;
	case nua_i_options:
		/* Kamailio's dispatcher probes. */
		nua_respond(nh, 200, sip_status_phrase(200), NUTAG_WITH_THIS(nua), TAG_END());
		if (!leg)
			nua_handle_destroy(nh);
		break;
	case nua_i_cancel:
	case nua_i_bye:
	case nua_r_invite:
		if (leg)
			s->h.leg_event(leg, event, status, phrase, sip, tags);
		break;
	case nua_i_refer:
		/* A phone's transfer button: the leg answers it. */
		if (leg) {
			s->h.leg_event(leg, event, status, phrase, sip, tags);
		} else {
			nua_respond(nh, 481, sip_status_phrase(481), NUTAG_WITH_THIS(nua), TAG_END());
			nua_handle_destroy(nh);
		}
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
	case nua_r_notify:
	case nua_i_active:
	case nua_i_terminated:
	case nua_i_prack:
		break;
	default:
		/* Anything else out of dialog: nua has answered; let the
		 * handle go. */
		if (!leg && nh && event != nua_r_set_params && event != nua_r_get_params)
			nua_handle_destroy(nh);
		break;
	}
}

/* The stack's UDP socket on port: nua does not hand it out, so the
 * process's descriptors are searched once at start. -1 when none is. */
static int udp_socket_on(unsigned short port)
{
	struct rlimit rl;
	int max = getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur > 65536 ? 65536 : (int)rl.rlim_cur;
	for (int fd = 0; fd < max; fd++) {
		int type;
		socklen_t tl = sizeof type;
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) || type != SOCK_DGRAM ||
		    getsockname(fd, (struct sockaddr *)&ss, &sl) || ss.ss_family != AF_INET)
			continue;
		if (ntohs(((struct sockaddr_in *)&ss)->sin_port) == port)
			return fd;
	}
	return -1;
}

/* Strangers' datagrams that could touch a dialog never reach the stack
 * (trust.h). Only an IPv4 socket is guarded; on IPv6 the answers above
 * are all there is. */
static void guard(struct sip *s, const char *port)
{
	int fd = udp_socket_on((unsigned short)atoi(port));
	int rc = fd < 0 ? ENOENT : sip_trust_guard(s->trust, fd);
	if (rc)
		log_warn("SIP: no kernel filter on the SIP socket (%s): a stranger's BYE reaches the stack",
			 fd < 0 ? "no IPv4 UDP socket on the port" : strerror(rc));
	else
		log_info("SIP: datagrams from outside trusted_sources that could touch a dialog are dropped");
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
	char why[160];
	int rc = sip_trust_alloc(&s->trust, conf->trusted_sources, conf->sip_proxy, why, sizeof why);
	if (rc) {
		log_err("%s", rc == ENOMEM ? "out of memory" : why);
		free(s);
		return rc;
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
			    NUTAG_ALLOW("INFO, REFER"), NUTAG_APPL_METHOD(APPL_METHODS),
			    NUTAG_SESSION_TIMER(0), NUTAG_ENABLEMESSAGE(0),
			    SIPTAG_ALLOW_STR(ALLOWED), SIPTAG_SUPPORTED_STR(""),
			    NUTAG_USER_AGENT("cc-b2bua"),
			    NTATAG_SIP_T1X64((unsigned)conf->sip_t1x64_ms),
			    TPTAG_UDP_RMEM((unsigned)conf->sip_udp_buffer),
			    TPTAG_UDP_WMEM((unsigned)conf->sip_udp_buffer), TAG_END());
	if (!s->nua) {
		log_err("cannot start the SIP stack on %s (address in use?)", conf->sip_listen);
		sip_trust_free(s->trust);
		free(s);
		return EADDRINUSE;
	}
	guard(s, port);
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

unsigned long long sip_refused(const struct sip *s)
{
	return s ? s->refused : 0;
}

void sip_free(struct sip *s)
{
	if (!s)
		return;
	if (s->nua)
		nua_destroy(s->nua);
	sip_trust_free(s->trust);
	free(s);
}
