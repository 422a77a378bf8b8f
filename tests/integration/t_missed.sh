#!/usr/bin/env bash
# 未接来电, the missed-call worklist (docs/missed-calls.md), with real calls
# through the stack: a call abandoned in the queue (nobody signed in, the
# caller hangs up), one abandoned while agent1's phone rang, one that
# reached no agent (the group hangs up when nobody is signed in) are in
# their group's worklist; an answered call is not. Then: an agent of
# another group neither sees nor claims them (404); two agents claim one
# call at once, in a loop, and exactly one wins each time (409 "已被 X
# 领取" for the other); a claim expires; only its holder or an admin
# releases it; an outcome closes every open missed call of the number in
# the group and is audited; a later answered call from the same number
# shows as "called back since" and hides the call by default; CSRF.
#
# Demo data (tests/demo.env): $A1..$A3 (phones 1001..1003), group $GROUP of
# $NUMBER. agent1 and agent2 are made members of $GROUP (whose worklist
# they see); agent3 of a group of its own only.
. "$(dirname "$0")/lib.sh"

stack_start
web_setup missed
API=$base/cc/api/missed

sql "INSERT IGNORE INTO cc_skill_group_member (skill_group_id, user_id) VALUES ($GROUP, '$A1'), ($GROUP, '$A2')"
sql "INSERT INTO cc_skill_group (name) VALUES ('其他组')"
OTHER=$(sql "SELECT id FROM cc_skill_group WHERE name = '其他组'")
sql "INSERT IGNORE INTO cc_skill_group_member (skill_group_id, user_id) VALUES ($OTHER, '$A3')"
sql "UPDATE cc_skill_group SET ring_timeout_s = 30, max_wait_s = 120, wrapup_s = 0, no_answer_break = 0"
sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/welcome.wav" synth 0.3 sine 440 2>/dev/null
check "the B2BUA reloads its directory" reload_dir
phone a1 1 -set noanswer 1
phone a2 2 -set answer_ms 300
both_registered() { registered "$A1" && registered "$A2"; }
check "agent1's and agent2's phones register" eventually 30 both_registered

# --- 1. three missed calls and an answered one --------------------------------------
lost() { # NAME CALLER STATE: a call that waits in STATE, then its caller hangs up
  background caller "$1" "$NUMBER" -i 127.0.0.1 -set caller "$2" -set until_notify 1
  local pid=$BG_PID
  eventually 30 call_in_state "$3" || diag "call $1 never reached $3"
  hang_up "$1" "$pid" >/dev/null
  call_of "$1"
}
ready
Q1=$(lost q1 13900139401 queued)
expect_eq "nobody signed in: the caller hangs up in the queue" "abandoned queued" \
  "$(col "$Q1" "CONCAT(result, ' ', end_state)")"
ready "$A1"
R1=$(lost r1 13900139402 offering)
expect_eq "agent1's phone rings, the caller hangs up" "abandoned offering" \
  "$(col "$R1" "CONCAT(result, ' ', end_state)")"
sql "UPDATE cc_skill_group SET no_agent_action = 'hangup' WHERE id = $GROUP"
check "the group now hangs up when nobody is signed in" reload_dir
ready
caller u1 "$NUMBER" -i 127.0.0.1 -set caller 13900139403 -set wait_bye 1
U1=$(call_of u1)
expect_eq "the call reaches no agent" "no_agent" "$(col "$U1" result)"
sql "UPDATE cc_skill_group SET no_agent_action = 'wait' WHERE id = $GROUP"
check "the group waits again" reload_dir
ready "$A2"
D1=$(bridged_call d1 13900139404)
expect_eq "agent2 answers another caller" "answered $A2" "$(col "$D1" "CONCAT(result, ' ', agent_id)")"

# --- 2. the worklist ------------------------------------------------------------------
ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
t1=$(login j1 "$A1_LOGIN" "$AGENT_PASSWORD")
t2=$(login j2 "$A2_LOGIN" "$AGENT_PASSWORD")
t3=$(login j3 "$A3_LOGIN" "$AGENT_PASSWORD")
expect_match "the admin and three agents sign in" '^([0-9a-f]{64} ){3}[0-9a-f]{64}$' "$ta $t1 $t2 $t3"
item() { json "$1" ".items[] | select(.id == \"$2\") | $3"; }
expect_eq "agent1's list: 200" 200 "$(http l1 -b "$tmp/j1" "$API")"
expect_eq "the call lost in the queue: its group, number, stage, open" \
  "$GROUP +8613900139401 queue open" "$(item l1 "$Q1" '"\(.group_id) \(.caller_norm) \(.stage) \(.state)"')"
expect_eq "the call lost while ringing" "ringing open" "$(item l1 "$R1" '"\(.stage) \(.state)"')"
expect_eq "the call that reached no agent" "no_agent open" "$(item l1 "$U1" '"\(.stage) \(.state)"')"
expect_eq "the answered call is not in the list" "" "$(item l1 "$D1" .id)"
expect_match "how long the caller waited is given in seconds" '^[0-9]+$' "$(item l1 "$Q1" .waited_s)"
expect_match "the time is local (YYYY-MM-DD HH:MM:SS)" '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$' \
  "$(item l1 "$Q1" .at)"
expect_eq "the admin sees them too" "3" \
  "$(http la -b "$tmp/ja" "$API" >/dev/null; json la "[.items[] | select(.id == \"$Q1\" or .id == \"$R1\" or .id == \"$U1\")] | length")"
expect_eq "agent3, of another group: not in its list" "200 0" \
  "$(http l3 -b "$tmp/j3" "$API") $(json l3 '.items | length')"
expect_eq "agent3 cannot claim it (404)" 404 \
  "$(http c3 -b "$tmp/j3" -H "X-CSRF-Token: $t3" --data '{}' -H 'Content-Type: application/json' "$API/$Q1/claim")"
expect_eq "filtered by the other group: empty for the admin" 0 \
  "$(http lg -b "$tmp/ja" "$API?group=$OTHER" >/dev/null; json lg '.items | length')"
expect_eq "a malformed date is refused (422)" "422 invalid" \
  "$(http lb -b "$tmp/j1" "$API?from=2026-13-01") $(json lb .error)"
expect_eq "from tomorrow: nothing" 0 \
  "$(http lt -b "$tmp/j1" "$API?from=$(date -d tomorrow +%F)" >/dev/null; json lt '.items | length')"
expect_eq "the page lists them, with the number" "200 1 1" \
  "$(http p1 -b "$tmp/j1" "$base/cc/missed") $(grep -c "<tr data-id=\"$Q1\"" "$tmp/p1.b") $(grep -c '13900139401' "$tmp/p1.b" | awk '{ print ($1 > 0) }')"
expect_eq "agents have it in the top navigation, admins in the console's side" "1 1" \
  "$(grep -c 'id="nav-missed"' "$tmp/p1.b") $(http pa -b "$tmp/ja" "$base/cc/missed" >/dev/null; grep -c 'id="side-missed"' "$tmp/pa.b")"

# --- 3. claims --------------------------------------------------------------------------
claim() { # JAR TOKEN CALL NAME: status of a claim
  http "$4" -b "$tmp/$1" -H "X-CSRF-Token: $2" -H 'Content-Type: application/json' --data '{}' "$API/$3/claim"
}
post() { # JAR TOKEN CALL ACTION NAME [JSON]
  local body='{}'
  [ $# -ge 6 ] && body=$6
  http "$5" -b "$tmp/$1" -H "X-CSRF-Token: $2" -H 'Content-Type: application/json' --data "$body" "$API/$3/$4"
}
expect_eq "a claim without the CSRF token is refused (403)" 403 \
  "$(http c0 -b "$tmp/j1" -H 'Content-Type: application/json' --data '{}' "$API/$Q1/claim")"
wins=0
for i in 1 2 3 4 5 6; do
  claim j1 "$t1" "$Q1" "x1-$i" > "$tmp/s1" & p1=$!
  claim j2 "$t2" "$Q1" "x2-$i" > "$tmp/s2" & p2=$!
  wait "$p1" "$p2"
  got=$(echo "$(cat "$tmp/s1") $(cat "$tmp/s2")" | tr ' ' '\n' | sort | tr '\n' ' ')
  if [ "$got" = "200 409 " ]; then
    wins=$((wins + 1))
    loser=$([ "$(cat "$tmp/s1")" = 409 ] && echo "x1-$i" || echo "x2-$i")
    winner=$([ "$(cat "$tmp/s1")" = 200 ] && echo "$A1_NAME" || echo "$A2_NAME")
    [ "$(json "$loser" .message)" = "已被 $winner 领取" ] || diag "try $i: the loser was told '$(json "$loser" .message)'"
    [ "$(json "$loser" .message)" = "已被 $winner 领取" ] || wins=$((wins - 1))
  else
    diag "try $i: statuses $got"
  fi
  post ja "$ta" "$Q1" release "xr-$i" >/dev/null
done
expect_eq "two agents claim at once, six times: one wins, the other is told who has it" 6 "$wins"
expect_eq "no claim is left after the admin's releases" 0 "$(sql "SELECT COUNT(*) FROM cc_missed_claim")"
expect_eq "agent1 claims it" "200 claimed true" \
  "$(claim j1 "$t1" "$Q1" c1) $(json c1 '"\(.item.state) \(.item.mine)"')"
expect_eq "agent2 sees it claimed by agent1" "claimed $A1_NAME false" \
  "$(http l2 -b "$tmp/j2" "$API" >/dev/null; item l2 "$Q1" '"\(.state) \(.claimed_name) \(.mine)"')"
expect_eq "agent1 claims it again: still theirs (200)" 200 "$(claim j1 "$t1" "$Q1" c1b)"
expect_eq "agent2 cannot release agent1's claim (403)" 403 "$(post j2 "$t2" "$Q1" release r2)"
expect_eq "agent2 cannot set its outcome while agent1 holds it (409)" "409 missed.claimed" \
  "$(post j2 "$t2" "$Q1" outcome o2 '{"outcome":"reached"}') $(json o2 .error)"
sql "UPDATE cc_missed_claim SET claimed_at = NOW(3) - INTERVAL 31 MINUTE"
expect_eq "after 30 minutes without an outcome the claim has expired: open again" open \
  "$(http l2b -b "$tmp/j2" "$API" >/dev/null; item l2b "$Q1" .state)"
expect_eq "and agent2 may claim it" "200 $A2" "$(claim j2 "$t2" "$Q1" c2) $(json c2 .item.claimed_by)"

# --- 4. the outcome ---------------------------------------------------------------------------
expect_eq "an outcome that is none of the four is refused (422)" "422 invalid" \
  "$(post j2 "$t2" "$Q1" outcome o3 '{"outcome":"maybe"}') $(json o3 .error)"
expect_eq "agent2 records: reached, with a note" "200 done reached 1" \
  "$(post j2 "$t2" "$Q1" outcome o4 '{"outcome":"reached","note":"已回电，客户问题已解决"}') $(json o4 '"\(.item.state) \(.item.outcome) \(.calls)"')"
expect_eq "the list (to do) no longer has it; done has it, by agent2" "0 reached $A2_NAME 已回电，客户问题已解决" \
  "$(http l4 -b "$tmp/j1" "$API" >/dev/null; json l4 "[.items[] | select(.id == \"$Q1\")] | length") $(http l5 -b "$tmp/j1" "$API?state=done" >/dev/null; item l5 "$Q1" '"\(.outcome) \(.done_name) \(.outcome_note)"')"
expect_eq "a second outcome is refused (409)" "409 missed.done" \
  "$(post j1 "$t1" "$Q1" outcome o5 '{"outcome":"no_answer"}') $(json o5 .error)"
expect_eq "a claim of a call done is refused (409)" "409 missed.done" "$(claim j1 "$t1" "$Q1" c5) $(json c5 .error)"
expect_eq "claims, releases and the outcome are audited" "9 6 1" \
  "$(sql "SELECT SUM(action = 'claim'), SUM(action = 'release'), SUM(action = 'outcome') FROM cc_audit_log WHERE resource = 'missed' AND item_id = '$Q1'" | tr '\t' ' ')"

# --- 5. one number, several missed calls: one outcome covers them -----------------------
EARLY=000000000000000000000000000mm001
sql "INSERT INTO cc_call (id, sip_call_id, node, direction, caller, caller_norm, callee, skill_group_id, started_at, enqueued_at, ended_at, result, hangup_side, end_state)
     VALUES ('$EARLY', 'missed-early@test', 'node1', 'inbound', '13900139403', '+8613900139403', '$NUMBER', $GROUP, NOW(3) - INTERVAL 1 HOUR, NOW(3) - INTERVAL 1 HOUR, NOW(3) - INTERVAL 59 MINUTE, 'abandoned', 'caller', 'queued')"
sql "UPDATE cc_call SET contact_id = '$CONTACT' WHERE id = '$EARLY'"
expect_eq "a call linked to a contact shows the contact's name" \
  "$(sql "SELECT name FROM uk_contacts WHERE id = '$CONTACT'")" \
  "$(http l5b -b "$tmp/j1" "$API" >/dev/null; item l5b "$EARLY" .contact_name)"
expect_eq "both calls of the number show 'same number, 2 times'" "2 2" \
  "$(http l6 -b "$tmp/j1" "$API" >/dev/null; item l6 "$U1" .same_number) $(item l6 "$EARLY" .same_number)"
expect_eq "a claim of one is a claim of the number: the other shows claimed too" "200 claimed $A1_NAME" \
  "$(claim j1 "$t1" "$U1" c6) $(http l7 -b "$tmp/j2" "$API" >/dev/null; item l7 "$EARLY" '"\(.state) \(.claimed_name)"')"
expect_eq "agent2 cannot claim the other call of that number (409)" 409 "$(claim j2 "$t2" "$EARLY" c7)"
expect_eq "one outcome closes both" "200 2" \
  "$(post j1 "$t1" "$U1" outcome o6 '{"outcome":"no_answer"}') $(json o6 .calls)"
expect_eq "both are done, no_answer" "no_answer no_answer" \
  "$(sql "SELECT GROUP_CONCAT(outcome) FROM cc_missed WHERE call_id IN ('$U1', '$EARLY')" | tr ',' ' ')"

# --- 6. called back since -----------------------------------------------------------------------
D2=$(bridged_call d2 13900139402)
expect_eq "the customer of the call lost while ringing calls again and is answered" answered "$(col "$D2" result)"
expect_eq "by default the list hides the call: the customer was reached since" "" \
  "$(http l8 -b "$tmp/j1" "$API" >/dev/null; item l8 "$R1" .id)"
expect_eq "with back=1 it shows, called back since by an inbound call" "$D2 inbound" \
  "$(http l9 -b "$tmp/j1" "$API?back=1" >/dev/null; item l9 "$R1" '"\(.called_back.call) \(.called_back.direction)"')"
expect_eq "it can be closed as not needed" "200 not_needed" \
  "$(post j1 "$t1" "$R1" outcome o7 '{"outcome":"not_needed"}') $(json o7 .item.outcome)"
expect_eq "releasing a call that is not claimed is refused (409)" 409 "$(post ja "$ta" "$EARLY" release r9)"

finish
