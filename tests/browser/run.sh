#!/usr/bin/env bash
# Browser suite: headless Chromium on the preview page (js/preview/) served on 127.0.0.1 by
# the package's server (js/cli/serve.js). Last line: "browser: N passed, N failed".
# Screenshots: build/test-artifacts/ (NOVA_ARTIFACTS); NOVA_UPDATE_SCREENSHOTS=1 also
# copies them to docs/images/ for the README.
set -uo pipefail
cd "$(dirname "$0")/../.."
if ! bash wasm/build.sh || ! node scripts/preview-examples.mjs; then
  echo "browser: 0 passed, 1 failed"
  exit 1
fi
node tests/browser/browser.mjs
