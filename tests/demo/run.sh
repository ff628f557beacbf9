#!/usr/bin/env bash
# Demo suite: `make demo`'s script (scripts/demo.sh) on a fresh embedded database and again
# on the saved one, its output checked message by message; the CLI's other commands and
# errors; the same flow against a real PostgreSQL 15 (--database-url, with and without
# --migrate), and with a live OpenAI-compatible endpoint (a stand-in on 127.0.0.1).
# Last line: "demo: N passed, N failed".
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.."
if ! bash wasm/build.sh >/dev/null; then
  echo "demo: 0 passed, 1 failed"
  exit 1
fi
# shellcheck source=tests/sql/cluster.sh
. tests/sql/cluster.sh
if ! nova_pg_start 57432; then
  echo "demo: PostgreSQL did not start"
  echo "demo: 0 passed, 1 failed"
  exit 1
fi
NOVA_TEST_PG="postgresql://postgres@127.0.0.1:$PGPORT" node tests/demo/demo.test.mjs
