-- 015: the reports' hourly rollups (docs/reports.md, "How the figures are
-- kept"). cc-web's rollup thread (fcgi-app/report/rollup.c) rewrites the
-- hours that changed from cc_call, cc_call_event and cc_agent_state_log;
-- a report sums these rows (or cc_report_day's, for whole days). hour_start is the start of an hour of the
-- center's time zone (seconds since the epoch); day and lhour are that
-- hour's local date and hour, so days, weeks and months group in SQL. The
-- columns are fcgi-app/report/report.h's REP_COLS, times in ms.
SET NAMES utf8mb4;

CREATE TABLE IF NOT EXISTS cc_report_hour (
  dim VARCHAR(8) NOT NULL,
  dim_key VARCHAR(72) NOT NULL,
  hour_start BIGINT NOT NULL,
  day DATE NOT NULL,
  lhour TINYINT UNSIGNED NOT NULL,
  offered BIGINT NOT NULL DEFAULT 0, queued BIGINT NOT NULL DEFAULT 0, handled BIGINT NOT NULL DEFAULT 0, overflowed BIGINT NOT NULL DEFAULT 0, abandoned BIGINT NOT NULL DEFAULT 0, abandoned_ivr BIGINT NOT NULL DEFAULT 0, abandoned_queue BIGINT NOT NULL DEFAULT 0, abandoned_ring BIGINT NOT NULL DEFAULT 0, no_agent BIGINT NOT NULL DEFAULT 0, failed BIGINT NOT NULL DEFAULT 0,
  ans_5 BIGINT NOT NULL DEFAULT 0, ans_10 BIGINT NOT NULL DEFAULT 0, ans_15 BIGINT NOT NULL DEFAULT 0, ans_20 BIGINT NOT NULL DEFAULT 0, ans_30 BIGINT NOT NULL DEFAULT 0, ans_45 BIGINT NOT NULL DEFAULT 0, ans_60 BIGINT NOT NULL DEFAULT 0, ans_90 BIGINT NOT NULL DEFAULT 0, ans_120 BIGINT NOT NULL DEFAULT 0,
  wait_n BIGINT NOT NULL DEFAULT 0, wait_ms BIGINT NOT NULL DEFAULT 0, wait_max BIGINT NOT NULL DEFAULT 0, asa_ms BIGINT NOT NULL DEFAULT 0, ring_n BIGINT NOT NULL DEFAULT 0, ring_ms BIGINT NOT NULL DEFAULT 0, ring_max BIGINT NOT NULL DEFAULT 0, talk_n BIGINT NOT NULL DEFAULT 0, talk_ms BIGINT NOT NULL DEFAULT 0, talk_max BIGINT NOT NULL DEFAULT 0, hold_n BIGINT NOT NULL DEFAULT 0, hold_ms BIGINT NOT NULL DEFAULT 0, hold_max BIGINT NOT NULL DEFAULT 0, wrap_n BIGINT NOT NULL DEFAULT 0, wrap_ms BIGINT NOT NULL DEFAULT 0, wrap_max BIGINT NOT NULL DEFAULT 0,
  repeat_24h BIGINT NOT NULL DEFAULT 0,
  survey_n BIGINT NOT NULL DEFAULT 0, survey_1 BIGINT NOT NULL DEFAULT 0, survey_2 BIGINT NOT NULL DEFAULT 0, survey_3 BIGINT NOT NULL DEFAULT 0, survey_4 BIGINT NOT NULL DEFAULT 0, survey_5 BIGINT NOT NULL DEFAULT 0,
  out_placed BIGINT NOT NULL DEFAULT 0, out_answered BIGINT NOT NULL DEFAULT 0, out_connected BIGINT NOT NULL DEFAULT 0, out_no_answer BIGINT NOT NULL DEFAULT 0, out_busy BIGINT NOT NULL DEFAULT 0, out_rejected BIGINT NOT NULL DEFAULT 0, out_invalid BIGINT NOT NULL DEFAULT 0, out_abandoned BIGINT NOT NULL DEFAULT 0, out_failed BIGINT NOT NULL DEFAULT 0,
  st_signed_in BIGINT NOT NULL DEFAULT 0, st_ready BIGINT NOT NULL DEFAULT 0, st_break BIGINT NOT NULL DEFAULT 0, st_ringing BIGINT NOT NULL DEFAULT 0, st_talk BIGINT NOT NULL DEFAULT 0, st_wrap BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (dim, hour_start, dim_key),
  KEY key_idx (dim, dim_key, hour_start),
  KEY hour_idx (hour_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The same summed by local day (day_start: its midnight, seconds since the
-- epoch), rewritten from cc_report_hour with the hours of the days a run
-- touched: reports by day, week, month or a whole range of days read 24
-- times fewer rows.
CREATE TABLE IF NOT EXISTS cc_report_day (
  dim VARCHAR(8) NOT NULL,
  dim_key VARCHAR(72) NOT NULL,
  day_start BIGINT NOT NULL,
  day DATE NOT NULL,
  offered BIGINT NOT NULL DEFAULT 0, queued BIGINT NOT NULL DEFAULT 0, handled BIGINT NOT NULL DEFAULT 0, overflowed BIGINT NOT NULL DEFAULT 0, abandoned BIGINT NOT NULL DEFAULT 0, abandoned_ivr BIGINT NOT NULL DEFAULT 0, abandoned_queue BIGINT NOT NULL DEFAULT 0, abandoned_ring BIGINT NOT NULL DEFAULT 0, no_agent BIGINT NOT NULL DEFAULT 0, failed BIGINT NOT NULL DEFAULT 0,
  ans_5 BIGINT NOT NULL DEFAULT 0, ans_10 BIGINT NOT NULL DEFAULT 0, ans_15 BIGINT NOT NULL DEFAULT 0, ans_20 BIGINT NOT NULL DEFAULT 0, ans_30 BIGINT NOT NULL DEFAULT 0, ans_45 BIGINT NOT NULL DEFAULT 0, ans_60 BIGINT NOT NULL DEFAULT 0, ans_90 BIGINT NOT NULL DEFAULT 0, ans_120 BIGINT NOT NULL DEFAULT 0,
  wait_n BIGINT NOT NULL DEFAULT 0, wait_ms BIGINT NOT NULL DEFAULT 0, wait_max BIGINT NOT NULL DEFAULT 0, asa_ms BIGINT NOT NULL DEFAULT 0, ring_n BIGINT NOT NULL DEFAULT 0, ring_ms BIGINT NOT NULL DEFAULT 0, ring_max BIGINT NOT NULL DEFAULT 0, talk_n BIGINT NOT NULL DEFAULT 0, talk_ms BIGINT NOT NULL DEFAULT 0, talk_max BIGINT NOT NULL DEFAULT 0, hold_n BIGINT NOT NULL DEFAULT 0, hold_ms BIGINT NOT NULL DEFAULT 0, hold_max BIGINT NOT NULL DEFAULT 0, wrap_n BIGINT NOT NULL DEFAULT 0, wrap_ms BIGINT NOT NULL DEFAULT 0, wrap_max BIGINT NOT NULL DEFAULT 0,
  repeat_24h BIGINT NOT NULL DEFAULT 0,
  survey_n BIGINT NOT NULL DEFAULT 0, survey_1 BIGINT NOT NULL DEFAULT 0, survey_2 BIGINT NOT NULL DEFAULT 0, survey_3 BIGINT NOT NULL DEFAULT 0, survey_4 BIGINT NOT NULL DEFAULT 0, survey_5 BIGINT NOT NULL DEFAULT 0,
  out_placed BIGINT NOT NULL DEFAULT 0, out_answered BIGINT NOT NULL DEFAULT 0, out_connected BIGINT NOT NULL DEFAULT 0, out_no_answer BIGINT NOT NULL DEFAULT 0, out_busy BIGINT NOT NULL DEFAULT 0, out_rejected BIGINT NOT NULL DEFAULT 0, out_invalid BIGINT NOT NULL DEFAULT 0, out_abandoned BIGINT NOT NULL DEFAULT 0, out_failed BIGINT NOT NULL DEFAULT 0,
  st_signed_in BIGINT NOT NULL DEFAULT 0, st_ready BIGINT NOT NULL DEFAULT 0, st_break BIGINT NOT NULL DEFAULT 0, st_ringing BIGINT NOT NULL DEFAULT 0, st_talk BIGINT NOT NULL DEFAULT 0, st_wrap BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (dim, day_start, dim_key),
  KEY key_idx (dim, dim_key, day_start),
  KEY day_start_idx (day_start),
  KEY day_idx (day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Break time by reason: an agent's (agent_id '' for the whole center).
CREATE TABLE IF NOT EXISTS cc_report_break (
  agent_id VARCHAR(40) NOT NULL,
  reason VARCHAR(72) NOT NULL,
  hour_start BIGINT NOT NULL,
  day DATE NOT NULL,
  ms BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (hour_start, agent_id, reason),
  KEY agent_idx (agent_id, hour_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
