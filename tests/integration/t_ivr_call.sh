#!/usr/bin/env bash
# IVR flows with real calls (docs/ivr.md): the demo's published flow on
# $IVR_NUMBER (a menu: 1 to the demo group's queue, 2 to a notice and a
# hang-up, no key or a wrong one to the queue), keys sent by the caller as
# RFC 2833 events (sipp playing the DTMF pcaps), reported by rtpengine's
# DTMF log to the B2BUA; the path each call took is in its event log.
. "$(dirname "$0")/lib.sh"

stack_start

# agent1 answers after 300 ms and talks until the caller hangs up; agent2
# answers and hangs up after 2 s (for the survey after the agent).
sql "UPDATE cc_skill_group SET ring_timeout_s = 30, max_wait_s = 30, wrapup_s = 0, no_answer_break = 0"
sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/welcome.wav" synth 0.3 sine 440 2>/dev/null
check "the B2BUA reloads its directory" reload_dir
phone a1 1 -set answer_ms 300
phone a2 2 -set answer_ms 300 -set hangup_ms 2000
both_registered() { registered "$A1" && registered "$A2"; }
check "agents' phones register" eventually 30 both_registered
ready "$A1"

# path CALL: the call's IVR path, "node exit" rows in order.
path() {
  sql "SELECT detail FROM cc_call_event WHERE call_id = '$1' AND event = 'ivr' ORDER BY id" |
    awk '{ $1 = ""; sub(/^ /, ""); printf "%s%s", (NR > 1 ? "; " : ""), $0 }'
}
result() { col "$1" "CONCAT(result, ' ', COALESCE(agent_id, '-'))"; }

# --- 1. key 1: the queue, and an agent answers ------------------------------------------
background caller k1 "$IVR_NUMBER" -i 127.0.0.1 -set caller 13900139201 -set key 1 \
  -set until_notify 1
pid=$BG_PID
check "key 1 takes the call to the group's queue and an agent answers" eventually 30 call_in_state bridged
hang_up k1 "$pid" >/dev/null
id=$(call_of k1)
expect_eq "the call was answered by agent1" "answered $A1" "$(result "$id")"
expect_eq "its path: the start, the menu left by key 1, the queue" \
  "start; start next; menu; menu key 1 1; queue" "$(path "$id")"
expect_eq "the key is in the call's log" "1" \
  "$(sql "SELECT detail FROM cc_call_event WHERE call_id = '$id' AND event = 'dtmf' LIMIT 1")"

# --- 2. key 2: the notice, then the flow hangs up -------------------------------------
caller k2 "$IVR_NUMBER" -i 127.0.0.1 -set caller 13900139202 -set key 2 -set wait_bye 1
check "key 2: the flow hangs up on the caller (sipp saw the BYE)" test $? -eq 0
id=$(call_of k2)
expect_eq "no agent took it" "no_agent -" "$(result "$id")"
expect_match "the notice was spoken (its speech made when the stack started)" "^tts-[0-9a-f]{32}\.wav " \
  "$(sql "SELECT detail FROM cc_call_event WHERE call_id = '$id' AND event = 'prompt' ORDER BY id DESC LIMIT 1")"
expect_eq "its path: the menu left by key 2, the notice, the hang-up" \
  "start; start next; menu; menu key 2 2; info; info next; bye" "$(path "$id")"

# --- 3. no key: the menu asks again, then its fallback (the queue) -----------------
background caller k0 "$IVR_NUMBER" -i 127.0.0.1 -set caller 13900139203 -set until_notify 1
pid=$BG_PID
check "no key: after the menu's timeouts the call is queued and answered" eventually 40 call_in_state bridged
hang_up k0 "$pid" >/dev/null
id=$(call_of k0)
expect_eq "its path: the menu's fallback, the queue" \
  "start; start next; menu; menu fallback; queue" "$(path "$id")"
expect_eq "answered" "answered $A1" "$(result "$id")"

# --- 4. a survey once the agent hung up ---------------------------------------------
# Flow 90 (published here as version 1): the queue, and after the agent
# hangs up a survey (keys 1-3), then a hang-up.
doc='<flow xmlns="urn:cc:ivr-flow:1" name="survey"><start id="start" next="q"/>
<queue id="q" group="'$GROUP'" next="bye" after="sv"/>
<survey id="sv" keys="123" timeout-s="20" next="bye"><prompt audio="1"/></survey>
<hangup id="bye"/></flow>'
sql "INSERT INTO cc_ivr_flow (id, name, draft, published_version, published_rev) VALUES (90, 'survey', '$doc', 1, 1);
     INSERT INTO cc_ivr_version (flow_id, version, document) VALUES (90, 1, '$doc');
     INSERT INTO cc_number (number, name, ivr_flow_id) VALUES ('4090', 'survey', 90)"
check "the B2BUA reads the new flow" reload_dir
ready "$A2"
caller sv 4090 -i 127.0.0.1 -set caller 13900139204 -set key 3 -set dtmf_ms 8000 -set wait_bye 1
check "the survey call ends with the flow's hang-up (sipp saw the BYE)" test $? -eq 0
id=$(call_of sv)
expect_eq "answered by agent2; the flow ended the call after the survey" "answered $A2 system" \
  "$(col "$id" "CONCAT(result, ' ', agent_id, ' ', hangup_side)")"
expect_eq "the survey's key is stored with the call" "3" "$(col "$id" survey_key)"
expect_eq "its path: the queue, after the agent the survey, then the hang-up" \
  "start; start next; q; q after; sv; sv next 3; bye" "$(path "$id")"
expect_match "the flow's variables are in the record" '"caller":"\+8613900139204"' "$(col "$id" ivr_vars)"

# --- 5. a flow that hangs up at once: the BYE waits for the caller's ACK -----------
doc='<flow xmlns="urn:cc:ivr-flow:1" name="closed"><start id="start" next="bye"/>
<hangup id="bye" cause="closed"/></flow>'
sql "INSERT INTO cc_ivr_flow (id, name, draft, published_version, published_rev) VALUES (91, 'closed', '$doc', 1, 1);
     INSERT INTO cc_ivr_version (flow_id, version, document) VALUES (91, 1, '$doc');
     INSERT INTO cc_number (number, name, ivr_flow_id) VALUES ('4091', 'closed', 91)"
check "the B2BUA reads the new flow" reload_dir
# ack_then_bye NAME: sipp run NAME sent its ACK before the BYE came.
ack_then_bye() {
  local ack bye
  ack=$(grep -n '^ACK sip:' "$logs/sipp-$1.msg" | head -n 1 | cut -d: -f1)
  bye=$(grep -n '^BYE sip:' "$logs/sipp-$1.msg" | head -n 1 | cut -d: -f1)
  [ -n "$ack" ] && [ -n "$bye" ] && [ "$ack" -lt "$bye" ]
}
for i in 1 2 3; do
  caller now$i 4091 -i 127.0.0.1 -set caller 1390013921$i -set wait_bye 1
  check "a flow that hangs up at once: the call passes (try $i)" test $? -eq 0
  check "... and the B2BUA's BYE came after the caller's ACK (try $i)" ack_then_bye now$i
done
expect_eq "the record says why" "no_agent closed" "$(col "$(call_of now1)" "CONCAT(result, ' ', cause)")"

finish
