-- 018: transfers in the reports' rollups (docs/reports.md): xfer_out, the
-- calls an agent transferred (counted per transfer), and xfer_in, the
-- answers after an agent's transfer; fcgi-app/report/report.h's REP_COLS.
-- Rows rolled up before stay 0 until their hours are rewritten; the
-- report_zone setting is dropped so that cc-web's next start rebuilds every
-- rollup with them (and with hold time, which talk time no longer holds).
SET NAMES utf8mb4;

ALTER TABLE cc_report_hour
  ADD COLUMN IF NOT EXISTS xfer_out BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS xfer_in BIGINT NOT NULL DEFAULT 0;

ALTER TABLE cc_report_day
  ADD COLUMN IF NOT EXISTS xfer_out BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS xfer_in BIGINT NOT NULL DEFAULT 0;

DELETE FROM cc_setting WHERE name = 'report_zone';
