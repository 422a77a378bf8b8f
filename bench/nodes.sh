# shellcheck shell=bash disable=SC2154,SC2034
# bench/nodes.sh: the nodes part of bench/run.sh (`bench/run.sh nodes`, run
# alone: it needs a stack of its own), sourced by it: it uses run.sh's stack,
# agents and measuring functions.
#
# Two B2BUA nodes behind Kamailio's dispatcher (round robin, OPTIONS
# probing), one database, one rtpengine, sharing every agent through their
# cc_agent rows (docs/cluster.md). On two cores the aim is correctness
# under contention, not more calls per second. Three figures:
#   1. calls/s without RTP through both nodes with every call answered
#      (steps as part 1, BENCH_NODES_RATES);
#   2. double bookings under contention: BENCH_NODES_FEW agents ready (the
#      others signed out), BENCH_NODES_FEW_RATE calls/s for a step; the
#      offers of one agent that overlap in time, from the call records
#      (cc_call_event: from an offer to its call's next offer_failed or
#      end), must be 0; and how often a node found the agent it chose taken
#      by the other;
#   3. a node lost under load: BENCH_NODES_KILL_RATE calls/s for
#      BENCH_NODES_KILL_S s, node 2 killed (kill -9) after a third and
#      started again after two thirds: the callers' failed calls, the calls
#      node 2 had at the kill, the time until Kamailio marked it inactive,
#      the calls started after that which did not end answered (must be 0),
#      the calls node 2 took after it came back, and its agents in a call
#      ready again.
#
# Knobs (environment; defaults in brackets):
#   BENCH_NODES_AGENTS [1000]      bench agents (all signed in for 1 and 3: room for 400 calls/s)
#   BENCH_NODES_RATES ["100 200 300"]  calls/s of figure 1
#   BENCH_NODES_FEW [10]           agents ready for figure 2
#   BENCH_NODES_FEW_RATE [5]       calls/s of figure 2 (their hold: BENCH_NODES_FEW_HOLD_MS [1000])
#   BENCH_NODES_KILL_RATE [50]     calls/s of figure 3
#   BENCH_NODES_KILL_S [45]        its length

NODES_AGENTS=${BENCH_NODES_AGENTS:-1000}
NODES_RATES=${BENCH_NODES_RATES-"100 200 300"}
NODES_FEW=${BENCH_NODES_FEW:-10}
NODES_FEW_RATE=${BENCH_NODES_FEW_RATE:-5}
NODES_FEW_HOLD_MS=${BENCH_NODES_FEW_HOLD_MS:-1000}
NODES_KILL_RATE=${BENCH_NODES_KILL_RATE:-50}
NODES_KILL_S=${BENCH_NODES_KILL_S:-45}

krpc() { RPCFIFOPATH=$CC_STATE/run/kamailio/kamailio_rpc.fifo timeout 10 kamctl rpc "$@" 2>/dev/null; }
# ds_flags N: Kamailio's flags for node N's address ("AP" active, "IP" inactive).
ds_flags() {
  local port; port=$(cut -d' ' -f"$1" <<<"$B2BUA_PORTS")
  krpc dispatcher.list | tr -d ' \n' | grep -o "\"URI\":\"sip:127.0.0.1:$port\",\"FLAGS\":\"[A-Z]*\"" |
    sed 's/.*FLAGS":"\([A-Z]*\)"/\1/'
}

# The calls of [t0, t1] to number whose offers of one agent overlap.
double_bookings() { # t0-ms t1-ms number
  local w="c.started_at >= FROM_UNIXTIME($1 / 1000) AND c.started_at <= FROM_UNIXTIME($2 / 1000) AND c.callee = '$3'"
  local offers="SELECT o.id, o.agent_id, o.at s, (SELECT MIN(x.at) FROM cc_call_event x
      WHERE x.call_id = o.call_id AND x.id > o.id AND x.event IN ('offer_failed', 'end')) e
    FROM cc_call_event o JOIN cc_call c ON c.id = o.call_id WHERE o.event = 'offer' AND $w"
  echo "$(sql "SELECT COUNT(*) FROM ($offers) o") $(sql "SELECT COUNT(*) FROM ($offers) a JOIN ($offers) b
    ON a.agent_id = b.agent_id AND a.id < b.id AND a.s < b.e AND b.s < a.e")"
}

taken_elsewhere() { cat "$CC_STATE"/log/b2bua-*.log 2>/dev/null | grep -c "is taken at another node"; }

nodes_few() {
  agents_state logged_out
  head -n "$NODES_FEW" "$out/agent-ids" > "$out/agent-ids-few"
  ctlq state ready < "$out/agent-ids-few" >/dev/null || die "agents not set ready"
  local r=0
  for _ in $(seq 1 50); do
    r=$(ctlq ready-count 2>/dev/null || echo 0)
    [ "$r" -ge "$NODES_FEW" ] && break
    sleep 0.2
  done
  local t0 t1 lost0 lost1 db
  lost0=$(taken_elsewhere); t0=$(now_ms)
  HOLD_MS=$NODES_FEW_HOLD_MS STEPS_FILE=$out/nodes-steps.txt \
    calls_step nodes-few 4003 nortp "$NODES_FEW_RATE" 1 || say "nodes: the contended step failed"
  t1=$(now_ms); lost1=$(taken_elsewhere)
  db=$(double_bookings "$t0" "$t1" 4003)
  echo "few=$NODES_FEW rate=$NODES_FEW_RATE hold_ms=$NODES_FEW_HOLD_MS offers=${db% *} double_bookings=${db#* } taken_elsewhere=$((lost1 - lost0))" \
    > "$out/nodes-few.txt"
  say "nodes: $NODES_FEW agents, $NODES_FEW_RATE calls/s: offers ${db% *}, double bookings ${db#* }, reservations refused $((lost1 - lost0))"
  agents_state ready
}

nodes_kill() {
  local n=$(( NODES_KILL_RATE * NODES_KILL_S )) dir=$out/nodes-kill
  mkdir -p "$dir"
  wait_calls_gone 60 || true
  local t0; t0=$(now_ms)
  say "nodes: $NODES_KILL_RATE calls/s for ${NODES_KILL_S}s; node 2 killed after $((NODES_KILL_S / 3))s"
  timeout $((NODES_KILL_S + HOLD_MS / 1000 + 120)) sipp "127.0.0.1:$SIP_PORT" -sf "$benchdir/sip/gateway-uac-nortp.xml" \
    -i 127.0.0.1 -p "$GW_PORT" -mp "$GW_MP" -s 4003 -nostdin -r "$NODES_KILL_RATE" -m "$n" \
    -l $((NODES_KILL_RATE * 40)) -set hold_ms "$HOLD_MS" -trace_stat -stf "$dir/gw.csv" -fd 1 \
    -trace_err -error_file "$dir/gw.err" >"$dir/gw.out" 2>&1 &
  GW_PIDS=$!; track $GW_PIDS
  sleep $((NODES_KILL_S / 3))
  local pid2 tk tin="" tback="" up2
  pid2=$(svc_pid b2bua-2)
  up2=$(sql "SELECT COUNT(*) FROM cc_call WHERE node = 'node2' AND started_at >= FROM_UNIXTIME($t0 / 1000) AND ended_at IS NULL")
  tk=$(now_ms); kill -9 "$pid2"
  for _ in $(seq 1 300); do
    [ "$(ds_flags 2)" = IP ] && { tin=$(now_ms); break; }
    sleep 0.1
  done
  sleep $((NODES_KILL_S / 3))
  stack start-node 2 >>"$out/stack-start.log" 2>&1 || say "nodes: node 2 did not start again"
  local tstart; tstart=$(now_ms)
  for _ in $(seq 1 300); do
    [ "$(ds_flags 2)" = AP ] && { tback=$(now_ms); break; }
    sleep 0.1
  done
  wait "$GW_PIDS"; GW_PIDS=
  wait_records "$t0" 60 || say "nodes: call records still open after 60 s"
  local att fail after_bad back freed w="callee = '4003' AND started_at >= FROM_UNIXTIME($t0 / 1000)"
  att=$(stat_last "$dir/gw.csv" 'OutgoingCall(C)')
  fail=$(stat_last "$dir/gw.csv" 'FailedCall(C)')
  after_bad=$(sql "SELECT COUNT(*) FROM cc_call WHERE $w AND started_at >= FROM_UNIXTIME(${tin:-$tk} / 1000) AND COALESCE(result, '') <> 'answered'")
  back=$(sql "SELECT COUNT(*) FROM cc_call WHERE $w AND node = 'node2' AND started_at >= FROM_UNIXTIME($tstart / 1000)")
  freed=$(sql "SELECT COUNT(*) FROM cc_agent_state_log WHERE reason = 'node lost' AND at >= FROM_UNIXTIME($tk / 1000)")
  local first_free
  first_free=$(sql "SELECT IFNULL(ROUND(TIMESTAMPDIFF(MICROSECOND, FROM_UNIXTIME($tk / 1000), MIN(at)) / 1000), '-') FROM cc_agent_state_log WHERE reason = 'node lost' AND at >= FROM_UNIXTIME($tk / 1000)")
  echo "rate=$NODES_KILL_RATE secs=$NODES_KILL_S attempted=$att failed=$fail node2_calls_at_kill=$up2 inactive_ms=$(( ${tin:-0} > 0 ? tin - tk : -1 )) not_answered_after_inactive=$after_bad node2_back_ms=$(( ${tback:-0} > 0 ? tback - tstart : -1 )) node2_calls_after_back=$back agents_freed=$freed agents_freed_ms=$first_free" \
    > "$out/nodes-kill.txt"
  say "nodes: $(cat "$out/nodes-kill.txt")"
}

part_nodes() {
  : > "$out/nodes-steps.txt"
  [ -n "${IDLE_B2BUA_PPM:-}" ] || IDLE_B2BUA_PPM=0
  agents_up nortp
  agents_state ready
  local rate
  for rate in $NODES_RATES; do
    STEPS_FILE=$out/nodes-steps.txt calls_step nodes 4003 nortp "$rate" 1 || { say "nodes: fails at $rate/s"; break; }
    sleep 3
  done
  nodes_few
  nodes_kill
}

report_nodes() {
  local few kill best=0 l
  few=$(cat "$out/nodes-few.txt" 2>/dev/null)
  kill=$(cat "$out/nodes-kill.txt" 2>/dev/null)
  while read -r l; do
    [ "$(kv "$l" pass)" = 1 ] && [ "$(kv "$l" rate)" -gt "$best" ] && best=$(kv "$l" rate)
  done < <(grep '^series=nodes ' "$out/nodes-steps.txt" 2>/dev/null)
  cat <<EOF
## 13. Two B2BUA nodes

\`bench/run.sh nodes\` (alone: a stack of its own, \`CC_B2BUA_NODES=2\`): two
B2BUA nodes behind Kamailio's dispatcher (round robin, OPTIONS probing), one
MariaDB, one rtpengine, $NODES_AGENTS bench agents shared through their
\`cc_agent\` rows (docs/cluster.md). On two cores the aim is correctness under
contention, not more calls per second.

**Calls per second with every call answered** (no RTP, to 4003, as part 1):
**$best calls/s** (steps: $NODES_RATES).

| rate | achieved | answered | B2BUA ms/call (both nodes) | MariaDB ms/call | setup p99 (ms) |
| --- | --- | --- | --- | --- | --- |
$(grep '^series=nodes ' "$out/nodes-steps.txt" 2>/dev/null | while read -r l; do
  echo "| $(kv "$l" rate) | $(kv "$l" achieved) | $(kv "$l" answered) of $(kv "$l" attempted) | $(awk -v u="$(kv "$l" us_b2bua)" 'BEGIN { printf "%.2f", u / 1000 }') | $(awk -v u="$(kv "$l" us_mariadb)" 'BEGIN { printf "%.2f", u / 1000 }') | $(kv "$l" setup_p99) |"
done)

**Contention**: $(kv "$few" few) agents ready, $(kv "$few" rate) calls/s
held $(kv "$few" hold_ms) ms: $(kv "$few" offers) offers, **$(kv "$few" double_bookings) double
bookings** (offers of one agent overlapping in time, from \`cc_call_event\`);
a node found the agent it chose taken by the other node $(kv "$few" taken_elsewhere) times
(the call then went to the next agent).

**A node lost under load**: $(kv "$kill" rate) calls/s for $(kv "$kill" secs) s, node 2
killed (\`kill -9\`) after a third, started again after two thirds.

| | |
| --- | --- |
| calls placed / failed at the caller | $(kv "$kill" attempted) / $(kv "$kill" failed) |
| node 2's calls up at the kill (lost with it) | $(kv "$kill" node2_calls_at_kill) |
| Kamailio marked node 2 inactive after | $(kv "$kill" inactive_ms) ms |
| calls started after that, not answered | **$(kv "$kill" not_answered_after_inactive)** |
| node 2's agents in a call ready again | $(kv "$kill" agents_freed), $(kv "$kill" agents_freed_ms) ms after the kill |
| node 2 active again after its start | $(kv "$kill" node2_back_ms) ms; it took $(kv "$kill" node2_calls_after_back) calls after |

What more machines would give: every component's CPU per call is in
part 2. The B2BUA is the one that splits across nodes; MariaDB,
Kamailio and rtpengine each take about as much per call as the B2BUA, and
each scales on its own (Galera nodes for the database, more Kamailio
children or instances behind DNS, one rtpengine per media host:
docs/galera.md, docs/rtpengines.md). With each on its own cores, the two
nodes' ceiling is the sum of each node's part-1 rate, less the shared
view's cost (a read of changed agents every 250 ms per node, and one
database round trip before each phone rings): the B2BUA and MariaDB
figures above, both nodes together, against part 2's one node at the same
rate.
EOF
}

nodes_glance() {
  local few kill
  few=$(cat "$out/nodes-few.txt" 2>/dev/null)
  kill=$(cat "$out/nodes-kill.txt" 2>/dev/null)
  [ -n "$few$kill" ] || return 0
  echo "| two nodes: double bookings under contention / calls not answered after a killed node was marked inactive | $(kv "$few" double_bookings) / $(kv "$kill" not_answered_after_inactive) | 0 / 0 |"
}

update_nodes_report() { update_part_report nodes; }
