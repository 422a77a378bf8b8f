/* Keeping the directory current: a reload reads a new snapshot on a worker
 * and swaps it in on the loop, merging agents into the ACD. */
#include "b2bua/dir/dir.h"

#include "b2bua/acd/acd.h"
#include "b2bua/core/app.h"
#include "b2bua/db/dbq.h"
#include "b2bua/lookup/contact.h"
#include "db.h"
#include "log.h"
#include "manifest.h"

#include <stdbool.h>
#include <stdlib.h>

struct reload_job {
	struct app *app;
	struct dir *dir;
	void (*done)(struct app *app, int rc, void *arg);
	void *arg;
	unsigned ticket;
};

/* Set once the manifest's open questions are answered from the database
 * (before the first snapshot exists, so no call reads the SQL meanwhile). */
static bool detected;

static int read_dir(struct db *db, void *arg)
{
	struct reload_job *j = arg;
	if (!detected) {
		if (manifest_detect(j->app->mf, db) || contact_sql_init(j->app->mf)) {
			log_err("cannot read the helpdesk's contacts table: %s", db_error(db));
			return -1;
		}
		detected = true;
	}
	j->dir = dir_read(db, j->app->conf.audio_dir);
	return j->dir ? 0 : -1;
}

static void swap_in(int rc, void *arg)
{
	struct reload_job *j = arg;
	struct app *app = j->app;
	if (!rc && j->dir && j->ticket < app->dir_loaded) {
		/* Reloads run on any query worker: one asked for earlier may
		 * finish after a later one, and must not replace it. */
		dir_free(j->dir);
	} else if (!rc && j->dir) {
		struct dir *old = app->dir;
		app->dir_loaded = j->ticket;
		app->dir = j->dir;
		acd_merge(app->acd, app->dir);
		/* Calls copied what they need from the old snapshot at arrival. */
		dir_free(old);
		log_info("directory: %zu numbers, %zu skill groups, %zu agents",
			 dir_number_count(app->dir), dir_group_count(app->dir),
			 dir_agent_count(app->dir));
	} else {
		log_warn("directory not reloaded; %s", app->dir ? "keeping the one in force"
							       : "calls are refused until it loads");
	}
	if (j->done)
		j->done(app, rc, j->arg);
	free(j);
}

int dir_reload(struct app *app, void (*done)(struct app *app, int rc, void *arg), void *arg)
{
	struct reload_job *j = calloc(1, sizeof *j);
	if (!j)
		return -1;
	j->app = app;
	j->done = done;
	j->arg = arg;
	j->ticket = ++app->dir_requested;
	if (dbq_submit(app->dbq, DBQ_QUERY, 0, read_dir, swap_in, j)) {
		free(j);
		return -1;
	}
	return 0;
}
