-- 016: the agent's in-call controls (docs/incall.md): how often and how long
-- the caller was held, and how often the call was transferred (blind) by an
-- agent. Each hold, resume, mute and transfer is also a row of the call's
-- event log (cc_call_event: hold, resume, mute, unmute, transfer).
SET NAMES utf8mb4;

ALTER TABLE cc_call
  ADD COLUMN IF NOT EXISTS holds SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS hold_ms INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS transfers SMALLINT UNSIGNED NOT NULL DEFAULT 0;
