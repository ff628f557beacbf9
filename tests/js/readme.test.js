// README figures that a build changes: every "`dist/FILE`, N KB" in README.md is the size
// of that file as built (within 15%, so a small change of the engine does not fail the
// suite, but a figure from an older layout does: "11 KB instead of 100 KB" did).
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
