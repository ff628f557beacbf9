#!/usr/bin/env bash
# SQL suite: a throwaway PostgreSQL 15 cluster with Supabase's bootstrap (bootstrap.sql),
# the migrations applied by the real Supabase CLI, `supabase db lint`, pgTAP files under
# tests/sql/t/ via pg_prove, and nova_prompt_context outputs validated against the
# contract's JSON Schema. Last line: "sql: N passed, N failed". Run from anywhere.
# NOVA_SQL_KEEP=1 leaves the cluster running for a look (it prints how to stop it).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/tests/sql"
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
DB=nova

passed=0 failed=0
finish() {
  echo "sql: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

# The cluster lives in a temp dir owned by postgres (initdb refuses root).
TMP=$(mktemp -d /tmp/nova-sql.XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$TMP"; fi
cleanup() {
  if [ -n "${NOVA_SQL_KEEP:-}" ]; then
    echo "NOVA_SQL_KEEP: cluster left running: psql -h $TMP -p $PORT -U postgres -d $DB" >&2
    echo "  stop it with: runuser -u postgres -- $PGBIN/pg_ctl -D $TMP/data stop; rm -rf $TMP" >&2
    return
  fi
  as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# First free port from 55432.
PORT=55432
while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done

as_pg "$PGBIN/initdb" -D "$TMP/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$TMP/initdb.log" 2>&1 \
  || { cat "$TMP/initdb.log"; failed=1; finish; }
as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -l "$TMP/data/server.log" -w \
  -o "-p $PORT -k $TMP -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null \
  || { cat "$TMP/data/server.log"; failed=1; finish; }

export PGHOST=$TMP PGPORT=$PORT PGUSER=postgres
URL="postgresql://postgres@127.0.0.1:$PORT/$DB?sslmode=disable"
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

psql_q -d postgres -c "create database $DB" || { failed=1; finish; }
psql_q -d "$DB" -f "$HERE/bootstrap.sql" >/dev/null || { echo "bootstrap failed"; failed=1; finish; }

# The CLI reads supabase/migrations under --workdir: point it at ours, no copies.
mkdir -p "$TMP/project/supabase"
ln -s "$ROOT/migrations" "$TMP/project/supabase/migrations"
cd "$ROOT"
if npx --no-install supabase --workdir "$TMP/project" migration up --db-url "$URL" >"$TMP/up.log" 2>&1; then
  echo "ok - supabase migration up"
  passed=$((passed + 1))
else
  cat "$TMP/up.log"
  echo "not ok - supabase migration up"
  failed=$((failed + 1))
  finish
fi

if npx --no-install supabase --workdir "$TMP/project" db lint --db-url "$URL" --fail-on error >"$TMP/lint.log" 2>&1; then
  echo "ok - supabase db lint --fail-on error"
  passed=$((passed + 1))
else
  echo "not ok - supabase db lint --fail-on error"
  failed=$((failed + 1))
fi
grep -v '^\s*$' "$TMP/lint.log" | grep -v -E '^(Connecting|Linting)' | sed 's/^/  lint: /' | head -40

psql_q -d "$DB" -c "create extension if not exists pgtap; create extension if not exists dblink" >/dev/null \
  && psql_q -d "$DB" -f "$HERE/helpers.sql" >/dev/null \
  || { echo "test helpers failed"; failed=$((failed + 1)); finish; }

# pgTAP: count every assertion; a file that dies or misses its plan counts as one failure.
pg_prove -v -d "$DB" "$HERE"/t/*.sql >"$TMP/prove.log" 2>&1
prove_status=$?
ok=$(grep -cE '^ *ok [0-9]+' "$TMP/prove.log")
notok=$(grep -cE '^ *not ok [0-9]+' "$TMP/prove.log")
grep -E '^ *not ok|^#|Failed|Dubious|Parse errors|ERROR|psql:' "$TMP/prove.log" | head -60
grep -E '^Files=|^Result' "$TMP/prove.log"
passed=$((passed + ok))
failed=$((failed + notok))
# A file that missed its plan or died: its unrun tests fail (at least one per file).
badplan=0
while read -r planned ran; do
  missing=$((planned - ran)); [ "$missing" -lt 1 ] && missing=1
  badplan=$((badplan + missing))
done < <(sed -nE 's/.*Parse errors: Bad plan\.  You planned ([0-9]+) tests but ran ([0-9]+)\..*/\1 \2/p' "$TMP/prove.log")
badplan=$((badplan + $(grep -c 'No plan found' "$TMP/prove.log")))
failed=$((failed + badplan))
if [ $prove_status -ne 0 ] && [ "$notok" -eq 0 ] && [ "$badplan" -eq 0 ]; then
  tail -20 "$TMP/prove.log"
  failed=$((failed + 1))
fi

# The contract: nova_prompt_context for three kinds of user, validated with ajv.
mkdir -p "$TMP/contexts"
for c in solo_without_profile solo_with_ai_partner linked_couple; do
  psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$DB" \
    -c "begin" -c "select tests.context_case('$c')" -c "rollback" >"$TMP/contexts/$c.json" \
    || echo "context case $c failed to run"
done
node "$HERE/validate-context.mjs" "$ROOT/schema/nova-contract.schema.json" "$TMP"/contexts/*.json >"$TMP/validate.log" 2>&1
cat "$TMP/validate.log"
passed=$((passed + $(grep -cE '^ok ' "$TMP/validate.log")))
failed=$((failed + $(grep -cE '^not ok ' "$TMP/validate.log")))
if ! grep -qE '^(not )?ok ' "$TMP/validate.log"; then failed=$((failed + 1)); fi

finish
