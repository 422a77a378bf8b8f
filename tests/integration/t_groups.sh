#!/usr/bin/env bash
# 技能组管理, 号码管理 and 审计日志 through nginx, with curl against the real
# stack: skill groups created, edited and deleted with every queue setting,
# by the form and by the JSON API; bounds and bad input answered with one
# message per field and nothing written; CSRF and the agents' 403; a group
# in use (a number's inbound target, another group's overflow) refused with
# the list of its users; agents bound to a group with their levels; numbers
# kept in E.164 with what was typed (+86 10 1234 5678, 010-12345678,
# 13800138000, 95555, 4001), their usage rules and outbound groups; an
# audit record for each change, and the audit page and its JSON filtered.
. "$(dirname "$0")/lib.sh"

stack_start
web_setup groups

# facts NAME: what a browser's parser finds in page NAME, one fact a line:
#   error COL TEXT | banner REASON | value COL VALUE | selected COL VALUE |
#   checked COL | linked LINK KEY LEVEL | user ITEM KEY HREF LABEL |
#   entry ID RESOURCE ITEM ACTION | change ID FIELD BEFORE => AFTER ('-': none) |
#   and what the CSP or escaping forbid: inline-script, handler, img.
facts() {
  python3 - "$tmp/$1.b" <<'PY'
import sys, html.parser
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.err = None; self.text = ''; self.select = None; self.user = None
        self.entry = None; self.change = None; self.cell = None; self.cells = []; self.levels = {}; self.boxes = []
    def handle_starttag(self, tag, a):
        d = dict(a)
        if tag == 'script' and not d.get('src'): print('inline-script')
        if tag == 'img': print('img')
        for k, v in a:
            if k.startswith('on'): print('handler ' + k)
        if d.get('class', '').startswith('field-error'):
            self.err = d['id'][4:]; self.text = ''
        if d.get('id') == 'res-error': print('banner', d.get('data-reason'))
        if tag == 'input' and d.get('id', '').startswith('f-'):
            if d.get('type') == 'checkbox':
                if 'checked' in d: print('checked', d['name'])
            else: print('value', d['name'], d.get('value', ''))
        if tag == 'input' and d.get('id', '').startswith('l-') and 'checked' in d:
            self.boxes.append((d['name'], d['value']))
        if tag == 'input' and d.get('class') == 'res-level':
            self.levels[d['name']] = d.get('value', '')
        if tag == 'select': self.select = d.get('name')
        if tag == 'option' and self.select and 'selected' in d: print('selected', self.select, d.get('value'))
        if tag == 'li' and 'data-item' in d: self.user = [d['data-item'], d['data-key'], '-']; self.text = ''
        if tag == 'a' and self.user: self.user[2] = d.get('href', '-')
        if tag == 'tr' and 'data-action' in d:
            self.entry = d['data-id']; print('entry', d['data-id'], d['data-resource'], d['data-item'], d['data-action'])
        if tag == 'tr' and 'data-field' in d: self.change = d['data-field']; self.cells = []
        if tag == 'td' and self.change: self.cell = ''; self.text = ''
    def handle_endtag(self, tag):
        if tag == 'select': self.select = None
        if tag == 'div' and self.err: print('error', self.err, self.text.strip()); self.err = None
        if tag == 'li' and self.user: print('user', *self.user, ' '.join(self.text.split())); self.user = None
        if tag == 'td' and self.change is not None and self.cell is not None:
            self.cells.append(' '.join(self.text.split())); self.cell = None
        if tag == 'tr' and self.change:
            if len(self.cells) == 3: print('change', self.entry, self.change, self.cells[1] or '-', '=>', self.cells[2] or '-')
            self.change = None
    def handle_data(self, d): self.text += d
p = P(); p.feed(open(sys.argv[1], encoding='utf-8').read())
for name, key in p.boxes: print('linked', name, key, p.levels.get(name + '.level.' + key, '-'))
PY
}
fact() { facts "$1" | sed -n "s/^$2 //p" | head -n 1; }
forbidden() { facts "$1" | grep -E '^(inline-script|handler|img)' | sort -u | tr '\n' ' '; }
location() { hdr "$1" location; }
dir_after() { dir_loaded $(($1 + 1)); }
ngroups() { sql "SELECT COUNT(*) FROM cc_skill_group"; }
naudit() { sql "SELECT COUNT(*) FROM cc_audit_log"; }
members() { sql "SELECT COALESCE(GROUP_CONCAT(CONCAT(user_id, ':', level) ORDER BY user_id), '') FROM cc_skill_group_member WHERE skill_group_id = $1"; }
gid() { sql "SELECT id FROM cc_skill_group WHERE name = '$1'"; }
nid() { sql "SELECT id FROM cc_number WHERE number = '$1'"; }
# api NAME METHOD-ARGS...: a JSON request with the admin's session and token.
api() { local n=$1; shift; http "$n" -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' "$@"; }
form() { local n=$1; shift; http "$n" -b "$tmp/ja" --data-urlencode "_csrf=$ta" "$@"; }

ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
expect_match "admin signs in" '^[0-9a-f]{64}$' "$ta"
t1=$(login j1 "$A1_LOGIN" "$AGENT_PASSWORD")
expect_match "agent1 signs in" '^[0-9a-f]{64}$' "$t1"

# --- 1. agents get 403 everywhere -----------------------------------------------------
G0=$(ngroups)
for r in "GET /cc/admin/groups" "GET /cc/admin/groups/new" "POST /cc/admin/groups/new" "GET /cc/admin/groups/$GROUP" \
  "POST /cc/admin/groups/$GROUP" "POST /cc/admin/groups/$GROUP/delete" "GET /cc/api/admin/groups" \
  "POST /cc/api/admin/groups" "POST /cc/api/admin/groups/$GROUP/delete" "GET /cc/admin/audit" "GET /cc/api/admin/audit"; do
  m=${r%% *} p=${r#* }
  if [ "$m" = POST ]; then
    st=$(http agent-try -b "$tmp/j1" -H "X-CSRF-Token: $t1" --data-urlencode name=x "$base$p")
  else
    st=$(http agent-try -b "$tmp/j1" "$base$p")
  fi
  expect_eq "an agent gets 403 on $r" 403 "$st"
done
expect_eq "and nothing was written or deleted" "$G0 $GROUP_NAME" "$(ngroups) $(sql "SELECT name FROM cc_skill_group WHERE id = $GROUP")"
expect_eq "without a session the groups' JSON is 401" 401 "$(http anon "$base/cc/api/admin/groups")"

# --- 2. a group with every setting, by the form ----------------------------------------
http side -b "$tmp/ja" "$base/cc/admin" >/dev/null
expect_eq "the side navigation leads to the groups and the audit log" "2" \
  "$(grep -oE 'id="side-(groups|audit)"' "$tmp/side.b" | wc -l)"
expect_eq "the new form answers" 200 "$(http gnew -b "$tmp/ja" "$base/cc/admin/groups/new")"
expect_eq "with the defaults (strategy, ring timeout, wrap-up, no agent: wait)" "longest_idle 20 10 wait" \
  "$(fact gnew 'selected strategy') $(fact gnew 'value ring_timeout_s') $(fact gnew 'value wrapup_s') $(fact gnew 'selected no_agent_action')"
expect_eq "a hint for each of the 7 strategies" 7 \
  "$(grep -o '<ul class="field-hint choice-hints" id="hints-strategy">.*' "$tmp/gnew.b" | sed 's|</ul>.*||' | grep -o '<li ' | wc -l)"
expect_eq "the departments offered are the skill departments only" "$DEPT" \
  "$(grep -o '<select id="f-organ_id"[^>]*>.*</select>' "$tmp/gnew.b" | grep -o 'value="0a[0-9a-z]*"' | sed 's/value="//; s/"//' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "music on hold offers only music" "2" \
  "$(grep -o '<select id="f-moh_audio_id".*' "$tmp/gnew.b" | sed 's|</select>.*||' | grep -o 'value="[0-9][0-9]*"' | sed 's/value="//; s/"//' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "the agents are offered with a level (the three agents, not staff1)" \
  "$A1 $A2 $A3" "$(grep -o 'name="agents" value="[^"]*"' "$tmp/gnew.b" | sed 's/.*value="//; s/"//' | tr '\n' ' ' | sed 's/ $//')"
# A second skill department of the helpdesk to back the new group.
DEPT2=0a000000000000000000000000000009
sql "INSERT INTO uk_organ (ID, NAME, CODE, PARENT, SKILL, CREATETIME) VALUES ('$DEPT2', '售后部', 'AS', '$HQ', 1, NOW())"
L0=$(dir_ticket)
A0=$(naudit)
st=$(form gcreate --data-urlencode name='售后组' --data-urlencode organ_id="$DEPT2" --data-urlencode description='售后 <b>&</b> 维修' \
  --data-urlencode strategy=top_down --data-urlencode ring_timeout_s=25 --data-urlencode no_answer_break=2 \
  --data-urlencode max_wait_s=300 --data-urlencode max_wait_action=overflow --data-urlencode max_wait_audio_id="$AUDIO_NO_AGENT" \
  --data-urlencode no_agent_action=wait --data-urlencode no_agent_audio_id="$AUDIO_NO_AGENT" --data-urlencode overflow_group_id="$GROUP" \
  --data-urlencode wrapup_s=15 --data-urlencode moh_audio_id="$AUDIO_MOH" --data-urlencode announce_interval_s=30 \
  --data-urlencode announce_position=1 --data-urlencode announce_audio_id="$AUDIO_WELCOME" --data-urlencode dedicated_wait_s=20 \
  --data-urlencode enabled=1 --data-urlencode _link=agents --data-urlencode agents="$A1" --data-urlencode "agents.level.$A1=3" \
  --data-urlencode agents="$A2" --data-urlencode "agents.level.$A2=1" --data-urlencode "agents.level.$A3=7" \
  --data-urlencode _link=numbers "$base/cc/admin/groups/new")
expect_eq "creating 售后组 goes back to the list (303)" "303 /cc/admin/groups?done=created" "$st $(location gcreate)"
G2=$(gid 售后组)
expect_eq "every setting is stored (announce_wait unticked: no)" \
  "$DEPT2|售后 <b>&</b> 维修|top_down|25|2|300|overflow|$AUDIO_NO_AGENT|wait|$AUDIO_NO_AGENT|$GROUP|15|$AUDIO_MOH|30|1|0|$AUDIO_WELCOME|20|1" \
  "$(sql "SELECT CONCAT_WS('|', organ_id, description, strategy, ring_timeout_s, no_answer_break, max_wait_s, max_wait_action,
     max_wait_audio_id, no_agent_action, no_agent_audio_id, overflow_group_id, wrapup_s, moh_audio_id, announce_interval_s,
     announce_position, announce_wait, announce_audio_id, dedicated_wait_s, enabled) FROM cc_skill_group WHERE id = $G2")"
expect_eq "its agents with their levels (agent3 not ticked: not bound)" "$A1:3,$A2:1" "$(members "$G2")"
check "the B2BUA re-read its directory" eventually 20 dir_after "$L0"
expect_eq "one audit record for it" "$((A0 + 1)) create admin" \
  "$(naudit) $(sql "SELECT CONCAT(action, ' ', username) FROM cc_audit_log ORDER BY id DESC LIMIT 1")"
expect_eq "which holds the agents and their levels" "3 1" \
  "$(sql "SELECT CONCAT(JSON_EXTRACT(after_json, '$.agents[0].level'), ' ', JSON_EXTRACT(after_json, '$.agents[1].level')) FROM cc_audit_log WHERE resource = 'groups' AND item_id = '$G2' AND action = 'create'")"
http gedit -b "$tmp/ja" "$base/cc/admin/groups/$G2" >/dev/null
expect_eq "the edit form shows the agents ticked with their levels" "agents $A1 3|agents $A2 1" \
  "$(facts gedit | sed -n 's/^linked //p' | tr '\n' '|' | sed 's/|$//')"
expect_eq "and the settings selected" "top_down wait $GROUP $DEPT2" \
  "$(fact gedit 'selected strategy') $(fact gedit 'selected no_agent_action') $(fact gedit 'selected overflow_group_id') $(fact gedit 'selected organ_id')"
expect_eq "the page holds no script or handler from the description" "" "$(forbidden gedit)"
api gget "$base/cc/api/admin/groups/$G2" >/dev/null
expect_eq "the JSON item has the department by name and the agents" "售后部 $A1 张三 3" \
  "$(json gget .item.labels.organ_id) $(json gget '.item.agents[0].id') $(json gget '.item.agents[0].label') $(json gget '.item.agents[0].level')"

# --- 3. bounds and bad input: a message per field, nothing written ------------------------
G1=$(ngroups) A1N=$(naudit)
long=$(printf '长%.0s' $(seq 65))
st=$(form gbad --data-urlencode "name=$long" --data-urlencode organ_id="$HQ" --data-urlencode strategy=fastest \
  --data-urlencode ring_timeout_s=4 --data-urlencode no_answer_break=21 --data-urlencode max_wait_s=abc \
  --data-urlencode max_wait_action=overflow --data-urlencode no_agent_action=hangup --data-urlencode overflow_group_id= \
  --data-urlencode wrapup_s=601 --data-urlencode moh_audio_id="$AUDIO_NO_AGENT" --data-urlencode announce_interval_s=-1 \
  --data-urlencode dedicated_wait_s=301 --data-urlencode _link=agents --data-urlencode agents="$STAFF" "$base/cc/admin/groups/new")
expect_eq "bad input is refused with the form again (422)" "422 res.invalid" "$st $(fact gbad banner)"
expect_eq "name: too long" "最多 64 个字符" "$(fact gbad 'error name')"
expect_eq "department: not a skill department" 所选项目不存在，请重新选择 "$(fact gbad 'error organ_id')"
expect_eq "strategy: not one of the list" 请从列表中选择 "$(fact gbad 'error strategy')"
expect_eq "ring timeout: below 5" "必须在 5 到 120 之间" "$(fact gbad 'error ring_timeout_s')"
expect_eq "missed offers: above 20" "必须在 0 到 20 之间" "$(fact gbad 'error no_answer_break')"
expect_eq "maximum wait: not a number" 请输入整数 "$(fact gbad 'error max_wait_s')"
expect_eq "overflow without a group" "选择“溢出”时必须设置溢出技能组" "$(fact gbad 'error overflow_group_id')"
expect_eq "wrap-up: above 600" "必须在 0 到 600 之间" "$(fact gbad 'error wrapup_s')"
expect_eq "music on hold: a prompt is not music" 所选项目不存在，请重新选择 "$(fact gbad 'error moh_audio_id')"
expect_eq "announcement interval: negative" "必须在 0 到 600 之间" "$(fact gbad 'error announce_interval_s')"
expect_eq "dedicated wait: above 300" "必须在 0 到 300 之间" "$(fact gbad 'error dedicated_wait_s')"
expect_eq "agents: a user who is not an agent" 所选项目不存在，请重新选择 "$(fact gbad 'error agents')"
expect_eq "the form keeps what was typed" "4 abc" "$(fact gbad 'value ring_timeout_s') $(fact gbad 'value max_wait_s')"
expect_eq "nothing was written, nothing recorded" "$G1 $A1N" "$(ngroups) $(naudit)"
st=$(api gbad2 --data "$(jq -cn --arg a "$A1" '{name:"x", ring_timeout_s:121, agents:[{id:$a, level:10}], strategy:"ring_everyone", no_agent_action:"overflow"}')" "$base/cc/api/admin/groups?lang=en")
expect_eq "the JSON API answers per field, in English; an unknown strategy is refused (422)" \
  "422 invalid Must be between 5 and 120|Must be between 1 and 9|Required when an action is overflow|Choose one from the list" \
  "$st $(json gbad2 .error) $(json gbad2 '[.errors.ring_timeout_s, .errors.agents, .errors.overflow_group_id, .errors.strategy] | join("|")')"
st=$(api gbad3 --data '{"name":"售后组"}' "$base/cc/api/admin/groups")
expect_eq "a group name in use is a field error" "422 已存在，不能重复" "$st $(json gbad3 .errors.name)"
st=$(api gbad4 --data "{\"name\":\"y\",\"organ_id\":\"$DEPT\"}" "$base/cc/api/admin/groups")
expect_eq "a department already backing a group is a field error" "422 已存在，不能重复" "$st $(json gbad4 .errors.organ_id)"
st=$(api gself --data "{\"overflow_group_id\":$G2}" "$base/cc/api/admin/groups/$G2")
expect_eq "a group cannot overflow to itself" "422 不能选择本身" "$st $(json gself .errors.overflow_group_id)"
st=$(api gbad5 --data '{"name":"z","agents":"all"}' "$base/cc/api/admin/groups")
expect_eq "agents that are not a list are refused" "422 格式不正确" "$st $(json gbad5 .errors.agents)"
expect_eq "still nothing written" "$G1 $A1N" "$(ngroups) $(naudit)"

# --- 4. CSRF --------------------------------------------------------------------------------
expect_eq "creating without the token is refused (403)" 403 \
  "$(http nocsrf1 -b "$tmp/ja" --data-urlencode name=nocsrf "$base/cc/admin/groups/new")"
expect_eq "editing members without the token is refused (403)" 403 \
  "$(http nocsrf2 -b "$tmp/ja" -H 'Content-Type: application/json' --data "{\"agents\":[]}" "$base/cc/api/admin/groups/$G2")"
expect_eq "deleting with another session's token is refused (403)" 403 \
  "$(http nocsrf3 -b "$tmp/ja" --data-urlencode "_csrf=$t1" "$base/cc/admin/groups/$G2/delete")"
expect_eq "nothing changed" "$G1 $A1:3,$A2:1" "$(ngroups) $(members "$G2")"

# --- 5. members: levels, replaced at once, unchanged when not sent ----------------------------
L1=$(dir_ticket)
st=$(api gm1 --data "$(jq -cn --arg a "$A2" --arg b "$A3" '{agents:[{id:$a, level:9}, $b]}')" "$base/cc/api/admin/groups/$G2")
expect_eq "the JSON API replaces the agents (level 9, and the default 1)" "200 $A2:9,$A3:1" "$st $(members "$G2")"
check "the B2BUA re-read its directory after a change of members" eventually 20 dir_after "$L1"
expect_eq "the audit record has the agents before and after" "$A1 $A3" \
  "$(sql "SELECT CONCAT(JSON_UNQUOTE(JSON_EXTRACT(before_json, '$.agents[0].id')), ' ', JSON_UNQUOTE(JSON_EXTRACT(after_json, '$.agents[1].id'))) FROM cc_audit_log WHERE resource = 'groups' AND item_id = '$G2' AND action = 'update' ORDER BY id DESC LIMIT 1")"
api gm2 --data '{"description":"只改说明"}' "$base/cc/api/admin/groups/$G2" >/dev/null
expect_eq "an update without the agents keeps them" "只改说明 $A2:9,$A3:1" "$(sql "SELECT description FROM cc_skill_group WHERE id = $G2") $(members "$G2")"
expect_eq "and its record holds only the description" '["description"]' \
  "$(sql "SELECT JSON_KEYS(after_json) FROM cc_audit_log WHERE resource = 'groups' AND item_id = '$G2' ORDER BY id DESC LIMIT 1" | tr -d ' ')"
st=$(form gm3 --data-urlencode name='售后组' --data-urlencode strategy=top_down --data-urlencode ring_timeout_s=25 \
  --data-urlencode no_answer_break=2 --data-urlencode max_wait_s=300 --data-urlencode max_wait_action=hangup \
  --data-urlencode no_agent_action=hangup --data-urlencode wrapup_s=15 --data-urlencode announce_interval_s=0 \
  --data-urlencode dedicated_wait_s=20 --data-urlencode _link=agents --data-urlencode _link=numbers "$base/cc/admin/groups/$G2")
expect_eq "a form with no agent ticked leaves the group without agents" "303 " "$st $(members "$G2")"

# --- 6. numbers in E.164, what was typed kept -------------------------------------------------
ncreate() { api "$1" --data "$(jq -cn --arg n "$2" --arg u "$3" --argjson g "${4:-null}" '{number:$n, usage:$u, skill_group_id:$g}')" "$base/cc/api/admin/numbers"; }
expect_eq "+86 10 1234 5678 is stored as +861012345678, shown as typed" "201 +861012345678|+86 10 1234 5678" \
  "$(ncreate n1 '+86 10 1234 5678' both "$G2") $(json n1 .item.number)|$(json n1 .item.display)"
expect_eq "010-12345678 is the same number: refused as a duplicate" "422 已存在，不能重复" \
  "$(ncreate n2 '010-12345678' inbound "$G2") $(json n2 .errors.number)"
expect_eq "13800138000 is stored as +8613800138000" "201 +8613800138000|13800138000" \
  "$(ncreate n3 13800138000 outbound) $(json n3 .item.number)|$(json n3 .item.display)"
expect_eq "95555, a short service number, stays as it is" "201 95555|95555" \
  "$(ncreate n4 95555 inbound "$GROUP") $(json n4 .item.number)|$(json n4 .item.display)"
expect_eq "4001 is the demo's number: a duplicate" "422 已存在，不能重复" "$(ncreate n5 4001 inbound "$GROUP") $(json n5 .errors.number)"
expect_eq "the demo's 4001 is unchanged" "4001|4001|inbound" "$(sql "SELECT CONCAT_WS('|', number, display, \`usage\`) FROM cc_number WHERE number = '4001'")"
expect_eq "a number with letters is refused" "422 包含不允许的字符" "$(ncreate n6 '400a' inbound "$GROUP") $(json n6 .errors.number)"
expect_eq "a number without digits is refused" "422 电话号码格式不正确" "$(ncreate n7 '--' inbound "$GROUP") $(json n7 .errors.number)"
N1=$(nid +861012345678)
http nedit -b "$tmp/ja" "$base/cc/admin/numbers/$N1" >/dev/null
expect_eq "the edit form shows the number as typed" "+86 10 1234 5678" "$(fact nedit 'value number')"
st=$(form nform --data-urlencode number='(010) 8888-6666' --data-urlencode name='北京' --data-urlencode usage=inbound \
  --data-urlencode skill_group_id="$GROUP" --data-urlencode enabled=1 --data-urlencode _link=groups "$base/cc/admin/numbers/new")
expect_eq "the form stores (010) 8888-6666 as +861088886666" "303 +861088886666|(010) 8888-6666" \
  "$st $(sql "SELECT CONCAT_WS('|', number, display) FROM cc_number WHERE name = '北京'")"

# --- 7. usage rules and outbound groups ---------------------------------------------------------
expect_eq "an inbound number needs a skill group" "422 用途为呼入时必须选择技能组或 IVR 流程" "$(ncreate u1 4101 inbound) $(json u1 .errors.skill_group_id)"
expect_eq "an outbound-only number has none" "422 仅外呼的号码不能设置此项" "$(ncreate u2 4102 outbound "$GROUP") $(json u2 .errors.skill_group_id)"
st=$(api u3 --data "{\"number\":\"4103\",\"usage\":\"outbound\",\"welcome_audio_id\":$AUDIO_WELCOME}" "$base/cc/api/admin/numbers")
expect_eq "nor a welcome prompt" "422 仅外呼的号码不能设置此项" "$st $(json u3 .errors.welcome_audio_id)"
st=$(api u4 --data "{\"usage\":\"sideways\"}" "$base/cc/api/admin/numbers/$N1")
expect_eq "a usage not in the list is refused" "422 请从列表中选择" "$st $(json u4 .errors.usage)"
N3=$(nid +8613800138000)
st=$(api og1 --data "{\"groups\":[$G2, $GROUP]}" "$base/cc/api/admin/numbers/$N3")
expect_eq "an outbound number gets its groups" "200 $GROUP,$G2" \
  "$st $(sql "SELECT GROUP_CONCAT(skill_group_id ORDER BY skill_group_id) FROM cc_skill_group_number WHERE number_id = $N3")"
api og2 "$base/cc/api/admin/groups/$G2" >/dev/null
expect_eq "the group sees it among its outbound numbers" "$N3 +8613800138000" "$(json og2 '.item.numbers[0].id') $(json og2 '.item.numbers[0].label')"
N4=$(nid 95555)
st=$(api og3 --data "{\"groups\":[$G2]}" "$base/cc/api/admin/numbers/$N4")
expect_eq "an inbound-only number cannot have outbound groups" "422 当前用途不允许设置此项，请先取消全部勾选" "$st $(json og3 .errors.groups)"
st=$(api og4 --data "{\"usage\":\"inbound\",\"skill_group_id\":$GROUP}" "$base/cc/api/admin/numbers/$N3")
expect_eq "nor can a number with groups become inbound-only" "422 当前用途不允许设置此项，请先取消全部勾选" "$st $(json og4 .errors.groups)"
st=$(api og5 --data "{\"numbers\":[$N4]}" "$base/cc/api/admin/groups/$G2")
expect_eq "a group cannot present an inbound-only number" "422 所选项目不存在，请重新选择" "$st $(json og5 .errors.numbers)"
st=$(api og6 --data "{\"numbers\":[$N1, $N3]}" "$base/cc/api/admin/groups/$G2")
expect_eq "but may present outbound ones (from the group's side)" "200 $N1,$N3" \
  "$st $(sql "SELECT GROUP_CONCAT(number_id ORDER BY number_id) FROM cc_skill_group_number WHERE skill_group_id = $G2")"
expect_eq "which the number's side sees" "$GROUP,$G2" \
  "$(sql "SELECT GROUP_CONCAT(skill_group_id ORDER BY skill_group_id) FROM cc_skill_group_number WHERE number_id = $N3")"

# --- 8. a group in use is not deleted ------------------------------------------------------------
sql "UPDATE cc_skill_group SET max_wait_action = 'overflow', overflow_group_id = $GROUP WHERE id = $G2"
G3=$(ngroups) A3N=$(naudit)
st=$(form del1 "$base/cc/admin/groups/$GROUP/delete")
expect_eq "deleting 客服一组 is refused (409) with the form" "409 res.in_use" "$st $(fact del1 banner)"
NUMBER_ID=$(nid "$NUMBER")
expect_eq "which lists its users, each linked" \
  "res.numbers.item $(nid +861088886666) /cc/admin/numbers/$(nid +861088886666) 号码 +861088886666|res.numbers.item $NUMBER_ID /cc/admin/numbers/$NUMBER_ID 号码 $NUMBER|res.numbers.item $N4 /cc/admin/numbers/$N4 号码 95555|res.groups.item $G2 /cc/admin/groups/$G2 技能组 售后组" \
  "$(facts del1 | sed -n 's/^user //p' | tr '\n' '|' | sed 's/|$//')"
st=$(api del2 --data '' "$base/cc/api/admin/groups/$GROUP/delete?lang=en")
expect_eq "the JSON API answers 409 in_use with the users" "409 in_use 4 number:$NUMBER skill group:售后组" \
  "$st $(json del2 .error) $(json del2 '.users | length') $(json del2 '[.users[] | .type + ":" + .label] | map(select(. == "number:'"$NUMBER"'" or . == "skill group:售后组")) | join(" ")')"
expect_eq "nothing was deleted, nothing recorded" "$G3 $A3N" "$(ngroups) $(naudit)"
st=$(api g4 --data "$(jq -cn --arg a "$A1" '{name:"临时组", agents:[{id:$a, level:2}]}')" "$base/cc/api/admin/groups")
G4=$(json g4 .item.id)
expect_eq "a group nobody uses (with an agent) is created" "201 $A1:2" "$st $(members "$G4")"
st=$(form del3 "$base/cc/admin/groups/$G4/delete")
expect_eq "and deleted" "303 /cc/admin/groups?done=deleted" "$st $(location del3)"
expect_eq "its agents go with it" "0" "$(sql "SELECT COUNT(*) FROM cc_skill_group_member WHERE skill_group_id = $G4")"
expect_eq "the delete record keeps them" "$A1 2" \
  "$(sql "SELECT CONCAT(JSON_UNQUOTE(JSON_EXTRACT(before_json, '$.agents[0].id')), ' ', JSON_EXTRACT(before_json, '$.agents[0].level')) FROM cc_audit_log WHERE resource = 'groups' AND item_id = '$G4' AND action = 'delete'")"

# --- 9. the audit page and its JSON ---------------------------------------------------------------
H=$'<script>alert(1)</script>"\'&<img src=x onerror=alert(2)>'
api hostile --data "$(jq -cn --arg d "$H" '{description: $d}')" "$base/cc/api/admin/groups/$G2" >/dev/null
expect_eq "the audit page answers the admin" 200 "$(http au1 -b "$tmp/ja" "$base/cc/admin/audit")"
expect_eq "newest first: the hostile description's update" "groups $G2 update" "$(fact au1 entry | cut -d' ' -f2-)"
expect_eq "shown field by field, before and after, as text" "说明 只改说明 => $H" \
  "$(facts au1 | sed -n "s/^change [0-9]* description //p" | head -n 1 | sed 's/^/说明 /')"
expect_eq "the page holds no script, handler or image from it" "" "$(forbidden au1)"
http au2 -b "$tmp/ja" "$base/cc/admin/audit?resource=groups&action=delete" >/dev/null
expect_eq "filtered by resource and action: the one delete" "groups $G4 delete" "$(facts au2 | sed -n 's/^entry [0-9]* //p' | tr '\n' '|' | sed 's/|$//')"
http au3 -b "$tmp/ja" "$base/cc/admin/audit?resource=groups&item=$G2&action=create" >/dev/null
expect_eq "a create shows each setting by name (department, strategy, overflow group)" "售后部 ($DEPT2)|按级别顺序|客服一组 (#$GROUP)" \
  "$(facts au3 | sed -n 's/^change [0-9]* \(organ_id\|overflow_group_id\|strategy\) - => //p' | tr '\n' '|' | sed 's/|$//')"
expect_eq "and the agents with their levels" "张三 (级别 3), 李四 (级别 1)" "$(facts au3 | sed -n 's/^change [0-9]* agents - => //p')"
api au4 "$base/cc/api/admin/audit?resource=groups&item=$G2" >/dev/null
ng2=$(sql "SELECT COUNT(*) FROM cc_audit_log WHERE resource = 'groups' AND item_id = '$G2'")
expect_eq "the JSON by item: every record of the group, newest first" "$ng2 update create" \
  "$(json au4 .total) $(json au4 '.items[0].action') $(json au4 '.items[-1].action')"
api au5 "$base/cc/api/admin/audit?resource=numbers&action=create&per_page=2&page=2" >/dev/null
nn=$(sql "SELECT COUNT(*) FROM cc_audit_log WHERE resource = 'numbers' AND action = 'create'")
expect_eq "pages of the JSON (2 a page, page 2)" "$nn 2 $(( (nn + 1) / 2 )) 2" "$(json au5 .total) $(json au5 .page) $(json au5 .pages) $(json au5 '.items | length')"
expect_eq "a number's record shows the number as typed" "display +86 10 1234 5678" \
  "$(api au6 "$base/cc/api/admin/audit?resource=numbers&item=$N1&action=create" >/dev/null; json au6 '.items[0].changes[] | select(.field == "display") | "display " + .after')"
today=$(sql "SELECT CURDATE()") tomorrow=$(sql "SELECT CURDATE() + INTERVAL 1 DAY")
api au7 "$base/cc/api/admin/audit?user=$ADMIN_LOGIN&from=$today&to=$today" >/dev/null
expect_eq "by user and today's date: every record" "$(naudit)" "$(json au7 .total)"
api au8 "$base/cc/api/admin/audit?from=$tomorrow" >/dev/null
expect_eq "from tomorrow: none" 0 "$(json au8 .total)"
api au9 "$base/cc/api/admin/audit?user=agent1" >/dev/null
expect_eq "by another user: none" 0 "$(json au9 .total)"
expect_eq "a malformed date is refused (422)" "422 invalid" "$(api au10 "$base/cc/api/admin/audit?from=2026-13-01") $(json au10 .error)"
http au11 -b "$tmp/ja" "$base/cc/admin/audit?lang=en&resource=groups&action=delete" >/dev/null
expect_eq "in English" "Audit log Deleted" \
  "$(grep -o '<h1>[^<]*' "$tmp/au11.b" | sed 's/<h1>//') $(grep -o 'data-action="delete"' "$tmp/au11.b" >/dev/null && grep -o '>Deleted<' "$tmp/au11.b" | head -n 1 | tr -d '<>')"

finish
