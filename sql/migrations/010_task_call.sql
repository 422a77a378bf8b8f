-- 010: an outbound task's calls in the call records (docs/outbound.md). A
-- call the dialer placed names its task and target; the attempt row
-- (cc_task_attempt) is written when the call is placed, so a node that
-- starts again finds what its lost calls were (task_target_recover).
SET NAMES utf8mb4;

ALTER TABLE cc_call
  ADD COLUMN IF NOT EXISTS task_id INT UNSIGNED DEFAULT NULL,
  ADD COLUMN IF NOT EXISTS target_id BIGINT UNSIGNED DEFAULT NULL,
  ADD INDEX IF NOT EXISTS task_idx (task_id, started_at);
