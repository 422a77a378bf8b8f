-- 012: what the agent records about a call on the workbench (docs/outbound.md,
-- "The agent's side"): the customer's intent (意向, one of the codes of
-- CALL_INTENTS in fcgi-app/contacts/contact.h) and a note (备注), one row
-- per call, written with the contact's save; a report counts intents per
-- task from task_id. The task_id and target_id columns of cc_call are the
-- dialer's (010); they are declared here too so that either migration may
-- run first.
SET NAMES utf8mb4;

ALTER TABLE cc_call
  ADD COLUMN IF NOT EXISTS task_id INT UNSIGNED DEFAULT NULL,
  ADD COLUMN IF NOT EXISTS target_id BIGINT UNSIGNED DEFAULT NULL;

CREATE TABLE IF NOT EXISTS cc_call_note (
  call_id CHAR(32) NOT NULL PRIMARY KEY,
  agent_id VARCHAR(32) NOT NULL,
  contact_id VARCHAR(32) DEFAULT NULL,
  task_id INT UNSIGNED DEFAULT NULL,
  target_id BIGINT UNSIGNED DEFAULT NULL,
  intent VARCHAR(24) DEFAULT NULL,
  note TEXT DEFAULT NULL,
  saved_by VARCHAR(32) NOT NULL,
  saved_at DATETIME(3) NOT NULL,
  KEY task_intent_idx (task_id, intent),
  KEY agent_idx (agent_id, saved_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
