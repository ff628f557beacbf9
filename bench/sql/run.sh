#!/usr/bin/env bash
# Bench: nova_prompt_context on 100,000 memories across 1,000 partnerships, on a throwaway
# PostgreSQL 15 cluster (same bootstrap + migrations as the SQL tests). Prints the plans of
# every statement the function runs, checks that none scans shared_memories sequentially,
# and writes the figures to bench/sql/RESULTS.md. Reporting, not a test: timings vary.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/sql/cluster.sh
. "$HERE/../../tests/sql/cluster.sh"
DB=nova_bench

nova_pg_start 55532 || exit 1
nova_pg_migrate "$DB" || exit 1
t0=$(date +%s.%N)
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$HERE/seed.sql" || exit 1
t1=$(date +%s.%N)
counts=$(psql -X -A -t -d "$DB" -c "select (select count(*) from public.partnerships) || ' partnerships, ' ||
  (select count(*) from public.shared_memories) || ' memories (' ||
  (select count(*) from public.shared_memories where is_active) || ' active), ' ||
  (select count(*) from public.shared_insights) || ' insights'")
out=$NOVA_PG_DIR/measure.log
psql -X -v ON_ERROR_STOP=1 -d "$DB" -f "$HERE/measure.sql" >"$out" 2>&1 || { cat "$out"; exit 1; }
cat "$out"

timing=$(grep -E '^ *timing *\|' "$out" | tr -s ' ')
mean=$(cut -d'|' -f2 <<<"$timing" | tr -d ' ')
p50=$(cut -d'|' -f3 <<<"$timing" | tr -d ' ')
p95=$(cut -d'|' -f4 <<<"$timing" | tr -d ' ')
max=$(cut -d'|' -f5 <<<"$timing" | tr -d ' ')
bytes=$(cut -d'|' -f6 <<<"$timing" | tr -d ' ')
rpc=$(grep -E '^ *writes *\| *nova_apply_memory_update' "$out" | tr -s ' ')
plain=$(grep -E '^ *writes *\| *plain statements' "$out" | tr -s ' ')
rpc_mean=$(cut -d'|' -f3 <<<"$rpc" | tr -d ' '); rpc_p50=$(cut -d'|' -f4 <<<"$rpc" | tr -d ' '); rpc_p95=$(cut -d'|' -f5 <<<"$rpc" | tr -d ' ')
plain_mean=$(cut -d'|' -f3 <<<"$plain" | tr -d ' '); plain_p50=$(cut -d'|' -f4 <<<"$plain" | tr -d ' '); plain_p95=$(cut -d'|' -f5 <<<"$plain" | tr -d ' ')
ratio=$(echo "scale=2; $rpc_p50 / $plain_p50" | bc)
if grep -q 'Seq Scan on shared_memories' "$out"; then
  seq="FOUND: a sequential scan on shared_memories"; status=1
else
  seq="none: shared_memories is read through an index only"; status=0
fi
echo "seq scan on shared_memories: $seq"

{
  echo "# SQL bench: nova_prompt_context"
  echo
  echo "Recorded by \`bash bench/sql/run.sh\` on $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) when it ended: other work on the machine"
  echo "spreads the tail; $("$PGBIN/postgres" --version), fsync off, default settings otherwise)."
  echo
  echo "- Data: $counts (bench/sql/seed.sql); seeded in $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s."
  echo "- 990 calls of \`nova_prompt_context(user)\`, a different couple each time, timed in"
  echo "  the server (after 10 warm-up calls): mean $mean ms, p50 $p50 ms, p95 $p95 ms, max $max ms;"
  echo "  each returns 90 active memories, 10 insights, profile, partner and detection: $bytes bytes of JSON."
  echo "- The AI's edits after a reply (an add, an update, a deactivation; 495 calls each, one"
  echo "  couple a call, alternating): \`nova_apply_memory_update\` (every op checked, the two"
  echo "  rows locked and their updated_at compared, partner-notes step, one transaction) mean"
  echo "  $rpc_mean ms, p50 $rpc_p50 ms, p95 $rpc_p95 ms; the same writes as three plain statements"
  echo "  (no checks) mean $plain_mean ms, p50 $plain_p50 ms, p95 $plain_p95 ms: the checks cost ${ratio}x"
  echo "  at p50, in exchange for no lost or half-applied edit (network round trips not counted:"
  echo "  through PostgREST the plain way is three requests, the function one)."
  echo "- Sequential scans on shared_memories: $seq."
  echo
  echo "## Plans of every statement the function runs (auto_explain, one call)"
  echo
  echo '```'
  sed -nE '/^(psql:.*)?NOTICE:  duration/,/^ *bytes_for_one_call/p' "$out" | sed -E 's/^psql:[^ ]+ NOTICE:  /NOTICE:  /' | grep -v -E '^ *bytes_for_one_call'
  echo '```'
  echo
  echo "## The memory query alone"
  echo
  echo '```'
  sed -n '/QUERY PLAN/,$p' "$out"
  echo '```'
} >"$HERE/RESULTS.md"
echo "wrote bench/sql/RESULTS.md"
exit $status
