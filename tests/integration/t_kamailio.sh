#!/usr/bin/env bash
# Kamailio's config alone, with the real programs: MariaDB and Kamailio from
# scripts/stack.sh, sipp as agents' phones, as a gateway, as a stranger, and
# as a stand-in B2BUA node on the dispatcher's address. Scenarios and their
# variants: tests/sip/README.md.
#
# Addresses: Kamailio and the B2BUA node on 127.0.0.1 (the demo gateway's
# address too), agents' phones on 127.0.0.2, the stranger on 127.0.0.3.
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
  "$(rc_of agent reg-noauth 1001 sip1001 -set challenge_only 1)"
expect_eq "REGISTER with a wrong password is refused (403)" 0 \
  "$(rc_of agent reg-badpw 1001 wrong -set expect_refused 1)"
expect_eq "REGISTER of 1002 with the credentials of 1001 is refused (403)" 0 \
  "$(rc_of agent reg-otheruser 1002 sip1001 -au 1001 -set expect_refused 1)"
expect_eq "nothing was registered by refused attempts" 0 "$(sql 'SELECT COUNT(*) FROM cc_location')"

# Agent 1001 registers for 8 s and answers calls meanwhile (300 ms of
# ringing). Started directly (not through a function) so that the pid
# stack_stop would end is timeout's, which passes the signal on to sipp.
background timeout 60 sipp "$kam" -nostdin -m 1 -sf "$sipdir/agent/uac.xml" \
  -oocsf "$sipdir/agent/uas.xml" -i 127.0.0.2 -s 1001 -ap sip1001 \
  -set stay_ms 8000 -set answer_ms 300 -trace_msg -message_file "$logs/sipp-reg-1001.msg" \
  -trace_err -error_file "$logs/sipp-reg-1001.err" >"$logs/sipp-reg-1001.out" 2>&1
agent_pid=$BG_PID
check "REGISTER with the right password: a cc_location row" eventually 5 is_registered 1001
expect_eq "the row has the phone's contact" "sip:1001@127.0.0.2" \
  "$(sql "SELECT contact FROM cc_location WHERE username='1001'" | sed 's/:[0-9]*$//')"
check "ul.dump over JSON-RPC lists agent 1001" ul_has 1001

# --- a B2BUA node calling agents ---------------------------------------------
# Placed from the node's own address (127.0.0.1:$B2BUA_PORT), before the
# stand-in takes that port.

expect_eq "INVITE from the B2BUA to registered agent 1001 is answered by its phone" 0 \
  "$(rc_of caller b2bua-to-1001 1001 -i 127.0.0.1 -p "$B2BUA_PORT" -set hold_ms 500)"
check "the agent's 200 carries Kamailio's Record-Route" \
  grep -q "^Record-Route: <sip:127.0.0.1:$SIP_PORT;lr>" "$logs/sipp-b2bua-to-1001.msg"
# The BYE reached the phone with Kamailio's Via on top: it was loose-routed.
check "the BYE reaches the agent's phone through Kamailio" \
  bye_came_via "$logs/sipp-reg-1001.msg" "127.0.0.1:$SIP_PORT"
expect_eq "INVITE from the B2BUA to unregistered agent 1002 gets 404" 0 \
  "$(rc_of caller b2bua-to-1002 1002 -i 127.0.0.1 -p "$B2BUA_PORT" -set expect 404)"
expect_eq "INVITE from the B2BUA to sip:1001@$SIP_REALM (the realm) is answered too" 0 \
  "$(rc_of caller b2bua-to-realm 1001 -i 127.0.0.1 -p "$B2BUA_PORT" -set domain "$SIP_REALM" -set hold_ms 200)"
expect_eq "INVITE from the B2BUA to a number at another domain gets 404 (no outbound route yet)" 0 \
  "$(rc_of caller b2bua-outbound 13800138000 -i 127.0.0.1 -p "$B2BUA_PORT" -set domain gw.example.com -set expect 404)"

wait "$agent_pid"
expect_eq "agent 1001 ran its whole scenario (register, answer, unregister)" 0 "$?"
expect_eq "unregister (Expires: 0) removes the cc_location row" 0 \
  "$(sql "SELECT COUNT(*) FROM cc_location WHERE username='1001'")"

# --- calls from the gateway to the B2BUA stand-in -----------------------------

background sipp -sf "$sipdir/agent/uas.xml" -i 127.0.0.1 -p "$B2BUA_PORT" -nostdin \
  -trace_msg -message_file "$logs/sipp-standin.msg" -trace_err -error_file "$logs/sipp-standin.err" \
  >"$logs/sipp-standin.out" 2>&1
standin_pid=$BG_PID
check "dispatcher probes the stand-in B2BUA and marks it active" eventually 20 ds_is AP

expect_eq "INVITE from the trusted gateway reaches the stand-in B2BUA" 0 \
  "$(rc_of caller gw-call 4001 -i 127.0.0.1 -set hold_ms 500)"
expect_eq "the stand-in got exactly that INVITE" 1 "$(invites_at_standin)"
check "the stand-in saw the call through Kamailio (Record-Route)" \
  grep -q "^Record-Route: <sip:127.0.0.1:$SIP_PORT;lr>" "$logs/sipp-standin.msg"

expect_eq "INVITE from an untrusted address (127.0.0.3) gets 403" 0 \
  "$(rc_of caller untrusted 4001 -i 127.0.0.3 -set expect 403)"
expect_eq "nothing from the untrusted address reached the stand-in" 1 "$(invites_at_standin)"

kill "$standin_pid" 2>/dev/null
wait "$standin_pid" 2>/dev/null
check "with the stand-in stopped, probing marks it down" eventually 20 ds_is IP
expect_eq "INVITE from the gateway with no B2BUA node up gets 503" 0 \
  "$(rc_of caller gw-no-node 4001 -i 127.0.0.1 -set expect 503)"

# --- robustness ----------------------------------------------------------------

# Random bytes, a request with broken headers, a stray response, NULs.
head -c 2000 /dev/urandom > "/dev/udp/127.0.0.1/$SIP_PORT"
printf 'INVITE sip:4001@127.0.0.1 SIP/2.0\r\nVia: nonsense\r\nFrom: <\r\n\r\n' > "/dev/udp/127.0.0.1/$SIP_PORT"
printf 'SIP/2.0 200 OK\r\nCSeq: x\r\n\r\n' > "/dev/udp/127.0.0.1/$SIP_PORT"
printf '\0\0\0\0' > "/dev/udp/127.0.0.1/$SIP_PORT"
sleep 0.5
check "after garbage Kamailio still answers OPTIONS" "$bin/cc-sipping" -t 2000 "$kam"
check "Kamailio's main process is still the one started" kill -0 "$(cat "$CC_STATE/run/kamailio.pid")"

finish
