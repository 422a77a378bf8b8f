#!/usr/bin/env bash
# The ACD's micro-benchmark (build/bin/acd-bench, bench/acd_bench.c) on its
# short run: 2,000 agents, 1,000 calls waiting. It checks that the index and
# the scan it replaced choose the same agent on every state it times; the
# figures themselves depend on the machine's load and are not checked here
# (bench/run.sh acd writes them to BENCHMARKS.md).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
n=0 bad=0
ok() { n=$((n + 1)); echo "ok - $*"; }
not_ok() { n=$((n + 1)); bad=$((bad + 1)); echo "not ok - $*"; }

if out=$(build/bin/acd-bench --short 2>&1); then
  ok "acd-bench --short: the index chose as the scan on every state"
else
  not_ok "acd-bench --short: the index chose as the scan on every state"
  printf '%s\n' "$out" | sed 's/^/#   /'
fi

line=$(printf '%s\n' "$out" | grep '^agents=2000 ' | head -n 1)
kv() { printf '%s\n' "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
if [ "$(kv waiting)" = 1000 ] && [ -n "$(kv pick_p99_us)" ] && [ -n "$(kv cpu_per_call_us)" ]; then
  ok "acd-bench prints its figures with 1000 calls waiting"
else
  not_ok "acd-bench prints its figures with 1000 calls waiting"
  printf '%s\n' "$out" | sed 's/^/#   /'
fi

echo "1..$n"
[ "$bad" -eq 0 ]
