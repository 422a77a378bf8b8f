#!/usr/bin/env bash
# An IVR flow's dial node with real calls (docs/ivr.md): a flow published
# through the console's API dials an outside number showing one of the
# plugin's outbound numbers; Kamailio sends the B2BUA's INVITE to the
# carrier's gateway (sipp answering on $OUTBOUND_PORT), the caller and the
# carrier are bridged by rtpengine (RTP counted both ways), and the call's
# record names the number. A carrier that answers 486, or one that rings
# longer than dial_ring_timeout_s, sends the call on the node's next exit
# (its path in cc_call_event).
. "$(dirname "$0")/lib.sh"

export CC_B2BUA_OPTS="dial_ring_timeout_s=3"
stack_start
web_setup ivr-dial
API=$base/cc/api/admin
EXT=13912345678
DIAL_NUMBER=4301
CALLER_ID=4300

ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
# api NAME PATH: a JSON POST (body from stdin) as the admin; the status.
api() { http "$1" -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' \
  --data-binary @- "$API$2"; }

# --- the flow, published, on a new number; a number for calling out ------------------
cat > "$tmp/dial.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<flow xmlns="urn:cc:ivr-flow:1" name="转外线">
  <start id="start" next="hold"/>
  <play id="hold" next="out"><prompt audio="$AUDIO_WELCOME"/></play>
  <dial id="out" number="$EXT" caller-id="$CALLER_ID" next="bye"/>
  <hangup id="bye" cause="not reached"/>
</flow>
EOF
# The prompt before the dial: half a second.
sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/welcome.wav" synth 0.5 sine 440 2>/dev/null
expect_eq "a new flow (201)" 201 "$(jq -n '{name: "转外线"}' | api c1 /ivr/flows)"
ID=$(json c1 .id)
expect_eq "admin takes its lock" 200 "$(echo '{}' | api lk "/ivr/flows/$ID/lock")"
expect_eq "the draft with a dial node is saved with no problems" "200 0" \
  "$(jq -n --rawfile d "$tmp/dial.xml" '{document: $d, rev: 1}' | api s1 "/ivr/flows/$ID/draft") $(json s1 '.problems | length')"
expect_eq "and published as version 1" "200 1" "$(echo '{}' | api p1 "/ivr/flows/$ID/publish") $(json p1 .version)"
echo '{}' | api ul "/ivr/flows/$ID/unlock" >/dev/null
expect_eq "number $DIAL_NUMBER is bound to it (201)" 201 \
  "$(jq -n --arg n "$DIAL_NUMBER" --arg f "$ID" '{number: $n, usage: "inbound", ivr_flow_id: $f}' | api n1 /numbers)"
expect_eq "number $CALLER_ID is one for calling out (201)" 201 \
  "$(jq -n --arg n "$CALLER_ID" '{number: $n, usage: "outbound"}' | api n2 /numbers)"
check "the B2BUA reloads its directory" reload_dir

# path CALL: the call's IVR path, "node exit" rows in order.
path() {
  sql "SELECT detail FROM cc_call_event WHERE call_id = '$1' AND event = 'ivr' ORDER BY id" |
    awk '{ $1 = ""; sub(/^ /, ""); printf "%s%s", (NR > 1 ? "; " : ""), $0 }'
}

# --- 1. the carrier answers: caller and carrier talk ----------------------------------------
carrier up
cpid=$BG_PID
background caller d1 "$DIAL_NUMBER" -i 127.0.0.1 -set caller 13900139301 -set until_notify 1
pid=$BG_PID
check "the call to $DIAL_NUMBER is bridged to the outside number" eventually 30 call_in_state bridged
id=$(ctl call.list | jq -r '.calls[0].id')
check "the carrier got an INVITE for $EXT through Kamailio" \
  eval '[[ "$(invite_line up)" == "INVITE sip:$EXT@$OUTBOUND_IP:$OUTBOUND_PORT;user=phone SIP/2.0" ]]'
expect_eq "showing the outbound number $CALLER_ID as the caller" "$CALLER_ID" "$(invite_from up)"
check "rtpengine relays the caller's RTP" eventually 20 rtp_from "$id" caller 20
check "and the carrier's" eventually 20 rtp_from "$id" ext1 20
hang_up d1 "$pid" >/dev/null
wait "$cpid"
expect_eq "the carrier's scenario ran to its end (answered, then the caller's BYE)" 0 "$?"
id=$(call_of d1)
expect_eq "the record: answered, by no agent, transferred to $EXT, the caller hung up" \
  "answered - $EXT caller" \
  "$(col "$id" "CONCAT_WS(' ', result, COALESCE(agent_id, '-'), transfer_to, hangup_side)")"
expect_eq "its log: dialed and answered" "$EXT $CALLER_ID|$EXT" \
  "$(sql "SELECT GROUP_CONCAT(detail ORDER BY id SEPARATOR '|') FROM cc_call_event WHERE call_id = '$id' AND event IN ('dial', 'dial_answer')")"
expect_eq "its path: the prompt, then into the dial node" "start; start next; hold; hold next; out" \
  "$(path "$id")"

# --- 2. the carrier is busy: the node's next exit --------------------------------------------
carrier busy -set reject 1
cpid=$BG_PID
caller d2 "$DIAL_NUMBER" -i 127.0.0.1 -set caller 13900139302 -set wait_bye 1
check "the caller is hung up on by the flow (sipp saw the BYE)" test $? -eq 0
wait "$cpid"
id=$(call_of d2)
check "the carrier got the INVITE" has_received busy INVITE
expect_eq "not reached: rejected" rejected \
  "$(sql "SELECT detail FROM cc_call_event WHERE call_id = '$id' AND event = 'dial_failed'")"
expect_eq "its path: the dial node's next exit, the hang-up" \
  "start; start next; hold; hold next; out; out next; bye" "$(path "$id")"
expect_eq "the record: no agent, nothing transferred, the node's cause" "no_agent - not reached" \
  "$(col "$id" "CONCAT_WS(' ', result, COALESCE(transfer_to, '-'), cause)")"

# --- 3. nobody answers: the B2BUA gives up after dial_ring_timeout_s (3 s) --------------------
carrier ringing -set noanswer 1
cpid=$BG_PID
caller d3 "$DIAL_NUMBER" -i 127.0.0.1 -set caller 13900139303 -set wait_bye 1
check "the caller is hung up on by the flow" test $? -eq 0
wait "$cpid"
expect_eq "the carrier's phone rang until the B2BUA cancelled it" 0 "$?"
check "the carrier got the CANCEL" has_received ringing CANCEL
id=$(call_of d3)
expect_eq "not reached: no answer; its path: the next exit" \
  "no_answer|start; start next; hold; hold next; out; out next; bye" \
  "$(sql "SELECT detail FROM cc_call_event WHERE call_id = '$id' AND event = 'dial_failed'")|$(path "$id")"

finish
