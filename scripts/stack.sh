#!/usr/bin/env bash
# Starts, stops and reports the whole stack on 127.0.0.1: MariaDB, rtpengine,
# Kamailio, the B2BUA, the FastCGI app and nginx. Every process is started
# here, recorded by pid in $CC_STATE/run, and stopped by that pid only.
#
#   scripts/stack.sh start [--demo] [--history] [--only a,b,...]   start (and wait until all
#                                            answer); --history: a day of calls before today
#   scripts/stack.sh stop                              stop what start started
#   scripts/stack.sh status                            one line per service and per B2BUA
#                                            node (its ports, calls, Kamailio's view of it)
#   scripts/stack.sh restart SERVICE                   db (every Galera node), db-N (node N
#                                            alone, N >= 2), rtpengine (every one), rtpengine-N
#                                            (the Nth alone), kamailio, b2bua (every node),
#                                            b2bua-N (node N alone), web or nginx
#   scripts/stack.sh stop-node N                       stops B2BUA node N (Kamailio's probes
#                                            find it gone and send new calls to the others)
#   scripts/stack.sh start-node N                      starts node N again (stopped or killed)
#
# Environment (defaults in brackets):
#   CC_STATE      state folder: database, logs, configs, recordings [<repo>/var]
#   CC_PORTS      "auto" picks free loopback ports (tests); otherwise the fixed ones below
#   CC_HTTP_PORT [8080]  CC_SIP_PORT [5060]  CC_B2BUA_PORT [5070]  CC_NG_PORT [2223]
#   CC_DTMF_PORT [2224]  CC_CTL_PORT [8021]  CC_DB_PORT [3307]
#                        B2BUA node n: SIP, control and DTMF on these + n - 1; with
#                        CC_PORTS=auto each node's picked free (ports.env: B2BUA_PORTS,
#                        CTL_PORTS, DTMF_PORTS in node order; B2BUA_PORT... are node 1's)
#   CC_DB_NODES [1]      database servers: 1 is one MariaDB; 2-9 a Galera cluster
#                        (scripts/galera.sh, docs/galera.md)  CC_GALERA_PORT [4567]
#   CC_WS_PORT [5066]    Kamailio's WebSocket listener (browser phones; nginx's /ws)
#   CC_RTP_MIN [30000]   CC_RTP_MAX [31999]
#   CC_SIP_REALM [cc.local]  digest realm Kamailio challenges agents' phones with
#   CC_GATEWAY_IP [127.0.0.1] the demo's trusted gateway address
#   CC_OUTBOUND_IP [$CC_GATEWAY_IP]  CC_OUTBOUND_PORT [5080]  the carrier's gateway
#                        Kamailio sends calls to outside numbers to (IVR dial nodes)
#   CC_B2BUA_NODES [1]   B2BUA nodes behind Kamailio's dispatcher (docs/nodes.md)
#   CC_RTPENGINES [1]    rtpengines, each on its own ng port (fixed ports: CC_NG_PORT,
#                        then +100 for each next one) with its share of CC_RTP_MIN..MAX
#   CC_DTMF [udp with one node, tcp with more]  how rtpengines' DTMF events reach
#                        the nodes: udp (one --dtmf-log-dest) or tcp (every node
#                        connected to every rtpengine's ng port; docs/rtpengines.md)
#   CC_B2BUA_OPTS        extra "key=value" settings for every B2BUA node
#   CC_WEB_OPTS          extra "key=value" settings for cc-web
#   CC_DB_OPTS           extra mariadbd options for the one MariaDB, e.g.
#                        "--performance-schema=ON" to profile it (docs/cost-per-call.md)
#   CC_KAMAILIO_CHILDREN [nproc]  CC_RTPENGINE_THREADS [2]
#   CC_NGINX_USER [nobody]  the user nginx's workers run as (when started as root)
#   CC_PUBLIC   what nginx's workers reach: the app's socket, nginx's temporary
#               files, the static files when the checkout is closed to that user
#               [/run/cc-<hash of the state folder>; <state>/run/public if not root]
#
# The state folder and everything in it is private to the user running this
# (0700): the database's socket and data, logs and the secrets in etc/. The
# database accounts: root through the UNIX socket for the system's root only;
# cc_web, cc_b2bua and cc_kamailio with the rights each needs, their passwords
# in etc/db-*.secret (0600). See docs/install.md ("Database accounts").
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
state=${CC_STATE:-$top/var}
mkdir -p "$state"
state=$(cd "$state" && pwd)
run=$state/run log=$state/log etc=$state/etc
bin=${CC_BIN:-$top/build/bin}
if [ "$(id -u)" = 0 ]; then
  pub=${CC_PUBLIC:-/run/cc-$(printf %s "$state" | sha1sum | cut -c1-12)}
  nginx_user=${CC_NGINX_USER:-nobody}
  nginx_group=$(id -gn "$nginx_user")
else
  # nginx's workers run as this user: nothing to open to another one.
  pub=${CC_PUBLIC:-$run/public} nginx_user="" nginx_group=""
fi
services=(db rtpengine kamailio b2bua web nginx)

die() { echo "stack: $*" >&2; exit 1; }
say() { echo "stack: $*"; }
# shellcheck source=galera.sh
. "$top/scripts/galera.sh"

# --- ports -------------------------------------------------------------------

port_busy() { # proto port
  ss -Hln"${1:0:1}" "sport = :$2" 2>/dev/null | grep -q .
}

# Service ports come from 20000-29999: below the kernel's ephemeral range
# (32768-60999), where outgoing sockets and other stacks' RTP live, so a
# port found free here stays free until the service binds it.
pick_port() { # VAR: sets VAR to a free port not handed out yet
  local cand
  while :; do
    cand=$(( (RANDOM * 32768 + RANDOM) % 10000 + 20000 ))
    [[ " ${taken:-} " == *" $cand "* ]] && continue
    if ! port_busy tcp "$cand" && ! port_busy udp "$cand"; then
      taken="${taken:-} $cand"
      printf -v "$1" %s "$cand"
      return
    fi
  done
}

load_ports() {
  if [ -f "$etc/ports.env" ]; then
    # shellcheck disable=SC1091
    . "$etc/ports.env"
    # A state folder started before each node had ports of its own.
    [ -n "${B2BUA_PORTS:-}" ] || node_ports_from_base
    # ... and before several rtpengines.
    NG_PORTS=${NG_PORTS:-$NG_PORT} DTMF_VIA=${DTMF_VIA:-udp}
    return
  fi
  B2BUA_NODES=${CC_B2BUA_NODES:-1}
  [[ $B2BUA_NODES =~ ^[1-9][0-9]?$ ]] \
    || die "CC_B2BUA_NODES must be a number of nodes from 1 to 99, not '$B2BUA_NODES'"
  if [ "${CC_PORTS:-}" = auto ]; then
    local v n port
    for v in HTTP_PORT SIP_PORT B2BUA_PORT NG_PORT DTMF_PORT CTL_PORT DB_PORT OUTBOUND_PORT WS_PORT; do
      pick_port "$v"
    done
    # Node 1 has the ports above; every other node its own three.
    B2BUA_PORTS=$B2BUA_PORT CTL_PORTS=$CTL_PORT DTMF_PORTS=$DTMF_PORT
    for n in $(seq 2 "$B2BUA_NODES"); do
      pick_port port; B2BUA_PORTS+=" $port"
      pick_port port; CTL_PORTS+=" $port"
      pick_port port; DTMF_PORTS+=" $port"
    done
    # rtpengine skips ports in use, so blocks of concurrent stacks may
    # overlap. CC_RTP_MIN/MAX still choose the range (benchmarks need more).
    RTP_MIN=${CC_RTP_MIN:-$(( 40000 + (RANDOM % 10) * 2000 ))}
    RTP_MAX=${CC_RTP_MAX:-$(( RTP_MIN + 1999 ))}
  else
    HTTP_PORT=${CC_HTTP_PORT:-8080}; SIP_PORT=${CC_SIP_PORT:-5060}
    B2BUA_PORT=${CC_B2BUA_PORT:-5070}; NG_PORT=${CC_NG_PORT:-2223}
    DTMF_PORT=${CC_DTMF_PORT:-2224}; CTL_PORT=${CC_CTL_PORT:-8021}
    DB_PORT=${CC_DB_PORT:-3307}; RTP_MIN=${CC_RTP_MIN:-30000}; RTP_MAX=${CC_RTP_MAX:-31999}
    OUTBOUND_PORT=${CC_OUTBOUND_PORT:-5080}; WS_PORT=${CC_WS_PORT:-5066}
    node_ports_from_base
  fi
  NG_PORTS=$NG_PORT
  local i port
  for i in $(seq 2 "${CC_RTPENGINES:-1}"); do
    if [ "${CC_PORTS:-}" = auto ]; then pick_port port; else port=$((NG_PORT + 100 * (i - 1))); fi
    NG_PORTS+=" $port"
  done
  DTMF_VIA=${CC_DTMF:-$([ "$B2BUA_NODES" = 1 ] && echo udp || echo tcp)}
  [[ $DTMF_VIA =~ ^(udp|tcp)$ ]] || die "CC_DTMF is udp or tcp, not '$DTMF_VIA'"
  galera_load_ports
  SIP_REALM=${CC_SIP_REALM:-cc.local}
  GATEWAY_IP=${CC_GATEWAY_IP:-127.0.0.1}
  OUTBOUND_IP=${CC_OUTBOUND_IP:-$GATEWAY_IP}
  cat > "$etc/ports.env" <<EOF
HTTP_PORT=$HTTP_PORT
SIP_PORT=$SIP_PORT
B2BUA_PORT=$B2BUA_PORT
NG_PORT=$NG_PORT
NG_PORTS="$NG_PORTS"
DTMF_PORT=$DTMF_PORT
DTMF_VIA=$DTMF_VIA
CTL_PORT=$CTL_PORT
DB_PORT=$DB_PORT
RTP_MIN=$RTP_MIN
RTP_MAX=$RTP_MAX
B2BUA_NODES=$B2BUA_NODES
B2BUA_PORTS="$B2BUA_PORTS"
CTL_PORTS="$CTL_PORTS"
DTMF_PORTS="$DTMF_PORTS"
SIP_REALM=$SIP_REALM
GATEWAY_IP=$GATEWAY_IP
OUTBOUND_IP=$OUTBOUND_IP
OUTBOUND_PORT=$OUTBOUND_PORT
WS_PORT=$WS_PORT
DB_SOCKET=$run/mysqld.sock
DB_NODES=$DB_NODES
DB_PORTS="$DB_PORTS"
DB_SOCKETS="$DB_SOCKETS"
GALERA_PORTS="$GALERA_PORTS"
CTL_SECRET_FILE=$etc/ctl.secret
STATE=$state
PUBLIC=$pub
WEB_SOCKET=$pub/web.sock
NGINX_USER=$nginx_user
EOF
}

# node_ports_from_base: node n's SIP, control and DTMF ports are
# B2BUA_PORT, CTL_PORT and DTMF_PORT + n - 1 (the fixed ports' scheme).
node_ports_from_base() {
  local n
  B2BUA_PORTS="" CTL_PORTS="" DTMF_PORTS=""
  for n in $(seq 1 "$B2BUA_NODES"); do
    B2BUA_PORTS+="${B2BUA_PORTS:+ }$((B2BUA_PORT + n - 1))"
    CTL_PORTS+="${CTL_PORTS:+ }$((CTL_PORT + n - 1))"
    DTMF_PORTS+="${DTMF_PORTS:+ }$((DTMF_PORT + n - 1))"
  done
}

# node_port LIST N: the Nth port of LIST (B2BUA_PORTS, CTL_PORTS or DTMF_PORTS).
node_port() {
  local ports
  read -r -a ports <<<"${!1}"
  echo "${ports[$(($2 - 1))]}"
}

# check_node N: dies unless N names a node of this stack (1..B2BUA_NODES).
check_node() {
  if ! [[ ${1:-} =~ ^[1-9][0-9]*$ ]] || [ "$1" -gt "$B2BUA_NODES" ]; then
    die "no B2BUA node '${1:-}': this stack has nodes 1 to $B2BUA_NODES"
  fi
}

# --- what nginx's workers reach ----------------------------------------------

# as_nginx COMMAND...: runs COMMAND as nginx's workers' user.
as_nginx() {
  if [ -n "$nginx_user" ]; then
    setpriv --reuid="$nginx_user" --regid="$nginx_group" --clear-groups -- "$@"
  else
    "$@"
  fi
}

# The public folder: root's, its group nginx's workers', 0750. It holds the
# app's socket (itself 0660 to that group, web.conf's listen_*), nginx's
# temporary files, and the static files when nginx's user cannot read them
# in the checkout (a clone in /root or in a 0700 folder): then a copy made at
# each start is served, and the installer is pointed at it (--root, which
# also reads the migrations: sql/ is linked beside the copy). Sets
# plugin_root, the plugin's folder for the installer.
prepare_public() {
  mkdir -p "$pub"
  if [ -n "$nginx_group" ]; then
    chown "root:$nginx_group" "$pub"; chmod 0750 "$pub"
  else
    chmod 0700 "$pub"
  fi
  mkdir -p "$pub/nginx"
  if as_nginx test -r "$top/fcgi-app/static/cc.css" -a -x "$top/fcgi-app/static"; then
    plugin_root=$top
  else
    plugin_root=$pub/plugin
    # A restart of one service keeps the copy nginx serves from.
    [ -d "$pub/plugin" ] && return 0
    mkdir -p "$pub/plugin/fcgi-app"
    cp -RL "$top/fcgi-app/static" "$pub/plugin/fcgi-app/static"
    chmod -R u=rwX,go=rX "$pub/plugin"
    ln -s "$top/sql" "$pub/plugin/sql"
  fi
}

# remove_public: what prepare_public and the services made there, then the
# folder itself (unless something else was put in it).
remove_public() {
  [ -d "$pub" ] || return 0
  rm -rf "$pub/plugin" "$pub/nginx" "$pub/web.sock"
  rmdir "$pub" 2>/dev/null || true
}

# --- processes ---------------------------------------------------------------

pid_of() { # name; prints the pid if that process still runs
  local f=$run/$1.pid pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f" 2>/dev/null) || return 1
  [ -n "$pid" ] && running "$pid" || return 1
  # Guard against a recycled pid: the process must still be the program we started.
  grep -qa -- "$(cat "$run/$1.cmd" 2>/dev/null || echo '?')" "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

spawn() { # name logfile program args...; starts in the background, records the pid
  local name=$1 logf=$2; shift 2
  setsid "$@" >>"$logf" 2>&1 < /dev/null &
  echo $! > "$run/$name.pid"
  basename "$1" > "$run/$name.cmd"
}

wait_for() { # what seconds command...
  local what=$1 secs=$2; shift 2
  local end=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$end" ]; then
      echo "stack: $what did not answer within ${secs}s; its log:" >&2
      tail -n 30 "$log/$what.log" >&2 2>/dev/null || true
      return 1
    fi
    sleep 0.1
  done
}

# running PID: true while the process exists and has not exited. A service
# that exited stays a zombie until init reaps it; its ports are already free.
running() {
  local st
  st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
  [ "${st%% *}" != Z ]
}

# recorded_nodes: the B2BUA nodes with a pid file (b2bua-1 b2bua-2 ...), in
# node order: what `stop` stops whatever the stack was started with.
recorded_nodes() {
  local f
  for f in "$run"/b2bua-*.pid; do
    if [ -e "$f" ]; then basename "$f" .pid; fi
  done | sort -t- -k2 -n
}

# recorded_rtpengines: the rtpengines with a pid file ("rtpengine",
# "rtpengine-2", ...), in order: those a start made, whatever runs now.
recorded_rtpengines() {
  local f
  [ -e "$run/rtpengine.pid" ] && echo rtpengine
  for f in "$run"/rtpengine-*.pid; do
    if [ -e "$f" ]; then basename "$f" .pid; fi
  done | sort -t- -k2 -n
}

stop_one() { # name
  local pid
  pid=$(pid_of "$1") || { rm -f "$run/$1.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  kill -CONT "$pid" 2>/dev/null || true  # a stopped process gets the TERM too
  for _ in $(seq 1 200); do running "$pid" || break; sleep 0.05; done
  if running "$pid"; then
    echo "stack: $1 (pid $pid) did not stop on TERM; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    # Wait until it is gone, so its ports are free when this returns.
    for _ in $(seq 1 100); do running "$pid" || break; sleep 0.05; done
  fi
  rm -f "$run/$1.pid" "$run/$1.cmd"
}

# --- services ----------------------------------------------------------------

sql() { mariadb --no-defaults -S "$run/mysqld.sock" -u root "$@"; }

# secret NAME: prints the password in $etc/NAME.secret, made (0600) if missing.
secret() {
  local f=$etc/$1.secret
  [ -s "$f" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$f")
  cat "$f"
}

# The database's accounts (docs/install.md, "Database accounts"), set again
# at every start, so a state folder made before them is brought in line:
# root through the socket for the system's root only, no other account but
# cc_web, cc_b2bua and cc_kamailio, with the rights `cc-plugin grants` gives
# them on the tables there are now (a new migration's table gets them at the
# next start).
db_accounts() {
  local web b2b kam grants
  web=$(secret db-web); b2b=$(secret db-b2bua); kam=$(secret db-kamailio)
  grants=$("$bin/cc-plugin" grants --manifest "$top/plugin-manifest.xml" --root "$plugin_root" \
    --socket "$run/mysqld.sock" --database cc 2>>"$log/install.log") \
    || die "listing the services' grants failed (cc-plugin grants; see $log/install.log)"
  {
    sql -N -e "SELECT CONCAT('DROP USER \'', User, '\'@\'', Host, '\';') FROM mysql.global_priv
      WHERE NOT ((User = 'root' AND Host = 'localhost') OR User = 'mariadb.sys'
                 OR (User IN ('cc_web', 'cc_b2bua') AND Host = 'localhost')
                 OR (User = 'cc_kamailio' AND Host = '127.0.0.1'))"
    cat <<EOF
ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket;
CREATE USER IF NOT EXISTS 'cc_web'@'localhost';
CREATE USER IF NOT EXISTS 'cc_b2bua'@'localhost';
CREATE USER IF NOT EXISTS 'cc_kamailio'@'127.0.0.1';
ALTER USER 'cc_web'@'localhost' IDENTIFIED BY '$web';
ALTER USER 'cc_b2bua'@'localhost' IDENTIFIED BY '$b2b';
ALTER USER 'cc_kamailio'@'127.0.0.1' IDENTIFIED BY '$kam';
EOF
    echo "$grants"
  } | sql || die "setting the database's accounts failed"
  rm -f "$etc/db.secret"
}

start_db() {
  # Temporary files in the state folder: a server starting removes every
  # "#sql*" file in its tmpdir, and with /tmp that includes the temporary
  # tables of other stacks' servers running beside it.
  mkdir -p "$state/tmp"
  if [ ! -d "$state/db/mysql" ]; then
    mkdir -p "$state/db"
    # root@localhost by unix_socket only (the installer's default);
    # db_accounts removes any other account.
    mariadb-install-db --no-defaults --datadir="$state/db" --tmpdir="$state/tmp" --user=root \
      --skip-test-db >"$log/db-install.log" 2>&1 \
      || { tail -n 20 "$log/db-install.log" >&2; die "mariadb-install-db failed"; }
  fi
  chmod 0700 "$state/db" "$state/tmp"
  if [ "$DB_NODES" -gt 1 ]; then
    galera_start
  else
    spawn db "$log/db.log" /usr/sbin/mariadbd --no-defaults --datadir="$state/db" --tmpdir="$state/tmp" \
      --socket="$run/mysqld.sock" --port="$DB_PORT" --bind-address=127.0.0.1 --user=root \
      --skip-name-resolve --pid-file="$run/mysqld.pid" --character-set-server=utf8mb4 \
      --collation-server=utf8mb4_general_ci --innodb-flush-log-at-trx-commit=2 \
      --innodb-buffer-pool-size=256M --max-connections=500 --skip-log-bin ${CC_DB_OPTS:-}
    wait_for db 60 mariadb-admin --no-defaults -S "$run/mysqld.sock" -u root ping
  fi
  sql -e 'CREATE DATABASE IF NOT EXISTS cc CHARACTER SET utf8mb4'
  if ! sql cc -e 'SELECT 1 FROM cs_user LIMIT 1' >/dev/null 2>&1; then
    # A helpdesk to plug into: the reference host's tables.
    sql cc < "$top/sql/host/cskefu-v8.sql"
    [ "$demo" = 1 ] && sql cc < "$top/sql/demo/host.sql"
  fi
  # Installed as into any helpdesk (docs/install.md): migrations,
  # indexes, menu entries and their grants, and nginx's locations.
  "$bin/cc-plugin" install --manifest "$top/plugin-manifest.xml" --root "$plugin_root" \
    --socket "$run/mysqld.sock" --database cc --nginx-snippet "$etc/nginx-cc.conf" \
    --fastcgi-socket "$pub/web.sock" >>"$log/install.log" 2>&1 \
    || { tail -n 20 "$log/install.log" >&2; die "installing the plugin failed (cc-plugin install)"; }
  if [ "$demo" = 1 ] && [ "$(sql -N cc -e 'SELECT COUNT(*) FROM cc_number')" = 0 ]; then
    { echo "SET @sip_realm='$SIP_REALM', @gateway_ip='$GATEWAY_IP';"; cat "$top/sql/demo/plugin.sql"; } | sql cc
  fi
  # A day of calls before today, for the reports (make run; tests start
  # without it and count their own calls).
  if [ "${history:-0}" = 1 ] && [ "$(sql -N cc -e "SELECT COUNT(*) FROM cc_call WHERE node = 'history'")" = 0 ]; then
    { echo "SET @days = 1, @per_day = 300, @agents = 3, @group = 1, @groups = 1, @number = 1;"
      cat "$top/sql/demo/history.sql"; } | sql cc
  fi
  db_accounts
  # The speech of published flows' text prompts (the demo flow's notice),
  # made where the audio folder lacks it; the web app makes it on publish.
  mkdir -p "$state/audio"
  "$bin/cc-plugin" speech --manifest "$top/plugin-manifest.xml" --socket "$run/mysqld.sock" \
    --database cc --audio-dir "$state/audio" >>"$log/install.log" 2>&1 \
    || { tail -n 5 "$log/install.log" >&2; die "making the flows' speech failed (cc-plugin speech)"; }
}

# rtpengine_name I: the first is "rtpengine", the next "rtpengine-2", ...
rtpengine_name() { if [ "$1" = 1 ]; then echo rtpengine; else echo "rtpengine-$1"; fi; }

# One rtpengine per port of NG_PORTS (those not running: a restart starts
# the one that was stopped), each with an equal even-sized share of
# RTP_MIN..RTP_MAX. Each listens for ng on UDP and on TCP at the same port
# and reports DTMF both ways: to DTMF_PORT (UDP, read by a single node) and
# to every node connected to its TCP port (docs/rtpengines.md).
start_rtpengine() {
  mkdir -p "$state/recordings" "$state/rtpengine"
  local ports=($NG_PORTS) i name min max
  local share=$(( (RTP_MAX - RTP_MIN + 1) / ${#ports[@]} / 2 * 2 ))
  [ "$share" -ge 20 ] || die "RTP_MIN..RTP_MAX is too small for ${#ports[@]} rtpengines"
  for i in $(seq 1 ${#ports[@]}); do
    name=$(rtpengine_name "$i")
    pid_of "$name" >/dev/null && continue
    min=$(( RTP_MIN + share * (i - 1) )); max=$(( min + share - 1 ))
    [ "$i" = ${#ports[@]} ] && max=$RTP_MAX
    spawn "$name" "$log/$name.log" /usr/bin/rtpengine --config-file=none --table=-1 \
      --foreground --log-stderr --interface=127.0.0.1 --listen-ng="127.0.0.1:${ports[i-1]}" \
      --listen-tcp-ng="127.0.0.1:${ports[i-1]}" --dtmf-log-ng-tcp \
      --port-min="$min" --port-max="$max" --dtmf-log-dest="127.0.0.1:$DTMF_PORT" \
      --recording-method=pcap --recording-dir="$state/recordings" \
      --num-threads="${CC_RTPENGINE_THREADS:-2}" --log-level="${CC_RTPENGINE_LOG_LEVEL:-5}" \
      --delete-delay=0 --pidfile="$state/rtpengine/$name.pid"
    # One after the other: each makes the recording folder's subfolders
    # when they are missing, and two doing it at once fail (EEXIST).
    wait_for "$name" 20 "$bin/cc-ngctl" -a "127.0.0.1:${ports[i-1]}" ping
  done
}

write_dispatcher() {
  : > "$etc/dispatcher.list"
  for n in $(seq 1 "$B2BUA_NODES"); do
    echo "1 sip:127.0.0.1:$(node_port B2BUA_PORTS "$n") 0 0 node=$n" >> "$etc/dispatcher.list"
  done
}

# Kamailio is started on $etc/kamailio.cfg (0600): the database's URL,
# password included, then kamailio-cfg/kamailio.cfg. Nothing secret goes on
# its command line, which every local user can read in /proc.
# With a Galera cluster Kamailio has up to three of its nodes, node 3 first
# (node 1 first with two nodes), through db_cluster.
write_kamailio_cfg() {
  local pw; pw=$(secret db-kamailio)
  local db="" order=() n i=0 prio=9 cluster=""
  if [ "$DB_NODES" -gt 1 ]; then
    if [ "$DB_NODES" -ge 3 ]; then order=(3 1 2); else order=(1 2); fi
    for n in "${order[@]}"; do
      i=$((i + 1))
      db+="#!define DBCONN$i \"n$n=>mysql://cc_kamailio:$pw@127.0.0.1:$(db_port_of "$n")/cc\""$'\n'
      cluster+=";n$n=${prio}s${prio}s"; prio=$((prio - 1))
    done
    db+="#!define DBCLUSTER \"cc=>${cluster#;}\""$'\n'"#!define DBURL \"cluster://cc\""
  else
    db="#!define DBURL \"mysql://cc_kamailio:$pw@127.0.0.1:$(db_port_of 1)/cc\""
  fi
  (umask 077; cat > "$etc/kamailio.cfg" <<EOF
#!KAMAILIO
# Generated by scripts/stack.sh: the secrets, then the configuration.
$db
include_file "$top/kamailio-cfg/kamailio.cfg"
EOF
  )
}

# Kamailio logs one JSON document a line (--log-engine=json:M): what it quotes
# from the wire (a broken header, say) stays inside a string and cannot start
# a line of its own. -x tlsf: the TLSF allocator for shared and private
# memory; Kamailio 5.6's default (q_malloc) searches its free lists linearly on
# every allocation and doubled Kamailio's CPU per call (kamailio-cfg/README.md,
# "CPU per call").
start_kamailio() {
  write_dispatcher
  write_kamailio_cfg
  mkdir -p "$run/kamailio"
  spawn kamailio "$log/kamailio.log" /usr/sbin/kamailio -f "$etc/kamailio.cfg" \
    -Y "$run/kamailio" -P "$run/kamailio/kamailio.pid" -DD -E -m 256 -M 16 -x tlsf --log-engine=json:M \
    -A "LISTEN_ADDR=127.0.0.1" -A "LISTEN_PORT=$SIP_PORT" \
    -A "DISPATCHER_LIST=\"$etc/dispatcher.list\"" \
    -A "SIP_REALM=\"$SIP_REALM\"" -A "CHILDREN=${CC_KAMAILIO_CHILDREN:-$(nproc)}" \
    -A "RPC_SOCKET=\"$run/kamailio/rpc.sock\"" \
    -A "OUTBOUND_HOST=\"$OUTBOUND_IP\"" -A "OUTBOUND_PORT=$OUTBOUND_PORT" \
    -A "WS_ADDR=127.0.0.1" -A "WS_PORT=$WS_PORT" -A "RTPENGINE_NG=\"$(printf 'udp:127.0.0.1:%s ' $NG_PORTS | sed 's/ $//')\""
  wait_for kamailio 20 "$bin/cc-sipping" "127.0.0.1:$SIP_PORT"
}

write_b2bua_conf() { # node
  local n=$1 f=$etc/b2bua-$1.conf
  cat > "$f" <<EOF
# Generated by scripts/stack.sh for node $n; every key: build/bin/cc-b2bua --print-config
node_id = node$n
sip_listen = 127.0.0.1:$(node_port B2BUA_PORTS "$n")
sip_proxy = 127.0.0.1:$SIP_PORT
sip_domain = $SIP_REALM
ng_address = $(printf '127.0.0.1:%s ' $NG_PORTS | sed 's/ $//')
$(if [ "$DTMF_VIA" = tcp ]; then printf 'dtmf_listen =\ndtmf_ng_tcp = yes'; else echo "dtmf_listen = 127.0.0.1:$(node_port DTMF_PORTS "$n")"; fi)
ctl_listen = 127.0.0.1:$(node_port CTL_PORTS "$n")
ctl_secret_file = $etc/ctl.secret
$(db_client_conf 1)
db_user = cc_b2bua
db_password_file = $etc/db-b2bua.secret
db_name = cc
audio_dir = $state/audio
voicemail_dir = $state/voicemail
manifest = $top/plugin-manifest.xml
manifest_schema = $top/schemas/plugin-manifest.rng
EOF
  local kv
  for kv in ${CC_B2BUA_OPTS:-}; do echo "${kv/=/ = }" >> "$f"; done
  chmod 600 "$f"
}

start_b2bua() {
  local n
  for n in $(seq 1 "$B2BUA_NODES"); do spawn_node "$n"; done
  for n in $(seq 1 "$B2BUA_NODES"); do wait_node "$n"; done
}

# spawn_node N: writes node N's configuration and starts it (b2bua-N).
spawn_node() {
  mkdir -p "$state/audio" "$state/voicemail"
  # System prompts made at build time; uploads land beside them later.
  cp -n "$top/build/prompts/"*.wav "$state/audio/" 2>/dev/null || true
  write_b2bua_conf "$1"
  spawn "b2bua-$1" "$log/b2bua-$1.log" "$bin/cc-b2bua" -c "$etc/b2bua-$1.conf"
}

# wait_node N: returns once node N answers on its control socket.
wait_node() {
  wait_for "b2bua-$1" 20 "$bin/cc-ctl" -a "127.0.0.1:$(node_port CTL_PORTS "$1")" \
    -s "$etc/ctl.secret" ping
}

start_web() {
  local sock_mode=0600
  [ -n "$nginx_group" ] && sock_mode=0660
  mkdir -p "$state/audio"
  # Every node's control socket: the web app merges their events and sends
  # each command to the node it concerns (docs/web.md).
  local ctl_addrs="" p
  for p in $CTL_PORTS; do ctl_addrs+="${ctl_addrs:+ }127.0.0.1:$p"; done
  cat > "$etc/web.conf" <<EOF
# Generated by scripts/stack.sh; every key: build/bin/cc-web --print-config
listen = $pub/web.sock
listen_group = $nginx_group
listen_mode = $sock_mode
ctl_address = $ctl_addrs
ctl_secret_file = $etc/ctl.secret
sip_realm = $SIP_REALM
kamailio_rpc = $run/kamailio/rpc.sock
$(db_client_conf 2)
db_user = cc_web
db_password_file = $etc/db-web.secret
db_name = cc
templates = $top/templates
audio_dir = $state/audio
voicemail_dir = $state/voicemail
recording_dir = $state/recordings
manifest = $top/plugin-manifest.xml
manifest_schema = $top/schemas/plugin-manifest.rng
cookie_secure = ${CC_COOKIE_SECURE:-yes}
EOF
  local kv
  for kv in ${CC_WEB_OPTS:-}; do echo "${kv/=/ = }" >> "$etc/web.conf"; done
  chmod 600 "$etc/web.conf"
  spawn web "$log/web.log" "$bin/cc-web" -c "$etc/web.conf"
  wait_for web 20 test -S "$pub/web.sock"
}

start_nginx() {
  mkdir -p "$state/nginx"
  local user=""
  [ -n "$nginx_user" ] && user="user $nginx_user $nginx_group;"
  sed -e "s|@HTTP_PORT@|$HTTP_PORT|g" -e "s|@WS_PORT@|$WS_PORT|g" -e "s|@STATE@|$state|g" -e "s|@PUBLIC@|$pub|g" \
    -e "s|@USER@|$user|g" "$top/conf/nginx.conf.in" > "$etc/nginx.conf"
  spawn nginx "$log/nginx.log" /usr/sbin/nginx -p "$state/nginx" -c "$etc/nginx.conf" \
    -g 'daemon off;'
  wait_for nginx 20 curl -fsS -o /dev/null "http://127.0.0.1:$HTTP_PORT/cc/health"
}

# --- commands ----------------------------------------------------------------

check_ports() {
  local busy=() n
  port_busy tcp "$HTTP_PORT" && busy+=("http $HTTP_PORT/tcp")
  port_busy udp "$SIP_PORT" && busy+=("kamailio $SIP_PORT/udp")
  port_busy tcp "$WS_PORT" && busy+=("kamailio websocket $WS_PORT/tcp")
  for n in $NG_PORTS; do
    port_busy udp "$n" && busy+=("rtpengine $n/udp")
    port_busy tcp "$n" && busy+=("rtpengine $n/tcp")
  done
  port_busy tcp "$DB_PORT" && busy+=("mariadb $DB_PORT/tcp")
  local b; while IFS= read -r b; do [ -n "$b" ] && busy+=("$b"); done < <(galera_ports_busy)
  for n in $(seq 1 "$B2BUA_NODES"); do
    local sip ctl dtmf
    sip=$(node_port B2BUA_PORTS "$n") ctl=$(node_port CTL_PORTS "$n") dtmf=$(node_port DTMF_PORTS "$n")
    port_busy udp "$sip" && busy+=("b2bua-$n $sip/udp")
    port_busy tcp "$ctl" && busy+=("b2bua-$n control $ctl/tcp")
    port_busy udp "$dtmf" && busy+=("b2bua-$n dtmf $dtmf/udp")
  done
  if [ ${#busy[@]} -gt 0 ]; then
    rm -f "$etc/ports.env"
    die "ports already in use: ${busy[*]}. Stop what holds them, or choose others (CC_HTTP_PORT=..., see scripts/stack.sh)"
  fi
}

# check_distinct: no port is given to two services (with fixed ports node
# n's SIP_PORT + n - 1 may reach the carrier's port, say), nor lies in
# rtpengine's media range.
check_distinct() {
  local -A owner=()
  local clash=() name port n
  while read -r name port; do
    if [ -n "${owner[$port]:-}" ]; then
      clash+=("$port (${owner[$port]} and $name)")
    elif [ "$port" -ge "$RTP_MIN" ] && [ "$port" -le "$RTP_MAX" ]; then
      clash+=("$port ($name, inside the media range $RTP_MIN-$RTP_MAX)")
    fi
    owner[$port]=$name
  done < <(
    echo "http $HTTP_PORT"; echo "kamailio $SIP_PORT"; echo "kamailio-websocket $WS_PORT"
    for port in $NG_PORTS; do echo "rtpengine $port"; done; echo "mariadb $DB_PORT"
    [ "$OUTBOUND_IP" = 127.0.0.1 ] && echo "carrier $OUTBOUND_PORT"
    for n in $(seq 1 "$B2BUA_NODES"); do
      echo "b2bua-$n $(node_port B2BUA_PORTS "$n")"
      echo "b2bua-$n-control $(node_port CTL_PORTS "$n")"
      echo "b2bua-$n-dtmf $(node_port DTMF_PORTS "$n")"
    done)
  if [ ${#clash[@]} -gt 0 ]; then
    rm -f "$etc/ports.env"
    die "ports that clash: ${clash[*]}. Choose others (CC_B2BUA_PORT=..., CC_RTP_MIN=..., see scripts/stack.sh)"
  fi
}

cmd_start() {
  local only=""
  demo=0 history=0
  while [ $# -gt 0 ]; do
    case $1 in
      --demo) demo=1 ;;
      --history) history=1 ;;
      --only) only=$2; shift ;;
      *) die "unknown option $1" ;;
    esac
    shift
  done
  mkdir -p "$run" "$log" "$etc"
  # Nothing here is for another user: nginx's workers reach $pub only.
  chmod 0700 "$state" "$run" "$log" "$etc"
  local running=()
  for s in "${services[@]}" $(recorded_nodes); do
    pid_of "$s" >/dev/null && running+=("$s")
  done
  if [ ${#running[@]} -gt 0 ]; then
    say "already running (${running[*]}) with state in $state; 'make stop' first"
    return 0
  fi
  rm -f "$etc/ports.env"
  load_ports
  check_distinct
  check_ports
  [ -f "$etc/ctl.secret" ] || { head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$etc/ctl.secret"; chmod 600 "$etc/ctl.secret"; }
  trap 'echo "stack: start failed; stopping what was started" >&2; cmd_stop >/dev/null 2>&1' ERR
  rm -rf "$pub/plugin"
  prepare_public
  for s in "${services[@]}"; do
    if [ -z "$only" ] || [[ ",$only," == *",$s,"* ]]; then
      "start_$s"
    fi
  done
  trap - ERR
  [ "${CC_QUIET:-0}" = 1 ] || banner
}

banner() {
  cat <<EOF

Call center is running (state in $state).

  Web console:  http://127.0.0.1:$HTTP_PORT/cc/
    admin  / admin1234   (管理员 admin)
    agent1 / agent1234   (坐席 agent: 张三)
    agent2 / agent1234   (坐席 agent: 李四)
    agent3 / agent1234   (坐席 agent: 王五)

  Agent phones register to sip:127.0.0.1:$SIP_PORT (UDP), realm $SIP_REALM:
    agent1: user 1001, password sip1001
    agent2: user 1002, password sip1002
    agent3: user 1003, password sip1003
  or use the workbench as the phone: tick 浏览器电话 (Browser phone) there
  (SIP over WebSocket at ws://127.0.0.1:$HTTP_PORT/ws; docs/softphone.md).

  Call the demo numbers from the trusted gateway address $GATEWAY_IP:
    sip:4001@127.0.0.1:$SIP_PORT   (客服热线 service line -> skill group 客服一组)
    sip:4002@127.0.0.1:$SIP_PORT   (语音导航 IVR menu: 1 -> 客服一组, 2 -> a notice;
                                    its flow: http://127.0.0.1:$HTTP_PORT/cc/admin/ivr)

  Calling out (外呼系统): the demo task 演示回访 of five customers, caller ID
  021-6000 1000: http://127.0.0.1:$HTTP_PORT/cc/admin/tasks (start it with an
  agent signed in; the carrier's gateway is $OUTBOUND_IP:$OUTBOUND_PORT, where
  nothing answers unless you run one, e.g. tests/sip/gateway/customers.xml).
  Agents dial customers from their phones, or from the workbench (拨打).

  Reports (数据报表), with yesterday's generated calls (sql/demo/history.sql):
  http://127.0.0.1:$HTTP_PORT/cc/admin/reports?period=hour&from=$(date -d yesterday +%F)
  (A state folder made before a demo existed keeps its data: make stop,
   remove var/, make run for the whole demo.)

$(banner_nodes)

  Logs: $log    Stop: make stop    Status: make status
EOF
}

banner_nodes() {
  local n
  echo "  B2BUA nodes behind Kamailio's dispatcher (docs/nodes.md):"
  for n in $(seq 1 "$B2BUA_NODES"); do
    echo "    b2bua-$n (node$n): SIP 127.0.0.1:$(node_port B2BUA_PORTS "$n")," \
      "control 127.0.0.1:$(node_port CTL_PORTS "$n"), log $log/b2bua-$n.log"
  done
  [ "$B2BUA_NODES" -gt 1 ] && echo "    one node alone: scripts/stack.sh stop-node N / start-node N / restart b2bua-N"
  return 0
}

cmd_stop() {
  [ -d "$run" ] || { say "nothing running"; return 0; }
  local stopped=()
  # Reverse order: front first, database last.
  for s in nginx web $(recorded_nodes) kamailio $(recorded_rtpengines) \
    $(galera_joiners) db; do
    if pid_of "$s" >/dev/null; then stop_one "$s"; stopped+=("$s"); else rm -f "$run/$s.pid" "$run/$s.cmd"; fi
  done
  rm -f "$etc/ports.env"
  remove_public
  if [ ${#stopped[@]} -gt 0 ]; then say "stopped ${stopped[*]}"; else say "nothing running"; fi
}

cmd_status() {
  local any=0 nodes s pid
  if [ -f "$etc/ports.env" ]; then
    load_ports
    nodes=$(seq 1 "$B2BUA_NODES")
  else
    nodes=$(recorded_nodes | sed 's/^b2bua-//')
  fi
  for s in db $(galera_joiners); do
    if pid=$(pid_of "$s"); then echo "$s: running (pid $pid)"; any=1; else echo "$s: stopped"; fi
  done
  rtpengine_status && any=1
  if pid=$(pid_of kamailio); then echo "kamailio: running (pid $pid)"; any=1; else echo "kamailio: stopped"; fi
  local ds=""
  [ -f "$etc/ports.env" ] && pid_of kamailio >/dev/null && ds=$(dispatcher_view)
  for n in $nodes; do
    node_status "$n" "$ds" && any=1
  done
  for s in web nginx; do
    if pid=$(pid_of "$s"); then echo "$s: running (pid $pid)"; any=1; else echo "$s: stopped"; fi
  done
  [ $any = 1 ]
}

# rtpengine_status: a line per rtpengine: its process, its ng port and
# whether it answers a ping there. True when one of them runs.
rtpengine_status() {
  local names=() ports=() i pid line rc=1
  if [ -f "$etc/ports.env" ]; then
    ports=($NG_PORTS)
    for i in $(seq 1 ${#ports[@]}); do names+=("$(rtpengine_name "$i")"); done
  else
    mapfile -t names < <(recorded_rtpengines)
    [ ${#names[@]} -gt 0 ] || names=(rtpengine)
  fi
  for i in "${!names[@]}"; do
    if pid=$(pid_of "${names[i]}"); then line="${names[i]}: running (pid $pid)"; rc=0; else line="${names[i]}: stopped"; fi
    if [ -n "${ports[i]:-}" ]; then
      line+=", ng 127.0.0.1:${ports[i]}"
      if "$bin/cc-ngctl" -a "127.0.0.1:${ports[i]}" ping >/dev/null 2>&1; then line+=", answers"; else line+=", no answer"; fi
    fi
    echo "$line"
  done
  return $rc
}

# node_status N DISPATCHER: node N's line: its process, ports, whether its
# control socket answers (node name, calls up, uptime) and Kamailio's view
# of it (DISPATCHER: dispatcher_view's lines). True when its process runs.
node_status() {
  local n=$1 pid line rc=1
  if pid=$(pid_of "b2bua-$n"); then line="b2bua-$n: running (pid $pid)"; rc=0; else line="b2bua-$n: stopped"; fi
  if [ ! -f "$etc/ports.env" ]; then echo "$line"; return $rc; fi
  local sip ctl ping
  sip=$(node_port B2BUA_PORTS "$n") ctl=$(node_port CTL_PORTS "$n")
  line+=", SIP 127.0.0.1:$sip, control 127.0.0.1:$ctl"
  if [ $rc = 0 ] && ping=$("$bin/cc-ctl" -a "127.0.0.1:$ctl" -s "$etc/ctl.secret" -t 2000 ping 2>/dev/null); then
    line+=$(jq -r '", node \(.node): up, \(.calls) calls, uptime \(.uptime_s) s"' <<<"$ping")
  else
    line+=", node $(sed -n 's/^node_id = //p' "$etc/b2bua-$n.conf" 2>/dev/null || echo "node$n"): down"
  fi
  local flags
  flags=$(awk -v uri="sip:127.0.0.1:$sip" '$1 == uri { print $2 }' <<<"$2")
  case $flags in
    A*) line+="; Kamailio: active" ;;
    I*) line+="; Kamailio: inactive" ;;
    T*) line+="; Kamailio: probing" ;;
    D*) line+="; Kamailio: disabled" ;;
    "") line+="; Kamailio: unknown" ;;
    *) line+="; Kamailio: $flags" ;;
  esac
  echo "$line"
  return $rc
}

# dispatcher_view: Kamailio's B2BUA nodes as "URI FLAGS" lines (FLAGS: A
# active, I inactive, T probing after a failure, D disabled; then P while
# probed), from the dispatcher.list RPC through Kamailio's JSON-RPC FIFO.
dispatcher_view() {
  RPCFIFOPATH=$run/kamailio/kamailio_rpc.fifo timeout 5 kamctl rpc dispatcher.list 2>/dev/null |
    jq -r '.. | objects | select(has("URI") and has("FLAGS")) | "\(.URI) \(.FLAGS)"' 2>/dev/null
}

cmd_restart() {
  local s=${1:-}
  [[ " ${services[*]} " == *" $s "* || $s =~ ^(b2bua|rtpengine|db)-[0-9]+$ ]] \
    || die "restart takes one of: ${services[*]}, b2bua-N for node N alone, rtpengine-N for the Nth rtpengine alone, or db-N for Galera node N (2 and up) alone"
  [ -f "$etc/ports.env" ] || die "not running (no $etc/ports.env)"
  load_ports
  demo=0
  if [[ $s =~ ^db-([0-9]+)$ ]]; then
    local n=${BASH_REMATCH[1]}
    [ "$n" -ge 2 ] && [ "$n" -le "$DB_NODES" ] \
      || die "no Galera node '$s': this stack has db (node 1, which founds the cluster) to db-$DB_NODES"
    # It joins the running cluster (IST, or an SST when its data is gone)
    # and is Synced when this returns.
    stop_one "$s"
    galera_start_node "$n" || die "$s did not join the cluster again"
    say "restarted $s"
    return
  fi
  if [[ $s =~ ^rtpengine-([0-9]+)$ ]]; then
    local ng=($NG_PORTS) n=${BASH_REMATCH[1]}
    [ "$n" -ge 1 ] && [ "$n" -le ${#ng[@]} ] \
      || die "no rtpengine '$s': this stack has rtpengine (the first) to rtpengine-${#ng[@]}"
    # The first is named "rtpengine"; start_rtpengine starts the one missing.
    stop_one "$(rtpengine_name "$n")"
    start_rtpengine
    say "restarted $(rtpengine_name "$n")"
    return
  fi
  if [[ $s =~ ^b2bua-([0-9]+)$ ]]; then
    local n=${BASH_REMATCH[1]}
    check_node "$n"
    stop_one "$s"
    spawn_node "$n"
    wait_node "$n"
    say "restarted $s"
    return
  fi
  [ "$s" = db ] && prepare_public
  if [ "$s" = b2bua ]; then
    for n in $(seq 1 "$B2BUA_NODES"); do stop_one "b2bua-$n"; done
  elif [ "$s" = db ]; then
    for n in $(galera_joiners) db; do stop_one "$n"; done
  elif [ "$s" = rtpengine ]; then
    for n in $(recorded_rtpengines); do stop_one "$n"; done
  else
    stop_one "$s"
  fi
  "start_$s"
  say "restarted $s"
}

# cmd_node stop|start N: one B2BUA node stopped (by its pid, as `stop`
# does) or started again; the rest of the stack keeps running.
cmd_node() {
  local what=$1 n=${2:-}
  [ -f "$etc/ports.env" ] || die "not running (no $etc/ports.env)"
  load_ports
  check_node "$n"
  if [ "$what" = stop ]; then
    pid_of "b2bua-$n" >/dev/null || { say "b2bua-$n is not running"; return 0; }
    stop_one "b2bua-$n"
    say "stopped b2bua-$n"
  else
    pid_of "b2bua-$n" >/dev/null && { say "b2bua-$n is already running"; return 0; }
    stop_one "b2bua-$n"
    spawn_node "$n"
    wait_node "$n"
    say "started b2bua-$n"
  fi
}

case ${1:-} in
  start) shift; cmd_start "$@" ;;
  restart) shift; cmd_restart "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  stop-node) cmd_node stop "${2:-}" ;;
  start-node) cmd_node start "${2:-}" ;;
  *) sed -n '2,36p' "$0"; exit 2 ;;
esac
