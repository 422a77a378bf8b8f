/* cc-b2bua: the call center's B2BUA. Sets everything up around one
 * su_root loop, runs it, and takes it down on SIGTERM or SIGINT: calls are
 * ended (callers hear BYE or 503), records are flushed, the SIP stack says
 * goodbye. SIGHUP re-reads the config file's run-time keys and the
 * directory. */
#include "b2bua/core/app.h"

#include "b2bua/acd/acd.h"
#include "b2bua/acd/reg.h"
#include "b2bua/call/call.h"
#include "b2bua/ctl/ctl.h"
#include "b2bua/db/dbq.h"
#include "b2bua/dir/dir.h"
#include "b2bua/lookup/contact.h"
#include "b2bua/media/dtmf.h"
#include "b2bua/media/ng.h"
#include "b2bua/sip/sip.h"
#include "db.h"
#include "log.h"
#include "manifest.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: cc-b2bua [-c FILE] [-o key=value ...] [--print-config]\n");
	exit(2);
}

/* The periodic work; re-armed when a reload changes the intervals. */
static su_timer_t *t_reg, *t_reload, *t_contacts;
static const char *conf_path;

static void every(struct app *app, su_timer_t **t, long ms, su_timer_f fn)
{
	if (*t) {
		su_timer_destroy(*t);
		*t = NULL;
	}
	if (ms <= 0)
		return;
	*t = su_timer_create(su_root_task(app->root), (su_duration_t)ms);
	if (*t)
		su_timer_set_for_ever(*t, fn, NULL);
}

static void tick_reg(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct app *app = magic;
	(void)t;
	(void)arg;
	if (app->dir)
		reg_poll(app);
}

static void tick_reload(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct app *app = magic;
	(void)t;
	(void)arg;
	dir_reload(app, NULL, NULL);
}

static void tick_contacts(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct app *app = magic;
	(void)t;
	(void)arg;
	if (app->dir)
		contact_sync(app);
}

static void first_load(struct app *app, int rc, void *arg);

static void retry_first_load(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct app *app = magic;
	(void)t;
	(void)arg;
	dir_reload(app, first_load, NULL);
}

static void first_load(struct app *app, int rc, void *arg)
{
	static su_timer_t *retry;
	(void)arg;
	if (rc) {
		/* The database may still be starting: try again soon. */
		if (!retry)
			retry = su_timer_create(su_root_task(app->root), 1000);
		if (retry && !app->stopping)
			su_timer_set(retry, retry_first_load, NULL);
		return;
	}
	if (retry) {
		su_timer_destroy(retry);
		retry = NULL;
	}
	reg_poll(app);
	contact_sync(app);
}

static void on_dtmf(const struct dtmf_event *ev, void *arg)
{
	(void)arg;
	log_debug("DTMF %c from %s on %s", ev->digit, ev->source_tag, ev->call_id);
}

static void give_up_waiting(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct app *app = magic;
	(void)t;
	(void)arg;
	log_warn("shutdown: the SIP stack did not finish in time");
	su_root_break(app->root);
}

static void arm_timers(struct app *app);

/* SIGHUP: the run-time keys of the config file, and the directory. */
static void reload_config(struct app *app)
{
	struct b2bua_conf fresh;
	char err[512];
	if (b2bua_conf_load(&fresh, conf_path, NULL, 0, err, sizeof err)) {
		log_err("reload: %s; keeping the settings in force", err);
		b2bua_conf_free(&fresh);
		return;
	}
	b2bua_conf_apply_runtime(&app->conf, &fresh);
	b2bua_conf_free(&fresh);
	int level = log_level_parse(app->conf.log_level);
	log_set_level(level < 0 ? LOG_INFO : (enum log_level)level);
	arm_timers(app);
	dir_reload(app, NULL, NULL);
	log_info("reload: settings re-read from %s", conf_path ? conf_path : "defaults");
}

/* Bounds the wait for the SIP stack's goodbye. */
static su_timer_t *shutdown_timer;

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

static int on_signal(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	struct app *app = magic;
	int fd = *(int *)arg;
	struct signalfd_siginfo si;
	(void)w;
	if (read(fd, &si, sizeof si) != sizeof si || app->stopping)
		return 0;
	if (si.ssi_signo == SIGHUP) {
		reload_config(app);
		return 0;
	}
	log_info("signal %u: shutting down", si.ssi_signo);
	app->stopping = true;
	struct call *call;
	while ((call = calls_first(app->calls)))
		call_end(call, call->state == CALL_BRIDGED ? RESULT_ANSWERED : RESULT_FAILED,
			 SIDE_SYSTEM, "shutting down");
	if (!shutdown_timer)
		shutdown_timer = su_timer_create(su_root_task(app->root), 5000);
	if (shutdown_timer)
		su_timer_set(shutdown_timer, give_up_waiting, NULL);
	sip_shutdown(app);
	return 0;
}

static void arm_timers(struct app *app)
{
	every(app, &t_reg, app->conf.reg_poll_ms, tick_reg);
	every(app, &t_reload, app->conf.reload_s * 1000, tick_reload);
	every(app, &t_contacts, app->conf.contact_sync_s * 1000, tick_contacts);
}

static int split_host(const char *addr, char *host, size_t n)
{
	const char *colon = strrchr(addr, ':');
	size_t len = colon ? (size_t)(colon - addr) : strlen(addr);
	if (len >= n)
		return -1;
	memcpy(host, addr, len);
	host[len] = '\0';
	return 0;
}

int main(int argc, char **argv)
{
	static struct app app;
	char **overrides = calloc((size_t)argc, sizeof *overrides);
	int noverrides = 0, opt;
	static const struct option longopts[] = {
		{ "print-config", no_argument, NULL, 'P' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	while ((opt = getopt_long(argc, argv, "c:o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c': conf_path = optarg; break;
		case 'o': overrides[noverrides++] = optarg; break;
		case 'P': b2bua_conf_print(); return 0;
		default: usage();
		}
	}
	char err[512];
	log_init("cc-b2bua", LOG_INFO);
	if (b2bua_conf_load(&app.conf, conf_path, overrides, noverrides, err, sizeof err)) {
		log_err("%s", err);
		return 1;
	}
	free(overrides);
	int level = log_level_parse(app.conf.log_level);
	log_set_level(level < 0 ? LOG_INFO : (enum log_level)level);
	app.phone = (struct phone_rules){
		.country = app.conf.phone_country, .trunk = app.conf.phone_trunk_prefix,
		.intl = app.conf.phone_intl_prefix, .area = app.conf.phone_area_code,
		.nsn_min = (unsigned)app.conf.phone_nsn_min, .nsn_max = (unsigned)app.conf.phone_nsn_max,
		.local_min = 7, .local_max = 8,
	};
	if (split_host(app.conf.sip_listen, app.sip_host, sizeof app.sip_host)) {
		log_err("sip_listen '%s' is not host:port", app.conf.sip_listen);
		return 1;
	}
	snprintf(app.proxy_route, sizeof app.proxy_route, "<sip:%s;lr>", app.conf.sip_proxy);
	if (manifest_load(&app.mf, app.conf.manifest, app.conf.manifest_schema, err, sizeof err)) {
		log_err("%s", err);
		return 1;
	}
	if (dir_sql_init(app.mf) || db_library_init()) {
		log_err("out of memory");
		return 1;
	}

	signal(SIGPIPE, SIG_IGN);
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	/* Blocked before any thread starts, so only the signalfd sees them. */
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	static int sigfd;
	sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);

	su_init();
	app.home = su_home_create();
	app.root = su_root_create(&app);
	app.started_ms = app_now_ms();
	struct db_conf dbc = {
		.host = app.conf.db_host, .port = (unsigned)app.conf.db_port,
		.socket = app.conf.db_socket, .user = app.conf.db_user,
		.password = app.conf.db_password, .name = app.conf.db_name, .timeout_s = 3,
	};
	unsigned nq = app.conf.db_threads > 1 ? (unsigned)app.conf.db_threads / 2 : 1;
	unsigned nw = app.conf.db_threads > 1 ? (unsigned)app.conf.db_threads - nq : 1;
	int rc = 1;
	su_wait_t sigwait;
	if (!app.root || sigfd < 0 || su_wait_create(&sigwait, sigfd, SU_WAIT_IN) ||
	    su_root_register(app.root, &sigwait, on_signal, &sigfd, 0) < 0 ||
	    su_root_add_prepoll(app.root, fire_imminent_timers, NULL) < 0) {
		log_err("cannot set up the event loop");
		goto out;
	}
	if (dbq_alloc(&app.dbq, app.root, &dbc, nq, nw, (unsigned)app.conf.db_queue_max,
		      (unsigned)app.conf.db_retry_s)) {
		log_err("cannot start database workers");
		goto out;
	}
	if (ng_client_alloc(&app.ng, app.root, app.conf.ng_address, (unsigned)app.conf.ng_timeout_ms,
			    (unsigned)app.conf.ng_tries)) {
		log_err("cannot open the rtpengine ng socket for %s", app.conf.ng_address);
		goto out;
	}
	if (*app.conf.dtmf_listen &&
	    dtmf_listener_alloc(&app.dtmf, app.root, app.conf.dtmf_listen, on_dtmf, &app)) {
		log_err("cannot listen for DTMF events on %s", app.conf.dtmf_listen);
		goto out;
	}
	if (acd_alloc(&app.acd, &app) || calls_alloc(&app.calls) ||
	    ctl_start(&app.ctl, &app, app.conf.ctl_listen, app.conf.ctl_secret) || sip_start(&app))
		goto out;

	arm_timers(&app);
	dir_reload(&app, first_load, NULL);
	log_info("node %s: SIP on %s, control on %s, rtpengine at %s", app.conf.node_id,
		 app.conf.sip_listen, app.conf.ctl_listen, app.conf.ng_address);
	su_root_run(app.root);
	rc = 0;
out:
	if (shutdown_timer)
		su_timer_destroy(shutdown_timer);
	if (t_reg)
		su_timer_destroy(t_reg);
	if (t_reload)
		su_timer_destroy(t_reload);
	if (t_contacts)
		su_timer_destroy(t_contacts);
	sip_destroy(&app);
	ctl_stop(app.ctl);
	dtmf_listener_free(app.dtmf);
	/* Flushes the call records still queued. */
	dbq_free(app.dbq);
	ng_client_free(app.ng);
	acd_free(app.acd);
	if (app.calls)
		calls_free(app.calls);
	dir_free(app.dir);
	manifest_free(app.mf);
	if (app.root)
		su_root_destroy(app.root);
	su_home_unref(app.home);
	su_deinit();
	db_library_end();
	b2bua_conf_free(&app.conf);
	log_info("stopped");
	return rc;
}
