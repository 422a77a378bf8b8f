-- 006: voicemail (留言). An IVR flow's voicemail node records the caller
-- for a skill group; the B2BUA writes the row when the recording ends
-- (at its maximum length, at the caller's #, or when the caller hangs up).
-- `file` is the WAV's name in the B2BUA's voicemail folder, made by the
-- B2BUA from the call's id (never from a request); the web app reads it
-- from its own configured folder. An agent of the group (or an admin)
-- marks a message handled (its id, and its name as it was then).
SET NAMES utf8mb4;

CREATE TABLE IF NOT EXISTS cc_voicemail (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  call_id CHAR(32) NOT NULL,
  group_id INT UNSIGNED NOT NULL,
  caller VARCHAR(64) NOT NULL DEFAULT '',
  file VARCHAR(96) NOT NULL,
  duration_ms INT UNSIGNED NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  handled_by VARCHAR(32) DEFAULT NULL,
  handled_name VARCHAR(64) DEFAULT NULL,
  handled_at DATETIME(3) DEFAULT NULL,
  UNIQUE KEY file_idx (file),
  KEY call_idx (call_id),
  KEY group_idx (group_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
