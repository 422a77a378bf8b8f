/* The directory: what the call center is configured with — numbers, skill
 * groups, audio, and which helpdesk users are agents with a SIP account —
 * read from the database by a worker into an immutable snapshot that the
 * loop swaps in whole. Calls are routed from the snapshot, so they keep
 * being routed while the database is away. */
#ifndef B2BUA_DIR_H
#define B2BUA_DIR_H

#include <stdbool.h>
#include <stddef.h>

struct app;
struct db;
struct manifest;

struct dir_group {
	unsigned id;
	const char *name;
	unsigned ring_timeout_s, max_wait_s, wrapup_s;
	unsigned moh_audio, noagent_audio;	/* 0: none */
};

struct dir_number {
	unsigned id;
	const char *number;		/* as dialed (R-URI user) */
	const char *name;
	unsigned group;			/* 0: none */
	unsigned welcome_audio;		/* 0: none */
};

struct dir_agent {
	const char *id;			/* the helpdesk user's id */
	const char *name;		/* display name */
	const char *login;		/* helpdesk username */
	const char *sip;		/* SIP username */
	const char *dept;		/* department id, or NULL */
	unsigned *groups;		/* skill-group ids */
	size_t ngroups;
	/* What cc_agent holds (the state before a restart), NULLs if no row. */
	const char *stored_state, *stored_reason, *stored_node;
};

struct dir_audio {
	unsigned id;
	const char *name;
	const char *path;		/* absolute */
};

struct dir;

/* SQL on the helpdesk's tables, built once from the manifest. */
int dir_sql_init(const struct manifest *mf);

/* Building a snapshot by hand (dir_read does it from the database; tests
 * do it directly). Strings are copied. The add functions return 0, or -1
 * when out of memory (the snapshot is then marked failed). */
struct dir *dir_new(const char *audio_dir);
int dir_add_group(struct dir *d, const struct dir_group *g);
int dir_add_number(struct dir *d, const struct dir_number *n);
/* file: a name inside audio_dir; one with '/' or a leading '.' is refused. */
int dir_add_audio(struct dir *d, unsigned id, const char *name, const char *file);
int dir_add_agent(struct dir *d, const struct dir_agent *a);
/* Adds a skill group to an agent already added (once; unknown ids ignored). */
int dir_add_member(struct dir *d, unsigned group, const char *agent_id);
/* Ends building: NULL (and the snapshot freed) if anything failed. */
struct dir *dir_done(struct dir *d);

/* Reads a new snapshot (worker thread). audio_dir is prefixed to file names.
 * Returns NULL with a reason logged when the database failed. */
struct dir *dir_read(struct db *db, const char *audio_dir);
void dir_free(struct dir *d);

const struct dir_number *dir_number(const struct dir *d, const char *number);
const struct dir_group *dir_group(const struct dir *d, unsigned id);
const struct dir_audio *dir_audio(const struct dir *d, unsigned id);
size_t dir_agent_count(const struct dir *d);
const struct dir_agent *dir_agent_at(const struct dir *d, size_t i);
size_t dir_group_count(const struct dir *d);
const struct dir_group *dir_group_at(const struct dir *d, size_t i);
size_t dir_number_count(const struct dir *d);

/* Starts an asynchronous reload; the new snapshot replaces app->dir and the
 * agents are merged into the ACD on the loop. done, if not NULL, runs on
 * the loop afterwards with 0 or -1. Each reload gets the next ticket
 * (app->dir_requested); app->dir_loaded is the ticket of the snapshot in
 * force, and a snapshot older than it is dropped. */
int dir_reload(struct app *app, void (*done)(struct app *app, int rc, void *arg), void *arg);

#endif
