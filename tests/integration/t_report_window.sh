#!/usr/bin/env bash
# The reports' periodic rollup folds only what was written since its last
# run (fcgi-app/report/window.c). After several runs, each with calls that
# ended and agents' state rows logged since the one before (one call
# committing late, its end before the last run's read; a break; a wrap-up
# closed before its call's row came), the current hours' rollup rows are
# those a rebuild of every hour gives, figure for figure; only the state
# time of the states still open runs on, by no more than the time between
# the two. A write by another cc-web, and a state row older than its
# agent's last, make the next run read the hours again.
. "$(dirname "$0")/lib.sh"

export CC_WEB_OPTS="report_full_s=86400"
stack_start --only db,web,nginx
web_setup window
csrf=$(login admin "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
check "the admin signs in" test -n "$csrf"

# refresh [all]: one run of the rollup (all: a rebuild of every hour).
refresh() { rollup_refresh admin "$csrf" "${1:+?all=1}"; }
# state AGENT SECONDS_AGO STATE [REASON] [CALL]: a row of the agent's state log.
state() {
  sql "INSERT INTO cc_agent_state_log (agent_id, at, state, reason, call_id)
       VALUES ('$1', NOW(3) - INTERVAL $2 SECOND, '$3', NULLIF('${4:-}', ''), NULLIF('${5:-}', ''))"
}
# call ID START_AGO END_AGO RESULT [AGENT]: an ended call of the group, its
# log (enqueued 2 s after it arrived, answered 3 s later by AGENT).
call() {
  local id=$1 s=$2 e=$3 result=$4 agent=${5:-}
  sql "INSERT INTO cc_call (id, sip_call_id, node, direction, caller, caller_norm, callee,
         skill_group_id, agent_id, started_at, enqueued_at, answered_at, ended_at, result, end_state)
       VALUES ('$id', '$id@test', 'test', 'inbound', '13800000000', '+8613800000000', '4001', $GROUP,
         NULLIF('$agent', ''), NOW(3) - INTERVAL $s SECOND, NOW(3) - INTERVAL $s - 2 SECOND,
         IF('$agent' = '', NULL, NOW(3) - INTERVAL $s - 5 SECOND), NOW(3) - INTERVAL $e SECOND,
         '$result', IF('$agent' = '', 'queued', 'bridged'));
       INSERT INTO cc_call_event (call_id, at, event, skill_group_id, agent_id)
       SELECT id, enqueued_at, 'enqueue', $GROUP, NULL FROM cc_call WHERE id = '$id';
       INSERT INTO cc_call_event (call_id, at, event, skill_group_id, agent_id)
       SELECT id, answered_at - INTERVAL 2 SECOND, 'offer', $GROUP, agent_id FROM cc_call
       WHERE id = '$id' AND agent_id IS NOT NULL;
       INSERT INTO cc_call_event (call_id, at, event, skill_group_id, agent_id)
       SELECT id, answered_at, 'answer', $GROUP, agent_id FROM cc_call
       WHERE id = '$id' AND agent_id IS NOT NULL"
}
gen() { sql "SELECT value FROM cc_setting WHERE name = 'report_gen'"; }

check "the rollups are built" refresh all
gen0=$(gen) hour0=$(date +%H)

# --- 1. agent1 answers a call and wraps up; agent2 goes on a break ---------------------
state "$A1" 50 ready
state "$A2" 50 not_ready lunch
state "$A1" 42 reserved "" w1
state "$A1" 40 on_call "" w1
state "$A1" 10 wrap_up "" w1
call w1 45 10 answered "$A1"
check "run 1" refresh

# --- 2. agent1 is ready again; a caller gives up in the queue ------------------------------
state "$A1" 0 ready
call w2 30 5 abandoned
run2=$(sql "SELECT ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000)")
check "run 2" refresh

# --- 3. a call that ended before run 2 read commits only now; agent2 is back, and
#        answers a call whose row comes after its wrap-up ended ----------------------------
call w3 40 10 abandoned
state "$A2" 20 ready
state "$A2" 15 reserved "" w4
state "$A2" 14 on_call "" w4
state "$A2" 6 wrap_up "" w4
state "$A2" 2 ready
check "run 3" refresh
call w4 16 6 answered "$A2"
check "run 4" refresh
expect_eq "call 3 ended before run 2 read" 1 \
  "$(sql "SELECT ROUND(UNIX_TIMESTAMP(ended_at) * 1000) < $run2 FROM cc_call WHERE id = 'w3'")"
if [ "$(date +%H)" = "$hour0" ]; then
  expect_eq "each run folded what was new into the hours it kept (no rebuild)" 4 "$(( $(gen) - gen0 ))"
else
  diag "an hour began during the runs: the first after it read its hours again"
fi
check "and said nothing of reading them again" bash -c "! grep -q 'read again' '$logs/web.log'"

# --- 4. another cc-web writes the rollups; then a state row of agent1's commits after a
#        later one: each time the next run reads the hours again -------------------------
again() { grep -c 'read again' "$logs/web.log"; }
sql "UPDATE cc_setting SET value = value + 1 WHERE name = 'report_gen'"
call w5 20 1 abandoned
check "run 5, after another cc-web's write" refresh
expect_eq "it read the current hours again" 1 "$(again)"
state "$A1" 0 ready
check "run 6" refresh
sql "INSERT INTO cc_agent_state_log (agent_id, at, state, reason)
     SELECT agent_id, at - INTERVAL 1000 MICROSECOND, 'not_ready', 'lunch' FROM cc_agent_state_log
     WHERE agent_id = '$A1' ORDER BY at DESC, id DESC LIMIT 1"
check "run 7, after agent1's row 1 ms before its last" refresh
expect_eq "it read them again too" 2 "$(again)"

# The runs' rows, then a rebuild's.
hours="hour_start >= UNIX_TIMESTAMP() - 7200"	# the current and previous hour
sql "CREATE TABLE t_hour AS SELECT * FROM cc_report_hour WHERE $hours;
     CREATE TABLE t_break AS SELECT * FROM cc_report_break WHERE $hours"
t_runs=$(date +%s%3N)
check "a rebuild of every hour" refresh all
elapsed=$(( $(date +%s%3N) - t_runs + 1000 ))
expect_eq "the calls: five offered in the runs' rows" 5 "$(sql "SELECT SUM(offered) FROM t_hour WHERE dim = 'center'")"

cols=$(sql "SELECT GROUP_CONCAT(column_name) FROM information_schema.columns
            WHERE table_schema = 'cc' AND table_name = 'cc_report_hour'
            AND column_name NOT IN ('dim', 'dim_key', 'hour_start', 'day', 'lhour')")
exact="" runs_on=""
for c in ${cols//,/ }; do
  case $c in
    st_ready|st_signed_in) runs_on+=" OR NOT (b.$c - a.$c BETWEEN 0 AND $elapsed)" ;;
    *) exact+=" OR NOT (a.$c <=> b.$c)" ;;
  esac
done
join="t_hour a JOIN cc_report_hour b USING (dim, dim_key, hour_start)"
expect_eq "the same rows" "$(sql "SELECT COUNT(*) FROM t_hour")" \
  "$(sql "SELECT COUNT(*) FROM cc_report_hour WHERE $hours")"
expect_eq "each with its key in both" "$(sql "SELECT COUNT(*) FROM t_hour")" "$(sql "SELECT COUNT(*) FROM $join")"
differ=$(sql "SELECT COALESCE(GROUP_CONCAT(CONCAT(dim, ' ', dim_key, ' ', hour_start)), '') FROM $join WHERE FALSE $exact")
expect_eq "every figure the same but open state time" "" "$differ"
expect_eq "open state time the same, up to the time between them (${elapsed} ms)" "" \
  "$(sql "SELECT COALESCE(GROUP_CONCAT(CONCAT(dim, ' ', dim_key)), '') FROM $join WHERE FALSE $runs_on")"
expect_eq "both wrap-ups have their calls' group (agent2's came before its call's row)" 2 \
  "$(sql "SELECT SUM(wrap_n) FROM t_hour WHERE dim = 'group' AND dim_key = '$GROUP'")"
expect_eq "the breaks the same" "" \
  "$(sql "SELECT COALESCE(GROUP_CONCAT(a.reason), '') FROM t_break a LEFT JOIN cc_report_break b
          USING (hour_start, agent_id, reason) WHERE NOT (a.ms <=> b.ms)")"
expect_eq "as many" "$(sql "SELECT COUNT(*) FROM t_break")" \
  "$(sql "SELECT COUNT(*) FROM cc_report_break WHERE $hours")"

finish
