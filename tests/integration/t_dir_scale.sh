#!/usr/bin/env bash
# The B2BUA's directory with 10,000 agents more, read right after they were
# added in bulk (as an agents' CSV import adds them) while the server's
# statistics of the helpdesk's membership table still describe the few rows
# it had before: the directory is read well inside the database's read
# timeout and every agent is known, in its department's skill group. (A subquery per
# agent made the server scan the membership table once per agent with such
# statistics: 11 s for 10,000 agents, past the timeout, and the directory
# was never loaded: calls were refused.)
. "$(dirname "$0")/lib.sh"

stack_start

N=10000
BASE=30000       # their SIP users: clear of the demo's
first=$BASE last=$((BASE + N - 1))

# Statistics as they were before the import, and kept so: InnoDB would
# refresh them on its own at some point, which is what the test must not
# count on.
recalc=$(sql "SELECT @@GLOBAL.innodb_stats_auto_recalc")
sql "SET GLOBAL innodb_stats_auto_recalc = OFF"
on_exit "sql 'SET GLOBAL innodb_stats_auto_recalc = $recalc'"
sql "ANALYZE TABLE cs_organ_user" >/dev/null
before=$(sql "SELECT COUNT(*) FROM cs_organ_user")

check "$N agents are added in bulk" sql "$("$top/tests/fixtures/bulk-agents.sh" 0s scale Scale "$first" "$last" "$DEPT" cc.local)"

# The server started again: what it then knows of the table is its saved
# statistics (the rows it had at the last ANALYZE), not its running count.
check "the database restarts" eval 'CC_STATE=$CC_STATE "$top/scripts/stack.sh" restart db >/dev/null'
card=$(sql "SELECT MAX(CARDINALITY) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'cc'
  AND TABLE_NAME = 'cs_organ_user' AND COLUMN_NAME = 'userid'")
rows=$(sql "EXPLAIN SELECT 1 FROM cs_organ_user" | cut -f9)
diag "membership rows before: $before; the server believes: cardinality $card, $rows rows"
check "the server's statistics still describe the table before the import ($before rows; cardinality $card, $rows rows)" \
  test "${card:-0}" -lt $((N / 100)) -a "${rows:-0}" -lt $((N / 100))

log_lines0=$(wc -l < "$logs/b2bua-1.log")
check "the directory with them is read and in force" reload_dir
failed_reads() { tail -n +"$((log_lines0 + 1))" "$logs/b2bua-1.log" | grep -c 'reading numbers, skill groups and agents failed'; }
expect_eq "no read of the directory failed meanwhile" 0 "$(failed_reads)"

known=$(ctl agent.list | jq '[.agents[] | select(.id | startswith("0s"))] | length')
expect_eq "the B2BUA knows every one of them" "$N" "$known"
check "with its name, and a member of skill group $GROUP through its department" eval \
  "ctl agent.get agent=0s$(printf '%030d' "$last") |
     jqe --arg n 'Scale $last' '.agent.name == \$n and (.agent.groups | index($GROUP)) != null' >/dev/null"

finish
