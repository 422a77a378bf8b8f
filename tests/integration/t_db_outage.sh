#!/usr/bin/env bash
# The database goes away: calls keep being routed from the B2BUA's
# in-memory directory, the web app says it is unhealthy, and the call
# records written meanwhile are retried and land once MariaDB is back.
. "$(dirname "$0")/lib.sh"

stack_start
agent1_ready 20
sleep 0.5

db_pid=$(cat "$CC_STATE/run/db.pid")
kill "$db_pid"
check "MariaDB is stopped" eventually 30 bash -c "! kill -0 $db_pid 2>/dev/null"
check "the web app reports the database as unavailable (503)" eventually 5 \
  test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/cc/health")" = 503

caller c1 4001 -i 127.0.0.1 -set caller 13500135111 -set hold_ms 2000
check "a call is answered by the agent while the database is away" test $? -eq 0
check "agent1's phone took it" test "$(grep -c '^INVITE sip:' "$logs/sipp-a1.msg")" -ge 1
check "the B2BUA says it is retrying the call record" grep -q "retrying" "$logs/b2bua-1.log"

CC_STATE=$CC_STATE "$top/scripts/stack.sh" restart db >/dev/null
check "MariaDB is back" eventually 30 bash -c "mariadb --no-defaults -S $DB_SOCKET -u root -e 'SELECT 1' >/dev/null 2>&1"
landed() { [ "$(sql "SELECT COUNT(*) FROM cc_call WHERE caller = '13500135111' AND result = 'answered'")" = 1 ]; }
check "the call record written meanwhile lands" eventually 60 landed
expect_eq "with its agent" "$A1" "$(sql "SELECT agent_id FROM cc_call WHERE caller = '13500135111'")"
expect_eq "and its whole event log" "start enqueue offer ringing answer end" \
  "$(sql "SELECT GROUP_CONCAT(e.event ORDER BY e.id SEPARATOR ' ') FROM cc_call_event e JOIN cc_call c ON c.id = e.call_id WHERE c.caller = '13500135111' AND e.event <> 'prompt'")"
check "the web app is healthy again" eventually 10 \
  test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/cc/health")" = 200

finish
