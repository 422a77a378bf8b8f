#!/usr/bin/env bash
# Inbound calls end to end through the real stack: sipp as the gateway
# (RTP from a pcap) and as agents' phones registered in Kamailio, the B2BUA
# with rtpengine and MariaDB. Each case checks what the caller, the phones,
# rtpengine, the control socket and the call record say.
#
# Agents (demo data): agent1 = 1001, agent2 = 1002, agent3 = 1003, all in
# skill group 1, number 4001. Caller 13800138000 is the demo contact 陈小明.
. "$(dirname "$0")/lib.sh"

stack_start

A1=0u000000000000000000000000000002
A2=0u000000000000000000000000000003
A3=0u000000000000000000000000000004
CONTACT=0c000000000000000000000000000001

# Short timers so the cases run in seconds; a short welcome prompt.
sql "UPDATE cc_skill_group SET ring_timeout_s = 3, max_wait_s = 4, wrapup_s = 1"
sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/welcome.wav" synth 0.6 sine 440 2>/dev/null
check "the B2BUA reloads its directory" reload_dir

agent_json() { ctl agent.get agent="$1"; }
agent_state() { agent_json "$1" | jq -r .agent.state; }
agent_reason() { agent_json "$1" | jq -r '.agent.reason // ""'; }
registered() { [ "$(agent_json "$1" | jq -r .agent.registered)" = true ]; }
state_is() { [ "$(agent_state "$1")" = "$2" ]; }
set_state() { ctl agent.state agent="$1" state="$2" ${3:+reason=$3} >/dev/null; }
calls_now() { ctl call.list | jq '.calls | length'; }
call_in_state() { ctl call.list | jq -e --arg s "$1" '.calls[] | select(.state == $s)' >/dev/null; }
last_call() { sql "SELECT id FROM cc_call ORDER BY started_at DESC LIMIT 1"; }
col() { sql "SELECT $2 FROM cc_call WHERE id = '$1'"; }
received() { grep -c "^$2 sip:" "$logs/sipp-$1.msg" 2>/dev/null || true; }
b2bua_pid() { cat "$CC_STATE/run/b2bua-1.pid"; }

# Agents' phones, registered for the whole test: agent1 answers after half
# a second, agent2 never answers (rings until CANCEL), agent3 rejects.
background agent a1 1001 sip1001 -set stay_ms 300000 -set answer_ms 500
background agent a2 1002 sip1002 -set stay_ms 300000 -set noanswer 1
background agent a3 1003 sip1003 -set stay_ms 300000 -set reject 1
all_registered() { registered "$A1" && registered "$A2" && registered "$A3"; }
check "agents' phones register and the B2BUA sees them" eventually 10 all_registered

# --- 1. a call reaches a ready agent, media flows both ways, BYE both sides ---
set_state "$A1" ready
background caller c1 4001 -i 127.0.0.1 -set caller 13800138000 -set hold_ms 4000
c1=$BG_PID
if eventually 15 call_in_state bridged; then
  ok "the call is bridged to agent1"
  call=$(ctl call.list | jq -r '.calls[0].id')
  sleep 1.5
  q=$("$bin/cc-ngctl" -a "127.0.0.1:$NG_PORT" query call-id="$call")
  from_caller=$(jq '[.tags.caller.medias[]?.streams[]?.stats.packets // 0] | add // 0' <<<"$q")
  from_agent=$(jq '[.tags.ag1.medias[]?.streams[]?.stats.packets // 0] | add // 0' <<<"$q")
  check "rtpengine receives RTP from the caller ($from_caller packets)" test "$from_caller" -gt 20
  check "rtpengine receives RTP from the agent ($from_agent packets)" test "$from_agent" -gt 20
  check "agent1 is on the call" state_is "$A1" on_call
else
  not_ok "the call is bridged to agent1"
  call=$(last_call)
fi
wait "$c1"; check "the caller's call completes (BYE answered)" test $? -eq 0
check "agent1's phone got the INVITE through Kamailio" test "$(received a1 INVITE)" -ge 1
check "agent1's phone got the BYE" eventually 3 test "$(received a1 BYE)" -ge 1
expect_eq "result" answered "$(col "$call" result)"
expect_eq "hangup side" caller "$(col "$call" hangup_side)"
expect_eq "agent" "$A1" "$(col "$call" agent_id)"
expect_eq "contact matched by normalized number" "$CONTACT" "$(col "$call" contact_id)"
expect_eq "normalized caller" "+8613800138000" "$(col "$call" caller_norm)"
expect_eq "times in order" 1 "$(col "$call" "started_at <= enqueued_at AND enqueued_at <= offered_at AND offered_at <= answered_at AND answered_at < ended_at")"
expect_eq "one offer" 1 "$(col "$call" offers)"
expect_match "the welcome prompt was played by rtpengine" 'welcome.wav [1-9][0-9]* ms' \
  "$(sql "SELECT detail FROM cc_call_event WHERE call_id = '$call' AND event = 'prompt' LIMIT 1")"
expect_eq "event log" "start enqueue offer ringing answer end" \
  "$(sql "SELECT GROUP_CONCAT(event ORDER BY id SEPARATOR ' ') FROM cc_call_event WHERE call_id = '$call' AND event <> 'prompt'")"
wrapped_up() { [ "$(sql "SELECT COUNT(*) FROM cc_agent_state_log WHERE agent_id = '$A1' AND state = 'wrap_up'")" -ge 1 ]; }
check "agent1 goes through wrap-up" eventually 3 wrapped_up
check "agent1 is ready again after wrap-up" eventually 4 state_is "$A1" ready

# --- 2. the caller hangs up while the agent's phone rings ----------------------
set_state "$A1" logged_out
set_state "$A2" ready
caller c2 4001 -i 127.0.0.1 -set caller 13900139000 -set hold_ms 1500
check "the caller hangs up cleanly" test $? -eq 0
call=$(last_call)
check "the ringing phone got a CANCEL" eventually 3 test "$(received a2 CANCEL)" -ge 1
expect_eq "result when the caller leaves while ringing" abandoned "$(col "$call" result)"
expect_eq "hangup side" caller "$(col "$call" hangup_side)"
check "agent2 is ready again (not its fault)" eventually 3 state_is "$A2" ready
expect_eq "no call left behind" 0 "$(calls_now)"

# --- 3. no answer: that agent goes not-ready, the next agent gets the call -------
set_state "$A2" logged_out
set_state "$A2" ready          # agent2 idle longest: offered first
sleep 0.2
set_state "$A1" ready
sql "UPDATE cc_skill_group SET max_wait_s = 20"
check "the new maximum wait is in force" reload_dir
before_cancels=$(received a2 CANCEL)
caller c3 4001 -i 127.0.0.1 -set caller 13800138000 -set hold_ms 6000
check "the call completes" test $? -eq 0
call=$(last_call)
expect_eq "answered by the next agent" "$A1" "$(col "$call" agent_id)"
expect_eq "two offers" 2 "$(col "$call" offers)"
check "agent2's phone stopped ringing (CANCEL)" test "$(received a2 CANCEL)" -gt "$before_cancels"
expect_eq "agent2 is not ready" not_ready "$(agent_state "$A2")"
expect_eq "with the reason" no_answer "$(agent_reason "$A2")"
expect_eq "the event log names the missed offer" "$A2 no_answer" \
  "$(sql "SELECT CONCAT(agent_id, ' ', detail) FROM cc_call_event WHERE call_id = '$call' AND event = 'offer_failed'")"

# --- 4. an agent that rejects is not ready with a reason -------------------------
set_state "$A1" logged_out
set_state "$A2" logged_out
set_state "$A3" ready
sql "UPDATE cc_skill_group SET max_wait_s = 4"
check "the new maximum wait is in force" reload_dir
caller c4 4001 -i 127.0.0.1 -set caller 13800138000 -set wait_bye 1
check "the caller is told goodbye by the B2BUA" test $? -eq 0
call=$(last_call)
expect_eq "agent3 rejected: not ready" not_ready "$(agent_state "$A3")"
expect_eq "with the reason" rejected "$(agent_reason "$A3")"
expect_eq "then nobody: no agent" no_agent "$(col "$call" result)"

# --- 5. nobody signed in: the closing prompt, then hang-up ------------------------
set_state "$A3" logged_out
t0=$(date +%s)
caller c5 4001 -i 127.0.0.1 -set caller 13700137000 -set wait_bye 1
check "the caller gets a BYE after the closing prompt" test $? -eq 0
t1=$(date +%s)
call=$(last_call)
expect_eq "result" no_agent "$(col "$call" result)"
expect_eq "hangup side" system "$(col "$call" hangup_side)"
expect_eq "no offers" 0 "$(col "$call" offers)"
check "it waited the queue's maximum wait ($((t1 - t0)) s)" test $((t1 - t0)) -ge 4
expect_match "the closing prompt was played" 'noagent.wav [1-9][0-9]* ms' \
  "$(sql "SELECT GROUP_CONCAT(detail) FROM cc_call_event WHERE call_id = '$call' AND event = 'prompt'")"

# --- 6. a number nobody set up ---------------------------------------------------
caller c6 4999 -i 127.0.0.1 -set caller 13700137000 -set expect 404
check "an unknown number is refused with 404" test $? -eq 0
expect_eq "and recorded as failed" "failed no such number" \
  "$(sql "SELECT CONCAT(result, ' ', cause) FROM cc_call WHERE callee = '4999'")"

# --- 7. a call from an address that is not a trusted gateway ------------------------
caller c7 4001 -i 127.0.0.3 -set caller 13600136666 -set expect 403
check "an untrusted caller is refused with 403" test $? -eq 0
expect_eq "and never reaches the B2BUA" 0 "$(sql "SELECT COUNT(*) FROM cc_call WHERE caller = '13600136666'")"

# --- 8. an agent that another B2BUA node holds ------------------------------------
# agent1 is ready here, but the shared row says another node has it on a
# call: the reservation fails, the call goes on waiting, and this node
# leaves that node's row alone.
set_state "$A1" ready
row1() { sql "SELECT CONCAT_WS(' ', node, state) FROM cc_agent WHERE user_id = '$A1'"; }
check "agent1's row says ready on this node" eventually 5 test "$(row1)" = "node1 ready"
sql "UPDATE cc_agent SET node = 'node7', state = 'on_call' WHERE user_id = '$A1'"
caller c8 4001 -i 127.0.0.1 -set caller 13700137008 -set wait_bye 1
check "the caller waits and gets the closing prompt" test $? -eq 0
call=$(last_call)
expect_eq "nobody took it" no_agent "$(col "$call" result)"
check "the B2BUA says agent1 is held elsewhere" grep -q "agent $A1 is held by another node" "$logs/b2bua-1.log"
expect_eq "the other node's row is left as it was" "node7 on_call" "$(row1)"
expect_eq "and no reservation of agent1 is logged for this call" 0 \
  "$(sql "SELECT COUNT(*) FROM cc_agent_state_log WHERE agent_id = '$A1' AND call_id = '$call'")"
set_state "$A1" logged_out
check "signing out on this node takes the row back" eventually 5 test "$(row1)" = "node1 logged_out"

# --- 9. malformed SIP to the B2BUA ------------------------------------------------
pid=$(b2bua_pid)
{
  printf 'INVITE\r\n\r\n' > /dev/udp/127.0.0.1/"$B2BUA_PORT"
  printf 'INVITE sip:4001@x SIP/2.0\r\nVia: garbage\r\nContent-Length: 99999\r\n\r\nv=0' > /dev/udp/127.0.0.1/"$B2BUA_PORT"
  head -c 1400 /dev/urandom > /dev/udp/127.0.0.1/"$B2BUA_PORT"
  printf 'SIP/2.0 200 OK\r\nCall-ID: nope\r\nCSeq: 1 INVITE\r\n\r\n' > /dev/udp/127.0.0.1/"$B2BUA_PORT"
} 2>/dev/null
sleep 0.5
check "after garbage the B2BUA still answers OPTIONS" "$bin/cc-sipping" -t 2000 "127.0.0.1:$B2BUA_PORT"
expect_eq "and it is the same process" "$pid" "$(b2bua_pid)"
check "and its control socket answers" ctl ping

# --- 10. rtpengine unreachable: 503 and no call left behind -----------------------------
kill "$(cat "$CC_STATE/run/rtpengine.pid")"
eventually 5 bash -c "! kill -0 $(cat "$CC_STATE/run/rtpengine.pid") 2>/dev/null"
set_state "$A1" ready
caller c9 4001 -i 127.0.0.1 -set caller 13600136000 -set expect 503
check "with rtpengine gone the caller gets 503" test $? -eq 0
expect_eq "no call left behind" 0 "$(calls_now)"
call=$(last_call)
expect_eq "recorded as failed" "failed media unavailable" "$(col "$call" "CONCAT(result, ' ', cause)")"
expect_eq "agent1 was never offered it" ready "$(agent_state "$A1")"

finish
