#!/usr/bin/env bash
# Outbound tasks with real calls (docs/outbound.md): the B2BUA's dialer
# reads a running task, claims its targets and calls each customer through
# Kamailio's outbound gateway (sipp, tests/sip/gateway/customers.xml: the
# last digit of the number says whether the customer answers, is busy,
# rejects, never answers or does not exist) showing the task's caller ID.
# A customer who answers is queued at the front of the group and bridged to
# the agent (whose screen pops with the target's data); the task stops by
# itself once every target is done; concurrency stays within the maximum and
# within agents x ratio (from the call records); a customer who answers
# when no agent is free within 2 s hears the abandon message; the results
# are settled per target and retried by the task's rules; a B2BUA killed in
# the middle of a task loses nothing and dials nothing twice.
. "$(dirname "$0")/lib.sh"

export CC_B2BUA_OPTS="dial_ring_timeout_s=4 task_poll_ms=300"
stack_start
CALLER_ID=4300

# customers NAME CALLS ARGS...: the carrier's gateway with the customers
# behind it, for CALLS calls, in the background ($BG_PID), listening.
customers() {
  local name=$1 calls=$2; shift 2
  SIPP_LIMIT_S=300 background timeout 300 sipp "127.0.0.1:$SIP_PORT" -nostdin -m "$calls" \
    -sf "$sipdir/gateway/customers.xml" -i "$OUTBOUND_IP" -p "$OUTBOUND_PORT" -mi "$OUTBOUND_IP" \
    -trace_msg -message_file "$logs/sipp-$name.msg" -trace_err -error_file "$logs/sipp-$name.err" \
    "$@" >"$logs/sipp-$name.out" 2>&1
  diag "$(ss -Hlnup "sport = :$OUTBOUND_PORT")"
  listening() { ss -Hlnu "sport = :$OUTBOUND_PORT" | grep -q .; }
  eventually 10 listening || diag "the customers' sipp did not start listening"
}
# task NAME MAX RATIO PACING ATTEMPTS RETRY_RESULTS: a new stopped task of
# the demo group; prints its id.
task() {
  sql "INSERT INTO cc_task (name, skill_group_id, caller_id_number_id, caller_id, max_concurrency,
         agent_ratio, pacing, max_attempts, min_interval_s, retry_results, hours, time_zone,
         state, created_by)
       VALUES ('$1', $GROUP, 0, '$CALLER_ID', $2, $3, '$4', $5, 0, '$6', '', 'Asia/Shanghai',
         'stopped', '$ADMIN'); SELECT LAST_INSERT_ID()"
}
# targets TASK NUMBER...: its targets, each with a pop column.
targets() {
  local t=$1 n v=""; shift
  for n in "$@"; do v+="${v:+,}($t, '$n', JSON_OBJECT('订单号', 'A-$n'))"; done
  sql "INSERT INTO cc_task_target (task_id, number, data) VALUES $v;
       UPDATE cc_task SET targets_total = (SELECT COUNT(*) FROM cc_task_target WHERE task_id = $t) WHERE id = $t"
}
start_task() { sql "UPDATE cc_task SET state = 'running', started_at = NOW(3) WHERE id = $1 AND state = 'stopped'"; ctl task.wake >/dev/null; }
task_state() { sql "SELECT state FROM cc_task WHERE id = $1"; }
task_is() { [ "$(task_state "$1")" = "$2" ]; }
target_state() { sql "SELECT state FROM cc_task_target WHERE task_id = $1 AND number = '$2'"; }
# states TASK: "number:state" of its targets, in number order.
states() { sql "SELECT GROUP_CONCAT(CONCAT(number, ':', state) ORDER BY number SEPARATOR ' ') FROM cc_task_target WHERE task_id = $1"; }
# peak TASK: the most calls of the task up at the same moment (cc_call).
peak() {
  sql "SELECT COALESCE(MAX(n), 0) FROM (SELECT (SELECT COUNT(*) FROM cc_call b WHERE b.task_id = $1
         AND b.started_at <= a.started_at AND (b.ended_at IS NULL OR b.ended_at > a.started_at)) n
       FROM cc_call a WHERE a.task_id = $1) x"
}
# row SQL: one row, its columns separated by spaces.
row() { sql "$1" | tr '\t' ' '; }
records_done() { [ "$(sql "SELECT COUNT(*) FROM cc_call WHERE task_id = $1 AND ended_at IS NULL")" = 0 ]; }

sql "UPDATE cc_skill_group SET ring_timeout_s = 30, max_wait_s = 30, wrapup_s = 0, no_answer_break = 0"
check "the B2BUA reloads its directory" reload_dir
phone a1 1
phone a2 2
both_registered() { registered "$A1" && registered "$A2"; }
check "two agents' phones register" eventually 30 both_registered
ready "$A1" "$A2"

# --- 1. a task runs to its end: every result, and it stops by itself ---------------------
# Numbers: ...0 and ...5-9 answer, ...1 busy, ...2 reject, ...3 never answer, ...4 invalid.
customers c1 40 -set answer_ms 200 -set hangup_ms 1500
gw=$BG_PID
T1=$(task "第一批回访" 3 100 ratio 2 busy)
targets "$T1" 13900000010 13900000011 13900000012 13900000013 13900000014 13900000015 13900000016
expect_eq "the task is stopped before it starts" stopped "$(task_state "$T1")"
start_task "$T1"
check "the dialer takes the running task" eventually 10 \
  eval '[ "$(ctl task.list | jq --argjson t "$T1" "[.tasks[] | select(.id == \$t)] | length")" = 1 ]'
check "the task goes back to stopped by itself once every target is dialed" eventually 90 task_is "$T1" stopped
check "and its calls' records are complete" eventually 20 records_done "$T1"
expect_eq "each target has its result (busy retried once: two attempts)" \
  "13900000010:answered 13900000011:busy 13900000012:rejected 13900000013:no_answer 13900000014:invalid 13900000015:answered 13900000016:answered" \
  "$(states "$T1")"
expect_eq "busy was called twice, the others once" "2 1" \
  "$(row "SELECT MAX(attempts), MIN(attempts) FROM cc_task_target WHERE task_id = $T1")"
expect_eq "an attempt row per call, each with its result" "8 0" \
  "$(row "SELECT COUNT(*), SUM(result IS NULL) FROM cc_task_attempt WHERE task_id = $T1")"
expect_eq "each attempt's call is an outbound call record of the task" 8 \
  "$(sql "SELECT COUNT(*) FROM cc_task_attempt a JOIN cc_call c ON c.id = a.call_id WHERE a.task_id = $T1 AND c.direction = 'outbound' AND c.task_id = $T1")"
expect_eq "the answered ones were taken by an agent" 3 \
  "$(sql "SELECT COUNT(*) FROM cc_call WHERE task_id = $T1 AND result = 'answered' AND agent_id IN ('$A1', '$A2')")"
expect_eq "the task's counters" "7 7 8 3 0" \
  "$(row "SELECT targets_total, targets_done, calls_total, calls_answered, calls_abandoned FROM cc_task WHERE id = $T1")"
p=$(peak "$T1")
check "at most 3 calls at once (the maximum; 2 agents x 1.0 while they wait): $p" \
  eval '[ "$p" -ge 1 ] && [ "$p" -le 3 ]'
check "the gateway saw the task's caller ID $CALLER_ID" \
  grep -q "^From: .*<sip:$CALLER_ID@" "$logs/sipp-c1.msg"
check "and late offers: an INVITE without SDP, the answer in the ACK" \
  eval '[ "$(grep -c "^m=audio" "$logs/sipp-c1.msg")" -ge 6 ]'
a=$(sql "SELECT id FROM cc_call WHERE task_id = $T1 AND caller = '$CALLER_ID' AND callee = '13900000010' AND caller_norm = '+8613900000010'")
expect_eq "the answered call's log has the task's steps" "dialing ringing answered connected" \
  "$(sql "SELECT GROUP_CONCAT(SUBSTRING_INDEX(SUBSTRING_INDEX(detail, ' ', 4), ' ', -1) ORDER BY id SEPARATOR ' ') FROM cc_call_event WHERE call_id = '$a' AND event = 'task'")"
stop_background "$gw"

# --- 2. one agent, two customers answering at once: one is abandoned ---------------------
ready "$A1"
customers c2 2 -set hangup_ms 12000
gw=$BG_PID
T2=$(task "放弃测试" 2 200 ratio 1 busy)
targets "$T2" 13900000020 13900000025
start_task "$T2"
check "task 2 stops by itself" eventually 60 task_is "$T2" stopped
expect_eq "one customer talked to the agent, the other was abandoned" "abandoned answered" \
  "$(sql "SELECT GROUP_CONCAT(state ORDER BY CONCAT(state) SEPARATOR ' ') FROM cc_task_target WHERE task_id = $T2")"
ab=$(sql "SELECT last_call_id FROM cc_task_target WHERE task_id = $T2 AND state = 'abandoned'")
expect_eq "the abandoned customer heard the message" 1 \
  "$(sql "SELECT COUNT(*) FROM cc_call_event WHERE call_id = '$ab' AND event = 'prompt' AND detail LIKE '%sys-task-abandon.wav%'")"
expect_eq "the call's record: abandoned, ended by the system" "abandoned system" \
  "$(row "SELECT result, hangup_side FROM cc_call WHERE id = '$ab'")"
expect_eq "the task counts it" 1 "$(sql "SELECT calls_abandoned FROM cc_task WHERE id = $T2")"
stop_background "$gw"

# --- 3. stop: calls up finish, no new one starts; start again continues -------------------
ready "$A1" "$A2"
customers c3 20 -set answer_ms 200 -set hangup_ms 3000
gw=$BG_PID
T3=$(task "停止测试" 1 100 ratio 1 busy)
targets "$T3" 13900000030 13900000035 13900000036 13900000037
start_task "$T3"
connected() { ctl task.list | jqe --argjson t "$T3" '.tasks[] | select(.id == $t and .connected >= 1)' >/dev/null; }
check "task 3 has a customer talking to an agent" eventually 30 connected
sql "UPDATE cc_task SET state = 'stopped', stopped_at = NOW(3) WHERE id = $T3 AND state = 'running'"
check "once stopped, its calls up finish" eventually 30 records_done "$T3"
n=$(sql "SELECT COUNT(*) FROM cc_call WHERE task_id = $T3")
expect_eq "no new call started after the stop (one call made)" 1 "$n"
expect_eq "the other targets wait" "3" "$(sql "SELECT COUNT(*) FROM cc_task_target WHERE task_id = $T3 AND state = 'waiting'")"
start_task "$T3"
check "started again, it continues with the targets not done and stops by itself" eventually 60 task_is "$T3" stopped
expect_eq "every target answered once" "4 4" \
  "$(row "SELECT SUM(state = 'answered'), SUM(attempts) FROM cc_task_target WHERE task_id = $T3")"
stop_background "$gw"

# --- 4. a B2BUA killed in the middle: nothing lost, nothing dialed twice -----------------
customers c4 20
gw=$BG_PID
T4=$(task "重启测试" 2 100 ratio 2 failed)
# ...3: the customers never answer; their calls are up when the node dies.
targets "$T4" 13900000043 13900000053
start_task "$T4"
dialing() { ctl task.list | jqe --argjson t "$T4" '.tasks[] | select(.id == $t and .dialing == 2)' >/dev/null; }
check "task 4 dials its two customers" eventually 30 dialing
pid=$(cat "$CC_STATE/run/b2bua-1.pid")
kill -9 "$pid"
check "the B2BUA is gone" eventually 10 gone "$pid"
expect_eq "its targets are left dialing" 2 \
  "$(sql "SELECT COUNT(*) FROM cc_task_target WHERE task_id = $T4 AND state = 'dialing'")"
check "the B2BUA starts again" "$top/scripts/stack.sh" restart b2bua
recovered() { [ "$(sql "SELECT COUNT(*) FROM cc_task_target WHERE task_id = $T4 AND attempts = 2")" = 2 ]; }
check "the lost calls count as failed attempts and are retried by the rules" eventually 60 recovered
check "the task ends: no answer on the second attempt" eventually 60 task_is "$T4" stopped
expect_eq "both targets: no_answer after two attempts, the first failed by the restart" \
  "failed,no_answer failed,no_answer" \
  "$(sql "SELECT GROUP_CONCAT(r ORDER BY target_id SEPARATOR ' ') FROM (SELECT target_id, GROUP_CONCAT(result ORDER BY attempt) r FROM cc_task_attempt WHERE task_id = $T4 GROUP BY target_id) x")"
stop_background "$gw"

# --- 5. two nodes dial one task: no target twice, one maximum for both -------------------
# A second B2BUA node on the same database, behind the same Kamailio (added
# to its dispatcher list), with agents of its own ready.
N2_SIP=$(free_port)
N2_CTL=$(free_port)
echo "1 sip:127.0.0.1:$N2_SIP 0 0 node=2" >> "$CC_STATE/etc/dispatcher.list"
background "$bin/cc-b2bua" -c "$CC_STATE/etc/b2bua-1.conf" -o node_id=node2 \
  -o "sip_listen=127.0.0.1:$N2_SIP" -o "ctl_listen=127.0.0.1:$N2_CTL" -o dtmf_listen= \
  -o dial_ring_timeout_s=4 -o task_poll_ms=300 >"$logs/b2bua-node2.log" 2>&1
ctl2() { "$bin/cc-ctl" -a "127.0.0.1:$N2_CTL" -s "$CTL_SECRET_FILE" -t 20000 "$@"; }
node2_ready() { [ "$(ctl2 ping | jq -r .ready)" = true ]; }
check "a second node starts" eventually 30 node2_ready
RPCFIFOPATH=$CC_STATE/run/kamailio/kamailio_rpc.fifo timeout 10 kamctl rpc dispatcher.reload >/dev/null
check "Kamailio's dispatcher has both nodes" eval \
  '[ "$(RPCFIFOPATH=$CC_STATE/run/kamailio/kamailio_rpc.fifo timeout 10 kamctl rpc dispatcher.list | grep -c "\"URI\"")" = 2 ]'
for a in "$A1" "$A2"; do set_state "$a" logged_out; done
n2_ready() { [ "$(ctl2 agent.get agent="$1" | jq -r '.agent.state + " " + (.agent.registered | tostring)')" = "ready true" ]; }
ctl2 agent.state agent="$A1" state=ready >/dev/null
ctl2 agent.state agent="$A2" state=ready >/dev/null
check "node2 has the two agents ready with their phones" eventually 30 eval 'n2_ready "$A1" && n2_ready "$A2"'
customers c5 60
gw=$BG_PID
T5=$(task "两个节点" 4 1000 ratio 1 busy)
# ...3: nobody answers, each call rings 4 s: the task goes in rounds of 4.
nums=()
for i in $(seq 10 33); do nums+=("139000005${i}3"); done
targets "$T5" "${nums[@]}"
start_task "$T5"
ctl2 task.wake >/dev/null
n2_dialing() { ctl2 task.list | jqe --argjson t "$T5" '.tasks[] | select(.id == $t and .dialing == 4)' >/dev/null; }
check "node2 dials the first 4 (node1 has no agent signed in)" eventually 30 n2_dialing
set_state "$A1" ready
set_state "$A2" ready
check "with both nodes dialing, the task ends by itself" eventually 120 task_is "$T5" stopped
expect_eq "every target was dialed once, none twice" "24 24 24 1 1" \
  "$(row "SELECT COUNT(*), COUNT(DISTINCT a.target_id), SUM(t.attempts), MIN(t.attempts), MAX(t.attempts)
          FROM cc_task_attempt a JOIN cc_task_target t ON t.id = a.target_id WHERE a.task_id = $T5")"
n2=$(sql "SELECT COUNT(*) FROM cc_task_attempt WHERE task_id = $T5 AND node = 'node2'")
n1=$(sql "SELECT COUNT(*) FROM cc_task_attempt WHERE task_id = $T5 AND node = 'node1'")
diag "calls placed: node1 $n1, node2 $n2"
check "node2 placed calls ($n2)" eval '[ "$n2" -ge 4 ]'
p=$(peak "$T5")
check "never more than the task's maximum (4) up at once, both nodes together: $p" eval '[ "$p" -le 4 ]'
stop_background "$gw"

finish
