/* The bottom layer of the B2BUA: what every module is given. One event
 * loop (sofia-sip's su_root), the bus events are published on, and the
 * configuration (whose run-time keys change in place on SIGHUP). All of it
 * is used from the loop's thread only. */
#ifndef B2BUA_CORE_H
#define B2BUA_CORE_H

#include <sofia-sip/su_wait.h>

#include "b2bua/core/b2bua_conf.h"

struct bus;

struct core {
	su_root_t *root;
	struct bus *bus;
	struct b2bua_conf *conf;
};

/* Milliseconds since the epoch (wall clock: what goes into records). */
long long core_now_ms(void);

#endif
