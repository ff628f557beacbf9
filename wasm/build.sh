#!/usr/bin/env bash
# Builds the two WebAssembly modules of nova-layers from the sources CMakeLists.txt lists
# (NOVA_SOURCES + the generated texts.c), so every target compiles the same files:
#
#   dist/nova.mjs        Emscripten ES module with the wasm embedded (wasm/embed.mjs): what
#                        js/index.js loads in Node, Deno and browsers
#   dist/nova-glue.mjs   the same module without the embedded bytes: what js/edge.js loads,
#                        always with the precompiled dist/nova.wasm
#   dist/nova.wasm       the same wasm bytes, bare: loadNova({ module }) for runtimes that
#                        refuse to compile wasm from bytes (Vercel Edge, Cloudflare Workers)
#   dist/nova-wasi.wasm  clang-14 + wasi-libc reactor exporting the same C API (js/wasi.js)
#
# Incremental: CMake recompiles only changed sources; a module is relinked only when one of
# its inputs is newer than it. Reproducible: the same sources give the same bytes.
# Usage: wasm/build.sh [emscripten|wasi]...   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's emcc needs Node to find acorn & co. there (TOOLCHAIN.md).
export NODE_PATH=/usr/share/nodejs
JOBS=${JOBS:-2}
EM_BUILD=${NOVA_EM_BUILD:-build-emscripten}
WASI_BUILD=${NOVA_WASI_BUILD:-build-wasi}
DIST=${NOVA_DIST:-dist}
mkdir -p "$DIST"

log() { printf 'wasm: %s\n' "$*" >&2; }

# The exported C API, from wasm/exports.txt (comments and blank lines skipped).
mapfile -t EXPORTS < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' wasm/exports.txt)

# cJSON's printf/scanf/strtod calls go to src/fmt.c (wasm/cjson_libc.c), so libc's stdio
# formatting, floatscan and long double soft-float stay out of the modules.
WRAP=(-Wl,--wrap=sprintf -Wl,--wrap=sscanf -Wl,--wrap=strtod)

# -Oz for every object; NDEBUG as in the native Release build. Measured, one 50-memory
# assemble in Node (instructions, callgrind on V8's TurboFan code; bench/README.md):
# Emscripten's -Oz libc copies and fills memory a byte at a time, and -mbulk-memory turns
# our memcpy/memset into memory.copy/memory.fill: 5.28M -> 3.95M instructions, +0 bytes
# gzipped. Linking at -O2 instead (its word-wise libc) gave -23% for +2.9 KB of gzip
# (glue and wasm), -O2 for the hot files only -2% for +1.1 KB, all of -O2 -30% for
# +10 KB: not kept, dist/nova.mjs must stay within 60 KB gzip. WASI's libc copies by
# words already: bulk memory changed nothing there (3.64M -> 3.59M), so it is left out;
# WASI at -O2 gave -10% (2.21M -> 2.00M, after the detector's automaton became
# once-per-process) for +35% bytes (102 KB -> 138 KB): not kept either.
# -flto (Emscripten only, objects and link): the link inlines and drops across files and
# libraries: nova.wasm 107,713 -> 106,679 B, dist/nova.mjs gzip 60,209 -> 59,734 B (at
# 24125be), the same speed within noise. clang-14's wasm-ld cannot link the WASI build
# under LTO (wasm/malloc.c's calloc is reported undefined), so WASI stays without it.
# With -flto, linking at -O2 instead (objects still -Oz) measured no clear gain (assembleJSON
# on M in Node: 123.5 / 126.0 us at -Oz, 130.2 / 114.3 us at -O2, two runs each, at b8b2c02)
# for +758 B of wasm gzip and +2.3 KB of glue gzip (-O2 leaves the glue unminified).
CMAKE_COMMON=(-DNOVA_BUILD_TESTS=OFF -DNOVA_BUILD_TOOLS=OFF -DCMAKE_BUILD_TYPE=Release
              "-DCMAKE_C_FLAGS_RELEASE=-Oz -DNDEBUG")
EM_CFLAGS=(-Oz -flto -mbulk-memory -DNDEBUG)

# True when $1 is missing or older than any of the remaining arguments.
stale() {
  local out=$1; shift
  [ -f "$out" ] || return 0
  local f
  for f in "$@"; do [ "$f" -nt "$out" ] && return 0; done
  return 1
}

build_emscripten() {
  if [ ! -f "$EM_BUILD/CMakeCache.txt" ]; then
    log "configuring $EM_BUILD (emcmake)"
    emcmake cmake -S . -B "$EM_BUILD" "${CMAKE_COMMON[@]}" "-DCMAKE_C_FLAGS_RELEASE=${EM_CFLAGS[*]}" >/dev/null
  fi
  # A build folder configured with other flags (an older build.sh): reconfigure.
  if ! grep -qx "CMAKE_C_FLAGS_RELEASE:STRING=${EM_CFLAGS[*]}" "$EM_BUILD/CMakeCache.txt"; then
    cmake "$EM_BUILD" "-DCMAKE_C_FLAGS_RELEASE=${EM_CFLAGS[*]}" >/dev/null
  fi
  # A build folder from before a target was added: regenerate first, or make does not know it.
  if stale "$EM_BUILD/Makefile" CMakeLists.txt; then cmake "$EM_BUILD" >/dev/null; fi
  cmake --build "$EM_BUILD" -j"$JOBS" --target nova nova_cjson nova_wasm_libc nova_wasm_malloc \
    >/dev/null
  local libs=("$EM_BUILD/libnova.a" "$EM_BUILD/libnova_cjson.a" "$EM_BUILD/libnova_wasm_libc.a"
              "$EM_BUILD/libnova_wasm_malloc.a")
  if ! stale "$DIST/nova.mjs" "${libs[@]}" wasm/build.sh wasm/exports.txt wasm/pre.js \
         wasm/embed.mjs wasm/latin1.wat wasm/post.js \
       && ! stale "$DIST/nova-glue.mjs" "$DIST/nova.mjs" \
       && ! stale "$DIST/nova.wasm" "${libs[@]}" wasm/build.sh wasm/exports.txt; then
    log "dist/nova.mjs, dist/nova-glue.mjs, dist/nova.wasm up to date"
    return
  fi
  local fns
  fns=$(printf '"_%s",' "${EXPORTS[@]}")
  # ENVIRONMENT=web (not node): with EXPORT_ES6 3.1.6's node branch uses __dirname and
  # breaks in Node 20 and Deno; the web branch runs everywhere since the wasm is embedded.
  # DYNAMIC_EXECUTION=0: no eval/new Function, which edge runtimes and strict CSPs forbid.
  # FILESYSTEM=0: the engine does no I/O. INCOMING_MODULE_JS_API: the one hook we pass.
  # MALLOC=none: wasm/malloc.c (1 KB) instead of emmalloc (2.5 KB). WRAP and the two
  # Emscripten spellings of sprintf (siprintf, __small_sprintf): see wasm/cjson_libc.c.
  # 1 MiB stack (cJSON nests at most 1000 deep) and 2 MiB to start: memory grows on demand,
  # so a leak shows as growth (tests/js/heap.test.js). pre.js: see there (cold start);
  # post.js: Module.memory.
  local flags=(-Oz -flto -mbulk-memory -sMALLOC=none -sMODULARIZE -sEXPORT_ES6 -sEXPORT_NAME=createNovaModule
    -sENVIRONMENT=web -sALLOW_MEMORY_GROWTH -sFILESYSTEM=0 -sDYNAMIC_EXECUTION=0
    -sINCOMING_MODULE_JS_API=instantiateWasm -sTOTAL_STACK=1048576 -sINITIAL_MEMORY=2097152
    --pre-js wasm/pre.js --post-js wasm/post.js "${WRAP[@]}" -Wl,--wrap=siprintf -Wl,--wrap=__small_sprintf
    "-sEXPORTED_FUNCTIONS=[${fns%,}]" "-sEXPORTED_RUNTIME_METHODS=[]")
  local tmp
  tmp=$(mktemp -d)
  log "linking dist/nova.mjs and dist/nova.wasm (emcc)"
  mkdir -p "$tmp/single" "$tmp/bare"
  emcc "${libs[@]}" "${flags[@]}" -sSINGLE_FILE -o "$tmp/single/nova.mjs"
  emcc "${libs[@]}" "${flags[@]}" -o "$tmp/bare/nova.mjs"
  # The wasm goes into nova.mjs as a string of one character per byte, decoded by a tiny
  # wasm module (wasm/pre.js says why); embed.mjs also checks nova.mjs and nova.wasm hold
  # the same bytes (the glue's minified import names must match under loadNova({ module })).
  wat2wasm wasm/latin1.wat -o "$tmp/latin1.wasm"
  node wasm/embed.mjs "$tmp/single/nova.mjs" "$tmp/bare/nova.wasm" "$tmp/latin1.wasm" \
    "$tmp/single/nova.mjs" "$tmp/single/nova-glue.mjs"
  mv "$tmp/single/nova.mjs" "$DIST/nova.mjs"
  mv "$tmp/single/nova-glue.mjs" "$DIST/nova-glue.mjs"
  mv "$tmp/bare/nova.wasm" "$DIST/nova.wasm"
  rm -rf "$tmp"
}

build_wasi() {
  if [ ! -f "$WASI_BUILD/CMakeCache.txt" ]; then
    log "configuring $WASI_BUILD (clang-14 --target=wasm32-wasi)"
    cmake -S . -B "$WASI_BUILD" -DCMAKE_TOOLCHAIN_FILE=wasm/wasi-toolchain.cmake \
      "${CMAKE_COMMON[@]}" >/dev/null
  fi
  if stale "$WASI_BUILD/Makefile" CMakeLists.txt; then cmake "$WASI_BUILD" >/dev/null; fi
  cmake --build "$WASI_BUILD" -j"$JOBS" --target nova nova_cjson nova_wasm_libc nova_wasm_malloc \
    >/dev/null
  # wasm/malloc.c before libc: its malloc/free/realloc/calloc keep dlmalloc out.
  local libs=("$WASI_BUILD/libnova.a" "$WASI_BUILD/libnova_cjson.a" "$WASI_BUILD/libnova_wasm_libc.a"
              "$WASI_BUILD/libnova_wasm_malloc.a")
  if ! stale "$DIST/nova-wasi.wasm" "${libs[@]}" wasm/build.sh wasm/exports.txt; then
    log "dist/nova-wasi.wasm up to date"
    return
  fi
  local ex=() name
  # -u pulls the function out of the archive, --export names it in the module.
  for name in "${EXPORTS[@]}"; do ex+=("-Wl,-u,$name" "-Wl,--export=$name"); done
  log "linking dist/nova-wasi.wasm (clang-14, reactor)"
  # Reactor: no main; the host calls _initialize once, then the exports.
  # The same 1 MiB stack as the Emscripten build; stack-first makes an overflow trap
  # instead of overwriting static data.
  clang-14 --target=wasm32-wasi -Oz -mexec-model=reactor "${libs[@]}" "${ex[@]}" "${WRAP[@]}" \
    -Wl,--gc-sections -Wl,--strip-all -Wl,-z,stack-size=1048576 -Wl,--stack-first \
    -o "$DIST/nova-wasi.wasm.tmp"
  mv "$DIST/nova-wasi.wasm.tmp" "$DIST/nova-wasi.wasm"
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(emscripten wasi)
for t in "${targets[@]}"; do
  case $t in
    emscripten) build_emscripten ;;
    wasi) build_wasi ;;
    *) echo "wasm/build.sh: unknown target $t (emscripten|wasi)" >&2; exit 2 ;;
  esac
done
