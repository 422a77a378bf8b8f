/* The jobs' table (see jobs.h): a mutex over a fixed array. */
#include "jobs.h"

#include "web.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct job {
	char id[33];
	char owner[33];
	long done, total;
	bool used, finished;
	time_t ended;
};

struct jobs {
	pthread_mutex_t mu;
	struct job v[JOBS_MAX];
};

int jobs_alloc(struct jobs **jp)
{
	struct jobs *j = calloc(1, sizeof *j);
	if (!j)
		return -1;
	pthread_mutex_init(&j->mu, NULL);
	*jp = j;
	return 0;
}

void jobs_free(struct jobs *j)
{
	if (!j)
		return;
	pthread_mutex_destroy(&j->mu);
	free(j);
}

bool jobs_id_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	return n >= 16 && n <= 32 && strspn(id, "0123456789abcdef") == n;
}

static struct job *find(struct jobs *j, const char *id)
{
	for (int i = 0; i < JOBS_MAX; i++)
		if (j->v[i].used && !strcmp(j->v[i].id, id))
			return &j->v[i];
	return NULL;
}

bool jobs_start(struct jobs *j, const char *id, const char *owner, long total)
{
	if (!j || !jobs_id_ok(id) || !owner || strlen(owner) > 32)
		return false;
	pthread_mutex_lock(&j->mu);
	time_t now = time(NULL);
	struct job *slot = NULL, *oldest = NULL;
	bool taken = find(j, id) != NULL;
	for (int i = 0; !taken && i < JOBS_MAX; i++) {
		struct job *k = &j->v[i];
		if (k->used && k->finished && now - k->ended > JOBS_KEEP_S)
			k->used = false;
		if (!k->used && !slot)
			slot = k;
		if (k->used && k->finished && (!oldest || k->ended < oldest->ended))
			oldest = k;
	}
	if (!taken && !slot)
		slot = oldest;
	if (slot && !taken) {
		memset(slot, 0, sizeof *slot);
		strcpy(slot->id, id);
		strcpy(slot->owner, owner);
		slot->total = total;
		slot->used = true;
	}
	pthread_mutex_unlock(&j->mu);
	return slot && !taken;
}

void jobs_progress(struct jobs *j, const char *id, long done, long total)
{
	if (!j || !id)
		return;
	pthread_mutex_lock(&j->mu);
	struct job *k = find(j, id);
	if (k) {
		k->done = done;
		k->total = total;
	}
	pthread_mutex_unlock(&j->mu);
}

void jobs_finish(struct jobs *j, const char *id)
{
	if (!j || !id)
		return;
	pthread_mutex_lock(&j->mu);
	struct job *k = find(j, id);
	if (k) {
		k->finished = true;
		k->ended = time(NULL);
	}
	pthread_mutex_unlock(&j->mu);
}

bool jobs_get(struct jobs *j, const char *id, const char *owner, long *done, long *total,
	      bool *finished)
{
	if (!j || !id || !owner)
		return false;
	pthread_mutex_lock(&j->mu);
	struct job *k = find(j, id);
	bool ok = k && !strcmp(k->owner, owner);
	if (ok) {
		*done = k->done;
		*total = k->total;
		*finished = k->finished;
	}
	pthread_mutex_unlock(&j->mu);
	return ok;
}

const char *jobs_progress_get(struct req *r)
{
	long done, total;
	bool finished;
	if (!jobs_id_ok(r->route_id) ||
	    !jobs_get(r->web->jobs, r->route_id, r->sess->user_id, &done, &total, &finished))
		return "not_found";
	return resp_json(r, 200, json_pack("{s:b, s:I, s:I, s:b}", "ok", 1, "done", (json_int_t)done,
					   "total", (json_int_t)total, "finished", finished));
}
