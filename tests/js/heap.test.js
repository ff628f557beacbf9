// Heap stability: 100,000 calls of mixed valid and invalid requests; after a warm-up the
// wasm memory stops growing (every buffer the glue and the engine allocate is freed).
import { WASI } from 'node:wasi';
import { describe, expect, it } from 'vitest';
import { NovaError, loadNova } from '../../js/index.js';
import { loadNovaWasi } from '../../js/wasi.js';
import { withMemory } from './helpers.js';
import { makeRequest, medium, small } from './requests.js';

const CALLS = 100_000;
const WARMUP = 10_000;

function mixed() {
  const big = makeRequest({ message: `${'long message about Sam 😀 '.repeat(2000)}anniversary` });
  return [
    { fn: 'assemble', arg: small() },
    { fn: 'detect', arg: small() },
    { fn: 'assemble', arg: withMemory(1, { confidence: 7 }), error: 'invalid_value' },
    { fn: 'assembleJSON', arg: '{"context": [' },
    { fn: 'assemble', arg: { context: small().context }, error: 'missing_field' },
    { fn: 'detect', arg: makeRequest({ message: '𝒜 Zoë & Sam: date night' }) },
    { fn: 'detectJSON', arg: '['.repeat(3000) },
    { fn: 'assemble', arg: { ...small(), options: { max_chars: 1 } }, error: 'over_budget' },
    { fn: 'assemble', arg: medium(), every: 20 },
    { fn: 'assemble', arg: big, every: 50 },
  ];
}

function run(nova, calls) {
  const plan = mixed();
  let errors = 0;
  for (let i = 0; i < calls; i++) {
    const step = plan[i % plan.length];
    if (step.every && Math.floor(i / plan.length) % step.every !== 0) continue;
    try {
      nova[step.fn](step.arg);
    } catch (e) {
      if (!(e instanceof NovaError) || e.code !== step.error) throw e;
      errors++;
    }
  }
  return errors;
}

async function stable(nova) {
  const grownAt = [];
  const size = () => nova.memory.buffer.byteLength;
  run(nova, WARMUP);
  const afterWarmup = size();
  for (let done = WARMUP; done < CALLS; done += 10_000) {
    expect(run(nova, 10_000)).toBeGreaterThan(0);
    if (size() !== afterWarmup) grownAt.push([done, size()]);
  }
  expect(grownAt).toEqual([]);
  expect(size()).toBe(afterWarmup);
}

describe(`heap stability over ${CALLS} mixed calls`, () => {
  it('Emscripten module', async () => {
    await stable(await loadNova());
  });
  it('WASI module (node:wasi)', async () => {
    await stable(await loadNovaWasi({ wasi: new WASI({ version: 'preview1' }) }));
  });
});
