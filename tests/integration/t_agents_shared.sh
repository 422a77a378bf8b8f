#!/usr/bin/env bash
# Several B2BUA nodes, one view of every agent (docs/cluster.md): a second
# node, started here beside the stack's, says it is alive in cc_node; what
# an agent does at one node reaches the other through the agent's row
# (cc_agent.ver); a request sent to the node that does not hold the agent
# is answered "elsewhere" with the node that does; the agent's row is only
# ever replaced by a newer change; and when a node dies, the agents it held
# in a call are ready again at the other within node_dead_s and a sync.
. "$(dirname "$0")/lib.sh"

stack_start
CTL1=$CTL_ADDR

# --- a second node --------------------------------------------------------------
SIP2=$(free_port); CTL2_PORT=$(free_port); DTMF2=$(free_port)
CTL2=127.0.0.1:$CTL2_PORT
conf2=$CC_STATE/etc/b2bua-t2.conf
sed -e "s/^node_id = .*/node_id = nodeT2/" \
    -e "s/^sip_listen = .*/sip_listen = 127.0.0.1:$SIP2/" \
    -e "s/^ctl_listen = .*/ctl_listen = $CTL2/" \
    -e "s/^dtmf_listen = .*/dtmf_listen = 127.0.0.1:$DTMF2/" \
    "$CC_STATE/etc/b2bua-1.conf" > "$conf2"
chmod 600 "$conf2"
"$bin/cc-b2bua" -c "$conf2" > "$logs/b2bua-t2.log" 2>&1 &
node2=$!
on_exit "kill $node2 2>/dev/null; wait $node2 2>/dev/null"
ctl2() { CTL_ADDR=$CTL2 ctl "$@"; }
up2() { ctl2 ping | jqe '.ready == true' >/dev/null; }
check "the second node starts" eventually 30 up2

both_alive() { [ "$(sql "SELECT COUNT(*) FROM cc_node WHERE name IN ('node1', 'nodeT2') AND seen_at > NOW(3) - INTERVAL 3 SECOND")" = 2 ]; }
check "both nodes say they are alive in cc_node" eventually 20 both_alive

# --- one agent, seen from both ------------------------------------------------------
state_at() { CTL_ADDR=$1 ctl agent.get agent="$2" | jq -r .agent.state; }
state_at_is() { [ "$(state_at "$1" "$2")" = "$3" ]; }
ver_at() { CTL_ADDR=$1 ctl agent.get agent="$2" | jq -r .agent.ver; }

# Shared mode is on once each node has seen the other (one heartbeat).
shared_log() { grep -q "other nodes are alive" "$logs/b2bua-1.log" && grep -q "other nodes are alive" "$logs/b2bua-t2.log"; }
check "each node sees the other alive" eventually 20 shared_log

r=$(ctl agent.state agent="$A1" state=ready)
expect_eq "agent 1 signs in at node 1" ready "$(jq -r .agent.state <<<"$r")"
check "node 2 sees agent 1 ready" eventually 10 state_at_is "$CTL2" "$A1" ready
v1=$(ver_at "$CTL1" "$A1"); v2=$(ver_at "$CTL2" "$A1")
expect_eq "both nodes know the same version of agent 1" "$v1" "$v2"
expect_eq "the row says node1 holds agent 1" node1 "$(sql "SELECT node FROM cc_agent WHERE user_id = '$A1'")"

r=$(ctl2 agent.state agent="$A1" state=not_ready reason=lunch)
expect_eq "a request at node 2 for an agent not in a call is applied there" not_ready \
  "$(jq -r .agent.state <<<"$r")"
check "node 1 sees the break" eventually 10 state_at_is "$CTL1" "$A1" not_ready
expect_eq "... with its reason" lunch "$(CTL_ADDR=$CTL1 ctl agent.get agent="$A1" | jq -r .agent.reason)"
expect_eq "the row says nodeT2 holds agent 1 now" nodeT2 "$(sql "SELECT node FROM cc_agent WHERE user_id = '$A1'")"

# Agent 1 on a call at node 1, as its row says (what node 1 writes when
# its phone answers): node 2 sends requests for it to node 1.
sql "UPDATE cc_agent SET state = 'on_call', node = 'node1', ver = ver + 1 WHERE user_id = '$A1'"
check "node 2 follows the row: agent 1 on a call" eventually 10 state_at_is "$CTL2" "$A1" on_call
r=$(ctl2 agent.state agent="$A1" state=not_ready reason=lunch)
expect_eq "a request at node 2 for node 1's agent in a call: elsewhere" elsewhere "$(jq -r .error <<<"$r")"
expect_eq "... naming node 1" node1 "$(jq -r .node <<<"$r")"
r=$(ctl agent.state agent="$A1" state=ready)
expect_eq "node 1 applies it" ready "$(jq -r .agent.state <<<"$r")"
check "node 2 sees agent 1 ready again" eventually 10 state_at_is "$CTL2" "$A1" ready
expect_eq "both nodes know the same version again" "$(ver_at "$CTL1" "$A1")" "$(ver_at "$CTL2" "$A1")"

# --- two nodes, two agents, a dozen callers at once: nobody rung twice ------------
# Node 2 joins Kamailio's dispatcher (calls alternate between the nodes);
# both agents' phones answer after 300 ms and hang up 1.5 s later; every
# caller waits for that.
echo "1 sip:127.0.0.1:$SIP2 0 0 node=2" >> "$CC_STATE/etc/dispatcher.list"
krpc() { RPCFIFOPATH=$CC_STATE/run/kamailio/kamailio_rpc.fifo timeout 10 kamctl rpc "$@"; }
krpc dispatcher.reload > /dev/null
two_uris() { [ "$(krpc dispatcher.list | grep -c '"URI"')" = 2 ]; }
check "Kamailio's dispatcher has both nodes" eventually 20 two_uris
sql "UPDATE cc_skill_group SET ring_timeout_s = 30, max_wait_s = 90, wrapup_s = 0, no_answer_break = 0"
sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/welcome.wav" synth 0.3 sine 440 2>/dev/null
check "node 1 reloads its directory" reload_dir
t2=$(ctl2 reload | jq -r .ticket)
loaded2() { [ "$(ctl2 ping | jq .dir_loaded)" -ge "$t2" ]; }
check "node 2 reloads its directory" eventually 20 loaded2
phone a1 1 -set answer_ms 300 -set hangup_ms 1500
phone a2 2 -set answer_ms 300 -set hangup_ms 1500
both_registered() { [ "$(CTL_ADDR=$CTL2 ctl agent.get agent="$A1" | jq -r .agent.registered)" = true ] &&
  [ "$(CTL_ADDR=$CTL2 ctl agent.get agent="$A2" | jq -r .agent.registered)" = true ] &&
  registered "$A1" && registered "$A2"; }
check "both phones are registered, as both nodes see" eventually 30 both_registered
set_state "$A1" ready
set_state "$A2" ready
ctl agent.state agent="$A3" state=logged_out > /dev/null
two_ready() { state_at_is "$CTL2" "$A1" ready && state_at_is "$CTL2" "$A2" ready &&
  state_at_is "$CTL2" "$A3" logged_out; }
check "node 2 sees agents 1 and 2 ready, 3 signed out" eventually 10 two_ready
pids=()
for i in $(seq 10 21); do
  caller "m$i" "$NUMBER" -set caller "137001370$i" -set wait_bye 1 &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
expect_eq "every caller is answered" 0 "$failed"
tc="caller LIKE '137001370%'"
all_final() { [ "$(sql "SELECT COUNT(*) FROM cc_call WHERE $tc AND ended_at IS NOT NULL")" = 12 ]; }
check "the twelve calls are recorded" eventually 20 all_final
expect_eq "each answered by agent 1 or 2" 12 \
  "$(sql "SELECT COUNT(*) FROM cc_call WHERE $tc AND result = 'answered' AND agent_id IN ('$A1', '$A2')")"
nodes=$(sql "SELECT GROUP_CONCAT(DISTINCT node ORDER BY node) FROM cc_call WHERE $tc")
expect_eq "calls reached both nodes" "node1,nodeT2" "$nodes"
# An agent's offers, from the call records: from the offer to the call's
# next offer_failed or end. No two of one agent's may overlap.
offers="SELECT o.id, o.agent_id, o.at s, (SELECT MIN(x.at) FROM cc_call_event x
          WHERE x.call_id = o.call_id AND x.id > o.id AND x.event IN ('offer_failed', 'end')) e
        FROM cc_call_event o JOIN cc_call c ON c.id = o.call_id
        WHERE o.event = 'offer' AND c.$tc"
noffers=$(sql "SELECT COUNT(*) FROM ($offers) o")
diag "offers: $noffers for 12 calls"
check "every call was offered ($noffers offers)" test "$noffers" -ge 12
expect_eq "no agent was offered two calls at once" 0 \
  "$(sql "SELECT COUNT(*) FROM ($offers) a JOIN ($offers) b
          ON a.agent_id = b.agent_id AND a.id < b.id AND a.s < b.e AND b.s < a.e")"
lost=$(grep -c "is taken at another node" "$logs/b2bua-1.log" "$logs/b2bua-t2.log" | awk -F: '{n += $2} END {print n + 0}')
diag "reservations refused because the other node had the agent: $lost"

# --- a dead node's agents ---------------------------------------------------------
# Agent 2 is made to look as if node 2 held it in a call when node 2 dies
# (its row, as node 2 writes it when its phone answers).
settled() { state_at_is "$CTL1" "$A2" ready && state_at_is "$CTL2" "$A2" ready; }
check "after the calls both nodes see agent 2 ready" eventually 10 settled
r=$(ctl2 agent.state agent="$A2" state=not_ready reason=training)
expect_eq "node 2 applies a break for agent 2" not_ready "$(jq -r .agent.state <<<"$r")"
check "node 1 sees agent 2's break (asked at node 2)" eventually 10 state_at_is "$CTL1" "$A2" not_ready
expect_eq "the row says nodeT2 holds agent 2" nodeT2 "$(sql "SELECT node FROM cc_agent WHERE user_id = '$A2'")"
kill -9 "$node2"; wait "$node2" 2>/dev/null
sql "UPDATE cc_agent SET state = 'on_call', call_id = 'c0ffee00c0ffee00c0ffee00c0ffee00', ver = ver + 1 WHERE user_id = '$A2'"
check "node 1 follows the row: agent 2 on a call at node 2" eventually 10 state_at_is "$CTL1" "$A2" on_call
start=$(date +%s%3N)
row_ready() { [ "$(sql "SELECT CONCAT(state, '/', IFNULL(node, '-')) FROM cc_agent WHERE user_id = '$A2'")" = "ready/-" ]; }
check "the dead node's agent is ready again, held by nobody" eventually 20 row_ready
check "node 1 has agent 2 ready" eventually 10 state_at_is "$CTL1" "$A2" ready
took=$(( $(date +%s%3N) - start ))
diag "agent 2 ready again ${took} ms after the kill"
check "within 10 s of the kill" test "$took" -lt 10000
expect_eq "its state log says why" "node lost" \
  "$(sql "SELECT reason FROM cc_agent_state_log WHERE agent_id = '$A2' ORDER BY id DESC LIMIT 1")"
r=$(ctl agent.state agent="$A2" state=not_ready reason=meeting)
expect_eq "a request for it at node 1 is applied there" not_ready "$(jq -r .agent.state <<<"$r")"

finish
