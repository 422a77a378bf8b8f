# shellcheck shell=bash disable=SC2154  # state, run, log, etc: stack.sh's
# Sourced by scripts/stack.sh: the database as a MariaDB Galera cluster of
# $DB_NODES servers on 127.0.0.1 (CC_DB_NODES; 1 is one plain server and
# nothing here runs). docs/galera.md says what each part is for.
#
# Node 1 is the single server's layout (data in $state/db, socket
# $run/mysqld.sock, pid "db"), so everything that talks to "the database"
# (the installer, the accounts, the tests' sql) talks to node 1, and what
# it writes replicates. Node N > 1: data in $state/db-N, socket
# $run/mysqld-N.sock, pid "db-N". Each node has four ports: SQL, gcomm
# (group communication), IST (incremental state transfer) and SST (a full
# copy, rsync). Fixed mode: node N's SQL port is CC_DB_PORT + N - 1 and its
# other three are CC_GALERA_PORT [4567] + 10 (N - 1) + 0, 1, 2.
#
# Uses from stack.sh: state, run, log, etc, top, spawn, pick_port, port_busy,
# pid_of, stop_one, die, say.

GALERA_PROVIDER=${CC_GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
# A ports.env written before the cluster existed names one server.
DB_NODES=${DB_NODES:-1}

# galera_load_ports: sets DB_NODES, DB_PORTS, GALERA_PORTS (gcomm, IST, SST
# of every node, "g,i,s" per node), DB_SOCKETS; DB_PORT stays node 1's.
galera_load_ports() {
  DB_NODES=${CC_DB_NODES:-1}
  [[ $DB_NODES =~ ^[1-9]$ ]] || die "CC_DB_NODES must be 1 to 9, not '$DB_NODES'"
  local n p g i s base=${CC_GALERA_PORT:-4567}
  DB_PORTS=$DB_PORT GALERA_PORTS="" DB_SOCKETS=$run/mysqld.sock
  [ "$DB_NODES" -gt 1 ] || return 0
  for n in $(seq 1 "$DB_NODES"); do
    if [ "${CC_PORTS:-}" = auto ]; then
      [ "$n" -gt 1 ] && { pick_port p; DB_PORTS="$DB_PORTS $p"; }
      pick_port g; pick_port i; pick_port s
      GALERA_PORTS="$GALERA_PORTS $g,$i,$s"
    else
      [ "$n" -gt 1 ] && DB_PORTS="$DB_PORTS $((DB_PORT + n - 1))"
      local g=$((base + 10 * (n - 1)))
      GALERA_PORTS="$GALERA_PORTS $g,$((g + 1)),$((g + 2))"
    fi
    [ "$n" -gt 1 ] && DB_SOCKETS="$DB_SOCKETS $run/mysqld-$n.sock"
  done
  GALERA_PORTS=${GALERA_PORTS# }
}

# nth N WORDS...: the Nth word.
galera_nth() { local n=$1; shift; echo "${!n}"; }

# galera_names / galera_datadir N / galera_socket N: node N's pid name,
# data folder and socket.
galera_name() { if [ "$1" = 1 ]; then echo db; else echo "db-$1"; fi; }
galera_datadir() { if [ "$1" = 1 ]; then echo "$state/db"; else echo "$state/db-$1"; fi; }
galera_socket() { if [ "$1" = 1 ]; then echo "$run/mysqld.sock"; else echo "$run/mysqld-$1.sock"; fi; }

# db_sockets_from N: every node's socket, node N's first, then the ones
# after it, wrapping: a client's server list (db_socket) with its own
# node first and the others as fallbacks.
db_sockets_from() {
  local first=$1 n k out=""
  [ "$DB_NODES" -gt 1 ] || { echo "$run/mysqld.sock"; return; }
  [ "$first" -le "$DB_NODES" ] || first=1
  for k in $(seq 0 $((DB_NODES - 1))); do
    n=$(( (first - 1 + k) % DB_NODES + 1 ))
    out="$out $(galera_socket "$n")"
  done
  echo "${out# }"
}

# db_client_conf N: a client's database lines (b2bua-N.conf, web.conf):
# its server list from node N on and, on a cluster, a read timeout longer
# than the time the cluster takes to drop a dead node (evs.suspect_timeout,
# 5 s: commits wait that long), so that a commit waiting on the cluster
# gets its answer rather than a timeout that leaves its outcome unknown.
db_client_conf() {
  echo "db_socket = $(db_sockets_from "$1")"
  [ "$DB_NODES" -gt 1 ] && echo "db_timeout_s = 15"
  return 0
}

# db_port_of N: node N's SQL port (node 1's when there are fewer nodes).
db_port_of() {
  local n=$1
  [ "$n" -le "$DB_NODES" ] && [ -n "${DB_PORTS:-}" ] || { echo "$DB_PORT"; return; }
  # shellcheck disable=SC2086
  galera_nth "$n" $DB_PORTS
}

# galera_ports_busy: prints "what port/tcp" for each Galera port in use.
galera_ports_busy() {
  [ "$DB_NODES" -gt 1 ] || return 0
  local n p
  for n in $(seq 2 "$DB_NODES"); do
    p=$(db_port_of "$n"); port_busy tcp "$p" && echo "mariadb-$n $p/tcp"
  done
  for n in $(seq 1 "$DB_NODES"); do
    # shellcheck disable=SC2086
    for p in $(galera_nth "$n" $GALERA_PORTS | tr , ' '); do
      port_busy tcp "$p" && echo "galera-$n $p/tcp"
    done
  done
  return 0
}

# galera_status N VARIABLE: a wsrep status value of node N.
galera_status() {
  mariadb --no-defaults -S "$(galera_socket "$1")" -u root -N -B \
    -e "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | cut -f2
}

galera_synced() { [ "$(galera_status "$1" wsrep_local_state_comment)" = Synced ]; }
galera_size_is() { [ "$(galera_status 1 wsrep_cluster_size)" = "$1" ]; }

# galera_start_node N: starts node N; node 1 founds the cluster
# (--wsrep-new-cluster), the others join it and get their data from a
# member (IST when they have a state, else an SST by rsync). Waits until
# the node is Synced.
galera_start_node() {
  local n=$1 name dir sock ports g i s addr="" k
  name=$(galera_name "$n") dir=$(galera_datadir "$n") sock=$(galera_socket "$n")
  # shellcheck disable=SC2086
  ports=$(galera_nth "$n" $GALERA_PORTS); g=${ports%%,*}; s=${ports##*,}; i=${ports#*,}; i=${i%,*}
  for k in $(seq 1 "$DB_NODES"); do
    # shellcheck disable=SC2086
    addr="$addr,127.0.0.1:$(galera_nth "$k" $GALERA_PORTS | cut -d, -f1)"
  done
  local new=()
  if [ "$n" = 1 ]; then
    new=(--wsrep-new-cluster)
    # The stack stops node 1 last, so its state is the newest; a node 1
    # killed with the others (kill -9, a power cut) would refuse to found
    # the cluster again without this.
    [ -f "$dir/grastate.dat" ] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$dir/grastate.dat"
  else
    # A joiner needs only a folder: the SST fills it.
    mkdir -p "$dir"
  fi
  chmod 0700 "$dir"
  # An options file rather than a command line: the SST scripts read it
  # (and would read the system's /etc/mysql otherwise).
  cat > "$etc/$name.cnf" <<EOF
# Generated by scripts/stack.sh (scripts/galera.sh): Galera node $n
[mysqld]
datadir=$dir
tmpdir=$state/tmp
socket=$sock
port=$(db_port_of "$n")
bind-address=127.0.0.1
user=root
skip-name-resolve
pid-file=$run/mysqld-$n.pid
character-set-server=utf8mb4
collation-server=utf8mb4_general_ci
innodb-flush-log-at-trx-commit=2
innodb-buffer-pool-size=128M
max-connections=500
skip-log-bin
binlog-format=ROW
default-storage-engine=InnoDB
innodb-autoinc-lock-mode=2
wsrep-on=ON
wsrep-provider=$GALERA_PROVIDER
wsrep-cluster-name=cc-$(printf %s "$state" | sha1sum | cut -c1-12)
wsrep-cluster-address=gcomm://${addr#,}
wsrep-node-name=node$n
wsrep-node-address=127.0.0.1:$g
wsrep-node-incoming-address=127.0.0.1:$(db_port_of "$n")
wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:$g;ist.recv_addr=127.0.0.1:$i;gcache.size=64M"
wsrep-sst-method=mariabackup
wsrep-sst-receive-address=127.0.0.1:$s
[sst]
sst-log-archive=0
EOF
  spawn "$name" "$log/$name.log" /usr/sbin/mariadbd --defaults-file="$etc/$name.cnf" "${new[@]}"
  # Until Synced (an SST takes seconds), or at once when the node died
  # (a port taken meanwhile, a failed SST): then its log says why.
  local end=$(( $(date +%s) + 120 ))
  until galera_synced "$n"; do
    if ! pid_of "$name" >/dev/null || [ "$(date +%s)" -ge "$end" ]; then
      echo "stack: $name did not join the cluster; its log:" >&2
      grep -E 'ERROR|already in use' "$log/$name.log" | tail -n 5 >&2
      tail -n 10 "$log/$name.log" >&2
      return 1
    fi
    sleep 0.2
  done
}

# galera_start: the cluster (node 1's data folder made by start_db), node by node (one SST at a time), until every
# node is Synced and the cluster has them all.
galera_start() {
  local n
  for n in $(seq 1 "$DB_NODES"); do galera_start_node "$n"; done
  wait_for db 60 galera_size_is "$DB_NODES"
  say "database: Galera cluster of $DB_NODES nodes, all Synced"
}

# galera_joiners: the pid names of nodes 2.. that have a pid file, the
# last first: what stop takes down before node 1 (so node 1 holds the
# newest state and founds the cluster at the next start).
galera_joiners() {
  ls "$run" 2>/dev/null | sed -n 's/^\(db-[0-9]*\)\.pid$/\1/p' | sort -t- -k2 -rn
}
