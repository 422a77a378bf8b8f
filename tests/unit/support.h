/* The unit tier's helpers: a B2BUA core on a real event loop, running the
 * loop until a condition holds (with a deadline, never a fixed wait), and a
 * recorder of the events published on the bus. Header-only: each test
 * binary includes it once. */
#ifndef TEST_SUPPORT_H
#define TEST_SUPPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sofia-sip/su_wait.h>

#include "b2bua/core/bus.h"
#include "b2bua/core/core.h"

/* Deadlines are generous: the tests must pass on a loaded machine; a test
 * that passes never waits for them. */
#define T_DEADLINE_MS 10000

static inline long long t_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Runs the loop until expr holds or ms pass; the value of expr then. */
#define LOOP_UNTIL(root, expr, ms)                                            \
	({                                                                    \
		long long t_end_ = t_now_ms() + (ms);                         \
		while (!(expr) && t_now_ms() < t_end_)                        \
			su_root_step((root), 5);                              \
		(expr);                                                       \
	})

/* Runs the loop for ms (for "nothing happens meanwhile" checks only). */
static inline void loop_for(su_root_t *root, long ms)
{
	long long end = t_now_ms() + ms;
	while (t_now_ms() < end)
		su_root_step(root, 5);
}

/* Events seen on the bus: type, agent, call and a few fields, in order. */
#define T_MAX_EVENTS 2048
struct t_event {
	enum ev_type type;
	char call[40], agent[40], reason[40], state[16], detail[64];
	char node[48], exit[24];	/* call.ivr */
	char data[96];			/* call.ringing, call.answered */
	char contact[40];		/* call.answered */
	char by[16], to[48];		/* call.hold, call.resume, call.transfer */
	long long ms;
	unsigned group;
};
struct t_events {
	struct t_event ev[T_MAX_EVENTS];
	unsigned n;
};

static inline void t_events_record(const struct ev *e, void *arg)
{
	struct t_events *r = arg;
	if (r->n == T_MAX_EVENTS)
		return;
	struct t_event *t = &r->ev[r->n++];
	t->type = e->type;
	t->group = e->group;
	snprintf(t->call, sizeof t->call, "%s", e->call ? e->call : "");
	snprintf(t->agent, sizeof t->agent, "%s", e->agent ? e->agent : "");
	snprintf(t->contact, sizeof t->contact, "%s", e->contact ? e->contact : "");
	snprintf(t->by, sizeof t->by, "%s", e->by ? e->by : "");
	snprintf(t->to, sizeof t->to, "%s", e->to ? e->to : "");
	t->ms = e->ms;
	snprintf(t->reason, sizeof t->reason, "%s", e->reason ? e->reason : "");
	snprintf(t->state, sizeof t->state, "%s", e->state ? e->state : "");
	snprintf(t->node, sizeof t->node, "%s", e->node ? e->node : "");
	snprintf(t->exit, sizeof t->exit, "%s", e->exit ? e->exit : "");
	snprintf(t->data, sizeof t->data, "%s", e->data ? e->data : "");
	ev_detail(e, t->detail, sizeof t->detail);
}

/* How many events of type (for agent, when not NULL) were seen. */
static inline unsigned t_events_count(const struct t_events *r, enum ev_type type,
				      const char *agent)
{
	unsigned n = 0;
	for (unsigned i = 0; i < r->n; i++)
		if (r->ev[i].type == type && (!agent || !strcmp(r->ev[i].agent, agent)))
			n++;
	return n;
}

/* A core: loop, bus, every config key at its default. */
struct t_core {
	struct core core;
	struct b2bua_conf conf;
	struct t_events events;
};

static inline int t_core_init(struct t_core *t)
{
	memset(t, 0, sizeof *t);
	if (su_init() || b2bua_conf_defaults(&t->conf) || !(t->core.root = su_root_create(NULL)) ||
	    bus_alloc(&t->core.bus) ||
	    bus_subscribe(t->core.bus, EV_CLASS_ALL, t_events_record, &t->events))
		return -1;
	t->core.conf = &t->conf;
	return 0;
}

static inline void t_core_free(struct t_core *t)
{
	bus_free(t->core.bus);
	if (t->core.root)
		su_root_destroy(t->core.root);
	b2bua_conf_free(&t->conf);
	su_deinit();
}

/* What the code under test logs (stderr) goes to a file the test reads
 * (t_logcap_count); t_logcap_stop puts stderr back and copies the file
 * there, so that the log is seen with any failure. */
struct t_logcap {
	int saved;
	char file[64];
};

static inline int t_logcap_start(struct t_logcap *c)
{
	snprintf(c->file, sizeof c->file, "/tmp/cc-test-log-XXXXXX");
	int fd = mkstemp(c->file);
	if (fd < 0)
		return -1;
	fflush(stderr);
	c->saved = dup(2);
	dup2(fd, 2);
	close(fd);
	return 0;
}

static inline void t_logcap_stop(struct t_logcap *c)
{
	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	FILE *f = fopen(c->file, "r");
	char line[1024];
	while (f && fgets(line, sizeof line, f))
		fputs(line, stderr);
	if (f)
		fclose(f);
	unlink(c->file);
}

/* Lines logged so far that contain s, or -1. */
static inline int t_logcap_count(struct t_logcap *c, const char *s)
{
	fflush(stderr);
	FILE *f = fopen(c->file, "r");
	if (!f)
		return -1;
	char line[1024];
	int n = 0;
	while (fgets(line, sizeof line, f))
		n += strstr(line, s) != NULL;
	fclose(f);
	return n;
}

#endif
