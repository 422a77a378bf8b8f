# shellcheck shell=bash disable=SC2154,SC2034
# bench/soak.sh: the soak part of bench/run.sh (`bench/run.sh soak`), sourced
# by it: it uses run.sh's stack, agents and measuring functions.
#
# For BENCH_SOAK_S seconds, BENCH_SOAK_RATE calls/s from the gateway through
# the whole stack to 4003 (two sipp callers: BENCH_SOAK_RTP_RATE calls/s
# playing RTP, the rest without), the bench agents answering (sipp, their
# registrations refreshed: bench/sip/soak-agents.xml) and hanging up after
# BENCH_SOAK_HOLD_MS; meanwhile BENCH_SOAK_WEB_AGENTS of them sign in, go
# ready, take a break, come back and sign out through the web, again and
# again (bench/soak-web.js). Every BENCH_SOAK_SAMPLE_S seconds: RSS and open
# file descriptors of the B2BUA, Kamailio (its processes summed), rtpengine,
# MariaDB, cc-web and nginx (master and workers summed), calls up and the
# callers' failed calls. At the end: zero failed calls, every process's RSS
# and descriptors flat over the second half of the run (after the warm-up),
# no agent stuck (cc_agent and the B2BUA's agent.list agree, none reserved,
# on a call or in wrap-up once the calls are gone). Figures: its section of
# BENCHMARKS.md and bench/soak-rss.svg.
#
# Knobs (environment; defaults in brackets):
#   BENCH_SOAK_S [3600]            seconds of load
#   BENCH_SOAK_RATE [50]           calls/s in all
#   BENCH_SOAK_RTP_RATE [5]        of which with RTP (tests/sip/gateway/uac.xml)
#   BENCH_SOAK_HOLD_MS [3000]      the caller hangs up this long after the answer
#   BENCH_SOAK_WEB_AGENTS [20]     agents working from the web (the last bench agents)
#   BENCH_SOAK_WEB_PAUSE_MS [2000] between their steps
#   BENCH_SOAK_SAMPLE_S [10]       sampling period
#   BENCH_SOAK_REFRESH_S [900]     agents' phones re-register this often
#   BENCH_SOAK_REGISTER_S [60]     spread over this long (the first registration and each refresh)
#   BENCH_SOAK_RSS_PCT [5]         growth over the second half taken as flat (RSS)
#   BENCH_SOAK_FD_NOISE [4]        descriptors taken as noise (sockets opened and closed)
#   BENCH_SOAK_NOTE [""]           a sentence added to the section (what else ran meanwhile)

SOAK_S=${BENCH_SOAK_S:-3600}
SOAK_RATE=${BENCH_SOAK_RATE:-50}
SOAK_RTP_RATE=${BENCH_SOAK_RTP_RATE:-5}
SOAK_HOLD_MS=${BENCH_SOAK_HOLD_MS:-3000}
SOAK_WEB_AGENTS=${BENCH_SOAK_WEB_AGENTS:-20}
SOAK_WEB_PAUSE_MS=${BENCH_SOAK_WEB_PAUSE_MS:-2000}
SOAK_SAMPLE_S=${BENCH_SOAK_SAMPLE_S:-10}
SOAK_REFRESH_S=${BENCH_SOAK_REFRESH_S:-900}
SOAK_REGISTER_S=${BENCH_SOAK_REGISTER_S:-60}
SOAK_RSS_PCT=${BENCH_SOAK_RSS_PCT:-5}
SOAK_FD_NOISE=${BENCH_SOAK_FD_NOISE:-4}
SOAK_NOTE=${BENCH_SOAK_NOTE:-}
soak_comps=(b2bua kamailio rtpengine mariadb web nginx)

# The agents' phones, as agents_up does, but refreshing their registrations
# for the whole run (the registrar grants at most 3600 s), and registering
# slowly: over BENCH_SOAK_REGISTER_S, so that each wave of refreshes is as
# spread out (all 2,000 at once, each a challenge, an answer and a database
# write, would stall the calls for a few seconds on two cores).
soak_agents_up() {
  agents_down
  local per=$(( (AGENTS + AGENT_PROCS - 1) / AGENT_PROCS )) i n
  local reg_rate=$(( per / SOAK_REGISTER_S + 1 ))
  local rounds=$(( (SOAK_S + 900) / SOAK_REFRESH_S + 1 )) expires=$(( SOAK_REFRESH_S * 2 ))
  [ "$expires" -gt 3600 ] && expires=3600
  AG_PIDS=()
  for i in $(seq 0 $((AGENT_PROCS - 1))); do
    n=$(agent_share "$i")
    sipp "127.0.0.1:$SIP_PORT" -sf "$benchdir/sip/soak-agents.xml" -oocsf "$benchdir/sip/agent-uas-nortp.xml" \
      -inf "$out/agents-$i.csv" -i "127.0.0.$((2 + i))" -p "${AG_PORTS[$i]}" -mp "${AG_MPS[$i]}" \
      -m "$n" -l "$n" -r "$reg_rate" -nostdin -set refresh_ms $((SOAK_REFRESH_S * 1000)) -set rounds "$rounds" \
      -set expires "$expires" -set answer_ms "$ANSWER_MS" \
      -trace_stat -stf "$out/agents-soak-$i.csv" -fd 10 -trace_err -error_file "$out/agents-soak-$i.err" \
      >"$out/agents-soak-$i.out" 2>&1 &
    AG_PIDS+=($!); track $!
  done
  AGENTS_MODE=soak
  local r=0
  local end=$(( $(date +%s) + SOAK_REGISTER_S + 60 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    r=$(ctlq registered-count 2>/dev/null || echo 0)
    [ "$r" -ge "$AGENTS" ] && break
    sleep 1
  done
  [ "$r" -ge "$AGENTS" ] || die "only $r of $AGENTS agents registered"
  say "soak: $AGENTS agents registered, refreshed every ${SOAK_REFRESH_S}s"
}

# One sample: "t=S calls=N failed=N ok=N b2bua_rss=KB b2bua_fd=N ...".
soak_sample() {
  local c p rss fd line
  line="t=$(date +%s) load=$(cut -d' ' -f1 /proc/loadavg) calls=$(calls_now) ok=$(( $(stat_last "$out/soak-gw-rtp.csv" 'SuccessfulCall(C)') + $(stat_last "$out/soak-gw.csv" 'SuccessfulCall(C)') ))"
  line+=" failed=$(( $(stat_last "$out/soak-gw-rtp.csv" 'FailedCall(C)') + $(stat_last "$out/soak-gw.csv" 'FailedCall(C)') ))"
  for c in "${soak_comps[@]}"; do
    rss=0; fd=0
    for p in $(comp_pids "$c"); do
      [ -r "/proc/$p/status" ] || continue
      rss=$(( rss + $(awk '/^VmRSS:/ { print $2; f = 1 } END { if (!f) print 0 }' "/proc/$p/status" 2>/dev/null || echo 0) ))
      fd=$(( fd + $(find "/proc/$p/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l) ))
    done
    line+=" ${c}_rss=$rss ${c}_fd=$fd"
  done
  echo "$line"
}

# The agents' state at the end: cc_agent against the B2BUA's agent.list.
soak_agents_check() {
  sql "SELECT user_id, state, COALESCE(call_id, '') FROM cc_agent ORDER BY user_id" > "$out/soak-agents-db.tsv"
  "$bin/cc-ctl" -a "127.0.0.1:$CTL_PORT" -s "$CTL_SECRET_FILE" -t 20000 agent.list > "$out/soak-agents-b2bua.json" ||
    { say "soak: agent.list failed"; echo "agents_checked=0"; return; }
  jq -r '.agents[] | [.id, .state, (.call // "")] | @tsv' "$out/soak-agents-b2bua.json" | sort > "$out/soak-agents-b2bua.tsv"
  awk -F'\t' '
    FNR == NR { db[$1] = $2; dbc[$1] = $3; next }
    { n++; if (!($1 in db) || db[$1] != $2) diff++
      if ($2 == "reserved" || $2 == "on_call" || $2 == "wrap_up" || $3 != "") busy++
      if (db[$1] == "reserved" || db[$1] == "on_call" || db[$1] == "wrap_up" || dbc[$1] != "") dbbusy++
      st[$2]++ }
    END { s = ""; for (k in st) s = s (s ? "," : "") k ":" st[k]
          printf "agents_checked=%d agents_differ=%d agents_busy=%d agents_busy_db=%d agent_states=%s\n", n, diff, busy, dbbusy, s }' \
    "$out/soak-agents-db.tsv" "$out/soak-agents-b2bua.tsv"
}

part_soak() {
  local rtp=$SOAK_RTP_RATE nortp=$((SOAK_RATE - SOAK_RTP_RATE))
  [ "$nortp" -ge 0 ] || die "soak: BENCH_SOAK_RTP_RATE is above BENCH_SOAK_RATE"
  {
    local v
    for v in SOAK_S SOAK_RATE SOAK_RTP_RATE SOAK_HOLD_MS SOAK_WEB_AGENTS SOAK_WEB_PAUSE_MS SOAK_SAMPLE_S \
             SOAK_REFRESH_S SOAK_REGISTER_S SOAK_RSS_PCT SOAK_FD_NOISE SOAK_NOTE AGENTS ANSWER_MS; do declare -p "$v"; done
  } > "$out/soak.env"
  soak_agents_up
  agents_state ready
  rm -f "$out/soak-gw.csv" "$out/soak-gw-rtp.csv"
  local t0; t0=$(now_ms)
  echo "t0_ms=$t0" >> "$out/soak.env"
  say "soak: ${SOAK_RATE} calls/s (${rtp} with RTP) to 4003 for ${SOAK_S}s, hold ${SOAK_HOLD_MS} ms; $SOAK_WEB_AGENTS agents on the web"
  ( while :; do soak_sample; sleep "$SOAK_SAMPLE_S"; done ) > "$out/soak-samples.txt" 2>>"$out/soak-sampler.err" &
  local sampler=$!; track $sampler
  local gw=() limit=$(( SOAK_S + SOAK_HOLD_MS / 1000 + 120 ))
  if [ "$rtp" -gt 0 ]; then
    timeout "$limit" sipp "127.0.0.1:$SIP_PORT" -sf "$sipdir/gateway/uac.xml" -i 127.0.0.1 \
      -p "$POP_GW_PORT" -mp "$POP_GW_MP" -s 4003 -nostdin -r "$rtp" -m $((rtp * SOAK_S)) -l $((rtp * 30)) \
      -set hold_ms "$SOAK_HOLD_MS" -trace_stat -stf "$out/soak-gw-rtp.csv" -fd 10 \
      -trace_err -error_file "$out/soak-gw-rtp.err" >"$out/soak-gw-rtp.out" 2>&1 &
    gw+=($!); track $!
  fi
  if [ "$nortp" -gt 0 ]; then
    timeout "$limit" sipp "127.0.0.1:$SIP_PORT" -sf "$benchdir/sip/gateway-uac-nortp.xml" -i 127.0.0.1 \
      -p "$GW_PORT" -mp "$GW_MP" -s 4003 -nostdin -r "$nortp" -m $((nortp * SOAK_S)) -l $((nortp * 30)) \
      -set hold_ms "$SOAK_HOLD_MS" -trace_stat -stf "$out/soak-gw.csv" -fd 10 \
      -trace_err -error_file "$out/soak-gw.err" >"$out/soak-gw.out" 2>&1 &
    gw+=($!); track $!
  fi
  local creds=() i u
  for i in $(seq 1 "$SOAK_WEB_AGENTS"); do u=$((AGENT_BASE + AGENTS - i)); creds+=("bench$u:bench$u"); done
  local web=""
  if [ "$SOAK_WEB_AGENTS" -gt 0 ]; then
    node "$benchdir/soak-web.js" "http://127.0.0.1:$HTTP_PORT" "$SOAK_S" "$SOAK_WEB_PAUSE_MS" "$out/soak-web.json" \
      "${creds[@]}" >"$out/soak-web.out" 2>&1 &
    web=$!; track $web
  fi
  local rc=0 p
  for p in "${gw[@]}"; do wait "$p" || rc=$?; done
  local web_rc=0
  [ -n "$web" ] && { wait "$web" || web_rc=$?; }
  local t1; t1=$(now_ms)
  local stuck=0 open=0
  wait_calls_gone 60 "$t0" || { stuck=$(calls_now "$t0"); say "soak: calls still up after 60 s: $stuck"; }
  wait_records "$t0" 60 || { open=$(sql "SELECT COUNT(*) FROM cc_call WHERE started_at >= FROM_UNIXTIME($t0 / 1000) AND result IS NULL"); say "soak: $open call records still open"; }
  soak_sample >> "$out/soak-samples.txt"
  stop_pid "$sampler"
  local w="started_at >= FROM_UNIXTIME($t0 / 1000) AND started_at <= FROM_UNIXTIME($t1 / 1000) AND callee = '4003'"
  local att=0 ok=0 fail=0 ag_fail=0 retr=0 f
  for f in "$out/soak-gw-rtp.csv" "$out/soak-gw.csv"; do
    att=$((att + $(stat_last "$f" 'OutgoingCall(C)'))); ok=$((ok + $(stat_last "$f" 'SuccessfulCall(C)')))
    fail=$((fail + $(stat_last "$f" 'FailedCall(C)'))); retr=$((retr + $(stat_last "$f" 'Retransmissions(C)')))
  done
  for i in $(seq 0 $((AGENT_PROCS - 1))); do
    ag_fail=$((ag_fail + $(stat_last "$out/agents-soak-$i.csv" 'FailedCall(C)')))
  done
  local answered other db
  answered=$(sql "SELECT COUNT(*) FROM cc_call WHERE $w AND result = 'answered'")
  other=$(sql "SELECT COUNT(*) FROM cc_call WHERE $w AND COALESCE(result, '') <> 'answered'")
  db=$(sql "SELECT CONCAT(COALESCE(result, 'open'), IF(cause IS NULL, '', CONCAT(' (', cause, ')'))), COUNT(*) FROM cc_call WHERE $w GROUP BY 1" | awk -F'\t' '{ printf "%s%s: %s", (NR > 1 ? ", " : ""), $1, $2 }')
  local web_line
  web_line=$(jq -r '"web_cycles=\(.cycles) web_ok=\(.ok) web_failed=\(.failed) web_signin_ms=\(.ms.sign_in) web_state_ms=\(.ms.state) web_errors=\(.errors | to_entries | map("\(.key): \(.value)") | join("; ") | @base64)"' \
    "$out/soak-web.json" 2>/dev/null || echo "web_cycles=0 web_ok=0 web_failed=-1 web_errors=")
  {
    echo "secs=$(( (t1 - t0) / 1000 )) expected=$((SOAK_RATE * SOAK_S)) attempted=$att ok=$ok failed=$fail agent_failed=$ag_fail"
    echo "retrans=$retr answered=$answered db_other=$other stuck_calls=$stuck open_records=$open sipp_rc=$rc web_rc=$web_rc"
    echo "$web_line"
    soak_agents_check
    echo "db=$(base64 -w0 <<<"$db")"
  } | tr '\n' ' ' > "$out/soak.txt"
  echo >> "$out/soak.txt"
  say "  -> $(cat "$out/soak.txt")"
  soak_analyse
}

# Flatness, the section of BENCHMARKS.md, its line at a glance and the plot:
# one python3 script over the samples (no other tool).
soak_analyse() {
  SOAK_OUT=$out SOAK_SVG=$top/bench/soak-rss.svg SOAK_COMPS="${soak_comps[*]}" python3 - <<'EOF' || die "soak: the analysis failed"
import base64, os, statistics

out = os.environ['SOAK_OUT']
comps = os.environ['SOAK_COMPS'].split()
env = {}
for line in open(os.path.join(out, 'soak.env')):
    line = line.strip()
    if line.startswith('declare'):
        k, _, v = line.split(' ', 2)[2].partition('=')
        env[k] = v.strip('"')
    elif '=' in line:
        k, _, v = line.partition('=')
        env[k] = v
res = dict(w.split('=', 1) for w in open(os.path.join(out, 'soak.txt')).read().split() if '=' in w)
samples = []
for line in open(os.path.join(out, 'soak-samples.txt')):
    d = dict(w.split('=', 1) for w in line.split() if '=' in w)
    if 't' in d:
        samples.append({k: int(v) if v.lstrip('-').isdigit() else v for k, v in d.items()})
S = int(env['SOAK_S']); rss_pct = float(env['SOAK_RSS_PCT']); fd_noise = int(env['SOAK_FD_NOISE'])
t0 = samples[0]['t']
load = [s for s in samples if s['t'] - t0 <= S]
half = [s for s in load if s['t'] - t0 >= S / 2]
win = max(3, len(half) // 10)   # a tenth of the second half, at least 3 samples
first, last = half[:win], half[-win:]
figs = {}
flat_all = True
for c in comps:
    r0 = statistics.median(s[c + '_rss'] for s in first)
    r1 = statistics.median(s[c + '_rss'] for s in last)
    f_hi = max(s[c + '_fd'] for s in first)
    f_lo = min(s[c + '_fd'] for s in last)
    grow = (r1 - r0) * 100.0 / r0 if r0 else 0.0
    fd_grow = f_lo - f_hi
    flat = grow < rss_pct and fd_grow <= fd_noise
    flat_all &= flat
    figs[c] = dict(start=load[0], warm=half[0], end=load[-1], grow=grow, fd_grow=fd_grow, flat=flat,
                   peak=max(s[c + '_rss'] for s in load))
calls_peak = max(s['calls'] for s in load)
calls_mean = statistics.mean(s['calls'] for s in load[1:]) if len(load) > 1 else 0
failed = int(res['failed']) + int(res['agent_failed']) + int(res['db_other'])
complete = int(res['attempted']) >= int(res['expected']) and int(res['answered']) == int(res['attempted'])
stuck = int(res.get('agents_busy', -1)) + int(res.get('agents_busy_db', -1)) + int(res.get('agents_differ', -1)) \
    + int(res['stuck_calls']) + int(res['open_records'])
ok = failed == 0 and complete and flat_all and stuck == 0 and int(res['web_failed']) == 0
names = {'b2bua': 'B2BUA', 'kamailio': 'Kamailio (all processes)', 'rtpengine': 'rtpengine',
         'mariadb': 'MariaDB', 'web': 'cc-web', 'nginx': 'nginx (master and workers)'}

# The plot: RSS of each process over time, in MB, one line each.
W, H, L, R, T, B = 720, 300, 60, 190, 20, 40
tmax = max(1, load[-1]['t'] - t0)
ymax = max(s[c + '_rss'] for s in load for c in comps) / 1024.0
step = 50 if ymax > 200 else 20 if ymax > 80 else 10
ymax = (int(ymax / step) + 1) * step
colors = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b']
def X(t): return L + (t - t0) * (W - L - R) / tmax
def Y(kb): return T + (H - T - B) * (1 - kb / 1024.0 / ymax)
svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">' % (W, H, W, H),
       '<title>RSS over the soak (bench/run.sh soak)</title>',
       '<rect width="%d" height="%d" fill="#fff"/>' % (W, H)]
for i in range(0, int(ymax) + 1, step):
    y = T + (H - T - B) * (1 - i / ymax)
    svg.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>' % (L, W - R, y, y))
    svg.append('<text x="%d" y="%.1f" text-anchor="end">%d</text>' % (L - 5, y + 4, i))
tick = next(m for m in (0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120) if tmax / 60.0 / m <= 8)
t = 0.0
while t <= tmax + 0.5:
    x = L + t * (W - L - R) / tmax
    svg.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#ddd"/>' % (x, x, T, H - B))
    svg.append('<text x="%.1f" y="%d" text-anchor="middle">%g</text>' % (x, H - B + 15, t / 60.0))
    t += tick * 60
hx = X(t0 + S / 2)
svg.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#999" stroke-dasharray="4 3"/>' % (hx, hx, T, H - B))
svg.append('<text x="%.1f" y="%d" fill="#666">after warm-up</text>' % (hx + 4, T + 12))
svg.append('<text x="%d" y="%d" text-anchor="middle">minutes</text>' % ((L + W - R) / 2, H - 8))
svg.append('<text x="14" y="%d" transform="rotate(-90 14 %d)" text-anchor="middle">RSS (MB)</text>' % ((T + H - B) / 2, (T + H - B) / 2))
for i, c in enumerate(comps):
    pts = ' '.join('%.1f,%.1f' % (X(s['t']), Y(s[c + '_rss'])) for s in load)
    svg.append('<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"/>' % (colors[i % 6], pts))
    y = T + 14 * i + 6
    svg.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"/>' % (W - R + 10, W - R + 28, y, y, colors[i % 6]))
    svg.append('<text x="%d" y="%d">%s</text>' % (W - R + 32, y + 4, names[c].split(' (')[0]))
svg.append('</svg>')
open(os.environ['SOAK_SVG'], 'w').write('\n'.join(svg) + '\n')

def mb(kb): return '%.1f' % (kb / 1024.0)
web_err = base64.b64decode(res.get('web_errors', '') or '').decode() if res.get('web_errors') else ''
db = base64.b64decode(res.get('db', '')).decode().strip()
rate, rtp = env['SOAK_RATE'], env['SOAK_RTP_RATE']
load_text = ''
if all('load' in s for s in load):
    lv = [float(s['load']) for s in load]
    load_text = (' The machine\'s load average (1 min) over the run: %.1f on average, %.1f at most, on %d cores.'
                 % (statistics.mean(lv), max(lv), os.cpu_count()))
why = []
if int(res['failed']) or int(res['agent_failed']) or int(res['db_other']):
    why.append('failed calls')
if not complete:
    why.append('calls missing')
if not flat_all:
    why.append('growth: ' + ', '.join(names[c] for c in comps if not figs[c]['flat']))
if stuck:
    why.append('agents, calls or records left busy or open')
if int(res['web_failed']):
    why.append('web requests failed')
sec = []
sec.append('## 9. Soak: calls and web sign-ins for an hour, memory and descriptors over time')
sec.append('')
sec.append('%s calls/s for %d s (%.0f min) to 4003 through the whole stack: %s calls/s from a sipp gateway playing RTP '
           '(tests/sip/gateway/uac.xml, through rtpengine) and %d calls/s from one without; the caller hangs up %s ms '
           'after the answer. %s bench agents answer from two sipp processes (bench/sip/soak-agents.xml: their '
           'registrations refreshed every %s s; %s ms ringing); meanwhile %s of them sign in through the login page, '
           'open the workbench, go ready, take a break, come back and sign out, one after another and again '
           '(bench/soak-web.js, %s ms between steps). RSS (VmRSS) and open descriptors (/proc/PID/fd) of every process, '
           'calls up and the callers\' failed calls were sampled every %s s. "Flat" means: over the second half of the '
           'run (after the warm-up), the median RSS of its last tenth is less than %s %% above that of its first tenth, '
           'and the fewest descriptors of the last tenth exceed the most of the first tenth by at most %d (sockets '
           'opened and closed). Kamailio\'s RSS is the sum over its processes: its shared memory counts once for '
           'every process that touched it, which is most of its growth during the warm-up.%s%s'
           % (rate, S, S / 60.0, rtp, int(rate) - int(rtp), env['SOAK_HOLD_MS'], env['AGENTS'], env['SOAK_REFRESH_S'],
              env['ANSWER_MS'], env['SOAK_WEB_AGENTS'], env['SOAK_WEB_PAUSE_MS'], env['SOAK_SAMPLE_S'],
              env['SOAK_RSS_PCT'], fd_noise, load_text, (' ' + env['SOAK_NOTE']) if env.get('SOAK_NOTE') else ''))
sec.append('')
sec.append('Result: **%s**%s.' % ('passed' if ok else 'failed', (' (' + '; '.join(why) + ')') if why else ''))
sec.append('')
sec.append('| figure | value |')
sec.append('| --- | --- |')
sec.append('| calls placed (expected) | %s (%s) |' % (res['attempted'], res['expected']))
sec.append('| succeeded / failed at the gateway | %s / %s |' % (res['ok'], res['failed']))
sec.append('| failed at the agents\' phones | %s |' % res['agent_failed'])
sec.append('| call records | %s |' % (db or '-'))
sec.append('| retransmissions (gateway) | %s |' % res['retrans'])
sec.append('| calls up (mean / peak) | %.0f / %d |' % (calls_mean, calls_peak))
sec.append('| calls or records left open at the end | %s / %s |' % (res['stuck_calls'], res['open_records']))
sec.append('| web: cycles (sign-in, ready, break, ready, sign-out), requests ok / failed | %s, %s / %s%s |'
           % (res['web_cycles'], res['web_ok'], res['web_failed'], (' (' + web_err + ')') if web_err else ''))
sec.append('| web: mean sign-in / state change | %s / %s ms |' % (res.get('web_signin_ms', '-'), res.get('web_state_ms', '-')))
sec.append('| agents: cc_agent and agent.list differ / busy with no call | %s / %s (of %s; %s) |'
           % (res.get('agents_differ', '-'), int(res.get('agents_busy', 0)) + int(res.get('agents_busy_db', 0)),
              res.get('agents_checked', '-'), res.get('agent_states', '').replace(',', ', ').replace(':', ' ')))
sec.append('')
sec.append('RSS (MB) and open descriptors per process at the start, after the warm-up (half-time) and at the end; growth over the second half:')
sec.append('')
sec.append('| process | RSS start | RSS warm | RSS end | RSS peak | RSS growth | fds start | fds warm | fds end | fd growth | flat |')
sec.append('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
for c in comps:
    f = figs[c]
    sec.append('| %s | %s | %s | %s | %s | %+.1f %% | %d | %d | %d | %+d | %s |' % (
        names[c], mb(f['start'][c + '_rss']), mb(f['warm'][c + '_rss']), mb(f['end'][c + '_rss']), mb(f['peak']),
        f['grow'], f['start'][c + '_fd'], f['warm'][c + '_fd'], f['end'][c + '_fd'], f['fd_grow'],
        'yes' if f['flat'] else '**no**'))
sec.append('')
sec.append('![RSS of each process over the soak](bench/soak-rss.svg)')
sec.append('')
sec.append('Raw samples: soak-samples.txt in the state folder (KEEP_STATE=1). Again: `bench/run.sh soak` '
           '(`BENCH_SOAK_S=120 bench/run.sh soak` for a short check).')
open(os.path.join(out, 'soak-section.md'), 'w').write('\n'.join(sec) + '\n')
worst = max(comps, key=lambda c: figs[c]['grow'])
glance = '| soak, %s calls/s for %.0f min (%s with RTP) with web sign-ins and breaks | %s; %s failed calls of %s; RSS growth over the second half at most %+.1f %% (%s), fd growth at most %+d; %s agents stuck | zero failed, flat, none stuck |' % (
    rate, S / 60.0, rtp, 'passed' if ok else '**failed**', res['failed'], res['attempted'], figs[worst]['grow'], names[worst].split(' (')[0],
    max(figs[c]['fd_grow'] for c in comps), int(res.get('agents_busy', 0)) + int(res.get('agents_busy_db', 0)) + int(res.get('agents_differ', 0)))
open(os.path.join(out, 'soak-glance.md'), 'w').write(glance + '\n')
open(os.path.join(out, 'soak-result.txt'), 'w').write('passed\n' if ok else 'failed\n')
print('soak: %s' % ('passed' if ok else 'failed'))
EOF
}

# bench/run.sh soak alone (or report): its section and line replace the ones
# in BENCHMARKS.md (or are added); the rest of the file stays.
update_soak_report() {
  local f=$top/BENCHMARKS.md
  [ -s "$out/soak-section.md" ] || soak_analyse
  python3 "$benchdir/merge_section.py" "$f" "$out/soak-section.md" "$out/soak-glance.md" \
    "bench/run.sh soak on $(date -d "@$T_START" '+%Y-%m-%d %H:%M %Z'), commit ${RUN_COMMIT:-$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?')}"
  cp "$f" "$out/BENCHMARKS.md" 2>/dev/null
  [ "$(cat "$out/soak-result.txt" 2>/dev/null)" = passed ] || { say "soak: failed (figures in BENCHMARKS.md)"; failed_run=1; }
  return 0
}

# soak_report_if_run: after a full report (which carries the soak's previous
# section over, bench/report.sh ALONE_SECTIONS), this run's figures when the
# soak was one of its parts.
soak_report_if_run() {
  [ -s "$out/soak.txt" ] && update_soak_report
  return 0
}
