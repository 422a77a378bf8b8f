/* The figures a report shows, from the summed rollup columns: the ratios
 * and averages of docs/reports.md, "Metrics". Pure, unit-tested. */
#include "report.h"

#include <math.h>
#include <stdio.h>

#define METRIC_DEF(id, kind, dims, drill) { #id, #kind[0], dims, drill },
static const struct rep_metric_def defs[REP_NMETRICS] = { REP_METRICS(METRIC_DEF) };
#undef METRIC_DEF

const struct rep_metric_def *rep_metric(enum rep_metric m)
{
	return m < REP_NMETRICS ? &defs[m] : NULL;
}

bool rep_sl_valid(int s)
{
#define SL_IS(n) if (s == n) return true;
	REP_SL_STEPS(SL_IS)
#undef SL_IS
	return false;
}

static long long answered_within(const long long *v, int s)
{
#define SL_COL(n) if (s == n) return v[RC_ans_##n];
	REP_SL_STEPS(SL_COL)
#undef SL_COL
	return 0;
}

static bool ratio(long long a, long long b, double scale, double *out)
{
	if (b <= 0)
		return false;
	*out = (double)a / (double)b * scale;
	return true;
}

bool rep_metric_value(enum rep_metric m, const long long *v, int sl_s, double *out)
{
	switch (m) {
#define COUNT(id) case RM_##id: *out = (double)v[RC_##id]; return true;
	COUNT(offered) COUNT(queued) COUNT(handled) COUNT(overflowed) COUNT(abandoned)
	COUNT(abandoned_ivr) COUNT(abandoned_queue) COUNT(abandoned_ring) COUNT(no_agent)
	COUNT(repeat_24h) COUNT(out_placed) COUNT(out_answered) COUNT(out_connected)
	COUNT(out_no_answer) COUNT(out_busy) COUNT(out_rejected) COUNT(out_invalid)
	COUNT(out_abandoned) COUNT(out_failed) COUNT(survey_n) COUNT(survey_1) COUNT(survey_2)
	COUNT(survey_3) COUNT(survey_4) COUNT(survey_5) COUNT(xfer_out) COUNT(xfer_in)
#undef COUNT
#define HOURS(id) case RM_##id: *out = (double)v[RC_##id] / 3600000.0; return true;
	HOURS(st_signed_in) HOURS(st_ready) HOURS(st_break) HOURS(st_talk) HOURS(st_wrap)
#undef HOURS
	case RM_satisfaction: return ratio(v[RC_survey_1], v[RC_survey_n], 100, out);
	case RM_abandon_rate: return ratio(v[RC_abandoned], v[RC_offered], 100, out);
	case RM_sl: return ratio(answered_within(v, sl_s), v[RC_queued], 100, out);
	case RM_asa: return ratio(v[RC_asa_ms], v[RC_handled], 0.001, out);
	case RM_avg_wait: return ratio(v[RC_wait_ms], v[RC_wait_n], 0.001, out);
	case RM_avg_ring: return ratio(v[RC_ring_ms], v[RC_ring_n], 0.001, out);
	case RM_avg_talk: return ratio(v[RC_talk_ms], v[RC_talk_n], 0.001, out);
	case RM_avg_hold: return ratio(v[RC_hold_ms], v[RC_hold_n], 0.001, out);
	case RM_avg_wrap: return ratio(v[RC_wrap_ms], v[RC_wrap_n], 0.001, out);
	case RM_max_wait: return ratio(v[RC_wait_max], v[RC_wait_n] ? 1 : 0, 0.001, out);
	case RM_max_ring: return ratio(v[RC_ring_max], v[RC_ring_n] ? 1 : 0, 0.001, out);
	case RM_max_talk: return ratio(v[RC_talk_max], v[RC_talk_n] ? 1 : 0, 0.001, out);
	case RM_max_hold: return ratio(v[RC_hold_max], v[RC_hold_n] ? 1 : 0, 0.001, out);
	case RM_max_wrap: return ratio(v[RC_wrap_max], v[RC_wrap_n] ? 1 : 0, 0.001, out);
	case RM_aht:
		return ratio(v[RC_talk_ms] + v[RC_hold_ms] + v[RC_wrap_ms], v[RC_talk_n], 0.001,
			     out);
	case RM_occupancy:
		return ratio(v[RC_st_talk] + v[RC_st_wrap],
			     v[RC_st_talk] + v[RC_st_wrap] + v[RC_st_ready] + v[RC_st_ringing], 100,
			     out);
	case REP_NMETRICS: break;
	}
	return false;
}

void rep_metric_format(enum rep_metric m, const long long *v, int sl_s, char *buf, size_t n)
{
	double x;
	if (!rep_metric_value(m, v, sl_s, &x)) {
		snprintf(buf, n, "%s", "");
		return;
	}
	if (defs[m].kind == 'N')
		snprintf(buf, n, "%.0f", x);
	else
		snprintf(buf, n, "%.1f", round(x * 10) / 10);
}
