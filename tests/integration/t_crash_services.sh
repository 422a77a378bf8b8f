#!/usr/bin/env bash
# rtpengine, Kamailio and MariaDB killed (kill -9) and started again, each
# with calls up. What each costs, and what none of them ever costs: an
# agent stuck, a call record lost, the B2BUA needing a restart.
#  - rtpengine: the media of the calls up (the new one knows none of them);
#    their signalling stays up at the B2BUA until a party hangs up.
#  - Kamailio: the seconds it is down; calls in setup complete from the
#    phones' and gateways' resends, calls up hang up through the new one.
#  - MariaDB: nothing the callers or agents see; the B2BUA retries its
#    writes (records, agents' states) until it is back.
. "$(dirname "$0")/lib.sh"

stack_start
# agent3's phone rings 8 s before it answers: a call in setup.
three_agents 60 120 "-set answer_ms 300" "-set answer_ms 300" "-set answer_ms 8000"
b2bua_pid=$(svc_pid b2bua-1)

# up NAME CALLER: a call that stays up until told (tell NAME) or the test
# ends, in the background ($BG_PID); returns once the B2BUA has it bridged.
up() {
  background caller "$1" "$NUMBER" -i 127.0.0.1 -set caller "$2" -set until_notify 1
  eventually 30 bridged_from "$2"
}
bridged_from() { ctl call.list | jqe --arg c "$1" '.calls[] | select(.state == "bridged" and .caller == $c)' >/dev/null; }
# b2b_id CALLER: the B2BUA's id of the call from CALLER (also rtpengine's call-id).
b2b_id() { ctl call.list | jq -r --arg c "$1" '.calls[] | select(.caller == $c) | .id'; }
# record CALLER: result, hangup side and cause of the newest record from CALLER.
record() { sql "SELECT CONCAT_WS(' ', result, hangup_side, COALESCE(cause, '-')) FROM cc_call WHERE caller = '$1' ORDER BY started_at DESC LIMIT 1"; }
# all_ready: the three agents ready again, rows and B2BUA agreeing.
all_ready() { state_is "$A1" ready && state_is "$A2" ready && state_is "$A3" ready && agents_consistent; }
# a_new_call CALLER: a call after the restart is bridged, with the caller's
# media through rtpengine, and its record lands answered.
a_new_call() {
  local pid id
  background caller "n$1" "$NUMBER" -i 127.0.0.1 -set caller "$1" -set until_notify 1
  pid=$BG_PID
  if ! eventually 30 bridged_from "$1"; then hang_up "n$1" "$pid"; return 1; fi
  id=$(b2b_id "$1")
  local media=0
  eventually 20 rtp_from "$id" caller 10 || { media=1; diag "no media from the caller of $1 (rtpengine: $packets)"; }
  hang_up "n$1" "$pid" || return 1
  [ "$media" = 0 ] && [ -n "$(final_call "caller = '$1'" "the new call $1")" ] &&
    [ "$(record "$1")" = "answered caller -" ]
}

# --- 1. rtpengine ------------------------------------------------------------------------
ready "$A1" "$A2" "$A3"
check "a call is bridged" up r1 13600000001
r1=$BG_PID
id=$(b2b_id 13600000001)
check "its media flows through rtpengine" eventually 20 rtp_from "$id" caller 10
check "rtpengine is killed" svc_kill rtpengine
check "rtpengine starts again" svc_restart rtpengine
check "what it costs: the new rtpengine knows nothing of the call (its media is lost)" \
  eval '[ "$(rtp_packets "$id" caller)" = 0 ] && ! "$bin/cc-ngctl" -a "127.0.0.1:$NG_PORT" query call-id="$id" 2>/dev/null | jqe ".tags" >/dev/null'
check "the call's signalling is still up at the B2BUA" bridged_from 13600000001
hang_up r1 "$r1"
check "the caller hangs up normally" test $? -eq 0
check "what it never costs: the record lands" eventually 30 eval '[ "$(record 13600000001)" = "answered caller -" ]'
check "agents free and consistent within 10 s" eventually 10 all_ready
check "a new call is bridged with media through the new rtpengine" a_new_call 13600000002
check "the B2BUA was not restarted" test "$(svc_pid b2bua-1)" = "$b2bua_pid" -a -d "/proc/$b2bua_pid"

# --- 2. Kamailio ------------------------------------------------------------------------
# A call bridged, a call ringing agent3 (in setup: its INVITE and the phone's
# 180 went through Kamailio, the 200 has not), and a call made while
# Kamailio is down (its INVITE resent by the caller).
ready "$A1" "$A3"
check "a call is bridged" up k1 13600000011
k1=$BG_PID
background caller k2 "$NUMBER" -i 127.0.0.1 -set caller 13600000013 -set until_notify 1
k2=$BG_PID
offering_from() { ctl call.list | jqe --arg c "$1" '.calls[] | select(.state == "offering" and .caller == $c)' >/dev/null; }
check "a second call rings agent3" eventually 30 offering_from 13600000013
set_state "$A2" ready
check "Kamailio is killed while it rings" svc_kill kamailio
background caller k3 "$NUMBER" -i 127.0.0.1 -set caller 13600000014 -set until_notify 1
k3=$BG_PID
check "Kamailio starts again" svc_restart kamailio
check "the agents' phones are still registered (locations in the database)" all_registered
# Kamailio keeps no state a call needs: replies without their transaction
# are relayed by their Via, in-dialog requests by their Route.
check "the ringing call is answered through the new Kamailio (the phone's 200 resent)" \
  eventually 30 bridged_from 13600000013
check "the call made while Kamailio was down is answered (the caller's INVITE resent)" \
  eventually 40 bridged_from 13600000014
hang_up k1 "$k1"
check "the bridged call's BYE passes the new Kamailio" test $? -eq 0
hang_up k2 "$k2"
check "so does the second call's" test $? -eq 0
hang_up k3 "$k3"
check "and the third's" test $? -eq 0
for c in 13600000011 13600000013 13600000014; do
  check "call $c's record lands: answered, ended by the caller" \
    eventually 30 eval '[ "$(record '"$c"')" = "answered caller -" ]'
done
check "agents free and consistent within 10 s" eventually 10 all_ready
check "a new call through the new Kamailio is answered" a_new_call 13600000012
check "the B2BUA was not restarted" test "$(svc_pid b2bua-1)" = "$b2bua_pid" -a -d "/proc/$b2bua_pid"

# --- 3. MariaDB ---------------------------------------------------------------------------
ready "$A1" "$A2"
check "a call is bridged" up m1 13600000021
m1=$BG_PID
check "agent1's row says on_call" eventually 20 eval '[ "$(sql "SELECT state FROM cc_agent WHERE user_id = '"'$A1'"'")" = on_call ]'
check "MariaDB is killed" svc_kill db
hang_up m1 "$m1"
check "the call ends while the database is away" test $? -eq 0
set_state "$A2" not_ready
check "the B2BUA has agent1 free again, agent2 on a break" eventually 10 eval \
  '[ "$(agent_state "$A1") $(agent_state "$A2")" = "ready not_ready" ]'
check "MariaDB starts again" svc_restart db
check "what it never costs: the record written meanwhile lands" \
  eventually 60 eval '[ "$(record 13600000021)" = "answered caller -" ]'
check "and agents' rows catch up with the B2BUA within 10 s of the writes' retry" eventually 30 agents_consistent
expect_eq "agent2's break is in the state log once" 1 \
  "$(sql "SELECT COUNT(*) FROM cc_agent_state_log WHERE agent_id = '$A2' AND state = 'not_ready' AND at >= NOW() - INTERVAL 5 MINUTE")"
set_state "$A2" ready
check "a new call is answered" a_new_call 13600000022
check "the B2BUA was not restarted" test "$(svc_pid b2bua-1)" = "$b2bua_pid" -a -d "/proc/$b2bua_pid"

# Across the three: no record left open, none twice.
expect_eq "every record of the test is closed" 0 "$(sql "SELECT COUNT(*) FROM cc_call WHERE ended_at IS NULL")"
expect_eq "one record per call" "8 8" \
  "$(sql "SELECT COUNT(*), COUNT(DISTINCT caller) FROM cc_call WHERE caller LIKE '136000000__'" | tr '\t' ' ')"

finish
