# shellcheck shell=bash
# Sourced by tests/sql/run.sh and bench/sql/run.sh: a throwaway PostgreSQL 15 cluster with
# Supabase's bootstrap and our migrations applied by the real Supabase CLI.
#   nova_pg_start        initdb + start in a fresh temp dir; sets NOVA_PG_DIR, PGHOST, PGPORT,
#                        PGUSER, NOVA_PG_URL; installs an EXIT trap that stops and removes it
#                        (NOVA_SQL_KEEP=1 leaves it running and prints how to stop it)
#   nova_pg_migrate DB [SQL]  create DB, load bootstrap.sql, run SQL (e.g. users who exist
#                        before the migrations), `supabase migration up --db-url`
#   nova_supabase ARGS   the pinned CLI with a workdir whose supabase/migrations is ours
NOVA_ROOT=${NOVA_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

nova_as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

nova_pg_stop() {
  [ -n "${NOVA_PG_DIR:-}" ] || return 0
  if [ -n "${NOVA_SQL_KEEP:-}" ]; then
    echo "NOVA_SQL_KEEP: cluster left running: psql -h $NOVA_PG_DIR -p $PGPORT -U postgres" >&2
    echo "  stop it with: runuser -u postgres -- $PGBIN/pg_ctl -D $NOVA_PG_DIR/data stop; rm -rf $NOVA_PG_DIR" >&2
    return 0
  fi
  nova_as_pg "$PGBIN/pg_ctl" -D "$NOVA_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$NOVA_PG_DIR"
}

nova_pg_start() {
  NOVA_PG_DIR=$(mktemp -d /tmp/nova-sql.XXXXXX) || return 1
  # initdb refuses root: the cluster belongs to postgres.
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$NOVA_PG_DIR"; fi
  trap nova_pg_stop EXIT
  trap 'exit 130' INT TERM
  local port=${1:-55432} tries
  nova_as_pg "$PGBIN/initdb" -D "$NOVA_PG_DIR/data" -U postgres -A trust --no-sync -E UTF8 \
    --locale=C.UTF-8 >"$NOVA_PG_DIR/initdb.log" 2>&1 || { cat "$NOVA_PG_DIR/initdb.log"; return 1; }
  # A free port can be taken between the probe and the bind (another suite starting its
  # own cluster): then the next one is tried.
  for tries in 1 2 3 4 5 6 7 8; do
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    if nova_as_pg "$PGBIN/pg_ctl" -D "$NOVA_PG_DIR/data" -l "$NOVA_PG_DIR/data/server.log" -w \
         -o "-p $port -k $NOVA_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" \
         start >/dev/null; then
      break
    fi
    if [ "$tries" = 8 ] || ! grep -q 'Address already in use' "$NOVA_PG_DIR/data/server.log"; then
      cat "$NOVA_PG_DIR/data/server.log"; return 1
    fi
    port=$((port + 1))
  done
  export PGHOST=$NOVA_PG_DIR PGPORT=$port PGUSER=postgres
}

nova_supabase() {
  if [ ! -e "$NOVA_PG_DIR/project/supabase/migrations" ]; then
    # The CLI reads supabase/migrations under --workdir: point it at ours, no copies.
    mkdir -p "$NOVA_PG_DIR/project/supabase"
    ln -s "$NOVA_ROOT/migrations" "$NOVA_PG_DIR/project/supabase/migrations"
  fi
  (cd "$NOVA_ROOT" && npx --no-install supabase --workdir "$NOVA_PG_DIR/project" "$@")
}

nova_pg_migrate() {
  local db=$1
  NOVA_PG_URL="postgresql://postgres@127.0.0.1:$PGPORT/$db?sslmode=disable"
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "create database $db" || return 1
  psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$NOVA_ROOT/tests/sql/bootstrap.sql" >/dev/null || return 1
  if [ -n "${2:-}" ]; then psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "$2" >/dev/null || return 1; fi
  nova_supabase migration up --db-url "$NOVA_PG_URL" >"$NOVA_PG_DIR/up.log" 2>&1 \
    || { cat "$NOVA_PG_DIR/up.log"; return 1; }
}
