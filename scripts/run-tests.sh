#!/usr/bin/env bash
# Runs every test suite and prints their total as the last line: "N passed, N failed".
# Each suite is a script whose last output line is "<suite>: N passed, N failed[, N skipped]".
# A suite that ends without that line counts as one failure. Run from the repo root.
set -uo pipefail
cd "$(dirname "$0")/.."

# name | command (order: fastest feedback first)
SUITES=(
  "c|tests/c/run.sh build c"
  "c-asan|tests/c/run.sh build-asan c-asan"
  "valgrind|tests/c/valgrind.sh"
  "fuzz|tests/fuzz/run.sh build-asan"
  "rules|tests/rules/run.sh build"
  "schema|tests/schema/run.sh"
  "sql|tests/sql/run.sh"
  "js|tests/js/run.sh"
  "deno|tests/deno/run.sh"
  "browser|tests/browser/run.sh"
  "demo|tests/demo/run.sh"
  "package|tests/package/run.sh"
  "runtimes|tests/runtimes/run.sh"
)
only=${NOVA_SUITES:-}

total_p=0 total_f=0 total_s=0
summary=()
for entry in "${SUITES[@]}"; do
  name=${entry%%|*}
  cmd=${entry#*|}
  script=${cmd%% *}
  if [ -n "$only" ] && [[ " $only " != *" $name "* ]]; then continue; fi
  if [ ! -f "$script" ]; then
    summary+=("$name: $script is missing (counted as 1 failed)")
    total_f=$((total_f + 1))
    continue
  fi
  echo "=== suite $name: $cmd"
  out=$(mktemp)
  bash -c "$cmd" 2>&1 | tee "$out"
  last=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$out" | tail -1)
  rm -f "$out"
  if [ -z "$last" ]; then
    summary+=("$name: no result line (counted as 1 failed)")
    total_f=$((total_f + 1))
    continue
  fi
  summary+=("$last")
  p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$last")
  f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$last")
  s=$(sed -nE 's/.* ([0-9]+) skipped.*/\1/p' <<<"$last")
  total_p=$((total_p + p)); total_f=$((total_f + f)); total_s=$((total_s + ${s:-0}))
done
echo "=== summary"
printf '%s\n' "${summary[@]}"
if [ "$total_s" -gt 0 ]; then
  echo "$total_p passed, $total_f failed, $total_s skipped"
else
  echo "$total_p passed, $total_f failed"
fi
[ "$total_f" -eq 0 ]
