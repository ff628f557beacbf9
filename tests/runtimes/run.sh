#!/usr/bin/env bash
# Runtimes suite: the examples' chat route from the packed tarball under the real runtimes
# (Deno, next build + next start with Turbopack and webpack on the Node and Edge runtimes,
# workerd via wrangler dev --local, Vercel's edge-runtime), against a throwaway PostgreSQL
# with our migrations, the example's chat tables and tests/runtimes/seed.sql, reached
# through the PostgREST/Auth stand-in (lib/standin.mjs); the LLM is lib/llm-stub.mjs.
# Needs tests/runtimes/node_modules (scripts/setup.sh installs it from package-lock.json).
# Last line: "runtimes: N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/tests/runtimes
WORK=$HERE/.work
fail() { echo "runtimes: $*"; echo "runtimes: 0 passed, 1 failed"; exit 1; }

[ -x "$HERE/node_modules/.bin/next" ] || fail "tests/runtimes/node_modules is missing: run scripts/setup.sh"
[ -x build/nova-prompt ] || fail "build/nova-prompt is missing: make native"
bash wasm/build.sh || fail "wasm build failed"

mkdir -p "$WORK"
rm -f "$WORK"/nova-layers-*.tgz
npm pack --silent --ignore-scripts --pack-destination "$WORK" >/dev/null 2>&1 || fail "npm pack failed"
tarball=$(ls "$WORK"/nova-layers-*.tgz | head -1)

# shellcheck source=../sql/cluster.sh
. tests/sql/cluster.sh
# A random first port: streams and CI runs start clusters at the same time.
nova_pg_start $((30000 + RANDOM % 20000)) || fail "could not start PostgreSQL"
nova_pg_migrate nova_rt_seed || fail "migrations failed"
for f in examples/supabase-edge-function/supabase/migrations/*.sql tests/runtimes/seed.sql; do
  psql -X -q -v ON_ERROR_STOP=1 -d nova_rt_seed -f "$f" >/dev/null || fail "$f failed"
done

node "$HERE/run.mjs" "$tarball" "$WORK" "postgresql://postgres@127.0.0.1:$PGPORT" nova_rt_seed
