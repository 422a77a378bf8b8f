#!/usr/bin/env bash
# The agent's side of an outbound task's call on the workbench, with the
# real stack and no dialer: a task, its targets and a cc_call row as the
# dialer leaves them for a call agent1 answered. Then, through nginx: the
# conversation list shows the call online, and left once it ended; the
# call reopens as its pop (task name, the target's data, a new-contact form
# with the number and the data's name); agent1 saves the customer with an
# intent and a note: the uk_contacts row, the call's and the target's link,
# the cc_call_note row; another agent is refused (403) and nothing changes;
# bad input is a 422 that changes nothing; a target the call is not
# recorded for is not linked; a save after the hangup works; and a later
# inbound call from that number is matched to the saved contact by the
# B2BUA's lookup.
. "$(dirname "$0")/lib.sh"

stack_start
web_setup wb-outbound

hex32() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
CUSTOMER=13900139555
C1=$(hex32) C2=$(hex32)

# --- 1. a task, two targets, and two answered calls of agent1 --------------------------
sql "INSERT INTO cc_task (name, skill_group_id, caller_id_number_id, caller_id, state, created_by, targets_total)
     VALUES ('春季回访', $GROUP, 1, '$NUMBER', 'running', '$ADMIN', 2)"
TASK=$(sql "SELECT id FROM cc_task WHERE name = '春季回访'")
sql "INSERT INTO cc_task_target (task_id, line, number, data, state, attempts, last_result, last_call_id)
     VALUES ($TASK, 2, '+86$CUSTOMER', '{\"姓名\":\"刘备\",\"订单\":\"A-778\"}', 'answered', 1, 'answered', '$C1'),
            ($TASK, 3, '+8613900139666', '{\"订单\":\"B-100\"}', 'answered', 1, 'answered', '$(hex32)')"
T1=$(sql "SELECT id FROM cc_task_target WHERE task_id = $TASK AND line = 2")
T2=$(sql "SELECT id FROM cc_task_target WHERE task_id = $TASK AND line = 3")
sql "INSERT INTO cc_task_attempt (task_id, target_id, attempt, call_id, node, started_at, answered_at, connected_at)
     VALUES ($TASK, $T1, 1, '$C1', 'node1', NOW(3), NOW(3), NOW(3))"
# C2 names T2, but the dialer never recorded C2 for T2: no link to T2.
sql "INSERT INTO cc_call (id, sip_call_id, node, direction, caller, callee, skill_group_id, agent_id,
       started_at, answered_at, task_id, target_id)
     VALUES ('$C1', 'wb-out-1', 'node1', 'outbound', '$NUMBER', '$CUSTOMER', $GROUP, '$A1',
             NOW(3) - INTERVAL 1 MINUTE, NOW(3), $TASK, $T1),
            ('$C2', 'wb-out-2', 'node1', 'outbound', '$NUMBER', '13900139666', $GROUP, '$A1',
             NOW(3) - INTERVAL 2 MINUTE, NOW(3) - INTERVAL 1 MINUTE, $TASK, $T2)"

t1=$(login j1 "$A1_LOGIN" "$AGENT_PASSWORD")
t2=$(login j2 "$A2_LOGIN" "$AGENT_PASSWORD")
expect_match "agent1 and agent2 sign in" '^[0-9a-f]{64} [0-9a-f]{64}$' "$t1 $t2"

# conv NAME CALL: the <li> of CALL in the conversation list of page NAME.
conv() { grep -o "<li class=\"conv\" data-call-id=\"$2\"[^>]*>.\{0,900\}</li>" "$tmp/$1.b" | head -n 1; }

# --- 2. the conversation list --------------------------------------------------------------
expect_eq "agent1's workbench" 200 "$(http wb1 -b "$tmp/j1" "$base/cc/workbench")"
li=$(conv wb1 "$C1")
expect_match "lists the call in progress online, outbound, with the phone icon" \
  'data-online="1" data-direction="outbound".*phone-icon phone-online.*13900139555.*呼出.*在线' "$li"
expect_match "newest first" "data-call-id=\"$C1\".*data-call-id=\"$C2\"" "$(tr -d '\n' < "$tmp/wb1.b")"
http wb2 -b "$tmp/j2" "$base/cc/workbench" >/dev/null
expect_eq "agent2's list does not show agent1's calls" "" "$(conv wb2 "$C1")"

# --- 3. the call reopened as its pop -----------------------------------------------------------
expect_eq "agent1 opens the call" "200 true" "$(http item1 -b "$tmp/j1" "$base/cc/api/workbench/calls/$C1") $(json item1 .ok)"
expect_eq "the pop names the task and target" "春季回访 $TASK $T1" \
  "$(json item1 '[.pop.task_name, .pop.task, .pop.target] | join(" ")')"
expect_eq "with the target's data (the task's name apart)" "姓名=刘备 订单=A-778" \
  "$(json item1 '[.pop.data[] | .name + "=" + .value] | join(" ")')"
expect_eq "an unknown number: a new-contact form with the number and the data's name" \
  "false mobileno=13900139555 name=刘备" \
  "$(json item1 '"\(.pop.known) \(.pop.prefill.column)=\(.pop.prefill.value) \(.pop.prefill_name.column)=\(.pop.prefill_name.value)"')"
expect_eq "outbound, not ended, nothing recorded yet" "outbound false null" \
  "$(json item1 '"\(.direction) \(.ended) \(.note.intent)"')"
expect_eq "agent2 cannot open agent1's call (404)" 404 \
  "$(http item2 -b "$tmp/j2" "$base/cc/api/workbench/calls/$C1")"

# save NAME JAR TOKEN CURL-ARGS...: POST /cc/api/contacts/save as a form.
save() {
  local name=$1 jar=$2 token=$3; shift 3
  http "$name" -b "$tmp/$jar" -H "X-CSRF-Token: $token" "$@" "$base/cc/api/contacts/save"
}
contacts_of() { sql "SELECT COUNT(*) FROM uk_contacts WHERE mobileno = '$1'"; }

# --- 4. refusals that change nothing -------------------------------------------------------------
expect_eq "agent2 cannot save on agent1's call (403 forbidden)" "403 forbidden" \
  "$(save s-a2 j2 "$t2" --data-urlencode "_call=$C1" --data-urlencode "name=冒名" \
      --data-urlencode "mobileno=$CUSTOMER" --data-urlencode "_intent=interested") $(json s-a2 .error)"
expect_eq "without the CSRF token (403 csrf)" "403 csrf" \
  "$(http s-csrf -b "$tmp/j1" --data-urlencode "_call=$C1" --data-urlencode "name=刘备" \
      --data-urlencode "mobileno=$CUSTOMER" "$base/cc/api/contacts/save") $(json s-csrf .error)"
expect_eq "an intent not in the list (422, on _intent)" "422 请选择列表中的意向" \
  "$(save s-bad j1 "$t1" --data-urlencode "_call=$C1" --data-urlencode "name=刘备" \
      --data-urlencode "mobileno=$CUSTOMER" --data-urlencode "_intent=maybe") $(json s-bad .errors._intent)"
expect_eq "a note of 1001 characters (422, on _note)" "422 备注最多 1000 个字" \
  "$(save s-long j1 "$t1" --data-urlencode "_call=$C1" --data-urlencode "name=刘备" \
      --data-urlencode "mobileno=$CUSTOMER" --data-urlencode "_note=$(printf '备%.0s' $(seq 1001))") $(json s-long .errors._note)"
expect_eq "an intent without a call (422)" 422 \
  "$(save s-nocall j1 "$t1" --data-urlencode "name=刘备" --data-urlencode "mobileno=$CUSTOMER" \
      --data-urlencode "_intent=interested")"
expect_eq "a call that does not exist (404)" 404 \
  "$(save s-nocall2 j1 "$t1" --data-urlencode "_call=$(hex32)" --data-urlencode "name=刘备" \
      --data-urlencode "mobileno=$CUSTOMER")"
expect_eq "none of these saved a contact, a note or a link" "0 0 - -" \
  "$(contacts_of $CUSTOMER) $(sql "SELECT COUNT(*) FROM cc_call_note") $(sql "SELECT COALESCE(contact_id, '-') FROM cc_task_target WHERE id = $T1") $(col "$C1" "COALESCE(contact_id, '-')")"

# --- 5. agent1 saves during the call ------------------------------------------------------------
expect_eq "agent1 saves the customer with an intent and a note" "200 true" \
  "$(save s1 j1 "$t1" --data-urlencode "_id=" --data-urlencode "_call=$C1" --data-urlencode "name=刘备" \
      --data-urlencode "mobileno=$CUSTOMER" --data-urlencode "_intent=interested" \
      --data-urlencode "_note=想了解年度套餐") $(json s1 .ok)"
ID=$(json s1 .contact.id)
expect_eq "the uk_contacts row is created" "1 刘备" \
  "$(sql "SELECT CONCAT_WS(' ', COUNT(*), MAX(name)) FROM uk_contacts WHERE mobileno = '$CUSTOMER' AND id = '$ID'")"
expect_eq "the call and the target are linked to it" "$ID $ID" \
  "$(col "$C1" contact_id) $(sql "SELECT contact_id FROM cc_task_target WHERE id = $T1")"
expect_eq "the call's note: agent, contact, task, target, intent, note" \
  "$A1 $ID $TASK $T1 interested 想了解年度套餐 $A1" \
  "$(sql "SELECT CONCAT_WS(' ', agent_id, contact_id, task_id, target_id, intent, note, saved_by) FROM cc_call_note WHERE call_id = '$C1'")"
expect_eq "the number is in the phone index the B2BUA looks up" "$ID" \
  "$(sql "SELECT contact_id FROM cc_contact_phone WHERE phone = '+86$CUSTOMER'")"

# --- 6. a call not recorded for the target it names ---------------------------------------------
expect_eq "agent1 saves on the other call" 200 \
  "$(save s2 j1 "$t1" --data-urlencode "_call=$C2" --data-urlencode "name=关羽" \
      --data-urlencode "mobileno=13900139666" --data-urlencode "_intent=follow_up")"
expect_eq "the call is linked, the target it names is not" "$(json s2 .contact.id) -" \
  "$(col "$C2" contact_id) $(sql "SELECT COALESCE(contact_id, '-') FROM cc_task_target WHERE id = $T2")"

# --- 7. after the hangup: left, reopened, still editable ------------------------------------------
sql "UPDATE cc_call SET ended_at = NOW(3), result = 'answered', hangup_side = 'caller' WHERE id = '$C1'"
http wb1b -b "$tmp/j1" "$base/cc/workbench" >/dev/null
expect_match "the list shows the call as left with the grey phone, and its intent" \
  'data-online="0".*phone-icon phone-left.*刘备.*已离开.*有意向' "$(conv wb1b "$C1")"
http item1b -b "$tmp/j1" "$base/cc/api/workbench/calls/$C1" >/dev/null
expect_eq "reopened: ended, the saved contact known, the intent and note back" "true true $ID interested 想了解年度套餐" \
  "$(json item1b '"\(.ended) \(.pop.known) \(.pop.contact.id) \(.note.intent) \(.note.note)"')"
expect_eq "agent1 edits after the call" 200 \
  "$(save s3 j1 "$t1" --data-urlencode "_id=$ID" --data-urlencode "_call=$C1" --data-urlencode "company=蜀汉商贸" \
      --data-urlencode "_intent=callback" --data-urlencode "_note=周三下午回电")"
expect_eq "one note per call, updated; the contact updated, not duplicated" "1 callback 周三下午回电 1 蜀汉商贸" \
  "$(sql "SELECT CONCAT_WS(' ', COUNT(*), MAX(intent), MAX(note)) FROM cc_call_note WHERE call_id = '$C1'") $(contacts_of $CUSTOMER) $(sql "SELECT company FROM uk_contacts WHERE id = '$ID'")"

# --- 8. the next call from that number finds the record ------------------------------------------
caller c1 "$NUMBER" -i 127.0.0.1 -set caller "$CUSTOMER" -set hold_ms 1500
call=$(last_call "$CUSTOMER")
expect_eq "a later inbound call from the number is matched to the saved contact" "$ID" "$(col "$call" contact_id)"

finish
