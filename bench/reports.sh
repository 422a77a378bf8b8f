#!/usr/bin/env bash
# bench/reports.sh: 数据报表 over a month of a million calls (docs/reports.md).
# Starts a stack of its own (tests/integration/lib.sh: private state, free
# ports, stopped on exit), generates BENCH_REPORT_CALLS calls (default
# 1,000,000) over the 30 days before today with sql/demo/history.sql (200
# agents, 10 skill groups, each call's event log and the agents' state log),
# rebuilds the hourly rollups (POST refresh?all=1) and times it, then asks
# for each report BENCH_REPORT_TRIES times (3) as the admin through nginx and
# keeps the slowest and the median, with the rollup rows each one sums.
#
#   bench/reports.sh                 prints the Markdown section
#   BENCH_REPORT_OUT=DIR bench/reports.sh   also writes DIR/reports-section.md
#                                    and DIR/reports-glance.md (bench/run.sh reports)
set -uo pipefail
. "$(dirname "$0")/../tests/integration/lib.sh"

calls=${BENCH_REPORT_CALLS:-1000000}
tries=${BENCH_REPORT_TRIES:-3}
days=30
per_day=$(( (calls + days - 1) / days ))
agents=200
groups=10
export CC_WEB_OPTS="report_full_s=86400"
stack_start
web_setup reports-bench
csrf=$(login admin "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
check "the admin signs in" test -n "$csrf"

ms_now() { date +%s%3N; }
t0=$(ms_now)
{ echo "SET @days = $days, @per_day = $per_day, @agents = $agents, @group = $GROUP, @groups = $groups, @number = 1;"
  cat "$top/sql/demo/history.sql"; } | mariadb --no-defaults -S "$DB_SOCKET" -u root cc
load_ms=$(( $(ms_now) - t0 ))
ncalls=$(sql "SELECT COUNT(*) FROM cc_call WHERE node = 'history'")
nevents=$(sql "SELECT COUNT(*) FROM cc_call_event")
nstates=$(sql "SELECT COUNT(*) FROM cc_agent_state_log")
check "$ncalls calls generated" test "$ncalls" -ge "$calls"

# The rollup of the whole month, from nothing: the first POST asks for it
# (202 while it runs), the next ones wait for the run after it.
sql "DELETE FROM cc_report_hour; DELETE FROM cc_report_day; DELETE FROM cc_report_break"
t0=$(ms_now)
st=$(http rb -b "$tmp/admin" -X POST -H "X-CSRF-Token: $csrf" "$base/cc/api/admin/reports/refresh?all=1")
while [ "$st" = 202 ]; do
  st=$(http rb -b "$tmp/admin" -X POST -H "X-CSRF-Token: $csrf" "$base/cc/api/admin/reports/refresh")
done
rollup_ms=$(( $(ms_now) - t0 ))
check "the rollup of the month succeeds" test "$st" = 200
nrows=$(sql "SELECT COUNT(*) FROM cc_report_hour")
ndays=$(sql "SELECT COUNT(DISTINCT day) FROM cc_report_day WHERE dim = 'center' AND offered > 0")
check "it covers the $days days ($ndays)" test "$ndays" -ge "$days"
grep -E 'reports: .*failed' "$logs/web.log" | sed 's/^/# /'
# And the run every 15 s does when nothing is new: its two hours.
t0=$(ms_now)
http ri -b "$tmp/admin" -X POST -H "X-CSRF-Token: $csrf" "$base/cc/api/admin/reports/refresh" >/dev/null
incr_ms=$(( $(ms_now) - t0 ))

from=$(date -d "-$days days" +%F)
to=$(date +%F)
table="| report | query | rows shown | rollup rows summed (table) | slowest ms | median ms |
| --- | --- | ---: | ---: | ---: | ---: |"
worst=0
# report LABEL PATH QUERY TABLE ROLLUP_WHERE: TRIES requests through nginx;
# TABLE is the rollup a report of whole days by day or longer reads
# (cc_report_day), or cc_report_hour.
report() {
  local label=$1 path=$2 q=$3 table_=$4 where=$5 i t times=() st shown
  for ((i = 0; i < tries; i++)); do
    t=$(ms_now)
    st=$(http rq -b "$tmp/admin" "$base$path?$q&from=$from&to=$to")
    times+=($(( $(ms_now) - t )))
    [ "$st" = 200 ] || not_ok "$label: status $st"
  done
  case $path in
    *.csv) shown="$(( $(wc -l < "$tmp/rq.b") - 2 )) (CSV lines)" ;;
    *.xlsx) shown="$(python3 -c 'import sys, zipfile, re; print(len(re.findall("<row ", zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode())) - 2)' "$tmp/rq.b") (sheet rows)" ;;
    *) shown=$(json rq '.rows | length') ;;
  esac
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  local slow med
  slow=$(tail -n 1 <<<"$sorted")
  med=$(sed -n "$(( (tries + 1) / 2 ))p" <<<"$sorted")
  [ "$slow" -gt "$worst" ] && worst=$slow
  table="$table
| $label | \`$q\` | $shown | $(sql "SELECT COUNT(*) FROM $table_ WHERE $where") ($table_) | $slow | $med |"
}
h0=$(sql "SELECT UNIX_TIMESTAMP('$from')"); h1=$(sql "SELECT UNIX_TIMESTAMP('$to')")
range="hour_start >= $h0 AND hour_start < $h1"
drange="day_start >= $h0 AND day_start < $h1"
D=cc_report_day H=cc_report_hour
report "center, by day" /cc/api/admin/reports "dim=center&period=day" $D "dim = 'center' AND $drange"
report "center, by hour" /cc/api/admin/reports "dim=center&period=hour" $H "dim = 'center' AND $range"
report "groups, by day" /cc/api/admin/reports "dim=group&period=day" $D "dim = 'group' AND $drange"
report "groups, by week" /cc/api/admin/reports "dim=group&period=week" $D "dim = 'group' AND $drange"
report "agents, the month" /cc/api/admin/reports "dim=agent&period=total" $D "dim = 'agent' AND $drange"
report "agents, by day" /cc/api/admin/reports "dim=agent&period=day" $D "dim = 'agent' AND $drange"
report "number, by month" /cc/api/admin/reports "dim=number&period=month" $D "dim = 'number' AND $drange"
report "one agent, by hour" /cc/api/admin/reports "dim=agent&period=hour&key=0u$(printf '%030d' 7)" $H "dim = 'agent' AND dim_key = '0u$(printf '%030d' 7)' AND $range"
report "agents by day, as CSV" /cc/admin/reports/export.csv "dim=agent&period=day" $D "dim = 'agent' AND $drange"
report "agents by day, as Excel" /cc/admin/reports/export.xlsx "dim=agent&period=day" $D "dim = 'agent' AND $drange"
check "every report answers in under a second (slowest: $worst ms)" test "$worst" -lt 1000

section="## 11. Reports over a month of a million calls

\`bench/reports.sh\` (\`make bench PARTS=reports\`): $ncalls calls generated
over the $days days before the run by \`sql/demo/history.sql\` ($agents agents,
$groups skill groups; $nevents event-log rows, $nstates agent-state rows), in
$(( load_ms / 1000 )) s. Rebuilding every hourly rollup from nothing took
$(( rollup_ms / 1000 )) s ($nrows rows of \`cc_report_hour\`); the rollup run
every 15 s, with nothing new, took $incr_ms ms. Each report asked $tries
times as the admin, through nginx (curl, the whole answer):

$table

The target is under 1 s for any report over a month; the slowest here was
$worst ms. A report reads only the rollup rows of its dimension and range
(primary keys \`(dim, hour_start, dim_key)\` and \`(dim, day_start, dim_key)\`);
whole days by day or longer read the daily rows, 24 times fewer. The rows
shown, not the calls, set its cost: 200 agents by day is the largest table
here (6,000 rows of about 45 figures, formatted as JSON, CSV or a sheet)."
glance="Reports over a month of $ncalls calls | slowest report $worst ms (target < 1,000), rollup rebuild $(( rollup_ms / 1000 )) s | \`make bench PARTS=reports\`"
echo "$section"
if [ -n "${BENCH_REPORT_OUT:-}" ]; then
  echo "$section" > "$BENCH_REPORT_OUT/reports-section.md"
  echo "$glance" > "$BENCH_REPORT_OUT/reports-glance.md"
fi
finish
