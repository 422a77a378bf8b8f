/* The dialer of outbound tasks (docs/outbound.md): every second it reads
 * the tasks in state 执行中 (running) from the database, asks the pacing
 * how many calls each may start now, claims that many due targets with one
 * transaction (two nodes never claim the same target), and places a call
 * to each customer through Kamailio's outbound gateway with the task's
 * caller ID. A customer who answers joins the task's skill group's queue
 * at the front; no agent connected within TASK_ABANDON_S seconds, the
 * customer hears a short message and the call ends, abandoned. Each
 * attempt's result settles its target (task_target_settle: retried by the
 * task's rules and calling hours, or final); when no target is open the
 * dialer applies `done` and the task goes back to 已停止.
 *
 * The web app applies the users' actions (start, stop, edit, delete) to
 * the row; the dialer follows it: a task no longer running starts no new
 * call, and the calls already up finish. Nothing here waits for the
 * database on the loop: every read and write is a job of the workers. */
#ifndef B2BUA_DIALER_H
#define B2BUA_DIALER_H

#include <stdbool.h>
#include <stddef.h>

struct core;
struct dbq;
struct acd;
struct calls;
struct dir;
struct dialer;

/* Seconds a customer who answered waits for an agent before the dialer
 * gives up: the call is abandoned. */
#define TASK_ABANDON_S 2

struct dialer_env {
	struct core *core;
	struct dbq *dbq;
	struct acd *acd;
	struct calls *calls;
};

int dialer_alloc(struct dialer **dp, const struct dialer_env *env);
/* Calls must have ended first (their results are settled as they end). */
void dialer_free(struct dialer *d);
/* The directory in force: the groups' ring time and wrap-up, the audio
 * folder (the abandon message, sys-task-abandon.wav). */
void dialer_set_dir(struct dialer *d, const struct dir *dir);
/* Starts dialing (after the first directory load): the targets this node
 * was dialing when it stopped are recovered first, then tasks are read
 * every poll_ms. */
void dialer_start(struct dialer *d, unsigned poll_ms);
/* No new call from now on (shutdown). */
void dialer_stop(struct dialer *d);
/* Reads the tasks now rather than at the next poll (a task was started). */
void dialer_wake(struct dialer *d);

/* What the control socket shows of a task this node dials. */
struct dialer_task_view {
	unsigned id, group;
	bool running;			/* false: stopped, its last calls finishing */
	unsigned dialing, ringing;	/* placed, not answered; of those, ringing */
	unsigned answered;		/* answered by the customer, waiting for an agent */
	unsigned connected;		/* talking to an agent */
	unsigned max_concurrency, limit; /* the task's maximum; what pacing allows now */
	unsigned agents_available;
	unsigned long placed, abandoned, live;	/* this node: calls placed, abandoned, answered live */
	bool hours_open;
};
size_t dialer_task_count(const struct dialer *d);
/* The i-th task (0 .. count - 1); false past the end. */
bool dialer_task_view(const struct dialer *d, size_t i, struct dialer_task_view *v);

#endif
