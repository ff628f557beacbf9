#!/usr/bin/env bash
# Installs what this machine lacks to build and test nova-layers, and fetches cJSON's
# source. Idempotent: a second run installs nothing and exits quickly.
# Called by `make` (setup target), `make demo`, `make test` and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: compilers for the three targets, Postgres tooling for the SQL suite,
# Chromium for the browser suite, valgrind for the memory check.
APT_PACKAGES=(
  build-essential cmake pkg-config dpkg-dev valgrind
  clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 emscripten wabt
  postgresql-15 postgresql-15-pgtap postgresql-15-plpgsql-check libtap-parser-sourcehandler-pgtap-perl
  chromium
)
CJSON_VERSION=1.7.15-1+deb12u4
DEPS=deps

log() { printf 'setup: %s\n' "$*" >&2; }

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

need_src=0
[ -f "$DEPS/cjson/cJSON.c" ] || need_src=1

if [ ${#missing[@]} -gt 0 ] || [ $need_src = 1 ]; then
  if [ $need_src = 1 ] && [ ! -f /etc/apt/sources.list.d/debian-src.sources ]; then
    log "adding deb-src for bookworm (cJSON source package)"
    cat > /etc/apt/sources.list.d/debian-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  log "apt-get update"
  apt-get update -qq >/dev/null
fi

if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# cJSON: Debian's source package with its security patches applied, pinned by version.
if [ $need_src = 1 ]; then
  log "fetching cJSON $CJSON_VERSION source"
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get source --download-only -qq "cjson=$CJSON_VERSION" >/dev/null)
  rm -rf "$DEPS/cjson"
  mkdir -p "$DEPS"
  dpkg-source -x "$tmp"/cjson_*.dsc "$DEPS/cjson" >/dev/null
  rm -rf "$tmp"
fi

# npm packages (vitest, deno, playwright-core, supabase CLI, ...), from package-lock.json.
if [ -f package-lock.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "npm ci"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
fi
# The runtimes suite's npm packages (next, react, wrangler/workerd, edge-runtime, esbuild,
# jose, pg, supabase-js): their own package.json + lockfile and folder, not the package's.
if [ -f tests/runtimes/package-lock.json ]; then
  if [ ! -d tests/runtimes/node_modules ] ||
     [ tests/runtimes/package-lock.json -nt tests/runtimes/node_modules/.package-lock.json ]; then
    log "npm ci (tests/runtimes)"
    (cd tests/runtimes && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
fi
log "ready"
