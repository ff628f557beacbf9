#!/usr/bin/env bash
# SQL suite: a throwaway PostgreSQL 15 cluster with Supabase's bootstrap (bootstrap.sql),
# the migrations applied by the real Supabase CLI, `supabase db lint`, pgTAP files under
# tests/sql/t/ via pg_prove, the database-to-engine test (engine_limits.sh), the AI update
# flow end to end (memory_e2e.mjs), and nova_prompt_context outputs validated against the
# contract's JSON Schema. Needs build/nova-prompt (make). Last line: "sql: N passed, N
# failed". Run from anywhere.
# NOVA_SQL_KEEP=1 leaves the cluster running for a look (it prints how to stop it).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/sql/cluster.sh
. "$HERE/cluster.sh"
DB=nova

passed=0 failed=0
finish() {
  echo "sql: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}
check() {  # check NAME COMMAND...: one counted result
  local name=$1; shift
  if "$@" >"$NOVA_PG_DIR/check.log" 2>&1; then
    echo "ok - $name"; passed=$((passed + 1))
  else
    cat "$NOVA_PG_DIR/check.log"; echo "not ok - $name"; failed=$((failed + 1))
    return 1
  fi
}

nova_pg_start 55432 || { failed=1; finish; }
TMP=$NOVA_PG_DIR
check "supabase migration up (bootstrap + migrations)" nova_pg_migrate "$DB" || finish
# Warnings count too: plpgsql_check reports unused variables, implicit casts and the like.
check "supabase db lint (no warnings)" nova_supabase db lint --db-url "$NOVA_PG_URL" --level warning --fail-on warning

# Users who signed up before the migrations get their profile row from the migrations.
existing_users_backfilled() {
  nova_pg_migrate nova_existing "insert into auth.users (id, email, raw_user_meta_data) values
      ('00000000-0000-4000-8000-00000000e001', 'maya@example.com', '{\"full_name\": \" Maya R \"}'),
      ('00000000-0000-4000-8000-00000000e002', 'sam.k@example.com', '{}'),
      ('00000000-0000-4000-8000-00000000e003', null, null),
      ('00000000-0000-4000-8000-00000000e004', 'zz@x', jsonb_build_object('full_name', repeat(U&'\\200B', 100) || 'Mallory'))" || return 1
  local got
  got=$(psql -X -At -d nova_existing -c "select string_agg(name || '/' || setup_mode, ',' order by id) from public.user_profiles")
  [ "$got" = "Maya R/pending,sam.k/pending,there/pending,zz/pending" ] || { echo "profiles: $got"; return 1; }
}
check "users who exist before the migrations get a profile (a crafted full_name included)" existing_users_backfilled

# README's privacy tables (between <!-- privacy:NAME --> and <!-- /privacy:NAME -->) as
# TSV: row number, then the cells, backticks dropped. 03_privacy_matrix.sql checks them.
readme_table() {
  awk -v start="<!-- privacy:$1 -->" -v stop="<!-- /privacy:$1 -->" '
    $0 == start { on = 1; n = 0; next }
    $0 == stop { on = 0 }
    on && /^\|/ { n++; if (n <= 2) next   # header and separator
      gsub(/`/, ""); line = substr($0, 2, length($0) - 2); k = split(line, c, "|")
      out = n - 2
      for (i = 1; i <= k; i++) { gsub(/^ +| +$/, "", c[i]); out = out "\t" c[i] }
      print out }' "$NOVA_ROOT/README.md"
}
readme_table reads >"$TMP/readme_reads.tsv"
readme_table writes >"$TMP/readme_writes.tsv"

if ! psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "create extension if not exists pgtap; create extension if not exists dblink" >/dev/null \
   || ! psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$HERE/helpers.sql" >/dev/null \
   || ! psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "\\copy tests.readme_reads from '$TMP/readme_reads.tsv'" \
        -c "\\copy tests.readme_writes from '$TMP/readme_writes.tsv'" >/dev/null; then
  echo "test helpers failed"; failed=$((failed + 1)); finish
fi

# pgTAP: count every assertion; a file that dies or misses its plan fails its unrun tests.
pg_prove -v -d "$DB" "$HERE"/t/*.sql >"$TMP/prove.log" 2>&1
prove_status=$?
ok=$(grep -cE '^ *ok [0-9]+' "$TMP/prove.log")
notok=$(grep -cE '^ *not ok [0-9]+' "$TMP/prove.log")
grep -E '^ *not ok|^#|Failed|Dubious|Parse errors|ERROR|psql:' "$TMP/prove.log" | head -60
grep -E '^Files=|^Result' "$TMP/prove.log"
passed=$((passed + ok))
failed=$((failed + notok))
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

# The database to the engine: rows at every limit, through nova_prompt_context into assemble.
# shellcheck source=tests/sql/engine_limits.sh
. "$HERE/engine_limits.sh"

# The AI update flow end to end: context, the engine's memory-ops on recorded model
# answers, nova_apply_memory_update, what each user sees (issue 9).
node "$HERE/memory_e2e.mjs" "$DB" "$NOVA_ROOT/build/nova-prompt" >"$TMP/e2e.log" 2>&1
cat "$TMP/e2e.log"
passed=$((passed + $(grep -cE '^ok ' "$TMP/e2e.log")))
failed=$((failed + $(grep -cE '^not ok ' "$TMP/e2e.log")))
if [ "$(grep -cE '^(not )?ok ' "$TMP/e2e.log")" -lt 20 ]; then echo "memory_e2e.mjs ran short"; failed=$((failed + 1)); fi

# The contract: nova_prompt_context for three kinds of user, validated with ajv.
mkdir -p "$TMP/contexts"
for c in solo_without_profile solo_with_ai_partner linked_couple; do
  psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$DB" \
    -c "begin" -c "select tests.context_case('$c')" -c "rollback" >"$TMP/contexts/$c.json" \
    || echo "context case $c failed to run"
done
node "$HERE/validate-context.mjs" "$NOVA_ROOT/schema/nova-contract.schema.json" "$TMP"/contexts/*.json >"$TMP/validate.log" 2>&1
cat "$TMP/validate.log"
passed=$((passed + $(grep -cE '^ok ' "$TMP/validate.log")))
failed=$((failed + $(grep -cE '^not ok ' "$TMP/validate.log")))
if [ "$(grep -cE '^(not )?ok ' "$TMP/validate.log")" -ne 3 ]; then failed=$((failed + 1)); fi

finish
