#!/usr/bin/env bash
# The sanitizer pass of `make check`: unit tests built with AddressSanitizer
# and UndefinedBehaviorSanitizer, then the end-to-end call test and the
# outbound dialer's test with the B2BUA and the web app built the same way. Any sanitizer report (leak,
# overflow, use after free, undefined behaviour) fails the run.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=${BUILD:-build/san}
reports=$build/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:log_path=$top/$reports/asan"
export UBSAN_OPTIONS="print_stacktrace=1:log_path=$top/$reports/ubsan"
export LSAN_OPTIONS="log_path=$top/$reports/lsan"

BUILD=$build scripts/test.sh unit > "$build/check-unit.log" 2>&1
unit_rc=$?
tail -n 1 "$build/check-unit.log"
CC_BIN=$top/$build/bin scripts/test.sh integration t_call t_task_dial > "$build/check-call.log" 2>&1
call_rc=$?
tail -n 1 "$build/check-call.log"

found=$(ls "$reports" 2>/dev/null | wc -l)
if [ "$found" -gt 0 ]; then
  echo "sanitizer reports:"
  for f in "$reports"/*; do echo "--- $f"; head -n 40 "$f"; done
fi
passed=0 failed=0
for log in "$build/check-unit.log" "$build/check-call.log"; do
  line=$(tail -n 1 "$log")
  p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
done
if [ "$found" -gt 0 ]; then failed=$((failed + 1)); else passed=$((passed + 1)); echo "ok - no sanitizer reports"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ $unit_rc -eq 0 ] && [ $call_rc -eq 0 ]
