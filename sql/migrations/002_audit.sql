-- The admin console's audit log: every change made in the console, who made
-- it, when, from where, and the fields before and after. Append-only: rows
-- are never updated or deleted (the triggers refuse it; only uninstalling
-- with purge drops the table).
CREATE TABLE IF NOT EXISTS cc_audit_log (
  id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  at DATETIME(3) NOT NULL,
  user_id VARCHAR(32) NOT NULL,
  username VARCHAR(64) NOT NULL DEFAULT '',
  addr VARCHAR(45) NOT NULL DEFAULT '',
  resource VARCHAR(32) NOT NULL,
  item_id VARCHAR(64) NOT NULL DEFAULT '',
  action VARCHAR(24) NOT NULL,
  before_json MEDIUMTEXT DEFAULT NULL,
  after_json MEDIUMTEXT DEFAULT NULL,
  KEY cc_audit_at (at),
  KEY cc_audit_resource (resource, item_id),
  KEY cc_audit_user (user_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TRIGGER IF NOT EXISTS cc_audit_log_no_update BEFORE UPDATE ON cc_audit_log
  FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'cc_audit_log is append-only';
CREATE TRIGGER IF NOT EXISTS cc_audit_log_no_delete BEFORE DELETE ON cc_audit_log
  FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'cc_audit_log is append-only';
