#!/usr/bin/env bash
# 外呼系统 > 任务列表 through nginx, with curl against the real stack: who may
# see tasks (admins, and holders of the outbound system's resource code A11
# through a role or their department; an agent without it gets 403); a task
# created from a CSV file (bad rows with their lines, duplicates and
# do-not-call numbers dropped and counted, targets matched to contacts, the
# extra columns kept as data) loads in 初始化 and moves to 已停止 by itself;
# broken files and bad settings are refused and create nothing; the
# lifecycle's rules through the API (409 with the catalogue's text): 初始化
# refuses start, stop, edit and delete; edit changes only the maximum
# concurrency and the ratio of a stopped task; start needs an agent of the
# group signed in with a registered phone, and cannot be pressed twice;
# stop; delete of a running task, which then shows under 已删除任务 with its
# targets; a task from a query over the contacts; the monitor's snapshot;
# CSRF; the audit log.
. "$(dirname "$0")/lib.sh"

stack_start

web_setup tasks
API=$base/cc/api/admin/tasks

ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
expect_match "admin signs in" '^[0-9a-f]{64}$' "$ta"
t1=$(login j1 "$A1_LOGIN" "$AGENT_PASSWORD")
expect_match "agent1 signs in" '^[0-9a-f]{64}$' "$t1"

# The group's outbound number (a caller ID), and one not bound to it.
sql "INSERT INTO cc_number (number, display, name, \`usage\`) VALUES
       ('+862160000001', '021-6000 0001', '外呼 outbound', 'outbound'),
       ('+862160000002', '021-6000 0002', '其他 other', 'outbound')"
OUT=$(sql "SELECT id FROM cc_number WHERE number = '+862160000001'")
OTHER=$(sql "SELECT id FROM cc_number WHERE number = '+862160000002'")
sql "INSERT INTO cc_skill_group_number (skill_group_id, number_id) VALUES ($GROUP, $OUT)"
# A number no task may call.
sql "INSERT INTO cc_dnc (number, task_id, note) VALUES ('+8613900000003', 0, 'test')"

# create NAME FILE [CURL-ARGS...]: a new task from FILE as the admin; prints the status.
create() {
  local name=$1 file=$2; shift 2
  http "$name" -b "$tmp/ja" -H "X-CSRF-Token: $ta" -F "name=$name" -F "skill_group_id=$GROUP" \
    -F "caller_id_number_id=$OUT" ${file:+-F "targets=@$file;type=text/csv"} "$@" "$API"
}
# act NAME ID ACTION [JSON]: a task action as the admin; prints the status.
act() {
  http "$1" -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' \
    --data-binary "${4:-{\}}" "$API/$2/$3"
}
state_of() { sql "SELECT state FROM cc_task WHERE id = $1"; }
ntasks() { sql "SELECT COUNT(*) FROM cc_task"; }
t_() { xmllint --xpath "string(//s[@k='$1'])" "$top/templates/i18n/task.zh-CN.xml"; }

# --- access ------------------------------------------------------------------
for r in "GET /cc/admin/tasks" "GET /cc/admin/tasks/new" "GET /cc/admin/tasks/deleted" \
  "GET /cc/admin/tasks/1" "GET /cc/api/admin/tasks" "GET /cc/api/admin/tasks/deleted" \
  "GET /cc/api/admin/tasks/1" "POST /cc/api/admin/tasks" "POST /cc/api/admin/tasks/1/start" \
  "POST /cc/api/admin/tasks/1/stop" "POST /cc/api/admin/tasks/1/edit" "POST /cc/api/admin/tasks/1/delete"; do
  m=${r%% *} p=${r#* }
  if [ "$m" = POST ]; then
    st=$(http agent-try -b "$tmp/j1" -H "X-CSRF-Token: $t1" -H 'Content-Type: application/json' \
      --data-binary '{"name":"x"}' "$base$p")
  else
    st=$(http agent-try -b "$tmp/j1" "$base$p")
  fi
  expect_eq "an agent without A11 gets 403 on $r" 403 "$st"
done
expect_eq "without a session the page sends to sign-in" 303 "$(http anon "$base/cc/admin/tasks")"
expect_eq "without a session the JSON is 401" 401 "$(http anon-api "$API")"
login js0 "$STAFF_LOGIN" "$STAFF_PASSWORD" >/dev/null
expect_eq "the staff user (no role, no grant) cannot sign in" "403 401" \
  "$(grep -m1 '^HTTP' "$tmp/js0-login.h" | cut -d' ' -f2) $(http js0-api -b "$tmp/js0" "$API")"

# A11 through a role (uk_userrole -> uk_role_auth).
sql "INSERT INTO uk_role (ID, NAME, CODE, CREATETIME) VALUES ('0r0000000000000000000000000000a1', '外呼专员', 'CALLOUT', NOW());
     INSERT INTO uk_role_auth (ID, NAME, ROLEID, DICID, DICVALUE, CREATETIME) VALUES
       ('0x0000000000000000000000000000a1', '外呼系统', '0r0000000000000000000000000000a1', '4028888163ffe467016400f640f30646', 'A11', NOW());
     INSERT INTO uk_userrole (id, user_id, role_id, createtime) VALUES
       ('0y0000000000000000000000000000a1', '$STAFF', '0r0000000000000000000000000000a1', NOW())"
ts=$(login js "$STAFF_LOGIN" "$STAFF_PASSWORD")
expect_match "a user granted A11 through a role signs in" '^[0-9a-f]{64}$' "$ts"
expect_eq "and lands on the task list" "/cc/admin/tasks" "$(http js-home2 -b "$tmp/js" "$base/cc/" >/dev/null; hdr js-home2 Location)"
expect_eq "sees the list (200, not admin)" 200 "$(http js-list -b "$tmp/js" "$API")"
expect_eq "and the page, with the menu entry 外呼系统" "200 1" \
  "$(http js-page -b "$tmp/js" "$base/cc/admin/tasks") $(grep -c 'id="nav-tasks"' "$tmp/js-page.b")"
expect_eq "but not the admin console" 403 "$(http js-admin -b "$tmp/js" "$base/cc/admin")"
sql "DELETE FROM uk_userrole WHERE id = '0y0000000000000000000000000000a1'"
expect_eq "a revoked grant takes effect at once" 403 "$(http js-revoked -b "$tmp/js" "$API")"
sql "INSERT INTO uk_userrole (id, user_id, role_id, createtime) VALUES
       ('0y0000000000000000000000000000a1', '$STAFF', '0r0000000000000000000000000000a1', NOW())"
# A11 through the department (uk_organrole): agent2 is in the group's department.
t2=$(login j2 "$A2_LOGIN" "$AGENT_PASSWORD")
expect_eq "agent2 has no A11 yet" 403 "$(http j2-list -b "$tmp/j2" "$API")"
sql "INSERT INTO uk_organrole (id, organ_id, role_id, dicvalue, createtime) VALUES
       ('0g0000000000000000000000000000a1', '$DEPT', '$AGENT_ROLE', 'A11', NOW())"
expect_eq "granted to its department, agent2 sees tasks (read at each request)" 200 "$(http j2-list2 -b "$tmp/j2" "$API")"

# --- create from CSV ---------------------------------------------------------
csv=$tmp/targets.csv
printf '%s\r\n' '电话,姓名,订单号' '13800138000,陈小明,A-001' '139 0000 0001,"王, 大",A-002' \
  'abc,坏号码,A-003' ',空号码,A-004' '13900000001,重复,A-005' '13900000003,免打扰,A-006' \
  '13900000004,本任务免打扰,A-007' '+86 139 0000 0005,,A-008' '13900000006,多,出,来' > "$csv"
N0=$(ntasks)
expect_eq "a create without the CSRF token is 403" 403 \
  "$(http nocsrf -b "$tmp/ja" -F name=x -F "skill_group_id=$GROUP" -F "caller_id_number_id=$OUT" -F "targets=@$csv" "$API")"
expect_eq "and creates nothing" "$N0" "$(ntasks)"
st=$(create c1 "$csv" -F max_concurrency=4 -F agent_ratio=1.5 -F dnc=$'13900000004\n' -F retry_results=no_answer,busy)
expect_eq "a task from a CSV file is created (201)" 201 "$st"
T1=$(json c1 .id)
expect_eq "rows, targets, bad, duplicates, do-not-call" "9 3 3 1 2" \
  "$(json c1 '[.rows, .targets, .bad, .duplicate, .dnc] | map(tostring) | join(" ")')"
expect_eq "bad rows with their lines and reasons" "4 $(t_ task.load.bad_number)|5 $(t_ task.load.bad_empty)|10 $(t_ task.load.bad_cells)" \
  "$(json c1 '[.errors[] | "\(.line) \(.message)"] | join("|")')"
expect_eq "it moved to 已停止 by itself" "stopped stopped" "$(json c1 .state) $(state_of "$T1")"
expect_eq "its targets, normalized, in order" "+8613800138000 +8613900000001 +8613900000005" \
  "$(sql "SELECT GROUP_CONCAT(number ORDER BY line SEPARATOR ' ') FROM cc_task_target WHERE task_id = $T1")"
expect_eq "the known number is matched to its contact" "$CONTACT" \
  "$(sql "SELECT contact_id FROM cc_task_target WHERE task_id = $T1 AND number = '+8613800138000'")"
expect_eq "the other columns are kept as data" "王, 大 A-002" \
  "$(sql "SELECT CONCAT(JSON_VALUE(data, '$.姓名'), ' ', JSON_VALUE(data, '$.订单号')) FROM cc_task_target WHERE task_id = $T1 AND line = 3")"
expect_eq "the settings are stored (ratio in hundredths, retry results)" "4 150 no_answer,busy 9 9" \
  "$(sql "SELECT CONCAT_WS(' ', max_concurrency, agent_ratio, retry_results, rows_total, rows_read) FROM cc_task WHERE id = $T1")"
expect_eq "the task's own do-not-call list is kept" 1 "$(sql "SELECT COUNT(*) FROM cc_dnc WHERE task_id = $T1 AND number = '+8613900000004'")"
http list1 -b "$tmp/ja" "$API" >/dev/null
expect_eq "the list shows it with its progress and buttons" "stopped 3 0 start,edit,delete,monitor" \
  "$(json list1 ".tasks[] | select(.id == $T1) | \"\(.state) \(.targets_total) \(.targets_total - .open) \(.actions | join(\",\"))\"")"
http page1 -b "$tmp/ja" "$base/cc/admin/tasks" >/dev/null
expect_eq "the list page shows it as 已停止" 1 "$(grep -c "data-id=\"$T1\" data-state=\"stopped\"" "$tmp/page1.b")"
expect_eq "the creation is in the audit log" 1 "$(sql "SELECT COUNT(*) FROM cc_audit_log WHERE resource = 'task' AND item_id = '$T1' AND action = 'create'")"

# A larger file crosses the loader's batches and transactions; the progress
# ends at the file's rows.
{ echo 'number,n'; seq 1 2501 | awk '{ printf "1370%07d,%d\n", $1, $1 }'; echo '13700000001,dup'; } > "$tmp/big.csv"
expect_eq "2501 targets (and a duplicate) load" "201 2501 1 stopped" \
  "$(create c3 "$tmp/big.csv") $(json c3 .targets) $(json c3 .duplicate) $(json c3 .state)"
T3=$(json c3 .id)
expect_eq "every one stored once, with its line and data; the progress is complete" "2501 2501 2502 2502 2502" \
  "$(sql "SELECT CONCAT_WS(' ', COUNT(DISTINCT number), COUNT(DISTINCT JSON_VALUE(data, '$.n')), MAX(line),
          (SELECT rows_read FROM cc_task WHERE id = $T3), (SELECT rows_total FROM cc_task WHERE id = $T3))
          FROM cc_task_target WHERE task_id = $T3")"

# A hostile name is kept as sent and shown as text.
H='<script>alert(1)</script><img src=x onerror=alert(2)>"'"'"
printf 'number\n13900000099\n' > "$tmp/one.csv"
http evil -b "$tmp/ja" -H "X-CSRF-Token: $ta" --form-string "name=$H" -F "skill_group_id=$GROUP" \
  -F "caller_id_number_id=$OUT" -F "targets=@$tmp/one.csv" "$API" >/dev/null
TE=$(json evil .id)
expect_eq "a hostile name is stored as sent" "$H" "$(sql "SELECT name FROM cc_task WHERE id = $TE")"
http evil-list -b "$tmp/ja" "$base/cc/admin/tasks" >/dev/null
http evil-mon -b "$tmp/ja" "$base/cc/admin/tasks/$TE" >/dev/null
expect_eq "neither the list nor the monitor holds a script or handler from it" "0 0" \
  "$(grep -c '<script>alert\|<img src=x' "$tmp/evil-list.b") $(grep -c '<script>alert\|<img src=x' "$tmp/evil-mon.b")"
act evil-del "$TE" delete >/dev/null

# --- broken files and bad settings create nothing ----------------------------
N1=$(ntasks)
printf 'number\n13900000010\n\x81\x01\n' > "$tmp/junk.csv"
expect_eq "a file neither UTF-8 nor GBK is refused (422 encoding)" "422 encoding" "$(create b1 "$tmp/junk.csv") $(json b1 .error)"
printf '姓名,城市\n张三,北京\n' > "$tmp/nonum.csv"
expect_eq "a file without a number column is refused" "422 no_number $(t_ task.load.no_number)" \
  "$(create b2 "$tmp/nonum.csv") $(json b2 .error) $(json b2 .message)"
: > "$tmp/empty.csv"
expect_eq "an empty file is refused" 422 "$(create b3 "$tmp/empty.csv")"
printf 'number\nabc\n' > "$tmp/allbad.csv"
expect_eq "a file without one valid number is refused" "422 no_targets 1" \
  "$(create b4 "$tmp/allbad.csv") $(json b4 .error) $(json b4 .bad)"
printf 'number\n"13900000011\n' > "$tmp/quote.csv"
expect_eq "an unclosed quote is refused with its line" "422 malformed 2" "$(create b5 "$tmp/quote.csv") $(json b5 .error) $(json b5 .line)"
expect_eq "maximum concurrency 0 is refused" "422 max_concurrency $(t_ task.invalid.concurrency)" \
  "$(create b6 "$csv" -F max_concurrency=0) $(json b6 .field) $(json b6 .message)"
expect_eq "a caller ID not bound to the group is refused" "422 caller_id_number_id" \
  "$(http b7 -b "$tmp/ja" -H "X-CSRF-Token: $ta" -F name=x -F "skill_group_id=$GROUP" -F "caller_id_number_id=$OTHER" -F "targets=@$csv" "$API") $(json b7 .field)"
expect_eq "bad calling hours are refused" "422 hours" "$(create b8 "$csv" -F 'hours=mon 25:00-26:00') $(json b8 .field)"
expect_eq "an unknown time zone is refused" "422 time_zone" "$(create b9 "$csv" -F time_zone=Mars/Olympus) $(json b9 .field)"
expect_eq "retrying answered calls is refused" "422 retry_results" "$(create b10 "$csv" -F retry_results=answered) $(json b10 .field)"
expect_eq "none of them created a task" "$N1" "$(ntasks)"

# --- 初始化 refuses start, stop, edit, delete --------------------------------
create c2 "$csv" >/dev/null
T2=$(json c2 .id)
sql "UPDATE cc_task SET state = 'init' WHERE id = $T2"
for a in start stop delete; do
  expect_eq "初始化 refuses $a (409, with the reason)" "409 init_$a $(t_ task.refuse.init_$a)" \
    "$(act i-$a "$T2" $a) $(json i-$a .error) $(json i-$a .message)"
done
expect_eq "初始化 refuses edit" "409 init_edit" "$(act i-edit "$T2" edit '{"max_concurrency":3}') $(json i-edit .error)"
expect_eq "and stays 初始化" init "$(state_of "$T2")"
http i-list -b "$tmp/ja" "$API" >/dev/null
expect_eq "the list shows a loading task as 初始化" init "$(json i-list ".tasks[] | select(.id == $T2) | .state")"
# A load whose request went with its process stops moving: after 10 minutes
# the list removes it (初始化 cannot be deleted by hand).
create c4 "$csv" >/dev/null
T4=$(json c4 .id)
sql "UPDATE cc_task SET state = 'init', updated_at = NOW(3) - INTERVAL 11 MINUTE WHERE id = $T4"
http i-list2 -b "$tmp/ja" "$API" >/dev/null
expect_eq "a lost load is removed with its targets; a moving one stays" "0 0 init" \
  "$(sql "SELECT COUNT(*) FROM cc_task WHERE id = $T4") $(sql "SELECT COUNT(*) FROM cc_task_target WHERE task_id = $T4") $(state_of "$T2")"
sql "UPDATE cc_task SET state = 'stopped' WHERE id = $T2"

# --- edit ----------------------------------------------------------------------
expect_eq "edit of a stopped task's maximum concurrency and ratio" "200 7 250" \
  "$(act e1 "$T1" edit '{"max_concurrency":7,"agent_ratio":2.5}') $(sql "SELECT CONCAT(max_concurrency, ' ', agent_ratio) FROM cc_task WHERE id = $T1")"
expect_eq "the editor and time are kept" "$ADMIN 1" "$(sql "SELECT CONCAT(updated_by, ' ', updated_at IS NOT NULL) FROM cc_task WHERE id = $T1")"
expect_eq "edit of the skill group is refused" "409 field_fixed $(t_ task.refuse.field_fixed)" \
  "$(act e2 "$T1" edit "{\"skill_group_id\":$GROUP,\"max_concurrency\":8}") $(json e2 .error) $(json e2 .message)"
expect_eq "edit of the numbers (targets) is refused" "409 field_fixed" "$(act e3 "$T1" edit '{"targets":"x"}') $(json e3 .error)"
expect_eq "edit of the caller ID is refused" "409 field_fixed" "$(act e4 "$T1" edit "{\"caller_id\":\"x\"}") $(json e4 .error)"
expect_eq "an out-of-bounds value is refused" 422 "$(act e5 "$T1" edit '{"max_concurrency":501}')"
expect_eq "and nothing changed" 7 "$(sql "SELECT max_concurrency FROM cc_task WHERE id = $T1")"

# --- start, stop ----------------------------------------------------------------
for a in "$A1" "$A2" "$A3"; do set_state "$a" logged_out; done
expect_eq "start with no agent signed in is refused (the reason)" "409 no_agent $(t_ task.refuse.no_agent)" \
  "$(act s0 "$T1" start) $(json s0 .error) $(json s0 .message)"
expect_eq "a start without the CSRF token is 403" 403 \
  "$(http s-nocsrf -b "$tmp/ja" -H 'Content-Type: application/json' --data-binary '{}' "$API/$T1/start")"
set_state "$A1" ready
expect_eq "signed in without a registered phone is not enough" "409 no_agent" "$(act s1 "$T1" start) $(json s1 .error)"
phone p1 1
check "agent1's phone registers" eventually 20 registered "$A1"
expect_eq "with agent1 signed in and registered, start runs the task" "200 running running" \
  "$(act s2 "$T1" start) $(json s2 .state) $(state_of "$T1")"
expect_eq "started_at is kept" 1 "$(sql "SELECT started_at IS NOT NULL FROM cc_task WHERE id = $T1")"
expect_eq "start again: already running" "409 already_running $(t_ task.refuse.already_running)" \
  "$(act s3 "$T1" start) $(json s3 .error) $(json s3 .message)"
expect_eq "a running task cannot be edited" "409 running_edit" "$(act s4 "$T1" edit '{"max_concurrency":3}') $(json s4 .error)"

# The monitor: the database's counts and the group's agents from the B2BUA.
http m1 -b "$tmp/ja" "$API/$T1" >/dev/null
expect_eq "the monitor's snapshot: state, targets total/done/remaining" "running 3 $(sql "SELECT COUNT(*) FROM cc_task_target WHERE task_id = $T1 AND state NOT IN ('waiting','dialing','retry')") $(sql "SELECT COUNT(*) FROM cc_task_target WHERE task_id = $T1 AND state IN ('waiting','dialing','retry')")" \
  "$(json m1 '"\(.task.state) \(.targets.total) \(.targets.done) \(.targets.remaining)"')"
expect_eq "and the group's agents by state" 1 "$(json m1 '.agents.by_state.ready')"
expect_match "the live part is the B2BUA's, or says why it is missing" '^(object|null:.+)$' \
  "$(json m1 'if .live then "object" else "null:\(.live_error)" end')"
expect_eq "the monitor page" "200 1" "$(http m2 -b "$tmp/ja" "$base/cc/admin/tasks/$T1") $(grep -c "id=\"tk-monitor\" data-id=\"$T1\"" "$tmp/m2.b")"

expect_eq "stop" "200 stopped" "$(act p1 "$T1" stop) $(state_of "$T1")"
expect_eq "stop again: already stopped" "409 already_stopped" "$(act p2 "$T1" stop) $(json p2 .error)"
expect_eq "stopped_at is kept" 1 "$(sql "SELECT stopped_at IS NOT NULL FROM cc_task WHERE id = $T1")"

# --- delete a running task -------------------------------------------------------
expect_eq "started again" "200 running" "$(act s5 "$T1" start) $(state_of "$T1")"
expect_eq "delete of a running task (stopped first)" "200 deleted running" \
  "$(act d1 "$T1" delete) $(state_of "$T1") $(json d1 .prev)"
expect_eq "deleted_by, deleted_at and stopped_at are kept" "$ADMIN 1 1" \
  "$(sql "SELECT CONCAT_WS(' ', deleted_by, deleted_at IS NOT NULL, stopped_at >= started_at) FROM cc_task WHERE id = $T1")"
http l2 -b "$tmp/ja" "$API" >/dev/null
expect_eq "it left the list" 0 "$(json l2 "[.tasks[] | select(.id == $T1)] | length")"
http l3 -b "$tmp/ja" "$API/deleted" >/dev/null
expect_eq "and shows under 已删除任务 with its targets" "deleted 3 monitor" \
  "$(json l3 ".tasks[] | select(.id == $T1) | \"\(.state) \(.targets_total) \(.actions | join(\",\"))\"")"
expect_eq "its targets are kept" 3 "$(sql "SELECT COUNT(*) FROM cc_task_target WHERE task_id = $T1")"
http l4 -b "$tmp/ja" "$base/cc/admin/tasks/deleted" >/dev/null
expect_eq "the 已删除任务 page lists it" 1 "$(grep -c "data-id=\"$T1\" data-state=\"deleted\"" "$tmp/l4.b")"
expect_eq "a deleted task can only be monitored" "409 deleted 200" \
  "$(act d2 "$T1" start) $(json d2 .error) $(http d3 -b "$tmp/ja" "$API/$T1")"
expect_eq "every change is in the audit log, refusals not" "create,edit,start,stop,start,delete" \
  "$(sql "SELECT GROUP_CONCAT(action ORDER BY id SEPARATOR ',') FROM cc_audit_log WHERE resource = 'task' AND item_id = '$T1'")"
expect_eq "a stopped task is deleted at once" "200 deleted" "$(act d4 "$T2" delete) $(state_of "$T2")"

# --- targets from the contacts --------------------------------------------------
st=$(create q1 "" -F source=contacts -F query=陈小)
expect_eq "a task from the contacts whose name contains 陈小" "201 1 stopped" "$st $(json q1 .targets) $(json q1 .state)"
expect_eq "its target is the contact's number, matched" "+8613800138000 $CONTACT" \
  "$(sql "SELECT CONCAT(number, ' ', contact_id) FROM cc_task_target WHERE task_id = $(json q1 .id)")"

# The A11 holder acts too (the API, not only the pages).
expect_eq "the A11 holder stops nothing that is stopped (409, not 403)" 409 \
  "$(http js-stop -b "$tmp/js" -H "X-CSRF-Token: $ts" -H 'Content-Type: application/json' --data-binary '{}' "$API/$(json q1 .id)/stop")"

# --- the B2BUA down: start is refused (it cannot tell who is ready), the
# monitor shows the database's part ----------------------------------------------
TQ=$(json q1 .id)
b2bua_pid=$(cat "$CC_STATE/run/b2bua-1.pid")
kill "$b2bua_pid"
check "the B2BUA is stopped" eventually 20 gone "$b2bua_pid"
expect_eq "start is refused while the B2BUA does not answer" "503 b2bua_unavailable $(t_ task.refuse.b2bua) stopped" \
  "$(act down1 "$TQ" start) $(json down1 .error) $(json down1 .message) $(state_of "$TQ")"
http down2 -b "$tmp/ja" "$API/$TQ" >/dev/null
expect_eq "the monitor still answers, without the live part" "stopped 1 null b2bua_unavailable null" \
  "$(json down2 '"\(.task.state) \(.targets.total) \(.live) \(.live_error) \(.agents)"')"
CC_STATE=$CC_STATE "$top/scripts/stack.sh" restart b2bua >/dev/null
b2bua_ready() { [ "$(ctl ping 2>/dev/null | jq -r .ready)" = true ]; }
check "the B2BUA is back" eventually 30 b2bua_ready

finish
