/* Which agents' phones are registered: read from Kamailio's location table
 * (cc_location, written through by usrloc) every reg_poll_ms on a worker,
 * and told to the ACD on the loop. */
#ifndef B2BUA_REG_H
#define B2BUA_REG_H

struct app;

/* Starts one poll unless one is running. */
void reg_poll(struct app *app);

#endif
