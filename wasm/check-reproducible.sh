#!/usr/bin/env bash
# Builds both wasm modules twice from scratch, in two fresh build folders at different
# paths, and checks the outputs are byte-identical (and equal to dist/ when it is current).
# Usage: wasm/check-reproducible.sh     (takes ~1 min; not part of `make test`)
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for run in a b; do
  NOVA_EM_BUILD="$tmp/$run/em" NOVA_WASI_BUILD="$tmp/$run/wasi" NOVA_DIST="$tmp/$run/dist" \
    bash wasm/build.sh 2>/dev/null
done
status=0
for f in nova.mjs nova.wasm nova-wasi.wasm; do
  if cmp -s "$tmp/a/dist/$f" "$tmp/b/dist/$f"; then
    echo "reproducible: $f $(sha256sum < "$tmp/a/dist/$f" | cut -c1-16)"
  else
    echo "NOT reproducible: $f"; status=1
  fi
  if [ -f "dist/$f" ] && ! cmp -s "dist/$f" "$tmp/a/dist/$f"; then
    echo "note: dist/$f differs from a clean build (stale or built from other sources)"
  fi
done
exit $status
