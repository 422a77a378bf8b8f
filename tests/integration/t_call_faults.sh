#!/usr/bin/env bash
# Calls whose signalling goes wrong must not outlive it: a gateway that never
# ACKs the 200, a call that runs past the maximum call length, and rtpengine
# falling behind. The B2BUA runs with short SIP timers (64*T1 = 4 s), a
# 10-second call limit (well apart, so that on a loaded machine the first
# case ends by its lost dialog, not by the limit), and refuses new calls as
# soon as one rtpengine request had to be sent again (max_ng_lagging=0),
# which it does every 2 s for up to 20 s.
. "$(dirname "$0")/lib.sh"

max_call=10
CC_B2BUA_OPTS="sip_t1x64_ms=4000 max_call_s=$max_call max_ng_lagging=0 ng_timeout_ms=2000 ng_tries=10" stack_start
agent1_ready 30

# --- a gateway that never ACKs the 200 -----------------------------------------
caller c1 "$NUMBER" -i 127.0.0.1 -set caller "$KNOWN_CALLER" -set no_ack 1
check "the B2BUA gives up on the unacknowledged call and says BYE" test $? -eq 0
call=$(call_of c1)
check "no call is left behind" eventually 20 no_calls
expect_eq "the record says how it ended" "answered caller caller dialog lost" \
  "$(col "$call" "CONCAT_WS(' ', result, hangup_side, cause)")"
check "the call has an end time" test "$(col "$call" "ended_at IS NOT NULL")" = 1
check "agent1 is free again" eventually 20 state_is "$A1" ready

# --- a call longer than max_call_s ----------------------------------------------
byes=$(received a1 BYE)
t0=$(date +%s)
caller c2 "$NUMBER" -i 127.0.0.1 -set caller 13900139000 -set wait_bye 1
check "the B2BUA hangs up a call at the maximum length" test $? -eq 0
t1=$(date +%s)
check "after about max_call_s ($((t1 - t0)) s)" test $((t1 - t0)) -ge $((max_call - 1)) -a $((t1 - t0)) -le $((max_call + 6))
call=$(call_of c2)
expect_eq "recorded as answered, ended by the system for its length" "answered system maximum call length" \
  "$(col "$call" "CONCAT_WS(' ', result, hangup_side, cause)")"
check "agent1's phone got the BYE" eventually 20 has_received a1 BYE $((byes + 1))
check "no call is left behind" eventually 20 no_calls

# --- rtpengine falling behind ---------------------------------------------------
# Stopped (not gone), rtpengine keeps what it is sent and answers it when it
# resumes: the call already waiting completes; a call arriving while its
# requests are overdue is turned away at once with 503.
check "agent1 is ready" eventually 20 state_is "$A1" ready
lagging() { ctl ping | jqe '.ng_lagging >= 1' >/dev/null; }
expect_eq "nothing lags while rtpengine keeps up" 0 "$(ctl ping | jq .ng_lagging)"
rtp_pid=$(cat "$CC_STATE/run/rtpengine.pid")
kill -STOP "$rtp_pid"
background caller c3 "$NUMBER" -i 127.0.0.1 -set caller 13700137001 -set until_notify 1
c3=$BG_PID
check "with rtpengine stopped, the waiting call's offer is sent again" eventually 20 lagging
caller c4 "$NUMBER" -i 127.0.0.1 -set caller 13700137002 -set expect 503
check "a new call meanwhile gets 503" test $? -eq 0
check "before the waiting call is over (not by a timeout)" kill -0 "$c3"
expect_eq "the B2BUA says why" 1 "$(grep -c 'refused with 503: media server overloaded' "$logs/b2bua-1.log")"
expect_eq "and keeps no call record of it" 0 \
  "$(sql "SELECT COUNT(*) FROM cc_call WHERE caller = '13700137002'")"
kill -CONT "$rtp_pid"
eventually 30 call_in_state bridged || diag "the waiting call was not bridged"
hang_up c3 "$c3"
check "rtpengine resumed: the waiting call is answered and ends normally" test $? -eq 0
expect_eq "recorded as answered by agent1" "answered $A1" \
  "$(col "$(call_of c3)" "CONCAT_WS(' ', result, agent_id)")"
expect_eq "nothing lags any more" 0 "$(ctl ping | jq .ng_lagging)"
check "agent1 is ready again" eventually 20 state_is "$A1" ready
background caller c5 "$NUMBER" -i 127.0.0.1 -set caller 13700137003 -set until_notify 1
c5=$BG_PID
eventually 30 call_in_state bridged || diag "the new call was not bridged"
hang_up c5 "$c5"
check "and new calls are taken again" test $? -eq 0
expect_eq "and answered" answered "$(col "$(call_of c5)" result)"
check "no call is left behind" eventually 20 no_calls

finish
