/* Each accepting thread's connection to the B2BUA's control socket, for
 * commands (agent.get, agent.state, agent.list, queue.list). Connected on
 * first use; a connection that failed is dropped and made again once, so a
 * B2BUA restart costs one retry, and a B2BUA that is down costs one refused
 * connect per request. */
#include "web.h"

#include "ctlc.h"
#include "log.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <stdio.h>

static json_t *request_once(struct req *r, json_t *req, char *err, size_t errlen)
{
	struct wthread *t = r->thr;
	struct web *w = r->web;
	if (!t->ctl) {
		if (ctlc_connect(&t->ctl, w->conf.ctl_address, w->ctl_secret,
				 (unsigned)w->conf.ctl_timeout_ms, err, errlen))
			return NULL;
	}
	json_t *reply = ctlc_request(t->ctl, req, err, errlen);
	if (!reply) {
		ctlc_close(t->ctl);
		t->ctl = NULL;
	}
	return reply;
}

json_t *web_ctl(struct req *r, const char *cmd, const char *fmt, ...)
{
	char pack[256], err[256] = "";
	json_t *req;
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		snprintf(pack, sizeof pack, "{%s}", fmt);
		json_error_t je;
		req = json_vpack_ex(&je, 0, pack, ap);
		va_end(ap);
	} else {
		req = json_object();
	}
	if (!req)
		return NULL;
	json_object_set_new(req, "cmd", json_string(cmd));
	bool had_connection = r->thr->ctl != NULL;
	json_t *reply = request_once(r, req, err, sizeof err);
	if (!reply && had_connection)
		reply = request_once(r, req, err, sizeof err);
	if (!reply)
		log_warn("B2BUA %s: %s", cmd, err);
	json_decref(req);
	return reply;
}

bool web_ctl_refused(struct req *r, json_t *reply, int (*status_of)(const char *code),
		     const char **ret)
{
	if (!reply) {
		*ret = "b2bua_unavailable";
		return true;
	}
	if (json_is_true(json_object_get(reply, "ok")))
		return false;
	const char *code = json_string_value(json_object_get(reply, "error"));
	code = arena_strdup(r->a, code ? code : "failed");
	json_decref(reply);
	*ret = web_refused(r, status_of(code), code);
	return true;
}

const char *web_refused(struct req *r, int status, const char *code)
{
	json_t *out = json_pack("{s:b, s:s, s:s}", "ok", 0, "error", code, "message",
				web_t(r, arena_printf(r->a, "b2bua.%s", code)));
	return resp_json(r, status, out);
}
