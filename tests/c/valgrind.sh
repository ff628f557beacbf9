#!/usr/bin/env bash
# valgrind over the CLI: `nova-prompt assemble --json` (and detect) on every golden request
# (tests/golden/*.request.json), `memory-prompt --json` on every memory prompt fixture
# (tests/golden/memory_prompt/), `memory-ops --json` on every request of the memory-ops
# corpus (tests/memory/corpus.mjs writes them), plus bad inputs that exercise the error paths. A run
# passes when valgrind reports no memory error and no definite/indirect leak, and the CLI
# exits as expected (0 for golden requests, 2 for bad ones).
# Usage: tests/c/valgrind.sh [BUILD_DIR]   (default build). Last line:
#   valgrind: N passed, N failed
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
cli="$build/nova-prompt"
passed=0 failed=0

if ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed"
  echo "valgrind: 0 passed, 1 failed"
  exit 1
fi
if [ ! -x "$cli" ]; then
  echo "$cli is missing: build first (make native)"
  echo "valgrind: 0 passed, 1 failed"
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run NAME WANT_STATUS INPUT_FILE ARGS...
run() {
  local name=$1 want=$2 input=$3
  shift 3
  local log="$tmp/log"
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --log-file="$log" "$cli" "$@" <"$input" >/dev/null 2>"$tmp/stderr"
  local status=$?
  if [ "$status" -eq "$want" ] && [ ! -s "$log" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $name ($*): exit $status, want $want"
    head -30 "$log"
    head -3 "$tmp/stderr"
  fi
}

shopt -s nullglob
golden=(tests/golden/*.request.json)
if [ ${#golden[@]} -eq 0 ]; then
  echo "no golden requests in tests/golden/"
  failed=$((failed + 1))
fi
for req in "${golden[@]}"; do
  run "$(basename "$req")" 0 "$req" assemble --json
  run "$(basename "$req")" 0 "$req" detect
done

for req in tests/golden/memory_prompt/*.request.json; do
  run "memory_prompt/$(basename "$req")" 0 "$req" memory-prompt --json
  run "memory_prompt/$(basename "$req")" 0 "$req" memory-prompt
done
mkdir -p "$tmp/ops"
if node tests/memory/corpus.mjs --write "$tmp/ops" >/dev/null; then
  for req in "$tmp"/ops/*.request.json; do
    want=0
    [ -e "${req%.request.json}.error" ] && want=2
    run "memory/$(basename "$req")" "$want" "$req" memory-ops --json
  done
else
  echo "FAIL tests/memory/corpus.mjs --write"
  failed=$((failed + 1))
fi

# Bad inputs: each must fail cleanly (exit 2) with no leak on the error path.
uid=11111111-1111-4111-8111-111111111111
printf '' >"$tmp/empty.json"
printf '{"context":{"user_id":"%s"},"message":"hi"' "$uid" >"$tmp/malformed.json"
printf '{"context":{"user_id":7},"message":""}' >"$tmp/wrong_type.json"
printf '{"context":{"user_id":"%s","user":{"name":"a\\u0000b"}},"message":""}' "$uid" >"$tmp/nul.json"
head -c 10000 /dev/zero | tr '\0' '[' >"$tmp/deep.json"
{ printf '{"context":{"user_id":"%s","memories":[{"id":"%s","category":"general","content":"x",' "$uid" "$uid"
  printf '"confidence":0.5,"updated_at":"2026-01-01T00:00:00Z"},{"id":"%s","category":"nope"}]},' "$uid"
  printf '"message":""}'; } >"$tmp/late_error.json"
{ printf '{"context":{"user_id":"%s"},"message":"' "$uid"; head -c $((9 * 1024 * 1024)) /dev/zero | tr '\0' 'x'; printf '"}'; } >"$tmp/huge.json"
for bad in empty malformed wrong_type nul deep late_error huge; do
  run "$bad" 2 "$tmp/$bad.json" assemble --json
done
for bad in empty malformed late_error; do
  run "$bad" 2 "$tmp/$bad.json" memory-prompt --json
  run "$bad" 2 "$tmp/$bad.json" memory-ops --json
done

# A compiled detector over many messages (detect-many), and a configuration it refuses.
printf '{"partner_names":["Sam"],"custom_keywords":{"medium":["date night","mum"]},"reference_name":"Zo\u00eb"}' >"$tmp/config.json"
printf '{"partner_names":["Sam",3]}' >"$tmp/bad_config.json"
printf 'Sam forgot\n\nzoe and my mum\n\xff\xfe date  night\n' >"$tmp/messages.txt"
run detect-many 0 "$tmp/messages.txt" detect-many "$tmp/config.json" --json
run detect-many-bad-config 2 "$tmp/messages.txt" detect-many "$tmp/bad_config.json" --json

echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
