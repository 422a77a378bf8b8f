/* A new task's settings read from a request and checked with
 * common/task.h's rules (see tk_input_read in tasks.h). Pure. */
#include "tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tk_decimal(const char *s, int places, unsigned *out)
{
	if (!s || !*s)
		return -1;
	unsigned long long whole = 0, frac = 0;
	int nf = 0;
	const char *p = s;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (unsigned)(*p - '0');
		if (whole > 1000000)
			return -1;
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		for (; *p >= '0' && *p <= '9'; p++, nf++) {
			if (nf >= places)
				return -1;
			frac = frac * 10 + (unsigned)(*p - '0');
		}
	}
	if (*p)
		return -1;
	for (int i = 0; i < places; i++)
		whole *= 10;
	for (; nf < places; nf++)
		frac *= 10;
	*out = (unsigned)(whole + frac);
	return 0;
}

void tk_results_format(unsigned results, char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	for (int i = 0; i < TASK_RESULT_COUNT; i++)
		if (results & (1u << i)) {
			int k = snprintf(out + n, size - n, "%s%s", n ? "," : "",
					 task_result_name((enum task_result)i));
			if (k < 0 || (size_t)k >= size - n)
				return;
			n += (size_t)k;
		}
}

long tk_results_parse(const char *s)
{
	long bits = 0;
	char name[32];
	while (s && *s) {
		size_t k = strcspn(s, ", ");
		if (k && k < sizeof name) {
			memcpy(name, s, k);
			name[k] = '\0';
			int r = task_result_parse(name);
			if (r < 0)
				return -1;
			bits |= 1L << r;
		} else if (k) {
			return -1;
		}
		s += k;
		s += strspn(s, ", ");
	}
	return bits;
}

static int uint_of(const char *s, unsigned long long max, unsigned long long *out)
{
	if (!s || !*s || strlen(s) > 12)
		return -1;
	unsigned long long v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned)(*p - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

#define FAIL(f, key) do { *field = (f); return (key); } while (0)

const char *tk_input_read(tk_param_h *get, void *arg, struct tk_input *in, const char **field)
{
	memset(in, 0, sizeof *in);
	const char *v;
	unsigned long long u;
	in->name = get(arg, "name");
	const char *e = task_check_name(in->name ? in->name : "");
	if (e)
		FAIL("name", e);
	if (uint_of(get(arg, "skill_group_id"), 0xffffffffULL, &u) || !u)
		FAIL("skill_group_id", "task.invalid.group");
	in->group_id = (long long)u;
	if (uint_of(get(arg, "caller_id_number_id"), 0xffffffffULL, &u) || !u)
		FAIL("caller_id_number_id", "task.invalid.caller_id");
	in->number_id = (long long)u;

	in->max_concurrency = 10;
	if ((v = get(arg, "max_concurrency")) && *v) {
		if (uint_of(v, 100000, &u))
			FAIL("max_concurrency", "task.invalid.concurrency");
		in->max_concurrency = (unsigned)u;
	}
	if ((e = task_check_concurrency(in->max_concurrency)))
		FAIL("max_concurrency", e);
	in->agent_ratio = 100;
	if ((v = get(arg, "agent_ratio")) && *v && tk_decimal(v, 2, &in->agent_ratio))
		FAIL("agent_ratio", "task.invalid.ratio");
	if ((e = task_check_ratio(in->agent_ratio)))
		FAIL("agent_ratio", e);
	in->pacing = TASK_PACING_RATIO;
	if ((v = get(arg, "pacing")) && *v) {
		int p = task_pacing_parse(v);
		if (p < 0)
			FAIL("pacing", "task.invalid.pacing");
		in->pacing = (enum task_pacing)p;
	}
	/* The default records nothing: callers must be told before (docs/recording.md). */
	in->recording = REC_NONE;
	if ((v = get(arg, "recording")) && *v) {
		in->recording = rec_policy_parse(v);
		if (strcmp(rec_policy_name(in->recording), v))
			FAIL("recording", "task.invalid.recording");
	}
	in->abandon_target = TASK_ABANDON_DEFAULT;
	if ((v = get(arg, "abandon_target")) && *v && tk_decimal(v, 1, &in->abandon_target))
		FAIL("abandon_target", "task.invalid.abandon");
	if ((e = task_check_abandon(in->abandon_target)))
		FAIL("abandon_target", e);

	in->retry = (struct task_retry){ 3, 1800, (1u << TASK_R_NO_ANSWER) | (1u << TASK_R_BUSY) |
							  (1u << TASK_R_FAILED) };
	if ((v = get(arg, "max_attempts")) && *v) {
		if (uint_of(v, 1000, &u))
			FAIL("max_attempts", "task.invalid.attempts");
		in->retry.max_attempts = (unsigned)u;
	}
	if ((v = get(arg, "min_interval_s")) && *v) {
		if (uint_of(v, 100000000, &u))
			FAIL("min_interval_s", "task.invalid.interval");
		in->retry.min_interval_s = (unsigned)u;
	}
	if ((v = get(arg, "retry_results"))) {
		long bits = tk_results_parse(v);
		if (bits < 0)
			FAIL("retry_results", "task.invalid.retry_result");
		in->retry.results = (unsigned)bits;
	}
	if ((e = task_check_retry(&in->retry)))
		FAIL(strstr(e, "attempts") ? "max_attempts" : strstr(e, "interval") ? "min_interval_s"
										: "retry_results", e);
	in->hours = get(arg, "hours");
	if (!in->hours)
		in->hours = "";
	struct task_hours h;
	if ((e = task_hours_parse(&h, in->hours)) || (e = task_check_hours(&h)))
		FAIL("hours", e);
	in->time_zone = get(arg, "time_zone");
	if (!in->time_zone || !*in->time_zone)
		in->time_zone = "Asia/Shanghai";
	if (strlen(in->time_zone) > 64)
		FAIL("time_zone", "task.invalid.time_zone");
	in->source = get(arg, "source");
	if (!in->source || !*in->source)
		in->source = "csv";
	if (strcmp(in->source, "csv") && strcmp(in->source, "contacts"))
		FAIL("source", "task.invalid.source");
	in->query = get(arg, "query");
	if (!in->query)
		in->query = "";
	if (strlen(in->query) > 64)
		FAIL("query", "task.invalid.query");
	in->dnc = get(arg, "dnc");
	return NULL;
}
