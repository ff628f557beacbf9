// Wasm benchmarks, the same file under Node and Deno:
//   node bench/wasm/bench.mjs [cold|calls]      deno run --allow-read bench/wasm/bench.mjs [cold|calls]
// cold:  one fresh process = one measurement: loadNova() / loadNovaWasi() time (the module
//        already imported) and import+load time. bench/wasm/run.sh starts it many times.
// calls: per-call assemble latency on small / medium / large requests, median of batches.
// Prints one JSON line.
const t0 = performance.now();
const { loadNova } = await import('../../js/index.js');
const t1 = performance.now();
const { loadNovaWasi } = await import('../../js/wasi.js');
const { small, medium, large } = await import('../../tests/js/requests.js');

const runtime = typeof Deno !== 'undefined' ? `deno ${Deno.version.deno}` : `node ${process.versions.node}`;
const mode = (typeof Deno !== 'undefined' ? Deno.args : process.argv.slice(2))[0] ?? 'calls';

async function wasiBytes() {
  const url = new URL('../../dist/nova-wasi.wasm', import.meta.url);
  if (typeof Deno !== 'undefined') return Deno.readFile(url);
  return (await import('node:fs/promises')).readFile(url);
}

if (mode === 'cold') {
  const t2 = performance.now();
  const nova = await loadNova();
  const t3 = performance.now();
  const bytes = await wasiBytes();
  const t4 = performance.now();
  const wasi = await loadNovaWasi({ bytes });
  const t5 = performance.now();
  if (!nova.version || !wasi.version) throw new Error('no version');
  console.log(JSON.stringify({ runtime, mode, import_ms: t1 - t0, em_instantiate_ms: t3 - t2,
    em_import_and_instantiate_ms: t1 - t0 + (t3 - t2), wasi_instantiate_ms: t5 - t4 }));
} else {
  const nova = await loadNova();
  const wasi = await loadNovaWasi({ bytes: await wasiBytes() });
  const sizes = { small: small(), medium: medium(), large: large() };
  const out = { runtime, mode };
  for (const [name, req] of Object.entries(sizes)) {
    const text = JSON.stringify(req);
    for (const [engine, api] of [['em', nova], ['wasi', wasi]]) {
      // Raw C call (JSON text in, JSON text out) and the object API (stringify + parse +
      // offset conversion on top).
      for (const [kind, fn] of [['raw', () => api.assembleJSON(text)], ['object', () => api.assemble(req)]]) {
        for (let i = 0; i < 50; i++) fn(); // warm-up (JIT tiers, heap growth)
        const batch = name === 'large' ? 20 : 200;
        const samples = [];
        for (let b = 0; b < 15; b++) {
          const s = performance.now();
          for (let i = 0; i < batch; i++) fn();
          samples.push(((performance.now() - s) * 1000) / batch);
        }
        samples.sort((a, b) => a - b);
        out[`${engine}_${kind}_${name}_us`] = Math.round(samples[samples.length >> 1] * 10) / 10;
      }
    }
    out[`${name}_request_bytes`] = new TextEncoder().encode(text).length;
  }
  console.log(JSON.stringify(out));
}
