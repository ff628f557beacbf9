#!/usr/bin/env bash
# The schema suite: the contract (schema/nova-contract.schema.json) checked with ajv
# against the golden request fixtures and the CLI's real results and errors.
# Last line: "schema: N passed, N failed".
#   bash tests/schema/run.sh [BUILD_DIR]   (default: build)
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
if [ ! -x "$build/nova-prompt" ]; then
  echo "tests/schema: $build/nova-prompt is missing (run make)"
  echo "schema: 0 passed, 1 failed"
  exit 1
fi
node tests/schema/validate.mjs "$build/nova-prompt"
