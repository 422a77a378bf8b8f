# shellcheck shell=bash disable=SC2154,SC2034
# bench/agents.sh: the agents part of bench/run.sh (`bench/run.sh agents`, run
# alone: a stack seeded with many agents), sourced by it: it uses run.sh's
# stack, agents and measuring functions.
#
# Does a call cost more when more agents are signed in? The stack is seeded
# with BENCH_AGENTS_MANY agents, all members of the queue of 4003. First
# BENCH_AGENTS_FEW of them register and sign in (the others stay signed
# out), then all of them; each time the B2BUA's idle CPU is measured (the
# registration poll reads every registered agent each second) and the same
# step as part 1 (4003, no RTP, BENCH_AGENTS_RATE calls/s for BENCH_STEP_S
# s) runs BENCH_REPEAT times. The figure is each component's CPU per
# answered call, and the B2BUA's net of its idle CPU: it should not grow
# with the agents.
#
# Knobs (environment; defaults in brackets):
#   BENCH_AGENTS_FEW [2000]     agents signed in first
#   BENCH_AGENTS_MANY [10000]   agents seeded, all signed in second
#   BENCH_AGENTS_RATE [200]     calls/s of each step

AGENTS_FEW=${BENCH_AGENTS_FEW:-2000}
AGENTS_MANY=${BENCH_AGENTS_MANY:-10000}
AGENTS_RATE=${BENCH_AGENTS_RATE:-200}

# Waits until n agents are ready and registered and the B2BUA's database
# queue is empty (signing in thousands of agents is thousands of writes,
# which would count as idle CPU).
agents_settled() { # n
  local r=0 w=1
  for _ in $(seq 1 300); do
    r=$(ctlq ready-count 2>/dev/null || echo 0)
    w=$(ctlq db-waiting 2>/dev/null || echo 1)
    [ "$r" -ge "$1" ] && [ "$w" = 0 ] && return 0
    sleep 0.2
  done
  die "agents: $r of $1 agents ready, $w database writes waiting"
}

part_agents() {
  : > "$out/agents-steps.txt"
  : > "$out/agents-idle.txt"
  cp "$out/agent-ids" "$out/agent-ids-all"
  local n run seeded=$AGENTS
  for n in $AGENTS_FEW $AGENTS_MANY; do
    [ "$n" -le "$seeded" ] || die "agents: $n agents asked, $seeded seeded"
    agents_down
    AGENTS=$n
    head -n "$n" "$out/agent-ids-all" > "$out/agent-ids"
    agents_up nortp
    agents_state ready
    agents_settled "$n"
    b2bua_idle
    echo "agents=$n $(cat "$out/idle.txt")" >> "$out/agents-idle.txt"
    for run in $(seq 1 "$REPEAT"); do
      STEPS_FILE=$out/agents-steps.txt calls_step "agents-$n" 4003 nortp "$AGENTS_RATE" 1 "$run" ||
        say "agents: $n agents, run $run failed"
      sleep 3
    done
  done
  AGENTS=$seeded
  cp "$out/agent-ids-all" "$out/agent-ids"
}

# One agent count's medians (runs_median over agents-steps.txt).
agents_median() { # n
  RUNS_FILE=$out/agents-steps.txt runs_median "agents-$1" "$AGENTS_RATE" \
    b2bua_us_per_call b2bua_net_us_per_call us_mariadb us_kamailio us_rtpengine us_web setup_p99
}
agents_idle() { # n -> the B2BUA's idle µs of CPU per second with n agents
  sed -n "s/^agents=$1 .*b2bua_idle_us_per_s=\([0-9]*\).*/\1/p" "$out/agents-idle.txt" 2>/dev/null
}

report_agents() {
  [ -s "$out/agents-steps.txt" ] || return 0
  local n m
  cat <<END
## 14. CPU per call and the number of agents signed in

\`bench/run.sh agents\` (alone: a stack of its own seeded with $AGENTS_MANY agents,
all in the queue of 4003): first $AGENTS_FEW of them registered and signed in
(the others signed out), then all $AGENTS_MANY. Each time the B2BUA's idle CPU
is measured for 10 s, then the step of part 1 (4003, no RTP, $AGENTS_RATE calls/s
for ${STEP_S} s, agents ringing ${ANSWER_MS} ms, callers hanging up ${HOLD_MS} ms
after the answer) runs ${REPEAT} times. Figures: the median of the runs that
passed, the lowest and highest in brackets; CPU per answered call in µs as
in part 2 ("net": the B2BUA's, less its idle CPU over the step).

| agents signed in | B2BUA idle (µs of CPU per s) | runs passed | B2BUA | B2BUA net of idle | MariaDB | Kamailio | rtpengine | cc-web | setup p99 (ms) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
END
  for n in $AGENTS_FEW $AGENTS_MANY; do
    m=$(agents_median "$n")
    echo "| $n | $(agents_idle "$n") | $(kv "$m" runs) of $(grep -c "^series=agents-$n " "$out/agents-steps.txt") | $(med_fmt "$m" b2bua_us_per_call) | $(med_fmt "$m" b2bua_net_us_per_call) | $(med_fmt "$m" us_mariadb) | $(med_fmt "$m" us_kamailio) | $(med_fmt "$m" us_rtpengine) | $(med_fmt "$m" us_web) | $(med_fmt "$m" setup_p99) |"
  done
  cat <<END

The idle CPU grows with the agents: each second the registration poll reads
every registered agent's row, and the B2BUA looks each one up. What a call
costs does not depend on how many agents wait: the queue picks from its
availability index (docs/queues.md) and nothing on a call's path walks the
agents.

Every step (\`agents-steps.txt\`):

\`\`\`
$(cat "$out/agents-steps.txt")
\`\`\`

END
}

agents_glance() {
  [ -s "$out/agents-steps.txt" ] || return 0
  local a b x y
  a=$(agents_median "$AGENTS_FEW"); b=$(agents_median "$AGENTS_MANY")
  x=$(kv "$a" b2bua_net_us_per_call); y=$(kv "$b" b2bua_net_us_per_call)
  echo "| signed-in agents: CPU per call with $AGENTS_FEW against $AGENTS_MANY agents signed in (stack, $AGENTS_RATE calls/s, no RTP; medians) | B2BUA net of idle $(med_fmt "$a" b2bua_net_us_per_call) against $(med_fmt "$b" b2bua_net_us_per_call) µs ($(ratio "${y%%:*}" "${x%%:*}")); MariaDB $(med_fmt "$a" us_mariadb) against $(med_fmt "$b" us_mariadb) µs | not growing with the agents |"
}

update_agents_report() { update_part_report agents; }
