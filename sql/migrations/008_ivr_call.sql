-- 008: what an IVR flow adds to a call's record (docs/ivr.md): the key the
-- caller gave a satisfaction survey, and the flow's variables when the call
-- ended (a JSON object: the caller's and dialed numbers, the contact's
-- fields, the digits collected, what HTTP nodes and set nodes set).
SET NAMES utf8mb4;

ALTER TABLE cc_call
  ADD COLUMN IF NOT EXISTS survey_key CHAR(1) DEFAULT NULL,
  ADD COLUMN IF NOT EXISTS ivr_vars TEXT DEFAULT NULL;
