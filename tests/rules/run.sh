#!/usr/bin/env bash
# The rules suite (tests/rules/check.mjs): every copy of a rule the contract holds once
# agrees with it: generated C/JS copies current, the engine (CLI), the JS package and the
# migrations. Usage: tests/rules/run.sh [BUILD_DIR] (default build). Last line:
#   rules: N passed, N failed
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
if [ ! -x "$build/nova-prompt" ]; then
  echo "$build/nova-prompt is missing: build first (make native)"
  echo "rules: 0 passed, 1 failed"
  exit 1
fi
node tests/rules/check.mjs "$build/nova-prompt"
