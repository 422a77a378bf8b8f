-- 019: the caller lookup's order kept in the phone index (docs/lookup.md).
-- When several contacts hold a number, the most recently touched one pops
-- (then the most recently updated). Ordering by the helpdesk's columns cost
-- MariaDB a temporary table and a filesort on every call; with the two times
-- copied into each cc_contact_phone row (by the index sync and the
-- workbench's save, from the contacts table), phone_rank serves
-- `WHERE phone = ? ORDER BY touched DESC, updated DESC LIMIT 1` read
-- backwards, and a number shared by thousands of contacts reads one row.
-- Rows indexed before have no times: the contact_index_since watermark is
-- dropped so that the B2BUA's next sync indexes every contact again.
SET NAMES utf8mb4;

ALTER TABLE cc_contact_phone
  ADD COLUMN IF NOT EXISTS touched DATETIME DEFAULT NULL,
  ADD COLUMN IF NOT EXISTS updated DATETIME DEFAULT NULL,
  ADD KEY IF NOT EXISTS phone_rank (phone, touched, updated);

DELETE FROM cc_setting WHERE name = 'contact_index_since';
