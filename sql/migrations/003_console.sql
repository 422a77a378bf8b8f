-- 003: what the admin console sets up beyond the core: skill groups' queue
-- settings, agents' levels in their groups, dedicated agents, numbers kept in
-- E.164 with their use and the caller IDs each group may present.
SET NAMES utf8mb4;

-- Queue settings of a skill group (docs/queues.md).
--   strategy            how the next agent is chosen among the ready ones
--   no_answer_break     after this many unanswered offers in a row an agent goes
--                       on break (not ready, reason "no_answer"); 0: never
--   max_wait_action     at the maximum wait: play max_wait_audio_id and hang up,
--                       or move the call to overflow_group_id (keeping its wait)
--   no_agent_action     when nobody of the group is signed in: wait in the queue
--                       anyway (up to max_wait_s), or the same choices as above
--   announce_interval_s every so many seconds a waiting caller hears their
--                       position and/or the estimated wait (0: never), after
--                       announce_audio_id when set
--   dedicated_wait_s    a caller with a dedicated agent waits this long for
--                       that agent before any agent of the group may take it
ALTER TABLE cc_skill_group
  MODIFY strategy ENUM('longest_idle','round_robin','ring_all','top_down','fewest_calls',
                       'least_talk_time','random') NOT NULL DEFAULT 'longest_idle',
  ADD COLUMN IF NOT EXISTS no_answer_break INT UNSIGNED NOT NULL DEFAULT 3 AFTER ring_timeout_s,
  ADD COLUMN IF NOT EXISTS max_wait_action ENUM('hangup','overflow') NOT NULL DEFAULT 'hangup' AFTER max_wait_s,
  ADD COLUMN IF NOT EXISTS max_wait_audio_id INT UNSIGNED DEFAULT NULL AFTER max_wait_action,
  ADD COLUMN IF NOT EXISTS no_agent_action ENUM('wait','hangup','overflow') NOT NULL DEFAULT 'wait' AFTER no_agent_audio_id,
  ADD COLUMN IF NOT EXISTS overflow_group_id INT UNSIGNED DEFAULT NULL AFTER no_agent_action,
  ADD COLUMN IF NOT EXISTS announce_interval_s INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS announce_position TINYINT NOT NULL DEFAULT 1,
  ADD COLUMN IF NOT EXISTS announce_wait TINYINT NOT NULL DEFAULT 1,
  ADD COLUMN IF NOT EXISTS announce_audio_id INT UNSIGNED DEFAULT NULL,
  ADD COLUMN IF NOT EXISTS dedicated_wait_s INT UNSIGNED NOT NULL DEFAULT 10,
  ADD COLUMN IF NOT EXISTS description VARCHAR(255) NOT NULL DEFAULT '';

-- An agent's level in a group: 1 is offered first by top_down, and the
-- other strategies prefer a lower level among equals' ties (docs/queues.md).
ALTER TABLE cc_skill_group_member
  ADD COLUMN IF NOT EXISTS level TINYINT UNSIGNED NOT NULL DEFAULT 1;

-- Dedicated agent (专属坐席): calls from a contact go to this agent first.
CREATE TABLE IF NOT EXISTS cc_dedicated_agent (
  contact_id VARCHAR(32) NOT NULL PRIMARY KEY,
  user_id VARCHAR(32) NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY user_idx (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Numbers: `number` is the E.164 form the B2BUA matches the dialed number
-- against (normalized with the configured phone rules; a short service
-- number such as 95555 or 4001 stays as it is), `display` as the admin
-- typed it. usage: inbound, outbound (a caller ID), or both.
ALTER TABLE cc_number
  ADD COLUMN IF NOT EXISTS display VARCHAR(40) NOT NULL DEFAULT '' AFTER number,
  ADD COLUMN IF NOT EXISTS `usage` ENUM('inbound','outbound','both') NOT NULL DEFAULT 'inbound' AFTER name;

-- The caller IDs a group's agents may present on outbound calls.
CREATE TABLE IF NOT EXISTS cc_skill_group_number (
  skill_group_id INT UNSIGNED NOT NULL,
  number_id INT UNSIGNED NOT NULL,
  PRIMARY KEY (skill_group_id, number_id),
  KEY number_idx (number_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Agents disabled in the console keep their SIP account row (and history),
-- but Kamailio no longer authenticates them (enabled = 0); a SIP password
-- reset time shows when the password shown once was made.
ALTER TABLE cc_sip_account
  ADD COLUMN IF NOT EXISTS password_set_at DATETIME DEFAULT NULL;
