/* The control and event socket (docs/control-protocol.md): a TCP server on
 * the loop speaking newline-delimited JSON. It is the top of the B2BUA: it
 * reads the other modules through their read-only views, sends them
 * commands, and subscribes to the bus for the events it sends out. It never
 * blocks: each client has a bounded output buffer, and a client that falls
 * behind is cut off. */
#ifndef B2BUA_CTL_H
#define B2BUA_CTL_H

#include <jansson.h>

struct core;
struct acd;
struct calls;
struct dir_loader;
struct rtpe_set;
struct dialer;
struct flow_router;
struct lookup;
struct dbq;
struct ctl;
struct ctl_client;
struct sip;

/* What the commands read and drive. */
struct ctl_deps {
	struct acd *acd;
	struct calls *calls;
	struct dir_loader *dir;
	struct rtpe_set *rtpes;
	struct dialer *dialer;		/* outbound tasks; may be NULL */
	struct flow_router *router;	/* call.dial */
	const char *sip_domain;		/* the agents' phones' domain */
	const struct sip *sip;		/* ping's refused-request counter; may be NULL */
	struct lookup *lookup;		/* the caller lookup's cache (contact.*); may be NULL */
	struct dbq *dbq;		/* ping's database figures; may be NULL */
	long long started_ms;
};

/* Listens on conf.ctl_listen. 0 or -1 (logged). */
int ctl_start(struct ctl **cp, struct core *core, const struct ctl_deps *deps);
void ctl_stop(struct ctl *ctl);

/* The commands (commands.c). A handler fills reply and returns NULL, or
 * returns a stable error code from the table in commands.c. */
typedef const char *(ctl_cmd_h)(const struct ctl_deps *d, struct ctl_client *c, json_t *req,
				json_t *reply);
ctl_cmd_h *ctl_command(const char *name);
const char *ctl_error_message(const char *code);
/* For the subscribe command: EV_CLASS_BIT()s, and events one by one
 * (1 << enum ev_type). */
void ctl_client_subscribe(struct ctl_client *c, unsigned classes, unsigned long long events);
/* The node's name, for ping. */
const char *ctl_node(const struct ctl_client *c);

#endif
