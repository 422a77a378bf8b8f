/* The directory: what the call center is configured with — numbers, skill
 * groups, audio, and which helpdesk users are agents with a SIP account —
 * read from the database by a worker into an immutable snapshot that the
 * loop swaps in whole. Calls are routed from the snapshot, so they keep
 * being routed while the database is away. */
#ifndef B2BUA_DIR_H
#define B2BUA_DIR_H

#include <stdbool.h>
#include <stddef.h>

struct db;
struct dbq;
struct manifest;

/* What a queue does when it gives up on a call (at the maximum wait, or at
 * once when nobody of the group is signed in). */
enum dir_action {
	DIR_WAIT,	/* (nobody signed in) wait anyway, up to the maximum wait */
	DIR_HANGUP,	/* play the group's prompt for it, then hang up */
	DIR_OVERFLOW,	/* go to the overflow group's queue */
};

struct dir_group {
	unsigned id;
	const char *name;
	const char *strategy;		/* cc_skill_group.strategy (the ACD's names) */
	unsigned ring_timeout_s, max_wait_s, wrapup_s;
	unsigned no_answer_break;	/* unanswered offers in a row before a break; 0: never */
	unsigned moh_audio, noagent_audio;	/* 0: none */
	enum dir_action max_wait_action, no_agent_action;
	unsigned max_wait_audio;	/* 0: none */
	unsigned overflow_group;	/* 0: none */
	unsigned announce_interval_s;	/* 0: no announcements */
	bool announce_position, announce_wait;
	unsigned announce_audio;	/* 0: none */
	unsigned dedicated_wait_s;
	unsigned char recording;	/* enum rec_policy (cc_skill_group.recording) */
};

struct dir_number {
	unsigned id;
	const char *number;		/* E.164 or a short service number (cc_number.number) */
	const char *name;
	unsigned group;			/* 0: none */
	unsigned welcome_audio;		/* 0: none */
	unsigned flow;			/* its IVR flow (cc_ivr_flow.id), 0: none */
};

struct dir_agent {
	const char *id;			/* the helpdesk user's id */
	const char *name;		/* display name */
	const char *login;		/* helpdesk username */
	const char *sip;		/* SIP username */
	const char *dept;		/* department id, or NULL */
	unsigned *groups;		/* skill-group ids */
	unsigned char *levels;		/* the agent's level in each (1: first) */
	size_t ngroups;
	/* Answered calls and talk time so far today, all nodes (cc_call). */
	unsigned calls_today;
	unsigned long talk_s_today;
	/* What cc_agent holds (the state before a restart), NULLs if no row. */
	const char *stored_state, *stored_reason, *stored_node;
};

struct dir_audio {
	unsigned id;
	const char *name;
	const char *path;		/* absolute */
};

struct dir;
struct ivr_prog;

/* SQL on the helpdesk's tables, built once from the manifest. */
struct dir_sql {
	char *agents;		/* the helpdesk's users who are agents with a SIP account */
	char *members;		/* skill-group members */
};
int dir_sql_build(struct dir_sql *sql, const struct manifest *mf);
void dir_sql_free(struct dir_sql *sql);

/* Building a snapshot by hand (dir_read does it from the database; tests
 * do it directly). Strings are copied. The add functions return 0, or -1
 * when out of memory (the snapshot is then marked failed). */
struct dir *dir_new(const char *audio_dir);
int dir_add_group(struct dir *d, const struct dir_group *g);
int dir_add_number(struct dir *d, const struct dir_number *n);
/* file: a name inside audio_dir; one with '/' or a leading '.' is refused. */
int dir_add_audio(struct dir *d, unsigned id, const char *name, const char *file);
int dir_add_agent(struct dir *d, const struct dir_agent *a);
/* Adds a skill group to an agent already added, at level (1..9; once: the
 * first level given stays; unknown ids ignored). */
int dir_add_member(struct dir *d, unsigned group, const char *agent_id, unsigned level);
/* A number calls may show as their caller ID (cc_number.usage outbound or
 * both). */
int dir_add_caller_id(struct dir *d, const char *number);
/* A number the agents of group present as their caller ID on their own
 * outbound calls (cc_skill_group_number), in the order added. */
int dir_add_group_caller_id(struct dir *d, unsigned group, const char *number);
/* A published IVR flow's program (the snapshot takes the reference). */
int dir_add_prog(struct dir *d, unsigned flow, struct ivr_prog *prog);
/* Ends building: NULL (and the snapshot freed) if anything failed. */
struct dir *dir_done(struct dir *d);

/* Reads a new snapshot (worker thread). audio_dir is prefixed to file names.
 * Returns NULL with a reason logged when the database failed. */
struct dir *dir_read(struct db *db, const struct dir_sql *sql, const char *audio_dir);
void dir_free(struct dir *d);

const struct dir_number *dir_number(const struct dir *d, const char *number);
const struct dir_group *dir_group(const struct dir *d, unsigned id);
/* The first number group's agents present as their caller ID, or NULL. */
const char *dir_group_caller_id(const struct dir *d, unsigned group);
/* Whether number (as kept: E.164 or a short number) is one calls may show
 * as their caller ID. */
bool dir_caller_id(const struct dir *d, const char *number);
const struct dir_audio *dir_audio(const struct dir *d, unsigned id);
/* The program of published flow id (the snapshot's reference: take one to
 * keep it), or NULL. */
struct ivr_prog *dir_prog(const struct dir *d, unsigned id);
/* The audio folder the snapshot's paths are in. */
const char *dir_audio_dir(const struct dir *d);
size_t dir_agent_count(const struct dir *d);
const struct dir_agent *dir_agent_at(const struct dir *d, size_t i);
size_t dir_group_count(const struct dir *d);
const struct dir_group *dir_group_at(const struct dir *d, size_t i);
size_t dir_number_count(const struct dir *d);
/* Numbers in the snapshot's order, and a number's place in it. */
const struct dir_number *dir_number_at(const struct dir *d, size_t i);
size_t dir_number_index(const struct dir *d, const struct dir_number *n);

/* --- loader.c: keeping the directory current ------------------------------ */

/* Reads snapshots on a database worker and swaps them in on the loop. Each
 * request gets the next ticket; the snapshot in force carries the newest
 * ticket swapped in, and one read for an older request (reads run on any
 * query worker, so they may finish out of order) is dropped. */
struct dir_loader;

/* Runs on a worker before the first read, until it succeeds: the chance to
 * learn what the database holds (the manifest's open questions). 0 or -1. */
typedef int (dir_prepare_h)(void *arg, struct db *db);
/* Runs on the loop when a new snapshot is in force (the old one is freed
 * after it returns). */
typedef void (dir_loaded_h)(void *arg, const struct dir *dir);
/* The end of one request: rc 0 when its snapshot (or a newer one) is in
 * force, -1 when the read failed. */
typedef void (dir_done_h)(void *arg, int rc);

int dir_loader_alloc(struct dir_loader **lp, struct dbq *dbq, const struct manifest *mf,
		     const char *audio_dir, dir_prepare_h *prepare, dir_loaded_h *loaded,
		     void *arg);
/* Frees the loader and the snapshot in force; reads still running are
 * dropped when they finish (dbq_free runs their completions first). */
void dir_loader_free(struct dir_loader *l);
/* Starts a read; done (may be NULL) runs when it is over. Returns the
 * request's ticket, or 0 when it could not be queued. */
unsigned dir_loader_request(struct dir_loader *l, dir_done_h *done, void *arg);
/* The ticket of the snapshot in force (0: none yet). */
unsigned dir_loader_ticket(const struct dir_loader *l);
/* The snapshot in force, or NULL before the first read. */
const struct dir *dir_loader_current(const struct dir_loader *l);

#endif
