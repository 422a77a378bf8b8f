-- 014: 未接来电, the missed-call worklist (docs/missed-calls.md). The
-- worklist itself is computed by cc-web from cc_call (calls abandoned in
-- a queue or while an agent's phone rang, and calls that reached no
-- agent); the B2BUA writes nothing new. These two tables hold what the
-- agents did about it:
--
-- cc_missed_claim: who is calling a number back for a group. One row per
-- (group, number): one callback covers every open missed call of that
-- number in that group, so the claim is on the number, and claiming is one
-- conditional write on that key (two agents at once: one wins). A claim
-- older than cc-web's missed_claim_minutes no longer counts (another agent
-- may take it); an outcome or a release deletes the row. `number` is the
-- calls' caller_norm, or "call:<id>" for a call without one (never grouped).
--
-- cc_missed: the outcome, one row per missed call it closed (written for
-- every open missed call of the number in the group at once).
SET NAMES utf8mb4;

CREATE TABLE IF NOT EXISTS cc_missed_claim (
  skill_group_id INT UNSIGNED NOT NULL,
  number VARCHAR(40) NOT NULL,
  claimed_by VARCHAR(32) NOT NULL,
  claimed_name VARCHAR(255) NOT NULL DEFAULT '',
  claimed_at DATETIME(3) NOT NULL,
  PRIMARY KEY (skill_group_id, number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS cc_missed (
  call_id CHAR(32) NOT NULL PRIMARY KEY,
  skill_group_id INT UNSIGNED NOT NULL,
  number VARCHAR(40) NOT NULL,
  outcome ENUM('reached','no_answer','wrong_number','not_needed') NOT NULL,
  outcome_note VARCHAR(500) DEFAULT NULL,
  done_by VARCHAR(32) NOT NULL,
  done_name VARCHAR(255) NOT NULL DEFAULT '',
  done_at DATETIME(3) NOT NULL,
  KEY number_idx (skill_group_id, number),
  KEY done_idx (done_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
