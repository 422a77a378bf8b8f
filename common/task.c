/* The outbound task's lifecycle and its targets' rules (docs/outbound.md):
 * one table of every state and action, read by the web app's API and the
 * B2BUA's dialer alike, so both refuse the same things for the same
 * reason. */
#include "task.h"

#include <string.h>

/* --- names ---------------------------------------------------------------------------- */

#define NAME3(name, str, x) str,
#define KEY3(name, str, key) key,
static const char *const state_names[] = { TASK_STATES(NAME3) };
static const char *const state_keys[] = { TASK_STATES(KEY3) };
static const char *const action_names[] = { TASK_ACTIONS(NAME3) };
static const char *const action_keys[] = { TASK_ACTIONS(KEY3) };
static const char *const field_names[] = { TASK_FIELDS(NAME3) };
static const char *const pacing_names[] = { TASK_PACINGS(NAME3) };
static const char *const pacing_keys[] = { TASK_PACINGS(KEY3) };
static const char *const result_names[] = { TASK_RESULTS(NAME3) };
static const char *const target_names[] = { TASK_TARGET_STAGES(NAME3) TASK_RESULTS(NAME3) };
#undef NAME3
#undef KEY3
#define EDITABLE(name, str, editable) editable,
static const bool field_editable[] = { TASK_FIELDS(EDITABLE) };
#undef EDITABLE
#define RETRYABLE(name, str, retryable) retryable,
static const bool result_retryable[] = { TASK_RESULTS(RETRYABLE) };
#undef RETRYABLE

static int parse(const char *const *names, int n, const char *name)
{
	for (int i = 0; name && i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

const char *task_state_name(enum task_state s)
{
	return s < TASK_STATE_COUNT ? state_names[s] : "?";
}

const char *task_state_key(enum task_state s)
{
	return s < TASK_STATE_COUNT ? state_keys[s] : "?";
}

int task_state_parse(const char *name)
{
	return parse(state_names, COUNT(state_names), name);
}

const char *task_action_name(enum task_action a)
{
	return a < TASK_ACTION_COUNT ? action_names[a] : "?";
}

const char *task_action_key(enum task_action a)
{
	return a < TASK_ACTION_COUNT ? action_keys[a] : "?";
}

int task_action_parse(const char *name)
{
	return parse(action_names, COUNT(action_names), name);
}

const char *task_pacing_name(enum task_pacing p)
{
	return p < TASK_PACING_COUNT ? pacing_names[p] : "?";
}

const char *task_pacing_key(enum task_pacing p)
{
	return p < TASK_PACING_COUNT ? pacing_keys[p] : "?";
}

int task_pacing_parse(const char *name)
{
	return parse(pacing_names, COUNT(pacing_names), name);
}

const char *task_field_name(enum task_field f)
{
	return f < TASK_FIELD_COUNT ? field_names[f] : "?";
}

int task_field_parse(const char *name)
{
	return parse(field_names, COUNT(field_names), name);
}

bool task_field_editable(enum task_field f)
{
	return f < TASK_FIELD_COUNT && field_editable[f];
}

const char *task_result_name(enum task_result r)
{
	return r < TASK_RESULT_COUNT ? result_names[r] : "?";
}

int task_result_parse(const char *name)
{
	return parse(result_names, COUNT(result_names), name);
}

bool task_result_retryable(enum task_result r)
{
	return r < TASK_RESULT_COUNT && result_retryable[r];
}

const char *task_target_state_name(enum task_target_state s)
{
	return s < TASK_TARGET_STATE_COUNT ? target_names[s] : "?";
}

int task_target_state_parse(const char *name)
{
	return parse(target_names, COUNT(target_names), name);
}

/* --- the lifecycle -------------------------------------------------------------------- */

/* One cell per state and action: allowed (ok, with the next state and what
 * to do) or refused with its key. The seed's sentence behind each row is
 * quoted in docs/outbound.md, "The lifecycle". */
struct cell {
	bool ok;
	enum task_state next;
	unsigned effects;
	const char *refuse;
};

#define GO(state, fx) { true, TASK_##state, (fx), NULL }
#define NO(key) { false, TASK_INIT, 0, (key) }

static const struct cell table[TASK_STATE_COUNT][TASK_ACTION_COUNT] = {
	[TASK_INIT] = {
		[TASK_A_START] = NO("task.refuse.init_start"),
		[TASK_A_STOP] = NO("task.refuse.init_stop"),
		[TASK_A_EDIT] = NO("task.refuse.init_edit"),
		[TASK_A_DELETE] = NO("task.refuse.init_delete"),
		[TASK_A_MONITOR] = GO(INIT, 0),
		[TASK_A_LOADED] = GO(STOPPED, 0),
		[TASK_A_DONE] = NO("task.refuse.not_running"),
	},
	[TASK_STOPPED] = {
		[TASK_A_START] = GO(RUNNING, TASK_FX_DIAL),
		[TASK_A_STOP] = NO("task.refuse.already_stopped"),
		[TASK_A_EDIT] = GO(STOPPED, TASK_FX_SETTINGS),
		[TASK_A_DELETE] = GO(DELETED, TASK_FX_ARCHIVE),
		[TASK_A_MONITOR] = GO(STOPPED, 0),
		[TASK_A_LOADED] = NO("task.refuse.not_init"),
		[TASK_A_DONE] = NO("task.refuse.not_running"),
	},
	[TASK_RUNNING] = {
		[TASK_A_START] = NO("task.refuse.already_running"),
		[TASK_A_STOP] = GO(STOPPED, TASK_FX_HALT),
		[TASK_A_EDIT] = NO("task.refuse.running_edit"),
		[TASK_A_DELETE] = GO(DELETED, TASK_FX_HALT | TASK_FX_ARCHIVE),
		[TASK_A_MONITOR] = GO(RUNNING, 0),
		[TASK_A_LOADED] = NO("task.refuse.not_init"),
		[TASK_A_DONE] = GO(STOPPED, TASK_FX_HALT),
	},
	[TASK_DELETED] = {
		[TASK_A_START] = NO("task.refuse.deleted"),
		[TASK_A_STOP] = NO("task.refuse.deleted"),
		[TASK_A_EDIT] = NO("task.refuse.deleted"),
		[TASK_A_DELETE] = NO("task.refuse.deleted"),
		[TASK_A_MONITOR] = GO(DELETED, 0),
		[TASK_A_LOADED] = NO("task.refuse.deleted"),
		[TASK_A_DONE] = NO("task.refuse.deleted"),
	},
};

#undef GO
#undef NO

bool task_allows(enum task_state s, enum task_action a)
{
	return s < TASK_STATE_COUNT && a < TASK_ACTION_COUNT && table[s][a].ok;
}

const char *task_apply(enum task_state s, enum task_action a, const struct task_guard *g,
		       struct task_step *out)
{
	if (s >= TASK_STATE_COUNT || a >= TASK_ACTION_COUNT)
		return "task.refuse.unknown";
	const struct cell *c = &table[s][a];
	if (!c->ok)
		return c->refuse ? c->refuse : "task.refuse.unknown";	/* defensive: a cell left out */
	/* Start's guards: someone to answer, something to dial. */
	if (a == TASK_A_START && g) {
		if (!g->agents_ready)
			return "task.refuse.no_agent";
		if (!g->remaining)
			return "task.refuse.nothing_left";
	}
	out->next = c->next;
	out->effects = c->effects;
	return NULL;
}

const char *task_edit_check(enum task_state s, enum task_field f)
{
	struct task_step step;
	const char *why = task_apply(s, TASK_A_EDIT, NULL, &step);
	if (why)
		return why;
	return task_field_editable(f) ? NULL : "task.refuse.field_fixed";
}

/* --- targets -------------------------------------------------------------------------- */

enum task_target_state task_target_state_of(enum task_result r)
{
	return r < TASK_RESULT_COUNT ? (enum task_target_state)(TASK_T_ANSWERED + r)
				     : TASK_T_FAILED;
}

bool task_target_open(enum task_target_state s)
{
	return s == TASK_T_WAITING || s == TASK_T_DIALING || s == TASK_T_RETRY;
}

bool task_target_due(const struct task_target *t, long long now)
{
	return t->state == TASK_T_WAITING || (t->state == TASK_T_RETRY && t->next_at <= now);
}

void task_target_claim(struct task_target *t)
{
	t->state = TASK_T_DIALING;
	t->attempts++;
}

void task_target_settle(struct task_target *t, enum task_result r, const struct task_retry *rule,
			const struct task_hours *h, const struct ivr_tz *tz, long long now)
{
	if (r >= TASK_RESULT_COUNT)
		r = TASK_R_FAILED;
	if (task_result_retryable(r) && (rule->results & (1u << r)) &&
	    t->attempts < rule->max_attempts) {
		long long at = task_hours_next(h, tz, now + rule->min_interval_s);
		if (at >= 0) {
			t->state = TASK_T_RETRY;
			t->next_at = at;
			return;
		}
	}
	t->state = task_target_state_of(r);
	t->next_at = 0;
}

void task_target_recover(struct task_target *t, bool answered, const struct task_retry *rule,
			 const struct task_hours *h, const struct ivr_tz *tz, long long now)
{
	if (t->state != TASK_T_DIALING)
		return;
	task_target_settle(t, answered ? TASK_R_ANSWERED : TASK_R_FAILED, rule, h, tz, now);
}

unsigned long task_remaining(const unsigned long counts[TASK_TARGET_STATE_COUNT])
{
	return counts[TASK_T_WAITING] + counts[TASK_T_DIALING] + counts[TASK_T_RETRY];
}

bool task_complete(const unsigned long counts[TASK_TARGET_STATE_COUNT])
{
	return task_remaining(counts) == 0;
}

/* --- checks of settings --------------------------------------------------------------- */

const char *task_check_name(const char *name)
{
	if (!name)
		return "task.invalid.name";
	size_t n = strlen(name);
	while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		n--;
	size_t lead = strspn(name, " \t");
	if (lead >= n || strlen(name) > TASK_NAME_MAX)
		return "task.invalid.name";
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "task.invalid.name";
	return NULL;
}

const char *task_check_concurrency(unsigned max_concurrency)
{
	return max_concurrency >= 1 && max_concurrency <= TASK_CONCURRENCY_MAX
		       ? NULL : "task.invalid.concurrency";
}

const char *task_check_ratio(unsigned ratio)
{
	return ratio >= TASK_RATIO_MIN && ratio <= TASK_RATIO_MAX ? NULL : "task.invalid.ratio";
}

const char *task_check_abandon(unsigned abandon)
{
	return abandon >= 1 && abandon <= TASK_ABANDON_MAX ? NULL : "task.invalid.abandon";
}

const char *task_check_retry(const struct task_retry *r)
{
	if (r->max_attempts < 1 || r->max_attempts > TASK_ATTEMPTS_MAX)
		return "task.invalid.attempts";
	if (r->min_interval_s > TASK_INTERVAL_MAX)
		return "task.invalid.interval";
	for (unsigned i = 0; i < 32; i++)
		if ((r->results & (1u << i)) &&
		    (i >= TASK_RESULT_COUNT || !task_result_retryable((enum task_result)i)))
			return "task.invalid.retry_result";
	return NULL;
}
