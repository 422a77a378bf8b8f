/* Where a command goes and how several nodes' replies become one (ctl.h):
 * pure functions, no sockets, no locks. */
#include "ctl.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *cmd;
	enum ctl_kind kind;
} commands[] = {
#define CTL_CMD_ROW(name, kind) { name, CTL_##kind },
	CTL_COMMANDS(CTL_CMD_ROW)
#undef CTL_CMD_ROW
};

static const char *const kind_names[] = {
#define CTL_KIND_NAME(k) #k,
	CTL_KINDS(CTL_KIND_NAME)
#undef CTL_KIND_NAME
};

enum ctl_kind ctl_kind_of(const char *cmd)
{
	for (size_t i = 0; cmd && i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(commands[i].cmd, cmd))
			return commands[i].kind;
	return CTL_ANY;
}

const char *ctl_kind_name(enum ctl_kind k)
{
	return (size_t)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "?";
}

size_t ctl_addr_list(const char *list, char (*out)[CTL_ADDR_MAX], size_t max, char *err,
		     size_t errlen)
{
	size_t n = 0;
	const char *p = list ? list : "";
	for (;;) {
		p += strspn(p, " \t,");
		if (!*p)
			break;
		size_t len = strcspn(p, " \t,");
		if (n == max) {
			snprintf(err, errlen, "more than %zu addresses", max);
			return 0;
		}
		if (len >= CTL_ADDR_MAX) {
			snprintf(err, errlen, "address %.40s... longer than %d characters", p,
				 CTL_ADDR_MAX - 1);
			return 0;
		}
		memcpy(out[n], p, len);
		out[n][len] = '\0';
		for (size_t i = 0; i < n; i++)
			if (!strcmp(out[i], out[n])) {
				snprintf(err, errlen, "%s listed twice", out[n]);
				return 0;
			}
		n++;
		p += len;
	}
	if (!n)
		snprintf(err, errlen, "no address");
	return n;
}

int ctl_node_named(const struct ctl_node_info *v, size_t n, const char *name)
{
	if (!name || !*name)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return (int)i;
	return -1;
}

size_t ctl_route(const struct ctl_node_info *v, size_t n, const char *prefer, size_t *order)
{
	size_t k = 0;
	int first = ctl_node_named(v, n, prefer);
	if (first >= 0 && v[first].up)
		order[k++] = (size_t)first;
	for (size_t i = 0; i < n; i++)
		if (v[i].up && (int)i != first)
			order[k++] = i;
	if (k)
		return k;
	for (size_t i = 0; i < n; i++)
		order[k++] = i;
	return k;
}

static const char *error_of(json_t *reply)
{
	if (!reply || json_is_true(json_object_get(reply, "ok")))
		return NULL;
	return json_string_value(json_object_get(reply, "error"));
}

bool ctl_no_such_call(json_t *reply)
{
	const char *e = error_of(reply);
	/* not_talking: the agent has no call on that node (a command by agent);
	 * unknown_call: a command by call id. */
	return e && (!strcmp(e, "unknown_call") || !strcmp(e, "not_talking"));
}

const char *ctl_elsewhere(json_t *reply)
{
	const char *e = error_of(reply);
	if (!e || strcmp(e, "elsewhere"))
		return NULL;
	const char *node = json_string_value(json_object_get(reply, "node"));
	return node && *node ? node : NULL;
}

/* A list entry's key: its `id` as text ("" when it has none). */
static const char *key_of(json_t *entry, char *buf, size_t len)
{
	json_t *id = json_object_get(entry, "id");
	if (json_is_string(id))
		return json_string_value(id);
	if (json_is_integer(id)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(id));
		return buf;
	}
	return "";
}

static long long int_of(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static void set_int(json_t *o, const char *k, long long v)
{
	json_object_set_new(o, k, json_integer((json_int_t)v));
}

/* agent.list: is b (from the node named bnode) the better entry of the
 * agent than a, which is kept now? */
static bool agent_better(json_t *a, json_t *b, const char *bnode, json_t *agent_nodes)
{
	json_t *va = json_object_get(a, "ver"), *vb = json_object_get(b, "ver");
	if (json_is_integer(va) && json_is_integer(vb))
		return json_integer_value(vb) > json_integer_value(va);
	if (json_is_integer(va) != json_is_integer(vb))
		return json_is_integer(vb);
	const char *owner = json_string_value(
		json_object_get(agent_nodes, json_string_value(json_object_get(b, "id")) ?: ""));
	return owner && bnode && !strcmp(owner, bnode);
}

static void merge_queue(json_t *kept, json_t *q)
{
	set_int(kept, "waiting", int_of(kept, "waiting") + int_of(q, "waiting"));
	static const char *const largest[] = { "oldest_wait_ms", "agents_ready", "agents_signed_in" };
	for (size_t i = 0; i < sizeof largest / sizeof largest[0]; i++)
		if (int_of(q, largest[i]) > int_of(kept, largest[i]))
			set_int(kept, largest[i], int_of(q, largest[i]));
}

static void merge_task(json_t *kept, json_t *t)
{
	static const char *const summed[] = { "dialing", "ringing", "answered", "connected",
					      "concurrency", "limit", "placed", "abandoned", "live" };
	for (size_t i = 0; i < sizeof summed / sizeof summed[0]; i++)
		set_int(kept, summed[i], int_of(kept, summed[i]) + int_of(t, summed[i]));
	static const char *const largest[] = { "max_concurrency", "agents_available" };
	for (size_t i = 0; i < sizeof largest / sizeof largest[0]; i++)
		if (int_of(t, largest[i]) > int_of(kept, largest[i]))
			set_int(kept, largest[i], int_of(t, largest[i]));
	/* A node still dialing wins over one whose last calls finish. */
	const char *st = json_string_value(json_object_get(t, "state"));
	if (st && !strcmp(st, "running"))
		json_object_set_new(kept, "state", json_string(st));
	long long live = int_of(kept, "live");
	json_object_set_new(kept, "abandon_rate",
			    json_real(live ? (double)int_of(kept, "abandoned") / (double)live : 0.0));
}

json_t *ctl_merge(const char *cmd, json_t *const *replies, const char *const *names, size_t n,
		  json_t *agent_nodes)
{
	const char *field = !strcmp(cmd, "agent.list")	 ? "agents"
			    : !strcmp(cmd, "call.list")	 ? "calls"
			    : !strcmp(cmd, "queue.list") ? "queues"
			    : !strcmp(cmd, "task.list")	 ? "tasks"
							 : NULL;
	if (!field)
		return NULL;
	json_t *list = json_array(), *at = json_object();
	size_t answered = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *r = replies[i];
		if (!r || !json_is_true(json_object_get(r, "ok")))
			continue;
		answered++;
		size_t j;
		json_t *e;
		json_array_foreach(json_object_get(r, field), j, e) {
			char buf[32];
			const char *key = key_of(e, buf, sizeof buf);
			json_t *pos = *key ? json_object_get(at, key) : NULL;
			if (!pos) {
				if (*key)
					json_object_set_new(at, key, json_integer((json_int_t)json_array_size(list)));
				/* Queues and tasks are changed in place: copies. */
				json_array_append_new(list, field[0] == 'q' || field[0] == 't'
								    ? json_deep_copy(e) : json_incref(e));
				continue;
			}
			size_t p = (size_t)json_integer_value(pos);
			json_t *kept = json_array_get(list, p);
			if (field[0] == 'a') {
				if (agent_better(kept, e, names ? names[i] : NULL, agent_nodes))
					json_array_set(list, p, e);
			} else if (field[0] == 'q') {
				merge_queue(kept, e);
			} else if (field[0] == 't') {
				merge_task(kept, e);
			}
			/* calls: one node owns a call; a repeat is the same call */
		}
	}
	json_decref(at);
	if (!answered) {
		json_decref(list);
		return NULL;
	}
	return json_pack("{s:b, s:o, s:I}", "ok", 1, field, list, "nodes", (json_int_t)answered);
}
