/* Commands to the B2BUA nodes (ctl.h, docs/web.md "Several B2BUA nodes").
 * Each accepting thread has its own connection to each node, made on first
 * use; a connection that failed is dropped and made again once, so a node's
 * restart costs one retry. Which nodes a command goes to follows its kind
 * (ctl.h's table): the nodes whose event link is up (ctl_nodes.c), the
 * node the database names first for an agent's or a call's command. */
#include "web.h"

#include "ctlc.h"
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static json_t *request_once(struct req *r, size_t i, json_t *req, char *err, size_t errlen)
{
	struct wthread *t = r->thr;
	struct web *w = r->web;
	if (!t->ctl[i]) {
		if (ctlc_connect(&t->ctl[i], ctl_nodes_addr(w->nodes, i), w->ctl_secret,
				 (unsigned)w->conf.ctl_timeout_ms, err, errlen))
			return NULL;
	}
	json_t *reply = ctlc_request(t->ctl[i], req, err, errlen);
	if (!reply) {
		ctlc_close(t->ctl[i]);
		t->ctl[i] = NULL;
	}
	return reply;
}

/* req (borrowed) to node i: its reply, or NULL when it was not reached
 * (logged). */
static json_t *node_request(struct req *r, size_t i, json_t *req)
{
	char err[256] = "";
	bool had_connection = r->thr->ctl[i] != NULL;
	json_t *reply = request_once(r, i, req, err, sizeof err);
	if (!reply && had_connection)
		reply = request_once(r, i, req, err, sizeof err);
	if (!reply)
		log_warn("B2BUA %s at %s: %s", json_string_value(json_object_get(req, "cmd")),
			 ctl_nodes_addr(r->web->nodes, i), err);
	return reply;
}

/* The node the database names for an agent's command (cc_agent.node) or a
 * call's (cc_call.node of the call named, or of the agent's call), into
 * name; "" when none. Read only when there is a choice. */
static void node_of(struct req *r, json_t *req, enum ctl_kind kind, char *name, size_t len)
{
	name[0] = '\0';
	const char *agent = json_string_value(json_object_get(req, "agent"));
	const char *call = json_string_value(json_object_get(req, "call"));
	int rc = 0;
	if (kind == CTL_OF_CALL && call)
		rc = db_query_value(r->thr->db, name, len, "SELECT node FROM cc_call WHERE id = ?", "s",
				    call);
	else if (kind == CTL_OF_CALL && agent)
		rc = db_query_value(
			r->thr->db, name, len,
			"SELECT COALESCE((SELECT c.node FROM cc_agent a JOIN cc_call c ON c.id = a.call_id "
			"WHERE a.user_id = ? AND c.ended_at IS NULL), (SELECT node FROM cc_call "
			"WHERE agent_id = ? AND ended_at IS NULL ORDER BY started_at DESC LIMIT 1), "
			"(SELECT node FROM cc_agent WHERE user_id = ?))",
			"sss", agent, agent, agent);
	else if (kind == CTL_OF_AGENT && agent)
		rc = db_query_value(r->thr->db, name, len,
				    "SELECT node FROM cc_agent WHERE user_id = ?", "s", agent);
	if (rc < 0) {
		log_warn("B2BUA routing: %s", db_error(r->thr->db));
		name[0] = '\0';
	}
}

/* An agent's or a call's command, or one for any node: to the nodes in
 * order until one answers (and, for a call, until one holds the call); an
 * `elsewhere` answer sends it once more to the node it names. */
static json_t *routed(struct req *r, json_t *req, enum ctl_kind kind,
		      const struct ctl_node_info *v, size_t n)
{
	char prefer[CTL_NAME_MAX] = "";
	if (n > 1)
		node_of(r, req, kind, prefer, sizeof prefer);
	size_t order[CTL_NODES_MAX];
	size_t k = ctl_route(v, n, prefer, order);
	bool tried[CTL_NODES_MAX] = { false }, hopped = false;
	json_t *kept = NULL;	/* a "no such call" answer, for when no node has it */
	for (size_t j = 0; j < k; j++) {
		size_t i = order[j];
		if (tried[i])
			continue;
		tried[i] = true;
		json_t *reply = node_request(r, i, req);
		if (!reply)
			continue;
		const char *there = ctl_elsewhere(reply);
		int e = there ? ctl_node_named(v, n, there) : -1;
		if (e >= 0 && !hopped && !tried[e]) {
			hopped = tried[e] = true;
			log_debug("B2BUA %s: %s says node %s", json_string_value(json_object_get(req, "cmd")),
				  v[i].name, there);
			json_t *again = node_request(r, (size_t)e, req);
			if (again) {
				json_decref(reply);
				reply = again;
			}
		}
		if (kind != CTL_OF_CALL || !ctl_no_such_call(reply)) {
			json_decref(kept);
			return reply;
		}
		if (kept)
			json_decref(reply);
		else
			kept = reply;
	}
	return kept;
}

/* agent id -> cc_agent.node, for agent.list's merge. */
static int agent_node_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)ncol;
	(void)lens;
	if (v[0] && v[1])
		json_object_set_new(arg, v[0], json_string(v[1]));
	return 0;
}

/* A list from every connected node, merged (ctl_merge). */
static json_t *fan_list(struct req *r, json_t *req, const struct ctl_node_info *v, size_t n)
{
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	size_t order[CTL_NODES_MAX];
	size_t k = ctl_route(v, n, NULL, order);
	json_t *replies[CTL_NODES_MAX] = { NULL };
	const char *names[CTL_NODES_MAX] = { NULL };
	size_t answered = 0, last = 0;
	json_t *refused = NULL;
	for (size_t j = 0; j < k; j++) {
		size_t i = order[j];
		names[i] = v[i].name;
		replies[i] = node_request(r, i, req);
		if (json_is_true(json_object_get(replies[i], "ok"))) {
			answered++;
			last = i;
		} else if (replies[i] && !refused) {
			refused = json_incref(replies[i]);
		}
	}
	json_t *out = NULL;
	if (answered == 1) {
		out = json_incref(replies[last]);
	} else if (answered > 1) {
		json_t *agent_nodes = NULL;
		if (!strcmp(cmd, "agent.list")) {
			agent_nodes = json_object();
			if (db_query(r->thr->db, "SELECT user_id, node FROM cc_agent WHERE node IS NOT NULL",
				     agent_node_row, agent_nodes, "") < 0)
				log_warn("agent.list: agents' nodes: %s", db_error(r->thr->db));
		}
		out = ctl_merge(cmd, replies, names, n, agent_nodes);
		json_decref(agent_nodes);
	}
	for (size_t i = 0; i < n; i++)
		json_decref(replies[i]);
	if (out) {
		json_decref(refused);
		return out;
	}
	return refused;
}

/* A command for every connected node: the first ok reply with `nodes`
 * (how many answered ok) and `asked`; else the first refusal, or NULL. */
static json_t *fan_all(struct req *r, json_t *req, const struct ctl_node_info *v, size_t n)
{
	size_t order[CTL_NODES_MAX];
	size_t k = ctl_route(v, n, NULL, order), oks = 0;
	json_t *first_ok = NULL, *refused = NULL;
	for (size_t j = 0; j < k; j++) {
		json_t *reply = node_request(r, order[j], req);
		if (json_is_true(json_object_get(reply, "ok"))) {
			oks++;
			if (!first_ok) {
				first_ok = reply;
				continue;
			}
		} else if (reply && !refused) {
			refused = reply;
			continue;
		}
		json_decref(reply);
	}
	if (!first_ok)
		return refused;
	json_decref(refused);
	json_object_set_new(first_ok, "nodes", json_integer((json_int_t)oks));
	json_object_set_new(first_ok, "asked", json_integer((json_int_t)k));
	if (oks < k)
		log_warn("B2BUA %s: %zu of %zu nodes answered",
			 json_string_value(json_object_get(req, "cmd")), oks, k);
	return first_ok;
}

/* `ping` to every node, connected or not: {"ok": true, "nodes": [each
 * node's ping answer with `address` and `link` (its event link is up), or
 * {address, link, ok: false, error}]}. */
static json_t *fan_ping(struct req *r, json_t *req, const struct ctl_node_info *v, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *reply = node_request(r, i, req);
		if (!reply)
			reply = json_pack("{s:b, s:s}", "ok", 0, "error", "unreachable");
		json_object_del(reply, "id");
		json_object_set_new(reply, "address", json_string(v[i].addr));
		json_object_set_new(reply, "link", json_boolean(v[i].up));
		if (!json_object_get(reply, "node") && v[i].name[0])
			json_object_set_new(reply, "node", json_string(v[i].name));
		json_array_append_new(list, reply);
	}
	return json_pack("{s:b, s:o}", "ok", 1, "nodes", list);
}

json_t *web_ctl_send(struct req *r, json_t *req)
{
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	struct ctl_node_info v[CTL_NODES_MAX];
	size_t n = ctl_nodes_get(r->web->nodes, v);
	enum ctl_kind kind = ctl_kind_of(cmd);
	switch (kind) {
	case CTL_LIST:
		return fan_list(r, req, v, n);
	case CTL_ALL:
		return fan_all(r, req, v, n);
	case CTL_PING:
		return fan_ping(r, req, v, n);
	case CTL_ANY:
	case CTL_OF_AGENT:
	case CTL_OF_CALL:
		break;
	}
	return routed(r, req, kind, v, n);
}

json_t *web_ctl(struct req *r, const char *cmd, const char *fmt, ...)
{
	char pack[256];
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
	json_t *reply = web_ctl_send(r, req);
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
