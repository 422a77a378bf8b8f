/* POST /cc/logout: ends the session (row and cookie) and its event streams,
 * then back to the sign-in page. */
#include "../auth/auth.h"
#include "../route.h"
#include "../sse/hub.h"

const char *logout_post(struct req *r)
{
	hub_end_session(r->web->hub, r->sess->token_hash, "signed_out");
	const char *why = session_end(r);
	if (why)
		return why;
	resp_redirect(r, "/cc/login");
	return NULL;
}
