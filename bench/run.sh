#!/usr/bin/env bash
# Benchmarks (figures, not tests). Each section prints its own lines.
#   bash bench/run.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}

# ---- native assemble: mean time per nova_assemble call, 200 and 500 memories
echo "=== native assemble ($build/bench_assemble)"
"$build/bench_assemble" 2000

# ---- native detect: automaton build time and scan MB/s, 1 KB/64 KB/1 MB x 10/1,000/10,000
# keywords, then detect_run per call (build with -DCMAKE_BUILD_TYPE=Release, the default)
echo "=== native detect ($build/bench_detect)"
"$build/bench_detect"

# ---- wasm: module sizes, cold instantiate, per-call latency in Node and Deno vs native
echo "=== wasm (bench/wasm/run.sh; figures kept in bench/wasm/RESULTS.md)"
bash bench/wasm/run.sh

# ---- database: nova_prompt_context on 100,000 memories across 1,000 partnerships
echo "=== sql (bench/sql/run.sh; figures kept in bench/sql/RESULTS.md)"
bash bench/sql/run.sh

# ---- route: one RPC vs the seed's six queries, through supabase-js + the PostgREST stand-in
echo "=== route (bench/route/run.sh; figures kept in bench/route/RESULTS.md)"
bash bench/route/run.sh
