-- 013: what reports and the call records need of each call
-- (docs/reports.md): the state the call was in when it began to end
-- (`media`, `flow`, `originating`, `queued`, `offering`, `dialing`,
-- `bridged`: b2bua/call/call_priv.h's CALL_STATES), which splits abandoned
-- calls into those lost in the IVR, in the queue and while an agent's phone
-- rang; NULL for a call a dead node left (closed by the restarted node).
-- The indexes serve the records' filters, the rollups' scan of recently
-- ended calls, and a restarted node's search for its open rows.
SET NAMES utf8mb4;

ALTER TABLE cc_call
  ADD COLUMN IF NOT EXISTS end_state VARCHAR(16) DEFAULT NULL AFTER cause,
  ADD KEY IF NOT EXISTS ended_idx (ended_at),
  ADD KEY IF NOT EXISTS group_idx (skill_group_id, started_at),
  ADD KEY IF NOT EXISTS number_idx (number_id, started_at),
  ADD KEY IF NOT EXISTS task_idx (task_id, started_at),
  ADD KEY IF NOT EXISTS node_open_idx (node, ended_at);

ALTER TABLE cc_call_event
  ADD KEY IF NOT EXISTS call_at_idx (call_id, at, id);
