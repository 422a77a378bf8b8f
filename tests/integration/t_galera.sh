#!/usr/bin/env bash
# The whole stack on a three-node MariaDB Galera cluster (CC_DB_NODES=3,
# docs/galera.md): each client on its own node, the web app's saves, calls
# answered by agents, a certification conflict made on purpose (retried,
# applied once), Kamailio's node killed (its registrations move to the next
# node; node 3 joins again by `stack.sh restart db-3`), and the B2BUA's node
# killed (kill -9) under a steady
# stream of calls: every call keeps its record, calls go on being answered,
# the cluster goes on with two nodes.
. "$(dirname "$0")/lib.sh"

export CC_DB_NODES=3
stack_start
read -r -a socks <<<"$DB_SOCKETS"
read -r -a ports <<<"$DB_PORTS"
# node N's sql (lib.sh's sql is node 1's, the one killed below)
sqln() { mariadb --no-defaults -S "${socks[$(($1 - 1))]}" -u root cc -N -B -e "$2"; }
status_of() { sqln "$1" "SHOW GLOBAL STATUS LIKE '$2'" | cut -f2; }

# --- 1. the cluster and who uses which node ---------------------------------------------
expect_eq "ports.env: three nodes, three sockets, three SQL ports" "3 3 3" \
  "$DB_NODES ${#socks[@]} ${#ports[@]}"
for n in 1 2 3; do
  expect_eq "node $n: a cluster of 3, Synced" "3 Synced" \
    "$(status_of "$n" wsrep_cluster_size) $(status_of "$n" wsrep_local_state_comment)"
done
expect_eq "the plugin's tables replicated to node 3" \
  "$(sqln 1 "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'cc'")" \
  "$(sqln 3 "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'cc'")"
expect_eq "the services' accounts replicated to node 2" "cc_b2bua cc_kamailio cc_web" \
  "$(sqln 2 "SELECT GROUP_CONCAT(User ORDER BY User SEPARATOR ' ') FROM mysql.global_priv WHERE User LIKE 'cc\_%'")"
expect_eq "the B2BUA lists node 1 first, then 2 and 3" "${socks[0]} ${socks[1]} ${socks[2]}" \
  "$(sed -n 's/^db_socket = //p' "$CC_STATE/etc/b2bua-1.conf")"
expect_eq "the web app lists node 2 first, then 3 and 1" "${socks[1]} ${socks[2]} ${socks[0]}" \
  "$(sed -n 's/^db_socket = //p' "$CC_STATE/etc/web.conf")"
expect_eq "Kamailio's databases: nodes 3, 1 and 2, in that order (db_cluster)" \
  "n3=9s9s;n1=8s8s;n2=7s7s @127.0.0.1:${ports[2]}/cc @127.0.0.1:${ports[0]}/cc @127.0.0.1:${ports[1]}/cc" \
  "$(sed -n 's/^#!define DBCLUSTER "cc=>\(.*\)"$/\1/p' "$CC_STATE/etc/kamailio.cfg") $(sed -n 's/^#!define DBCONN[1-3] ".*\(@[^"]*\)"$/\1/p' "$CC_STATE/etc/kamailio.cfg" | paste -sd' ')"
# who is connected where (the process lists of each node)
users_on() { sqln "$1" "SELECT GROUP_CONCAT(DISTINCT User ORDER BY User SEPARATOR ' ') FROM information_schema.processlist WHERE User LIKE 'cc\_%'"; }
on_node() { [ "$(users_on "$1")" = "$2" ]; }
# Kamailio's db_cluster holds a connection to each of its nodes.
check "node 1 serves the B2BUA (and holds Kamailio's third choice)" eventually 20 on_node 1 "cc_b2bua cc_kamailio"
check "node 2 serves the web app (and holds Kamailio's last choice)" eventually 20 on_node 2 "cc_kamailio cc_web"
check "node 3 serves Kamailio" eventually 20 on_node 3 cc_kamailio
# which node Kamailio's statements run on: MariaDB's user statistics
for n in 1 2 3; do sqln "$n" "SET GLOBAL userstat = 1; FLUSH USER_STATISTICS"; done
kam_statements() {
  local v
  v=$(sqln "$1" "SELECT SELECT_COMMANDS + UPDATE_COMMANDS FROM information_schema.USER_STATISTICS WHERE USER = 'cc_kamailio'")
  echo "${v:-0}"
}
agent reg0 "$A3_SIP" "$A3_SIP_PASSWORD" -set stay_ms 200 -set expires 60
check "a phone registers and unregisters" test $? -eq 0
expect_eq "Kamailio's statements ran on node 3 alone (nodes 1 2 3 nonzero?)" "0 0 1" \
  "$(for n in 1 2 3; do [ "$(kam_statements "$n")" -gt 0 ] && printf 1 || printf 0; [ "$n" = 3 ] || printf ' '; done)"

# --- 2. the web app: sign in, a save (through node 2) -------------------------------------
web_setup web
ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
check "an admin signs in" test -n "$ta"
expect_eq "an admin saves the wallboard's thresholds" "200 true 17" \
  "$(http t1 -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' \
      --data '{"wait_amber_s": 11, "wait_red_s": 41, "sl_target_s": 17, "waiting_amber": 2, "waiting_red": 4, "sl_amber": 90, "sl_red": 70}' \
      "$base/cc/api/wallboard/settings") $(json t1 .ok) $(json t1 .settings.sl_target_s)"
saved_on() { [ "$(sqln "$1" "SELECT value FROM cc_setting WHERE name LIKE 'wallboard%sl_target_s'")" = 17 ]; }
check "the save is on node 1 too" eventually 10 saved_on 1

# --- 3. a certification conflict made on purpose (nodes 1 and 2) -------------------------
while IFS= read -r line; do
  case $line in
    "ok - "*) ok "conflict: ${line#ok - }" ;;
    "not ok - "*) not_ok "conflict: ${line#not ok - }" ;;
    *) echo "$line" ;;
  esac
done < <("$top/build/tests/db-galera-check" "${socks[0]}" "${socks[1]}" cc 100 2>"$logs/db-galera-check.err")

# --- 4. calls with agents --------------------------------------------------------------------
three_agents 30 60 "-set answer_ms 300" "-set answer_ms 300" "-set answer_ms 300"
for a in "$A1" "$A2" "$A3"; do set_state "$a" ready; done
call=$(bridged_call first 13500135001)
check "a call is answered and recorded" test -n "$call"
expect_eq "its record" "answered" "$(col "$call" result)"

# --- 5. Kamailio's node killed: registrations go on through the next one -----------------
db3=$(svc_pid db-3)
kill -9 "$db3"
check "node 3 is gone" eventually 10 gone "$db3"
size_on_1() { [ "$(status_of 1 wsrep_cluster_size)" = 2 ] && [ "$(status_of 1 wsrep_local_state_comment)" = Synced ]; }
check "the cluster goes on with nodes 1 and 2" eventually 30 size_on_1
agent reg3 "$A3_SIP" "$A3_SIP_PASSWORD" -set stay_ms 200 -set expires 60
check "a phone registers (auth_db, usrloc) and unregisters with node 3 gone" test $? -eq 0
check "... its 200s: both REGISTERs answered" test "$(grep -c '^SIP/2.0 200' "$logs/sipp-reg3.msg")" -ge 2
for n in 1 2; do sqln "$n" "FLUSH USER_STATISTICS"; done
agent reg3b "$A3_SIP" "$A3_SIP_PASSWORD" -set stay_ms 200 -set expires 60
check "... and again: now straight to node 1" test $? -eq 0
expect_eq "Kamailio's statements now run on node 1 (nodes 1 2 nonzero?)" "1 0" \
  "$([ "$(kam_statements 1)" -gt 0 ] && printf 1 || printf 0) $([ "$(kam_statements 2)" -gt 0 ] && printf 1 || printf 0)"
check "Kamailio's log has node 3's failure" grep -q "driver error on query: \(Can't connect\|Lost connection\|MySQL server has gone away\)" "$logs/kamailio.log"
check "scripts/stack.sh restart db-3: node 3 joins again, Synced" svc_restart db-3
check "the cluster has three nodes again" eventually 30 eval '[ "$(status_of 1 wsrep_cluster_size)" = 3 ] && [ "$(status_of 3 wsrep_local_state_comment)" = Synced ]'
agent reg3c "$A3_SIP" "$A3_SIP_PASSWORD" -set stay_ms 200 -set expires 60
check "a phone registers with node 3 back" test $? -eq 0

# --- 6. node 1 killed (kill -9) under a steady stream of calls ---------------------------
# 40 calls, 2 a second, each talking 1 s: the three agents keep up.
calls=40 streamer=13500135999
background sipp_run stream -sf "$sipdir/gateway/uac.xml" -s "$NUMBER" -i 127.0.0.1 \
  -set caller "$streamer" -set hold_ms 1000 -r 2 -m "$calls" -l 20
stream=$BG_PID
rows() { sqln 2 "SELECT COUNT(*) FROM cc_call WHERE caller = '$streamer'"; }
some_rows() { [ "$(rows)" -ge "$1" ]; }
check "the stream's first calls are recorded" eventually 60 some_rows 10
db1=$(svc_pid db)
kill -9 "$db1"
t_kill=$(date +%s%3N)
check "node 1 is gone" eventually 10 gone "$db1"
moved() { grep -q "database: now on ${socks[1]}" "$logs/b2bua-1.log"; }
check "the B2BUA moves to node 2 (its log says so)" eventually 30 moved
t_moved=$(date -d "$(grep -m 1 "database: now on ${socks[1]}" "$logs/b2bua-1.log" | cut -c1-23)" +%s%3N)
diag "the B2BUA's first connection to node 2: $((t_moved - t_kill)) ms after the kill"
size2() { [ "$(status_of 2 wsrep_cluster_size)" = 2 ] && [ "$(status_of 2 wsrep_local_state_comment)" = Synced ]; }
check "the cluster goes on with two nodes, Synced" eventually 30 size2
diag "the cluster had dropped node 1 $(( $(date +%s%3N) - t_kill )) ms after the kill (as polled)"
wait "$stream"
check "every call of the stream completed for the caller (sipp)" test $? -eq 0
all_rows() { [ "$(rows)" = "$calls" ]; }
check "every call placed has its cc_call row ($calls)" eventually 60 all_rows
ended() { [ "$(sqln 2 "SELECT COUNT(*) FROM cc_call WHERE caller = '$streamer' AND ended_at IS NOT NULL")" = "$calls" ]; }
check "and every row is closed" eventually 60 ended
expect_eq "every call placed was answered" "$calls" \
  "$(sqln 2 "SELECT COUNT(*) FROM cc_call WHERE caller = '$streamer' AND result = 'answered'")"
# by call id: the Call-IDs sipp sent, each with its row
sent=$(sed -n 's/^Call-ID: *//p' "$logs/sipp-stream.msg" | tr -d '\r' | sort -u)
expect_eq "the Call-IDs sipp sent" "$calls" "$(grep -c . <<<"$sent")"
missing=0
while IFS= read -r cid; do
  [ "$(sqln 2 "SELECT COUNT(*) FROM cc_call WHERE sip_call_id = '$cid'")" = 1 ] || missing=$((missing + 1))
done <<<"$sent"
expect_eq "each Call-ID has exactly one cc_call row" 0 "$missing"
expect_eq "no call's start is logged twice" 0 \
  "$(sqln 2 "SELECT COUNT(*) FROM (SELECT e.call_id FROM cc_call_event e JOIN cc_call c ON c.id = e.call_id WHERE c.caller = '$streamer' AND e.event = 'start' GROUP BY e.call_id HAVING COUNT(*) <> 1) x")"
after=$(sqln 2 "SELECT COUNT(*) FROM cc_call WHERE caller = '$streamer' AND answered_at > FROM_UNIXTIME($t_kill / 1000)")
check "calls are answered after the kill ($after)" test "$after" -gt 0
diag "node 1 killed after $(( calls - after )) of $calls calls were answered"
lost=$(grep -c 'lost a conflict' "$logs/b2bua-1.log")
diag "conflicts the B2BUA's writes lost: $lost (ping: $(ctl ping | jq -c .db))"
check "ping reports the queue's conflicts: a number, at least the $lost the log shows" eval "ctl ping | jqe '.db.conflicts >= $lost' >/dev/null"
check "the B2BUA's commits are marked (cc_write_mark)" test "$(sqln 2 "SELECT COUNT(*) FROM cc_write_mark")" -gt 0
diag "commits whose answer was lost and whose mark showed them applied: $(grep -c 'not run again' "$logs/b2bua-1.log")"
call=$(DB_SOCKET=${socks[1]} bridged_call after 13500135002)
check "a new call is answered with node 1 gone" test -n "$call"

finish
