/* Private to b2bua/dialer/: the tasks the dialer knows, their calls, and
 * the database jobs (store.c). */
#ifndef B2BUA_DIALER_PRIV_H
#define B2BUA_DIALER_PRIV_H

#include "b2bua/dialer/dialer.h"

#include "b2bua/call/call.h"
#include "event.h"
#include "pacing.h"
#include "task.h"

#include <sofia-sip/su_wait.h>

/* Targets claimed by one transaction, at most. */
#define CLAIM_MAX 50

struct dtask;

/* One call of a task, from its placing to its result. */
struct dcall {
	struct dialer *d;
	struct dtask *task;
	struct call *call;		/* NULL once it ended */
	unsigned long long target;
	unsigned attempt;
	char number[33];		/* the customer's (E.164) */
	char *data;			/* the pop's data (JSON text), malloc'd */
	char contact[33];		/* the target's contact, or "" */
	struct call_queue queue;	/* the group's, for TASK_ABANDON_S */
	long long t_placed, t_ringing, t_answered, t_connected;
	int status;			/* the customer's final SIP status (not answered) */
	bool ringing, answered, connected, abandoning, settled;
	struct dcall *next;
};

/* A task as the last read of cc_task said, with its calls on this node. */
struct dtask {
	unsigned id, group;
	char name[65];
	char caller_id[33];
	unsigned max_concurrency, ratio, abandon_target;
	enum task_pacing pacing;
	struct task_retry retry;
	struct task_hours hours;
	struct ivr_tz *tz;		/* NULL: UTC */
	char tz_name[65];		/* cc_task.time_zone, as tz was read from */
	unsigned char recording;	/* enum rec_policy (cc_task.recording) */
	bool running;			/* in the last read */
	unsigned seen;			/* the read it was last in */
	bool claiming, checking;	/* a claim / a completion check is out */
	bool claim_empty;		/* the last claim found no due target */
	unsigned dialing, ringing, answered, connected;
	unsigned long placed, abandoned, live;
	unsigned limit, agents_available;
	struct pacer pacer;		/* its pacing's estimates (common/pacing.h) */
	struct dcall *calls;
	struct dtask *next;
};

struct dialer {
	struct dialer_env env;
	const struct dir *dir;
	su_timer_t *t_poll;
	unsigned poll_ms;
	unsigned generation;		/* reads of cc_task so far */
	bool polling, started, stopping, recovering;
	struct dtask *tasks;
};

/* --- dialer.c ------------------------------------------------------------------------ */
/* Starts what task t may start now. */
void dialer_pace(struct dialer *d, struct dtask *t);
/* Frees t when it is no longer running and has no call up. */
void dialer_drop_idle(struct dialer *d, struct dtask *t);
struct dtask *dialer_task(struct dialer *d, unsigned id);

/* --- dcall.c: a task's calls -------------------------------------------------------- */
/* One target claimed: places its call. */
struct claimed {
	unsigned long long id;
	unsigned attempts;		/* with this call */
	char number[33];
	char contact[33];
	char *data;			/* malloc'd JSON text, or NULL */
};
void dcall_place(struct dialer *d, struct dtask *t, struct claimed *c);
/* The bus: a task call answered by an agent, ended. */
void dcall_on_event(const struct ev *ev, void *arg);

/* --- store.c: the database ------------------------------------------------------------ */
struct task_row {
	struct dtask t;			/* settings only (t.tz_name: the row's zone) */
	bool tz_kept;			/* the zone is the one the dialer holds: t.tz not read */
};
/* Reads the running tasks; done(d, rows, n) on the loop (rows NULL: failed). */
int store_poll(struct dialer *d, void (*done)(struct dialer *, struct task_row *, size_t));
/* Claims up to n due targets of t (when t is still running): dcall_place
 * each, then t->claiming is cleared and the pace goes on. */
int store_claim(struct dialer *d, struct dtask *t, unsigned n);
/* The attempt placed (its call's id). */
void store_placed(struct dialer *d, const struct dcall *c);
/* The attempt's end: the target settled to st (with next_at for a retry),
 * the attempt's row, the task's counters. */
void store_settle(struct dialer *d, const struct dcall *c, enum task_result r,
		  const struct task_target *st, const char *cause, long long now_ms);
/* A claimed target that could not be called at all goes back as it was. */
void store_unclaim(struct dialer *d, unsigned long long target);
/* When no target of t is open: `done` (running -> stopped), task.state. */
int store_check_done(struct dialer *d, struct dtask *t);
/* Targets left dialing by this node when it stopped. */
int store_recover(struct dialer *d, void (*done)(struct dialer *, int));

/* Publishes task.state / task.call. */
void dialer_publish_state(struct dialer *d, unsigned task, const char *state, const char *prev,
			  const char *reason);
void dcall_publish(const struct dcall *c, const char *step, const char *outcome,
		   const char *cause);

#endif
