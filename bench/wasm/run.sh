#!/usr/bin/env bash
# Wasm benchmarks: module sizes, cold instantiate (fresh processes, median), per-call
# assemble latency in Node and Deno next to native (the same requests through
# bench/wasm/native.c, linked with $NOVA_NATIVE_BUILD/libnova.a, default build/).
# Prints a markdown report; the figures kept are in bench/wasm/RESULTS.md. Not a test.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DENO_NO_UPDATE_CHECK=1 NO_COLOR=1
DENO=node_modules/.bin/deno
COLD_RUNS=${COLD_RUNS:-15}
bash wasm/build.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "## Sizes"
echo
echo "| file | bytes | gzip -9 bytes |"
echo "|---|---:|---:|"
for f in dist/nova.mjs dist/nova.wasm dist/nova-wasi.wasm; do
  echo "| $f | $(stat -c %s "$f") | $(gzip -9 -c "$f" | wc -c) |"
done

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
cold() { # runtime-command...
  local i
  for ((i = 0; i < COLD_RUNS; i++)); do "$@" bench/wasm/bench.mjs cold; done > "$tmp/cold"
  for k in em_instantiate_ms em_import_and_instantiate_ms wasi_instantiate_ms; do
    printf '| %s ' "$(node -e '
      const fs = require("fs"); const k = process.argv[2];
      for (const l of fs.readFileSync(process.argv[1], "utf8").trim().split("\n")) console.log(JSON.parse(l)[k]);' \
      "$tmp/cold" "$k" | median)"
  done
  echo "|"
}
echo
echo "## Cold start (median of $COLD_RUNS fresh processes, ms)"
echo
echo "| runtime | loadNova() | import + loadNova() | loadNovaWasi() (bytes read) |"
echo "|---|---:|---:|---:|"
printf '| node %s ' "$(node --version)"; cold node
printf '| deno %s ' "$($DENO --version | head -1 | cut -d' ' -f2)"; cold "$DENO" run --no-lock --allow-read=.

echo
echo "## Per-call assemble latency (median, µs)"
node bench/wasm/bench.mjs calls > "$tmp/node.json"
"$DENO" run --no-lock --allow-read=. bench/wasm/bench.mjs calls > "$tmp/deno.json"

# Native: the same three requests through nova_assemble in a C loop.
native=""
NATIVE_BUILD=${NOVA_NATIVE_BUILD:-build}
if [ -f "$NATIVE_BUILD/libnova.a" ]; then
  node --input-type=module -e '
    import { small, medium, large } from "./tests/js/requests.js";
    import { writeFileSync } from "node:fs";
    for (const [n, f] of Object.entries({ small, medium, large })) writeFileSync(process.argv[1] + "/" + n + ".json", JSON.stringify(f()));' "$tmp"
  cc -O2 -std=c11 -Iinclude -Itests/c bench/wasm/native.c "$NATIVE_BUILD/libnova.a" "$NATIVE_BUILD/libnova_cjson.a" \
    -lm -o "$tmp/native"
  "$tmp/native" "$tmp/small.json" "$tmp/medium.json" "$tmp/large.json" > "$tmp/native.txt"
  native=$tmp/native.txt
fi
node -e '
  const fs = require("fs");
  const [nodeF, denoF, nativeF] = process.argv.slice(1);
  const n = JSON.parse(fs.readFileSync(nodeF, "utf8")), d = JSON.parse(fs.readFileSync(denoF, "utf8"));
  const nat = {};
  if (nativeF) for (const l of fs.readFileSync(nativeF, "utf8").trim().split("\n")) {
    const [p, us] = l.split(" "); nat[p.replace(/.*\//, "").replace(".json", "")] = us; }
  console.log(`\nNode ${n.runtime}, Deno ${d.runtime}; "raw" = assembleJSON (C call + copy in/out), "object" = assemble() (adds JSON.stringify/parse and offset conversion).\n`);
  console.log("| request | bytes | native | Node em raw | Node em object | Node WASI raw | Deno em raw | Deno em object | Deno WASI raw |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  const descr = { small: "small (3 memories, 2 insights)", medium: "medium (50 memories, 10 insights)", large: "large (500 memories, 10 insights)" };
  for (const s of ["small", "medium", "large"]) {
    console.log(`| ${descr[s]} | ${n[s + "_request_bytes"]} | ${nat[s] ?? "n/a"} | ${n["em_raw_" + s + "_us"]} | ${n["em_object_" + s + "_us"]} | ${n["wasi_raw_" + s + "_us"]} | ${d["em_raw_" + s + "_us"]} | ${d["em_object_" + s + "_us"]} | ${d["wasi_raw_" + s + "_us"]} |`);
  }' "$tmp/node.json" "$tmp/deno.json" "$native"
