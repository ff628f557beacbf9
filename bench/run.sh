#!/usr/bin/env bash
# `make bench`: every benchmark, then the report. Figures, not tests: nothing is asserted.
#   bash bench/run.sh [BUILD_DIR]          (default build; make bench builds it and dist/ first)
#   NOVA_BENCH="native js" bash bench/run.sh    only the named parts (native js cold detect sql route)
# Writes bench/results/*.json (tables, plots and raw-*.json measurements), the SVG plots,
# bench/RESULTS.md and the summary in README.md (bench/report.mjs). bench/README.md says
# how a benchmark plugs in.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
parts=${NOVA_BENCH:-native js cold detect sql route}
want() { [[ " $parts " == *" $1 "* ]]; }
export DENO_NO_UPDATE_CHECK=1 NO_COLOR=1
DENO=node_modules/.bin/deno
COLD_RUNS=${COLD_RUNS:-15}
results=bench/results
mkdir -p "$results"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log() { printf 'bench: %s\n' "$*" >&2; }
load() { cut -d' ' -f1 /proc/loadavg; }
load_before=$(load)

node bench/requests.mjs "$tmp"
sizes=(S M L XL XXL)

if want native; then
  log "native: $build/bench_assemble (S..XXL, then the 0..2,000-memory sweep)"
  args=(); for s in "${sizes[@]}"; do args+=("$s=$tmp/$s.json"); done
  "$build/bench_assemble" --seconds 1 "${args[@]}" > "$tmp/native.jsonl"
  args=(); for f in "$tmp"/sweep-*.json; do n=$(basename "$f" .json); args+=("sweep-$((10#${n#sweep-}))=$f"); done
  "$build/bench_assemble" --seconds 0.3 "${args[@]}" > "$tmp/sweep.jsonl"
  if command -v valgrind >/dev/null; then
    # Instructions in nova_assemble: the first call of a process (which also builds the
    # built-in keyword lists' automaton, once per process) and each call after it
    # ((3 calls - 1 call) / 2); for S, M and L also the part of it inside cJSON's parser
    # ("parse:ID"), which the targets' note weighs.
    log "native: instructions per call (callgrind)"
    count() { # calls, request file[, function: default nova_assemble]
      valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect="${3:-nova_assemble}" \
        "$build/bench_assemble" --calls "$1" "$2" 2>&1 | sed -n 's/.*Collected : //p'
    }
    {
      echo '{'
      sep=''
      for f in "${sizes[@]/#/$tmp/}" "$tmp"/sweep-*.json; do
        f=${f%.json}.json
        n=$(basename "$f" .json); case $n in sweep-*) n="sweep-$((10#${n#sweep-}))" ;; esac
        one=$(count 1 "$f"); three=$(count 3 "$f")
        printf '%s"%s": %s, "first:%s": %s\n' "$sep" "$n" "$(( (three - one) / 2 ))" "$n" "$one"; sep=','
        case $n in S|M|L)
          one=$(count 1 "$f" cJSON_ParseWithLengthOpts); three=$(count 3 "$f" cJSON_ParseWithLengthOpts)
          printf ',"parse:%s": %s\n' "$n" "$(( (three - one) / 2 ))" ;;
        esac
      done
      echo '}'
    } > "$tmp/callgrind.json"
  fi
fi

if want js; then
  log "js: Node and Deno, engine and peers interleaved (bench/js/assemble.mjs)"
  node bench/js/assemble.mjs > "$tmp/node.json"
  "$DENO" run --no-lock --allow-read=. bench/js/assemble.mjs > "$tmp/deno.json"
fi

if want cold; then
  log "cold start: $COLD_RUNS fresh processes each (bench/js/cold.mjs)"
  for ((i = 0; i < COLD_RUNS; i++)); do node bench/js/cold.mjs; done > "$tmp/cold-node.jsonl"
  for ((i = 0; i < COLD_RUNS; i++)); do "$DENO" run --no-lock --allow-read=. bench/js/cold.mjs; done > "$tmp/cold-deno.jsonl"
  {
    echo '['; sep=''
    for f in dist/nova.mjs dist/nova.wasm dist/nova-wasi.wasm; do
      printf '%s{"file":"%s","bytes":%s,"gzip":%s}\n' "$sep" "$f" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"; sep=','
    done
    echo ']'
  } > "$tmp/sizes.json"
fi

node bench/summarize.mjs "$tmp" "$results"

# The detector's benchmarks: bench/detect/run.sh writes bench/results/detect.json in the
# format of bench/README.md (native scans and calls, callgrind, Node against its peers).
if want detect; then
  log "detect: bench/detect/run.sh"
  bash bench/detect/run.sh "$build"
fi

# The database (nova_prompt_context on 100,000 memories) and the route's data load (one RPC
# against the seed's six queries): their own reports, bench/sql/ and bench/route/RESULTS.md.
if want sql; then bash bench/sql/run.sh; fi
if want route; then bash bench/route/run.sh; fi

load_after=$(load)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
node -e '
  const [lb, la, cpu, cores, mem, os, commit, dirty, node, deno, emcc, clang, cc] = process.argv.slice(1);
  const loaded = Math.max(+lb, +la) > 1.5;
  const meta = { command: "make bench", date: new Date().toISOString().replace(/\.\d+Z$/, "Z"), commit, dirty: dirty !== "0",
    load_before: lb, load_after: la, loaded,
    machine: { cpu, cores: +cores, memory: mem, os },
    versions: { node, deno, emcc, clang, cc } };
  require("fs").writeFileSync(process.argv[process.argv.length - 1], JSON.stringify(meta, null, 1) + "\n");' \
  "$load_before" "$load_after" "$cpu" "$(nproc)" "$(free -g | awk '/^Mem:/{print $2 " GiB"}')" \
  "$(. /etc/os-release; echo "$PRETTY_NAME")" "$(git rev-parse --short HEAD)" "$(git status --porcelain -- . ':!bench' | grep -cv '^??' || true)" \
  "$(node --version)" "$("$DENO" --version | head -1 | cut -d' ' -f2)" "$(NODE_PATH=/usr/share/nodejs emcc --version 2>/dev/null | head -1 | grep -o '[0-9]*\.[0-9]*\.[0-9]*' | head -1)" \
  "$(clang-14 --version | head -1 | sed 's/.*version //')" "$(cc --version | head -1 | sed 's/.*) //')" "$results/meta.json"
node bench/report.mjs "$results"
log "wrote bench/RESULTS.md, $results/*.json and *.svg, README.md's summary"
