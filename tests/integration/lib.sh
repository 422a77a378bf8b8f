# Sourced by tests/integration/t_*.sh. Starts the real stack on free loopback
# ports in a private state folder, stops it on exit (also on failure), and
# reports in TAP: "ok - name" / "not ok - name: why".
#
#   . "$(dirname "$0")/lib.sh"
#   stack_start [--only db,kamailio]   # demo data loaded; ports in $HTTP_PORT, $SIP_PORT, ...
#   check "agent phone registers" agent reg 1001 sip1001 -set challenge_only 1
#   expect_eq "result" answered "$(sql 'SELECT result FROM cc_call')"
#   finish                              # prints the plan; exit status 1 if anything failed
#
# The demo data's ids, logins and numbers are tests/demo.env's variables:
# $A1 (agent1's cs_user id), $A1_SIP, $A1_SIP_PASSWORD, $NUMBER, $CONTACT,
# $KNOWN_CALLER, ...
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
# succeeds or the time is up (for state that settles asynchronously).
eventually() {
  local secs=$1; shift
  local end=$(( $(date +%s%N) / 1000000 + secs * 1000 ))
  until "$@"; do
    [ $(( $(date +%s%N) / 1000000 )) -ge $end ] && return 1
    sleep 0.1
  done
}

diag() { echo "# $*"; }

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

stack_start() {
  CC_STATE=$(mktemp -d /tmp/cc-test.XXXXXX)
  export CC_STATE
  on_exit stack_stop
  if ! CC_PORTS=auto CC_QUIET=1 "$top/scripts/stack.sh" start --demo "$@"; then
    not_ok "stack starts"
    exit 1
  fi
  # shellcheck disable=SC1091
  . "$CC_STATE/etc/ports.env"
  CTL_ADDR=127.0.0.1:$CTL_PORT
  logs=$CC_STATE/log
}

# stack_stop: stops the stack by pid; keeps its state folder when a test
# failed (or KEEP_STATE=1), removes it otherwise.
stack_stop() {
  "$top/scripts/stack.sh" stop >/dev/null 2>&1
  if [ "${KEEP_STATE:-0}" = 1 ] || [ "$nfailed" -gt 0 ]; then
    echo "# state kept in $CC_STATE"
  else
    rm -rf "$CC_STATE"
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

sql() { mariadb --no-defaults -S "$DB_SOCKET" -u root cc -N -B -e "$1"; }

ctl() { "$bin/cc-ctl" -a "$CTL_ADDR" -s "$CTL_SECRET_FILE" "$@"; }

# reload_dir: the B2BUA re-reads numbers, groups and agents; returns once the
# snapshot in force was read after the request (ping's dir_loaded reaches
# the reload's ticket), or fails after 10 s.
reload_dir() {
  local ticket
  ticket=$(ctl reload | jq -e .ticket) || return 1
  eventually 10 dir_loaded "$ticket"
}
dir_loaded() { [ "$(ctl ping | jq .dir_loaded)" -ge "$1" ]; }

# --- phones and gateways (tests/sip) -------------------------------------------

# sipp_run NAME ARGS...: one sipp run against Kamailio, bounded in time; its
# messages and errors are kept in $logs/sipp-NAME.*; returns sipp's status.
sipp_run() {
  local name=$1; shift
  timeout 60 sipp "127.0.0.1:$SIP_PORT" -nostdin -m 1 -trace_msg -message_file "$logs/sipp-$name.msg" \
    -trace_err -error_file "$logs/sipp-$name.err" "$@" >"$logs/sipp-$name.out" 2>&1
}

# agent NAME USER PASSWORD ARGS...: an agent's phone on 127.0.0.2.
agent() {
  local name=$1 user=$2 pass=$3; shift 3
  sipp_run "$name" -sf "$sipdir/agent/uac.xml" -oocsf "$sipdir/agent/uas.xml" -i 127.0.0.2 \
    -s "$user" -ap "$pass" "$@"
}

# caller NAME NUMBER ARGS...: a call through Kamailio (gateway/uac.xml);
# -i/-p choose whose address it calls from.
caller() {
  local name=$1 number=$2; shift 2
  sipp_run "$name" -sf "$sipdir/gateway/uac.xml" -s "$number" "$@"
}

# agent1_ready MAX_WAIT_S: the demo's agent1 alone: a 0.3 s welcome prompt,
# every group with a 5 s ring time, no wrap-up and MAX_WAIT_S of queueing;
# agent1's phone (answers after 300 ms) registered and the agent ready.
agent1_registered() { [ "$(ctl agent.get agent="$A1" | jq -r .agent.registered)" = true ]; }
agent1_ready() {
  sql "UPDATE cc_skill_group SET ring_timeout_s = 5, max_wait_s = $1, wrapup_s = 0"
  sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/welcome.wav" synth 0.3 sine 440 2>/dev/null
  check "the B2BUA reloads its directory" reload_dir
  background agent a1 1001 sip1001 -set stay_ms 120000 -set answer_ms 300
  check "agent1's phone registers" eventually 10 agent1_registered
  ctl agent.state agent="$A1" state=ready >/dev/null
}

finish() {
  echo "1..$ntests"
  [ "$nfailed" -eq 0 ]
}
