#!/usr/bin/env bash
# The web app's write transactions run again whole when they lose a
# conflict (web_txn, common/db.h's db_txn; docs/galera.md), shown on three
# routes: a do-not-call add, an IVR publish and an IVR delete. Each request
# is made to lose a real ER_LOCK_DEADLOCK (1213, the error a Galera
# certification conflict gives too) against a second client of the database
# that holds a transaction open:
#   1. the client takes a lock the request needs later, after a few hundred
#      row changes of its own (so that InnoDB picks the lighter request, not
#      the client, as the deadlock's victim);
#   2. the request starts; once it waits on that lock (innodb_trx), the client
#      asks for a lock the request took first: a deadlock, the request's
#      statement fails, its transaction is rolled back;
#   3. the web app logs the conflict and runs the transaction again, which
#      waits on the client until it rolls back; then it commits.
# The request answers as if nothing had happened, and what it wrote (and its
# audit record) is there once.
. "$(dirname "$0")/lib.sh"

stack_start --only db,web,nginx
web_setup conflict
ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
expect_match "an admin signs in" '^[0-9a-f]{64}$' "$ta"

# post NAME JSON URL: a JSON POST as the admin; prints the status.
post() {
  http "$1" -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' \
    --data-binary "$2" "$3"
}

# The weight of the holding client: rows it changes before taking its locks.
sql "CREATE TABLE cc_test_weight (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB;
     INSERT INTO cc_test_weight SELECT seq, 0 FROM seq_1_to_400"

# The holding client: one session of the mariadb client, fed a statement at
# a time (--force: an error does not end it; -n: each answer at once).
coproc HOLDER { mariadb --no-defaults -S "$DB_SOCKET" -u root cc -N -B -n --force 2>&1; }
on_exit "kill $HOLDER_PID 2>/dev/null"
# hold SQL: runs SQL in the holding session and waits (30 s at most) until
# it is done; prints what it answered. Fails when the time is up.
hold() {
  local mark="mark-$RANDOM$RANDOM" line out=""
  printf '%s;\nSELECT '"'"'%s'"'"';\n' "$1" "$mark" >&"${HOLDER[1]}"
  while IFS= read -r -t 30 line <&"${HOLDER[0]}"; do
    if [ "$line" = "$mark" ]; then
      printf '%s' "$out"
      return 0
    fi
    out+="$line"$'\n'
  done
  return 1
}

# web_waits TABLE: a transaction of the web app waits on a lock, in a
# statement on TABLE (the one whose rows the client holds: on a loaded
# machine the client must not close the cycle before the request has taken
# its first lock, and another of the app's transactions waiting on something
# else is not the request).
web_waits() {
  [ "$(sql "SELECT COUNT(*) FROM information_schema.innodb_trx t
            JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id
            WHERE p.user = 'cc_web' AND t.trx_state = 'LOCK WAIT'
              AND t.trx_query LIKE '%$1%'")" -gt 0 ]
}
conflicts() { grep -c 'database transaction lost a conflict, run again' "$logs/web.log"; }
conflicts_above() { [ "$(conflicts)" -gt "$1" ]; }

# conflict NAME TAKE WAITS CLOSE JSON URL: the request (a JSON POST, answer
# in $tmp/NAME.*, status in $status) made to lose a deadlock: the holding
# client changes its rows and runs TAKE (the lock the request needs later);
# once the request waits on it (a statement on table WAITS), the client runs
# CLOSE (a lock the request holds).
conflict() {
  local name=$1 take=$2 waits=$3 close=$4 json=$5 url=$6 before pid out
  before=$(conflicts)
  out=$(hold "BEGIN; UPDATE cc_test_weight SET n = n + 1; $take") &&
    ! grep -q '^ERROR' <<<"$out"
  check "$name: the client takes its lock" test $? -eq 0
  post "$name" "$json" "$url" > "$tmp/$name.status" &
  pid=$!
  check "$name: the request waits on the client's lock" eventually 20 web_waits "$waits"
  out=$(hold "$close") && ! grep -q '^ERROR' <<<"$out"
  check "$name: the client's request closes the cycle and gets its lock (the request lost)" \
    test $? -eq 0
  check "$name: the web app logs the lost conflict and runs the transaction again" \
    eventually 20 conflicts_above "$before"
  hold "ROLLBACK" >/dev/null
  wait "$pid"
  status=$(cat "$tmp/$name.status")
  expect_eq "$name: one conflict lost" $((before + 1)) "$(conflicts)"
}

# --- a do-not-call add: its numbers in, then the open targets' tasks locked ---------------
sql "INSERT INTO cc_number (number, display, name, \`usage\`) VALUES
       ('+862160000002', '021-6000 0002', '外呼 outbound', 'outbound')"
OUT=$(sql "SELECT id FROM cc_number WHERE number = '+862160000002'")
sql "INSERT INTO cc_skill_group_number (skill_group_id, number_id) VALUES ($GROUP, $OUT)"
csv=$tmp/t.csv
printf '%s\n' '电话,姓名' '13800138071,甲' '13800138072,乙' > "$csv"
expect_eq "a task is created" 201 \
  "$(http task -b "$tmp/ja" -H "X-CSRF-Token: $ta" -F "name=conflict" -F "skill_group_id=$GROUP" \
       -F "caller_id_number_id=$OUT" -F "targets=@$csv;type=text/csv" "$base/cc/api/admin/tasks")"
TK=$(json task .id)
N=$(sql "SELECT number FROM cc_task_target WHERE task_id = $TK AND line = 2")
check "its first target waits" test "$(sql "SELECT state FROM cc_task_target WHERE task_id = $TK AND number = '$N'")" = waiting
adds() { sql "SELECT COUNT(*) FROM cc_audit_log WHERE resource = 'dnc' AND action = 'add'"; }
adds0=$(adds)
conflict dnc "SELECT id FROM cc_task WHERE id = $TK FOR UPDATE" cc_task \
  "INSERT INTO cc_dnc (number, task_id, note, created_by) VALUES ('$N', 0, 'held', 'test')" \
  "{\"numbers\": \"13800138071\", \"note\": \"after a conflict\"}" "$base/cc/api/admin/tasks/dnc"
expect_eq "the add answers as without a conflict: one added, its target closed" "200 1 1" \
  "$status $(json dnc .added) $(json dnc .targets)"
expect_eq "the number is listed once, with the request's note" "1 after a conflict" \
  "$(sql "SELECT COUNT(*), MAX(note) FROM cc_dnc WHERE number = '$N' AND task_id = 0" | tr '\t' ' ')"
expect_eq "its target is dnc, counted once in the task" "dnc 1" \
  "$(sql "SELECT t.state, k.targets_done FROM cc_task_target t JOIN cc_task k ON k.id = t.task_id
          WHERE t.task_id = $TK AND t.number = '$N'" | tr '\t' ' ')"
expect_eq "one audit record" $((adds0 + 1)) "$(adds)"

# --- an IVR publish: the flow locked, then its new version inserted ------------------------
expect_eq "a flow is created" 201 "$(post flow '{"name": "conflict"}' "$base/cc/api/admin/ivr/flows")"
F=$(json flow .id)
conflict publish \
  "INSERT INTO cc_ivr_version (flow_id, version, document) VALUES ($F, 1, 'held')" cc_ivr_version \
  "SELECT id FROM cc_ivr_flow WHERE id = $F FOR UPDATE" '{}' \
  "$base/cc/api/admin/ivr/flows/$F/publish"
expect_eq "the publish answers as without a conflict: version 1" "200 1" \
  "$status $(json publish .version)"
expect_eq "one version, the draft's, not the client's" "1 0" \
  "$(sql "SELECT COUNT(*), SUM(document = 'held') FROM cc_ivr_version WHERE flow_id = $F" | tr '\t' ' ')"
expect_eq "the flow is at version 1" 1 "$(sql "SELECT published_version FROM cc_ivr_flow WHERE id = $F")"
expect_eq "one audit record" 1 \
  "$(sql "SELECT COUNT(*) FROM cc_audit_log WHERE resource = 'ivr' AND item_id = '$F' AND action = 'publish'")"

# --- an IVR delete: the flow locked, then its versions deleted ------------------------------
conflict delete \
  "UPDATE cc_ivr_version SET published_by = 'held' WHERE flow_id = $F" cc_ivr_version \
  "SELECT id FROM cc_ivr_flow WHERE id = $F FOR UPDATE" '{}' \
  "$base/cc/api/admin/ivr/flows/$F/delete"
expect_eq "the delete answers as without a conflict" "200 true" "$status $(json delete .ok)"
expect_eq "the flow and its version are gone" "0 0" \
  "$(sql "SELECT (SELECT COUNT(*) FROM cc_ivr_flow WHERE id = $F), (SELECT COUNT(*) FROM cc_ivr_version WHERE flow_id = $F)" | tr '\t' ' ')"
expect_eq "one audit record" 1 \
  "$(sql "SELECT COUNT(*) FROM cc_audit_log WHERE resource = 'ivr' AND item_id = '$F' AND action = 'delete'")"

finish
