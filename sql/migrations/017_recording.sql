-- 017: call recording (docs/recording.md).
--
-- The policy of a skill group and of an outbound task: `none` (no call is
-- recorded), `all` (every call, from the moment an agent is bridged; the
-- agent may pause and resume), `on_demand` (the agent starts, stops, pauses
-- and resumes it). Existing groups and tasks keep `none`: an upgrade never
-- starts recording calls whose callers were not told.
--
-- cc_recording: one row per recorded call, written by the B2BUA when the
-- call ends (the pcaps rtpengine made are then complete), turned into a
-- WAV by cc-web's recording worker: `pending` until converted, then `ready`
-- (file: the WAV's path under the recordings folder, YYYY/MM/DD/<call>.wav)
-- or `failed` (error: why; the call's record is never touched). Past
-- expires_at the WAV is deleted and the row becomes `expired`.
SET NAMES utf8mb4;

ALTER TABLE cc_skill_group
  ADD COLUMN IF NOT EXISTS recording ENUM('none','all','on_demand') NOT NULL DEFAULT 'none';

ALTER TABLE cc_task
  ADD COLUMN IF NOT EXISTS recording ENUM('none','all','on_demand') NOT NULL DEFAULT 'none';

CREATE TABLE IF NOT EXISTS cc_recording (
  call_id CHAR(32) NOT NULL PRIMARY KEY,
  agent_id VARCHAR(32) DEFAULT NULL,
  segments INT UNSIGNED NOT NULL DEFAULT 1,
  state ENUM('pending','ready','failed','expired') NOT NULL DEFAULT 'pending',
  file VARCHAR(255) DEFAULT NULL,
  error VARCHAR(255) DEFAULT NULL,
  duration_ms INT UNSIGNED DEFAULT NULL,
  size BIGINT UNSIGNED DEFAULT NULL,
  attempts INT UNSIGNED NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL,
  converted_at DATETIME(3) DEFAULT NULL,
  expires_at DATETIME(3) DEFAULT NULL,
  KEY state_idx (state, created_at),
  KEY expires_idx (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
