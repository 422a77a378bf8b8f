#!/usr/bin/env bash
# The B2BUA killed (kill -9) with calls in every stage: one bridged to an
# agent, one ringing an agent, one queued, one in an IVR menu, and an
# outbound task's customer talking to an agent. Restarted
# under the same node name: within 10 s every agent's state is consistent
# (cc_agent and agent.list agree; no agent reserved or on a call that no
# longer exists), every record of the killed process is closed once with a
# cause, the day's counts and the state log are not doubled, and calls are
# answered again; the task's customer counts as reached, not called again.
. "$(dirname "$0")/lib.sh"

export CC_B2BUA_OPTS="task_poll_ms=300"
stack_start
three_agents 60 120 "-set answer_ms 300" "-set noanswer 1" "-set answer_ms 300"

# caller_bg NAME NUMBER CALLER: a call that stays up until the test ends.
caller_bg() {
  background caller "$1" "$2" -i 127.0.0.1 -set caller "$3" -set until_notify 1
}
# row_of CALLER: the id of the newest record from CALLER (final or not).
row_of() { sql "SELECT id FROM cc_call WHERE caller = '$1' ORDER BY started_at DESC LIMIT 1"; }
has_row() { [ -n "$(row_of "$1")" ]; }
answered_row() { [ "$(sql "SELECT answered_at IS NOT NULL FROM cc_call WHERE caller = '$1'")" = 1 ]; }
in_state() { ctl call.list | jqe --arg s "$1" --arg c "$2" '.calls[] | select(.state == $s and .caller == $c)' >/dev/null; }
stored() { [ "$(sql "SELECT state FROM cc_agent WHERE user_id = '$1'")" = "$2" ]; }

# --- 1. four calls, one in each stage ---------------------------------------------------
ready "$A1"
caller_bg c1 "$NUMBER" 13500000001
check "call 1 is bridged to agent1" eventually 30 in_state bridged 13500000001
check "and its record says answered" eventually 20 answered_row 13500000001
check "agent1's row says on_call" eventually 20 stored "$A1" on_call
set_state "$A2" ready
caller_bg c2 "$NUMBER" 13500000002
check "call 2 rings agent2" eventually 30 in_state offering 13500000002
check "agent2's row says reserved" eventually 20 stored "$A2" reserved
# The carrier's gateway: the customer answers and stays until the end.
background timeout 300 sipp "127.0.0.1:$SIP_PORT" -nostdin -m 1 -sf "$sipdir/gateway/customers.xml" \
  -i "$OUTBOUND_IP" -p "$OUTBOUND_PORT" -mi "$OUTBOUND_IP" -trace_msg -message_file "$logs/sipp-cust.msg" \
  >"$logs/sipp-cust.out" 2>&1
listening() { ss -Hlnu "sport = :$OUTBOUND_PORT" | grep -q .; }
eventually 10 listening || diag "the customers' sipp did not start listening"
TASK=$(sql "INSERT INTO cc_task (name, skill_group_id, caller_id_number_id, caller_id, max_concurrency,
         agent_ratio, pacing, max_attempts, min_interval_s, retry_results, hours, time_zone, state,
         created_by, targets_total)
       VALUES ('重启回访', $GROUP, 0, '4300', 1, 100, 'ratio', 3, 0, 'failed,no_answer', '',
         'Asia/Shanghai', 'stopped', '$ADMIN', 1); SELECT LAST_INSERT_ID()")
sql "INSERT INTO cc_task_target (task_id, number, data) VALUES ($TASK, '13900000060', '{}')"
set_state "$A3" ready
sql "UPDATE cc_task SET state = 'running', started_at = NOW(3) WHERE id = $TASK"
ctl task.wake >/dev/null
task_bridged() { ctl call.list | jqe '.calls[] | select(.state == "bridged" and .agent == "'"$A3"'")' >/dev/null; }
check "the task's customer talks to agent3" eventually 30 task_bridged
task_answered() { [ "$(sql "SELECT COUNT(*) FROM cc_call WHERE task_id = $TASK AND answered_at IS NOT NULL")" = 1 ]; }
check "and its record says answered" eventually 20 task_answered
sql "UPDATE cc_task SET state = 'stopped', stopped_at = NOW(3) WHERE id = $TASK"
caller_bg c3 "$NUMBER" 13500000003
check "call 3 waits in the queue" eventually 30 in_state queued 13500000003
caller_bg c4 4002 13500000004
check "call 4 is in the IVR menu" eventually 30 in_state flow 13500000004
for c in 13500000001 13500000002 13500000003 13500000004; do
  eventually 20 has_row "$c" || diag "no record for $c before the kill"
done
calls_before=$(sql "SELECT COUNT(*) FROM cc_call WHERE node = 'node1'")
log_before=$(sql "SELECT COUNT(*) FROM cc_agent_state_log WHERE agent_id IN ('$A1', '$A2', '$A3')")

# --- 2. kill -9 and restart ---------------------------------------------------------------
killed_ms=$(date +%s%3N)
check "the B2BUA is killed" svc_kill b2bua-1
expect_eq "its five records are left open" 5 \
  "$(sql "SELECT COUNT(*) FROM cc_call WHERE node = 'node1' AND ended_at IS NULL")"
check "the B2BUA starts again (same node)" svc_restart b2bua
restarted_ms=$(date +%s%3N)

if eventually 10 agents_consistent; then
  ok "within 10 s the agents' rows and the B2BUA agree, nobody reserved or on a lost call"
else
  not_ok "agents consistent within 10 s: $(agents_seen)"
fi
expect_eq "agent1, agent2 and agent3 are ready again" "ready ready ready" \
  "$(echo "$(agent_state "$A1") $(agent_state "$A2") $(agent_state "$A3")")"

# --- 3. the records of the killed process: closed, once ---------------------------------------
closed() { [ "$(sql "SELECT COUNT(*) FROM cc_call WHERE node = 'node1' AND ended_at IS NULL")" = 0 ]; }
check "every record of the killed process is closed" eventually 10 closed
expect_eq "no record lost nor added by the restart" "$calls_before" \
  "$(sql "SELECT COUNT(*) FROM cc_call WHERE node = 'node1'")"
expect_eq "each with its result, ended by the system, cause 'node restarted'" \
  "13500000001 answered system node restarted
13500000002 failed system node restarted
13500000003 failed system node restarted
13500000004 failed system node restarted" \
  "$(sql "SELECT caller, result, hangup_side, cause FROM cc_call WHERE caller LIKE '1350000000_' ORDER BY caller" | tr '\t' ' ')"
expect_eq "ended when the new process started (after the kill, before it answered)" 4 \
  "$(sql "SELECT COUNT(*) FROM cc_call WHERE caller LIKE '1350000000_'
          AND ended_at >= FROM_UNIXTIME($killed_ms DIV 1000) AND ended_at <= FROM_UNIXTIME($restarted_ms / 1000)")"
expect_eq "the bridged call keeps its agent" "$A1" "$(col "$(row_of 13500000001)" agent_id)"
expect_eq "the task's call: answered by agent3, ended by the system" "answered system node restarted $A3" \
  "$(sql "SELECT CONCAT_WS(' ', result, hangup_side, cause, agent_id) FROM cc_call WHERE task_id = $TASK")"
task_settled() { [ "$(sql "SELECT state FROM cc_task_target WHERE task_id = $TASK")" = answered ]; }
check "its customer counts as reached (answered), not to be called again" eventually 20 task_settled
expect_eq "one attempt, answered; the task counts one call, answered" "1 answered 1 1 1" \
  "$(sql "SELECT t.attempts, a.result, k.calls_total, k.calls_answered, k.targets_done FROM cc_task_target t
          JOIN cc_task_attempt a ON a.target_id = t.id JOIN cc_task k ON k.id = t.task_id WHERE t.task_id = $TASK" | tr '\t' ' ')"
ends() { sql "SELECT GROUP_CONCAT(n ORDER BY caller SEPARATOR ' ') FROM (SELECT c.caller, COUNT(e.id) n FROM cc_call c
              LEFT JOIN cc_call_event e ON e.call_id = c.id AND e.event = 'end' WHERE c.caller LIKE '1350000000_' GROUP BY c.caller) x"; }
expect_eq "each record's event log has one end line" "1 1 1 1" "$(ends)"
log_after=$(sql "SELECT COUNT(*) FROM cc_agent_state_log WHERE agent_id IN ('$A1', '$A2', '$A3')")
expect_eq "the state log has one line per agent taken off a lost call" 3 \
  "$((log_after - log_before))"
expect_eq "those lines say ready, without a call" "$A1 ready -
$A2 ready -
$A3 ready -" \
  "$(sql "SELECT agent_id, state, COALESCE(call_id, '-') FROM cc_agent_state_log WHERE agent_id IN ('$A1', '$A2', '$A3')
          ORDER BY id DESC LIMIT 3" | tr '\t' ' ' | sort)"

# --- 4. a second restart changes nothing -------------------------------------------------------
snapshot() { sql "SELECT GROUP_CONCAT(CONCAT(id, result, ended_at) ORDER BY id) FROM cc_call WHERE node = 'node1';
                SELECT CONCAT_WS(' ', state, attempts) FROM cc_task_target WHERE task_id = $TASK"; }
before=$(snapshot)
check "the B2BUA restarts once more" svc_restart b2bua
check "it is ready" eventually 20 eval '[ "$(ctl ping | jq -r .ready)" = true ]'
check "and its directory is in" eventually 20 eval '[ "$(ctl ping | jq -r .dir_loaded)" -ge 1 ]'
check "agents still consistent" eventually 10 agents_consistent
expect_eq "the closed records are not closed again" "$before" "$(snapshot)"
expect_eq "nor their end lines written again" "1 1 1 1" "$(ends)"
expect_eq "nor the state log" "$log_after" \
  "$(sql "SELECT COUNT(*) FROM cc_agent_state_log WHERE agent_id IN ('$A1', '$A2', '$A3')")"

# --- 5. calls are answered again, the day's counts not doubled ------------------------------
set_state "$A2" logged_out
set_state "$A3" logged_out
caller_bg c5 "$NUMBER" 13500000005
c5=$BG_PID
check "a new call is bridged" eventually 30 in_state bridged 13500000005
hang_up c5 "$c5"
id=$(call_of c5)
expect_eq "a new call is answered by agent1" "answered $A1" "$(col "$id" "CONCAT_WS(' ', result, agent_id)")"
check "agent1 is ready after it" eventually 10 state_is "$A1" ready
expect_eq "agent1's answered calls today: the lost one and the new one" 2 \
  "$(sql "SELECT COUNT(*) FROM cc_call WHERE agent_id = '$A1' AND answered_at IS NOT NULL AND started_at >= CURDATE()")"
check "the agents' consistency holds after the new call" eventually 10 agents_consistent

finish
