-- 011: 外呼系统 > 免打扰号码 (docs/outbound.md, "Do-not-call list") lists a
-- do-not-call list newest first, a page at a time from a cursor (created_at,
-- number): this index serves it without sorting the list. The number
-- itself stays the primary key's.
SET NAMES utf8mb4;

ALTER TABLE cc_dnc ADD KEY IF NOT EXISTS recent_idx (task_id, created_at, number);
