#!/usr/bin/env bash
# 客服管理 > 坐席 through nginx, with curl against the real stack: admins
# list, search, sort and page agents; create one (a new helpdesk user, or an
# existing one made an agent), whose SIP password is shown once and works
# (a phone registers with it; after a reset the old one is refused and the
# new one accepted); edit, disable (the registration is dropped at once and
# a new REGISTER refused; the agent is signed out), enable, delete; refused
# while the agent is on a call; dedicated contacts; CSV import (good and bad
# rows with their lines, GBK, BOM, duplicate extension, re-import changes
# nothing, 100,000 rows refused without a write) and export (BOM, formula
# cells). Agents get 403 everywhere; a POST without the CSRF token is 403
# and changes nothing; every change is in the audit log without secrets.
. "$(dirname "$0")/lib.sh"

stack_start

web_setup agents
API=$base/cc/api/admin/agents

# post NAME JSON [PATH]: a JSON POST as the admin; prints the status.
post() { http "$1" -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' --data-binary "$2" "$API${3:-}"; }
get() { http "$1" -b "$tmp/ja" "$API${2:-}"; }
upload() { http "$1" -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: text/csv' --data-binary "@$2" "$API/import${3:-}"; }
md5() { printf '%s' "$1" | md5sum | cut -d' ' -f1; }
located() { [ "$(sql "SELECT COUNT(*) FROM cc_location WHERE username = '$1'")" -ge 1 ]; }
not_located() { ! located "$1"; }
n_of() { sql "SELECT COUNT(*) FROM $1"; }
counts() { echo "$(n_of cs_user)/$(n_of cc_sip_account)/$(n_of cc_skill_group_member)/$(n_of cc_audit_log)"; }
uid_of() { sql "SELECT ID FROM cs_user WHERE USERNAME = '$1'"; }
unknown_to_b2bua() { [ "$(agent_json "$1" | jq -r '.error // ""')" = unknown_agent ]; }
known_to_b2bua() { [ "$(agent_json "$1" | jq -r '.agent.id // ""')" = "$1" ]; }

ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
expect_match "admin signs in" '^[0-9a-f]{64}$' "$ta"
t1=$(login j1 "$A1_LOGIN" "$AGENT_PASSWORD")
expect_match "agent1 signs in" '^[0-9a-f]{64}$' "$t1"

# --- access ------------------------------------------------------------------
C0=$(counts)
for r in "GET /cc/admin/agents" "GET /cc/admin/agents/new" "GET /cc/admin/agents/import" \
  "GET /cc/admin/agents/export" "GET /cc/admin/agents/template" "GET /cc/admin/agents/$A2" \
  "GET /cc/api/admin/agents" "POST /cc/api/admin/agents" "GET /cc/api/admin/agents/users" \
  "GET /cc/api/admin/agents/contacts?q=a" "GET /cc/api/admin/agents/next-extension" \
  "POST /cc/api/admin/agents/import" "GET /cc/api/admin/agents/$A2" "POST /cc/api/admin/agents/$A2" \
  "POST /cc/api/admin/agents/$A2/enabled" "POST /cc/api/admin/agents/$A2/password" \
  "POST /cc/api/admin/agents/$A2/dedicated" "POST /cc/api/admin/agents/$A2/delete"; do
  m=${r%% *} p=${r#* }
  if [ "$m" = POST ]; then
    st=$(http agent-try -b "$tmp/j1" -H "X-CSRF-Token: $t1" -H 'Content-Type: application/json' \
      --data-binary '{"username":"x1","name":"x","password":"xxxxxxxx","enabled":false,"add":"'"$CONTACT"'"}' "$base$p")
  else
    st=$(http agent-try -b "$tmp/j1" "$base$p")
  fi
  expect_eq "an agent gets 403 on $r" 403 "$st"
done
expect_eq "without a session the page sends to sign-in" 303 "$(http anon "$base/cc/admin/agents")"
expect_eq "without a session the JSON is 401" 401 "$(http anon-api "$API")"
st=$(http nocsrf -b "$tmp/ja" -H 'Content-Type: application/json' \
  --data-binary '{"username":"csrf1","name":"x","password":"xxxxxxxx"}' "$API")
expect_eq "a create without the CSRF token is 403" 403 "$st"
st=$(http nocsrf2 -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Origin: http://evil.example' -H 'Content-Type: application/json' \
  --data-binary "{\"enabled\":false}" "$API/$A2/enabled")
expect_eq "a disable from another origin is 403" 403 "$st"
expect_eq "and nothing changed" "$C0 1" "$(counts) $(sql "SELECT enabled FROM cc_sip_account WHERE user_id = '$A2'")"

# --- list ----------------------------------------------------------------------
expect_eq "the JSON list answers" 200 "$(get list0)"
expect_eq "it has the demo's three agents" "3 1001 1002 1003" "$(json list0 '[.total, (.items[].extension)] | join(" ")')"
expect_eq "with their skill group and level" "$GROUP_NAME:1" "$(json list0 '.items[0].groups[0] | "\(.name):\(.level)"')"
get q1 "?q=$(jq -rn --arg s "$A2_NAME" '$s|@uri')" >/dev/null
expect_eq "a search by name finds one" "1 1002" "$(json q1 '[.total, .items[0].extension] | join(" ")')"
get q2 "?q=100" >/dev/null
expect_eq "a search by extension" 3 "$(json q2 .total)"
get s1 "?sort=extension&dir=desc" >/dev/null
expect_eq "sorted by extension, descending" "1003 1002 1001" "$(json s1 '[.items[].extension] | join(" ")')"
get p1 "?sort=extension&per_page=2&page=2" >/dev/null
expect_eq "page 2 of 2 rows a page" "2 1003" "$(json p1 '[.pages, .items[0].extension] | join(" ")')"
get f1 "?reg=1" >/dev/null
expect_eq "no phone registered yet" 0 "$(json f1 .total)"
get f2 "?state=logged_out&group=$GROUP" >/dev/null
expect_eq "filter by state and skill group" 3 "$(json f2 .total)"
expect_eq "the list page answers" 200 "$(http page0 -b "$tmp/ja" "$base/cc/admin/agents?q=%3Cscript%3E")"
check "the side navigation leads to the agents" grep -q 'id="side-agents"' "$tmp/page0.b"
check "the search is escaped on the page" grep -q 'value="&lt;script&gt;"' "$tmp/page0.b"
check "the page has no inline script" bash -c "! grep -q '<script>' '$tmp/page0.b'"
http page1 -b "$tmp/ja" "$base/cc/admin/agents?lang=en" >/dev/null
check "in English with ?lang=en" grep -q '>Agents<' "$tmp/page1.b"

# --- create a new helpdesk user as an agent ----------------------------------------------
get next0 /next-extension >/dev/null
expect_eq "the next free extension is suggested" 1004 "$(json next0 .extension)"
st=$(post bad0 '{"username":"new 1","name":"","password":"123","extension":"12","groups":"999:1"}')
expect_eq "bad input is 422" 422 "$st"
expect_eq "with one message per field" "extension,groups,name,password,username" "$(json bad0 '.errors | keys | join(",")')"
expect_eq "in Chinese" "分机为 3 到 10 位数字，不以 0 开头" "$(json bad0 .errors.extension)"
st=$(post dup0 '{"username":"dup1","name":"x","password":"secret12","extension":"1001"}')
expect_eq "a used extension is refused" "422 分机已被使用" "$st $(json dup0 .errors.extension)"
st=$(post dup1 '{"username":"dup1","name":"x","password":"secret12","extension":"'"$NUMBER"'"}')
expect_eq "a number callers dial is refused as extension" "422" "$st"
st=$(post dup2 '{"username":"agent2","name":"x","password":"secret12"}')
expect_eq "an existing username is refused" "422" "$st"
expect_eq "nothing was written" "$C0" "$(counts)"

st=$(post c1 '{"username":"wangxiao","name":"王小","password":"secret12","groups":[{"id":'"$GROUP"',"level":2}]}')
expect_eq "an agent is created (201)" 201 "$st"
U1=$(json c1 .agent.id) PW1=$(json c1 .sip_password) EXT1=$(json c1 .extension)
expect_eq "with the next extension" 1004 "$EXT1"
expect_match "and a SIP password of 16 characters" '^[a-zA-Z2-9]{16}$' "$PW1"
expect_eq "the helpdesk user has the agent role and the host's password scheme" "wangxiao|王小|1|$(md5 "$(md5 secret12)")" \
  "$(sql "SELECT CONCAT_WS('|', USERNAME, uname, callcenter, PASSWORD) FROM cs_user WHERE ID = '$U1'")"
expect_eq "only ha1/ha1b are stored" "$(md5 "1004:$SIP_REALM:$PW1")|$(md5 "1004@$SIP_REALM:$SIP_REALM:$PW1")|1" \
  "$(sql "SELECT CONCAT_WS('|', ha1, ha1b, enabled) FROM cc_sip_account WHERE user_id = '$U1'")"
expect_eq "its skill group with level 2" "$GROUP:2" "$(sql "SELECT CONCAT(skill_group_id, ':', level) FROM cc_skill_group_member WHERE user_id = '$U1'")"
expect_eq "the creation is in the audit log" 1 "$(sql "SELECT COUNT(*) FROM cc_audit_log WHERE resource = 'agents' AND item_id = '$U1' AND action = 'create'")"
expect_eq "no password reached the audit log" 0 "$(sql "SELECT COUNT(*) FROM cc_audit_log WHERE after_json LIKE '%$PW1%' OR after_json LIKE '%secret12%'")"
get i1 "/$U1" >/dev/null
expect_eq "the agent's JSON has no password" "null 1004" "$(json i1 '[.agent.sip_password, .agent.extension] | map(tostring) | join(" ")')"
http ip1 -b "$tmp/ja" "$base/cc/admin/agents/$U1" >/dev/null
check "its page does not show the password again" bash -c "! grep -q '$PW1' '$tmp/ip1.b'"
check "its page shows its skill group's level" grep -q "id=\"lvl-$GROUP\"" "$tmp/ip1.b"
check "the B2BUA knows the new agent (directory reloaded)" eventually 20 known_to_b2bua "$U1"
tn=$(login jn wangxiao secret12)
expect_eq "the new agent signs in to the workbench" 200 "$(http wbn -b "$tmp/jn" "$base/cc/workbench")"

# --- the SIP password works; a reset makes a new one --------------------------------------
SIPP_LIMIT_S=3600 background agent ph1 1004 "$PW1" -set stay_ms 3000000 -set expires 3600
PH1=$BG_PID
check "a phone registers with the password shown" eventually 20 located 1004
get f3 "?reg=1" >/dev/null
expect_eq "the list shows it registered" "$U1 true" "$(json f3 '[.items[0].id, .items[0].registered] | map(tostring) | join(" ")')"
st=$(post r1 '{}' "/$U1/password")
PW2=$(json r1 .sip_password)
expect_eq "a reset answers a new password" "200 1" "$st $([ -n "$PW2" ] && [ "$PW2" != "$PW1" ] && echo 1)"
check "the phone's registration was dropped with the reset" not_located 1004
stop_background "$PH1"
agent old1 1004 "$PW1" -set expect_refused 1
check "the old password is refused (403)" test $? -eq 0
SIPP_LIMIT_S=3600 background agent ph2 1004 "$PW2" -set stay_ms 3000000 -set expires 3600
PH2=$BG_PID
check "the new password is accepted" eventually 20 located 1004
expect_eq "the reset is in the audit log, masked" "1 0" \
  "$(sql "SELECT COUNT(*) FROM cc_audit_log WHERE item_id = '$U1' AND action = 'reset_password'") $(sql "SELECT COUNT(*) FROM cc_audit_log WHERE after_json LIKE '%$PW2%'")"

# --- edit ---------------------------------------------------------------------------------
st=$(post e1 '{"name":"王小二","groups":""}' "/$U1")
expect_eq "an edit saves" "200 王小二 0" "$st $(json e1 .agent.name) $(json e1 '.agent.groups | length')"
expect_eq "the host's display name changed" 王小二 "$(sql "SELECT uname FROM cs_user WHERE ID = '$U1'")"
expect_eq "the audit keeps what changed, before and after" "{\"groups\":\"$GROUP:2\",\"name\":\"王小\"} {\"groups\":\"\",\"name\":\"王小二\"}" \
  "$(sql "SELECT CONCAT(before_json, ' ', after_json) FROM cc_audit_log WHERE item_id = '$U1' AND action = 'update' ORDER BY id DESC LIMIT 1")"
st=$(post e2 '{"extension":"1002"}' "/$U1")
expect_eq "another agent's extension is refused" "422 分机已被使用" "$st $(json e2 .errors.extension)"

# --- disable: at once ----------------------------------------------------------------------------
st=$(post d1 '{"enabled":false}' "/$U1/enabled")
expect_eq "disabling answers" "200 false" "$st $(json d1 .agent.enabled)"
expect_eq "the registration is gone at once" 0 "$(sql "SELECT COUNT(*) FROM cc_location WHERE username = '1004'")"
expect_eq "Kamailio dropped it (ul.rm answered)" true "$(json d1 .unregistered)"
expect_eq "the SIP account is disabled" 0 "$(sql "SELECT enabled FROM cc_sip_account WHERE user_id = '$U1'")"
stop_background "$PH2"
agent again1 1004 "$PW2" -set expect_refused 1
check "a new REGISTER is refused" test $? -eq 0
expect_eq "the agent is signed out of the web app" 303 "$(http wbn2 -b "$tmp/jn" "$base/cc/workbench")"
check "the B2BUA no longer has the agent" eventually 20 unknown_to_b2bua "$U1"
st=$(post en1 '{"enabled":true}' "/$U1/enabled")
expect_eq "enabling again" "200 true 1" "$st $(json en1 .agent.enabled) $(sql "SELECT enabled FROM cc_sip_account WHERE user_id = '$U1'")"

# --- refused while on a call -----------------------------------------------------------------------
sql "UPDATE cc_agent SET state = 'on_call' WHERE user_id = '$A3'"
st=$(post busy1 '{"enabled":false}' "/$A3/enabled")
expect_eq "disabling an agent on a call is refused (409)" "409 busy" "$st $(json busy1 .error)"
expect_eq "with a clear message" "坐席正在通话中，不能停用。请在通话结束后再试。" "$(json busy1 .message)"
st=$(post busy2 '{}' "/$A3/delete")
expect_eq "deleting one is refused too" "409 1" "$st $(sql "SELECT enabled FROM cc_sip_account WHERE user_id = '$A3'")"
sql "UPDATE cc_agent SET state = 'logged_out' WHERE user_id = '$A3'"

agent1_ready 60
caller c1 "$NUMBER" -i 127.0.0.1 -set until_notify 1 &
C1=$!
on_exit "stop_background $C1"
check "agent1 takes a call" eventually 30 state_is "$A1" on_call
st=$(post busy3 '{}' "/$A1/delete")
expect_eq "deleting agent1 during a real call is refused" "409 busy" "$st $(json busy3 .error)"
expect_eq "agent1 keeps its SIP account" 1 "$(sql "SELECT COUNT(*) FROM cc_sip_account WHERE user_id = '$A1' AND enabled = 1")"
hang_up c1 "$C1"
check "the call ends" eventually 30 no_calls

# --- dedicated contacts ------------------------------------------------------------------------------
st=$(post ded1 '{"add":"'"$CONTACT"'"}' "/$A2/dedicated")
expect_eq "a contact is bound to agent2" "200 $A2" "$st $(sql "SELECT user_id FROM cc_dedicated_agent WHERE contact_id = '$CONTACT'")"
get ded2 "/$A2" >/dev/null
expect_eq "the agent's JSON lists it by name" "$CONTACT_NAME" "$(json ded2 '.agent.dedicated[0].name')"
http dedp -b "$tmp/ja" "$base/cc/admin/agents/$A2" >/dev/null
check "its page lists it" grep -q "data-id=\"$CONTACT\"" "$tmp/dedp.b"
http card -b "$tmp/j1" "$base/cc/api/contacts/$CONTACT" >/dev/null
expect_eq "the workbench's contact card names the dedicated agent" "$A2_NAME" "$(json card .contact.dedicated.name)"
get cs1 "/contacts?q=$(jq -rn --arg s "$CONTACT_NAME" '$s|@uri')" >/dev/null
expect_eq "contacts are found by name to pick" "$CONTACT" "$(json cs1 '.contacts[0].id')"
get cs2 "/contacts?q=$KNOWN_CALLER" >/dev/null
expect_eq "and by number" "$CONTACT" "$(json cs2 '.contacts[0].id')"
st=$(post ded3 '{"add":"0cnosuchcontact"}' "/$A2/dedicated")
expect_eq "an unknown contact is refused" 404 "$st"
st=$(post ded4 '{"remove":"'"$CONTACT"'"}' "/$A2/dedicated")
expect_eq "unbinding" "200 0" "$st $(sql "SELECT COUNT(*) FROM cc_dedicated_agent WHERE contact_id = '$CONTACT'")"

# --- an existing helpdesk user made an agent; delete ---------------------------------------------
get us1 "/users?q=staff" >/dev/null
expect_eq "helpdesk users without the role are offered" "$STAFF" "$(json us1 '.users[0].id')"
st=$(post x1 '{"user_id":"'"$STAFF"'","extension":"1200"}')
expect_eq "staff1 becomes an agent" "201 1200 1" "$st $(json x1 .extension) $(sql "SELECT callcenter FROM cs_user WHERE ID = '$STAFF'")"
st=$(post x2 '{"user_id":"'"$STAFF"'"}')
expect_eq "twice is refused" "422" "$st"
st=$(post del1 '{}' "/$STAFF/delete")
expect_eq "deleting staff1's agent" 200 "$st"
expect_eq "the helpdesk user stays, without the role, SIP account or groups" "1|0|0|0" \
  "$(sql "SELECT CONCAT_WS('|', COUNT(*), MAX(callcenter), (SELECT COUNT(*) FROM cc_sip_account WHERE user_id = '$STAFF'), (SELECT COUNT(*) FROM cc_skill_group_member WHERE user_id = '$STAFF')) FROM cs_user WHERE ID = '$STAFF'")"
expect_eq "it is no longer listed" 404 "$(get del2 "/$STAFF")"
expect_eq "the deletion is in the audit log" 1 "$(sql "SELECT COUNT(*) FROM cc_audit_log WHERE item_id = '$STAFF' AND action = 'delete'")"

# --- import --------------------------------------------------------------------------------------------
expect_eq "the template downloads" 200 "$(http tpl -b "$tmp/ja" "$base/cc/admin/agents/template")"
expect_eq "with a BOM and the header" "efbbbf 用户名,姓名,分机,登录密码,技能组" \
  "$(head -c 3 "$tmp/tpl.b" | od -An -tx1 | tr -d ' \n') $(head -n 1 "$tmp/tpl.b" | tail -c +4 | tr -d '\r')"
cat > "$tmp/imp1.csv" <<EOF
用户名,姓名,分机,登录密码,技能组
imp01,导入一,1301,secret01,$GROUP_NAME:1
imp02,导入二,,secret02,
imp03,导入三,13a,secret03,
imp04,导入四,1301,secret04,
imp05,导入五,1305,secret05,无此组:1
imp06,"导入,六",1306,secret06,"$GROUP_NAME:2"
imp07,导入七,1307,12,
EOF
C1=$(counts)
st=$(upload imp1 "$tmp/imp1.csv" "?job=0123456789abcdef0123456789abcdef")
expect_eq "an import answers with its report" "200 7 3 0 4" "$st $(json imp1 '[.total, .created, .unchanged, .failed] | join(" ")')"
expect_eq "bad rows by line and reason" "4:extension:分机为 3 到 10 位数字，不以 0 开头 5:extension:分机已被使用 6:groups:技能组不存在 8:password:至少 6 个字符" \
  "$(json imp1 '[.errors[] | "\(.line):\(.field):\(.message)"] | join(" ")')"
expect_eq "the new agents' SIP passwords, once" "imp01:1301 imp02:1302 imp06:1306" \
  "$(json imp1 '[.passwords[] | "\(.username):\(.extension)"] | join(" ")')"
IMP_PW=$(json imp1 '.passwords[0].sip_password')
expect_eq "its ha1 matches" "$(md5 "1301:$SIP_REALM:$IMP_PW")" "$(sql "SELECT ha1 FROM cc_sip_account WHERE username = '1301'")"
expect_eq "bad rows left nothing behind" 0 "$(sql "SELECT COUNT(*) FROM cs_user WHERE USERNAME IN ('imp03', 'imp04', 'imp05', 'imp07')")"
expect_eq "a quoted name with a comma, a level" "导入,六|$GROUP:2" \
  "$(sql "SELECT CONCAT_WS('|', u.uname, CONCAT(m.skill_group_id, ':', m.level)) FROM cs_user u JOIN cc_skill_group_member m ON m.user_id = u.ID WHERE u.USERNAME = 'imp06'")"
get job1 /import/0123456789abcdef0123456789abcdef >/dev/null
expect_eq "its progress is known by its job" "true 7 7" "$(json job1 '[.finished, .done, .total] | map(tostring) | join(" ")')"
C2=$(counts)
upload imp1b "$tmp/imp1.csv" >/dev/null
expect_eq "importing the same file again changes nothing" "0 3 4 $C2" \
  "$(json imp1b '[.created, .unchanged, .failed] | join(" ")') $(counts)"

printf '\xef\xbb\xbfusername,name,extension,password,groups\r\nbom01,BOM One,1401,secret01,%s:1\r\n' "$GROUP_NAME" > "$tmp/bom.csv"
upload bom "$tmp/bom.csv" >/dev/null
expect_eq "a UTF-8 file with BOM and CRLF, English header" "1 bom01" "$(json bom .created) $(sql "SELECT USERNAME FROM cs_user WHERE uname = 'BOM One'")"
printf '用户名,姓名,分机,登录密码,技能组\r\ngbk01,国标一,1501,secret01,%s:1\r\n' "$GROUP_NAME" | iconv -f UTF-8 -t GBK > "$tmp/gbk.csv"
upload gbk "$tmp/gbk.csv" >/dev/null
expect_eq "a GBK file as Excel saves it" "1 国标一 $GROUP" \
  "$(json gbk .created) $(sql "SELECT u.uname, m.skill_group_id FROM cs_user u JOIN cc_skill_group_member m ON m.user_id = u.ID WHERE u.USERNAME = 'gbk01'" | tr '\t' ' ')"
printf 'username,name\n"broken,x\n' > "$tmp/bad.csv"
C3=$(counts)
expect_eq "a malformed file is refused whole" "422 malformed $C3" "$(upload bad "$tmp/bad.csv") $(json bad .error) $(counts)"
printf 'foo,bar\nx,y\n' > "$tmp/hdr.csv"
expect_eq "a file without the header is refused" "422 bad_header" "$(upload hdr "$tmp/hdr.csv") $(json hdr .error)"
{ echo "username,extension,password"; for i in $(seq 100000); do echo "b$i,,pw$i"; done; } > "$tmp/big.csv"
st=$(upload big "$tmp/big.csv")
expect_eq "100,000 rows are refused with a clear message" "413 too_many_rows 文件行数超过上限，未导入任何内容；请拆分后再导入" \
  "$st $(json big .error) $(json big .message)"
expect_eq "and nothing was written" "$C3" "$(counts)"
expect_eq "an import without the CSRF token is 403" 403 \
  "$(http imp-nocsrf -b "$tmp/ja" -H 'Content-Type: text/csv' --data-binary "@$tmp/bom.csv" "$API/import")"

# --- export -------------------------------------------------------------------------------------------
post fx '{"username":"formula1","name":"=HYPERLINK(\"x\")","password":"secret12"}' >/dev/null
expect_eq "the export downloads" "200 text/csv; charset=utf-8" "$(http exp -b "$tmp/ja" "$base/cc/admin/agents/export") $(hdr exp content-type)"
check "with a BOM for Excel" test "$(head -c 3 "$tmp/exp.b" | od -An -tx1 | tr -d ' \n')" = efbbbf
check "every agent, imported ones too" grep -q '^imp06,"导入,六",1306,,' "$tmp/exp.b"
check "a cell that looks like a formula is made text" grep -q "^formula1,\"'=HYPERLINK(\"\"x\"\")\"," "$tmp/exp.b"
expect_eq "no password in the audit log at all" 0 \
  "$(sql "SELECT COUNT(*) FROM cc_audit_log WHERE resource = 'agents' AND (after_json LIKE '%secret0%' OR after_json LIKE '%secret12%')")"

finish
