#!/usr/bin/env bash
# 通话记录 (fcgi-app/records/, docs/reports.md "Call records") with real
# calls through the stack: one answered by agent1 (a known caller, with a
# saved form), one abandoned in the queue, one through the demo's IVR menu
# (key 1) answered by agent2. Then: the list shows them with their results;
# each filter narrows it; keyset pages of one row walk every row once; an
# agent sees only their calls and another's detail is 404; a detail's
# timeline is in order; bad filters are 400 naming the field; signed out
# is a redirect (page) or 401 (JSON).
. "$(dirname "$0")/lib.sh"

stack_start
web_setup records

sql "UPDATE cc_skill_group SET ring_timeout_s = 30, max_wait_s = 60, wrapup_s = 0, no_answer_break = 0"
sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/welcome.wav" synth 0.3 sine 440 2>/dev/null
check "the B2BUA reloads its directory" reload_dir
phone a1 1 -set answer_ms 300
phone a2 2 -set answer_ms 300
both_registered() { registered "$A1" && registered "$A2"; }
check "agents' phones register" eventually 30 both_registered

# --- 1. three calls ------------------------------------------------------------------
ready "$A1"
CA=$(bridged_call ca "$KNOWN_CALLER")
check "call A: answered by agent1" test "$(col "$CA" "CONCAT(result, ' ', agent_id)")" = "answered $A1"
sql "INSERT INTO cc_call_note (call_id, agent_id, contact_id, intent, note, saved_by, saved_at)
     VALUES ('$CA', '$A1', '$CONTACT', 'ok', '客户咨询退货', '$A1', NOW(3))"

ready
background caller cb "$NUMBER" -i 127.0.0.1 -set caller 13900139701 -set until_notify 1
pid=$BG_PID
check "call B waits in the queue (nobody signed in)" eventually 30 call_in_state queued
hang_up cb "$pid" >/dev/null
CB=$(call_of cb)
check "call B: abandoned in the queue" \
  test "$(col "$CB" "CONCAT(result, ' ', end_state)")" = "abandoned queued"

ready "$A2"
background caller cc "$IVR_NUMBER" -i 127.0.0.1 -set caller 13900139702 -set key 1 -set until_notify 1
pid=$BG_PID
check "call C: key 1 in the menu, then agent2 answers" eventually 40 call_in_state bridged
hang_up cc "$pid" >/dev/null
CC=$(call_of cc)
check "call C: answered by agent2" test "$(col "$CC" "CONCAT(result, ' ', agent_id)")" = "answered $A2"
check "no call left behind" eventually 20 no_calls

# --- 2. the admin's list -----------------------------------------------------------------
ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
expect_match "admin signs in" '^[0-9a-f]{64}$' "$ta"
t1=$(login j1 "$A1_LOGIN" "$AGENT_PASSWORD")
expect_match "agent1 signs in" '^[0-9a-f]{64}$' "$t1"
API=$base/cc/api/records
ALL="from=2000-01-01"
# J NAME JQ-ARGS... FILTER: jq with arguments over response NAME's body.
J() { local n=$1; shift; jq -r "$@" "$tmp/$n.b" 2>/dev/null; }
# ids NAME: the ids of response NAME's items, in order, one line.
ids() { json "$1" '[.items[].id] | join(" ")'; }
# ours NAME: which of calls A, B, C response NAME lists, in its order.
ours() { json "$1" '.items[].id' | grep -xE "$CA|$CB|$CC" | tr '\n' ' ' | sed 's/ $//'; }
A() { http "$1" -b "$tmp/ja" "$API?$2"; }

expect_eq "the list answers" 200 "$(A l0 "$ALL&limit=200")"
expect_eq "it lists the three calls, newest first" "$CC $CB $CA" "$(ours l0)"
expect_eq "with their results and stages" "answered - abandoned queue answered -" \
  "$(J l0 --arg a "$CA" --arg b "$CB" --arg c "$CC" \
     '[.items[] | select(.id == $c or .id == $b or .id == $a) | .result, (.stage // "-")] | join(" ")')"
expect_eq "call A's row: agent, contact, group, number, hung up by" \
  "$A1_NAME 陈小明 $GROUP_NAME caller inbound" \
  "$(J l0 --arg a "$CA" '.items[] | select(.id == $a) | [.agent_name, .contact_name, .group_name, .hangup_side, .direction] | join(" ")')"
expect_match "call A's wait and talk are seconds" '^[0-9]+ [0-9]+$' \
  "$(J l0 --arg a "$CA" '.items[] | select(.id == $a) | "\(.wait_s) \(.talk_s)"')"
expect_eq "a row links to its page" "/cc/records/$CA" \
  "$(J l0 --arg a "$CA" '.items[] | select(.id == $a) | .href')"

# --- 3. filters --------------------------------------------------------------------------
f() { A "$1" "$ALL&limit=200&$2" >/dev/null; ours "$1"; }
expect_eq "result=answered" "$CC $CA" "$(f f1 result=answered)"
expect_eq "result=abandoned" "$CB" "$(f f2 result=abandoned)"
expect_eq "stage=queue" "$CB" "$(f f3 stage=queue)"
expect_eq "stage=ivr" "" "$(f f4 stage=ivr)"
expect_eq "agent=agent1" "$CA" "$(f f5 "agent=$A1")"
expect_eq "agent=agent2" "$CC" "$(f f6 "agent=$A2")"
expect_eq "direction=inbound" "$CC $CB $CA" "$(f f7 direction=inbound)"
expect_eq "direction=outbound" "" "$(f f8 direction=outbound)"
expect_eq "number=+86 138 0013 8000 (normalized)" "$CA" "$(f f9 "number=%2B86%20138%200013%208000")"
expect_eq "number=13900139 (a part)" "$CC $CB" "$(f f10 number=13900139)"
expect_eq "group=the demo group" "$CC $CB $CA" "$(f f11 "group=$GROUP")"
NID=$(sql "SELECT id FROM cc_number WHERE number = '$NUMBER'")
expect_eq "number_id=the demo number" "$CB $CA" "$(f f12 "number_id=$NID")"
expect_eq "sl_missed=1&sl=3600: none waited an hour" "" "$(f f13 "sl_missed=1&sl=3600")"
expect_eq "sl_missed=1 keeps answered calls only" "" \
  "$(A f14 "$ALL&limit=200&sl_missed=1&sl=1" >/dev/null; ours f14 | tr ' ' '\n' | grep -x "$CB")"
A s0 "$ALL&limit=200" >/dev/null
startA=$(J s0 --arg a "$CA" '.items[] | select(.id == $a) | .started_at')
minute=$(echo "$startA" | cut -c1-16 | tr ' ' T)
expect_eq "from=the minute call A started: it is there" "$CA" \
  "$(A f15 "from=$minute&limit=200" >/dev/null; ours f15 | tr ' ' '\n' | grep -x "$CA")"
expect_eq "to=that minute (exclusive): none of the three" "" \
  "$(A f16 "from=2000-01-01&to=$minute&limit=200" >/dev/null; ours f16)"
expect_eq "from=tomorrow: nothing" "0" \
  "$(A f17 "from=$(date -d tomorrow +%F)T23:59&limit=200" >/dev/null; json f17 '.items | length')"

# --- 4. keyset pages ---------------------------------------------------------------------
all=$(A k0 "$ALL&limit=200" >/dev/null; ids k0)
walked="" cursor="" pages=0
while :; do
  A k "$ALL&limit=1${cursor:+&after=$cursor}" >/dev/null
  [ "$(json k '.items | length')" -le 1 ] || { not_ok "a page of limit=1 has one row"; break; }
  walked="$walked${walked:+ }$(ids k)"
  pages=$((pages + 1))
  cursor=$(json k '.next // empty')
  [ -n "$cursor" ] && [ "$pages" -lt 500 ] || break
done
expect_eq "pages of one row walk every row once, in order ($pages pages)" "$all" "$walked"
expect_eq "a bad cursor is 400 after" "400 after" "$(A k1 "after=c1.x.y") $(json k1 .field)"

# --- 5. agents see their own -------------------------------------------------------------
G1() { http "$1" -b "$tmp/j1" "$2"; }
G1 g1 "$API?$ALL&limit=200" >/dev/null
expect_eq "agent1's list has only agent1's calls" "$CA" "$(ours g1)"
expect_eq "and no call of anyone else" "" "$(J g1 --arg a "$A1" '.items[] | select(.agent_id != $a) | .id')"
expect_eq "agent1 naming agent2 is refused" 403 "$(G1 g2 "$API?agent=$A2")"
expect_eq "agent1 naming agent1 is fine" 200 "$(G1 g3 "$API?agent=$A1")"
expect_eq "agent1 opens its call's detail" 200 "$(G1 g4 "$API/$CA")"
expect_eq "agent2's call is not found for agent1 (JSON)" 404 "$(G1 g5 "$API/$CC")"
expect_eq "nor as a page" 404 "$(G1 g6 "$base/cc/records/$CC")"
expect_eq "an unknown call is 404 too" 404 "$(G1 g7 "$API/0123456789abcdef0123456789abcdef")"

# --- 6. details ----------------------------------------------------------------------
expect_eq "call A's detail" 200 "$(http d1 -b "$tmp/ja" "$API/$CA")"
expect_eq "its timeline in order (prompts aside)" "start enqueue offer ringing answer end" \
  "$(json d1 '[.timeline[] | select(.event != "prompt") | .event] | join(" ")')"
expect_eq "each row with its local time and offset" "true" \
  "$(json d1 '[.timeline[] | (.at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}$")) and (.offset | test("^\\+[0-9]+\\.[0-9]s$"))] | all')"
expect_eq "offsets never go back" "true" "$(json d1 '[.timeline[].at_ms] | . == sort')"
expect_eq "the offer and the answer name agent1" "$A1_NAME $A1_NAME" \
  "$(json d1 '[.timeline[] | select(.event == "offer" or .event == "answer") | .agent_name] | join(" ")')"
expect_eq "the enqueue names the group" "$GROUP_NAME" "$(json d1 '.timeline[] | select(.event == "enqueue") | .group_name')"
expect_eq "the end says the result" "answered" "$(json d1 '.timeline[] | select(.event == "end") | .detail')"
expect_eq "the contact" "陈小明 $KNOWN_CALLER" "$(json d1 '"\(.contact.name) \(.contact.phone)"')"
expect_eq "the saved form: intent, note, who" "ok 客户咨询退货 $A1_NAME" \
  "$(json d1 '"\(.note.intent) \(.note.note) \(.note.saved_by_name)"')"
expect_eq "no recording" "null" "$(json d1 .recording)"
expect_match "durations: queue wait, ring, talk" '^[0-9]+ [0-9]+ [0-9]+$' \
  "$(json d1 '"\(.call.wait_s) \(.call.ring_s) \(.call.talk_s)"')"
expect_eq "call C's IVR path: the menu left by key 1" "menu key 1 1" \
  "$(http d2 -b "$tmp/ja" "$API/$CC" >/dev/null; json d2 '.timeline[] | select(.event == "ivr" and .exit == "key 1") | "\(.node) \(.exit) \(.digits)"')"
expect_eq "and the key pressed" "1" "$(json d2 '.timeline[] | select(.event == "dtmf") | .detail')"
expect_eq "call B: abandoned in the queue, hung up by the caller" "abandoned queue caller queued" \
  "$(http d3 -b "$tmp/ja" "$API/$CB" >/dev/null; json d3 '"\(.call.result) \(.call.stage) \(.call.hangup_side) \(.call.end_state)"')"
expect_eq "the detail page" 200 "$(http p1 -b "$tmp/ja" "$base/cc/records/$CA")"
check "it shows the timeline's rows" grep -q 'data-event="answer"' "$tmp/p1.b"
check "and the saved note" grep -q '客户咨询退货' "$tmp/p1.b"

# --- 7. bad filters ----------------------------------------------------------------------
for bad in from=2026-13-01 to=x "from=2026-12-04&to=2026-12-04" number=ab agent=a%27b group=0 \
  number_id=x task=-1 direction=up result=lost stage=menu "result=answered&stage=queue" \
  sl_missed=2 "result=failed&sl_missed=1" sl=0 limit=0 limit=201 after=zz; do
  field=${bad##*&}; field=${field%%=*}
  [ "$bad" = "from=2026-12-04&to=2026-12-04" ] && field=to
  got="$(A b "$bad") $(json b .field) $(json b .ok) $(json b .error)"
  expect_eq "$bad is 400 naming $field" "400 $field false bad_request" "$got"
done
check "with a message" test -n "$(json b .message)"
expect_eq "the page with a bad date is 400" 400 "$(http b2 -b "$tmp/ja" "$base/cc/records?from=2026-13-01")"
check "and says which field" grep -q 'data-field="from"' "$tmp/b2.b"

# --- 8. the page and access ----------------------------------------------------------------
expect_eq "the list page" 200 "$(http p2 -b "$tmp/ja" "$base/cc/records?$ALL")"
check "it lists call A with a link" grep -q "href=\"/cc/records/$CA\"" "$tmp/p2.b"
expect_eq "agent1's page" 200 "$(G1 p3 "$base/cc/records?$ALL")"
check "agent1's page has no agent2 call" test "$(grep -c "data-id=\"$CC\"" "$tmp/p3.b")" = 0
expect_eq "signed out, the page goes to sign-in" "303 /cc/login" \
  "$(http n1 "$base/cc/records") $(hdr n1 Location | sed 's#^https\?://[^/]*##')"
expect_eq "signed out, JSON is 401" 401 "$(http n2 "$API")"
expect_eq "signed out, a detail is 401" 401 "$(http n3 "$API/$CA")"

finish
