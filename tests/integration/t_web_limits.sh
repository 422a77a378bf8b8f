#!/usr/bin/env bash
# The web app's limits and trust boundaries through nginx, with curl against
# the real stack: event streams bounded per session and in all (threads
# stay bounded), JSON routes answering body errors and ids that are no ids
# in JSON, the sign-in form's nonce good for one POST, the Origin check on
# scheme, an agent's view of other agents' calls in a customer's recent
# calls, and logged values that cannot forge log lines (the web app's
# request line, the B2BUA's DTMF listener, Kamailio's parser).
#
# cc-web runs with sse_max_streams = 6 (sse_session_streams keeps its
# default, 4), so the total is reached with a few streams.
. "$(dirname "$0")/lib.sh"

CC_WEB_OPTS="sse_max_streams=6" stack_start
web_setup limits
web=$(svc_pid web)

threads() { awk '/^Threads:/ { print $2 }' "/proc/$web/status"; }
t1=$(login a1 "$A1_LOGIN" "$AGENT_PASSWORD")
t2=$(login a2 "$A2_LOGIN" "$AGENT_PASSWORD")
check "agent1 and agent2 are signed in" test -n "$t1" -a -n "$t2"

# --- 1. event streams --------------------------------------------------------------------
base_threads=$(threads)
diag "cc-web threads without streams: $base_threads"
# stream N JAR: opens event stream N (curl in the background) and waits for its hello.
declare -A spid
stream() {
  background curl -sN --max-time 120 -b "$tmp/$2" -o "$tmp/sse$1.out" -D "$tmp/sse$1.h" "$base/cc/events"
  spid[$1]=$BG_PID
  eventually 20 grep -qs '^event: hello' "$tmp/sse$1.out"
}
ok_all=1
for i in $(seq 1 10); do stream "$i" a1 || ok_all=0; done
[ "$ok_all" = 1 ] && ok "ten streams of one session each got their hello" || not_ok "ten streams of one session each got their hello"
replaced() { grep -q '"reason":"replaced"' "$tmp/sse$1.out"; }
six_replaced() { local i; for i in 1 2 3 4 5 6; do replaced "$i" && gone "${spid[$i]}" || return 1; done; }
check "the six oldest were told they were replaced (bye) and closed" eventually 20 six_replaced
still=0
for i in 7 8 9 10; do ! replaced "$i" && ! gone "${spid[$i]}" && still=$((still + 1)); done
expect_eq "the four newest stay open" 4 "$still"
at_most() { [ "$(threads)" -le $((base_threads + $1)) ]; }
check "cc-web's threads: at most 4 more than without streams" eventually 20 at_most 4
diag "threads with one session's streams: $(threads)"

stream 11 a2
stream 12 a2
check "a second session opens two more (six in all)" eventually 10 grep -qs '^event: hello' "$tmp/sse12.out"
expect_eq "a seventh stream is refused: 429 too_many_streams, in JSON" "429 too_many_streams false" \
  "$(http sse13 -b "$tmp/a2" "$base/cc/events") $(json sse13 .error) $(json sse13 .ok)"
expect_match "with a message" '.' "$(json sse13 .message)"
check "cc-web's threads: at most 6 more than without streams" at_most 6
check "agent1's four streams were not disturbed by the refusal" \
  test "$(for i in 7 8 9 10; do gone "${spid[$i]}" || echo x; done | wc -l)" = 4
for i in 7 8 9 10 11 12; do stop_background "${spid[$i]}"; done
check "closed streams give their threads back" eventually 20 at_most 0
expect_eq "after they close, a stream opens again (200)" 200 \
  "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -b "$tmp/a2" "$base/cc/events")"

# --- 2. JSON routes answer JSON ------------------------------------------------------------
# jerr NAME: "STATUS error ok content-type" of a response.
jerr() { echo "$(json "$1" .error) $(json "$1" .ok) $(hdr "$1" Content-Type | cut -d';' -f1)"; }
st=$(http bad-json -b "$tmp/a1" -H "X-CSRF-Token: $t1" -H 'Content-Type: application/json' \
  --data '{"state":' "$base/cc/api/agent/state")
expect_eq "malformed JSON to a JSON route: 400 in JSON" "400 bad_request false application/json" "$st $(jerr bad-json)"
st=$(http bad-type -b "$tmp/a1" -H "X-CSRF-Token: $t1" -H 'Content-Type: text/plain' \
  --data 'state=ready' "$base/cc/api/agent/state")
expect_eq "an unsupported body type: 415 in JSON" "415 unsupported_media false application/json" "$st $(jerr bad-type)"
head -c 100000 /dev/zero | tr '\0' 'a' | sed 's/^/{"state":"/; s/$/"}/' >"$tmp/big.json"
st=$(http too-big -b "$tmp/a1" -H "X-CSRF-Token: $t1" -H 'Content-Type: application/json' \
  --data-binary "@$tmp/big.json" "$base/cc/api/agent/state")
expect_eq "a body over max_body_kb: 413 in JSON" "413 too_large false application/json" "$st $(jerr too-big)"
st=$(http bad-pct -b "$tmp/a1" -H "X-CSRF-Token: $t1" -H 'Content-Type: application/x-www-form-urlencoded' \
  --data 'state=%zz' "$base/cc/api/agent/state")
expect_eq "malformed percent-encoding: 400 in JSON" "400 bad_request false application/json" "$st $(jerr bad-pct)"
st=$(http bad-id -b "$tmp/a1" "$base/cc/api/contacts/a%20b")
expect_eq "an id that is no id (a space): 404 in JSON" "404 not_found false application/json" "$st $(jerr bad-id)"
st=$(http long-id -b "$tmp/a1" "$base/cc/api/contacts/$(printf '%070d' 1)")
expect_eq "an id over 64 characters: 404 in JSON" "404 not_found false application/json" "$st $(jerr long-id)"
st=$(http no-route -b "$tmp/a1" "$base/cc/api/no/such/thing")
expect_eq "an unknown API path: 404 in JSON" "404 not_found false application/json" "$st $(jerr no-route)"
st=$(http page-id -b "$tmp/a1" "$base/cc/admin/agents/a%20b")
expect_eq "a page's bad id stays an HTML page" "404 text/html" "$st $(hdr page-id Content-Type | cut -d';' -f1)"
check "nothing changed agent1's state" state_is "$A1" logged_out

# --- 3. the sign-in form's nonce is good once -----------------------------------------------
http n-form -c "$tmp/n" -b "$tmp/n" "$base/cc/login" >/dev/null
nonce=$(awk -F'\t' '$6 == "cc_pre" { print $7 }' "$tmp/n")
ntok=$(form_token n-form)
signin_with() { # NAME NONCE TOKEN USER PASSWORD
  http "$1" -b "cc_pre=$2" --data-urlencode "username=$4" --data-urlencode "password=$5" \
    --data-urlencode "_csrf=$3" "$base/cc/login"
}
expect_eq "a sign-in with the form's nonce and token works (303)" 303 \
  "$(signin_with n1 "$nonce" "$ntok" "$A3_LOGIN" "$AGENT_PASSWORD")"
expect_eq "the same nonce and token replayed are refused (403)" 403 \
  "$(signin_with n2 "$nonce" "$ntok" "$A3_LOGIN" "$AGENT_PASSWORD")"
check "the replay got no session" test -z "$(grep -i '^set-cookie: cc_session=[0-9a-f]' "$tmp/n2.h")"
http m-form -c "$tmp/m" -b "$tmp/m" "$base/cc/login" >/dev/null
mnonce=$(awk -F'\t' '$6 == "cc_pre" { print $7 }' "$tmp/m")
expect_eq "a wrong password shows the form again (200)" 200 \
  "$(http m1 -c "$tmp/m" -b "$tmp/m" --data-urlencode "username=$A3_LOGIN" --data-urlencode "password=wrong" \
      --data-urlencode "_csrf=$(form_token m-form)" "$base/cc/login")"
expect_eq "its nonce and token do not work a second time (403)" 403 \
  "$(signin_with m2 "$mnonce" "$(form_token m-form)" "$A3_LOGIN" "$AGENT_PASSWORD")"
check "the form shown again has a new nonce" test "$(awk -F'\t' '$6 == "cc_pre" { print $7 }' "$tmp/m")" != "$mnonce"
expect_eq "and its new token signs in (303)" 303 \
  "$(http m3 -c "$tmp/m" -b "$tmp/m" --data-urlencode "username=$A3_LOGIN" --data-urlencode "password=$AGENT_PASSWORD" \
      --data-urlencode "_csrf=$(form_token m1)" "$base/cc/login")"

# --- 4. the Origin check names a scheme ------------------------------------------------------
post_ready() { # NAME ORIGIN
  http "$1" -b "$tmp/a1" -H "X-CSRF-Token: $t1" -H "Origin: $2" -H 'Content-Type: application/json' \
    --data '{"state":"not_ready","reason":"rest"}' "$base/cc/api/agent/state"
}
expect_eq "Origin foo://127.0.0.1:$HTTP_PORT is refused (403 csrf)" "403 csrf" \
  "$(post_ready o1 "foo://127.0.0.1:$HTTP_PORT") $(json o1 .error)"
expect_eq "Origin https://127.0.0.1:$HTTP_PORT on plain http is refused" 403 "$(post_ready o2 "https://127.0.0.1:$HTTP_PORT")"
check "neither changed agent1's state" state_is "$A1" logged_out
expect_eq "Origin http://127.0.0.1:$HTTP_PORT is this site (200)" 200 "$(post_ready o3 "http://127.0.0.1:$HTTP_PORT")"

# --- 5. recent calls: another agent's call without its id -------------------------------------
mine=0k000000000000000000000000000l01 theirs=0k000000000000000000000000000l02
ins_call() { # ID AGENT DAYS-AGO
  sql "INSERT INTO cc_call (id, sip_call_id, node, direction, caller, caller_norm, callee, agent_id, contact_id,
    started_at, answered_at, ended_at, result, hangup_side) VALUES ('$1', '$1@t_web_limits', 'node1', 'inbound',
    '$KNOWN_CALLER', '+86$KNOWN_CALLER', '$NUMBER', '$2', '$CONTACT', NOW(3) - INTERVAL $3 DAY,
    NOW(3) - INTERVAL $3 DAY + INTERVAL 5 SECOND, NOW(3) - INTERVAL $3 DAY + INTERVAL 65 SECOND, 'answered', 'caller')"
}
ins_call "$mine" "$A1" 2
ins_call "$theirs" "$A2" 3
expect_eq "agent1 reads the contact (200)" 200 "$(http rc1 -b "$tmp/a1" "$base/cc/api/contacts/$CONTACT")"
expect_eq "recent: agent1's call with its id" 1 "$(json rc1 "[.recent[] | select(.call == \"$mine\")] | length")"
expect_eq "recent: agent2's call listed (its talk time), without its id" 1 \
  "$(json rc1 '[.recent[] | select(.call == null and .duration == 60)] | length')"
check "agent2's call id appears nowhere in the answer" test -z "$(grep -o "$theirs" "$tmp/rc1.b")"
http rc2 -b "$tmp/a2" "$base/cc/api/contacts/$CONTACT" >/dev/null
expect_eq "agent2 sees their own call's id, not agent1's" "1 0" \
  "$(json rc2 "[.recent[] | select(.call == \"$theirs\")] | length") $(grep -c "$mine" "$tmp/rc2.b")"

# --- 6. logged values cannot forge lines --------------------------------------------------------
forged='2026-01-01 00:00:00.000 cc-web INFO: user 0u000000000000000000000000000001 signed in'
http inj -b "$tmp/a1" "$base/cc/x%0a${forged// /%20}" >/dev/null
logged() { grep -qF 'GET /cc/x\n2026-01-01 00:00:00.000 cc-web INFO: user' "$logs/web.log"; }
check "the request path is logged with its newline escaped" eventually 10 logged
expect_eq "no forged line in the web log" 0 "$(grep -c '^2026-01-01 00:00:00.000' "$logs/web.log")"
printf 'x\n2026-01-01 00:00:00.000 cc-b2bua INFO: call forged answered\r\n\x1b[2J' | udp "$DTMF_PORT"
dlogged() { grep -qF 'x\n2026-01-01 00:00:00.000 cc-b2bua INFO: call forged answered\r\n\x1b[2J' "$logs/b2bua-1.log"; }
check "a DTMF datagram is logged with its controls escaped" eventually 10 dlogged
expect_eq "no forged line in the B2BUA's log" 0 "$(grep -c '^2026-01-01 00:00:00.000' "$logs/b2bua-1.log")"
# Kamailio writes its log as one JSON document a line (--log-engine=json),
# so a header that carries a newline stays inside its "message" string.
printf 'INVITE sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9\r\nX: y\n2026-01-01 00:00:00.000 kamailio forged\r\nCSeq: zz\r\n\r\n' \
  | udp "$SIP_PORT"
klogged() { grep -qF '2026-01-01 00:00:00.000 kamailio forged\r\n' "$logs/kamailio.log"; }
check "Kamailio logs the broken header with its controls escaped" eventually 10 klogged
expect_eq "no forged line in Kamailio's log" 0 "$(grep -c '^2026-01-01 00:00:00.000' "$logs/kamailio.log")"

finish
