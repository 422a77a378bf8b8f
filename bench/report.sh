# shellcheck shell=bash disable=SC2154,SC2155
# bench/report.sh: turns the raw figures of bench/run.sh ($out/*.txt) into
# BENCHMARKS.md. Sourced by bench/run.sh (write_report).

kv() { # line key -> value
  local w
  for w in ${1%%|*}; do
    [ "${w%%=*}" = "$2" ] && { echo "${w#*=}"; return; }
  done
  echo ""
}
dbpart() { echo "${1#*|db=}"; }

kb_per_call() { # delta_kb n -> KB per call, one decimal
  awk -v d="$1" -v n="$2" 'BEGIN { if (n > 0 && d != "") printf "%.1f", d / n; else print "-" }'
}

series_title() {
  case $1 in
    nortp) echo "4003 (no music on hold), no RTP" ;;
    rtp) echo "4003 (no music on hold), RTP both ways" ;;
    moh-nortp) echo "$DEMO_NUMBER (music on hold, as in the demo), no RTP" ;;
    moh-rtp) echo "$DEMO_NUMBER (music on hold, as in the demo), RTP both ways" ;;
    *) echo "$1" ;;
  esac
}

# The rates of a series in the order run, each "rate passed": a rate passed
# when each of its runs had a try that passed (lines without run= are run 1).
# An awk function for a steps.txt line: fields() puts its key=value words
# (before the "|db=" part) in f.
STEP_FIELDS='function fields(  i, k, v) { sub(/\|.*/, ""); delete f
  for (i = 1; i <= NF; i++) { k = $i; sub(/=.*/, "", k); v = $i; sub(/^[^=]*=/, "", v); f[k] = v } }'
rate_results() { # series
  awk -v s="$1" "$STEP_FIELDS"'{ fields()
      if (f["series"] != s) next
      r = f["rate"]; run = ("run" in f) ? f["run"] : 1
      if (!(r in seen)) { seen[r] = 1; order[++n] = r }
      key = r SUBSEP run
      if (!(key in ok)) { ok[key] = 0; runs[r] = runs[r] " " run }
      if (f["pass"] == 1) ok[key] = 1 }
    END { for (i = 1; i <= n; i++) { r = order[i]; m = split(runs[r], rs, " "); p = 1
            for (j = 1; j <= m; j++) if (!ok[r SUBSEP rs[j]]) p = 0
            print r, p } }' "$out/steps.txt"
}
best_rate() { # series -> highest rate that passed, or "none"
  [ -s "$out/steps.txt" ] || { echo "not run"; return; }
  grep -q "^series=$1 " "$out/steps.txt" || { echo "not run"; return; }
  rate_results "$1" | awk 'BEGIN { b = "none" } $2 == 1 { b = $1 } END { print b }'
}
first_fail() { # series -> the first rate with a run none of whose tries passed, or ""
  [ -s "$out/steps.txt" ] || return 0
  rate_results "$1" | awk '$2 == 0 { print $1; exit }'
}
# The median and range of some keys over the passing runs of one series and
# rate: "key=median:min:max ..." and "runs=N" (from steps.txt, or RUNS_FILE).
runs_median() { # series rate key...
  local s=$1 r=$2; shift 2
  awk -v s="$s" -v r="$r" -v keys="$*" "$STEP_FIELDS"'{ fields()
      if (f["series"] != s || f["rate"] != r || f["pass"] != 1) next
      n++; m = split(keys, ks, " "); for (j = 1; j <= m; j++) val[ks[j], n] = f[ks[j]] + 0 }
    END { m = split(keys, ks, " ")
      for (j = 1; j <= m; j++) { k = ks[j]; c = 0
        for (i = 1; i <= n; i++) a[++c] = val[k, i]
        for (x = 2; x <= c; x++) { t = a[x]; y = x - 1; while (y >= 1 && a[y] > t) { a[y + 1] = a[y]; y-- } a[y + 1] = t }
        med = c ? (c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2) : 0
        printf "%s=%s:%s:%s ", k, med, (c ? a[1] : 0), (c ? a[c] : 0) }
      printf "runs=%d\n", n }' "${RUNS_FILE:-$out/steps.txt}"
}
# One figure of runs_median's answer as "median (min-max)", or the median
# alone when there was one run.
med_fmt() { # runs_median-line key
  local v; v=$(kv "$1" "$2")
  awk -v v="$v" -v n="$(kv "$1" runs)" 'BEGIN { split(v, a, ":")
    if (n < 2 || a[2] == a[3]) printf "%g", a[1]; else printf "%g (%g-%g)", a[1], a[2], a[3] }'
}

# What a step says about saturation: the busiest components and the signs of
# overload the run records.
saturation() { # step line
  local line=$1 c v list=""
  for c in b2bua mariadb rtpengine kamailio web sipp-agents sipp-gw other; do
    v=$(kv "$line" "$c")
    list+="$v $c"$'\n'
  done
  local busiest
  busiest=$(sort -rn <<<"$list" | head -n 3 | awk '{ printf "%s%s %s%%", (NR > 1 ? ", " : ""), $2, $1 }')
  local signs="machine busy $(kv "$line" box)% (peak $(kv "$line" box_peak)%)"
  [ "$(kv "$line" ng_drops)" -gt 0 ] 2>/dev/null && signs+="; rtpengine's control socket dropped $(kv "$line" ng_drops) datagrams (receive buffer full)"
  [ "$(kv "$line" b2bua_drops)" -gt 0 ] 2>/dev/null && signs+="; the B2BUA's SIP socket dropped $(kv "$line" b2bua_drops)"
  [ "$(kv "$line" sip_drops)" -gt 0 ] 2>/dev/null && signs+="; Kamailio's SIP socket dropped $(kv "$line" sip_drops)"
  [ "$(kv "$line" retrans)" -gt 0 ] 2>/dev/null && signs+="; $(kv "$line" retrans) SIP retransmissions at the gateway"
  [ "$(kv "$line" stuck)" -gt 0 ] 2>/dev/null && signs+="; **$(kv "$line" stuck) calls still up in the B2BUA a minute after the step** (and as many agents on a call)"
  echo "busiest: $busiest; $signs"
}

versions() {
  local k r s m sf c
  k=$(kamailio -v 2>/dev/null | sed -n 's/^version: kamailio \([^ ]*\).*/\1/p')
  r=$(dpkg-query -W -f '${Version}' rtpengine-daemon 2>/dev/null)
  s=$(sipp -v 2>/dev/null | sed -n 's/.*SIPp \(v[^ ,-]*\).*/\1/p' | head -n 1)
  m=$(mariadbd --version 2>/dev/null | sed -n 's/.*Ver \([^ ]*\).*/\1/p')
  sf=$(dpkg-query -W -f '${Version}' libsofia-sip-ua0 2>/dev/null)
  c=$(chromium --version 2>/dev/null | head -n 1)
  echo "| Kamailio | ${k:-?} |"
  echo "| rtpengine (rtpengine-daemon, userspace) | ${r:-?} |"
  echo "| sipp | ${s:-?} |"
  echo "| MariaDB | ${m:-?} |"
  echo "| sofia-sip (libsofia-sip-ua0) | ${sf:-?} |"
  echo "| nginx | $(nginx -v 2>&1 | sed 's/.*nginx\///') |"
  echo "| Chromium | ${c:-?} |"
  echo "| Node.js | $(node --version 2>/dev/null) |"
}

report_calls() {
  [ -s "$out/steps.txt" ] || return 0
  cat <<EOF
## 1. Calls per second through the whole stack

sipp as the trusted gateway (127.0.0.1) calls the number through Kamailio; the
dispatcher sends the INVITE to the B2BUA, which anchors media in rtpengine,
answers the caller as the IVR, queues the call, reserves an agent (database),
and calls the agent's phone through Kamailio (location lookup); the agents are
$AGENTS phones registered from $AGENT_PROCS sipp processes (agent-pool), ringing
${ANSWER_MS} ms before answering. The caller hangs up ${HOLD_MS} ms after the
B2BUA answered it, so each agent talks about $(( (HOLD_MS - ANSWER_MS) / 100 ))00 ms
and concurrency stays near rate x $(awk -v h="$HOLD_MS" 'BEGIN { printf "%.1f", h / 1000 }') s.
Each step offers one rate for ${STEP_S} s, and each rate is run ${REPEAT:-1} times. A run **passes** only if sipp
(gateway and agents) reports no failed call, every attempted call has a call
record with result \`answered\` (the agent took it, checked in \`cc_call\`), and
sipp achieved at least 95 % of the offered rate. A failed run is tried once
more (the machine is shared, and one stall elsewhere fails a run); a rate
passes when every run passed, and a series stops at the first rate with a run
whose every try failed.

- **No RTP**: bench/sip/*-nortp.xml, the tests/sip scenarios without their
  \`play_pcap_audio\` (SDP is still negotiated and rtpengine still anchors
  every call; no media packets flow, except music on hold that rtpengine plays).
- **RTP**: tests/sip as they are: after the answer both the gateway and the agent
  play /usr/share/sip-tester/g711a.pcap (PCMA, 50 packets/s each way) to
  rtpengine, which relays them in userspace.
- **4003** is a skill group with the same agents and no music on hold; **$DEMO_NUMBER**
  is the demo's number with the demo's music on hold (a $(soxi -D "$top/build/prompts/moh.wav" 2>/dev/null | awk '{ printf "%.1f", $1 }') s WAV, looped by
  rtpengine from the moment the call is queued until an agent answers). Both
  have no welcome prompt.

Highest rate that passed (calls/s):

| series | passed | failed at |
| --- | --- | --- |
EOF
  local sr
  for sr in nortp rtp moh-nortp moh-rtp; do
    grep -q "^series=$sr " "$out/steps.txt" || continue
    echo "| $(series_title "$sr") | **$(best_rate "$sr")** | $(first_fail "$sr") |"
  done
  cat <<EOF

Every step (counts from sipp's \`-trace_stat\` files; "records" are the
\`cc_call\` rows of the step grouped by result; setup is \`answered_at -
started_at\` of the call record: IVR answer, queue, reservation, offer, ring
${ANSWER_MS} ms, agent's 200 OK; "stuck": calls the B2BUA still had a minute
after the step's last call, whose callers had hung up or given up long before):

| series | offered /s | run | try | achieved /s | attempted | succeeded | failed | agents' failed | records | setup p50 / p99 / max ms | retrans | stuck | pass |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
EOF
  local line
  while IFS= read -r line; do
    echo "| $(kv "$line" series) | $(kv "$line" rate) | $(kv "$line" run) | $(kv "$line" try) | $(kv "$line" achieved) | $(kv "$line" attempted) | $(kv "$line" ok) | $(kv "$line" failed) | $(kv "$line" agent_failed) | $(dbpart "$line") | $(kv "$line" setup_p50) / $(kv "$line" setup_p99) / $(kv "$line" setup_max) | $(kv "$line" retrans) | $(kv "$line" stuck) | $( [ "$(kv "$line" pass)" = 1 ] && echo yes || echo **no** ) |"
  done < "$out/steps.txt"
  cat <<EOF

CPU during each step, in % of one core (this machine has $(nproc) cores, so 100 %
of the machine is $(( $(nproc) * 100 )) %), averaged over the step, with the highest
one-second sample after the slash. "other" is what the machine spent beyond
these processes (other users' processes, kernel work not charged to a
process; below zero when the processes' own tick counts run ahead of the
machine's, which leave out time the hypervisor took); "machine" is the whole
machine's busy share (100 % = every core).

| series | rate | kamailio | rtpengine | cc-b2bua | mariadbd | cc-web | nginx | sipp gateway | sipp agents | other | machine |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
EOF
  while IFS= read -r line; do
    echo "| $(kv "$line" series) | $(kv "$line" rate) | $(kv "$line" kamailio)/$(kv "$line" kamailio_peak) | $(kv "$line" rtpengine)/$(kv "$line" rtpengine_peak) | $(kv "$line" b2bua)/$(kv "$line" b2bua_peak) | $(kv "$line" mariadb)/$(kv "$line" mariadb_peak) | $(kv "$line" web)/$(kv "$line" web_peak) | $(kv "$line" nginx)/$(kv "$line" nginx_peak) | $(kv "$line" sipp-gw) | $(kv "$line" sipp-agents)/$(kv "$line" sipp-agents_peak) | $(kv "$line" other)/$(kv "$line" other_peak) | $(kv "$line" box)/$(kv "$line" box_peak) % |"
  done < "$out/steps.txt"
  cat <<EOF

rtpengine's own account of the B2BUA's control commands in each step
(\`statistics\` → \`controlstatistics\`: how many, and the mean time rtpengine
spent on each), and its control time per answered call:

| series | rate | offer n / ms | answer n / ms | play media n / ms | stop media n / ms | delete n / ms | ms per call |
| --- | --- | --- | --- | --- | --- | --- | --- |
EOF
  while IFS= read -r line; do
    echo "| $(kv "$line" series) | $(kv "$line" rate) | $(kv "$line" ng_offer_n) / $(kv "$line" ng_offer_ms) | $(kv "$line" ng_answer_n) / $(kv "$line" ng_answer_ms) | $(kv "$line" ng_playmedia_n) / $(kv "$line" ng_playmedia_ms) | $(kv "$line" ng_stopmedia_n) / $(kv "$line" ng_stopmedia_ms) | $(kv "$line" ng_delete_n) / $(kv "$line" ng_delete_ms) | $(kv "$line" ng_ms_per_call) |"
  done < "$out/steps.txt"
  cat <<EOF

What saturated, at each series' last step (the busiest processes, and the signs
of overload recorded: datagrams dropped by a full socket receive buffer, from
/proc/net/udp; SIP retransmissions):

EOF
  for sr in nortp rtp moh-nortp moh-rtp; do
    grep -q "^series=$sr " "$out/steps.txt" || continue
    line=$(grep "^series=$sr " "$out/steps.txt" | tail -n 1)
    echo "- $(series_title "$sr"), $(kv "$line" rate)/s ($( [ "$(kv "$line" pass)" = 1 ] && echo passed || echo failed )): $(saturation "$line")."
  done
  echo
  cat <<EOF
## 2. The B2BUA's CPU time per call

utime + stime of the cc-b2bua process (all its threads, /proc/PID/stat) from
the start of a step until its last call record was written, divided by the
calls answered in that step. "Net" takes off what the B2BUA uses when no call
is up ($(sed -n 's/.*b2bua_idle_us_per_s=\([0-9]*\).*/\1/p' "$out/idle.txt" 2>/dev/null) µs of CPU per second,
measured for 10 s before the first step: registration polls of every agent
each second, timers). RSS peak: the highest one-second sample during the
step; the B2BUA's RSS keeps its high-water mark (see part 3 for the ~32 s
that sofia-sip holds each finished transaction).

| series | rate | calls answered | CPU per call (µs) | net of idle (µs) | B2BUA CPU (% of one core) | RSS before / peak (KB) |
| --- | --- | --- | --- | --- | --- | --- |
EOF
  while IFS= read -r line; do
    echo "| $(kv "$line" series) | $(kv "$line" rate) | $(kv "$line" answered) | $(kv "$line" b2bua_us_per_call) | $(kv "$line" b2bua_net_us_per_call) | $(kv "$line" b2bua) | $(kv "$line" rss0) / $(kv "$line" rss_peak) |"
  done < "$out/steps.txt"
  cat <<EOF

Every component's CPU per answered call, in µs (utime + stime of its
processes from the start of a step until its last call record was written,
divided by the calls answered; the idle cost is not taken off), and
MariaDB's own count of prepared statements run (\`Com_stmt_execute\`) and
transactions committed (\`Com_commit\`) per answered call in the same time
(the B2BUA's and cc-web's; the bench's own queries are text, not counted).
The load generators are sipp as the gateway and as the agents' phones.

| series | rate | run | cc-b2bua | mariadbd | kamailio | rtpengine | cc-web | nginx | sipp gateway | sipp agents | statements / call | commits / call |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
EOF
  while IFS= read -r line; do
    echo "| $(kv "$line" series) | $(kv "$line" rate) | $(kv "$line" run) | $(kv "$line" us_b2bua) | $(kv "$line" us_mariadb) | $(kv "$line" us_kamailio) | $(kv "$line" us_rtpengine) | $(kv "$line" us_web) | $(kv "$line" us_nginx) | $(kv "$line" us_sipp-gw) | $(kv "$line" us_sipp-agents) | $(kv "$line" db_stmts_per_call) | $(kv "$line" db_commits_per_call) |"
  done < "$out/steps.txt"
  cat <<EOF

The same per rate: the median of the runs that passed, with the lowest and
highest in brackets (each rate is run ${REPEAT:-1} times; "runs" is how many passed).

| series | rate | runs | cc-b2bua | mariadbd | kamailio | rtpengine | cc-web | sipp gateway | sipp agents | statements / call | commits / call |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
EOF
  local r p m
  for sr in nortp rtp moh-nortp moh-rtp; do
    grep -q "^series=$sr " "$out/steps.txt" || continue
    while read -r r p; do
      m=$(runs_median "$sr" "$r" us_b2bua us_mariadb us_kamailio us_rtpengine us_web us_sipp-gw us_sipp-agents db_stmts_per_call db_commits_per_call)
      [ "$(kv "$m" runs)" -gt 0 ] || continue
      echo "| $sr | $r | $(kv "$m" runs) | $(med_fmt "$m" us_b2bua) | $(med_fmt "$m" us_mariadb) | $(med_fmt "$m" us_kamailio) | $(med_fmt "$m" us_rtpengine) | $(med_fmt "$m" us_web) | $(med_fmt "$m" us_sipp-gw) | $(med_fmt "$m" us_sipp-agents) | $(med_fmt "$m" db_stmts_per_call) | $(med_fmt "$m" db_commits_per_call) |"
    done < <(rate_results "$sr")
  done
  echo
}

report_memory() {
  [ -s "$out/memory.txt" ] || return 0
  cat <<EOF
## 3. Memory per concurrent call (B2BUA)

A freshly restarted B2BUA; N calls to 4003 (no RTP) at 250 calls/s, each held
until every one is bridged and then ${MEM_SETTLE_S} s longer (sofia-sip keeps a
finished transaction ~32 s). Measured on the cc-b2bua process: **heap in use**
(glibc \`malloc_stats()\` called through gdb: bytes handed out by malloc in all
arenas plus mmapped chunks; what the calls really hold) and **VmRSS** (what the
kernel sees; freed heap is kept by malloc and reused, so RSS does not shrink).
"2 s" is 2 s after the last call was bridged (the set-up transactions still
held), "settled" is ${MEM_SETTLE_S} s after it (only the calls' dialogs and
state). Per call = (during − idle) / N, with idle the fresh process before the
first hold.

| N | bridged | heap idle KB (fresh; before this hold) | heap 2 s / settled KB | heap per call 2 s / settled (KB) | RSS idle KB | RSS 2 s / settled KB | RSS per call 2 s / settled (KB) | calls ok / failed / answered |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
EOF
  local line n
  while IFS= read -r line; do
    n=$(kv "$line" n)
    local hi=$(kv "$line" heap_idle0) ri=$(kv "$line" rss_idle0)
    local he=$(kv "$line" heap_early) hs=$(kv "$line" heap_settled)
    local re=$(kv "$line" rss_early) rs=$(kv "$line" rss_settled)
    local hpe="-" hps="-"
    if [ -n "$hi" ] && [ -n "$he" ]; then hpe=$(kb_per_call $((he - hi)) "$n"); hps=$(kb_per_call $((hs - hi)) "$n"); fi
    echo "| $n | $(kv "$line" bridged_settled) | ${hi:--}; $(kv "$line" heap_idle) | ${he:--} / ${hs:--} | **$hpe / $hps** | $ri | $re / $rs | $(kb_per_call $((re - ri)) "$n") / $(kb_per_call $((rs - ri)) "$n") | $(kv "$line" ok) / $(kv "$line" failed) / $(kv "$line" answered) |"
  done < "$out/memory.txt"
  echo
  echo "Samples (seconds since the last call was bridged, then since the last hang-up; RSS KB; heap in use KB):"
  echo
  for n in $MEM_CALLS; do
    [ -s "$out/mem-$n-samples.txt" ] || continue
    echo "- N = $n: $(grep -v '^#' "$out/mem-$n-samples.txt" | awk '{ printf "%s%ss %s/%s", (NR > 1 ? ", " : ""), $1, $2, ($3 == "" ? "?" : $3) }' | sed 's/, \(5s\)/; after hang-up: \1/')"
  done
  command -v gdb >/dev/null || echo "- gdb is not installed here, so the heap columns are empty; VmRSS only."
  echo
}

report_pop() {
  [ -s "$out/pop.txt" ] || return 0
  cat <<EOF
## 4. Screen-pop latency

An agent ("popagent", alone in skill group 2, number 4002) signs in through the
real login page in headless Chromium (playwright-core, /usr/bin/chromium),
presses "sign in" on the workbench, and its phone (sipp registered as 7001)
answers 100 ms after it rings. A gateway sipp places the calls one after another
(at most one at a time). For every pop the page shows, latency = the page's
\`data-received\` (Date.now() in the page when the pop was shown) − \`data-ts\`
(the B2BUA's clock when the agent's 200 OK arrived, the \`ts\` of
\`call.answered\`). Same machine, same clock. "observer" is a MutationObserver's
Date.now() on the same change, as a cross-check. "call.answered event": a
second event stream opened in the same page records when the \`call.answered\`
event of the same call arrives: the same path from the B2BUA through cc-web and
nginx to the browser, but without cc-web's pop loader (which loads the contact
and recent calls and sends \`pop\`). "Under load": meanwhile
${POP_LOAD_RATE} calls/s (no RTP) go to 4003 and the $AGENTS bench agents.

| run | calls | pops seen | answered (records) | min | p50 | p90 | p99 | max | mean (ms) | observer p50 / p99 | call.answered event p50 / p90 / p99 / max | background calls ok / failed |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
EOF
  local line
  while IFS= read -r line; do
    echo "| $(kv "$line" label) | $(kv "$line" calls) | $(kv "$line" pops) | $(kv "$line" answered) | $(kv "$line" min) | $(kv "$line" p50) | $(kv "$line" p90) | **$(kv "$line" p99)** | $(kv "$line" max) | $(kv "$line" mean) | $(kv "$line" obs_p50) / $(kv "$line" obs_p99) | $(kv "$line" ev_p50) / $(kv "$line" ev_p90) / $(kv "$line" ev_p99) / $(kv "$line" ev_max) | $(kv "$line" bg_ok) / $(kv "$line" bg_failed) |"
  done < "$out/pop.txt"
  echo
  echo "CPU during the pop runs (% of one core): "
  echo
  while IFS= read -r line; do
    echo "- $(kv "$line" label): kamailio $(kv "$line" kamailio), rtpengine $(kv "$line" rtpengine), cc-b2bua $(kv "$line" b2bua), mariadbd $(kv "$line" mariadb), cc-web $(kv "$line" web), nginx $(kv "$line" nginx), sipp agents $(kv "$line" sipp-agents), other (incl. Chromium) $(kv "$line" other); machine $(kv "$line" box) %"
  done < "$out/pop.txt"
  echo
}

report_import() {
  [ -s "$out/import.txt" ] || return 0
  cat <<EOF
## 5. Importing agents from CSV

The admin console's import (客服管理 > 坐席 > 导入): one CSV file of
$IMPORT_ROWS new agents (each a new host user with a sign-in password, an
extension, the demo's skill group at level 1), posted through nginx as the
import page does, its progress polled every 0.3 s meanwhile; then the same
file again, which must change nothing. Each row is all or nothing (its host
user, role, SIP account, skill group and audit record in one transaction);
rows are written 200 to a transaction (fcgi-app/agents/batch.c). Wall time:
curl's, from sending the file to the whole answer (the report, with every
new SIP password); "server": the import's own figure in that answer.

| run | rows | file (KB) | created | unchanged | refused | wall (ms) | server (ms) |
| --- | --- | --- | --- | --- | --- | --- | --- |
EOF
  local line
  while IFS= read -r line; do
    echo "| $(kv "$line" run) | $(kv "$line" rows) | $(( $(kv "$line" bytes) / 1024 )) | $(kv "$line" created) | $(kv "$line" unchanged) | $(kv "$line" failed) | **$(kv "$line" wall_ms)** | $(kv "$line" server_ms) |"
  done < "$out/import.txt"
  echo
}

import_glance() {
  [ -s "$out/import.txt" ] || return 0
  local first again
  first=$(grep '^run=first ' "$out/import.txt" | tail -n 1)
  again=$(grep '^run=again ' "$out/import.txt" | tail -n 1)
  [ -n "$first" ] || return 0
  echo "| agents' CSV import, $(kv "$first" rows) new agents | $(kv "$first" wall_ms) ms (the same file again, nothing to change: $(kv "$again" wall_ms) ms) | under 5 s |"
}

# update_part_report PART: bench/run.sh PART alone: its section (report_PART)
# and its line at a glance (PART_glance) replace the ones in BENCHMARKS.md
# (or are added); the rest of the file stays.
update_part_report() {
  local p=$1 f=$top/BENCHMARKS.md commit
  commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?')
  [ -n "$(git -C "$top" status --porcelain 2>/dev/null)" ] && commit+=" (with uncommitted changes)"
  "report_$p" > "$out/$p-section.md"
  "${p}_glance" > "$out/$p-glance.md"
  python3 "$benchdir/merge_section.py" "$f" "$out/$p-section.md" "$out/$p-glance.md" \
    "bench/run.sh $p on $(date -d "@$T_START" '+%Y-%m-%d %H:%M %Z'), commit $commit"
  cp "$f" "$out/BENCHMARKS.md" 2>/dev/null
  return 0
}
update_import_report() { update_part_report import; }

# The IVR part's two steps: the plain queue's line and the flow's.
ivr_lines() { # -> sets ivr_plain, ivr_flow
  ivr_plain=$(grep '^series=ivr-plain ' "$out/ivr.txt" 2>/dev/null | tail -n 1)
  ivr_flow=$(grep '^series=ivr ' "$out/ivr.txt" 2>/dev/null | tail -n 1)
}
ratio() { # a b -> a / b as "+N %" (or "-")
  awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%+.0f %%", (a / b - 1) * 100; else print "-" }'
}

report_ivr() {
  [ -s "$out/ivr.txt" ] || return 0
  ivr_lines
  cat <<EOF
## 6. An IVR flow's cost (B2BUA CPU per call)

The same load twice, one step after the other: ${IVR_RATE} calls/s for
${STEP_S} s (no RTP) to **4003**, the plain queue (no welcome prompt, straight
into skill group 3's queue), then to **$IVR_NUMBER**, a number bound to a published
five-node IVR flow: \`start\`, a \`play\` of a 0.3 s tone, a \`menu\` with the
same tone whose 1 s timeout (no key: the gateway sends no media) leads by its
fallback to a \`queue\` for the same group 3, and a \`hangup\`. rtpengine plays
both prompts; every node entered and left is a \`call.ivr\` event written with
the call record. The callers hang up ${IVR_HOLD_MS} ms after the answer (the
flow takes about 2 s before the queue), the agents ring ${ANSWER_MS} ms. The
B2BUA's CPU per call is measured as in part 2 (utime + stime of cc-b2bua from
the step's start until its last record is written, per answered call; "net"
takes off the idle B2BUA's CPU). Target: the IVR call costs at most 20 %
more than the plain one. The machine is shared and the steps are one run
each: a difference of a few per cent is within the noise ("machine busy":
the whole machine's busy share; "other": what went to processes other than
the stack's, in % of one core, as in part 1).

| number | rate | calls answered | records | CPU per call (µs) | net of idle (µs) | B2BUA CPU (% of one core) | ng ms per call | setup p50 / p99 ms | machine busy / other | pass |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
EOF
  local line
  for line in "$ivr_plain" "$ivr_flow"; do
    [ -n "$line" ] || continue
    echo "| $(kv "$line" number)$( [ "$(kv "$line" series)" = ivr ] && echo " (IVR flow)" || echo " (plain queue)") | $(kv "$line" rate) | $(kv "$line" answered) | $(dbpart "$line") | $(kv "$line" b2bua_us_per_call) | $(kv "$line" b2bua_net_us_per_call) | $(kv "$line" b2bua) | $(kv "$line" ng_ms_per_call) | $(kv "$line" setup_p50) / $(kv "$line" setup_p99) | $(kv "$line" box) % / $(kv "$line" other) % | $( [ "$(kv "$line" pass)" = 1 ] && echo yes || echo **no** ) |"
  done
  echo
  if [ -n "$ivr_plain" ] && [ -n "$ivr_flow" ]; then
    echo "The IVR call's CPU against the plain one: **$(ratio "$(kv "$ivr_flow" b2bua_us_per_call)" "$(kv "$ivr_plain" b2bua_us_per_call)")**" \
      "($(ratio "$(kv "$ivr_flow" b2bua_net_us_per_call)" "$(kv "$ivr_plain" b2bua_net_us_per_call)") net of idle)."
    echo
  fi
}

ivr_glance() {
  [ -s "$out/ivr.txt" ] || return 0
  ivr_lines
  [ -n "$ivr_plain" ] && [ -n "$ivr_flow" ] || return 0
  echo "| B2BUA CPU per call, five-node IVR menu flow ($IVR_NUMBER) against the plain queue (4003), $(kv "$ivr_flow" rate) calls/s | $(kv "$ivr_flow" b2bua_us_per_call) µs against $(kv "$ivr_plain" b2bua_us_per_call) µs: $(ratio "$(kv "$ivr_flow" b2bua_us_per_call)" "$(kv "$ivr_plain" b2bua_us_per_call)") | at most +20 % |"
}

# bench/run.sh ivr alone: its section and its line at a glance replace the
# ones in BENCHMARKS.md (or are added); the rest of the file stays.
update_ivr_report() {
  local f=$top/BENCHMARKS.md
  local commit=${RUN_COMMIT:-}
  if [ -z "$commit" ]; then
    commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?')
    [ -n "$(git -C "$top" status --porcelain 2>/dev/null)" ] && commit+=" (with uncommitted changes)"
  fi
  report_ivr > "$out/ivr-section.md"
  ivr_glance > "$out/ivr-glance.md"
  python3 "$benchdir/merge_section.py" "$f" "$out/ivr-section.md" "$out/ivr-glance.md" \
    "bench/run.sh ivr on $(date -d "@$T_START" '+%Y-%m-%d %H:%M %Z'), commit $commit"
  cp "$f" "$out/BENCHMARKS.md" 2>/dev/null
  return 0
}

summary() {
  echo "| figure | measured | target |"
  echo "| --- | --- | --- |"
  if [ -s "$out/steps.txt" ]; then
    local sr
    for sr in nortp rtp moh-nortp moh-rtp; do
      grep -q "^series=$sr " "$out/steps.txt" || continue
      local t=""
      [ "$sr" = nortp ] || [ "$sr" = rtp ] && t="500 calls/s"
      echo "| zero-failure calls/s, $(series_title "$sr") | $(best_rate "$sr")$( [ -n "$(first_fail "$sr")" ] && echo " (fails at $(first_fail "$sr"))") | $t |"
    done
    local r m
    r=$(best_rate nortp)
    if [ -n "$r" ] && [ "$r" != none ] && [ "$r" != "not run" ]; then
      m=$(runs_median nortp "$r" b2bua_us_per_call b2bua_net_us_per_call b2bua us_mariadb us_kamailio db_stmts_per_call)
      echo "| B2BUA CPU per call (4003, no RTP, $r calls/s, median of $(kv "$m" runs) runs) | $(med_fmt "$m" b2bua_us_per_call) µs ($(med_fmt "$m" b2bua_net_us_per_call) µs net of idle); the B2BUA used $(med_fmt "$m" b2bua) % of one core | at most 800 µs |"
      echo "| MariaDB CPU per call (same runs) | $(med_fmt "$m" us_mariadb) µs; $(med_fmt "$m" db_stmts_per_call) statements per call | at most 600 µs; at most 5 statements |"
      echo "| Kamailio CPU per call (same runs) | $(med_fmt "$m" us_kamailio) µs | at most 700 µs |"
    fi
  fi
  if [ -s "$out/memory.txt" ]; then
    local line n hi hs ri rs
    line=$(tail -n 1 "$out/memory.txt")
    n=$(kv "$line" n); hi=$(kv "$line" heap_idle0); hs=$(kv "$line" heap_settled); ri=$(kv "$line" rss_idle0); rs=$(kv "$line" rss_settled)
    local h="-"
    [ -n "$hi" ] && [ -n "$hs" ] && h="heap $(kb_per_call $((hs - hi)) "$n") KB, "
    echo "| B2BUA memory per concurrent call ($n calls, settled) | ${h}RSS $(kb_per_call $((rs - ri)) "$n") KB | under 48 KB |"
  fi
  if [ -s "$out/pop.txt" ]; then
    local line
    while IFS= read -r line; do
      echo "| screen pop, $(kv "$line" label)$( [ "$(kv "$line" bg_rate)" != 0 ] && echo " ($(kv "$line" bg_rate) calls/s)"): p50 / p90 / p99 / max | $(kv "$line" p50) / $(kv "$line" p90) / $(kv "$line" p99) / $(kv "$line" max) ms ($(kv "$line" pops) pops) | p99 under 100 ms |"
    done < "$out/pop.txt"
  fi
  import_glance
  ivr_glance
  cat "$out/pacing-glance.md" 2>/dev/null
  tasks_glance
  cat "$out/acd-glance.md" 2>/dev/null
}

# The parts that run alone (their section and line at a glance are carried
# over from the previous file by write_report).
ALONE_SECTIONS=("## 9. Soak=soak, " "## 10. Fuzzing=fuzzing:" "## 13. Two B2BUA nodes=two nodes:"
  "## 14. CPU per call and the number of agents=signed-in agents:")

write_report() {
  local f=$top/BENCHMARKS.md
  [ -f "$f" ] && cp "$f" "$out/previous.md"
  local commit dirty=""
  commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo "?")
  [ -n "$(git -C "$top" status --porcelain 2>/dev/null)" ] && dirty=" (with uncommitted changes)"
  if [ -n "${RUN_COMMIT:-}" ]; then commit=$RUN_COMMIT; dirty=""; fi
  {
    cat <<EOF
# Benchmarks

Written by \`make bench\` (\`bench/run.sh\`); every full run writes this file again, keeping
the sections of the parts that run alone (\`make bench PARTS=fuzz\`, \`PARTS=soak\`).
Run on $(date -d "@$T_START" '+%Y-%m-%d %H:%M %Z'), commit $commit$dirty, parts: ${parts[*]}; took $(( ${RUN_END:-$(date +%s)} - T_START )) s.

## Machine

| | |
| --- | --- |
| CPU | $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1) |
| memory | $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) |
| kernel | $(uname -r) |
| OS | $(. /etc/os-release 2>/dev/null; echo "${PRETTY_NAME:-?}") |
$(versions)

Everything runs on this one machine on loopback: MariaDB, rtpengine, Kamailio,
the B2BUA, cc-web, nginx, and the load generators (sipp, Chromium). They share
the $(nproc) cores, so a figure here is the whole system's on $(nproc) cores, load
generators included. Other users' processes may run at the same time; the
"other" CPU column shows how much of the machine went elsewhere.

## Results at a glance

$(summary)

## How to reproduce

\`\`\`sh
make bench                        # all parts, about 22 minutes (each rate of part 1 three times)
bench/run.sh calls                # one part: calls, memory, pop, import, ivr, pacing, tasks or acd
BENCH_RATES_NORTP="200 250" BENCH_STEP_S=60 bench/run.sh calls   # other rates / longer steps
KEEP_STATE=1 bench/run.sh pop     # keep logs, database and raw figures
\`\`\`

This run: \`bench/run.sh ${parts[*]}\` with
BENCH_AGENTS=$AGENTS BENCH_AGENT_PROCS=$AGENT_PROCS BENCH_STEP_S=$STEP_S
BENCH_HOLD_MS=$HOLD_MS BENCH_ANSWER_MS=$ANSWER_MS
BENCH_RATES_NORTP="$RATES_NORTP" BENCH_RATES_RTP="$RATES_RTP"
BENCH_RATES_MOH_NORTP="$RATES_MOH_NORTP" BENCH_RATES_MOH_RTP="$RATES_MOH_RTP"
BENCH_MEM_CALLS="$MEM_CALLS" BENCH_MEM_SETTLE_S=$MEM_SETTLE_S
BENCH_POP_CALLS=$POP_CALLS BENCH_POP_LOAD_CALLS=$POP_LOAD_CALLS BENCH_POP_LOAD_RATE=$POP_LOAD_RATE BENCH_IMPORT_ROWS=${IMPORT_ROWS:-}
BENCH_IVR_RATE=${IVR_RATE:-} BENCH_IVR_HOLD_MS=${IVR_HOLD_MS:-}
CC_KAMAILIO_CHILDREN=${CC_KAMAILIO_CHILDREN:-$(nproc) (default: the cores)} CC_RTPENGINE_THREADS=${CC_RTPENGINE_THREADS:-2 (default)}
and B2BUA settings \`$(echo reload_s=0 moh_delay_ms=0 ${CC_B2BUA_OPTS:-})\` (otherwise the defaults of
\`cc-b2bua --print-config\`: 4 database threads, log level info).

The stack is scripts/stack.sh's, in a private state folder on free loopback
ports, with a $RTP_PORTS-port RTP range for rtpengine (chosen by bench/run.sh
through \`CC_RTP_MIN\`/\`CC_RTP_MAX\`). Bench data, loaded before the B2BUA
starts: $AGENTS agents (host users with \`callcenter=1\` in the demo's
skill-group department, SIP accounts $AGENT_BASE.., \`cc_agent\` rows), signed in
with \`agent.state ... state=ready\` over the control socket (bench/ctl.js,
pipelined on one connection); skill groups with wrap-up 0 and a 15 s ring
timeout; numbers without a welcome prompt. The periodic directory reload is
off (\`reload_s=0\`) so that re-reading 2,000 agents never falls inside a
measured step, and music on hold starts as soon as a call is queued
(\`moh_delay_ms=0\`): on $DEMO_NUMBER every call pays for play media and stop
media, the costliest case (with the default 1 s delay, calls answered within
a second never start the music).

$(report_calls)

$(report_memory)

$(report_pop)

$(report_import)

$(report_ivr)

$(cat "$out/pacing-section.md" 2>/dev/null)
$(report_tasks)

$(cat "$out/acd-section.md" 2>/dev/null)

## Notes on the method

- Every call comes from the same caller, $DEMO_CALLER, the demo contact $(demo CONTACT_NAME):
  the B2BUA matches the contact on every call. cc-web loads a caller's record
  and recent calls only for agents whose browser is open (the pop part).
- sipp as the gateway and as the agents binds its media port but does not read
  it; with RTP (and music on hold) the kernel drops what rtpengine sends there
  (UDP receive-buffer errors in /proc/net/snmp). That is the load generator's
  side and is not counted as a failure.
- sipp plays the pcap with one thread per call and side; at the RTP rates here
  the two sipp processes take a good share of the machine ("sipp" columns).
- "Setup" in part 1 includes the agents' 200 ms of ringing. Calls are answered
  by the B2BUA (as the IVR) at once, so sipp's own counts cannot tell an agent
  answer from a caller that hung up while queued: the \`cc_call\` results do.
- The B2BUA runs with \`reload_s=0 moh_delay_ms=0\`: see "How to reproduce".

## Raw figures

The lines this report was made from (bench/run.sh's \`steps.txt\`,
\`memory.txt\`, \`pop.txt\`, \`import.txt\`, \`ivr.txt\`, \`tasks.txt\`). With KEEP_STATE=1 (or when a run fails) the
state folder keeps them with every sipp statistics file, the per-second CPU
samples, the latency lists and the stack's logs.

\`\`\`
$(cat "$out/steps.txt" "$out/memory.txt" "$out/pop.txt" "$out/import.txt" "$out/ivr.txt" "$out/tasks.txt" 2>/dev/null)
\`\`\`
EOF
  } > "$f"
  [ -f "$out/previous.md" ] && python3 "$benchdir/keep_sections.py" "$out/previous.md" "$f" "${ALONE_SECTIONS[@]}"
  cp "$f" "$out/BENCHMARKS.md" 2>/dev/null
  return 0
}

report_tasks() {
  [ -s "$out/tasks.txt" ] || return 0
  local line batch every
  line=$(cat "$out/tasks.txt")
  batch=$(sed -n 's/^#define TK_BATCH \([0-9]*\).*/\1/p' "$top/fcgi-app/task/tasks.h")
  every=$(sed -n 's/^#define TK_COMMIT_EVERY \([0-9]*\).*/\1/p' "$top/fcgi-app/task/tasks.h")
  cat <<EOF
## 8. Loading an outbound task's targets

外呼系统 > 新建任务: one CSV file of $(kv "$line" rows) distinct mobile numbers,
each with two more columns (kept as the target's data for the screen pop),
posted through nginx as the new task's page does, its progress polled every
0.3 s meanwhile. The answer comes when the task has gone from 初始化 to
已停止: the file read and checked, the numbers normalized, deduplicated and
checked against the do-not-call list, the targets inserted $batch to an
INSERT and $every to a transaction (fcgi-app/task/create.c), then matched
to contacts in one UPDATE. Wall time: curl's, from sending the file to the
answer; "server": the load's own figure in that answer.

| rows | file (KB) | targets | wall (ms) | server (ms) |
| --- | --- | --- | --- | --- |
| $(kv "$line" rows) | $(( $(kv "$line" bytes) / 1024 )) | $(kv "$line" targets) | **$(kv "$line" wall_ms)** | $(kv "$line" server_ms) |
EOF
  echo
}

tasks_glance() {
  [ -s "$out/tasks.txt" ] || return 0
  local line
  line=$(cat "$out/tasks.txt")
  echo "| outbound task, $(kv "$line" rows) targets from CSV to 已停止 | $(kv "$line" wall_ms) ms | under 10 s |"
}

update_tasks_report() { update_part_report tasks; }
