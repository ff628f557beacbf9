// The Emscripten and WASI modules under the real Deno binary, offline, no npm: the same
// js/index.js the package ships, compared with the native CLI.
import { NovaError, loadNova } from '../../js/index.js';
import { loadNovaWasi } from '../../js/wasi.js';
import { makeRequest, small, medium } from '../js/requests.js';
import { corpusCases } from '../memory/corpus.mjs';

const ROOT = new URL('../../', import.meta.url);
// The native CLI: the first argument after `--` (tests/deno/run.sh passes it).
const CLI = Deno.args[0] ?? new URL('build/nova-prompt', ROOT).pathname;

function assertEq(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)?.slice(0, 300)}, got ${JSON.stringify(actual)?.slice(0, 300)}`);
  }
}

async function native(op, text) {
  const child = new Deno.Command(CLI, { args: [op, '--json'], stdin: 'piped', stdout: 'piped', stderr: 'piped' }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(text));
  await w.close();
  const { code, stdout, stderr } = await child.output();
  // 0: the result JSON plus a newline; anything else is not a result to compare.
  if (code !== 0) throw new Error(`nova-prompt exited ${code}: ${new TextDecoder().decode(stderr)}`);
  return new TextDecoder().decode(stdout).replace(/\n$/, '');
}

async function goldenFiles() {
  const dir = new URL('tests/golden/', ROOT);
  const names = [];
  try {
    for await (const e of Deno.readDir(dir)) if (e.name.endsWith('.request.json')) names.push(e.name);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return names.sort().map((n) => new URL(n, dir));
}

const nova = await loadNova();

Deno.test('loadNova() works with no permissions needed beyond the import', () => {
  assertEq(typeof nova.version, 'string', 'version');
  assertEq(nova.memory instanceof WebAssembly.Memory, true, 'memory');
});

Deno.test('assemble: the golden fixtures equal the native CLI', async () => {
  const files = await goldenFiles();
  if (files.length === 0) throw new Error('no tests/golden/*.request.json');
  for (const f of files) {
    const text = await Deno.readTextFile(f);
    assertEq(nova.assembleJSON(text), await native('assemble', text), f.pathname);
  }
});

Deno.test('assemble: small/medium requests equal the native CLI, as objects too', async () => {
  for (const req of [small(), medium()]) {
    const text = JSON.stringify(req);
    const nat = await native('assemble', text);
    assertEq(nova.assembleJSON(text), nat, 'raw');
    assertEq(nova.assemble(req).prompt, JSON.parse(nat).prompt, 'prompt');
  }
});

Deno.test('memory prompt: the golden fixtures equal the native CLI, on both modules', async () => {
  const dir = new URL('tests/golden/memory_prompt/', ROOT);
  const wasi = await loadNovaWasi();
  let n = 0;
  for await (const e of Deno.readDir(dir)) {
    if (!e.name.endsWith('.request.json')) continue;
    const text = await Deno.readTextFile(new URL(e.name, dir));
    const nat = await native('memory-prompt', text);
    assertEq(nova.memoryPromptJSON(text), nat, e.name);
    assertEq(wasi.memoryPromptJSON(text), nat, `${e.name} (WASI)`);
    n++;
  }
  if (n < 4) throw new Error(`only ${n} memory prompt fixtures`);
});

Deno.test('memory ops: the corpus equals the native CLI and its expected results, on both modules', async () => {
  const wasi = await loadNovaWasi();
  const cases = corpusCases();
  if (cases.length < 40) throw new Error(`only ${cases.length} corpus cases`);
  for (const c of cases) {
    const got = nova.memoryOpsJSON(c.text);
    assertEq(wasi.memoryOpsJSON(c.text), got, `${c.name} (WASI)`);
    if (c.expect.error) {
      assertEq(JSON.parse(got).error.code, c.expect.error.code, c.name);
      continue;
    }
    assertEq(got, await native('memory-ops', c.text), c.name);
    assertEq(JSON.stringify(JSON.parse(got)), JSON.stringify(c.expect.result), `${c.name} expected`);
  }
});

Deno.test('detect: offsets become UTF-16 indices', () => {
  const message = '😀 𝒜 Ça va? Sam forgot our anniversary';
  const d = nova.detect(makeRequest({ message }));
  const sam = d.matches.find((m) => message.slice(m.start, m.end) === 'Sam');
  assertEq(sam?.start, message.indexOf('Sam'), 'start of Sam');
  assertEq(d.relationship, true, 'relationship');
});

Deno.test('errors are NovaError with code and path', () => {
  const req = small();
  req.context.memories[1].confidence = 3;
  try {
    nova.assemble(req);
    throw new Error('no error thrown');
  } catch (e) {
    assertEq(e instanceof NovaError, true, 'instanceof');
    assertEq(e.code, 'invalid_value', 'code');
    assertEq(e.path, 'context.memories[1].confidence', 'path');
  }
});

Deno.test('loadNova({ module }) with the bare dist/nova.wasm', async () => {
  const module = await WebAssembly.compile(await Deno.readFile(new URL('dist/nova.wasm', ROOT)));
  const viaModule = await loadNova({ module });
  const text = JSON.stringify(medium());
  assertEq(viaModule.assembleJSON(text), nova.assembleJSON(text), 'module path');
});

Deno.test('WASI module (built-in stub) = Emscripten module', async () => {
  const wasi = await loadNovaWasi();
  for (const req of [small(), medium(), makeRequest({ message: 'Zoë 😀 Sam' })]) {
    const text = JSON.stringify(req);
    assertEq(wasi.assembleJSON(text), nova.assembleJSON(text), 'assemble');
    assertEq(wasi.detectJSON(text), nova.detectJSON(text), 'detect');
  }
  assertEq(wasi.assembleJSON('{'), nova.assembleJSON('{'), 'error');
});
