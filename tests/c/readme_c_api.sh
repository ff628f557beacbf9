#!/usr/bin/env bash
# README "C API": its example program, built and linked with the very command the README
# shows (read from it), against BUILD_DIR's libraries, then run on its own request.
# Prints "cases: N passed, N failed" (tests/c/run.sh totals it with the ctest programs).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "readme_c_api: $*"; failed=$((failed + 1)); }

# The section's first ```c block and the `cc ...` line of its ```sh blocks.
section=$(awk '/^## C API/{on=1; next} on && /^## /{exit} on' "$root/README.md")
awk '/^```c$/{on=1; next} on && /^```$/{exit} on' <<<"$section" >"$tmp/main.c"
link=$(awk '/^```sh$/{on=1; next} on && /^```$/{on=0} on && /^cc /' <<<"$section" | head -1 | sed 's/[[:space:]]*#.*$//')

if ! grep -q 'int main' "$tmp/main.c"; then bad 'README "C API" has no ```c block with a main()'
elif [ -z "$link" ]; then bad 'README "C API" shows no `cc ...` line in a ```sh block'
else
  # The README's paths are the checkout's (include/, build/): laid out here as links.
  ln -s "$root/include" "$tmp/include"
  ln -s "$build" "$tmp/build"
  if (cd "$tmp" && eval "$link") >"$tmp/cc.log" 2>&1; then ok; else bad "the README's link line failed: $link"; head -20 "$tmp/cc.log"; fi
  exe=$(grep -oE -- '-o [^ ]+' <<<"$link" | awk '{print $2}')
  if [ -x "$tmp/${exe:-a.out}" ] && out=$(cd "$tmp" && "./${exe:-a.out}") && grep -q '"prompt"' <<<"$out"; then ok
  else bad "the example program did not print a prompt result: ${out:-}"; fi
fi
echo "cases: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
