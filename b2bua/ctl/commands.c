/* The control socket's commands: one table, one function each. */
#include "b2bua/ctl/ctl.h"

#include "b2bua/acd/acd.h"
#include "b2bua/call/call.h"
#include "b2bua/core/app.h"
#include "b2bua/ctl/events.h"
#include "b2bua/dir/dir.h"
#include "b2bua/media/ng.h"

#include <string.h>

#define CC_VERSION "0.1.0"

/* code, message */
#define CTL_ERRORS(X)                                                   \
	X("bad_request", "malformed request or arguments")              \
	X("bad_secret", "wrong secret")                                 \
	X("not_authenticated", "send auth first")                       \
	X("unknown_command", "no such command")                         \
	X("unknown_agent", "no such agent")                             \
	X("db_unavailable", "the database did not answer")              \
	X("not_ready", "the B2BUA has not loaded its directory yet")

const char *ctl_error_message(const char *code)
{
#define MSG(c, m) if (!strcmp(code, c)) return m;
	CTL_ERRORS(MSG)
#undef MSG
	return code;
}

static const char *cmd_ping(struct app *app, struct ctl_client *c, json_t *req, json_t *reply)
{
	(void)c;
	(void)req;
	json_object_set_new(reply, "node", json_string(app->conf.node_id));
	json_object_set_new(reply, "version", json_string(CC_VERSION));
	json_object_set_new(reply, "uptime_s", json_integer((app_now_ms() - app->started_ms) / 1000));
	json_object_set_new(reply, "calls", json_integer(calls_count(app->calls)));
	json_object_set_new(reply, "ready", json_boolean(app->dir != NULL));
	json_object_set_new(reply, "ng_waiting", json_integer(ng_outstanding(app->ng)));
	json_object_set_new(reply, "ng_lagging", json_integer(ng_lagging(app->ng)));
	json_object_set_new(reply, "dir_loaded", json_integer(app->dir_loaded));
	return NULL;
}

static const char *cmd_subscribe(struct app *app, struct ctl_client *c, json_t *req, json_t *reply)
{
	(void)app;
	(void)reply;
	json_t *list = json_object_get(req, "events");
	if (!json_is_array(list))
		return "bad_request";
	unsigned classes = 0;
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		const char *s = json_string_value(v);
		if (!s)
			return "bad_request";
		if (!strcmp(s, "agent"))
			classes |= CTL_AGENT;
		else if (!strcmp(s, "call"))
			classes |= CTL_CALL;
		else if (!strcmp(s, "queue"))
			classes |= CTL_QUEUE;
		else if (!strcmp(s, "all"))
			classes |= CTL_AGENT | CTL_CALL | CTL_QUEUE;
		else
			return "bad_request";
	}
	ctl_client_subscribe(c, classes);
	return NULL;
}

static struct agent *find_agent(struct app *app, json_t *req)
{
	const char *id = json_string_value(json_object_get(req, "agent"));
	return id ? acd_agent(app->acd, id) : NULL;
}

static const char *cmd_agent_get(struct app *app, struct ctl_client *c, json_t *req, json_t *reply)
{
	(void)c;
	struct agent *a = find_agent(app, req);
	if (!a || !a->present)
		return "unknown_agent";
	json_object_set_new(reply, "agent", ev_agent_json(a));
	return NULL;
}

static const char *cmd_agent_state(struct app *app, struct ctl_client *c, json_t *req,
				   json_t *reply)
{
	(void)c;
	struct agent *a = find_agent(app, req);
	if (!a || !a->present)
		return "unknown_agent";
	int want = agent_state_parse(json_string_value(json_object_get(req, "state")));
	const char *reason = json_string_value(json_object_get(req, "reason"));
	if (want != AGENT_READY && want != AGENT_NOT_READY && want != AGENT_LOGGED_OUT)
		return "bad_request";
	if (reason && strlen(reason) > AGENT_REASON_MAX)
		return "bad_request";
	if (want == AGENT_NOT_READY && (!reason || !*reason))
		reason = "break";
	const char *err = acd_agent_request(app->acd, a, (enum agent_state)want, reason);
	if (err)
		return err;
	json_object_set_new(reply, "agent", ev_agent_json(a));
	return NULL;
}

static const char *cmd_agent_list(struct app *app, struct ctl_client *c, json_t *req, json_t *reply)
{
	(void)c;
	(void)req;
	json_t *list = json_array();
	for (size_t i = 0; i < acd_agent_count(app->acd); i++) {
		struct agent *a = acd_agent_at(app->acd, i);
		if (a->present)
			json_array_append_new(list, ev_agent_json(a));
	}
	json_object_set_new(reply, "agents", list);
	return NULL;
}

static const char *cmd_call_list(struct app *app, struct ctl_client *c, json_t *req, json_t *reply)
{
	(void)c;
	(void)req;
	json_t *list = json_array();
	for (struct call *call = calls_first(app->calls); call; call = call->next_in_table)
		json_array_append_new(list, ev_call_json(call));
	json_object_set_new(reply, "calls", list);
	return NULL;
}

static const char *cmd_queue_list(struct app *app, struct ctl_client *c, json_t *req, json_t *reply)
{
	(void)c;
	(void)req;
	json_t *list = json_array();
	for (size_t i = 0; i < acd_queue_count(app->acd); i++)
		json_array_append_new(list, ev_queue_json(app, acd_queue_at(app->acd, i)));
	json_object_set_new(reply, "queues", list);
	return NULL;
}

static const char *cmd_reload(struct app *app, struct ctl_client *c, json_t *req, json_t *reply)
{
	(void)c;
	(void)req;
	/* The reload runs on a worker; the reply says it started and gives its
	 * ticket: once `ping` reports dir_loaded at or past it, the snapshot
	 * in force was read after this request. The counts are those in force
	 * now. */
	if (dir_reload(app, NULL, NULL))
		return "db_unavailable";
	json_object_set_new(reply, "ticket", json_integer(app->dir_requested));
	json_object_set_new(reply, "agents", json_integer((json_int_t)dir_agent_count(app->dir)));
	json_object_set_new(reply, "groups", json_integer((json_int_t)dir_group_count(app->dir)));
	json_object_set_new(reply, "numbers", json_integer((json_int_t)dir_number_count(app->dir)));
	return NULL;
}

/* name, handler */
#define CTL_COMMANDS(X)                         \
	X("ping", cmd_ping)                     \
	X("subscribe", cmd_subscribe)           \
	X("agent.state", cmd_agent_state)       \
	X("agent.get", cmd_agent_get)           \
	X("agent.list", cmd_agent_list)         \
	X("call.list", cmd_call_list)           \
	X("queue.list", cmd_queue_list)         \
	X("reload", cmd_reload)

static const struct {
	const char *name;
	ctl_cmd_h *h;
} commands[] = {
#define ROW(n, h) { n, h },
	CTL_COMMANDS(ROW)
#undef ROW
};

ctl_cmd_h *ctl_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (!strcmp(commands[i].name, name))
			return commands[i].h;
	return NULL;
}
