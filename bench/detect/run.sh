#!/usr/bin/env bash
# The detector's benchmarks, the `detect` part of `make bench` (bench/run.sh calls this with
# its build folder). Figures, not tests: nothing is asserted.
#   bash bench/detect/run.sh [BUILD_DIR]      (default build; needs bench_detect and dist/)
# Measures, into bench/results/raw-detect-*.json:
#   native    BUILD_DIR/bench_detect --json: compiled-set build times, scan throughput at 0 (the built-in lists alone),
#             10 / 1,000 / 10,000 keywords on 1 KB / 64 KB / 1 MB (CPU time and wall clock),
#             per-call times of nova_detect, nova_detect_with, nova_detector_detect;
#   callgrind instructions per byte of one 1 MB scan at each keyword count (valgrind, when
#             installed: the same figure whatever the load);
#   node      bench/detect/node.mjs --json: the compiled detector through the package against
#             the includes loop and the regex alternation, same decision checked;
# then bench/detect/summarize.mjs writes bench/results/detect.json (tables and plots, for
# bench/report.mjs).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
results=bench/results
mkdir -p "$results"
log() { printf 'bench detect: %s\n' "$*" >&2; }

log "native: $build/bench_detect"
"$build/bench_detect" --json "$results/raw-detect-native.json" >&2

if command -v valgrind >/dev/null; then
  log "native: instructions per byte (callgrind, 1 MB scans)"
  {
    echo '{'
    sep=''
    for k in 0 10 1000 10000; do
      count=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect=detect_message \
        "$build/bench_detect" --scan "$k" 1048576 2>&1 | sed -n 's/.*Collected : //p')
      printf '%s"%s": %s\n' "$sep" "$k" "${count:-null}"; sep=','
    done
    echo '}'
  } > "$results/raw-detect-callgrind.json"
fi

log "node: bench/detect/node.mjs"
node bench/detect/node.mjs --json "$results/raw-detect-node.json" >&2

node bench/detect/summarize.mjs "$results"
