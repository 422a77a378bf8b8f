-- 009: outbound tasks (外呼任务, docs/outbound.md). The names of states,
-- pacing modes, target states and results are those of common/task.h
-- (task_state_name, task_target_state_name, ...); every change of a task's
-- state is one conditional UPDATE (WHERE state = the state read), so the
-- web app and the B2BUA nodes never apply two transitions at once.
SET NAMES utf8mb4;

-- A task. agent_ratio in hundredths (150: 1.5 customer calls per available
-- agent), abandon_target in tenths of a percent (30: 3.0 %). retry_results:
-- the results retried, comma-separated result names. hours: the calling
-- hours as task_hours_parse reads them ('' = any time), in time_zone.
-- Counters are kept by whoever moves a target, for the list and the
-- monitor; the targets table is the truth they can be rebuilt from.
CREATE TABLE IF NOT EXISTS cc_task (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  skill_group_id INT UNSIGNED NOT NULL,
  caller_id_number_id INT UNSIGNED NOT NULL,
  caller_id VARCHAR(32) NOT NULL,
  max_concurrency INT UNSIGNED NOT NULL DEFAULT 10,
  agent_ratio SMALLINT UNSIGNED NOT NULL DEFAULT 100,
  pacing ENUM('ratio','progressive','predictive') NOT NULL DEFAULT 'ratio',
  abandon_target SMALLINT UNSIGNED NOT NULL DEFAULT 30,
  max_attempts TINYINT UNSIGNED NOT NULL DEFAULT 3,
  min_interval_s INT UNSIGNED NOT NULL DEFAULT 1800,
  retry_results VARCHAR(128) NOT NULL DEFAULT 'no_answer,busy,failed',
  hours VARCHAR(255) NOT NULL DEFAULT '',
  time_zone VARCHAR(64) NOT NULL DEFAULT 'Asia/Shanghai',
  state ENUM('init','stopped','running','deleted') NOT NULL DEFAULT 'init',
  -- 初始化's progress: rows read of the upload or the query, of rows_total.
  rows_total INT UNSIGNED NOT NULL DEFAULT 0,
  rows_read INT UNSIGNED NOT NULL DEFAULT 0,
  rows_bad INT UNSIGNED NOT NULL DEFAULT 0,
  rows_duplicate INT UNSIGNED NOT NULL DEFAULT 0,
  rows_dnc INT UNSIGNED NOT NULL DEFAULT 0,
  targets_total INT UNSIGNED NOT NULL DEFAULT 0,
  targets_done INT UNSIGNED NOT NULL DEFAULT 0,
  calls_total INT UNSIGNED NOT NULL DEFAULT 0,
  calls_answered INT UNSIGNED NOT NULL DEFAULT 0,
  calls_abandoned INT UNSIGNED NOT NULL DEFAULT 0,
  created_by VARCHAR(32) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_by VARCHAR(32) DEFAULT NULL,
  updated_at DATETIME(3) DEFAULT NULL,
  started_at DATETIME(3) DEFAULT NULL,
  stopped_at DATETIME(3) DEFAULT NULL,
  deleted_by VARCHAR(32) DEFAULT NULL,
  deleted_at DATETIME(3) DEFAULT NULL,
  KEY state_idx (state, id),
  KEY group_idx (skill_group_id, state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A task's targets. number: E.164 (common/phone.h), unique per task (the
-- load drops duplicates). data: the extra columns of the upload, a JSON
-- object for the screen pop. A node claims due targets with one UPDATE
-- (state 'waiting', or 'retry' with next_at <= now, to 'dialing' with its
-- name in node and attempts + 1), so two nodes never dial the same target;
-- due_idx serves that query for a running task.
CREATE TABLE IF NOT EXISTS cc_task_target (
  id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  task_id INT UNSIGNED NOT NULL,
  line INT UNSIGNED NOT NULL DEFAULT 0,
  number VARCHAR(32) NOT NULL,
  contact_id VARCHAR(32) DEFAULT NULL,
  data TEXT DEFAULT NULL,
  state ENUM('waiting','dialing','retry','dnc','answered','no_answer','busy',
             'rejected','invalid','abandoned','failed') NOT NULL DEFAULT 'waiting',
  attempts TINYINT UNSIGNED NOT NULL DEFAULT 0,
  next_at DATETIME(3) DEFAULT NULL,
  node VARCHAR(64) DEFAULT NULL,
  last_result ENUM('answered','no_answer','busy','rejected','invalid','abandoned','failed')
    DEFAULT NULL,
  last_call_id CHAR(32) DEFAULT NULL,
  last_at DATETIME(3) DEFAULT NULL,
  UNIQUE KEY task_number_idx (task_id, number),
  KEY due_idx (task_id, state, next_at, id),
  KEY node_idx (node, state),
  KEY contact_idx (contact_id),
  KEY call_idx (last_call_id),
  CONSTRAINT data_is_json CHECK (data IS NULL OR JSON_VALID(data))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Each call made to a target (the call's own record is cc_call).
CREATE TABLE IF NOT EXISTS cc_task_attempt (
  id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  task_id INT UNSIGNED NOT NULL,
  target_id BIGINT UNSIGNED NOT NULL,
  attempt TINYINT UNSIGNED NOT NULL,
  call_id CHAR(32) DEFAULT NULL,
  node VARCHAR(64) NOT NULL,
  started_at DATETIME(3) NOT NULL,
  answered_at DATETIME(3) DEFAULT NULL,
  connected_at DATETIME(3) DEFAULT NULL,
  ended_at DATETIME(3) DEFAULT NULL,
  result ENUM('answered','no_answer','busy','rejected','invalid','abandoned','failed')
    DEFAULT NULL,
  cause VARCHAR(64) DEFAULT NULL,
  UNIQUE KEY target_attempt_idx (target_id, attempt),
  KEY task_idx (task_id, started_at),
  KEY call_idx (call_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Do-not-call numbers (E.164), for every task (task_id 0) or for one:
-- dropped when targets load (and counted), and a target whose number is
-- added later is set 'dnc', never dialed.
CREATE TABLE IF NOT EXISTS cc_dnc (
  number VARCHAR(32) NOT NULL,
  task_id INT UNSIGNED NOT NULL DEFAULT 0,
  note VARCHAR(255) NOT NULL DEFAULT '',
  created_by VARCHAR(32) DEFAULT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (number, task_id),
  KEY task_idx (task_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
