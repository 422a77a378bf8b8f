/* The B2BUA's SIP stack: sofia-sip's nua with media off, in the loop's
 * thread. sip.c turns nua events into calls to the call module. */
#ifndef B2BUA_SIP_H
#define B2BUA_SIP_H

struct app;

/* Creates the stack bound to conf.sip_listen. 0 or -1 (logged). */
int sip_start(struct app *app);
/* Asks the stack to shut down; the loop stops when it has. */
void sip_shutdown(struct app *app);
void sip_destroy(struct app *app);

#endif
