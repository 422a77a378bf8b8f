/* The current hours' rollup kept between runs of the rollup thread
 * (window.c). */
#ifndef WEB_REPORT_WINDOW_H
#define WEB_REPORT_WINDOW_H

#include "report.h"

struct rep_window;

/* A window over the hours [from_ms, to_ms) of zone tz, empty. NULL when
 * out of memory. */
struct rep_window *rep_window_new(const struct ivr_tz *tz, long long from_ms, long long to_ms);
void rep_window_free(struct rep_window *w);

/* Forgets the calls that ended and the state rows logged before ms, and
 * remembers no such one from now on: the caller reads again only from
 * there (its look-back). */
void rep_window_forget(struct rep_window *w, long long before_ms);

/* Whether the call was folded or marked since the last forget. */
bool rep_window_has_call(const struct rep_window *w, const char *id);
/* Folds an ended call that arrived in the window (one that arrived before
 * or after it counts elsewhere: it is only marked). 0, or -1 when out of
 * memory. */
int rep_window_call(struct rep_window *w, const struct rep_call *c);
/* Marks a call as counted without folding it (its hour was rebuilt). */
int rep_window_mark_call(struct rep_window *w, const char *id, long long t_end);

/* Whether the state row of that id was folded since the last forget. */
bool rep_window_has_state(const struct rep_window *w, unsigned long long id);
/* Folds an agent's state row (id: its cc_agent_state_log id). An agent's
 * rows come in (at, id) order; the first may be before the window (the
 * state the agent was in then). 0; 1 when the row comes before one of the
 * agent's folded already (it committed late: only a rebuild counts it
 * right); -1 when out of memory. */
int rep_window_state(struct rep_window *w, const struct rep_state *r, unsigned long long id);

/* The window's buckets as rep_fold_states and rep_fold_call of all its
 * rows give them at now_ms: the agents' current states run on to now. The
 * caller frees the fold (rep_fold_free) before the window; NULL when out of
 * memory. */
struct rep_fold *rep_window_fold(struct rep_window *w, long long now_ms);

#endif
