/* The B2BUA's SIP stack: sofia-sip's nua with media off, in the loop's
 * thread. This layer knows nothing of calls: a handle bound to a leg
 * (nua_handle_bind) has its events handed to the leg handler, a new INVITE
 * to the incoming handler, and anything else on an unbound handle is
 * answered by nua itself and the handle let go. A request whose source is
 * not in conf.trusted_sources (Kamailio) is answered 403 before any of
 * that, and counted; a BYE, CANCEL, ACK or response from there never
 * reaches the stack (the socket's kernel filter, trust.h).
 *
 * Every file that uses nua includes this header first: it fixes nua's magic
 * types (the stack's context and a handle's leg). */
#ifndef B2BUA_SIP_H
#define B2BUA_SIP_H

#define NUA_MAGIC_T struct sip
#define NUA_HMAGIC_T struct leg

#include <stdbool.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/sip.h>

struct core;
struct sip;
struct leg;

struct sip_handlers {
	void *arg;
	/* A new INVITE on a new handle: answer it (nua_respond), or bind the
	 * handle to a leg. */
	void (*incoming)(void *arg, nua_handle_t *nh, const sip_t *sip);
	/* An event on a handle bound to leg. An INFO has been answered 200
	 * already; the leg gets it for its body (DTMF). */
	void (*leg_event)(struct leg *leg, nua_event_t event, int status, const char *phrase,
			  const sip_t *sip, tagi_t tags[]);
};

/* Creates the stack bound to conf.sip_listen. 0 or an errno value (logged).
 * Until handlers are bound, new INVITEs are answered 503. */
int sip_alloc(struct sip **sp, struct core *core);
void sip_bind(struct sip *s, const struct sip_handlers *h);
nua_t *sip_nua(const struct sip *s);
/* The address the stack listens on, without the port. */
const char *sip_host(const struct sip *s);
/* The route every outgoing leg takes: "<sip:KAMAILIO;lr>". */
const char *sip_proxy_route(const struct sip *s);
/* What makes a new INVITE's dialog unusable, or NULL: its remote target
 * (Contact) and every Record-Route must be SIP URIs with a host, or the
 * stack could never send the dialog's BYE (sofia-sip 1.12 then retries
 * that BYE within itself until the stack overflows). */
const char *sip_dialog_target_error(const sip_t *sip);
/* Asks the stack to say goodbye; the loop is broken when it has (and
 * sip_stopped says so). */
void sip_shutdown(struct sip *s);
bool sip_stopped(const struct sip *s);
/* Requests refused since the start because their source is not in
 * conf.trusted_sources (answered 403, no call made). */
unsigned long long sip_refused(const struct sip *s);
void sip_free(struct sip *s);

#endif
