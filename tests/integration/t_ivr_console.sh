#!/usr/bin/env bash
# IVR flows in the console (流程管理 > IVR流程) through nginx, with curl
# against the real stack: a new flow (a start leading to a hang-up); two
# admins contending for the edit lock (one wins, the other is told who
# holds it) and the lock expiring; a save with a stale revision refused; a
# draft saved with its problems; validate; a publish refused with every
# problem on its node, the flow then 发布失败; a publish accepted as version
# 1 (and 2), the B2BUA told to reload; the four states; export and import
# round trip; copy; a number bound only to a published flow, never to a
# group and a flow at once; delete refused while a number or another
# flow's published sub-flow node uses the flow; every change audited. An
# agent gets 403 on every page and API route; a POST without the CSRF
# token gets 403. Publishing speaks the flow's text prompts (8 kHz WAV
# files), a text with variables is a warning; the demo flow's is spoken
# when the stack starts.
. "$(dirname "$0")/lib.sh"

stack_start
web_setup ivr-web
docs=$tmp/docs
mkdir -p "$docs"
API=$base/cc/api/admin/ivr

# A second admin, made here: the demo has one.
ADMIN2=0u0000000000000000000000000000a2
sql "INSERT INTO cs_user (ID, USERNAME, PASSWORD, uname, admin, superadmin, agent, callcenter, createtime)
     VALUES ('$ADMIN2', 'admin2', MD5(MD5('admin2pass')), '第二管理员', 1, 0, 0, 0, NOW())"

ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
tb=$(login jb admin2 admin2pass)
t1=$(login j1 "$A1_LOGIN" "$AGENT_PASSWORD")
expect_match "both admins and agent1 sign in" '^[0-9a-f]{64} [0-9a-f]{64} [0-9a-f]{64}$' "$ta $tb $t1"

# as JAR TOKEN NAME PATH [CURL-ARGS...]: a JSON POST (body from stdin) as
# that user; the status.
as() { local jar=$1 tok=$2 name=$3 path=$4; shift 4
  http "$name" -b "$tmp/$jar" -H "X-CSRF-Token: $tok" -H 'Content-Type: application/json' --data-binary @- "$@" "$API$path"; }
A() { as ja "$ta" "$@"; }
B() { as jb "$tb" "$@"; }
get() { http "$1" -b "$tmp/ja" "$API$2"; }
# draft ID / version ID N: the stored document as it is (no escapes).
raw() { mariadb --no-defaults -S "$DB_SOCKET" -u root cc -N -B -r -e "$1"; }
draft() { raw "SELECT draft FROM cc_ivr_flow WHERE id = $1"; }
audits() { sql "SELECT COUNT(*) FROM cc_audit_log WHERE resource = 'ivr' AND item_id = '$1' AND action = '$2'"; }
state_of() { get st "/flows" >/dev/null; json st ".flows[] | select(.id == $1) | .state"; }
# save JSON NAME FILE REV: the body of a draft save.
body() { jq -n --rawfile d "$1" --argjson rev "$2" '{document: $d, rev: $rev}'; }
HEAD='<?xml version="1.0" encoding="UTF-8"?>
<flow xmlns="urn:cc:ivr-flow:1" name="售后流程">'

# --- 1. who may use it -----------------------------------------------------------------
F0=$(sql "SELECT COUNT(*) FROM cc_ivr_flow")
for r in "GET /cc/admin/ivr" "POST /cc/admin/ivr/new" "POST /cc/admin/ivr/import" \
  "POST /cc/admin/ivr/$IVR_FLOW/copy" "POST /cc/admin/ivr/$IVR_FLOW/publish" "POST /cc/admin/ivr/$IVR_FLOW/delete" \
  "GET /cc/api/admin/ivr" "GET /cc/api/admin/ivr/flows" "POST /cc/api/admin/ivr/flows" "GET /cc/api/admin/ivr/refs" \
  "POST /cc/api/admin/ivr/import" "GET /cc/api/admin/ivr/flows/$IVR_FLOW" \
  "POST /cc/api/admin/ivr/flows/$IVR_FLOW/lock" "POST /cc/api/admin/ivr/flows/$IVR_FLOW/unlock" \
  "POST /cc/api/admin/ivr/flows/$IVR_FLOW/draft" "POST /cc/api/admin/ivr/flows/$IVR_FLOW/validate" \
  "POST /cc/api/admin/ivr/flows/$IVR_FLOW/publish" "POST /cc/api/admin/ivr/flows/$IVR_FLOW/copy" \
  "POST /cc/api/admin/ivr/flows/$IVR_FLOW/delete" "GET /cc/api/admin/ivr/flows/$IVR_FLOW/export"; do
  m=${r%% *} p=${r#* }
  if [ "$m" = POST ]; then
    st=$(http agent-try -b "$tmp/j1" -H "X-CSRF-Token: $t1" -H 'Content-Type: application/json' --data '{"name":"x"}' "$base$p")
  else
    st=$(http agent-try -b "$tmp/j1" "$base$p")
  fi
  expect_eq "an agent gets 403 on $r (even with its own token)" 403 "$st"
done
expect_eq "without a session the page sends to sign-in" 303 "$(http anon "$base/cc/admin/ivr")"
expect_eq "a create without the CSRF token is refused (403)" 403 \
  "$(http nocsrf -b "$tmp/ja" -H 'Content-Type: application/json' --data '{"name":"nocsrf"}' "$API/flows")"
expect_eq "a page form without the token is refused (403)" 403 \
  "$(http nocsrf2 -b "$tmp/ja" --data-urlencode name=nocsrf "$base/cc/admin/ivr/new")"
[ "${ta: -1}" = 0 ] && wrong=${ta%?}1 || wrong=${ta%?}0
expect_eq "a publish with a wrong token is refused (403)" 403 \
  "$(http badcsrf -b "$tmp/ja" -H "X-CSRF-Token: $wrong" --data '' "$API/flows/$IVR_FLOW/publish")"
expect_eq "and nothing was written" "$F0" "$(sql "SELECT COUNT(*) FROM cc_ivr_flow")"

# --- 2. the demo flow, the list, the pickers ------------------------------------------------
expect_eq "the list has the demo flow, published, with its number" "published 1 $IVR_NUMBER" \
  "$(get l0 /flows >/dev/null; json l0 ".flows[] | select(.id == $IVR_FLOW) | \"\(.state) \(.published_version) \(.numbers[0].number)\"")"
expect_eq "the demo flow passes every check" "200 true 0" \
  "$(echo '{}' | A val0 "/flows/$IVR_FLOW/validate") $(json val0 .valid) $(json val0 '.problems | length')"
get refs /refs >/dev/null
expect_eq "the pickers offer the audio, the group, agent1 with its extension, the published flow" \
  "$AUDIO_WELCOME $GROUP_NAME $A1_SIP 演示菜单 demo menu" \
  "$(json refs "[.audio[] | select(.id == $AUDIO_WELCOME) | .id][0]") $(json refs "[.groups[] | select(.id == $GROUP) | .name][0]") $(json refs "[.agents[] | select(.id == \"$A1\") | .extension][0]") $(json refs "[.flows[] | select(.id == $IVR_FLOW) | .name][0]")"

# --- 3. create --------------------------------------------------------------------------------
st=$(jq -n '{name: "售后流程", description: "<b>售后</b> & 退换"}' | A c1 /flows)
ID=$(json c1 .id)
expect_eq "a new flow (201)" "201 true" "$st $(json c1 .ok)"
get g1 "/flows/$ID" >/dev/null
expect_eq "never published, at revision 1, nobody editing it" "unpublished 1 null null" \
  "$(json g1 '.flow | "\(.state) \(.draft_rev) \(.lock) \(.published_version)"')"
json g1 .flow.document > "$docs/new.xml"
check "its draft is a start leading to a hang-up, placed on the canvas" \
  eval 'xmllint --noout --relaxng "$top/schemas/ivr-flow.rng" "$docs/new.xml" 2>/dev/null &&
        grep -q "<start id=\"start\" next=\"hangup\" x=\"[0-9]*\" y=\"[0-9]*\"/>" "$docs/new.xml" &&
        grep -q "<hangup id=\"hangup\" x=\"[0-9]*\" y=\"[0-9]*\"/>" "$docs/new.xml"'
expect_eq "the creation has its audit row" 1 "$(audits "$ID" create)"
expect_eq "a name in use is refused (422) with its message" "422 已有同名的流程，请换一个名称。" \
  "$(jq -n '{name: "售后流程"}' | A c2 /flows) $(json c2 .errors.name)"
expect_eq "no name is refused (422)" 422 "$(jq -n '{name: "  "}' | A c3 /flows)"

# --- 4. the edit lock --------------------------------------------------------------------------
expect_eq "admin takes the lock" "200 $ADMIN" "$(echo '{}' | A lk1 "/flows/$ID/lock") $(json lk1 .lock.user_id)"
expect_eq "admin2 is refused it, told who holds it (409 ivr.locked)" "409 ivr.locked 管理员" \
  "$(echo '{}' | B lk2 "/flows/$ID/lock") $(json lk2 .error) $(json lk2 .lock.user_name)"
expect_match "the message names the holder" '^管理员 正在编辑' "$(json lk2 .message)"
expect_eq "the list shows who edits it" "管理员" "$(get l1 /flows >/dev/null; json l1 ".flows[] | select(.id == $ID) | .lock.user_name")"
expect_eq "admin renews it" 200 "$(echo '{}' | A lk3 "/flows/$ID/lock")"
expect_eq "taking it is audited once (a renewal is not)" 1 "$(audits "$ID" lock)"
# Two admins at once on a free lock: exactly one holds it.
echo '{}' | A race0 "/flows/$ID/unlock" >/dev/null
for k in 1 2 3; do
  echo '{}' | A "ra$k" "/flows/$ID/lock" > "$tmp/ra$k.st" &
  pa=$!
  echo '{}' | B "rb$k" "/flows/$ID/lock" > "$tmp/rb$k.st" &
  pb=$!
  wait "$pa" "$pb"
  expect_eq "race $k: one of the two gets it, the other 409" "200 409" \
    "$(printf '%s\n' "$(cat "$tmp/ra$k.st")" "$(cat "$tmp/rb$k.st")" | sort | tr '\n' ' ' | sed 's/ $//')"
  holder=$(sql "SELECT lock_user FROM cc_ivr_flow WHERE id = $ID")
  [ "$(cat "$tmp/ra$k.st")" = 200 ] && want=$ADMIN || want=$ADMIN2
  expect_eq "race $k: the database agrees with the winner" "$want" "$holder"
  echo '{}' | A "ua$k" "/flows/$ID/unlock" >/dev/null
  echo '{}' | B "ub$k" "/flows/$ID/unlock" >/dev/null
done
expect_eq "admin takes it again" 200 "$(echo '{}' | A lk4 "/flows/$ID/lock")"
expect_eq "admin2 cannot give back admin's lock" "200 false $ADMIN" \
  "$(echo '{}' | B ul1 "/flows/$ID/unlock") $(json ul1 .released) $(sql "SELECT lock_user FROM cc_ivr_flow WHERE id = $ID")"
# Five minutes on: the lock has expired.
sql "UPDATE cc_ivr_flow SET lock_until = NOW(3) - INTERVAL 1 SECOND WHERE id = $ID"
expect_eq "an expired lock shows as nobody's" null "$(get l2 /flows >/dev/null; json l2 ".flows[] | select(.id == $ID) | .lock")"
expect_eq "admin2 takes the expired lock" "200 $ADMIN2" "$(echo '{}' | B lk5 "/flows/$ID/lock") $(json lk5 .lock.user_id)"
check "for five minutes" test "$(sql "SELECT TIMESTAMPDIFF(SECOND, NOW(3), lock_until) BETWEEN 290 AND 300 FROM cc_ivr_flow WHERE id = $ID")" = 1

# --- 5. save ----------------------------------------------------------------------------------
cat > "$docs/v1.xml" <<EOF
$HEAD
  <start id="start" next="menu" x="40" y="100"/>
  <menu id="menu" fallback="sales" timeout-s="5" retries="2">
    <prompt audio="$AUDIO_WELCOME"/>
    <key digit="1" next="sales"/>
    <key digit="2" next="bye"/>
  </menu>
  <queue id="sales" group="$GROUP" next="bye"/>
  <hangup id="bye"/>
</flow>
EOF
expect_eq "admin, without the lock, cannot save (409 ivr.locked)" "409 ivr.locked" \
  "$(body "$docs/v1.xml" 1 | A s0 "/flows/$ID/draft") $(json s0 .error)"
expect_eq "admin2 saves revision 1 with the lock: revision 2, no problems" "200 2 0" \
  "$(body "$docs/v1.xml" 1 | B s1 "/flows/$ID/draft") $(json s1 .rev) $(json s1 '.problems | length')"
expect_eq "a save on the stale revision 1 is refused (409 ivr.stale) with the current one" "409 ivr.stale 2" \
  "$(body "$docs/v1.xml" 1 | B s2 "/flows/$ID/draft") $(json s2 .error) $(json s2 .rev)"
printf '%s\n<start id="start" next="x">' "$HEAD" > "$docs/broken.xml"
expect_eq "a document that is not XML is refused (422) and not saved" "422 ivr.err.not_xml 2" \
  "$(body "$docs/broken.xml" 2 | B s3 "/flows/$ID/draft") $(json s3 .error) $(sql "SELECT draft_rev FROM cc_ivr_flow WHERE id = $ID")"
expect_eq "the saved draft is the document sent" "$(cat "$docs/v1.xml")" "$(draft "$ID")"
expect_eq "the save has its audit row, by admin2" 1 \
  "$(sql "SELECT COUNT(*) FROM cc_audit_log WHERE resource = 'ivr' AND item_id = '$ID' AND action = 'save' AND username = 'admin2'")"

# A draft with a problem per rule, saved anyway.
cat > "$docs/bad.xml" <<EOF
$HEAD
  <start id="start" next="menu"/>
  <menu id="menu" fallback="nowhere">
    <prompt audio="999"/>
    <key digit="1" next="greet"/>
    <key digit="1" next="sales"/>
  </menu>
  <play id="greet" next="sales"><prompt tts="您好 \${order_no}"/></play>
  <queue id="sales" group="777" next="bye"/>
  <play id="orphan" next="bye"><prompt audio="$AUDIO_WELCOME"/></play>
  <collect id="digits" var="x" min="8" max="4" next="bye" fail="bye"><prompt tts="请输入"/></collect>
  <set id="spin1" var="a" value="1" next="spin2"/>
  <set id="spin2" var="b" value="2" next="spin1"/>
  <hangup id="bye"/>
</flow>
EOF
expect_eq "a draft with problems is saved (revision 3) with them listed" "200 3" \
  "$(body "$docs/bad.xml" 2 | B s4 "/flows/$ID/draft") $(json s4 .rev)"
pb() { json "$1" '[.problems[] | "\(.code)@\(.node)"] | sort | join(" ")'; }
expect_eq "every problem names its node" \
  "ivr.bad_range@digits ivr.duplicate_key@menu ivr.exit_unknown@menu ivr.loop_no_exit@spin1 ivr.loop_no_wait@spin1 ivr.ref_missing@menu ivr.ref_missing@sales ivr.unreachable@digits ivr.unreachable@orphan ivr.unreachable@spin1 ivr.unreachable@spin2 ivr.var_unset@greet" \
  "$(pb s4 | sed 's/  */ /g')"
expect_match "each with a message" '节点“menu”的出口指向不存在的节点' "$(json s4 '[.problems[] | select(.code == "ivr.exit_unknown") | .message][0]')"

# --- 6. validate --------------------------------------------------------------------------------
jq -n --rawfile d "$docs/bad.xml" '{document: $d}' | A v1 "/flows/$ID/validate" >/dev/null
expect_eq "validate lists the same problems, saving nothing" "false $(pb s4) 3" \
  "$(json v1 .valid) $(pb v1) $(sql "SELECT draft_rev FROM cc_ivr_flow WHERE id = $ID")"
printf '%s\n  <start id="start" next="a"/>\n  <dance id="a"/>\n</flow>\n' "$HEAD" > "$docs/unknown.xml"
jq -n --rawfile d "$docs/unknown.xml" '{document: $d}' | A v2 "/flows/$ID/validate" >/dev/null
expect_eq "an unknown node type is a schema problem with its line" "ivr.schema 4" \
  "$(json v2 '.problems[0] | "\(.code) \(.line)"')"

# --- 7. publish refused, then accepted ------------------------------------------------------------
echo '{}' | B u1 "/flows/$ID/unlock" >/dev/null
expect_eq "publishing the draft with problems is refused (422 ivr.invalid) with every problem" \
  "422 ivr.invalid $(pb s4)" "$(echo '{}' | A p1 "/flows/$ID/publish") $(json p1 .error) $(pb p1)"
expect_eq "the flow is then 发布失败, with no version" "failed 0" \
  "$(state_of "$ID") $(sql "SELECT COUNT(*) FROM cc_ivr_version WHERE flow_id = $ID")"
expect_eq "its problems are kept, each on its node, with messages" "$(pb s4) true" \
  "$(get g2 "/flows/$ID" >/dev/null; json g2 '.flow' > "$tmp/g2f.b"; pb g2f) $(json g2 '[.flow.problems[].message | length > 0] | all')"
expect_eq "the refusal is audited" 1 "$(audits "$ID" publish_failed)"
L0=$(dir_ticket)
echo '{}' | A lk6 "/flows/$ID/lock" >/dev/null
body "$docs/v1.xml" 3 | A s5 "/flows/$ID/draft" >/dev/null
expect_eq "the fixed draft saved (revision 4) still shows 发布失败 until published" "4 failed" "$(json s5 .rev) $(state_of "$ID")"
expect_eq "publishing it gives version 1" "200 1" "$(echo '{}' | A p2 "/flows/$ID/publish") $(json p2 .version)"
expect_eq "the flow is 已发布 at revision 4, its problems gone" "published 1 4 null" \
  "$(get g3 "/flows/$ID" >/dev/null; json g3 '.flow | "\(.state) \(.published_version) \(.published_rev) \(.problems[0])"')"
expect_eq "version 1 holds the draft as published, by admin" "$(cat "$docs/v1.xml")|$ADMIN" \
  "$(raw "SELECT document FROM cc_ivr_version WHERE flow_id = $ID AND version = 1")|$(sql "SELECT published_by FROM cc_ivr_version WHERE flow_id = $ID AND version = 1")"
check "the B2BUA was told to reload" eventually 20 dir_loaded $((L0 + 1))
expect_eq "the publish is audited" 1 "$(audits "$ID" publish)"
sed 's/retries="2"/retries="3"/' "$docs/v1.xml" > "$docs/v2.xml"
body "$docs/v2.xml" 4 | A s6 "/flows/$ID/draft" >/dev/null
expect_eq "a newer draft: 有更新未发布" "5 modified" "$(json s6 .rev) $(state_of "$ID")"
expect_eq "published again: version 2, version 1 kept" "200 2 2" \
  "$(echo '{}' | A p3 "/flows/$ID/publish") $(json p3 .version) $(sql "SELECT COUNT(*) FROM cc_ivr_version WHERE flow_id = $ID")"
echo '{}' | A ul2 "/flows/$ID/unlock" >/dev/null
echo '{}' | B lk7 "/flows/$ID/lock" >/dev/null
expect_eq "while admin2 holds the lock admin cannot publish (409 ivr.locked)" "409 ivr.locked" \
  "$(echo '{}' | A p4 "/flows/$ID/publish") $(json p4 .error)"
echo '{}' | B ul3 "/flows/$ID/unlock" >/dev/null

# --- 8. the page: the four states, in Chinese -------------------------------------------------------
jq -n '{name: "空白流程"}' | A c4 /flows >/dev/null
NEW=$(json c4 .id)
jq -n '{name: "失败流程"}' | A c5 /flows >/dev/null
FAIL=$(json c5 .id)
echo '{}' | A lk8 "/flows/$FAIL/lock" >/dev/null
body "$docs/bad.xml" 1 | A s7 "/flows/$FAIL/draft" >/dev/null
echo '{}' | A p5 "/flows/$FAIL/publish" >/dev/null
echo '{}' | A lk9 "/flows/$ID/lock" >/dev/null
body "$docs/v1.xml" 5 | A s8 "/flows/$ID/draft" >/dev/null
echo '{}' | A ul4 "/flows/$ID/unlock" >/dev/null
expect_eq "the four states" "unpublished published failed modified" \
  "$(state_of "$NEW") $(state_of "$IVR_FLOW") $(state_of "$FAIL") $(state_of "$ID")"
expect_eq "the page answers the admin" 200 "$(http page -b "$tmp/ja" "$base/cc/admin/ivr")"
check "the side navigation leads to it, marked current" \
  grep -q '<a href="/cc/admin/ivr" id="side-ivr" class="current" aria-current="page">流程管理 › IVR流程</a>' "$tmp/page.b"
cell() { xmllint --html --xpath "normalize-space(//tr[@data-id='$2']/td[@data-col='$3'])" "$tmp/$1.b" 2>/dev/null; }
expect_eq "with each state's Chinese name" "未发布|已发布|发布失败|有更新未发布" \
  "$(cell page "$NEW" state)|$(cell page "$IVR_FLOW" state)|$(cell page "$FAIL" state)|$(cell page "$ID" state)"
expect_eq "the published version and the numbers using it" "v1|$IVR_NUMBER|未使用" \
  "$(cell page "$IVR_FLOW" version)|$(cell page "$IVR_FLOW" numbers)|$(cell page "$NEW" numbers)"
expect_match "who edits it, and until when" '^管理员 锁定至 [0-9]{2}:[0-9]{2}$' "$(cell page "$FAIL" editor)"
check "the description is text, escaped" grep -q '&lt;b&gt;售后&lt;/b&gt; &amp; 退换' "$tmp/page.b"
check "each row links to the flow's editor" grep -q "<a href=\"/cc/admin/ivr/$ID\" class=\"ivr-name\">" "$tmp/page.b"
check "the page has no inline script or handler" eval '! grep -qE "<script>|<script [^s]| on[a-z]+=\"" "$tmp/page.b"'
http page-en -b "$tmp/ja" "$base/cc/admin/ivr?lang=en" >/dev/null
expect_eq "in English too" "Not published|Publish refused" "$(cell page-en "$NEW" state)|$(cell page-en "$FAIL" state)"
st=$(http pnew -b "$tmp/ja" --data-urlencode "_csrf=$ta" --data-urlencode "name=页面新建" "$base/cc/admin/ivr/new")
expect_eq "the page's new-flow form goes back to the list" "303 /cc/admin/ivr?done=created" "$st $(hdr pnew location)"
expect_eq "the page's form with a taken name: the list again with the message (422)" 422 \
  "$(http pnew2 -b "$tmp/ja" --data-urlencode "_csrf=$ta" --data-urlencode "name=页面新建" "$base/cc/admin/ivr/new")"
check "... said above the list" grep -q 'id="ivr-error" role="alert"[^>]*>已有同名的流程' "$tmp/pnew2.b"

# --- 9. export and import --------------------------------------------------------------------------
expect_eq "the draft exports as an XML download" "200 application/xml; charset=utf-8" \
  "$(get ex1 "/flows/$ID/export") $(hdr ex1 content-type)"
expect_match "named plainly and after the flow" "^attachment; filename=\"ivr-$ID-draft.xml\"; filename\*=UTF-8''%E5%94%AE%E5%90%8E" \
  "$(hdr ex1 content-disposition)"
expect_eq "the export is the draft" "$(draft "$ID")" "$(cat "$tmp/ex1.b")"
expect_eq "version 1 exports as published" "200 ivr-$ID-v1.xml" \
  "$(get ex2 "/flows/$ID/export?version=1") $(hdr ex2 content-disposition | sed 's/.*filename="\([^"]*\)".*/\1/')"
check "byte for byte" cmp -s "$tmp/ex2.b" "$docs/v1.xml"
expect_eq "a version that does not exist: 404" 404 "$(get ex3 "/flows/$ID/export?version=9")"
expect_eq "a version that is not a number: 404" 404 "$(get ex4 "/flows/$ID/export?version=../1")"
cp "$tmp/ex2.b" "$docs/export.xml"
imp() { local n=$1; shift; http "$n" -b "$tmp/ja" -H "X-CSRF-Token: $ta" "$@" "$API/import"; }
st=$(imp i1 -F "file=@$docs/export.xml;type=application/xml" -F "name=导入的流程")
IMP=$(json i1 .id)
expect_eq "the export imports as a new flow (201), not published" "201 unpublished" "$st $(state_of "$IMP")"
expect_eq "its draft is the exported document" "$(cat "$docs/export.xml")" "$(draft "$IMP")"
get ex5 "/flows/$IMP/export" >/dev/null
check "and exports again the same" cmp -s "$tmp/ex5.b" "$docs/export.xml"
expect_eq "without a name it takes the document's (售后流程 is taken: a free one)" "201 售后流程 (2)" \
  "$(imp i2 -F "file=@$docs/export.xml") $(sql "SELECT name FROM cc_ivr_flow WHERE id = $(json i2 .id)")"
F1=$(sql "SELECT COUNT(*) FROM cc_ivr_flow")
expect_eq "a file that does not pass the schema is refused (422 ivr.schema)" "422 ivr.schema ivr.schema" \
  "$(imp i3 -F "file=@$docs/unknown.xml") $(json i3 .error) $(json i3 .problems[0].code)"
expect_eq "a file that is not XML is refused (422)" "422 ivr.err.not_xml" "$(imp i4 -F "file=@$docs/broken.xml") $(json i4 .errors.file | sed 's/.*/ivr.err.not_xml/')"
expect_eq "no file is refused (422)" 422 "$(imp i5 -F name=x)"
expect_eq "nothing was added" "$F1" "$(sql "SELECT COUNT(*) FROM cc_ivr_flow")"
expect_eq "the import is audited" 1 "$(audits "$IMP" import)"
st=$(http pimp -b "$tmp/ja" -F "_csrf=$ta" -F "file=@$docs/export.xml" -F "name=页面导入" "$base/cc/admin/ivr/import")
expect_eq "the page's import form goes back to the list" "303 /cc/admin/ivr?done=imported" "$st $(hdr pimp location)"

# --- 10. copy ---------------------------------------------------------------------------------------
st=$(jq -n '{name: "售后流程副本"}' | A cp1 "/flows/$ID/copy")
CP=$(json cp1 .id)
expect_eq "a copy (201), never published, of the draft" "201 unpublished 1" "$st $(state_of "$CP") \
$(sql "SELECT a.draft = b.draft FROM cc_ivr_flow a, cc_ivr_flow b WHERE a.id = $ID AND b.id = $CP")"
expect_eq "a copy under a name in use is refused (422)" 422 "$(jq -n '{name: "售后流程"}' | A cp2 "/flows/$ID/copy")"
st=$(http pcp -b "$tmp/ja" --data-urlencode "_csrf=$ta" "$base/cc/admin/ivr/$ID/copy")
expect_eq "the page's copy button: a free name" "303 1" \
  "$st $(sql "SELECT COUNT(*) FROM cc_ivr_flow WHERE name = '售后流程 (3)'")"
expect_eq "the copy is audited" 1 "$(audits "$CP" copy)"

# --- 11. numbers ---------------------------------------------------------------------------------------
napi() { local n=$1; shift; http "$n" -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' --data-binary @- "$@"; }
expect_eq "a number cannot be bound to an unpublished flow (422)" "422 只能选择已发布的 IVR 流程" \
  "$(jq -n --arg f "$NEW" '{number: "4201", usage: "inbound", ivr_flow_id: $f}' | napi n1 "$base/cc/api/admin/numbers") $(json n1 .errors.ivr_flow_id)"
expect_eq "nor to a group and a flow at once (422)" "422 技能组和 IVR 流程只能选择其一" \
  "$(jq -n --arg f "$ID" --arg g "$GROUP" '{number: "4201", usage: "inbound", ivr_flow_id: $f, skill_group_id: $g}' | napi n2 "$base/cc/api/admin/numbers") $(json n2 .errors.ivr_flow_id)"
expect_eq "an inbound number needs one of the two (422)" "422 用途为呼入时必须选择技能组或 IVR 流程" \
  "$(jq -n '{number: "4201", usage: "inbound"}' | napi n3 "$base/cc/api/admin/numbers") $(json n3 .errors.skill_group_id)"
expect_eq "a published flow is taken (201)" "201 $ID" \
  "$(jq -n --arg f "$ID" '{number: "4201", usage: "inbound", ivr_flow_id: $f}' | napi n4 "$base/cc/api/admin/numbers") $(sql "SELECT ivr_flow_id FROM cc_number WHERE number = '4201'")"
N4201=$(sql "SELECT id FROM cc_number WHERE number = '4201'")
http nform -b "$tmp/ja" "$base/cc/admin/numbers/new" >/dev/null
opt() { xmllint --html --xpath "count(//select[@id='f-ivr_flow_id']/option[@value='$1'])" "$tmp/nform.b" 2>/dev/null; }
expect_eq "the number's form offers published flows only" "1 1 0 0" "$(opt "$ID") $(opt "$IVR_FLOW") $(opt "$NEW") $(opt "$FAIL")"

# --- 12. delete ---------------------------------------------------------------------------------------
expect_eq "a flow a number uses is not deleted (409 ivr.in_use), the number named" "409 ivr.in_use 4201" \
  "$(echo '{}' | A d1 "/flows/$ID/delete") $(json d1 .error) $(json d1 .numbers[0].number)"
# A published flow calling $CP as a sub-flow.
printf '%s\n  <start id="start" next="sub"/>\n  <subflow id="sub" flow="%s" next="bye"/>\n  <hangup id="bye"/>\n</flow>\n' "$HEAD" "$CP" > "$docs/sub.xml"
echo '{}' | A lk10 "/flows/$CP/lock" >/dev/null
body "$docs/v1.xml" 1 | A s9 "/flows/$CP/draft" >/dev/null
echo '{}' | A p6 "/flows/$CP/publish" >/dev/null
echo '{}' | A ul5 "/flows/$CP/unlock" >/dev/null
jq -n '{name: "调用子流程"}' | A c6 /flows >/dev/null
CALLER=$(json c6 .id)
echo '{}' | A lk11 "/flows/$CALLER/lock" >/dev/null
body "$docs/sub.xml" 1 | A s10 "/flows/$CALLER/draft" >/dev/null
expect_eq "a flow calling a published sub-flow publishes" 200 "$(echo '{}' | A p7 "/flows/$CALLER/publish")"
expect_eq "the sub-flow is not deleted while the other's published version calls it (409)" "409 调用子流程" \
  "$(echo '{}' | A d2 "/flows/$CP/delete") $(json d2 .flows[0])"
st=$(http pdel -b "$tmp/ja" --data-urlencode "_csrf=$ta" "$base/cc/admin/ivr/$ID/delete")
expect_eq "the page's delete: the list again with the refusal (409)" 409 "$st"
check "... naming the number" grep -q 'id="ivr-error"[^>]*>这个流程正在使用中，不能删除：4201' "$tmp/pdel.b"
jq -n --arg g "$GROUP" '{ivr_flow_id: "", skill_group_id: $g}' | napi n5 "$base/cc/api/admin/numbers/$N4201" >/dev/null
expect_eq "once the number goes to a group, the flow is deleted with its versions" "200 0 0" \
  "$(echo '{}' | A d3 "/flows/$ID/delete") $(sql "SELECT COUNT(*) FROM cc_ivr_flow WHERE id = $ID") $(sql "SELECT COUNT(*) FROM cc_ivr_version WHERE flow_id = $ID")"
expect_eq "the delete is audited" 1 "$(audits "$ID" delete)"
expect_eq "a flow that is gone: 404" 404 "$(get g4 "/flows/$ID")"
st=$(http pdel2 -b "$tmp/ja" --data-urlencode "_csrf=$ta" "$base/cc/admin/ivr/$NEW/delete")
expect_eq "the page's delete of an unused flow goes back to the list" "303 /cc/admin/ivr?done=deleted" "$st $(hdr pdel2 location)"

# --- 13. speech for text prompts ----------------------------------------------------------------------
# The file a text is spoken from: "tts-" and the first 32 hex digits of the
# SHA-256 of "voice\ntext" (docs/ivr.md).
tts_name() { printf '%s\n%s' "$1" "$2" | sha256sum | cut -c1-32 | sed 's/^/tts-/; s/$/.wav/'; }
wav_fmt() { echo "$(soxi -t "$1") $(soxi -r "$1") $(soxi -c "$1") $(soxi -b "$1") $(soxi -e "$1")"; }
wav_ok() { [ "$(wav_fmt "$1" 2>/dev/null)" = "wav 8000 1 16 Signed Integer PCM" ] &&
  [ "$(soxi -s "$1")" -gt 4000 ]; }
DEMO_TEXT='您好，我们的服务时间是每天九点到十八点，感谢来电。'
check "the demo flow's notice was spoken when the stack started (8 kHz mono 16-bit WAV)" \
  wav_ok "$CC_STATE/audio/$(tts_name cmn "$DEMO_TEXT")"
SAY_ZH="售后语音测试，订单查询请稍候。"
SAY_EN="Thank you for calling, test $$."
cat > "$docs/tts.xml" <<EOF
$HEAD
  <start id="start" next="hello"/>
  <play id="hello" next="mine"><prompt tts="$SAY_ZH"/><prompt tts="$SAY_EN" voice="en"/></play>
  <play id="mine" next="bye"><prompt tts="您的号码是 \${caller}"/></play>
  <hangup id="bye"/>
</flow>
EOF
ZH=$(tts_name cmn "$SAY_ZH") EN=$(tts_name en "$SAY_EN")
jq -n '{name: "语音提示"}' | A c9 /flows >/dev/null
TTS=$(json c9 .id)
echo '{}' | A lk20 "/flows/$TTS/lock" >/dev/null
body "$docs/tts.xml" 1 | A s20 "/flows/$TTS/draft" >/dev/null
check "no speech before it is published" test ! -e "$CC_STATE/audio/$ZH" -a ! -e "$CC_STATE/audio/$EN"
expect_eq "a text with a variable does not refuse the publish: a warning on its node" \
  "200 1 ivr.tts_variable@mine" \
  "$(echo '{}' | A p20 "/flows/$TTS/publish") $(json p20 .version) $(json p20 '[.warnings[] | "\(.code)@\(.node)"] | join(" ")')"
check "... its message says it cannot be spoken ahead" \
  eval '[[ "$(json p20 .warnings[0].message)" == *"无法在发布时预先合成"* ]]'
check "publishing spoke the Chinese text: an 8 kHz mono 16-bit WAV" wav_ok "$CC_STATE/audio/$ZH"
check "and the English one" wav_ok "$CC_STATE/audio/$EN"
check "readable by rtpengine (0644)" test "$(stat -c %a "$CC_STATE/audio/$ZH")" = 644
expect_eq "no temporary file is left in the audio folder" "" "$(find "$CC_STATE/audio" -name '.*' | head -n 3)"
inode=$(stat -c %i "$CC_STATE/audio/$ZH")
body "$docs/tts.xml" "$(json s20 .rev)" | A s21 "/flows/$TTS/draft" >/dev/null
expect_eq "published again (version 2)" "200 2" "$(echo '{}' | A p21 "/flows/$TTS/publish") $(json p21 .version)"
expect_eq "speech already made is kept, not made again" "$inode" "$(stat -c %i "$CC_STATE/audio/$ZH")"
echo '{}' | A ul20 "/flows/$TTS/unlock" >/dev/null

finish
