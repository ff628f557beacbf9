#!/usr/bin/env bash
# make fuzz: libFuzzer on the engine's entry points, for a chosen time (not part of make
# test; the replay of every finding is: tests/fuzz/run.sh).
#
#   make fuzz                                  # each target 60 s
#   make fuzz FUZZ_SECONDS=600                 # each target 10 minutes
#   make fuzz FUZZ_RUNS=10000000               # each target 10^7 executions (no time limit)
#   make fuzz FUZZ_RUNS=10000000 FUZZ_SECONDS=1800   # 10^7 or 30 minutes, whichever first
#   make fuzz FUZZ_TARGETS="detector memory"   # some of them
#   make fuzz FUZZ_LONG=1 FUZZ_RUNS=10000000   # a long run: see below
#
# Targets (one libFuzzer binary each, all with AddressSanitizer + UBSan):
#   assemble  nova_assemble and nova_detect (+ _with a compiled detector, _cached) on one request,
#             the harness's checks of tests/fuzz/fuzz_engine.c (structure-aware mutator)
#   memory    nova_memory_prompt and nova_memory_ops on one request (same harness)
#   detector  nova_detector_new, nova_detector_detect (tests/fuzz/fuzz_detector.c): the
#             first line a configuration, the rest the message
# One target at a time, on one core, under nice (the machine is shared). Corpora grow in
# build-fuzz/corpus/<target> (kept between runs); a finding is copied to
# tests/fuzz/crashers/<target>-<name> (replayed by make test from then on: fix it, keep it).
# FUZZ_LONG=1 (long runs): the harnesses without AddressSanitizer (UBSan and libFuzzer's
# own crash detection stay), the checks that call the engine again on one input in 16
# (-DNOVA_FUZZ_FAST), inputs up to 4 KB, and the library without compare tracing (edge
# coverage and the dictionary still guide it; the harness keeps it; tracing every compare
# of the detector's automaton build was 3/4 of a detector run's CPU): 20-70x the
# executions a second (tests/fuzz/RUNS.md, "The two builds' speeds"). Its findings are
# replayed under ASan by make test like any other.
# FUZZ_NICE: the fuzzer's nice level (default 10).
# Last lines: one per target, "fuzz-run TARGET: N executions in S s, cov C, ft F, corpus K,
# findings M"; build-fuzz/fuzz-report.json has the same.
set -uo pipefail
cd "$(dirname "$0")/../.."

seconds=${FUZZ_SECONDS:-}
long=${FUZZ_LONG:-}
runs=${FUZZ_RUNS:-}
targets=${FUZZ_TARGETS:-assemble memory detector}
build=${FUZZ_BUILD:-build-fuzz}
[ -n "$long" ] && build=${FUZZ_BUILD:-build-fuzz-long}
cc=${FUZZ_CC:-clang}

if ! command -v "$cc" >/dev/null; then
  echo "fuzz: $cc not found (apt-get install clang)"
  exit 1
fi
san=address,undefined max_len=65536 fast=()
config=(-DCMAKE_BUILD_TYPE=Debug -DNOVA_SANITIZE=ON "-DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link -gline-tables-only")
if [ -n "$long" ]; then
  san=undefined max_len=4096 fast=(-DNOVA_FUZZ_FAST)
  lib_flags="-fsanitize=fuzzer-no-link,undefined -fno-sanitize-coverage=trace-cmp"
  config=(-DCMAKE_BUILD_TYPE=Release "-DCMAKE_C_FLAGS=$lib_flags -fno-sanitize-recover=all -gline-tables-only")
fi
# A build folder made with other flags is configured again (its corpus is kept).
if [ "$(cat "$build/fuzz-flags" 2>/dev/null)" != "${config[*]}" ]; then
  rm -rf "$build/CMakeCache.txt" "$build/CMakeFiles"
  CC=$cc cmake -S . -B "$build" -DNOVA_BUILD_TESTS=OFF -DNOVA_BUILD_TOOLS=OFF "${config[@]}" \
    >/dev/null || exit 1
  echo "${config[*]}" >"$build/fuzz-flags"
fi
cmake --build "$build" -j"${JOBS:-2}" --target nova nova_cjson >/dev/null || exit 1

flags=(-g -O2 -fsanitize=fuzzer,$san -fno-sanitize-recover=all "${fast[@]}" -Iinclude -Ideps/cjson
       -Itests/c)
libs=("$build/libnova.a" "$build/libnova_cjson.a")
link() { # name source extra-flags...
  local name=$1 src=$2
  shift 2
  "$cc" "${flags[@]}" "$@" "$src" "${libs[@]}" -o "$build/fuzz_$name" || exit 1
}

report=()
for target in $targets; do
  case $target in
    assemble) link assemble tests/fuzz/fuzz_engine.c -DNOVA_FUZZ_ONLY_ASSEMBLE
      seeds=(tests/fuzz/seeds/*.json tests/golden/*.request.json); extra=(-dict=tests/fuzz/nova.dict) ;;
    memory) link memory tests/fuzz/fuzz_engine.c -DNOVA_FUZZ_ONLY_MEMORY
      seeds=(tests/fuzz/seeds/*.json tests/fuzz/seeds/memory/* tests/golden/*.request.json)
      extra=(-dict=tests/fuzz/nova.dict) ;;
    detector) link detector tests/fuzz/fuzz_detector.c
      seeds=(tests/fuzz/seeds/detector/*); extra=(-dict=tests/fuzz/nova.dict) ;;
    *) echo "fuzz: unknown target $target (assemble, memory, detector)"; exit 2 ;;
  esac
  corpus="$build/corpus/$target" findings="$build/findings/$target"
  mkdir -p "$corpus" "$findings"
  for s in "${seeds[@]}"; do [ -f "$s" ] && cp -n "$s" "$corpus/seed-$(basename "$s")"; done
  limit=()
  [ -n "$runs" ] && limit+=(-runs="$runs")
  [ -n "$seconds" ] || [ -z "$runs" ] && limit+=(-max_total_time="${seconds:-60}")
  log="$build/fuzz-$target.log"
  echo "=== fuzz $target: ${limit[*]}, log $log"
  start=$(date +%s)
  nice -n "${FUZZ_NICE:-10}" "$build/fuzz_$target" "${extra[@]}" "${limit[@]}" -max_len=$max_len -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/" "$corpus" >"$log" 2>&1
  status=$?
  took=$(( $(date +%s) - start ))
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  corp=$(ls "$corpus" | wc -l)
  found=0
  for f in "$findings"/*; do
    [ -f "$f" ] || continue
    found=$((found + 1))
    cp "$f" "tests/fuzz/crashers/$target-$(basename "$f")"
    echo "  finding: tests/fuzz/crashers/$target-$(basename "$f")"
    rm -f "$f"
  done
  if [ $status -ne 0 ] && [ $found -eq 0 ]; then
    echo "  the fuzzer stopped with status $status:"; tail -20 "$log" | sed 's/^/  /'
  fi
  line="fuzz-run $target: ${execs:-0} executions in $took s, cov ${cov:-?}, ft ${ft:-?}, corpus $corp, findings $found"
  echo "$line"
  report+=("{\"target\": \"$target\", \"executions\": ${execs:-0}, \"seconds\": $took, \"cov\": ${cov:-null}, \"ft\": ${ft:-null}, \"corpus\": $corp, \"findings\": $found}")
done
{
  echo "{\"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\", \"clang\": \"$("$cc" --version | head -1)\", \"targets\": ["
  (IFS=,; echo "  ${report[*]}")
  echo "]}"
} >"$build/fuzz-report.json"
