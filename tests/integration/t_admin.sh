#!/usr/bin/env bash
# Admin resources through nginx, with curl against the real stack: the
# phone numbers (号码管理, cc_number) an admin lists, searches, sorts, pages,
# creates, edits and deletes, by the pages and by the JSON API. Bad input
# gets one message per field and writes nothing; a duplicate number is a
# field error; agents get 403 on every route; a POST without the CSRF token
# gets 403 and changes nothing; hostile names come back escaped. Every
# change reaches the B2BUA (its directory reload is seen in `ping`, and a
# call to the new number is answered, to a deleted one refused); with the
# B2BUA down the change is saved and the page says it waits for the next
# reload; a failing database write keeps what was typed.
. "$(dirname "$0")/lib.sh"

stack_start

web_setup admin
location() { hdr "$1" location; }

# facts NAME: what a browser's parser finds in page NAME, one fact a line:
#   row KEY | cell KEY COL TEXT | error COL TEXT | value COL VALUE |
#   selected COL VALUE | checked COL | notice DONE PENDING TEXT |
#   banner REASON | pages PAGE PAGES TOTAL | side ID HREF |
#   and what the CSP or escaping forbid: inline-script, handler, img, style.
facts() {
  python3 - "$tmp/$1.b" <<'EOF'
import sys, html.parser
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.row = None; self.cell = None; self.err = None; self.notice = None; self.banner = None
        self.text = ''; self.select = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'script' and not a.get('src'): print('inline-script')
        if tag in ('img', 'style'): print(tag)
        for k, v in attrs:
            if k.startswith('on'): print('handler ' + k)
            if k == 'style': print('style')
        if tag == 'tr' and 'data-key' in a:
            self.row = a['data-key']; print('row', self.row)
        if tag == 'td' and self.row and 'data-col' in a:
            self.cell = a['data-col']; self.text = ''
        if a.get('class', '').startswith('field-error'):
            self.err = a['id'][4:]; self.text = ''
        if a.get('id') == 'res-notice':
            self.notice = (a.get('data-done'), a.get('data-pending') or '-'); self.text = ''
        if a.get('id') == 'res-error':
            print('banner', a.get('data-reason'))
        if a.get('id') == 'res-pages':
            print('pages', a.get('data-page'), a.get('data-pages'), a.get('data-total'))
        if tag == 'a' and a.get('id', '').startswith('side-'):
            print('side', a['id'][5:], a.get('href'))
        if tag == 'input' and a.get('id', '').startswith('f-'):
            if a.get('type') == 'checkbox':
                if 'checked' in a: print('checked', a['name'])
            else:
                print('value', a['name'], a.get('value', ''))
        if tag == 'select': self.select = a.get('name')
        if tag == 'option' and self.select and 'selected' in a:
            print('selected', self.select, a.get('value'))
    def handle_endtag(self, tag):
        if tag == 'td' and self.cell:
            print('cell', self.row, self.cell, ' '.join(self.text.split())); self.cell = None
        if tag == 'tr': self.row = None
        if tag == 'select': self.select = None
        if tag == 'div' and self.err:
            print('error', self.err, self.text.strip()); self.err = None
        if tag == 'div' and self.notice:
            print('notice', self.notice[0], self.notice[1], ' '.join(self.text.split())); self.notice = None
    def handle_data(self, d):
        self.text += d
P().feed(open(sys.argv[1], encoding='utf-8').read())
EOF
}
fact() { facts "$1" | sed -n "s/^$2 //p" | head -n 1; }
rows_of() { facts "$1" | sed -n 's/^row //p' | tr '\n' ' ' | sed 's/ $//'; }
cell() { facts "$1" | sed -n "s/^cell $2 $3 //p"; }
forbidden() { facts "$1" | grep -E '^(inline-script|handler|img|style)' | sort -u | tr '\n' ' '; }
nrows() { sql "SELECT COUNT(*) FROM cc_number"; }
row_of() { sql "SELECT CONCAT_WS('|', number, name, COALESCE(skill_group_id, '-'), COALESCE(welcome_audio_id, '-'), enabled) FROM cc_number WHERE number = '$1'"; }
id_of() { sql "SELECT id FROM cc_number WHERE number = '$1'"; }
# dir_after N: the B2BUA's directory in force was read after ticket N.
dir_after() { dir_loaded $(($1 + 1)); }
# call NAME NUMBER ARGS...: a gateway call to NUMBER; the IVR answers a
# number the B2BUA knows (hang up after 500 ms), an unknown one is 404.
call() { local n=$1 num=$2; shift 2; caller "$n" "$num" -i 127.0.0.1 -set caller 13700137000 -set hold_ms 500 "$@"; }

# --- 1. who may use the numbers -------------------------------------------------
# The demo's number ($NUMBER), skill group and prompts: tests/demo.env. The
# lists and pages below count from the demo's two inbound numbers: its
# outbound number (and the task that presents it) are set aside.
sql "DELETE FROM cc_task_target WHERE task_id = $TASK; DELETE FROM cc_task WHERE id = $TASK;
     DELETE FROM cc_skill_group_number WHERE number_id = $OUTBOUND_NUMBER_ID;
     DELETE FROM cc_number WHERE id = $OUTBOUND_NUMBER_ID"
ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
expect_match "admin signs in with a session token" '^[0-9a-f]{64}$' "$ta"
t1=$(login j1 "$A1_LOGIN" "$AGENT_PASSWORD")
expect_match "agent1 signs in with a session token" '^[0-9a-f]{64}$' "$t1"
N0=$(nrows)
NUMBER_ID=$(id_of "$NUMBER")
for r in "GET /cc/admin/numbers" "GET /cc/admin/numbers/new" "POST /cc/admin/numbers/new" \
  "GET /cc/admin/numbers/$NUMBER_ID" "POST /cc/admin/numbers/$NUMBER_ID" "POST /cc/admin/numbers/$NUMBER_ID/delete" \
  "GET /cc/api/admin/numbers" "POST /cc/api/admin/numbers" "GET /cc/api/admin/numbers/$NUMBER_ID" \
  "POST /cc/api/admin/numbers/$NUMBER_ID" "POST /cc/api/admin/numbers/$NUMBER_ID/delete"; do
  m=${r%% *} p=${r#* }
  if [ "$m" = POST ]; then
    st=$(http agent-try -b "$tmp/j1" -H "X-CSRF-Token: $t1" --data-urlencode number=4999 --data-urlencode name=x "$base$p")
  else
    st=$(http agent-try -b "$tmp/j1" "$base$p")
  fi
  expect_eq "an agent gets 403 on $r (even with its own token)" 403 "$st"
done
expect_eq "and nothing was written" "$N0 $NUMBER|客服热线 service line|$GROUP|$AUDIO_WELCOME|1" "$(nrows) $(row_of "$NUMBER")"
expect_eq "without a session the list page sends to sign-in" "303 /cc/login" \
  "$(http anon-list "$base/cc/admin/numbers") $(location anon-list)"
expect_eq "without a session the JSON list is 401" 401 "$(http anon-api "$base/cc/api/admin/numbers")"

# --- 2. the console's navigation and the list ---------------------------------------
http overview -b "$tmp/ja" "$base/cc/admin" >/dev/null
expect_eq "the admin console's side navigation leads to the numbers" "/cc/admin/numbers" "$(fact overview 'side numbers')"
expect_eq "the list page answers the admin" 200 "$(http list0 -b "$tmp/ja" "$base/cc/admin/numbers")"
IVR_NUMBER_ID=$(sql "SELECT id FROM cc_number WHERE number = '$IVR_NUMBER'")
expect_eq "it lists the demo's numbers" "$NUMBER_ID $IVR_NUMBER_ID" "$(rows_of list0)"
expect_eq "with its skill group shown by name" "$GROUP_NAME" "$(cell list0 "$NUMBER_ID" skill_group_id)"
expect_eq "and its welcome prompt by name" "欢迎语 welcome" "$(cell list0 "$NUMBER_ID" welcome_audio_id)"
expect_eq "the page has no inline script, style or handler" "" "$(forbidden list0)"
expect_eq "the new form answers" 200 "$(http new0 -b "$tmp/ja" "$base/cc/admin/numbers/new")"
expect_eq "a new number is enabled by default" enabled "$(fact new0 checked)"
expect_eq "the form offers the skill groups by name" "$GROUP_NAME" \
  "$(grep -o "<option value=\"$GROUP\">[^<]*" "$tmp/new0.b" | head -n 1 | sed 's/.*>//')"

# --- 3. create: the B2BUA routes the new number ---------------------------------------
call c-before 4777 -set expect 404
check "before it exists, a call to 4777 is refused (404)" test $? -eq 0
L0=$(dir_ticket)
st=$(http create -b "$tmp/ja" --data-urlencode "_csrf=$ta" --data-urlencode number=4777 \
  --data-urlencode name='售后热线 after-sales' --data-urlencode skill_group_id="$GROUP" --data-urlencode welcome_audio_id="$AUDIO_WELCOME" \
  --data-urlencode enabled=1 "$base/cc/admin/numbers/new")
expect_eq "creating 4777 goes back to the list (303)" "303 /cc/admin/numbers?done=created" "$st $(location create)"
expect_eq "the row is written as typed" "4777|售后热线 after-sales|$GROUP|$AUDIO_WELCOME|1" "$(row_of 4777)"
ID=$(id_of 4777)
check "the B2BUA re-read its directory (ping's dir_loaded advanced)" eventually 20 dir_after "$L0"
call c-new 4777
check "a call to 4777 is answered now" test $? -eq 0
call_of c-new >/dev/null
expect_eq "and recorded for 4777" 1 "$(sql "SELECT COUNT(*) FROM cc_call WHERE callee = '4777' AND result <> 'failed'")"
http list1 -b "$tmp/ja" "$base/cc/admin/numbers?done=created" >/dev/null
expect_eq "the list says it was created" "created - 已新建。" "$(fact list1 notice)"
expect_eq "and lists it" "$NUMBER_ID $IVR_NUMBER_ID $ID" "$(rows_of list1)"

# --- 4. bad input: a message per field, nothing written --------------------------------
N1=$(nrows)
long=$(printf '长%.0s' $(seq 65))
st=$(http bad -b "$tmp/ja" --data-urlencode "_csrf=$ta" --data-urlencode number='40a1' --data-urlencode "name=$long" \
  --data-urlencode skill_group_id=999 --data-urlencode welcome_audio_id=abc "$base/cc/admin/numbers/new")
expect_eq "bad input is refused with the form again (422)" 422 "$st"
expect_eq "number: characters not allowed" 包含不允许的字符 "$(fact bad 'error number')"
expect_eq "name: too long, with the bound" "最多 64 个字符" "$(fact bad 'error name')"
expect_eq "skill group: no such group" 所选项目不存在，请重新选择 "$(fact bad 'error skill_group_id')"
expect_eq "welcome prompt: not a key" 所选项目不存在，请重新选择 "$(fact bad 'error welcome_audio_id')"
expect_eq "the banner says nothing was saved" res.invalid "$(fact bad banner)"
expect_eq "the form keeps what was typed" "40a1" "$(fact bad 'value number')"
expect_eq "nothing was written" "$N1" "$(nrows)"
st=$(http bad-en -b "$tmp/ja" --data-urlencode "_csrf=$ta" --data-urlencode number= \
  --data-urlencode name=x "$base/cc/admin/numbers/new?lang=en")
expect_eq "in English (?lang=en): a blank number is required (422)" "422 Required" "$st $(fact bad-en 'error number')"
expect_eq "nothing was written" "$N1" "$(nrows)"
st=$(http dup -b "$tmp/ja" --data-urlencode "_csrf=$ta" --data-urlencode number="$NUMBER" --data-urlencode name=dup \
  "$base/cc/admin/numbers/new")
expect_eq "a number in use is a field error, not a failure (422)" "422 已存在，不能重复" "$st $(fact dup 'error number')"
st=$(http dup-api -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' \
  --data '{"number":" 4777 ","name":"dup"}' "$base/cc/api/admin/numbers?lang=en")
expect_eq "the JSON API says so per field (422)" "422 invalid Already in use" \
  "$st $(json dup-api .error) $(json dup-api .errors.number)"
st=$(http dup-edit -b "$tmp/ja" --data-urlencode "_csrf=$ta" --data-urlencode number="$NUMBER" \
  --data-urlencode name=x "$base/cc/admin/numbers/$ID")
expect_eq "editing 4777 into $NUMBER is refused the same way" "422 已存在，不能重复" "$st $(fact dup-edit 'error number')"
expect_eq "nothing was written" "$N1 4777|售后热线 after-sales|$GROUP|$AUDIO_WELCOME|1" "$(nrows) $(row_of 4777)"

# --- 5. edit ------------------------------------------------------------------------
expect_eq "the edit form answers" 200 "$(http edit0 -b "$tmp/ja" "$base/cc/admin/numbers/$ID")"
expect_eq "with the number" 4777 "$(fact edit0 'value number')"
expect_eq "and its group selected" "$GROUP" "$(fact edit0 'selected skill_group_id')"
L1=$(dir_ticket)
# An unticked checkbox sends nothing: the number is disabled.
st=$(http edit1 -b "$tmp/ja" --data-urlencode "_csrf=$ta" --data-urlencode number=4777 --data-urlencode name='售后 2' \
  --data-urlencode skill_group_id="$GROUP" --data-urlencode welcome_audio_id= "$base/cc/admin/numbers/$ID")
expect_eq "saving the edit goes back to the list" "303 /cc/admin/numbers?done=updated" "$st $(location edit1)"
expect_eq "the row has the edit (no prompt, disabled)" "4777|售后 2|$GROUP|-|0" "$(row_of 4777)"
check "the B2BUA re-read its directory" eventually 20 dir_after "$L1"
call c-disabled 4777 -set expect 404
check "a call to the disabled number is refused (404)" test $? -eq 0
L2=$(dir_ticket)
st=$(http enable -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' \
  --data '{"enabled":true}' "$base/cc/api/admin/numbers/$ID")
expect_eq "the JSON API enables it again, changing nothing else" "200 true 4777 售后 2 true" \
  "$st $(json enable .ok) $(json enable .item.number) $(json enable .item.name) $(json enable .reloaded)"
check "the B2BUA re-read its directory" eventually 20 dir_after "$L2"
call c-enabled 4777
check "a call to 4777 is answered again" test $? -eq 0

# --- 6. hostile names come back escaped ----------------------------------------------------
H=$'<script>alert(1)</script>"\'&<img src=x onerror=alert(2)>'
st=$(http evil -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' \
  --data "$(jq -cn --arg n "$H" --argjson g "$GROUP" '{number: "4778", name: $n, skill_group_id: $g}')" "$base/cc/api/admin/numbers")
expect_eq "a hostile name is stored as sent (201)" "201 $H" "$st $(sql "SELECT name FROM cc_number WHERE number = '4778'")"
EID=$(id_of 4778)
expect_eq "the JSON API gives it back exactly" "$H" "$(http evil-get -b "$tmp/ja" "$base/cc/api/admin/numbers/$EID" >/dev/null; json evil-get .item.name)"
http evil-list -b "$tmp/ja" "$base/cc/admin/numbers?q=4778" >/dev/null
expect_eq "the list shows it as text" "$H" "$(cell evil-list "$EID" name)"
http evil-edit -b "$tmp/ja" "$base/cc/admin/numbers/$EID" >/dev/null
expect_eq "the form holds it as the field's value" "$H" "$(fact evil-edit 'value name')"
expect_eq "neither page holds a script, handler or image from it" "" "$(forbidden evil-list)$(forbidden evil-edit)"

# --- 7. search, sort, pages -------------------------------------------------------------------
sql "INSERT INTO cc_number (number, name, skill_group_id, enabled)
     SELECT CONCAT('50', LPAD(n, 2, '0')), CONCAT('线路 ', CHAR(65 + n % 26)), IF(n % 2, $GROUP, NULL), n % 3 > 0
     FROM (SELECT a.i * 10 + b.i AS n FROM (SELECT 0 i UNION SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4) a,
           (SELECT 0 i UNION SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6
            UNION SELECT 7 UNION SELECT 8 UNION SELECT 9) b) t WHERE n < 45"
total=$(nrows)
expect_eq "49 numbers now" 49 "$total"
http p1 -b "$tmp/ja" "$base/cc/admin/numbers" >/dev/null
expect_eq "page 1 of 3 holds 20 rows" "1 3 49 20" "$(fact p1 pages) $(rows_of p1 | wc -w)"
expect_eq "sorted by number: $NUMBER first" "$NUMBER" "$(cell p1 "$NUMBER_ID" number)"
expect_eq "(the first row is $NUMBER)" "$NUMBER_ID" "$(rows_of p1 | cut -d' ' -f1)"
http p3 -b "$tmp/ja" "$base/cc/admin/numbers?page=3" >/dev/null
expect_eq "page 3 holds the last 9" "3 3 49 9" "$(fact p3 pages) $(rows_of p3 | wc -w)"
http p9 -b "$tmp/ja" "$base/cc/admin/numbers?page=9" >/dev/null
expect_eq "a page past the last shows the last" "3 3 49" "$(fact p9 pages)"
http desc -b "$tmp/ja" "$base/cc/admin/numbers?sort=number&dir=desc" >/dev/null
expect_eq "sorted by number, descending: 5044 first" "$(id_of 5044)" "$(rows_of desc | cut -d' ' -f1)"
expect_eq "the sort link of the sorted column turns it around" "/cc/admin/numbers?sort=number&dir=asc&page=1" \
  "$(grep -o 'href="[^"]*" id="sort-number"' "$tmp/desc.b" | sed 's/^href="//; s/" id.*//; s/&amp;/\&/g')"
http byname -b "$tmp/ja" "$base/cc/api/admin/numbers?sort=name&dir=asc&per_page=100" >/dev/null
expect_eq "sorted by name through the API" "$(sql "SELECT name FROM cc_number ORDER BY name, id" | head -n 3 | tr '\n' '|')" \
  "$(json byname '.items[0:3][].name' | tr '\n' '|')"
http bygroup -b "$tmp/ja" "$base/cc/api/admin/numbers?sort=skill_group_id&dir=desc&per_page=100" >/dev/null
expect_eq "sorting by skill group sorts by its name (groups before none, descending)" "$GROUP_NAME null" \
  "$(json bygroup '.items[0].labels.skill_group_id') $(json bygroup '.items[-1].labels.skill_group_id')"
http q1 -b "$tmp/ja" "$base/cc/admin/numbers?q=5012" >/dev/null
expect_eq "a search for 5012 finds one" "$(id_of 5012)" "$(rows_of q1)"
expect_eq "and keeps the search in the box" 5012 "$(grep -o 'id="res-q"[^>]*' "$tmp/q1.b" | grep -o 'value="[^"]*"' | sed 's/value="//; s/"//')"
http q2 -b "$tmp/ja" --get --data-urlencode 'q=线路 C' "$base/cc/api/admin/numbers" >/dev/null
expect_eq "a search by name (线路 C)" "$(sql "SELECT COUNT(*) FROM cc_number WHERE name LIKE '%线路 C%'") 线路 C" \
  "$(json q2 .total) $(json q2 '.items[0].name')"
http q3 -b "$tmp/ja" --get --data-urlencode 'q=客服一' --data-urlencode per_page=5 --data-urlencode page=2 \
  "$base/cc/api/admin/numbers" >/dev/null
expect_eq "a search by the skill group's name, 5 a page, page 2" \
  "$(sql "SELECT COUNT(*) FROM cc_number WHERE skill_group_id = $GROUP") 2 5" \
  "$(json q3 .total) $(json q3 .page) $(json q3 '.items | length')"
http q4 -b "$tmp/ja" --get --data-urlencode 'q=%' "$base/cc/api/admin/numbers" >/dev/null
expect_eq "% in a search is a character, not a wildcard" 0 "$(json q4 .total)"
http q5 -b "$tmp/ja" "$base/cc/admin/numbers?q=nothing-like-this" >/dev/null
expect_eq "a search that finds nothing says so" 没有匹配的记录 "$(grep -o '<tr class="empty"><td[^>]*>[^<]*' "$tmp/q5.b" | sed 's/.*>//')"

# --- 8. CSRF and delete ------------------------------------------------------------------------
N2=$(nrows)
expect_eq "creating without the token is refused (403)" 403 \
  "$(http nocsrf1 -b "$tmp/ja" --data-urlencode number=4779 "$base/cc/admin/numbers/new")"
expect_eq "... by the API too (403)" 403 \
  "$(http nocsrf2 -b "$tmp/ja" -H 'Content-Type: application/json' --data '{"number":"4779"}' "$base/cc/api/admin/numbers")"
expect_eq "editing without the token is refused (403)" 403 \
  "$(http nocsrf3 -b "$tmp/ja" --data-urlencode number=4779 "$base/cc/admin/numbers/$ID")"
expect_eq "deleting without the token is refused (403)" 403 \
  "$(http nocsrf4 -b "$tmp/ja" --data '' "$base/cc/admin/numbers/$ID/delete")"
expect_eq "deleting with another session's token is refused (403)" 403 \
  "$(http nocsrf5 -b "$tmp/ja" --data-urlencode "_csrf=$t1" "$base/cc/admin/numbers/$ID/delete")"
expect_eq "deleting with a foreign Origin is refused (403)" 403 \
  "$(http nocsrf6 -b "$tmp/ja" -H 'Origin: http://evil.example' --data-urlencode "_csrf=$ta" "$base/cc/admin/numbers/$ID/delete")"
expect_eq "deleting by GET is not allowed (405)" 405 "$(http getdel -b "$tmp/ja" "$base/cc/admin/numbers/$ID/delete")"
expect_eq "after all that nothing changed" "$N2 4777|售后 2|$GROUP|-|1" "$(nrows) $(row_of 4777)"
L3=$(dir_ticket)
st=$(http del -b "$tmp/ja" --data-urlencode "_csrf=$ta" "$base/cc/admin/numbers/$ID/delete")
expect_eq "deleting with the token goes back to the list" "303 /cc/admin/numbers?done=deleted" "$st $(location del)"
expect_eq "the row is gone" "$((N2 - 1)) " "$(nrows) $(row_of 4777)"
check "the B2BUA re-read its directory" eventually 20 dir_after "$L3"
call c-deleted 4777 -set expect 404
check "a call to the deleted number is refused (404)" test $? -eq 0
expect_eq "deleting it again: 404" 404 "$(http del2 -b "$tmp/ja" --data-urlencode "_csrf=$ta" "$base/cc/admin/numbers/$ID/delete")"
expect_eq "the API deletes too" "200 true" \
  "$(http del3 -b "$tmp/ja" -H "X-CSRF-Token: $ta" --data '' "$base/cc/api/admin/numbers/$EID/delete") $(json del3 .ok)"
expect_eq "unknown and malformed keys are 404" "404 404 404" \
  "$(http k1 -b "$tmp/ja" "$base/cc/api/admin/numbers/999999") $(http k2 -b "$tmp/ja" "$base/cc/admin/numbers/abc") $(http k3 -b "$tmp/ja" "$base/cc/admin/numbers/0")"

# --- 9. the B2BUA down: saved, and in force at its next start ----------------------------------
b2bua_pid=$(cat "$CC_STATE/run/b2bua-1.pid")
kill "$b2bua_pid"
check "the B2BUA is stopped" eventually 20 gone "$b2bua_pid"
st=$(http down -b "$tmp/ja" --data-urlencode "_csrf=$ta" --data-urlencode number=4666 --data-urlencode name=down \
  --data-urlencode skill_group_id="$GROUP" --data-urlencode enabled=1 "$base/cc/admin/numbers/new")
expect_eq "with the B2BUA down a number is still saved" "303 /cc/admin/numbers?done=created&pending=1 4666|down|$GROUP|-|1" \
  "$st $(location down) $(row_of 4666)"
http down-list -b "$tmp/ja" "$base/cc/admin/numbers?done=created&pending=1" >/dev/null
expect_match "and the page says it takes effect at the next reload" '^created 1 已新建。.*下次重新加载' "$(fact down-list notice)"
CC_STATE=$CC_STATE "$top/scripts/stack.sh" restart b2bua >/dev/null
b2bua_ready() { [ "$(ctl ping 2>/dev/null | jq -r .ready)" = true ]; }
check "the B2BUA is back" eventually 30 b2bua_ready
# Kamailio's dispatcher takes the node back after its next OPTIONS probe.
check "and answers a call to the number saved while it was down" eventually 30 call c-down 4666

# --- 10. a failing write keeps what was typed ---------------------------------------------------
sql "CREATE TRIGGER cc_number_fail BEFORE INSERT ON cc_number FOR EACH ROW
     SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected failure'"
N3=$(nrows)
st=$(http dbfail -b "$tmp/ja" --data-urlencode "_csrf=$ta" --data-urlencode number=4555 --data-urlencode name='不要丢' \
  --data-urlencode skill_group_id="$GROUP" "$base/cc/admin/numbers/new")
expect_eq "a failing write answers 503 with the form" "503 res.db_error" "$st $(fact dbfail banner)"
expect_eq "which keeps what was typed" "4555 不要丢 $GROUP" \
  "$(fact dbfail 'value number') $(fact dbfail 'value name') $(fact dbfail 'selected skill_group_id')"
expect_eq "the JSON API answers 503 db_unavailable" "503 db_unavailable" \
  "$(http dbfail2 -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' --data "{\"number\":\"4555\",\"skill_group_id\":$GROUP}" \
      "$base/cc/api/admin/numbers") $(json dbfail2 .error)"
expect_eq "nothing was written" "$N3" "$(nrows)"
sql "DROP TRIGGER cc_number_fail"
expect_eq "and nothing was put in the audit log for it" 0 \
  "$(sql "SELECT COUNT(*) FROM cc_audit_log WHERE after_json LIKE '%4555%'")"

# --- 11. the audit log: every change, who, from where, what before and after ----------------------
audit() { sql "SELECT CONCAT_WS('|', action, user_id, username, addr, COALESCE(before_json, '-'), COALESCE(after_json, '-'))
               FROM cc_audit_log WHERE resource = 'numbers' AND item_id = '$1' AND action = '$2' ORDER BY id LIMIT 1"; }
expect_match "creating 4777 was recorded with the admin, the address and the whole row" \
  "^create\|$ADMIN\|$ADMIN_LOGIN\|127\.0\.0\.1\|-\|\{.*\"number\":\"4777\".*\}$" "$(audit "$ID" create)"
expect_eq "editing it, with only the fields that changed, before and after" \
  "update|$ADMIN|$ADMIN_LOGIN|127.0.0.1|{\"enabled\":true,\"labels\":{\"ivr_flow_id\":null,\"skill_group_id\":\"$(sql "SELECT name FROM cc_skill_group WHERE id = $GROUP")\",\"welcome_audio_id\":\"$(sql "SELECT name FROM cc_audio WHERE id = $AUDIO_WELCOME")\"},\"name\":\"售后热线 after-sales\",\"welcome_audio_id\":$AUDIO_WELCOME}|{\"enabled\":false,\"labels\":{\"ivr_flow_id\":null,\"skill_group_id\":\"$(sql "SELECT name FROM cc_skill_group WHERE id = $GROUP")\",\"welcome_audio_id\":null},\"name\":\"售后 2\",\"welcome_audio_id\":null}" \
  "$(audit "$ID" update)"
expect_match "deleting it, with the row as it was" '^delete\|.*\{.*"name":"售后 2".*\}\|-$' "$(audit "$ID" delete)"
expect_eq "the API's changes too (the create and delete of $EID, enabling $ID again)" "1 1 true" \
  "$(for a in create delete; do sql "SELECT COUNT(*) > 0 FROM cc_audit_log WHERE resource = 'numbers' AND item_id = '$EID' AND action = '$a'"; done | tr '\n' ' ')$(sql "SELECT JSON_EXTRACT(after_json, '$.enabled') FROM cc_audit_log WHERE resource = 'numbers' AND item_id = '$ID' AND action = 'update' ORDER BY id LIMIT 1 OFFSET 1")"
# A change whose record cannot be written is not made.
sql "CREATE TRIGGER cc_audit_fail BEFORE INSERT ON cc_audit_log FOR EACH ROW
     SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected failure'"
DOWN_ID=$(id_of 4666)
st=$(http noaudit -b "$tmp/ja" --data-urlencode "_csrf=$ta" --data-urlencode number=4666 --data-urlencode name='unrecorded' \
  --data-urlencode skill_group_id="$GROUP" --data-urlencode enabled=1 "$base/cc/admin/numbers/$DOWN_ID")
expect_eq "an edit that cannot be recorded answers 503 and is not made" "503 4666|down|$GROUP|-|1" "$st $(row_of 4666)"
st=$(http noaudit2 -b "$tmp/ja" --data-urlencode "_csrf=$ta" "$base/cc/admin/numbers/$DOWN_ID/delete")
expect_eq "nor is a delete" "503 $DOWN_ID" "$st $(id_of 4666)"
sql "DROP TRIGGER cc_audit_fail"
NA=$(sql "SELECT COUNT(*) FROM cc_audit_log")
sql "UPDATE cc_audit_log SET username = 'forged'" 2>/dev/null
sql "DELETE FROM cc_audit_log" 2>/dev/null
expect_eq "the log is append-only: rows are neither changed nor deleted" "$NA 0" \
  "$(sql "SELECT COUNT(*) FROM cc_audit_log") $(sql "SELECT COUNT(*) FROM cc_audit_log WHERE username = 'forged'")"

finish
