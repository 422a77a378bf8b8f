/* The B2BUA nodes' shared state (ctl.h): addresses fixed at start; each
 * link's up/down and its node's name written by that link's thread and
 * read by the request threads, under one mutex. */
#include "ctl.h"

#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct ctl_nodes {
	pthread_mutex_t mu;
	size_t n;
	struct ctl_node_info v[CTL_NODES_MAX];
	bool known[CTL_NODES_MAX];	/* its state was logged once */
};

int ctl_nodes_alloc(struct ctl_nodes **np, const char *list, char *err, size_t errlen)
{
	if (!np)
		return EINVAL;
	char addrs[CTL_NODES_MAX][CTL_ADDR_MAX];
	size_t n = ctl_addr_list(list, addrs, CTL_NODES_MAX, err, errlen);
	if (!n)
		return EINVAL;
	struct ctl_nodes *ns = calloc(1, sizeof *ns);
	if (!ns)
		return ENOMEM;
	pthread_mutex_init(&ns->mu, NULL);
	ns->n = n;
	for (size_t i = 0; i < n; i++)
		memcpy(ns->v[i].addr, addrs[i], CTL_ADDR_MAX);
	*np = ns;
	return 0;
}

void ctl_nodes_free(struct ctl_nodes *ns)
{
	if (!ns)
		return;
	pthread_mutex_destroy(&ns->mu);
	free(ns);
}

size_t ctl_nodes_count(const struct ctl_nodes *ns)
{
	return ns ? ns->n : 0;
}

const char *ctl_nodes_addr(const struct ctl_nodes *ns, size_t i)
{
	return i < ns->n ? ns->v[i].addr : "";
}

void ctl_nodes_set(struct ctl_nodes *ns, size_t i, bool up, const char *name, const char *why)
{
	if (i >= ns->n)
		return;
	pthread_mutex_lock(&ns->mu);
	struct ctl_node_info *v = &ns->v[i];
	bool changed = !ns->known[i] || v->up != up ||
		       (up && name && strncmp(v->name, name, sizeof v->name - 1));
	ns->known[i] = true;
	v->up = up;
	if (name) {
		strncpy(v->name, name, sizeof v->name - 1);
		v->name[sizeof v->name - 1] = '\0';
	}
	char label[CTL_NAME_MAX];
	memcpy(label, v->name, sizeof label);
	pthread_mutex_unlock(&ns->mu);
	if (!changed)
		return;
	if (up)
		log_info("B2BUA node %s at %s: connected", *label ? label : "?", ns->v[i].addr);
	else
		log_warn("B2BUA node %s at %s: unavailable (%s); retrying", *label ? label : "?",
			 ns->v[i].addr, why && *why ? why : "?");
}

size_t ctl_nodes_get(struct ctl_nodes *ns, struct ctl_node_info *out)
{
	pthread_mutex_lock(&ns->mu);
	size_t n = ns->n;
	memcpy(out, ns->v, n * sizeof *out);
	pthread_mutex_unlock(&ns->mu);
	return n;
}

size_t ctl_nodes_up(struct ctl_nodes *ns)
{
	size_t k = 0;
	pthread_mutex_lock(&ns->mu);
	for (size_t i = 0; i < ns->n; i++)
		k += ns->v[i].up;
	pthread_mutex_unlock(&ns->mu);
	return k;
}
