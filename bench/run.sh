#!/usr/bin/env bash
# bench/run.sh: the call center's benchmarks on this machine, everything real
# and on loopback; writes the figures to BENCHMARKS.md (overwritten each run).
#
#   bench/run.sh [all|calls|memory|pop|import|ivr|pacing|tasks|acd|soak ...] (make bench runs "all")
#
#   memory  B2BUA memory per concurrent call: N calls held up; heap in use (glibc
#           malloc_stats through gdb, when gdb is installed) and VmRSS, idle and during
#   calls   calls per second: sipp as the gateway -> Kamailio -> B2BUA (+ rtpengine,
#           MariaDB) -> Kamailio -> sipp agents, stepping the rate until a step fails;
#           four series: number 4003 (no music on hold) without and with RTP, number
#           4001 (music on hold as in the demo) without and with RTP; CPU per process
#           and the B2BUA's CPU time per call
#   pop     screen-pop latency: the agent's 200 OK at the B2BUA (`ts`) to the pop shown
#           in headless Chromium signed in through the login page; idle, then under load
#   import  agents' CSV import: BENCH_IMPORT_ROWS new agents in one file through nginx,
#           then the same file again (nothing to change); run alone, it updates only
#           its own section and line of BENCHMARKS.md
#   ivr     an IVR flow's cost: the B2BUA's CPU per call on number 4004, bound to a
#           five-node flow (start, play, menu left by its timeout, queue, hang-up), and
#           on 4003 (the plain queue) at the same rate and hold; run alone, it updates
#           only its own section and line of BENCHMARKS.md
#   pacing  outbound pacing on simulated time (build/bin/pacing-sim: ratio, progressive,
#           predictive on three scenarios); needs no stack; run alone, it updates only
#           its own section and line of BENCHMARKS.md
#   acd     the ACD's choice of an agent (build/bin/acd-bench: pick time with the
#           index and with the scan it replaced, CPU per call's turn through the
#           ACD, 2,000 and 10,000 agents, 1,000 calls waiting); needs no stack; run
#           alone, it updates only its own section and line of BENCHMARKS.md
#   tasks   an outbound task's targets: a CSV file of BENCH_TASK_ROWS numbers posted
#           through nginx as 新建任务 does, from 初始化 to 已停止; run alone, it updates
#           only its own section and line of BENCHMARKS.md
#   fuzz    mutated SIP (1,000,000 messages to Kamailio and the B2BUA), HTTP and
#           control-socket input against a stack built with ASan and UBSan
#           (bench/fuzz/run.sh, its own stack; about 15 minutes; not in "all"); it
#           updates only its own section and line of BENCHMARKS.md
#   reports (not in "all": about 10 minutes) a month of BENCH_REPORT_CALLS (1,000,000)
#           generated calls, the rollups rebuilt and every report timed (bench/reports.sh,
#           its own stack); run alone, it updates only its own section of BENCHMARKS.md
#   soak    (not in "all": an hour) BENCH_SOAK_RATE calls/s for BENCH_SOAK_S s with RTP on
#           part of the calls and agents signing in and taking breaks from the web: no
#           failed call, every process's RSS and descriptors flat, no agent stuck
#           (bench/soak.sh, its knobs there); run alone, it updates only its own section
#           and line of BENCHMARKS.md and bench/soak-rss.svg
#   nodes   (not in "all": its own stack) two B2BUA nodes sharing the agents: calls/s with
#           every call answered, double bookings under contention (must be 0), a node
#           killed under load (bench/nodes.sh, its knobs there); run alone, it updates only
#           its own section and line of BENCHMARKS.md
#   agents  (not in "all": its own stack) CPU per call with BENCH_AGENTS_FEW and then
#           BENCH_AGENTS_MANY agents signed in (bench/agents.sh, its knobs there); run
#           alone, it updates only its own section and line of BENCHMARKS.md
#   hold    (by hand) start the stack with the bench agents signed in and wait
#           BENCH_HOLD_S [1200] s or until the file bench/stop in the state folder exists
#
# It starts its own stack (scripts/stack.sh) in a private state folder on free
# loopback ports, and stops everything it started, by pid, on exit or failure.
# No standard input; every load is bounded in count and time (about 22 minutes
# for "all").
#
# Knobs (environment; defaults in brackets):
#   BENCH_AGENTS [2000]          bench agents (SIP users 20000..), registered by sipp
#   BENCH_AGENT_PROCS [2]        sipp processes sharing them (from 127.0.0.2, .3, ...)
#   BENCH_STEP_S [30]            seconds of load per rate step
#   BENCH_RATES_NORTP ["250 300 350 400 450 500"] 4003, no RTP (calls/s; a series stops
#   BENCH_RATES_RTP ["125 150 175 200 250"]     4003, RTP      at its first failed step;
#   BENCH_RATES_MOH_NORTP ["100 150 200 250"]   4001, no RTP   an empty list skips it)
#   BENCH_RATES_MOH_RTP [""]                    4001, RTP
#   BENCH_REPEAT [3]             runs of each rate of part 1: a rate passes when every run
#                                passes; part 2's figures are the runs' median (min-max)
#   BENCH_RETRY [1]              try a failed run once more before the series stops (0: no)
#   BENCH_HOLD_MS [2000]         the caller hangs up this long after the B2BUA answers it
#   BENCH_ANSWER_MS [200]        agents' phones ring this long before answering
#   BENCH_MEM_CALLS ["500 1000"] concurrent calls held for the memory figure
#   BENCH_MEM_SETTLE_S [36]      wait after the last call is up / hung up (the ~32 s transaction tail)
#   BENCH_POP_CALLS [100]        calls to the browser's agent, one after another (idle)
#   BENCH_POP_LOAD_CALLS [60]    the same under background load (0: skip)
#   BENCH_POP_LOAD_RATE [200]    background calls/s to 4003 (no RTP) during that run
#   BENCH_IMPORT_ROWS [10000]    rows of the agents' import (the import takes 20,000 at most)
#   BENCH_TASK_ROWS [100000]     targets of the outbound task's file (the goal: under 10 s)
#   BENCH_IVR_RATE [100]         calls/s of the ivr part (both numbers)
#   BENCH_IVR_HOLD_MS [5000]     the ivr part's callers hang up this long after the answer
#                                (the flow takes about 2 s before the queue)
#   CC_B2BUA_OPTS, CC_KAMAILIO_CHILDREN, CC_RTPENGINE_THREADS: passed to scripts/stack.sh
#   KEEP_STATE=1                 keep the state folder (logs, database, raw figures)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/build/bin
sipdir=$top/tests/sip
benchdir=$top/bench

parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(all)
if [ "${parts[0]}" = all ]; then parts=(memory calls pop import ivr pacing tasks acd); fi
REPORT_ONLY=""
if [ "${parts[0]}" = report ]; then
  # bench/run.sh report STATE: BENCHMARKS.md again from a kept run's figures.
  REPORT_ONLY=${parts[1]:-}
  [ -f "$REPORT_ONLY/bench/knobs.env" ] || { echo "usage: bench/run.sh report STATE_FOLDER (of a run kept with KEEP_STATE=1)" >&2; exit 2; }
else
  for p in "${parts[@]}"; do
    case $p in memory|calls|pop|import|ivr|pacing|tasks|acd|fuzz|soak|hold|reports|nodes|agents) ;; *) echo "usage: bench/run.sh [all|memory|calls|pop|import|ivr|pacing|tasks|acd|fuzz|soak|hold|reports|nodes|agents ...] | report STATE_FOLDER" >&2; exit 2 ;; esac
  done
fi

AGENTS=${BENCH_AGENTS:-2000}
AGENT_BASE=20000                # the bench agents' SIP users: 20000.. (clear of the demo's and 7001)
AGENT_PROCS=${BENCH_AGENT_PROCS:-2}
STEP_S=${BENCH_STEP_S:-30}
RATES_NORTP=${BENCH_RATES_NORTP-"250 300 350 400 450 500"}
RATES_RTP=${BENCH_RATES_RTP-"125 150 175 200 250"}
RATES_MOH_NORTP=${BENCH_RATES_MOH_NORTP-"100 150 200 250"}
RATES_MOH_RTP=${BENCH_RATES_MOH_RTP-""}
HOLD_MS=${BENCH_HOLD_MS:-2000}
ANSWER_MS=${BENCH_ANSWER_MS:-200}
MEM_CALLS=${BENCH_MEM_CALLS:-"500 1000"}
MEM_SETTLE_S=${BENCH_MEM_SETTLE_S:-36}
POP_CALLS=${BENCH_POP_CALLS:-100}
POP_LOAD_CALLS=${BENCH_POP_LOAD_CALLS:-60}
POP_LOAD_RATE=${BENCH_POP_LOAD_RATE:-200}
IMPORT_ROWS=${BENCH_IMPORT_ROWS:-10000}
TASK_ROWS=${BENCH_TASK_ROWS:-100000}
IVR_RATE=${BENCH_IVR_RATE:-100}
IVR_HOLD_MS=${BENCH_IVR_HOLD_MS:-5000}
IVR_NUMBER=4004
REPEAT=${BENCH_REPEAT:-3}
RETRY=${BENCH_RETRY:-1}
RTP_PORTS=12000                 # 4 rtpengine ports per call: room for 3,000 calls
T_START=$(date +%s)
HZ=$(getconf CLK_TCK)

# The demo data's ids and numbers: tests/demo.env, as the tests name them.
demo() { sed -n "s/^$1=//p" "$top/tests/demo.env"; }
DEMO_HQ=$(demo HQ) DEMO_DEPT=$(demo DEPT) DEMO_ROLE=$(demo AGENT_ROLE) DEMO_AGENTS=$(demo AGENTS)
DEMO_GROUP=$(demo GROUP) DEMO_NUMBER=$(demo NUMBER) DEMO_CALLER=$(demo KNOWN_CALLER)
DEMO_MOH=$(demo AUDIO_MOH) DEMO_NO_AGENT=$(demo AUDIO_NO_AGENT)

say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }
now_ms() { date +%s%3N; }

# --- what we start, and stopping it --------------------------------------------

pids=()          # helper processes (sipp, node), ended by pid
track() { pids+=("$1"); }
stop_pid() { # pid: TERM, then KILL after 5 s
  local p=$1
  kill -0 "$p" 2>/dev/null || return 0
  kill -TERM "$p" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null
  wait "$p" 2>/dev/null
  return 0
}
failed_run=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local p
  for p in "${pids[@]+"${pids[@]}"}"; do stop_pid "$p"; done
  if [ -n "${CC_STATE:-}" ] && [ -d "$CC_STATE" ]; then
    CC_STATE=$CC_STATE "$top/scripts/stack.sh" stop >/dev/null 2>&1
    if [ "${KEEP_STATE:-0}" = 1 ] || [ $rc -ne 0 ] || [ $failed_run = 1 ]; then
      say "state kept in $CC_STATE"
    else
      rm -rf "$CC_STATE"
    fi
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- ports: free loopback ports, and a wide RTP range ----------------------------
# scripts/stack.sh's CC_PORTS=auto gives rtpengine 2,000 ports (500 calls);
# the memory and rate figures need more, so the ports are chosen here.

port_busy() { ss -Hln"${1:0:1}" "sport = :$2" 2>/dev/null | grep -q .; }
taken=" "
pick() { # VAR [pair]: a free TCP+UDP port in 20000..39999 not handed out yet (pair: even, and p+1 free)
  local p
  while :; do
    p=$(( (RANDOM * 32768 + RANDOM) % 20000 + 20000 ))
    [ "${2:-}" = pair ] && p=$(( p / 2 * 2 ))
    [[ $taken == *" $p "* || $taken == *" $((p + 1)) "* ]] && continue
    port_busy tcp "$p" && continue
    port_busy udp "$p" && continue
    [ "${2:-}" = pair ] && port_busy udp "$((p + 1))" && continue
    break
  done
  taken="$taken$p $((p + 1)) "
  printf -v "$1" '%s' "$p"
}
rtp_range() { # the first window of RTP_PORTS ports in 40000..64999 with no UDP socket bound
  local used base
  used=$(ss -Huan 2>/dev/null | awk '{n=split($4,a,":"); print a[n]}' | sort -n)
  for base in $(seq 40000 2000 $((65000 - RTP_PORTS))); do
    if ! awk -v lo="$base" -v hi="$((base + RTP_PORTS - 1))" '$1 >= lo && $1 <= hi { f = 1 } END { exit !f }' <<<"$used"; then
      echo "$base"; return
    fi
  done
  echo 40000
}

# --- the stack --------------------------------------------------------------------

sql() { mariadb --no-defaults -S "$DB_SOCKET" -u root cc -N -B -e "$1"; }
ctlq() { node "$benchdir/ctl.js" "127.0.0.1:$CTL_PORT" "$CTL_SECRET_FILE" "$@"; }
svc_pid() { cat "$CC_STATE/run/$1.pid" 2>/dev/null; }

stack() { # start [args] | stop: scripts/stack.sh on the ports chosen here
  env -u CC_PORTS CC_QUIET=1 CC_HTTP_PORT="$P_HTTP" CC_SIP_PORT="$P_SIP" CC_B2BUA_PORT="$P_B2BUA" \
    CC_NG_PORT="$P_NG" CC_DTMF_PORT="$P_DTMF" CC_CTL_PORT="$P_CTL" CC_DB_PORT="$P_DB" CC_WS_PORT="$P_WS" \
    CC_RTP_MIN="$P_RTP" CC_RTP_MAX="$((P_RTP + RTP_PORTS - 1))" CC_COOKIE_SECURE=no \
    CC_B2BUA_OPTS="reload_s=0 moh_delay_ms=0 ${CC_B2BUA_OPTS:-}" "$top/scripts/stack.sh" "$@"
}

# The bench data goes into the database before the B2BUA starts (the
# database is started alone first, loaded, stopped, then the whole stack
# starts), and the periodic reload is off (reload_s=0) so that re-reading
# 2,000 agents never falls inside a measured step. moh_delay_ms=0: on 4001
# the music starts as soon as a call is queued, the costliest case (with the
# default 1 s delay, calls answered within a second never start it).
start_stack() {
  CC_STATE=$(mktemp -d /tmp/cc-bench.XXXXXX)
  export CC_STATE
  out=$CC_STATE/bench
  mkdir -p "$out"
  P_RTP=$(rtp_range)
  pick P_HTTP; pick P_SIP; pick P_B2BUA; pick P_NG; pick P_DTMF; pick P_CTL; pick P_DB; pick P_WS
  pick GW_PORT; pick GW_MP pair; pick PHONE_PORT; pick PHONE_MP pair; pick POP_GW_PORT; pick POP_GW_MP pair
  AG_PORTS=(); AG_MPS=()
  local i
  for i in $(seq 1 "$AGENT_PROCS"); do pick _p; AG_PORTS+=("$_p"); pick _p pair; AG_MPS+=("$_p"); done
  say "starting the stack in $CC_STATE (RTP ports $P_RTP..$((P_RTP + RTP_PORTS - 1)))"
  stack start --demo --only db >"$out/stack-start.log" 2>&1 || { cat "$out/stack-start.log" >&2; die "the database did not start"; }
  # shellcheck disable=SC1091
  . "$CC_STATE/etc/ports.env"
  setup_data
  stack stop >>"$out/stack-start.log" 2>&1
  stack start --demo >>"$out/stack-start.log" 2>&1 || { cat "$out/stack-start.log" >&2; die "the stack did not start"; }
  # shellcheck disable=SC1091
  . "$CC_STATE/etc/ports.env"
  local want=$((AGENTS + DEMO_AGENTS + 1)) n=0
  for _ in $(seq 1 100); do
    n=$(ctlq agent-count 2>>"$out/ctl.err" || echo 0)
    [ "$n" -ge "$want" ] && break
    sleep 0.2
  done
  [ "$n" -ge "$want" ] || die "the B2BUA loaded $n agents, want $want"
}

# Bench data: AGENTS agents (users 0b…, SIP AGENT_BASE..) in the demo's skill-group
# department: group 1 (number 4001, music on hold as in the demo) with wrap-up
# 0, ring timeout 15 s, no welcome prompt; group 3 (number 4003, the same
# agents as extra members, without music on hold); for the pop test one
# agent "popagent" (SIP 7001) alone in group 2 (number 4002, the demo's IVR
# number, taken from the demo's flow), so that its calls are its own; and for
# the ivr part number 4004, bound to a published five-node flow: a 0.3 s tone,
# a menu (the same tone) left by its 1 s timeout for group 3's queue, a
# hang-up.
setup_data() {
  local first=$AGENT_BASE last=$((AGENT_BASE + AGENTS - 1)) bulk
  bulk=$("$top/tests/fixtures/bulk-agents.sh" 0b bench Bench "$first" "$last" "$DEMO_DEPT" "$SIP_REALM") ||
    die "bench agents' SQL not made"
  sql "
$bulk
UPDATE cc_skill_group SET wrapup_s = 0, ring_timeout_s = 15, max_wait_s = 60 WHERE id = $DEMO_GROUP;
UPDATE cc_number SET welcome_audio_id = NULL WHERE number = '$DEMO_NUMBER';
DELETE FROM cc_number WHERE number = '4002';

INSERT INTO uk_organ (ID, NAME, CODE, PARENT, SKILL, CREATETIME) VALUES
  ('0a000000000000000000000000000003', 'bench pop', 'BPOP', '$DEMO_HQ', 1, NOW());
INSERT INTO uk_organrole (id, organ_id, role_id, dicvalue, createtime) VALUES
  ('0g000000000000000000000000000003', '0a000000000000000000000000000003', '$DEMO_ROLE', 'A01', NOW()),
  ('0g000000000000000000000000000004', '0a000000000000000000000000000003', '$DEMO_ROLE', 'A10', NOW());
INSERT INTO cs_user (ID, USERNAME, PASSWORD, uname, agent, callcenter, createtime) VALUES
  ('0p000000000000000000000000000001', 'popagent', MD5(MD5('pop12345')), 'Pop Agent', 1, 1, NOW());
INSERT INTO cs_organ_user (userid, organ, createtime) VALUES
  ('0p000000000000000000000000000001', '0a000000000000000000000000000003', NOW());
INSERT INTO cc_sip_account (user_id, username, domain, ha1, ha1b) VALUES
  ('0p000000000000000000000000000001', '7001', '$SIP_REALM', MD5(CONCAT('7001:', '$SIP_REALM', ':sip7001')),
   MD5(CONCAT('7001@', '$SIP_REALM', ':', '$SIP_REALM', ':sip7001')));
INSERT INTO cc_agent (user_id) VALUES ('0p000000000000000000000000000001');
INSERT INTO cc_skill_group (id, organ_id, name, ring_timeout_s, max_wait_s, wrapup_s, moh_audio_id, no_agent_audio_id)
  VALUES (2, '0a000000000000000000000000000003', 'bench pop', 15, 60, 0, $DEMO_MOH, $DEMO_NO_AGENT);
INSERT INTO cc_number (number, name, skill_group_id, welcome_audio_id) VALUES ('4002', 'bench pop', 2, NULL);
INSERT INTO uk_organ (ID, NAME, CODE, PARENT, SKILL, CREATETIME) VALUES
  ('0a000000000000000000000000000004', 'bench no music', 'BNOMOH', '$DEMO_HQ', 1, NOW());
INSERT INTO cc_skill_group (id, organ_id, name, ring_timeout_s, max_wait_s, wrapup_s, moh_audio_id, no_agent_audio_id)
  VALUES (3, '0a000000000000000000000000000004', 'bench no music', 15, 60, 0, NULL, $DEMO_NO_AGENT);
INSERT INTO cc_skill_group_member (skill_group_id, user_id)
  SELECT 3, CONCAT('0b', LPAD(seq, 30, '0')) FROM seq_${first}_to_$last;
INSERT INTO cc_number (number, name, skill_group_id, welcome_audio_id) VALUES ('4003', 'bench no music', 3, NULL);
" || die "bench data not loaded"
  setup_ivr_data
  sql "SELECT user_id FROM cc_agent WHERE user_id LIKE '0b%' ORDER BY user_id" > "$out/agent-ids"
}

setup_ivr_data() {
  mkdir -p "$CC_STATE/audio"
  sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/bench-ivr.wav" synth 0.3 sine 440 2>/dev/null ||
    die "sox could not make the IVR prompt"
  local a flow
  a=$(sql "INSERT INTO cc_audio (name, filename, kind) VALUES ('bench ivr', 'bench-ivr.wav', 'prompt'); SELECT LAST_INSERT_ID()") ||
    die "bench IVR prompt not loaded"
  flow="<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<flow xmlns=\"urn:cc:ivr-flow:1\" name=\"bench ivr\">
  <start id=\"start\" next=\"greet\"/>
  <play id=\"greet\" next=\"menu\"><prompt audio=\"$a\"/></play>
  <menu id=\"menu\" fallback=\"queue\" timeout-s=\"1\" retries=\"0\">
    <prompt audio=\"$a\"/>
    <key digit=\"1\" next=\"queue\"/>
  </menu>
  <queue id=\"queue\" group=\"3\" next=\"bye\"/>
  <hangup id=\"bye\"/>
</flow>
"
  printf '%s' "$flow" > "$out/ivr-flow.xml"
  sql "
INSERT INTO cc_ivr_flow (name, draft, draft_rev, published_version, published_rev)
  VALUES ('bench ivr', FROM_BASE64('$(base64 -w0 "$out/ivr-flow.xml")'), 1, 1, 1);
SET @flow = LAST_INSERT_ID();
INSERT INTO cc_ivr_version (flow_id, version, document) SELECT @flow, 1, draft FROM cc_ivr_flow WHERE id = @flow;
INSERT INTO cc_number (number, name, \`usage\`, ivr_flow_id) VALUES ('$IVR_NUMBER', 'bench ivr', 'inbound', @flow);
" || die "bench IVR flow not loaded"
}

# Agents' phones: AGENT_PROCS sipp processes, each registering its share of
# the agents (injection files made here) and answering with SCENARIO.
# agent_share I: the Ith agents' sipp process's share of the bench agents
# (SIP users AGENT_BASE..) into $out/agents-I.csv; prints how many.
agent_share() {
  local per=$(( (AGENTS + AGENT_PROCS - 1) / AGENT_PROCS )) off n
  off=$((AGENT_BASE + $1 * per)); n=$per
  [ $((off + n)) -gt $((AGENT_BASE + AGENTS)) ] && n=$((AGENT_BASE + AGENTS - off))
  printf 'SEQUENTIAL,PRINTF=%d,PRINTFOFFSET=%d\n%%d;sip%%d\n' "$n" "$off" > "$out/agents-$1.csv"
  echo "$n"
}

agents_up() { # rtp|nortp
  local mode=$1 uas=$sipdir/agent/uas.xml
  [ "$mode" = nortp ] && uas=$benchdir/sip/agent-uas-nortp.xml
  [ "${AGENTS_MODE:-}" = "$mode" ] && return 0
  agents_down
  local i n
  AG_PIDS=()
  for i in $(seq 0 $((AGENT_PROCS - 1))); do
    n=$(agent_share "$i")
    sipp "127.0.0.1:$SIP_PORT" -sf "$sipdir/agent-pool/uac.xml" -oocsf "$uas" \
      -inf "$out/agents-$i.csv" -i "127.0.0.$((2 + i))" -p "${AG_PORTS[$i]}" -mp "${AG_MPS[$i]}" \
      -m "$n" -l "$n" -r 400 -nostdin -set stay_ms 3000000 -set expires 3600 -set answer_ms "$ANSWER_MS" \
      -trace_stat -stf "$out/agents-$mode-$i.csv" -fd 1 -trace_err -error_file "$out/agents-$mode-$i.err" \
      >"$out/agents-$mode-$i.out" 2>&1 &
    AG_PIDS+=($!); track $!
  done
  AGENTS_MODE=$mode
  local r=0
  for _ in $(seq 1 150); do
    r=$(ctlq registered-count 2>/dev/null || echo 0)
    [ "$r" -ge "$AGENTS" ] && break
    sleep 0.2
  done
  [ "$r" -ge "$AGENTS" ] || die "only $r of $AGENTS agents registered"
  say "$AGENTS agents registered ($mode, $AGENT_PROCS sipp processes)"
}
agents_down() {
  local p
  for p in "${AG_PIDS[@]+"${AG_PIDS[@]}"}"; do stop_pid "$p"; done
  AG_PIDS=(); AGENTS_MODE=
}
agents_state() { # ready|logged_out
  ctlq state "$1" < "$out/agent-ids" >/dev/null || die "agents not set $1"
}

# --- measuring --------------------------------------------------------------------

# Components whose CPU is counted, and how to find their processes.
comps=(kamailio rtpengine b2bua mariadb web nginx sipp-gw sipp-agents)
comp_pids() { # component -> pids
  case $1 in
    kamailio) ps -o pid= -s "$(svc_pid kamailio)" ;;
    rtpengine) svc_pid rtpengine ;;
    b2bua) local f; for f in "$CC_STATE"/run/b2bua-*.pid; do cat "$f" 2>/dev/null; done ;;
    mariadb) svc_pid db ;;
    web) svc_pid web ;;
    nginx) ps -o pid= -s "$(svc_pid nginx)" ;;
    sipp-gw) echo "${GW_PIDS:-}" ;;
    sipp-agents) echo "${AG_PIDS[*]:-} ${PHONE_PID:-}" ;;
  esac
}
# snap_init resolves the processes once; snap reads utime+stime (all threads)
# of each in one awk, plus the machine's busy and total jiffies.
snap_init() {
  SNAP_MAP=""
  local c p
  for c in "${comps[@]}"; do
    for p in $(comp_pids "$c"); do SNAP_MAP+="$c $p "; done
  done
}
snap() {
  local f=() w p
  for w in $SNAP_MAP; do
    [[ $w =~ ^[0-9]+$ ]] && [ -r "/proc/$w/stat" ] && f+=("/proc/$w/stat")
  done
  awk -v map="$SNAP_MAP" -v comps="${comps[*]}" '
    BEGIN { n = split(map, a, " "); for (i = 1; i < n; i += 2) comp[a[i + 1]] = a[i]
            m = split(comps, cs, " "); for (i = 1; i <= m; i++) t[cs[i]] = 0 }
    FILENAME == "/proc/stat" { if ($1 == "cpu") box = ($2+$3+$4+$7+$8) ":" ($2+$3+$4+$5+$6+$7+$8); next }
    { pid = FILENAME; gsub(/[^0-9]/, "", pid); line = $0; sub(/^.*\) /, "", line)
      split(line, x, " "); t[comp[pid]] += x[12] + x[13] }
    END { for (c in t) printf "%s=%d ", c, t[c]; print "box=" box }' "${f[@]}" /proc/stat
}
snap_get() { # snapshot key
  local v; v=$(tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"); echo "${v:-0}"
}
# CPU of each component between two snapshots, in % of one core: "comp=pct
# ...", then the whole machine's busy share (100 = every core) and what none
# of the components used (other users' processes, the kernel's own work), in
# % of one core. One awk: the sampler calls it every second.
cpu_between() { # snap0 snap1 ms
  awk -v a="$1" -v b="$2" -v ms="$3" -v hz="$HZ" -v comps="${comps[*]}" 'BEGIN {
    n = split(a, x, " "); for (i = 1; i <= n; i++) { split(x[i], kv, "="); A[kv[1]] = kv[2] }
    n = split(b, x, " "); for (i = 1; i <= n; i++) { split(x[i], kv, "="); B[kv[1]] = kv[2] }
    if (ms < 1) ms = 1
    m = split(comps, cs, " "); mine = 0
    for (i = 1; i <= m; i++) { c = cs[i]; d = B[c] - A[c]; mine += d; printf "%s=%d ", c, d * 100000 / hz / ms }
    split(A["box"], ba, ":"); split(B["box"], bb, ":")
    busy = bb[1] - ba[1]; tot = bb[2] - ba[2]
    printf "box=%d other=%d\n", (tot > 0 ? busy * 100 / tot : 0), (busy - mine) * 100000 / hz / ms }'
}
# The CPU (ms) of this shell's reaped children: read around the wait for sipp.
# `times` runs in this shell (a $(...) would report the subshell's children).
child_ms() { # VAR
  times > "$out/times"
  printf -v "$1" '%s' "$(tail -n 1 "$out/times" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] } printf "%d", s * 1000 }')"
}
udp_errs() { awk '/^Udp: [0-9]/ { print $4 + $6 }' /proc/net/snmp; }   # InErrors + RcvbufErrors
# Datagrams dropped because a socket's receive buffer was full (/proc/net/udp "drops").
ng_drops() { awk -v p="$(printf '%04X' "$NG_PORT")" 'NR > 1 && $2 ~ ":" p "$" { d = $NF } END { print d + 0 }' /proc/net/udp; }
b2bua_drops() { awk -v p="$(printf '%04X' "$B2BUA_PORT")" 'NR > 1 && $2 ~ ":" p "$" { d = $NF } END { print d + 0 }' /proc/net/udp; }
sip_drops() { awk -v p="$(printf '%04X' "$SIP_PORT")" 'NR > 1 && $2 ~ ":" p "$" { s += $NF } END { print s + 0 }' /proc/net/udp; }
# MariaDB's own counters: prepared statements run, transactions committed,
# and every statement (text protocol included: the bench's own queries).
db_status() {
  sql "SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_stmt_execute', 'Com_commit', 'Questions', 'Handler_commit')" |
    awk '{ printf "%s=%s ", $1, $2 }'
}
# Per answered call between two db_status: "db_stmts_per_call=... db_commits_per_call=..."
db_between() { # status0 status1 calls
  awk -v a="$1" -v b="$2" -v calls="$3" 'BEGIN {
    n = split(a, x, " "); for (i = 1; i <= n; i++) { split(x[i], kv, "="); A[kv[1]] = kv[2] }
    n = split(b, x, " "); for (i = 1; i <= n; i++) { split(x[i], kv, "="); B[kv[1]] = kv[2] }
    if (calls < 1) calls = 1
    printf "db_stmts_per_call=%.2f db_commits_per_call=%.2f", (B["Com_stmt_execute"] - A["Com_stmt_execute"]) / calls,
      (B["Com_commit"] - A["Com_commit"]) / calls }'
}
# CPU time per answered call of each component between two snapshots (µs):
# "us_kamailio=... us_b2bua=...".
us_between() { # snap0 snap1 calls
  awk -v a="$1" -v b="$2" -v calls="$3" -v hz="$HZ" -v comps="${comps[*]}" 'BEGIN {
    n = split(a, x, " "); for (i = 1; i <= n; i++) { split(x[i], kv, "="); A[kv[1]] = kv[2] }
    n = split(b, x, " "); for (i = 1; i <= n; i++) { split(x[i], kv, "="); B[kv[1]] = kv[2] }
    if (calls < 1) calls = 1
    m = split(comps, cs, " ")
    for (i = 1; i <= m; i++) { c = cs[i]; printf "us_%s=%d ", c, (B[c] - A[c]) * 1000000 / hz / calls } }'
}
# rtpengine's own account of its control commands: count and total seconds
# spent per command since it started ("offer=N:S answer=N:S ...").
ng_stats() {
  "$bin/cc-ngctl" -a "127.0.0.1:$NG_PORT" statistics 2>/dev/null | jq -r '
    [.statistics.controlstatistics.proxies[]?] as $p
    | ["offer", "answer", "delete", "playmedia", "stopmedia"]
    | map(. as $c | "\($c)=\([$p[] | .[$c + "count"] // 0 | tonumber] | add // 0):\([$p[] | .[$c + "duration"] // "0" | tonumber] | add // 0)")
    | join(" ")' 2>/dev/null
}
# Per command between two ng_stats: "ng_offer_ms=avg ... ng_total_ms=sum"
ng_between() { # stats0 stats1 calls
  awk -v a="$1" -v b="$2" -v calls="$3" 'BEGIN {
    n = split(a, x, " "); for (i = 1; i <= n; i++) { split(x[i], kv, "="); split(kv[2], cd, ":"); c0[kv[1]] = cd[1]; d0[kv[1]] = cd[2] }
    n = split(b, x, " "); for (i = 1; i <= n; i++) { split(x[i], kv, "="); split(kv[2], cd, ":")
      dc = cd[1] - c0[kv[1]]; dd = cd[2] - d0[kv[1]]; tot += dd
      printf "ng_%s_n=%d ng_%s_ms=%.2f ", kv[1], dc, kv[1], (dc > 0 ? dd * 1000 / dc : 0) }
    printf "ng_ms_per_call=%.2f", (calls > 0 ? tot * 1000 / calls : 0) }'
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$(svc_pid b2bua-1)/status"; }
# The B2BUA's heap in use (glibc malloc_stats, all arenas and mmapped
# chunks), read by gdb; it prints on the B2BUA's stderr, which is its log.
# Empty without gdb.
heap_kb() {
  command -v gdb >/dev/null || return 0
  local log=$CC_STATE/log/b2bua-1.log n
  n=$(wc -l < "$log")
  timeout 20 gdb -p "$(svc_pid b2bua-1)" -batch -ex 'call ((void(*)(void))malloc_stats)()' >/dev/null 2>&1
  tail -n +"$((n + 1))" "$log" | awk '/^Total/ { t = 1 } t && /in use bytes/ { printf "%d", $NF / 1024; exit }'
}

# Per-second CPU of each component while a step runs (for peaks) and the
# B2BUA's RSS.
sampler_start() { # file
  ( prev=$(snap); pt=$(now_ms)
    while sleep 1; do
      cur=$(snap); t=$(now_ms)
      echo "$((t / 1000)) $(cpu_between "$prev" "$cur" $((t - pt))) rss=$(rss_kb)"
      prev=$cur; pt=$t
    done ) >"$1" 2>/dev/null &
  SAMPLER=$!; track $SAMPLER
}
sampler_stop() { stop_pid "$SAMPLER"; }
peak() { # file key -> the highest per-second value
  awk -v k="$2" '{ for (i = 2; i <= NF; i++) { split($i, a, "="); if (a[1] == k && a[2] + 0 > m) m = a[2] + 0 } } END { print m + 0 }' "$1"
}

# sipp's cumulative counters from its -trace_stat file (last line).
stat_last() { # file field-name -> value
  [ -s "$1" ] || { echo 0; return; }
  awk -F';' -v want="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) c = i; next }
    { v = $c } END { print (c && v != "") ? v + 0 : 0 }' "$1"
}
# Calls created per second over the time they were created in (sipp's own
# CallRate(C) also counts the last calls' hold time).
stat_rate() { # file
  awk -F';' 'function s(x,  a) { split(x, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
    NR > 1 { n = $13 + 0; if (n != last) { t = s($5); last = n } }
    END { if (n > 0 && t > 0) printf "%.0f", n / t; else print 0 }' "$1"
}

calls_now() { # [since-ms]: calls up (started since), every node's
  local p n sum=0
  for p in ${CTL_PORTS:-$CTL_PORT}; do
    n=$(node "$benchdir/ctl.js" "127.0.0.1:$p" "$CTL_SECRET_FILE" call-count any "${1:-}" 2>/dev/null) || { echo -1; return; }
    sum=$((sum + n))
  done
  echo "$sum"
}
wait_calls_gone() { # seconds [since-ms]
  local end=$(( $(date +%s) + $1 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    [ "$(calls_now "${2:-}")" = 0 ] && return 0
    sleep 0.5
  done
  return 1
}
wait_records() { # since-ms seconds: every call record since then has its result
  local end=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    [ "$(sql "SELECT COUNT(*) FROM cc_call WHERE started_at >= FROM_UNIXTIME($1 / 1000) AND result IS NULL")" = 0 ] && return 0
    sleep 0.5
  done
  return 1
}

pct() { # p file-of-numbers -> nearest-rank percentile, whole ms
  sort -n "$2" | awk -v p="$1" '{ a[NR] = $1 } END { if (!NR) { print "-"; exit }
    i = int(p / 100 * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; printf "%d", a[i] + 0.5 }'
}

# --- part 1: calls per second ----------------------------------------------------

# One step: RATE calls/s for STEP_S seconds from the gateway to NUMBER.
# Appends one line of key=value to $out/steps.txt; fails when any call failed.
calls_step() { # series number rtp|nortp rate try [run]
  local series=$1 number=$2 mode=$3 rate=$4 try=${5:-1} run=${6:-1} n=$(( $4 * STEP_S ))
  local dir=$out/step-$1-$4-${6:-1}-${5:-1}
  local gwsf=$sipdir/gateway/uac.xml
  [ "$mode" = nortp ] && gwsf=$benchdir/sip/gateway-uac-nortp.xml
  mkdir -p "$dir"
  local i ag_fail0=0 ag_fail=0
  for i in $(seq 0 $((AGENT_PROCS - 1))); do
    ag_fail0=$((ag_fail0 + $(stat_last "$out/agents-$mode-$i.csv" 'FailedCall(C)')))
  done
  local udp0 ng0 b0 k0 rss0 ngs0; udp0=$(udp_errs); ng0=$(ng_drops); b0=$(b2bua_drops); k0=$(sip_drops); rss0=$(rss_kb)
  ngs0=$(ng_stats)
  local dbs0; dbs0=$(db_status)
  sql "SHOW GLOBAL STATUS" > "$dir/db-status-0.txt" 2>/dev/null || true
  say "calls: $series: $rate/s to $number for ${STEP_S}s ($n calls)$( [ "$run" = 1 ] || echo ", run $run")$( [ "$try" = 1 ] || echo ", try $try")"
  local c0 t0 s0; child_ms c0; t0=$(now_ms)
  timeout $((STEP_S + HOLD_MS / 1000 + 90)) sipp "127.0.0.1:$SIP_PORT" -sf "$gwsf" -i 127.0.0.1 \
    -p "$GW_PORT" -mp "$GW_MP" -s "$number" -nostdin -r "$rate" -m "$n" -l $((rate * 20)) \
    -set hold_ms "$HOLD_MS" -trace_stat -stf "$dir/gw.csv" -fd 1 -trace_err -error_file "$dir/gw.err" \
    >"$dir/gw.out" 2>&1 &
  GW_PIDS=$!; track $GW_PIDS
  snap_init; s0=$(snap)
  sampler_start "$dir/cpu.txt"
  wait "$GW_PIDS"; local rc=$?
  local t1 s1 c1; child_ms c1; s1=$(snap); t1=$(now_ms)
  sampler_stop
  GW_PIDS=
  # Every call of the step should be gone by now: its caller hung up (or gave
  # up) at most hold + 32 s ago. What is still up after a minute is stuck.
  local stuck=0
  wait_calls_gone 60 "$t0" || { stuck=$(calls_now "$t0"); say "calls still up after 60 s: $stuck"; }
  wait_records "$t0" 30 || say "call records still open after 30 s"
  local s2 ngs1 dbs1; s2=$(snap); ngs1=$(ng_stats); dbs1=$(db_status)
  sql "SHOW GLOBAL STATUS" > "$dir/db-status-1.txt" 2>/dev/null || true
  for i in $(seq 0 $((AGENT_PROCS - 1))); do
    ag_fail=$((ag_fail + $(stat_last "$out/agents-$mode-$i.csv" 'FailedCall(C)')))
  done
  ag_fail=$((ag_fail - ag_fail0))
  local att ok fail retr achieved
  att=$(stat_last "$dir/gw.csv" 'OutgoingCall(C)')
  ok=$(stat_last "$dir/gw.csv" 'SuccessfulCall(C)')
  fail=$(stat_last "$dir/gw.csv" 'FailedCall(C)')
  retr=$(stat_last "$dir/gw.csv" 'Retransmissions(C)')
  achieved=$(stat_rate "$dir/gw.csv")
  local w="started_at >= FROM_UNIXTIME($t0 / 1000) AND started_at <= FROM_UNIXTIME($t1 / 1000) AND callee = '$number'"
  local db answered other
  db=$(sql "SELECT CONCAT(COALESCE(result, 'open'), IF(cause IS NULL, '', CONCAT(' (', cause, ')'))), COUNT(*) FROM cc_call WHERE $w GROUP BY 1" | awk -F'\t' '{ printf "%s%s: %s", (NR > 1 ? ", " : ""), $1, $2 }')
  answered=$(sql "SELECT COUNT(*) FROM cc_call WHERE $w AND result = 'answered'")
  other=$(sql "SELECT COUNT(*) FROM cc_call WHERE $w AND COALESCE(result, '') <> 'answered'")
  sql "SELECT TIMESTAMPDIFF(MICROSECOND, started_at, answered_at) / 1000 FROM cc_call WHERE $w AND answered_at IS NOT NULL" > "$dir/setup-ms"
  local ms=$(( t1 - t0 ))
  local cpu; cpu=$(cpu_between "$s0" "$s1" "$ms")
  # sipp as the gateway has exited by now: its CPU from the shell's children times.
  cpu=$(sed "s/sipp-gw=[0-9-]*/sipp-gw=$(( (c1 - c0) * 100 / ms ))/" <<<"$cpu")
  local peaks="" k
  for k in "${comps[@]}" box other; do peaks+="${k}_peak=$(peak "$dir/cpu.txt" "$k") "; done
  local b2b_us=0 b2b_net=0 t2; t2=$(now_ms)
  if [ "$answered" -gt 0 ]; then
    b2b_us=$(( ( $(snap_get "$s2" b2bua) - $(snap_get "$s0" b2bua) ) * 1000000 / HZ / answered ))
    b2b_net=$(( b2b_us - ${IDLE_B2BUA_PPM:-0} * (t2 - t0) / 1000 / answered ))
  fi
  local pass=1
  if [ "$rc" -ne 0 ] || [ "$fail" -ne 0 ] || [ "$ag_fail" -ne 0 ] || [ "$att" -lt "$n" ] ||
     [ "$answered" -ne "$att" ] || [ "$other" -ne 0 ] || [ $(( achieved * 100 )) -lt $(( rate * 95 )) ]; then
    pass=0
  fi
  local line="series=$series number=$number mode=$mode rate=$rate run=$run try=$try secs=$((ms / 1000)) achieved=$achieved"
  line+=" attempted=$att ok=$ok failed=$fail agent_failed=$ag_fail retrans=$retr answered=$answered"
  line+=" db_other=$other pass=$pass sipp_rc=$rc setup_p50=$(pct 50 "$dir/setup-ms") setup_p99=$(pct 99 "$dir/setup-ms")"
  line+=" setup_max=$(pct 100 "$dir/setup-ms") udp_errs=$(( $(udp_errs) - udp0 )) ng_drops=$(( $(ng_drops) - ng0 ))"
  line+=" b2bua_drops=$(( $(b2bua_drops) - b0 )) sip_drops=$(( $(sip_drops) - k0 ))"
  line+=" stuck=$stuck b2bua_us_per_call=$b2b_us b2bua_net_us_per_call=$b2b_net rss0=$rss0 rss_peak=$(peak "$dir/cpu.txt" rss) $cpu $peaks"
  line+=" $(ng_between "$ngs0" "$ngs1" "$answered") $(db_between "$dbs0" "$dbs1" "$answered")"
  # Every component's CPU per answered call, from the step's start until its
  # records were written (the load generators': sipp as the gateway from the
  # shell's children times, as above).
  line+=" $(us_between "$s0" "$s2" "$answered" | sed "s/us_sipp-gw=[0-9-]*/us_sipp-gw=$(( answered > 0 ? (c1 - c0) * 1000 / answered : 0 ))/")"
  echo "$line|db=$db" >> "${STEPS_FILE:-$out/steps.txt}"
  say "  -> $(cut -d' ' -f4- <<<"$line" | sed 's/ rss0=.*//') [$db]"
  say "     cpu (% of one core): $cpu"
  [ $pass = 1 ]
}

# A series steps up the rates, running each rate REPEAT times; a failed run
# is tried once more (the machine is shared: a stall elsewhere can fail a
# run), and the series stops at the first rate with a run whose every try
# failed. Every run and try is reported.
calls_series() { # series number rtp|nortp "rates"
  local rate run ok
  [ -z "$4" ] && return 0
  agents_up "$3"
  agents_state ready
  for rate in $4; do
    ok=1
    for run in $(seq 1 "$REPEAT"); do
      if ! calls_step "$1" "$2" "$3" "$rate" 1 "$run"; then
        if [ "$RETRY" = 1 ]; then
          say "calls: $1 failed at $rate/s; once more"
          sleep 5
          calls_step "$1" "$2" "$3" "$rate" 2 "$run" && { sleep 3; continue; }
        fi
        ok=0
        break
      fi
      sleep 3
    done
    [ $ok = 1 ] || { say "calls: $1 fails at $rate/s; not going higher"; break; }
  done
}

# The B2BUA's CPU with no call (registration polls of every agent each
# second, timers), to tell the cost of a call from the cost of being up.
b2bua_idle() {
  agents_up nortp
  agents_state ready
  wait_calls_gone 60 || true
  sleep 2
  snap_init
  local s0 t0 s1 t1; s0=$(snap); t0=$(now_ms)
  sleep 10
  s1=$(snap); t1=$(now_ms)
  IDLE_B2BUA_PPM=$(( ( $(snap_get "$s1" b2bua) - $(snap_get "$s0" b2bua) ) * 1000000 / HZ * 1000 / (t1 - t0) ))
  echo "b2bua_idle_us_per_s=$IDLE_B2BUA_PPM secs=$(( (t1 - t0) / 1000 ))" > "$out/idle.txt"
  say "calls: the B2BUA idle uses $IDLE_B2BUA_PPM µs of CPU per second"
}

part_calls() {
  b2bua_idle
  calls_series nortp 4003 nortp "$RATES_NORTP"
  calls_series moh-nortp "$DEMO_NUMBER" nortp "$RATES_MOH_NORTP"
  calls_series rtp 4003 rtp "$RATES_RTP"
  calls_series moh-rtp "$DEMO_NUMBER" rtp "$RATES_MOH_RTP"
}

# --- part 5: an IVR flow's cost --------------------------------------------------------

# The same rate and hold to 4003 (the plain queue) and to 4004 (the five-node
# flow, then the same queue), one after the other; the B2BUA's CPU per
# answered call of each, measured as in part 1 (calls_step), into ivr.txt.
part_ivr() {
  [ -n "${IDLE_B2BUA_PPM:-}" ] || b2bua_idle
  agents_up nortp
  agents_state ready
  : > "$out/ivr.txt"
  local HOLD_MS=$IVR_HOLD_MS STEPS_FILE=$out/ivr.txt
  calls_step ivr-plain 4003 nortp "$IVR_RATE" 1 || say "ivr: the plain queue's step failed"
  wait_calls_gone 60 || true
  calls_step ivr "$IVR_NUMBER" nortp "$IVR_RATE" 1 || say "ivr: the IVR flow's step failed"
}

# --- part 2: memory per concurrent call -----------------------------------------------

part_memory() {
  # A fresh B2BUA, so that "idle" is a process that has held no call yet.
  stack restart b2bua >>"$out/stack-start.log" 2>&1 || die "the B2BUA did not restart"
  agents_up nortp
  agents_state ready
  local i reg=0
  for i in $(seq 1 50); do
    reg=$(ctlq ready-count 2>/dev/null || echo 0)
    [ "$reg" -ge "$AGENTS" ] && break
    sleep 0.2
  done
  local n first=1 rss_idle0="" heap_idle0=""
  : > "$out/memory.txt"
  for n in $MEM_CALLS; do
    [ "$n" -gt "$AGENTS" ] && { say "memory: $n calls need $n agents; skipped"; continue; }
    wait_calls_gone 60 || true
    local rss_idle heap_idle rate=250 ramp_s hold
    rss_idle=$(rss_kb); heap_idle=$(heap_kb)
    [ $first = 1 ] && { rss_idle0=$rss_idle; heap_idle0=$heap_idle; }
    ramp_s=$(( (n + rate - 1) / rate ))
    hold=$(( (ramp_s + MEM_SETTLE_S + 12) * 1000 ))
    say "memory: holding $n calls (ramp ${ramp_s}s at $rate/s, hold $((hold / 1000))s); B2BUA RSS ${rss_idle} KB, heap ${heap_idle:-?} KB"
    local t0 s0; t0=$(now_ms)
    timeout $((hold / 1000 + 90)) sipp "127.0.0.1:$SIP_PORT" -sf "$benchdir/sip/gateway-uac-nortp.xml" \
      -i 127.0.0.1 -p "$GW_PORT" -mp "$GW_MP" -s 4003 -nostdin -r "$rate" -m "$n" -l "$n" \
      -set hold_ms "$hold" -trace_stat -stf "$out/mem-$n.csv" -fd 1 -trace_err -error_file "$out/mem-$n.err" \
      >"$out/mem-$n.out" 2>&1 &
    GW_PIDS=$!; track $GW_PIDS
    snap_init; s0=$(snap)
    local up=0 c=0 t_up
    for i in $(seq 1 120); do
      c=$(ctlq call-count bridged 2>/dev/null || echo 0)
      [ "$c" -ge "$n" ] && { up=1; break; }
      sleep 0.5
    done
    t_up=$(now_ms)
    local s_up; s_up=$(snap)
    [ $up = 1 ] || say "memory: only $c of $n calls bridged"
    sleep 2
    local b_early rss_early heap_early
    b_early=$(ctlq call-count bridged 2>/dev/null || echo 0); rss_early=$(rss_kb); heap_early=$(heap_kb)
    local samples=$out/mem-$n-samples.txt
    echo "# seconds since all up, RSS KB, heap in use KB" > "$samples"
    echo "2 $rss_early $heap_early" >> "$samples"
    while [ $(( $(now_ms) - t_up )) -lt $((MEM_SETTLE_S * 1000)) ]; do
      sleep 8
      echo "$(( ($(now_ms) - t_up) / 1000 )) $(rss_kb) $(heap_kb)" >> "$samples"
    done
    local b_settled rss_settled heap_settled
    b_settled=$(ctlq call-count bridged 2>/dev/null || echo 0); rss_settled=$(rss_kb); heap_settled=$(heap_kb)
    wait "$GW_PIDS"; local rc=$?
    GW_PIDS=
    local t_end; t_end=$(now_ms)
    wait_calls_gone 60 || true
    # After the hang-ups: the finished calls' transactions linger ~32 s.
    echo "# after the last hang-up: seconds, RSS KB, heap in use KB" >> "$samples"
    for i in 5 20 "$MEM_SETTLE_S"; do
      while [ $(( $(now_ms) - t_end )) -lt $((i * 1000)) ]; do sleep 1; done
      echo "$i $(rss_kb) $(heap_kb)" >> "$samples"
    done
    wait_records "$t0" 30 || true
    local ok fail answered
    ok=$(stat_last "$out/mem-$n.csv" 'SuccessfulCall(C)')
    fail=$(stat_last "$out/mem-$n.csv" 'FailedCall(C)')
    answered=$(sql "SELECT COUNT(*) FROM cc_call WHERE started_at >= FROM_UNIXTIME($t0 / 1000) AND callee = '4003' AND result = 'answered'")
    local setup_ms=$(( t_up - t0 ))
    echo "n=$n first=$first rss_idle=$rss_idle heap_idle=${heap_idle:-} rss_idle0=$rss_idle0 heap_idle0=${heap_idle0:-}" \
      "bridged_early=$b_early rss_early=$rss_early heap_early=${heap_early:-} bridged_settled=$b_settled" \
      "rss_settled=$rss_settled heap_settled=${heap_settled:-} ok=$ok failed=$fail answered=$answered sipp_rc=$rc" \
      "ramp_ms=$setup_ms b2bua_ms_setup=$(( ( $(snap_get "$s_up" b2bua) - $(snap_get "$s0" b2bua) ) * 1000 / HZ ))" >> "$out/memory.txt"
    say "  -> $(tail -n 1 "$out/memory.txt")"
    first=0
  done
}

# --- part 3: screen-pop latency ------------------------------------------------------

pop_run() { # label calls background-rate
  local label=$1 calls=$2 bg=$3 dir=$out/pop-$1
  mkdir -p "$dir"
  rm -f "$dir/ready"
  local timeout_s=$(( calls * 3 + 60 ))
  node "$benchdir/pop.js" "http://127.0.0.1:$HTTP_PORT" popagent pop12345 "$calls" "$timeout_s" \
    "$dir/pops.json" "$dir/ready" >"$dir/pop.out" 2>&1 &
  local pop_pid=$!; track $pop_pid
  for _ in $(seq 1 300); do [ -f "$dir/ready" ] && break; kill -0 $pop_pid 2>/dev/null || break; sleep 0.1; done
  if [ ! -f "$dir/ready" ]; then
    wait $pop_pid
    say "pop: the browser did not get ready: $(head -c 600 "$dir/pops.json" 2>/dev/null) $(head -c 300 "$dir/pop.out")"
    failed_run=1
    return 1
  fi
  local bg_pid=""
  if [ "$bg" -gt 0 ]; then
    # Background load to the bench agents (4003), longer than the pop calls take.
    local bg_n=$(( bg * (calls + 30) ))
    sipp "127.0.0.1:$SIP_PORT" -sf "$benchdir/sip/gateway-uac-nortp.xml" -i 127.0.0.1 -p "$GW_PORT" \
      -mp "$GW_MP" -s 4003 -nostdin -r "$bg" -m "$bg_n" -l $((bg * 20)) -set hold_ms "$HOLD_MS" \
      -trace_stat -stf "$dir/bg.csv" -fd 1 >"$dir/bg.out" 2>&1 &
    bg_pid=$!; track "$bg_pid"; GW_PIDS=$bg_pid
    sleep 5
  fi
  snap_init
  local s0 t0; s0=$(snap); t0=$(now_ms)
  say "pop: $label: $calls calls to the browser's agent (4002), one after another${bg:+, background $bg calls/s to 4003}"
  timeout $(( calls * 3 + 60 )) sipp "127.0.0.1:$SIP_PORT" -sf "$sipdir/gateway/uac.xml" -i 127.0.0.1 \
    -p "$POP_GW_PORT" -mp "$POP_GW_MP" -s 4002 -nostdin -r 5 -l 1 -m "$calls" -set caller "$DEMO_CALLER" \
    -set hold_ms 700 -trace_stat -stf "$dir/gw.csv" -fd 1 -trace_err -error_file "$dir/gw.err" >"$dir/gw.out" 2>&1
  local rc=$?
  wait $pop_pid
  local s1 t1; s1=$(snap); t1=$(now_ms)
  local bg_failed=- bg_ok=-
  if [ -n "$bg_pid" ]; then
    stop_pid "$bg_pid"
    bg_ok=$(stat_last "$dir/bg.csv" 'SuccessfulCall(C)'); bg_failed=$(stat_last "$dir/bg.csv" 'FailedCall(C)')
  fi
  GW_PIDS=
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const p of r.pops) console.log(p.received - p.ts, p.observed - p.ts, p.answered_at ? p.answered_at - p.ts : "");
    if (r.error) console.error("pop.js: " + r.error);
  ' "$dir/pops.json" > "$dir/lat.txt" 2>"$dir/lat.err"
  awk '{ print $1 }' "$dir/lat.txt" > "$dir/lat-received"
  awk '{ print $2 }' "$dir/lat.txt" > "$dir/lat-observed"
  awk 'NF >= 3 { print $3 }' "$dir/lat.txt" > "$dir/lat-event"
  local n answered; n=$(wc -l < "$dir/lat-received")
  answered=$(sql "SELECT COUNT(*) FROM cc_call WHERE callee = '4002' AND started_at >= FROM_UNIXTIME($t0 / 1000) AND result = 'answered'")
  local mean; mean=$(awk '{ s += $1 } END { if (NR) printf "%.1f", s / NR; else print "-" }' "$dir/lat-received")
  echo "label=$label calls=$calls bg_rate=$bg pops=$n answered=$answered sipp_ok=$(stat_last "$dir/gw.csv" 'SuccessfulCall(C)')" \
    "sipp_failed=$(stat_last "$dir/gw.csv" 'FailedCall(C)') sipp_rc=$rc min=$(pct 0 "$dir/lat-received") p50=$(pct 50 "$dir/lat-received")" \
    "p90=$(pct 90 "$dir/lat-received") p99=$(pct 99 "$dir/lat-received") max=$(pct 100 "$dir/lat-received") mean=$mean" \
    "obs_p50=$(pct 50 "$dir/lat-observed") obs_p99=$(pct 99 "$dir/lat-observed")" \
    "ev_n=$(wc -l < "$dir/lat-event") ev_p50=$(pct 50 "$dir/lat-event") ev_p90=$(pct 90 "$dir/lat-event") ev_p99=$(pct 99 "$dir/lat-event") ev_max=$(pct 100 "$dir/lat-event")" \
    "bg_ok=$bg_ok bg_failed=$bg_failed" \
    "$(cpu_between "$s0" "$s1" $((t1 - t0)))" >> "$out/pop.txt"
  say "  -> $(tail -n 1 "$out/pop.txt")"
}

part_pop() {
  : > "$out/pop.txt"
  # The agent's phone: SIP 7001 from 127.0.0.4, answering 100 ms after it rings.
  sipp "127.0.0.1:$SIP_PORT" -sf "$sipdir/agent/uac.xml" -oocsf "$sipdir/agent/uas.xml" -i 127.0.0.4 \
    -p "$PHONE_PORT" -mp "$PHONE_MP" -s 7001 -ap sip7001 -m 1 -nostdin -set stay_ms 1500000 \
    -set expires 3600 -set answer_ms 100 >"$out/pop-phone.out" 2>&1 &
  PHONE_PID=$!; track $PHONE_PID
  local reg=0
  for _ in $(seq 1 50); do
    [ "$(sql "SELECT COUNT(*) FROM cc_location WHERE username = '7001'")" -ge 1 ] && { reg=1; break; }
    sleep 0.2
  done
  [ $reg = 1 ] || die "the pop agent's phone did not register"
  sleep 1.5   # the B2BUA reads registrations every second
  pop_run idle "$POP_CALLS" 0
  if [ "$POP_LOAD_CALLS" -gt 0 ] && [ "$POP_LOAD_RATE" -gt 0 ]; then
    agents_up nortp
    agents_state ready
    pop_run load "$POP_LOAD_CALLS" "$POP_LOAD_RATE"
  fi
}

# --- part 4: importing agents from CSV -------------------------------------------------

# The admin signs in through nginx (curl), then posts a file of IMPORT_ROWS new
# agents (each a new host user with a sign-in password, an extension, the
# demo's skill group at level 1) as the import page does, with a job id whose
# progress is polled meanwhile; then the same file again, which must change
# nothing. Wall time is curl's (file sent to answer received); "server" is the
# import's own figure in the answer.
part_import() {
  local dir=$out/import
  mkdir -p "$dir"
  local jar=$dir/cookies base=http://127.0.0.1:$HTTP_PORT tok csrf group
  curl -s -c "$jar" -b "$jar" "$base/cc/login" -o "$dir/form.html"
  tok=$(grep -o 'name="_csrf" value="[0-9a-f]*"' "$dir/form.html" | head -n 1 | sed 's/.*value="//; s/"$//')
  curl -s -c "$jar" -b "$jar" --data-urlencode "username=$(demo ADMIN_LOGIN)" \
    --data-urlencode "password=$(demo ADMIN_PASSWORD)" --data-urlencode "_csrf=$tok" "$base/cc/login" -o /dev/null
  curl -s -L -b "$jar" "$base/cc/" -o "$dir/home.html"
  csrf=$(grep -o '<meta name="csrf-token" content="[0-9a-f]*"' "$dir/home.html" | sed 's/.*content="//; s/"$//')
  [ -n "$csrf" ] || die "the admin did not sign in"
  group=$(sql "SELECT name FROM cc_skill_group WHERE id = $DEMO_GROUP")
  { echo "用户名,姓名,分机,登录密码,技能组"
    seq 1 "$IMPORT_ROWS" | awk -v g="$group" '{ printf "imp%d,导入坐席%d,%d,secret%d,%s:1\n", $1, $1, 60000 + $1, $1, g }'
  } > "$dir/agents.csv"
  local users0 run job t poller added
  users0=$(sql "SELECT COUNT(*) FROM cs_user")
  : > "$out/import.txt"
  for run in first again; do
    job=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
    ( while :; do curl -s -b "$jar" "$base/cc/api/admin/agents/import/$job" -o /dev/null; sleep 0.3; done ) &
    poller=$!; track $poller
    t=$(curl -s -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: text/csv' --data-binary "@$dir/agents.csv" \
      -w '%{time_total}' -o "$dir/$run.json" "$base/cc/api/admin/agents/import?job=$job")
    stop_pid "$poller"
    [ "$(jq -r .ok "$dir/$run.json" 2>/dev/null)" = true ] || die "the import failed: $(head -c 300 "$dir/$run.json")"
    echo "run=$run rows=$IMPORT_ROWS wall_ms=$(awk -v t="$t" 'BEGIN { printf "%d", t * 1000 }') server_ms=$(jq .ms "$dir/$run.json") created=$(jq .created "$dir/$run.json") unchanged=$(jq .unchanged "$dir/$run.json") failed=$(jq .failed "$dir/$run.json") bytes=$(stat -c %s "$dir/agents.csv")" >> "$out/import.txt"
    say "  -> $(tail -n 1 "$out/import.txt")"
  done
  added=$(( $(sql "SELECT COUNT(*) FROM cs_user") - users0 ))
  [ "$added" = "$IMPORT_ROWS" ] || die "the import added $added users, want $IMPORT_ROWS"
}

# The admin posts a new outbound task with a file of TASK_ROWS distinct mobile
# numbers (and two extra columns each, kept as the targets' data) as the new
# task's page does, its progress polled meanwhile; the answer comes when the
# targets are in and the task is 已停止. Wall time is curl's; "server" is
# the load's own figure in the answer.
part_tasks() {
  local dir=$out/tasks
  mkdir -p "$dir"
  local jar=$dir/cookies base=http://127.0.0.1:$HTTP_PORT tok csrf num job t poller id
  curl -s -c "$jar" -b "$jar" "$base/cc/login" -o "$dir/form.html"
  tok=$(grep -o 'name="_csrf" value="[0-9a-f]*"' "$dir/form.html" | head -n 1 | sed 's/.*value="//; s/"$//')
  curl -s -c "$jar" -b "$jar" --data-urlencode "username=$(demo ADMIN_LOGIN)" \
    --data-urlencode "password=$(demo ADMIN_PASSWORD)" --data-urlencode "_csrf=$tok" "$base/cc/login" -o /dev/null
  curl -s -L -b "$jar" "$base/cc/" -o "$dir/home.html"
  csrf=$(grep -o '<meta name="csrf-token" content="[0-9a-f]*"' "$dir/home.html" | sed 's/.*content="//; s/"$//')
  [ -n "$csrf" ] || die "the admin did not sign in"
  sql "INSERT INTO cc_number (number, display, name, \`usage\`) VALUES ('+862169990000', '021-6999 0000', 'bench outbound', 'outbound')"
  num=$(sql "SELECT id FROM cc_number WHERE number = '+862169990000'")
  sql "INSERT INTO cc_skill_group_number (skill_group_id, number_id) VALUES ($DEMO_GROUP, $num)"
  { echo "电话,姓名,订单号"
    seq 1 "$TASK_ROWS" | awk '{ printf "1380%07d,客户%d,B-%d\n", $1, $1, $1 }'
  } > "$dir/targets.csv"
  job=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  ( while :; do curl -s -b "$jar" "$base/cc/api/admin/tasks/load/$job" -o /dev/null; sleep 0.3; done ) &
  poller=$!; track $poller
  t=$(curl -s -b "$jar" -H "X-CSRF-Token: $csrf" -F name=bench -F "skill_group_id=$DEMO_GROUP" \
    -F "caller_id_number_id=$num" -F "targets=@$dir/targets.csv;type=text/csv" \
    -w '%{time_total}' -o "$dir/create.json" "$base/cc/api/admin/tasks?job=$job")
  stop_pid "$poller"
  [ "$(jq -r .ok "$dir/create.json" 2>/dev/null)" = true ] || die "the task was not created: $(head -c 300 "$dir/create.json")"
  id=$(jq .id "$dir/create.json")
  [ "$(sql "SELECT COUNT(*) FROM cc_task_target WHERE task_id = $id")" = "$TASK_ROWS" ] || die "the task has not $TASK_ROWS targets"
  [ "$(sql "SELECT state FROM cc_task WHERE id = $id")" = stopped ] || die "the task is not stopped"
  echo "rows=$TASK_ROWS wall_ms=$(awk -v t="$t" 'BEGIN { printf "%d", t * 1000 }') server_ms=$(jq .ms "$dir/create.json") targets=$(jq .targets "$dir/create.json") bytes=$(stat -c %s "$dir/targets.csv")" > "$out/tasks.txt"
  say "  -> $(cat "$out/tasks.txt")"
}

# --- by hand: the stack with the bench agents, for a look with other tools ------------

part_hold() {
  agents_up "${BENCH_HOLD_MEDIA:-nortp}"
  agents_state ready
  { cat "$CC_STATE/etc/ports.env"; echo "OUT=$out"; echo "GW_PORT=$GW_PORT"; echo "GW_MP=$GW_MP"; } > "$out/env"
  say "holding the stack for ${BENCH_HOLD_S:-1200}s (or until $out/stop exists); its settings: $out/env"
  local end=$(( $(date +%s) + ${BENCH_HOLD_S:-1200} ))
  while [ ! -e "$out/stop" ] && [ "$(date +%s)" -lt "$end" ]; do sleep 1; done
}

# --- the report ----------------------------------------------------------------------

. "$benchdir/report.sh"
. "$benchdir/soak.sh"
# shellcheck source=nodes.sh
. "$benchdir/nodes.sh"
# shellcheck source=agents.sh
. "$benchdir/agents.sh"

# --- part: outbound pacing, simulated --------------------------------------------------
# The simulator writes its own section and its line at a glance; simulated
# time, so the figures do not depend on this machine or its load.
part_pacing() {
  say "pacing: the pacing simulator"
  "$bin/pacing-sim" --section "$out/pacing-section.md" --glance "$out/pacing-glance.md" \
    > "$out/pacing.txt" || die "pacing-sim failed"
}

# bench/run.sh pacing (or acd) alone: no stack; the part's section and
# line replace the ones in BENCHMARKS.md (or are added).
part_alone() { # part
  out=$(mktemp -d "/tmp/cc-bench-$1.XXXXXX")
  "part_$1"
  local commit
  commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?')
  [ -n "$(git -C "$top" status --porcelain 2>/dev/null)" ] && commit+=" (with uncommitted changes)"
  if [ -f "$top/BENCHMARKS.md" ]; then
    python3 "$benchdir/merge_section.py" "$top/BENCHMARKS.md" "$out/$1-section.md" "$out/$1-glance.md" \
      "bench/run.sh $1 on $(date -d "@$T_START" '+%Y-%m-%d %H:%M %Z'), commit $commit"
  fi
  cat "$out/$1.txt"
  rm -rf "$out"
  say "figures in $top/BENCHMARKS.md"
}

# --- part: the ACD's choice of an agent, micro-benchmark ---------------------------------
# The program writes its own section and its line at a glance; wall-clock
# and CPU times of this machine, bounded (about 5 s of two cores' one).
part_acd() {
  say "acd: the ACD micro-benchmark"
  "$bin/acd-bench" --section "$out/acd-section.md" --glance "$out/acd-glance.md" \
    > "$out/acd.txt" || die "acd-bench failed"
}

# bench/run.sh reports alone: its own stack (bench/reports.sh); its section
# and line replace the ones in BENCHMARKS.md (or are added).
reports_alone() {
  out=$(mktemp -d /tmp/cc-bench-reports.XXXXXX)
  BENCH_REPORT_OUT=$out "$benchdir/reports.sh" | tee "$out/reports.txt" || die "bench/reports.sh failed"
  local commit
  commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?')
  [ -n "$(git -C "$top" status --porcelain 2>/dev/null)" ] && commit+=" (with uncommitted changes)"
  if [ -f "$top/BENCHMARKS.md" ]; then
    python3 "$benchdir/merge_section.py" "$top/BENCHMARKS.md" "$out/reports-section.md" "$out/reports-glance.md" \
      "bench/run.sh reports on $(date -d "@$T_START" '+%Y-%m-%d %H:%M %Z'), commit $commit"
  fi
  rm -rf "$out"
  say "figures in $top/BENCHMARKS.md"
}

# --- part: fuzzing -------------------------------------------------------------------
# Its own stack (the sanitizer build) and its own section of BENCHMARKS.md.
part_fuzz() {
  say "fuzz: bench/fuzz/run.sh"
  "$benchdir/fuzz/run.sh" || die "the fuzz part failed"
}

# --- main ----------------------------------------------------------------------------
# In a function, read whole before it runs: editing this file during a run
# cannot change what the run does.

# The knobs of this run, for `bench/run.sh report`.
save_knobs() {
  {
    declare -p parts
    local v
    for v in AGENTS AGENT_PROCS STEP_S RATES_NORTP RATES_RTP RATES_MOH_NORTP RATES_MOH_RTP HOLD_MS \
             ANSWER_MS MEM_CALLS MEM_SETTLE_S POP_CALLS POP_LOAD_CALLS POP_LOAD_RATE IMPORT_ROWS TASK_ROWS IVR_RATE IVR_HOLD_MS \
             REPEAT RETRY RTP_PORTS T_START; do
      declare -p "$v"
    done
    echo "RUN_COMMIT=$(printf '%q' "$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?')$( [ -n "$(git -C "$top" status --porcelain 2>/dev/null)" ] && echo ' (with uncommitted changes)')")"
    echo "CC_B2BUA_OPTS=$(printf '%q' "${CC_B2BUA_OPTS:-}")"
    echo "CC_KAMAILIO_CHILDREN=$(printf '%q' "${CC_KAMAILIO_CHILDREN:-}")"
    echo "CC_RTPENGINE_THREADS=$(printf '%q' "${CC_RTPENGINE_THREADS:-}")"
  } > "$out/knobs.env"
}

main() {
  if [ -n "$REPORT_ONLY" ]; then
    out=$(cd "$REPORT_ONLY/bench" && pwd)
    # shellcheck disable=SC1091
    . "$out/knobs.env"
    RUN_END=$(stat -c %Y "$out/steps.txt" "$out/memory.txt" "$out/pop.txt" "$out/import.txt" "$out/ivr.txt" "$out/tasks.txt" 2>/dev/null | sort -n | tail -n 1)
    case "${parts[*]}" in
      import) update_import_report ;;   # a part run alone: its section only
      ivr) update_ivr_report ;;
      tasks) update_tasks_report ;;
      soak) update_soak_report ;;
      *) write_report; soak_report_if_run ;;
    esac
    say "BENCHMARKS.md written again from $out"
    return 0
  fi
  if [[ " ${parts[*]} " == *" fuzz "* ]]; then
    [ "${parts[*]}" = fuzz ] || die "the part fuzz runs alone (bench/run.sh fuzz)"
    part_fuzz
    return 0
  fi
  if [ "${parts[*]}" = pacing ]; then
    [ -x "$bin/pacing-sim" ] || die "build/bin/pacing-sim is missing (make)"
    part_alone pacing
    return 0
  fi
  if [ "${parts[*]}" = acd ]; then
    [ -x "$bin/acd-bench" ] || die "build/bin/acd-bench is missing (make)"
    part_alone acd
    return 0
  fi
  if [[ " ${parts[*]} " == *" reports "* ]]; then
    [ "${parts[*]}" = reports ] || die "the part reports runs alone (bench/run.sh reports)"
    reports_alone
    return 0
  fi
  "$benchdir/sip/make-nortp.sh" --check || die "bench/sip is out of date"
  local p
  for p in sipp kamailio rtpengine mariadbd node jq /usr/bin/chromium; do
    command -v "$p" >/dev/null || die "$p is not installed (make deps)"
  done
  [ "$(id -u)" = 0 ] || say "not root: sipp cannot play RTP from a pcap (raw socket); the RTP figures will be wrong"
  command -v gdb >/dev/null || say "gdb is not installed: the memory part reports VmRSS only, not the heap in use"

  if [[ " ${parts[*]} " == *" nodes "* ]]; then
    [ "${parts[*]}" = nodes ] || die "the part nodes runs alone (bench/run.sh nodes): it needs a stack of its own"
    export CC_B2BUA_NODES=2
    AGENTS=$NODES_AGENTS
  fi
  if [[ " ${parts[*]} " == *" agents "* ]]; then
    [ "${parts[*]}" = agents ] || die "the part agents runs alone (bench/run.sh agents): it needs a stack of its own"
    AGENTS=$AGENTS_MANY
  fi
  start_stack
  save_knobs
  say "bench data: $AGENTS agents, ports SIP $SIP_PORT, control $CTL_PORT, web $HTTP_PORT"
  for p in "${parts[@]}"; do
    "part_$p"
  done
  agents_down
  if [ "${parts[*]}" = import ] && [ -f "$top/BENCHMARKS.md" ]; then
    update_import_report    # alone: the other parts' figures stay as they were
  elif [ "${parts[*]}" = ivr ] && [ -f "$top/BENCHMARKS.md" ]; then
    update_ivr_report
  elif [ "${parts[*]}" = tasks ] && [ -f "$top/BENCHMARKS.md" ]; then
    update_tasks_report
  elif [ "${parts[*]}" = soak ] && [ -f "$top/BENCHMARKS.md" ]; then
    update_soak_report
  elif [ "${parts[*]}" = nodes ] && [ -f "$top/BENCHMARKS.md" ]; then
    update_nodes_report
  elif [ "${parts[*]}" = agents ] && [ -f "$top/BENCHMARKS.md" ]; then
    update_agents_report
  else
    write_report
    soak_report_if_run
  fi
  say "done in $(( $(date +%s) - T_START ))s; figures in $top/BENCHMARKS.md"
}

main; exit $?
