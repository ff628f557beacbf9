#!/usr/bin/env bash
# The main job on a sample request: assembles Nova's layered system prompt for a couple
# (Maya and her partner Sam: profiles, shared memories, insights, a chat summary) and
# shows the prompt, then the layer report.
#   bash scripts/demo.sh [REQUEST_JSON]   (default: tests/golden/partnership_full.request.json)
set -euo pipefail
cd "$(dirname "$0")/.."
req=${1:-tests/golden/partnership_full.request.json}
cli=${NOVA_CLI:-build/nova-prompt}
if [ ! -x "$cli" ]; then
  echo "demo: $cli is missing: run make" >&2
  exit 1
fi

echo "=== request: $req"
echo "=== message: $(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).message)' "$req")"
echo
echo "=== the prompt (nova-prompt assemble < $req)"
"$cli" assemble < "$req"
echo
echo "=== the layer report (nova-prompt assemble --json)"
"$cli" assemble --json < "$req" | node -e '
let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
  const r = JSON.parse(s);
  for (const l of r.layers)
    console.log(`${l.name.padEnd(13)}${(l.included ? "included" : "omitted").padEnd(10)}${String(l.chars).padStart(6)} chars  ${l.reason}`);
  const b = r.budget, d = r.detection;
  console.log(`budget: ${b.used_chars} of ${b.max_chars} chars used; dropped ${b.dropped.memories} memories, ${b.dropped.insights} insights, ${b.dropped.reference_items} reference items`);
  console.log(`detector: score ${d.score} (threshold ${d.threshold}) -> relationship layer ${d.relationship ? "on" : "off"}` +
    (d.matches.length ? `; matched ${d.matches.map((m) => `"${m.term}" (${m.tier})`).join(", ")}` : ""));
});'
