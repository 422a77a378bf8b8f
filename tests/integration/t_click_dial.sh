#!/usr/bin/env bash
# Click-to-dial through the real stack: agent1 signed in to the web app
# posts a number to /cc/api/agent/dial; the B2BUA rings agent1's phone
# first (sipp, tests/sip/agent/late.xml: the INVITE carries no SDP, the
# phone's 200 carries its offer, the ACK the answer), then calls the number
# through the carrier's gateway (sipp on $OUTBOUND_PORT) showing the
# group's outbound number, and both legs get media in rtpengine. The pop
# names the agent; the record is outbound. Refusals: a number that is none
# (400), an agent not signed in (409), no CSRF token (403), no session (401).
. "$(dirname "$0")/lib.sh"

stack_start
web_setup click-dial
# The demo group's outbound number (tests/demo.env).
OUT_NUMBER=$OUTBOUND_NUMBER
CUSTOMER=$KNOWN_CALLER

sql "UPDATE cc_skill_group SET wrapup_s = 2 WHERE id = $GROUP"
check "the B2BUA reloads its directory" reload_dir

# agent1's phone, answering late offers.
SIPP_LIMIT_S=3600 background sipp_run a1 -sf "$sipdir/agent/uac.xml" -oocsf "$sipdir/agent/late.xml" \
  -i 127.0.0.2 -s "$A1_SIP" -ap "$A1_SIP_PASSWORD" -set stay_ms 3000000 -set expires 3600 \
  -set answer_ms 300
check "agent1's phone registers" eventually 20 registered "$A1"

tok=$(login ja "$A1_LOGIN" "$AGENT_PASSWORD")
# dial NAME BODY [CURL-ARGS...]: POST /cc/api/agent/dial as agent1; the status.
dial() {
  local name=$1 body=$2; shift 2
  http "$name" -b "$tmp/ja" -H "X-CSRF-Token: $tok" -H 'Content-Type: application/json' \
    --data-binary "$body" "$@" "$base/cc/api/agent/dial"
}

# ack_with_sdp NAME: the ACK sipp run NAME received carried an audio line.
ack_with_sdp() { sed -n '/^ACK sip:/,/^-----/p' "$logs/sipp-$1.msg" | grep -q '^m=audio '; }
call_bridged() { ctl call.list | jqe '.calls[] | select(.state == "bridged")' >/dev/null; }

# --- 1. refusals: nothing is rung ------------------------------------------------------------
expect_eq "not signed in: 409 not_signed_in, with the reason in Chinese" "409 not_signed_in 您尚未签入，不能外呼。请先签入。" \
  "$(dial r1 "{\"number\": \"$CUSTOMER\"}") $(json r1 .error) $(json r1 .message)"
set_state "$A1" ready
expect_eq "a number that is none: 400 bad_number" "400 bad_number" \
  "$(dial r2 '{"number": "12ab"}') $(json r2 .error)"
expect_eq "no number: 400 bad_number" "400 bad_number" "$(dial r3 '{}') $(json r3 .error)"
expect_eq "without the CSRF token: 403" 403 \
  "$(http r4 -b "$tmp/ja" -H 'Content-Type: application/json' --data-binary "{\"number\": \"$CUSTOMER\"}" \
     "$base/cc/api/agent/dial")"
expect_eq "without a session: 401" 401 \
  "$(http r5 -H 'Content-Type: application/json' --data-binary "{\"number\": \"$CUSTOMER\"}" \
     "$base/cc/api/agent/dial")"
expect_eq "agent1's phone was never rung" 0 "$(received a1 INVITE)"
check "agent1 is still ready" state_is "$A1" ready

# --- 2. the agent's phone first, then the customer -----------------------------------------------
background "$bin/cc-ctl" -a "$CTL_ADDR" -s "$CTL_SECRET_FILE" -e call.answered -n 1 -w 60 \
  >"$logs/ctl-pop.out" 2>"$logs/ctl-pop.err"
check "a client subscribes to call.answered" eventually 20 grep -q subscribed "$logs/ctl-pop.err"
carrier up -set hangup_ms 8000
cpid=$BG_PID
expect_eq "the dial is taken (200), with the call's id" "200 32" \
  "$(dial d1 "{\"number\": \"$CUSTOMER\"}") $(json d1 '.call | length')"
id=$(json d1 .call)
check "agent1's phone is rung first" eventually 20 has_received a1 INVITE
check "the call is bridged to the customer" eventually 30 call_bridged
check "the phone's ACK carried the answer to its offer" ack_with_sdp a1
expect_eq "the carrier sees the group's outbound number $OUT_NUMBER" "$OUT_NUMBER" "$(invite_from up)"
check "agent1 is on the call" state_is "$A1" on_call
check "rtpengine relays agent1's RTP" eventually 20 rtp_from "$id" caller 20
check "and the customer's" eventually 20 rtp_from "$id" ext1 20
check "the pop: call.answered came" eventually 20 test -s "$logs/ctl-pop.out"
expect_eq "for agent1 and the customer's contact" "$id $A1 $CUSTOMER $CONTACT" \
  "$(jq -r '[.call, .agent, .caller, .contact] | join(" ")' "$logs/ctl-pop.out")"
wait "$cpid"
expect_eq "the carrier's scenario ran to its end (answered, hung up)" 0 "$?"
check "agent1's phone got the BYE" eventually 20 has_received a1 BYE
check "agent1 wraps up, then is ready" eventually 20 state_is "$A1" ready
id=$(final_call "id = '$id'" "the click-to-dial call")
expect_eq "the record: outbound, agent1, from $OUT_NUMBER to $CUSTOMER, answered, the customer hung up" \
  "outbound $A1 $OUT_NUMBER $CUSTOMER answered external" \
  "$(col "$id" "CONCAT_WS(' ', direction, agent_id, caller, callee, result, hangup_side)")"

finish
