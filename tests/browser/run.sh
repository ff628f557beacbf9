#!/usr/bin/env bash
# Browser suite: headless Chromium loads the preview page (js/preview/) served on
# 127.0.0.1 and assembles fixtures. Last line: "browser: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
if ! bash wasm/build.sh; then
  echo "browser: 0 passed, 1 failed"
  exit 1
fi
node tests/browser/browser.mjs
