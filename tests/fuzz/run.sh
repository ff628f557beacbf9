#!/usr/bin/env bash
# The fuzz replay suite: runs the fuzz harness's checks (tests/fuzz/fuzz_engine.c built
# with -DNOVA_FUZZ_REPLAY, no libFuzzer) on every saved crasher (tests/fuzz/crashers: open
# findings fail until fixed), every hand-written seed, every golden request (assemble and
# memory prompt) and every request of the memory-ops corpus (tests/memory/corpus.mjs).
# Usage: tests/fuzz/run.sh [BUILD_DIR]
#   BUILD_DIR holds libnova.a and libnova_cjson.a (default build-asan when it is built,
#   else a private sanitizer build in ${TMPDIR:-/tmp}/nova-fuzz-replay). A sanitizer
#   build (NOVA_SANITIZE=ON in its CMakeCache.txt) links the harness with the same flags.
# Last line: "fuzz: N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.."

fail_early() {
  echo "$1"
  echo "fuzz: 0 passed, 1 failed"
  exit 1
}

build=${1:-}
if [ -z "$build" ] && [ -f build-asan/libnova.a ] && [ -f build-asan/libnova_cjson.a ]; then
  build=build-asan
fi
if [ -z "$build" ]; then
  build=${TMPDIR:-/tmp}/nova-fuzz-replay
  cc=$(command -v clang || command -v cc)
  san=OFF
  [[ "$cc" == *clang* ]] && san=ON
  if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=$cc cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DNOVA_SANITIZE=$san \
      -DNOVA_BUILD_TESTS=OFF -DNOVA_BUILD_TOOLS=OFF >/dev/null || fail_early "cmake configure failed"
  fi
  cmake --build "$build" -j2 --target nova nova_cjson >/dev/null || fail_early "engine build failed"
fi
[ -f "$build/libnova.a" ] || fail_early "no $build/libnova.a"

cc=$(sed -nE 's/^CMAKE_C_COMPILER:[A-Z]+=(.*)$/\1/p' "$build/CMakeCache.txt")
cc=${cc:-cc}
flags=()
if grep -q '^NOVA_SANITIZE:BOOL=ON' "$build/CMakeCache.txt"; then
  flags=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
fi
bin="$build/fuzz_replay" detector_bin="$build/fuzz_detector_replay"
for pair in "$bin:tests/fuzz/fuzz_engine.c" "$detector_bin:tests/fuzz/fuzz_detector.c"; do
  "$cc" -std=c11 -g -O1 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla \
    -DNOVA_FUZZ_REPLAY "${flags[@]}" -Iinclude -Ideps/cjson -Itests/c -Itests/fuzz "${pair#*:}" \
    "$build/libnova.a" "$build/libnova_cjson.a" -o "${pair%%:*}" || fail_early "harness build failed"
done

shopt -s nullglob
ops=$(mktemp -d)
trap 'rm -rf "$ops"' EXIT
node tests/memory/corpus.mjs --write "$ops" >/dev/null || fail_early "tests/memory/corpus.mjs --write failed"
# One process per input, so a sanitizer abort on one input does not hide the others.
passed=0 failed=0
# Findings of make fuzz's detector target (tests/fuzz/crashers/detector-*) and the
# detector seeds go through the detector harness, all else through the engine's.
for input in tests/fuzz/crashers/* tests/fuzz/seeds/* tests/fuzz/seeds/detector/* \
    tests/golden/*.request.json tests/golden/memory_prompt/*.request.json "$ops"/*.request.json; do
  [ -f "$input" ] || continue
  harness=$bin
  case $input in tests/fuzz/crashers/detector-*|tests/fuzz/seeds/detector/*) harness=$detector_bin ;; esac
  out=$(ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} "$harness" "$input" 2>&1)
  if [ $? -eq 0 ] && grep -q '^fuzz: 1 passed, 0 failed$' <<<"$out"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $input"
    grep -E '^FAIL |ERROR: |SUMMARY: |runtime error|^    #[0-9] ' <<<"$out" | head -12 | sed 's/^/  /'
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
