/* 外呼系统 > 任务列表: outbound tasks in the console (docs/outbound.md,
 * "Console"). The lifecycle, the settings' bounds and the target rules
 * are common/task.h's; this folder reads and writes the rows
 * (sql/migrations/009_outbound.sql) and shows them.
 *
 *   csv.c      a targets file read: the number column, numbers normalized,
 *              bad rows, duplicates and do-not-call numbers counted (pure:
 *              unit-tested)
 *   check.c    a new task's settings read from the request and checked
 *              (pure: unit-tested)
 *   db.c       the rows: one task, the list, counts, a transition stored
 *              with its conditional UPDATE and its audit record
 *   list.c     GET the list and 已删除任务 (page, JSON), what pages share
 *   create.c   GET the form, POST a new task: the row in 初始化, then the
 *              targets in batches, then `loaded`
 *   action.c   POST start, stop, edit, delete
 *   monitor.c  GET 监控 (page) and its snapshot (JSON)
 *   dnc.c      免打扰号码: the center-wide do-not-call list (page, JSON, add, remove)
 *
 * Access: admins and holders of the outbound system's resource code
 * (ACC_OUTBOUND). Every change is one transaction with its audit record
 * ("task", id, "create" | "start" | "stop" | "edit" | "delete"). */
#ifndef WEB_TASKS_H
#define WEB_TASKS_H

#include "../route.h"
#include "../tmpl/tmpl.h"

#include "../../common/rec_policy.h"
#include "../../common/task.h"

#include <stdbool.h>
#include <stddef.h>

#define TK_ROWS_MAX 200000	/* rows of one targets file; more: refused whole */
#define TK_CELLS_MAX 32		/* columns of one row */
#define TK_CELL_MAX 255		/* bytes of a kept extra cell */
#define TK_ERRORS_MAX 1000	/* bad rows reported by line (all are counted) */
#define TK_NUMBER_MAX 32	/* bytes of a normalized number (cc_task_target.number) */
#define TK_LIST_MAX 500		/* tasks a list shows */
#define TK_DNC_MAX 10000	/* numbers of a task's own do-not-call list */
#define TK_BATCH 9		/* targets in one INSERT (5 values each, DB_MAX_PARAMS) */
#define TK_COMMIT_EVERY 2000	/* targets in one transaction (and a progress step) */
#define TK_ZONEINFO "/usr/share/zoneinfo"
#define TK_STALE_S 600		/* a load that has not moved for this long is lost */
#define TK_BIG_BODY_KB (6 * 1024)	/* a new task's request: the file and the form (nginx's max-body) */

/* --- csv.c (pure) --------------------------------------------------------------- */

/* A set of strings (numbers), in an arena. */
struct tk_set;
struct tk_set *tk_set_new(struct arena *a, size_t hint);
/* 1 added, 0 already there, -1 out of memory. */
int tk_set_add(struct tk_set *s, const char *v);
bool tk_set_has(const struct tk_set *s, const char *v);

/* One target read from the file. */
struct tk_target {
	size_t line;
	const char *number;	/* normalized (E.164, or the digits of a short number) */
	const char *data;	/* the other columns as a JSON object's text, or NULL */
};

/* A bad row: its line and the reason (a catalogue key). */
struct tk_bad {
	size_t line;
	const char *key;
};

struct tk_load {
	struct tk_target *t;
	size_t n;
	size_t rows;		/* data rows read (the header aside) */
	size_t bad, duplicate, dnc;
	struct tk_bad *errors;	/* the first TK_ERRORS_MAX bad rows */
	size_t nerrors;
};

/* Reads a targets file (UTF-8, an optional BOM; RFC 4180 quoting): the
 * number is the column whose header is number/phone/电话/号码/手机 (any
 * case), else the first column when the first row is no header (its first
 * cell is a number); the other columns are kept by header name (col<N>
 * without a header). Numbers go through rules; a row without a valid
 * number, with too many cells or a cell over TK_CELL_MAX is bad; a number
 * seen before is a duplicate, one in dnc (may be NULL) is dropped. NULL
 * with *out filled, or the refusal of the whole file (catalogue key, *line
 * where it was found, 0 for the whole): not UTF-8, empty, no number column,
 * malformed quoting, more than TK_ROWS_MAX rows. */
const char *tk_csv_load(struct arena *a, const char *text, size_t len,
			const struct phone_rules *rules, const struct tk_set *dnc,
			struct tk_load *out, size_t *line);

/* --- check.c (pure) ------------------------------------------------------------- */

/* A new task's settings as sent. */
struct tk_input {
	const char *name;
	long long group_id, number_id;
	unsigned max_concurrency, agent_ratio;	/* ratio in hundredths */
	enum task_pacing pacing;
	unsigned abandon_target;	/* tenths of a percent */
	enum rec_policy recording;	/* whether its calls are recorded (docs/recording.md) */
	struct task_retry retry;
	const char *hours;		/* as task_hours_parse reads them */
	const char *time_zone;
	const char *source;		/* "csv" or "contacts" */
	const char *query;		/* contacts: the text a contact's name,
					 * company or city contains ("" = all) */
	const char *dnc;		/* the task's own do-not-call numbers, one a line */
};

/* A request's parameter by name (NULL when not sent). */
typedef const char *(tk_param_h)(void *arg, const char *name);

/* Reads and checks the settings: NULL with in set, or the catalogue key
 * of the first bad one with *field its name. Defaults: concurrency 10,
 * ratio 1.00, pacing ratio, abandon 3 %, 3 attempts, 1800 s, retry
 * no_answer busy failed, any hour, Asia/Shanghai, source csv. The ratio
 * and the abandon target are sent as decimals ("1.5", "3"). */
const char *tk_input_read(tk_param_h *get, void *arg, struct tk_input *in, const char **field);
/* A decimal with at most `places` places as an integer scaled by 10^places
 * (ratio "1.5" -> 150 with 2): 0 with *out set, -1 when it is not one. */
int tk_decimal(const char *s, int places, unsigned *out);
/* Retry results as cc_task.retry_results keeps them ("no_answer,busy"). */
void tk_results_format(unsigned results, char *out, size_t size);
/* The bits of a "no_answer,busy" text; -1 when a name is unknown. */
long tk_results_parse(const char *s);

/* --- dnc.c: 免打扰号码, the center-wide do-not-call list (cc_dnc, task_id 0) ---- */

#define TK_DNC_PAGE 50		/* numbers a page of the list shows */

/* Numbers typed one a line, read (pure): n valid numbers, normalized and
 * unique in number[]; blank lines skipped; a line that is no number is
 * bad (its line and reason, at most TK_ERRORS_MAX kept, all counted); a
 * number twice is a duplicate. NULL, or the refusal of the whole text (a
 * catalogue key): no number at all, more than TK_DNC_MAX lines. */
struct tk_dnc_lines {
	const char **number;
	size_t n, lines, bad, duplicate;
	struct tk_bad *errors;
	size_t nerrors;
};
const char *tk_dnc_parse(struct arena *a, const char *text, const struct phone_rules *rules,
			 struct tk_dnc_lines *out);

/* --- db.c ----------------------------------------------------------------------- */

#define TK_ROW_COLS(X) \
	X(id) X(name) X(skill_group_id) X(group_name) X(caller_id_number_id) X(caller_id) \
	X(max_concurrency) X(agent_ratio) X(pacing) X(abandon_target) X(max_attempts) \
	X(min_interval_s) X(retry_results) X(hours) X(time_zone) X(state) X(rows_total) \
	X(rows_read) X(rows_bad) X(rows_duplicate) X(rows_dnc) X(targets_total) \
	X(targets_done) X(calls_total) X(calls_answered) X(calls_abandoned) X(created_by) \
	X(created_at) X(updated_by) X(updated_at) X(started_at) X(stopped_at) \
	X(deleted_by) X(deleted_at) X(recording)

/* One task, as text (NULL for SQL NULL), in the request's arena. */
struct tk_row {
#define TK_ROW_MEMBER(c) const char *c;
	TK_ROW_COLS(TK_ROW_MEMBER)
#undef TK_ROW_MEMBER
	unsigned long open;	/* targets waiting, dialing or due for a retry */
};

/* Removes tasks still in 初始化 whose load has not moved for TK_STALE_S
 * (its request ended with its process): 初始化 cannot be deleted by
 * hand, and such a task would stay in the list for ever. The number
 * removed, or -1 on error. */
int tk_db_sweep(struct req *r);
/* One task by id: 1, 0 none, -1 database error. */
int tk_db_get(struct req *r, const char *id, struct tk_row *out);
/* The tasks (deleted: only those in 已删除, else all others), newest
 * first. -1 on error. */
int tk_db_list(struct req *r, bool deleted, struct tk_row **rowsp, size_t *np);
/* How many targets of task id are in each state (counts[] by enum
 * task_target_state). -1 on error. */
int tk_db_counts(struct req *r, const char *id, unsigned long counts[TASK_TARGET_STATE_COUNT]);
/* The row as JSON (numbers as numbers). */
json_t *tk_row_json(const struct tk_row *row);

/* --- list.c: what the handlers share ------------------------------------------- */
/* The id of the route ({id}) when it is a row's key, else NULL. */
const char *tk_key(const struct req *r);
/* The console page: common part, side navigation (admins), <tasks view=…>. */
xmlNode *tk_page_begin(struct req *r, const char *view, xmlDoc **docp);
/* <task> for a row, with its state's text and the actions it allows. */
xmlNode *tk_row_node(struct req *r, xmlNode *parent, const struct tk_row *row);
/* {ok:false, error, message: the key's text} with status. */
const char *tk_refuse(struct req *r, int status, const char *error, const char *key);

#endif
