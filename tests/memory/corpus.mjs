// The memory-ops corpus: answers a model might give to the memory prompt, each with what
// the engine must make of it.
//   tests/memory/cases/<name>.output.txt   the model's answer, the bytes as it wrote them
//   tests/memory/cases/<name>.expect.json  { "about": why the case is here,
//                                            "context": a fixture of tests/golden/memory_prompt,
//                                            "repeat"?: n (the answer is the text n times),
//                                            "result": the expected memory-ops result
//                                            | "error": { "code", "path" } }
// The request is { context, llm_output }. Run by tests/c/test_memory_corpus.c (native), by
// tests/js/memory_corpus.test.js (Emscripten, WASI, Deno and the CLI, on these same request
// bytes), and written to files for valgrind and the fuzz replay:
//   node tests/memory/corpus.mjs --write DIR   (DIR/<name>.request.json; <name>.error when
//                                               the case expects an error)
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CASES = join(ROOT, 'tests', 'memory', 'cases');

export function memoryContext(name) {
  const file = join(ROOT, 'tests', 'golden', 'memory_prompt', `${name}.request.json`);
  return JSON.parse(readFileSync(file, 'utf8')).context;
}

/** [{ name, about, context, request, text, expect: { result } | { error } }] in name order. */
export function corpusCases() {
  return readdirSync(CASES)
    .filter((f) => f.endsWith('.expect.json'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.expect.json'.length);
      const spec = JSON.parse(readFileSync(join(CASES, f), 'utf8'));
      const output = readFileSync(join(CASES, `${name}.output.txt`), 'utf8').repeat(spec.repeat ?? 1);
      const request = { context: memoryContext(spec.context), llm_output: output };
      return {
        name,
        about: spec.about,
        context: spec.context,
        request,
        text: JSON.stringify(request),
        expect: spec.error ? { error: spec.error } : { result: spec.result },
      };
    });
}

if (process.argv[2] === '--write') {
  const dir = process.argv[3];
  mkdirSync(dir, { recursive: true });
  const cases = corpusCases();
  for (const c of cases) {
    writeFileSync(join(dir, `${c.name}.request.json`), c.text);
    if (c.expect.error) writeFileSync(join(dir, `${c.name}.error`), c.expect.error.code);
  }
  console.log(`wrote ${cases.length} memory-ops requests to ${dir}`);
}
