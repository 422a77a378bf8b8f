#!/usr/bin/env bash
# Kamailio's config alone, with the real programs: MariaDB and Kamailio from
# scripts/stack.sh, sipp as agents' phones, as a gateway, as a stranger, and
# as a stand-in B2BUA node on the dispatcher's address. Scenarios and their
# variants: tests/sip/README.md.
#
# Addresses: Kamailio and the B2BUA node on 127.0.0.1 (the demo gateway's
# address too), agents' phones on 127.0.0.2, the stranger on 127.0.0.3.
# Phones are the demo's (tests/demo.env): 1001 ($A1_SIP), 1002 ($A2_SIP).
. "$(dirname "$0")/lib.sh"

stack_start --only db,kamailio
kam=127.0.0.1:$SIP_PORT

rpc_fifo=$CC_STATE/run/kamailio/kamailio_rpc.fifo

# rpc METHOD [PARAMS...]: one JSON-RPC call through Kamailio's FIFO with
# Debian's kamctl (part of the kamailio package); prints the JSON reply.
rpc() { RPCFIFOPATH=$rpc_fifo timeout 10 kamctl rpc "$@"; }

# The stand-in node's dispatcher flags: "AP" active, "IP" inactive (both probing).
ds_flags() { rpc dispatcher.list | sed -n 's/.*"FLAGS":[[:space:]]*"\([A-Z]*\)".*/\1/p' | head -n 1; }
ds_is() { [ "$(ds_flags)" = "$1" ]; }

rc_of() { "$@"; echo $?; }
ul_has() { rpc ul.dump | grep -q "\"AoR\":[[:space:]]*\"$1\""; }
# The first Via of the BYE a phone received (sipp's message log FILE).
bye_came_via() { # FILE HOSTPORT
  awk '/^BYE sip:/ { getline; print; exit }' "$1" | grep -q "^Via: SIP/2.0/UDP $2;"
}
# is_registered USER: the B2BUA's question, "SELECT username FROM cc_location WHERE expires > NOW()".
is_registered() {
  [ "$(sql "SELECT COUNT(*) FROM cc_location WHERE username='$1' AND expires > NOW()")" = 1 ]
}
invites_at_standin() { grep -c '^INVITE sip:' "$logs/sipp-standin.msg" 2>/dev/null || true; }

# --- registration ------------------------------------------------------------

expect_eq "REGISTER without credentials is challenged (401)" 0 \
  "$(rc_of agent reg-noauth "$A1_SIP" "$A1_SIP_PASSWORD" -set challenge_only 1)"
expect_eq "REGISTER with a wrong password is refused (403)" 0 \
  "$(rc_of agent reg-badpw "$A1_SIP" wrong -set expect_refused 1)"
expect_eq "REGISTER of $A2_SIP with the credentials of $A1_SIP is refused (403)" 0 \
  "$(rc_of agent reg-otheruser "$A2_SIP" "$A1_SIP_PASSWORD" -au "$A1_SIP" -set expect_refused 1)"
expect_eq "nothing was registered by refused attempts" 0 "$(sql 'SELECT COUNT(*) FROM cc_location')"

# Agent 1001 registers, answers calls meanwhile (300 ms of ringing), and
# unregisters when told (below).
background agent reg-1001 "$A1_SIP" "$A1_SIP_PASSWORD" -set until_notify 1 -set answer_ms 300
agent_pid=$BG_PID
check "REGISTER with the right password: a cc_location row" eventually 20 is_registered "$A1_SIP"
expect_eq "the row has the phone's contact" "sip:$A1_SIP@127.0.0.2" \
  "$(sql "SELECT contact FROM cc_location WHERE username='$A1_SIP'" | sed 's/:[0-9]*$//')"
check "ul.dump over JSON-RPC lists agent $A1_SIP" ul_has "$A1_SIP"

# --- a B2BUA node calling agents ---------------------------------------------
# Placed from the node's own address (127.0.0.1:$B2BUA_PORT), before the
# stand-in takes that port.

expect_eq "INVITE from the B2BUA to registered agent $A1_SIP is answered by its phone" 0 \
  "$(rc_of caller b2bua-to-1001 "$A1_SIP" -i 127.0.0.1 -p "$B2BUA_PORT" -set hold_ms 500)"
check "the agent's 200 carries Kamailio's Record-Route" \
  grep -Eq "^Record-Route: <sip:127.0.0.1:$SIP_PORT;lr[;>]" "$logs/sipp-b2bua-to-1001.msg"
# The BYE reached the phone with Kamailio's Via on top: it was loose-routed.
check "the BYE reaches the agent's phone through Kamailio" \
  bye_came_via "$logs/sipp-reg-1001.msg" "127.0.0.1:$SIP_PORT"
expect_eq "INVITE from the B2BUA to unregistered agent $A2_SIP gets 404" 0 \
  "$(rc_of caller b2bua-to-1002 "$A2_SIP" -i 127.0.0.1 -p "$B2BUA_PORT" -set expect 404)"
expect_eq "INVITE from the B2BUA to sip:$A1_SIP@$SIP_REALM (the realm) is answered too" 0 \
  "$(rc_of caller b2bua-to-realm "$A1_SIP" -i 127.0.0.1 -p "$B2BUA_PORT" -set domain "$SIP_REALM" -set hold_ms 200)"
expect_eq "INVITE from the B2BUA to a number at another domain, not a telephone number (no user=phone), gets 404" 0 \
  "$(rc_of caller b2bua-outbound "$KNOWN_CALLER" -i 127.0.0.1 -p "$B2BUA_PORT" -set domain gw.example.com -set expect 404)"

tell reg-1001
wait "$agent_pid"
expect_eq "agent $A1_SIP ran its whole scenario (register, answer, unregister)" 0 "$?"
expect_eq "unregister (Expires: 0) removes the cc_location row" 0 \
  "$(sql "SELECT COUNT(*) FROM cc_location WHERE username='$A1_SIP'")"

# --- calls from the gateway to the B2BUA stand-in -----------------------------

background sipp -sf "$sipdir/agent/uas.xml" -i 127.0.0.1 -p "$B2BUA_PORT" -nostdin \
  -trace_msg -message_file "$logs/sipp-standin.msg" -trace_err -error_file "$logs/sipp-standin.err" \
  >"$logs/sipp-standin.out" 2>&1
standin_pid=$BG_PID
check "dispatcher probes the stand-in B2BUA and marks it active" eventually 20 ds_is AP

expect_eq "INVITE from the trusted gateway reaches the stand-in B2BUA" 0 \
  "$(rc_of caller gw-call "$NUMBER" -i 127.0.0.1 -set hold_ms 500)"
expect_eq "the stand-in got exactly that INVITE" 1 "$(invites_at_standin)"
check "the stand-in saw the call through Kamailio (Record-Route)" \
  grep -Eq "^Record-Route: <sip:127.0.0.1:$SIP_PORT;lr[;>]" "$logs/sipp-standin.msg"

expect_eq "INVITE from an untrusted address (127.0.0.3) to a name gets 403" 0 \
  "$(rc_of caller untrusted support -i 127.0.0.3 -set expect 403)"
expect_eq "INVITE from it to a number is challenged (407: only an agent's phone calls out)" 0 \
  "$(rc_of caller untrusted-n "$NUMBER" -i 127.0.0.3 -set expect 407)"
expect_eq "nothing from the untrusted address reached the stand-in" 1 "$(invites_at_standin)"

kill "$standin_pid" 2>/dev/null
wait "$standin_pid" 2>/dev/null
check "with the stand-in stopped, probing marks it down" eventually 20 ds_is IP
expect_eq "INVITE from the gateway with no B2BUA node up gets 503" 0 \
  "$(rc_of caller gw-no-node "$NUMBER" -i 127.0.0.1 -set expect 503)"

# --- robustness ----------------------------------------------------------------

# A stray response, NULs, random bytes, a request with broken headers, each
# one datagram. Several Kamailio processes read the socket, so an OPTIONS
# sent next may be answered while another process still handles garbage:
# first Kamailio must have logged the two messages it cannot parse. The
# stray response and the NULs (below the size of a SIP message) leave no
# trace; sent first, they are read before those two.
parse_failures() { grep -ac 'core parsing of SIP message failed' "$logs/kamailio.log"; }
failures0=$(parse_failures)
printf 'SIP/2.0 200 OK\r\nCSeq: x\r\n\r\n' | udp "$SIP_PORT"
printf '\0\0\0\0' | udp "$SIP_PORT"
head -c 2000 /dev/urandom | udp "$SIP_PORT"
printf 'INVITE sip:%s@127.0.0.1 SIP/2.0\r\nVia: nonsense\r\nFrom: <\r\n\r\n' "$NUMBER" | udp "$SIP_PORT"
garbage_read() { [ "$(parse_failures)" -ge $((failures0 + 2)) ]; }
check "Kamailio read the garbage (two messages it cannot parse logged)" eventually 20 garbage_read
check "after garbage Kamailio still answers OPTIONS" "$bin/cc-sipping" -t 2000 "$kam"
check "Kamailio's main process is still the one started" kill -0 "$(cat "$CC_STATE/run/kamailio.pid")"

finish
