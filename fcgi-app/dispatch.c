/* The one place a request goes through: route, session, access, CSRF,
 * handler; and the one place a handler's reason becomes a status with an
 * error page (HTML routes) or a JSON body (API and event routes). */
#include "route.h"

#include "auth/auth.h"
#include "log.h"
#include "tmpl/page.h"

#include <string.h>
#include <time.h>

const char *web_t(struct req *r, const char *key)
{
	return tmpl_t(r->web ? r->web->tmpl : NULL, r->lang, key);
}

static void error_page(struct req *r, const char *reason, int status)
{
	xmlDoc *doc;
	xmlNode *root = page_begin(r, "error", &doc);
	if (root) {
		xmlNode *e = xd_el(root, "error");
		xd_attr_int(e, "status", status);
		xd_attr(e, "reason", reason);
		xd_attr(e, "title", arena_printf(r->a, "err.%s.title", reason));
		xd_attr(e, "message", arena_printf(r->a, "err.%s", reason));
		if (!page_finish(r, doc, "error", status))
			return;
	}
	/* Marked: only when the error template itself cannot render. */
	resp_text(r, status, "text/plain; charset=utf-8", reason);
}

void web_error(struct req *r, const char *reason)
{
	int status = reason_status(reason);
	enum route_kind kind = r->route ? r->route->kind : route_error_kind(r->method, r->path);
	if (kind == RK_PAGE && !strcmp(reason, "unauthorized")) {
		resp_redirect(r, "/cc/login");
		return;
	}
	if (status == 405 && r->route == NULL)
		resp_header(r, "Allow", "GET, POST");
	if (kind == RK_PAGE) {
		error_page(r, reason, status);
		return;
	}
	if (kind == RK_TEXT) {
		resp_text(r, status, "text/plain; charset=utf-8", reason);
		return;
	}
	json_t *j = json_pack("{s:b, s:s, s:s}", "ok", 0, "error", reason, "message",
			      web_t(r, arena_printf(r->a, "err.%s", reason)));
	resp_json(r, status, j);
}

/* CSRF for a POST: the Origin check, then the token of the session, or of
 * the sign-in form for public routes. */
static bool csrf_ok(struct req *r)
{
	if (!csrf_origin_ok(r))
		return false;
	const char *given = csrf_given(r);
	if (r->route->access == ACC_PUBLIC) {
		/* The sign-in form's nonce is good for one POST. */
		const char *nonce = req_cookie(r, "cc_pre");
		return csrf_login_check(r->web->login_key, nonce, given) &&
		       nonce_use(r->web->nonces, nonce, time(NULL));
	}
	return r->sess && csrf_check(r->sess->csrf, given);
}

void web_dispatch(struct req *r)
{
	bool wrong_method;
	r->route = route_match(r->method, r->path, r->a, &r->route_id, &wrong_method);
	if (!r->route) {
		web_error(r, wrong_method ? "method_not_allowed" : "not_found");
		return;
	}
	const struct route *rt = r->route;
	const char *why;
	/* The health check must answer without a session lookup. */
	if (rt->handler != health_get && (why = session_load(r))) {
		web_error(r, why);
		return;
	}
	if (!route_allows(rt, r->sess)) {
		web_error(r, r->sess ? "forbidden" : "unauthorized");
		return;
	}
	if ((rt->csrf || !strcmp(rt->method, "POST")) && !csrf_ok(r)) {
		log_warn("%s %s: CSRF check failed (from %s)", r->method, r->path, r->remote_addr);
		web_error(r, "csrf");
		return;
	}
	if (r->multipart && !route_takes_files(rt)) {
		web_error(r, "unsupported_media");
		return;
	}
	why = rt->handler(r);
	if (why)
		web_error(r, why);
}
