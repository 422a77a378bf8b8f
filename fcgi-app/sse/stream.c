/* An event stream's own thread: it owns the FastCGI request handed over by
 * an accepting thread, writes what the hub queues for it, a keep-alive
 * comment every sse_heartbeat_s, and ends when the browser goes away (the
 * FastCGI connection becomes readable or closes), when the hub closes it
 * (session ended, queue overflow, shutdown) or when a write fails. */
#include "stream.h"

#include "log.h"
#include "../web.h"

#include <errno.h>
#include <fcgiapp.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct job {
	struct web *web;
	struct hub *hub;
	struct stream *s;
	FCGX_Request *fr;
	struct stream_info info;
};

static int put(FCGX_Request *fr, const char *text, size_t len)
{
	return FCGX_PutStr(text, (int)len, fr->out) < 0 ? -1 : 0;
}

static int put_json(FCGX_Request *fr, const char *name, json_t *data)
{
	size_t len;
	char *f = sse_frame_json(name, data, &len);
	json_decref(data);
	if (!f)
		return -1;
	int rc = put(fr, f, len);
	free(f);
	return rc;
}

/* Writes every queued frame. -1 when a write failed. */
static int flush_queue(struct job *j)
{
	size_t len;
	char *f;
	int rc = 0;
	while (!rc && (f = stream_take(j->hub, j->s, &len))) {
		rc = put(j->fr, f, len);
		free(f);
	}
	if (FCGX_FFlush(j->fr->out) < 0)
		rc = -1;
	return rc;
}

static void *stream_main(void *arg)
{
	struct job *j = arg;
	FCGX_Request *fr = j->fr;
	const long beat_ms = j->web->conf.sse_heartbeat_s * 1000L;
	const char *why = "client";

	/* The request's (empty) body, so that what arrives on the connection
	 * afterwards can only be the server going away. */
	while (FCGX_GetChar(fr->in) != EOF)
		;
	static const char head[] = "Status: 200 OK\r\n"
				   "Content-Type: text/event-stream; charset=utf-8\r\n"
				   "Cache-Control: no-store\r\n"
				   "X-Accel-Buffering: no\r\n"
				   "X-Content-Type-Options: nosniff\r\n\r\n"
				   "retry: 3000\n\n";
	if (put(fr, head, sizeof head - 1) ||
	    put_json(fr, "hello", json_pack("{s:b, s:s, s:I}", "link", hub_link_up(j->hub),
					     "user", j->info.user_id, "ts",
					     (json_int_t)web_wall_ms())) ||
	    FCGX_FFlush(fr->out) < 0) {
		why = "write";
		goto out;
	}
	long long next_beat = web_now_ms() + beat_ms;
	for (;;) {
		long long now = web_now_ms();
		int wait = next_beat > now ? (int)(next_beat - now) : 0;
		struct pollfd p[2] = {
			{ .fd = stream_fd(j->s), .events = POLLIN },
			{ .fd = fr->ipcFd, .events = POLLIN | POLLRDHUP },
		};
		int n = poll(p, 2, wait);
		if (n < 0)
			continue;
		if (p[1].revents) {
			why = "client";
			break;
		}
		if (p[0].revents) {
			stream_drain_fd(j->s);
			if (flush_queue(j)) {
				why = "write";
				break;
			}
			const char *c = stream_closing(j->hub, j->s);
			if (c) {
				why = c;
				break;
			}
		}
		if (web_now_ms() >= next_beat) {
			if (put(fr, ": hb\n\n", 6) || FCGX_FFlush(fr->out) < 0) {
				why = "write";
				break;
			}
			next_beat = web_now_ms() + beat_ms;
		}
	}
out:
	log_info("event stream of user %s ended (%s)", j->info.user_id, why);
	hub_close(j->hub, j->s);
	FCGX_Finish_r(fr);
	free(fr);
	free(j);
	return NULL;
}

int stream_spawn(struct web *w, void *fcgi_request, const struct stream_info *si)
{
	struct job *j = calloc(1, sizeof *j);
	if (!j)
		return -1;
	j->web = w;
	j->hub = w->hub;
	j->fr = fcgi_request;
	j->info = *si;
	j->s = hub_open(w->hub, si);
	if (!j->s) {
		int err = errno;
		free(j);
		return err == EAGAIN ? EAGAIN : -1;
	}
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	pthread_t t;
	int err = pthread_create(&t, &attr, stream_main, j);
	pthread_attr_destroy(&attr);
	if (err) {
		hub_close(w->hub, j->s);
		free(j);
		return -1;
	}
	return 0;
}
