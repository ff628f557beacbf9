#!/usr/bin/env bash
# JS suite: vitest (Node) over the whole JS API, identity with native/Deno/WASI, heap
# stability, the Supabase glue; plus `tsc --noEmit` over the .d.ts files.
# Last line: "js: N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/../.."

passed=0 failed=0 skipped=0
if ! bash wasm/build.sh; then
  echo "js: wasm build failed"
  echo "js: 0 passed, 1 failed"
  exit 1
fi

report=$(mktemp)
trap 'rm -f "$report"' EXIT
node_modules/.bin/vitest run --config tests/js/vitest.config.js \
  --reporter=default --reporter=json --outputFile.json="$report"
if [ -s "$report" ]; then
  read -r p f s < <(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites || 0) +
      r.testResults.filter((t) => t.status === "failed" && t.assertionResults.length === 0).length,
      r.numPendingTests + r.numTodoTests);' "$report")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
else
  echo "js: vitest wrote no report"
  failed=$((failed + 1))
fi

echo "--- tsc --noEmit -p tests/js"
if node_modules/.bin/tsc -p tests/js/tsconfig.json; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi

if [ "$skipped" -gt 0 ]; then
  echo "js: $passed passed, $failed failed, $skipped skipped"
else
  echo "js: $passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
