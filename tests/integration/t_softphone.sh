#!/usr/bin/env bash
# The browser phone's doors (docs/softphone.md), with the real programs:
# Kamailio's WebSocket listener answers on loopback only and, through
# nginx's /ws, a WebSocket upgrade for the "sip" sub-protocol alone; plain
# HTTP and SIP over plain TCP on it are refused; GET /cc/api/softphone
# gives the signed-in agent's own account (HA1, never a password, never
# cached) and nothing to anyone else. The call itself (JsSIP in Chromium,
# rtpengine's WebRTC hop) is tests/browser/t_softphone.js.
. "$(dirname "$0")/lib.sh"

stack_start --only db,rtpengine,kamailio,web,nginx
web_setup softphone

# --- the listener: loopback only -------------------------------------------------
listeners=$(ss -Hltn "sport = :$WS_PORT" | awk '{print $4}' | sort -u | tr '\n' ' ')
expect_eq "Kamailio's WebSocket listener is bound to 127.0.0.1 alone" "127.0.0.1:$WS_PORT " "$listeners"

# upgrade NAME URL [PROTOCOL]: a WebSocket handshake (curl stops after 2 s:
# an accepted one stays open); prints the status line's code.
upgrade() {
  local name=$1 url=$2 proto=${3-sip}
  local args=(-H 'Upgrade: websocket' -H 'Connection: Upgrade' -H 'Sec-WebSocket-Version: 13'
    -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==')
  [ -n "$proto" ] && args+=(-H "Sec-WebSocket-Protocol: $proto")
  curl -s --max-time 2 -o /dev/null -D "$tmp/$name.h" "${args[@]}" "$url" || true
  sed -n '1s/^HTTP\/1\.1 \([0-9]*\).*/\1/p' "$tmp/$name.h" | tr -d '\r'
}

expect_eq "a WebSocket upgrade through nginx's /ws is accepted (101)" 101 \
  "$(upgrade ws "http://127.0.0.1:$HTTP_PORT/ws")"
expect_eq "with the sip sub-protocol (RFC 7118)" sip "$(hdr ws Sec-WebSocket-Protocol)"
accept=$(printf '%s' 'dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11' | openssl sha1 -binary | base64)
expect_eq "and the key's answer of RFC 6455" "$accept" "$(hdr ws Sec-WebSocket-Accept)"
code=$(upgrade noproto "http://127.0.0.1:$HTTP_PORT/ws" "")
check "an upgrade without the sip sub-protocol is refused ($code)" test "$code" != 101 -a -n "$code"
code=$(upgrade other "http://127.0.0.1:$HTTP_PORT/wsx")
expect_eq "an upgrade on another path is nginx's 404" 404 "$code"
expect_eq "a plain GET of /ws gets Kamailio's 404 (no upgrade, nothing served)" 404 \
  "$(http plain "http://127.0.0.1:$HTTP_PORT/ws")"
expect_eq "a plain GET on the listener itself: 404" 404 "$(http direct "http://127.0.0.1:$WS_PORT/")"

# SIP over plain TCP on the WebSocket port: refused.
sip_tcp_reply() {
  local line
  exec 3<>"/dev/tcp/127.0.0.1/$WS_PORT" || return 1
  printf 'OPTIONS sip:%s@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-sp1\r\nFrom: <sip:probe@127.0.0.1>;tag=sp1\r\nTo: <sip:%s@127.0.0.1>\r\nCall-ID: sp-tcp-%s\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n' \
    "$A1_SIP" "$A1_SIP" "$$" >&3
  IFS= read -r -t 5 line <&3 || true
  exec 3<&- 3>&-
  printf '%s' "${line%$'\r'}"
}
expect_eq "SIP over plain TCP on the listener is refused" "SIP/2.0 403 Use WebSocket" "$(sip_tcp_reply)"
# UDP SIP is unchanged: Kamailio still answers its keepalive there.
check "Kamailio still answers SIP over UDP" "$bin/cc-sipping" "127.0.0.1:$SIP_PORT"

# --- the credentials route -----------------------------------------------------------
expect_eq "GET /cc/api/softphone without a session: 401" 401 "$(http anon "$base/cc/api/softphone")"
check "and no digest in the answer" bash -c "! grep -q '\"ha1\"' '$tmp/anon.b'"

login a1 "$A1_LOGIN" "$AGENT_PASSWORD" >/dev/null
expect_eq "agent1's session: 200" 200 "$(http a1-sp -b "$tmp/a1" "$base/cc/api/softphone")"
expect_eq "with agent1's SIP user" "$A1_SIP" "$(json a1-sp .user)"
expect_eq "its URI in the realm" "sip:$A1_SIP@$SIP_REALM" "$(json a1-sp .uri)"
expect_eq "the HA1 Kamailio checks" "$(sql "SELECT ha1 FROM cc_sip_account WHERE username = '$A1_SIP'")" \
  "$(json a1-sp .ha1)"
expect_eq "and the realm it was made with" "$SIP_REALM" "$(json a1-sp .realm)"
expect_eq "never a password" null "$(json a1-sp .password)"
expect_eq "the same origin's /ws" /ws "$(json a1-sp .ws)"
expect_match "never cached (Cache-Control: no-store)" 'no-store' "$(hdr a1-sp Cache-Control)"
expect_eq "a query naming another agent changes nothing" "$A1_SIP" \
  "$(http a1-q -b "$tmp/a1" "$base/cc/api/softphone?user=$A2&agent=$A2" >/dev/null; json a1-q .user)"

login a2 "$A2_LOGIN" "$AGENT_PASSWORD" >/dev/null
http a2-sp -b "$tmp/a2" "$base/cc/api/softphone" >/dev/null
expect_eq "agent2's session gets agent2's account" "$A2_SIP" "$(json a2-sp .user)"

login adm "$ADMIN_LOGIN" "$ADMIN_PASSWORD" >/dev/null
expect_eq "an admin who is no agent: 403" 403 "$(http adm-sp -b "$tmp/adm" "$base/cc/api/softphone")"
login staff "$STAFF_LOGIN" "$STAFF_PASSWORD" >/dev/null
# (The plugin gives such a user no session: the same answer as anonymous.)
expect_eq "a user without a call-center role: 401" 401 "$(http staff-sp -b "$tmp/staff" "$base/cc/api/softphone")"

# An agent whose account is disabled has nothing to register with.
sql "UPDATE cc_sip_account SET enabled = 0 WHERE username = '$A2_SIP'"
expect_eq "an agent whose SIP account is disabled: 404" 404 "$(http a2-off -b "$tmp/a2" "$base/cc/api/softphone")"
check "and no digest" bash -c "! grep -q '\"ha1\"' '$tmp/a2-off.b'"

finish
