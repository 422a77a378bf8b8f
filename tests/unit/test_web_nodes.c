/* The web app's view of several B2BUA nodes (fcgi-app/ctl.h): the address
 * list, the command table, the order in which nodes are asked, the merge
 * of several nodes' list replies, and the hub's merge of agent events by
 * `ver` (fcgi-app/sse/vergate.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi-app/ctl.h"
#include "fcgi-app/sse/hub.h"

static void addr_list(void **state)
{
	(void)state;
	char out[CTL_NODES_MAX][CTL_ADDR_MAX], err[128] = "";
	assert_int_equal(ctl_addr_list("127.0.0.1:8021", out, CTL_NODES_MAX, err, sizeof err), 1);
	assert_string_equal(out[0], "127.0.0.1:8021");
	assert_int_equal(ctl_addr_list("  10.0.0.1:8021 10.0.0.2:8021\t10.0.0.3:9000 ", out,
				       CTL_NODES_MAX, err, sizeof err), 3);
	assert_string_equal(out[1], "10.0.0.2:8021");
	assert_string_equal(out[2], "10.0.0.3:9000");
	assert_int_equal(ctl_addr_list("", out, CTL_NODES_MAX, err, sizeof err), 0);
	assert_string_equal(err, "no address");
	assert_int_equal(ctl_addr_list("a:1 b:2 a:1", out, CTL_NODES_MAX, err, sizeof err), 0);
	assert_string_equal(err, "a:1 listed twice");
	assert_int_equal(ctl_addr_list("a:1 b:2 c:3", out, 2, err, sizeof err), 0);
	assert_string_equal(err, "more than 2 addresses");
}

static void kinds(void **state)
{
	(void)state;
	assert_int_equal(ctl_kind_of("agent.state"), CTL_OF_AGENT);
	assert_int_equal(ctl_kind_of("call.dial"), CTL_OF_AGENT);
	assert_int_equal(ctl_kind_of("call.hold"), CTL_OF_CALL);
	assert_int_equal(ctl_kind_of("call.consult_cancel"), CTL_OF_CALL);
	assert_int_equal(ctl_kind_of("call.monitor"), CTL_OF_CALL);
	assert_int_equal(ctl_kind_of("queue.list"), CTL_LIST);
	assert_int_equal(ctl_kind_of("reload"), CTL_ALL);
	assert_int_equal(ctl_kind_of("task.wake"), CTL_ALL);
	assert_int_equal(ctl_kind_of("ping"), CTL_PING);
	assert_int_equal(ctl_kind_of("contact.stats"), CTL_ANY);
	assert_int_equal(ctl_kind_of(NULL), CTL_ANY);
	assert_string_equal(ctl_kind_name(CTL_OF_CALL), "OF_CALL");
}

static void route(void **state)
{
	(void)state;
	struct ctl_node_info v[3] = {
		{ "a:1", "node1", true }, { "b:2", "node2", true }, { "c:3", "node3", false }
	};
	size_t order[CTL_NODES_MAX];
	/* The named node first, then the other connected ones in list order. */
	assert_int_equal(ctl_route(v, 3, "node2", order), 2);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 0);
	/* No name, or a name no node has: the connected ones in order. */
	assert_int_equal(ctl_route(v, 3, NULL, order), 2);
	assert_int_equal(order[0], 0);
	assert_int_equal(ctl_route(v, 3, "node9", order), 2);
	assert_int_equal(order[0], 0);
	/* A named node that is down is skipped. */
	assert_int_equal(ctl_route(v, 3, "node3", order), 2);
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 1);
	/* None connected: every node, in list order. */
	v[0].up = v[1].up = false;
	assert_int_equal(ctl_route(v, 3, "node2", order), 3);
	assert_int_equal(order[0], 0);
	assert_int_equal(order[2], 2);
	assert_int_equal(ctl_node_named(v, 3, "node3"), 2);
	assert_int_equal(ctl_node_named(v, 3, ""), -1);
}

static void answers(void **state)
{
	(void)state;
	json_t *a = json_pack("{s:b, s:s, s:s}", "ok", 0, "error", "elsewhere", "node", "node2");
	json_t *b = json_pack("{s:b, s:s}", "ok", 0, "error", "not_talking");
	json_t *c = json_pack("{s:b, s:s}", "ok", 0, "error", "unknown_call");
	json_t *d = json_pack("{s:b, s:s}", "ok", 1, "call", "c1");
	json_t *e = json_pack("{s:b, s:s}", "ok", 0, "error", "busy");
	assert_string_equal(ctl_elsewhere(a), "node2");
	assert_null(ctl_elsewhere(b));
	assert_null(ctl_elsewhere(d));
	assert_false(ctl_no_such_call(a));
	assert_true(ctl_no_such_call(b));
	assert_true(ctl_no_such_call(c));
	assert_false(ctl_no_such_call(d));
	assert_false(ctl_no_such_call(e));
	assert_false(ctl_no_such_call(NULL));
	json_decref(a);
	json_decref(b);
	json_decref(c);
	json_decref(d);
	json_decref(e);
}

static json_t *agent(const char *id, const char *st, int ver)
{
	return ver < 0 ? json_pack("{s:s, s:s}", "id", id, "state", st)
		       : json_pack("{s:s, s:s, s:i}", "id", id, "state", st, "ver", ver);
}

static const char *state_of(json_t *list, const char *id)
{
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(list, "agents"), i, a)
		if (!strcmp(json_string_value(json_object_get(a, "id")), id))
			return json_string_value(json_object_get(a, "state"));
	return NULL;
}

static void merge_agents(void **state)
{
	(void)state;
	json_t *r1 = json_pack("{s:b, s:[o, o, o]}", "ok", 1, "agents", agent("a1", "ready", 7),
			       agent("a2", "not_ready", -1), agent("a3", "ready", -1));
	json_t *r2 = json_pack("{s:b, s:[o, o, o, o]}", "ok", 1, "agents", agent("a1", "on_call", 6),
			       agent("a2", "on_call", -1), agent("a3", "wrap_up", 3),
			       agent("a4", "ready", -1));
	json_t *replies[] = { r1, r2, NULL };
	const char *names[] = { "node1", "node2", "node3" };
	json_t *owners = json_pack("{s:s}", "a2", "node2");
	json_t *m = ctl_merge("agent.list", replies, names, 3, owners);
	assert_non_null(m);
	assert_true(json_is_true(json_object_get(m, "ok")));
	assert_int_equal(json_integer_value(json_object_get(m, "nodes")), 2);
	assert_int_equal(json_array_size(json_object_get(m, "agents")), 4);
	assert_string_equal(state_of(m, "a1"), "ready");	/* ver 7 over 6 */
	assert_string_equal(state_of(m, "a2"), "on_call");	/* its node's */
	assert_string_equal(state_of(m, "a3"), "wrap_up");	/* the one with a ver */
	assert_string_equal(state_of(m, "a4"), "ready");	/* one node only */
	json_decref(m);
	/* Without the agents' nodes: the first node's entry. */
	m = ctl_merge("agent.list", replies, names, 3, NULL);
	assert_string_equal(state_of(m, "a2"), "not_ready");
	json_decref(m);
	/* No node answered ok: NULL, the caller passes the refusal on. */
	json_t *no = json_pack("{s:b, s:s}", "ok", 0, "error", "db_unavailable");
	json_t *none[] = { no, NULL };
	assert_null(ctl_merge("agent.list", none, names, 2, NULL));
	assert_null(ctl_merge("reload", replies, names, 2, NULL));
	json_decref(no);
	json_decref(owners);
	json_decref(r1);
	json_decref(r2);
}

static void merge_queues_calls_tasks(void **state)
{
	(void)state;
	json_t *q1 = json_pack("{s:b, s:[{s:i, s:s, s:i, s:i, s:i, s:i}, {s:i, s:s, s:i, s:i, s:i, s:i}]}",
			       "ok", 1, "queues", "id", 1, "name", "Sales", "waiting", 2,
			       "oldest_wait_ms", 5000, "agents_ready", 3, "agents_signed_in", 5,
			       "id", 2, "name", "Support", "waiting", 0, "oldest_wait_ms", 0,
			       "agents_ready", 1, "agents_signed_in", 1);
	json_t *q2 = json_pack("{s:b, s:[{s:i, s:s, s:i, s:i, s:i, s:i}]}", "ok", 1, "queues", "id", 1,
			       "name", "Sales", "waiting", 3, "oldest_wait_ms", 9000, "agents_ready", 2,
			       "agents_signed_in", 6);
	json_t *qs[] = { q1, q2 };
	const char *names[] = { "node1", "node2" };
	json_t *m = ctl_merge("queue.list", qs, names, 2, NULL);
	json_t *sales = json_array_get(json_object_get(m, "queues"), 0);
	assert_int_equal(json_array_size(json_object_get(m, "queues")), 2);
	assert_int_equal(json_integer_value(json_object_get(sales, "waiting")), 5);
	assert_int_equal(json_integer_value(json_object_get(sales, "oldest_wait_ms")), 9000);
	assert_int_equal(json_integer_value(json_object_get(sales, "agents_ready")), 3);
	assert_int_equal(json_integer_value(json_object_get(sales, "agents_signed_in")), 6);
	/* The replies themselves are left as they were. */
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(json_object_get(q1, "queues"), 0), "waiting")), 2);
	json_decref(m);
	json_decref(q1);
	json_decref(q2);

	json_t *c1 = json_pack("{s:b, s:[{s:s}, {s:s}]}", "ok", 1, "calls", "id", "c1", "id", "c2");
	json_t *c2 = json_pack("{s:b, s:[{s:s}]}", "ok", 1, "calls", "id", "c3");
	json_t *cs[] = { c1, c2 };
	m = ctl_merge("call.list", cs, names, 2, NULL);
	assert_int_equal(json_array_size(json_object_get(m, "calls")), 3);
	json_decref(m);
	json_decref(c1);
	json_decref(c2);

	json_t *t1 = json_pack("{s:b, s:[{s:i, s:s, s:i, s:i, s:i, s:i}]}", "ok", 1, "tasks", "id", 4,
			       "state", "stopped", "concurrency", 2, "placed", 10, "abandoned", 1,
			       "live", 4);
	json_t *t2 = json_pack("{s:b, s:[{s:i, s:s, s:i, s:i, s:i, s:i}]}", "ok", 1, "tasks", "id", 4,
			       "state", "running", "concurrency", 3, "placed", 6, "abandoned", 1,
			       "live", 6);
	json_t *ts[] = { t1, t2 };
	m = ctl_merge("task.list", ts, names, 2, NULL);
	json_t *t = json_array_get(json_object_get(m, "tasks"), 0);
	assert_int_equal(json_array_size(json_object_get(m, "tasks")), 1);
	assert_int_equal(json_integer_value(json_object_get(t, "concurrency")), 5);
	assert_int_equal(json_integer_value(json_object_get(t, "placed")), 16);
	assert_string_equal(json_string_value(json_object_get(t, "state")), "running");
	assert_true(json_real_value(json_object_get(t, "abandon_rate")) > 0.19 &&
		    json_real_value(json_object_get(t, "abandon_rate")) < 0.21);
	json_decref(m);
	json_decref(t1);
	json_decref(t2);
}

static bool pass(struct vergate *g, const char *agent, int ver)
{
	json_t *ev = ver < 0 ? json_pack("{s:s, s:s}", "event", "agent.state", "agent", agent)
			     : json_pack("{s:s, s:s, s:i}", "event", "agent.state", "agent", agent,
					 "ver", ver);
	bool ok = vergate_pass(g, ev);
	json_decref(ev);
	return ok;
}

static void ver_gate(void **state)
{
	(void)state;
	struct vergate *g = NULL;
	assert_int_equal(vergate_alloc(&g), 0);
	assert_true(pass(g, "a1", 5));
	assert_true(pass(g, "a1", 5));		/* equal: a repeat, kept */
	assert_true(pass(g, "a1", 6));
	assert_false(pass(g, "a1", 4));		/* late news from another node */
	assert_int_equal(vergate_ver(g, "a1"), 6);
	assert_true(pass(g, "a1", -1));		/* no ver: passes as before */
	assert_true(pass(g, "a2", 1));		/* per agent */
	assert_int_equal(vergate_ver(g, "a3"), -1);
	json_t *noagent = json_pack("{s:s, s:i}", "event", "task.state", "ver", 1);
	assert_true(vergate_pass(g, noagent));
	json_decref(noagent);
	/* Many agents: the table grows and keeps every one. */
	char id[16];
	for (int i = 0; i < 1000; i++) {
		snprintf(id, sizeof id, "x%d", i);
		assert_true(pass(g, id, i));
	}
	for (int i = 97; i < 1000; i += 97) {
		snprintf(id, sizeof id, "x%d", i);
		assert_int_equal(vergate_ver(g, id), i);
		assert_false(pass(g, id, i - 1));
	}
	assert_int_equal(vergate_ver(g, "a1"), 6);
	vergate_free(g);
}

/* The hub with the gate: two nodes' agent.state events of one agent, an
 * older one arriving late, reach an admin's stream only when not older. */
static void hub_merges_by_ver(void **state)
{
	(void)state;
	struct hub *h;
	assert_int_equal(hub_alloc(&h, NULL, NULL), 0);
	struct stream_info si = { .user_id = "adm", .token_hash = "tadm", .admin = true };
	struct stream *s = hub_open(h, &si);
	assert_non_null(s);
	static const struct {
		int ver;
		const char *state;
		bool passes;
	} seq[] = {
		{ 3, "ready", true },		/* node1 */
		{ 5, "on_call", true },		/* node2 took the agent */
		{ 4, "not_ready", false },	/* node1's late news */
		{ 5, "on_call", true },		/* a repeat */
		{ -1, "wrap_up", true },	/* no ver: as before */
		{ 6, "ready", true },
	};
	for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
		json_t *ev = seq[i].ver < 0
				     ? json_pack("{s:s, s:s, s:s}", "event", "agent.state", "agent", "a1",
						 "state", seq[i].state)
				     : json_pack("{s:s, s:s, s:s, s:i}", "event", "agent.state", "agent",
						 "a1", "state", seq[i].state, "ver", seq[i].ver);
		assert_int_equal(hub_dispatch(h, ev), seq[i].passes);
		json_decref(ev);
	}
	char want[][16] = { "ready", "on_call", "on_call", "wrap_up", "ready" };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char *f = stream_take(h, s, NULL);
		assert_non_null(f);
		char quoted[128];
		snprintf(quoted, sizeof quoted, "\"state\":\"%s\"", want[i]);
		assert_non_null(strstr(f, quoted));
		free(f);
	}
	assert_null(stream_take(h, s, NULL));
	hub_close(h, s);
	hub_stop(h, 0);
	hub_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(addr_list),	  cmocka_unit_test(kinds),
		cmocka_unit_test(route),	  cmocka_unit_test(answers),
		cmocka_unit_test(merge_agents), cmocka_unit_test(merge_queues_calls_tasks),
		cmocka_unit_test(ver_gate),	  cmocka_unit_test(hub_merges_by_ver),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
