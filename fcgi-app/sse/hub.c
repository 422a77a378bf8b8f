/* The event hub: registry of open streams, routing, bounded queues (see
 * hub.h). One mutex guards the registry and every queue; what happens under
 * it is list surgery and malloc, never I/O. */
#include "hub.h"

#include "../ctl.h"
#include "event.h"
#include "log.h"
#include "../web.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct frame {
	struct frame *next;
	size_t len;
	char text[];
};

struct stream {
	struct stream *next, *prev;
	struct stream_info info;
	struct frame *head, *tail;
	unsigned queued;
	int efd;
	const char *closing;
};

struct hub {
	pthread_mutex_t mu;
	pthread_cond_t changed;	/* a stream closed, or the hub is stopping */
	struct stream *streams;
	size_t nstreams;
	unsigned queue_max;
	unsigned max_streams;		/* in all (each is a thread) */
	unsigned session_streams;	/* of one session */
	bool link_up;
	bool node_up[CTL_NODES_MAX];
	struct vergate *gate;	/* under mu */
	atomic_bool stopping;
	struct web *web;
	struct pop *pop;
	struct hub_link links[CTL_NODES_MAX];
	pthread_t link_thr[CTL_NODES_MAX], sweep_thr;
	size_t nlinks;		/* link threads running */
	bool started;
};

bool hub_route(const struct stream_info *si, const char *event, const char *agent)
{
	int cls = ev_class_of(event);
	if (cls < 0)
		return false;
	if (si->agent && agent && (cls == EVC_agent || cls == EVC_call) &&
	    !strcmp(agent, si->user_id))
		return true;
	if (si->outbound && cls == EVC_task)
		return true;
	/* Only on request: an admin who is also an agent keeps the workbench's
	 * stream to its own calls. */
	if ((si->admin || si->monitor) && si->calls && cls == EVC_call)
		return true;
	return (si->admin || si->monitor) && (cls == EVC_agent || cls == EVC_queue);
}

int hub_alloc(struct hub **hp, struct web *w, const struct hub_limits *lim)
{
	if (!hp)
		return EINVAL;
	struct hub *h = calloc(1, sizeof *h);
	if (!h)
		return ENOMEM;
	pthread_mutex_init(&h->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->changed, &ca);
	pthread_condattr_destroy(&ca);
	h->queue_max = lim && lim->queue_max ? lim->queue_max : 256;
	h->max_streams = lim && lim->max_streams ? lim->max_streams : 256;
	h->session_streams = lim && lim->session_streams ? lim->session_streams : 4;
	h->web = w;
	if (vergate_alloc(&h->gate) ||
	    (w && pop_alloc(&h->pop, w, h, (unsigned)w->conf.pop_threads))) {
		hub_free(h);
		return ENOMEM;
	}
	*hp = h;
	return 0;
}

struct web *hub_web(struct hub *h)
{
	return h->web;
}

struct pop *hub_pop(struct hub *h)
{
	return h->pop;
}

bool hub_stopping(const struct hub *h)
{
	return atomic_load(&h->stopping);
}

/* The monotonic time ms from now, for pthread_cond_timedwait (the hub's
 * condition variable uses CLOCK_MONOTONIC). */
static struct timespec deadline_in(unsigned ms)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

bool hub_sleep(struct hub *h, unsigned ms)
{
	struct timespec until = deadline_in(ms);
	pthread_mutex_lock(&h->mu);
	while (!atomic_load(&h->stopping) &&
	       pthread_cond_timedwait(&h->changed, &h->mu, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&h->mu);
	return atomic_load(&h->stopping);
}

static void join_links(struct hub *h)
{
	for (size_t i = 0; i < h->nlinks; i++)
		pthread_join(h->link_thr[i], NULL);
	h->nlinks = 0;
}

int hub_start(struct hub *h)
{
	int err = 0;
	size_t n = ctl_nodes_count(h->web->nodes);
	for (size_t i = 0; i < n && !err; i++) {
		h->links[i] = (struct hub_link){ .hub = h, .node = i };
		if (!(err = pthread_create(&h->link_thr[i], NULL, link_main, &h->links[i])))
			h->nlinks++;
	}
	if (!err && (err = pop_start(h->pop)) == 0 &&
	    (err = pthread_create(&h->sweep_thr, NULL, sweep_main, h)))
		pop_stop(h->pop);
	if (err) {
		atomic_store(&h->stopping, true);
		join_links(h);
		return err;
	}
	h->started = true;
	return 0;
}

static void signal_stream(struct stream *s)
{
	uint64_t one = 1;
	if (write(s->efd, &one, sizeof one) < 0 && errno != EAGAIN)
		log_warn("event stream wake-up failed: %s", strerror(errno));
}

static void enqueue_locked(struct hub *h, struct stream *s, const char *text, size_t len);

/* Under the lock. */
static void close_locked(struct stream *s, const char *why)
{
	if (!s->closing) {
		s->closing = why;
		signal_stream(s);
	}
}

void hub_stop(struct hub *h, unsigned wait_ms)
{
	pthread_mutex_lock(&h->mu);
	atomic_store(&h->stopping, true);
	pthread_cond_broadcast(&h->changed);
	for (struct stream *s = h->streams; s; s = s->next)
		close_locked(s, "shutdown");
	pthread_mutex_unlock(&h->mu);
	if (h->started) {
		pop_stop(h->pop);
		join_links(h);
		pthread_join(h->sweep_thr, NULL);
		h->started = false;
	}
	struct timespec until = deadline_in(wait_ms);
	pthread_mutex_lock(&h->mu);
	while (h->nstreams && pthread_cond_timedwait(&h->changed, &h->mu, &until) != ETIMEDOUT)
		;
	if (h->nstreams)
		log_warn("%zu event streams still open at shutdown", h->nstreams);
	pthread_mutex_unlock(&h->mu);
}

static void free_frames(struct stream *s)
{
	while (s->head) {
		struct frame *f = s->head;
		s->head = f->next;
		free(f);
	}
	s->tail = NULL;
	s->queued = 0;
}

void hub_free(struct hub *h)
{
	if (!h)
		return;
	/* Streams still registered belong to threads that outlived the wait;
	 * the process is ending, so they are left to it. */
	pop_free(h->pop);
	vergate_free(h->gate);
	pthread_cond_destroy(&h->changed);
	pthread_mutex_destroy(&h->mu);
	free(h);
}

/* The `bye` event a closed stream gets last, with its reason; NULL when out
 * of memory (the stream is closed all the same). */
static char *bye_frame(const char *why, size_t *len)
{
	json_t *data = json_pack("{s:s}", "reason", why);
	char *frame = data ? sse_frame_json("bye", data, len) : NULL;
	json_decref(data);
	return frame;
}

/* Under the lock: makes room for one more stream of the session of si by
 * closing its oldest open streams (a `bye` with reason "replaced" first). */
static void replace_oldest_locked(struct hub *h, const struct stream_info *si)
{
	for (;;) {
		unsigned open = 0;
		struct stream *oldest = NULL;
		/* New streams go first in the list: the last match is the oldest. */
		for (struct stream *s = h->streams; s; s = s->next)
			if (!s->closing && !strcmp(s->info.token_hash, si->token_hash)) {
				open++;
				oldest = s;
			}
		if (open < h->session_streams || !oldest)
			return;
		size_t len = 0;
		char *frame = bye_frame("replaced", &len);
		if (frame)
			enqueue_locked(h, oldest, frame, len);
		free(frame);
		log_info("event stream of user %s replaced by a newer one of its session",
			 oldest->info.user_id);
		close_locked(oldest, "replaced");
	}
}

struct stream *hub_open(struct hub *h, const struct stream_info *si)
{
	struct stream *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->info = *si;
	s->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->efd < 0) {
		free(s);
		return NULL;
	}
	pthread_mutex_lock(&h->mu);
	int why = atomic_load(&h->stopping) ? ESHUTDOWN : 0;
	/* Streams being closed still hold their threads: they count. */
	if (!why && h->nstreams >= h->max_streams)
		why = EAGAIN;
	if (why) {
		size_t n = h->nstreams;
		pthread_mutex_unlock(&h->mu);
		if (why == EAGAIN)
			log_warn("event stream of user %s refused: %zu streams open", si->user_id, n);
		close(s->efd);
		free(s);
		errno = why;
		return NULL;
	}
	replace_oldest_locked(h, si);
	s->next = h->streams;
	if (h->streams)
		h->streams->prev = s;
	h->streams = s;
	h->nstreams++;
	pthread_mutex_unlock(&h->mu);
	return s;
}

void hub_close(struct hub *h, struct stream *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&h->mu);
	if (s->prev)
		s->prev->next = s->next;
	else
		h->streams = s->next;
	if (s->next)
		s->next->prev = s->prev;
	h->nstreams--;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->mu);
	free_frames(s);
	close(s->efd);
	free(s);
}

size_t hub_nstreams(struct hub *h)
{
	pthread_mutex_lock(&h->mu);
	size_t n = h->nstreams;
	pthread_mutex_unlock(&h->mu);
	return n;
}

/* Under the lock: appends a copy of the frame, or drops the stream when
 * its queue is full. */
static void enqueue_locked(struct hub *h, struct stream *s, const char *text, size_t len)
{
	if (s->closing)
		return;
	if (s->queued >= h->queue_max) {
		log_warn("event stream of user %s is too slow (%u events waiting); dropping it",
			 s->info.user_id, s->queued);
		free_frames(s);
		close_locked(s, "overflow");
		return;
	}
	struct frame *f = malloc(sizeof *f + len + 1);
	if (!f)
		return;
	f->next = NULL;
	f->len = len;
	memcpy(f->text, text, len + 1);
	if (s->tail)
		s->tail->next = f;
	else
		s->head = f;
	s->tail = f;
	s->queued++;
	signal_stream(s);
}

bool hub_dispatch(struct hub *h, json_t *ev)
{
	const char *name = json_string_value(json_object_get(ev, "event"));
	const char *agent = json_string_value(json_object_get(ev, "agent"));
	if (ev_class_of(name) < 0)
		return true;
	size_t len;
	char *frame = sse_frame_json(name, ev, &len);
	/* The gate and the queues under one hold: two nodes' events of one
	 * agent reach every stream in the order the gate let them through. */
	pthread_mutex_lock(&h->mu);
	bool pass = vergate_pass(h->gate, ev);
	if (pass && frame)
		for (struct stream *s = h->streams; s; s = s->next)
			if (hub_route(&s->info, name, agent))
				enqueue_locked(h, s, frame, len);
	long long seen = pass ? 0 : vergate_ver(h->gate, agent);
	pthread_mutex_unlock(&h->mu);
	free(frame);
	if (!pass)
		log_debug("B2BUA event %s of agent %s dropped: ver %lld, %lld seen", name, agent,
			  (long long)json_integer_value(json_object_get(ev, "ver")), seen);
	return pass;
}

void hub_send_user(struct hub *h, const char *user_id, const char *name, json_t *data)
{
	size_t len;
	char *frame = sse_frame_json(name, data, &len);
	if (!frame)
		return;
	pthread_mutex_lock(&h->mu);
	for (struct stream *s = h->streams; s; s = s->next)
		if (s->info.agent && !strcmp(s->info.user_id, user_id))
			enqueue_locked(h, s, frame, len);
	pthread_mutex_unlock(&h->mu);
	free(frame);
}

void hub_send_all(struct hub *h, const char *name, json_t *data)
{
	size_t len;
	char *frame = sse_frame_json(name, data, &len);
	if (!frame)
		return;
	pthread_mutex_lock(&h->mu);
	for (struct stream *s = h->streams; s; s = s->next)
		enqueue_locked(h, s, frame, len);
	pthread_mutex_unlock(&h->mu);
	free(frame);
}

void hub_end_session(struct hub *h, const char *token_hash, const char *why)
{
	if (!h)
		return;
	size_t len = 0;
	char *frame = bye_frame(why, &len);
	pthread_mutex_lock(&h->mu);
	for (struct stream *s = h->streams; s; s = s->next) {
		if (strcmp(s->info.token_hash, token_hash))
			continue;
		if (frame)
			enqueue_locked(h, s, frame, len);
		close_locked(s, why);
	}
	pthread_mutex_unlock(&h->mu);
	free(frame);
}

void hub_set_link(struct hub *h, bool up)
{
	pthread_mutex_lock(&h->mu);
	bool changed = h->link_up != up;
	h->link_up = up;
	pthread_mutex_unlock(&h->mu);
	if (!changed)
		return;
	json_t *data = json_pack("{s:b}", "up", up);
	hub_send_all(h, "link", data);
	json_decref(data);
}

void hub_set_node(struct hub *h, size_t i, bool up, const char *name, const char *why)
{
	if (h->web && h->web->nodes)
		ctl_nodes_set(h->web->nodes, i, up, name, why);
	bool any = false;
	pthread_mutex_lock(&h->mu);
	if (i < CTL_NODES_MAX)
		h->node_up[i] = up;
	for (size_t k = 0; k < CTL_NODES_MAX; k++)
		any = any || h->node_up[k];
	pthread_mutex_unlock(&h->mu);
	hub_set_link(h, any);
}

bool hub_link_up(struct hub *h)
{
	pthread_mutex_lock(&h->mu);
	bool up = h->link_up;
	pthread_mutex_unlock(&h->mu);
	return up;
}

bool hub_has_agent(struct hub *h, const char *user_id)
{
	bool found = false;
	pthread_mutex_lock(&h->mu);
	for (struct stream *s = h->streams; s && !found; s = s->next)
		found = s->info.agent && !s->closing && !strcmp(s->info.user_id, user_id);
	pthread_mutex_unlock(&h->mu);
	return found;
}

size_t hub_sessions(struct hub *h, char (*out)[65], size_t max)
{
	size_t n = 0;
	pthread_mutex_lock(&h->mu);
	for (struct stream *s = h->streams; s && n < max; s = s->next)
		memcpy(out[n++], s->info.token_hash, 65);
	pthread_mutex_unlock(&h->mu);
	return n;
}

char *stream_take(struct hub *h, struct stream *s, size_t *lenp)
{
	pthread_mutex_lock(&h->mu);
	struct frame *f = s->head;
	if (f) {
		s->head = f->next;
		if (!s->head)
			s->tail = NULL;
		s->queued--;
	}
	pthread_mutex_unlock(&h->mu);
	if (!f)
		return NULL;
	/* The frame's text moves out: the frame header is dropped in place. */
	char *text = malloc(f->len + 1);
	if (text) {
		memcpy(text, f->text, f->len + 1);
		if (lenp)
			*lenp = f->len;
	}
	free(f);
	return text;
}

int stream_fd(const struct stream *s)
{
	return s->efd;
}

void stream_drain_fd(struct stream *s)
{
	uint64_t v;
	if (read(s->efd, &v, sizeof v) < 0 && errno != EAGAIN)
		log_warn("event stream wake-up read failed: %s", strerror(errno));
}

const char *stream_closing(struct hub *h, struct stream *s)
{
	pthread_mutex_lock(&h->mu);
	const char *why = s->closing;
	pthread_mutex_unlock(&h->mu);
	return why;
}
