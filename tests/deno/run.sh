#!/usr/bin/env bash
# Deno suite: the real Deno binary (npm `deno`), offline, runs tests/deno/nova_test.js and
# `deno check`s the package types. Last line: "deno: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
export DENO_NO_UPDATE_CHECK=1 NO_COLOR=1
DENO=node_modules/.bin/deno

passed=0 failed=0
if ! bash wasm/build.sh; then
  echo "deno: 0 passed, 1 failed"
  exit 1
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
# Read the repo, run only the native CLI; nothing else (no network, no env).
CLI=${NOVA_CLI:-build/nova-prompt}
"$DENO" test --no-check --no-lock --no-prompt --allow-read=. --allow-run="$CLI" \
  tests/deno/nova_test.js -- "$CLI" 2>&1 | tee "$out"
summary=$(grep -E '^(ok|FAILED) \| [0-9]+ passed' "$out" | tail -1)
if [ -n "$summary" ]; then
  passed=$((passed + $(sed -E 's/.*\| ([0-9]+) passed.*/\1/' <<<"$summary")))
  failed=$((failed + $(sed -E 's/.*\| ([0-9]+) failed.*/\1/' <<<"$summary")))
else
  failed=$((failed + 1))
fi

echo "--- deno check tests/deno/types_check.ts"
if "$DENO" check --no-lock tests/deno/types_check.ts; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi

echo "deno: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
