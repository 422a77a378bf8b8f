/* The control and event socket (docs/control-protocol.md): a TCP server on
 * the loop speaking newline-delimited JSON. It never blocks: each client has
 * a bounded output buffer, and a client that falls behind is cut off. */
#ifndef B2BUA_CTL_H
#define B2BUA_CTL_H

#include <jansson.h>

struct app;
struct ctl;

/* Event classes a client subscribes to. */
enum ctl_class { CTL_AGENT = 1, CTL_CALL = 2, CTL_QUEUE = 4 };

int ctl_start(struct ctl **cp, struct app *app, const char *listen, const char *secret);
void ctl_stop(struct ctl *ctl);
/* Sends ev (which it takes) to every client subscribed to cls. */
void ctl_publish(struct ctl *ctl, enum ctl_class cls, json_t *ev);

/* The commands (commands.c). A handler fills reply and returns NULL, or
 * returns a stable error code from the table in commands.c. */
struct ctl_client;
typedef const char *(ctl_cmd_h)(struct app *app, struct ctl_client *c, json_t *req,
				json_t *reply);
ctl_cmd_h *ctl_command(const char *name);
const char *ctl_error_message(const char *code);
/* For the subscribe command. */
void ctl_client_subscribe(struct ctl_client *c, unsigned classes);

#endif
