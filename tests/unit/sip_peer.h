/* The other end of the B2BUA for in-process tests: one sofia-sip stack on
 * the test's loop, on its own loopback port, that is both the voice gateway
 * (it places the customers' calls to the B2BUA) and Kamailio with the
 * agents' phones behind it (the B2BUA's outgoing legs are routed to it,
 * and it answers for each agent as the test scripted that phone). Include
 * after the B2BUA's headers (sip.h fixes nua's magic types; a phone is
 * passed to nua as the handle's magic). */
#ifndef TEST_SIP_PEER_H
#define TEST_SIP_PEER_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag_io.h>

#include "b2bua/sip/sip.h"

#define PEER_SDP(port)                                                                      \
	"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"         \
	"m=audio " port " RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n"                        \
	"a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n"

struct peer;

/* One party on the peer: a customer's call the test places, or an agent's
 * phone the B2BUA calls. */
struct phone {
	struct peer *peer;
	char user[32];		/* the agent's SIP user; for a call: the caller's number */
	bool is_agent;
	/* An agent phone's script: */
	int answer_ms;		/* answer this long after the INVITE; < 0: ring until cancelled */
	int reject;		/* answer the INVITE with this status instead (486, 480, ...) */
	int bye_ms;		/* hang up this long after answering (0: never) */
	/* A call's script: */
	bool no_ack;		/* never ACK the 200 */
	bool answer_no_sdp;	/* an agent phone: its 200 has no SDP */
	/* What happened: */
	nua_handle_t *nh;
	int invites, cancels, byes, final_status;
	int refer_status;	/* the final answer to its last REFER */
	int notifies;		/* NOTIFYs it got (a REFER's progress) */
	char from[32];		/* the From user of the last INVITE it got */
	bool invite_sdp;	/* that INVITE had a body (no: a late offer) */
	bool ack_sdp;		/* the ACK of its 200 had a body (the answer to a late offer) */
	bool answered, ended;
	su_timer_t *timer;
};

struct peer {
	su_root_t *root;
	nua_t *nua;
	unsigned short port, b2bua_port;
	struct phone *agents[8];
	int nagents;
	bool stopped;
};

/* A free UDP port on loopback (bound for a moment, then released). */
static inline unsigned short peer_free_port(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sin;
	unsigned short port = 0;
	if (fd >= 0 && !bind(fd, (struct sockaddr *)&sin, sizeof sin) &&
	    !getsockname(fd, (struct sockaddr *)&sin, &len))
		port = ntohs(sin.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static struct phone *peer_agent(struct peer *p, const char *user)
{
	for (int i = 0; user && i < p->nagents; i++)
		if (!strcmp(p->agents[i]->user, user))
			return p->agents[i];
	return NULL;
}

static void peer_answer_now(su_root_magic_t *m, su_timer_t *t, su_timer_arg_t *arg)
{
	struct phone *ph = arg;
	(void)m;
	(void)t;
	if (!ph->nh || ph->ended)
		return;
	if (ph->answer_no_sdp)
		nua_respond(ph->nh, 200, sip_status_phrase(200), TAG_END());
	else
		nua_respond(ph->nh, 200, sip_status_phrase(200),
			    SIPTAG_CONTENT_TYPE_STR("application/sdp"),
			    SIPTAG_PAYLOAD_STR(PEER_SDP("20002")), TAG_END());
	ph->answered = true;
	ph->final_status = 200;
}

/* Answers a phone that rings now (one scripted to ring until told). */
static inline void peer_answer(struct phone *ph)
{
	peer_answer_now(NULL, NULL, ph);
}

static void peer_hangup_now(su_root_magic_t *m, su_timer_t *t, su_timer_arg_t *arg)
{
	struct phone *ph = arg;
	(void)m;
	(void)t;
	if (ph->nh && !ph->ended)
		nua_bye(ph->nh, TAG_END());
}

static void peer_later(struct phone *ph, int ms, su_timer_f fn)
{
	if (!ph->timer)
		ph->timer = su_timer_create(su_root_task(ph->peer->root), 0);
	if (ph->timer)
		su_timer_set_interval(ph->timer, fn, ph, (su_duration_t)ms);
}

static void peer_incoming(struct peer *p, nua_handle_t *nh, const sip_t *sip)
{
	const char *user = sip && sip->sip_request ? sip->sip_request->rq_url->url_user : NULL;
	struct phone *ph = peer_agent(p, user);
	if (!ph) {
		nua_respond(nh, 404, sip_status_phrase(404), TAG_END());
		return;
	}
	ph->nh = nh;
	ph->invites++;
	snprintf(ph->from, sizeof ph->from, "%s",
		 sip->sip_from && sip->sip_from->a_url->url_user ? sip->sip_from->a_url->url_user : "");
	ph->invite_sdp = sip->sip_payload && sip->sip_payload->pl_len;
	ph->ack_sdp = false;
	ph->ended = false;
	ph->answered = false;
	nua_handle_bind(nh, (struct leg *)(void *)ph);
	if (ph->reject) {
		ph->final_status = ph->reject;
		nua_respond(nh, ph->reject, sip_status_phrase(ph->reject), TAG_END());
		return;
	}
	nua_respond(nh, 180, sip_status_phrase(180), TAG_END());
	if (ph->answer_ms >= 0)
		peer_later(ph, ph->answer_ms, peer_answer_now);
}

static void peer_callback(nua_event_t event, int status, char const *phrase, nua_t *nua,
			  struct sip *magic, nua_handle_t *nh, struct leg *hmagic,
			  sip_t const *sip, tagi_t tags[])
{
	struct peer *p = (struct peer *)(void *)magic;
	struct phone *ph = (struct phone *)(void *)hmagic;
	(void)phrase;
	(void)nua;
	switch (event) {
	case nua_i_invite:
		if (!ph)
			peer_incoming(p, nh, sip);
		else
			nua_respond(nh, 488, sip_status_phrase(488), NUTAG_WITH_THIS(nua), TAG_END());
		break;
	case nua_r_invite:
		if (!ph)
			break;
		if (status >= 200)
			ph->final_status = status;
		if (status >= 200 && status < 300) {
			ph->answered = true;
			if (!ph->no_ack)
				nua_ack(nh, TAG_END());
		} else if (status >= 300) {
			ph->ended = true;
		}
		break;
	case nua_r_refer:
		if (ph && status >= 200)
			ph->refer_status = status;
		break;
	case nua_i_notify:
		if (ph)
			ph->notifies++;
		break;
	case nua_i_cancel:
		if (ph) {
			ph->cancels++;
			ph->ended = true;
		}
		break;
	case nua_i_bye:
		if (ph) {
			ph->byes++;
			ph->ended = true;
		}
		break;
	case nua_i_ack:
		if (ph)
			ph->ack_sdp = sip && sip->sip_payload && sip->sip_payload->pl_len;
		if (ph && ph->is_agent && ph->bye_ms > 0)
			peer_later(ph, ph->bye_ms, peer_hangup_now);
		break;
	case nua_i_state: {
		int state = -1;
		tl_gets(tags, NUTAG_CALLSTATE_REF(state), TAG_END());
		if (state == nua_callstate_terminated) {
			if (ph) {
				ph->ended = true;
				ph->nh = NULL;
			}
			nua_handle_destroy(nh);
		}
		break;
	}
	case nua_r_shutdown:
		if (status >= 200)
			p->stopped = true;
		break;
	default:
		if (!ph && nh && event != nua_r_set_params && event != nua_r_get_params &&
		    event != nua_i_outbound && event != nua_r_info)
			nua_handle_destroy(nh);
		break;
	}
}

static inline int peer_start(struct peer *p, su_root_t *root)
{
	memset(p, 0, sizeof *p);
	p->root = root;
	p->port = peer_free_port();
	char url[64];
	snprintf(url, sizeof url, "sip:127.0.0.1:%u", p->port);
	p->nua = nua_create(root, peer_callback, (struct sip *)(void *)p, NUTAG_URL(url),
			    NUTAG_MEDIA_ENABLE(0), NUTAG_AUTOANSWER(0), NUTAG_AUTOALERT(0),
			    NUTAG_AUTOACK(0), NUTAG_ALLOW("INFO"), NUTAG_SESSION_TIMER(0),
			    NUTAG_ENABLEMESSAGE(0), TAG_END());
	return p->port && p->nua ? 0 : -1;
}

static inline void peer_add_agent(struct peer *p, struct phone *ph, const char *user)
{
	memset(ph, 0, sizeof *ph);
	ph->peer = p;
	ph->is_agent = true;
	snprintf(ph->user, sizeof ph->user, "%s", user);
	p->agents[p->nagents++] = ph;
}

/* Resets an agent phone's record and script: it answers after answer_ms. */
static inline void peer_script(struct phone *ph, int answer_ms, int reject, int bye_ms)
{
	if (ph->timer)
		su_timer_reset(ph->timer);
	ph->answer_ms = answer_ms;
	ph->reject = reject;
	ph->bye_ms = bye_ms;
	ph->invites = ph->cancels = ph->byes = ph->final_status = 0;
	ph->answered = ph->ended = false;
}

/* Places a call from caller to callee with extra header lines (as
 * Kamailio adds them), or NULL. */
static inline void peer_call_with(struct peer *p, struct phone *ph, const char *callee,
				  const char *caller, const char *headers)
{
	memset(ph, 0, sizeof *ph);
	ph->peer = p;
	snprintf(ph->user, sizeof ph->user, "%s", caller);
	char to[96], from[96];
	snprintf(to, sizeof to, "sip:%s@127.0.0.1:%u", callee, p->b2bua_port);
	snprintf(from, sizeof from, "<sip:%s@127.0.0.1:%u>", caller, p->port);
	ph->nh = nua_handle(p->nua, (struct leg *)(void *)ph, SIPTAG_TO_STR(to),
			    SIPTAG_FROM_STR(from), TAG_END());
	nua_invite(ph->nh, NUTAG_URL(to), SIPTAG_CONTENT_TYPE_STR("application/sdp"),
		   SIPTAG_PAYLOAD_STR(PEER_SDP("20000")),
		   TAG_IF(headers, SIPTAG_HEADER_STR(headers)), TAG_END());
}

/* Places a customer's call from caller to callee (the B2BUA's number). */
static inline void peer_call(struct peer *p, struct phone *ph, const char *callee,
			     const char *caller)
{
	peer_call_with(p, ph, callee, caller, NULL);
}

static inline void peer_stop(struct peer *p)
{
	for (int i = 0; i < p->nagents; i++)
		if (p->agents[i]->timer)
			su_timer_destroy(p->agents[i]->timer);
	nua_shutdown(p->nua);
}

#endif
