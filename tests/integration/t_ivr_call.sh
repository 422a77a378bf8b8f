#!/usr/bin/env bash
# IVR flows with real calls (docs/ivr.md): the demo's published flow on
# $IVR_NUMBER (a menu: 1 to the demo group's queue, 2 to a notice and a
# hang-up, no key or a wrong one to the queue), keys sent by the caller as
# RFC 2833 events (sipp playing the DTMF pcaps), reported by rtpengine's
# DTMF log to the B2BUA; the path each call took is in its event log.
. "$(dirname "$0")/lib.sh"

stack_start

three_agents_answer
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

finish
