#!/usr/bin/env bash
# Route benchmark (figures, not a test): one RPC against the seed plan's six queries, on a
# throwaway PostgreSQL with our migrations and bench/route/seed.sql (200 memories in the
# measured context). Needs tests/runtimes/node_modules (scripts/setup.sh).
#   bash bench/route/run.sh [N=1000]      figures kept in bench/route/RESULTS.md
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../tests/sql/cluster.sh
. tests/sql/cluster.sh
nova_pg_start $((30000 + RANDOM % 20000))
nova_pg_migrate nova_route_bench
psql -X -q -v ON_ERROR_STOP=1 -d nova_route_bench -f bench/route/seed.sql >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), PostgreSQL $(psql -XAtc 'show server_version' -d nova_route_bench), Node $(node --version)"
node bench/route/bench.mjs "postgresql://postgres@127.0.0.1:$PGPORT/nova_route_bench" "${1:-1000}"
