#!/usr/bin/env bash
# Benchmarks (figures, not tests). Each section prints its own lines.
#   bash bench/run.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}

# ---- native assemble: mean time per nova_assemble call, 200 and 500 memories
echo "=== native assemble ($build/bench_assemble)"
"$build/bench_assemble" 2000

# ---- wasm: module sizes, cold instantiate, per-call latency in Node and Deno vs native
echo "=== wasm (bench/wasm/run.sh; figures kept in bench/wasm/RESULTS.md)"
bash bench/wasm/run.sh
