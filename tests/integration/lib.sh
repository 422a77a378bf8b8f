# Sourced by tests/integration/t_*.sh. Starts the real stack on free loopback
# ports in a private state folder, stops it on exit (also on failure), and
# reports in TAP: "ok - name" / "not ok - name: why".
#
#   . "$(dirname "$0")/lib.sh"
#   stack_start [--only db,kamailio]   # demo data loaded; ports in $HTTP_PORT, $SIP_PORT, ...
#   check "agent phone registers" agent reg "$A1_SIP" "$A1_SIP_PASSWORD" -set challenge_only 1
#   expect_eq "result" answered "$(col "$call" result)"
#   finish                              # prints the plan; exit status 1 if anything failed
#
# The demo data's ids, logins and numbers are tests/demo.env's variables:
# $A1 (agent1's cs_user id), $A1_SIP, $A1_SIP_PASSWORD, $NUMBER, $CONTACT,
# $KNOWN_CALLER, ...
#
# Nothing here sleeps for a fixed time: state that settles asynchronously is
# polled until it holds, with a deadline (eventually SECONDS COMMAND...).
# Deadlines are generous, for a loaded machine; a passing test never waits
# one out.
#
# KEEP_STATE=1 keeps the state folder (logs, database) for a look afterwards.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$top/build/bin
sipdir=$top/tests/sip
# shellcheck source=../demo.env
. "$top/tests/demo.env"
ntests=0 nfailed=0

ok() { ntests=$((ntests + 1)); echo "ok - $*"; }
not_ok() { ntests=$((ntests + 1)); nfailed=$((nfailed + 1)); echo "not ok - $*"; }

# check NAME COMMAND...: passes when the command exits 0.
check() {
  local name=$1; shift
  if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# expect_eq NAME WANT GOT
expect_eq() {
  if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: want '$2', got '$3'"; fi
}

# expect_match NAME REGEX GOT
expect_match() {
  if [[ $3 =~ $2 ]]; then ok "$1"; else not_ok "$1: '$3' does not match /$2/"; fi
}

# eventually SECONDS COMMAND...: retries the command every 0.1 s until it
# succeeds or the time is up (for state that settles asynchronously). The
# command runs in this shell, so it is evaluated afresh each time: pass a
# function, not "test $(...)".
eventually() {
  local secs=$1; shift
  local end=$(( $(date +%s%N) / 1000000 + secs * 1000 ))
  until "$@"; do
    [ $(( $(date +%s%N) / 1000000 )) -ge $end ] && return 1
    sleep 0.1
  done
}

diag() { echo "# $*"; }

# jqe ARGS...: jq -e over standard input, and false when no input came at
# all: jq 1.6's -e exits 0 on empty input, which let a wait pass before the
# event it waited for was written (or when a service answered nothing).
jqe() {
  local in
  in=$(cat)
  [ -n "$in" ] && jq -e "$@" <<<"$in"
}

# --- cleanup on exit -------------------------------------------------------------

# on_exit COMMAND: runs COMMAND (a string for eval) when the test exits,
# however it exits; the last registered runs first, so what was started
# after the stack is stopped before it.
exit_cmds=()
on_exit() { exit_cmds=("$1" "${exit_cmds[@]+"${exit_cmds[@]}"}"); }
run_exit_cmds() {
  local rc=$? c
  for c in "${exit_cmds[@]+"${exit_cmds[@]}"}"; do eval "$c"; done
  exit $rc
}
trap run_exit_cmds EXIT
trap 'exit 130' INT TERM

# stack_start [ARGS...]: scripts/stack.sh start --demo ARGS on free ports in
# a new state folder. A port found free can be taken before the service
# binds it, by another stack starting beside this one: then the start is
# tried again (twice at most) on other ports.
stack_start() {
  local out try
  for try in 1 2 3; do
    CC_STATE=$(mktemp -d /tmp/cc-test.XXXXXX)
    export CC_STATE
    out=$(CC_PORTS=auto CC_QUIET=1 "$top/scripts/stack.sh" start --demo "$@" 2>&1) && break
    [ -n "$out" ] && echo "$out"
    if [ "$try" -lt 3 ] && grep -q "already in use" <<<"$out"; then
      diag "a port was taken while the stack started; starting again on other ports"
      "$top/scripts/stack.sh" stop >/dev/null 2>&1
      rm -rf "$CC_STATE"
      continue
    fi
    on_exit stack_stop
    not_ok "stack starts"
    exit 1
  done
  on_exit stack_stop
  # shellcheck disable=SC1091
  . "$CC_STATE/etc/ports.env"
  CTL_ADDR=127.0.0.1:$CTL_PORT
  logs=$CC_STATE/log
}

# stack_stop [STACK_SH FOLDER]: stops the stack by pid (this checkout's
# scripts/stack.sh, or STACK_SH); keeps its state folder when a test failed
# (or KEEP_STATE=1), removes it (or FOLDER, which holds it) otherwise.
stack_stop() {
  "${1:-$top/scripts/stack.sh}" stop >/dev/null 2>&1
  if [ "${KEEP_STATE:-0}" = 1 ] || [ "$nfailed" -gt 0 ]; then
    echo "# state kept in $CC_STATE"
  else
    rm -rf "${2:-$CC_STATE}"
  fi
}

# kill_tree PID: ends PID and every process it started (a background shell
# function's `timeout sipp ...` lives in children of the subshell), children first.
kill_tree() {
  local c
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    kill_tree "$c"
  done
  kill "$1" 2>/dev/null
}

# background COMMAND...: runs a helper process in the background ($BG_PID)
# and stops it on exit.
background() {
  "$@" &
  BG_PID=$!
  on_exit "stop_background $BG_PID"
}
# stop_background PID: ends PID and its children, unless it has already
# exited (then the pid is no longer this shell's child and may be another
# process's now).
stop_background() {
  [ "$(ps -o ppid= -p "$1" 2>/dev/null | tr -d ' ')" = "$$" ] || return 0
  kill_tree "$1"
  wait "$1" 2>/dev/null
}

# gone PID: the process has exited.
gone() { ! kill -0 "$1" 2>/dev/null; }

# free_port: a port free on TCP and UDP now, from the range scripts/stack.sh
# hands out (helpers such as a softphone bind it soon after).
free_port() {
  local p
  while :; do
    p=$(( (RANDOM * 32768 + RANDOM) % 10000 + 20000 ))
    ss -Hlntu "sport = :$p" | grep -q . || { echo "$p"; return; }
  done
}

# udp PORT: sends standard input to 127.0.0.1:PORT as one datagram (the
# shell's printf writes a line at a time; dd gathers it).
udp() { dd bs=65536 iflag=fullblock status=none > "/dev/udp/127.0.0.1/$1"; }

sql() { mariadb --no-defaults -S "$DB_SOCKET" -u root cc -N -B -e "$1"; }

# ctl COMMAND [key=value...]: one request on the B2BUA's control socket; its
# JSON reply. The reply may take long on a loaded machine, not 3 s at most.
ctl() { "$bin/cc-ctl" -a "$CTL_ADDR" -s "$CTL_SECRET_FILE" -t 20000 "$@"; }

# reload_dir: the B2BUA re-reads numbers, groups and agents; returns once the
# snapshot in force was read after the request (ping's dir_loaded reaches
# the reload's ticket), or fails after 20 s.
reload_dir() {
  local ticket
  ticket=$(ctl reload | jqe .ticket) || return 1
  eventually 20 dir_loaded "$ticket"
}
# dir_ticket: the ticket of the directory in force; dir_loaded TICKET: that
# one or a later one is in force.
dir_ticket() { ctl ping | jq .dir_loaded; }
dir_loaded() { local t; t=$(dir_ticket); [[ $t =~ ^[0-9]+$ ]] && [ "$t" -ge "$1" ]; }

# --- agents, as the B2BUA sees them -------------------------------------------------

# agent_json ID: agent.get's reply for agent ID (cs_user.ID).
agent_json() { ctl agent.get agent="$1"; }
# agent_state ID: its state (ready, not_ready, on_call, ...).
agent_state() { agent_json "$1" | jq -r .agent.state; }
# agent_reason ID: the reason of its state ("" when none).
agent_reason() { agent_json "$1" | jq -r '.agent.reason // ""'; }
# agent_state_reason ID: "state" or "state/reason".
agent_state_reason() { agent_json "$1" | jq -r '.agent.state + (if .agent.reason then "/" + .agent.reason else "" end)'; }
# registered ID: its phone is registered.
registered() { [ "$(agent_json "$1" | jq -r .agent.registered)" = true ]; }
# state_is ID STATE
state_is() { [ "$(agent_state "$1")" = "$2" ]; }

# set_state ID STATE [REASON]: asks the B2BUA for the agent's state (as the
# workbench does). A refusal fails the test with the B2BUA's error.
set_state() {
  local out
  if ! out=$(ctl agent.state agent="$1" state="$2" ${3:+reason="$3"} 2>&1); then
    not_ok "the B2BUA sets agent $1 $2${3:+ ($3)}: $(jq -r '"\(.error): \(.message)"' <<<"$out" 2>/dev/null || echo "$out")"
    return 1
  fi
}

# --- calls -------------------------------------------------------------------------

# calls_now: how many calls the B2BUA has up.
calls_now() { ctl call.list | jq '.calls | length'; }
no_calls() { [ "$(calls_now)" = 0 ]; }
# call_in_state STATE: the B2BUA has a call in STATE (media, welcome, queued,
# offering, bridged, no_agent, ending).
call_in_state() { ctl call.list | jqe --arg s "$1" '.calls[] | select(.state == $s)' >/dev/null; }

# col CALL EXPR: EXPR (SQL over cc_call's columns) for call record CALL.
col() { sql "SELECT $2 FROM cc_call WHERE id = '$1'"; }

# call_final CALL: the record of CALL is final. The B2BUA writes it on a
# worker after the call has ended: the row's last update, then the event
# log, whose last line is "end".
call_final() { [ "$(sql "SELECT COUNT(*) FROM cc_call_event WHERE call_id = '$1' AND event = 'end'")" -ge 1 ]; }

# call_of NAME: the id of the call record of sipp run NAME (a caller), found
# by its SIP Call-ID, once the record is final (waits up to 30 s).
call_of() { final_call "sip_call_id = '$(sip_call_id "$1")'" "sipp run $1"; }
# last_call CALLER: the id of the newest call record from CALLER, once it is
# final (waits up to 30 s).
last_call() { final_call "caller = '$1'" "a call from $1"; }

# final_call WHERE WHAT: the newest record matching WHERE once it is final;
# else nothing (and a note on stderr), so the checks on it fail.
final_call() {
  if eventually 30 newest_final "$1"; then
    echo "$final_id"
  else
    echo "# no final call record for $2 within 30 s" >&2
  fi
}
newest_final() {
  final_id=$(sql "SELECT id FROM cc_call WHERE $1 ORDER BY started_at DESC LIMIT 1")
  [ -n "$final_id" ] && call_final "$final_id"
}

# rtp_packets CALL TAG: packets rtpengine has received from party TAG
# (caller, ag1, ...) of CALL; 0 when it does not know the call.
rtp_packets() {
  local n
  n=$("$bin/cc-ngctl" -a "127.0.0.1:$NG_PORT" query call-id="$1" 2>/dev/null |
    jq "[.tags[\"$2\"].medias[]?.streams[]?.stats.packets // 0] | add // 0" 2>/dev/null)
  echo "${n:-0}"
}
# rtp_from CALL TAG MIN: rtpengine has received more than MIN packets from
# TAG; $packets is the count it reported.
rtp_from() { packets=$(rtp_packets "$1" "$2"); [ "$packets" -gt "$3" ]; }

# --- the web app, through nginx (curl) ----------------------------------------------

# web_setup DIR: $base is the web app's address; responses go to $CC_STATE/DIR ($tmp).
web_setup() {
  base=http://127.0.0.1:$HTTP_PORT
  tmp=$CC_STATE/$1
  mkdir -p "$tmp"
}
# login JAR USER PASSWORD: signs in through the sign-in page; cookies in
# $tmp/JAR; prints the session's CSRF token (from the page the user lands on).
login() {
  http "$1-form" -c "$tmp/$1" -b "$tmp/$1" "$base/cc/login" >/dev/null
  http "$1-login" -c "$tmp/$1" -b "$tmp/$1" --data-urlencode "username=$2" --data-urlencode "password=$3" \
    --data-urlencode "_csrf=$(form_token "$1-form")" "$base/cc/login" >/dev/null
  http "$1-home" -L -b "$tmp/$1" "$base/cc/" >/dev/null
  page_token "$1-home"
}
# http NAME CURL-ARGS...: one request; headers in $tmp/NAME.h, body in
# $tmp/NAME.b; prints the status.
http() {
  local name=$1; shift
  curl -s --max-time 20 -o "$tmp/$name.b" -D "$tmp/$name.h" -w '%{http_code}' "$@"
}
# json NAME FILTER: jq over response NAME's body.
json() { jq -r "$2" "$tmp/$1.b" 2>/dev/null; }
# hdr NAME HEADER: the header's value in response NAME (first one).
hdr() { grep -i "^$2:" "$tmp/$1.h" | head -n 1 | cut -d: -f2- | sed 's/^ *//; s/\r$//'; }
# The sign-in form's token, and a page's session token (<meta name="csrf-token">).
form_token() { grep -o 'name="_csrf" value="[0-9a-f]*"' "$tmp/$1.b" | head -n 1 | sed 's/.*value="//; s/"$//'; }
page_token() { grep -o '<meta name="csrf-token" content="[0-9a-f]*"' "$tmp/$1.b" | head -n 1 | sed 's/.*content="//; s/"$//'; }

# rollup_refresh JAR CSRF [?all=1]: one run of the reports' rollup (POST
# refresh as JAR's admin), waited for (202 while it runs); true when it
# succeeded.
rollup_refresh() {
  local st url=$base/cc/api/admin/reports/refresh
  st=$(http refresh -b "$tmp/$1" -X POST -H "X-CSRF-Token: $2" "$url${3:-}")
  while [ "$st" = 202 ]; do
    st=$(http refresh -b "$tmp/$1" -X POST -H "X-CSRF-Token: $2" "$url")
  done
  [ "$st" = 200 ]
}

# --- phones and gateways (tests/sip) -------------------------------------------

# sipp_run NAME ARGS...: one sipp run against Kamailio, bounded in time
# (SIPP_LIMIT_S, 60 s); its messages and errors are kept in
# $logs/sipp-NAME.*; returns sipp's status. It listens on a free port unless
# ARGS give one (-p): sipp's default, 5060, is shared by every stack and
# fuzzer on the machine.
sipp_run() {
  local name=$1 port=(); shift
  [[ " $* " == *" -p "* ]] || port=(-p "$(free_port)")
  timeout "${SIPP_LIMIT_S:-60}" sipp "127.0.0.1:$SIP_PORT" -nostdin -m 1 "${port[@]}" \
    -trace_msg -message_file "$logs/sipp-$name.msg" \
    -trace_err -error_file "$logs/sipp-$name.err" "$@" >"$logs/sipp-$name.out" 2>&1
}

# agent NAME USER PASSWORD ARGS...: an agent's phone on 127.0.0.2.
agent() {
  local name=$1 user=$2 pass=$3; shift 3
  sipp_run "$name" -sf "$sipdir/agent/uac.xml" -oocsf "$sipdir/agent/uas.xml" -i 127.0.0.2 \
    -s "$user" -ap "$pass" "$@"
}

# phone NAME N ARGS...: demo agent N's phone (N = 1, 2, 3), registered in the
# background until the test ends, answering as ARGS say (-set answer_ms 500,
# -set noanswer 1, -set reject 1: tests/sip/README.md).
phone() {
  local name=$1 user=A${2}_SIP pass=A${2}_SIP_PASSWORD; shift 2
  SIPP_LIMIT_S=3600 background agent "$name" "${!user}" "${!pass}" \
    -set stay_ms 3000000 -set expires 3600 "$@"
}

# caller NAME NUMBER ARGS...: a call through Kamailio (gateway/uac.xml);
# -i/-p choose whose address it calls from.
caller() {
  local name=$1 number=$2; shift 2
  sipp_run "$name" -sf "$sipdir/gateway/uac.xml" -s "$number" "$@"
}

# tell NAME: ends the wait of sipp run NAME started with -set until_notify 1
# (a caller hangs up, a phone unregisters).
tell() { "$sipdir/notify.sh" "$logs/sipp-$1.msg"; }
# hang_up NAME PID: tells caller NAME (until_notify, in the background as
# PID) to hang up and waits for it; sipp's status.
hang_up() { tell "$1"; wait "$2"; }

# received NAME METHOD: how many METHOD requests sipp run NAME has received.
received() {
  local n
  n=$(grep -c "^$2 sip:" "$logs/sipp-$1.msg" 2>/dev/null)
  echo "${n:-0}"
}
# has_received NAME METHOD [N]: sipp run NAME has received N (1) or more
# METHOD requests.
has_received() { [ "$(received "$1" "$2")" -ge "${3:-1}" ]; }

# sip_call_id NAME: the SIP Call-ID of sipp run NAME's call.
sip_call_id() { sed -n 's/^Call-ID: *//p' "$logs/sipp-$1.msg" 2>/dev/null | head -n 1 | tr -d '\r'; }

# agent1_ready MAX_WAIT_S: the demo's agent1 alone: a 0.3 s welcome prompt,
# every group with a 30 s ring time (the phone answers after 300 ms: the
# ring time only bounds a loaded machine), no wrap-up and MAX_WAIT_S of
# queueing; agent1's phone registered and the agent ready.
agent1_ready() {
  sql "UPDATE cc_skill_group SET ring_timeout_s = 30, max_wait_s = $1, wrapup_s = 0"
  sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/welcome.wav" synth 0.3 sine 440 2>/dev/null
  check "the B2BUA reloads its directory" reload_dir
  phone a1 1 -set answer_ms 300
  check "agent1's phone registers" eventually 20 registered "$A1"
  set_state "$A1" ready
}

# three_agents RING_S WAIT_S "A1 ARGS" "A2 ARGS" "A3 ARGS": the demo's group
# rings RING_S, waits WAIT_S, with no wrap-up and no break for a missed
# offer; a 0.3 s welcome prompt; the three agents' phones registered as
# phone a1..a3 with those arguments (-set answer_ms 300, -set noanswer 1).
three_agents() {
  local ring=$1 wait=$2 i
  shift 2
  sql "UPDATE cc_skill_group SET ring_timeout_s = $ring, max_wait_s = $wait, wrapup_s = 0, no_answer_break = 0"
  sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/welcome.wav" synth 0.3 sine 440 2>/dev/null
  check "the B2BUA reloads its directory" reload_dir
  for i in 1 2 3; do
    # shellcheck disable=SC2086
    phone "a$i" "$i" ${!i}
  done
  all_registered() { registered "$A1" && registered "$A2" && registered "$A3"; }
  check "agents' phones register" eventually 30 all_registered
}

# three_agents_answer: three_agents ringing 30 s, waiting 30 s, each phone
# answering after 300 ms.
three_agents_answer() {
  three_agents 30 30 "-set answer_ms 300" "-set answer_ms 300" "-set answer_ms 300"
}

# clock_past MS: the wall clock is past MS (ms since the epoch).
clock_past() { [ "$(date +%s%3N)" -gt "$1" ]; }

# ready [A B C]: those agents ready, in that order (the first idle longest),
# the demo's other agents signed out.
ready() {
  local a since
  for a in "$A1" "$A2" "$A3"; do set_state "$a" logged_out; done
  for a in "$@"; do
    set_state "$a" ready
    since=$(agent_json "$a" | jq .agent.since)
    eventually 5 clock_past "$since"
  done
}

# carrier NAME ARGS...: the carrier's gateway for one call (agent/uas.xml on
# $OUTBOUND_PORT), in the background ($BG_PID) until it is listening.
carrier() {
  local name=$1; shift
  background sipp_run "$name" -sf "$sipdir/agent/uas.xml" -i "$OUTBOUND_IP" -p "$OUTBOUND_PORT" "$@"
  listening() { ss -Hlnu "sport = :$OUTBOUND_PORT" | grep -q .; }
  eventually 10 listening || diag "the carrier's sipp did not start listening"
}
# invite_line NAME / invite_from NAME: the request line and From user of the
# INVITE sipp run NAME received.
invite_line() { grep -m 1 '^INVITE ' "$logs/sipp-$1.msg" | tr -d '\r'; }
invite_from() {
  sed -n '/^INVITE /,/^$/p' "$logs/sipp-$1.msg" | grep -m 1 -i '^From:' |
    sed 's/.*<sip:\([^@>]*\)@.*/\1/'
}

# bridged_call NAME CALLER [NUMBER]: a call to NUMBER ($NUMBER) that hangs
# up once an agent is bridged to it; prints the call's id.
bridged_call() {
  background caller "$1" "${3:-$NUMBER}" -i 127.0.0.1 -set caller "$2" -set until_notify 1
  local pid=$BG_PID
  eventually 30 call_in_state bridged || diag "call $1 was not bridged"
  hang_up "$1" "$pid" >/dev/null
  call_of "$1"
}

finish() {
  echo "1..$ntests"
  [ "$nfailed" -eq 0 ]
}

# --- one service at a time ----------------------------------------------------------

# svc_pid NAME: the pid of service NAME (db, rtpengine, kamailio, b2bua-1,
# web, nginx), from its pid file.
svc_pid() { cat "$CC_STATE/run/$1.pid" 2>/dev/null; }
# svc_kill NAME: kill -9 of service NAME and of every process it started
# (stack.sh starts each service in a session of its own: its process group),
# as a crash looks to a service manager: Kamailio's workers outlive their
# main process otherwise, keep its SIP port and answer in the new one's
# place. Returns once they are all gone.
svc_kill() {
  local pid
  pid=$(svc_pid "$1") || return 1
  group_gone() { ! kill -0 -- "-$1" 2>/dev/null; }
  kill -9 -- "-$pid" && eventually 20 group_gone "$pid"
}
# svc_restart NAME: starts service NAME again (db, rtpengine, kamailio,
# b2bua, web or nginx), stopping it first by its pid if it still runs;
# returns once it answers.
svc_restart() {
  local out
  out=$(CC_STATE=$CC_STATE "$top/scripts/stack.sh" restart "$1" 2>&1) || { echo "$out" | sed 's/^/# /'; return 1; }
}

# agents_consistent: the B2BUA (agent.list) and the demo agents' cc_agent
# rows agree on every agent's state; no row names a call the B2BUA does not
# have, and no agent is reserved or on a call while the B2BUA has none.
agents_consistent() {
  local list rows calls c
  list=$(ctl agent.list | jq -r '.agents[] | select(.id == "'"$A1"'" or .id == "'"$A2"'" or .id == "'"$A3"'") | "\(.id) \(.state)"' | sort) || return 1
  rows=$(sql "SELECT user_id, state FROM cc_agent WHERE user_id IN ('$A1', '$A2', '$A3')" | tr '\t' ' ' | sort)
  [ -n "$list" ] && [ "$list" = "$rows" ] || return 1
  calls=$(ctl call.list | jq -r '.calls[].id') || return 1
  for c in $(sql "SELECT call_id FROM cc_agent WHERE state IN ('reserved', 'on_call', 'wrap_up') AND call_id IS NOT NULL"); do
    grep -qx "$c" <<<"$calls" || return 1
  done
  [ -n "$calls" ] || [ "$(ctl agent.list | jq '[.agents[] | select(.state == "reserved" or .state == "on_call")] | length')" = 0 ]
}
# agents_seen: what agents_consistent compared, for a failure's message.
agents_seen() {
  echo "B2BUA [$(ctl agent.list | jq -r '[.agents[] | "\(.id):\(.state)"] | join(" ")')]," \
    "rows [$(sql "SELECT GROUP_CONCAT(CONCAT(user_id, ':', state, ':', COALESCE(call_id, '-')) SEPARATOR ' ') FROM cc_agent")]," \
    "calls [$(ctl call.list | jq -r '[.calls[] | "\(.id):\(.state)"] | join(" ")')]"
}
