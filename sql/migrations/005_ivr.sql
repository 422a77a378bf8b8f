-- 005: IVR flows (流程管理 > IVR流程, docs/ivr.md). A flow has one draft,
-- the document being edited (saved by the admin who holds the flow's edit
-- lock), and the versions it was published as; calls use the newest
-- published version, and a call keeps the version it started with.
--
-- A flow's state (shown in the console) follows from its row:
--   未发布 never published        published_version IS NULL, publish_failed = 0
--   已发布 published              draft_rev = published_rev
--   有更新未发布 newer draft       draft_rev > published_rev
--   发布失败 last publish refused  publish_failed = 1 (problems kept as JSON)
SET NAMES utf8mb4;

CREATE TABLE IF NOT EXISTS cc_ivr_flow (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  description VARCHAR(255) NOT NULL DEFAULT '',
  draft MEDIUMTEXT NOT NULL,
  draft_rev INT UNSIGNED NOT NULL DEFAULT 1,
  draft_saved_at DATETIME(3) DEFAULT NULL,
  draft_saved_by VARCHAR(32) NOT NULL DEFAULT '',
  published_version INT UNSIGNED DEFAULT NULL,
  published_rev INT UNSIGNED DEFAULT NULL,
  publish_failed TINYINT NOT NULL DEFAULT 0,
  publish_problems MEDIUMTEXT DEFAULT NULL,
  lock_user VARCHAR(32) DEFAULT NULL,
  lock_until DATETIME(3) DEFAULT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) DEFAULT NULL,
  UNIQUE KEY name_idx (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Every published version, kept: a call that started on one finishes on it,
-- and the console can export any of them.
CREATE TABLE IF NOT EXISTS cc_ivr_version (
  flow_id INT UNSIGNED NOT NULL,
  version INT UNSIGNED NOT NULL,
  document MEDIUMTEXT NOT NULL,
  published_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  published_by VARCHAR(32) NOT NULL DEFAULT '',
  PRIMARY KEY (flow_id, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- An inbound number's target: a skill group (the built-in flow: welcome
-- prompt, queue) or a published IVR flow; one of the two.
ALTER TABLE cc_number
  ADD COLUMN IF NOT EXISTS ivr_flow_id INT UNSIGNED DEFAULT NULL AFTER skill_group_id,
  ADD INDEX IF NOT EXISTS ivr_flow_idx (ivr_flow_id);
