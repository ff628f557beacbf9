#!/usr/bin/env bash
# `make demo`: the real flow end to end on an embedded PostgreSQL (PGlite, from npm): the
# Supabase bootstrap and the migrations, sign-ups, a couple linked by invite code, a solo
# user, scripted chats with each prompt and memory update. The database is kept in
# .cache/demo (ignored by git); a second run reuses it.
#   bash scripts/demo.sh [--full] [--fresh] [--database-url URL [--migrate] [--keep]]
#   (the same as: npx nova-layers demo ...; `npx nova-layers help` lists every option)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f dist/nova.mjs ]; then
  echo "demo: dist/nova.mjs is missing: run make (or make demo, which builds it)" >&2
  exit 1
fi
export NOVA_DEMO_DATA_DIR=${NOVA_DEMO_DATA_DIR:-$PWD/.cache/demo}
export NOVA_CLI_NAME="node js/cli/nova-layers.js"  # how its hints spell the command in a checkout
exec node js/cli/nova-layers.js demo "$@"
