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
if ! bash wasm/build.sh; then
  echo "package: 0 passed, 1 failed"
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. Content: exactly the runtime files, types, the schema, README/LICENSE, package.json.
npm pack --dry-run --json --ignore-scripts 2>/dev/null > "$tmp/pack.json"
content_ok() {
  node -e '
    const files = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].files.map((f) => f.path).sort();
    const allowed = [/^package\.json$/, /^README\.md$/, /^LICENSE(\.md|\.txt)?$/i, /^js\/[a-z]+\.js$/,
      /^js\/[a-z]+\.d\.ts$/, /^dist\/nova\.mjs$/, /^dist\/nova\.wasm$/, /^dist\/nova-wasi\.wasm$/,
      /^schema\/nova-contract\.schema\.json$/];
    const required = ["package.json", "README.md", "js/index.js", "js/index.d.ts", "js/engine.js",
      "js/engine.d.ts", "js/types.js", "js/types.d.ts", "js/wasi.js", "js/wasi.d.ts", "js/supabase.js",
      "js/supabase.d.ts", "dist/nova.mjs", "dist/nova.wasm", "dist/nova-wasi.wasm",
      "schema/nova-contract.schema.json"];
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
    const targets = [pkg.main, pkg.types];
    for (const v of Object.values(pkg.exports)) targets.push(...(typeof v === "string" ? [v] : Object.values(v)));
    const missing = targets.filter((t) => !files.includes(t));
    if (missing.length) { console.log("exports point at missing files:", missing.join(" ")); process.exit(1); }' "$tmp/pack.json"
}
check "exports/main/types point at packed files" targets_ok

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
import { buildAssembleRequest } from 'nova-layers/supabase';

const text = await readFile(new URL('./request.json', import.meta.url), 'utf8');
const nova = await loadNova();
const out = nova.assembleJSON(text);
const wasmUrl = import.meta.resolve('nova-layers/nova.wasm');
const module = await WebAssembly.compile(await readFile(new URL(wasmUrl)));
if ((await loadNova({ module })).assembleJSON(text) !== out) throw new Error('module path differs');
if ((await loadNovaWasi()).assembleJSON(text) !== out) throw new Error('wasi differs');
const req = JSON.parse(text);
if (buildAssembleRequest(req.context, req.message, { options: req.options }).message !== req.message) throw new Error('supabase glue');
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
import { loadPromptContext } from 'nova-layers/supabase';
const nova = await loadNova();
const r: AssembleResult = nova.assemble({ context: { user_id: 'x' }, message: 'hi' });
const e: NovaError = new NovaError('invalid_json', 'm', '');
await loadNovaWasi({ bytes: new Uint8Array() });
await loadPromptContext({ rpc: async () => ({ data: {}, error: null }) }, 'id');
console.log(r.prompt, e.code);
TS
deno_check_ok() { (cd "$app" && "$DENO" check --no-lock --quiet typed.ts); }
check "deno check against the installed package types" deno_check_ok

cat > "$app/tsconfig.json" <<'JSON'
{ "compilerOptions": { "strict": true, "noEmit": true, "target": "es2022", "module": "nodenext",
  "moduleResolution": "nodenext", "lib": ["es2022", "dom"], "types": [], "skipLibCheck": false },
  "files": ["typed.ts"] }
JSON
tsc_ok() { (cd "$app" && "$ROOT/node_modules/.bin/tsc" -p tsconfig.json); }
check "tsc --noEmit against the installed package types" tsc_ok

echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
