#!/usr/bin/env bash
# bench/records.sh: 通话记录's list at scale (docs/reports.md, "Call records").
# Starts a stack of its own (tests/integration/lib.sh: private state, free
# ports, stopped on exit), fills cc_call with BENCH_RECORDS_ROWS calls (default
# 200,000: one every 13 s over 30 days, three agents, two groups, a fifth of
# them abandoned in the queue), then asks /cc/api/records as the admin for
# one page of 50 with each kind of filter and prints, per request, the
# milliseconds through nginx and the rows MariaDB's handlers read (the
# server's Handler_read_* counters before and after: a page that uses its
# index reads about 50; one that scans reads the range).
#
#   bench/records.sh            prints a Markdown table
set -uo pipefail
. "$(dirname "$0")/../tests/integration/lib.sh"

rows=${BENCH_RECORDS_ROWS:-200000}
stack_start
web_setup records-bench

sql "SET SESSION max_recursive_iterations = $rows;
INSERT INTO cc_call (id, sip_call_id, node, direction, caller, caller_norm, callee, number_id,
  skill_group_id, agent_id, started_at, enqueued_at, answered_at, ended_at, result, hangup_side, end_state)
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $rows)
SELECT LPAD(HEX(n), 32, '0'), CONCAT('bench-', n), 'n1', 'inbound',
  CONCAT('139', LPAD(n MOD 100000, 8, '0')), CONCAT('+86139', LPAD(n MOD 100000, 8, '0')), '$NUMBER',
  1, $GROUP, ELT(1 + n MOD 3, '$A1', '$A2', '$A3'),
  NOW(3) - INTERVAL n * 13 SECOND, NOW(3) - INTERVAL n * 13 SECOND + INTERVAL 2 SECOND,
  IF(n MOD 5 = 0, NULL, NOW(3) - INTERVAL n * 13 SECOND + INTERVAL 5 SECOND),
  NOW(3) - INTERVAL n * 13 SECOND + INTERVAL 60 SECOND,
  IF(n MOD 5 = 0, 'abandoned', 'answered'), 'caller', IF(n MOD 5 = 0, 'queued', 'bridged')
FROM s; ANALYZE TABLE cc_call" >/dev/null
check "$rows calls in cc_call" test "$(sql "SELECT COUNT(*) FROM cc_call")" -ge "$rows"
ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
check "the admin signs in" test -n "$ta"

reads() { sql "SELECT SUM(VARIABLE_VALUE) FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN
  ('HANDLER_READ_FIRST', 'HANDLER_READ_KEY', 'HANDLER_READ_LAST', 'HANDLER_READ_NEXT', 'HANDLER_READ_PREV', 'HANDLER_READ_RND_NEXT')"; }
# page LABEL QUERY: one request; its time and the handler reads it cost
# (less what the counting query itself reads, measured once).
r0=$(reads); r1=$(reads); zero=$((r1 - r0))
table="| filter | query | ms | rows read |
| --- | --- | ---: | ---: |"
page() {
  local before after t0 t1 st
  before=$(reads)
  t0=$(date +%s%N)
  st=$(http p -b "$tmp/ja" "$base/cc/api/records?$2")
  t1=$(date +%s%N)
  after=$(reads)
  [ "$st" = 200 ] || not_ok "$1: status $st"
  table="$table
| $1 | \`$2\` | $(( (t1 - t0) / 1000000 )) | $(( after - before - zero )) |"
}
FROM="from=2000-01-01"
page "everyone, newest" "$FROM"
page "everyone, 100 pages deep (cursor)" "$FROM&after=$(sql "SELECT CONCAT('c1.', FLOOR(UNIX_TIMESTAMP(started_at) * 1000), '.', id) FROM cc_call ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET 4999")"
page "an agent" "$FROM&agent=$A2"
page "a group" "$FROM&group=$GROUP"
page "a whole number" "$FROM&number=%2B8613900000123"
page "a part of a number" "$FROM&number=00000123"
page "abandoned in the queue" "$FROM&stage=queue"
page "today (the default)" ""
echo "$table"
finish
