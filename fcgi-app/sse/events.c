/* GET /cc/events: the browser's event stream. The handler only marks the
 * request; server.c hands the FastCGI request to a stream thread
 * (stream_spawn) so no accepting thread is held by an open stream.
 * ?calls=1 (the wallboard) asks for every call event: granted to admins. */
#include "../route.h"
#include "hub.h"

#include <stdio.h>
#include <string.h>

const char *events_get(struct req *r)
{
	if (!r->web->hub || hub_stopping(r->web->hub))
		return "internal";
	struct stream_info *si = arena_alloc(r->a, sizeof *si);
	if (!si)
		return "internal";
	snprintf(si->user_id, sizeof si->user_id, "%s", r->sess->user_id);
	snprintf(si->token_hash, sizeof si->token_hash, "%s", r->sess->token_hash);
	si->agent = r->sess->agent;
	si->admin = r->sess->admin;
	si->outbound = r->sess->admin || r->sess->outbound;
	const char *calls = req_query(r, "calls");
	si->monitor = r->sess->admin || r->sess->monitor;
	si->calls = si->monitor && calls && !strcmp(calls, "1");
	r->stream = si;
	return NULL;
}
