#!/usr/bin/env bash
# Rewrites the expected outputs of the golden tests (tests/golden/<name>.prompt.txt and
# <name>.layers.txt; tests/golden/memory_prompt/<name>.messages.txt) from the engine as it
# is now. Run it ON PURPOSE (`make golden`), then
# read `git diff tests/golden`: the goldens are the product, every changed line is a
# change in what Nova is told.
#   bash tests/golden/regenerate.sh [BUILD_DIR]      (default: build)
# The request fixtures themselves come from tests/golden/fixtures.mjs (node) and are
# checked in; regenerate them only when a fixture changes.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
cmake --build "$build" --target test_golden test_memory_golden -j2 >/dev/null
NOVA_GOLDEN_UPDATE=1 "$build/test_golden" | grep "^golden:"
NOVA_GOLDEN_UPDATE=1 "$build/test_memory_golden" | grep "^golden:"
if git rev-parse --git-dir >/dev/null 2>&1; then
  git --no-pager diff --stat -- tests/golden || true
fi
