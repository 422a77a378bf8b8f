#!/usr/bin/env bash
# Inbound calls end to end through the real stack: sipp as the gateway
# (RTP from a pcap) and as agents' phones registered in Kamailio, the B2BUA
# with rtpengine and MariaDB. Each case checks what the caller, the phones,
# rtpengine, the control socket and the call record say.
#
# Agents (demo data, tests/demo.env): $A1, $A2, $A3 with phones 1001, 1002,
# 1003, all in the skill group of $NUMBER. $KNOWN_CALLER is the demo contact
# 陈小明 ($CONTACT).
. "$(dirname "$0")/lib.sh"

stack_start

# A short welcome prompt and wrap-up so the cases run in seconds. Ring time
# and maximum wait are long where a case does not wait them out: on a loaded
# machine an answer must not lose a race against them.
sql "UPDATE cc_skill_group SET ring_timeout_s = 30, max_wait_s = 30, wrapup_s = 1"
sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/welcome.wav" synth 0.6 sine 440 2>/dev/null
check "the B2BUA reloads its directory" reload_dir

b2bua_pid() { cat "$CC_STATE/run/b2bua-1.pid"; }

# Agents' phones, registered for the whole test: agent1 answers after half
# a second, agent2 never answers (rings until CANCEL), agent3 rejects.
phone a1 1 -set answer_ms 500
phone a2 2 -set noanswer 1
phone a3 3 -set reject 1
all_registered() { registered "$A1" && registered "$A2" && registered "$A3"; }
check "agents' phones register and the B2BUA sees them" eventually 30 all_registered

# --- 1. a call reaches a ready agent, media flows both ways, BYE both sides ---
# The caller hangs up when told, once the media has been counted.
set_state "$A1" ready
background caller c1 "$NUMBER" -i 127.0.0.1 -set caller "$KNOWN_CALLER" -set until_notify 1
c1=$BG_PID
if eventually 30 call_in_state bridged; then
  ok "the call is bridged to agent1"
  call=$(ctl call.list | jq -r '.calls[0].id')
  eventually 20 rtp_from "$call" caller 20
  check "rtpengine receives RTP from the caller ($packets packets)" test "$packets" -gt 20
  eventually 20 rtp_from "$call" ag1 20
  check "rtpengine receives RTP from the agent ($packets packets)" test "$packets" -gt 20
  check "agent1 is on the call" state_is "$A1" on_call
else
  not_ok "the call is bridged to agent1"
fi
# A client that names one event gets that one alone: agent1's wrap-up and
# the offer's end come first, and are not sent to it.
background "$bin/cc-ctl" -a "$CTL_ADDR" -s "$CTL_SECRET_FILE" -e call.ended -n 1 -w 60 \
  >"$logs/ctl-ended.out" 2>"$logs/ctl-ended.err"
check "a client subscribes to call.ended by name" eventually 20 grep -q subscribed "$logs/ctl-ended.err"
hang_up c1 "$c1"; check "the caller's call completes (BYE answered)" test $? -eq 0
check "it gets call.ended and nothing before it" eventually 20 \
  test "$(jq -r .event "$logs/ctl-ended.out" 2>/dev/null)" = call.ended
call=$(call_of c1)
check "agent1's phone got the INVITE through Kamailio" eventually 10 has_received a1 INVITE
check "agent1's phone got the BYE" eventually 20 has_received a1 BYE
expect_eq "result" answered "$(col "$call" result)"
expect_eq "hangup side" caller "$(col "$call" hangup_side)"
expect_eq "agent" "$A1" "$(col "$call" agent_id)"
expect_eq "contact matched by normalized number" "$CONTACT" "$(col "$call" contact_id)"
expect_eq "normalized caller" "+86$KNOWN_CALLER" "$(col "$call" caller_norm)"
expect_eq "times in order" 1 "$(col "$call" "started_at <= enqueued_at AND enqueued_at <= offered_at AND offered_at <= answered_at AND answered_at < ended_at")"
expect_eq "one offer" 1 "$(col "$call" offers)"
expect_match "the welcome prompt was played by rtpengine" 'welcome.wav [1-9][0-9]* ms' \
  "$(sql "SELECT detail FROM cc_call_event WHERE call_id = '$call' AND event = 'prompt' LIMIT 1")"
expect_eq "event log" "start enqueue offer ringing answer end" \
  "$(sql "SELECT GROUP_CONCAT(event ORDER BY id SEPARATOR ' ') FROM cc_call_event WHERE call_id = '$call' AND event <> 'prompt'")"
wrapped_up() { [ "$(sql "SELECT COUNT(*) FROM cc_agent_state_log WHERE agent_id = '$A1' AND state = 'wrap_up'")" -ge 1 ]; }
check "agent1 goes through wrap-up" eventually 20 wrapped_up
check "agent1 is ready again after wrap-up" eventually 20 state_is "$A1" ready

# --- 2. the caller hangs up while the agent's phone rings ----------------------
# It hangs up when told, once agent2's phone rings (for up to 30 s).
set_state "$A1" logged_out
set_state "$A2" ready
background caller c2 "$NUMBER" -i 127.0.0.1 -set caller 13900139000 -set until_notify 1
c2=$BG_PID
eventually 30 has_received a2 INVITE || diag "agent2's phone never rang"
hang_up c2 "$c2"; check "the caller hangs up cleanly" test $? -eq 0
call=$(call_of c2)
check "the ringing phone got a CANCEL" eventually 20 has_received a2 CANCEL
expect_eq "result when the caller leaves while ringing" abandoned "$(col "$call" result)"
expect_eq "hangup side" caller "$(col "$call" hangup_side)"
check "agent2 is ready again (not its fault)" eventually 20 state_is "$A2" ready
check "no call left behind" eventually 20 no_calls

# --- 3. no answer: that agent goes not-ready, the next agent gets the call -------
# agent2 rings 3 s unanswered; the caller hangs up once agent1 has taken it.
set_state "$A2" logged_out
set_state "$A2" ready          # agent2 idle longest: offered first
# agent1 ready a millisecond later at least (equal times go to the lower id).
since2=$(agent_json "$A2" | jq .agent.since)
eventually 5 clock_past "$since2"
set_state "$A1" ready
sql "UPDATE cc_skill_group SET ring_timeout_s = 3, max_wait_s = 20"
check "the new maximum wait is in force" reload_dir
before_cancels=$(received a2 CANCEL)
background caller c3 "$NUMBER" -i 127.0.0.1 -set caller "$KNOWN_CALLER" -set until_notify 1
c3=$BG_PID
eventually 30 call_in_state bridged || diag "the call was not bridged"
hang_up c3 "$c3"
check "the call completes" test $? -eq 0
call=$(call_of c3)
expect_eq "answered by the next agent" "$A1" "$(col "$call" agent_id)"
expect_eq "two offers" 2 "$(col "$call" offers)"
check "agent2's phone stopped ringing (CANCEL)" eventually 20 has_received a2 CANCEL $((before_cancels + 1))
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
caller c4 "$NUMBER" -i 127.0.0.1 -set caller "$KNOWN_CALLER" -set wait_bye 1
check "the caller is told goodbye by the B2BUA" test $? -eq 0
call=$(call_of c4)
expect_eq "agent3 rejected: not ready" not_ready "$(agent_state "$A3")"
expect_eq "with the reason" rejected "$(agent_reason "$A3")"
expect_eq "then nobody: no agent" no_agent "$(col "$call" result)"

# --- 5. nobody signed in: the closing prompt, then hang-up ------------------------
set_state "$A3" logged_out
t0=$(date +%s)
caller c5 "$NUMBER" -i 127.0.0.1 -set caller 13700137000 -set wait_bye 1
check "the caller gets a BYE after the closing prompt" test $? -eq 0
t1=$(date +%s)
call=$(call_of c5)
expect_eq "result" no_agent "$(col "$call" result)"
expect_eq "hangup side" system "$(col "$call" hangup_side)"
expect_eq "no offers" 0 "$(col "$call" offers)"
check "it waited the queue's maximum wait ($((t1 - t0)) s)" test $((t1 - t0)) -ge 4
expect_match "the closing prompt was played" 'noagent.wav [1-9][0-9]* ms' \
  "$(sql "SELECT GROUP_CONCAT(detail) FROM cc_call_event WHERE call_id = '$call' AND event = 'prompt'")"

# --- 6. a number nobody set up ---------------------------------------------------
caller c6 4999 -i 127.0.0.1 -set caller 13700137000 -set expect 404
check "an unknown number is refused with 404" test $? -eq 0
expect_eq "and recorded as failed" "failed no such number" "$(col "$(call_of c6)" "CONCAT(result, ' ', cause)")"

# --- 7. a call from an address that is not a trusted gateway ------------------------
# A number from such an address is challenged: only an agent's phone, with
# its SIP account, calls out through Kamailio.
caller c7 "$NUMBER" -i 127.0.0.3 -set caller 13600136666 -set expect 407
check "an untrusted caller is challenged (407), not let through" test $? -eq 0
expect_eq "and never reaches the B2BUA" 0 "$(sql "SELECT COUNT(*) FROM cc_call WHERE caller = '13600136666'")"

# --- 8. an agent that another B2BUA node holds ------------------------------------
# agent1 is ready here, but the shared row says another node has it on a
# call: the reservation fails, the call goes on waiting, and this node
# leaves that node's row alone.
set_state "$A1" ready
row1() { sql "SELECT CONCAT_WS(' ', node, state) FROM cc_agent WHERE user_id = '$A1'"; }
row1_is() { [ "$(row1)" = "$1" ]; }
check "agent1's row says ready on this node" eventually 20 row1_is "node1 ready"
sql "UPDATE cc_agent SET node = 'node7', state = 'on_call' WHERE user_id = '$A1'"
caller c8 "$NUMBER" -i 127.0.0.1 -set caller 13700137008 -set wait_bye 1
check "the caller waits and gets the closing prompt" test $? -eq 0
call=$(call_of c8)
expect_eq "nobody took it" no_agent "$(col "$call" result)"
check "the B2BUA says agent1 is held elsewhere" eventually 20 grep -q "agent $A1 is held by another node" "$logs/b2bua-1.log"
expect_eq "the other node's row is left as it was" "node7 on_call" "$(row1)"
expect_eq "and no reservation of agent1 is logged for this call" 0 \
  "$(sql "SELECT COUNT(*) FROM cc_agent_state_log WHERE agent_id = '$A1' AND call_id = '$call'")"
set_state "$A1" logged_out
check "signing out on this node takes the row back" eventually 20 row1_is "node1 logged_out"

# --- 9. malformed SIP to the B2BUA ------------------------------------------------
# The B2BUA reads its SIP socket on one loop, in arrival order: the OPTIONS
# below is answered only after everything sent before it was handled.
pid=$(b2bua_pid)
printf 'INVITE\r\n\r\n' | udp "$B2BUA_PORT"
printf 'INVITE sip:%s@x SIP/2.0\r\nVia: garbage\r\nContent-Length: 99999\r\n\r\nv=0' "$NUMBER" | udp "$B2BUA_PORT"
head -c 1400 /dev/urandom | udp "$B2BUA_PORT"
printf 'SIP/2.0 200 OK\r\nCall-ID: nope\r\nCSeq: 1 INVITE\r\n\r\n' | udp "$B2BUA_PORT"
check "after garbage the B2BUA still answers OPTIONS" "$bin/cc-sipping" -t 2000 "127.0.0.1:$B2BUA_PORT"
expect_eq "and it is the same process" "$pid" "$(b2bua_pid)"
check "and its control socket answers" ctl ping

# --- 10. rtpengine unreachable: 503 and no call left behind -----------------------------
rtp_pid=$(cat "$CC_STATE/run/rtpengine.pid")
kill "$rtp_pid"
eventually 20 gone "$rtp_pid"
set_state "$A1" ready
caller c9 "$NUMBER" -i 127.0.0.1 -set caller 13600136000 -set expect 503
check "with rtpengine gone the caller gets 503" test $? -eq 0
check "no call left behind" eventually 20 no_calls
call=$(call_of c9)
expect_eq "recorded as failed" "failed media unavailable" "$(col "$call" "CONCAT(result, ' ', cause)")"
expect_eq "agent1 was never offered it" ready "$(agent_state "$A1")"

finish
