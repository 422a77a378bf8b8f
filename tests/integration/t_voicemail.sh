#!/usr/bin/env bash
# Voicemail (docs/ivr.md, b2bua/call/record.c) with the real stack: a flow
# published through the console's API (start, a voicemail of at most 3 s
# for a group, a hang-up) and bound to a number; sipp calls it and
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
# The messages are for a group of their own, whose only agent is agent1;
# agent2 (of the demo group only) is an agent of another group.
sql "INSERT INTO cc_skill_group (name) VALUES ('留言组')"
VG=$(sql "SELECT id FROM cc_skill_group WHERE name = '留言组'")
sql "INSERT INTO cc_skill_group_member (skill_group_id, user_id) VALUES ($VG, '$A1')"
jq -n '{name: "留言流程"}' | A c1 "$API/flows" >/dev/null
FLOW=$(json c1 .id)
echo '{}' | A lk "$API/flows/$FLOW/lock" >/dev/null
cat > "$tmp/vm.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<flow xmlns="urn:cc:ivr-flow:1" name="留言流程">
  <start id="start" next="vm" x="40" y="100"/>
  <voicemail id="vm" group="$VG" max-s="3" next="bye" x="240" y="100"/>
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
expect_eq "for the node's group, from the caller, in a file named after the call" \
  "$VG +8613900139301 $id-1.wav" "$group $caller $file"
check "about 3 s long in the row ($ms ms)" test "${ms:-0}" -ge 2900 -a "${ms:-0}" -le 3100
wav=$CC_STATE/voicemail/$file
check "the WAV exists" test -s "$wav"
expect_eq "8 kHz, mono, 16-bit" "8000 1 16" "$(soxi -r "$wav") $(soxi -c "$wav") $(soxi -b "$wav")"
secs=$(soxi -D "$wav")
check "about 3 s of audio in the file ($secs s)" awk -v s="$secs" 'BEGIN { exit !(s >= 2.9 && s <= 3.1) }'
peak=$(sox "$wav" -n stat 2>&1 | awk '/Maximum amplitude/ { print $3 }')
check "not silent: the caller's audio arrived (peak $peak)" awk -v p="$peak" 'BEGIN { exit !(p > 0.05) }'

# --- 3. the console's 留言 page -------------------------------------------------------------
t1=$(login j1 "$A1_LOGIN" "$AGENT_PASSWORD")
t2=$(login j2 "$A2_LOGIN" "$AGENT_PASSWORD")
expect_match "agent1 and agent2 sign in" '^[0-9a-f]{64} [0-9a-f]{64}$' "$t1 $t2"
expect_eq "the admin's list has it, not handled" "200 $caller $VG 留言组 false 3000" \
  "$(http l1 -b "$tmp/ja" "$base/cc/api/voicemail") $(json l1 ".voicemail[] | select(.id == $VM) | \"\(.caller) \(.group_id) \(.group_name) \(.handled) \(.duration_ms)\"")"
expect_eq "filtered by its group and not handled: it is there" "$VM" \
  "$(http l2 -b "$tmp/ja" "$base/cc/api/voicemail?group=$VG&handled=0" >/dev/null; json l2 '[.voicemail[].id] | join(",")')"
expect_eq "filtered by the demo group: not there" "" \
  "$(http l3 -b "$tmp/ja" "$base/cc/api/voicemail?group=$GROUP" >/dev/null; json l3 '[.voicemail[].id] | join(",")')"
expect_eq "the page shows the caller, the group and a player" "200 1 1 1" \
  "$(http p1 -b "$tmp/ja" "$base/cc/voicemail") $(grep -c "<tr data-id=\"$VM\"" "$tmp/p1.b") $(grep -c '留言组' "$tmp/p1.b" | awk '{ print ($1 > 0) }') $(grep -c "src=\"/cc/voicemail/$VM/play\"" "$tmp/p1.b")"
expect_eq "the page is in the side navigation" 1 "$(grep -c 'id="side-voicemail"' "$tmp/p1.b")"
expect_eq "it plays to the admin: 200, audio/wav, the file as it is" "200 audio/wav 1" \
  "$(http a1 -b "$tmp/ja" "$base/cc/voicemail/$VM/play") $(hdr a1 Content-Type) $(cmp -s "$tmp/a1.b" "$wav" && echo 1)"
expect_eq "it downloads as an attachment" "200 attachment; filename=\"voicemail-$VM.wav\"" \
  "$(http d1 -b "$tmp/ja" "$base/cc/voicemail/$VM/download") $(hdr d1 Content-Disposition)"
expect_eq "signed out: refused (401)" 401 "$(http a2 "$base/cc/voicemail/$VM/play")"
expect_eq "to an agent of another group: not found (404), and not in their list" "404 0" \
  "$(http a3 -b "$tmp/j2" "$base/cc/voicemail/$VM/play") $(http l4 -b "$tmp/j2" "$base/cc/api/voicemail" >/dev/null; json l4 '.voicemail | length')"
expect_eq "agent2 cannot mark it handled (404)" 404 \
  "$(http h0 -b "$tmp/j2" -H "X-CSRF-Token: $t2" --data '' "$base/cc/api/voicemail/$VM/handle")"
expect_eq "a user without a call-center role gets no session, so no message (401)" 401 \
  "$(login js "$STAFF_LOGIN" "$STAFF_PASSWORD" >/dev/null; http a4 -b "$tmp/js" "$base/cc/voicemail/$VM/play")"
expect_eq "nginx does not serve the voicemail folder" 404 "$(http a5 "$base/voicemail/$file")"
expect_eq "it plays to agent1, of its group" "200 audio/wav" \
  "$(http a6 -b "$tmp/j1" "$base/cc/voicemail/$VM/play") $(hdr a6 Content-Type)"
expect_eq "marking it handled without the CSRF token is refused (403)" 403 \
  "$(http h1 -b "$tmp/j1" --data '' "$base/cc/api/voicemail/$VM/handle")"
expect_eq "agent1 marks it handled from the page's form (303 back to the list)" 303 \
  "$(http h2 -b "$tmp/j1" --data-urlencode "_csrf=$t1" "$base/cc/voicemail/$VM/handle")"
expect_eq "the row says by whom" "$A1 1" \
  "$(sql "SELECT handled_by, handled_at IS NOT NULL FROM cc_voicemail WHERE id = $VM" | tr '\t' ' ')"
expect_eq "the list shows it handled by agent1" "true $A1_NAME" \
  "$(http l5 -b "$tmp/ja" "$base/cc/api/voicemail?handled=1" >/dev/null; json l5 ".voicemail[] | select(.id == $VM) | \"\(.handled) \(.handled_name)\"")"
expect_eq "a second mark is refused (409), the first kept" "409 voicemail.handled" \
  "$(http h3 -b "$tmp/ja" -H "X-CSRF-Token: $ta" --data '' "$base/cc/api/voicemail/$VM/handle") $(json h3 .error)"
expect_eq "the mark is audited once, as agent1" "1 $A1" \
  "$(sql "SELECT COUNT(*), MIN(user_id) FROM cc_audit_log WHERE resource = 'voicemail' AND item_id = '$VM' AND action = 'handle'" | tr '\t' ' ')"

finish
