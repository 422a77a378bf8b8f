#!/usr/bin/env bash
# Two B2BUA nodes behind Kamailio's dispatcher (docs/nodes.md): each with
# its own SIP, control and DTMF port and node name; calls from the gateway
# reach both; node 2 killed (kill -9): Kamailio's OPTIONS probes mark it
# inactive and every new call is answered by node 1, none fails; node 2
# started again: Kamailio marks it active and it takes calls again.
# `scripts/stack.sh status` names both nodes and their state throughout.
#
# The calls go to a number of this test's own whose IVR flow answers and
# hangs up at once (no agent, no key: DTMF reaches node 1's port only,
# where rtpengine sends it).
. "$(dirname "$0")/lib.sh"

# --- 0. fixed ports: node n's are node 1's + n - 1, and none is given twice ---------------
# (Refused before anything starts: nothing binds these ports.)
fixed=$(mktemp -d /tmp/cc-test.XXXXXX)
on_exit "CC_STATE='$fixed' '$top/scripts/stack.sh' stop >/dev/null 2>&1; rm -rf '$fixed'"
# refused ENV...: the error of a start with the fixed ports and ENV.
refused() { env -u CC_PORTS CC_STATE="$fixed" CC_QUIET=1 "$@" "$top/scripts/stack.sh" start 2>&1 && echo started; }
expect_eq "eleven nodes: node 11's SIP port is the carrier's (5070 + 10)" \
  "stack: ports that clash: 5080 (carrier and b2bua-11). Choose others (CC_B2BUA_PORT=..., CC_RTP_MIN=..., see scripts/stack.sh)" \
  "$(refused CC_B2BUA_NODES=11)"
expect_match "two nodes: node 2's control port is node 1's + 1" "8080 \(http and b2bua-2-control\)" \
  "$(refused CC_B2BUA_NODES=2 CC_CTL_PORT=8079)"
expect_match "and its DTMF port too" "2225 \(b2bua-1-control and b2bua-2-dtmf\)" \
  "$(refused CC_B2BUA_NODES=2 CC_CTL_PORT=2225)"
expect_eq "a number of nodes that is not one" \
  "stack: CC_B2BUA_NODES must be a number of nodes from 1 to 99, not 'two'" "$(refused CC_B2BUA_NODES=two)"

export CC_B2BUA_NODES=2
stack_start
read -r -a SIPS <<<"$B2BUA_PORTS"
read -r -a CTLS <<<"$CTL_PORTS"
read -r -a DTMFS <<<"$DTMF_PORTS"

# ctl_n N COMMAND...: one request on node N's control socket.
ctl_n() { local n=$1; shift; "$bin/cc-ctl" -a "127.0.0.1:${CTLS[n - 1]}" -s "$CTL_SECRET_FILE" -t 20000 "$@"; }
stack() { CC_STATE=$CC_STATE "$top/scripts/stack.sh" "$@"; }
quiet() { "$@" >/dev/null; }
# status_of N: node N's line in `scripts/stack.sh status`.
status_of() { stack status 2>&1 | grep "^b2bua-$1:"; }
# ds_flags N: Kamailio's dispatcher flags for node N (AP active, IP inactive, ...).
ds_flags() {
  RPCFIFOPATH=$CC_STATE/run/kamailio/kamailio_rpc.fifo timeout 10 kamctl rpc dispatcher.list 2>/dev/null |
    jq -r --arg u "sip:127.0.0.1:${SIPS[$1 - 1]}" '.. | objects | select(.URI? == $u) | .FLAGS'
}
ds_is() { [[ $(ds_flags "$1") == "$2"* ]]; }
# stays SECONDS COMMAND...: the command holds every time it is run over
# SECONDS (it is run every 0.3 s); false as soon as it does not.
stays() {
  local end=$(( $(date +%s) + $1 )); shift
  while [ "$(date +%s)" -lt "$end" ]; do "$@" || return 1; sleep 0.3; done
}

# --- 1. each node its own ports and name ----------------------------------------------
expect_eq "ports.env: two SIP, control and DTMF ports" "2 2 2" "${#SIPS[@]} ${#CTLS[@]} ${#DTMFS[@]}"
expect_eq "node 1's are the single ports tests use" "$B2BUA_PORT $CTL_PORT $DTMF_PORT" \
  "${SIPS[0]} ${CTLS[0]} ${DTMFS[0]}"
all_ports="$HTTP_PORT $SIP_PORT $WS_PORT $NG_PORT $DB_PORT $OUTBOUND_PORT $B2BUA_PORTS $CTL_PORTS $DTMF_PORTS"
expect_eq "no port is given twice" "" "$(tr ' ' '\n' <<<"$all_ports" | sort | uniq -d | tr '\n' ' ')"
for n in 1 2; do
  expect_eq "node $n answers ping with its own name" "node$n" "$(ctl_n "$n" ping | jq -r .node)"
  check "node $n listens for SIP on its port (${SIPS[n - 1]})" "$bin/cc-sipping" "127.0.0.1:${SIPS[n - 1]}"
  check "node $n listens for DTMF events on its port (${DTMFS[n - 1]})" \
    eval "ss -Hlnu 'sport = :${DTMFS[n - 1]}' | grep -q ."
  check "node $n's log has no error about its ports" eval "! grep -q 'cannot listen' '$logs/b2bua-$n.log'"
done
check "Kamailio's dispatcher has both nodes active" eventually 15 eval 'ds_is 1 A && ds_is 2 A'
expect_match "status: node 1 up, its ports, no calls, Kamailio active" \
  "^b2bua-1: running \(pid [0-9]+\), SIP 127.0.0.1:${SIPS[0]}, control 127.0.0.1:${CTLS[0]}, node node1: up, 0 calls, uptime [0-9]+ s; Kamailio: active$" \
  "$(status_of 1)"
expect_match "status: node 2 likewise" \
  "^b2bua-2: running \(pid [0-9]+\), SIP 127.0.0.1:${SIPS[1]}, control 127.0.0.1:${CTLS[1]}, node node2: up, 0 calls, uptime [0-9]+ s; Kamailio: active$" \
  "$(status_of 2)"
out=$(stack start-node 3 2>&1)
check "start-node refuses a node the stack does not have" test $? -ne 0
expect_eq "saying why" "stack: no B2BUA node '3': this stack has nodes 1 to 2" "$out"

# --- 2. a number no agent is needed for, on both nodes ------------------------------------
doc='<flow xmlns="urn:cc:ivr-flow:1" name="closed"><start id="start" next="bye"/>
<hangup id="bye" cause="closed"/></flow>'
sql "INSERT INTO cc_ivr_flow (id, name, draft, published_version, published_rev) VALUES (90, 'closed', '$doc', 1, 1);
     INSERT INTO cc_ivr_version (flow_id, version, document) VALUES (90, 1, '$doc');
     INSERT INTO cc_number (number, name, ivr_flow_id) VALUES ('4090', 'closed', 90)"
# reload_node N: node N reads the directory again (reload_dir for one node).
reload_node() {
  local ticket
  ticket=$(ctl_n "$1" reload | jqe .ticket) || return 1
  node_loaded() { local t; t=$(ctl_n "$1" ping | jq .dir_loaded); [[ $t =~ ^[0-9]+$ ]] && [ "$t" -ge "$2" ]; }
  eventually 20 node_loaded "$1" "$ticket"
}
check "node 1 reads the new number" reload_node 1
check "node 2 reads the new number" reload_node 2

# batch NAME COUNT: COUNT calls to 4090 one after another (callers
# 139NNNNNNNN, a number per call); $answered is how many sipp runs passed,
# $nodes the node of each call's record, in order.
seq_no=0
batch() {
  local name=$1 count=$2 i id
  answered=0 nodes=""
  for i in $(seq 1 "$count"); do
    seq_no=$((seq_no + 1))
    caller "$name$i" 4090 -i 127.0.0.1 -set caller "1390000$(printf %04d "$seq_no")" -set wait_bye 1 &&
      answered=$((answered + 1))
    id=$(call_of "$name$i")
    nodes+="${nodes:+ }$(col "${id:-none}" node)"
  done
}
# only_node NODE: every call of the last batch was on NODE.
only_node() { [ -z "$(tr ' ' '\n' <<<"$nodes" | grep -vx "$1")" ]; }
# on_node NODE: at least one call of the last batch was on NODE.
on_node() { tr ' ' '\n' <<<"$nodes" | grep -qx "$1"; }

batch two 6
expect_eq "6 calls with both nodes up: all answered (and hung up by the flow)" 6 "$answered"
diag "nodes: $nodes"
check "node1 took calls" on_node node1
check "node2 took calls" on_node node2

# --- 3. node 2 killed: Kamailio marks it inactive, node 1 takes every call --------------
pid2=$(svc_pid b2bua-2)
killed=$(date +%s)
check "node 2 is killed (kill -9 of its pid $pid2)" kill -9 "$pid2"
check "and is gone" eventually 10 gone "$pid2"
# Calls placed before the probes find it, while this waits for them: one
# sent to node 2 gets no answer; after tm's fr_timer (5 s) Kamailio marks
# it down and sends the call on to node 1 (failure_route[B2BUA_FAILOVER]).
setup_out=$CC_STATE/setup-batch
background eval 't0=$(date +%s); batch setup 2; echo "$answered $(($(date +%s) - t0)) $nodes" > "$setup_out"'
setup_pid=$BG_PID
# A probe every DS_PING_INTERVAL (3 s), given DS_PING_TIMEOUT_MS (2 s):
# at most 5 s, 10 s with a margin for a loaded machine.
check "Kamailio marks node 2 inactive within 10 s of the kill" eventually $((killed + 10 - $(date +%s))) ds_is 2 I
diag "seen inactive $(($(date +%s) - killed)) s after the kill"
wait "$setup_pid"
seq_no=$((seq_no + 2))
read -r answered took nodes < "$setup_out" 2>/dev/null
diag "the 2 calls placed right after the kill took ${took:-?} s"
expect_eq "2 calls placed right after the kill: both answered" 2 "${answered:-0}"
check "both by node1 (${nodes:-none})" only_node node1
expect_match "status: node 2 stopped, down, Kamailio inactive" \
  "^b2bua-2: stopped, SIP 127.0.0.1:${SIPS[1]}, control 127.0.0.1:${CTLS[1]}, node node2: down; Kamailio: inactive$" \
  "$(status_of 2)"
expect_match "status: node 1 still up and active" "^b2bua-1: running .* node node1: up, .*; Kamailio: active$" \
  "$(status_of 1)"
t0=$(date +%s)
batch one 8
expect_eq "8 calls with node 2 down: every one answered" 8 "$answered"
check "every one by node1 ($nodes)" only_node node1
check "without waiting for a dead node (8 calls within 40 s)" test $(($(date +%s) - t0)) -lt 40

# --- 4. node 2 started again: active again, takes calls again ---------------------------
check "start-node 2 starts it again" quiet stack start-node 2
expect_eq "node 2 answers ping as node2" node2 "$(ctl_n 2 ping | jq -r .node)"
check "Kamailio marks node 2 active again (a probe interval, 10 s with a margin)" eventually 10 ds_is 2 A
# A probe sent while it was dead must not fail after it is back (probes
# given longer than their interval overlapped and did).
check "and keeps it active (two probe intervals)" stays 6 ds_is 2 A
expect_match "status: node 2 running, up, Kamailio active" \
  "^b2bua-2: running \(pid [0-9]+\), SIP 127.0.0.1:${SIPS[1]}, control 127.0.0.1:${CTLS[1]}, node node2: up, 0 calls, uptime [0-9]+ s; Kamailio: active$" \
  "$(status_of 2)"
batch back 6
expect_eq "6 calls with both nodes up again: all answered" 6 "$answered"
diag "nodes: $nodes"
check "node2 takes calls again" on_node node2
check "node1 too" on_node node1

# --- 5. one node restarted by name; stop-node -----------------------------------------------
pid1=$(svc_pid b2bua-1) pid2=$(svc_pid b2bua-2)
check "restart b2bua-2 restarts node 2 alone" quiet stack restart b2bua-2
check "with a new pid" test "$(svc_pid b2bua-2)" != "$pid2"
check "node 1 was left alone" test "$(svc_pid b2bua-1)" = "$pid1" -a -d "/proc/$pid1"
check "stop-node 2 stops it" quiet stack stop-node 2
check "status says so" eval '[[ $(status_of 2) == "b2bua-2: stopped,"* ]]'
check "start-node 2 starts it" quiet stack start-node 2
check "and it answers" eval '[ "$(ctl_n 2 ping | jq -r .node)" = node2 ]'

finish
