// Shared by the vitest files: paths, the native CLI, and the identity cases.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI } from 'node:wasi';
import { beforeAll, describe } from 'vitest';
import { loadNova } from '../../js/index.js';
import { loadNovaWasi } from '../../js/wasi.js';
import { large, makeRequest, medium, small } from './requests.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = process.env.NOVA_CLI ?? join(ROOT, 'build/nova-prompt');
export const DENO = join(ROOT, 'node_modules/.bin/deno');
export const hasCli = existsSync(CLI);

/** Every way to load the engine in Node: the Emscripten build (embedded or given module), WASI. */
export const LOADERS = {
  emscripten: () => loadNova(),
  'emscripten, module': () => loadNova({ module: new WebAssembly.Module(readFileSync(join(ROOT, 'dist/nova.wasm'))) }),
  'wasi, stub': () => loadNovaWasi(),
  'wasi, node:wasi': () => loadNovaWasi({ wasi: new WASI({ version: 'preview1' }) }),
};

/**
 * describe(`TITLE (loader)`) once for each of the named LOADERS (default: all), the engine
 * loaded once before its tests: `body(engine)`, where engine() is that instance.
 */
export function describeEachLoader(title, body, names = Object.keys(LOADERS)) {
  for (const name of names) {
    describe(`${title} (${name})`, () => {
      let nova;
      beforeAll(async () => {
        nova = await LOADERS[name]();
      });
      body(() => nova);
    });
  }
}

/**
 * Runs `nova-prompt <op> --json` on the request text. On success the CLI prints the result
 * JSON exactly as the C API gave it (plus one newline): returned as { ok: true, json }.
 * On an error result it exits 2 with "nova-prompt: CODE: message (at PATH)" on stderr:
 * returned as { ok: false, line }.
 */
export function native(op, text) {
  const r = spawnSync(CLI, [op, '--json'], { input: text, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status === 0 && r.stdout.endsWith('\n')) return { ok: true, json: r.stdout.slice(0, -1) };
  if (r.status === 2) return { ok: false, line: r.stderr.replace(/\n$/, '') };
  throw new Error(`${CLI} ${op} exited ${r.status}: ${r.stderr}`);
}

/** The CLI's error line for a raw error result JSON (what native() gives on exit 2). */
export function cliErrorLine(json) {
  const { code, message, path } = JSON.parse(json).error;
  return `nova-prompt: ${code}: ${message}${path ? ` (at ${path})` : ''}`;
}

/** The JS method (raw: JSON text in and out) for each CLI command of an identity case. */
export const JSON_METHOD = {
  assemble: 'assembleJSON',
  detect: 'detectJSON',
  'memory-prompt': 'memoryPromptJSON',
  'memory-ops': 'memoryOpsJSON',
};

/** Golden fixtures (tests/golden/*.request.json), read as text. */
export function goldenCases() {
  const dir = join(ROOT, 'tests/golden');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.request.json'))
    .sort()
    .map((f) => ({ name: `golden/${f}`, op: 'assemble', text: readFileSync(join(dir, f), 'utf8') }));
}

/** The memory prompt fixtures (tests/golden/memory_prompt/*.request.json), read as text. */
export function memoryGoldenCases() {
  const dir = join(ROOT, 'tests/golden/memory_prompt');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.request.json'))
    .sort()
    .map((f) => ({ name: `golden/memory_prompt/${f}`, op: 'memory-prompt', text: readFileSync(join(dir, f), 'utf8') }));
}

/** The context of a memory prompt fixture, for memory-ops requests. */
export function memoryContext(name) {
  return JSON.parse(readFileSync(join(ROOT, 'tests/golden/memory_prompt', `${name}.request.json`), 'utf8')).context;
}

/** Our own cases: sizes, detection with multibyte text, and error results. */
export function ownCases() {
  const text = (o) => JSON.stringify(o);
  const cases = [
    { name: 'small', op: 'assemble', text: text(small()) },
    { name: 'medium', op: 'assemble', text: text(medium()) },
    { name: 'large', op: 'assemble', text: text(large()) },
    { name: 'tiny budget', op: 'assemble', text: text({ ...small(), options: { max_chars: 1 } }) },
    { name: 'no relationship', op: 'assemble', text: text(makeRequest({ message: 'How do I focus at work?' })) },
    { name: 'multibyte', op: 'assemble', text: text(makeRequest({ message: 'Ça va 😀 Sam? 我们 Sammy’s anniversary ' })) },
    { name: 'detect', op: 'detect', text: text(small()) },
    { name: 'detect multibyte', op: 'detect', text: text(makeRequest({ message: '𝒜𝒷 Sam, Zoë and date  night 🎉 dinner' })) },
    { name: 'invalid json', op: 'assemble', text: '{"context": ' },
    { name: 'not an object', op: 'assemble', text: '[1,2]' },
    { name: 'missing message', op: 'assemble', text: text({ context: small().context }) },
    { name: 'bad confidence', op: 'assemble', text: text(withMemory(1, { confidence: 2 })) },
    { name: 'bad category', op: 'detect', text: text(withMemory(0, { category: 'nope' })) },
    { name: 'deep nesting', op: 'assemble', text: '['.repeat(5000) + ']'.repeat(5000) },
    // memory_summary numbers as written by a database (raw text: JSON.stringify has no 1e400).
    { name: 'summary numbers', op: 'assemble', text: text(small()).replace('"memory_summary":{', '"memory_summary":{"e":1e308,"t":4.9e-324,"u":1e-400,"m":-1.7976931348623157e308,"f":[0.1,1e21,1e-7,123456789012345680000],') },
    { name: 'summary number beyond double', op: 'assemble', text: text(small()).replace('"memory_summary":{', '"memory_summary":{"big":[1,-1e400],') },
    { name: 'memory ops', op: 'memory-ops', text: text({ context: memoryContext('linked_couple'), llm_output: MEMORY_ANSWER }) },
    { name: 'memory ops, notes', op: 'memory-ops', text: text({ context: memoryContext('pending_partnership'), llm_output: MEMORY_ANSWER }) },
    { name: 'memory ops, lone surrogates', op: 'memory-ops', text: text({ context: memoryContext('linked_couple'), llm_output: '{"operations":[{"op":"add","category":"general","about":"user","content":"Maya \\ud83d likes \\ude00 jazz \\ud83c\\udfb7"}]}' }) },
    { name: 'memory ops, error', op: 'memory-ops', text: text({ context: memoryContext('linked_couple') }) },
    { name: 'memory prompt, error', op: 'memory-prompt', text: text({ context: memoryContext('linked_couple'), transcript: [{ role: 'nova', content: '' }] }) },
  ];
  return cases;
}

/** A chatty model's answer with every kind of operation, kept and rejected. */
export const MEMORY_ANSWER = `<think>draft: {"operations": [{"op": "add"}]}</think>
Sure! Here is what I'd keep {as JSON}:
\`\`\`json
{"operations": [
  {"op": "update", "id": "m2", "content": "Sam's birthday is March 4."},
  {"op": "add", "category": "gift_idea", "about": "partner", "content": "Sam is into trail running: running gear would make a good gift.", "confidence": 0.8},
  {"op": "add", "category": "pattern", "about": "relationship", "content": "A chore rota ended Maya and Sam's fights about chores."},
  {"op": "deactivate", "id": "m7"},
  {"op": "partner_note", "field": "traits", "content": "enjoys trail running"},
  {"op": "add", "category": "hobbies", "about": "user", "content": "x"},
  {"op": "update", "id": "m42", "confidence": 2}
]}
\`\`\`
Let me know {if} you need more.`;

/** small() with memories[i] changed. */
export function withMemory(i, patch) {
  const r = small();
  r.context.memories[i] = { ...r.context.memories[i], ...patch };
  return r;
}
