/* cc-b2bua: the call center's B2BUA. Builds the modules around one su_root
 * loop, bottom layer first, wires them to each other (this file is the only
 * place that knows them all), runs the loop, and takes it down on SIGTERM
 * or SIGINT: calls are ended (callers hear BYE or 503), records are
 * flushed, the SIP stack says goodbye. SIGHUP re-reads the config file's
 * run-time keys and the directory. */
#include "b2bua/acd/acd.h"
#include "b2bua/call/call.h"
#include "b2bua/core/bus.h"
#include "b2bua/core/core.h"
#include "b2bua/core/tmr.h"
#include "b2bua/ctl/ctl.h"
#include "b2bua/db/dbq.h"
#include "b2bua/dialer/dialer.h"
#include "b2bua/dir/dir.h"
#include "b2bua/flow/flow.h"
#include "b2bua/http/http.h"
#include "b2bua/lookup/contact.h"
#include "b2bua/media/dtmf.h"
#include "b2bua/media/rtpe.h"
#include "b2bua/sip/sip.h"
#include "db.h"
#include "event.h"
#include "log.h"
#include "manifest.h"
#include "phone.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

/* Everything that lives as long as the process. */
struct app {
	struct b2bua_conf conf;
	const char *conf_path;
	struct core core;
	struct phone_rules phone;
	struct manifest *mf;
	struct dbq *dbq;
	struct rtpe_set *rtpes;
	struct dtmf_listener *dtmf;
	struct sip *sip;
	struct dir_loader *dir;
	struct lookup *lookup;
	struct acd *acd;
	struct flow_router *router;
	struct http_client *http;
	struct calls *calls;
	struct dialer *dialer;
	struct ctl *ctl;
	su_timer_t *t_reg, *t_sync, *t_reload, *t_contacts, *t_retry, *t_shutdown;
	int sigfd;
	long long started_ms;	/* this process's start: older open records are lost */
	bool loaded;		/* the first directory is in */
	bool stopping;
};

static void usage(void)
{
	fprintf(stderr, "usage: cc-b2bua [-c FILE] [-o key=value ...] [--print-config] "
			"[--print-events]\n");
	exit(2);
}

/* --- the directory ---------------------------------------------------------------- */

/* Worker thread, before the first read: what the database says about the
 * host's tables. */
static int prepare(void *arg, struct db *db)
{
	struct app *app = arg;
	return lookup_prepare(app->lookup, db);
}

/* A new snapshot is in force: calls are routed from it, agents and queues
 * follow it. Nobody is offered a call from inside this frame: the ACD only
 * schedules its dispatch. */
static void loaded(void *arg, const struct dir *dir)
{
	struct app *app = arg;
	flow_router_set_dir(app->router, dir);
	acd_merge(app->acd, dir);
	dialer_set_dir(app->dialer, dir);
}

static void first_load(void *arg, int rc);

static void retry_first_load(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct app *app = arg;
	(void)magic;
	(void)t;
	if (!app->stopping)
		dir_loader_request(app->dir, first_load, app);
}

/* The records the last run left open are closed: the dialer's recovery
 * reads how those calls ended. */
static void lost_closed(void *arg, int rc)
{
	struct app *app = arg;
	(void)rc;
	if (!app->stopping)
		dialer_start(app->dialer, (unsigned)app->conf.task_poll_ms);
}

static void first_load(void *arg, int rc)
{
	struct app *app = arg;
	if (rc) {
		/* The database may still be starting: try again soon. */
		if (!app->stopping && tmr_once(app->core.root, &app->t_retry, 1000, retry_first_load, app))
			log_err("cannot schedule the directory's next read");
		return;
	}
	tmr_free(&app->t_retry);
	app->loaded = true;
	calls_accept(app->calls, true);
	acd_poll_registrations(app->acd);
	lookup_sync(app->lookup);
	struct calls_closed_cb cb = { lost_closed, app };
	if (calls_close_lost(app->calls, app->started_ms, &cb)) {
		log_err("cannot queue the closing of the records left open; the dialer starts");
		lost_closed(app, -1);
	}
}

/* --- periodic work ------------------------------------------------------------------ */

static void tick_reg(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct app *app = arg;
	(void)magic;
	(void)t;
	if (app->loaded)
		acd_poll_registrations(app->acd);
}

static void tick_sync(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct app *app = arg;
	(void)magic;
	(void)t;
	if (app->loaded)
		acd_sync(app->acd);
}

static void tick_reload(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct app *app = arg;
	(void)magic;
	(void)t;
	dir_loader_request(app->dir, NULL, NULL);
}

static void tick_contacts(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct app *app = arg;
	(void)magic;
	(void)t;
	if (app->loaded)
		lookup_sync(app->lookup);
}

static void arm_timers(struct app *app)
{
	su_root_t *root = app->core.root;
	if (tmr_every(root, &app->t_reg, app->conf.reg_poll_ms, tick_reg, app) ||
	    tmr_every(root, &app->t_sync, app->conf.agent_sync_ms, tick_sync, app) ||
	    tmr_every(root, &app->t_reload, app->conf.reload_s * 1000, tick_reload, app) ||
	    tmr_every(root, &app->t_contacts, app->conf.contact_sync_s * 1000, tick_contacts, app))
		log_err("cannot arm the periodic timers (out of memory)");
}

/* --- signals --------------------------------------------------------------------- */

/* SIGHUP: the run-time keys of the config file, and the directory. */
static void reload_config(struct app *app)
{
	struct b2bua_conf fresh;
	char err[512];
	if (b2bua_conf_load(&fresh, app->conf_path, NULL, 0, err, sizeof err)) {
		log_err("reload: %s; keeping the settings in force", err);
		b2bua_conf_free(&fresh);
		return;
	}
	b2bua_conf_apply_runtime(&app->conf, &fresh);
	b2bua_conf_free(&fresh);
	int level = log_level_parse(app->conf.log_level);
	log_set_level(level < 0 ? LOG_INFO : (enum log_level)level);
	arm_timers(app);
	dir_loader_request(app->dir, NULL, NULL);
	log_info("reload: settings re-read from %s", app->conf_path ? app->conf_path : "defaults");
}

static void give_up_waiting(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct app *app = arg;
	(void)magic;
	(void)t;
	log_warn("shutdown: the SIP stack did not finish in time");
	su_root_break(app->core.root);
}

static int on_signal(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	struct app *app = arg;
	struct signalfd_siginfo si;
	(void)magic;
	(void)w;
	if (read(app->sigfd, &si, sizeof si) != sizeof si || app->stopping)
		return 0;
	if (si.ssi_signo == SIGHUP) {
		reload_config(app);
		return 0;
	}
	log_info("signal %u: shutting down", si.ssi_signo);
	app->stopping = true;
	dialer_stop(app->dialer);
	calls_end_all(app->calls, "shutting down");
	if (tmr_once(app->core.root, &app->t_shutdown, 5000, give_up_waiting, app))
		su_root_break(app->core.root);
	sip_shutdown(app->sip);
	return 0;
}

/* sofia-sip computes the loop's poll timeout in whole milliseconds,
 * rounded down: with a timer due in 0.4 ms it polls with timeout 0 until
 * the timer is due, a busy loop that under load ran ~170,000 empty polls a
 * second. Before each poll, timers due within the next millisecond fire
 * now (at most 1 ms early, within sofia's own resolution), so the poll
 * that follows always sleeps until the next event or timer. */
static void fire_imminent_timers(su_prepoll_magic_t *magic, su_root_t *root)
{
	(void)magic;
	su_duration_t tout = SU_WAIT_FOREVER;
	su_timer_expire(su_task_timers(su_root_task(root)), &tout, su_time_add(su_now(), 1));
}

static void on_dtmf(const struct dtmf_event *ev, void *arg)
{
	struct app *app = arg;
	if (app->calls)
		calls_dtmf(app->calls, ev->call_id, ev->source_tag, ev->digit);
}

/* --- start and stop -------------------------------------------------------------------- */

static int setup_loop(struct app *app)
{
	signal(SIGPIPE, SIG_IGN);
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	/* Blocked before any thread starts, so only the signalfd sees them. */
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	app->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	su_wait_t sigwait;
	if (!(app->core.root = su_root_create(NULL)) || app->sigfd < 0 ||
	    su_wait_create(&sigwait, app->sigfd, SU_WAIT_IN) ||
	    su_root_register(app->core.root, &sigwait, on_signal, app, 0) < 0 ||
	    su_root_add_prepoll(app->core.root, fire_imminent_timers, NULL) < 0 ||
	    bus_alloc(&app->core.bus)) {
		log_err("cannot set up the event loop");
		return -1;
	}
	return 0;
}

/* The modules, bottom layer first. */
static int start(struct app *app)
{
	const struct b2bua_conf *c = &app->conf;
	struct db_conf dbc;
	b2bua_conf_db(c, &dbc);
	unsigned nq = c->db_threads > 1 ? (unsigned)c->db_threads / 2 : 1;
	unsigned nw = c->db_threads > 1 ? (unsigned)c->db_threads - nq : 1;
	if (dbq_alloc(&app->dbq, app->core.root, &dbc, nq, nw, (unsigned)c->db_queue_max,
		      (unsigned)c->db_retry_s, (unsigned)c->db_write_gather_ms)) {
		log_err("cannot start database workers");
		return -1;
	}
	struct rtpe_conf rc = {
		.addrs = c->ng_address, .timeout_ms = (unsigned)c->ng_timeout_ms,
		.tries = (unsigned)c->ng_tries, .ping_ms = (unsigned)c->ng_ping_ms,
		.dtmf = c->dtmf_ng_tcp ? on_dtmf : NULL, .dtmf_arg = app,
	};
	char why[256];
	if (rtpe_set_alloc(&app->rtpes, app->core.root, &rc, why, sizeof why)) {
		log_err("%s", why);
		return -1;
	}
	if (*c->dtmf_listen &&
	    dtmf_listener_alloc(&app->dtmf, app->core.root, c->dtmf_listen, on_dtmf, app)) {
		log_err("cannot listen for DTMF events on %s", c->dtmf_listen);
		return -1;
	}
	const struct acd_owner_ops *ops = &calls_acd_ops;
	if (lookup_alloc(&app->lookup, &app->core, app->dbq, app->mf, &app->phone) ||
	    dir_loader_alloc(&app->dir, app->dbq, app->mf, c->audio_dir, prepare, loaded, app) ||
	    acd_alloc(&app->acd, &app->core, app->dbq, ops) || flow_router_alloc(&app->router, &app->phone)) {
		log_err("out of memory");
		return -1;
	}
	if (http_alloc(&app->http, app->core.root, NULL)) {
		log_err("out of memory");
		return -1;
	}
	flow_router_set_http(app->router, app->http);
	flow_router_set_lookup(app->router, app->lookup);
	if (sip_alloc(&app->sip, &app->core))
		return -1;
	struct calls_env env = {
		.core = &app->core, .sip = app->sip, .rtpes = app->rtpes, .dbq = app->dbq,
		.acd = app->acd, .lookup = app->lookup, .phone = &app->phone,
	};
	if (calls_alloc(&app->calls, &env, flow_route, app->router)) {
		log_err("out of memory");
		return -1;
	}
	calls_set_refer(app->calls, &flow_refer_ops, app->router);
	struct dialer_env de = { .core = &app->core, .dbq = app->dbq, .acd = app->acd,
				 .calls = app->calls };
	if (dialer_alloc(&app->dialer, &de)) {
		log_err("out of memory");
		return -1;
	}
	struct sip_handlers sh = { .arg = app->calls, .incoming = calls_incoming,
				   .leg_event = calls_leg_event };
	sip_bind(app->sip, &sh);
	struct ctl_deps deps = {
		.acd = app->acd, .calls = app->calls, .dir = app->dir, .rtpes = app->rtpes,
		.dialer = app->dialer, .router = app->router,
		.sip_domain = app->core.conf->sip_domain, .sip = app->sip, .lookup = app->lookup,
		.dbq = app->dbq, .started_ms = app->started_ms,
	};
	if (ctl_start(&app->ctl, &app->core, &deps))
		return -1;
	return 0;
}

static void stop(struct app *app)
{
	tmr_free(&app->t_shutdown);
	tmr_free(&app->t_reg);
	tmr_free(&app->t_sync);
	tmr_free(&app->t_reload);
	tmr_free(&app->t_contacts);
	tmr_free(&app->t_retry);
	ctl_stop(app->ctl);
	sip_free(app->sip);
	dtmf_listener_free(app->dtmf);
	/* Lookups answered from memory and not yet delivered, while the
	 * database queue still takes what their callers do next. */
	lookup_flush(app->lookup);
	/* Flushes the call records still queued and runs the last replies. */
	dbq_free(app->dbq);
	rtpe_set_free(app->rtpes);
	calls_free(app->calls);
	dialer_free(app->dialer);
	http_free(app->http);
	acd_free(app->acd);
	flow_router_free(app->router);
	dir_loader_free(app->dir);
	lookup_free(app->lookup);
	bus_free(app->core.bus);
	if (app->core.root)
		su_root_destroy(app->core.root);
}

int main(int argc, char **argv)
{
	static struct app app;
	char **overrides = calloc((size_t)argc, sizeof *overrides);
	int noverrides = 0, opt;
	static const struct option longopts[] = {
		{ "print-config", no_argument, NULL, 'P' }, { "print-events", no_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	while ((opt = getopt_long(argc, argv, "c:o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c': app.conf_path = optarg; break;
		case 'o': overrides[noverrides++] = optarg; break;
		case 'P': b2bua_conf_print(); return 0;
		case 'E': ev_print_docs(stdout); return 0;
		default: usage();
		}
	}
	char err[512];
	log_init("cc-b2bua", LOG_INFO);
	if (b2bua_conf_load(&app.conf, app.conf_path, overrides, noverrides, err, sizeof err)) {
		log_err("%s", err);
		return 1;
	}
	free(overrides);
	int level = log_level_parse(app.conf.log_level);
	log_set_level(level < 0 ? LOG_INFO : (enum log_level)level);
	app.core.conf = &app.conf;
	b2bua_conf_phone(&app.conf, &app.phone);
	if (manifest_load(&app.mf, app.conf.manifest, app.conf.manifest_schema, err, sizeof err)) {
		log_err("%s", err);
		return 1;
	}
	if (db_library_init()) {
		log_err("out of memory");
		return 1;
	}
	su_init();
	app.started_ms = core_now_ms();
	int rc = 1;
	if (setup_loop(&app) || start(&app))
		goto out;
	arm_timers(&app);
	dir_loader_request(app.dir, first_load, &app);
	log_info("node %s: SIP on %s, control on %s, rtpengine at %s", app.conf.node_id,
		 app.conf.sip_listen, app.conf.ctl_listen, app.conf.ng_address);
	su_root_run(app.core.root);
	rc = 0;
out:
	stop(&app);
	su_deinit();
	manifest_free(app.mf);
	db_library_end();
	b2bua_conf_free(&app.conf);
	log_info("stopped");
	return rc;
}
