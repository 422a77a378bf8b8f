#!/usr/bin/env bash
# 外呼系统 > 免打扰号码 through nginx, with curl against the real stack: who
# may see and change the center-wide do-not-call list (admins, holders of
# the outbound system's resource code A11; an agent without it gets 403;
# a POST without the CSRF token is 403 and changes nothing); numbers added
# one a line, normalized, a bad line reported by line and nothing stored
# for it, repeats ignored; the list newest first, a page at a time, and a
# search by number in any common form; an open target of a stopped task
# with a number just added becomes dnc at once and its task's targets_done
# grows, a deleted task's target is left as it was; a task loaded from CSV
# afterwards drops the number and counts it; remove, and the target stays
# dnc; the audit log.
. "$(dirname "$0")/lib.sh"

stack_start

web_setup dnc
API=$base/cc/api/admin/tasks
DNC=$API/dnc

ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
expect_match "admin signs in" '^[0-9a-f]{64}$' "$ta"
t1=$(login j1 "$A1_LOGIN" "$AGENT_PASSWORD")
expect_match "agent1 signs in" '^[0-9a-f]{64}$' "$t1"

sql "INSERT INTO cc_number (number, display, name, \`usage\`) VALUES
       ('+862160000001', '021-6000 0001', '外呼 outbound', 'outbound')"
OUT=$(sql "SELECT id FROM cc_number WHERE number = '+862160000001'")
sql "INSERT INTO cc_skill_group_number (skill_group_id, number_id) VALUES ($GROUP, $OUT)"

# post NAME JAR TOKEN JSON URL: a JSON POST as the user of JAR; prints the status.
post() {
  http "$1" -b "$tmp/$2" -H "X-CSRF-Token: $3" -H 'Content-Type: application/json' \
    --data-binary "$4" "$5"
}
create() {
  local name=$1 file=$2
  http "$name" -b "$tmp/ja" -H "X-CSRF-Token: $ta" -F "name=$name" -F "skill_group_id=$GROUP" \
    -F "caller_id_number_id=$OUT" -F "targets=@$file;type=text/csv" "$API"
}
act() {
  http "$1" -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' \
    --data-binary '{}' "$API/$2/$3"
}
t_() { xmllint --xpath "string(//s[@k='$1'])" "$top/templates/i18n/task.zh-CN.xml"; }
ndnc() { sql "SELECT COUNT(*) FROM cc_dnc WHERE task_id = 0"; }
target_state() { sql "SELECT state FROM cc_task_target WHERE task_id = $1 AND number = '$2'"; }
done_of() { sql "SELECT targets_done FROM cc_task WHERE id = $1"; }

# --- access ------------------------------------------------------------------
for r in "GET /cc/admin/tasks/dnc" "GET /cc/api/admin/tasks/dnc" "POST /cc/api/admin/tasks/dnc" \
  "POST /cc/api/admin/tasks/dnc/remove"; do
  m=${r%% *} p=${r#* }
  if [ "$m" = POST ]; then
    st=$(post agent-try j1 "$t1" '{"numbers":"13900000009"}' "$base$p")
  else
    st=$(http agent-try -b "$tmp/j1" "$base$p")
  fi
  expect_eq "an agent without A11 gets 403 on $r" 403 "$st"
done
expect_eq "nothing was added by the agent" 0 "$(ndnc)"
expect_eq "without a session the JSON is 401" 401 "$(http anon "$DNC")"

sql "INSERT INTO uk_role (ID, NAME, CODE, CREATETIME) VALUES ('0r0000000000000000000000000000a1', '外呼专员', 'CALLOUT', NOW());
     INSERT INTO uk_role_auth (ID, NAME, ROLEID, DICID, DICVALUE, CREATETIME) VALUES
       ('0x0000000000000000000000000000a1', '外呼系统', '0r0000000000000000000000000000a1', '4028888163ffe467016400f640f30646', 'A11', NOW());
     INSERT INTO uk_userrole (id, user_id, role_id, createtime) VALUES
       ('0y0000000000000000000000000000a1', '$STAFF', '0r0000000000000000000000000000a1', NOW())"
ts=$(login js "$STAFF_LOGIN" "$STAFF_PASSWORD")
expect_match "a user granted A11 signs in" '^[0-9a-f]{64}$' "$ts"
expect_eq "and sees the page" 200 "$(http js-page -b "$tmp/js" "$base/cc/admin/tasks/dnc")"
http list0 -b "$tmp/ja" "$base/cc/admin/tasks" >/dev/null
expect_eq "the task list links the page" 1 "$(grep -c 'id="tk-dnc" href="/cc/admin/tasks/dnc"' "$tmp/list0.b")"

# --- a stopped task and a deleted one with waiting targets -------------------
csv=$tmp/t.csv
printf '%s\n' '电话,姓名' '13800138001,甲' '13800138002,乙' '13800138003,丙' > "$csv"
expect_eq "task A is created" 201 "$(create ta1 "$csv")"
TA=$(json ta1 .id)
expect_eq "task B is created" 201 "$(create tb1 "$csv")"
TB=$(json tb1 .id)
expect_eq "task B is deleted" 200 "$(act tb-del "$TB" delete)"
expect_eq "task A is stopped with its targets waiting, none done" "stopped waiting 0" \
  "$(sql "SELECT state FROM cc_task WHERE id = $TA") $(target_state "$TA" +8613800138002) $(done_of "$TA")"

# --- add ---------------------------------------------------------------------
expect_eq "an add without the CSRF token is 403" 403 \
  "$(http nocsrf -b "$tmp/ja" -H 'Content-Type: application/json' --data-binary '{"numbers":"13800138002"}' "$DNC")"
expect_eq "and adds nothing" 0 "$(ndnc)"
body=$(jq -n '{numbers: "138 0013 8002\n\nabc 123x\n+86 139-0000-0011\n13800138002\n", note: "客户要求 <b>"}')
expect_eq "numbers are added by the A11 holder" 200 "$(post add1 js "$ts" "$body" "$DNC")"
expect_eq "lines, added, duplicates, bad, targets closed" "4 2 1 1 1" \
  "$(json add1 '[.lines, .added, .duplicate, .bad, .targets] | map(tostring) | join(" ")')"
expect_eq "the bad line with its line and reason" "3 $(t_ task.dnc.bad_number)" \
  "$(json add1 '[.errors[] | "\(.line) \(.message)"] | join("|")')"
expect_eq "the numbers are stored normalized, nothing for the bad line" "+8613800138002 +8613900000011" \
  "$(sql "SELECT GROUP_CONCAT(number ORDER BY number SEPARATOR ' ') FROM cc_dnc WHERE task_id = 0")"
expect_eq "with the note and who added them" "客户要求 <b> $STAFF" \
  "$(sql "SELECT DISTINCT CONCAT(note, ' ', created_by) FROM cc_dnc WHERE task_id = 0")"
expect_eq "task A's waiting target with that number is dnc at once, counted as done" "dnc 1" \
  "$(target_state "$TA" +8613800138002) $(done_of "$TA")"
expect_eq "its other targets still wait" "waiting waiting" \
  "$(target_state "$TA" +8613800138001) $(target_state "$TA" +8613800138003)"
expect_eq "the deleted task's target is left as it was" "waiting 0" \
  "$(target_state "$TB" +8613800138002) $(done_of "$TB")"
http mon -b "$tmp/ja" "$API/$TA" >/dev/null
expect_eq "the monitor shows it (one done of three)" "3 1" "$(json mon '"\(.targets.total) \(.targets.done)"')"
expect_eq "the add is in the audit log, with the user" "1 $STAFF" \
  "$(sql "SELECT CONCAT(COUNT(*), ' ', MAX(user_id)) FROM cc_audit_log WHERE resource = 'dnc' AND action = 'add'")"
expect_eq "adding the same number again changes nothing" "200 0 1 0 1" \
  "$(post add2 ja "$ta" '{"numbers":"13800138002"}' "$DNC") $(json add2 .added) $(json add2 .duplicate) $(json add2 .targets) $(done_of "$TA")"
expect_eq "a text of bad lines only is refused and stores nothing" "422 no_numbers 2" \
  "$(post add3 ja "$ta" '{"numbers":"x\ny"}' "$DNC") $(json add3 .error) $(ndnc)"
expect_eq "an empty text is refused" "422 $(t_ task.dnc.empty)" \
  "$(post add4 ja "$ta" '{"numbers":" \n"}' "$DNC") $(json add4 .message)"
seq -f '139%08g' 1 10001 | jq -Rs '{numbers: .}' > "$tmp/big.json"
expect_eq "more than 10000 lines are refused whole" "413 too_many 2" \
  "$(http add5 -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' \
       --data-binary "@$tmp/big.json" "$DNC") $(json add5 .error) $(ndnc)"
expect_eq "a note with a control character is refused" "422 note 2" \
  "$(post add6 ja "$ta" '{"numbers":"13900000012","note":"a\u0007"}' "$DNC") $(json add6 .field) $(ndnc)"

# --- list, search, pages -----------------------------------------------------
# The bulk is older than the numbers added by hand, however long ago those were.
sql "SET @t = (SELECT MIN(created_at) FROM cc_dnc);
     INSERT INTO cc_dnc (number, task_id, note, created_at)
     SELECT CONCAT('+86137', LPAD(seq, 8, '0')), 0, 'bulk', @t - INTERVAL seq SECOND FROM seq_1_to_120"
http l1 -b "$tmp/ja" "$DNC" >/dev/null
first=$(json l1 '.numbers[0].number')
expect_match "the newest first (the two added by hand)" '^\+86(13800138002|13900000011)$' "$first"
expect_eq "a page of 50, the total, a cursor" "50 122 true" \
  "$(json l1 '"\(.numbers | length) \(.total) \(.next != null)"')"
expect_eq "who added them is shown by name" "$STAFF_LOGIN" "$(json l1 '.numbers[0].created_by_name')"
seen=$(json l1 '.numbers[].number')
next=$(json l1 .next)
pages=1
while [ "$next" != null ] && [ "$pages" -lt 10 ]; do
  http lp -b "$tmp/ja" -G --data-urlencode "before=$next" "$DNC" >/dev/null
  seen+=$'\n'$(json lp '.numbers[].number')
  next=$(json lp .next)
  pages=$((pages + 1))
done
expect_eq "the pages hold every number once (3 pages)" "3 122 122" \
  "$pages $(printf '%s\n' "$seen" | grep -c .) $(printf '%s\n' "$seen" | sort -u | grep -c .)"
expect_eq "the last page is the oldest" "+8613700000120" "$(json lp '.numbers[-1].number')"
expect_eq "a bad cursor is refused" 422 "$(http lbad -b "$tmp/ja" "$DNC?before=x%27")"
expect_eq "a search in another form finds the number" "1 +8613900000011" \
  "$(http s1 -b "$tmp/ja" -G --data-urlencode 'q=139-0000-0011' "$DNC" >/dev/null; json s1 '"\(.numbers | length) \(.numbers[0].number)"')"
expect_eq "a part of a number finds those containing its digits" "12 12" \
  "$(http s2 -b "$tmp/ja" -G --data-urlencode 'q=00-11' "$DNC" >/dev/null; json s2 '"\(.numbers | length) \([.numbers[] | select(.number | contains("0011"))] | length)"')"
expect_eq "a search of no digits finds nothing" 0 \
  "$(http s3 -b "$tmp/ja" -G --data-urlencode 'q=abc' "$DNC" >/dev/null; json s3 '.numbers | length')"
http p1 -b "$tmp/ja" -G --data-urlencode 'q=13900000011' "$base/cc/admin/tasks/dnc" >/dev/null
expect_eq "the page shows the note escaped, and a remove button" "1 0 1" \
  "$(grep -c '客户要求 &lt;b&gt;' "$tmp/p1.b") $(grep -c '客户要求 <b>' "$tmp/p1.b") $(grep -c 'data-number="+8613900000011"' "$tmp/p1.b")"

# --- a new task drops the numbers --------------------------------------------
expect_eq "a task loaded afterwards drops the number and counts it" "201 2 1" \
  "$(create tc1 "$csv") $(json tc1 .targets) $(json tc1 .dnc)"
TC=$(json tc1 .id)
expect_eq "and has no target with it" 0 \
  "$(sql "SELECT COUNT(*) FROM cc_task_target WHERE task_id = $TC AND number = '+8613800138002'")"

# --- remove ------------------------------------------------------------------
expect_eq "a remove without the CSRF token is 403" 403 \
  "$(http rnocsrf -b "$tmp/ja" -H 'Content-Type: application/json' --data-binary '{"numbers":["+8613800138002"]}' "$DNC/remove")"
expect_eq "a remove of a bad number is refused" "422 bad_number 122" \
  "$(post r0 ja "$ta" '{"numbers":["nope"]}' "$DNC/remove") $(json r0 .error) $(ndnc)"
expect_eq "numbers are removed (one in another form, one not listed)" "200 2 1 120" \
  "$(post r1 ja "$ta" '{"numbers":["138 0013 8002","+8613900000011","13900000099"]}' "$DNC/remove") $(json r1 .removed) $(json r1 .missing) $(ndnc)"
expect_eq "the target set dnc stays so, still counted" "dnc 1" "$(target_state "$TA" +8613800138002) $(done_of "$TA")"
expect_eq "the removal is in the audit log" 1 \
  "$(sql "SELECT COUNT(*) FROM cc_audit_log WHERE resource = 'dnc' AND action = 'remove' AND before_json LIKE '%+8613800138002%'")"
expect_eq "a task loaded now keeps the number" "201 3 0" \
  "$(create td1 "$csv") $(json td1 .targets) $(json td1 .dnc)"

finish
