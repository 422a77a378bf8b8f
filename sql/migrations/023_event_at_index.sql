-- 023: cc_call_event loses at_idx (at). Every reader of the event log finds
-- a call's rows by call_at_idx (the call's record, its reports, the call
-- detail page) and none reads the log by time alone, so the index only cost
-- a write per event row, about six per call (docs/cost-per-call.md).
SET NAMES utf8mb4;

ALTER TABLE cc_call_event
  DROP INDEX IF EXISTS at_idx;
