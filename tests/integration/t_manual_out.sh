#!/usr/bin/env bash
# Manual outbound (手动外呼) through the real stack: agent1's phone (sipp,
# registered, the agent signed in) dials a customer's number. Kamailio
# challenges the INVITE, drops the phone's own X-CC-Agent-Out and marks the
# call with the authenticated agent; the B2BUA answers the agent, calls the
# number through the carrier's gateway (sipp on $OUTBOUND_PORT) showing the
# outbound number bound to the agent's skill group, and bridges them in
# rtpengine. The agent is on the call, then in wrap-up; the pop
# (call.answered) names the agent and the customer's contact; the record is
# outbound with the agent. Signed out, the agent is refused (403) and
# nobody is called.
. "$(dirname "$0")/lib.sh"

stack_start
# The demo group's outbound number (tests/demo.env).
OUT_NUMBER=$OUTBOUND_NUMBER
CUSTOMER=$KNOWN_CALLER

# A wrap-up long enough to be seen.
sql "UPDATE cc_skill_group SET wrapup_s = 5 WHERE id = $GROUP"
check "the B2BUA reloads its directory" reload_dir

phone a1 1
check "agent1's phone registers" eventually 20 registered "$A1"
set_state "$A1" ready

# dial NAME NUMBER ARGS...: agent1's phone dials NUMBER (from 127.0.0.2).
dial() {
  local name=$1 number=$2; shift 2
  sipp_run "$name" -sf "$sipdir/agent/dial.xml" -i 127.0.0.2 -s "$number" \
    -au "$A1_SIP" -ap "$A1_SIP_PASSWORD" -set user "$A1_SIP" "$@"
}
call_bridged() { ctl call.list | jqe '.calls[] | select(.state == "bridged")' >/dev/null; }

# --- 1. the agent dials, the customer answers -------------------------------------------------
background "$bin/cc-ctl" -a "$CTL_ADDR" -s "$CTL_SECRET_FILE" -e call.answered -n 1 -w 60 \
  >"$logs/ctl-pop.out" 2>"$logs/ctl-pop.err"
check "a client subscribes to call.answered" eventually 20 grep -q subscribed "$logs/ctl-pop.err"
carrier up
cpid=$BG_PID
background dial m1 "$CUSTOMER" -set until_notify 1
mpid=$BG_PID
check "the agent's call is bridged to the customer" eventually 30 call_bridged
id=$(ctl call.list | jq -r '.calls[0].id')
check "the carrier got an INVITE for $CUSTOMER through Kamailio" \
  eval '[[ "$(invite_line up)" == "INVITE sip:$CUSTOMER@$OUTBOUND_IP:$OUTBOUND_PORT;user=phone SIP/2.0" ]]'
expect_eq "showing the group's outbound number $OUT_NUMBER" "$OUT_NUMBER" "$(invite_from up)"
check "agent1 is on the call" state_is "$A1" on_call
expect_eq "call.list names agent1" "$A1" "$(ctl call.list | jq -r '.calls[0].agent')"
check "rtpengine relays the agent's RTP" eventually 20 rtp_from "$id" caller 20
check "and the customer's" eventually 20 rtp_from "$id" ext1 20
check "the pop: call.answered came" eventually 20 test -s "$logs/ctl-pop.out"
expect_eq "for agent1, the customer's number and contact" "$A1 $CUSTOMER $CONTACT" \
  "$(jq -r '[.agent, .caller, .contact] | join(" ")' "$logs/ctl-pop.out")"
hang_up m1 "$mpid"
check "the agent's call completes (BYE answered)" test $? -eq 0
wait "$cpid"
expect_eq "the carrier's scenario ran to its end (answered, then the BYE)" 0 "$?"
check "agent1 wraps up after the call" eventually 10 state_is "$A1" wrap_up
check "and is ready after it" eventually 20 state_is "$A1" ready
id=$(final_call "id = '$id'" "the manual call")
expect_eq "the record: outbound, agent1, from $OUT_NUMBER to $CUSTOMER, answered, the contact" \
  "outbound $A1 $OUT_NUMBER $CUSTOMER answered $CONTACT" \
  "$(col "$id" "CONCAT_WS(' ', direction, agent_id, caller, callee, result, contact_id)")"
expect_eq "caller_norm is the customer's number (normalized), as for every call" "+86$CUSTOMER" \
  "$(col "$id" caller_norm)"
expect_eq "the agent heard ringback while the customer's phone rang" 1 \
  "$(sql "SELECT COUNT(*) FROM cc_call_event WHERE call_id = '$id' AND event = 'prompt' AND detail LIKE 'ringback.wav %'")"
expect_eq "its log: started, dialed, answered, popped, ended" "start dial dial_answer answer end" \
  "$(sql "SELECT GROUP_CONCAT(event ORDER BY id SEPARATOR ' ') FROM cc_call_event WHERE call_id = '$id' AND event IN ('start', 'dial', 'dial_answer', 'answer', 'end')")"

# --- 2. signed out: refused, nobody called ---------------------------------------------------
set_state "$A1" logged_out
dial m2 "$CUSTOMER" -set expect 403
check "the agent's INVITE is refused with 403" test $? -eq 0
id=$(last_call "$A1_SIP")
expect_eq "the record: failed, not signed in, agent1's" "failed not_signed_in" \
  "$(col "$id" "CONCAT_WS(' ', result, cause)")"
check "no call is left" eventually 10 no_calls

finish
