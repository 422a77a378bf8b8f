#!/usr/bin/env bash
# The pacing simulator (build/bin/pacing-sim, bench/pacing_sim.c) on its
# short scenario: one simulated hour of the standard scenario (20 agents,
# 30 % answer, 3-minute talk). Simulated time and a fixed seed: the figures
# are the same on every run, whatever the machine's load.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
n=0 bad=0
ok() { n=$((n + 1)); echo "ok - $*"; }
not_ok() { n=$((n + 1)); bad=$((bad + 1)); echo "not ok - $*"; }

sim=build/bin/pacing-sim
if ! out=$("$sim" --short 2>&1); then
  not_ok "pacing-sim --short runs"
  printf '%s\n' "$out" | sed 's/^/#   /'
  echo "1..$n"; exit 1
fi
ok "pacing-sim --short runs"

row() { printf '%s\n' "$out" | grep "mode=\"$1\"" | head -n 1; }
kv() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
pred=$(row predictive) prog=$(row progressive) r15=$(row "ratio 1.50") r30=$(row "ratio 3.00")
if [ -z "$pred" ] || [ -z "$prog" ] || [ -z "$r15" ] || [ -z "$r30" ]; then
  not_ok "pacing-sim prints a line per mode"
  printf '%s\n' "$out" | sed 's/^/#   /'
  echo "1..$n"; exit 1
fi
ok "pacing-sim prints a line per mode"

ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }

a=$(kv "$pred" abandon_pct)
if ge 3 "$a"; then ok "predictive abandons at most 3 % of live answers ($a %)"
else not_ok "predictive abandons at most 3 % of live answers ($a %)"; fi

t=$(kv "$pred" talk_min_per_agent_h) tp=$(kv "$prog" talk_min_per_agent_h)
if ge "$t" "$tp" && ! ge "$tp" "$t"; then ok "predictive talks more per agent-hour than progressive ($t against $tp min)"
else not_ok "predictive talks more per agent-hour than progressive ($t against $tp min)"; fi

# Ratio mode: calls not yet with an agent stay within free agents x ratio,
# so all calls stay within the 20 agents x ratio (and the task's maximum).
for pair in "ratio 1.50:30" "ratio 3.00:60" "progressive:20"; do
  mode=${pair%:*} cap=${pair##*:}
  l=$(row "$mode")
  m=$(kv "$l" max_up) mc=$(kv "$l" max_concurrency)
  if ge "$cap" "$m" && ge "$mc" "$m"; then ok "$mode: at most $cap calls up at once ($m)"
  else not_ok "$mode: at most $cap calls up at once ($m)"; fi
done

if [ "$("$sim" --short 2>&1)" = "$out" ]; then ok "pacing-sim gives the same figures twice"
else not_ok "pacing-sim gives the same figures twice"; fi

echo "1..$n"
[ "$bad" -eq 0 ]
