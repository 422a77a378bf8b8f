-- 001: the call-center core: SIP accounts and registrations (read by
-- Kamailio), trusted gateways, skill groups, audio, numbers, agents' live
-- state, call records with their event log, web sessions, and the
-- normalized phone index of the host's contacts.
--
-- Tables Kamailio reads keep the column names of Kamailio's own schema
-- (auth_db subscriber, usrloc location, permissions address) and are listed
-- in cc_kam_version, the table Kamailio checks their versions in.
SET NAMES utf8mb4;

CREATE TABLE IF NOT EXISTS cc_kam_version (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  table_name VARCHAR(32) NOT NULL,
  table_version INT UNSIGNED NOT NULL DEFAULT 0,
  UNIQUE KEY table_name_idx (table_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One SIP account per agent phone, tied to the helpdesk user. ha1 is
-- md5(username:realm:password), ha1b md5(username@domain:realm:password);
-- the plain password is never stored.
CREATE TABLE IF NOT EXISTS cc_sip_account (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  user_id VARCHAR(32) NOT NULL,
  username VARCHAR(64) NOT NULL,
  domain VARCHAR(64) NOT NULL DEFAULT '',
  ha1 VARCHAR(128) NOT NULL,
  ha1b VARCHAR(128) NOT NULL DEFAULT '',
  enabled TINYINT NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY username_idx (username),
  UNIQUE KEY user_idx (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Kamailio's usrloc table (schema version 9), written through by Kamailio.
CREATE TABLE IF NOT EXISTS cc_location (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  ruid VARCHAR(64) NOT NULL DEFAULT '',
  username VARCHAR(64) NOT NULL DEFAULT '',
  domain VARCHAR(64) DEFAULT NULL,
  contact VARCHAR(512) NOT NULL DEFAULT '',
  received VARCHAR(128) DEFAULT NULL,
  path VARCHAR(512) DEFAULT NULL,
  expires DATETIME NOT NULL DEFAULT '2030-05-28 21:32:15',
  q FLOAT(10,2) NOT NULL DEFAULT 1.0,
  callid VARCHAR(255) NOT NULL DEFAULT 'Default-Call-ID',
  cseq INT NOT NULL DEFAULT 1,
  last_modified DATETIME NOT NULL DEFAULT '2000-01-01 00:00:01',
  flags INT NOT NULL DEFAULT 0,
  cflags INT NOT NULL DEFAULT 0,
  user_agent VARCHAR(255) NOT NULL DEFAULT '',
  socket VARCHAR(64) DEFAULT NULL,
  methods INT DEFAULT NULL,
  instance VARCHAR(255) DEFAULT NULL,
  reg_id INT NOT NULL DEFAULT 0,
  server_id INT NOT NULL DEFAULT 0,
  connection_id INT NOT NULL DEFAULT 0,
  keepalive INT NOT NULL DEFAULT 0,
  `partition` INT NOT NULL DEFAULT 0,
  UNIQUE KEY ruid_idx (ruid),
  KEY account_contact_idx (username, domain, contact),
  KEY expires_idx (expires),
  KEY connection_idx (server_id, connection_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Trusted voice gateways / SIP trunks: Kamailio's permissions address table
-- (schema version 6). Calls from other addresses are refused.
CREATE TABLE IF NOT EXISTS cc_gateway (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  grp INT UNSIGNED NOT NULL DEFAULT 1,
  ip_addr VARCHAR(50) NOT NULL,
  mask INT NOT NULL DEFAULT 32,
  port SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  tag VARCHAR(64) DEFAULT NULL,
  name VARCHAR(64) NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT IGNORE INTO cc_kam_version (table_name, table_version) VALUES
  ('cc_kam_version', 1), ('cc_sip_account', 7), ('cc_location', 9), ('cc_gateway', 6);

-- Audio prompts and music. `filename` is made by the plugin (never taken
-- from an upload's name) and resolved under the configured audio folder.
CREATE TABLE IF NOT EXISTS cc_audio (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  filename VARCHAR(64) NOT NULL,
  kind ENUM('prompt','music') NOT NULL DEFAULT 'prompt',
  duration_ms INT UNSIGNED NOT NULL DEFAULT 0,
  created_by VARCHAR(32) DEFAULT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY filename_idx (filename)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Skill groups: a helpdesk department with SKILL=1 (organ_id), or a group of
-- the plugin's own; the queue settings live here.
CREATE TABLE IF NOT EXISTS cc_skill_group (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  organ_id VARCHAR(32) DEFAULT NULL,
  name VARCHAR(64) NOT NULL,
  strategy ENUM('longest_idle') NOT NULL DEFAULT 'longest_idle',
  ring_timeout_s INT UNSIGNED NOT NULL DEFAULT 20,
  max_wait_s INT UNSIGNED NOT NULL DEFAULT 120,
  wrapup_s INT UNSIGNED NOT NULL DEFAULT 10,
  moh_audio_id INT UNSIGNED DEFAULT NULL,
  no_agent_audio_id INT UNSIGNED DEFAULT NULL,
  enabled TINYINT NOT NULL DEFAULT 1,
  UNIQUE KEY organ_idx (organ_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Members beyond the department's own users (an agent may serve several
-- skill groups).
CREATE TABLE IF NOT EXISTS cc_skill_group_member (
  skill_group_id INT UNSIGNED NOT NULL,
  user_id VARCHAR(32) NOT NULL,
  PRIMARY KEY (skill_group_id, user_id),
  KEY user_idx (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Numbers callers dial (the R-URI user the gateway sends).
CREATE TABLE IF NOT EXISTS cc_number (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  number VARCHAR(32) NOT NULL,
  name VARCHAR(64) NOT NULL DEFAULT '',
  skill_group_id INT UNSIGNED DEFAULT NULL,
  welcome_audio_id INT UNSIGNED DEFAULT NULL,
  enabled TINYINT NOT NULL DEFAULT 1,
  UNIQUE KEY number_idx (number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Agents' live state, one row each. A node reserves an agent for a call with
-- one conditional UPDATE of this row, so two nodes never offer the same agent
-- two calls.
CREATE TABLE IF NOT EXISTS cc_agent (
  user_id VARCHAR(32) NOT NULL PRIMARY KEY,
  state ENUM('logged_out','ready','not_ready','reserved','on_call','wrap_up')
    NOT NULL DEFAULT 'logged_out',
  reason VARCHAR(64) DEFAULT NULL,
  state_since DATETIME(3) DEFAULT NULL,
  idle_since DATETIME(3) DEFAULT NULL,
  node VARCHAR(64) DEFAULT NULL,
  call_id CHAR(32) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS cc_agent_state_log (
  id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  agent_id VARCHAR(32) NOT NULL,
  at DATETIME(3) NOT NULL,
  state VARCHAR(16) NOT NULL,
  reason VARCHAR(64) DEFAULT NULL,
  call_id CHAR(32) DEFAULT NULL,
  KEY agent_at_idx (agent_id, at),
  KEY at_idx (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One row per call (CDR). Times are the B2BUA's, in milliseconds.
CREATE TABLE IF NOT EXISTS cc_call (
  id CHAR(32) NOT NULL PRIMARY KEY,
  sip_call_id VARCHAR(255) NOT NULL,
  node VARCHAR(64) NOT NULL,
  direction ENUM('inbound','outbound') NOT NULL,
  caller VARCHAR(64) NOT NULL,
  caller_norm VARCHAR(32) DEFAULT NULL,
  callee VARCHAR(64) NOT NULL,
  number_id INT UNSIGNED DEFAULT NULL,
  skill_group_id INT UNSIGNED DEFAULT NULL,
  agent_id VARCHAR(32) DEFAULT NULL,
  contact_id VARCHAR(32) DEFAULT NULL,
  offers INT UNSIGNED NOT NULL DEFAULT 0,
  started_at DATETIME(3) NOT NULL,
  enqueued_at DATETIME(3) DEFAULT NULL,
  offered_at DATETIME(3) DEFAULT NULL,
  answered_at DATETIME(3) DEFAULT NULL,
  ended_at DATETIME(3) DEFAULT NULL,
  result ENUM('answered','abandoned','no_agent','failed') DEFAULT NULL,
  hangup_side ENUM('caller','agent','system') DEFAULT NULL,
  cause VARCHAR(64) DEFAULT NULL,
  KEY started_idx (started_at),
  KEY caller_idx (caller_norm, started_at),
  KEY agent_idx (agent_id, started_at),
  KEY contact_idx (contact_id, started_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Append-only log of what happened to each call in queues and at agents;
-- reports are computed from it.
CREATE TABLE IF NOT EXISTS cc_call_event (
  id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  call_id CHAR(32) NOT NULL,
  at DATETIME(3) NOT NULL,
  event VARCHAR(24) NOT NULL,
  skill_group_id INT UNSIGNED DEFAULT NULL,
  agent_id VARCHAR(32) DEFAULT NULL,
  detail VARCHAR(255) DEFAULT NULL,
  KEY call_idx (call_id),
  KEY at_idx (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Web sessions. The cookie carries a random token; only its SHA-256 is kept.
CREATE TABLE IF NOT EXISTS cc_session (
  token_hash CHAR(64) NOT NULL PRIMARY KEY,
  user_id VARCHAR(32) NOT NULL,
  csrf CHAR(64) NOT NULL,
  created_at DATETIME NOT NULL,
  expires_at DATETIME NOT NULL,
  last_seen_at DATETIME NOT NULL,
  KEY user_idx (user_id),
  KEY expires_idx (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Normalized phone numbers of the host's contacts (see docs/phone-matching.md);
-- rebuilt from the contacts table, never written back to it.
CREATE TABLE IF NOT EXISTS cc_contact_phone (
  phone VARCHAR(32) NOT NULL,
  contact_id VARCHAR(32) NOT NULL,
  source_column VARCHAR(32) NOT NULL,
  PRIMARY KEY (phone, contact_id, source_column),
  KEY contact_idx (contact_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS cc_setting (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  value VARCHAR(255) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
