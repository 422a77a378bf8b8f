/* Event streams' threads (stream.c) and the GET /cc/events handler. */
#ifndef WEB_STREAM_H
#define WEB_STREAM_H

#include "hub.h"

struct web;

/* Takes over fcgi_request (a FCGX_Request, malloc'd): registers a stream for
 * si and starts its thread, which finishes and frees the request. 0, or
 * EAGAIN when too many streams are open, or -1 (in both cases the caller
 * keeps the request and answers it). */
int stream_spawn(struct web *w, void *fcgi_request, const struct stream_info *si);

#endif
