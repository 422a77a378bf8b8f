/* cc-web: the call center's FastCGI app (agent workbench, admin console,
 * JSON API, Server-Sent Events). See docs/web.md.
 *
 *   cc-web -c FILE [-o key=value ...]     run
 *   cc-web --print-config                 print every key, documented
 *   cc-web --print-routes                 print the route table, one route a line
 *
 * Threads: `threads` accepting FastCGI requests, one per open event stream,
 * the hub's B2BUA link, the screen-pop loader, the session sweeper, and
 * this one, which waits for SIGTERM/SIGINT and then shuts everything down:
 * the listening socket is shut so blocked accepts return, streams end,
 * threads are joined, exit 0. */
#include "auth/auth.h"
#include "clock.h"
#include "ctlc.h"
#include "db.h"
#include "ivr_run.h"
#include "jobs.h"
#include "log.h"
#include "manifest.h"
#include "mem.h"
#include "recording/recording.h"
#include "report/rollup.h"
#include "resource/resource.h"
#include "rnd.h"
#include "route.h"
#include "server.h"
#include "sqlq.h"
#include "sse/hub.h"
#include "tmpl/tmpl.h"
#include "web.h"

#include <errno.h>
#include <fcgiapp.h>
#include <grp.h>
#include <libxml/parser.h>
#include <libxslt/xslt.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: cc-web -c FILE [-o key=value ...]\n"
			"       cc-web --print-config\n"
			"       cc-web --print-routes\n");
	exit(2);
}

static const char *access_name(enum access a)
{
	static const char *const names[] = {
		[ACC_PUBLIC] = "PUBLIC", [ACC_SIGNED] = "SIGNED", [ACC_AGENT] = "AGENT",
		[ACC_ADMIN] = "ADMIN", [ACC_OUTBOUND] = "OUTBOUND", [ACC_MONITOR] = "MONITOR",
	};
	return names[a];
}

/* The route table for tests and tools (tests/integration/t_authz.sh): one
 * route a line, tab-separated: method, pattern, access, CSRF (YES/NO),
 * kind (PAGE/JSON/TEXT/SSE), handler. An admin resource's route whose
 * resource asks for another level shows both, "ADMIN+LEVEL". */
static void print_routes(void)
{
	static const char *const kinds[] = {
		[RK_PAGE] = "PAGE", [RK_JSON] = "JSON", [RK_TEXT] = "TEXT", [RK_SSE] = "SSE",
	};
	for (size_t i = 0; i < web_nroutes; i++) {
		const struct route *rt = &web_routes[i];
		printf("%s\t%s\t%s%s%s\t%s\t%s\t%s\n", rt->method, rt->pattern,
		       access_name(rt->access), rt->res && rt->res->access != rt->access ? "+" : "",
		       rt->res && rt->res->access != rt->access ? access_name(rt->res->access) : "",
		       rt->csrf ? "YES" : "NO", kinds[rt->kind], rt->name);
	}
}

static int configure(struct web *w, int argc, char **argv)
{
	char err[512];
	const char *file = NULL;
	if (conf_defaults(web_conf_keys, web_conf_nkeys, &w->conf))
		return -1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--print-config")) {
			conf_print_example("cc-web: the call center's web app", web_conf_keys,
					   web_conf_nkeys);
			exit(0);
		}
		if (!strcmp(argv[i], "--print-routes")) {
			print_routes();
			exit(0);
		}
		if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			file = argv[++i];
			if (conf_load(file, web_conf_keys, web_conf_nkeys, &w->conf, err, sizeof err)) {
				fprintf(stderr, "cc-web: %s\n", err);
				return -1;
			}
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			if (conf_set(argv[++i], web_conf_keys, web_conf_nkeys, &w->conf, err,
				     sizeof err)) {
				fprintf(stderr, "cc-web: %s\n", err);
				return -1;
			}
		} else {
			usage();
		}
	}
	if (!file)
		usage();
	int lvl = log_level_parse(w->conf.log_level);
	if (lvl < 0) {
		fprintf(stderr, "cc-web: log_level: '%s' is not error, warn, info or debug\n",
			w->conf.log_level);
		return -1;
	}
	log_init("cc-web", (enum log_level)lvl);
	if (strcmp(w->conf.default_lang, "zh-CN") && strcmp(w->conf.default_lang, "en")) {
		log_err("default_lang: '%s' is not zh-CN or en", w->conf.default_lang);
		return -1;
	}
	if (clock_load(&w->tz, w->conf.time_zone)) {
		log_err("time_zone: '%s' is no time zone of /usr/share/zoneinfo%s", w->conf.time_zone,
			*w->conf.time_zone ? "" : " (/etc/localtime cannot be read)");
		return -1;
	}
	if (w->conf.phone_nsn_min > w->conf.phone_nsn_max) {
		log_err("phone_nsn_min is above phone_nsn_max");
		return -1;
	}
	char why[160];
	int rc = ctl_nodes_alloc(&w->nodes, w->conf.ctl_address, why, sizeof why);
	if (rc) {
		log_err("ctl_address '%s': %s", w->conf.ctl_address,
			rc == EINVAL ? why : strerror(rc));
		return -1;
	}
	if (conf_read_first_line(w->conf.ctl_secret_file, w->ctl_secret, sizeof w->ctl_secret)) {
		log_err("ctl_secret_file %s: %s", w->conf.ctl_secret_file, strerror(errno));
		return -1;
	}
	if (conf_read_first_line(w->conf.db_password_file, w->db_password, sizeof w->db_password)) {
		log_err("db_password_file %s: %s", w->conf.db_password_file, strerror(errno));
		return -1;
	}
	w->phone = CONF_PHONE_OF(&w->conf);
	w->dbc = CONF_DB_OF(&w->conf, w->db_password);
	return 0;
}

/* What the database tells about the host: the tenant column (v7) and the
 * users' last sign-in column. Retries for a while: the database may still
 * be starting. */
static int inspect_host(struct web *w, bool *has_last_login)
{
	struct db *db;
	if (db_alloc(&db, &w->dbc))
		return -1;
	int rc = -1;
	for (int attempt = 0; attempt < 60; attempt++) {
		char n[16];
		if (manifest_detect(w->mf, db) == 0 &&
		    (!w->mf->users.last_login ||
		     db_query_value(db, n, sizeof n,
				    "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE "
				    "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?",
				    "ss", w->mf->users.table, w->mf->users.last_login) >= 0)) {
			*has_last_login = w->mf->users.last_login && atoi(n) > 0;
			rc = 0;
			break;
		}
		if (!attempt)
			log_warn("database not answering yet (%s); waiting", db_error(db));
		sleep(1);
	}
	if (rc)
		log_err("database: %s", db_error(db));
	db_free(db);
	return rc;
}

/* The listening socket, reachable by nginx's workers alone: whoever may
 * connect speaks FastCGI and sets REMOTE_ADDR and the other parameters the
 * app trusts. It is made under a umask that leaves it 0600, then given its
 * owner, group and mode, so it is never open wider for a moment. */
static int open_listener(struct web *w)
{
	const struct web_conf *c = &w->conf;
	char *end;
	long mode = strtol(c->listen_mode, &end, 8);
	if (!c->listen_mode[0] || *end || mode < 0 || (mode & ~0770L)) {
		log_err("listen_mode: '%s' is not an octal mode within 0770 (others never connect)",
			c->listen_mode);
		return -1;
	}
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	if (c->listen_owner[0]) {
		const struct passwd *pw = getpwnam(c->listen_owner);
		if (!pw) {
			log_err("listen_owner: no user '%s'", c->listen_owner);
			return -1;
		}
		uid = pw->pw_uid;
	}
	if (c->listen_group[0]) {
		const struct group *gr = getgrnam(c->listen_group);
		if (!gr) {
			log_err("listen_group: no group '%s'", c->listen_group);
			return -1;
		}
		gid = gr->gr_gid;
	}
	unlink(c->listen);
	mode_t old = umask(0177);
	int fd = FCGX_OpenSocket(c->listen, 256);
	umask(old);
	if (fd < 0) {
		log_err("listen %s: cannot open the socket", c->listen);
		return -1;
	}
	if ((uid != (uid_t)-1 || gid != (gid_t)-1) && chown(c->listen, uid, gid)) {
		log_err("chown %s to %s:%s: %s", c->listen, c->listen_owner, c->listen_group,
			strerror(errno));
		goto fail;
	}
	if (chmod(c->listen, (mode_t)mode)) {
		log_err("chmod %s: %s", c->listen, strerror(errno));
		goto fail;
	}
	w->listen_fd = fd;
	return 0;
fail:
	close(fd);
	unlink(c->listen);
	return -1;
}

int main(int argc, char **argv)
{
	static struct web web;
	struct web *w = &web;
	struct arena *sql_arena = NULL;
	struct wthread *threads = NULL;
	pthread_t *tids = NULL;
	int started = 0, status = 1;
	char err[512];
	bool has_last_login = false;

	LIBXML_TEST_VERSION
	xmlInitParser();
	xsltInit();
	if (configure(w, argc, argv))
		return 1;
	if (mem_arenas((int)w->conf.malloc_arenas))
		log_warn("malloc_arenas %lld: refused by the allocator", (long long)w->conf.malloc_arenas);
	if (db_library_init()) {
		log_err("cannot initialise the MariaDB client library");
		return 1;
	}
	if (manifest_load(&w->mf, w->conf.manifest, w->conf.manifest_schema, err, sizeof err)) {
		log_err("%s", err);
		goto out;
	}
	if (inspect_host(w, &has_last_login))
		goto out;
	if (!(sql_arena = arena_new()) ||
	    web_sql_build(&w->sql, w->mf, has_last_login, sql_arena)) {
		log_err("out of memory");
		goto out;
	}
	if (tmpl_load(&w->tmpl, w->conf.templates, err, sizeof err)) {
		log_err("%s", err);
		goto out;
	}
	for (size_t i = 0; i < web_nresources; i++) {
		const char *why = res_valid(web_resources[i]);
		if (why) {
			log_err("admin resource %s: %s", web_resources[i]->name, why);
			goto out;
		}
	}
	struct hub_limits hl = {
		.queue_max = (unsigned)w->conf.sse_queue_max,
		.max_streams = (unsigned)w->conf.sse_max_streams,
		.session_streams = (unsigned)w->conf.sse_session_streams,
	};
	if (rnd_bytes(w->login_key, sizeof w->login_key) ||
	    throttle_alloc(&w->throttle, (unsigned)w->conf.login_max_failures, 600,
			   (unsigned)w->conf.login_lockout_minutes * 60) ||
	    /* Many agents sign in from one office address: it gets more
	     * room than one account before it is refused. */
	    throttle_alloc(&w->throttle_addr, (unsigned)w->conf.login_max_failures * 4, 600,
			   (unsigned)w->conf.login_lockout_minutes * 60) ||
	    nonces_alloc(&w->nonces) ||
	    hub_alloc(&w->hub, w, &hl) || jobs_alloc(&w->jobs) || rollup_alloc(&w->rollup, w)) {
		log_err("out of memory");
		goto out;
	}
	if (FCGX_Init()) {
		log_err("cannot initialise libfcgi");
		goto out;
	}
	if (open_listener(w))
		goto out;

	/* Every thread inherits this mask: the signals come to sigwait below,
	 * never to libfcgi's handlers; a closed connection is an error return,
	 * not a SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	int n = (int)w->conf.threads;
	threads = calloc((size_t)n, sizeof *threads);
	tids = calloc((size_t)n, sizeof *tids);
	if (!threads || !tids) {
		log_err("out of memory");
		goto out;
	}
	if (hub_start(w->hub)) {
		log_err("cannot start the event hub");
		goto out;
	}
	if (rollup_start(w->rollup)) {
		log_err("cannot start the reports' rollup");
		goto out;
	}
	if (recworker_start(&w->recworker, w)) {
		log_err("cannot start the recordings' worker");
		goto out;
	}
	for (; started < n; started++) {
		struct wthread *t = &threads[started];
		t->web = w;
		t->index = started;
		if (db_alloc(&t->db, &w->dbc) || pthread_create(&tids[started], NULL, server_thread, t)) {
			log_err("cannot start thread %d", started);
			db_free(t->db);
			t->db = NULL;
			break;
		}
	}
	if (started == n) {
		log_info("listening on %s with %d threads (B2BUA %s, database %s)", w->conf.listen, n,
			 w->conf.ctl_address, w->conf.db_name);
		/* While waiting for the signal this thread has nothing else to do:
		 * it gives the heap's free pages back (mem.h). */
		long trim_s = (long)w->conf.malloc_trim_s;
		int sig;
		for (;;) {
			if (!trim_s) {
				if (sigwait(&sigs, &sig) == 0)
					break;
				continue;
			}
			struct timespec ts = { .tv_sec = trim_s };
			if ((sig = sigtimedwait(&sigs, NULL, &ts)) > 0)
				break;
			if (errno == EAGAIN)
				mem_trim();
		}
		log_info("signal %d: shutting down", sig);
		status = 0;
	}
	atomic_store(&w->stopping, true);
	/* Wakes every thread blocked in accept(). */
	shutdown(w->listen_fd, SHUT_RDWR);
	hub_stop(w->hub, 1500);
	for (int i = 0; i < started; i++) {
		pthread_join(tids[i], NULL);
		db_free(threads[i].db);
		for (size_t k = 0; k < CTL_NODES_MAX; k++)
			ctlc_close(threads[i].ctl[k]);
	}
	close(w->listen_fd);
	unlink(w->conf.listen);
	log_info("stopped");
out:
	recworker_free(w->recworker);
	rollup_free(w->rollup);
	hub_free(w->hub);
	ctl_nodes_free(w->nodes);
	free(threads);
	free(tids);
	throttle_free(w->throttle);
	throttle_free(w->throttle_addr);
	nonces_free(w->nonces);
	jobs_free(w->jobs);
	tmpl_free(w->tmpl);
	arena_free(sql_arena);
	manifest_free(w->mf);
	ivr_tz_free(w->tz);
	conf_free(web_conf_keys, web_conf_nkeys, &w->conf);
	xsltCleanupGlobals();
	xmlCleanupParser();
	db_library_end();
	return status;
}
