#!/usr/bin/env bash
# bench/rollup.sh: what one periodic run of the reports' rollup costs the
# database at a given hour's size (docs/reports.md, "How the figures are
# kept"). Starts a stack of its own (tests/integration/lib.sh: MariaDB,
# cc-web and nginx, private state, free ports, stopped on exit), generates
# BENCH_ROLLUP_PER_HOUR calls an hour (default 20,000) for 12 hours with
# sql/demo/history.sql (200 agents, each call's event log, the agents'
# state log) and moves them so the last ended a minute ago: the current
# and previous hour are full. After a rebuild, BENCH_ROLLUP_RUNS runs (5)
# each follow 15 s worth of new calls (copies of generated ones, with their
# logs, ending now); for each it prints the time of the run (POST refresh,
# which waits for it) and the rows the server read and sorted in it
# (Handler_read_* and Sort_rows of SHOW GLOBAL STATUS).
#
#   bench/rollup.sh                              prints a Markdown table
set -uo pipefail
. "$(dirname "$0")/../tests/integration/lib.sh"

per_hour=${BENCH_ROLLUP_PER_HOUR:-20000}
runs=${BENCH_ROLLUP_RUNS:-5}
batch=$(( per_hour / 240 ))
# Runs only when asked: the thread's own every 15 s would mix in.
export CC_WEB_OPTS="report_full_s=86400 report_rollup_s=3600"
stack_start --only db,web,nginx
web_setup rollup-bench
csrf=$(login admin "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
check "the admin signs in" test -n "$csrf"
ms_now() { date +%s%3N; }
refresh() { rollup_refresh admin "$csrf" "$1"; }
status() {
  sql "SELECT SUM(IF(variable_name LIKE 'HANDLER_READ%', variable_value, 0)),
              SUM(IF(variable_name = 'SORT_ROWS', variable_value, 0))
       FROM information_schema.global_status
       WHERE variable_name LIKE 'HANDLER_READ%' OR variable_name = 'SORT_ROWS'"
}

{ echo "SET @days = 1, @per_day = $(( per_hour * 12 )), @agents = 200, @group = $GROUP, @groups = 10, @number = 1;"
  cat "$top/sql/demo/history.sql"
  # The generated day, moved so its last call ended a minute ago.
  cat <<'SQL'
SET @d = TIMESTAMPDIFF(SECOND, (SELECT MAX(ended_at) FROM cc_call WHERE id LIKE 'h%'), NOW()) - 60;
UPDATE cc_call SET started_at = started_at + INTERVAL @d SECOND,
  enqueued_at = enqueued_at + INTERVAL @d SECOND, offered_at = offered_at + INTERVAL @d SECOND,
  answered_at = answered_at + INTERVAL @d SECOND, ended_at = ended_at + INTERVAL @d SECOND
  WHERE id LIKE 'h%';
UPDATE cc_call_event SET at = at + INTERVAL @d SECOND WHERE call_id LIKE 'h%';
UPDATE cc_agent_state_log SET at = at + INTERVAL @d SECOND WHERE at < CURDATE();
SQL
} | mariadb --no-defaults -S "$DB_SOCKET" -u root cc
hour_calls=$(sql "SELECT COUNT(*) FROM cc_call WHERE started_at >= NOW() - INTERVAL 1 HOUR")
check "the last hour holds $hour_calls calls" test "$hour_calls" -ge $(( per_hour * 3 / 4 ))
check "the rollups are built" refresh "?all=1"

# new R: $batch generated calls again as new ones (ids n<R>...), ending now.
new() {
  sql "CREATE TEMPORARY TABLE pick AS SELECT id FROM cc_call WHERE id LIKE 'h%'
         ORDER BY ended_at DESC LIMIT $batch;
       SET @d = TIMESTAMPDIFF(MICROSECOND, (SELECT MAX(ended_at) FROM cc_call JOIN pick USING (id)), NOW(3));
       INSERT INTO cc_call (id, sip_call_id, node, direction, caller, caller_norm, callee, number_id,
         skill_group_id, agent_id, offers, started_at, enqueued_at, offered_at, answered_at, ended_at,
         result, hangup_side, cause, end_state, survey_key)
       SELECT CONCAT('n$1', SUBSTR(id, 3)), CONCAT('n$1', sip_call_id), node, direction, caller,
         caller_norm, callee, number_id, skill_group_id, agent_id, offers,
         started_at + INTERVAL @d MICROSECOND, enqueued_at + INTERVAL @d MICROSECOND,
         offered_at + INTERVAL @d MICROSECOND, answered_at + INTERVAL @d MICROSECOND,
         ended_at + INTERVAL @d MICROSECOND, result, hangup_side, cause, end_state, survey_key
       FROM cc_call JOIN pick USING (id);
       INSERT INTO cc_call_event (call_id, at, event, skill_group_id, agent_id, detail)
       SELECT CONCAT('n$1', SUBSTR(call_id, 3)), at + INTERVAL @d MICROSECOND, event,
         skill_group_id, agent_id, detail
       FROM cc_call_event JOIN pick ON pick.id = cc_call_event.call_id"
}

table="| run | new calls | ms | rows read | rows sorted |
| ---: | ---: | ---: | ---: | ---: |"
for ((r = 1; r <= runs; r++)); do
  new "$r"
  read -r reads0 sorts0 < <(status)
  t0=$(ms_now)
  check "run $r" refresh ""
  ms=$(( $(ms_now) - t0 ))
  read -r reads1 sorts1 < <(status)
  table+="
| $r | $batch | $ms | $(( reads1 - reads0 )) | $(( sorts1 - sorts0 )) |"
done
grep -E 'reports: .*(failed|again)' "$logs/web.log" | sed 's/^/# /'
echo
echo "$hour_calls calls in the last hour, $(sql "SELECT COUNT(*) FROM cc_call_event WHERE at >= NOW() - INTERVAL 1 HOUR") events, $(sql "SELECT COUNT(*) FROM cc_agent_state_log WHERE at >= NOW() - INTERVAL 1 HOUR") state rows:"
echo
echo "$table"
finish
