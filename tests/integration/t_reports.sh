#!/usr/bin/env bash
# Reports from real calls through the stack: one answered, one abandoned
# while the agent's phone rang, one abandoned in the queue, one the queue
# gave up on (no agent), one lost in the IVR menu, one held by agent1 and
# transferred to agent3, and one bridged when the B2BUA was killed. The
# event log is in the database while a call goes on; after a rollup the
# day's figures follow from those calls (the killed one counted once, the
# transferred one once for the center and once for each of its agents, its
# hold and its transfer counted), by the center, the group, the agent and
# the IVR node; the
# CSV and the Excel file hold the page's table; bad parameters get a 400
# that names them; only admins see reports, and the refresh needs CSRF.
. "$(dirname "$0")/lib.sh"

stack_start
three_agents 60 120 "-set answer_ms 300" "-set noanswer 1" "-set answer_ms 300"
web_setup reports
csrf=$(login admin "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
login agent "$A1_LOGIN" "$AGENT_PASSWORD" >/dev/null

# From a little before the first call: the test may cross midnight.
since=$(date -d '-5 min' +%FT%H:%M)
until=$(date -d '+1 day' +%F)
caller_bg() { background caller "$1" "$2" -i 127.0.0.1 -set caller "$3" -set until_notify 1; }
in_state() { ctl call.list | jqe --arg s "$1" --arg c "$2" '.calls[] | select(.state == $s and .caller == $c)' >/dev/null; }
row_of() { sql "SELECT id FROM cc_call WHERE caller = '$1' ORDER BY started_at DESC LIMIT 1"; }
logged() { [ "$(sql "SELECT COUNT(*) FROM cc_call_event WHERE call_id = '$1' AND event = '$2'")" -ge 1 ]; }
ended() { [ -n "$1" ] && [ "$(sql "SELECT ended_at IS NOT NULL FROM cc_call WHERE id = '$1'")" = 1 ]; }

# --- 1. answered; its log is in the database before it ends -----------------------------
ready "$A1"
caller_bg c1 "$NUMBER" 13500000001
pid=$BG_PID
check "call 1 is bridged" eventually 30 in_state bridged 13500000001
c1=$(row_of 13500000001)
check "its queue time is recorded while it goes on" eventually 10 \
  test -n "$(sql "SELECT enqueued_at FROM cc_call WHERE id = '$c1' AND enqueued_at IS NOT NULL")"
check "its log up to the answer is in the database before it ends" eventually 10 logged "$c1" answer
expect_eq "and it has not ended" 0 "$(sql "SELECT COUNT(*) FROM cc_call_event WHERE call_id = '$c1' AND event = 'end'")"
hang_up c1 "$pid" >/dev/null
check "call 1 ends" eventually 20 ended "$c1"
expect_eq "it ended talking" bridged "$(col "$c1" end_state)"

# --- 2. abandoned while agent2's phone rings ----------------------------------------------
ready "$A2"
caller_bg c2 "$NUMBER" 13500000002
pid=$BG_PID
check "call 2 rings agent2" eventually 30 in_state offering 13500000002
hang_up c2 "$pid" >/dev/null
c2=$(row_of 13500000002)
check "call 2 ends" eventually 20 ended "$c2"
expect_eq "abandoned while ringing" "abandoned offering" "$(col "$c2" "CONCAT(result, ' ', end_state)")"

# --- 3. abandoned in the queue -------------------------------------------------------------
ready
caller_bg c3 "$NUMBER" 13500000003
pid=$BG_PID
check "call 3 waits in the queue" eventually 30 in_state queued 13500000003
hang_up c3 "$pid" >/dev/null
c3=$(row_of 13500000003)
check "call 3 ends" eventually 20 ended "$c3"
expect_eq "abandoned in the queue" "abandoned queued" "$(col "$c3" "CONCAT(result, ' ', end_state)")"

# --- 4. the queue gives up: no agent -------------------------------------------------------
sql "UPDATE cc_skill_group SET max_wait_s = 2"
check "the short maximum wait is in force" reload_dir
caller c4 "$NUMBER" -i 127.0.0.1 -set caller 13500000004 -set wait_bye 1
c4=$(row_of 13500000004)
check "call 4 ends" eventually 20 ended "$c4"
expect_eq "no agent" no_agent "$(col "$c4" result)"
sql "UPDATE cc_skill_group SET max_wait_s = 120"
check "the maximum wait is back" reload_dir

# --- 5. lost in the IVR menu ---------------------------------------------------------------
caller_bg c5 "$IVR_NUMBER" 13500000005
pid=$BG_PID
c5_in_menu() { ctl call.list | jqe '.calls[] | select(.caller == "13500000005" and .state == "flow")' >/dev/null; }
check "call 5 is in the IVR flow" eventually 30 c5_in_menu
c5=$(row_of 13500000005)
check "its path so far is logged" eventually 15 logged "$c5" ivr
hang_up c5 "$pid" >/dev/null
check "call 5 ends" eventually 20 ended "$c5"
expect_eq "abandoned in the IVR" "abandoned flow" "$(col "$c5" "CONCAT(result, ' ', end_state)")"

# --- 6. held by agent1 and transferred to agent3 (control socket) ----------------------------
ready "$A1" "$A3"
caller_bg c7 "$NUMBER" 13500000007
pid=$BG_PID
check "call 7 is bridged to agent1" eventually 30 in_state bridged 13500000007
c7=$(row_of 13500000007)
check "its answer is logged" eventually 10 logged "$c7" answer
expect_eq "agent1 holds it" true "$(ctl call.hold agent="$A1" | jq -r .ok)"
check "call 7 is held" eventually 10 in_state held 13500000007
sleep 1
expect_eq "agent1 takes it back" true "$(ctl call.resume agent="$A1" | jq -r .ok)"
check "call 7 talks again" eventually 10 in_state bridged 13500000007
expect_eq "agent1 transfers it to agent3" true "$(ctl call.transfer agent="$A1" to="agent:$A3" | jq -r .ok)"
talks_with_a3() { ctl call.list | jqe --arg a "$A3" '.calls[] | select(.caller == "13500000007" and .state == "bridged" and .agent == $a)' >/dev/null; }
check "call 7 talks with agent3" eventually 30 talks_with_a3
sleep 1
hang_up c7 "$pid" >/dev/null
check "call 7 ends" eventually 20 ended "$c7"
expect_eq "its record: answered, agent3's, held once, transferred once" "answered $A3 1 1" \
  "$(col "$c7" "CONCAT_WS(' ', result, agent_id, holds, transfers)")"

# --- 7. bridged when the B2BUA is killed: counted once --------------------------------------
ready "$A3"
caller_bg c6 "$NUMBER" 13500000006
pid=$BG_PID
check "call 6 is bridged to agent3" eventually 30 in_state bridged 13500000006
c6=$(row_of 13500000006)
check "its answer is in the database" eventually 10 logged "$c6" answer
svc_kill b2bua-1
check "the B2BUA starts again" svc_restart b2bua
check "the restarted node closes call 6" eventually 20 ended "$c6"
stop_background "$pid"

# --- 8. the figures ---------------------------------------------------------------------------
refresh() { http refresh -b "$tmp/admin" -X POST -H "X-CSRF-Token: $csrf" "$base/cc/api/admin/reports/refresh"; }
expect_eq "an admin rolls the figures up now" 200 "$(refresh)"
report() { http "$1" -b "$tmp/admin" "$base/cc/api/admin/reports?from=$since&to=$until&$2"; }
expect_eq "today's center report" 200 "$(report center "dim=center&period=total")"
total() { json "$1" ".total.values.$2"; }
expect_eq "offered: seven calls" 7 "$(total center offered)"
expect_eq "queued: six (the transfer's line is not a second wait)" 6 "$(total center queued)"
expect_eq "handled: calls 1 and 7 and the killed call, each once" 3 "$(total center handled)"
expect_eq "abandoned: three" 3 "$(total center abandoned)"
expect_eq "in the IVR: one" 1 "$(total center abandoned_ivr)"
expect_eq "in the queue: one" 1 "$(total center abandoned_queue)"
expect_eq "while ringing: one" 1 "$(total center abandoned_ring)"
expect_eq "no agent: one" 1 "$(total center no_agent)"
expect_eq "service level: three of six queued answered within 20 s" 50 "$(total center sl | cut -d. -f1)"
expect_eq "abandon rate: three of seven" 42 "$(total center abandon_rate | cut -d. -f1)"
expect_match "an average talk time" '^[0-9]' "$(total center avg_talk)"
expect_eq "transfers out: call 7's" 1 "$(total center xfer_out)"
expect_eq "transfers in: agent3's answer" 1 "$(total center xfer_in)"
expect_match "a hold of about a second" '^[1-9]' "$(total center max_hold)"
expect_eq "the rollup's hold: call 7's, once" 1 \
  "$(sql "SELECT SUM(hold_n) FROM cc_report_hour WHERE dim = 'center'")"
hold_gap=$(sql "SELECT ABS((SELECT SUM(hold_ms) FROM cc_report_hour WHERE dim = 'center') - hold_ms) FROM cc_call WHERE id = '$c7'")
check "as long as the record's hold time (off by ${hold_gap} ms)" test "$hold_gap" -le 100
expect_eq "the days have the transfers too" "1 1" \
  "$(sql "SELECT CONCAT(SUM(xfer_out), ' ', SUM(xfer_in)) FROM cc_report_day WHERE dim = 'center'")"
db_offered=$(sql "SELECT COUNT(*) FROM cc_call WHERE direction = 'inbound' AND started_at >= '${since/T/ } '")
expect_eq "the same as the day's records" "$db_offered" "$(total center offered)"

expect_eq "by group" 200 "$(report group "dim=group&period=total")"
expect_eq "the group's offered calls: the six queued" 6 \
  "$(json group ".rows[] | select(.key == \"$GROUP\") | .values.offered")"
expect_eq "named" "$GROUP_NAME" "$(json group ".rows[] | select(.key == \"$GROUP\") | .name")"
expect_eq "by agent" 200 "$(report agent "dim=agent&period=total")"
expect_eq "agent2's phone rang once and the caller left" "1 1" \
  "$(json agent ".rows[] | select(.key == \"$A2\") | \"\(.values.offered) \(.values.abandoned_ring)\"")"
expect_eq "agent1 handled calls 1 and 7, transferred one, none transferred to it" "2 1 0" \
  "$(json agent ".rows[] | select(.key == \"$A1\") | \"\(.values.handled) \(.values.xfer_out) \(.values.xfer_in)\"")"
expect_match "agent1's hold" '^[1-9]' "$(json agent ".rows[] | select(.key == \"$A1\") | .values.max_hold")"
expect_eq "agent3 handled call 7 and the killed call, one transferred to it, never held" "2 1 0 null" \
  "$(json agent ".rows[] | select(.key == \"$A3\") | \"\(.values.handled) \(.values.xfer_in) \(.values.xfer_out) \(.values.max_hold)\"")"
expect_match "agent1 was signed in" '^[0-9]' "$(json agent ".rows[] | select(.key == \"$A1\") | .values.st_signed_in")"
expect_eq "by IVR node" 200 "$(report node "dim=node&period=total")"
expect_match "the node the caller left in counts it" '^[1-9]' \
  "$(json node '[.rows[].values.abandoned_ivr // 0] | add')"
expect_eq "hourly" 200 "$(report hourly "dim=center&period=hour")"
expect_eq "the hours add up" 7 "$(json hourly '[.rows[].values.offered] | add')"
expect_match "a count links to its calls" '^/cc/records\?from=.*result=answered' \
  "$(json center '.rows[0].drill.handled')"

# --- 9. the exports hold the table --------------------------------------------------------------
expect_eq "CSV export" 200 "$(http csv -b "$tmp/admin" "$base/cc/admin/reports/export.csv?dim=center&period=total&from=$since&to=$until")"
expect_match "as a download" 'attachment; filename="report-center-total-' "$(hdr csv Content-Disposition)"
csv_total=$(tail -n 1 "$tmp/csv.b" | tr -d '\r')
expect_match "its total row has the offered calls" "^合计,,7," "$csv_total"
expect_eq "Excel export" 200 "$(http xlsx -b "$tmp/admin" "$base/cc/admin/reports/export.xlsx?dim=center&period=total&from=$since&to=$until")"
xlsx_cells=$(python3 - "$tmp/xlsx.b" <<'PY'
import sys, zipfile, re
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
sheet = z.read('xl/worksheets/sheet1.xml').decode()
rows = re.findall(r'<row r="(\d+)">(.*?)</row>', sheet)
last = rows[-1][1]
cells = re.findall(r'<c r="([A-Z]+)\d+"(?: t="inlineStr")?>(?:<is><t>(.*?)</t></is>|<v>(.*?)</v>)</c>', last)
print(' '.join(x for x in ((t or v) for _, t, v in cells[:3]) if x))
PY
)
expect_eq "it opens and its total row matches" "合计 7" "$xlsx_cells"

# --- 10. bad parameters, access ------------------------------------------------------------------
expect_eq "an unknown dimension: 400" 400 "$(report bad1 "dim=planet")"
expect_eq "naming it" dim "$(json bad1 .field)"
expect_eq "not a date: 400" 400 "$(http bad2 -b "$tmp/admin" "$base/cc/api/admin/reports?from=2026-13-01")"
expect_eq "naming it" from "$(json bad2 .field)"
expect_eq "a year by hour: 400" 400 "$(http bad3 -b "$tmp/admin" "$base/cc/api/admin/reports?period=hour&from=2025-01-01&to=2026-01-01")"
expect_eq "naming the period" period "$(json bad3 .field)"
expect_eq "an end before the start: 400" 400 "$(http bad4 -b "$tmp/admin" "$base/cc/api/admin/reports?from=2026-12-04&to=2026-12-01")"
expect_eq "the page says so too" 400 "$(http badpage -b "$tmp/admin" "$base/cc/admin/reports?sl=7")"
expect_match "naming the field" 'data-field="sl"' "$(cat "$tmp/badpage.b")"
expect_eq "an agent may not read reports" 403 "$(http ag -b "$tmp/agent" "$base/cc/api/admin/reports")"
expect_eq "nor export them" 403 "$(http agcsv -b "$tmp/agent" "$base/cc/admin/reports/export.csv")"
expect_eq "a refresh without the CSRF token is refused" 403 \
  "$(http nocsrf -b "$tmp/admin" -X POST "$base/cc/api/admin/reports/refresh")"
expect_eq "the page renders" 200 "$(http page -b "$tmp/admin" "$base/cc/admin/reports?dim=group&period=day")"
expect_match "with the group's row" "$GROUP_NAME" "$(cat "$tmp/page.b")"

finish
