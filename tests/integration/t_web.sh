#!/usr/bin/env bash
# The web app's security behaviour through nginx, with curl against the real
# stack (cookie_secure = yes): sign-in refusals that give nothing away,
# CSRF tokens and the Origin check, sessions and roles, cookie attributes,
# sign-out, security headers, escaping of hostile data from the helpdesk's
# tables, and the sign-in throttle. Every refusal that must change nothing
# is checked against the B2BUA (cc-ctl) or the database.
#
# The throttle counts failures per username and per client address; its
# cases run from other loopback addresses (curl --interface 127.0.0.x) so
# the rest of the test, from 127.0.0.1, is never locked out.
. "$(dirname "$0")/lib.sh"

stack_start

# Users, contact and department: tests/demo.env ($STAFF has no call-center role).
web_setup web
body() { cat "$tmp/$1.b"; }
login_error() { grep -o 'id="login-error">[^<]*' "$tmp/$1.b" | sed 's/.*>//'; }
# A cookie's value in a curl cookie jar.
jar_cookie() { awk -v n="$2" -F'\t' '$6 == n { v = $7 } END { print v }' "$tmp/$1" 2>/dev/null; }
# The Set-Cookie header for cookie NAME in response R.
set_cookie() { grep -i "^set-cookie: $2=" "$tmp/$1.h" | head -n 1 | sed 's/\r$//'; }

# sign_in JAR USER PASSWORD [CURL-ARGS...]: the sign-in form, then its POST
# with the form's token; cookies in $tmp/JAR; the answer in $tmp/JAR-login.*;
# prints the POST's status.
sign_in() {
  local jar=$1 user=$2 pass=$3; shift 3
  http "$jar-form" -c "$tmp/$jar" -b "$tmp/$jar" "$@" "$base/cc/login" >/dev/null
  http "$jar-login" -c "$tmp/$jar" -b "$tmp/$jar" "$@" --data-urlencode "username=$user" \
    --data-urlencode "password=$pass" --data-urlencode "_csrf=$(form_token "$jar-form")" "$base/cc/login"
}

# post_state NAME JAR STATE CURL-ARGS...: POST /cc/api/agent/state as JSON.
post_state() {
  local name=$1 jar=$2 st=$3; shift 3
  http "$name" -b "$tmp/$jar" -H 'Content-Type: application/json' \
    --data "{\"state\":\"$st\",\"reason\":\"meal\"}" "$@" "$base/cc/api/agent/state"
}

hex() { printf %s "$1" | od -An -tx1 | tr -d ' \n'; }
# html_facts FILE: what an HTML parser (as a browser's would) finds in a page
# that the CSP or escaping forbid: "inline-script", "style-element",
# "style-attr", "handler on...", "img"; and "username=VALUE" for the
# sign-in form's username field.
html_facts() {
  python3 - "$1" <<'EOF'
import sys, html.parser
class Facts(html.parser.HTMLParser):
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get('id') == 'username':
            print('username=' + (a.get('value') or ''))
        if tag == 'script' and not a.get('src'):
            print('inline-script')
        if tag in ('style', 'img'):
            print(tag if tag == 'img' else 'style-element')
        for k, v in attrs:
            if k == 'style':
                print('style-attr')
            if k.startswith('on'):
                print('handler ' + k)
Facts(convert_charrefs=True).feed(open(sys.argv[1], encoding='utf-8').read())
EOF
}
# forbidden NAME: html_facts of response NAME without the username line.
forbidden() { html_facts "$tmp/$1.b" | grep -v '^username=' | sort -u | tr '\n' ' '; }

# --- 1. a wrong password and an unknown user get the same refusal -----------------
sw=$(sign_in jw "$A1_LOGIN" wrong-password)
su=$(sign_in ju nosuchuser wrong-password)
expect_eq "a wrong password and an unknown user get the same status" "$sw" "$su"
expect_eq "a wrong password is answered with the form again (200)" 200 "$sw"
expect_eq "the message for a wrong password names neither field" "用户名或密码错误" "$(login_error jw-login)"
expect_eq "the message for an unknown user is the same" "$(login_error jw-login)" "$(login_error ju-login)"
# The page echoes the username typed and carries a fresh form token; apart
# from those the two answers must be the same bytes.
norm_login() {
  sed -E -e 's/(name="_csrf" value=")[0-9a-f]+/\1TOKEN/g' -e 's/(name="csrf-token" content=")[0-9a-f]+/\1TOKEN/g' \
    -e 's/(id="username"[^>]*value=")[^"]*/\1USER/' "$tmp/$1.b"
}
norm_login jw-login > "$tmp/jw.norm"; norm_login ju-login > "$tmp/ju.norm"
check "the two answers are identical apart from the token and the echoed username" \
  cmp -s "$tmp/jw.norm" "$tmp/ju.norm"
check "(and the comparison saw the message)" grep -q 'id="login-error"' "$tmp/jw.norm"
header_names() { grep -o '^[A-Za-z-]*:' "$tmp/$1.h" | tr '[:upper:]' '[:lower:]' | grep -v '^date:$' | sort | tr '\n' ' '; }
expect_eq "the two answers carry the same headers" "$(header_names jw-login)" "$(header_names ju-login)"
check "neither gives a session" test -z "$(jar_cookie jw cc_session)$(jar_cookie ju cc_session)"

# --- 2. sign-in, session cookie ------------------------------------------------------
expect_eq "agent1 signs in (303)" 303 "$(sign_in j1 "$A1_LOGIN" "$AGENT_PASSWORD")"
expect_eq "to the workbench" /cc/workbench "$(hdr j1-login Location)"
sc=$(set_cookie j1-login cc_session)
expect_match "the session cookie is HttpOnly" ';[[:space:]]*HttpOnly(;|$)' "$sc"
expect_match "the session cookie has SameSite" ';[[:space:]]*SameSite=(Lax|Strict)(;|$)' "$sc"
expect_match "the session cookie is Secure (cookie_secure = yes)" ';[[:space:]]*Secure(;|$)' "$sc"
expect_match "the session cookie is limited to /cc/" ';[[:space:]]*Path=/cc/(;|$)' "$sc"
pre=$(set_cookie j1-form cc_pre)
expect_match "the sign-in form's nonce cookie is HttpOnly, SameSite and Secure" \
  'HttpOnly.*SameSite=(Lax|Strict).*Secure|Secure.*HttpOnly.*SameSite' "$pre"
tok1=$(jar_cookie j1 cc_session)
if [[ $tok1 =~ ^[0-9a-f]{64}$ ]]; then
  expect_eq "the database keeps only the token's SHA-256" "1 0" \
    "$(sql "SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM cc_session WHERE token_hash = SHA2('$tok1', 256)), (SELECT COUNT(*) FROM cc_session WHERE token_hash = '$tok1'))")"
else
  not_ok "the session token is 64 hex digits: '$tok1'"
fi
http wb1 -b "$tmp/j1" "$base/cc/workbench" >/dev/null
t1=$(page_token wb1)
expect_match "the workbench carries a session CSRF token" '^[0-9a-f]{64}$' "$t1"

expect_eq "agent2 signs in" 303 "$(sign_in j2 "$A2_LOGIN" "$AGENT_PASSWORD")"
http wb2 -b "$tmp/j2" "$base/cc/workbench" >/dev/null
t2=$(page_token wb2)
check "agent2's token is another one" test -n "$t2" -a "$t2" != "$t1"

# --- 3. CSRF: token and Origin ---------------------------------------------------------
expect_eq "with its token agent1 can sign in to the B2BUA (200)" 200 \
  "$(post_state ok1 j1 ready -H "X-CSRF-Token: $t1")"
expect_eq "agent1 is ready" ready "$(agent_state_reason "$A1")"

expect_eq "a POST without the CSRF token is refused (403)" 403 "$(post_state no-token j1 not_ready)"
expect_eq "with the reason csrf" csrf "$(json no-token .error)"
expect_eq "and changes nothing (agent1 still ready)" ready "$(agent_state_reason "$A1")"
expect_eq "a POST with a wrong token is refused (403)" 403 \
  "$(post_state bad-token j1 not_ready -H "X-CSRF-Token: $(printf '%064d' 0)")"
expect_eq "a POST with another session's token is refused (403)" 403 \
  "$(post_state other-token j1 not_ready -H "X-CSRF-Token: $t2")"
expect_eq "a POST with the token cut short is refused (403)" 403 \
  "$(post_state short-token j1 not_ready -H "X-CSRF-Token: ${t1:0:32}")"
expect_eq "a wrong _csrf member in the body is refused (403)" 403 \
  "$(http body-token -b "$tmp/j1" -H 'Content-Type: application/json' \
      --data "{\"state\":\"not_ready\",\"reason\":\"meal\",\"_csrf\":\"$t2\"}" "$base/cc/api/agent/state")"
expect_eq "a POST with the right token but a foreign Origin is refused (403)" 403 \
  "$(post_state evil-origin j1 not_ready -H "X-CSRF-Token: $t1" -H 'Origin: http://evil.example')"
expect_eq "... and with Origin null (403)" 403 \
  "$(post_state null-origin j1 not_ready -H "X-CSRF-Token: $t1" -H 'Origin: null')"
expect_eq "... and with this host on another port (403)" 403 \
  "$(post_state port-origin j1 not_ready -H "X-CSRF-Token: $t1" -H "Origin: http://127.0.0.1:$((HTTP_PORT + 1))")"
expect_eq "after all those refusals agent1 is still ready" ready "$(agent_state_reason "$A1")"
expect_eq "the right token and this Origin are accepted (200)" 200 \
  "$(post_state good-origin j1 not_ready -H "X-CSRF-Token: $t1" -H "Origin: http://127.0.0.1:$HTTP_PORT")"
expect_eq "and change the state" not_ready/meal "$(agent_state_reason "$A1")"

memo_before=$(sql "SELECT CONCAT(COALESCE(memo, ''), '|', updatetime) FROM uk_contacts WHERE id = '$CONTACT'")
expect_eq "a contact save without the token is refused (403)" 403 \
  "$(http save-no-token -b "$tmp/j1" --data-urlencode "_id=$CONTACT" --data-urlencode "memo=changed by CSRF" \
      "$base/cc/api/contacts/save")"
expect_eq "and the contact is unchanged" "$memo_before" \
  "$(sql "SELECT CONCAT(COALESCE(memo, ''), '|', updatetime) FROM uk_contacts WHERE id = '$CONTACT'")"
expect_eq "a sign-out without the token is refused (403)" 403 \
  "$(http logout-no-token -b "$tmp/j1" --data '' "$base/cc/logout")"
expect_eq "and the session still works" 200 "$(http wb1b -b "$tmp/j1" "$base/cc/workbench")"

# The sign-in form has its own token (an HMAC of the cc_pre nonce).
http jx-form -c "$tmp/jx" -b "$tmp/jx" "$base/cc/login" >/dev/null
expect_eq "a sign-in without the form token is refused, even with the right password (403)" 403 \
  "$(http jx-login -c "$tmp/jx" -b "$tmp/jx" --data-urlencode "username=$A3_LOGIN" --data-urlencode "password=$AGENT_PASSWORD" \
      "$base/cc/login")"
expect_eq "a sign-in with a foreign Origin is refused (403)" 403 \
  "$(http jo-login -c "$tmp/jx" -b "$tmp/jx" -H 'Origin: http://evil.example' --data-urlencode "username=$A3_LOGIN" \
      --data-urlencode "password=$AGENT_PASSWORD" --data-urlencode "_csrf=$(form_token jx-form)" "$base/cc/login")"
check "neither gave a session" test -z "$(jar_cookie jx cc_session)"

# --- 4. pages need a session, API calls answer 401 ----------------------------------------
for p in /cc/workbench /cc/admin /cc/; do
  st=$(http "anon$(echo "$p" | tr / _)" "$base$p")
  expect_eq "GET $p without a session: 303 to the sign-in page" "303 /cc/login" \
    "$st $(hdr "anon$(echo "$p" | tr / _)" Location)"
done
expect_eq "GET /cc/workbench with a made-up session token: 303 to sign-in" "303 /cc/login" \
  "$(http forged -b "cc_session=$(printf '%064d' 7)" "$base/cc/workbench") $(hdr forged Location)"
expect_eq "GET /cc/api/contacts/{id} without a session: 401" "401 unauthorized" \
  "$(http anon-contact "$base/cc/api/contacts/$CONTACT") $(json anon-contact .error)"
expect_eq "POST /cc/api/agent/state without a session: 401" "401 unauthorized" \
  "$(http anon-state -H 'Content-Type: application/json' --data '{"state":"ready"}' "$base/cc/api/agent/state") $(json anon-state .error)"
expect_eq "GET /cc/api/admin/overview without a session: 401" 401 "$(http anon-overview "$base/cc/api/admin/overview")"
expect_eq "GET /cc/events without a session: 401" 401 "$(http anon-events "$base/cc/events")"

# --- 5. roles ----------------------------------------------------------------------------------
expect_eq "an agent cannot open the admin console (403)" 403 "$(http a1-admin -b "$tmp/j1" "$base/cc/admin")"
expect_eq "nor the admin API (403)" 403 "$(http a1-overview -b "$tmp/j1" "$base/cc/api/admin/overview")"
expect_eq "admin signs in to the admin console" "303 /cc/admin" "$(sign_in ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD") $(hdr ja-login Location)"
http admin -b "$tmp/ja" "$base/cc/admin" >/dev/null
ta=$(page_token admin)
expect_eq "the admin API answers the admin" "200 true" \
  "$(http overview -b "$tmp/ja" "$base/cc/api/admin/overview") $(json overview .ok)"
expect_eq "an admin who is not an agent cannot open the workbench (403)" 403 \
  "$(http admin-wb -b "$tmp/ja" "$base/cc/workbench")"
expect_eq "nor set an agent state, even with a valid token (403)" "403 forbidden" \
  "$(post_state admin-state ja ready -H "X-CSRF-Token: $ta") $(json admin-state .error)"
expect_eq "nor read contacts (403)" 403 "$(http admin-contact -b "$tmp/ja" "$base/cc/api/contacts/$CONTACT")"
expect_eq "nor save contacts (403)" 403 \
  "$(http admin-save -b "$tmp/ja" -H "X-CSRF-Token: $ta" --data-urlencode "_id=$CONTACT" \
      --data-urlencode "memo=by admin" "$base/cc/api/contacts/save")"
expect_eq "and the contact is unchanged" "$memo_before" \
  "$(sql "SELECT CONCAT(COALESCE(memo, ''), '|', updatetime) FROM uk_contacts WHERE id = '$CONTACT'")"

expect_eq "staff1 (no role) cannot sign in (403)" 403 "$(sign_in js "$STAFF_LOGIN" "$STAFF_PASSWORD")"
expect_eq "and is told why" "您的账号没有呼叫中心的坐席或管理员权限，请联系管理员开通" "$(login_error js-login)"
expect_eq "and gets no session" "0 " \
  "$(sql "SELECT COUNT(*) FROM cc_session WHERE user_id = '$STAFF'") $(jar_cookie js cc_session)"

# --- 6. security headers -----------------------------------------------------------------
# header_problems NAME: what is missing or wrong in response NAME's headers.
header_problems() {
  local n=$1 csp xfo out=()
  csp=$(hdr "$n" Content-Security-Policy)
  xfo=$(hdr "$n" X-Frame-Options)
  [ -n "$csp" ] || out+=("no CSP")
  [[ $csp == *unsafe-inline* || $csp == *unsafe-eval* ]] && out+=("CSP allows unsafe-inline/eval: $csp")
  [[ $csp =~ (^|;)[[:space:]]*script-src[[:space:]]+\'self\'[[:space:]]*(;|$) ]] || out+=("script-src is not 'self' only: $csp")
  [[ $csp =~ (^|;)[[:space:]]*object-src[[:space:]]+\'none\' ]] || out+=("object-src is not 'none'")
  [[ $csp =~ frame-ancestors[[:space:]]+\'none\' || $xfo =~ ^(DENY|SAMEORIGIN)$ ]] || out+=("framing allowed")
  [ "$(hdr "$n" X-Content-Type-Options)" = nosniff ] || out+=("no nosniff")
  [ "$(grep -ci '^content-security-policy:' "$tmp/$n.h")" -le 1 ] || out+=("two CSP headers")
  echo "${out[*]}"
}
http static "$base/cc/static/workbench.js" >/dev/null
for n in jw-form:sign-in-page wb1:workbench admin:admin-console ok1:API-answer anon-state:401-answer \
  a1-admin:403-page anon_cc_workbench:redirect no-token:CSRF-refusal static:static-file; do
  expect_eq "security headers on the ${n#*:}" "" "$(header_problems "${n%%:*}")"
done
expect_eq "pages and API answers are not cached (Cache-Control: no-store)" "no-store no-store no-store" \
  "$(hdr wb1 Cache-Control) $(hdr ok1 Cache-Control) $(hdr jw-login Cache-Control)"
# The CSP forbids inline script and style; the pages must not need them.
expect_eq "the pages have no inline script, style or event handler" "" "$(forbidden wb1)$(forbidden admin)$(forbidden jw-login)"

# --- 7. hostile data from the helpdesk's tables is escaped -----------------------------------
H=$'<script>alert(1)</script>"\'&<img src=x onerror=alert(2)>'
HX=$(hex "$H")
EVIL=0c0000000000000000000000000000e1
sql "INSERT INTO uk_contacts (id, name, mobileno, memo, organ, shares, creater, username, createtime, updatetime, datastatus)
     VALUES ('$EVIL', CONVERT(X'$HX' USING utf8mb4), '13312345678', CONVERT(X'$HX' USING utf8mb4), '$DEPT', 'all',
             '$ADMIN', 'admin', NOW(), NOW(), 0)"
expect_eq "the hostile contact name is stored as is" "$H" "$(sql "SELECT name FROM uk_contacts WHERE id = '$EVIL'")"
expect_eq "the contact API answers it" 200 "$(http evil-contact -b "$tmp/j1" "$base/cc/api/contacts/$EVIL")"
expect_match "as JSON" '^application/json' "$(hdr evil-contact Content-Type)"
expect_eq "the name comes back exactly (JSON-escaped, not mangled)" "$H" \
  "$(json evil-contact '.contact.fields[] | select(.column == "name") | .value')"
expect_eq "the memo too" "$H" "$(json evil-contact '.contact.fields[] | select(.column == "memo") | .value')"
check "the quote is escaped in the JSON text" grep -qF '</script>\"'"'"'&<img' "$tmp/evil-contact.b"

# Pages rendered from host data: an agent's display name (admin console)
# and a call's caller (admin console, the agent's own calls on the workbench).
sql "UPDATE cs_user SET uname = CONVERT(X'$HX' USING utf8mb4) WHERE ID = '$A3'"
check "the B2BUA reloads its directory (the agent's new name)" reload_dir
sql "INSERT INTO cc_call (id, sip_call_id, node, direction, caller, callee, agent_id, started_at, answered_at, ended_at, result)
     VALUES ('0k0000000000000000000000000000e1', 'hostile@test', 'node1', 'inbound', CONVERT(X'$HX' USING utf8mb4), '4001',
             '$A1', NOW(3), NOW(3), NOW(3), 'answered')"
escaped='&lt;script&gt;alert(1)&lt;/script&gt;"'"'"'&amp;&lt;img src=x onerror=alert(2)&gt;'
http admin-evil -b "$tmp/ja" "$base/cc/admin" >/dev/null
http wb-evil -b "$tmp/j1" "$base/cc/workbench" >/dev/null
expect_eq "the admin console shows the agent's name and the caller escaped" 2 "$(grep -oF "$escaped" "$tmp/admin-evil.b" | wc -l)"
expect_eq "the workbench shows the caller escaped (my calls, the conversation list)" 2 "$(grep -oF "$escaped" "$tmp/wb-evil.b" | wc -l)"
expect_eq "parsed, neither page holds a script, handler or image from the data" "" "$(forbidden admin-evil)$(forbidden wb-evil)"
# The sign-in form echoes the username into an attribute (no password: not
# a failed sign-in, the throttle does not count it).
HU=$'"\'><script>alert(3)</script><b x="'
http jh-form -c "$tmp/jh" -b "$tmp/jh" "$base/cc/login" >/dev/null
http jh-login -c "$tmp/jh" -b "$tmp/jh" --data-urlencode "username=$HU" \
  --data-urlencode "_csrf=$(form_token jh-form)" "$base/cc/login" >/dev/null
expect_eq "the sign-in form echoes a hostile username as the field's value, parsed back exactly" "username=$HU" \
  "$(html_facts "$tmp/jh-login.b" | grep '^username=')"
expect_eq "without breaking out of the attribute" "" "$(forbidden jh-login)"

# --- 8. sign-out ends the session ------------------------------------------------------------
tok2=$(jar_cookie j2 cc_session)
background curl -sN --max-time 30 -b "$tmp/j2" -o "$tmp/sse2.out" "$base/cc/events"
sse=$BG_PID
check "agent2's event stream is open" eventually 20 grep -qs '^event: hello' "$tmp/sse2.out"
expect_eq "agent2 signs out (303 to the sign-in page)" "303 /cc/login" \
  "$(http logout2 -b "$tmp/j2" -c "$tmp/j2" --data-urlencode "_csrf=$t2" "$base/cc/logout") $(hdr logout2 Location)"
expect_match "the session cookie is cleared" '^Set-Cookie: cc_session=;.*Max-Age=0' "$(set_cookie logout2 cc_session)"
expect_eq "the old cookie no longer opens the workbench" "303 /cc/login" \
  "$(http old-wb -b "cc_session=$tok2" "$base/cc/workbench") $(hdr old-wb Location)"
expect_eq "nor the API (401)" 401 "$(http old-api -b "cc_session=$tok2" "$base/cc/api/contacts/$CONTACT")"
expect_eq "nor a POST with the old token" 401 \
  "$(http old-post -b "cc_session=$tok2" -H "X-CSRF-Token: $t2" -H 'Content-Type: application/json' \
      --data '{"state":"ready"}' "$base/cc/api/agent/state")"
expect_eq "the session row is gone" 0 "$(sql "SELECT COUNT(*) FROM cc_session WHERE user_id = '$A2'")"
check "the open event stream is told (bye: signed_out)" eventually 20 grep -q 'signed_out' "$tmp/sse2.out"
check "and is closed" eventually 20 gone "$sse"
expect_eq "agent1's session is not affected" 200 "$(http wb1c -b "$tmp/j1" "$base/cc/workbench")"

# --- 9. the sign-in throttle --------------------------------------------------------------------
max=$(sed -n 's/^login_max_failures *= *//p' "$CC_STATE/etc/web.conf")
[ -n "$max" ] || max=$("$bin/cc-web" --print-config | sed -n 's/^login_max_failures *= *//p')
diag "login_max_failures = $max"
# Per username: agent3's password guessed wrong from $max addresses, one each.
for i in $(seq 1 "$max"); do
  st=$(sign_in "jt$i" "$A3_LOGIN" "guess$i" --interface "127.0.0.$((10 + i))")
  [ "$st" = 200 ] || not_ok "failed sign-in $i for agent3 answers 200: $st"
done
expect_eq "after $max failures agent3 is refused even with the right password (429)" 429 \
  "$(sign_in jt-ok "$A3_LOGIN" "$AGENT_PASSWORD" --interface 127.0.0.30)"
expect_eq "with a message saying so" "登录失败次数过多，请稍后再试" "$(login_error jt-ok-login)"
check "and no session" test -z "$(jar_cookie jt-ok cc_session)"
expect_eq "another user from another address is not affected" 303 "$(sign_in jt-a1 "$A1_LOGIN" "$AGENT_PASSWORD" --interface 127.0.0.31)"
# The database matches other spellings to the same account: they share its count.
expect_eq "locked: 'AGENT3' is the same account (429)" 429 "$(sign_in jt-up "${A3_LOGIN^^}" "$AGENT_PASSWORD" --interface 127.0.0.32)"
expect_eq "locked: 'agént3' is the same account (429)" 429 "$(sign_in jt-acc "${A3_LOGIN/e/é}" "$AGENT_PASSWORD" --interface 127.0.0.33)"
expect_eq "locked: 'agent3 ' is the same account (429)" 429 "$(sign_in jt-sp "$A3_LOGIN " "$AGENT_PASSWORD" --interface 127.0.0.34)"
# Per address: one office may share one address, so it gets 4 x $max.
amax=$((max * 4))
expect_eq "below the limit a right password from 127.0.0.40 works" 303 \
  "$(sign_in jp0 "$A1_LOGIN" "$AGENT_PASSWORD" --interface 127.0.0.40)"
for i in $(seq 1 "$max"); do
  st=$(sign_in "jp$i" "nobody$i" x --interface 127.0.0.40)
  [ "$st" = 200 ] || not_ok "failed sign-in $i from 127.0.0.40 answers 200: $st"
done
expect_eq "after $max typos from one address, a colleague there still signs in" 303 \
  "$(sign_in jp-colleague "$A2_LOGIN" "$AGENT_PASSWORD" --interface 127.0.0.40)"
for i in $(seq $((max + 1)) "$amax"); do
  st=$(sign_in "jp$i" "nobody$i" x --interface 127.0.0.40)
  [ "$st" = 200 ] || not_ok "failed sign-in $i from 127.0.0.40 answers 200: $st"
done
expect_eq "after $amax failures from one address, a right password from there is refused (429)" 429 \
  "$(sign_in jp-ok "$A2_LOGIN" "$AGENT_PASSWORD" --interface 127.0.0.40)"
expect_eq "an X-Forwarded-For header does not get around it" 429 \
  "$(sign_in jp-xff "$A2_LOGIN" "$AGENT_PASSWORD" --interface 127.0.0.40 -H 'X-Forwarded-For: 10.1.2.3' -H 'X-Real-IP: 10.1.2.3')"
expect_eq "the same user from another address signs in" 303 "$(sign_in jp-other "$A2_LOGIN" "$AGENT_PASSWORD" --interface 127.0.0.41)"

finish
