-- 022: cc_call_event loses call_idx (call_id): call_at_idx (call_id, at, id)
-- begins with the same column and serves every lookup by call, so each
-- event row (about six per call) now updates one index fewer
-- (docs/cost-per-call.md).
SET NAMES utf8mb4;

ALTER TABLE cc_call_event
  DROP INDEX IF EXISTS call_idx;
