/* Progress of long requests (an agents' import) that the page polls from
 * other requests: a small table shared by the accepting threads, keyed by
 * an id the page chose (16 to 32 hex digits) and owned by the signed-in
 * user who started it. Finished jobs are kept JOBS_KEEP_S seconds; the
 * table holds JOBS_MAX jobs (the oldest finished one makes room). */
#ifndef WEB_JOBS_H
#define WEB_JOBS_H

#include <stdbool.h>

#define JOBS_MAX 64
#define JOBS_KEEP_S 600

struct jobs;

int jobs_alloc(struct jobs **jp);
void jobs_free(struct jobs *j);
/* True for an id a page may choose. */
bool jobs_id_ok(const char *id);
/* Starts job id for owner; false when the id is in use or the table is
 * full of running jobs. */
bool jobs_start(struct jobs *j, const char *id, const char *owner, long total);
void jobs_progress(struct jobs *j, const char *id, long done, long total);
void jobs_finish(struct jobs *j, const char *id);
/* The job's figures when owner owns it: true with *done, *total,
 * *finished. */
bool jobs_get(struct jobs *j, const char *id, const char *owner, long *done, long *total,
	      bool *finished);

#endif
