#!/usr/bin/env bash
# Package suite: `npm pack` holds only what users need; the tarball installs in a scratch
# folder (offline: the package has no dependencies) and imports from Node and from Deno.
# Last line: "package: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export DENO_NO_UPDATE_CHECK=1 NO_COLOR=1
DENO=$ROOT/node_modules/.bin/deno

passed=0 failed=0
check() { # name, command...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name"; fi
}
if ! bash wasm/build.sh || ! node scripts/preview-examples.mjs; then
  echo "package: 0 passed, 1 failed"
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. Content: exactly the runtime files, types, the schema, README/LICENSE, package.json;
# the CLI, the preview page and its examples; the migrations and the Supabase bootstrap
# (the CLI's demo applies them).
npm pack --dry-run --json --ignore-scripts 2>/dev/null > "$tmp/pack.json"
content_ok() {
  node -e '
    const files = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].files.map((f) => f.path).sort();
    const allowed = [/^package\.json$/, /^README\.md$/, /^LICENSE(\.md|\.txt)?$/i, /^js\/[a-z]+\.js$/,
      /^js\/[a-z]+\.d\.ts$/, /^dist\/nova(-glue)?\.mjs$/, /^dist\/nova\.wasm$/, /^dist\/nova-wasi\.wasm$/,
      /^schema\/nova-contract\.schema\.json$/, /^js\/cli\/[a-z-]+\.js$/, /^js\/preview\/[a-z-]+\.(js|html|css)$/,
      /^dist\/preview-examples\.js$/, /^migrations\/\d+_[a-z_]+\.sql$/, /^tests\/sql\/bootstrap\.sql$/];
    const required = ["package.json", "README.md", "js/index.js", "js/index.d.ts", "js/edge.js",
      "js/load.js", "js/engine.js", "js/engine.d.ts", "js/types.js", "js/types.d.ts", "js/wasi.js",
      "js/wasi.d.ts", "js/supabase.js", "js/supabase.d.ts", "js/wasm.d.ts", "dist/nova.mjs",
      "dist/nova-glue.mjs", "dist/nova.wasm", "dist/nova-wasi.wasm", "schema/nova-contract.schema.json",
      "js/cli/nova-layers.js", "js/preview/index.html", "js/preview/preview.js", "js/preview/preview.css",
      "dist/preview-examples.js", "tests/sql/bootstrap.sql",
      ...require("fs").readdirSync("migrations").filter((f) => f.endsWith(".sql")).map((f) => "migrations/" + f)];
    const extra = files.filter((f) => !allowed.some((re) => re.test(f)));
    const missing = required.filter((f) => !files.includes(f));
    console.log("packed:", files.join(" "));
    if (extra.length) console.log("not for users:", extra.join(" "));
    if (missing.length) console.log("missing:", missing.join(" "));
    process.exit(extra.length || missing.length ? 1 : 0);' "$tmp/pack.json"
}
check "npm pack content" content_ok

# Every file package.json points at is in the tarball.
targets_ok() {
  node -e '
    const fs = require("fs");
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
    const files = JSON.parse(fs.readFileSync(process.argv[1], "utf8"))[0].files.map((f) => "./" + f.path);
    const targets = [pkg.main, pkg.types, ...Object.values(pkg.bin ?? {})];
    for (const v of Object.values(pkg.exports)) targets.push(...(typeof v === "string" ? [v] : Object.values(v)));
    // Every subpath has types (the first condition), and "." has one per runtime family.
    const untyped = Object.entries(pkg.exports).filter(([k, v]) => !/\.json$/.test(k) && (typeof v === "string" || Object.keys(v)[0] !== "types"));
    if (untyped.length) { console.log("exports without types first:", untyped.map(([k]) => k).join(" ")); process.exit(1); }
    const conds = Object.keys(pkg.exports["."]).join(",");
    if (conds !== "types,deno,workerd,edge-light,browser,node,default") { console.log("conditions of .:", conds); process.exit(1); }
    const missing = targets.filter((t) => !files.includes(t));
    if (missing.length) { console.log("exports point at missing files:", missing.join(" ")); process.exit(1); }' "$tmp/pack.json"
}
check "exports/main/types point at packed files" targets_ok

# The module every JS runtime loads stays within its size budget (wasm/budget.mjs), measured
# as bench/run.sh measures it: gzip -9.
budget_ok() {
  local gz max
  gz=$(gzip -9 -c dist/nova.mjs | wc -c)
  max=$(node --input-type=module -e 'import { NOVA_MJS_GZIP_MAX } from "./wasm/budget.mjs"; console.log(NOVA_MJS_GZIP_MAX)')
  echo "dist/nova.mjs: $gz B gzip -9, budget $max B"
  [ "$gz" -le "$max" ]
}
check "dist/nova.mjs within its gzip budget" budget_ok

# 2. Install the tarball in a scratch project.
npm pack --silent --ignore-scripts --pack-destination "$tmp" >/dev/null 2>&1
tarball=$(ls "$tmp"/nova-layers-*.tgz 2>/dev/null | head -1)
app=$tmp/app
mkdir -p "$app"
cat > "$app/package.json" <<'JSON'
{ "name": "scratch-app", "version": "1.0.0", "private": true, "type": "module" }
JSON
install_ok() {
  [ -n "$tarball" ] && (cd "$app" && npm install --offline --no-audit --no-fund --loglevel=error "$tarball" >/dev/null)
}
check "npm install <tarball> (offline)" install_ok

# The reference result: the repo's own loader on the same request.
node --input-type=module -e '
  import { small } from "./tests/js/requests.js";
  import { loadNova } from "./js/index.js";
  const n = await loadNova();
  process.stdout.write(n.assembleJSON(JSON.stringify(small())));' > "$tmp/expected.json"
node --input-type=module -e '
  import { small } from "./tests/js/requests.js";
  process.stdout.write(JSON.stringify(small()));' > "$app/request.json"

cat > "$app/use.mjs" <<'JS'
// What a user writes: bare specifiers only.
import { readFile } from 'node:fs/promises';
import { loadNova, NovaError } from 'nova-layers';
import { loadNovaWasi } from 'nova-layers/wasi';
import { buildSystemPrompt } from 'nova-layers/supabase';

const text = await readFile(new URL('./request.json', import.meta.url), 'utf8');
const nova = await loadNova();
const out = nova.assembleJSON(text);
const wasmUrl = import.meta.resolve('nova-layers/nova.wasm');
const module = await WebAssembly.compile(await readFile(new URL(wasmUrl)));
if ((await loadNova({ module })).assembleJSON(text) !== out) throw new Error('module path differs');
if ((await loadNovaWasi()).assembleJSON(text) !== out) throw new Error('wasi differs');
const req = JSON.parse(text);
const admin = { rpc: async (fn, args) => ({ data: fn === 'nova_prompt_context' && args.p_user_id === req.context.user_id ? req.context : null, error: null }) };
const built = await buildSystemPrompt({ nova, admin, userId: req.context.user_id, message: req.message,
  chatMemorySummary: req.context.chat_memory_summary, options: req.options });
if (built.prompt !== JSON.parse(out).prompt) throw new Error('supabase glue');
try { nova.assemble({}); throw new Error('no NovaError'); } catch (e) { if (!(e instanceof NovaError)) throw e; }
process.stdout.write(out);
JS
node_ok() { (cd "$app" && node use.mjs > out-node.json) && cmp -s "$app/out-node.json" "$tmp/expected.json"; }
check "import from Node (., ./wasi, ./supabase, ./nova.wasm)" node_ok

# Deno reads the same node_modules (package.json in the folder): bare and npm: specifiers.
# deno_same SCRIPT: runs it in the app folder; its output must be the expected result.
deno_same() {
  (cd "$app" && "$DENO" run --no-lock --quiet --allow-read=. "$1" > "out-$1.json") &&
    cmp -s "$app/out-$1.json" "$tmp/expected.json"
}
check "import from Deno (bare specifiers)" deno_same use.mjs

cat > "$app/npm_spec.js" <<'JS'
import { loadNova } from 'npm:nova-layers';
const nova = await loadNova();
Deno.stdout.writeSync(new TextEncoder().encode(nova.assembleJSON(await Deno.readTextFile('request.json'))));
JS
check "import from Deno (npm: specifier)" deno_same npm_spec.js

cat > "$app/typed.ts" <<'TS'
import { type AssembleResult, loadNova, NovaError } from 'nova-layers';
import { loadNovaWasi } from 'nova-layers/wasi';
import { buildSystemPrompt, type MemoryUpdateReport } from 'nova-layers/supabase';
const nova = await loadNova();
const r: AssembleResult = nova.assemble({ context: { user_id: 'x' }, message: 'hi' });
const e: NovaError = new NovaError('invalid_json', 'm', '');
await loadNovaWasi({ bytes: new Uint8Array() });
const built = await buildSystemPrompt({ nova, admin: { rpc: async () => ({ data: {}, error: null }) }, userId: 'id', message: 'm' });
const report: MemoryUpdateReport = { applied: 0, rejected: [] };
console.log(r.prompt, e.code, built.context.user_id, report.applied);
TS
deno_check_ok() { (cd "$app" && "$DENO" check --no-lock --quiet typed.ts); }
check "deno check against the installed package types" deno_check_ok

cat > "$app/tsconfig.json" <<'JSON'
{ "compilerOptions": { "strict": true, "noEmit": true, "target": "es2022", "module": "nodenext",
  "moduleResolution": "nodenext", "lib": ["es2022", "dom"], "types": [], "skipLibCheck": false },
  "files": ["typed.ts", "typed-wasm.ts"] }
JSON
# The bare module's subpath has types too (what a Worker's `import wasm from …` sees).
cat > "$app/typed-wasm.ts" <<'TS'
import wasm from 'nova-layers/nova.wasm';
import { loadNova } from 'nova-layers';
export const fromModule = loadNova({ module: wasm });
TS
tsc_ok() { (cd "$app" && "$ROOT/node_modules/.bin/tsc" -p tsconfig.json); }
check "tsc --noEmit against the installed package types" tsc_ok

# 3. The command line from the installed package: assemble needs nothing else; demo and
# --database-url name the optional peer dependency they lack; preview serves the page.
bin_assemble_ok() {
  (cd "$app" && npx --no-install nova-layers assemble request.json > out-bin.txt) &&
    node -e 'const fs = require("fs"); const want = JSON.parse(fs.readFileSync(process.argv[1], "utf8")).prompt;
      process.exit(fs.readFileSync(process.argv[2], "utf8") === want ? 0 : 1)' "$tmp/expected.json" "$app/out-bin.txt"
}
check "npx nova-layers assemble FILE (no optional dependency installed)" bin_assemble_ok
bin_unreadable_ok() { # a request file that is not there: one line, exit 74 (as nova-prompt)
  local out status
  out=$(cd "$app" && npx --no-install nova-layers assemble nope.json 2>&1 </dev/null); status=$?
  [ "$status" = 74 ] && [ "$out" = "nova-layers: cannot read nope.json: no such file" ] || { echo "exit $status: $out"; return 1; }
}
check "npx nova-layers assemble nope.json: exit 74, one line, no stack trace" bin_unreadable_ok
bin_missing_ok() { # args..., then the package the error must name
  local want=${*: -1} out status
  out=$(cd "$app" && npx --no-install nova-layers "${@:1:$#-1}" 2>&1 </dev/null); status=$?
  [ "$status" = 1 ] && grep -q "needs the npm package $want, which is not installed" <<<"$out" &&
    grep -q "npm install $want" <<<"$out" &&
    ! grep -q "npx -p" <<<"$out" || { echo "exit $status: $out"; return 1; } # npx -p cannot help an installed copy
}
check "npx nova-layers demo without @electric-sql/pglite: exit 1, names it" bin_missing_ok demo --data-dir "$tmp/data" @electric-sql/pglite
check "npx nova-layers demo --database-url without pg: exit 1, names it" bin_missing_ok demo --database-url postgresql://127.0.0.1:1/x pg
bin_preview_ok() {
  local log=$tmp/preview.log pid url ok=1
  # The bin link npx would run, exec'd so that $pid is the server itself.
  (cd "$app" && exec ./node_modules/.bin/nova-layers preview --port 0 > "$log" 2>&1) & pid=$!
  for _ in $(seq 50); do url=$(sed -nE 's/^nova-layers preview: (http[^ ]+)$/\1/p' "$log"); [ -n "$url" ] && break; sleep 0.2; done
  if [ -n "$url" ] && node -e '
      const u = process.argv[1];
      Promise.all([fetch(u), fetch(new URL("/dist/preview-examples.js", u)), fetch(new URL("/dist/nova.mjs", u))])
        .then((rs) => process.exit(rs.every((r) => r.status === 200) ? 0 : 1), () => process.exit(1));' "$url"; then ok=0; fi
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  [ $ok = 0 ] || cat "$log"
  return $ok
}
check "npx nova-layers preview serves the page from the installed package" bin_preview_ok

echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
