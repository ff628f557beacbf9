// Identity: the native CLI, the Emscripten module in Node, the same module in Deno and the
// WASI module give byte-identical result JSON for every golden fixture (assemble and
// memory prompt), the memory-ops corpus (tests/memory: each also equal to its expected
// result) and our own cases.
// The raw C result strings are compared, never re-serialized objects (an error result is
// compared with the CLI's error line, which is all the CLI prints for it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNova } from '../../js/index.js';
import { loadNovaWasi } from '../../js/wasi.js';
import { corpusCases } from '../memory/corpus.mjs';
import { DENO, JSON_METHOD, ROOT, cliErrorLine, goldenCases, hasCli, memoryGoldenCases, native, ownCases } from './helpers.js';

const corpus = corpusCases().map((c) => ({ name: `memory/${c.name}`, op: 'memory-ops', text: c.text, expect: c.expect }));
const cases = [...goldenCases(), ...memoryGoldenCases(), ...corpus, ...ownCases()];
let em, wasiStub, wasiNode, denoOut, tmp;

beforeAll(async () => {
  em = await loadNova();
  wasiStub = await loadNovaWasi();
  wasiNode = await loadNovaWasi({ wasi: new WASI({ version: 'preview1' }) });
  // Deno: one process runs every case through js/index.js and writes the raw results.
  tmp = mkdtempSync(join(tmpdir(), 'nova-identity-'));
  writeFileSync(join(tmp, 'cases.json'), JSON.stringify(cases));
  const r = spawnSync(DENO, ['run', '--quiet', `--allow-read=${ROOT},${tmp}`, `--allow-write=${tmp}`,
    join(ROOT, 'tests/deno/emit.js'), join(tmp, 'cases.json'), join(tmp, 'out.json')],
  { encoding: 'utf8', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' } });
  if (r.status !== 0) throw new Error(`deno failed: ${r.stderr}`);
  denoOut = JSON.parse((await import('node:fs')).readFileSync(join(tmp, 'out.json'), 'utf8'));
});

afterAll(() => tmp && rmSync(tmp, { recursive: true, force: true }));

describe('identity', () => {
  it('has golden fixtures to compare', () => {
    expect(goldenCases().length).toBeGreaterThan(0);
    expect(memoryGoldenCases().length).toBeGreaterThanOrEqual(4);
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });

  for (const [i, c] of cases.entries()) {
    describe(c.name, () => {
      const fn = JSON_METHOD[c.op];
      it('WASI (stub and node:wasi) = Emscripten', () => {
        const ref = em[fn](c.text);
        expect(ref.length).toBeGreaterThan(0);
        expect(wasiStub[fn](c.text)).toBe(ref);
        expect(wasiNode[fn](c.text)).toBe(ref);
      });
      if (c.expect) {
        it('Emscripten = the expected result', () => {
          const got = JSON.parse(em[fn](c.text));
          if (c.expect.error) {
            expect({ code: got.error?.code, path: got.error?.path }).toEqual(c.expect.error);
          } else {
            expect(got).toEqual(c.expect.result);
          }
        });
      }
      it('Deno = Emscripten in Node', () => {
        expect(denoOut[i]).toBe(em[fn](c.text));
      });
      // The CLI prints a success result as the raw JSON, an error as one line on stderr.
      it('native CLI = Emscripten', () => {
        if (!hasCli) throw new Error('no native CLI: build it first (make native)');
        const nat = native(c.op, c.text);
        const ref = em[fn](c.text);
        if (nat.ok) expect(ref).toBe(nat.json);
        else expect(cliErrorLine(ref)).toBe(nat.line);
      });
    });
  }
});
