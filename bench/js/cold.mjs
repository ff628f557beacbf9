// Cold start, one measurement per fresh process (bench/run.sh starts it many times):
//   node bench/js/cold.mjs      deno run --allow-read bench/js/cold.mjs
// import_ms: importing the main entry (parsing dist/nova.mjs, ~100 KB with the wasm in it);
// instantiate_ms: `await loadNova()` once imported (the "cold start"); first_call_ms:
// the first assemble after it (lazy compilation tiers); wasi_instantiate_ms:
// loadNovaWasi({ bytes }) with the file already read. Prints one JSON line.
import { readBytes, runtime } from './env.mjs';

const t0 = performance.now();
const { loadNova } = await import('../../js/index.js');
const t1 = performance.now();
const nova = await loadNova();
const t2 = performance.now();
const { small } = await import('../../tests/js/requests.js');
const req = small();
const t3 = performance.now();
nova.assemble(req);
const t4 = performance.now();
const { loadNovaWasi } = await import('../../js/wasi.js');
const bytes = await readBytes(new URL('../../dist/nova-wasi.wasm', import.meta.url));
const t5 = performance.now();
const wasi = await loadNovaWasi({ bytes });
const t6 = performance.now();
if (!nova.version || !wasi.version) throw new Error('no engine');
console.log(JSON.stringify({ runtime, import_ms: t1 - t0, instantiate_ms: t2 - t1,
  first_call_ms: t4 - t3, wasi_instantiate_ms: t6 - t5 }));
