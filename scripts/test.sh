#!/usr/bin/env bash
# Runs the test suites and prints one closing line: "N passed, N failed".
#
#   scripts/test.sh                 unit, lint, integration, browser
#   scripts/test.sh unit|lint|integration|browser [NAME...]
#
# Every suite reports in TAP ("ok - name" / "not ok - name"); cmocka is asked
# for TAP too. A suite that dies without reporting counts as one failure.
# Output of each suite is kept in $BUILD/test-logs.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=${BUILD:-build}
logs=$build/test-logs
mkdir -p "$logs"
passed=0 failed=0
failures=()

# count FILE SUITE: adds the file's TAP results to the totals; sets p and f.
count() {
  local file=$1 suite=$2 line
  p=$(grep -cE '^ok ' "$file" || true)
  f=$(grep -cE '^not ok ' "$file" || true)
  passed=$((passed + p)); failed=$((failed + f))
  while IFS= read -r line; do failures+=("$suite: ${line#not ok }"); done < <(grep -E '^not ok ' "$file")
}

run_unit() {
  local t out rc p f
  for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    out=$logs/unit-$(basename "$t").log
    CMOCKA_MESSAGE_OUTPUT=TAP timeout 120 "$t" >"$out" 2>&1; rc=$?
    count "$out" "unit/$(basename "$t")"
    if [ "$rc" -ne 0 ] && [ "$f" = 0 ]; then
      failed=$((failed + 1)); failures+=("unit/$(basename "$t"): exited $rc (see $out)")
    fi
    printf '%-40s %3d passed, %d failed\n' "unit/$(basename "$t")" "$p" "$f"
  done
}

run_script_suites() { # kind glob...
  local kind=$1; shift
  local s out rc p f
  for s in "$@"; do
    [ -f "$s" ] || continue
    local name; name=$(basename "$s"); name=${name%.*}
    out=$logs/$kind-$name.log
    echo "--- $kind/$name"
    case $s in
      *.js) timeout 1200 node "$s" >"$out" 2>&1; rc=$? ;;
      *) timeout 1800 bash "$s" >"$out" 2>&1; rc=$? ;;
    esac
    grep -E '^(ok|not ok) ' "$out" | sed 's/^/  /'
    count "$out" "$kind/$name"
    if [ "$rc" -ne 0 ] && [ "$f" = 0 ]; then
      failed=$((failed + 1)); failures+=("$kind/$name: exited $rc without a failing test (see $out)")
      tail -n 20 "$out" | sed 's/^/  | /'
    fi
    printf '%-40s %3d passed, %d failed\n' "$kind/$name" "$p" "$f"
  done
}

pick() { # kind default-glob names...
  local kind=$1 glob=$2; shift 2
  if [ $# -eq 0 ]; then ls $glob 2>/dev/null; else for n in "$@"; do ls tests/$kind/$n.* 2>/dev/null; done; fi
}

what=${1:-all}; [ $# -gt 0 ] && shift
case $what in
  unit) run_unit ;;
  lint) mapfile -t s < <(pick lint 'tests/lint/t_*.sh' "$@"); run_script_suites lint "${s[@]}" ;;
  integration) mapfile -t s < <(pick integration 'tests/integration/t_*.sh' "$@"); run_script_suites integration "${s[@]}" ;;
  browser) mapfile -t s < <(pick browser 'tests/browser/t_*.js' "$@"); run_script_suites browser "${s[@]}" ;;
  all)
    run_unit
    mapfile -t s < <(pick lint 'tests/lint/t_*.sh'); run_script_suites lint "${s[@]}"
    mapfile -t s < <(pick integration 'tests/integration/t_*.sh'); run_script_suites integration "${s[@]}"
    mapfile -t s < <(pick browser 'tests/browser/t_*.js'); run_script_suites browser "${s[@]}"
    ;;
  *) echo "usage: scripts/test.sh [unit|lint|integration|browser] [NAME...]" >&2; exit 2 ;;
esac

if [ ${#failures[@]} -gt 0 ]; then
  echo
  echo "Failures:"
  printf '  %s\n' "${failures[@]}"
fi
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
