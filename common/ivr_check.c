/* The checks a flow passes before it is published (see ivr.h). */
#include "ivr.h"

#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Nodes one flow may have: far more than a flow an admin draws. */
#define IVR_MAX_NODES 500

#define NODE_WAITS(name, el, waits, ends) waits,
static const bool node_waits[] = { IVR_NODE_TYPES(NODE_WAITS) };
#undef NODE_WAITS
#define NODE_ENDS(name, el, waits, ends) ends,
static const bool node_ends[] = { IVR_NODE_TYPES(NODE_ENDS) };
#undef NODE_ENDS

bool ivr_builtin_var(const char *name)
{
	static const char *const builtin[] = {
		"caller", "callee", "call_id", "number_name", "digits", "contact_id", "contact_name",
	};
	for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
		if (!strcmp(name, builtin[i]))
			return true;
	/* The matched contact's fields (the manifest's columns). */
	return !strncmp(name, "contact_", 8) && name[8];
}

/* --- exits and reachability ------------------------------------------------------ */

static void check_exits(const struct ivr_flow *f, struct ivr_problems *p)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct ivr_node *n = &f->nodes[i];
		for (size_t k = 0; k < n->nexits; k++) {
			const struct ivr_exit *e = &n->exits[k];
			if (!e->target)
				ivr_problem(p, "ivr.exit_unconnected", n->id, n->line, "%s", e->name);
			else if (e->to < 0)
				ivr_problem(p, "ivr.exit_unknown", n->id, n->line, "%s → %s", e->name,
					    e->target);
			/* Two exits of a menu for the same key: the second is never taken. */
			for (size_t j = 0; j < k; j++)
				if (!strncmp(e->name, "key ", 4) && !strcmp(e->name, n->exits[j].name))
					ivr_problem(p, "ivr.duplicate_key", n->id, n->line, "%s",
						    e->name + 4);
		}
	}
}

static void reach(const struct ivr_flow *f, bool *seen)
{
	size_t *stack = malloc(f->n * sizeof *stack), top = 0;
	if (!stack)
		return;
	seen[0] = true;
	stack[top++] = 0;
	while (top) {
		const struct ivr_node *n = &f->nodes[stack[--top]];
		for (size_t k = 0; k < n->nexits; k++) {
			int to = n->exits[k].to;
			if (to >= 0 && !seen[to]) {
				seen[to] = true;
				stack[top++] = (size_t)to;
			}
		}
	}
	free(stack);
}

/* --- loops: strongly connected components (Tarjan) -------------------------------- */

struct tarjan {
	const struct ivr_flow *f;
	int *index, *low, *comp;
	bool *on;
	int *stack, top, next, ncomp;
};

static void strong(struct tarjan *t, int v)
{
	t->index[v] = t->low[v] = t->next++;
	t->stack[t->top++] = v;
	t->on[v] = true;
	const struct ivr_node *n = &t->f->nodes[v];
	for (size_t k = 0; k < n->nexits; k++) {
		int w = n->exits[k].to;
		if (w < 0)
			continue;
		if (t->index[w] < 0) {
			strong(t, w);	/* depth at most IVR_MAX_NODES */
			if (t->low[w] < t->low[v])
				t->low[v] = t->low[w];
		} else if (t->on[w] && t->index[w] < t->low[v]) {
			t->low[v] = t->index[w];
		}
	}
	if (t->low[v] == t->index[v]) {
		int w;
		do {
			w = t->stack[--t->top];
			t->on[w] = false;
			t->comp[w] = t->ncomp;
		} while (w != v);
		t->ncomp++;
	}
}

/* The ids of component c's nodes, for the message. */
static void members(const struct ivr_flow *f, const int *comp, int c, char *out, size_t len)
{
	size_t off = 0;
	out[0] = '\0';
	for (size_t i = 0; i < f->n && off < len; i++)
		if (comp[i] == c)
			off += (size_t)snprintf(out + off, len - off, "%s%s", off ? ", " : "",
						f->nodes[i].id);
}

static void check_loops(const struct ivr_flow *f, struct ivr_problems *p)
{
	size_t n = f->n;
	struct tarjan t = {
		.f = f, .index = malloc(n * sizeof(int)), .low = malloc(n * sizeof(int)),
		.comp = malloc(n * sizeof(int)), .on = calloc(n, sizeof(bool)),
		.stack = malloc(n * sizeof(int)),
	};
	if (!t.index || !t.low || !t.comp || !t.on || !t.stack)
		goto out;
	for (size_t i = 0; i < n; i++)
		t.index[i] = -1;
	for (size_t i = 0; i < n; i++)
		if (t.index[i] < 0)
			strong(&t, (int)i);
	for (int c = 0; c < t.ncomp; c++) {
		size_t size = 0, first = n;
		bool self = false, waits = false, leaves = false;
		for (size_t i = 0; i < n; i++) {
			if (t.comp[i] != c)
				continue;
			const struct ivr_node *node = &f->nodes[i];
			if (first == n)
				first = i;
			size++;
			waits |= node_waits[node->type];
			leaves |= node_ends[node->type];
			for (size_t k = 0; k < node->nexits; k++) {
				int to = node->exits[k].to;
				self |= to == (int)i;
				leaves |= to >= 0 && t.comp[to] != c;
			}
		}
		if (size < 2 && !self)
			continue;	/* not a loop */
		char ids[120];
		members(f, t.comp, c, ids, sizeof ids);
		if (!waits)
			ivr_problem(p, "ivr.loop_no_wait", f->nodes[first].id, f->nodes[first].line,
				    "%s", ids);
		if (!leaves)
			ivr_problem(p, "ivr.loop_no_exit", f->nodes[first].id, f->nodes[first].line,
				    "%s", ids);
	}
out:
	free(t.index);
	free(t.low);
	free(t.comp);
	free(t.on);
	free(t.stack);
}

/* --- references ------------------------------------------------------------------ */

static void check_refs(const struct ivr_flow *f, ivr_exists_h *exists, void *arg,
		       struct ivr_problems *p)
{
	for (size_t i = 0; exists && i < f->n; i++) {
		const struct ivr_node *n = &f->nodes[i];
		for (size_t k = 0; k < n->nrefs; k++)
			if (!exists(arg, n->refs[k].kind, n->refs[k].key))
				ivr_problem(p, "ivr.ref_missing", n->id, n->refs[k].line, "%s %s",
					    ivr_ref_kind_name(n->refs[k].kind), n->refs[k].key);
	}
}

/* A collect node's bounds: at least min digits, at most max. */
static void check_settings(const struct ivr_flow *f, struct ivr_problems *p)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct ivr_node *n = &f->nodes[i];
		if (n->type != IVR_COLLECT || !n->xml)
			continue;
		xmlChar *lo = xmlGetProp(n->xml, (const xmlChar *)"min");
		xmlChar *hi = xmlGetProp(n->xml, (const xmlChar *)"max");
		if (lo && hi && atoi((const char *)lo) > atoi((const char *)hi))
			ivr_problem(p, "ivr.bad_range", n->id, n->line, "%s > %s", lo, hi);
		xmlFree(lo);
		xmlFree(hi);
	}
}

/* --- variables: read on a path where nothing set them ----------------------------- */

struct vars {
	const char *name[IVR_MAX_VARS];
	size_t n;
	bool full;
};

static int var_index(struct vars *v, const char *name, bool add)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->name[i], name))
			return (int)i;
	if (!add)
		return -1;
	if (v->n == IVR_MAX_VARS) {
		v->full = true;
		return -1;
	}
	v->name[v->n] = name;
	return (int)v->n++;
}

static uint64_t bit(struct vars *v, const char *name)
{
	int i = name && !ivr_builtin_var(name) ? var_index(v, name, false) : -1;
	return i < 0 ? 0 : (uint64_t)1 << i;
}

/* What a node's exit sets on the way out. */
static uint64_t defs_of(struct vars *v, const struct ivr_exit *e)
{
	uint64_t d = bit(v, e->defines);
	for (const char *const *l = e->defines_list; l && *l; l++)
		d |= bit(v, *l);
	return d;
}

static void check_vars(const struct ivr_flow *f, const bool *reachable, struct ivr_problems *p)
{
	struct vars v = { .n = 0 };
	for (size_t i = 0; i < f->nparams; i++)
		var_index(&v, f->params[i], true);
	for (size_t i = 0; i < f->n; i++) {
		const struct ivr_node *n = &f->nodes[i];
		for (size_t k = 0; k < n->nreads; k++)
			if (!ivr_builtin_var(n->reads[k]))
				var_index(&v, n->reads[k], true);
		for (size_t k = 0; k < n->nexits; k++) {
			if (n->exits[k].defines)
				var_index(&v, n->exits[k].defines, true);
			for (const char *const *l = n->exits[k].defines_list; l && *l; l++)
				var_index(&v, *l, true);
		}
	}
	if (v.full) {
		ivr_problem(p, "ivr.too_many_vars", NULL, 0, "%d", IVR_MAX_VARS);
		return;
	}
	/* Defined on every path into a node: the meet of what its incoming
	 * exits carry, from "everything" down to the fixpoint. */
	uint64_t *in = malloc(f->n * sizeof *in);
	if (!in)
		return;
	for (size_t i = 0; i < f->n; i++)
		in[i] = ~(uint64_t)0;
	uint64_t params = 0;
	for (size_t i = 0; i < f->nparams; i++)
		params |= bit(&v, f->params[i]);
	in[0] = params;
	bool changed = true;
	for (unsigned rounds = 0; changed && rounds <= f->n + 1; rounds++) {
		changed = false;
		for (size_t j = 1; j < f->n; j++) {
			if (!reachable[j])
				continue;
			uint64_t meet = ~(uint64_t)0;
			for (size_t i = 0; i < f->n; i++) {
				if (!reachable[i])
					continue;
				const struct ivr_node *n = &f->nodes[i];
				for (size_t k = 0; k < n->nexits; k++)
					if (n->exits[k].to == (int)j)
						meet &= in[i] | defs_of(&v, &n->exits[k]);
			}
			if (meet != in[j]) {
				in[j] = meet;
				changed = true;
			}
		}
	}
	for (size_t i = 0; i < f->n; i++) {
		const struct ivr_node *n = &f->nodes[i];
		for (size_t k = 0; reachable[i] && k < n->nreads; k++) {
			uint64_t b = bit(&v, n->reads[k]);
			if (b && !(in[i] & b))
				ivr_problem(p, "ivr.var_unset", n->id, n->line, "%s", n->reads[k]);
		}
	}
	free(in);
}

size_t ivr_check(const struct ivr_flow *f, ivr_exists_h *exists, void *arg,
		 struct ivr_problems *p)
{
	size_t before = p->n;
	if (!f->n || f->nodes[0].type != IVR_START) {
		ivr_problem(p, "ivr.no_start", NULL, 0, NULL);
		return p->n - before;
	}
	if (f->n > IVR_MAX_NODES) {
		ivr_problem(p, "ivr.too_many_nodes", NULL, 0, "%d", IVR_MAX_NODES);
		return p->n - before;
	}
	check_exits(f, p);
	bool *reachable = calloc(f->n, sizeof *reachable);
	if (!reachable) {
		ivr_problem(p, "ivr.internal", NULL, 0, "out of memory");
		return p->n - before;
	}
	reach(f, reachable);
	for (size_t i = 1; i < f->n; i++)
		if (!reachable[i])
			ivr_problem(p, "ivr.unreachable", f->nodes[i].id, f->nodes[i].line, "%s",
				    f->nodes[i].id);
	check_loops(f, p);
	check_refs(f, exists, arg, p);
	check_settings(f, p);
	check_vars(f, reachable, p);
	free(reachable);
	return p->n - before;
}
