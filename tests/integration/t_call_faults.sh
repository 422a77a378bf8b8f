#!/usr/bin/env bash
# Calls whose signalling goes wrong must not outlive it: a gateway that never
# ACKs the 200, and a call that runs past the maximum call length. The B2BUA
# runs with short SIP timers (64*T1 = 4 s) and a 6-second call limit.
. "$(dirname "$0")/lib.sh"

CC_B2BUA_OPTS="sip_t1x64_ms=4000 max_call_s=6" stack_start
A1=0u000000000000000000000000000002
sql "UPDATE cc_skill_group SET ring_timeout_s = 5, max_wait_s = 30, wrapup_s = 0"
sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/welcome.wav" synth 0.3 sine 440 2>/dev/null
ctl reload >/dev/null
background agent a1 1001 sip1001 -set stay_ms 120000 -set answer_ms 300
registered() { [ "$(ctl agent.get agent="$A1" | jq -r .agent.registered)" = true ]; }
check "agent1's phone registers" eventually 10 registered
ctl agent.state agent="$A1" state=ready >/dev/null
calls_now() { ctl call.list | jq '.calls | length'; }
no_calls() { [ "$(calls_now)" = 0 ]; }
ready() { [ "$(ctl agent.get agent="$A1" | jq -r .agent.state)" = ready ]; }

# --- a gateway that never ACKs the 200 -----------------------------------------
caller c1 4001 -i 127.0.0.1 -set caller 13800138000 -set no_ack 1
check "the B2BUA gives up on the unacknowledged call and says BYE" test $? -eq 0
call=$(sql "SELECT id FROM cc_call WHERE caller = '13800138000' ORDER BY started_at DESC LIMIT 1")
check "no call is left behind" eventually 10 no_calls
expect_eq "the record says how it ended" "answered caller caller dialog lost" \
  "$(sql "SELECT CONCAT_WS(' ', result, hangup_side, cause) FROM cc_call WHERE id = '$call'")"
check "the call has an end time" test "$(sql "SELECT ended_at IS NOT NULL FROM cc_call WHERE id = '$call'")" = 1
check "agent1 is free again" eventually 10 ready

# --- a call longer than max_call_s ----------------------------------------------
t0=$(date +%s)
caller c2 4001 -i 127.0.0.1 -set caller 13900139000 -set wait_bye 1
check "the B2BUA hangs up a call at the maximum length" test $? -eq 0
t1=$(date +%s)
check "after about max_call_s ($((t1 - t0)) s)" test $((t1 - t0)) -ge 5 -a $((t1 - t0)) -le 12
call=$(sql "SELECT id FROM cc_call WHERE caller = '13900139000' ORDER BY started_at DESC LIMIT 1")
expect_eq "recorded as answered, ended by the system for its length" "answered system maximum call length" \
  "$(sql "SELECT CONCAT_WS(' ', result, hangup_side, cause) FROM cc_call WHERE id = '$call'")"
check "agent1's phone got the BYE" eventually 3 test "$(grep -c '^BYE sip:' "$logs/sipp-a1.msg")" -ge 1
check "no call is left behind" eventually 5 no_calls

finish
