-- Generated call history for the reports: @days days before today, @per_day
-- calls a day between 08:00 and 20:00 (the database's time zone), from
-- up to 5,000 callers (a third of a day's calls) to the demo's number, for @agents agents (ids from the
-- demo's agent1 on: 0u...0002, 0u...0003, ...), with each call's event log
-- and the agents' state log (signed in 08:00-20:00, lunch 12:00-13:00, and
-- the states of each call). Deterministic: the same parameters give the
-- same rows. Ids start with 'h' and the rows can be removed again with
-- `DELETE ... WHERE id LIKE 'h%'` (cc_call, cc_call_event.call_id).
--
--   SET @days = 1, @per_day = 300, @agents = 3, @group = 1, @groups = 1, @number = 1;
--
-- (@groups skill groups from @group on, by turns of seven calls.)
--
-- Used by `scripts/stack.sh start --demo --history` (make run: a day of
-- history) and by the reports' benchmark (bench/reports.sh: a month of a
-- million calls). The outcome of call n is decided by
-- (n * 2654435761) mod 100: 80 answered, 8 abandoned in the queue, 3 while
-- ringing, 3 in the IVR, 5 with no agent, 1 failed.
SET NAMES utf8mb4;
SET @t0 = UNIX_TIMESTAMP(CURDATE() - INTERVAL @days DAY);
SET @n = @days * @per_day;

INSERT INTO cc_call (id, sip_call_id, node, direction, caller, caller_norm, callee, number_id,
                     skill_group_id, agent_id, offers, started_at, enqueued_at, offered_at,
                     answered_at, ended_at, result, hangup_side, cause, end_state, survey_key)
SELECT id, CONCAT(id, '@history'), 'history', 'inbound', caller, CONCAT('+86', caller), '4001',
       @number, IF(kind IN ('ivr', 'failed'), NULL, @group + MOD(FLOOR(seq / 7), COALESCE(@groups, 1))),
       IF(kind IN ('answered', 'ring'), agent, NULL), IF(kind IN ('answered', 'ring'), 1, 0),
       FROM_UNIXTIME(t), IF(kind IN ('ivr', 'failed'), NULL, FROM_UNIXTIME(t + 5)),
       IF(kind IN ('answered', 'ring'), FROM_UNIXTIME(t + 5 + wait), NULL),
       IF(kind = 'answered', FROM_UNIXTIME(t + 5 + wait + ring), NULL),
       FROM_UNIXTIME(CASE kind WHEN 'answered' THEN t + 5 + wait + ring + talk
                              WHEN 'queue' THEN t + 5 + wait
                              WHEN 'ring' THEN t + 5 + wait + ring
                              WHEN 'ivr' THEN t + 4
                              WHEN 'no_agent' THEN t + 65
                              ELSE t + 1 END),
       CASE kind WHEN 'answered' THEN 'answered' WHEN 'no_agent' THEN 'no_agent'
                 WHEN 'failed' THEN 'failed' ELSE 'abandoned' END,
       CASE kind WHEN 'answered' THEN IF(MOD(seq, 2) = 0, 'caller', 'agent')
                 WHEN 'no_agent' THEN 'system' WHEN 'failed' THEN 'system' ELSE 'caller' END,
       CASE kind WHEN 'no_agent' THEN 'maximum wait' WHEN 'failed' THEN 'media unavailable'
                 ELSE NULL END,
       CASE kind WHEN 'answered' THEN 'bridged' WHEN 'queue' THEN 'queued'
                 WHEN 'ring' THEN 'offering' WHEN 'ivr' THEN 'flow' WHEN 'no_agent' THEN 'queued'
                 ELSE 'media' END,
       -- half the answered callers rate the call: 1 (satisfied) four times in five
       IF(kind = 'answered' AND MOD(seq, 2) = 0, IF(MOD(seq * 13, 5) = 0, '2', '1'), NULL)
FROM (
  SELECT seq, CONCAT('h', LPAD(HEX(seq), 31, '0')) id,
         CONCAT('1390000', LPAD(MOD(seq * 7919, LEAST(5000, GREATEST(50, @per_day DIV 3))), 4, '0')) caller,
         CONCAT('0u', LPAD(2 + MOD(seq, @agents), 30, '0')) agent,
         @t0 + FLOOR((seq - 1) / @per_day) * 86400 + 28800
           + FLOOR(MOD(seq - 1, @per_day) * 43200 / @per_day) t,
         FLOOR(POW(MOD(seq * 40503, 60), 2) / 60) wait, 2 + MOD(seq * 9973, 10) ring, 30 + MOD(seq * 31337, 400) talk,
         CASE WHEN MOD(seq * 2654435761, 100) < 80 THEN 'answered'
              WHEN MOD(seq * 2654435761, 100) < 88 THEN 'queue'
              WHEN MOD(seq * 2654435761, 100) < 91 THEN 'ring'
              WHEN MOD(seq * 2654435761, 100) < 94 THEN 'ivr'
              WHEN MOD(seq * 2654435761, 100) < 99 THEN 'no_agent'
              ELSE 'failed' END kind
  FROM seq_1_to_10000000 WHERE seq <= @n
) g;

-- Each call's log, as the B2BUA writes it.
INSERT INTO cc_call_event (call_id, at, event, skill_group_id, agent_id, detail)
SELECT id, started_at, 'start', skill_group_id, NULL, caller FROM cc_call
 WHERE node = 'history' AND started_at >= FROM_UNIXTIME(@t0)
UNION ALL
SELECT id, enqueued_at, 'enqueue', skill_group_id, NULL, NULL FROM cc_call
 WHERE node = 'history' AND started_at >= FROM_UNIXTIME(@t0) AND enqueued_at IS NOT NULL
UNION ALL
SELECT id, offered_at, 'offer', skill_group_id, agent_id, NULL FROM cc_call
 WHERE node = 'history' AND started_at >= FROM_UNIXTIME(@t0) AND offered_at IS NOT NULL
UNION ALL
SELECT id, offered_at, 'ringing', skill_group_id, agent_id, NULL FROM cc_call
 WHERE node = 'history' AND started_at >= FROM_UNIXTIME(@t0) AND offered_at IS NOT NULL
UNION ALL
SELECT id, answered_at, 'answer', skill_group_id, agent_id, NULL FROM cc_call
 WHERE node = 'history' AND started_at >= FROM_UNIXTIME(@t0) AND answered_at IS NOT NULL
UNION ALL
SELECT id, ended_at, 'offer_failed', skill_group_id, agent_id, 'caller_gone' FROM cc_call
 WHERE node = 'history' AND started_at >= FROM_UNIXTIME(@t0) AND end_state = 'offering'
UNION ALL
SELECT id, ended_at, 'end', skill_group_id, agent_id, result FROM cc_call
 WHERE node = 'history' AND started_at >= FROM_UNIXTIME(@t0);

-- The agents' days: signed in at 08:00, lunch at 12:00, signed out at 20:00;
-- and the states of each answered call outside lunch: ringing, talking, ten
-- seconds of wrap-up, ready.
INSERT INTO cc_agent_state_log (agent_id, at, state, reason, call_id)
SELECT CONCAT('0u', LPAD(2 + a.seq - 1, 30, '0')),
       FROM_UNIXTIME(@t0 + (d.seq - 1) * 86400 + s.off), s.state, s.reason, NULL
FROM seq_1_to_10000 a JOIN seq_1_to_1000 d
JOIN (SELECT 28800 off, 'ready' state, NULL reason UNION ALL
      SELECT 43200, 'not_ready', '午餐' UNION ALL
      SELECT 46800, 'ready', NULL UNION ALL
      SELECT 72000, 'logged_out', NULL) s
WHERE a.seq <= @agents AND d.seq <= @days
UNION ALL
SELECT agent_id, offered_at, 'reserved', NULL, id FROM cc_call
 WHERE node = 'history' AND started_at >= FROM_UNIXTIME(@t0) AND answered_at IS NOT NULL AND HOUR(offered_at) <> 12 AND HOUR(ended_at + INTERVAL 10 SECOND) <> 12
UNION ALL
SELECT agent_id, answered_at, 'on_call', NULL, id FROM cc_call
 WHERE node = 'history' AND started_at >= FROM_UNIXTIME(@t0) AND answered_at IS NOT NULL AND HOUR(offered_at) <> 12 AND HOUR(ended_at + INTERVAL 10 SECOND) <> 12
UNION ALL
SELECT agent_id, ended_at, 'wrap_up', NULL, id FROM cc_call
 WHERE node = 'history' AND started_at >= FROM_UNIXTIME(@t0) AND answered_at IS NOT NULL AND HOUR(offered_at) <> 12 AND HOUR(ended_at + INTERVAL 10 SECOND) <> 12
UNION ALL
SELECT agent_id, ended_at + INTERVAL 10 SECOND, 'ready', NULL, NULL FROM cc_call
 WHERE node = 'history' AND started_at >= FROM_UNIXTIME(@t0) AND answered_at IS NOT NULL
   AND HOUR(offered_at) <> 12 AND HOUR(ended_at + INTERVAL 10 SECOND) <> 12;
