/* The B2BUA's one application context: everything that lives as long as the
 * process, created in main.c and passed to the modules. All of it is used
 * from the event loop's thread only (the database workers see nothing of it
 * but their job arguments). */
#ifndef B2BUA_APP_H
#define B2BUA_APP_H

#define NUA_MAGIC_T struct app
#define NUA_HMAGIC_T struct leg

#include <stdbool.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include "b2bua/core/b2bua_conf.h"
#include "phone.h"

struct leg;
struct dbq;
struct ng_client;
struct dtmf_listener;
struct ctl;
struct dir;
struct acd;
struct calls;
struct manifest;
struct sqlmap;

struct app {
	struct b2bua_conf conf;
	su_home_t *home;
	su_root_t *root;
	nua_t *nua;
	struct ng_client *ng;
	struct dtmf_listener *dtmf;
	struct dbq *dbq;
	struct ctl *ctl;
	struct dir *dir;		/* numbers, groups, audio, agents; NULL until loaded */
	struct acd *acd;		/* agents' live state and the queues */
	struct calls *calls;		/* calls in progress */
	struct manifest *mf;
	struct sqlmap *sql;		/* SQL on the helpdesk's tables, built from mf */
	struct phone_rules phone;
	char sip_host[64];		/* the address the B2BUA listens on */
	char proxy_route[128];		/* "<sip:KAMAILIO;lr>" */
	long long started_ms;
	unsigned dir_requested;		/* reloads asked for (the last ticket given) */
	unsigned dir_loaded;		/* the ticket of the snapshot in force */
	bool stopping;
};

/* Milliseconds since the epoch (wall clock: what goes into records). */
long long app_now_ms(void);

#endif
