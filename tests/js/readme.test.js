// README figures that the code changes: every "`dist/FILE`, N KB" in README.md is the size
// of that file as built (within 15%, so a small change of the engine does not fail the
// suite, but a figure from an older layout does: "11 KB instead of 100 KB" did); the
// injection corpus's count is its number of attacks (it said 64 when there were 75).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

describe('README size figures', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const figures = [...readme.matchAll(/`dist\/([\w.-]+)`, (\d+) KB/g)].map((m) => ({ file: m[1], kb: Number(m[2]) }));

  it('names the glue, the module and the wasm', () => {
    expect(figures.map((f) => f.file).sort()).toEqual(['nova-glue.mjs', 'nova.mjs', 'nova.wasm']);
  });

  it.each(figures)('dist/$file is about $kb KB', ({ file, kb }) => {
    const actual = statSync(join(ROOT, 'dist', file)).size / 1000;
    expect(Math.abs(actual - kb) / actual).toBeLessThan(0.15);
  });
});

describe('README counts', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('the injection corpus: as many attacks as tests/injection/corpus.txt has', () => {
    // test_injection's reading (load_corpus): every line but the empty ones and "#" comments
    const lines = readFileSync(join(ROOT, 'tests/injection/corpus.txt'), 'utf8').split('\n');
    const attacks = lines.filter((l) => l !== '' && !l.startsWith('#')).length;
    const said = [...readme.matchAll(/`tests\/injection\/corpus\.txt`: (\d+) attacks/g)].map((m) => Number(m[1]));
    expect(said).toEqual([attacks]);
  });
});
