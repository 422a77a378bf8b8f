-- 007: an IVR flow's dial node (docs/ivr.md): a call handed to an external
-- number through the outbound gateway. Such a call is answered with no
-- agent: result 'answered', agent_id NULL, transfer_to the number that
-- answered; hangup_side 'external' when that number hung up first.
SET NAMES utf8mb4;

ALTER TABLE cc_call
  ADD COLUMN IF NOT EXISTS transfer_to VARCHAR(40) DEFAULT NULL AFTER agent_id,
  MODIFY COLUMN hangup_side ENUM('caller','agent','system','external') DEFAULT NULL;
