#!/usr/bin/env bash
# Losing a B2BUA node with calls up (docs/cluster.md, docs/nodes.md): two
# nodes behind Kamailio's dispatcher share the demo's three agents. Node 2
# is killed (kill -9) with a call bridged on each node: the call on node 1
# goes on and ends as usual; node 2's is lost with it; the agent node 2 had
# on that call is ready again within 10 s at node 1; once Kamailio's probes
# mark node 2 inactive every new call is answered at node 1; node 2 started
# again closes the record it left open, is marked active and takes calls.
. "$(dirname "$0")/lib.sh"

export CC_B2BUA_NODES=2
stack_start
read -r _ CTL2_PORT <<<"$CTL_PORTS"
CTL2=127.0.0.1:$CTL2_PORT
ctl2() { CTL_ADDR=$CTL2 ctl "$@"; }
up2() { ctl2 ping | jqe '.ready == true' >/dev/null; }
check "node 2 is up" eventually 30 up2
krpc() { RPCFIFOPATH=$CC_STATE/run/kamailio/kamailio_rpc.fifo timeout 10 kamctl rpc "$@" 2>/dev/null; }
read -r _ SIP2 <<<"$B2BUA_PORTS"
ds_flags2() { krpc dispatcher.list | tr -d ' \n' | grep -o "\"URI\":\"sip:127.0.0.1:$SIP2\",\"FLAGS\":\"[A-Z]*\"" | sed 's/.*FLAGS":"\([A-Z]*\)"/\1/'; }
ds2_is() { [ "$(ds_flags2)" = "$1" ]; }
check "Kamailio has node 2 active" eventually 30 ds2_is AP
shared() { grep -q "other nodes are alive" "$logs/b2bua-1.log" && grep -q "other nodes are alive" "$logs/b2bua-2.log"; }
check "each node sees the other" eventually 20 shared

# The agents answer after 300 ms and stay on the call until the caller
# hangs up (or for 60 s).
three_agents 30 60 "-set answer_ms 300 -set hangup_ms 60000" "-set answer_ms 300 -set hangup_ms 60000" \
  "-set answer_ms 300 -set hangup_ms 60000"
t=$(ctl2 reload | jq -r .ticket)
loaded2() { [ "$(ctl2 ping | jq .dir_loaded)" -ge "$t" ]; }
check "node 2 reloads its directory" eventually 20 loaded2
for a in "$A1" "$A2" "$A3"; do set_state "$a" ready; done
all_ready2() { for a in "$A1" "$A2" "$A3"; do [ "$(ctl2 agent.get agent="$a" | jq -r '.agent.state + " " + (.agent.registered | tostring)')" = "ready true" ] || return 1; done; }
check "node 2 sees the three agents ready with their phones" eventually 20 all_ready2

# --- a call on each node ------------------------------------------------------------
# Kamailio's round robin alternates; callers are placed until one is up on
# each node.
talking_on() { [ "$(sql "SELECT COUNT(*) FROM cc_call WHERE node = '$1' AND answered_at IS NOT NULL AND ended_at IS NULL")" -ge 1 ]; }
declare -A cpid
for i in 1 2 3; do
  background caller "k$i" "$NUMBER" -set caller "1380013800$i" -set until_notify 1
  cpid[$i]=$BG_PID
  up() { [ "$(sql "SELECT COUNT(*) FROM cc_call WHERE caller = '1380013800$i' AND answered_at IS NOT NULL")" = 1 ]; }
  check "caller $i is answered by an agent" eventually 30 up
  talking_on node1 && talking_on node2 && break
done
check "a call is up on each node" eval 'talking_on node1 && talking_on node2'
call1=$(sql "SELECT id FROM cc_call WHERE node = 'node1' AND caller LIKE '1380013800%' AND ended_at IS NULL LIMIT 1")
call2=$(sql "SELECT id FROM cc_call WHERE node = 'node2' AND caller LIKE '1380013800%' AND ended_at IS NULL LIMIT 1")
agent2=$(col "$call2" agent_id)
caller1=$(col "$call1" caller); caller2=$(col "$call2" caller)

# --- node 2 dies --------------------------------------------------------------------
kill -9 "$(cat "$CC_STATE/run/b2bua-2.pid")"
killed=$(date +%s%3N)
freed() { [ "$(CTL_ADDR=$CTL_ADDR ctl agent.get agent="$agent2" | jq -r .agent.state)" = ready ]; }
check "node 2's agent is ready again at node 1" eventually 20 freed
took=$(( $(date +%s%3N) - killed ))
check "within 10 s of the kill (${took} ms)" test "$took" -lt 10000
expect_eq "its state log says why" "node lost" \
  "$(sql "SELECT reason FROM cc_agent_state_log WHERE agent_id = '$agent2' ORDER BY id DESC LIMIT 1")"
check "Kamailio marks node 2 inactive" eventually 30 ds2_is IP

# The call on node 1 goes on: its caller hangs up and the record closes as
# answered, hung up by the caller.
for i in "${!cpid[@]}"; do
  if [ "1380013800$i" = "$caller1" ]; then hang_up "k$i" "${cpid[$i]}"; fi
done
ended1() { call_final "$call1"; }
check "node 1's call ends as usual" eventually 20 ended1
expect_eq "... answered, hung up by the caller" "answered caller" \
  "$(sql "SELECT CONCAT(result, ' ', hangup_side) FROM cc_call WHERE id = '$call1'")"
expect_eq "node 2's call is still open in its record (node 2 is gone)" "" "$(col "$call2" 'IFNULL(ended_at, "")')"

# --- new calls, node 2 down: each answered at node 1 ---------------------------------
for i in 1 2 3 4; do
  caller "n$i" "$NUMBER" -set caller "1390013900$i" -set hold_ms 1000
  c=$(last_call "1390013900$i")
  expect_eq "call $i after the kill: answered at node 1" "answered node1" \
    "$(sql "SELECT CONCAT(result, ' ', node) FROM cc_call WHERE id = '$c'")"
done

# --- node 2 comes back ------------------------------------------------------------------
check "node 2 starts again" "$top/scripts/stack.sh" start-node 2
check "node 2 is up again" eventually 30 up2
closed2() { [ -n "$(col "$call2" 'IFNULL(ended_at, "")')" ]; }
check "node 2 closes the record its last run left open" eventually 20 closed2
expect_eq "... as ended by the system, the node restarted" "system node restarted" \
  "$(sql "SELECT CONCAT(hangup_side, ' ', cause) FROM cc_call WHERE id = '$call2'")"
check "Kamailio marks node 2 active again" eventually 30 ds2_is AP
for i in "${!cpid[@]}"; do
  [ "1380013800$i" = "$caller1" ] || { tell "k$i"; wait "${cpid[$i]}" 2>/dev/null; }
done
back=0
for i in 1 2 3 4 5 6; do
  caller "b$i" "$NUMBER" -set caller "1370013700$i" -set hold_ms 3000
  [ "$(sql "SELECT CONCAT(result, ' ', node) FROM cc_call WHERE id = '$(last_call "1370013700$i")'")" = "answered node2" ] && back=$((back + 1))
done
check "node 2 answers calls again ($back of 6)" test "$back" -ge 1
diag "node 2's caller was $caller2; its agent $agent2 ready again after ${took} ms"

finish
