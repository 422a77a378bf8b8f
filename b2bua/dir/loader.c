/* Keeping the directory current: see dir.h. */
#include "b2bua/dir/dir.h"

#include "b2bua/db/dbq.h"
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct dir_loader {
	struct dbq *dbq;
	char *audio_dir;
	struct dir_sql sql;
	dir_prepare_h *prepare;
	dir_loaded_h *loaded;
	void *arg;
	struct dir *current;
	unsigned requested;	/* the last ticket given */
	unsigned in_force;	/* the ticket of current */
	unsigned running;	/* reads not finished yet */
	bool freed;		/* the owner let go while reads ran */
	/* Workers may run two reads at once: one prepares, the other waits. */
	pthread_mutex_t prepare_mu;
	bool prepared;
};

struct read_job {
	struct dir_loader *l;
	unsigned ticket;
	struct dir *dir;
	dir_done_h *done;
	void *arg;
};

int dir_loader_alloc(struct dir_loader **lp, struct dbq *dbq, const struct manifest *mf,
		     const char *audio_dir, dir_prepare_h *prepare, dir_loaded_h *loaded,
		     void *arg)
{
	struct dir_loader *l = calloc(1, sizeof *l);
	if (!l)
		return ENOMEM;
	if (!(l->audio_dir = strdup(audio_dir)) || dir_sql_build(&l->sql, mf)) {
		dir_sql_free(&l->sql);
		free(l->audio_dir);
		free(l);
		return ENOMEM;
	}
	pthread_mutex_init(&l->prepare_mu, NULL);
	l->dbq = dbq;
	l->prepare = prepare;
	l->loaded = loaded;
	l->arg = arg;
	*lp = l;
	return 0;
}

static void loader_destroy(struct dir_loader *l)
{
	dir_free(l->current);
	dir_sql_free(&l->sql);
	pthread_mutex_destroy(&l->prepare_mu);
	free(l->audio_dir);
	free(l);
}

void dir_loader_free(struct dir_loader *l)
{
	if (!l)
		return;
	if (l->running)
		l->freed = true;	/* the last read to finish frees it */
	else
		loader_destroy(l);
}

/* Worker thread. */
static int read_dir(struct db *db, void *arg)
{
	struct read_job *j = arg;
	struct dir_loader *l = j->l;
	pthread_mutex_lock(&l->prepare_mu);
	bool ok = l->prepared || !l->prepare || !l->prepare(l->arg, db);
	if (ok)
		l->prepared = true;
	pthread_mutex_unlock(&l->prepare_mu);
	if (!ok)
		return -1;
	j->dir = dir_read(db, &l->sql, l->audio_dir);
	return j->dir ? 0 : -1;
}

/* Loop. */
static void swap_in(int rc, void *arg)
{
	struct read_job *j = arg;
	struct dir_loader *l = j->l;
	l->running--;
	if (l->freed) {
		dir_free(j->dir);
		if (!l->running)
			loader_destroy(l);
		free(j);
		return;
	}
	if (rc || !j->dir) {
		log_warn("directory not reloaded; %s", l->current ? "keeping the one in force"
								 : "calls are refused until it loads");
		rc = -1;
	} else if (j->ticket < l->in_force) {
		/* A later request's snapshot is already in force. */
		dir_free(j->dir);
	} else {
		struct dir *old = l->current;
		l->current = j->dir;
		l->in_force = j->ticket;
		log_info("directory: %zu numbers, %zu skill groups, %zu agents",
			 dir_number_count(l->current), dir_group_count(l->current),
			 dir_agent_count(l->current));
		if (l->loaded)
			l->loaded(l->arg, l->current);
		/* Whoever used the old snapshot copied what it keeps. */
		dir_free(old);
	}
	if (j->done)
		j->done(j->arg, rc);
	free(j);
}

unsigned dir_loader_request(struct dir_loader *l, dir_done_h *done, void *arg)
{
	struct read_job *j = calloc(1, sizeof *j);
	if (!j)
		return 0;
	j->l = l;
	j->done = done;
	j->arg = arg;
	j->ticket = l->requested + 1;
	if (dbq_submit(l->dbq, DBQ_QUERY, 0, read_dir, swap_in, j)) {
		free(j);
		return 0;
	}
	l->requested = j->ticket;
	l->running++;
	return j->ticket;
}

unsigned dir_loader_ticket(const struct dir_loader *l)
{
	return l->in_force;
}

const struct dir *dir_loader_current(const struct dir_loader *l)
{
	return l->current;
}
