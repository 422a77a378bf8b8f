/* Registration polling: which agents' phones are registered, read from
 * Kamailio's location table (cc_location, written through by usrloc) on a
 * worker, and told to the ACD on the loop. See acd.h. */
#include "b2bua/acd/acd_priv.h"

#include "b2bua/db/dbq.h"
#include "db.h"
#include "log.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct reg_job {
	struct acd *acd;
	char **names;
	size_t n, cap;
	bool oom;
};

static int keep(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct reg_job *j = arg;
	(void)ncol;
	(void)lens;
	if (j->n == j->cap) {
		size_t nc = j->cap ? j->cap * 2 : 64;
		char **p = realloc(j->names, nc * sizeof *p);
		if (!p) {
			j->oom = true;
			return 1;
		}
		j->names = p;
		j->cap = nc;
	}
	if (!(j->names[j->n] = strdup(v[0] ? v[0] : ""))) {
		j->oom = true;
		return 1;
	}
	j->n++;
	return 0;
}

static int read_registrations(struct db *db, void *arg)
{
	struct reg_job *j = arg;
	/* Not DISTINCT: a phone registered twice is found twice by the
	 * binary search just as well, and the server builds no temporary
	 * table of every agent each second. */
	if (db_query(db, "SELECT username FROM cc_location WHERE expires > NOW()", keep, j,
		     NULL) < 0 || j->oom) {
		log_warn("registrations not read: %s", j->oom ? "out of memory" : db_error(db));
		return -1;
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void apply(int rc, void *arg)
{
	struct reg_job *j = arg;
	struct acd *acd = j->acd;
	acd->polling = false;
	/* Without an answer nothing changes: agents keep their last known state. */
	if (!rc) {
		if (j->n)
			qsort(j->names, j->n, sizeof *j->names, by_name);
		for (size_t i = 0; i < acd->nagents; i++) {
			struct agent *a = acd->agents[i];
			const char *key = a->sip;
			bool reg = key && j->n &&
				   bsearch(&key, j->names, j->n, sizeof *j->names, by_name);
			acd_set_registered(acd, a, reg);
		}
	}
	for (size_t i = 0; i < j->n; i++)
		free(j->names[i]);
	free(j->names);
	free(j);
}

void acd_poll_registrations(struct acd *acd)
{
	if (acd->polling || !acd->dbq)
		return;
	struct reg_job *j = calloc(1, sizeof *j);
	if (!j)
		return;
	j->acd = acd;
	acd->polling = true;
	if (dbq_submit(acd->dbq, DBQ_QUERY, 0, read_registrations, apply, j)) {
		acd->polling = false;
		free(j);
	}
}
