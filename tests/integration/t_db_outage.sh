#!/usr/bin/env bash
# The database goes away: calls keep being routed from the B2BUA's
# in-memory directory, the web app says it is unhealthy, and the call
# records written meanwhile are retried and land once MariaDB is back.
. "$(dirname "$0")/lib.sh"

stack_start
agent1_ready 20
# The outage starts with agent1's state stored (its cc_agent row).
agent1_stored() { [ "$(sql "SELECT CONCAT_WS(' ', node, state) FROM cc_agent WHERE user_id = '$A1'")" = "node1 ready" ]; }
eventually 20 agent1_stored || diag "agent1's row does not say ready before the outage"

health() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/cc/health")" = "$1" ]; }
db_pid=$(cat "$CC_STATE/run/db.pid")
kill "$db_pid"
check "MariaDB is stopped" eventually 30 gone "$db_pid"
check "the web app reports the database as unavailable (503)" eventually 20 health 503

background caller c1 "$NUMBER" -i 127.0.0.1 -set caller 13500135111 -set until_notify 1
c1=$BG_PID
eventually 30 call_in_state bridged || diag "the call was not bridged"
hang_up c1 "$c1"
check "a call is answered by the agent while the database is away" test $? -eq 0
check "agent1's phone took it" eventually 10 has_received a1 INVITE
check "the B2BUA says it is retrying the call record" eventually 20 grep -q "retrying" "$logs/b2bua-1.log"
waiting_writes() { ctl ping | jqe '.db.waiting > 0 and .db.retried > 0' >/dev/null; }
check "ping: database writes waiting and retried" eventually 20 waiting_writes

CC_STATE=$CC_STATE "$top/scripts/stack.sh" restart db >/dev/null
db_up() { mariadb --no-defaults -S "$DB_SOCKET" -u root -e 'SELECT 1' >/dev/null 2>&1; }
check "MariaDB is back" eventually 30 db_up
landed() {
  call=$(sql "SELECT id FROM cc_call WHERE caller = '13500135111' AND result = 'answered'")
  [[ $call =~ ^[0-9a-f]+$ ]] && call_final "$call"
}
check "the call record written meanwhile lands" eventually 60 landed
expect_eq "with its agent" "$A1" "$(col "$call" agent_id)"
expect_eq "and its whole event log" "start enqueue offer ringing answer end" \
  "$(sql "SELECT GROUP_CONCAT(event ORDER BY id SEPARATOR ' ') FROM cc_call_event WHERE call_id = '$call' AND event <> 'prompt'")"
check "the web app is healthy again" eventually 20 health 200
drained() { ctl ping | jqe '.db.waiting == 0 and .db.done == .db.submitted and .db.dropped == 0' >/dev/null; }
check "ping: every job done, none dropped" eventually 30 drained

finish
