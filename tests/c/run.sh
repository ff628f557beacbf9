#!/usr/bin/env bash
# The C suite: every ctest program in BUILD_DIR (default build), totalled over cases.
# Last line: "<label>: N passed, N failed". A program that crashed before reporting
# counts as one failed case.
set -uo pipefail
build=${1:-build}
label=${2:-c}
cd "$(dirname "$0")/../.."
log=$(mktemp)
ctest --test-dir "$build" -V --timeout 600 >"$log" 2>&1
status=$?
grep -E '^[0-9]+: (FAIL |.*check failed|.*got ")' "$log" | head -40
passed=0 failed=0
while read -r p f; do passed=$((passed + p)); failed=$((failed + f)); done < <(
  sed -nE 's/^[0-9]+: cases: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$log")
# Programs that failed without a report line (crash, sanitizer abort).
crashed=$(grep -cE 'Test +#[0-9]+: .*\*\*\*(Exception|Failed|Timeout)' "$log" || true)
reported_fail=$(grep -cE '^[0-9]+: cases: [0-9]+ passed, [1-9][0-9]* failed$' "$log" || true)
if [ "$crashed" -gt "$reported_fail" ]; then
  grep -E 'Test +#[0-9]+: .*\*\*\*' "$log"
  grep -E 'ERROR: (Address|Undefined|Leak)Sanitizer|runtime error' "$log" | head -10
  failed=$((failed + crashed - reported_fail))
fi
tail -3 "$log" | grep -E 'tests passed|tests failed' || true
rm -f "$log"
echo "$label: $passed passed, $failed failed"
[ $status -eq 0 ] && [ $failed -eq 0 ]
